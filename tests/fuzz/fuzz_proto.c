/* fuzz_proto: libFuzzer target for models/protocol. Property: the input as a
 * byte stream gives the same sequence of (n, request fields) parsed whole and
 * in pseudo-random splits (each call on an exact-size copy, so an over-read
 * is caught by ASan), and writing every response never overflows its buffer.
 * Try: meson setup -Dfuzz=true (CC=clang) && meson test --suite fuzz, or the
 * gcc build's fuzz_smoke (fuzz_main.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

#define FUZZ_MAX_REQS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_res {
    ssize_t n;
    struct proto_req req;
    size_t body_off; /* req.body - request start */
};

struct fuzz_log {
    size_t count, consumed;
    struct fuzz_res res[FUZZ_MAX_REQS];
};

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) __builtin_trap();                                                             \
    } while (0)

/* Parses the unconsumed bytes [consumed, avail) from an exact-size copy until
 * partial; returns false once a request asks to close (or the log is full). */
static bool drain(const uint8_t *data, size_t avail, struct proto_parser *p, struct fuzz_log *log)
{
    for (;;) {
        size_t len = avail - log->consumed;
        char *copy = malloc(len ? len : 1);
        FUZZ_CHECK(copy);
        memcpy(copy, data + log->consumed, len);
        struct proto_req req;
        ssize_t n = proto_parse(p, copy, len, &req);
        if (n == PROTO_PARTIAL) {
            free(copy);
            return true;
        }
        FUZZ_CHECK(n > 0 && (size_t)n <= len);
        struct fuzz_res *r = &log->res[log->count++];
        r->n = n;
        r->req = req;
        r->body_off = req.body ? (size_t)(req.body - copy) : 0;
        r->req.body = NULL;
        free(copy);
        log->consumed += (size_t)n;
        proto_parser_init(p);
        if (req.conn == PROTO_CONN_CLOSE || log->count == FUZZ_MAX_REQS) return false;
    }
}

/* split == 0: whole; else deliveries of 1..split bytes from seed. */
static void feed(const uint8_t *data, size_t size, size_t split, uint32_t seed,
                 struct fuzz_log *log)
{
    struct proto_parser p;
    proto_parser_init(&p);
    memset(log, 0, sizeof *log);
    size_t avail = 0;
    while (avail < size) {
        seed = seed * 1103515245u + 12345u;
        size_t k = split ? 1 + (seed >> 8) % split : size;
        avail = k < size - avail ? avail + k : size;
        if (!drain(data, avail, &p, log)) return;
    }
}

static void same(const struct fuzz_log *a, const struct fuzz_log *b)
{
    FUZZ_CHECK(a->count == b->count && a->consumed == b->consumed);
    for (size_t i = 0; i < a->count; i++) {
        const struct fuzz_res *x = &a->res[i], *y = &b->res[i];
        FUZZ_CHECK(x->n == y->n && x->body_off == y->body_off);
        const struct proto_req *q = &x->req, *r = &y->req;
        FUZZ_CHECK(q->status == r->status && q->conn == r->conn && q->echo == r->echo);
        FUZZ_CHECK(q->has_size == r->has_size && q->size == r->size);
        FUZZ_CHECK(q->delay_us == r->delay_us && q->work_us == r->work_us);
        FUZZ_CHECK(q->body_len == r->body_len);
    }
}

/* Writes the response into exactly-sized heap buffers (ASan catches a byte
 * too many) and walks the body chunks; big bodies are only walked. */
static void respond(const struct fuzz_res *r, const uint8_t *body)
{
    struct proto_req req = r->req;
    req.body = (const char *)body;
    FUZZ_CHECK(req.status == 200 || (!req.echo && !req.has_size && !req.delay_us));
    size_t body_len = proto_resp_body_len(&req);
    char head[PROTO_RESP_HEAD_MAX];
    size_t head_len = proto_resp_head(&req, head);
    FUZZ_CHECK(head_len <= PROTO_RESP_HEAD_MAX && memcmp(head, "HTTP/1.1 ", 9) == 0);
    size_t off = 0;
    while (off < body_len) {
        size_t len = off % 3 ? 0 : 1 + off % 70001;
        const char *p = proto_resp_body(&req, off, &len);
        FUZZ_CHECK(len >= 1 && len <= body_len - off);
        if (req.has_size && req.status == 200)
            FUZZ_CHECK(p[0] == 'a' + (char)(off % 26) &&
                       p[len - 1] == 'a' + (char)((off + len - 1) % 26));
        off += len;
    }
    if (body_len > 65536) return;
    size_t total = head_len + body_len;
    char *out = malloc(total);
    FUZZ_CHECK(out);
    FUZZ_CHECK(proto_resp_write(&req, out, total) == total);
    FUZZ_CHECK(memcmp(out, head, head_len) == 0);
    FUZZ_CHECK(proto_resp_write(&req, out, total - 1) == 0);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fuzz_log whole, split;
    if (size > 64 * 1024) return 0;
    feed(data, size, 0, 0, &whole);
    uint32_t seed = (uint32_t)size * 2654435761u;
    for (size_t i = 0; i < size && i < 16; i++)
        seed = seed * 31u + data[i];
    if (size <= 512) { /* byte by byte copies O(size^2) bytes */
        feed(data, size, 1, seed, &split);
        same(&whole, &split);
    }
    feed(data, size, 2 + seed % 61, seed, &split);
    same(&whole, &split);
    size_t start = 0;
    for (size_t i = 0; i < whole.count; i++) {
        respond(&whole.res[i], data + start + whole.res[i].body_off);
        start += (size_t)whole.res[i].n;
    }
    return 0;
}
