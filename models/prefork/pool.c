/* pool: the prefork master. It owns the shared scoreboard, forks children in
 * batches when idle ones run short (spare + the listener's accept queue), reaps
 * them, and at stop signals every child and waits for all of them.
 *   c10k-server-prefork --workers 4 --spare 8 --max-workers 12000 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "prefork.h"
#include "util.h"

#define PF_PID_MAX_DEFAULT 4194304u
#define PF_STOP_GRACE_MS 1500 /* then SIGKILL */

static unsigned pf_pid_max(void)
{
    unsigned v = PF_PID_MAX_DEFAULT;
    FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
    if (f) {
        if (fscanf(f, "%u", &v) != 1 || v == 0) v = PF_PID_MAX_DEFAULT;
        fclose(f);
    }
    return v + 1;
}

static int pf_board_map(struct pf_master *m, const struct srv_opts *o)
{
    unsigned n = o->max_workers;
    m->board_bytes = sizeof(*m->board) + (size_t)n * sizeof(m->board->slots[0]);
    void *p = mmap(NULL, m->board_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return -errno;
    m->board = p;
    m->board->spare = o->spare;
    m->board->floor = o->workers;
    m->board->slots_n = n;
    m->board->wake_fd = -1;
    return 0;
}

int pf_master_init(struct pf_master *m, const struct srv_opts *o, int listen_fd)
{
    memset(m, 0, sizeof(*m));
    m->opts = o;
    m->listen_fd = listen_fd;
    m->master_pid = getpid();
    int err = pf_board_map(m, o);
    if (err) return err;
    err = -ENOMEM;
    m->free_slots = malloc((size_t)o->max_workers * sizeof(*m->free_slots));
    m->pid_max = pf_pid_max();
    /* calloc of a big table is fresh zero pages: only the pids seen cost memory */
    m->slot_of = calloc(m->pid_max, sizeof(*m->slot_of));
    if (!m->free_slots || !m->slot_of) goto fail;
    for (unsigned i = 0; i < o->max_workers; i++)
        m->free_slots[i] = o->max_workers - 1 - i;
    m->free_n = o->max_workers;
    m->board->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m->board->wake_fd < 0) {
        err = -errno;
        goto fail;
    }
    /* accept() in an idle child returns EAGAIN after this long: its chance to retire */
    struct timeval tv = {.tv_sec = PF_IDLE_TIMEOUT_S};
    if (setsockopt(listen_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
        err = -errno;
        goto fail;
    }
    return 0;
fail:
    pf_master_free(m);
    return err;
}

void pf_master_free(struct pf_master *m)
{
    if (m->board) {
        if (m->board->wake_fd >= 0) close(m->board->wake_fd);
        munmap(m->board, m->board_bytes);
        m->board = NULL;
    }
    free(m->free_slots);
    free(m->slot_of);
    m->free_slots = NULL;
    m->slot_of = NULL;
}

/* Connections waiting in the listener's accept queue (tcpi_unacked of a
 * listening socket is its current backlog). */
static unsigned pf_backlog(int fd)
{
    struct tcp_info ti;
    socklen_t len = sizeof(ti);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0) return 0;
    return ti.tcpi_unacked;
}

/* Children to fork now: enough for every queued connection plus `spare` idle
 * ones, and never fewer than --workers in the pool. */
static unsigned pf_wanted(struct pf_master *m)
{
    struct pf_board *b = m->board;
    long idle = atomic_load(&b->idle);
    long want = (long)b->spare + (long)pf_backlog(m->listen_fd) - idle;
    long floor_gap = (long)b->floor - (long)atomic_load(&b->pool);
    if (floor_gap > want) want = floor_gap;
    return want > 0 ? (unsigned)want : 0;
}

static int pf_spawn_one(struct pf_master *m)
{
    struct pf_board *b = m->board;
    if (m->free_n == 0) return -ENOSPC;
    unsigned slot = m->free_slots[m->free_n - 1];
    struct pf_slot *s = &b->slots[slot];
    /* a new child counts as idle from birth, so the master does not over-fork */
    atomic_store(&s->state, PF_LIVE);
    atomic_store(&s->idle, 1);
    atomic_fetch_add(&b->idle, 1);
    atomic_fetch_add(&b->pool, 1);
    pid_t pid = fork();
    if (pid < 0) {
        int err = errno;
        atomic_fetch_sub(&b->idle, 1);
        atomic_fetch_sub(&b->pool, 1);
        atomic_store(&s->idle, 0);
        atomic_store(&s->state, PF_FREE);
        return -err;
    }
    if (pid == 0) /* the child's whole life; a forked child must leave through _exit */
        _exit(pf_child_main(b, slot, m->listen_fd, m->master_pid));
    atomic_store(&s->pid, pid);
    m->free_n--;
    m->children++;
    if ((unsigned)pid < m->pid_max) m->slot_of[pid] = slot + 1;
    return 0;
}

/* Forks up to PF_SPAWN_BATCH children with SIGTERM/SIGINT blocked (a child
 * resets their handlers before it unblocks them). Returns how many forked,
 * or -errno when a fork failed or --max-workers is reached. */
static int pf_spawn_batch(struct pf_master *m, unsigned want)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, &old);
    int done = 0, err = 0;
    for (unsigned i = 0; i < want && i < PF_SPAWN_BATCH && !err; i++) {
        err = pf_spawn_one(m);
        if (!err) done++;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return err ? err : done;
}

/* Says so (at most every 10 s) when connections queue because the pool is full:
 * they are not refused, they wait, which is how a prefork server degrades. */
static void pf_report_full(struct pf_master *m)
{
    uint64_t now = util_mono_ns();
    unsigned queued = pf_backlog(m->listen_fd);
    if (queued == 0 || (m->full_reported_ns && now - m->full_reported_ns < 10 * UTIL_NS_PER_S))
        return;
    m->full_reported_ns = now;
    fprintf(stderr,
            "c10k-server-prefork: --max-workers %u reached, %u connections wait in the "
            "accept queue\n",
            m->board->slots_n, queued);
}

static void pf_grow(struct pf_master *m)
{
    unsigned want;
    while (!srv_stopping() && (want = pf_wanted(m)) > 0) {
        int rc = pf_spawn_batch(m, want);
        if (rc == -ENOSPC) { /* --max-workers: queued connections wait for a free child */
            pf_report_full(m);
            return;
        }
        if (rc < 0) {
            srv_stats_reject(&m->board->stats, "prefork", -rc);
            return;
        }
    }
}

static void pf_release(struct pf_master *m, pid_t pid)
{
    if ((unsigned)pid >= m->pid_max || m->slot_of[pid] == 0) return;
    unsigned slot = m->slot_of[pid] - 1;
    m->slot_of[pid] = 0;
    struct pf_board *b = m->board;
    struct pf_slot *s = &b->slots[slot];
    if (atomic_load(&s->state) != PF_RETIRED) { /* died without retiring */
        atomic_fetch_sub(&b->pool, 1);
        if (atomic_load(&s->idle)) atomic_fetch_sub(&b->idle, 1);
    }
    atomic_store(&s->idle, 0);
    atomic_store(&s->pid, 0);
    atomic_store(&s->state, PF_FREE);
    m->free_slots[m->free_n++] = slot;
    m->children--;
}

/* Reaps the children that retired (waitpid on their pid costs O(1); the
 * kernel walks every child for waitpid(-1), so that is kept for children that
 * died unexpectedly, which SIGCHLD tells about). Returns how many. */
static unsigned pf_reap(struct pf_master *m, bool any)
{
    unsigned n = 0;
    struct pf_board *b = m->board;
    for (unsigned i = 0; i < b->slots_n && m->children > 0; i++) {
        pid_t pid = atomic_load(&b->slots[i].pid);
        if (pid > 0 && atomic_load(&b->slots[i].state) == PF_RETIRED &&
            waitpid(pid, NULL, WNOHANG) == pid) {
            pf_release(m, pid);
            n++;
        }
    }
    pid_t pid;
    while (any && m->children > 0 && (pid = waitpid(-1, NULL, WNOHANG)) > 0) {
        pf_release(m, pid);
        n++;
    }
    return n;
}

static atomic_bool pf_sigchld;

static void pf_on_sigchld(int sig)
{
    (void)sig;
    atomic_store(&pf_sigchld, true);
}

int pf_master_run(struct pf_master *m)
{
    struct sigaction sa = {.sa_handler = pf_on_sigchld, .sa_flags = SA_RESTART | SA_NOCLDSTOP};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGCHLD, &sa, NULL) < 0) return -errno;
    struct pollfd p[2] = {
        {.fd = m->board->wake_fd, .events = POLLIN},
        {.fd = srv_stop_fd(), .events = POLLIN},
    };
    pf_grow(m);
    while (!srv_stopping()) {
        /* short ticks while children run short: queued connections need forks */
        int idle = atomic_load(&m->board->idle);
        int busy = idle < (int)m->board->spare || idle == 0;
        int n = poll(p, 2, busy ? 10 : 200);
        if (n < 0 && errno != EINTR) return -errno;
        if (n > 0 && (p[0].revents & POLLIN)) {
            uint64_t v;
            if (read(m->board->wake_fd, &v, sizeof(v)) < 0 && errno != EAGAIN) return -errno;
        }
        pf_reap(m, atomic_exchange(&pf_sigchld, false));
        pf_grow(m);
    }
    return 0;
}

static void pf_signal_all(struct pf_master *m, int sig)
{
    for (unsigned i = 0; i < m->board->slots_n; i++) {
        pid_t pid = atomic_load(&m->board->slots[i].pid);
        if (pid > 0) kill(pid, sig);
    }
}

static void pf_on_alarm(int sig)
{
    (void)sig; /* only interrupts waitpid() */
}

/* Reaps the children in slot order with a blocking waitpid(pid): O(1) each,
 * and the master sleeps (not polls) while they exit on the same CPU. Returns
 * how many are left when a SIGALRM interrupted it. */
static unsigned pf_reap_all(struct pf_master *m)
{
    struct pf_board *b = m->board;
    for (unsigned i = 0; i < b->slots_n && m->children > 0; i++) {
        pid_t pid = atomic_load(&b->slots[i].pid);
        if (pid <= 0) continue;
        pid_t r = waitpid(pid, NULL, 0);
        if (r < 0 && errno == EINTR) return m->children;
        pf_release(m, pid);
    }
    return m->children;
}

void pf_master_stop(struct pf_master *m)
{
    struct sigaction sa = {.sa_handler = pf_on_alarm}; /* no SA_RESTART */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval grace = {
        .it_value = {.tv_sec = PF_STOP_GRACE_MS / 1000, .tv_usec = PF_STOP_GRACE_MS % 1000 * 1000}};
    setitimer(ITIMER_REAL, &grace, NULL);
    pf_signal_all(m, SIGTERM);
    unsigned left = pf_reap_all(m);
    struct itimerval off = {0};
    setitimer(ITIMER_REAL, &off, NULL);
    if (left == 0) return;
    pf_signal_all(m, SIGKILL);
    pf_reap_all(m);
}
