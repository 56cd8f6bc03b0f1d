/* res point: one point of a results folder as the readers see it: its
 * identity, which status wins (manifest entry or point file), trial validity,
 * flags, values and summary.  try: c10k compare --assert 'errors==0' DIR */
#include "res.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static long long jint(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? (long long)json_number_value(v) : -1;
}

/* The field from the point file, else from the manifest entry. */
static const char *field(const struct res_point *p, const char *key)
{
    const char *s = jstr(p->doc, key);
    return s ? s : jstr(p->entry, key);
}

static long long num_field(const struct res_point *p, const char *key)
{
    long long v = jint(p->doc, key);
    return v >= 0 ? v : jint(p->entry, key);
}

bool res_status_is(const char *status, const char *want)
{
    return status && strcmp(status, want) == 0;
}

bool res_status_unmeasured(const char *status)
{
    return res_status_is(status, "unavailable") || res_status_is(status, "unsupported") ||
           res_status_is(status, "pending");
}

void res_point_status(struct res_point *p)
{
    const char *st = jstr(p->entry, "status"), *fst = jstr(p->doc, "status");
    bool from_entry = st && !(res_status_is(st, "pending") && fst);
    const json_t *src = from_entry ? p->entry : p->doc, *other = from_entry ? p->doc : p->entry;
    p->status = from_entry ? st : fst ? fst : "pending";
    p->reason = jstr(src, "reason");
    if (!p->reason) p->reason = jstr(other, "reason");
}

bool res_trial_valid(const json_t *trial)
{
    const json_t *v = json_object_get(trial, "valid");
    if (json_is_boolean(v)) return json_is_true(v);
    return json_array_size(json_object_get(trial, "flags")) == 0;
}

static void flags_collect(struct res_point *p, const json_t *trials)
{
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

void res_point_refill(struct res_point *p)
{
    const json_t *trials = json_object_get(p->doc, "trials");
    p->id = field(p, "id");
    p->model = field(p, "model");
    p->scenario = field(p, "scenario");
    p->path = field(p, "path");
    p->connections = num_field(p, "connections");
    p->rate = num_field(p, "rate");
    res_point_status(p);
    p->trials = json_array_size(trials);
    p->valid = 0;
    for (size_t i = 0; i < p->trials; i++)
        p->valid += res_trial_valid(json_array_get(trials, i));
    flags_collect(p, trials);
}

const json_t *res_point_trial(const struct res_point *p)
{
    const json_t *trials = json_object_get(p ? p->doc : NULL, "trials");
    size_t i;
    json_t *t;
    json_array_foreach(trials, i, t)
    {
        if (res_trial_valid(t)) return t;
    }
    return json_array_get(trials, 0);
}

size_t res_point_values(const struct res_point *p, const char *metric, bool valid_only, double *out,
                        size_t cap)
{
    const json_t *trials = json_object_get(p->doc, "trials");
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(trials) && n < cap; i++) {
        const json_t *tr = json_array_get(trials, i);
        if (valid_only && !res_trial_valid(tr)) continue;
        const json_t *v = json_object_get(json_object_get(tr, "metrics"), metric);
        if (json_is_number(v) && isfinite(json_number_value(v))) out[n++] = json_number_value(v);
    }
    return n;
}

double res_point_summary(const struct res_point *p, const char *which, const char *metric)
{
    const json_t *sum = json_object_get(p ? p->doc : NULL, "summary");
    const json_t *v = json_object_get(json_object_get(sum, which), metric);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

bool res_point_same(const struct res_point *a, const struct res_point *b)
{
    return strcmp(a->model, b->model) == 0 && strcmp(a->scenario, b->scenario) == 0 &&
           a->connections == b->connections && a->rate == b->rate;
}
