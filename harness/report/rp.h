/* rp: c10k report internals. A run is loaded once (rp_run), then every
 * section is written through one emitter (rp_out) to report.md and
 * report.html at the same time, so both files always say the same thing. */
#ifndef C10K_RP_H
#define C10K_RP_H

#include "results/metric.h"
#include "results/res.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* A results folder (results/res.h) with its scenarios and models listed once. */
struct rp_run {
    struct res_run run;
    const char *dir;             /* run.dir */
    json_t *manifest;            /* run.manifest */
    const json_t *env, *config;  /* run.env, run.config */
    const struct res_point *pts; /* run.pts, manifest order */
    size_t n;
    const char *scenarios[16]; /* distinct, in manifest order */
    size_t n_scen;
    const char *models[32];
    size_t n_models;
};

struct rp_out {
    FILE *md, *html;
    const char *dir;
    int in_list;
};

/* load.c */
int rp_load(struct rp_run *run, const char *dir, char *err, size_t errcap);
void rp_free(struct rp_run *run);
double rp_metric(const struct res_point *p, const char *name);
const struct res_point *rp_find(const struct rp_run *run, const char *model, long conns,
                                const char *scenario);
const char *rp_scenario_path(const struct rp_run *run, const char *scenario);
long rp_scenario_rate(const struct rp_run *run, const char *scenario);
int rp_has_data(const struct res_point *p);

/* emit.c: text is plain; each backend escapes it. */
void rp_h(struct rp_out *o, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void rp_p(struct rp_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rp_li(struct rp_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rp_list_end(struct rp_out *o);
void rp_code(struct rp_out *o, const char *text);
void rp_table(struct rp_out *o, size_t ncols, const char *const *header);
void rp_row(struct rp_out *o, size_t ncols, char cells[][64]);
void rp_table_end(struct rp_out *o);
int rp_img(struct rp_out *o, const char *title, const char *png_rel, const char *caption);
int rp_html_begin(struct rp_out *o, const char *title);
void rp_html_end(struct rp_out *o);

/* b64.c */
int rp_b64_file(FILE *out, const char *path);

/* fmt.c: into buf (64 bytes is enough), "–" when not finite. */
const char *rp_fmt_bytes(char *buf, size_t cap, double bytes);
const char *rp_fmt_us(char *buf, size_t cap, double us);
const char *rp_fmt_num(char *buf, size_t cap, double v, int decimals);

/* books.c: the memory books of the idle scenario: the headline's memory
 * sentences (0 written, -ENOENT without an idle scenario) and the section with
 * what one connection is made of. */
int rp_answer_books(struct rp_out *o, const struct rp_run *run);
void rp_sec_books(struct rp_out *o, const struct rp_run *run);

/* sections */
void rp_sec_question(struct rp_out *o, const struct rp_run *run);
void rp_sec_answer(struct rp_out *o, const struct rp_run *run);
void rp_sec_method(struct rp_out *o, const struct rp_run *run);
void rp_sec_charts(struct rp_out *o, const struct rp_run *run);
void rp_sec_figures(struct rp_out *o, const struct rp_run *run);
void rp_sec_memory(struct rp_out *o, const struct rp_run *run);
void rp_sec_breaking(struct rp_out *o, const struct rp_run *run);
void rp_sec_claims(struct rp_out *o, const struct rp_run *run);
void rp_sec_waits(struct rp_out *o, const struct rp_run *run); /* sec_waits.c: waits.json */
/* sec_summary.c: the one-page answer chart, after the question */
#define RP_SUMMARY_CHART "summary"
void rp_sec_summary(struct rp_out *o, const struct rp_run *run);
/* sec_noise.c: calibration, spreads, the points that stayed noisy */
void rp_sec_noise(struct rp_out *o, const struct rp_run *run);
/* The point's coefficient of variation (%) of metric over its trials, NAN if none. */
double rp_cv(const struct res_point *p, const char *metric);
/* "48,088 ±3.1%": the median and its CV over the trials, or the median alone. */
const char *rp_fmt_spread(char *buf, size_t cap, const struct res_point *p, const char *metric,
                          int decimals);
/* Appends " ±3%" (metric's CV over the trials, rounded) to the figure of p
 * already formatted in buf; nothing when there is no spread or the figure is 0. */
const char *rp_with_spread(char *buf, size_t cap, const struct res_point *p, const char *metric);
/* p's median of metric formatted (µs, bytes, number) with its spread. */
const char *rp_us_spread(char *buf, size_t cap, const struct res_point *p, const char *metric);
const char *rp_bytes_spread(char *buf, size_t cap, const struct res_point *p, const char *metric);
const char *rp_num_spread(char *buf, size_t cap, const struct res_point *p, const char *metric,
                          int decimals);
void rp_sec_reproduce(struct rp_out *o, const struct rp_run *run);

#endif
