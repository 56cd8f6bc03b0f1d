/* conn: one connection of the epoll model. Reads land in the loop's buffer;
 * answers to every pipelined request go into the loop's output buffer and leave
 * in one write. Only a partial request, a parked delay_us request or output the
 * socket would not take is kept per connection, on the heap, and freed when done.
 * Try: printf 'GET / HTTP/1.1\r\n\r\nGET /?size=5 HTTP/1.1\r\n\r\n' | nc 127.0.0.1 PORT */
#include "ep.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

/* Output the socket did not take: raw bytes first, then (for a size=N body)
 * the rest of req's body from body_off, produced chunk by chunk as it drains. */
struct ep_pend {
    char *buf;
    size_t len, off, cap;
    struct proto_req req;
    size_t body_off, body_len;
};

static int pend_append(struct ep_conn *c, const char *p, size_t n)
{
    struct ep_pend *pd = c->pend;
    if (pd->len + n > pd->cap) {
        size_t cap = pd->cap ? pd->cap : EP_IN_MIN_BYTES;
        while (cap < pd->len + n)
            cap *= 2;
        char *b = realloc(pd->buf, cap);
        if (!b) return -ENOMEM;
        pd->buf = b;
        pd->cap = cap;
    }
    memcpy(pd->buf + pd->len, p, n);
    pd->len += n;
    return 0;
}

static void pend_free(struct ep_conn *c)
{
    if (c->pend) free(c->pend->buf);
    free(c->pend);
    c->pend = NULL;
}

/* Writes what the socket takes: returns the bytes written or -errno. */
static ssize_t conn_send(int fd, const char *p, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = send(fd, p + done, n - done, MSG_NOSIGNAL);
        if (w > 0)
            done += (size_t)w;
        else if (w < 0 && errno == EINTR)
            continue;
        else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        else
            return w < 0 ? -errno : -EIO;
    }
    return (ssize_t)done;
}

/* Sends the loop's output buffer to c; the unsent rest becomes c->pend. */
static int conn_flush(struct ep_loop *l, struct ep_conn *c)
{
    size_t n = l->olen;
    l->olen = 0;
    if (n == 0) return 0;
    ssize_t w = conn_send(c->fd, l->obuf, n);
    if (w < 0) return (int)w;
    if ((size_t)w == n) return 0;
    c->pend = calloc(1, sizeof(*c->pend));
    if (!c->pend) return -ENOMEM;
    return pend_append(c, l->obuf + w, n - (size_t)w);
}

/* Appends to c's output: the loop buffer while the socket keeps up, else c->pend. */
static int conn_put(struct ep_loop *l, struct ep_conn *c, const char *p, size_t n)
{
    while (n > 0) {
        if (c->pend) return pend_append(c, p, n);
        if (l->olen == EP_OBUF_BYTES) {
            int rc = conn_flush(l, c);
            if (rc < 0) return rc;
            continue;
        }
        size_t k = EP_OBUF_BYTES - l->olen < n ? EP_OBUF_BYTES - l->olen : n;
        memcpy(l->obuf + l->olen, p, k);
        l->olen += k;
        p += k;
        n -= k;
    }
    return 0;
}

/* Answers req: in one piece when it fits the output buffer (the hot path),
 * else head then body chunks; a size=N body is never copied to the heap. */
static int conn_respond(struct ep_loop *l, struct ep_conn *c, const struct proto_req *req)
{
    if (!c->pend && l->olen + PROTO_RESP_HEAD_MAX <= EP_OBUF_BYTES) {
        size_t n = proto_resp_write(req, l->obuf + l->olen, EP_OBUF_BYTES - l->olen);
        if (n > 0) {
            l->olen += n;
            return 0;
        }
    }
    char head[PROTO_RESP_HEAD_MAX];
    int rc = conn_put(l, c, head, proto_resp_head(req, head));
    size_t len = proto_resp_body_len(req), off = 0;
    while (rc == 0 && off < len) {
        if (c->pend && !req->echo) {
            c->pend->req = *req;
            c->pend->body_off = off;
            c->pend->body_len = len;
            return 0;
        }
        size_t k = len - off;
        const char *p = proto_resp_body(req, off, &k);
        rc = conn_put(l, c, p, k);
        off += k;
    }
    return rc;
}

/* Keeps buf[off..len) (a partial or not yet answered request) in c->in;
 * buf is c->in itself or, when c->in is empty, the loop's read buffer. */
static int conn_keep(struct ep_conn *c, const char *buf, size_t off, size_t len)
{
    if (c->flags & EP_F_CLOSING) {
        srv_buf_free(&c->in);
        return 0;
    }
    if (buf == c->in.p) {
        srv_buf_drop(&c->in, off);
        return 0;
    }
    return srv_buf_append(&c->in, buf + off, len - off, EP_IN_MAX_BYTES);
}

static int conn_want(struct ep_loop *l, struct ep_conn *c, uint16_t events)
{
    if (c->events == events) return 0;
    struct epoll_event ev = {.events = events,
                             .data.u64 = (uint64_t)c->gen << 32 | (uint32_t)c->fd};
    if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, c->fd, &ev) != 0) return -errno;
    c->events = events;
    return 0;
}

/* What to wait for next: the socket to drain, the timer, more requests, or close. */
static int conn_settle(struct ep_loop *l, struct ep_conn *c)
{
    if (c->pend) return conn_want(l, c, EPOLLOUT); /* and stop reading: bounded memory */
    if (c->flags & EP_F_CLOSING) return 1;
    if (c->flags & EP_F_PARKED) return conn_want(l, c, 0);
    return conn_want(l, c, EPOLLIN);
}

static int conn_park(struct ep_loop *l, struct ep_conn *c, uint32_t delay_us)
{
    c->deadline_ns = util_mono_ns() + (uint64_t)delay_us * UTIL_NS_PER_US;
    int rc = ep_timer_add(&l->timers, c);
    if (rc == 0) c->flags |= EP_F_PARKED;
    proto_parser_init(&c->parser); /* the request is parsed again when the timer fires */
    return rc;
}

/* Answers the whole requests in buf[0..len) (l->rbuf or c->in) until one must
 * wait for its delay, the socket is full or the connection is to close; keeps
 * the rest in c->in and writes the answers once. */
static int conn_process(struct ep_loop *l, struct ep_conn *c, char *buf, size_t len)
{
    size_t off = 0;
    int rc = 0;
    while (off < len && !c->pend && !(c->flags & (EP_F_CLOSING | EP_F_PARKED))) {
        struct proto_req req;
        ssize_t n = proto_parse(&c->parser, buf + off, len - off, &req);
        if (n == PROTO_PARTIAL) break;
        if (req.delay_us && !(c->flags & EP_F_DELAY_DONE)) {
            rc = conn_park(l, c, req.delay_us);
            break;
        }
        c->flags &= (uint16_t)~EP_F_DELAY_DONE;
        srv_burn_us(req.work_us);
        rc = conn_respond(l, c, &req);
        if (rc < 0) break;
        off += (size_t)n;
        proto_parser_init(&c->parser);
        if (req.conn == PROTO_CONN_CLOSE) c->flags |= EP_F_CLOSING;
    }
    if (rc == 0 && !c->pend) rc = conn_flush(l, c);
    l->olen = 0;
    if (rc == 0) rc = conn_keep(c, buf, off, len);
    return rc < 0 ? rc : conn_settle(l, c);
}

int ep_conn_readable(struct ep_loop *l, struct ep_conn *c)
{
    char *buf = l->rbuf;
    size_t cap = EP_RBUF_BYTES;
    if (c->in.p) {
        int rc = srv_buf_reserve(&c->in, (size_t)c->in.len + 1, EP_IN_MAX_BYTES);
        if (rc < 0) return rc;
        buf = c->in.p + c->in.len;
        cap = c->in.cap - c->in.len;
    }
    /* level-triggered: one read per wakeup, no extra read() to see EAGAIN */
    ssize_t n = read(c->fd, buf, cap);
    if (n == 0) return -ECONNRESET;
    if (n < 0) return errno == EAGAIN || errno == EINTR ? 0 : -errno;
    if (!c->in.p) return conn_process(l, c, buf, (size_t)n);
    c->in.len += (uint32_t)n;
    return conn_process(l, c, c->in.p, c->in.len);
}

int ep_conn_writable(struct ep_loop *l, struct ep_conn *c)
{
    struct ep_pend *pd = c->pend;
    if (!pd) return conn_settle(l, c);
    if (pd->off < pd->len) {
        ssize_t w = conn_send(c->fd, pd->buf + pd->off, pd->len - pd->off);
        if (w < 0) return (int)w;
        pd->off += (size_t)w;
        if (pd->off < pd->len) return 0;
    }
    while (pd->body_off < pd->body_len) {
        size_t k = pd->body_len - pd->body_off;
        const char *p = proto_resp_body(&pd->req, pd->body_off, &k);
        ssize_t w = conn_send(c->fd, p, k);
        if (w < 0) return (int)w;
        pd->body_off += (size_t)w;
        if ((size_t)w < k) return 0;
    }
    pend_free(c);
    /* drained: answer what was read meanwhile, then read again */
    return conn_process(l, c, c->in.p, c->in.len);
}

int ep_conn_timer(struct ep_loop *l, struct ep_conn *c)
{
    c->flags = (uint16_t)((c->flags & ~EP_F_PARKED) | EP_F_DELAY_DONE);
    return conn_process(l, c, c->in.p, c->in.len);
}

int ep_conn_open(struct ep_loop *l, int fd)
{
    if ((size_t)fd >= l->nconns) return -EMFILE;
    struct ep_conn *c = calloc(1, sizeof(*c));
    if (!c) return -ENOMEM;
    c->fd = fd;
    if (++l->next_gen == 0) l->next_gen = 1; /* 0 marks the listener and the stop pipe */
    c->gen = l->next_gen;
    c->events = EPOLLIN;
    srv_nodelay(fd);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)c->gen << 32 | (uint32_t)fd};
    if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
        int rc = -errno;
        free(c);
        return rc;
    }
    l->conns[fd] = c;
    return 0;
}

void ep_conn_close(struct ep_loop *l, struct ep_conn *c, bool graceful)
{
    if (c->flags & EP_F_PARKED) ep_timer_del(&l->timers, c);
    if (graceful)
        srv_close_graceful(c->fd, l->rbuf, EP_RBUF_BYTES);
    else
        close(c->fd);
    l->conns[c->fd] = NULL;
    srv_buf_free(&c->in);
    pend_free(c);
    free(c);
}
