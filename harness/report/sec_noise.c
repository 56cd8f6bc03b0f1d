/* report/sec_noise: how much the figures can be trusted: the machine's noise
 * measured before the run (manifest "calibration"), each point's spread over
 * its trials (summary.cv_pct, min..max) and the points that stayed noisy after
 * the adaptive trials. Try: c10k report DIR */
#include "rp.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

double rp_cv(const struct res_point *p, const char *metric)
{
    const json_t *s = p && p->doc ? json_object_get(p->doc, "summary") : NULL;
    const json_t *v = json_object_get(json_object_get(s, "cv_pct"), metric);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* "48,088 ±3%" (the CV over the trials), or the figure alone. */
const char *rp_fmt_spread(char *buf, size_t cap, const struct res_point *p, const char *metric,
                          int decimals)
{
    char num[64];
    double cv = rp_cv(p, metric);
    rp_fmt_num(num, sizeof num, rp_metric(p, metric), decimals);
    if (isfinite(cv) && isfinite(rp_metric(p, metric)))
        snprintf(buf, cap, "%s ±%.*f%%", num, cv < 10 ? 1 : 0, cv);
    else
        snprintf(buf, cap, "%s", num);
    return buf;
}

const char *rp_with_spread(char *buf, size_t cap, const struct res_point *p, const char *metric)
{
    double cv = rp_cv(p, metric), v = rp_metric(p, metric);
    size_t len = strlen(buf);
    if (isfinite(cv) && isfinite(v) && v != 0 && len + 8 < cap)
        snprintf(buf + len, cap - len, " ±%.0f%%", cv);
    return buf;
}

const char *rp_us_spread(char *buf, size_t cap, const struct res_point *p, const char *metric)
{
    rp_fmt_us(buf, cap, rp_metric(p, metric));
    return rp_with_spread(buf, cap, p, metric);
}

const char *rp_bytes_spread(char *buf, size_t cap, const struct res_point *p, const char *metric)
{
    rp_fmt_bytes(buf, cap, rp_metric(p, metric));
    return rp_with_spread(buf, cap, p, metric);
}

const char *rp_num_spread(char *buf, size_t cap, const struct res_point *p, const char *metric,
                          int decimals)
{
    rp_fmt_num(buf, cap, rp_metric(p, metric), decimals);
    return rp_with_spread(buf, cap, p, metric);
}

static bool rp_noisy(const struct res_point *p)
{
    const json_t *s = p && p->doc ? json_object_get(p->doc, "summary") : NULL;
    return json_is_true(json_object_get(s, "noisy"));
}

static void rp_calibration(struct rp_out *o, const struct rp_run *run)
{
    const json_t *c = json_object_get(run->manifest, "calibration");
    const json_t *cfg = run->config;
    double cap = json_number_value(json_object_get(cfg, "max_trials"));
    double target = json_number_value(json_object_get(cfg, "noise_cv_pct"));
    if (json_is_object(c))
        rp_p(o,
             "The machine before the run: the same CPU work (%.1f ms) varied by %.1f%% "
             "(coefficient of variation over %.0f runs, slowest / fastest %.1fx); a 1 ms sleep "
             "woke %.0f µs late (median; at worst %.0f µs); load average %.2f. A figure cannot "
             "repeat better than its machine: read the spreads below against these.",
             json_number_value(json_object_get(c, "spin_ms_median")),
             json_number_value(json_object_get(c, "spin_cv_pct")),
             json_number_value(json_object_get(c, "spin_runs")),
             json_number_value(json_object_get(c, "spin_max_over_min")),
             json_number_value(json_object_get(c, "sleep_1ms_late_us_p50")),
             json_number_value(json_object_get(c, "sleep_1ms_late_us_max")),
             json_number_value(json_object_get(c, "loadavg_1m")));
    else
        rp_p(o, "This run has no calibration of the machine's noise (made before that was "
                "recorded).");
    if (cap > 0 && target > 0)
        rp_p(o,
             "Trials adapt: a point whose throughput varied by more than %.0f%% (coefficient "
             "of variation over its trials) got more trials, up to %.0f.",
             target, cap);
}

void rp_sec_noise(struct rp_out *o, const struct rp_run *run)
{
    static const char *const hdr[] = {"point", "trials", "throughput median", "min .. max", "CV"};
    size_t noisy = 0, measured = 0;
    rp_h(o, 2, "Noise");
    rp_calibration(o, run);
    for (size_t i = 0; i < run->n; i++) {
        measured += isfinite(rp_cv(&run->pts[i], RES_NAME(RPS)));
        noisy += rp_noisy(&run->pts[i]);
    }
    if (!noisy) {
        rp_p(o,
             "No point stayed noisy: of %zu points with two trials or more, every "
             "throughput varied by at most the target over its trials.",
             measured);
        return;
    }
    rp_p(o,
         "%zu of %zu points stayed noisy (their throughput varied by more than the target "
         "even after the extra trials): read their figures as rough.",
         noisy, measured);
    rp_table(o, 5, hdr);
    for (size_t i = 0; i < run->n; i++) {
        const struct res_point *p = &run->pts[i];
        const json_t *s = p->doc ? json_object_get(p->doc, "summary") : NULL;
        char c[5][64], a[28], b[28];
        if (!rp_noisy(p)) continue;
        snprintf(c[0], 64, "%s", p->id);
        snprintf(c[1], 64, "%lld", (long long)json_integer_value(json_object_get(s, "trials")));
        rp_fmt_num(c[2], 64, rp_metric(p, RES_NAME(RPS)), 0);
        rp_fmt_num(a, sizeof a,
                   json_number_value(json_object_get(json_object_get(s, "min"), RES_NAME(RPS))), 0);
        rp_fmt_num(b, sizeof b,
                   json_number_value(json_object_get(json_object_get(s, "max"), RES_NAME(RPS))), 0);
        snprintf(c[3], 64, "%s .. %s", a, b);
        snprintf(c[4], 64, "%.0f%%", rp_cv(p, RES_NAME(RPS)));
        rp_row(o, 5, c);
    }
    rp_table_end(o);
}
