/* hist: the log-linear histogram (HdrHistogram bucket arithmetic) and its
 * .hgrm writer. Try: meson test -C build --suite loadgen hist_percentiles. */
#include "hist.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int64_t buckets_needed(int64_t highest, int32_t sub_bucket_count, int unit_magnitude)
{
    int64_t smallest_untrackable = (int64_t)sub_bucket_count << unit_magnitude;
    int64_t n = 1;
    while (smallest_untrackable <= highest) {
        if (smallest_untrackable > INT64_MAX / 2) return n + 1;
        smallest_untrackable <<= 1;
        n++;
    }
    return n;
}

static int floor_log2(int64_t v)
{
    return 63 - __builtin_clzll((unsigned long long)v);
}

int hist_init(struct hist *h, int64_t lowest, int64_t highest, int sigfigs)
{
    memset(h, 0, sizeof(*h));
    if (lowest < 1 || highest < 2 * lowest || sigfigs < 1 || sigfigs > 5) return -EINVAL;
    int64_t single_unit = 2 * (int64_t)pow(10, sigfigs);
    int count_magnitude = (int)ceil(log2((double)single_unit));
    h->sub_bucket_half_count_magnitude = (count_magnitude > 1 ? count_magnitude : 1) - 1;
    h->unit_magnitude = floor_log2(lowest);
    if (h->unit_magnitude + h->sub_bucket_half_count_magnitude > 61) return -EINVAL;
    h->lowest = lowest;
    h->highest = highest;
    h->sigfigs = sigfigs;
    h->sub_bucket_count = 1 << (h->sub_bucket_half_count_magnitude + 1);
    h->sub_bucket_half_count = h->sub_bucket_count / 2;
    h->sub_bucket_mask = (int64_t)(h->sub_bucket_count - 1) << h->unit_magnitude;
    h->bucket_count = (int32_t)buckets_needed(highest, h->sub_bucket_count, h->unit_magnitude);
    h->counts_len = (h->bucket_count + 1) * h->sub_bucket_half_count;
    h->counts = calloc((size_t)h->counts_len, sizeof(*h->counts));
    if (!h->counts) {
        memset(h, 0, sizeof(*h));
        return -ENOMEM;
    }
    h->min_value = INT64_MAX;
    return 0;
}

int hist_init_lab(struct hist *h)
{
    return hist_init(h, HIST_LAB_LOWEST_US, HIST_LAB_HIGHEST_US, HIST_LAB_SIGFIGS);
}

void hist_close(struct hist *h)
{
    free(h->counts);
    memset(h, 0, sizeof(*h));
}

void hist_reset(struct hist *h)
{
    if (h->counts) memset(h->counts, 0, (size_t)h->counts_len * sizeof(*h->counts));
    h->total_count = 0;
    h->clamped = 0;
    h->min_value = INT64_MAX;
    h->max_value = 0;
}

static int bucket_index(const struct hist *h, int64_t v)
{
    int pow2ceiling = 64 - __builtin_clzll((unsigned long long)(v | h->sub_bucket_mask));
    return pow2ceiling - h->unit_magnitude - (h->sub_bucket_half_count_magnitude + 1);
}

static int32_t sub_bucket_index(const struct hist *h, int64_t v, int bucket)
{
    return (int32_t)(v >> (bucket + h->unit_magnitude));
}

static int32_t counts_index(const struct hist *h, int64_t v)
{
    int b = bucket_index(h, v);
    int32_t sb = sub_bucket_index(h, v, b);
    return ((b + 1) << h->sub_bucket_half_count_magnitude) + (sb - h->sub_bucket_half_count);
}

int64_t hist_value_at_index(const struct hist *h, int32_t i)
{
    int b = (i >> h->sub_bucket_half_count_magnitude) - 1;
    int32_t sb = (i & (h->sub_bucket_half_count - 1)) + h->sub_bucket_half_count;
    if (b < 0) {
        sb -= h->sub_bucket_half_count;
        b = 0;
    }
    return (int64_t)sb << (b + h->unit_magnitude);
}

static int64_t equivalent_range(const struct hist *h, int64_t v)
{
    int b = bucket_index(h, v);
    int32_t sb = sub_bucket_index(h, v, b);
    int adjusted = sb >= h->sub_bucket_count ? b + 1 : b;
    return (int64_t)1 << (h->unit_magnitude + adjusted);
}

int64_t hist_lowest_equivalent(const struct hist *h, int64_t v)
{
    int b = bucket_index(h, v);
    return (int64_t)sub_bucket_index(h, v, b) << (b + h->unit_magnitude);
}

int64_t hist_highest_equivalent(const struct hist *h, int64_t v)
{
    return hist_lowest_equivalent(h, v) + equivalent_range(h, v) - 1;
}

static int64_t median_equivalent(const struct hist *h, int64_t v)
{
    return hist_lowest_equivalent(h, v) + (equivalent_range(h, v) >> 1);
}

void hist_record_n(struct hist *h, int64_t v, int64_t n)
{
    if (v < 0 || v > h->highest) {
        v = v < 0 ? 0 : h->highest;
        h->clamped += n;
    }
    h->counts[counts_index(h, v)] += n;
    h->total_count += n;
    if (v < h->min_value) h->min_value = v;
    if (v > h->max_value) h->max_value = v;
}

void hist_record(struct hist *h, int64_t v)
{
    hist_record_n(h, v, 1);
}

static int same_layout(const struct hist *a, const struct hist *b)
{
    return a->lowest == b->lowest && a->highest == b->highest && a->sigfigs == b->sigfigs;
}

int hist_add(struct hist *dst, const struct hist *src)
{
    if (!dst->counts || !src->counts) return -EINVAL;
    if (src->total_count == 0) return 0;
    if (!same_layout(dst, src)) {
        for (int32_t i = 0; i < src->counts_len; i++)
            if (src->counts[i]) hist_record_n(dst, hist_value_at_index(src, i), src->counts[i]);
        dst->clamped += src->clamped;
        return 0;
    }
    for (int32_t i = 0; i < src->counts_len; i++)
        dst->counts[i] += src->counts[i];
    dst->total_count += src->total_count;
    dst->clamped += src->clamped;
    if (src->min_value < dst->min_value) dst->min_value = src->min_value;
    if (src->max_value > dst->max_value) dst->max_value = src->max_value;
    return 0;
}

int64_t hist_percentile(const struct hist *h, double p)
{
    if (h->total_count == 0) return 0;
    p = p < 0 ? 0 : p > 100 ? 100 : p;
    int64_t want = (int64_t)(p / 100.0 * (double)h->total_count + 0.5);
    if (want < 1) want = 1;
    int64_t seen = 0;
    for (int32_t i = 0; i < h->counts_len; i++) {
        seen += h->counts[i];
        if (seen >= want) return hist_highest_equivalent(h, hist_value_at_index(h, i));
    }
    return hist_max(h);
}

double hist_mean(const struct hist *h)
{
    if (h->total_count == 0) return 0;
    double sum = 0;
    for (int32_t i = 0; i < h->counts_len; i++)
        if (h->counts[i])
            sum += (double)h->counts[i] * (double)median_equivalent(h, hist_value_at_index(h, i));
    return sum / (double)h->total_count;
}

double hist_stdev(const struct hist *h)
{
    if (h->total_count == 0) return 0;
    double mean = hist_mean(h), sq = 0;
    for (int32_t i = 0; i < h->counts_len; i++) {
        if (!h->counts[i]) continue;
        double d = (double)median_equivalent(h, hist_value_at_index(h, i)) - mean;
        sq += d * d * (double)h->counts[i];
    }
    return sqrt(sq / (double)h->total_count);
}

int64_t hist_min(const struct hist *h)
{
    return h->total_count ? hist_lowest_equivalent(h, h->min_value) : 0;
}

int64_t hist_max(const struct hist *h)
{
    return h->total_count ? hist_highest_equivalent(h, h->max_value) : 0;
}

/* The next percentile line, as HdrHistogram's percentile iterator steps. */
static double next_tick(double pct, int ticks_per_half)
{
    int64_t halvings = (int64_t)(log(100.0 / (100.0 - pct)) / log(2)) + 1;
    double ticks = (double)ticks_per_half * pow(2, (double)halvings);
    return pct + 100.0 / ticks;
}

static int write_lines(const struct hist *h, FILE *f, int ticks_per_half, double scale)
{
    double pct = 0;
    int64_t cum = 0, last = 0;
    for (int32_t i = 0; i < h->counts_len && cum < h->total_count; i++) {
        if (!h->counts[i]) continue;
        cum += h->counts[i];
        last = hist_highest_equivalent(h, hist_value_at_index(h, i));
        double cur = 100.0 * (double)cum / (double)h->total_count;
        while (pct <= cur) {
            double q = pct / 100.0;
            fprintf(f, "%12.3f %2.12f %10lld %14.2f\n", (double)last / scale, q, (long long)cum,
                    1.0 / (1.0 - q));
            if (cum == h->total_count) break;
            pct = next_tick(pct, ticks_per_half);
        }
    }
    fprintf(f, "%12.3f %2.12f %10lld\n", (double)last / scale, 1.0, (long long)h->total_count);
    return 0;
}

int hist_write_hgrm(const struct hist *h, FILE *f, int ticks_per_half, double value_scale)
{
    if (ticks_per_half < 1 || !(value_scale > 0)) return -EINVAL;
    fprintf(f, "%12s %14s %10s %14s\n\n", "Value", "Percentile", "TotalCount", "1/(1-Percentile)");
    if (h->total_count) write_lines(h, f, ticks_per_half, value_scale);
    fprintf(f, "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n", hist_mean(h) / value_scale,
            hist_stdev(h) / value_scale);
    fprintf(f, "#[Max     = %12.3f, Total count    = %12lld]\n", (double)hist_max(h) / value_scale,
            (long long)h->total_count);
    fprintf(f, "#[Buckets = %12d, SubBuckets     = %12d]\n", h->bucket_count, h->sub_bucket_count);
    return ferror(f) ? -EIO : 0;
}
