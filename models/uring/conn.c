/* conn: one connection of the io_uring model. A multishot recv fills buffers
 * of the ring's shared provided-buffer ring; whole requests are answered from
 * that buffer into a pooled response buffer sent with plain IORING_OP_SEND
 * (partial sends resumed); a partial request is copied per connection only while
 * partial. delay_us is an IORING_OP_TIMEOUT; the request is parsed again when
 * it fires. Try: curl -s 'http://127.0.0.1:PORT/?delay_us=20000&size=64' */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ur.h"

static void ur_settle(struct ur_loop *l, struct ur_conn *c);

/* ---- pooled response buffers: idle connections hold none ---- */

static char *ur_obuf_get(struct ur_loop *l)
{
    char *b = l->obuf_free;
    if (b) {
        memcpy(&l->obuf_free, b, sizeof(char *));
        l->obuf_free_n--;
        return b;
    }
    return malloc(UR_OBUF_BYTES);
}

static void ur_obuf_put(struct ur_loop *l, struct ur_conn *c)
{
    char *b = c->obuf;
    c->obuf = NULL;
    c->olen = c->osent = 0;
    if (!b) return;
    if ((c->flags & UR_C_OBUF_HEAP) || l->obuf_free_n >= UR_OBUF_POOL_MAX) {
        free(b);
    } else {
        memcpy(b, &l->obuf_free, sizeof(char *));
        l->obuf_free = b;
        l->obuf_free_n++;
    }
    c->flags &= (uint16_t)~UR_C_OBUF_HEAP;
}

/* ---- requests in flight ---- */

static int ur_arm_recv(struct ur_loop *l, struct ur_conn *c)
{
    struct io_uring_sqe *sqe = ur_sqe(l);
    if (!sqe) return -EBUSY;
    if (l->feat->multishot_recv)
        io_uring_prep_recv_multishot(sqe, c->fd, NULL, 0, 0);
    else
        io_uring_prep_recv(sqe, c->fd, NULL, 0, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = UR_BGID;
    io_uring_sqe_set_data64(sqe, ur_data(c, UR_T_RECV));
    c->flags |= UR_C_RECV;
    c->inflight++;
    return 0;
}

static int ur_arm_send(struct ur_loop *l, struct ur_conn *c, const char *p, size_t n, bool body)
{
    struct io_uring_sqe *sqe = ur_sqe(l);
    if (!sqe) return -EBUSY;
    io_uring_prep_send(sqe, c->fd, p, n, MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, ur_data(c, UR_T_SEND));
    c->flags |= UR_C_SEND;
    if (body)
        c->flags |= UR_C_SEND_BODY;
    else
        c->flags &= (uint16_t)~UR_C_SEND_BODY;
    c->inflight++;
    return 0;
}

static int ur_arm_timeout(struct ur_loop *l, struct ur_conn *c, uint32_t delay_us)
{
    struct io_uring_sqe *sqe = ur_sqe(l);
    if (!sqe) return -EBUSY;
    c->ts.tv_sec = delay_us / 1000000u;
    c->ts.tv_nsec = (long long)(delay_us % 1000000u) * 1000;
    io_uring_prep_timeout(sqe, &c->ts, 0, 0);
    io_uring_sqe_set_data64(sqe, ur_data(c, UR_T_TIMEOUT));
    c->flags |= UR_C_PARKED;
    c->inflight++;
    return 0;
}

/* Cancels a multishot recv (its completion then carries -ECANCELED). */
static void ur_cancel_recv(struct ur_loop *l, struct ur_conn *c)
{
    struct io_uring_sqe *sqe = ur_sqe(l);
    if (!sqe) return;
    io_uring_prep_cancel64(sqe, ur_data(c, UR_T_RECV), 0);
    io_uring_sqe_set_data64(sqe, ur_data(NULL, UR_T_IGNORE));
}

/* The next thing to send: the rest of obuf, else the next piece of a size=N
 * body. Returns 1 when a send is in flight, 0 when all is sent, -errno. */
static int ur_send_next(struct ur_loop *l, struct ur_conn *c)
{
    if (c->flags & UR_C_SEND) return 1;
    if (c->osent < c->olen) {
        int err = ur_arm_send(l, c, c->obuf + c->osent, c->olen - c->osent, false);
        return err ? err : 1;
    }
    if (c->body_off < c->body_len) {
        size_t len = UR_STREAM_CHUNK;
        const char *p = proto_resp_body(&c->body_req, c->body_off, &len);
        int err = ur_arm_send(l, c, p, len, true);
        return err ? err : 1;
    }
    c->body_off = c->body_len = 0;
    ur_obuf_put(l, c);
    return 0;
}

/* ---- answering ---- */

/* A response bigger than a pooled buffer (c->obuf empty): an echo gets a heap
 * buffer of its size, a size=N body follows its head from static memory. */
static int ur_answer_big(struct ur_loop *l, struct ur_conn *c, const struct proto_req *req)
{
    if (req->echo) {
        char *b = malloc(PROTO_RESP_HEAD_MAX + req->body_len);
        if (!b) return -ENOMEM;
        ur_obuf_put(l, c);
        c->obuf = b;
        c->flags |= UR_C_OBUF_HEAP;
        c->olen = (uint32_t)proto_resp_head(req, b);
        memcpy(b + c->olen, req->body, req->body_len);
        c->olen += req->body_len;
        return 0;
    }
    c->olen = (uint32_t)proto_resp_head(req, c->obuf);
    c->body_req = *req;
    c->body_off = 0;
    c->body_len = proto_resp_body_len(req);
    return 0;
}

#define UR_LATER 1 /* ur_answer: no room now, answer it after the send */

static int ur_answer(struct ur_loop *l, struct ur_conn *c, const struct proto_req *req)
{
    size_t need = PROTO_RESP_HEAD_MAX + proto_resp_body_len(req);
    if (c->olen > 0 && c->olen + need > UR_OBUF_BYTES) return UR_LATER;
    if (!c->obuf && !(c->obuf = ur_obuf_get(l))) return -ENOMEM;
    if (req->work_us) srv_burn_us(req->work_us);
    size_t n = proto_resp_write(req, c->obuf + c->olen, UR_OBUF_BYTES - c->olen);
    if (n == 0) return ur_answer_big(l, c, req);
    c->olen += (uint32_t)n;
    return 0;
}

/* Answers the whole requests of buf into c->obuf; stores the bytes answered in
 * *used. Stops at a partial request, a delay_us request (a timeout goes out and
 * it is parsed again later), a full buffer, or Connection: close. */
static int ur_process(struct ur_loop *l, struct ur_conn *c, const char *buf, size_t len,
                      size_t *used)
{
    size_t off = 0;
    int rc = 0;
    *used = 0;
    while (off < len && !(c->flags & (UR_C_SEND | UR_C_PARKED | UR_C_CLOSING)) &&
           c->body_len == 0) {
        struct proto_req req;
        ssize_t n = proto_parse(&c->parser, buf + off, len - off, &req);
        if (n == PROTO_PARTIAL) break;
        proto_parser_init(&c->parser);
        if (req.delay_us && !(c->flags & UR_C_DELAY_DONE)) {
            rc = ur_arm_timeout(l, c, req.delay_us);
            break;
        }
        rc = ur_answer(l, c, &req);
        if (rc) break;
        c->flags &= (uint16_t)~UR_C_DELAY_DONE;
        off += (size_t)n;
        if (req.conn == PROTO_CONN_CLOSE) c->flags |= UR_C_CLOSING;
    }
    *used = off;
    return rc < 0 ? rc : 0;
}

/* Answers what waits in c->in (after a send or a timeout). */
static int ur_resume(struct ur_loop *l, struct ur_conn *c)
{
    size_t used = 0;
    int rc = 0;
    if (c->in.len > 0) {
        rc = ur_process(l, c, c->in.p, c->in.len, &used);
        srv_buf_drop(&c->in, used);
    }
    return rc;
}

/* ---- closing ---- */

static void ur_conn_free(struct ur_loop *l, struct ur_conn *c)
{
    close(c->fd);
    l->conns[c->fd] = NULL;
    ur_obuf_put(l, c);
    srv_buf_free(&c->in);
    free(c);
}

/* Shuts the socket down (a pending recv completes, a pending send fails) and
 * frees the connection once no request of it is in flight. */
static void ur_close(struct ur_loop *l, struct ur_conn *c, bool graceful)
{
    if (!(c->flags & UR_C_CLOSED)) {
        c->flags |= UR_C_CLOSED;
        if (graceful) {
            char sink[512];
            srv_shut_drain(c->fd, sink, sizeof(sink));
        }
        shutdown(c->fd, SHUT_RDWR); /* ends what is in flight; closed when freed */
        if (c->flags & UR_C_PARKED) {
            struct io_uring_sqe *sqe = ur_sqe(l);
            if (sqe) {
                io_uring_prep_timeout_remove(sqe, ur_data(c, UR_T_TIMEOUT), 0);
                io_uring_sqe_set_data64(sqe, ur_data(NULL, UR_T_IGNORE));
            }
        }
        if (c->flags & UR_C_RECV) ur_cancel_recv(l, c);
    }
    if (c->inflight == 0 && !(c->flags & UR_C_REARM)) ur_conn_free(l, c);
}

/* After any event: send what is ready, pause or resume receiving, close. */
static void ur_settle(struct ur_loop *l, struct ur_conn *c)
{
    if (c->flags & UR_C_CLOSED) {
        ur_close(l, c, false);
        return;
    }
    int rc = ur_send_next(l, c);
    if (rc < 0) {
        ur_close(l, c, false);
        return;
    }
    if (rc == 0 && (c->flags & (UR_C_CLOSING | UR_C_EOF)) && !(c->flags & UR_C_PARKED)) {
        ur_close(l, c, true);
        return;
    }
    if (c->in.len > UR_IN_PAUSE_BYTES && (c->flags & UR_C_RECV) && !(c->flags & UR_C_PAUSED)) {
        c->flags |= UR_C_PAUSED; /* a client that does not read its answers */
        ur_cancel_recv(l, c);
    } else if ((c->flags & UR_C_PAUSED) && !(c->flags & UR_C_RECV) &&
               c->in.len < UR_IN_PAUSE_BYTES / 2) {
        c->flags &= (uint16_t)~UR_C_PAUSED;
        if (ur_arm_recv(l, c) < 0) ur_close(l, c, false);
    }
}

/* ---- completions ---- */

static void ur_recv_data(struct ur_loop *l, struct ur_conn *c, const char *p, size_t n)
{
    size_t used = 0;
    int rc = 0;
    bool busy = c->flags & (UR_C_SEND | UR_C_PARKED | UR_C_CLOSING);
    if (c->in.len == 0 && !busy) { /* the usual case: answer straight from the ring buffer */
        rc = ur_process(l, c, p, n, &used);
        if (rc == 0) rc = srv_buf_append(&c->in, p + used, n - used, SRV_BUF_MAX_BYTES);
    } else if ((rc = srv_buf_append(&c->in, p, n, SRV_BUF_MAX_BYTES)) == 0 && !busy) {
        rc = ur_process(l, c, c->in.p, c->in.len, &used);
        srv_buf_drop(&c->in, used);
    }
    if (rc < 0)
        ur_close(l, c, false);
    else
        ur_settle(l, c);
}

static void ur_recv_ended(struct ur_loop *l, struct ur_conn *c, int res)
{
    if (res == -ENOBUFS && !(c->flags & (UR_C_CLOSED | UR_C_REARM))) {
        c->flags |= UR_C_REARM; /* armed again once the buffers are given back */
        c->rearm_next = l->rearm;
        l->rearm = c;
        return;
    }
    if (res == -EINVAL && l->feat->multishot_recv && !(c->flags & UR_C_CLOSED)) {
        l->feat->multishot_recv = false;
        fprintf(stderr,
                "c10k-server-uring: kernel lacks multishot recv, using one recv per read\n");
    }
    if (c->flags & UR_C_CLOSED) {
        ur_close(l, c, false);
    } else if (res == -ECANCELED && (c->flags & UR_C_PAUSED)) {
        ur_settle(l, c);
    } else if (res >= 0 || res == -EINVAL) {
        if (ur_arm_recv(l, c) < 0) ur_close(l, c, false);
    } else {
        ur_close(l, c, false);
    }
}

void ur_conn_recv(struct ur_loop *l, struct ur_conn *c, struct io_uring_cqe *cqe)
{
    bool more = cqe->flags & IORING_CQE_F_MORE;
    if (!more) {
        c->flags &= (uint16_t)~UR_C_RECV;
        c->inflight--;
    }
    if (cqe->flags & IORING_CQE_F_BUFFER) {
        unsigned bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
        if (cqe->res > 0 && !(c->flags & UR_C_CLOSED))
            ur_recv_data(l, c, l->bufs + (size_t)bid * UR_BUF_BYTES, (size_t)cqe->res);
        ur_buf_recycle(l, bid);
    }
    if (cqe->res == 0 && !(c->flags & UR_C_CLOSED)) {
        /* EOF (it ends a multishot recv): answer what is already here, a
         * half-closed client waits for it, then close */
        c->flags |= UR_C_EOF;
        ur_settle(l, c);
        return;
    }
    if (!more) ur_recv_ended(l, c, cqe->res);
}

void ur_conn_sent(struct ur_loop *l, struct ur_conn *c, int res)
{
    c->flags &= (uint16_t)~UR_C_SEND;
    c->inflight--;
    if (res <= 0 || (c->flags & UR_C_CLOSED)) {
        ur_close(l, c, false);
        return;
    }
    if (c->flags & UR_C_SEND_BODY)
        c->body_off += (size_t)res;
    else
        c->osent += (uint32_t)res;
    int rc = ur_send_next(l, c);
    if (rc == 0) rc = ur_resume(l, c);
    if (rc < 0)
        ur_close(l, c, false);
    else
        ur_settle(l, c);
}

void ur_conn_timeout(struct ur_loop *l, struct ur_conn *c, int res)
{
    c->flags &= (uint16_t)~UR_C_PARKED;
    c->inflight--;
    if ((c->flags & UR_C_CLOSED) || (res != -ETIME && res != 0)) {
        ur_close(l, c, false);
        return;
    }
    c->flags |= UR_C_DELAY_DONE;
    int rc = (c->flags & UR_C_SEND) ? 0 : ur_resume(l, c);
    if (rc < 0)
        ur_close(l, c, false);
    else
        ur_settle(l, c);
}

/* Arms again the recvs that ended with -ENOBUFS (the buffers are back now). */
void ur_conn_rearm_all(struct ur_loop *l)
{
    struct ur_conn *c = l->rearm;
    l->rearm = NULL;
    while (c) {
        struct ur_conn *next = c->rearm_next;
        c->flags &= (uint16_t)~UR_C_REARM;
        if (c->flags & UR_C_CLOSED)
            ur_close(l, c, false);
        else if (ur_arm_recv(l, c) < 0)
            ur_close(l, c, false);
        c = next;
    }
}

int ur_conn_open(struct ur_loop *l, int fd)
{
    if ((unsigned)fd >= l->conns_cap) {
        close(fd);
        return -EMFILE;
    }
    struct ur_conn *c = calloc(1, sizeof(*c));
    if (!c) {
        close(fd);
        return -ENOMEM;
    }
    c->fd = fd;
    proto_parser_init(&c->parser);
    srv_nodelay(fd);
    l->conns[fd] = c;
    int err = ur_arm_recv(l, c);
    if (err) {
        ur_conn_free(l, c);
        return err;
    }
    return 0;
}

/* At exit: every connection closed and freed, whatever is in flight (the ring
 * is torn down right after). */
void ur_conn_free_all(struct ur_loop *l)
{
    for (unsigned fd = 0; fd < l->conns_cap; fd++)
        if (l->conns[fd]) ur_conn_free(l, l->conns[fd]);
    while (l->obuf_free) {
        char *b = l->obuf_free;
        memcpy(&l->obuf_free, b, sizeof(char *));
        free(b);
    }
    l->obuf_free_n = 0;
}
