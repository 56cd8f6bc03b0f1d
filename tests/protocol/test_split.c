/* test_split: every table row fed whole, byte by byte and in random splits
 * gives the same results (n, fields, body offset) and the row's expected ones.
 * Try: meson test -C build --suite protocol split. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "check.h"
#include "feed.h"

#define SPLIT_SEEDS 64

static int one_row(const struct pcase *c)
{
    static struct feed_log whole, other;
    feed_stream(c->in, c->in_len, 0, 0, &whole);
    if (whole.count != 1) {
        fprintf(stderr, "row \"%s\": %zu results whole, want 1\n", c->name, whole.count);
        return 1;
    }
    struct proto_req req = whole.res[0].req;
    req.body = c->in + whole.res[0].body_off;
    if (check_row(c, whole.res[0].n, &req, "whole stream")) return 1;
    for (size_t s = 0; s <= SPLIT_SEEDS; s++) {
        size_t step = s == 0 ? 1 : 2 + s % 16;
        feed_stream(c->in, c->in_len, step, 0x9e3779b97f4a7c15ull * (s + 1), &other);
        size_t d = feed_diff(&whole, &other);
        if (d) {
            fprintf(stderr, "row \"%s\": step %zu seed %zu differs at result %zu\n", c->name, step,
                    s, d);
            return 1;
        }
    }
    return 0;
}

static void test_rows_split(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < pcases_count; i++)
        failed += one_row(&pcases[i]);
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
