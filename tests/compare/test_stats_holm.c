/* test_stats_holm: Holm-Bonferroni adjusted p-values (reference: the
 * textbook step-down definition in tests/compare/ref_stats.py). */
#include "stats.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

static void test_holm_known(void **state)
{
    (void)state;
    double p[] = {0.01, 0.04, 0.03, 0.005, 0.5};
    const double want[] = {0.04, 0.09, 0.09, 0.025, 0.5};
    stats_holm(p, 5);
    for (int i = 0; i < 5; i++)
        assert_float_equal(p[i], want[i], 1e-12);
}

static void test_holm_caps_and_single(void **state)
{
    (void)state;
    double p[] = {0.6, 0.7, 0.2};
    stats_holm(p, 3);
    assert_float_equal(p[0], 1, 0);
    assert_float_equal(p[1], 1, 0);
    assert_float_equal(p[2], 0.6, 1e-12);
    double one[] = {0.03};
    stats_holm(one, 1);
    assert_float_equal(one[0], 0.03, 0);
    stats_holm(NULL, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_holm_known),
        cmocka_unit_test(test_holm_caps_and_single),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
