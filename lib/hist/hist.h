/* hist: a log-linear latency histogram laid out like HdrHistogram (same bucket
 * arithmetic, same .hgrm text), written for c10k. Record is O(1): a clz, a shift
 * and an increment. No sample is ever dropped: values above the highest
 * trackable value are clamped to it and counted in `clamped` (negative values
 * are recorded as 0 and counted too). One histogram per thread, merged with
 * hist_add; nothing here locks. */
#ifndef C10K_HIST_H
#define C10K_HIST_H

#include <stdint.h>
#include <stdio.h>

struct hist {
    int64_t lowest;     /* lowest discernible value (>= 1) */
    int64_t highest;    /* highest trackable value */
    int sigfigs;        /* significant decimal digits, 1..5 */
    int unit_magnitude; /* floor(log2(lowest)) */
    int sub_bucket_half_count_magnitude;
    int32_t sub_bucket_count; /* 2^(half_count_magnitude + 1) */
    int32_t sub_bucket_half_count;
    int64_t sub_bucket_mask;
    int32_t bucket_count;
    int32_t counts_len;
    int64_t total_count;
    int64_t clamped;   /* samples outside [0, highest], recorded clamped */
    int64_t min_value; /* raw recorded extremes (INT64_MAX / 0 when empty) */
    int64_t max_value;
    int64_t *counts;
};

/* The lab's latency histogram: 1 us .. 100 s in microseconds, 3 digits. */
#define HIST_LAB_LOWEST_US 1
#define HIST_LAB_HIGHEST_US 100000000
#define HIST_LAB_SIGFIGS 3

/* 0, -EINVAL (lowest < 1, highest < 2 * lowest, sigfigs outside 1..5) or
 * -ENOMEM. On failure *h is left closed (safe to hist_close). */
int hist_init(struct hist *h, int64_t lowest, int64_t highest, int sigfigs);
/* hist_init with the lab's range. */
int hist_init_lab(struct hist *h);
void hist_close(struct hist *h);
/* Forgets every sample; keeps the layout. */
void hist_reset(struct hist *h);

/* Records one value (or n equal values). Never fails. */
void hist_record(struct hist *h, int64_t value);
void hist_record_n(struct hist *h, int64_t value, int64_t n);

/* Adds every sample of src into dst (the layouts may differ: src values are
 * re-recorded). Returns 0, or -EINVAL when dst or src is not initialised. */
int hist_add(struct hist *dst, const struct hist *src);

/* Value at percentile p (0..100): the highest value equivalent to the sample
 * of that rank, like hdr_value_at_percentile. 0 when empty. */
int64_t hist_percentile(const struct hist *h, double p);
/* Mean and standard deviation from the bucket midpoints (HdrHistogram's). */
double hist_mean(const struct hist *h);
double hist_stdev(const struct hist *h);
/* Extremes as HdrHistogram reports them (lowest / highest equivalent value of
 * the raw min / max); 0 when empty. */
int64_t hist_min(const struct hist *h);
int64_t hist_max(const struct hist *h);

/* The lowest value counted at counts[i] (HdrHistogram's index order). */
int64_t hist_value_at_index(const struct hist *h, int32_t i);

/* Equivalence helpers (values that share a bucket). */
int64_t hist_lowest_equivalent(const struct hist *h, int64_t value);
int64_t hist_highest_equivalent(const struct hist *h, int64_t value);

/* Writes the HdrHistogram percentile distribution (classic .hgrm layout:
 * "Value Percentile TotalCount 1/(1-Percentile)", then the #[Mean ...],
 * #[Max ...], #[Buckets ...] footer). Values are divided by value_scale
 * (1.0 for a histogram already in the unit you want). ticks_per_half is the
 * number of lines per halving of the remaining distance to 100% (5 is what
 * HdrHistogram tools use). Returns 0 or -EIO. */
int hist_write_hgrm(const struct hist *h, FILE *f, int ticks_per_half, double value_scale);

#endif
