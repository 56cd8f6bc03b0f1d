/* compare/render_json: the machine-readable comparison ("c10k-compare/1",
 * documented in docs/compare.md). Try: c10k compare --format json A B | jq . */
#include "cmp.h"

#include <errno.h>
#include <math.h>

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *side_json(const struct cmp_side *s)
{
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:b}", "n", (json_int_t)s->n, "trials",
                     (json_int_t)s->n_total, "median", num(s->median), "ci_lo", num(s->ci_lo),
                     "ci_hi", num(s->ci_hi), "ci_exact", s->ci_exact);
}

static json_t *row_json(const struct cmp_row *r, const struct cmp_config *cfg)
{
    const struct res_point *p = r->new;
    json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s?, s:s?, s:s}", "point", p->id, "model",
                          p->model, "connections", (json_int_t)p->connections, "rate",
                          (json_int_t)p->rate, "scenario", p->scenario, "path_base", r->base->path,
                          "path_new", p->path, "metric", res_metrics[r->metric].name);
    if (!o) return NULL;
    json_object_set_new(o, "base", side_json(&r->b));
    json_object_set_new(o, "new", side_json(&r->n));
    json_object_set_new(o, "change_pct", num(r->change_pct));
    json_object_set_new(o, "threshold_pct", json_real(cfg->threshold_pct[r->metric]));
    json_object_set_new(o, "p", num(r->p));
    json_object_set_new(o, "p_holm", num(r->p_adj));
    json_object_set_new(o, "min_p", num(r->min_p));
    json_object_set_new(o, "significant", json_boolean(r->significant));
    json_object_set_new(o, "beyond_threshold", json_boolean(r->beyond));
    json_object_set_new(
        o, "verdict",
        json_string(r->verdict == CMP_TOO_FEW ? "too_few" : cmp_verdict_name(r->verdict)));
    if (r->verdict == CMP_TOO_FEW)
        json_object_set_new(o, "need_per_side", json_integer((json_int_t)r->need_per_side));
    return o;
}

static json_t *ids_json(const struct res_point **l, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s?}", "id", l[i]->id, "status", l[i]->status));
    return a;
}

static json_t *broken_json(const struct res_point **l, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s?}", "id", l[i]->id, "reason", l[i]->reason));
    return a;
}

static json_t *table_json(const struct cmp_table *t, const struct cmp_config *cfg)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < t->nrows; i++)
        json_array_append_new(rows, row_json(&t->rows[i], cfg));
    json_t *o =
        json_pack("{s:o, s:o, s:o, s:o, s:o}", "rows", rows, "only_base",
                  ids_json(t->only_base, t->nonly_base), "only_new",
                  ids_json(t->only_new, t->nonly_new), "broken_new",
                  broken_json(t->broke, t->nbroke), "fixed_new", broken_json(t->fixed, t->nfixed));
    json_object_set_new(o, "summary",
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "points",
                                  (json_int_t)t->npoints, "tests", (json_int_t)t->family,
                                  "regressed", (json_int_t)t->regressed, "improved",
                                  (json_int_t)t->improved, "same", (json_int_t)t->same, "too_few",
                                  (json_int_t)t->too_few, "broken", (json_int_t)t->nbroke));
    return o;
}

static json_t *checks_json(const struct cmp_checks *cs)
{
    json_t *a = json_array();
    for (size_t i = 0; i < cs->nas; i++) {
        const struct cmp_assert *as = &cs->as[i];
        json_t *pts = json_array();
        bool ok = cs->matched[i];
        for (size_t k = 0; k < cs->nc; k++) {
            const struct cmp_check *c = &cs->c[k];
            if (c->a != as) continue;
            ok = ok && c->pass;
            json_array_append_new(pts, json_pack("{s:s, s:o, s:I, s:b}", "point", c->pt->id,
                                                 "value", num(c->value), "trials", (json_int_t)c->n,
                                                 "pass", c->pass));
        }
        json_array_append_new(a, json_pack("{s:s, s:s?, s:s, s:s, s:s, s:f, s:b, s:o}", "expr",
                                           as->text, "scope", *as->scope ? as->scope : NULL,
                                           "metric", as->metric, "aggregate", cmp_agg_name(as->agg),
                                           "op", cmp_op_name(as->op), "value", as->value, "pass",
                                           ok, "points", pts));
    }
    return a;
}

int cmp_render_json(FILE *f, const struct cmp_report *r)
{
    json_t *o =
        json_pack("{s:s, s:s?, s:s, s:s?, s:s?, s:f, s:f, s:b, s:i}", "schema", "c10k-compare/1",
                  "base", r->base ? r->base->dir : NULL, "new", r->new->dir, "base_commit",
                  r->base ? r->base->commit : NULL, "new_commit", r->new->commit, "alpha",
                  r->cfg->alpha, "confidence", r->cfg->conf, "include_flagged",
                  r->cfg->include_flagged, "exit", r->exit_code);
    if (!o) return -ENOMEM;
    if (r->t) json_object_set_new(o, "compare", table_json(r->t, r->cfg));
    if (r->cs) json_object_set_new(o, "assertions", checks_json(r->cs));
    int rc = json_dumpf(o, f, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) < 0 ? -EIO : 0;
    fputc('\n', f);
    json_decref(o);
    return rc;
}
