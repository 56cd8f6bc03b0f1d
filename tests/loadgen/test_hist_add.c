/* test_hist_add: merging per-thread histograms (hist_add) gives the same
 * histogram as recording everything in one, for equal and different layouts. */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "hist.h"

static void add_equals_single(void **state)
{
    (void)state;
    struct hist a, b, all;
    assert_int_equal(hist_init_lab(&a), 0);
    assert_int_equal(hist_init_lab(&b), 0);
    assert_int_equal(hist_init_lab(&all), 0);
    uint64_t x = 12345;
    for (int i = 0; i < 100000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        int64_t v = (int64_t)((x >> 33) % 5000000);
        hist_record(i % 3 ? &a : &b, v);
        hist_record(&all, v);
    }
    hist_record(&b, 500000000); /* clamped */
    hist_record(&all, 500000000);
    assert_int_equal(hist_add(&a, &b), 0);
    assert_int_equal(a.total_count, all.total_count);
    assert_int_equal(a.clamped, 1);
    assert_memory_equal(a.counts, all.counts, (size_t)a.counts_len * sizeof(int64_t));
    assert_int_equal(hist_min(&a), hist_min(&all));
    assert_int_equal(hist_max(&a), hist_max(&all));
    for (double p = 0; p <= 100; p += 0.5)
        assert_int_equal(hist_percentile(&a, p), hist_percentile(&all, p));
    hist_close(&a);
    hist_close(&b);
    hist_close(&all);
}

static void add_other_layout(void **state)
{
    (void)state;
    struct hist lab, fine;
    assert_int_equal(hist_init_lab(&lab), 0);
    assert_int_equal(hist_init(&fine, 1, 1000000000, 4), 0);
    for (int64_t v = 1; v < 3000000; v += 997)
        hist_record(&fine, v);
    assert_int_equal(hist_add(&lab, &fine), 0);
    assert_int_equal(lab.total_count, fine.total_count);
    double p99f = (double)hist_percentile(&fine, 99), p99l = (double)hist_percentile(&lab, 99);
    assert_true(fabs(p99f - p99l) / p99f < 0.002);
    struct hist closed;
    memset(&closed, 0, sizeof(closed));
    assert_int_equal(hist_add(&lab, &closed), -EINVAL);
    hist_close(&lab);
    hist_close(&fine);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_equals_single),
        cmocka_unit_test(add_other_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
