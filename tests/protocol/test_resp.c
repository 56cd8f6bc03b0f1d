/* test_resp: the response writer byte for byte against an snprintf oracle for
 * every status and connection mode, proto_resp_body chunking over a 16 MiB
 * body, echo bodies, and proto_resp_write's "does not fit" case.
 * Try: meson test -C build --suite protocol resp. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto.h"

static const struct {
    unsigned status;
    const char *reason;
} statuses[] = {
    {200, "OK"},
    {400, "Bad Request"},
    {404, "Not Found"},
    {413, "Content Too Large"},
    {431, "Request Header Fields Too Large"},
    {501, "Not Implemented"},
    {505, "HTTP Version Not Supported"},
};

static const char *conn_line[] = {
    [PROTO_CONN_KEEP] = "",
    [PROTO_CONN_KEEP10] = "Connection: keep-alive\r\n",
    [PROTO_CONN_CLOSE] = "Connection: close\r\n",
};

static void test_heads_and_error_bodies(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        for (uint8_t conn = 0; conn <= PROTO_CONN_CLOSE; conn++) {
            struct proto_req req = {.status = (uint16_t)statuses[i].status, .conn = conn};
            char want[512], got[512];
            const char *body = statuses[i].status == 200 ? "Hello, World!" : NULL;
            char err[64];
            if (!body) {
                snprintf(err, sizeof err, "%s\n", statuses[i].reason);
                body = err;
            }
            int n = snprintf(want, sizeof want,
                             "HTTP/1.1 %u %s\r\nContent-Type: text/plain\r\n"
                             "Content-Length: %zu\r\n%s\r\n%s",
                             statuses[i].status, statuses[i].reason, strlen(body), conn_line[conn],
                             body);
            size_t w = proto_resp_write(&req, got, sizeof got);
            assert_int_equal(w, (size_t)n);
            assert_memory_equal(got, want, w);
            assert_true(proto_resp_head(&req, got) <= PROTO_RESP_HEAD_MAX);
            assert_string_equal(proto_reason(statuses[i].status), statuses[i].reason);
        }
    }
}

static void test_exact_hello(void **state)
{
    (void)state;
    static const char want[] =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";
    struct proto_req req = {.status = 200};
    char out[256];
    assert_int_equal(proto_resp_write(&req, out, sizeof out), sizeof want - 1);
    assert_memory_equal(out, want, sizeof want - 1);
    assert_int_equal(proto_resp_body_len(&req), PROTO_HELLO_LEN);
}

/* Walks a body of total bytes with chunks of at most limit (0 = no limit),
 * checking the a..z pattern; returns the number of chunks. */
static size_t walk_pattern(const struct proto_req *req, size_t total, size_t limit)
{
    size_t off = 0, chunks = 0;
    while (off < total) {
        size_t len = limit;
        const char *p = proto_resp_body(req, off, &len);
        assert_true(len >= 1);
        if (limit)
            assert_true(len <= limit);
        else if (off + len < total)
            assert_true(len >= 65536); /* unlimited chunks are big */
        for (size_t i = 0; i < len; i++)
            if (p[i] != (char)('a' + (off + i) % 26)) fail_msg("byte %zu is '%c'", off + i, p[i]);
        off += len;
        chunks++;
    }
    assert_int_equal(off, total);
    return chunks;
}

static void test_16mib_chunks(void **state)
{
    (void)state;
    struct proto_req req = {.status = 200, .has_size = true, .size = PROTO_SIZE_MAX};
    assert_int_equal(proto_resp_body_len(&req), PROTO_SIZE_MAX);
    size_t chunks = walk_pattern(&req, PROTO_SIZE_MAX, 0);
    assert_true(chunks < PROTO_SIZE_MAX / 65536 + 2);
    walk_pattern(&req, PROTO_SIZE_MAX, 1000003);
    struct proto_req small = {.status = 200, .has_size = true, .size = 100000};
    walk_pattern(&small, 100000, 7);
    size_t len = 5;
    proto_resp_body(&req, PROTO_SIZE_MAX, &len);
    assert_int_equal(len, 0); /* past the end */
}

static void test_echo_body(void **state)
{
    (void)state;
    char body[1000];
    for (size_t i = 0; i < sizeof body; i++)
        body[i] = (char)i;
    struct proto_req req = {.status = 200, .echo = true, .body = body, .body_len = sizeof body};
    size_t len = 0;
    const char *p = proto_resp_body(&req, 10, &len);
    assert_ptr_equal(p, body + 10); /* not copied */
    assert_int_equal(len, sizeof body - 10);
    len = 3;
    p = proto_resp_body(&req, 997, &len);
    assert_int_equal(len, 3);
    char out[1200];
    size_t n = proto_resp_write(&req, out, sizeof out);
    assert_memory_equal(out + n - sizeof body, body, sizeof body);
    assert_memory_equal(
        out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n",
        n - sizeof body);
}

static void test_does_not_fit(void **state)
{
    (void)state;
    struct proto_req req = {.status = 200, .has_size = true, .size = 1000};
    char head[PROTO_RESP_HEAD_MAX];
    size_t total = proto_resp_head(&req, head) + 1000;
    char *out = malloc(total + 16);
    assert_non_null(out);
    memset(out, 'Z', total + 16);
    assert_int_equal(proto_resp_write(&req, out, total - 1), 0);
    assert_int_equal(proto_resp_write(&req, out, 10), 0);
    assert_int_equal(proto_resp_write(&req, out, 0), 0);
    assert_int_equal(proto_resp_write(&req, out, total), total);
    assert_int_equal(out[total], 'Z'); /* nothing written past cap */
    struct proto_req hello = {.status = 200};
    char small[77]; /* the hello response is 78 bytes */
    assert_int_equal(proto_resp_write(&hello, small, sizeof small), 0);
    free(out);
}

static void test_unknown_status(void **state)
{
    (void)state;
    assert_string_equal(proto_reason(299), "Unknown");
    struct proto_req req = {.status = 299};
    char out[256];
    size_t n = proto_resp_write(&req, out, sizeof out);
    static const char want[] =
        "HTTP/1.1 299 Unknown\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n\r\nUnknown\n";
    assert_int_equal(n, sizeof want - 1);
    assert_memory_equal(out, want, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heads_and_error_bodies), cmocka_unit_test(test_exact_hello),
        cmocka_unit_test(test_16mib_chunks),           cmocka_unit_test(test_echo_body),
        cmocka_unit_test(test_does_not_fit),           cmocka_unit_test(test_unknown_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
