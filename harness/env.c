/* hn env: the machine and build a measurement runs on (git, compiler, kernel,
 * CPU, governor, limits, sysctls, cgroup limits, load); `c10k env [--json]`.
 *   try: build/harness/c10k env --json */
#include "cmd.h"
#include "env.h"
#include "store.h"
#include "hn_paths.h"

#include <procfs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

/* The first line of a file, trimmed; NULL when unreadable. */
static json_t *file_line(const char *path)
{
    char buf[512];
    char *nl;
    if (procfs_read(path, buf, sizeof buf) < 0)
        return json_null();
    nl = strchr(buf, '\n');
    if (nl)
        *nl = '\0';
    for (nl = buf; *nl; nl++)
        if (*nl == '\t')
            *nl = ' ';
    return json_string(buf);
}

/* The first line a shell command prints; null when it fails. */
static json_t *cmd_line(const char *cmd)
{
    char buf[512] = "";
    FILE *f = popen(cmd, "r");
    char *nl;
    if (!f)
        return json_null();
    if (!fgets(buf, sizeof buf, f))
        buf[0] = '\0';
    if (pclose(f) != 0 || !buf[0])
        return json_null();
    nl = strchr(buf, '\n');
    if (nl)
        *nl = '\0';
    return json_string(buf);
}

static json_t *git_json(void)
{
    char cmd[4300];
    json_t *dirty;
    snprintf(cmd, sizeof cmd, "git -C '%s' rev-parse HEAD 2>/dev/null", HN_SOURCE_ROOT);
    json_t *commit = cmd_line(cmd);
    snprintf(cmd, sizeof cmd,
             "git -C '%s' status --porcelain --untracked-files=no 2>/dev/null | wc -l",
             HN_SOURCE_ROOT);
    dirty = cmd_line(cmd);
    json_t *g = json_pack("{s:o, s:o}", "commit", commit, "dirty",
                          json_is_string(dirty) ? json_boolean(atoi(json_string_value(dirty)) > 0)
                                                : json_null());
    json_decref(dirty);
    return g;
}

static json_t *cpu_model(void)
{
    char buf[8192];
    char *p, *nl;
    if (procfs_read("/proc/cpuinfo", buf, sizeof buf) < 0)
        return json_null();
    p = strstr(buf, "model name");
    if (!p || !(p = strchr(p, ':')))
        return json_null();
    p += 2;
    nl = strchr(p, '\n');
    if (nl)
        *nl = '\0';
    return json_string(p);
}

static json_t *cpu_json(void)
{
    cpu_set_t set;
    int allowed = 0;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        allowed = CPU_COUNT(&set);
    return json_pack("{s:o, s:i, s:i, s:o, s:o, s:o}", "model", cpu_model(), "online",
                     (int)sysconf(_SC_NPROCESSORS_ONLN), "allowed", allowed, "governor",
                     file_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"),
                     "boost", file_line("/sys/devices/system/cpu/cpufreq/boost"),
                     "intel_no_turbo", file_line("/sys/devices/system/cpu/intel_pstate/no_turbo"));
}

static json_t *sysctl_json(void)
{
    return json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "aslr",
        file_line("/proc/sys/kernel/randomize_va_space"), "thp",
        file_line("/sys/kernel/mm/transparent_hugepage/enabled"), "somaxconn",
        file_line("/proc/sys/net/core/somaxconn"), "ip_local_port_range",
        file_line("/proc/sys/net/ipv4/ip_local_port_range"), "tcp_rmem",
        file_line("/proc/sys/net/ipv4/tcp_rmem"), "tcp_wmem",
        file_line("/proc/sys/net/ipv4/tcp_wmem"), "pid_max", file_line("/proc/sys/kernel/pid_max"),
        "max_map_count", file_line("/proc/sys/vm/max_map_count"), "threads_max",
        file_line("/proc/sys/kernel/threads-max"), "io_uring_disabled",
        file_line("/proc/sys/kernel/io_uring_disabled"));
}

/* cgroup v2 limits of this process's cgroup ("0::/path" in /proc/self/cgroup). */
static json_t *cgroup_json(void)
{
    char buf[1024], dir[1200], p[1300];
    char *path, *nl;
    json_t *j;
    if (procfs_read("/proc/self/cgroup", buf, sizeof buf) < 0 || !(path = strstr(buf, "0::")))
        return json_null();
    path += 3;
    nl = strchr(path, '\n');
    if (nl)
        *nl = '\0';
    snprintf(dir, sizeof dir, "/sys/fs/cgroup%s", path);
    j = json_pack("{s:s}", "path", path);
    snprintf(p, sizeof p, "%s/memory.max", dir);
    json_object_set_new(j, "memory_max", file_line(p));
    snprintf(p, sizeof p, "%s/pids.max", dir);
    json_object_set_new(j, "pids_max", file_line(p));
    snprintf(p, sizeof p, "%s/cpu.max", dir);
    json_object_set_new(j, "cpu_max", file_line(p));
    return j;
}

static json_t *limits_json(void)
{
    struct rlimit rl = {0, 0};
    getrlimit(RLIMIT_NOFILE, &rl);
    return json_pack("{s:I, s:I}", "nofile_soft", (json_int_t)rl.rlim_cur, "nofile_hard",
                     (json_int_t)rl.rlim_max);
}

json_t *hn_env_json(void)
{
    struct utsname u;
    char now[32];
    uname(&u);
    hn_utc_now(now, sizeof now);
    return json_pack(
        "{s:s, s:s, s:o, s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s}, s:o, s:o, s:o, s:o, s:o, "
        "s:o, s:o}",
        "schema", "c10k-env/1", "time", now, "git", git_json(), "build", "version", HN_VERSION,
        "compiler", HN_COMPILER, "buildtype", HN_BUILDTYPE, "source", HN_SOURCE_ROOT, "libs",
        "libuv", HN_LIBUV_VERSION, "liburing", HN_LIBURING_VERSION, "jansson", JANSSON_VERSION,
        "kernel", json_string(u.release), "hostname", json_string(u.nodename), "cpu", cpu_json(),
        "sysctl", sysctl_json(), "ulimit", limits_json(), "cgroup", cgroup_json(), "loadavg",
        file_line("/proc/loadavg"));
}

static void env_print(const char *prefix, const json_t *j)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)j, k, v) {
        char name[128];
        snprintf(name, sizeof name, "%s%s%s", prefix, *prefix ? "." : "", k);
        if (json_is_object(v))
            env_print(name, v);
        else if (json_is_string(v))
            printf("%-28s %s\n", name, json_string_value(v));
        else {
            char *s = json_dumps(v, JSON_ENCODE_ANY);
            printf("%-28s %s\n", name, s ? s : "?");
            free(s);
        }
    }
}

int cmd_env(int argc, char **argv)
{
    bool as_json = argc == 2 && strcmp(argv[1], "--json") == 0;
    json_t *j;
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        printf("usage: c10k env [--json]\n  the machine and build measurements run on\n");
        return 0;
    }
    if (argc > 2 || (argc == 2 && !as_json)) {
        fprintf(stderr, "c10k env: unknown option '%s'\n", argv[1]);
        fprintf(stderr, "usage: c10k env [--json]\n");
        return 2;
    }
    j = hn_env_json();
    if (as_json) {
        json_dumpf(j, stdout, JSON_INDENT(2));
        putchar('\n');
    } else {
        env_print("", j);
    }
    json_decref(j);
    return 0;
}
