/* conn: one connection of the threads model, in its own thread with blocking
 * read/write and a small read buffer on the thread's stack (a heap buffer only
 * while one request is bigger than it, e.g. a large POST /echo).
 * Try: curl -s --data-binary @file http://127.0.0.1:PORT/echo */
#include "th.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CONN_RBUF_BYTES (PROTO_HEAD_MAX + 2048u) /* on the stack */
#define CONN_OBUF_BYTES 4096u                    /* on the stack */
#define CONN_IN_MAX_BYTES (PROTO_HEAD_MAX + PROTO_ECHO_MAX + CONN_RBUF_BYTES)

struct conn {
    int fd;
    char *buf; /* stack or heap: holds the unanswered input */
    size_t len, cap;
    char *stack_buf;
    char *out; /* answers not yet written */
    size_t olen;
    struct proto_parser parser;
};

static int conn_send(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return w < 0 ? -errno : -EIO;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int conn_flush(struct conn *c)
{
    int rc = conn_send(c->fd, c->out, c->olen);
    c->olen = 0;
    return rc;
}

/* Small answers gather in c->out; big ones go out as head + body chunks. */
static int conn_respond(struct conn *c, const struct proto_req *req)
{
    if (c->olen + PROTO_RESP_HEAD_MAX <= CONN_OBUF_BYTES) {
        size_t n = proto_resp_write(req, c->out + c->olen, CONN_OBUF_BYTES - c->olen);
        if (n > 0) {
            c->olen += n;
            return 0;
        }
    }
    int rc = conn_flush(c);
    if (rc < 0) return rc;
    c->olen = proto_resp_head(req, c->out);
    rc = conn_flush(c);
    size_t len = proto_resp_body_len(req), off = 0;
    while (rc == 0 && off < len) {
        size_t k = len - off;
        const char *p = proto_resp_body(req, off, &k);
        rc = conn_send(c->fd, p, k);
        off += k;
    }
    return rc;
}

/* Room for one more read: a request larger than the stack buffer moves to the heap. */
static int conn_grow(struct conn *c)
{
    if (c->len < c->cap) return 0;
    if (c->cap >= CONN_IN_MAX_BYTES) return -EMSGSIZE;
    size_t cap = c->cap * 2 < CONN_IN_MAX_BYTES ? c->cap * 2 : CONN_IN_MAX_BYTES;
    char *b = c->buf == c->stack_buf ? malloc(cap) : realloc(c->buf, cap);
    if (!b) return -ENOMEM;
    if (c->buf == c->stack_buf) memcpy(b, c->buf, c->len);
    c->buf = b;
    c->cap = cap;
    return 0;
}

/* Drops the answered off bytes; back to the stack buffer once the rest fits. */
static void conn_shift(struct conn *c, size_t off)
{
    c->len -= off;
    if (c->buf != c->stack_buf && c->len <= CONN_RBUF_BYTES) {
        memcpy(c->stack_buf, c->buf + off, c->len);
        free(c->buf);
        c->buf = c->stack_buf;
        c->cap = CONN_RBUF_BYTES;
    } else {
        memmove(c->buf, c->buf + off, c->len);
    }
}

/* Answers every whole request in c->buf. Returns 0 (go on reading), 1 (close
 * after the answers) or -errno. */
static int conn_answer(struct conn *c)
{
    size_t off = 0;
    int rc = 0;
    while (rc == 0 && off < c->len) {
        struct proto_req req;
        ssize_t n = proto_parse(&c->parser, c->buf + off, c->len - off, &req);
        if (n == PROTO_PARTIAL) break;
        if (req.delay_us) {
            rc = conn_flush(c); /* earlier answers leave before the wait */
            srv_sleep_us(req.delay_us);
        }
        srv_burn_us(req.work_us);
        if (rc == 0) rc = conn_respond(c, &req);
        off += (size_t)n;
        proto_parser_init(&c->parser);
        if (rc == 0 && req.conn == PROTO_CONN_CLOSE) rc = 1;
    }
    int frc = conn_flush(c);
    conn_shift(c, off);
    return rc != 0 ? rc : frc;
}

static int conn_loop(struct conn *c)
{
    for (;;) {
        int rc = conn_grow(c);
        if (rc < 0) return rc;
        ssize_t n = read(c->fd, c->buf + c->len, c->cap - c->len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return n < 0 ? -errno : 0;
        c->len += (size_t)n;
        rc = conn_answer(c);
        if (rc != 0) return rc;
    }
}

void th_conn_serve(int fd)
{
    char in[CONN_RBUF_BYTES];
    char out[CONN_OBUF_BYTES];
    struct conn c = {.fd = fd, .buf = in, .cap = sizeof(in), .stack_buf = in, .out = out};
    proto_parser_init(&c.parser);
    int rc = conn_loop(&c);
    if (c.buf != in) free(c.buf);
    if (rc == 1)
        srv_close_graceful(fd, in, sizeof(in));
    else
        close(fd);
}
