/* plot: the internals of `c10k plot` (harness/plot/): a results folder loaded
 * into memory, the .dat writers of each chart, the gnuplot driver and the
 * index. Prefix pl_. Everything returns 0 or -errno. */
#ifndef C10K_PLOT_H
#define C10K_PLOT_H

#include "results/metric.h"
#include "results/res.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define PL_MAX_NAMES 32
#define PL_NAME_CAP 64

/* A results folder (results/res.h) with the model and scenario order. */
struct pl_set {
    struct res_run run;
    const char *dir;             /* run.dir */
    const struct res_point *pts; /* run.pts */
    size_t n;
    char models[PL_MAX_NAMES][PL_NAME_CAP];
    size_t n_models;
    char scenarios[PL_MAX_NAMES][PL_NAME_CAP];
    size_t n_scenarios;
};

/* load.c: 0, -ENOENT (no manifest), -EINVAL (malformed: why in err). */
int pl_set_load(struct pl_set *s, const char *dir, char *err, size_t cap);
void pl_set_free(struct pl_set *s);
/* The point of (model, scenario, conns), first in manifest order; NULL if none. */
const struct res_point *pl_find(const struct pl_set *s, const char *model, const char *scenario,
                                long long conns);
/* The point's summary value (which = "median"/"min"/"max") of metric, or NAN. */
double pl_metric(const struct res_point *p, const char *which, const char *metric);
/* The point's status for a note: its status, "not measured" without one,
 * or that its point file is missing. */
const char *pl_status(const struct res_point *p);
/* True when the point has measured figures to draw (ok or flagged, or broken
 * with a point file). */
bool pl_drawable(const struct res_point *p);
/* Sorted distinct connection counts of the set. */
size_t pl_conns(const struct pl_set *s, long long *out, size_t cap);
/* model's points of a scenario in connection order (at most cap); returns the count. */
size_t pl_model_points(const struct pl_set *s, const char *model, const char *scenario,
                       const struct res_point **out, size_t cap);
/* "threads: broken (reason)" / "epoll: flagged (errors)"; "" for ok. */
void pl_mark_label(const struct res_point *p, char *buf, size_t cap);
/* The trial whose files a single-trial chart uses: trial 0 when valid, else
 * the first valid one, else trial 0; NULL without trials. */
const json_t *pl_trial(const struct res_point *p);

/* A chart to draw: what the driver tells the gnuplot script. */
struct pl_chart {
    char id[128];    /* file stem */
    char script[64]; /* plots/<script>.gp */
    char title[256];
    char caption[512];
    char models[PL_MAX_NAMES * PL_NAME_CAP];     /* space separated, those with data */
    char note[1024];                             /* omitted points, "" when none */
    char extra[1024];                            /* more gnuplot variable assignments */
    char all_models[PL_MAX_NAMES * PL_NAME_CAP]; /* every model of the set: fixes colours */
    char conns[512];                             /* every connection count of the set: the x tics */
    struct {
        char what[256];   /* "unsupported (reason)" */
        char models[512]; /* "nginx, uring" */
    } omit[8];            /* points not shown, grouped by why */
    size_t n_omit;
    bool logy;
};

/* dat.c / dat_*.c: each writes the .dat files of its charts into out_dir and
 * appends the charts to list (at most cap, *n updated). */
struct pl_charts {
    struct pl_chart *c;
    size_t n, cap;
};
struct pl_chart *pl_chart_add(struct pl_charts *cs, const char *id, const char *script);
/* stem: throughput, latency, cpu-per-req or ctxsw-per-req (one chart per scenario). */
int pl_dat_per_scenario(const struct pl_set *s, const char *stem, const char *out_dir,
                        struct pl_charts *cs);
int pl_dat_mem_per_conn(const struct pl_set *s, const char *out_dir, struct pl_charts *cs);
/* books.c: server and client side apart at the largest idle count (no chart
 * without an idle scenario). */
int pl_dat_mem_books(const struct pl_set *s, const char *out_dir, struct pl_charts *cs);
/* One bar of the books' parts of side ("server", "client") in KiB (a negative
 * part drawn as 0, *clamped set), labelled label; false when p has none.
 * The parts and their order: plots/books_parts.gp. */
bool pl_books_row(FILE *f, const struct res_point *p, const char *side, const char *label,
                  bool *clamped);
int pl_dat_memory(const struct pl_set *s, const char *out_dir, struct pl_charts *cs);
/* held.c: connections held vs asked, causes at the breaks (one per scenario). */
int pl_dat_held(const struct pl_set *s, const char *out_dir, struct pl_charts *cs);
int pl_dat_spectrum(const struct pl_set *s, const char *out_dir, struct pl_charts *cs);
int pl_dat_timeline(const struct pl_set *s, const char *out_dir, struct pl_charts *cs);
/* summary.c: the one-page answer (memory per connection and throughput of every
 * model at the largest count it served); the report opens with it. */
int pl_dat_summary(const struct pl_set *s, const char *out_dir, struct pl_charts *cs);
/* waits.c: the chart of DIR/waits.json (c10k waits); none without one. */
int pl_dat_waits(const struct pl_set *s, const char *out_dir, struct pl_charts *cs);

/* dat.c helpers */
/* The panel of a model in charts against connections: 1 Python, 0 the others. */
int pl_group(const char *model);
FILE *pl_dat_open(const char *out_dir, const char *stem, const char *part);
/* Appends " word" to a space separated list (no duplicates). */
void pl_words_add(char *list, size_t cap, const char *word);
/* Appends a sentence to a note ("; " separated). */
void pl_note_add(char *note, size_t cap, const char *text);
/* Marks of broken/flagged points: x y "label" label_y align [y2 y3] (-1 the label
 * ends at the point, 1 starts there, 0 centred above it); a label that would sit
 * on another at the same x is lifted (k-th one at that x: k steps of step,
 * a factor on a log axis). */
struct pl_marks {
    FILE *f;
    long long xs[256];
    size_t n;
    bool logy;
    double step;          /* linear: y units; log: a factor */
    long long xmin, xmax; /* labels at xmax lean left, at xmin right */
    double more[2];       /* the next point's y of further metrics (latency: p99, p99.9), */
    size_t n_more;        /* written after align, then cleared */
};
void pl_marks_xrange(const struct pl_set *s, struct pl_marks *m);
int pl_mark_put(struct pl_marks *m, const char *out_dir, const char *stem, long long x, double y,
                const char *label);
/* Records that model's point is not shown for what (status and reason);
 * pl_omit_finish puts "not shown: m1, m2: what" lines before the note. */
void pl_omit_add(struct pl_chart *c, const char *model, const char *status, const char *reason);
void pl_omit_finish(struct pl_chart *c);
/* Copies s into buf with characters that would break a quoted label replaced. */
const char *pl_clean(const char *s, char *buf, size_t cap);

/* gnuplot.c: writes <id>.gp into out_dir and runs gnuplot on it once for all
 * formats. 0, -ENOENT (gnuplot not on PATH), -EIO (gnuplot failed). */
struct pl_formats {
    bool png, svg;
};
int pl_gnuplot_find(char *path, size_t cap);
int pl_gnuplot_run(const char *gnuplot, const char *out_dir, const char *plots_dir,
                   const struct pl_chart *c, const struct pl_formats *f);

/* index.c: DIR/plots/index.json. */
int pl_index_write(const char *out_dir, const struct pl_chart *c, size_t n,
                   const struct pl_formats *f);

#endif
