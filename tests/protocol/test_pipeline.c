/* test_pipeline: several requests in one buffer are answered in order, a
 * fatal one in the middle stops the stream, an echo body is never parsed as a
 * request; whole, byte-by-byte and random deliveries agree.
 * Try: meson test -C build --suite protocol pipeline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "feed.h"

/* The stream parsed whole, byte by byte and with 32 random splits. */
static void feed_all_ways(const char *buf, size_t len, struct feed_log *whole)
{
    static struct feed_log other;
    feed_stream(buf, len, 0, 0, whole);
    for (size_t s = 0; s <= 32; s++) {
        feed_stream(buf, len, s == 0 ? 1 : 3 + s, 0x51ed27ull * (s + 7), &other);
        size_t d = feed_diff(whole, &other);
        if (d) fprintf(stderr, "split %zu differs at result %zu\n", s, d);
        assert_int_equal(d, 0);
    }
}

#define ECHO5 "POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"

static void test_four_kept(void **state)
{
    (void)state;
    static const char in[] = "GET / HTTP/1.1\r\n\r\n"
                             "GET /nope HTTP/1.1\r\n\r\n" ECHO5 "GET /?size=3 HTTP/1.1\r\n\r\n";
    static struct feed_log log;
    feed_all_ways(in, sizeof in - 1, &log);
    assert_int_equal(log.count, 4);
    assert_false(log.closed);
    assert_int_equal(log.consumed, sizeof in - 1);
    const uint16_t want[] = {200, 404, 200, 200};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(log.res[i].req.status, want[i]);
    assert_true(log.res[2].req.echo);
    assert_memory_equal(in + log.res[2].body_off, "hello", 5);
    assert_int_equal(log.res[3].req.size, 3);
}

static void test_fatal_in_middle(void **state)
{
    (void)state;
    static const char in[] = "GET / HTTP/1.1\r\n\r\n"
                             "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"
                             "GET / HTTP/1.1\r\n\r\n";
    static struct feed_log log;
    feed_all_ways(in, sizeof in - 1, &log);
    assert_int_equal(log.count, 2);
    assert_true(log.closed);
    assert_int_equal(log.res[0].req.status, 200);
    assert_int_equal(log.res[1].req.status, 400);
    assert_int_equal(log.res[1].req.conn, PROTO_CONN_CLOSE);
    assert_int_equal(log.res[1].start, 18);
}

static void test_kept_error_in_middle(void **state)
{
    (void)state;
    static const char in[] = "GET / HTTP/1.1\r\n\r\n"
                             "GET /?size=-1 HTTP/1.1\r\n\r\n"
                             "DELETE / HTTP/1.1\r\n\r\n"
                             "GET / HTTP/1.1\r\nConnection: close\r\n\r\n"
                             "GET / HTTP/1.1\r\n\r\n";
    static struct feed_log log;
    feed_all_ways(in, sizeof in - 1, &log);
    assert_int_equal(log.count, 4);
    assert_true(log.closed);
    assert_int_equal(log.res[1].req.status, 400);
    assert_int_equal(log.res[1].req.conn, PROTO_CONN_KEEP);
    assert_int_equal(log.res[2].req.status, 501);
    assert_int_equal(log.res[3].req.conn, PROTO_CONN_CLOSE);
}

static void test_echo_body_not_parsed(void **state)
{
    (void)state;
    static const char in[] = "POST /echo HTTP/1.1\r\nContent-Length: 18\r\n\r\n"
                             "GET / HTTP/1.1\r\n\r\n"
                             "GET /x HTTP/1.1\r\n\r\n";
    static struct feed_log log;
    feed_all_ways(in, sizeof in - 1, &log);
    assert_int_equal(log.count, 2);
    assert_int_equal(log.res[0].req.body_len, 18);
    assert_int_equal(log.res[1].req.status, 404);
}

/* Every table row that keeps the connection, back to back in one stream. */
static void test_all_kept_rows(void **state)
{
    (void)state;
    size_t len = 0, rows = 0;
    for (size_t i = 0; i < pcases_count; i++)
        if (pcases[i].conn != PROTO_CONN_CLOSE) len += pcases[i].in_len;
    char *in = malloc(len);
    assert_non_null(in);
    const struct pcase *order[FEED_MAX];
    len = 0;
    for (size_t i = 0; i < pcases_count && rows < FEED_MAX; i++) {
        if (pcases[i].conn == PROTO_CONN_CLOSE) continue;
        memcpy(in + len, pcases[i].in, pcases[i].in_len);
        len += pcases[i].in_len;
        order[rows++] = &pcases[i];
    }
    static struct feed_log log;
    feed_all_ways(in, len, &log);
    assert_int_equal(log.count, rows);
    int failed = 0;
    for (size_t i = 0; i < rows; i++)
        failed += check_row(order[i], log.res[i].n, &log.res[i].req, "pipelined");
    assert_int_equal(failed, 0);
    free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_kept),
        cmocka_unit_test(test_fatal_in_middle),
        cmocka_unit_test(test_kept_error_in_middle),
        cmocka_unit_test(test_echo_body_not_parsed),
        cmocka_unit_test(test_all_kept_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
