/* limits: the system limit behind a server's refusal (limits.h), read from
 * /proc and getrlimit when the point broke.
 *   try: c10k run --model threads --connections 40000 (under the big-run lock) */
#include "limits.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "procfs.h"

/* A number from a /proc or /sys file (its first field); -1 when unreadable or "max". */
static long long read_num(const char *path)
{
    char buf[128];
    if (procfs_read(path, buf, sizeof buf) <= 0 || strncmp(buf, "max", 3) == 0) return -1;
    return strtoll(buf, NULL, 10);
}

/* The soft limit, or the hard one (what a server raises its soft limit to). */
static long long rlimit_of(int what, bool hard)
{
    struct rlimit rl;
    if (getrlimit(what, &rl) != 0) return -1;
    rlim_t v = hard ? rl.rlim_max : rl.rlim_cur;
    return v == RLIM_INFINITY ? -1 : (long long)v;
}

/* The pids.max of this process's cgroup (v2, or the v1 pids controller). */
static long long cgroup_pids_max(void)
{
    char cg[4096], path[4400];
    if (procfs_read("/proc/self/cgroup", cg, sizeof cg) <= 0) return -1;
    for (char *line = strtok(cg, "\n"); line; line = strtok(NULL, "\n")) {
        char *p = strrchr(line, ':');
        if (!p) continue;
        bool v2 = strncmp(line, "0::", 3) == 0, v1 = strstr(line, ":pids:") != NULL;
        if (!v2 && !v1) continue;
        snprintf(path, sizeof path, "/sys/fs/cgroup%s%s/pids.max", v1 ? "/pids" : "", p + 1);
        long long v = read_num(path);
        if (v > 0) return v;
    }
    return -1;
}

/* Tasks (threads) on the machine now: the 4th field of /proc/loadavg, "r/total". */
static long long tasks_now(void)
{
    char buf[128];
    const char *slash;
    if (procfs_read("/proc/loadavg", buf, sizeof buf) <= 0 || !(slash = strchr(buf, '/')))
        return -1;
    return strtoll(slash + 1, NULL, 10);
}

static void tasks_cause(char *out, size_t cap)
{
    struct {
        const char *name;
        long long v;
    } lim[] = {{"kernel.pid_max", read_num("/proc/sys/kernel/pid_max")},
               {"kernel.threads-max", read_num("/proc/sys/kernel/threads-max")},
               {"RLIMIT_NPROC", rlimit_of(RLIMIT_NPROC, false)},
               {"cgroup pids.max", cgroup_pids_max()}};
    int best = -1;
    for (int i = 0; i < 4; i++)
        if (lim[i].v > 0 && (best < 0 || lim[i].v < lim[best].v)) best = i;
    if (best < 0) {
        snprintf(out, cap, "threads/processes: no limit readable");
        return;
    }
    snprintf(out, cap,
             "threads/processes: %s %lld is the lowest task limit (%lld tasks on the "
             "machine now, shared with everything else running)",
             lim[best].name, lim[best].v, tasks_now());
}

void limits_cause(const char *errname, unsigned processes, char *out, size_t cap)
{
    out[0] = 0;
    if (!errname) return;
    if (strcmp(errname, "EMFILE") == 0)
        snprintf(out, cap, "descriptors: RLIMIT_NOFILE %lld per process, %u process%s",
                 rlimit_of(RLIMIT_NOFILE, true), processes, processes == 1 ? "" : "es");
    else if (strcmp(errname, "ENFILE") == 0)
        snprintf(out, cap, "descriptors: the system file table, fs.file-max %lld",
                 read_num("/proc/sys/fs/file-max"));
    else if (strcmp(errname, "EAGAIN") == 0)
        tasks_cause(out, cap);
    else if (strcmp(errname, "ENOMEM") == 0) {
        struct procfs_sys y;
        if (procfs_sys_read(&y) == 0)
            snprintf(out, cap, "memory: MemAvailable %llu MiB",
                     (unsigned long long)(y.mem_available_bytes >> 20));
    }
}
