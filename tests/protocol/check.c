/* check: row comparisons shared by the protocol tests (see check.h). */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad(const struct pcase *c, const char *how, const char *what, long long got,
               long long want)
{
    fprintf(stderr, "row \"%s\" (%s): %s = %lld, want %lld\n", c->name, how, what, got, want);
    return 1;
}

int check_row(const struct pcase *c, ssize_t n, const struct proto_req *req, const char *how)
{
    ssize_t want_n = c->n ? c->n : (ssize_t)c->in_len;
    if (n != want_n) return bad(c, how, "n", n, want_n);
    if (req->status != c->status) return bad(c, how, "status", req->status, c->status);
    if (req->conn != c->conn) return bad(c, how, "conn", req->conn, c->conn);
    if (req->has_size != c->has_size || req->size != c->size)
        return bad(c, how, "size", req->has_size ? (long long)req->size : -1,
                   c->has_size ? (long long)c->size : -1);
    if (req->delay_us != c->delay_us) return bad(c, how, "delay_us", req->delay_us, c->delay_us);
    if (req->work_us != c->work_us) return bad(c, how, "work_us", req->work_us, c->work_us);
    if (req->echo != c->echo || req->body_len != c->body_len)
        return bad(c, how, "echo body_len", req->echo ? (long long)req->body_len : -1,
                   c->echo ? (long long)c->body_len : -1);
    return 0;
}

/* The response rebuilt from proto_resp_head + proto_resp_body in 7-byte chunks. */
static size_t by_chunks(const struct proto_req *req, char *out)
{
    size_t h = proto_resp_head(req, out), total = proto_resp_body_len(req), off = 0;
    while (off < total) {
        size_t k = 7;
        const char *p = proto_resp_body(req, off, &k);
        if (k == 0 || k > 7) return 0;
        memcpy(out + h + off, p, k);
        off += k;
    }
    return h + total;
}

int check_resp(const struct pcase *c, const struct proto_req *req)
{
    size_t cap = PROTO_RESP_HEAD_MAX + proto_resp_body_len(req);
    char *a = malloc(cap), *b = malloc(cap);
    int rc = 1;
    if (!a || !b) goto fail;
    size_t na = proto_resp_write(req, a, cap), nb = by_chunks(req, b);
    if (na == 0 || na != nb || memcmp(a, b, na) != 0) {
        fprintf(stderr, "row \"%s\": proto_resp_write and head+chunks differ\n", c->name);
        goto fail;
    }
    if (c->resp && (na != c->resp_len || memcmp(a, c->resp, na) != 0)) {
        fprintf(stderr, "row \"%s\": response\n  got  \"%.*s\"\n  want \"%.*s\"\n", c->name,
                (int)na, a, (int)c->resp_len, c->resp);
        goto fail;
    }
    rc = 0;
fail:
    free(a);
    free(b);
    return rc;
}
