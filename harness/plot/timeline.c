/* plot/timeline: the time series of one point (the largest-connection point
 * of the first event-loop model, else of the first model): connections, RSS
 * and throughput through ramp-up and load, from its timeline.csv.
 * Try: c10k plot DIR; see DIR/plots/timeline.png */
#include "modeltab.h"
#include "plot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PL_TL_COLS 64

/* The largest-connection point of model in scenario 0 that has figures. */
static const struct res_point *largest_of(const struct pl_set *s, const char *model)
{
    const struct res_point *best = NULL;
    for (size_t i = 0; i < s->n; i++) {
        const struct res_point *p = &s->pts[i];
        if (strcmp(p->model, model) || strcmp(p->scenario, s->scenarios[0])) continue;
        if (pl_drawable(p) && strcmp(p->status, "broken") &&
            (!best || p->connections > best->connections))
            best = p;
    }
    return best;
}

static const struct res_point *pick(const struct pl_set *s, bool *event_loop)
{
    for (size_t m = 0; m < s->n_models; m++)
        if (mt_is(s->models[m], MT_EVENT_LOOP) && largest_of(s, s->models[m])) {
            *event_loop = true;
            return largest_of(s, s->models[m]);
        }
    *event_loop = false;
    for (size_t m = 0; m < s->n_models; m++)
        if (largest_of(s, s->models[m])) return largest_of(s, s->models[m]);
    return NULL;
}

static size_t csv_split(char *line, char **cols, size_t cap)
{
    size_t n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *tok; n < cap && (tok = strsep(&line, ",")) != NULL;)
        cols[n++] = tok;
    return n;
}

static int col_of(char **cols, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(cols[i], name)) return (int)i;
    return -1;
}

struct pl_tl_cols {
    int t, source, rss, threads, est, rps;
};

static void row_out(char **c, size_t n, const struct pl_tl_cols *k, FILE *probe, FILE *load)
{
    if (k->source < 0 || (size_t)k->source >= n || k->t < 0) return;
    bool is_probe = !strcmp(c[k->source], "probe");
    int a = is_probe ? k->rss : k->est, b = is_probe ? k->threads : k->rps;
    if (a < 0 || (size_t)a >= n || !c[a][0]) return;
    fprintf(is_probe ? probe : load, "%s %s %s\n", c[k->t], c[a],
            b >= 0 && (size_t)b < n && c[b][0] ? c[b] : "NaN");
}

static int copy_timeline(const char *path, FILE *probe, FILE *load)
{
    FILE *in = fopen(path, "r");
    char line[4096], *cols[PL_TL_COLS];
    if (!in) return -errno;
    if (!fgets(line, sizeof line, in)) {
        fclose(in);
        return -EINVAL;
    }
    size_t n = csv_split(line, cols, PL_TL_COLS);
    struct pl_tl_cols k = {col_of(cols, n, "t_s"),
                           col_of(cols, n, "source"),
                           col_of(cols, n, "rss_bytes"),
                           col_of(cols, n, "threads"),
                           col_of(cols, n, "load_established"),
                           col_of(cols, n, "load_rps")};
    while (fgets(line, sizeof line, in)) {
        n = csv_split(line, cols, PL_TL_COLS);
        row_out(cols, n, &k, probe, load);
    }
    fclose(in);
    return 0;
}

/* c10k-load starts with nothing connected; when its ramp ended before its
 * first series row (1 s), the row at the end of the ramp keeps the line true. */
static void ramp_rows(const json_t *t, double start_s, FILE *load)
{
    const json_t *conns = json_object_get(json_object_get(t, "load"), "connections");
    const json_t *ramp = json_object_get(conns, "ramp_s");
    const json_t *est = json_object_get(conns, "established");
    fprintf(load, "%.3f 0 NaN\n", start_s);
    if (json_is_number(ramp) && json_is_number(est) && json_number_value(ramp) < 0.99)
        fprintf(load, "%.3f %.0f NaN\n", start_s + json_number_value(ramp), json_number_value(est));
}

static int write_files(const struct pl_set *s, const json_t *t, const char *out_dir)
{
    const char *file = json_string_value(json_object_get(json_object_get(t, "files"), "timeline"));
    char path[4096];
    if (!file) return -ENOENT;
    snprintf(path, sizeof path, "%s/%s", s->dir, file);
    FILE *probe = pl_dat_open(out_dir, "timeline", "probe");
    FILE *load = pl_dat_open(out_dir, "timeline", "load");
    const json_t *w = json_object_get(json_object_get(t, "probe"), "window");
    const json_t *start = json_object_get(w, "load_start_s");
    if (load && json_is_number(start)) ramp_rows(t, json_number_value(start), load);
    int rc = probe && load ? copy_timeline(path, probe, load) : -errno;
    if (probe && fclose(probe) && !rc) rc = -errno;
    if (load && fclose(load) && !rc) rc = -errno;
    return rc;
}

int pl_dat_timeline(const struct pl_set *s, const char *out_dir, struct pl_charts *cs)
{
    struct pl_chart *c = pl_chart_add(cs, "timeline", "timeline");
    bool event_loop;
    if (!c) return -E2BIG;
    const struct res_point *p = pick(s, &event_loop);
    const json_t *t = pl_trial(p);
    if (!p || !t) {
        pl_note_add(c->note, sizeof c->note, "not shown: no measured point with a timeline");
        snprintf(c->extra, sizeof c->extra, "have_data = 0");
    } else {
        int rc = write_files(s, t, out_dir);
        if (rc && rc != -ENOENT) return rc;
        const json_t *w = json_object_get(json_object_get(t, "probe"), "window");
        snprintf(c->extra, sizeof c->extra, "have_data = %d; ws = %.3f; we = %.3f", rc == 0,
                 json_number_value(json_object_get(w, "start_s")),
                 json_number_value(json_object_get(w, "end_s")));
        snprintf(c->models, sizeof c->models, "%s", p->model);
    }
    snprintf(c->title, sizeof c->title,
             "Time series: %s at %lld connections (%s, trial %lld; "
             "largest point of the %s)",
             p ? p->model : "-", p ? p->connections : 0, s->n_scenarios ? s->scenarios[0] : "-",
             (long long)json_integer_value(json_object_get(t, "trial")),
             event_loop ? "first event-loop model" : "first model");
    snprintf(c->caption, sizeof c->caption,
             "One trial second by second on the server's clock: connections the load "
             "generator held, server RSS and throughput through ramp-up and load; the shaded "
             "band is the measured window.");
    return 0;
}
