/* test_stats_order: median, quantiles and the binomial CI of the median.
 * Reference ranks from tests/compare/ref_stats.py (exact binomial sums) and
 * the classic tables (n=20 -> x6..x15, n=100 -> x40..x61 at 95%). */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

static void test_median_odd_even(void **state)
{
    (void)state;
    double odd[] = {5, 1, 4, 2, 3};
    assert_float_equal(stats_median(odd, 5), 3, 0);
    assert_float_equal(odd[0], 1, 0); /* sorted in place */
    double even[] = {10, 40, 20, 30};
    assert_float_equal(stats_median(even, 4), 25, 0);
    double one[] = {7.5};
    assert_float_equal(stats_median(one, 1), 7.5, 0);
    assert_true(isnan(stats_median(NULL, 0)));
}

static void test_quantiles(void **state)
{
    (void)state;
    /* type 7 (numpy default): h = (n-1) q */
    const double v[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assert_float_equal(stats_quantile_sorted(v, 10, 0), 1, 0);
    assert_float_equal(stats_quantile_sorted(v, 10, 1), 10, 0);
    assert_float_equal(stats_quantile_sorted(v, 10, 0.5), 5.5, 1e-12);
    assert_float_equal(stats_quantile_sorted(v, 10, 0.9), 9.1, 1e-12);
    assert_float_equal(stats_quantile_sorted(v, 10, 0.25), 3.25, 1e-12);
    assert_true(isnan(stats_quantile_sorted(v, 0, 0.5)));
}

static void test_ci_ranks(void **state)
{
    (void)state;
    assert_int_equal(stats_median_ci_rank(5, 0.95), 0);
    assert_int_equal(stats_median_ci_rank(6, 0.95), 1);
    assert_int_equal(stats_median_ci_rank(10, 0.95), 2);
    assert_int_equal(stats_median_ci_rank(10, 0.99), 1);
    assert_int_equal(stats_median_ci_rank(20, 0.95), 6);
    assert_int_equal(stats_median_ci_rank(20, 0.99), 4);
    assert_int_equal(stats_median_ci_rank(100, 0.95), 40);
    assert_int_equal(stats_median_ci_rank(100, 0.99), 37);
}

static void test_ci_values(void **state)
{
    (void)state;
    double v[20];
    for (int i = 0; i < 20; i++)
        v[i] = (double)((i * 7) % 20) * 10; /* 0..190 shuffled */
    double lo, hi;
    assert_int_equal(stats_median_ci(v, 20, 0.95, &lo, &hi), 0);
    assert_float_equal(lo, 50, 0);  /* x_(6) */
    assert_float_equal(hi, 140, 0); /* x_(15) */
    double small[] = {3, 1, 2, 5, 4};
    assert_int_equal(stats_median_ci(small, 5, 0.95, &lo, &hi), -EDOM);
    assert_float_equal(lo, 1, 0);
    assert_float_equal(hi, 5, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_median_odd_even),
        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_ci_ranks),
        cmocka_unit_test(test_ci_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
