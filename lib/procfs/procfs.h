/* procfs: cheap /proc readers for the c10k probe: one open/read into the
 * caller's buffer per file, hand parsing, no stdio. A process tree (a pid and
 * all its descendants) is sampled as one sum; the system figures come from
 * /proc/meminfo and /proc/net/sockstat. Functions return 0 or -errno. */
#ifndef C10K_PROCFS_H
#define C10K_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Reads at most cap-1 bytes of path into buf and NUL-terminates it. Returns the
 * length read or -errno. */
ssize_t procfs_read(const char *path, char *buf, size_t cap);

/* Finds "key" at the start of a line in buf ("VmRSS:   123 kB") and stores the
 * number that follows; when the line ends in "kB" the number is multiplied by
 * 1024. Returns 0 or -ENOENT. */
int procfs_field(const char *buf, const char *key, uint64_t *out);

/* A process tree's figures, summed over every process and thread. */
struct procfs_tree {
    uint64_t rss_bytes, pss_bytes, vsz_bytes, page_tables_bytes;
    uint64_t threads, processes;
    double utime_s, stime_s;       /* live processes plus their reaped children (10 ms ticks) */
    double sched_cpu_s;            /* PROCFS_SCHED: ns-resolution time on CPU of the live
                                      threads (task/TID/schedstat) plus the reaped children's
                                      ticks; a process without schedstat adds its ticks */
    uint64_t ctxsw_voluntary, ctxsw_involuntary;
    unsigned missed;               /* processes that vanished while being read */
    bool sampled;                  /* estimated from a subset (procfs_tree_read_sampled) */
};

/* What to read (the costly parts can be left out). */
enum procfs_what {
    PROCFS_PSS = 1u << 0,          /* smaps_rollup (Rss, Pss); else RSS from status */
    PROCFS_CTXSW = 1u << 1,        /* task/TID/status of every thread (a spread subset of
                                      256, scaled, for a process of more than 512) */
    PROCFS_SCHED = 1u << 2,        /* task/TID/schedstat of the same threads: sched_cpu_s */
};

/* Lists root and all its descendants (through /proc/PID/task/TID/children, or
 * for a process of more than 64 threads a scan of /proc for its pid as ppid)
 * into pids[cap]; *n gets the count. -ESRCH when root is gone; -ENOSPC when
 * cap is too small (the first cap are kept). */
int procfs_tree_pids(pid_t root, pid_t *pids, size_t cap, size_t *n);

/* The same, descending only into root and every stride-th other process
 * listed (a tree of 10,000 prefork children: their own children are rare). */
int procfs_tree_pids_stride(pid_t root, pid_t *pids, size_t cap, size_t *n, size_t stride);

/* Sums the figures of pids[n] into t (zeroed first). -ESRCH when the root
 * (pids[0]) cannot be read. */
int procfs_tree_read(const pid_t *pids, size_t n, unsigned what, struct procfs_tree *t);
/* The same from root plus at most max-1 of the others spread evenly over the
 * list, their sums scaled to all n-1 (t->sampled set when it had to): a tree
 * sample of 10,000 processes costs ~1 s of CPU in full (smaps_rollup). */
int procfs_tree_read_sampled(const pid_t *pids, size_t n, unsigned what, size_t max,
                             struct procfs_tree *t);

/* System-wide memory and TCP figures. */
struct procfs_sys {
    uint64_t kernel_stack_bytes, page_tables_bytes, slab_bytes, mem_available_bytes;
    uint64_t tcp_sockets, tcp_mem_bytes;
};

int procfs_sys_read(struct procfs_sys *s);

#endif
