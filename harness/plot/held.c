/* plot/held: connections held vs connections asked, per model, one chart per
 * scenario: where each model stops taking connections, with the cause (the
 * broken point's reason, its "limit: ..." part when the harness named one)
 * written at the break. Try: c10k plot DIR; see DIR/plots/held-max.png */
#include "plot.h"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define HELD_METRIC RES_NAME(HELD)

/* Held at a point: the median of the trials, else (a broken point has no
 * valid trial) its first trial's own figure. */
static double held_of(const struct res_point *p)
{
    double v = pl_metric(p, "median", HELD_METRIC);
    if (isfinite(v)) return v;
    const json_t *m = json_object_get(pl_trial(p), "metrics");
    const json_t *x = json_object_get(m, HELD_METRIC);
    if (!json_is_number(x)) x = json_object_get(m, RES_NAME(ESTABLISHED));
    return json_is_number(x) ? json_number_value(x) : NAN;
}

static int write_rows(const struct pl_set *s, const char *sc, const char *model,
                      const char *out_dir, const char *stem)
{
    const struct res_point *pts[256];
    size_t n = pl_model_points(s, model, sc, pts, 256);
    FILE *f = NULL;
    int rows = 0;
    for (size_t i = 0; i < n; i++) {
        double held = pts[i]->doc && pts[i]->status ? held_of(pts[i]) : NAN;
        if (!(held >= 0)) continue;
        if (!f && !(f = pl_dat_open(out_dir, stem, model))) return -errno;
        fprintf(f, "%lld %.6g\n", pts[i]->connections, held > 1 ? held : 1);
        rows++;
    }
    if (f && fclose(f)) return -errno;
    return rows;
}

/* "model: <cause>" for a broken point: the reason's "limit: ..." part, else
 * the reason up to its first ';'. */
static void cause_label(const struct res_point *p, char *buf, size_t cap)
{
    const char *r = p->reason ? p->reason : "no reason given";
    const char *lim = strstr(r, "limit: ");
    if (lim) {
        lim += 7;
        snprintf(buf, cap, "%s: %.*s", p->model, (int)strcspn(lim, ";"), lim);
    } else {
        snprintf(buf, cap, "%s: %.*s", p->model, (int)strcspn(r, ";"), r);
    }
}

static int write_marks(const struct pl_set *s, const char *sc, const char *out_dir,
                       const char *stem, struct pl_chart *c)
{
    struct pl_marks mk = {.logy = true, .step = 1.5};
    pl_marks_xrange(s, &mk);
    int n = 0, rc = 0;
    char label[512];
    for (size_t i = 0; i < s->n && !rc; i++) {
        const struct res_point *p = &s->pts[i];
        if (strcmp(p->scenario, sc)) continue;
        if (!p->status || strcmp(p->status, "broken") || !p->doc) {
            if (!pl_drawable(p) && (!p->status || strcmp(p->status, "broken")))
                pl_omit_add(c, p->model, pl_status(p), p->reason);
            continue;
        }
        double held = held_of(p);
        if (!(held >= 0)) continue; /* broke without a figure: it is in the note */
        cause_label(p, label, sizeof label);
        rc = pl_mark_put(&mk, out_dir, stem, p->connections, held > 1 ? held : 1, label);
        n++;
    }
    if (mk.f && fclose(mk.f) && !rc) rc = -errno;
    return rc ? rc : n;
}

static int held_chart(const struct pl_set *s, const char *sc, const char *out_dir,
                      struct pl_charts *cs)
{
    char stem[128];
    snprintf(stem, sizeof stem, "held-%s", sc);
    struct pl_chart *c = pl_chart_add(cs, stem, "held");
    if (!c) return -E2BIG;
    for (size_t m = 0; m < s->n_models; m++) {
        int rows = write_rows(s, sc, s->models[m], out_dir, stem);
        if (rows < 0) return rows;
        if (rows > 0) pl_words_add(c->models, sizeof c->models, s->models[m]);
    }
    int marks = write_marks(s, sc, out_dir, stem, c);
    if (marks < 0) return marks;
    snprintf(c->title, sizeof c->title, "Connections held vs asked (scenario %s)", sc);
    snprintf(c->caption, sizeof c->caption,
             "Connections each model held (established and answered) against those asked, "
             "log-log; the grey diagonal is every connection held. Where a model breaks, the "
             "red mark names the cause: the limit behind the server's refusal.");
    snprintf(c->extra, sizeof c->extra, "marks = %d", marks > 0);
    c->logy = true;
    return 0;
}

int pl_dat_held(const struct pl_set *s, const char *out_dir, struct pl_charts *cs)
{
    for (size_t k = 0; k < s->n_scenarios; k++) {
        if (!strcmp(s->scenarios[k], HN_SCENARIO_IDLE)) continue; /* as the other charts */
        int rc = held_chart(s, s->scenarios[k], out_dir, cs);
        if (rc) return rc;
    }
    return 0;
}
