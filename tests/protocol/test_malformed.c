/* test_malformed: generated hostile inputs: head and header-count limits at
 * and past their edge (also while partial), a NUL or control byte at every
 * position, the 1 MiB echo edge, random bytes; plus the linear scan hint.
 * Try: meson test -C build --suite protocol malformed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "feed.h"

static ssize_t parse(const char *buf, size_t len, struct proto_req *req)
{
    struct proto_parser p;
    proto_parser_init(&p);
    return proto_parse(&p, buf, len, req);
}

/* "GET / HTTP/1.1\r\n" + one "X: vvv" field padding the head to head_len bytes. */
static char *head_of_len(size_t head_len)
{
    static const char line[] = "GET / HTTP/1.1\r\nX: ";
    char *b = malloc(head_len);
    if (!b)
        abort(); /* tells the compiler too, unlike assert_non_null */
    assert_true(head_len >= sizeof line - 1 + 4);
    memcpy(b, line, sizeof line - 1);
    memset(b + sizeof line - 1, 'v', head_len - (sizeof line - 1) - 4);
    memcpy(b + head_len - 4, "\r\n\r\n", 4);
    return b;
}

static void test_head_limit(void **state)
{
    (void)state;
    struct proto_req req;
    char *b = head_of_len(PROTO_HEAD_MAX);
    assert_int_equal(parse(b, PROTO_HEAD_MAX, &req), PROTO_HEAD_MAX);
    assert_int_equal(req.status, 200);
    assert_int_equal(parse(b, PROTO_HEAD_MAX - 1, &req), PROTO_PARTIAL);
    free(b);
    b = head_of_len(PROTO_HEAD_MAX + 1);
    assert_int_equal(parse(b, PROTO_HEAD_MAX + 1, &req), PROTO_HEAD_MAX);
    assert_int_equal(req.status, 431);
    assert_int_equal(req.conn, PROTO_CONN_CLOSE);
    free(b);
}

/* 9 KiB of headers: 431 once 8 KiB are buffered, without waiting for the end. */
static void test_nine_kib_partial(void **state)
{
    (void)state;
    char *b = head_of_len(9 * 1024);
    struct proto_req req;
    assert_int_equal(parse(b, PROTO_HEAD_MAX - 1, &req), PROTO_PARTIAL);
    assert_int_equal(parse(b, PROTO_HEAD_MAX, &req), PROTO_HEAD_MAX);
    assert_int_equal(req.status, 431);
    static struct feed_log bytes;
    feed_stream(b, 9 * 1024, 1, 0, &bytes);
    assert_int_equal(bytes.count, 1);
    assert_int_equal(bytes.res[0].n, PROTO_HEAD_MAX);
    assert_int_equal(bytes.res[0].req.status, 431);
    assert_true(bytes.closed);
    free(b);
}

static char *many_headers(unsigned count, size_t *len)
{
    char *b = malloc(32 + count * 16u);
    if (!b)
        abort(); /* tells the compiler too, unlike assert_non_null */
    size_t n = (size_t)sprintf(b, "GET / HTTP/1.1\r\n");
    for (unsigned i = 0; i < count; i++)
        n += (size_t)sprintf(b + n, "H%u: %u\r\n", i, i);
    n += (size_t)sprintf(b + n, "\r\n");
    *len = n;
    return b;
}

static void test_header_count(void **state)
{
    (void)state;
    struct proto_req req;
    size_t len;
    char *b = many_headers(PROTO_HEADERS_MAX, &len);
    assert_int_equal(parse(b, len, &req), (ssize_t)len);
    assert_int_equal(req.status, 200);
    free(b);
    b = many_headers(PROTO_HEADERS_MAX + 1, &len);
    assert_int_equal(parse(b, len, &req), (ssize_t)len);
    assert_int_equal(req.status, 431);
    assert_int_equal(req.conn, PROTO_CONN_CLOSE);
    free(b);
}

/* A NUL, a bare LF, ESC or DEL at any position of the head: 400 close,
 * decided at that byte. */
static void test_bad_byte_everywhere(void **state)
{
    (void)state;
    static const char good[] = "GET /?size=1 HTTP/1.1\r\nHost: x\r\n\r\n";
    static const char bad[] = {'\0', '\n', 0x1b, 0x7f};
    char b[sizeof good];
    for (size_t k = 0; k < sizeof bad; k++) {
        for (size_t i = 0; i < sizeof good - 1; i++) {
            if (good[i] == bad[k]) continue;
            memcpy(b, good, sizeof good);
            b[i] = bad[k]; /* in place of an LF it is a CR without LF: also at i */
            struct proto_req req;
            ssize_t n = parse(b, sizeof good - 1, &req), want = (ssize_t)i + 1;
            if (n != want || req.status != 400 || req.conn != PROTO_CONN_CLOSE)
                fprintf(stderr, "byte 0x%02x at %zu: n=%zd status=%u\n", bad[k], i, n, req.status);
            assert_int_equal(n, want);
            assert_int_equal(req.status, 400);
        }
    }
}

static char *echo_request(size_t cl, size_t body, size_t *len)
{
    char *b = malloc(64 + body);
    if (!b)
        abort(); /* tells the compiler too, unlike assert_non_null */
    size_t n = (size_t)sprintf(b, "POST /echo HTTP/1.1\r\nContent-Length: %zu\r\n\r\n", cl);
    for (size_t i = 0; i < body; i++)
        b[n + i] = (char)(i * 7);
    *len = n + body;
    return b;
}

static void test_echo_limit(void **state)
{
    (void)state;
    struct proto_req req;
    size_t len;
    char *b = echo_request(PROTO_ECHO_MAX, PROTO_ECHO_MAX, &len);
    assert_int_equal(parse(b, len - 1, &req), PROTO_PARTIAL);
    assert_int_equal(parse(b, len, &req), (ssize_t)len);
    assert_int_equal(req.status, 200);
    assert_true(req.echo);
    assert_int_equal(req.body_len, PROTO_ECHO_MAX);
    assert_ptr_equal(req.body, b + len - PROTO_ECHO_MAX);
    free(b);
    b = echo_request(PROTO_ECHO_MAX + 1, 0, &len);
    assert_int_equal(parse(b, len, &req), (ssize_t)len);
    assert_int_equal(req.status, 413);
    assert_int_equal(req.conn, PROTO_CONN_CLOSE);
    free(b);
}

/* Random bytes (and random bytes after a valid request line): n is partial or
 * within 1..len, and whole == byte by byte. */
static void test_random_bytes(void **state)
{
    (void)state;
    static char b[512];
    static struct feed_log whole, bytes;
    uint64_t s = 88172645463325252ull;
    for (int round = 0; round < 2000; round++) {
        size_t len = 1 + (size_t)(s % sizeof b);
        size_t start = round % 2 ? 0 : (size_t)sprintf(b, "GET / HTTP/1.1\r\n");
        for (size_t i = start; i < len; i++) {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17;
            b[i] = round % 4 < 2 ? (char)s : "GET /?=&:\r\n 0123456789sizeHTTP/1."[s % 34];
        }
        if (len < start) len = start;
        feed_stream(b, len, 0, 0, &whole);
        feed_stream(b, len, 1, 0, &bytes);
        assert_int_equal(feed_diff(&whole, &bytes), 0);
        for (size_t i = 0; i < whole.count; i++)
            assert_true(whole.res[i].n >= 1 && whole.res[i].start + (size_t)whole.res[i].n <= len);
    }
}

/* Fed byte by byte, the parser resumes where it stopped: scanned follows len. */
static void test_scan_hint_linear(void **state)
{
    (void)state;
    char *b = head_of_len(4096);
    struct proto_parser p;
    struct proto_req req;
    proto_parser_init(&p);
    for (size_t k = 1; k < 4096; k++) {
        assert_int_equal(proto_parse(&p, b, k, &req), PROTO_PARTIAL);
        assert_true(p.scanned + 1 >= k);
    }
    assert_int_equal(proto_parse(&p, b, 4096, &req), 4096);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_head_limit),       cmocka_unit_test(test_nine_kib_partial),
        cmocka_unit_test(test_header_count),     cmocka_unit_test(test_bad_byte_everywhere),
        cmocka_unit_test(test_echo_limit),       cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_scan_hint_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
