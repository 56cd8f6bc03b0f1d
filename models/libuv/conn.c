/* conn: one connection of the libuv model. alloc_cb hands out the loop's read
 * buffer; answers to every pipelined request gather in the loop's response
 * buffer and leave with uv_try_write, only the rest goes through uv_write.
 * A partial request, a parked delay_us request or unsent output is kept per
 * connection, on the heap, only while it lasts.
 * Try: printf 'GET / HTTP/1.1\r\n\r\nGET /?delay_us=1000 HTTP/1.1\r\n\r\n' | nc 127.0.0.1 PORT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lv.h"

/* The write in flight: heap bytes (unsent output), or a piece of a size=N
 * body straight from proto's static memory, and what is left of that body. */
struct lv_out {
    uv_write_t wr;
    char *buf;            /* owned copy, NULL when the piece is static */
    struct proto_req req; /* the size=N response being streamed */
    size_t body_off, body_len;
};

static void lv_resume(struct lv_conn *c);
static void lv_on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);

static void lv_on_close(uv_handle_t *h)
{
    struct lv_conn *c = h->data;
    srv_buf_free(&c->in);
    if (c->out) free(c->out->buf);
    free(c->out);
    free(c);
}

static void lv_timer_free(uv_handle_t *h)
{
    free(h->data);
}

/* Back to the pool (stopped), or closed when the pool is full. */
static void lv_timer_put(struct lv_loop *l, struct lv_timer *t)
{
    uv_timer_stop(&t->t);
    t->conn = NULL;
    if (l->timers_n >= LV_TIMER_POOL_MAX) {
        uv_close((uv_handle_t *)&t->t, lv_timer_free);
        return;
    }
    t->next = l->timers;
    l->timers = t;
    l->timers_n++;
}

void lv_timers_close(struct lv_loop *l)
{
    while (l->timers) {
        struct lv_timer *t = l->timers;
        l->timers = t->next;
        uv_close((uv_handle_t *)&t->t, lv_timer_free);
    }
    l->timers_n = 0;
}

void lv_conn_close(struct lv_conn *c, bool graceful)
{
    if (c->flags & LV_F_CLOSED) return;
    c->flags |= LV_F_CLOSED;
    uv_os_fd_t fd;
    if (graceful && uv_fileno((uv_handle_t *)&c->tcp, &fd) == 0)
        srv_shut_drain(fd, c->loop->rbuf, LV_RBUF_BYTES); /* uv_close closes it */
    if (c->timer) lv_timer_put(c->loop, c->timer);
    c->timer = NULL;
    uv_close((uv_handle_t *)&c->tcp, lv_on_close);
}

static void lv_on_write(uv_write_t *wr, int status);

static int lv_out_get(struct lv_conn *c)
{
    if (!c->out) {
        c->out = calloc(1, sizeof(*c->out));
        if (!c->out) return -ENOMEM;
        c->out->wr.data = c;
    }
    return 0;
}

/* Hands what uv_try_write left of b[] to uv_write: one static piece as it
 * is, anything else copied into one heap buffer. Returns 1 (in flight). */
static int lv_write_rest(struct lv_conn *c, const uv_buf_t *b, unsigned nb, size_t skip,
                         bool is_static)
{
    int err = lv_out_get(c);
    if (err) return err;
    struct lv_out *o = c->out;
    uv_buf_t rest;
    if (is_static) {
        rest = uv_buf_init(b[0].base + skip, (unsigned)(b[0].len - skip));
    } else {
        size_t total = 0, at = 0;
        for (unsigned i = 0; i < nb; i++)
            total += b[i].len;
        o->buf = malloc(total - skip);
        if (!o->buf) return -ENOMEM;
        for (unsigned i = 0; i < nb; i++) {
            size_t from = skip < b[i].len ? skip : b[i].len;
            skip -= from;
            memcpy(o->buf + at, b[i].base + from, b[i].len - from);
            at += b[i].len - from;
        }
        rest = uv_buf_init(o->buf, (unsigned)at);
    }
    err = uv_write(&o->wr, (uv_stream_t *)&c->tcp, &rest, 1, lv_on_write);
    if (err) return err;
    c->flags |= LV_F_WRITING;
    return 1;
}

/* uv_try_write first, uv_write with the rest. Returns 0 (all sent), 1 (the
 * rest is in flight) or a negative libuv error. */
static int lv_sendv(struct lv_conn *c, const uv_buf_t *b, unsigned nb, bool is_static)
{
    size_t total = 0;
    for (unsigned i = 0; i < nb; i++)
        total += b[i].len;
    int w = uv_try_write((uv_stream_t *)&c->tcp, b, nb);
    if (w == UV_EAGAIN) w = 0;
    if (w < 0) return w;
    if ((size_t)w == total) return 0;
    return lv_write_rest(c, b, nb, (size_t)w, is_static);
}

static int lv_flush(struct lv_conn *c)
{
    struct lv_loop *l = c->loop;
    uv_buf_t b = uv_buf_init(l->obuf, (unsigned)l->olen);
    l->olen = 0;
    return b.len ? lv_sendv(c, &b, 1, false) : 0;
}

/* Sends the rest of a size=N body from static memory, piece by piece, until
 * done (0) or a piece is in flight (1). */
static int lv_stream(struct lv_conn *c)
{
    struct lv_out *o = c->out;
    while (o->body_off < o->body_len) {
        size_t len = LV_STREAM_CHUNK;
        uv_buf_t b;
        b.base = (char *)proto_resp_body(&o->req, o->body_off, &len);
        b.len = len;
        o->body_off += len;
        int rc = lv_sendv(c, &b, 1, true);
        if (rc) return rc;
    }
    o->body_off = o->body_len = 0;
    return 0;
}

/* A response bigger than the loop's buffer (empty on entry): an echo goes
 * with its head in one write (the rest copied: the request buffer does not
 * outlive this call), a size=N body is streamed from static memory. */
static int lv_answer_big(struct lv_conn *c, const struct proto_req *req)
{
    struct lv_loop *l = c->loop;
    size_t head = proto_resp_head(req, l->obuf);
    if (req->echo) {
        uv_buf_t b[2] = {uv_buf_init(l->obuf, (unsigned)head),
                         uv_buf_init((char *)req->body, req->body_len)};
        return lv_sendv(c, b, 2, false);
    }
    int rc = lv_out_get(c);
    if (rc) return rc;
    c->out->req = *req;
    c->out->body_off = 0;
    c->out->body_len = proto_resp_body_len(req);
    l->olen = head;
    rc = lv_flush(c); /* when the head stays in flight, lv_on_write streams the body */
    return rc ? rc : lv_stream(c);
}

#define LV_RETRY 1 /* lv_answer: not answered, a write is in flight: parse it again later */

/* One response into the loop's buffer (flushed first when it would not fit).
 * Returns 0 (answered, maybe in flight), LV_RETRY, or a negative error. */
static int lv_answer(struct lv_conn *c, const struct proto_req *req)
{
    struct lv_loop *l = c->loop;
    size_t need = PROTO_RESP_HEAD_MAX + proto_resp_body_len(req);
    if (l->olen > 0 && l->olen + need > LV_OBUF_BYTES) {
        int rc = lv_flush(c);
        if (rc) return rc;
    }
    if (req->work_us) srv_burn_us(req->work_us);
    size_t n = proto_resp_write(req, l->obuf + l->olen, LV_OBUF_BYTES - l->olen);
    if (n == 0) {
        int rc = lv_answer_big(c, req);
        return rc < 0 ? rc : 0;
    }
    l->olen += n;
    return 0;
}

static void lv_on_timer(uv_timer_t *handle)
{
    struct lv_timer *t = handle->data;
    struct lv_conn *c = t->conn;
    lv_timer_put(c->loop, t);
    c->timer = NULL;
    c->flags &= (uint16_t)~LV_F_PARKED;
    c->flags |= LV_F_DELAY_DONE;
    lv_resume(c);
}

/* delay_us on a timer from the loop's pool (libuv timers count whole
 * milliseconds: rounded up, never early). */
static int lv_park(struct lv_conn *c, uint32_t delay_us)
{
    struct lv_loop *l = c->loop;
    struct lv_timer *t = l->timers;
    if (t) {
        l->timers = t->next;
        l->timers_n--;
    } else {
        t = malloc(sizeof(*t));
        if (!t) return -ENOMEM;
        int err = uv_timer_init(&l->uv, &t->t);
        if (err) {
            free(t);
            return err;
        }
        t->t.data = t;
    }
    t->conn = c;
    c->timer = t;
    uv_update_time(&l->uv);
    c->flags |= LV_F_PARKED;
    return uv_timer_start(&t->t, lv_on_timer, (delay_us + 999u) / 1000u, 0);
}

/* Answers the whole requests of buf; stores in *used the bytes answered.
 * Stops at a partial request, a delay_us request (parked), a write in flight
 * or a Connection: close answer. Returns 0 or a negative error. */
static int lv_process(struct lv_conn *c, const char *buf, size_t len, size_t *used)
{
    size_t off = 0;
    int rc = 0;
    while (off < len && !(c->flags & (LV_F_WRITING | LV_F_CLOSING | LV_F_PARKED))) {
        struct proto_req req;
        ssize_t n = proto_parse(&c->parser, buf + off, len - off, &req);
        if (n == PROTO_PARTIAL) break;
        proto_parser_init(&c->parser);
        if (req.delay_us && !(c->flags & LV_F_DELAY_DONE)) {
            rc = lv_park(c, req.delay_us); /* parsed again when the timer fires */
            break;
        }
        rc = lv_answer(c, &req);
        if (rc == LV_RETRY) {
            rc = 0;
            break;
        }
        if (rc < 0) break;
        c->flags &= (uint16_t)~LV_F_DELAY_DONE;
        off += (size_t)n;
        if (req.conn == PROTO_CONN_CLOSE) c->flags |= LV_F_CLOSING;
    }
    int frc = lv_flush(c);
    *used = off;
    if (rc >= 0 && frc < 0) rc = frc;
    return rc < 0 ? rc : 0;
}

static void lv_on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    struct lv_conn *c = h->data;
    (void)hint;
    *buf = uv_buf_init(c->loop->rbuf, LV_RBUF_BYTES);
}

/* After processing: reading on or off, or close. */
static void lv_settle(struct lv_conn *c)
{
    if (c->flags & LV_F_CLOSED) return;
    bool want_read = !(c->flags & (LV_F_WRITING | LV_F_PARKED | LV_F_CLOSING | LV_F_EOF));
    if ((c->flags & (LV_F_CLOSING | LV_F_EOF)) && !(c->flags & (LV_F_WRITING | LV_F_PARKED))) {
        lv_conn_close(c, true);
    } else if (want_read && !(c->flags & LV_F_READING)) {
        c->flags |= LV_F_READING;
        uv_read_start((uv_stream_t *)&c->tcp, lv_on_alloc, lv_on_read);
    } else if (!want_read && (c->flags & LV_F_READING)) {
        c->flags &= (uint16_t)~LV_F_READING;
        uv_read_stop((uv_stream_t *)&c->tcp);
    }
}

/* After answering: an error closes, else reading on or off, or close. */
static void lv_done(struct lv_conn *c, int rc)
{
    if (rc < 0)
        lv_conn_close(c, false);
    else
        lv_settle(c);
}

static void lv_on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    struct lv_conn *c = (struct lv_conn *)s;
    size_t used = 0;
    int rc = 0;
    if (nread < 0) {
        /* EOF: answer what is already here (a half-closed client waits for it) */
        c->flags |= LV_F_EOF;
        if (nread != UV_EOF)
            lv_conn_close(c, false);
        else
            lv_resume(c);
        return;
    }
    if (nread == 0) return;
    if (c->in.len > 0) { /* behind a partial request: answered from c->in */
        rc = srv_buf_append(&c->in, buf->base, (size_t)nread, SRV_BUF_MAX_BYTES);
        if (rc < 0)
            lv_conn_close(c, false);
        else
            lv_resume(c);
        return;
    }
    /* the usual case: answer straight from the loop buffer, keep only the rest */
    rc = lv_process(c, buf->base, (size_t)nread, &used);
    if (rc == 0)
        rc = srv_buf_append(&c->in, buf->base + used, (size_t)nread - used, SRV_BUF_MAX_BYTES);
    lv_done(c, rc);
}

/* The write finished, the timer fired: answer what waits in c->in, then
 * read again. */
static void lv_resume(struct lv_conn *c)
{
    size_t used = 0;
    int rc = 0;
    if (c->in.len > 0) {
        rc = lv_process(c, c->in.p, c->in.len, &used);
        srv_buf_drop(&c->in, used);
    }
    lv_done(c, rc);
}

static void lv_on_write(uv_write_t *wr, int status)
{
    struct lv_conn *c = wr->data;
    struct lv_out *o = c->out;
    free(o->buf);
    o->buf = NULL;
    c->flags &= (uint16_t)~LV_F_WRITING;
    if (status < 0) { /* an error, or UV_ECANCELED from uv_close */
        lv_conn_close(c, false);
        return;
    }
    int rc = lv_stream(c);
    if (rc < 0) {
        lv_conn_close(c, false);
        return;
    }
    if (rc == 0) {
        o->body_off = o->body_len = 0;
        lv_resume(c);
    }
}

/* Takes an accepted socket; closes it on failure. Returns 0 or a negative error. */
int lv_conn_open(struct lv_loop *l, int fd)
{
    struct lv_conn *c = calloc(1, sizeof(*c));
    if (!c) {
        close(fd);
        return -ENOMEM;
    }
    c->loop = l;
    proto_parser_init(&c->parser);
    int err = uv_tcp_init(&l->uv, &c->tcp);
    if (err) {
        free(c);
        close(fd);
        return err;
    }
    c->tcp.data = c;
    err = uv_tcp_open(&c->tcp, fd);
    if (err) {
        close(fd);
        c->flags |= LV_F_CLOSED;
        uv_close((uv_handle_t *)&c->tcp, lv_on_close);
        return err;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    lv_settle(c);
    return 0;
}
