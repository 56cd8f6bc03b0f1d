/* loop: the libuv model's loops. Each loop runs in its own thread with its own
 * SO_REUSEPORT listener (opened by srv_listen, watched with a uv_poll_t and
 * accepted by hand so EMFILE is counted and shed), and stops when srv_stop_fd
 * becomes readable: every handle is closed and freed in its close callback.
 *   c10k-server-libuv --loops 2 ; wrk -c1000 http://127.0.0.1:PORT/ */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lv.h"

/* The listener is readable: accept a batch (the rest waits for the next
 * turn of the loop, so one busy listener does not starve the connections). */
static void lv_on_listen(uv_poll_t *p, int status, int events)
{
    struct lv_loop *l = p->data;
    (void)events;
    if (status < 0) return;
    for (int i = 0; i < LV_ACCEPT_BATCH; i++) {
        int fd = accept4(l->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            int err = errno;
            if (err == EAGAIN || err == EWOULDBLOCK) return;
            if (err == EINTR || err == ECONNABORTED) continue;
            /* accept4 checks for a free fd before it looks at the queue: after
             * EMFILE, shed the one pending connection and wait for the next
             * wake-up (level-triggered) rather than loop on EMFILE */
            srv_accept_failed(l->stats, "libuv", l->listen_fd, &l->spare_fd, err);
            return;
        }
        int rc = lv_conn_open(l, fd);
        if (rc < 0)
            srv_stats_reject(l->stats, "libuv", -rc);
        else
            srv_stats_accepted(l->stats);
    }
}

static void lv_close_walk(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (uv_is_closing(h)) return;
    if (h->type == UV_TCP)
        lv_conn_close((struct lv_conn *)h, false); /* its timer goes back to the pool */
    else if (h->type == UV_POLL)
        uv_close(h, NULL); /* the two polls, embedded in the loop */
}

/* Every handle of the loop closed (each freed in its close callback). */
static void lv_close_all(struct lv_loop *l)
{
    uv_walk(&l->uv, lv_close_walk, NULL);
    lv_timers_close(l);
}

static void lv_on_stop(uv_poll_t *p, int status, int events)
{
    (void)status;
    (void)events;
    lv_close_all(p->data);
}

static int lv_loop_init(struct lv_loop *l, const struct srv_opts *o, struct srv_stats *stats,
                        int listen_fd)
{
    l->opts = o;
    l->stats = stats;
    l->listen_fd = listen_fd;
    l->spare_fd = srv_spare_open();
    l->rbuf = malloc(LV_RBUF_BYTES);
    l->obuf = malloc(LV_OBUF_BYTES);
    if (!l->rbuf || !l->obuf) return -ENOMEM;
    int err = uv_loop_init(&l->uv);
    if (err) return err;
    l->uv.data = l;
    l->listen_poll.data = l;
    l->stop_poll.data = l;
    if ((err = uv_poll_init(&l->uv, &l->listen_poll, listen_fd)) != 0 ||
        (err = uv_poll_start(&l->listen_poll, UV_READABLE, lv_on_listen)) != 0 ||
        (err = uv_poll_init(&l->uv, &l->stop_poll, srv_stop_fd())) != 0 ||
        (err = uv_poll_start(&l->stop_poll, UV_READABLE, lv_on_stop)) != 0)
        return err;
    return 0;
}

/* Frees what lv_loop_init made; the loop has no handle left by then. */
static void lv_loop_free(struct lv_loop *l)
{
    if (l->uv.data) {
        lv_close_all(l);
        uv_run(&l->uv, UV_RUN_DEFAULT);
        uv_loop_close(&l->uv);
    }
    if (l->listen_fd >= 0) close(l->listen_fd);
    if (l->spare_fd >= 0) close(l->spare_fd);
    free(l->rbuf);
    free(l->obuf);
}

static void *lv_thread(void *arg)
{
    struct lv_loop *l = arg;
    l->rc = uv_run(&l->uv, UV_RUN_DEFAULT) < 0 ? -EIO : 0;
    return NULL;
}

/* One listener per loop, all on the same port (SO_REUSEPORT when more than
 * one loop: the kernel spreads new connections over them). */
static int lv_open_all(struct lv_loop *loops, unsigned n, const struct srv_opts *o,
                       struct srv_stats *stats)
{
    for (unsigned i = 0; i < n; i++)
        loops[i].listen_fd = loops[i].spare_fd = -1;
    for (unsigned i = 0; i < n; i++) {
        int fd = srv_listen_loop(o, n, i ? loops[0].listen_fd : -1);
        if (fd < 0) return fd;
        int err = lv_loop_init(&loops[i], o, stats, fd);
        if (err) return err;
    }
    return 0;
}

int lv_serve(const struct srv_opts *o, struct srv_stats *stats)
{
    unsigned n = o->threads ? o->threads : 1, started = 0;
    struct lv_loop *loops = calloc(n, sizeof(*loops));
    if (!loops) return -ENOMEM;
    int err = lv_open_all(loops, n, o, stats);
    if (err) goto fail;
    if ((err = srv_ready(loops[0].listen_fd)) != 0) goto fail;
    for (started = 1; started < n; started++) {
        err = -pthread_create(&loops[started].thread, NULL, lv_thread, &loops[started]);
        if (err) break;
    }
    if (err) /* stop the loops already running */
        kill(getpid(), SIGTERM);
    lv_thread(&loops[0]);
    for (unsigned i = 1; i < started; i++) {
        pthread_join(loops[i].thread, NULL);
        if (loops[i].rc && !err) err = loops[i].rc;
    }
    if (!err) err = loops[0].rc;
fail:
    for (unsigned i = 0; i < n; i++)
        lv_loop_free(&loops[i]);
    free(loops);
    return err;
}
