/* compare/render_text: the terminal table (--format text) and the pull-request
 * markdown table (--format md) of a comparison and its assertions.
 * Try: c10k compare --format md results/a results/b */
#include "cmp.h"

#include <errno.h>
#include <math.h>
#include <string.h>

struct tx {
    FILE *f;
    bool md;
    const struct cmp_report *r;
};

static const char *fmt_side(const struct cmp_row *row, const struct cmp_side *s, char *buf,
                            size_t cap)
{
    enum res_unit u = res_metrics[row->metric].unit;
    char m[32], lo[32], hi[32];
    if (s->n == 0) {
        snprintf(buf, cap, "- (0/%zu valid)", s->n_total);
        return buf;
    }
    snprintf(buf, cap, "%s [%s, %s]%s", cmp_fmt_value(u, s->median, m, sizeof m),
             cmp_fmt_value(u, s->ci_lo, lo, sizeof lo), cmp_fmt_value(u, s->ci_hi, hi, sizeof hi),
             s->ci_exact ? "" : "*");
    return buf;
}

static const char *fmt_p(const struct cmp_row *row, char *buf, size_t cap)
{
    if (isnan(row->p))
        snprintf(buf, cap, "-");
    else if (isnan(row->p_adj))
        snprintf(buf, cap, "%.2g", row->p);
    else
        snprintf(buf, cap, "%.2g (%.2g)", row->p, row->p_adj);
    return buf;
}

static const char *fmt_change(const struct cmp_row *row, char *buf, size_t cap)
{
    if (isnan(row->change_pct))
        snprintf(buf, cap, row->b.n && row->n.n ? "new" : "-");
    else
        snprintf(buf, cap, "%+.1f%%", row->change_pct);
    return buf;
}

static void row_out(const struct tx *x, const struct cmp_row *row)
{
    char b[96], n[96], c[32], p[48];
    const char *v = cmp_verdict_name(row->verdict);
    if (row->verdict == CMP_SAME && row->significant)
        v = "~ (within threshold)"; /* real, but smaller than the metric's threshold */
    fmt_side(row, &row->b, b, sizeof b);
    fmt_side(row, &row->n, n, sizeof n);
    fmt_change(row, c, sizeof c);
    fmt_p(row, p, sizeof p);
    if (x->md)
        fprintf(x->f, "| %s | %s | %s | %s | %s | %s | %s%s%s |\n", row->new->id,
                res_metrics[row->metric].name, b, n, c, p,
                row->verdict == CMP_REGRESSED ? "**" : "", v,
                row->verdict == CMP_REGRESSED ? "**" : "");
    else
        fprintf(x->f, "  %-18s %-30s %-30s %8s  %-16s %s\n", res_metrics[row->metric].name, b, n, c,
                p, v);
}

/* The one-line notes of a point: trial counts, too few trials, a changed path. */
static void point_notes(const struct tx *x, const struct cmp_row *first, size_t nrows)
{
    const struct cmp_config *cfg = x->r->cfg;
    const char *lead = x->md ? "" : "  ";
    const struct res_point *b = first->base, *n = first->new;
    if (x->md && (b->valid < b->trials || n->valid < n->trials))
        fprintf(x->f,
                "- %s: valid trials: base %zu/%zu, new %zu/%zu (flagged ones are not tested)\n",
                n->id, b->valid, b->trials, n->valid, n->trials);
    for (size_t i = 0; i < nrows; i++) {
        const struct cmp_row *row = &first[i];
        if (row->verdict != CMP_TOO_FEW) continue;
        fprintf(x->f, "%s%s%s: too few trials: n=%zu vs %zu, need >= %zu per side for alpha %g",
                lead, x->md ? "- " : "note ", row->new->id, row->b.n, row->n.n, row->need_per_side,
                cfg->alpha);
        if (x->r->t->family > 1) fprintf(x->f, " over %zu tests (Holm)", x->r->t->family);
        fprintf(x->f, "\n");
        break;
    }
    const char *pb = first->base->path, *pn = first->new->path;
    if (pb && pn && strcmp(pb, pn) != 0)
        fprintf(x->f, "%s%s%s: path differs: BASE %s, NEW %s\n", lead, x->md ? "- " : "note ",
                first->new->id, pb, pn);
}

static void rows_text(const struct tx *x)
{
    const struct cmp_table *t = x->r->t;
    for (size_t i = 0; i < t->nrows;) {
        size_t k = i;
        while (k < t->nrows && t->rows[k].new == t->rows[i].new)
            k++;
        fprintf(x->f, "\n%s   trials valid: base %zu/%zu, new %zu/%zu\n", t->rows[i].new->id,
                t->rows[i].base->valid, t->rows[i].base->trials, t->rows[i].new->valid,
                t->rows[i].new->trials);
        fprintf(x->f, "  %-18s %-30s %-30s %8s  %-16s %s\n", "metric", "base median [95% CI]",
                "new median [95% CI]", "change", "p (Holm)", "verdict");
        for (size_t j = i; j < k; j++)
            row_out(x, &t->rows[j]);
        point_notes(x, &t->rows[i], k - i);
        i = k;
    }
}

static void rows_md(const struct tx *x)
{
    const struct cmp_table *t = x->r->t;
    fprintf(x->f, "| point | metric | base median [95%% CI] | new median [95%% CI] | change | "
                  "p (Holm) | verdict |\n|---|---|--:|--:|--:|--:|---|\n");
    for (size_t i = 0; i < t->nrows; i++)
        row_out(x, &t->rows[i]);
    fprintf(x->f, "\n");
    for (size_t i = 0; i < t->nrows;) {
        size_t k = i;
        while (k < t->nrows && t->rows[k].new == t->rows[i].new)
            k++;
        point_notes(x, &t->rows[i], k - i);
        i = k;
    }
}

static void one_sided(const struct tx *x, const char *side, const struct res_point **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(x->f, "%sonly in %s: %s (%s)\n", x->md ? "- " : "", side, l[i]->id,
                l[i]->status ? l[i]->status : "?");
}

static void broken(const struct tx *x)
{
    const struct cmp_table *t = x->r->t;
    for (size_t i = 0; i < t->nbroke; i++)
        fprintf(x->f, "%sBROKEN in NEW (not in BASE): %s: %s\n", x->md ? "- **regression** " : "",
                t->broke[i]->id, t->broke[i]->reason ? t->broke[i]->reason : "no reason given");
    for (size_t i = 0; i < t->nfixed; i++)
        fprintf(x->f, "%sfixed in NEW (broken in BASE): %s\n", x->md ? "- " : "", t->fixed[i]->id);
}

static void header(const struct tx *x)
{
    const struct cmp_report *r = x->r;
    const struct cmp_table *t = r->t;
    const char *cb = r->base->commit, *cn = r->new->commit;
    if (x->md)
        fprintf(x->f, "### c10k compare: %s%zu regressed%s, %zu improved, %zu ~, %zu too few%s\n\n",
                t->regressed ? "**" : "", t->regressed, t->regressed ? "**" : "", t->improved,
                t->same, t->too_few, t->nbroke ? ", **a point broke**" : "");
    const char *q = x->md ? "`" : "";
    fprintf(x->f, "%sBASE %s%s%s%s%s%s vs NEW %s%s%s%s%s%s%s\n", x->md ? "" : "c10k compare: ", q,
            r->base->dir, q, cb ? " (" : "", cb ? cb : "", cb ? ")" : "", q, r->new->dir, q,
            cn ? " (" : "", cn ? cn : "", cn ? ")" : "", x->md ? "  " : "");
    fprintf(x->f,
            "alpha %g, two-sided Mann-Whitney U, Holm-Bonferroni over %zu tests; "
            "medians over %s trials; * = fewer than 6 samples: [min, max] shown, no CI\n",
            r->cfg->alpha, t->family, r->cfg->include_flagged ? "all" : "valid");
    if (x->md) fprintf(x->f, "\n");
}

static void assertions(const struct tx *x)
{
    const struct cmp_checks *cs = x->r->cs;
    fprintf(x->f, x->md ? "\n#### assertions on NEW\n\n" : "\nassertions on NEW:\n");
    for (size_t i = 0; i < cs->nas; i++) {
        const struct cmp_assert *a = &cs->as[i];
        size_t pass = 0, fail = 0;
        for (size_t k = 0; k < cs->nc; k++)
            if (cs->c[k].a == a) cs->c[k].pass ? pass++ : fail++;
        bool ok = fail == 0 && cs->matched[i];
        fprintf(x->f, "%s%s %s%s%s: %zu point%s passed%s\n", x->md ? "- " : "  ",
                ok ? "PASS" : "FAIL", x->md ? "`" : "", a->text, x->md ? "`" : "", pass,
                pass == 1 ? "" : "s", cs->matched[i] ? "" : ", but it matched no measured point");
        for (size_t k = 0; k < cs->nc; k++) {
            const struct cmp_check *c = &cs->c[k];
            char v[32];
            if (c->a != a || c->pass) continue;
            fprintf(x->f, "%s  %s: %s(%s) = %s over %zu trial%s\n", x->md ? "  - " : "    ",
                    c->pt->id, cmp_agg_name(a->agg), a->metric,
                    isnan(c->value)
                        ? "no data"
                        : cmp_fmt_value(cmp_metric_unit(a->metric), c->value, v, sizeof v),
                    c->n, c->n == 1 ? "" : "s");
        }
    }
}

int cmp_render_text(FILE *f, const struct cmp_report *r, bool markdown)
{
    struct tx x = {f, markdown, r};
    if (r->t) {
        header(&x);
        markdown ? rows_md(&x) : rows_text(&x);
        if (!markdown && (r->t->nonly_base || r->t->nonly_new || r->t->nbroke || r->t->nfixed))
            fprintf(f, "\n");
        broken(&x);
        one_sided(&x, "BASE", r->t->only_base, r->t->nonly_base);
        one_sided(&x, "NEW", r->t->only_new, r->t->nonly_new);
        if (!markdown)
            fprintf(f, "\n%zu regressed, %zu improved, %zu ~, %zu too few over %zu points%s\n",
                    r->t->regressed, r->t->improved, r->t->same, r->t->too_few, r->t->npoints,
                    r->t->nbroke ? "; a point broke in NEW" : "");
    }
    if (r->cs) assertions(&x);
    return ferror(f) ? -EIO : 0;
}
