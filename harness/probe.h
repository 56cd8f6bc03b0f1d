/* hn probe: the sampling thread over a server's process tree and the
 * system, and its sample layout (probe.c). Prefix hn_. */
#ifndef C10K_HN_PROBE_H
#define C10K_HN_PROBE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum hn_sf {
    HN_SF_T, HN_SF_RSS, HN_SF_PSS, HN_SF_VSZ, HN_SF_PTE, HN_SF_THREADS, HN_SF_PROCS,
    HN_SF_UTIME, HN_SF_STIME, HN_SF_CSW_VOL, HN_SF_CSW_INVOL,
    HN_SF_SYS_KSTACK, HN_SF_SYS_PTE, HN_SF_SYS_SLAB, HN_SF_SYS_AVAIL,
    HN_SF_SYS_TCP, HN_SF_SYS_TCPMEM,
    HN_SF_SCHED_CPU, /* added: time on CPU from schedstat (ns resolution), a tree field */
    HN_SF_COUNT
};
extern const char *const hn_sf_names[HN_SF_COUNT];

struct hn_sample {
    double v[HN_SF_COUNT];
};

json_t *hn_sample_json(const struct hn_sample *s);

struct hn_probe;
/* Starts the probe thread sampling root's tree every interval_ns (adapting to
 * keep its own CPU under 1% of a core); times are seconds since t0_ns. */
int hn_probe_start(struct hn_probe **out, pid_t root, uint64_t t0_ns, uint64_t interval_ns);
/* Pins the probe thread to cpus ("1", "0-1"), off the server's CPUs. */
int hn_probe_pin(struct hn_probe *p, const char *cpus);
/* Takes one heavy sample (tree + system) now; waits for it (at most 30 s). */
int hn_probe_kick(struct hn_probe *p);
/* Stops and joins the thread; the samples stay readable until _free. */
void hn_probe_stop(struct hn_probe *p);
size_t hn_probe_samples(const struct hn_probe *p, const struct hn_sample **s);
double hn_probe_cpu_fraction(const struct hn_probe *p);
/* Whether some tree sample was estimated from a subset of >512 processes. */
bool hn_probe_sampled(const struct hn_probe *p);
/* Samples of the whole tree (the others hold only the system figures). */
size_t hn_probe_heavy_samples(const struct hn_probe *p);
uint64_t hn_probe_max_interval_ns(const struct hn_probe *p);
unsigned hn_probe_misses(const struct hn_probe *p);
/* The last pids seen in the tree (for cleaning up leftovers). */
size_t hn_probe_last_pids(const struct hn_probe *p, pid_t *pids, size_t cap);
void hn_probe_free(struct hn_probe *p);
/* A stopped probe as JSON (samples as arrays in hn_sf order, its CPU and
 * counters), for `c10k probe` on a server's host; and back into a stopped
 * probe here (without pids: a remote host's are never signalled here). */
json_t *hn_probe_export(const struct hn_probe *p);
/* Copies samples from index `from` on (at most cap) while it runs; the count. */
size_t hn_probe_copy(struct hn_probe *p, size_t from, struct hn_sample *out, size_t cap);
int hn_probe_import(struct hn_probe **out, const json_t *j);

#endif
