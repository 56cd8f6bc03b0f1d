/* plot/load: reads a results folder (docs/results.md) for the charts:
 * manifest.json, the points/<id>.json it lists, the model and scenario order.
 * Try: c10k plot tests/data/results-small */
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void names_add(char (*names)[PL_NAME_CAP], size_t *n, const char *name)
{
    if (!name || *n >= PL_MAX_NAMES) return;
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(names[i], name)) return;
    snprintf(names[*n], PL_NAME_CAP, "%s", name);
    (*n)++;
}

static void point_fill(struct pl_point *p, const json_t *e, const char *dir)
{
    const char *file = jstr(e, "file");
    char path[4096];
    if (file) {
        snprintf(path, sizeof path, "%s/%s", dir, file);
        p->doc = json_load_file(path, 0, NULL);
    }
    const json_t *src = p->doc ? p->doc : e;
    p->id = jstr(src, "id");
    p->model = jstr(src, "model");
    p->scenario = jstr(src, "scenario");
    p->status = jstr(e, "status"); /* the manifest has the last word */
    if (!p->status) p->status = jstr(src, "status");
    p->reason = jstr(e, "reason");
    if (!p->reason) p->reason = jstr(src, "reason");
    p->conns = (long long)json_number_value(json_object_get(src, "connections"));
    p->rate = (long long)json_number_value(json_object_get(src, "rate"));
}

static void order_from_config(struct pl_set *s)
{
    const json_t *cfg = json_object_get(s->manifest, "config");
    size_t i;
    json_t *v;
    const char *k;
    json_array_foreach(json_object_get(cfg, "models"), i, v)
        names_add(s->models, &s->n_models, json_string_value(v));
    json_object_foreach(json_object_get(cfg, "scenarios"), k, v)
        names_add(s->scenarios, &s->n_scenarios, k);
    for (i = 0; i < s->n; i++) {
        names_add(s->models, &s->n_models, s->pts[i].model);
        names_add(s->scenarios, &s->n_scenarios, s->pts[i].scenario);
    }
}

int pl_set_load(struct pl_set *s, const char *dir, char *err, size_t cap)
{
    char path[4096];
    json_error_t jerr;
    memset(s, 0, sizeof *s);
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    s->manifest = json_load_file(path, 0, &jerr);
    if (!s->manifest) {
        bool missing = jerr.line < 0 && strstr(jerr.text, "No such file");
        snprintf(err, cap, "%s: %s", path, missing ? "missing" : jerr.text);
        return missing ? -ENOENT : -EINVAL;
    }
    const char *schema = jstr(s->manifest, "schema");
    const json_t *points = json_object_get(s->manifest, "points");
    if (!schema || strncmp(schema, "c10k-manifest/", 14) || !json_is_array(points)) {
        snprintf(err, cap, "%s: not a c10k-manifest/1 file (%s)", path,
                 !schema                  ? "no schema"
                 : !json_is_array(points) ? "no points array"
                                          : schema);
        pl_set_free(s);
        return -EINVAL;
    }
    s->pts = calloc(json_array_size(points) + 1, sizeof *s->pts);
    if (!s->pts) {
        pl_set_free(s);
        return -ENOMEM;
    }
    size_t i;
    json_t *e;
    json_array_foreach(points, i, e)
    {
        point_fill(&s->pts[s->n], e, dir);
        if (s->pts[s->n].id && s->pts[s->n].model && s->pts[s->n].scenario)
            s->n++;
        else
            json_decref(s->pts[s->n].doc);
    }
    order_from_config(s);
    return 0;
}

void pl_set_free(struct pl_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        json_decref(s->pts[i].doc);
    free(s->pts);
    json_decref(s->manifest);
    memset(s, 0, sizeof *s);
}

const struct pl_point *pl_find(const struct pl_set *s, const char *model, const char *scenario,
                               long long conns)
{
    for (size_t i = 0; i < s->n; i++) {
        const struct pl_point *p = &s->pts[i];
        if (p->conns == conns && !strcmp(p->model, model) && !strcmp(p->scenario, scenario))
            return p;
    }
    return NULL;
}

double pl_metric(const struct pl_point *p, const char *which, const char *metric)
{
    const json_t *sum = json_object_get(p ? p->doc : NULL, "summary");
    const json_t *v = json_object_get(json_object_get(sum, which), metric);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

const char *pl_status(const struct pl_point *p)
{
    if (!p || !p->status) return "not measured";
    if (!p->doc && (!strcmp(p->status, "ok") || !strcmp(p->status, "flagged")))
        return "point file missing or unreadable";
    return p->status;
}

bool pl_drawable(const struct pl_point *p)
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
            seen |= out[j] == s->pts[i].conns;
        if (!seen && n < cap) out[n++] = s->pts[i].conns;
    }
    qsort(out, n, sizeof *out, cmp_ll);
    return n;
}

/* The distinct flags of the point's trials, comma separated. */
static void flags_of(const struct pl_point *p, char *buf, size_t cap)
{
    size_t i, j;
    json_t *t, *f;
    buf[0] = '\0';
    json_array_foreach(json_object_get(p->doc, "trials"), i, t)
    {
        json_array_foreach(json_object_get(t, "flags"), j, f)
        {
            const char *name = json_string_value(f);
            if (!name || strstr(buf, name)) continue;
            size_t len = strlen(buf);
            snprintf(buf + len, cap - len, "%s%s", len ? "," : "", name);
        }
    }
}

void pl_mark_label(const struct pl_point *p, char *buf, size_t cap)
{
    char why[256];
    buf[0] = '\0';
    if (!p->status || !strcmp(p->status, "ok")) return;
    if (!strcmp(p->status, "flagged"))
        flags_of(p, why, sizeof why);
    else
        snprintf(why, sizeof why, "%s", p->reason ? p->reason : "no reason given");
    snprintf(buf, cap, "%s: %s (%s)", p->model, p->status, why);
}

const json_t *pl_trial(const struct pl_point *p)
{
    const json_t *trials = json_object_get(p ? p->doc : NULL, "trials");
    size_t i;
    json_t *t;
    json_array_foreach(trials, i, t)
    {
        if (json_is_true(json_object_get(t, "valid"))) return t;
    }
    return json_array_get(trials, 0);
}
