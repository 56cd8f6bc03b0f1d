/* hist_json: the JSON summary of a histogram (c10k-load/1's latency objects).
 * Try: c10k-load --json - -d 1s http://127.0.0.1:8080/ | jq .latency_us */
#include "hist_json.h"

json_t *hist_json(const struct hist *h)
{
    return json_pack("{s:I,s:f,s:f,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "min",
                     (json_int_t)hist_min(h), "mean", hist_mean(h), "stdev", hist_stdev(h), "p50",
                     (json_int_t)hist_percentile(h, 50), "p90", (json_int_t)hist_percentile(h, 90),
                     "p99", (json_int_t)hist_percentile(h, 99), "p999",
                     (json_int_t)hist_percentile(h, 99.9), "p9999",
                     (json_int_t)hist_percentile(h, 99.99), "max", (json_int_t)hist_max(h), "count",
                     (json_int_t)h->total_count, "clamped", (json_int_t)h->clamped);
}
