/* cases: one integration behaviour per --case, run against the server binary
 * given as the argument (started with --port 0). Exit 0 pass, 1 fail, 77 skip.
 * Try: tests/integration/c10k-it --case pipeline build/models/epoll/c10k-server-epoll */
#include "cases.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CASE_ECHO_BIG (1u << 20)

/* Opens a connection, sends req, expects one response, keeps the connection. */
static int case_ask(struct case_ctx *x, struct itc_conn *c, const char *req)
{
    if (c->fd < 0 && itc_conn_open(c, &x->srv) < 0) return -1;
    return itc_send_str(c, req);
}

int case_get(struct case_ctx *x)
{
    struct itc_conn c = {.fd = -1};
    int rc = case_ask(x, &c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    rc = rc ? rc : itc_expect_hello(&c, NULL);
    itc_conn_close(&c);
    return rc ? 1 : 0;
}

int case_size(struct case_ctx *x)
{
    static const unsigned sizes[] = {0, 1, 100000, 26, 65536};
    struct itc_conn c = {.fd = -1};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        char req[64];
        snprintf(req, sizeof(req), "GET /?size=%u HTTP/1.1\r\n\r\n", sizes[i]);
        rc = case_ask(x, &c, req);
        rc = rc ? rc : itc_expect(&c, 200, NULL, NULL, sizes[i]);
    }
    itc_conn_close(&c);
    return rc ? 1 : 0;
}

int case_echo_small(struct case_ctx *x)
{
    struct itc_conn c = {.fd = -1};
    int rc = case_ask(x, &c, "POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello");
    rc = rc ? rc : itc_expect(&c, 200, NULL, "hello", 5);
    rc = rc ? rc : itc_send_str(&c, "POST /echo HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    rc = rc ? rc : itc_expect(&c, 200, NULL, "", 0);
    itc_conn_close(&c);
    return rc ? 1 : 0;
}

int case_echo_large(struct case_ctx *x)
{
    struct itc_conn c = {.fd = -1};
    char *body = malloc(CASE_ECHO_BIG);
    int rc = body ? 0 : -1;
    unsigned seed = 12345;
    for (size_t i = 0; body && i < CASE_ECHO_BIG; i++)
        body[i] = (char)(rand_r(&seed) & 0xff);
    char head[96];
    snprintf(head, sizeof(head), "POST /echo HTTP/1.1\r\nContent-Length: %u\r\n\r\n",
             CASE_ECHO_BIG);
    rc = rc ? rc : case_ask(x, &c, head);
    rc = rc ? rc : itc_send(&c, body, CASE_ECHO_BIG);
    rc = rc ? rc : itc_expect(&c, 200, NULL, body, CASE_ECHO_BIG);
    rc = rc ? rc : itc_send_str(&c, "GET / HTTP/1.1\r\n\r\n");
    rc = rc ? rc : itc_expect_hello(&c, NULL);
    itc_conn_close(&c);
    free(body);
    return rc ? 1 : 0;
}

/* An error that keeps the connection: the next request is answered. */
static int case_kept(struct case_ctx *x, const char *req, unsigned status)
{
    struct itc_conn c = {.fd = -1};
    int rc = case_ask(x, &c, req);
    rc = rc ? rc : itc_expect_error(&c, status, NULL);
    rc = rc ? rc : itc_send_str(&c, "GET / HTTP/1.1\r\n\r\n");
    rc = rc ? rc : itc_expect_hello(&c, NULL);
    itc_conn_close(&c);
    return rc ? 1 : 0;
}

/* An error answered with Connection: close, then the server closes. */
static int case_closed(struct case_ctx *x, const char *req, unsigned status)
{
    struct itc_conn c = {.fd = -1};
    int rc = case_ask(x, &c, req);
    rc = rc ? rc : itc_expect_error(&c, status, "close");
    if (rc == 0 && itc_expect_eof(&c, ITC_IO_TIMEOUT_MS) != 0) {
        fprintf(stderr, "itc: connection not closed after %u\n", status);
        rc = -1;
    }
    itc_conn_close(&c);
    return rc ? 1 : 0;
}

int case_404(struct case_ctx *x)
{
    return case_kept(x, "GET /nope HTTP/1.1\r\n\r\n", 404);
}

int case_501(struct case_ctx *x)
{
    return case_kept(x, "DELETE / HTTP/1.1\r\n\r\n", 501);
}

int case_400_kept(struct case_ctx *x)
{
    return case_kept(x, "GET /?size=abc HTTP/1.1\r\n\r\n", 400) ||
           case_kept(x, "GET /?bogus=1 HTTP/1.1\r\n\r\n", 400) ||
           case_kept(x, "GET /?size=1&size=2 HTTP/1.1\r\n\r\n", 400) ||
           case_kept(x, "GET /?delay_us=60000001 HTTP/1.1\r\n\r\n", 400);
}

int case_400_close(struct case_ctx *x)
{
    return case_closed(x, "THIS IS NOT HTTP\r\n\r\n", 400) ||
           case_closed(x, "GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400) ||
           case_closed(x, "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                       400);
}

int case_431(struct case_ctx *x)
{
    static char req[12000];
    int n = snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nX-Big: ");
    memset(req + n, 'a', 9000);
    snprintf(req + n + 9000, sizeof(req) - (size_t)n - 9000, "\r\n\r\n");
    if (case_closed(x, req, 431)) return 1;
    n = snprintf(req, sizeof(req), "GET / HTTP/1.1\r\n");
    for (int i = 0; i < 70; i++)
        n += snprintf(req + n, sizeof(req) - (size_t)n, "X-H%d: v\r\n", i);
    snprintf(req + n, sizeof(req) - (size_t)n, "\r\n");
    return case_closed(x, req, 431);
}

/* Ten requests in one write; the answers come back in order. */
int case_pipeline(struct case_ctx *x)
{
    char req[2048];
    int n = 0;
    for (int i = 0; i < 10; i++) {
        if (i == 3)
            n += snprintf(req + n, sizeof(req) - (size_t)n,
                          "POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
        else if (i == 6)
            n += snprintf(req + n, sizeof(req) - (size_t)n, "GET /missing HTTP/1.1\r\n\r\n");
        else
            n +=
                snprintf(req + n, sizeof(req) - (size_t)n, "GET /?size=%d HTTP/1.1\r\n\r\n", i * 7);
    }
    struct itc_conn c = {.fd = -1};
    int rc = case_ask(x, &c, req);
    for (int i = 0; rc == 0 && i < 10; i++) {
        if (i == 3)
            rc = itc_expect(&c, 200, NULL, "abc", 3);
        else if (i == 6)
            rc = itc_expect_error(&c, 404, NULL);
        else
            rc = itc_expect(&c, 200, NULL, NULL, (size_t)i * 7);
    }
    itc_conn_close(&c);
    return rc ? 1 : 0;
}

int case_keepalive(struct case_ctx *x)
{
    struct itc_conn c = {.fd = -1};
    int rc = 0;
    for (int i = 0; rc == 0 && i < 3; i++) {
        if (i == 2) usleep(500000); /* an idle keep-alive connection stays open */
        rc = case_ask(x, &c, "GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n");
        rc = rc ? rc : itc_expect_hello(&c, NULL);
    }
    if (rc == 0 && itc_readable(&c)) {
        fprintf(stderr, "itc: keep-alive connection closed or sent extra bytes\n");
        rc = -1;
    }
    itc_conn_close(&c);
    return rc ? 1 : 0;
}

static int case_hello_closed(struct case_ctx *x, const char *req)
{
    struct itc_conn c = {.fd = -1};
    int rc = case_ask(x, &c, req);
    rc = rc ? rc : itc_expect_hello(&c, "close");
    if (rc == 0 && itc_expect_eof(&c, ITC_IO_TIMEOUT_MS) != 0) {
        fprintf(stderr, "itc: connection not closed\n");
        rc = -1;
    }
    itc_conn_close(&c);
    return rc ? 1 : 0;
}

int case_close(struct case_ctx *x)
{
    return case_hello_closed(x, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
}

int case_http10(struct case_ctx *x)
{
    return case_hello_closed(x, "GET / HTTP/1.0\r\n\r\n");
}

int case_http10_keepalive(struct case_ctx *x)
{
    struct itc_conn c = {.fd = -1};
    int rc = 0;
    for (int i = 0; rc == 0 && i < 2; i++) {
        rc = case_ask(x, &c, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        rc = rc ? rc : itc_expect_hello(&c, "keep-alive");
    }
    itc_conn_close(&c);
    return rc ? 1 : 0;
}

/* delay_us=200000 is answered in 0.2..1.5 s; meanwhile another connection is
 * served without waiting for it (unless --solo-delay). */
int case_delay(struct case_ctx *x)
{
    struct itc_conn a = {.fd = -1}, b = {.fd = -1};
    uint64_t t0 = itc_now_ms();
    int rc = case_ask(x, &a, "GET /?delay_us=200000 HTTP/1.1\r\n\r\n");
    if (rc == 0 && !x->solo_delay) {
        rc = case_ask(x, &b, "GET / HTTP/1.1\r\n\r\n");
        rc = rc ? rc : itc_expect_hello(&b, NULL);
        uint64_t tb = itc_now_ms() - t0;
        CASE_CHECK(tb < 200);
        CASE_CHECK(!itc_readable(&a));
    }
    rc = rc ? rc : itc_expect_hello(&a, NULL);
    uint64_t ta = itc_now_ms() - t0;
    fprintf(stderr, "delayed answer after %llu ms\n", (unsigned long long)ta);
    CASE_CHECK(ta >= 200 && ta <= 1500);
    itc_conn_close(&a);
    itc_conn_close(&b);
    return rc ? 1 : 0;
fail:
    itc_conn_close(&a);
    itc_conn_close(&b);
    return 1;
}

/* A delayed request holds the ones pipelined after it: answers stay in order. */
int case_delay_pipeline(struct case_ctx *x)
{
    struct itc_conn c = {.fd = -1};
    uint64_t t0 = itc_now_ms();
    int rc = case_ask(x, &c,
                      "GET /?size=2 HTTP/1.1\r\n\r\nGET /?delay_us=150000&size=4 HTTP/1.1\r\n\r\n"
                      "GET /?size=6 HTTP/1.1\r\n\r\n");
    rc = rc ? rc : itc_expect(&c, 200, NULL, NULL, 2);
    uint64_t t1 = itc_now_ms() - t0;
    rc = rc ? rc : itc_expect(&c, 200, NULL, NULL, 4);
    rc = rc ? rc : itc_expect(&c, 200, NULL, NULL, 6);
    uint64_t t2 = itc_now_ms() - t0;
    fprintf(stderr, "first answer after %llu ms, last after %llu ms\n", (unsigned long long)t1,
            (unsigned long long)t2);
    itc_conn_close(&c);
    CASE_CHECK(rc == 0);
    CASE_CHECK(t1 < 150);
    CASE_CHECK(t2 >= 150 && t2 <= 1500);
    return 0;
fail:
    return 1;
}

/* A bad request closes its own connection only. */
int case_bad_isolated(struct case_ctx *x)
{
    struct itc_conn b = {.fd = -1};
    int rc = case_ask(x, &b, "GET / HTTP/1.1\r\n\r\n");
    rc = rc ? rc : itc_expect_hello(&b, NULL);
    for (int i = 0; rc == 0 && i < 3; i++) {
        rc = case_closed(x, "GARBAGE\r\n\r\n", 400);
        rc = rc ? rc : itc_send_str(&b, "GET /?size=10 HTTP/1.1\r\n\r\n");
        rc = rc ? rc : itc_expect(&b, 200, NULL, NULL, 10);
    }
    itc_conn_close(&b);
    return rc ? 1 : 0;
}
