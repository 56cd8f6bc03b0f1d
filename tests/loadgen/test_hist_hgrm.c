/* test_hist_hgrm: the .hgrm text parses back: header, monotone percentile
 * lines whose values match hist_percentile, a 100% line, and the footer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "hist.h"

static void check_line(const struct hist *h, const char *line, double *last_pct, long long *last_n,
                       int *lines, int *final)
{
    double v, pct, inv;
    long long n;
    int k = sscanf(line, "%lf %lf %lld %lf", &v, &pct, &n, &inv);
    assert_true(k == 4 || k == 3);
    assert_true(pct >= *last_pct && n >= *last_n);
    if (k == 4) {
        assert_true(fabs(inv - 1.0 / (1.0 - pct)) < 0.01 * inv);
        assert_true(fabs(v - (double)hist_percentile(h, pct * 100)) <= 1e-3 * v + 1);
    } else {
        assert_true(pct == 1.0);
        assert_int_equal(n, h->total_count);
        assert_true(fabs(v - (double)hist_max(h)) < 0.5);
        *final = 1;
    }
    *last_pct = pct;
    *last_n = n;
    (*lines)++;
}

static void layout_parses_back(void **state)
{
    (void)state;
    struct hist h;
    assert_int_equal(hist_init_lab(&h), 0);
    for (int64_t i = 0; i < 50000; i++)
        hist_record(&h, 20 + (i * i) % 30011);
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(hist_write_hgrm(&h, f, 5, 1.0), 0);
    rewind(f);
    char line[256];
    assert_non_null(fgets(line, sizeof(line), f));
    char c1[32], c2[32], c3[32], c4[32];
    assert_int_equal(sscanf(line, "%31s %31s %31s %31s", c1, c2, c3, c4), 4);
    assert_string_equal(c1, "Value");
    assert_string_equal(c2, "Percentile");
    assert_string_equal(c3, "TotalCount");
    assert_string_equal(c4, "1/(1-Percentile)");
    assert_non_null(fgets(line, sizeof(line), f));
    assert_string_equal(line, "\n");
    double last_pct = 0, mean, sd, max;
    long long last_n = 0, total;
    int lines = 0, final = 0, buckets, subs;
    while (fgets(line, sizeof(line), f) && line[0] != '#')
        check_line(&h, line, &last_pct, &last_n, &lines, &final);
    assert_true(final);
    assert_true(lines > 50);
    assert_int_equal(sscanf(line, "#[Mean    = %lf, StdDeviation   = %lf]", &mean, &sd), 2);
    assert_true(fabs(mean - hist_mean(&h)) < 0.001);
    assert_true(fabs(sd - hist_stdev(&h)) < 0.001);
    assert_non_null(fgets(line, sizeof(line), f));
    assert_int_equal(sscanf(line, "#[Max     = %lf, Total count    = %lld]", &max, &total), 2);
    assert_int_equal(total, 50000);
    assert_true(fabs(max - (double)hist_max(&h)) < 0.001);
    assert_non_null(fgets(line, sizeof(line), f));
    assert_int_equal(sscanf(line, "#[Buckets = %d, SubBuckets     = %d]", &buckets, &subs), 2);
    assert_int_equal(buckets, h.bucket_count);
    assert_int_equal(subs, 2048);
    assert_null(fgets(line, sizeof(line), f));
    fclose(f);
    hist_close(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(layout_parses_back)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
