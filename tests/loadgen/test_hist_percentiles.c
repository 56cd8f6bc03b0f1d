/* test_hist_percentiles: percentiles, mean and stdev of lib/hist against an
 * exact sort of random data (error within 0.1%). meson test --suite loadgen */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <math.h>
#include <cmocka.h>

#include "hist.h"

#define N 200000

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Spread over the whole range: log-uniform from 1 us to 100 s. */
static int64_t sample(void)
{
    double u = (double)(rng_next() >> 11) / (double)(1ull << 53);
    return (int64_t)exp(u * log(1e8));
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void percentiles_match_sort(void **state)
{
    (void)state;
    struct hist h;
    assert_int_equal(hist_init_lab(&h), 0);
    int64_t *v = malloc(N * sizeof(*v));
    assert_non_null(v);
    double sum = 0;
    for (int i = 0; i < N; i++) {
        v[i] = sample();
        sum += (double)v[i];
        hist_record(&h, v[i]);
    }
    qsort(v, N, sizeof(*v), cmp_i64);
    static const double ps[] = {0.1, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100};
    for (size_t k = 0; k < sizeof(ps) / sizeof(ps[0]); k++) {
        size_t rank = (size_t)ceil(ps[k] / 100.0 * N);
        int64_t exact = v[rank ? rank - 1 : 0];
        int64_t got = hist_percentile(&h, ps[k]);
        double err = fabs((double)(got - exact)) / (double)exact;
        if (err > 0.001)
            fail_msg("p%g: hist %lld exact %lld (error %.5f)", ps[k], (long long)got,
                     (long long)exact, err);
    }
    double mean = sum / N;
    assert_true(fabs(hist_mean(&h) - mean) / mean < 0.001);
    assert_int_equal(h.total_count, N);
    assert_int_equal(h.clamped, 0);
    assert_true(hist_min(&h) <= v[0] && hist_max(&h) >= v[N - 1]);
    assert_true((double)(hist_max(&h) - v[N - 1]) / (double)v[N - 1] < 0.001);
    free(v);
    hist_close(&h);
}

static void small_values_exact(void **state)
{
    (void)state;
    struct hist h;
    assert_int_equal(hist_init_lab(&h), 0);
    for (int64_t i = 1; i <= 1000; i++)
        hist_record(&h, i);
    assert_int_equal(hist_percentile(&h, 50), 500);
    assert_int_equal(hist_percentile(&h, 99), 990);
    assert_int_equal(hist_min(&h), 1);
    assert_int_equal(hist_max(&h), 1000);
    assert_true(fabs(hist_mean(&h) - 500.5) < 1e-9);
    assert_true(fabs(hist_stdev(&h) - sqrt((1000.0 * 1000.0 - 1) / 12.0)) < 1e-6);
    hist_close(&h);
}

static void empty_and_invalid(void **state)
{
    (void)state;
    struct hist h;
    assert_int_equal(hist_init(&h, 0, 100, 3), -EINVAL);
    assert_int_equal(hist_init(&h, 10, 15, 3), -EINVAL);
    assert_int_equal(hist_init(&h, 1, 1000, 0), -EINVAL);
    assert_int_equal(hist_init(&h, 1, 1000, 6), -EINVAL);
    hist_close(&h);
    assert_int_equal(hist_init_lab(&h), 0);
    assert_int_equal(hist_percentile(&h, 99), 0);
    assert_int_equal(hist_max(&h), 0);
    assert_true(hist_mean(&h) == 0);
    /* 1 us .. 100 s at 3 digits: 2048 sub-buckets, buckets up to 2^27 */
    assert_int_equal(h.sub_bucket_count, 2048);
    assert_true(((int64_t)h.sub_bucket_count << (h.bucket_count - 1)) > HIST_LAB_HIGHEST_US);
    hist_close(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(percentiles_match_sort),
        cmocka_unit_test(small_values_exact),
        cmocka_unit_test(empty_and_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
