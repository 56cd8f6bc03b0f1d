/* child: one prefork child. It blocks in accept() on the shared listener, serves
 * that one connection with blocking reads and writes until the client closes,
 * and goes back to accept(); after an idle timeout it retires when the pool has
 * more than --spare idle children.  curl -v http://127.0.0.1:PORT/?delay_us=1000 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include "prefork.h"
#include "proto.h"

#define PF_IBUF_BYTES 4096u /* on the stack: enough for every usual request */
#define PF_OBUF_BYTES 4096u /* pipelined responses are gathered here */
#define PF_IBUF_MAX (PROTO_HEAD_MAX + PROTO_ECHO_MAX + 4096u)
#define PF_IOV_MAX 16

struct pf_conn {
    int fd;
    char *buf; /* the stack buffer, or a heap one for big requests */
    size_t len, cap;
    char *stack_buf;
    struct proto_parser parser;
    char *out;
    size_t out_len;
};

static void pf_child_setup(int listen_fd, pid_t master_pid)
{
    /* SIGTERM kills a child outright: its connection is closed by the kernel */
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    sigset_t all;
    sigemptyset(&all);
    sigaddset(&all, SIGTERM);
    sigaddset(&all, SIGINT);
    sigprocmask(SIG_UNBLOCK, &all, NULL);
    if (getppid() != master_pid) /* the master died before PDEATHSIG was set */
        raise(SIGKILL);
    int stop_fd = srv_stop_fd();
    if (stop_fd >= 0 && stop_fd != listen_fd) close(stop_fd);
}

static int pf_writev_all(int fd, struct iovec *iov, int n)
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

static int pf_flush(struct pf_conn *c)
{
    if (c->out_len == 0) return 0;
    struct iovec iov = {.iov_base = c->out, .iov_len = c->out_len};
    c->out_len = 0;
    return pf_writev_all(c->fd, &iov, 1);
}

/* A response too big for the output buffer: head, then the body straight from
 * where proto keeps it (static memory, or the request for echo). */
static int pf_write_big(struct pf_conn *c, const struct proto_req *req)
{
    char head[PROTO_RESP_HEAD_MAX];
    struct iovec iov[PF_IOV_MAX];
    size_t total = proto_resp_body_len(req), off = 0;
    int n = 1, err = pf_flush(c);
    iov[0].iov_base = head;
    iov[0].iov_len = proto_resp_head(req, head);
    while (!err && (off < total || n > 0)) {
        while (off < total && n < PF_IOV_MAX) {
            size_t len = total - off;
            iov[n].iov_base = (void *)proto_resp_body(req, off, &len);
            iov[n++].iov_len = len;
            off += len;
        }
        err = pf_writev_all(c->fd, iov, n);
        n = 0;
    }
    return err;
}

static int pf_answer(struct pf_conn *c, const struct proto_req *req)
{
    if (req->delay_us) {
        int err = pf_flush(c); /* earlier pipelined answers do not wait */
        if (err) return err;
        srv_sleep_us(req->delay_us);
    }
    if (req->work_us) srv_burn_us(req->work_us);
    size_t n = proto_resp_write(req, c->out + c->out_len, PF_OBUF_BYTES - c->out_len);
    if (n == 0 && c->out_len > 0) {
        int err = pf_flush(c);
        if (err) return err;
        n = proto_resp_write(req, c->out, PF_OBUF_BYTES);
    }
    if (n == 0) return pf_write_big(c, req);
    c->out_len += n;
    return 0;
}

/* Answers every whole request in the buffer; returns 1 when the connection
 * must close, 0 to read more, -errno on a write error. */
static int pf_drain(struct pf_conn *c)
{
    size_t off = 0;
    int rc = 0;
    while (off < c->len) {
        struct proto_req req;
        ssize_t n = proto_parse(&c->parser, c->buf + off, c->len - off, &req);
        if (n == PROTO_PARTIAL) break;
        rc = pf_answer(c, &req);
        off += (size_t)n;
        proto_parser_init(&c->parser);
        if (rc == 0 && req.conn == PROTO_CONN_CLOSE) rc = 1;
        if (rc) break;
    }
    int err = pf_flush(c);
    if (rc == 0 && err) rc = err;
    memmove(c->buf, c->buf + off, c->len - off);
    c->len -= off;
    return rc;
}

/* Room to read into: a full stack buffer moves to the heap, doubling up to the
 * biggest legal request; a heap buffer goes back to the stack once it drains. */
static int pf_room(struct pf_conn *c)
{
    if (c->buf != c->stack_buf && c->len <= PF_IBUF_BYTES / 2) {
        memcpy(c->stack_buf, c->buf, c->len);
        free(c->buf);
        c->buf = c->stack_buf;
        c->cap = PF_IBUF_BYTES;
    }
    if (c->len < c->cap) return 0;
    if (c->cap >= PF_IBUF_MAX) return -EMSGSIZE;
    size_t cap = c->cap * 2 < PF_IBUF_MAX ? c->cap * 2 : PF_IBUF_MAX;
    char *p = c->buf == c->stack_buf ? malloc(cap) : realloc(c->buf, cap);
    if (!p) return -ENOMEM;
    if (c->buf == c->stack_buf) memcpy(p, c->buf, c->len);
    c->buf = p;
    c->cap = cap;
    return 0;
}

/* Serves fd until the client closes or asks to, then closes it (gracefully). */
static void pf_serve(int fd)
{
    char in[PF_IBUF_BYTES], out[PF_OBUF_BYTES];
    struct pf_conn c = {.fd = fd, .buf = in, .cap = sizeof(in), .stack_buf = in, .out = out};
    proto_parser_init(&c.parser);
    for (;;) {
        if (pf_room(&c) < 0) break;
        ssize_t n = read(fd, c.buf + c.len, c.cap - c.len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        c.len += (size_t)n;
        if (pf_drain(&c) != 0) break;
    }
    if (c.buf != c.stack_buf) free(c.buf);
    srv_close_graceful(fd, in, sizeof(in));
}

static void pf_wake_master(struct pf_board *b)
{
    uint64_t one = 1;
    if (write(b->wake_fd, &one, sizeof(one)) < 0) {
        /* EAGAIN: the counter is already non-zero, the master will look */
    }
}

/* After an idle timeout: leave when the other idle children are at least
 * --spare and the pool stays at or above --workers. Returns true to retire. */
static bool pf_retire(struct pf_board *b, struct pf_slot *s)
{
    int pool = atomic_load(&b->pool);
    while (pool > (int)b->floor) {
        if (atomic_load(&b->idle) - 1 < (int)b->spare) return false;
        if (atomic_compare_exchange_weak(&b->pool, &pool, pool - 1)) {
            atomic_store(&s->state, PF_RETIRED);
            atomic_store(&s->idle, 0);
            atomic_fetch_sub(&b->idle, 1);
            return true;
        }
    }
    return false;
}

static void pf_took_one(struct pf_board *b, struct pf_slot *s)
{
    atomic_store(&s->idle, 0);
    int left = atomic_fetch_sub(&b->idle, 1) - 1;
    /* the master forks up to --spare idle; it is woken below half of that (or at none) */
    int low = (int)(b->spare + 1) / 2;
    if (left < (low > 0 ? low : 1)) pf_wake_master(b);
    srv_stats_accepted(&b->stats);
}

int pf_child_main(struct pf_board *b, unsigned slot, int listen_fd, pid_t master_pid)
{
    struct pf_slot *s = &b->slots[slot];
    pf_child_setup(listen_fd, master_pid);
    for (;;) {
        int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            int err = errno;
            if (err == EAGAIN || err == EWOULDBLOCK) {
                if (pf_retire(b, s)) return 0;
            } else if (err != EINTR && err != ECONNABORTED) {
                /* EMFILE, ENFILE, ENOBUFS, ENOMEM: count it, give the system a moment */
                srv_stats_reject(&b->stats, "prefork", err);
                srv_sleep_us(10000);
            }
            continue;
        }
        pf_took_one(b, s);
        /* an accepted socket inherits the listener's idle timeout: blocking
         * keep-alive reads must wait as long as the client stays */
        struct timeval forever = {0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &forever, sizeof(forever));
        pf_serve(fd); /* and closes fd */
        atomic_store(&s->idle, 1);
        atomic_fetch_add(&b->idle, 1);
    }
}
