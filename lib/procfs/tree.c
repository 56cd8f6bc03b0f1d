/* procfs tree: a process tree (a pid, its threads and all its descendants)
 * listed through /proc/PID/task/TID/children and summed from stat, status,
 * schedstat and smaps_rollup.  try: meson test -C build probe */
#include "procfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Appends the pids of a children file ("12 34 "), read in chunks: the main
 * thread of a prefork server lists 10,000 of them. */
static int add_children(const char *path, pid_t *pids, size_t cap, size_t *n)
{
    char buf[4096];
    long v = 0;
    bool in_num = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0; /* the thread is gone: no children to add */
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf), i;
        if (r < 0 && errno == EINTR)
            continue;
        for (i = 0; i < r; i++) {
            if (buf[i] >= '0' && buf[i] <= '9') {
                v = v * 10 + (buf[i] - '0');
                in_num = true;
                continue;
            }
            if (in_num && *n >= cap) {
                close(fd);
                return -ENOSPC;
            }
            if (in_num)
                pids[(*n)++] = (pid_t)v;
            v = 0;
            in_num = false;
        }
        if (r <= 0)
            break;
    }
    close(fd);
    if (in_num && *n < cap)
        pids[(*n)++] = (pid_t)v;
    return 0;
}

/* Field 4 (ppid) and 20 (num_threads) of /proc/PID/stat. */
static int stat_ppid_threads(const char *path, long *ppid, long *threads)
{
    char buf[1024];
    const char *p;
    int field = 2;
    if (procfs_read(path, buf, sizeof buf) < 0 || !(p = strrchr(buf, ')')))
        return -ESRCH;
    for (p++; *p && field < 20;) {
        while (*p == ' ')
            p++;
        field++;
        if (field == 4)
            *ppid = strtol(p, NULL, 10);
        if (field == 20)
            *threads = strtol(p, NULL, 10);
        while (*p && *p != ' ')
            p++;
    }
    return field == 20 ? 0 : -EINVAL;
}

/* The children of a process with many threads: scanning /proc for its pid
 * as ppid reads one file per process instead of one per thread. */
static int scan_children(pid_t pid, pid_t *pids, size_t cap, size_t *n)
{
    struct dirent *de;
    int rc = 0;
    DIR *d = opendir("/proc");
    if (!d)
        return -errno;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        char path[300];
        long ppid = 0, threads = 0;
        if (de->d_name[0] < '1' || de->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
        if (stat_ppid_threads(path, &ppid, &threads) < 0 || ppid != pid)
            continue;
        if (*n >= cap)
            rc = -ENOSPC;
        else
            pids[(*n)++] = (pid_t)strtol(de->d_name, NULL, 10);
    }
    closedir(d);
    return rc;
}

#define PROCFS_SCAN_THREADS 64 /* more threads than this: scan /proc instead */

static int add_process_children(pid_t pid, pid_t *pids, size_t cap, size_t *n)
{
    char path[64];
    struct dirent *de;
    long ppid = 0, threads = 0;
    int rc = 0;
    DIR *d;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if (stat_ppid_threads(path, &ppid, &threads) < 0)
        return -ESRCH;
    if (threads > PROCFS_SCAN_THREADS)
        return scan_children(pid, pids, cap, n);
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    d = opendir(path);
    if (!d)
        return -ESRCH;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        char cpath[300];
        if (de->d_name[0] < '0' || de->d_name[0] > '9')
            continue;
        snprintf(cpath, sizeof cpath, "/proc/%d/task/%s/children", (int)pid, de->d_name);
        rc = add_children(cpath, pids, cap, n);
    }
    closedir(d);
    return rc;
}

int procfs_tree_pids(pid_t root, pid_t *pids, size_t cap, size_t *n)
{
    return procfs_tree_pids_stride(root, pids, cap, n, 1);
}

int procfs_tree_pids_stride(pid_t root, pid_t *pids, size_t cap, size_t *n, size_t stride)
{
    size_t i;
    int rc;
    if (stride == 0)
        stride = 1;
    *n = 0;
    if (cap == 0)
        return -ENOSPC;
    pids[(*n)++] = root;
    rc = add_process_children(root, pids, cap, n);
    if (rc == -ESRCH)
        return -ESRCH;
    for (i = 1; rc == 0 && i < *n; i += stride) {
        rc = add_process_children(pids[i], pids, cap, n);
        if (rc == -ESRCH)
            rc = 0; /* exited meanwhile */
    }
    return rc;
}

/* Fields 14-17 of /proc/PID/stat (utime stime cutime cstime), in ticks. */
static int stat_times(pid_t pid, uint64_t ticks[4])
{
    char path[64], buf[1024];
    const char *p;
    int field = 2;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if (procfs_read(path, buf, sizeof buf) < 0)
        return -ESRCH;
    p = strrchr(buf, ')'); /* comm may hold spaces and parentheses */
    if (!p)
        return -EINVAL;
    p++;
    while (*p && field < 17) {
        while (*p == ' ')
            p++;
        field++;
        if (field >= 14) {
            ticks[field - 14] = strtoull(p, NULL, 10);
        }
        while (*p && *p != ' ')
            p++;
    }
    return field == 17 ? 0 : -EINVAL;
}

static void add_ctxsw(const char *buf, struct procfs_tree *t)
{
    uint64_t v = 0, iv = 0;
    if (procfs_field(buf, "voluntary_ctxt_switches:", &v) == 0)
        t->ctxsw_voluntary += v;
    if (procfs_field(buf, "nonvoluntary_ctxt_switches:", &iv) == 0)
        t->ctxsw_involuntary += iv;
}

#define PROCFS_THREADS_FULL_MAX 512 /* more threads: read a spread subset */
#define PROCFS_THREADS_SUBSET 256

/* The first field of a schedstat file: nanoseconds on CPU. */
static int sched_ns(const char *path, uint64_t *ns)
{
    char buf[128];
    if (procfs_read(path, buf, sizeof buf) <= 0)
        return -ESRCH;
    *ns = strtoull(buf, NULL, 10);
    return 0;
}

/* What the walk over a process's threads found (before scaling). */
struct thread_sums {
    struct procfs_tree ctx;   /* context switches */
    uint64_t listed, ctx_n;   /* threads listed, status files read */
    uint64_t sched_ns, sched_n;
};

/* Reads the status (PROCFS_CTXSW) and schedstat (PROCFS_SCHED) of every
 * step-th thread of pid into s. */
static void thread_walk(pid_t pid, uint64_t step, unsigned what, struct thread_sums *s)
{
    char path[64], buf[4096];
    struct dirent *de;
    DIR *d;
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    d = opendir(path);
    if (!d)
        return;
    while ((de = readdir(d)) != NULL) {
        char tpath[300];
        uint64_t ns;
        if (de->d_name[0] < '0' || de->d_name[0] > '9' || s->listed++ % step != 0)
            continue;
        snprintf(tpath, sizeof tpath, "/proc/%d/task/%s/status", (int)pid, de->d_name);
        if ((what & PROCFS_CTXSW) && procfs_read(tpath, buf, sizeof buf) >= 0) {
            add_ctxsw(buf, &s->ctx);
            s->ctx_n++;
        }
        snprintf(tpath, sizeof tpath, "/proc/%d/task/%s/schedstat", (int)pid, de->d_name);
        if ((what & PROCFS_SCHED) && sched_ns(tpath, &ns) == 0) {
            s->sched_ns += ns;
            s->sched_n++;
        }
    }
    closedir(d);
}

/* Context switches (PROCFS_CTXSW: the process status shows only the main
 * thread's) and time on CPU (PROCFS_SCHED) of the threads of pid: all of
 * them, or every step-th of a process with more than 512 threads, scaled (one
 * file per thread costs ~15 us). *sched_s < 0 when no schedstat was read. */
static void threads_read(pid_t pid, uint64_t threads, unsigned what, struct procfs_tree *t,
                         double *sched_s)
{
    uint64_t step = threads > PROCFS_THREADS_FULL_MAX ? threads / PROCFS_THREADS_SUBSET : 1;
    struct thread_sums s;
    memset(&s, 0, sizeof s);
    *sched_s = -1;
    thread_walk(pid, step, what, &s);
    if (s.ctx_n > 0) /* scaled to all when read from a subset */
        t->ctxsw_voluntary += step > 1 ? s.ctx.ctxsw_voluntary * s.listed / s.ctx_n
                                       : s.ctx.ctxsw_voluntary;
    if (s.ctx_n > 0)
        t->ctxsw_involuntary += step > 1 ? s.ctx.ctxsw_involuntary * s.listed / s.ctx_n
                                         : s.ctx.ctxsw_involuntary;
    if (s.sched_n > 0)
        *sched_s = (double)s.sched_ns / 1e9 *
                   (step > 1 ? (double)s.listed / (double)s.sched_n : 1.0);
    if (step > 1 && (s.ctx_n > 0 || s.sched_n > 0))
        t->sampled = true;
}

static int status_read(pid_t pid, unsigned what, struct procfs_tree *t, uint64_t *rss,
                       uint64_t *threads_out)
{
    char path[64], buf[4096];
    uint64_t v = 0, threads = 1;
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    if (procfs_read(path, buf, sizeof buf) < 0)
        return -ESRCH;
    if (procfs_field(buf, "VmSize:", &v) == 0)
        t->vsz_bytes += v;
    if (procfs_field(buf, "VmPTE:", &v) == 0)
        t->page_tables_bytes += v;
    if (procfs_field(buf, "VmRSS:", &v) == 0)
        *rss = v;
    if (procfs_field(buf, "Threads:", &threads) == 0)
        t->threads += threads;
    if (!((what & PROCFS_CTXSW) && threads > 1))
        add_ctxsw(buf, t); /* else from every thread (threads_read) */
    *threads_out = threads;
    return 0;
}

/* The threads' context switches and time on CPU (see threads_read); a
 * single-threaded process's schedstat is its own. */
static void cpu_read(pid_t pid, uint64_t threads, unsigned what, const uint64_t ticks[4],
                     double tick_s, struct procfs_tree *t)
{
    char path[64];
    double sched_s = -1;
    uint64_t ns;
    if (threads > 1 && (what & (PROCFS_CTXSW | PROCFS_SCHED))) {
        threads_read(pid, threads, what, t, &sched_s);
    } else if (what & PROCFS_SCHED) {
        snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
        if (sched_ns(path, &ns) == 0)
            sched_s = (double)ns / 1e9;
    }
    if (!(what & PROCFS_SCHED))
        return;
    if (sched_s < 0) /* no schedstat here: the ticks */
        sched_s = (double)(ticks[0] + ticks[1]) * tick_s;
    t->sched_cpu_s += sched_s + (double)(ticks[2] + ticks[3]) * tick_s;
}

static void rollup_read(pid_t pid, struct procfs_tree *t, uint64_t rss_status)
{
    char path[64], buf[4096];
    uint64_t rss = rss_status, pss = rss_status;
    snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
    if (procfs_read(path, buf, sizeof buf) >= 0) {
        procfs_field(buf, "Rss:", &rss);
        procfs_field(buf, "Pss:", &pss);
    }
    t->rss_bytes += rss;
    t->pss_bytes += pss;
}

static int process_read(pid_t pid, unsigned what, struct procfs_tree *t, double tick_s)
{
    uint64_t ticks[4] = {0}, rss = 0, threads = 1;
    if (stat_times(pid, ticks) < 0 || status_read(pid, what, t, &rss, &threads) < 0)
        return -ESRCH;
    cpu_read(pid, threads, what, ticks, tick_s, t);
    t->utime_s += (double)(ticks[0] + ticks[2]) * tick_s;
    t->stime_s += (double)(ticks[1] + ticks[3]) * tick_s;
    if (what & PROCFS_PSS) {
        rollup_read(pid, t, rss);
    } else {
        t->rss_bytes += rss;
        t->pss_bytes += rss;
    }
    t->processes++;
    return 0;
}

int procfs_tree_read(const pid_t *pids, size_t n, unsigned what, struct procfs_tree *t)
{
    return procfs_tree_read_sampled(pids, n, what, n, t);
}

static void scale_add(struct procfs_tree *t, const struct procfs_tree *o, double f)
{
    t->rss_bytes += (uint64_t)((double)o->rss_bytes * f + 0.5);
    t->pss_bytes += (uint64_t)((double)o->pss_bytes * f + 0.5);
    t->vsz_bytes += (uint64_t)((double)o->vsz_bytes * f + 0.5);
    t->page_tables_bytes += (uint64_t)((double)o->page_tables_bytes * f + 0.5);
    t->threads += (uint64_t)((double)o->threads * f + 0.5);
    t->utime_s += o->utime_s * f;
    t->stime_s += o->stime_s * f;
    t->sched_cpu_s += o->sched_cpu_s * f;
    t->ctxsw_voluntary += (uint64_t)((double)o->ctxsw_voluntary * f + 0.5);
    t->ctxsw_involuntary += (uint64_t)((double)o->ctxsw_involuntary * f + 0.5);
    t->missed += o->missed;
}

int procfs_tree_read_sampled(const pid_t *pids, size_t n, unsigned what, size_t max,
                             struct procfs_tree *t)
{
    double tick_s = 1.0 / (double)sysconf(_SC_CLK_TCK);
    struct procfs_tree o;
    size_t i, step, others = n > 1 ? n - 1 : 0;
    memset(t, 0, sizeof *t);
    memset(&o, 0, sizeof o);
    if (n == 0 || process_read(pids[0], what, t, tick_s) < 0)
        return -ESRCH;
    if (max < 2)
        max = 2;
    step = others > max - 1 ? (others + max - 2) / (max - 1) : 1;
    for (i = 1; i < n; i += step)
        if (process_read(pids[i], what, &o, tick_s) < 0)
            o.missed++;
    if (o.processes > 0)
        scale_add(t, &o, (double)(others - o.missed * (step == 1)) / (double)o.processes);
    t->processes = 1 + (step == 1 ? o.processes : others);
    t->sampled |= step > 1 || o.sampled;
    return 0;
}
