/* test_units: lib/util's parsing of numbers with units (counts, durations,
 * sizes): accepted spellings, their values, syntax and range errors.
 * Try: meson test -C build --suite util. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "util.h"

enum kind { COUNT, DURATION, SIZE };

static const struct {
    enum kind kind;
    const char *in;
    int rc;
    uint64_t want;
} rows[] = {
    {COUNT, "100", 0, 100},
    {COUNT, "10k", 0, 10000},
    {COUNT, "10K", 0, 10000},
    {COUNT, "1.5M", 0, 1500000},
    {COUNT, "2G", 0, 2000000000},
    {COUNT, "0", 0, 0},
    {COUNT, "", -EINVAL, 0},
    {COUNT, "-1", -EINVAL, 0},
    {COUNT, "+1", -EINVAL, 0},
    {COUNT, "1x", -EINVAL, 0},
    {COUNT, "k", -EINVAL, 0},
    {COUNT, "1.5", -EINVAL, 0}, /* fractional count */
    {COUNT, "1.0001k", -EINVAL, 0},
    {COUNT, "nan", -EINVAL, 0},
    {COUNT, "inf", -EINVAL, 0},
    {COUNT, "1e400", -EINVAL, 0},
    {COUNT, "3G", -ERANGE, 0}, /* counts are checked against max 2G below */
    {DURATION, "250us", 0, 250000},
    {DURATION, "500ms", 0, 500000000},
    {DURATION, "10s", 0, 10000000000ull},
    {DURATION, "2m", 0, 120000000000ull},
    {DURATION, "1h", 0, 3600000000000ull},
    {DURATION, "7", 0, 7000000000ull}, /* bare number: default unit, seconds here */
    {DURATION, "1.5s", 0, 1500000000},
    {DURATION, "15ns", 0, 15},
    {DURATION, "10 s", -EINVAL, 0},
    {DURATION, "10sec", -EINVAL, 0},
    {DURATION, "2h", -ERANGE, 0},
    {SIZE, "4096", 0, 4096},
    {SIZE, "64k", 0, 65536},
    {SIZE, "64KiB", 0, 65536},
    {SIZE, "8M", 0, 8388608},
    {SIZE, "8MiB", 0, 8388608},
    {SIZE, "1G", 0, 1073741824},
    {SIZE, "1GiB", 0, 1073741824},
    {SIZE, "12B", 0, 12},
    {SIZE, "64kb", -EINVAL, 0},
    {SIZE, "0.5k", 0, 512},
    {SIZE, "2G", -ERANGE, 0},
};

static void test_rows(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        uint64_t v = 424242;
        int rc;
        if (rows[i].kind == COUNT)
            rc = util_parse_count(rows[i].in, 0, 2000000000, &v);
        else if (rows[i].kind == DURATION)
            rc = util_parse_duration_ns(rows[i].in, UTIL_NS_PER_S, 0, 3600 * UTIL_NS_PER_S, &v);
        else
            rc = util_parse_size(rows[i].in, 0, 1u << 30, &v);
        if (rc != rows[i].rc || (rc == 0 && v != rows[i].want) || (rc != 0 && v != 424242)) {
            fprintf(stderr, "\"%s\": rc %d value %llu, want rc %d value %llu\n", rows[i].in, rc,
                    (unsigned long long)v, rows[i].rc, (unsigned long long)rows[i].want);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

static void test_min_bound(void **state)
{
    (void)state;
    uint64_t v;
    assert_int_equal(util_parse_count("0", 1, 10, &v), -ERANGE);
    assert_int_equal(util_parse_count("1", 1, 10, &v), 0);
    assert_int_equal(util_parse_count("10", 1, 10, &v), 0);
    assert_int_equal(util_parse_count("11", 1, 10, &v), -ERANGE);
    assert_int_equal(util_parse_count(NULL, 0, 10, &v), -EINVAL);
}

/* util.h: "Whitespace is not accepted" (strtod alone would skip leading blanks). */
static void test_no_whitespace(void **state)
{
    (void)state;
    uint64_t v;
    assert_int_equal(util_parse_count("1 ", 0, 10, &v), -EINVAL);
    assert_int_equal(util_parse_count(" 1", 0, 10, &v), -EINVAL);
    assert_int_equal(util_parse_duration_ns("\t5s", 1, 0, UTIL_NS_PER_S * 10, &v), -EINVAL);
    assert_int_equal(util_parse_size("\n64k", 0, 1u << 20, &v), -EINVAL);
}

static void test_fmt_duration(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(util_fmt_duration(850, buf, sizeof buf), "850ns");
    assert_string_equal(util_fmt_duration(1500, buf, sizeof buf), "1.50us");
    assert_string_equal(util_fmt_duration(1230000, buf, sizeof buf), "1.23ms");
    assert_string_equal(util_fmt_duration(2500000000ull, buf, sizeof buf), "2.50s");
}

static void test_mono_clock(void **state)
{
    (void)state;
    uint64_t a = util_mono_ns(), b = util_mono_ns();
    assert_true(a > 0);
    assert_true(b >= a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),          cmocka_unit_test(test_min_bound),
        cmocka_unit_test(test_no_whitespace), cmocka_unit_test(test_fmt_duration),
        cmocka_unit_test(test_mono_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
