/* runmerge: one trial's load files out of several c10k-load runs: JSON
 * counters summed, latency histograms added exactly from the .hlog intervals
 * (interval k of every run added into the merged log's interval k), series
 * rows added by second.
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

/* Every run writes one interval a second from its own start (c10k-load's
 * rows): interval k of a run starts k s after its StartTime. The runs start
 * together, so the merged log adds the k-th intervals of every run, tag by
 * tag, onto the earliest run's StartTime. */
#define RUNMERGE_IV_S 1.0
#define RUNMERGE_TAGS 4

struct merged_hists {
    struct hist cor, unc;
    double start0; /* the earliest run's StartTime (epoch seconds) */
    bool any;
};

/* One run's log being read: its next interval, waiting to be added. */
struct iv_reader {
    FILE *f;
    struct hist h;
    struct hlog_interval iv;
    long k; /* -1: no more intervals */
};

/* The k-th intervals of every run, one histogram per tag. */
struct iv_slots {
    char tag[RUNMERGE_TAGS][64];
    struct hist h[RUNMERGE_TAGS];
    double len_s[RUNMERGE_TAGS];
    int n, ready;
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

/* Reads r's next interval (r->k its index, -1 at the end). */
static int reader_next(struct iv_reader *r)
{
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    r->k = -1;
    while (r->f && getline(&line, &cap, r->f) > 0) {
        hist_reset(&r->h);
        rc = hlog_parse_line(line, &r->iv, &r->h);
        if (rc == -ENOMEM) break;
        if (rc != 1) { /* a comment, or a line cut short (a host lost) */
            rc = 0;
            continue;
        }
        double k = r->iv.start_s / RUNMERGE_IV_S + 0.5;
        r->k = k > 0 ? (long)k : 0;
        rc = 0;
        break;
    }
    free(line);
    return rc < 0 ? rc : 0;
}

static struct hist *slot_of(struct iv_slots *s, const char *tag, double len_s)
{
    int i;
    for (i = 0; i < s->n && strcmp(s->tag[i], tag) != 0; i++)
        ;
    if (i == RUNMERGE_TAGS) return NULL;
    if (i == s->n) {
        if (i == s->ready && hist_init_lab(&s->h[s->ready++]) < 0) return NULL;
        snprintf(s->tag[i], sizeof s->tag[i], "%s", tag);
        s->len_s[i] = 0;
        s->n++;
    }
    if (len_s > s->len_s[i]) s->len_s[i] = len_s;
    return &s->h[i];
}

/* Adds every run's interval k into the slots (and the totals), then writes
 * them, a line per tag. */
static int merge_interval(struct iv_reader *r, unsigned n, long k, struct iv_slots *s,
                          struct merged_hists *m, FILE *out)
{
    int rc = 0;
    for (int i = 0; i < s->n; i++)
        hist_reset(&s->h[i]);
    s->n = 0;
    for (unsigned i = 0; i < n && rc == 0; i++)
        while (rc == 0 && r[i].k == k) {
            struct hist *h = slot_of(s, r[i].iv.tag, r[i].iv.length_s);
            if (h) hist_add(h, &r[i].h);
            hist_add(strcmp(r[i].iv.tag, "corrected") == 0 ? &m->cor : &m->unc, &r[i].h);
            m->any = true;
            rc = reader_next(&r[i]);
        }
    for (int i = 0; i < s->n && rc == 0; i++)
        rc = hlog_write_interval(out, s->tag[i], (double)k * RUNMERGE_IV_S, s->len_s[i], &s->h[i]);
    return rc;
}

static int merge_open(const char *const *bases, unsigned n, struct iv_reader *r,
                      struct merged_hists *m)
{
    char path[1700];
    m->start0 = 0;
    for (unsigned i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s.hlog", bases[i]);
        double s = hlog_start(path);
        if (s > 0 && (m->start0 == 0 || s < m->start0)) m->start0 = s;
        r[i].f = fopen(path, "r");
        if (hist_init_lab(&r[i].h) < 0) return -ENOMEM;
        int rc = reader_next(&r[i]);
        if (rc < 0) return rc;
    }
    return 0;
}

static int merge_hlogs(const char *const *bases, unsigned n, const char *out,
                       struct merged_hists *m)
{
    char path[1700];
    struct iv_reader *r = calloc(n ? n : 1, sizeof *r);
    struct iv_slots s = {.n = 0, .ready = 0};
    FILE *f = NULL;
    int rc = r ? merge_open(bases, n, r, m) : -ENOMEM;
    snprintf(path, sizeof path, "%s.hlog", out);
    if (rc == 0 && !(f = fopen(path, "w"))) rc = -errno;
    if (rc == 0) rc = hlog_write_header(f, "c10k (merged c10k-load runs)", m->start0);
    for (;;) {
        long k = -1;
        for (unsigned i = 0; r && i < n; i++)
            if (r[i].k >= 0 && (k < 0 || r[i].k < k)) k = r[i].k;
        if (rc < 0 || k < 0) break;
        rc = merge_interval(r, n, k, &s, m, f);
    }
    if (f && fclose(f) != 0 && rc == 0) rc = -EIO;
    for (unsigned i = 0; r && i < n; i++) {
        if (r[i].f) fclose(r[i].f);
        hist_close(&r[i].h);
    }
    for (int i = 0; i < s.ready; i++)
        hist_close(&s.h[i]);
    free(r);
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
