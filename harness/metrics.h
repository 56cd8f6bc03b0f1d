/* hn metrics: a trial's metrics (the table is results/metric.h) from the
 * load JSON and the probe's samples, and its validity flags (metrics.c). Prefix hn_. */
#ifndef C10K_HN_METRICS_H
#define C10K_HN_METRICS_H

#include "probe.h"
#include "results/metric.h"
#include <jansson.h>
#include <stdint.h>

#define HN_BOOKS_PARTS 7 /* user kernel_stack page_tables slab sock other total */

struct hn_window {
    double start_s, end_s;     /* measured window, seconds since server start */
};

/* Median of each field over the samples with t in [from_s, to_s], NANs left
 * out; *count gets the number of tree (heavy) samples among them. */
void hn_samples_median(const struct hn_sample *s, size_t n, double from_s, double to_s,
                       struct hn_sample *out, size_t *count);
void hn_samples_peak(const struct hn_sample *s, size_t n, struct hn_sample *out);
/* Fills m[RES_M_COUNT] (NAN = missing) from the load JSON and the samples. */
void hn_metrics_compute(const json_t *load, const struct hn_sample *idle,
                        const struct hn_sample *loaded, const struct hn_sample *s, size_t n,
                        const struct hn_window *w, double *m);
/* Kernel stack of one thread (THREAD_SIZE on x86_64 and arm64). */
#define HN_KSTACK_PER_THREAD_BYTES 16384.0
/* The page-fragment page a task keeps once it has sent on TCP (current->
 * task_frag, SKB_FRAG_PAGE_ORDER: 32 KiB): raw pages no cgroup and no
 * /proc/meminfo kind holds (docs/methodology.md, "Memory books"). */
#define HN_PAGE_FRAG_PER_TASK_BYTES 32768.0
/* Appends the validity flags of a trial to flags (a JSON array). */
void hn_flags_add(json_t *flags, const json_t *load, const double *m, uint64_t target,
                  uint64_t rate);
json_t *hn_metrics_json(const double *m);

#endif
