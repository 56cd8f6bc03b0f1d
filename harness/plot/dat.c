/* plot/dat: the .dat helpers and the charts drawn per scenario against the
 * connection count (throughput, latency, CPU and context switches per
 * request): one <stem>.<model>.dat per model, <stem>.marks.dat for the
 * broken and flagged points. Try: c10k plot DIR; head DIR/plots/throughput-max.epoll.dat */
#include "plot.h"

#include "config.h"
#include "modeltab.h"

#include <errno.h>
#include <math.h>
#include <string.h>

FILE *pl_dat_open(const char *out_dir, const char *stem, const char *part)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s.dat", out_dir, stem, part);
    return fopen(path, "w");
}

void pl_words_add(char *list, size_t cap, const char *word)
{
    size_t len = strlen(list), wl = strlen(word);
    for (const char *at = strstr(list, word); at; at = strstr(at + 1, word))
        if ((at == list || at[-1] == ' ') && (at[wl] == ' ' || at[wl] == '\0')) return;
    snprintf(list + len, cap - len, "%s%s", len ? " " : "", word);
}

void pl_note_add(char *note, size_t cap, const char *text)
{
    size_t len = strlen(note);
    if (strstr(note, text)) return;
    snprintf(note + len, cap - len, "%s%s", len ? "; " : "", text);
}

void pl_omit_add(struct pl_chart *c, const char *model, const char *status, const char *reason)
{
    char what[256], clean[256];
    size_t i;
    snprintf(what, sizeof what, "%s%s%s%s", status ? status : "not measured", reason ? " (" : "",
             reason ? pl_clean(reason, clean, sizeof clean) : "", reason ? ")" : "");
    for (i = 0; i < c->n_omit && strcmp(c->omit[i].what, what); i++) {
    }
    if (i == sizeof c->omit / sizeof c->omit[0]) i--; /* full: the last one takes the rest */
    if (i == c->n_omit) {
        snprintf(c->omit[i].what, sizeof c->omit[i].what, "%s", what);
        c->n_omit++;
    }
    char *list = c->omit[i].models;
    size_t len = strlen(list), wl = strlen(model);
    for (const char *at = strstr(list, model); at; at = strstr(at + 1, model))
        if ((at == list || at[-1] == ' ') && (at[wl] == ',' || at[wl] == '\0')) return;
    snprintf(list + len, sizeof c->omit[i].models - len, "%s%s", len ? ", " : "", model);
}

void pl_omit_finish(struct pl_chart *c)
{
    char note[sizeof c->note];
    size_t len = 0;
    note[0] = '\0';
    for (size_t i = 0; i < c->n_omit && len < sizeof note; i++)
        len += (size_t)snprintf(note + len, sizeof note - len, "%snot shown: %s: %s",
                                len ? "; " : "", c->omit[i].models, c->omit[i].what);
    if (c->note[0] && len + 2 < sizeof note) {
        if (len) memcpy(note + len, "; ", 2), len += 2;
        size_t n = strnlen(c->note, sizeof note - len - 1);
        memcpy(note + len, c->note, n);
        note[len + n] = '\0';
    }
    memcpy(c->note, note, sizeof note);
    c->note[sizeof c->note - 1] = '\0';
    c->n_omit = 0;
}

const char *pl_clean(const char *s, char *buf, size_t cap)
{
    size_t i = 0;
    for (; s && s[i] && i + 1 < cap; i++)
        buf[i] = (s[i] == '"' || s[i] == '\'' || s[i] == '\\' || s[i] == '\n') ? ' ' : s[i];
    buf[i] = '\0';
    return buf;
}

void pl_marks_xrange(const struct pl_set *s, struct pl_marks *m)
{
    long long conns[256];
    size_t n = pl_conns(s, conns, 256);
    m->xmin = n ? conns[0] : 0;
    m->xmax = n ? conns[n - 1] : 0;
}

int pl_mark_put(struct pl_marks *m, const char *out_dir, const char *stem, long long x, double y,
                const char *label)
{
    char clean[512];
    size_t k = 0;
    if (!m->f && !(m->f = pl_dat_open(out_dir, stem, "marks"))) return -errno;
    for (size_t i = 0; i < m->n; i++)
        k += m->xs[i] == x;
    if (m->n < sizeof m->xs / sizeof m->xs[0]) m->xs[m->n++] = x;
    double ly = m->logy ? y * pow(m->step, (double)k) : y + m->step * (double)k;
    int align = m->xmin == m->xmax ? 0 : x >= m->xmax ? -1 : x <= m->xmin ? 1 : 0;
    fprintf(m->f, "%lld %.6g \"%s\" %.6g %d", x, y, pl_clean(label, clean, sizeof clean), ly,
            align);
    for (size_t i = 0; i < m->n_more; i++)
        fprintf(m->f, " %.6g", m->more[i]);
    m->n_more = 0;
    fputc('\n', m->f);
    return 0;
}

/* A chart per scenario: up to three metrics drawn against connections. */
struct pl_spec {
    const char *stem, *script, *title, *caption;
    enum res_metric_id metrics[3];
    size_t n_metrics;
    bool force_logy;
};

static const struct pl_spec pl_specs[] = {
    {"throughput",
     "throughput",
     "Throughput vs connections",
     "Requests per second each model completed in the measured window (median of the trials, "
     "the band from the slowest to the fastest trial), C models left, Python right: higher is "
     "better; a line that falls with more connections shows the model's overhead per "
     "connection. A cross marks a broken point, a triangle a flagged one (why: the note).",
     {RES_M_RPS},
     1,
     false},
    {"latency",
     "latency",
     "Latency p50 / p99 / p99.9 vs connections",
     "Latency per model on a log scale, a column per percentile (p50, p99, p99.9) and a row "
     "per language (C models and nginx, Python models), one scale for all six panels; bars "
     "min-max over trials. How far a model's line climbs from the left panel to the right one "
     "is the tail a few unlucky requests see.",
     {RES_M_P50, RES_M_P99, RES_M_P999},
     3,
     true},
    {"cpu-per-req",
     "cpu_per_req",
     "Server CPU time per request vs connections",
     "Server CPU time (user + system) spent per completed request: lower is more efficient; a "
     "rising line means each connection costs the model CPU even when it is not served.",
     {RES_M_CPU_PER_REQ},
     1,
     false},
    {"ctxsw-per-req",
     "ctxsw_per_req",
     "Context switches per request vs connections",
     "Voluntary plus involuntary context switches of the server per completed request (log "
     "scale): event loops batch many requests per switch, thread and process models pay "
     "about one or more per request.",
     {RES_M_CSW_PER_REQ},
     1,
     true},
};

struct pl_range {
    double lo, hi; /* positive medians seen */
};

static void range_add(struct pl_range *r, double v)
{
    if (!(v > 0)) return;
    if (v < r->lo) r->lo = v;
    if (v > r->hi) r->hi = v;
}

/* One model's rows; returns how many were written (or -errno). */
static int write_model(const struct pl_set *s, const struct pl_spec *sp, const char *sc,
                       const char *model, const char *out_dir, const char *stem, struct pl_range *r)
{
    long long conns[256];
    size_t nc = pl_conns(s, conns, 256);
    FILE *f = NULL;
    int rows = 0;
    for (size_t i = 0; i < nc; i++) {
        const struct res_point *p = pl_find(s, model, sc, conns[i]);
        if (!pl_drawable(p) || !strcmp(p->status, "broken")) continue;
        if (!isfinite(pl_metric(p, "median", res_metrics[sp->metrics[0]].name))) continue;
        if (!f && !(f = pl_dat_open(out_dir, stem, model))) return -errno;
        fprintf(f, "%lld", conns[i]);
        for (size_t m = 0; m < sp->n_metrics; m++) {
            double med = pl_metric(p, "median", res_metrics[sp->metrics[m]].name);
            double lo = pl_metric(p, "min", res_metrics[sp->metrics[m]].name);
            double hi = pl_metric(p, "max", res_metrics[sp->metrics[m]].name);
            range_add(r, med);
            fprintf(f, " %.6g %.6g %.6g", med, isfinite(lo) ? lo : med, isfinite(hi) ? hi : med);
        }
        fputc('\n', f);
        rows++;
    }
    if (f && fclose(f)) return -errno;
    return rows;
}

/* 1 for a Python model of the model table, 0 for the others (C, nginx):
 * the two panels of a chart drawn against the connection count. */
int pl_group(const char *model)
{
    const struct mt_model *r = mt_find(model);
    return r && r->language && !strcmp(r->language, "python");
}

/* The note line of a marked point: "threads 10000: broken (why)", at most
 * PL_MARK_NOTES of them, then how many more. */
#define PL_MARK_NOTES 6
static void mark_note(struct pl_chart *c, const struct res_point *p, const char *label, int k)
{
    char line[160];
    if (k < PL_MARK_NOTES) {
        snprintf(line, sizeof line, "%lld conns, %.120s", p->connections, label);
        pl_note_add(c->note, sizeof c->note, line);
    } else if (k == PL_MARK_NOTES) {
        pl_note_add(c->note, sizeof c->note,
                    "more marked points: the report's tables give each one's status and flags");
    }
}

/* Where a marked point's shape sits for metric: its median, or the floor of
 * the chart for a broken point or one without a positive figure. */
static double mark_y(const struct res_point *p, enum res_metric_id metric, const struct pl_chart *c,
                     const struct pl_range *r)
{
    double y = pl_metric(p, "median", res_metrics[metric].name);
    if (!(y > 0) || !strcmp(p->status, "broken")) y = !c->logy ? 0 : r->lo < INFINITY ? r->lo : 1;
    return y;
}

/* Marks broken/flagged points as shapes in their panel's <stem>-c / -py
 * .marks.dat (the reasons go to the note, never over the data), notes
 * omitted ones. Returns marks written. */
static int write_marks(const struct pl_set *s, const struct pl_spec *sp, const char *sc,
                       const char *out_dir, const char *stem, const struct pl_range *r,
                       struct pl_chart *c, int per_group[2])
{
    struct pl_marks mk[2] = {{.logy = c->logy, .step = 1}, {.logy = c->logy, .step = 1}};
    char gstem[2][160];
    int n = 0, rc = 0;
    char label[512];
    snprintf(gstem[0], sizeof gstem[0], "%s-c", stem);
    snprintf(gstem[1], sizeof gstem[1], "%s-py", stem);
    for (size_t i = 0; i < s->n && !rc; i++) {
        const struct res_point *p = &s->pts[i];
        if (strcmp(p->scenario, sc)) continue;
        if (!pl_drawable(p)) {
            pl_omit_add(c, p->model, pl_status(p), p->reason);
            continue;
        }
        pl_mark_label(p, label, sizeof label);
        if (!label[0]) continue;
        int g = pl_group(p->model);
        double y = mark_y(p, sp->metrics[0], c, r);
        for (size_t k = 1; k < sp->n_metrics; k++) /* latency: p99, p99.9 after align */
            mk[g].more[mk[g].n_more++] = mark_y(p, sp->metrics[k], c, r);
        mk[g].step = 0; /* shapes, no stacked labels */
        rc = pl_mark_put(&mk[g], out_dir, gstem[g], p->connections, y, label);
        mark_note(c, p, label, n++);
        per_group[g] |= strcmp(p->status, "broken") ? 2 : 1; /* the shapes its key needs */
    }
    for (int g = 0; g < 2; g++)
        if (mk[g].f && fclose(mk[g].f) && !rc) rc = -errno;
    return rc ? rc : n;
}

static int one_chart(const struct pl_set *s, const struct pl_spec *sp, const char *sc,
                     const char *out_dir, struct pl_charts *cs)
{
    char stem[128], groups[2][440] = {"", ""};
    int per_group[2] = {0, 0};
    snprintf(stem, sizeof stem, "%s-%s", sp->stem, sc);
    struct pl_chart *c = pl_chart_add(cs, stem, sp->script);
    if (!c) return -E2BIG;
    struct pl_range r = {INFINITY, 0};
    for (size_t m = 0; m < s->n_models; m++) {
        int rows = write_model(s, sp, sc, s->models[m], out_dir, stem, &r);
        if (rows < 0) return rows;
        if (rows > 0) pl_words_add(c->models, sizeof c->models, s->models[m]);
        if (rows > 0) pl_words_add(groups[pl_group(s->models[m])], sizeof groups[0], s->models[m]);
    }
    c->logy = sp->force_logy || (r.hi > 0 && r.hi / r.lo > 30);
    int marks = write_marks(s, sp, sc, out_dir, stem, &r, c, per_group);
    if (marks < 0) return marks;
    snprintf(c->title, sizeof c->title, "%s (scenario %s)", sp->title, sc);
    snprintf(c->caption, sizeof c->caption, "%s", sp->caption);
    snprintf(c->extra, sizeof c->extra,
             "marks = 0\nmodels_c = '%s'\nmodels_py = '%s'\nmarks_c = %d\nmarks_py = %d", groups[0],
             groups[1], per_group[0], per_group[1]);
    return 0;
}

int pl_dat_per_scenario(const struct pl_set *s, const char *stem, const char *out_dir,
                        struct pl_charts *cs)
{
    for (size_t i = 0; i < sizeof pl_specs / sizeof pl_specs[0]; i++)
        for (size_t k = 0; k < s->n_scenarios && !strcmp(stem, pl_specs[i].stem); k++) {
            if (!strcmp(s->scenarios[k], HN_SCENARIO_IDLE)) continue; /* no requests: mem-books */
            int rc = one_chart(s, &pl_specs[i], s->scenarios[k], out_dir, cs);
            if (rc) return rc;
        }
    return 0;
}

struct pl_chart *pl_chart_add(struct pl_charts *cs, const char *id, const char *script)
{
    if (cs->n >= cs->cap) return NULL;
    struct pl_chart *c = &cs->c[cs->n++];
    memset(c, 0, sizeof *c);
    snprintf(c->id, sizeof c->id, "%s", id);
    snprintf(c->script, sizeof c->script, "%s", script);
    return c;
}
