/* feed: replay a byte stream through proto_parse in chosen pieces (see feed.h).
 * Used by test_split, test_pipeline and test_malformed. */
#include "feed.h"

#include <string.h>

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Parses what is buffered in [start, avail) until partial or closed. */
static void drain(const char *buf, size_t avail, struct proto_parser *p, struct feed_log *log)
{
    while (!log->closed && log->count < FEED_MAX) {
        struct proto_req req;
        size_t start = log->consumed;
        ssize_t n = proto_parse(p, buf + start, avail - start, &req);
        if (n == PROTO_PARTIAL) return;
        struct feed_res *r = &log->res[log->count++];
        r->n = n;
        r->start = start;
        r->req = req;
        r->body_off = req.body ? (size_t)(req.body - buf) : 0;
        r->req.body = NULL; /* compared through body_off */
        log->consumed += (size_t)n;
        log->closed = req.conn == PROTO_CONN_CLOSE;
        proto_parser_init(p);
        if (n <= 0) /* never expected: stop instead of looping */
            log->closed = true;
    }
}

void feed_stream(const char *buf, size_t len, size_t step, uint64_t seed, struct feed_log *log)
{
    struct proto_parser p;
    proto_parser_init(&p);
    memset(log, 0, sizeof *log);
    uint64_t s = seed | 1;
    size_t avail = 0;
    while (avail < len && !log->closed) {
        size_t k = step == 0 ? len : step == 1 ? 1 : 1 + xorshift(&s) % step;
        avail = k < len - avail ? avail + k : len;
        drain(buf, avail, &p, log);
    }
}

static bool res_equal(const struct feed_res *a, const struct feed_res *b)
{
    const struct proto_req *x = &a->req, *y = &b->req;
    return a->n == b->n && a->start == b->start && a->body_off == b->body_off &&
           x->status == y->status && x->conn == y->conn && x->echo == y->echo &&
           x->has_size == y->has_size && x->size == y->size && x->delay_us == y->delay_us &&
           x->work_us == y->work_us && x->body_len == y->body_len;
}

size_t feed_diff(const struct feed_log *a, const struct feed_log *b)
{
    size_t i = 0;
    for (; i < a->count && i < b->count; i++)
        if (!res_equal(&a->res[i], &b->res[i])) return i + 1;
    if (a->count != b->count || a->consumed != b->consumed || a->closed != b->closed) return i + 1;
    return 0;
}
