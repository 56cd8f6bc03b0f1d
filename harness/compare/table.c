/* compare/table: pairs the points of two runs and, per metric, compares the
 * medians (95% CI), tests with Mann-Whitney U, corrects the whole table with
 * Holm and decides ~ / improved / regressed / too few. Try: c10k compare A B */
#include "cmp.h"

#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CMP_MAX_TRIALS 4096

const char *cmp_verdict_name(enum cmp_verdict v)
{
    static const char *const names[] = {"~", "improved", "regressed", "too few"};
    return names[v];
}

static bool measured(const struct res_point *p)
{
    return p->doc && p->trials > 0 && !res_status_unmeasured(p->status);
}

static void side_fill(struct cmp_side *s, double *v, size_t n, double conf)
{
    s->n = n;
    s->median = stats_median(v, n);
    s->ci_exact = n > 0 && stats_median_ci(v, n, conf, &s->ci_lo, &s->ci_hi) == 0;
    if (n == 0) s->ci_lo = s->ci_hi = NAN;
}

static double change_pct(double base, double nw)
{
    if (base == 0) return nw == 0 ? 0 : NAN;
    return (nw - base) / fabs(base) * 100;
}

/* One row: both sides' samples, medians, CIs, change and the raw p-value. */
static int row_fill(struct cmp_row *r, const struct cmp_config *cfg)
{
    static double a[CMP_MAX_TRIALS], b[CMP_MAX_TRIALS];
    const char *name = res_metrics[r->metric].name;
    bool valid_only = !cfg->include_flagged;
    size_t na = res_point_values(r->base, name, valid_only, a, CMP_MAX_TRIALS);
    size_t nb = res_point_values(r->new, name, valid_only, b, CMP_MAX_TRIALS);
    r->b.n_total = res_point_values(r->base, name, false, a + na, CMP_MAX_TRIALS - na);
    r->n.n_total = res_point_values(r->new, name, false, b + nb, CMP_MAX_TRIALS - nb);
    if (r->b.n_total == 0 && r->n.n_total == 0)
        return -ENODATA; /* the metric is not recorded in either run */
    r->p = na && nb ? stats_mwu_p(a, na, b, nb) : NAN;
    r->min_p = stats_mwu_min_p(na, nb);
    side_fill(&r->b, a, na, cfg->conf);
    side_fill(&r->n, b, nb, cfg->conf);
    r->change_pct = change_pct(r->b.median, r->n.median);
    r->p_adj = NAN;
    return 0;
}

static int add_pair(struct cmp_table *t, const struct res_point *bp, const struct res_point *np,
                    const struct cmp_config *cfg)
{
    struct cmp_row *rows = realloc(t->rows, (t->nrows + RES_M_COUNT) * sizeof *rows);
    if (!rows) return -ENOMEM;
    t->rows = rows;
    t->npoints++;
    for (int m = 0; m < RES_M_COUNT; m++) {
        if (!(res_metrics[m].threshold_pct > 0)) continue; /* not compared */
        struct cmp_row *r = &t->rows[t->nrows];
        *r = (struct cmp_row){.base = bp, .new = np, .metric = m};
        if (row_fill(r, cfg) == 0) t->nrows++;
    }
    return 0;
}

static int list_add(const struct res_point ***list, size_t *n, const struct res_point *p)
{
    const struct res_point **l = realloc(*list, (*n + 1) * sizeof *l);
    if (!l) return -ENOMEM;
    l[(*n)++] = p;
    *list = l;
    return 0;
}

static const struct res_point *find_same(const struct res_run *run, const struct res_point *p)
{
    for (size_t i = 0; i < run->n; i++)
        if (res_point_same(&run->pts[i], p)) return &run->pts[i];
    return NULL;
}

static int pair_points(struct cmp_table *t, const struct res_run *base, const struct res_run *nw,
                       const struct cmp_config *cfg)
{
    int rc = 0;
    for (size_t i = 0; i < base->n && rc == 0; i++) {
        const struct res_point *bp = &base->pts[i], *np = find_same(nw, bp);
        bool bb = res_status_is(bp->status, "broken"),
             nb = np && res_status_is(np->status, "broken");
        if (nb && !bb && (measured(bp) || bp->doc))
            rc = list_add(&t->broke, &t->nbroke, np);
        else if (bb && np && !nb && measured(np))
            rc = list_add(&t->fixed, &t->nfixed, np);
        if (rc < 0) break;
        if (np && measured(bp) && measured(np))
            rc = add_pair(t, bp, np, cfg);
        else if (measured(bp))
            rc = list_add(&t->only_base, &t->nonly_base, bp);
        else if (np && measured(np))
            rc = list_add(&t->only_new, &t->nonly_new, np);
    }
    for (size_t i = 0; i < nw->n && rc == 0; i++)
        if (!find_same(base, &nw->pts[i]) && measured(&nw->pts[i]))
            rc = list_add(&t->only_new, &t->nonly_new, &nw->pts[i]);
    return rc;
}

/* Holm over the rows the test can decide at all (min p <= alpha). */
static int correct(struct cmp_table *t, double alpha)
{
    double *p = malloc((t->nrows + 1) * sizeof *p);
    if (!p) return -ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < t->nrows; i++)
        if (!isnan(t->rows[i].p) && t->rows[i].min_p <= alpha) p[m++] = t->rows[i].p;
    stats_holm(p, m);
    t->family = m;
    m = 0;
    for (size_t i = 0; i < t->nrows; i++)
        if (!isnan(t->rows[i].p) && t->rows[i].min_p <= alpha) t->rows[i].p_adj = p[m++];
    free(p);
    return 0;
}

static size_t need_per_side(double alpha, size_t family)
{
    double tests = family ? (double)family : 1;
    size_t k = 1;
    while (k < 1000 && stats_mwu_min_p(k, k) * tests > alpha)
        k++;
    return k;
}

static bool beyond_threshold(const struct cmp_row *r, const struct cmp_config *cfg)
{
    double thr = cfg->threshold_pct[r->metric];
    bool pct = isnan(r->change_pct) || fabs(r->change_pct) >= thr;
    if (r->metric != RES_M_PC_TOTAL) return pct;
    /* memory: also enough bytes on the whole server to matter */
    double total = fabs(r->n.median - r->b.median) * (double)r->new->connections;
    return pct && total >= (double)cfg->mem_floor_bytes;
}

static void decide(struct cmp_table *t, struct cmp_row *r, const struct cmp_config *cfg)
{
    const struct res_metric *m = &res_metrics[r->metric];
    r->significant = !isnan(r->p_adj) && r->p_adj <= cfg->alpha;
    r->beyond = beyond_threshold(r, cfg);
    bool worse = m->better == RES_HIGHER ? r->n.median < r->b.median : r->n.median > r->b.median;
    double tests = t->family ? (double)t->family : 1;
    if (r->significant && r->beyond) {
        r->verdict = worse ? CMP_REGRESSED : CMP_IMPROVED;
    } else if (!r->significant && (isnan(r->p) || r->min_p * tests > cfg->alpha)) {
        r->verdict = CMP_TOO_FEW;
        r->need_per_side = need_per_side(cfg->alpha, t->family);
    } else {
        r->verdict = CMP_SAME;
    }
    t->regressed += r->verdict == CMP_REGRESSED;
    t->improved += r->verdict == CMP_IMPROVED;
    t->same += r->verdict == CMP_SAME;
    t->too_few += r->verdict == CMP_TOO_FEW;
}

int cmp_table_build(struct cmp_table *t, const struct res_run *base, const struct res_run *nw,
                    const struct cmp_config *cfg)
{
    *t = (struct cmp_table){0};
    int rc = pair_points(t, base, nw, cfg);
    if (rc == 0) rc = correct(t, cfg->alpha);
    if (rc < 0) goto fail;
    for (size_t i = 0; i < t->nrows; i++)
        decide(t, &t->rows[i], cfg);
    return 0;
fail:
    cmp_table_free(t);
    return rc;
}

void cmp_table_free(struct cmp_table *t)
{
    free(t->rows);
    free(t->only_base);
    free(t->only_new);
    free(t->broke);
    free(t->fixed);
    *t = (struct cmp_table){0};
}
