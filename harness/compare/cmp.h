/* cmp: internal interface of c10k compare (the .c files of harness/compare): the loaded
 * result folders, the metric table, the comparison table, assertions and the
 * three renderers. Everything here is prefixed cmp_. */
#ifndef C10K_CMP_H
#define C10K_CMP_H

#include "results/metric.h"
#include "results/res.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- result folders: results/res.h (res_run, res_point) ---- */
/* Loads a results folder, a folder without a manifest or a folder of runs
 * (res_run_load); on error prints one line on stderr and returns < 0. */
int cmp_run_load(struct res_run *run, const char *dir);

/* ---- metrics (metrics.c; the table is results/metric.h) ---- */
/* Full metric name for a name or alias (p99, throughput, mem_per_conn, cpu,
 * errors ...) of the metric table; NULL when unknown. */
const char *cmp_metric_resolve(const char *name);
/* Index in res_metrics of a compared metric (threshold > 0; name or alias), or -1. */
int cmp_metric_index(const char *name);
enum res_unit cmp_metric_unit(const char *name);
/* Parses a value with units for metric name into the metric's own unit
 * (5ms -> 5000 for a _us metric, 64KiB -> 65536, 100k -> 100000). */
int cmp_parse_value(const char *name, const char *s, double *out);
/* Formats v in the metric's unit ("12.3k", "850us", "1.20ms", "12.5KiB"). */
const char *cmp_fmt_value(enum res_unit unit, double v, char *buf, size_t cap);
/* Prints the metric table (c10k compare --list-metrics). */
void cmp_metrics_list(FILE *f);

/* ---- options ---- */
enum cmp_format { CMP_FMT_TEXT, CMP_FMT_MD, CMP_FMT_JSON };

#define CMP_MAX_ASSERTS 32
struct cmp_config {
    const char *base_dir, *new_dir; /* base_dir NULL: assertions only */
    enum cmp_format format;
    double alpha, conf;
    double threshold_pct[RES_M_COUNT]; /* per res_metrics index */
    uint64_t mem_floor_bytes;          /* memory must also grow by this much in total */
    bool include_flagged;
    const char *asserts[CMP_MAX_ASSERTS];
    size_t nasserts;
};

/* ---- the comparison table (table.c) ---- */
enum cmp_verdict { CMP_SAME, CMP_IMPROVED, CMP_REGRESSED, CMP_TOO_FEW };

struct cmp_side {
    size_t n, n_total; /* samples used, trials in all */
    double median, ci_lo, ci_hi;
    bool ci_exact; /* false: too few samples, [lo, hi] is [min, max] */
};

struct cmp_row {
    const struct res_point *base, *new;
    int metric; /* index in res_metrics */
    struct cmp_side b, n;
    double change_pct;      /* NAN when the base median is 0 */
    double p, p_adj, min_p; /* NAN when not tested */
    bool significant, beyond;
    enum cmp_verdict verdict;
    size_t need_per_side; /* when CMP_TOO_FEW: trials per side that would do */
};

struct cmp_table {
    struct cmp_row *rows;
    size_t nrows, family;                           /* family: tests in the Holm correction */
    const struct res_point **only_base, **only_new; /* no counterpart, or unmeasured */
    size_t nonly_base, nonly_new;
    /* NEW points that are broken where BASE is not (a regression), and the reverse */
    const struct res_point **broke, **fixed;
    size_t nbroke, nfixed;
    size_t npoints; /* points compared */
    size_t regressed, improved, same, too_few;
};

int cmp_table_build(struct cmp_table *t, const struct res_run *base, const struct res_run *nw,
                    const struct cmp_config *cfg);
void cmp_table_free(struct cmp_table *t);
const char *cmp_verdict_name(enum cmp_verdict v);

/* ---- assertions on the NEW run (assert.c) ---- */
enum cmp_op { CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_EQ, CMP_NE };
enum cmp_agg { CMP_AGG_MEDIAN, CMP_AGG_MIN, CMP_AGG_MAX };

struct cmp_assert {
    const char *text;
    char scope[128];    /* "" = every point; else a model or an id glob */
    const char *metric; /* full name */
    enum cmp_agg agg;
    enum cmp_op op;
    double value;
};

struct cmp_check { /* one assertion on one point */
    const struct cmp_assert *a;
    const struct res_point *pt;
    double value; /* NAN: no data */
    size_t n;
    bool pass;
};

struct cmp_checks {
    struct cmp_assert as[CMP_MAX_ASSERTS];
    size_t nas;
    struct cmp_check *c;
    size_t nc, failed;
    size_t unmatched; /* assertions that matched no point (they fail) */
    bool matched[CMP_MAX_ASSERTS];
};

/* Parses one EXPR; prints a one-line reason on stderr and returns -EINVAL. */
int cmp_assert_parse(struct cmp_assert *a, const char *text);
int cmp_checks_run(struct cmp_checks *cs, const struct res_run *nw);
void cmp_checks_free(struct cmp_checks *cs);
const char *cmp_op_name(enum cmp_op op);
const char *cmp_agg_name(enum cmp_agg agg);

/* ---- renderers (render_text.c, render_json.c) ---- */
struct cmp_report {
    const struct cmp_config *cfg;
    const struct res_run *base, *new; /* base NULL: assertions only */
    const struct cmp_table *t;        /* NULL without base */
    const struct cmp_checks *cs;      /* NULL without assertions */
    int exit_code;
};

int cmp_render_text(FILE *f, const struct cmp_report *r, bool markdown);
int cmp_render_json(FILE *f, const struct cmp_report *r);

#endif
