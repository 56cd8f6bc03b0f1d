/* hn point: one measured point (model x connections x rate x scenario): its
 * id, its status from its trials, its JSON (c10k-point/1), the summary of its
 * trials (reading it back is results/res.h).  try: tests/harness/test-store */
#include "config.h"
#include "results/metric.h"
#include "results/res.h"
#include "json.h"
#include "point.h"

#include <errno.h>
#include <math.h>
#include <stats.h>
#include <stdio.h>
#include <string.h>

void hn_point_init(struct hn_point *pt, const char *model, uint64_t conns, uint64_t rate,
                   const struct hn_scenario *sc)
{
    memset(pt, 0, sizeof *pt);
    snprintf(pt->model, sizeof pt->model, "%s", model);
    pt->conns = conns;
    pt->rate = rate;
    snprintf(pt->scenario, sizeof pt->scenario, "%s", sc->name);
    snprintf(pt->path, sizeof pt->path, "%s", sc->path);
    snprintf(pt->id, sizeof pt->id, "%s-c%llu-r%llu-%s", model, (unsigned long long)conns,
             (unsigned long long)rate, sc->name);
    snprintf(pt->status, sizeof pt->status, "pending");
}

void hn_point_finish(struct hn_point *pt)
{
    size_t i;
    json_t *t;
    bool all_valid = true;
    if (strcmp(pt->status, "pending") != 0)
        return;
    json_array_foreach(pt->trials, i, t) all_valid &= res_trial_valid(t);
    snprintf(pt->status, sizeof pt->status, "%s", all_valid ? "ok" : "flagged");
}

/* Median, min and max of every metric over the trials (the valid ones when
 * there are any). */
json_t *hn_point_summary(const json_t *trials)
{
    size_t n = json_array_size(trials), nv = 0, i, k;
    json_t *med = json_object(), *mn = json_object(), *mx = json_object(), *cv = json_object(), *t;
    double v[n ? n : 1];
    json_array_foreach(trials, i, t) nv += res_trial_valid(t);
    for (k = 0; k < RES_M_COUNT; k++) {
        size_t c = 0;
        json_array_foreach(trials, i, t) {
            double x = hn_jnum(json_object_get(t, "metrics"), res_metrics[k].name);
            if ((nv == 0 || res_trial_valid(t)) && isfinite(x))
                v[c++] = x;
        }
        json_object_set_new(cv, res_metrics[k].name, hn_jreal_or_null(100.0 * stats_cv(v, c)));
        json_object_set_new(med, res_metrics[k].name, hn_jreal_or_null(c ? stats_median(v, c) : NAN));
        json_object_set_new(mn, res_metrics[k].name, hn_jreal_or_null(c ? v[0] : NAN));
        json_object_set_new(mx, res_metrics[k].name, hn_jreal_or_null(c ? v[c - 1] : NAN));
    }
    double tcv = hn_jnum(cv, RES_NAME(RPS));
    return json_pack("{s:I, s:I, s:b, s:o, s:o, s:o, s:o, s:b}", "trials", (json_int_t)n,
                     "valid_trials", (json_int_t)nv, "over_valid_only", nv > 0, "median", med, "min",
                     mn, "max", mx, "cv_pct", cv, "noisy", isfinite(tcv) && tcv > HN_NOISE_CV_PCT);
}

json_t *hn_point_json(const struct hn_point *pt)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s}", "schema", "c10k-point/1",
                          "id", pt->id, "model", pt->model, "connections", (json_int_t)pt->conns,
                          "rate", (json_int_t)pt->rate, "scenario", pt->scenario, "path",
                          pt->path, "status", pt->status);
    json_object_set_new(j, "reason", pt->reason[0] ? json_string(pt->reason) : json_null());
    json_object_set_new(j, "trials", pt->trials ? json_incref(pt->trials) : json_array());
    json_object_set_new(j, "summary", hn_point_summary(json_object_get(j, "trials")));
    return j;
}
