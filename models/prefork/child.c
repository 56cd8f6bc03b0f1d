/* child: one prefork child. It blocks in accept() on the shared listener,
 * serves that one connection with blocking reads and writes (srv_serve_blocking)
 * until the client closes, and goes back to accept(); after an idle timeout it
 * retires when the pool has more than --spare idle children.
 * Try: curl -v http://127.0.0.1:PORT/?delay_us=1000 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "prefork.h"

#define PF_IBUF_BYTES 4096u /* on the stack: enough for every usual request */
#define PF_OBUF_BYTES 4096u /* pipelined responses are gathered here */

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

/* Serves fd until the client closes or asks to, then closes it (gracefully). */
static void pf_serve(int fd)
{
    char in[PF_IBUF_BYTES], out[PF_OBUF_BYTES];
    srv_serve_blocking(fd, in, sizeof(in), out, sizeof(out));
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
