/* loop: the io_uring model's rings. Each ring runs in its own thread with its
 * own SO_REUSEPORT listener, a multishot accept on it and a poll on
 * srv_stop_fd; completions are dispatched by the tag in their user_data.
 *   c10k-server-uring --rings 2 ; wrk -c1000 http://127.0.0.1:PORT/ */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ur.h"

/* The rings start together: each thread opens its ring, then waits for the
 * main thread's go (1) or abort (-1). */
struct ur_start {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned inited;
    int go;
};

/* Without a free SQE (the CQ backed up on an old kernel) the listener is
 * armed again after the batch (ur_run), never forgotten. */
static void ur_arm_accept(struct ur_loop *l)
{
    struct io_uring_sqe *sqe = ur_sqe(l);
    l->accept_later = sqe == NULL;
    if (!sqe) return;
    if (l->feat->multishot_accept)
        io_uring_prep_multishot_accept(sqe, l->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    else
        io_uring_prep_accept(sqe, l->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(sqe, ur_data(l, UR_T_ACCEPT));
}

static void ur_arm_stop(struct ur_loop *l)
{
    struct io_uring_sqe *sqe = ur_sqe(l);
    if (!sqe) return;
    io_uring_prep_poll_add(sqe, srv_stop_fd(), POLLIN);
    io_uring_sqe_set_data64(sqe, ur_data(l, UR_T_STOP));
}

/* After EMFILE: accept again only once a connection is queued. */
static void ur_arm_listen_poll(struct ur_loop *l)
{
    struct io_uring_sqe *sqe = ur_sqe(l);
    l->accept_later = sqe == NULL;
    if (!sqe) return;
    io_uring_prep_poll_add(sqe, l->listen_fd, POLLIN);
    io_uring_sqe_set_data64(sqe, ur_data(l, UR_T_LISTEN));
}

static void ur_on_accept(struct ur_loop *l, const struct io_uring_cqe *cqe)
{
    int res = cqe->res;
    if (res >= 0) {
        int rc = ur_conn_open(l, res);
        if (rc < 0)
            srv_stats_reject(l->stats, "uring", -rc);
        else
            srv_stats_accepted(l->stats);
    } else if (res == -EINVAL && l->feat->multishot_accept) {
        l->feat->multishot_accept = false;
        fprintf(stderr, "c10k-server-uring: kernel lacks multishot accept, using one accept "
                        "per connection\n");
    } else if (res == -EMFILE || res == -ENFILE) {
        /* io_uring takes the fd before it looks at the queue, so EMFILE comes
         * back at once even with nothing queued: shed what is queued, then
         * wait for the listener to be readable before accepting again */
        srv_accept_failed(l->stats, "uring", l->listen_fd, &l->spare_fd, -res);
        ur_arm_listen_poll(l);
        return;
    } else if (res != -ECANCELED && res != -EINTR && res != -EAGAIN && res != -ECONNABORTED) {
        srv_stats_reject(l->stats, "uring", -res);
    }
    if (!(cqe->flags & IORING_CQE_F_MORE) && !l->stop && res != -ECANCELED) ur_arm_accept(l);
}

static void ur_dispatch(struct ur_loop *l, struct io_uring_cqe *cqe)
{
    uint64_t d = io_uring_cqe_get_data64(cqe);
    void *p = (void *)(uintptr_t)(d & ~UR_TAG_MASK);
    switch (d & UR_TAG_MASK) {
    case UR_T_ACCEPT:
        ur_on_accept(l, cqe);
        break;
    case UR_T_STOP:
        l->stop = true;
        break;
    case UR_T_LISTEN:
        if (!l->stop) ur_arm_accept(l);
        break;
    case UR_T_RECV:
        ur_conn_recv(l, p, cqe);
        break;
    case UR_T_SEND:
        ur_conn_sent(l, p, cqe->res);
        break;
    case UR_T_TIMEOUT:
        ur_conn_timeout(l, p, cqe->res);
        break;
    default:
        break;
    }
}

static int ur_run(struct ur_loop *l)
{
    ur_arm_accept(l);
    ur_arm_stop(l);
    while (!l->stop && !srv_stopping()) {
        int rc = io_uring_submit_and_wait(&l->ring, 1);
        /* -EBUSY/-EAGAIN: the CQ is backed up; reaping below makes room */
        if (rc < 0 && rc != -EINTR && rc != -EBUSY && rc != -EAGAIN && rc != -ETIME) return rc;
        unsigned head, n = 0;
        struct io_uring_cqe *cqe;
        io_uring_for_each_cqe(&l->ring, head, cqe)
        {
            ur_dispatch(l, cqe);
            n++;
        }
        io_uring_cq_advance(&l->ring, n);
        ur_buf_flush(l);
        ur_conn_rearm_all(l);
        if (l->accept_later && !l->stop) ur_arm_accept(l);
    }
    return 0;
}

static int ur_loop_init(struct ur_loop *l, bool report)
{
    l->conns_cap = srv_fd_limit();
    l->conns = calloc(l->conns_cap, sizeof(*l->conns));
    if (!l->conns) return -ENOMEM;
    l->spare_fd = srv_spare_open();
    int err = ur_ring_open(l, l->opts->sqpoll, report);
    if (err) return err;
    return ur_probe(l);
}

static void ur_loop_free(struct ur_loop *l)
{
    if (l->ring_ok) io_uring_queue_exit(&l->ring); /* cancels what is in flight first */
    l->ring_ok = false;
    if (l->conns) ur_conn_free_all(l);
    ur_ring_close(l);
    free(l->conns);
    if (l->listen_fd >= 0) close(l->listen_fd);
    if (l->spare_fd >= 0) close(l->spare_fd);
}

static void *ur_thread(void *arg)
{
    struct ur_loop *l = arg;
    struct ur_start *st = l->start;
    l->rc = ur_loop_init(l, false);
    pthread_mutex_lock(&st->mu);
    st->inited++;
    pthread_cond_broadcast(&st->cv);
    while (st->go == 0)
        pthread_cond_wait(&st->cv, &st->mu);
    int go = st->go;
    pthread_mutex_unlock(&st->mu);
    if (go > 0 && l->rc == 0) l->rc = ur_run(l);
    return NULL;
}

/* One listener per ring, all on the same port (SO_REUSEPORT when more than one). */
static int ur_open_listeners(struct ur_loop *loops, unsigned n, const struct srv_opts *o)
{
    for (unsigned i = 0; i < n; i++) {
        int fd = srv_listen_loop(o, n, i ? loops[0].listen_fd : -1);
        if (fd < 0) return fd;
        loops[i].listen_fd = fd;
    }
    return 0;
}

/* Starts rings 1..n-1 in their threads; returns how many started. */
static unsigned ur_start_threads(struct ur_loop *loops, unsigned n, struct ur_start *st)
{
    unsigned started = 1;
    for (; started < n; started++)
        if (pthread_create(&loops[started].thread, NULL, ur_thread, &loops[started]) != 0) break;
    pthread_mutex_lock(&st->mu);
    while (st->inited < started - 1)
        pthread_cond_wait(&st->cv, &st->mu);
    int go = started == n ? 1 : -1;
    for (unsigned i = 1; i < started; i++)
        if (loops[i].rc) go = -1;
    st->go = go;
    pthread_cond_broadcast(&st->cv);
    pthread_mutex_unlock(&st->mu);
    return started;
}

static bool ur_unavailable(int err)
{
    return err == -EPERM || err == -ENOSYS || err == -EOPNOTSUPP;
}

/* Ring 0 first: it finds the setup flags the kernel takes and what it lacks.
 * Returns 0, UR_UNAVAILABLE (said why on stderr) or -errno. */
static int ur_first_ring(struct ur_loop *l)
{
    int err = ur_loop_init(l, true);
    if (!ur_unavailable(err)) return err;
    if (err != -EOPNOTSUPP) /* ur_probe said why already */
        fprintf(stderr, "c10k-server-uring: io_uring unavailable: %s (%s)\n", strerror(-err),
                err == -EPERM ? "sysctl kernel.io_uring_disabled, or a seccomp profile"
                              : "a kernel without io_uring, or a seccomp profile");
    return UR_UNAVAILABLE;
}

static struct ur_loop *ur_loops_new(unsigned n, const struct srv_opts *o, struct srv_stats *stats,
                                    struct ur_features *feat, struct ur_start *st)
{
    struct ur_loop *loops = calloc(n, sizeof(*loops));
    for (unsigned i = 0; loops && i < n; i++)
        loops[i] = (struct ur_loop){
            .opts = o, .stats = stats, .feat = feat, .start = st, .listen_fd = -1, .spare_fd = -1};
    return loops;
}

/* Returns 0, UR_UNAVAILABLE (77: io_uring cannot run here) or -errno. */
int ur_serve(const struct srv_opts *o, struct srv_stats *stats)
{
    unsigned n = o->threads ? o->threads : 1, started = 1;
    struct ur_features feat = {.multishot_accept = true, .multishot_recv = true};
    struct ur_start st = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
    struct ur_loop *loops = ur_loops_new(n, o, stats, &feat, &st);
    if (!loops) return -ENOMEM;
    int err = ur_first_ring(&loops[0]);
    if (err || (err = ur_open_listeners(loops, n, o)) != 0) goto out;
    started = ur_start_threads(loops, n, &st);
    if (st.go < 0) {
        err = -EAGAIN;
        for (unsigned i = 1; i < started; i++)
            if (loops[i].rc) err = loops[i].rc;
    } else if ((err = srv_ready(loops[0].listen_fd)) != 0) {
        kill(getpid(), SIGTERM); /* the other rings stop on srv_stop_fd */
    } else {
        err = ur_run(&loops[0]);
    }
out:
    for (unsigned i = 1; i < started; i++) {
        pthread_join(loops[i].thread, NULL);
        if (!err && loops[i].rc) err = loops[i].rc;
    }
    for (unsigned i = 0; i < n; i++)
        ur_loop_free(&loops[i]);
    free(loops);
    return err;
}
