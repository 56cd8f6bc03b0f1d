/* test_table: every row of the protocol table parsed whole from an exact-size
 * buffer, its fields and its response bytes checked.
 * Try: meson test -C build --suite protocol table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"

static void test_rows_whole(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < pcases_count; i++) {
        const struct pcase *c = &pcases[i];
        char *buf = malloc(c->in_len);
        assert_non_null(buf);
        memcpy(buf, c->in, c->in_len);
        struct proto_parser p;
        struct proto_req req;
        proto_parser_init(&p);
        ssize_t n = proto_parse(&p, buf, c->in_len, &req);
        int bad = check_row(c, n, &req, "whole");
        if (!bad) bad = check_resp(c, &req);
        if (!bad && c->echo && req.body != buf + c->in_len - c->body_len) {
            fprintf(stderr, "row \"%s\": echo body does not point at the request body\n", c->name);
            bad = 1;
        }
        failed += bad;
        free(buf);
    }
    assert_int_equal(failed, 0);
}

/* Every strict prefix of a row is PROTO_PARTIAL unless the row is decided
 * before its end (fatal errors that return early). */
static void test_rows_prefixes_partial(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < pcases_count; i++) {
        const struct pcase *c = &pcases[i];
        size_t decided = c->n ? (size_t)c->n : c->in_len;
        for (size_t k = 0; k < decided; k++) {
            struct proto_parser p;
            struct proto_req req;
            proto_parser_init(&p);
            if (proto_parse(&p, c->in, k, &req) != PROTO_PARTIAL) {
                fprintf(stderr, "row \"%s\": prefix of %zu bytes is not partial\n", c->name, k);
                failed++;
                break;
            }
        }
    }
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_whole),
        cmocka_unit_test(test_rows_prefixes_partial),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
