/* runmerge: one trial's load files out of several c10k-load runs: JSON
 * counters summed, latency histograms added exactly from the .hlog intervals
 * (re-timed onto the earliest run's clock), series rows added by second.
 *   try: ulimit -Hn 1500; c10k run --model epoll --connections 2000 --duration 1s */
#include "runmerge.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "hist_json.h"
#include "hlog.h"

/* ---- JSON ---- */

enum rule { SUM, MAX, MIN, FIRST };

static enum rule rule_of(const char *parent, const char *key)
{
    static const char *const max_keys[] = {
        "duration_s", "ramp_s", "connected_s", "measure_start_s", "busiest_thread_fraction", NULL};
    static const char *const config_sum[] = {"connections", "rate_rps", "connect_rate", "threads",
                                             NULL};
    if (strcmp(key, "start_monotonic_ns") == 0) return MIN;
    for (int i = 0; max_keys[i]; i++)
        if (strcmp(key, max_keys[i]) == 0) return MAX;
    if (parent && strcmp(parent, "config") == 0) {
        for (int i = 0; config_sum[i]; i++)
            if (strcmp(key, config_sum[i]) == 0) return SUM;
        return FIRST;
    }
    return SUM;
}

static bool is_hist(const char *key)
{
    size_t n = strlen(key);
    return n > 3 && strcmp(key + n - 3, "_us") == 0;
}

static json_t *combine(json_t *a, json_t *b, enum rule r)
{
    double x = json_number_value(a), y = json_number_value(b);
    double v = r == SUM ? x + y : r == MAX ? (x > y ? x : y) : r == MIN ? (x < y ? x : y) : x;
    if (json_is_integer(a) && json_is_integer(b)) return json_integer((json_int_t)v);
    return json_real(v);
}

static void merge_obj(json_t *dst, json_t *src, const char *parent, bool hist)
{
    const char *key;
    json_t *v;
    json_object_foreach(src, key, v)
    {
        json_t *d = json_object_get(dst, key);
        if (!d) {
            json_object_set_new(dst, key, json_deep_copy(v));
        } else if (json_is_object(d) && json_is_object(v)) {
            merge_obj(d, v, key, is_hist(key));
        } else if (json_is_number(d) && json_is_number(v)) {
            bool counted = strcmp(key, "count") == 0 || strcmp(key, "clamped") == 0;
            enum rule r = hist ? (counted ? SUM : MAX) : rule_of(parent, key);
            json_object_set_new(dst, key, combine(d, v, r));
        }
    }
}

json_t *runmerge_json(json_t *const *loads, unsigned n)
{
    json_t *out = NULL;
    for (unsigned i = 0; i < n; i++) {
        if (!loads[i]) continue;
        if (!out)
            out = json_deep_copy(loads[i]);
        else
            merge_obj(out, loads[i], NULL, false);
    }
    return out;
}

/* ---- interval logs ---- */

struct merged_hists {
    struct hist cor, unc;
    double start0; /* the earliest run's StartTime (epoch seconds) */
    bool any;
};

static double hlog_start(const char *path)
{
    char line[256];
    double s = 0;
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "#[StartTime: %lf", &s) == 1) break;
    if (f) fclose(f);
    return s;
}

/* Adds one run's intervals into m and (re-timed) into out. */
static int add_hlog(const char *path, struct merged_hists *m, FILE *out, struct hist *tmp)
{
    char *line = NULL;
    size_t cap = 0;
    double shift = hlog_start(path) - m->start0;
    FILE *f = fopen(path, "r");
    if (!f) return -errno;
    int rc = 0;
    while (rc >= 0 && getline(&line, &cap, f) > 0) {
        struct hlog_interval iv;
        hist_reset(tmp);
        rc = hlog_parse_line(line, &iv, tmp);
        if (rc != 1) continue;
        bool cor = strcmp(iv.tag, "corrected") == 0;
        hist_add(cor ? &m->cor : &m->unc, tmp);
        m->any = true;
        rc = hlog_write_interval(out, iv.tag, iv.start_s + shift, iv.length_s, tmp);
    }
    free(line);
    fclose(f);
    return rc < 0 ? rc : 0;
}

static int merge_hlogs(const char *const *bases, unsigned n, const char *out,
                       struct merged_hists *m)
{
    char path[1700];
    struct hist tmp;
    if (hist_init_lab(&tmp) < 0) return -ENOMEM;
    m->start0 = 0;
    for (unsigned i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s.hlog", bases[i]);
        double s = hlog_start(path);
        if (s > 0 && (m->start0 == 0 || s < m->start0)) m->start0 = s;
    }
    snprintf(path, sizeof path, "%s.hlog", out);
    FILE *f = fopen(path, "w");
    int rc = f ? hlog_write_header(f, "c10k (merged c10k-load runs)", m->start0) : -errno;
    for (unsigned i = 0; i < n && rc == 0; i++) {
        char in[1700];
        snprintf(in, sizeof in, "%s.hlog", bases[i]);
        rc = add_hlog(in, m, f, &tmp);
    }
    if (f && fclose(f) != 0 && rc == 0) rc = -EIO;
    hist_close(&tmp);
    return rc;
}

static int write_hgrm(const struct hist *h, const char *out)
{
    char path[1700];
    snprintf(path, sizeof path, "%s.hgrm", out);
    FILE *f = fopen(path, "w");
    if (!f) return -errno;
    int rc = hist_write_hgrm(h, f, 5, 1.0);
    return fclose(f) == 0 ? rc : -EIO;
}

/* ---- series and stderr ---- */

struct series_row {
    double t_s, est, done, errs, rps, p50, p99;
};

static size_t read_series(const char *path, struct series_row *rows, size_t cap)
{
    char line[256];
    size_t n = 0;
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    while (n < cap && fgets(line, sizeof line, f)) {
        struct series_row *r = &rows[n];
        if (sscanf(line, "%lf,%lf,%lf,%lf,%lf,%lf,%lf", &r->t_s, &r->est, &r->done, &r->errs,
                   &r->rps, &r->p50, &r->p99) == 7)
            n++;
    }
    fclose(f);
    return n;
}

#define SERIES_MAX_ROWS 4096

/* Row k of every run added (t_s of the first that has it; p50/p99 the worst). */
static int merge_series(const char *const *bases, unsigned n, const char *out)
{
    char path[1700];
    struct series_row *sum = calloc(SERIES_MAX_ROWS, sizeof *sum);
    struct series_row *one = calloc(SERIES_MAX_ROWS, sizeof *one);
    size_t rows = 0;
    for (unsigned i = 0; sum && one && i < n; i++) {
        snprintf(path, sizeof path, "%s.series.csv", bases[i]);
        size_t m = read_series(path, one, SERIES_MAX_ROWS);
        for (size_t k = 0; k < m; k++) {
            struct series_row *s = &sum[k], *r = &one[k];
            if (k >= rows) s->t_s = r->t_s;
            s->est += r->est, s->done += r->done, s->errs += r->errs, s->rps += r->rps;
            s->p50 = r->p50 > s->p50 ? r->p50 : s->p50;
            s->p99 = r->p99 > s->p99 ? r->p99 : s->p99;
        }
        rows = m > rows ? m : rows;
    }
    snprintf(path, sizeof path, "%s.series.csv", out);
    FILE *f = sum && one ? fopen(path, "w") : NULL;
    if (f) {
        fprintf(f, "t_s,established,completed,errors,rps,p50_us,p99_us\n");
        for (size_t k = 0; k < rows; k++)
            fprintf(f, "%.3f,%.0f,%.0f,%.0f,%.1f,%.0f,%.0f\n", sum[k].t_s, sum[k].est, sum[k].done,
                    sum[k].errs, sum[k].rps, sum[k].p50, sum[k].p99);
        fclose(f);
    }
    free(sum);
    free(one);
    return f ? 0 : -EIO;
}

static void merge_stderr(const char *const *bases, unsigned n, const char *out)
{
    char path[1700], buf[4096];
    snprintf(path, sizeof path, "%s.load.stderr", out);
    FILE *o = fopen(path, "w");
    for (unsigned i = 0; o && i < n; i++) {
        snprintf(path, sizeof path, "%s.load.stderr", bases[i]);
        FILE *f = fopen(path, "r");
        fprintf(o, "== c10k-load %u of %u (%s.*) ==\n", i + 1, n, bases[i]);
        size_t got;
        while (f && (got = fread(buf, 1, sizeof buf, f)) > 0)
            fwrite(buf, 1, got, o);
        if (f) fclose(f);
    }
    if (o) fclose(o);
}

/* ---- all of it ---- */

static int write_json(const char *const *bases, unsigned n, const char *out,
                      const struct merged_hists *m)
{
    char path[1700];
    json_t *loads[64] = {NULL}, *each = json_array();
    for (unsigned i = 0; i < n && i < 64; i++) {
        snprintf(path, sizeof path, "%s.load.json", bases[i]);
        loads[i] = json_load_file(path, 0, NULL);
        json_array_append(each, loads[i] ? loads[i] : json_null());
    }
    json_t *j = runmerge_json(loads, n < 64 ? n : 64);
    int rc = j ? 0 : -ENOENT;
    if (j && m->any) {
        json_object_set_new(j, "latency_us", hist_json(&m->cor));
        if (json_object_get(j, "latency_uncorrected_us"))
            json_object_set_new(j, "latency_uncorrected_us", hist_json(&m->unc));
    }
    if (j) {
        json_object_set_new(j, "runners", each);
        snprintf(path, sizeof path, "%s.load.json", out);
        rc = json_dump_file(j, path, JSON_INDENT(1)) == 0 ? 0 : -EIO;
        json_decref(j);
    } else {
        json_decref(each);
    }
    for (unsigned i = 0; i < n && i < 64; i++)
        json_decref(loads[i]);
    return rc;
}

int runmerge_files(const char *const *bases, unsigned n, const char *out)
{
    struct merged_hists m = {.any = false};
    if (hist_init_lab(&m.cor) < 0 || hist_init_lab(&m.unc) < 0) {
        hist_close(&m.cor);
        return -ENOMEM;
    }
    merge_stderr(bases, n, out);
    int rc = merge_hlogs(bases, n, out, &m);
    if (m.any && write_hgrm(&m.cor, out) < 0 && rc == 0) rc = -EIO;
    int s = merge_series(bases, n, out);
    int j = write_json(bases, n, out, &m);
    hist_close(&m.cor);
    hist_close(&m.unc);
    return j < 0 ? j : rc < 0 ? rc : s;
}
