/* test_hist_clamp: no sample is dropped: values above 100 s are recorded at
 * the top and counted, negative values at 0 and counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hist.h"

static void clamps_and_counts(void **state)
{
    (void)state;
    struct hist h;
    assert_int_equal(hist_init_lab(&h), 0);
    for (int i = 0; i < 98; i++)
        hist_record(&h, 100);
    hist_record(&h, INT64_MAX);
    hist_record(&h, -5);
    assert_int_equal(h.total_count, 100);
    assert_int_equal(h.clamped, 2);
    assert_int_equal(hist_max(&h), hist_highest_equivalent(&h, HIST_LAB_HIGHEST_US));
    assert_true(hist_max(&h) >= HIST_LAB_HIGHEST_US);
    assert_int_equal(hist_min(&h), 0);
    assert_int_equal(hist_percentile(&h, 100), hist_max(&h));
    assert_int_equal(hist_percentile(&h, 50), 100);
    hist_record_n(&h, HIST_LAB_HIGHEST_US + 1, 10);
    assert_int_equal(h.clamped, 12);
    assert_int_equal(h.total_count, 110);
    hist_reset(&h);
    assert_int_equal(h.total_count, 0);
    assert_int_equal(h.clamped, 0);
    assert_int_equal(hist_percentile(&h, 99), 0);
    hist_close(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(clamps_and_counts)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
