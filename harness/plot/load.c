/* plot/load: reads a results folder (docs/results.md) for the charts:
 * the run through results/res.h (manifest required), the model and scenario order.
 * Try: c10k plot tests/data/results-small */
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void names_add(char (*names)[PL_NAME_CAP], size_t *n, const char *name)
{
    if (!name || *n >= PL_MAX_NAMES) return;
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(names[i], name)) return;
    snprintf(names[*n], PL_NAME_CAP, "%s", name);
    (*n)++;
}

static void order_from_config(struct pl_set *s)
{
    size_t i;
    json_t *v;
    const char *k;
    json_array_foreach(json_object_get(s->run.config, "models"), i, v)
        names_add(s->models, &s->n_models, json_string_value(v));
    json_object_foreach(json_object_get(s->run.config, "scenarios"), k, v)
        names_add(s->scenarios, &s->n_scenarios, k);
    for (i = 0; i < s->n; i++) {
        names_add(s->models, &s->n_models, s->pts[i].model);
        names_add(s->scenarios, &s->n_scenarios, s->pts[i].scenario);
    }
}

int pl_set_load(struct pl_set *s, const char *dir, char *err, size_t cap)
{
    memset(s, 0, sizeof *s);
    int rc = res_run_load(&s->run, dir, RES_NEED_MANIFEST | RES_LENIENT, err, cap);
    if (rc < 0) return rc;
    s->dir = s->run.dir;
    s->pts = s->run.pts;
    s->n = s->run.n;
    order_from_config(s);
    return 0;
}

void pl_set_free(struct pl_set *s)
{
    res_run_free(&s->run);
    memset(s, 0, sizeof *s);
}

const struct res_point *pl_find(const struct pl_set *s, const char *model, const char *scenario,
                                long long conns)
{
    return res_find(&s->run, model, scenario, conns);
}

double pl_metric(const struct res_point *p, const char *which, const char *metric)
{
    return res_point_summary(p, which, metric);
}

const char *pl_status(const struct res_point *p)
{
    if (!p || !p->status) return "not measured";
    if (!p->doc && (!strcmp(p->status, "ok") || !strcmp(p->status, "flagged")))
        return "point file missing or unreadable";
    return p->status;
}

bool pl_drawable(const struct res_point *p)
{
    if (!p || !p->doc || !p->status) return false;
    return !strcmp(p->status, "ok") || !strcmp(p->status, "flagged") ||
           !strcmp(p->status, "broken");
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

size_t pl_conns(const struct pl_set *s, long long *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++) {
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            seen |= out[j] == s->pts[i].connections;
        if (!seen && n < cap) out[n++] = s->pts[i].connections;
    }
    qsort(out, n, sizeof *out, cmp_ll);
    return n;
}

size_t pl_model_points(const struct pl_set *s, const char *model, const char *scenario,
                       const struct res_point **out, size_t cap)
{
    long long conns[256];
    size_t nc = pl_conns(s, conns, 256), n = 0;
    for (size_t i = 0; i < nc && n < cap; i++) {
        const struct res_point *p = pl_find(s, model, scenario, conns[i]);
        if (p) out[n++] = p;
    }
    return n;
}

void pl_mark_label(const struct res_point *p, char *buf, size_t cap)
{
    char why[256];
    buf[0] = '\0';
    if (!p->status || !strcmp(p->status, "ok")) return;
    if (!strcmp(p->status, "flagged"))
        snprintf(why, sizeof why, "%s", p->flags);
    else
        snprintf(why, sizeof why, "%s", p->reason ? p->reason : "no reason given");
    snprintf(buf, cap, "%s: %s (%s)", p->model, p->status, why);
}

const json_t *pl_trial(const struct res_point *p)
{
    return res_point_trial(p);
}
