/* parse: proto_parse(), the incremental request parser: scan for the head,
 * read the request line and fields, frame the body, route to a status.
 * Try: printf 'GET /?size=5 HTTP/1.1\r\n\r\n' | nc 127.0.0.1 PORT; bench:
 * bench/bench_proto. */
#include "proto_int.h"

#include <string.h>

static ssize_t fatal(struct proto_req *req, uint16_t status, size_t n)
{
    req->status = status;
    req->conn = PROTO_CONN_CLOSE;
    return (ssize_t)n;
}

static uint8_t conn_of(const struct proto__head *h)
{
    if (h->conn_close) return PROTO_CONN_CLOSE;
    if (h->minor == 0) return h->conn_keep ? PROTO_CONN_KEEP10 : PROTO_CONN_CLOSE;
    return PROTO_CONN_KEEP;
}

static bool path_is(const struct proto__head *h, const char *want, size_t len)
{
    return h->path_len == len && memcmp(h->path, want, len) == 0;
}

/* The status of a well-framed request: 501, 404, 400 (query) or 200. */
static void route(const struct proto__head *h, const char *body, struct proto_req *req)
{
    req->status = 200;
    if (h->method == PROTO__OTHER) {
        req->status = 501;
    } else if (h->method == PROTO__GET) {
        if (!path_is(h, "/", 1))
            req->status = 404;
        else if (h->query && proto__parse_query(h->query, h->query_len, req))
            req->status = 400;
    } else if (!path_is(h, "/echo", 5)) {
        req->status = 404;
    } else if (h->query_len) {
        req->status = 400; /* /echo takes no parameters */
    } else {
        req->echo = true;
        req->body = body;
        req->body_len = h->cl;
    }
}

ssize_t proto_parse(struct proto_parser *p, const char *buf, size_t len, struct proto_req *req)
{
    size_t head_len, next;
    int rc = proto__scan_head(p, buf, len, &head_len);
    if (rc == PROTO_PARTIAL) return PROTO_PARTIAL;
    memset(req, 0, sizeof *req);
    if (rc) return fatal(req, (uint16_t)rc, head_len);
    struct proto__head h = {0};
    rc = proto__parse_line(buf, &h, &next);
    if (!rc) rc = proto__parse_fields(buf, next, head_len, &h);
    if (!rc && h.cl > PROTO_ECHO_MAX)
        rc = 413; /* too much to hold: answer before reading it, then close */
    if (rc) return fatal(req, (uint16_t)rc, head_len);
    if (len - head_len < h.cl) return PROTO_PARTIAL;
    req->conn = conn_of(&h);
    route(&h, buf + head_len, req);
    return (ssize_t)(head_len + h.cl);
}
