/* serve: the accept loop of the threads model. The main thread blocks in
 * accept(); every connection gets one detached pthread (SIGTERM/SIGINT stay
 * blocked in them so the main thread is the one interrupted).
 * Try: c10k-server-threads --stack-size 64k --port 8080 */
#include "th.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* accept() wakes at least this often to look at the stop flag, which closes
 * the window between checking it and blocking */
#define SERVE_ACCEPT_TIMEOUT_MS 200

struct serve {
    const struct srv_opts *opts;
    struct srv_stats *stats;
    int listen_fd, spare_fd;
    pthread_attr_t attr;
    sigset_t stop_set;
};

static void *serve_conn_main(void *arg)
{
    th_conn_serve((int)(intptr_t)arg);
    return NULL;
}

static int serve_init(struct serve *s, const struct srv_opts *o, struct srv_stats *st)
{
    *s = (struct serve){.opts = o, .stats = st, .listen_fd = -1, .spare_fd = -1};
    sigemptyset(&s->stop_set);
    sigaddset(&s->stop_set, SIGTERM);
    sigaddset(&s->stop_set, SIGINT);
    int rc = -pthread_attr_init(&s->attr);
    if (rc < 0) return rc;
    rc = -pthread_attr_setdetachstate(&s->attr, PTHREAD_CREATE_DETACHED);
    if (rc == 0 && o->stack_size) rc = -pthread_attr_setstacksize(&s->attr, o->stack_size);
    if (rc < 0) goto fail;
    s->listen_fd = srv_listen(o, o->reuseport, false);
    if (s->listen_fd < 0) {
        rc = s->listen_fd;
        goto fail;
    }
    struct timeval tv = {.tv_usec = SERVE_ACCEPT_TIMEOUT_MS * 1000};
    setsockopt(s->listen_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    s->spare_fd = srv_spare_open();
    return 0;
fail:
    pthread_attr_destroy(&s->attr);
    return rc;
}

static void serve_close(struct serve *s)
{
    pthread_attr_destroy(&s->attr);
    if (s->spare_fd >= 0) close(s->spare_fd);
    close(s->listen_fd);
}

/* One thread for fd; on failure the connection is closed and counted. */
static void serve_spawn(struct serve *s, int fd)
{
    srv_nodelay(fd);
    struct timeval none = {0}; /* accept() passed the listener's timeout on */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof(none));
    sigset_t old;
    pthread_t t;
    pthread_sigmask(SIG_BLOCK, &s->stop_set, &old);
    int rc = pthread_create(&t, &s->attr, serve_conn_main, (void *)(intptr_t)fd);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        close(fd);
        srv_stats_reject(s->stats, s->opts->model->name, rc);
        return;
    }
    srv_stats_accepted(s->stats);
}

/* Out of fds: accept() fails before it looks at the queue, so wait (at most
 * the accept timeout, and not spinning) for a connection to be queued, then
 * try it again: connection threads may have freed fds meanwhile. Only when
 * they have not is the queued connection shed. (Shedding straight away made
 * the blocking accept of srv_shed wait for, and reset, the next connection
 * even when fds had been freed during the wait.) */
static void serve_out_of_fds(struct serve *s)
{
    struct pollfd p = {.fd = s->listen_fd, .events = POLLIN};
    if (poll(&p, 1, SERVE_ACCEPT_TIMEOUT_MS) <= 0) return; /* nothing queued, or a signal */
    int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd >= 0) {
        serve_spawn(s, fd);
        return;
    }
    int err = errno;
    if (err == EMFILE || err == ENFILE) /* still out: shed the queued one */
        srv_accept_failed(s->stats, s->opts->model->name, s->listen_fd, &s->spare_fd, err);
}

static void serve_accept_failed(struct serve *s, int err)
{
    if (err == EINTR || err == EAGAIN || err == EWOULDBLOCK || err == ECONNABORTED) return;
    if (err == EMFILE || err == ENFILE) {
        serve_out_of_fds(s);
        return;
    }
    srv_accept_failed(s->stats, s->opts->model->name, s->listen_fd, &s->spare_fd, err);
    usleep(1000); /* ENOBUFS, ENOMEM: do not spin */
}

int th_serve(const struct srv_opts *o, struct srv_stats *stats)
{
    struct serve s;
    int rc = serve_init(&s, o, stats);
    if (rc < 0) return rc;
    rc = srv_ready(s.listen_fd);
    while (rc == 0 && !srv_stopping()) {
        int fd = accept4(s.listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            serve_accept_failed(&s, errno);
        else
            serve_spawn(&s, fd);
    }
    serve_close(&s);
    return rc;
}
