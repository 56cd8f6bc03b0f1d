/* hx malformed: 100+ malformed or borderline requests, each on its own
 * connection, against the status and close/keep rule of docs/protocol.md.
 *   c10k-hostile --case malformed build/models/epoll/c10k-server-epoll */
#include "hostile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum mal_gen { MAL_LIT, MAL_LONG_TARGET, MAL_LONG_HEADER, MAL_NHEADERS, MAL_HEAD_SIZE };

struct mal_case {
    const char *name;
    const char *req;
    size_t len; /* of req (it may hold NULs) */
    unsigned status;
    bool close;       /* the server must say Connection: close and close */
    enum mal_gen gen; /* generated requests: req unused */
    size_t n;         /* the generator's size or count */
};

#define L(nm, s, st, cl)                                                                           \
    {                                                                                              \
        nm, s, sizeof(s) - 1, st, cl, MAL_LIT, 0                                                   \
    }
#define G(nm, g, n, st, cl)                                                                        \
    {                                                                                              \
        nm, NULL, 0, st, cl, g, n                                                                  \
    }
#define GET(t) "GET " t " HTTP/1.1\r\n\r\n"

static const struct mal_case mal_cases[] = {
    /* request smuggling */
    L("CL.TE",
      "POST /echo HTTP/1.1\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG",
      400, true),
    L("TE.CL",
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\nGPOST / "
      "HTTP/1.1\r\n\r\n0\r\n\r\n",
      400, true),
    L("TE chunked", "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
      true),
    L("TE identity", "GET / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n", 400, true),
    L("TE empty", "GET / HTTP/1.1\r\nTransfer-Encoding:\r\n\r\n", 400, true),
    L("TE space before colon", "POST /echo HTTP/1.1\r\nTransfer-Encoding : chunked\r\n\r\n", 400,
      true),
    L("TE tab value", "POST /echo HTTP/1.1\r\nTransfer-Encoding:\tchunked\r\n\r\n", 400, true),
    L("TE xchunked", "POST /echo HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n", 400, true),
    L("TE lowercase", "POST /echo HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n", 400, true),
    L("TE uppercase", "POST /echo HTTP/1.1\r\nTRANSFER-ENCODING: CHUNKED\r\n\r\n", 400, true),
    L("TE list", "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked, identity\r\n\r\n", 400, true),
    L("TE obs-fold", "POST /echo HTTP/1.1\r\nTransfer-Encoding:\r\n chunked\r\n\r\n", 400, true),
    L("TE after other", "POST /echo HTTP/1.1\r\nX-A: b\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
      true),
    L("TE VT in name", "POST /echo HTTP/1.1\r\nTransfer-Encoding\x0b: chunked\r\n\r\n", 400, true),
    L("TE twice",
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
      400, true),
    L("TE before CL",
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n", 400, true),
    L("Transfer_Encoding is unknown", "GET / HTTP/1.1\r\nTransfer_Encoding: chunked\r\n\r\n", 200,
      false),
    L("CL dup same", "POST /echo HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
      400, true),
    L("CL dup differ",
      "POST /echo HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400, true),
    L("CL list", "POST /echo HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\nhello", 400, true),
    L("CL plus", "POST /echo HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello", 400, true),
    L("CL minus", "POST /echo HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400, true),
    L("CL hex", "POST /echo HTTP/1.1\r\nContent-Length: 0x5\r\n\r\nhello", 400, true),
    L("CL exponent", "POST /echo HTTP/1.1\r\nContent-Length: 5e0\r\n\r\nhello", 400, true),
    L("CL inner space", "POST /echo HTTP/1.1\r\nContent-Length: 5 5\r\n\r\nhello", 400, true),
    L("CL empty", "POST /echo HTTP/1.1\r\nContent-Length:\r\n\r\n", 400, true),
    L("CL space before colon", "POST /echo HTTP/1.1\r\nContent-Length : 5\r\n\r\nhello", 400, true),
    L("CL decimal", "POST /echo HTTP/1.1\r\nContent-Length: 5.0\r\n\r\nhello", 400, true),
    L("CL NUL", "POST /echo HTTP/1.1\r\nContent-Length: 5\0\r\n\r\nhello", 400, true),
    L("CL obs-fold", "POST /echo HTTP/1.1\r\nContent-Length:\r\n 5\r\n\r\nhello", 400, true),
    L("CL OWS ok", "POST /echo HTTP/1.1\r\nContent-Length: \t5 \t\r\n\r\nhello", 200, false),
    L("CL leading zeros ok", "POST /echo HTTP/1.1\r\nContent-Length: 00005\r\n\r\nhello", 200,
      false),
    L("CL 1 MiB + 1", "POST /echo HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n", 413, true),
    L("CL huge", "POST /echo HTTP/1.1\r\nContent-Length: 99999999999999999999999999999999\r\n\r\n",
      413, true),
    L("CL 2^64", "GET / HTTP/1.1\r\nContent-Length: 18446744073709551616\r\n\r\n", 413, true),
    L("CL huge keep-alive",
      "GET / HTTP/1.1\r\nConnection: keep-alive\r\nContent-Length: 4294967296\r\n\r\n", 413, true),
    L("CL on GET ok", "GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", 200, false),
    /* request line */
    L("double space", "GET  / HTTP/1.1\r\n\r\n", 400, true),
    L("trailing space", "GET / HTTP/1.1 \r\n\r\n", 400, true),
    L("no version", "GET /\r\n\r\n", 400, true),
    L("lowercase version", "GET / http/1.1\r\n\r\n", 400, true),
    L("HTTP/1.10", "GET / HTTP/1.10\r\n\r\n", 400, true),
    L("HTTP/1", "GET / HTTP/1\r\n\r\n", 400, true),
    L("HTTP/x.1", "GET / HTTP/x.1\r\n\r\n", 400, true),
    L("HTTP/2.0", "GET / HTTP/2.0\r\n\r\n", 505, true),
    L("HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", 505, true),
    L("HTTP/9.9", "GET / HTTP/9.9\r\n\r\n", 505, true),
    L("HTTP/1.9 ok", "GET / HTTP/1.9\r\n\r\n", 200, false),
    L("empty line first", "\r\nGET / HTTP/1.1\r\n\r\n", 400, true),
    L("tab separator", "GET\t/ HTTP/1.1\r\n\r\n", 400, true),
    L("leading space", " GET / HTTP/1.1\r\n\r\n", 400, true),
    L("relative target", GET("index.html"), 400, true),
    L("ftp scheme", GET("ftp://x/"), 400, true),
    L("gopher scheme", GET("gopher://x/?size=1"), 400, true),
    L("method non-token", "G(T / HTTP/1.1\r\n\r\n", 400, true),
    L("only CRLFCRLF", "\r\n\r\n", 400, true),
    L("absolute-form ok", GET("http://h:1/?size=3"), 200, false),
    L("absolute-form empty path ok", GET("HTTPS://h"), 200, false),
    /* bytes: NUL, control characters, DEL, bare CR / LF, invalid UTF-8 */
    L("bare LF request line", "GET / HTTP/1.1\n\r\n", 400, true),
    L("bare LF header", "GET / HTTP/1.1\r\nX-A: b\n\r\n", 400, true),
    L("bare LF end", "GET / HTTP/1.1\n\n", 400, true),
    L("bare CR request line", "GET / HTTP/1.1\rX-A: b\r\n\r\n", 400, true),
    L("bare CR header", "GET / HTTP/1.1\r\nX-A: b\rc\r\n\r\n", 400, true),
    L("NUL in target", "GET /\0 HTTP/1.1\r\n\r\n", 400, true),
    L("NUL first", "\0GET / HTTP/1.1\r\n\r\n", 400, true),
    L("NUL in value", "GET / HTTP/1.1\r\nX-A: a\0b\r\n\r\n", 400, true),
    L("NUL in name", "GET / HTTP/1.1\r\nX\0A: b\r\n\r\n", 400, true),
    L("DEL in target", GET("/\x7f"), 400, true),
    L("DEL in value", "GET / HTTP/1.1\r\nX-A: \x7f\r\n\r\n", 400, true),
    L("SOH in target", GET("/\x01"), 400, true),
    L("ESC in value", "GET / HTTP/1.1\r\nX-A: \x1b[31m\r\n\r\n", 400, true),
    L("FF in name", "GET / HTTP/1.1\r\nX\x0c: b\r\n\r\n", 400, true),
    L("invalid UTF-8 target", GET("/\xc3\x28"), 400, true),
    L("0xff in query", GET("/?size=\xff"), 400, true),
    L("overlong UTF-8 target", GET("/\xc0\xaf"), 400, true),
    L("invalid UTF-8 value ok", "GET / HTTP/1.1\r\nX-A: \xc3\x28\xff\xfe\r\n\r\n", 200, false),
    L("0xff in name", "GET / HTTP/1.1\r\nX\xff: b\r\n\r\n", 400, true),
    /* header lines */
    L("obs-fold", "GET / HTTP/1.1\r\nX-A: a\r\n b\r\n\r\n", 400, true),
    L("space before colon", "GET / HTTP/1.1\r\nX-A : b\r\n\r\n", 400, true),
    L("tab before colon", "GET / HTTP/1.1\r\nX-A\t: b\r\n\r\n", 400, true),
    L("empty name", "GET / HTTP/1.1\r\n: b\r\n\r\n", 400, true),
    L("no colon", "GET / HTTP/1.1\r\nX-A b\r\n\r\n", 400, true),
    L("no OWS ok", "GET / HTTP/1.1\r\nX-A:b\r\n\r\n", 200, false),
    L("trailing OWS ok", "GET / HTTP/1.1\r\nX-A: b \t\r\n\r\n", 200, false),
    /* sizes */
    G("overlong request line", MAL_LONG_TARGET, 9000, 431, true),
    G("huge request line", MAL_LONG_TARGET, 100000, 431, true),
    G("overlong header line", MAL_LONG_HEADER, 9000, 431, true),
    G("head of 8192 bytes ok", MAL_HEAD_SIZE, 8192, 200, false),
    G("head of 8193 bytes", MAL_HEAD_SIZE, 8193, 431, true),
    G("64 headers ok", MAL_NHEADERS, 64, 200, false),
    G("65 headers", MAL_NHEADERS, 65, 431, true),
    G("500 headers", MAL_NHEADERS, 500, 431, true),
    /* query: 400, connection kept */
    L("size sign", GET("/?size=-1"), 400, false),
    L("size plus", GET("/?size=+1"), 400, false),
    L("size hex", GET("/?size=0x10"), 400, false),
    L("size out of range", GET("/?size=16777217"), 400, false),
    L("size overflow", GET("/?size=99999999999999999999999999"), 400, false),
    L("size 2^64", GET("/?size=18446744073709551616"), 400, false),
    L("size empty", GET("/?size="), 400, false),
    L("size without =", GET("/?size"), 400, false),
    L("size repeated", GET("/?size=1&size=2"), 400, false),
    L("unknown key", GET("/?foo=1"), 400, false),
    L("uppercase key", GET("/?SIZE=1"), 400, false),
    L("percent key", GET("/?%73ize=1"), 400, false),
    L("percent value", GET("/?size=1%30"), 400, false),
    L("decimal", GET("/?size=1.5"), 400, false),
    L("exponent", GET("/?size=1e3"), 400, false),
    L("lone &", GET("/?&"), 400, false),
    L("trailing &", GET("/?size=1&"), 400, false),
    L("double &", GET("/?size=1&&delay_us=1"), 400, false),
    L("delay out of range", GET("/?delay_us=60000001"), 400, false),
    L("work out of range", GET("/?work_us=1000001"), 400, false),
    L("delay suffix", GET("/?delay_us=1ms"), 400, false),
    L("echo with query", "POST /echo?size=1 HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi", 400, false),
    L("HTTP/1.0 bad query closes", "GET /?size=x HTTP/1.0\r\n\r\n", 400, true),
    L("size=0 ok", GET("/?size=0"), 200, false),
    L("empty query ok", GET("/?"), 200, false),
    /* other methods and paths: kept */
    L("PUT", "PUT / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi", 501, false),
    L("lowercase get", "get / HTTP/1.1\r\n\r\n", 501, false),
    L("HEAD", "HEAD / HTTP/1.1\r\n\r\n", 501, false),
    L("long method",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA / HTTP/1.1\r\n\r\n",
      501, false),
    L("unknown path", GET("/index.html"), 404, false),
    L("double slash", GET("//"), 404, false),
    L("asterisk", GET("*"), 404, false),
    L("encoded slash", GET("/%2F"), 404, false),
    L("dot segments", GET("/../../etc/passwd"), 404, false),
    L("GET /echo", GET("/echo"), 404, false),
    L("POST / with body", "POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", 404, false),
    L("404 with close", "GET /x HTTP/1.1\r\nConnection: close\r\n\r\n", 404, true),
};

#define MAL_N (sizeof(mal_cases) / sizeof(mal_cases[0]))

/* Builds a generated request into a malloc'd buffer. */
static char *mal_build(const struct mal_case *m, size_t *len)
{
    size_t cap = m->n * 16 + 256, o = 0;
    char *b = malloc(cap);
    if (!b) return NULL;
    switch (m->gen) {
    case MAL_LONG_TARGET:
        o = (size_t)sprintf(b, "GET /");
        memset(b + o, 'a', m->n);
        o += m->n;
        o += (size_t)sprintf(b + o, " HTTP/1.1\r\n\r\n");
        break;
    case MAL_LONG_HEADER:
        o = (size_t)sprintf(b, "GET / HTTP/1.1\r\nX-A: ");
        memset(b + o, 'b', m->n);
        o += m->n;
        o += (size_t)sprintf(b + o, "\r\n\r\n");
        break;
    case MAL_NHEADERS:
        o = (size_t)sprintf(b, "GET / HTTP/1.1\r\n");
        for (size_t i = 0; i < m->n; i++)
            o += (size_t)sprintf(b + o, "X-%zu: v\r\n", i);
        o += (size_t)sprintf(b + o, "\r\n");
        break;
    case MAL_HEAD_SIZE: { /* exactly n bytes, CRLFs included */
        o = (size_t)sprintf(b, "GET / HTTP/1.1\r\nX-A: ");
        size_t fill = m->n - o - 4;
        memset(b + o, 'c', fill);
        o += fill;
        o += (size_t)sprintf(b + o, "\r\n\r\n");
        break;
    }
    case MAL_LIT:
        break;
    }
    *len = o;
    return b;
}

/* One case on its own connection: 0 passed, -1 failed (says why). */
static int mal_run(const struct hx_ctx *x, const struct mal_case *m)
{
    struct itc_conn c = {.fd = -1};
    struct itc_resp r = {0};
    size_t len = m->len;
    char *gen = m->gen == MAL_LIT ? NULL : mal_build(m, &len);
    const char *req = gen ? gen : m->req;
    const char *why = NULL;
    if (itc_conn_open(&c, &x->srv) != 0) {
        why = "cannot connect";
        goto out;
    }
    /* a server may close before taking every byte: its answer still counts */
    (void)send(c.fd, req, len, MSG_NOSIGNAL);
    int rc = itc_recv_resp(&c, &r, 3000);
    if (rc != 0) {
        why = rc == -ETIMEDOUT ? "no response within 3 s" : "no whole response (closed)";
        goto out;
    }
    bool says_close = memmem(c.buf, r.head_len, "\r\nConnection: close\r\n", 21) != NULL;
    if (r.status != m->status) {
        why = "wrong status";
    } else if (says_close != m->close) {
        why = m->close ? "no Connection: close" : "Connection: close on a kept error";
    } else if (m->close) {
        itc_consume(&c, &r);
        if (itc_expect_eof(&c, 2000) != 0) why = "connection not closed within 2 s";
    } else {
        itc_consume(&c, &r);
        if (itc_send_str(&c, "GET / HTTP/1.1\r\n\r\n") != 0 || itc_recv_resp(&c, &r, 3000) != 0 ||
            r.status != 200)
            why = "kept connection does not answer the next request";
    }
out:
    if (why)
        fprintf(stderr, "hostile: malformed \"%s\": %s (want %u %s, got %u)\n", m->name, why,
                m->status, m->close ? "close" : "kept", r.status);
    itc_conn_close(&c);
    free(gen);
    return why ? -1 : 0;
}

int hx_case_malformed(struct hx_ctx *x)
{
    unsigned passed = 0;
    for (size_t i = 0; i < MAL_N; i++)
        passed += mal_run(x, &mal_cases[i]) == 0;
    fprintf(stderr, "hostile: %s: malformed: %u/%zu cases passed\n", x->model, passed, MAL_N);
    int rc = hx_after(x, "malformed");
    return passed == MAL_N && rc == 0 ? 0 : -1;
}
