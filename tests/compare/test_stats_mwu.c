/* test_stats_mwu: two-sided Mann-Whitney U p-values and the smallest p a
 * sample size can reach. References from tests/compare/ref_stats.py: exact
 * values by brute-force enumeration of all C(N, na) group assignments
 * (Fractions), normal-approximation values by its erfc formula. */
#include "stats.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void check(const double *a, size_t na, const double *b, size_t nb, double want)
{
    double p = stats_mwu_p(a, na, b, nb);
    assert_float_equal(p, want, 1e-9);
    /* the test is symmetric in its arguments */
    assert_float_equal(stats_mwu_p(b, nb, a, na), want, 1e-9);
}

static void test_exact_no_ties(void **state)
{
    (void)state;
    const double a1[] = {1, 2, 3, 4}, b1[] = {5, 6, 7, 8};
    check(a1, N(a1), b1, N(b1), 1.0 / 35);
    const double a2[] = {1.1, 2.5, 3.3, 4.8, 6.0}, b2[] = {2.0, 3.0, 5.5, 7.1, 8.2};
    check(a2, N(a2), b2, N(b2), 53.0 / 126);
    const double a3[] = {100, 104, 98, 101, 99, 103}, b3[] = {120, 118, 124, 101, 119, 122, 121};
    check(a3, N(a3), b3, N(b3), 3.0 / 572);
}

static void test_exact_ties(void **state)
{
    (void)state;
    const double a[] = {10, 10, 12, 15}, b[] = {10, 12, 12, 16, 18};
    check(a, N(a), b, N(b), 7.0 / 18);
    const double c[] = {5, 5, 5}, d[] = {5, 5, 5};
    check(c, N(c), d, N(d), 1);
    const double g[] = {3, 5, 5, 7, 7, 7, 9, 12}, h[] = {5, 7, 9, 9, 11, 12, 12, 14, 15};
    check(g, N(g), h, N(h), 919.0 / 24310);
    const double e[] = {1}, f[] = {2};
    check(e, 1, f, 1, 1);
}

static void test_normal(void **state)
{
    (void)state;
    double a[50], b[50];
    for (int i = 0; i < 40; i++) {
        a[i] = i;
        b[i] = i + 7.5;
    }
    check(a, 40, b, 40, 0.00898800712214);
    for (int i = 0; i < 50; i++)
        a[i] = i / 3;
    for (int i = 0; i < 45; i++)
        b[i] = i / 3 + 2;
    check(a, 50, b, 45, 0.245586888967);
}

/* exact at the largest size it is used for agrees with the approximation */
static void test_exact_vs_normal(void **state)
{
    (void)state;
    double a[STATS_MWU_EXACT_MAX], b[STATS_MWU_EXACT_MAX + 2];
    size_t na = STATS_MWU_EXACT_MAX / 2, nb = STATS_MWU_EXACT_MAX - na;
    for (size_t i = 0; i < na; i++)
        a[i] = (double)i * 1.3;
    for (size_t i = 0; i < nb + 2; i++)
        b[i] = (double)i * 1.1 + 3;
    double exact = stats_mwu_p(a, na, b, nb);      /* N = 64: exact */
    double approx = stats_mwu_p(a, na, b, nb + 2); /* N = 66: normal */
    assert_true(exact > 0.5 && exact < 1);
    assert_true(fabs(exact - approx) < 0.25);
}

static void test_min_p(void **state)
{
    (void)state;
    assert_float_equal(stats_mwu_min_p(2, 2), 1.0 / 3, 1e-12);
    assert_float_equal(stats_mwu_min_p(3, 3), 0.1, 1e-12);
    assert_float_equal(stats_mwu_min_p(4, 4), 1.0 / 35, 1e-12);
    assert_float_equal(stats_mwu_min_p(3, 5), 1.0 / 28, 1e-12);
    assert_float_equal(stats_mwu_min_p(7, 7), 0.000582750582751, 1e-12);
    assert_float_equal(stats_mwu_min_p(0, 5), 1, 0);
    /* the exact test does reach its minimum */
    const double a[] = {1, 2, 3, 4}, b[] = {5, 6, 7, 8};
    assert_float_equal(stats_mwu_p(a, 4, b, 4), stats_mwu_min_p(4, 4), 1e-12);
    assert_true(isnan(stats_mwu_p(a, 0, b, 4)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_no_ties), cmocka_unit_test(test_exact_ties),
        cmocka_unit_test(test_normal),        cmocka_unit_test(test_exact_vs_normal),
        cmocka_unit_test(test_min_p),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
