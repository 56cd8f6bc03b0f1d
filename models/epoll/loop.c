/* loop: the epoll event loops of c10k-server-epoll: listeners (one per loop,
 * SO_REUSEPORT when there are several), accept with the EMFILE trick, event
 * dispatch, delay_us timers, and the threads that run loops 1..N-1.
 * Try: c10k-server-epoll --threads 2 --port 8080 & wrk -c1000 http://127.0.0.1:8080/ */
#include "ep.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define LOOP_EVENTS 256
#define LOOP_ACCEPT_BURST 256 /* accepts per wakeup, so a connect storm cannot starve the rest */

static int loop_add(int epfd, int fd)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint32_t)fd};
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == 0 ? 0 : -errno;
}

static void loop_close(struct ep_loop *l)
{
    for (size_t fd = 0; l->conns && fd < l->nconns; fd++)
        if (l->conns[fd]) ep_conn_close(l, l->conns[fd], false);
    free(l->conns);
    ep_timer_free(&l->timers);
    free(l->rbuf);
    free(l->obuf);
    if (l->epfd >= 0) close(l->epfd);
    if (l->spare_fd >= 0) close(l->spare_fd);
    if (l->listen_fd >= 0) close(l->listen_fd);
    l->conns = NULL;
    l->rbuf = l->obuf = NULL;
    l->epfd = l->spare_fd = l->listen_fd = -1;
}

/* Takes ownership of listen_fd (closed by loop_close even on failure). */
static int loop_init(struct ep_loop *l, const struct srv_opts *o, struct srv_stats *s,
                     int listen_fd)
{
    *l = (struct ep_loop){
        .opts = o, .stats = s, .listen_fd = listen_fd, .spare_fd = -1, .stop_fd = srv_stop_fd()};
    int rc = -ENOMEM;
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (l->epfd < 0) {
        rc = -errno;
        goto fail;
    }
    l->nconns = srv_fd_limit();
    l->conns = calloc(l->nconns, sizeof(*l->conns));
    l->rbuf = malloc(EP_RBUF_BYTES);
    l->obuf = malloc(EP_OBUF_BYTES);
    if (!l->conns || !l->rbuf || !l->obuf) goto fail;
    l->spare_fd = srv_spare_open();
    if ((rc = loop_add(l->epfd, listen_fd)) < 0 || (rc = loop_add(l->epfd, l->stop_fd)) < 0)
        goto fail;
    return 0;
fail:
    loop_close(l);
    return rc;
}

static void loop_accept(struct ep_loop *l)
{
    for (int i = 0; i < LOOP_ACCEPT_BURST; i++) {
        int fd = accept4(l->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            int err = errno;
            if (err == EINTR || err == ECONNABORTED) continue;
            if (err == EAGAIN || err == EWOULDBLOCK) return;
            if (!srv_accept_failed(l->stats, l->opts->model->name, l->listen_fd, &l->spare_fd, err))
                return; /* try again on the next wakeup */
            continue;   /* one was shed: more may be queued */
        }
        int rc = ep_conn_open(l, fd);
        if (rc < 0) {
            close(fd);
            srv_stats_reject(l->stats, l->opts->model->name, -rc);
            continue;
        }
        srv_stats_accepted(l->stats);
    }
}

static void loop_finish(struct ep_loop *l, struct ep_conn *c, int rc)
{
    if (rc != 0) ep_conn_close(l, c, rc == 1);
}

static void loop_event(struct ep_loop *l, const struct epoll_event *ev)
{
    int fd = (int)(uint32_t)ev->data.u64;
    uint32_t gen = (uint32_t)(ev->data.u64 >> 32);
    if (gen == 0) {
        if (fd == l->listen_fd) loop_accept(l);
        return; /* the stop pipe: the loop condition sees srv_stopping() */
    }
    struct ep_conn *c = l->conns[fd];
    if (!c || c->gen != gen) return; /* closed earlier in this batch */
    int rc;
    if (ev->events & EPOLLIN)
        rc = ep_conn_readable(l, c);
    else if (ev->events & EPOLLOUT)
        rc = ep_conn_writable(l, c);
    else
        rc = -ECONNRESET; /* EPOLLHUP/EPOLLERR while parked */
    loop_finish(l, c, rc);
}

static void loop_timers(struct ep_loop *l)
{
    uint64_t now = util_mono_ns();
    struct ep_conn *c;
    while ((c = ep_timer_first(&l->timers)) && c->deadline_ns <= now) {
        ep_timer_del(&l->timers, c);
        loop_finish(l, c, ep_conn_timer(l, c));
    }
}

/* epoll_wait timeout in ms: until the first delay_us deadline, rounded up. */
static int loop_timeout_ms(const struct ep_loop *l)
{
    struct ep_conn *c = ep_timer_first(&l->timers);
    if (!c) return -1;
    uint64_t now = util_mono_ns();
    if (c->deadline_ns <= now) return 0;
    return (int)((c->deadline_ns - now + UTIL_NS_PER_MS - 1) / UTIL_NS_PER_MS);
}

static int loop_run(struct ep_loop *l)
{
    struct epoll_event ev[LOOP_EVENTS];
    while (!srv_stopping()) {
        int n = epoll_wait(l->epfd, ev, LOOP_EVENTS, loop_timeout_ms(l));
        if (n < 0 && errno != EINTR) return -errno;
        for (int i = 0; i < n; i++)
            loop_event(l, &ev[i]);
        loop_timers(l);
    }
    return 0;
}

static void *loop_thread(void *arg)
{
    struct ep_loop *l = arg;
    l->rc = loop_run(l);
    return NULL;
}

static int loop_start(struct ep_loop *loops, const struct srv_opts *o, struct srv_stats *s,
                      unsigned *ready)
{
    for (unsigned i = 0; i < o->threads; i++) {
        int fd = srv_listen_loop(o, o->threads, i ? loops[0].listen_fd : -1);
        if (fd < 0) return fd;
        int rc = loop_init(&loops[i], o, s, fd);
        if (rc < 0) return rc;
        *ready = i + 1;
    }
    return srv_ready(loops[0].listen_fd);
}

int ep_serve(const struct srv_opts *o, struct srv_stats *s)
{
    unsigned ready = 0, started = 1;
    struct ep_loop *loops = calloc(o->threads, sizeof(*loops));
    if (!loops) return -ENOMEM;
    int rc = loop_start(loops, o, s, &ready);
    while (rc == 0 && started < o->threads) {
        rc = -pthread_create(&loops[started].thread, NULL, loop_thread, &loops[started]);
        if (rc == 0) started++;
    }
    if (rc == 0)
        rc = loop_run(&loops[0]);
    else if (started > 1)
        raise(SIGTERM); /* stops the loops already running */
    for (unsigned i = 1; i < started; i++) {
        pthread_join(loops[i].thread, NULL);
        if (rc == 0) rc = loops[i].rc;
    }
    for (unsigned i = 0; i < ready; i++)
        loop_close(&loops[i]);
    free(loops);
    return rc;
}
