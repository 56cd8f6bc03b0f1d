/* rp load: reads DIR/manifest.json and every DIR/points/<id>.json into an
 * rp_run (the points in manifest order, the scenarios and models listed once).
 * Try: c10k report /tmp/repb-small */
#include "rp.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *rp_str(const json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

static long rp_long(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? (long)json_number_value(v) : 0;
}

static void rp_add_unique(const char **arr, size_t *n, size_t cap, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(arr[i], s) == 0) return;
    if (*n < cap) arr[(*n)++] = s;
}

static void rp_collect_flags(struct rp_point *p)
{
    const json_t *trials = json_object_get(p->doc, "trials");
    size_t i, j;
    const json_t *t, *f;
    p->flags[0] = '\0';
    json_array_foreach(trials, i, t)
    {
        json_array_foreach(json_object_get(t, "flags"), j, f)
        {
            const char *s = json_string_value(f);
            size_t len = strlen(p->flags);
            if (!s || strstr(p->flags, s)) continue;
            snprintf(p->flags + len, sizeof p->flags - len, "%s%s", len ? ", " : "", s);
        }
    }
}

static void rp_load_point(struct rp_run *run, struct rp_point *p, const json_t *mp)
{
    char path[4096];
    const char *file = rp_str(mp, "file", NULL);
    p->id = rp_str(mp, "id", "?");
    p->model = rp_str(mp, "model", "?");
    p->scenario = rp_str(mp, "scenario", "?");
    p->path = rp_str(mp, "path", "");
    p->status = rp_str(mp, "status", "pending");
    p->reason = rp_str(mp, "reason", NULL);
    p->connections = rp_long(mp, "connections");
    p->rate = rp_long(mp, "rate");
    if (!file) return;
    snprintf(path, sizeof path, "%s/%s", run->dir, file);
    p->doc = json_load_file(path, 0, NULL);
    if (!p->doc) return;
    p->median = json_object_get(json_object_get(p->doc, "summary"), "median");
    if (!json_is_object(p->median)) p->median = NULL;
    if (!p->reason) p->reason = rp_str(p->doc, "reason", NULL);
    rp_collect_flags(p);
}

int rp_load(struct rp_run *run, const char *dir, char *err, size_t errcap)
{
    char path[4096];
    json_error_t jerr;
    const json_t *pts, *mp;
    size_t i;

    memset(run, 0, sizeof *run);
    run->dir = dir;
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    run->manifest = json_load_file(path, 0, &jerr);
    if (!run->manifest) {
        snprintf(err, errcap, "%s: %s", path, jerr.text);
        goto fail;
    }
    pts = json_object_get(run->manifest, "points");
    if (strcmp(rp_str(run->manifest, "schema", ""), "c10k-manifest/1") != 0 ||
        !json_is_array(pts)) {
        snprintf(err, errcap, "%s: not a c10k-manifest/1 with a points array", path);
        goto fail;
    }
    run->env = json_object_get(run->manifest, "env");
    run->config = json_object_get(run->manifest, "config");
    run->n = json_array_size(pts);
    run->pts = calloc(run->n ? run->n : 1, sizeof *run->pts);
    if (!run->pts) {
        snprintf(err, errcap, "out of memory");
        goto fail;
    }
    json_array_foreach(pts, i, mp)
    {
        rp_load_point(run, &run->pts[i], mp);
        rp_add_unique(run->scenarios, &run->n_scen, 16, run->pts[i].scenario);
        rp_add_unique(run->models, &run->n_models, 32, run->pts[i].model);
    }
    return 0;
fail:
    rp_free(run);
    return -EINVAL;
}

void rp_free(struct rp_run *run)
{
    for (size_t i = 0; i < run->n; i++)
        json_decref(run->pts[i].doc);
    free(run->pts);
    json_decref(run->manifest);
    memset(run, 0, sizeof *run);
}

double rp_metric(const struct rp_point *p, const char *name)
{
    const json_t *v = p ? json_object_get(p->median, name) : NULL;
    return json_is_number(v) ? json_number_value(v) : NAN;
}

int rp_has_data(const struct rp_point *p)
{
    return p && p->median && isfinite(rp_metric(p, "throughput_rps"));
}

const struct rp_point *rp_find(const struct rp_run *run, const char *model, long conns,
                               const char *scenario)
{
    for (size_t i = 0; i < run->n; i++) {
        const struct rp_point *p = &run->pts[i];
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
