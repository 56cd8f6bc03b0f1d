/* test-runmerge: the merged interval log of several c10k-load runs adds the
 * runs' same intervals (by their start from each run's own StartTime), tag by
 * tag: each merged interval is exactly the sum of the runs' k-th intervals,
 * the merged intervals add up to the total, the totals are in the JSON.
 * Run: meson test -C build runmerge */
#include "measure/runmerge.h"

#include <hist.h>
#include <hlog.h>
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define RUNS 3
#define MAX_K 4

/* run i's interval k (tag t): values that differ by run, interval and tag;
 * run i has intervals 0..ks[i]-1, the last one partial */
static const int ks[RUNS] = {3, 4, 2};
static const double starts[RUNS] = {1000.004, 1000.0, 1000.011};

static void fill(struct hist *h, int i, int k, int t)
{
    hist_reset(h);
    for (int v = 0; v < 50 + 10 * i + k; v++)
        hist_record(h, 100 * (i + 1) + 37 * k + 1000 * t + v * (k + 1));
}

static const char *const tags[2] = {"corrected", "uncorrected"};

static void write_run(const char *base, int i)
{
    char path[2048];
    struct hist h;
    assert_int_equal(hist_init_lab(&h), 0);
    snprintf(path, sizeof path, "%s.hlog", base);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(hlog_write_header(f, "test", starts[i]), 0);
    for (int k = 0; k < ks[i]; k++)
        for (int t = 0; t < 2; t++) {
            fill(&h, i, k, t);
            /* c10k-load's rows: k s after its start, the last one partial */
            double len = k == ks[i] - 1 ? 0.25 + 0.01 * i : 1.0;
            assert_int_equal(hlog_write_interval(f, tags[t], (double)k, len, &h), 0);
        }
    fclose(f);
    snprintf(path, sizeof path, "%s.load.json", base);
    json_t *j = json_pack("{s:s, s:{s:i}}", "schema", "c10k-load/1", "requests", "completed", 10);
    assert_int_equal(json_dump_file(j, path, 0), 0);
    json_decref(j);
    hist_close(&h);
}

/* merged[t][k]: the merged log's intervals, by tag and start */
struct merged {
    struct hist h[2][MAX_K];
    int seen[2][MAX_K];
    double start_time;
};

static void read_merged(const char *path, struct merged *m)
{
    char *line = NULL;
    size_t cap = 0;
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    while (getline(&line, &cap, f) > 0) {
        struct hlog_interval iv;
        struct hist one;
        assert_int_equal(hist_init_lab(&one), 0);
        sscanf(line, "#[StartTime: %lf", &m->start_time);
        if (hlog_parse_line(line, &iv, &one) == 1) {
            int t = strcmp(iv.tag, "corrected") == 0 ? 0 : 1, k = (int)(iv.start_s + 0.5);
            assert_true(k >= 0 && k < MAX_K);
            assert_true(fabs((iv.start_s) - ((double)k)) < 1e-9);
            hist_add(&m->h[t][k], &one);
            m->seen[t][k]++;
        }
        hist_close(&one);
    }
    free(line);
    fclose(f);
}

static void adds_per_interval(void **state)
{
    (void)state;
    char dir[] = "/tmp/c10k-test-runmerge.XXXXXX", bases[RUNS][600], out[600], path[2048];
    const char *b[RUNS];
    struct merged m;
    struct hist want, total;
    assert_non_null(mkdtemp(dir));
    for (int i = 0; i < RUNS; i++) {
        snprintf(bases[i], sizeof bases[i], "%s/r%d", dir, i);
        b[i] = bases[i];
        write_run(bases[i], i);
    }
    snprintf(out, sizeof out, "%s/merged", dir);
    assert_int_equal(runmerge_files(b, RUNS, out), 0);

    memset(&m, 0, sizeof m);
    for (int t = 0; t < 2; t++)
        for (int k = 0; k < MAX_K; k++)
            assert_int_equal(hist_init_lab(&m.h[t][k]), 0);
    snprintf(path, sizeof path, "%s.hlog", out);
    read_merged(path, &m);
    assert_true(fabs((m.start_time) - (1000.0)) < 1e-6); /* the earliest run's */
    assert_int_equal(hist_init_lab(&want), 0);
    assert_int_equal(hist_init_lab(&total), 0);
    for (int t = 0; t < 2; t++)
        for (int k = 0; k < MAX_K; k++) {
            /* one line per interval and tag: the runs' k-th intervals added */
            assert_int_equal(m.seen[t][k], 1);
            hist_reset(&want);
            for (int i = 0; i < RUNS; i++)
                if (k < ks[i]) {
                    struct hist one;
                    assert_int_equal(hist_init_lab(&one), 0);
                    fill(&one, i, k, t);
                    hist_add(&want, &one);
                    hist_close(&one);
                }
            assert_int_equal(m.h[t][k].total_count, want.total_count);
            assert_memory_equal(m.h[t][k].counts, want.counts,
                                (size_t)want.counts_len * sizeof *want.counts);
            if (t == 0) hist_add(&total, &m.h[t][k]);
        }
    /* the merged intervals add up to the merged total */
    snprintf(path, sizeof path, "%s.load.json", out);
    json_t *j = json_load_file(path, 0, NULL);
    assert_non_null(j);
    json_t *lat = json_object_get(j, "latency_us");
    assert_int_equal(json_integer_value(json_object_get(lat, "count")), total.total_count);
    assert_int_equal(json_integer_value(json_object_get(lat, "p99")), hist_percentile(&total, 99));
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(j, "requests"), "completed")),
        10 * RUNS);
    json_decref(j);
    hist_close(&want);
    hist_close(&total);
    for (int t = 0; t < 2; t++)
        for (int k = 0; k < MAX_K; k++)
            hist_close(&m.h[t][k]);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(adds_per_interval)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
