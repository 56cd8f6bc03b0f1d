/* blocking: one connection served with blocking reads and writes, the loop the
 * threads model runs in a thread per connection and the prefork model in a
 * child process. The caller lends two buffers (on its stack): input moves to
 * the heap only for a request bigger than it (a 1 MiB POST /echo), answers to
 * pipelined requests gather in the output buffer and leave in one write.
 * Try: printf 'GET / HTTP/1.1\r\n\r\nGET /?delay_us=1000 HTTP/1.1\r\n\r\n' | nc 127.0.0.1 PORT */
#include "proto.h"
#include "srv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define BLK_IOV_MAX 16 /* body pieces per writev of a big answer */

struct blk_conn {
    int fd;
    char *buf; /* the caller's input buffer, or a heap one for a big request */
    size_t len, cap;
    char *stack_buf;
    size_t stack_cap, max; /* max: a whole head and echo body, plus a read */
    char *out;
    size_t out_len, out_cap;
    struct proto_parser parser;
};

static int blk_writev_all(int fd, struct iovec *iov, int n)
{
    while (n > 0) {
        ssize_t w = writev(fd, iov, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        while (n > 0 && (size_t)w >= iov->iov_len) {
            w -= (ssize_t)iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (char *)iov->iov_base + w;
            iov->iov_len -= (size_t)w;
        }
    }
    return 0;
}

static int blk_flush(struct blk_conn *c)
{
    if (c->out_len == 0) return 0;
    struct iovec iov = {.iov_base = c->out, .iov_len = c->out_len};
    c->out_len = 0;
    return blk_writev_all(c->fd, &iov, 1);
}

/* An answer too big for the output buffer: head, then the body straight from
 * where proto keeps it (static memory, or the request for echo). */
static int blk_write_big(struct blk_conn *c, const struct proto_req *req)
{
    char head[PROTO_RESP_HEAD_MAX];
    struct iovec iov[BLK_IOV_MAX];
    size_t total = proto_resp_body_len(req), off = 0;
    int n = 1, err = blk_flush(c);
    iov[0].iov_base = head;
    iov[0].iov_len = proto_resp_head(req, head);
    while (!err && (off < total || n > 0)) {
        while (off < total && n < BLK_IOV_MAX) {
            size_t len = total - off;
            iov[n].iov_base = (void *)proto_resp_body(req, off, &len);
            iov[n++].iov_len = len;
            off += len;
        }
        err = blk_writev_all(c->fd, iov, n);
        n = 0;
    }
    return err;
}

static int blk_answer(struct blk_conn *c, const struct proto_req *req)
{
    if (req->delay_us) {
        int err = blk_flush(c); /* earlier pipelined answers do not wait */
        if (err) return err;
        srv_sleep_us(req->delay_us);
    }
    srv_burn_us(req->work_us);
    size_t n = proto_resp_write(req, c->out + c->out_len, c->out_cap - c->out_len);
    if (n == 0 && c->out_len > 0) {
        int err = blk_flush(c);
        if (err) return err;
        n = proto_resp_write(req, c->out, c->out_cap);
    }
    if (n == 0) return blk_write_big(c, req);
    c->out_len += n;
    return 0;
}

/* Answers every whole request in the buffer; returns 1 when the connection
 * must close, 0 to read more, -errno on a write error. */
static int blk_drain(struct blk_conn *c)
{
    size_t off = 0;
    int rc = 0;
    while (off < c->len) {
        struct proto_req req;
        ssize_t n = proto_parse(&c->parser, c->buf + off, c->len - off, &req);
        if (n == PROTO_PARTIAL) break;
        rc = blk_answer(c, &req);
        off += (size_t)n;
        proto_parser_init(&c->parser);
        if (rc == 0 && req.conn == PROTO_CONN_CLOSE) rc = 1;
        if (rc) break;
    }
    int err = blk_flush(c);
    if (rc == 0 && err) rc = err;
    memmove(c->buf, c->buf + off, c->len - off);
    c->len -= off;
    return rc;
}

/* Room to read into: a full input buffer moves to the heap, doubling up to the
 * biggest legal request; a heap buffer goes back to the caller's once it
 * drains below half of that. */
static int blk_room(struct blk_conn *c)
{
    if (c->buf != c->stack_buf && c->len <= c->stack_cap / 2) {
        memcpy(c->stack_buf, c->buf, c->len);
        free(c->buf);
        c->buf = c->stack_buf;
        c->cap = c->stack_cap;
    }
    if (c->len < c->cap) return 0;
    if (c->cap >= c->max) return -EMSGSIZE;
    size_t cap = c->cap * 2 < c->max ? c->cap * 2 : c->max;
    char *p = c->buf == c->stack_buf ? malloc(cap) : realloc(c->buf, cap);
    if (!p) return -ENOMEM;
    if (c->buf == c->stack_buf) memcpy(p, c->buf, c->len);
    c->buf = p;
    c->cap = cap;
    return 0;
}

static int blk_loop(struct blk_conn *c)
{
    for (;;) {
        int rc = blk_room(c);
        if (rc < 0) return rc;
        ssize_t n = read(c->fd, c->buf + c->len, c->cap - c->len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return n < 0 ? -errno : 0;
        c->len += (size_t)n;
        rc = blk_drain(c);
        if (rc != 0) return rc;
    }
}

int srv_serve_blocking(int fd, char *in, size_t in_cap, char *out, size_t out_cap)
{
    struct blk_conn c = {.fd = fd,
                         .buf = in,
                         .cap = in_cap,
                         .stack_buf = in,
                         .stack_cap = in_cap,
                         .max = PROTO_HEAD_MAX + PROTO_ECHO_MAX + in_cap,
                         .out = out,
                         .out_cap = out_cap};
    proto_parser_init(&c.parser);
    int rc = blk_loop(&c);
    if (c.buf != in) free(c.buf);
    return rc;
}
