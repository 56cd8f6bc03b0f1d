/* conn: one connection slot's life: non-blocking connect (optionally from a
 * --source address), writing requests from the shared request buffer, reading
 * into the thread's buffer, parsing, errors, timeouts and reconnects. */
#include "lg.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"

_Static_assert(sizeof(struct lg_conn) == 64, "a connection slot stays one cache line");

static int64_t us_of(uint64_t later, uint64_t earlier)
{
    return later >= earlier ? (int64_t)((later - earlier + 500) / 1000) : 0;
}

bool lg_in_window(const struct lg_run *run, uint64_t intended_ns)
{
    /* before go nothing is measured (measure_ns is set before go_ns) */
    if (!atomic_load_explicit(&run->go_ns, memory_order_acquire)) return false;
    return intended_ns >= run->measure_ns &&
           intended_ns < atomic_load_explicit(&run->end_ns, memory_order_relaxed);
}

static bool open_loop(const struct lg_worker *w)
{
    return w->cfg->rate_rps > 0;
}

static bool may_send(const struct lg_worker *w)
{
    return w->going && !w->ended && !w->cfg->idle;
}

static struct lg_flight *ring_of(struct lg_worker *w, struct lg_conn *c)
{
    return &w->flights[(size_t)(c - w->conns) * w->cfg->pipeline];
}

/* Edge-triggered: a level-triggered descriptor goes back on epoll's ready
 * list after each report and is polled again at the next epoll_wait, one
 * tcp_poll per response for nothing. Edges are enough: a read shorter than
 * the buffer has emptied the socket, a write that stopped short leaves
 * SOCK_NOSPACE set for the EPOLLOUT edge, and EPOLL_CTL_MOD polls at once. */
static int watch(struct lg_worker *w, struct lg_conn *c, int op, uint32_t events)
{
    struct epoll_event ev = {.events = events | EPOLLET, .data.u64 = (uint64_t)(c - w->conns)};
    return epoll_ctl(w->epfd, op, c->fd, &ev) < 0 ? -errno : 0;
}

void lg_conn_unawait(struct lg_worker *w, struct lg_conn *c)
{
    if (!(c->ever & LG_AWAITING)) return;
    c->ever &= (uint8_t)~LG_AWAITING;
    w->awaiting--;
    w->counts.unanswered++;
}

static void close_fd(struct lg_worker *w, struct lg_conn *c)
{
    lg_conn_unawait(w, c);
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    if (c->state == LG_OPEN)
        w->open--;
    else if (c->state == LG_CONNECTING)
        w->connecting--;
    lg_heap_remove(w, c);
    c->state = LG_CLOSED;
    w->inflight_total -= c->inflight;
    c->inflight = 0;
    c->ring_head = 0;
    c->wr_left = 0;
    c->close_after = 0;
    lg_resp_reset(&c->resp);
}

/* Counts every in-flight request of c in the measured window into *counter
 * (or the connection once, when nothing was in flight), then closes it. */
static void count_and_close(struct lg_worker *w, struct lg_conn *c, uint64_t *counter)
{
    struct lg_flight *ring = ring_of(w, c);
    uint32_t n = 0;
    for (uint32_t i = 0; i < c->inflight; i++)
        if (lg_in_window(w->run, ring[(c->ring_head + i) % w->cfg->pipeline].intended_ns)) n++;
    if (c->inflight == 0 && w->measuring && !w->ended) n = 1;
    if (c->ever & LG_AWAITING) n = 1; /* the first request of the ramp failed */
    *counter += n;
    w->all_errors += c->inflight ? c->inflight : 1;
    close_fd(w, c);
}

static void restart(struct lg_worker *w, struct lg_conn *c, uint64_t now, uint64_t delay_ns)
{
    c->since_ns = now + delay_ns;
    if (delay_ns == 0 && may_send(w)) lg_conn_start(w, c, now);
}

void lg_conn_fail(struct lg_worker *w, struct lg_conn *c, uint64_t *counter, uint64_t now)
{
    bool served = c->served;
    count_and_close(w, c, counter);
    restart(w, c, now, served ? 0 : LG_RETRY_NS);
}

static void connect_failed(struct lg_worker *w, struct lg_conn *c, int err, uint64_t now)
{
    w->counts.err_connect++;
    if (err > 0 && err < LG_ERRNO_MAX) w->counts.connect_errno[err]++;
    w->all_errors++;
    close_fd(w, c);
    c->since_ns = now + LG_RETRY_NS;
}

static void opened(struct lg_worker *w, struct lg_conn *c, uint64_t now)
{
    c->state = LG_OPEN;
    c->since_ns = now;
    w->connecting--;
    w->open++;
    c->served = 0;
    if (c->ever & LG_EVER_OPEN)
        w->counts.reconnects++;
    else
        w->ever_open++;
    c->ever |= LG_EVER_OPEN;
    if (watch(w, c, EPOLL_CTL_MOD, EPOLLIN) < 0) {
        lg_conn_fail(w, c, &w->counts.err_read, now);
        return;
    }
    if (!w->going && !open_loop(w) && !(c->ever & LG_EVER_ANSWERED)) {
        /* closed loop: the ramp ends when the server has answered each one */
        c->ever |= LG_AWAITING;
        w->awaiting++;
        lg_conn_send(w, c, 1, now);
        return;
    }
    if (!may_send(w)) return;
    if (open_loop(w))
        lg_heap_push(w, c);
    else
        lg_conn_send(w, c, w->cfg->pipeline, now);
}

void lg_conn_start(struct lg_worker *w, struct lg_conn *c, uint64_t now)
{
    int one = 1, rc;
    c->fd = socket(w->cfg->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    c->state = LG_CONNECTING;
    c->since_ns = now;
    w->connecting++;
    if (c->fd < 0) {
        connect_failed(w, c, errno, now);
        return;
    }
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    rc = lg_source_bind(&w->cfg->source, c->fd, c->id);
    if (rc == 0 && connect(c->fd, (const struct sockaddr *)&w->cfg->addr, w->cfg->addrlen) < 0 &&
        errno != EINPROGRESS)
        rc = -errno;
    if (rc == 0) rc = watch(w, c, EPOLL_CTL_ADD, EPOLLIN | EPOLLOUT);
    if (rc < 0) connect_failed(w, c, -rc, now);
}

int lg_conn_send(struct lg_worker *w, struct lg_conn *c, uint32_t n, uint64_t now)
{
    const struct lg_run *run = w->run;
    uint32_t depth = w->cfg->pipeline;
    struct lg_flight *ring = ring_of(w, c);
    if (n == 0) return 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t intended = open_loop(w) ? c->next_ns : now;
        ring[(c->ring_head + c->inflight) % depth] = (struct lg_flight){intended, now};
        c->inflight++;
        if (lg_in_window(run, intended)) {
            w->counts.sent++;
            if (open_loop(w)) {
                hist_record(&w->late, us_of(now, intended));
                /* the load generator's own delay: from when it could have sent */
                hist_record(&w->delay, us_of(now, intended > c->since_ns ? intended : c->since_ns));
            }
        }
        if (open_loop(w)) lg_sched_advance(w, c);
    }
    w->inflight_total += n;
    size_t size = (size_t)n * run->request_len;
    ssize_t rc = send(c->fd, run->request, size, MSG_NOSIGNAL);
    if (rc == (ssize_t)size) return 0;
    if (rc >= 0 || errno == EAGAIN) {
        c->wr_left = (uint32_t)(size - (size_t)(rc > 0 ? rc : 0));
        if (watch(w, c, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT) == 0) return 0;
    }
    bool reset = errno == ECONNRESET || errno == EPIPE;
    lg_conn_fail(w, c, reset ? &w->counts.err_reset : &w->counts.err_write, now);
    return -1;
}

/* A measured request's latency: the run's histograms and, with --hlog, this
 * second's (corrected and uncorrected; the same value in closed loop). */
static void record_latency(struct lg_worker *w, const struct lg_flight *f, uint64_t now)
{
    int64_t cor = us_of(now, f->intended_ns), unc = us_of(now, f->sent_ns);
    hist_record(&w->lat, cor);
    if (open_loop(w)) hist_record(&w->lat_unc, unc);
    if (!w->cfg->hlog_path) return;
    struct lg_interval *iv = &w->iv[w->iv_seq & 1];
    hist_record(&iv->cor, cor);
    hist_record(&iv->unc, open_loop(w) ? unc : cor);
}

static void response_done(struct lg_worker *w, struct lg_conn *c, uint64_t now)
{
    struct lg_flight f = ring_of(w, c)[c->ring_head];
    c->ring_head = (uint16_t)((c->ring_head + 1) % w->cfg->pipeline);
    if (c->inflight == w->cfg->pipeline) c->since_ns = now; /* free to send again from now */
    c->inflight--;
    w->inflight_total--;
    w->all_completed++;
    c->served = 1;
    if (c->ever & LG_AWAITING) {
        c->ever &= (uint8_t)~LG_AWAITING;
        w->awaiting--;
    }
    c->ever |= LG_EVER_ANSWERED;
    int64_t lat = us_of(now, f.intended_ns);
    hist_record(&w->iv[w->iv_seq & 1].lat, lat);
    if (lg_in_window(w->run, now)) w->counts.received++;
    if (lg_in_window(w->run, f.intended_ns)) {
        w->counts.completed++;
        if (c->resp.status >= 200 && c->resp.status < 300)
            w->counts.ok++;
        else
            w->counts.non2xx++;
        record_latency(w, &f, now);
    }
    if (c->resp.flags & LG_RESP_CLOSE) c->close_after = 1;
    lg_resp_reset(&c->resp);
}

/* Parses n bytes of the thread buffer. Returns 0, or -1 when c was failed. */
static int parse(struct lg_worker *w, struct lg_conn *c, size_t n, uint64_t now)
{
    size_t off = 0, used;
    while (off < n && !c->close_after) {
        int rc = c->inflight ? lg_resp_feed(&c->resp, w->rbuf + off, n - off, &used) : -1;
        if (rc < 0) {
            lg_conn_fail(w, c, &w->counts.err_parse, now);
            return -1;
        }
        off += used;
        if (rc == 0) break;
        response_done(w, c, now);
    }
    return 0;
}

/* The server closed: a body that ends at EOF, an idle close, or a cut. */
static void on_eof(struct lg_worker *w, struct lg_conn *c, uint64_t now)
{
    int rc = lg_resp_eof(&c->resp);
    if (rc == 1) {
        response_done(w, c, now);
        c->close_after = 1;
        return;
    }
    if (rc == 0 && c->inflight == 0) {
        c->close_after = 1;
        return;
    }
    lg_conn_fail(w, c, &w->counts.err_eof, now);
}

/* After reading: reopen a closed connection, or send what may be sent. */
static void after_read(struct lg_worker *w, struct lg_conn *c, uint64_t now)
{
    if (c->close_after) {
        if (c->inflight)
            count_and_close(w, c, &w->counts.err_eof); /* pipelined past a close */
        else
            close_fd(w, c);
        restart(w, c, now, 0);
        return;
    }
    if (c->wr_left || c->inflight >= w->cfg->pipeline) return;
    if (open_loop(w))
        lg_heap_push(w, c);
    else if (may_send(w))
        lg_conn_send(w, c, w->cfg->pipeline - c->inflight, now);
}

static void on_readable(struct lg_worker *w, struct lg_conn *c)
{
    uint64_t now = 0;
    for (;;) {
        ssize_t n = recv(c->fd, w->rbuf, LG_RBUF_BYTES, 0);
        now = util_mono_ns();
        if (n > 0) {
            w->counts.bytes_read += (uint64_t)n;
            if (parse(w, c, (size_t)n, now) < 0) return;
            if (n < LG_RBUF_BYTES || c->close_after) break;
            continue;
        }
        if (n == 0) {
            on_eof(w, c, now);
            if (!c->close_after) return;
            break;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN) break;
        lg_conn_fail(w, c, errno == ECONNRESET ? &w->counts.err_reset : &w->counts.err_read, now);
        return;
    }
    after_read(w, c, now);
}

static void on_writable(struct lg_worker *w, struct lg_conn *c, uint64_t now)
{
    size_t full = (size_t)w->cfg->pipeline * w->run->request_len;
    ssize_t rc = send(c->fd, w->run->request + (full - c->wr_left), c->wr_left, MSG_NOSIGNAL);
    if (rc < 0 && errno == EAGAIN) return;
    if (rc < 0) {
        bool reset = errno == ECONNRESET || errno == EPIPE;
        lg_conn_fail(w, c, reset ? &w->counts.err_reset : &w->counts.err_write, now);
        return;
    }
    c->wr_left -= (uint32_t)rc;
    if (c->wr_left) return;
    c->since_ns = now;
    if (watch(w, c, EPOLL_CTL_MOD, EPOLLIN) < 0) {
        lg_conn_fail(w, c, &w->counts.err_write, now);
        return;
    }
    after_read(w, c, now);
}

void lg_conn_event(struct lg_worker *w, struct lg_conn *c, uint32_t events)
{
    if (c->state == LG_CONNECTING) {
        uint64_t now = util_mono_ns();
        int err = 0;
        socklen_t len = sizeof(err);
        if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
        if (err || (events & (EPOLLERR | EPOLLHUP)))
            connect_failed(w, c, err ? err : ECONNRESET, now);
        else if (events & EPOLLOUT)
            opened(w, c, now);
        return;
    }
    if (c->state != LG_OPEN) return;
    if ((events & EPOLLOUT) && c->wr_left) {
        on_writable(w, c, util_mono_ns());
        if (c->state != LG_OPEN) return;
    }
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(w, c);
}

static void timed_out(struct lg_worker *w, struct lg_conn *c, uint64_t now)
{
    struct lg_flight *ring = ring_of(w, c);
    for (uint32_t i = 0; i < c->inflight; i++) {
        struct lg_flight *f = &ring[(c->ring_head + i) % w->cfg->pipeline];
        if (!lg_in_window(w->run, f->intended_ns)) continue;
        /* a timed-out request still took at least this long: keep it */
        w->counts.timeouts++;
        record_latency(w, f, now);
    }
    if (c->ever & LG_AWAITING) w->counts.timeouts++; /* the ramp's first request */
    w->all_errors += c->inflight;
    close_fd(w, c);
    restart(w, c, now, 0);
}

void lg_conn_scan(struct lg_worker *w, uint64_t now)
{
    uint64_t limit = w->cfg->timeout_ns;
    for (uint32_t i = 0; i < w->nconns; i++) {
        struct lg_conn *c = &w->conns[i];
        if (c->state == LG_CONNECTING && now > c->since_ns + limit)
            connect_failed(w, c, ETIMEDOUT, now);
        else if (c->state == LG_OPEN && c->inflight &&
                 now > ring_of(w, c)[c->ring_head].sent_ns + limit)
            timed_out(w, c, now);
        else if (c->state == LG_CLOSED && may_send(w) && c->since_ns <= now)
            lg_conn_start(w, c, now);
    }
}

void lg_conn_close_all(struct lg_worker *w)
{
    for (uint32_t i = 0; i < w->nconns; i++)
        if (w->conns[i].fd >= 0) close_fd(w, &w->conns[i]);
}
