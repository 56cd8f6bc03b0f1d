/* test_resp: the c10k-load response parser, table-driven: every response fed
 * whole and byte by byte must give the same verdict, status and flags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "resp.h"

struct rcase {
    const char *text;
    int verdict; /* 1 complete, 0 needs more, -1 error */
    int status;
    int flags;   /* LG_RESP_CLOSE expected? */
    size_t tail; /* bytes left over after a complete response */
};

static const struct rcase cases[] = {
    {"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!", 1,
     200, 0, 0},
    {"HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sat, 21 Nov 2026 05:00:00 GMT\r\n"
     "Content-Type: text/plain\r\ncontent-length:13\r\nConnection: keep-alive\r\n\r\nHello, World!",
     1, 200, 0, 0},
    {"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", 1, 404, 0, 0},
    {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 200 OK\r\n", 1, 200, 0, 17},
    {"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 1, 400,
     LG_RESP_CLOSE, 0},
    {"HTTP/1.1 200 OK\r\nCONNECTION:   Close  \r\nContent-Length: 1\r\n\r\nx", 1, 200,
     LG_RESP_CLOSE, 0},
    {"HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 1\r\n\r\nx", 1, 200, 0, 0},
    {"HTTP/1.1 200 OK\r\nX-Content-Length: 5\r\nContent-Length: 1\r\n\r\nx", 1, 200, 0, 0},
    {"HTTP/1.0 204 No Content\r\n\r\n", 1, 204, 0, 0},
    {"HTTP/1.1 200\r\nContent-Length: 3\r\n\r\nabc", 1, 200, 0, 0},
    {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 0, 200, 0, 0},
    {"HTTP/1.1 200 OK\r\n\r\nuntil eof", 0, 200, 0, 0},
    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", -1, 0, 0, 0},
    {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", -1, 0, 0, 0},
    {"HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\nx", -1, 0, 0, 0},
    {"HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\nx", -1, 0, 0, 0},
    {"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n", -1, 0, 0, 0},
    {"HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", -1, 0, 0, 0},
    {"HTTP/2.0 200 OK\r\n\r\n", -1, 0, 0, 0},
    {"HTTP/1.1 2x0 OK\r\n\r\n", -1, 0, 0, 0},
    {"HTTP/1.1 200 OK\nContent-Length: 0\n\n", -1, 0, 0, 0},
    {"HTTP/1.1 100 Continue\r\n\r\n", -1, 0, 0, 0},
    {"HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n", -1, 0, 0, 0},
    {"garbage", -1, 0, 0, 0},
    {"HTTP/1.1 200 OK\r\n: empty name\r\ncontent-lengtH: 1\r\n\r\nx", 1, 200, 0, 0},
    {"HTTP/1.1 200 OK\r\nContent-Lengths: 9\r\nConnectio: close\r\nContent-Length: 0\r\n\r\n", 1,
     200, 0, 0},
    {"HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: gzip\r\n\r\n", -1, 0, 0, 0},
    {"HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\nx", -1, 0, 0, 0},
    {"HTTP/1.1 2000 OK\r\n\r\n", -1, 0, 0, 0},
    {"HTTP/1.2 200 OK\r\n\r\n", -1, 0, 0, 0},
    {"HTTP/1.1 200 OK\r\nX-!#$%&'*+.^_`|~09az: v\r\nContent-Length: 0\r\n\r\n", 1, 200, 0, 0},
    {"HTTP/1.1 200 OK\r\nX@: v\r\n\r\n", -1, 0, 0, 0},
    {"HTTP/1.1 200 OK\r\nX\x80: v\r\n\r\n", -1, 0, 0, 0},
    {"HTTP/1.1 200 OK\r\nX{: v\r\n\r\n", -1, 0, 0, 0},
};

static int feed_whole(const struct rcase *c, struct lg_resp *r, size_t *used)
{
    lg_resp_reset(r);
    return lg_resp_feed(r, c->text, strlen(c->text), used);
}

/* Byte by byte: the verdict of the first byte that completes or fails. */
static int feed_bytes(const struct rcase *c, struct lg_resp *r, size_t *used)
{
    size_t len = strlen(c->text), u;
    lg_resp_reset(r);
    for (size_t i = 0; i < len; i++) {
        int rc = lg_resp_feed(r, c->text + i, 1, &u);
        if (rc != 0) {
            *used = i + u;
            return rc;
        }
    }
    *used = len;
    return 0;
}

/* In two reads split at byte cut (the fast paths see whole names and status
 * lines only on one side of the cut). */
static int feed_split(const struct rcase *c, struct lg_resp *r, size_t cut, size_t *used)
{
    size_t len = strlen(c->text), u;
    lg_resp_reset(r);
    int rc = lg_resp_feed(r, c->text, cut, &u);
    if (rc != 0) {
        *used = u;
        return rc;
    }
    rc = lg_resp_feed(r, c->text + cut, len - cut, &u);
    *used = cut + u;
    return rc;
}

static void split_anywhere(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        const struct rcase *c = &cases[k];
        struct lg_resp whole, part;
        size_t uw, up;
        int vw = feed_whole(c, &whole, &uw);
        for (size_t cut = 1; cut < strlen(c->text); cut++) {
            int vp = feed_split(c, &part, cut, &up);
            if (vp != vw) fail_msg("case %zu cut %zu: verdict %d, whole %d", k, cut, vp, vw);
            if (vw != 1) continue;
            assert_int_equal(part.status, whole.status);
            assert_int_equal(part.flags, whole.flags);
            assert_int_equal(up, uw);
        }
    }
}

static void table(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        const struct rcase *c = &cases[k];
        struct lg_resp r1, r2;
        size_t u1, u2;
        int v1 = feed_whole(c, &r1, &u1), v2 = feed_bytes(c, &r2, &u2);
        if (v1 != c->verdict || v2 != c->verdict)
            fail_msg("case %zu: verdict whole %d bytes %d, want %d", k, v1, v2, c->verdict);
        if (c->verdict != 1) continue;
        assert_int_equal(r1.status, c->status);
        assert_int_equal(r2.status, c->status);
        assert_int_equal(r1.flags & LG_RESP_CLOSE, c->flags);
        assert_int_equal(r2.flags & LG_RESP_CLOSE, c->flags);
        assert_int_equal(strlen(c->text) - u1, c->tail);
        assert_int_equal(u1, u2);
    }
}

static void eof_cases(void **state)
{
    (void)state;
    struct lg_resp r;
    size_t u;
    lg_resp_reset(&r);
    assert_int_equal(lg_resp_eof(&r), 0); /* idle close */
    const char *until = "HTTP/1.1 200 OK\r\n\r\nbody";
    assert_int_equal(lg_resp_feed(&r, until, strlen(until), &u), 0);
    assert_int_equal(lg_resp_eof(&r), 1); /* a body that ends at EOF */
    lg_resp_reset(&r);
    const char *cut = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc";
    assert_int_equal(lg_resp_feed(&r, cut, strlen(cut), &u), 0);
    assert_int_equal(lg_resp_eof(&r), -1); /* cut short */
    lg_resp_reset(&r);
    assert_int_equal(lg_resp_feed(&r, "HTT", 3, &u), 0);
    assert_int_equal(lg_resp_eof(&r), -1);
}

static void large_body_counted(void **state)
{
    (void)state;
    static char chunk[65536];
    struct lg_resp r;
    size_t u;
    lg_resp_reset(&r);
    const char *head = "HTTP/1.1 200 OK\r\nContent-Length: 16777216\r\n\r\n";
    assert_int_equal(lg_resp_feed(&r, head, strlen(head), &u), 0);
    memset(chunk, 'x', sizeof(chunk));
    for (int i = 0; i < 255; i++)
        assert_int_equal(lg_resp_feed(&r, chunk, sizeof(chunk), &u), 0);
    assert_int_equal(lg_resp_feed(&r, chunk, sizeof(chunk), &u), 1);
    assert_int_equal(u, sizeof(chunk));
    assert_int_equal(sizeof(struct lg_resp), 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),
        cmocka_unit_test(split_anywhere),
        cmocka_unit_test(eof_cases),
        cmocka_unit_test(large_body_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
