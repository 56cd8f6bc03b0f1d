/* rp load: the run through results/res.h (manifest required) into an
 * rp_run (the points in manifest order, the scenarios and models listed once).
 * Try: c10k report /tmp/repb-small */
#include "rp.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void rp_add_unique(const char **arr, size_t *n, size_t cap, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(arr[i], s) == 0) return;
    if (*n < cap) arr[(*n)++] = s;
}

int rp_load(struct rp_run *run, const char *dir, char *err, size_t errcap)
{
    memset(run, 0, sizeof *run);
    if (res_run_load(&run->run, dir, RES_NEED_MANIFEST | RES_LENIENT, err, errcap) < 0)
        return -EINVAL;
    run->dir = run->run.dir;
    run->manifest = run->run.manifest;
    run->env = run->run.env;
    run->config = run->run.config;
    run->pts = run->run.pts;
    run->n = run->run.n;
    for (size_t i = 0; i < run->n; i++) {
        rp_add_unique(run->scenarios, &run->n_scen, 16, run->pts[i].scenario);
        rp_add_unique(run->models, &run->n_models, 32, run->pts[i].model);
    }
    return 0;
}

void rp_free(struct rp_run *run)
{
    res_run_free(&run->run);
    memset(run, 0, sizeof *run);
}

double rp_metric(const struct res_point *p, const char *name)
{
    return res_point_summary(p, "median", name);
}

int rp_has_data(const struct res_point *p)
{
    return p && isfinite(rp_metric(p, RES_NAME(RPS)));
}

const struct res_point *rp_find(const struct rp_run *run, const char *model, long conns,
                                const char *scenario)
{
    for (size_t i = 0; i < run->n; i++) {
        const struct res_point *p = &run->pts[i];
        if (strcmp(p->model, model) == 0 && p->connections == conns &&
            strcmp(p->scenario, scenario) == 0)
            return p;
    }
    return NULL;
}

const char *rp_scenario_path(const struct rp_run *run, const char *scenario)
{
    const char *s =
        json_string_value(json_object_get(json_object_get(run->config, "scenarios"), scenario));
    for (size_t i = 0; !s && i < run->n; i++)
        if (strcmp(run->pts[i].scenario, scenario) == 0) s = run->pts[i].path;
    return s ? s : "?";
}

long rp_scenario_rate(const struct rp_run *run, const char *scenario)
{
    const json_t *v = json_object_get(json_object_get(run->config, "scenario_rates"), scenario);
    if (json_is_number(v)) return (long)json_number_value(v);
    for (size_t i = 0; i < run->n; i++)
        if (strcmp(run->pts[i].scenario, scenario) == 0) return run->pts[i].rate;
    return 0;
}
