/* procs: --processes N for the event-loop models, as nginx runs its workers: N
 * copies of the server share the port with SO_REUSEPORT (the kernel spreads the
 * connections); the first process prints one ready line once all listen, passes
 * SIGTERM/SIGINT on, waits for every worker and prints their summed stats line.
 * Try: c10k-server-epoll --processes 3 --port 8080  (then kill -TERM the pid) */
#include "srv.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct procs_child {
    pid_t pid;
    int out;        /* read end of the worker's stdout */
    char line[256]; /* what it printed, up to the current line */
    size_t len;
    bool ready, eof;
    unsigned long long accepted, rejected;
    char reason[32];
};

/* A worker: its stdout goes to the parent; it dies with the parent. */
static void procs_child_setup(int out_w, pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(1); /* the parent died before prctl */
    dup2(out_w, STDOUT_FILENO);
    close(out_w);
    srv_signals_reset();
}

static int procs_spawn(struct procs_child *c, pid_t parent)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) return -errno;
    fflush(NULL);
    c->pid = fork();
    if (c->pid < 0) {
        int err = errno;
        close(p[0]);
        close(p[1]);
        return -err;
    }
    if (c->pid == 0) {
        close(p[0]);
        procs_child_setup(p[1], parent);
        return 1;
    }
    close(p[1]);
    c->out = p[0];
    return 0;
}

/* One complete line of a worker's stdout: its ready or stats line. */
static void procs_line(struct procs_child *c)
{
    if (strncmp(c->line, "ready ", 6) == 0) c->ready = true;
    sscanf(c->line, "stats accepted=%llu rejected=%llu reason=%31s", &c->accepted, &c->rejected,
           c->reason);
}

/* Reads what a worker wrote; sets eof when it closed its stdout (exited). */
static void procs_read(struct procs_child *c, char *first_ready, size_t cap)
{
    char buf[512];
    ssize_t n = read(c->out, buf, sizeof(buf));
    if (n <= 0) {
        if (n == 0 || errno != EINTR) c->eof = true;
        return;
    }
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] != '\n') {
            if (c->len + 1 < sizeof(c->line)) c->line[c->len++] = buf[i];
            continue;
        }
        c->line[c->len] = 0;
        bool was_ready = c->ready;
        procs_line(c);
        if (!was_ready && c->ready && !first_ready[0]) snprintf(first_ready, cap, "%s", c->line);
        c->len = 0;
    }
}

/* Polls the workers' stdout (and the stop pipe) once, up to timeout_ms. */
static void procs_poll(struct procs_child *k, unsigned n, char *first_ready, size_t cap,
                       int timeout_ms)
{
    struct pollfd pf[n + 1];
    for (unsigned i = 0; i < n; i++)
        pf[i] = (struct pollfd){.fd = k[i].eof ? -1 : k[i].out, .events = POLLIN};
    /* the stop pipe stays readable once signalled: watched until then */
    pf[n] = (struct pollfd){.fd = srv_stopping() ? -1 : srv_stop_fd(), .events = POLLIN};
    if (poll(pf, n + 1, timeout_ms) <= 0) return;
    for (unsigned i = 0; i < n; i++)
        if (pf[i].revents) procs_read(&k[i], first_ready, cap);
}

static unsigned procs_count(const struct procs_child *k, unsigned n, bool ready)
{
    unsigned c = 0;
    for (unsigned i = 0; i < n; i++)
        c += ready ? k[i].ready : k[i].eof;
    return c;
}

/* "ready HOST:PORT pid=CHILD" -> the same with the parent's pid. */
static void procs_ready(const char *child_line)
{
    const char *pid = strstr(child_line, " pid=");
    int host_len = pid ? (int)(pid - child_line) : (int)strlen(child_line);
    printf("%.*s pid=%d\n", host_len, child_line, (int)getpid());
    fflush(stdout);
}

static void procs_stop(struct procs_child *k, unsigned n, char *scratch, size_t cap)
{
    for (unsigned i = 0; i < n; i++)
        if (k[i].pid > 0) kill(k[i].pid, SIGTERM);
    while (procs_count(k, n, false) < n)
        procs_poll(k, n, scratch, cap, 100);
    for (unsigned i = 0; i < n; i++) {
        if (k[i].pid > 0) waitpid(k[i].pid, NULL, 0);
        close(k[i].out);
    }
}

static void procs_stats(const struct procs_child *k, unsigned n)
{
    unsigned long long acc = 0, rej = 0;
    const char *reason = "none";
    for (unsigned i = 0; i < n; i++) {
        acc += k[i].accepted;
        rej += k[i].rejected;
        if (k[i].reason[0] && strcmp(k[i].reason, "none") != 0 && strcmp(reason, "none") == 0)
            reason = k[i].reason;
    }
    printf("stats accepted=%llu rejected=%llu reason=%s\n", acc, rej, reason);
    fflush(stdout);
}

/* The parent: workers up, one ready line, then wait for a stop signal or the
 * end of every worker. Returns 1 (done: stats printed), or -errno. */
static int procs_supervise(struct procs_child *k, unsigned n, int holder)
{
    char first[256] = "", scratch[256] = "";
    while (procs_count(k, n, true) < n && procs_count(k, n, false) == 0 && !srv_stopping())
        procs_poll(k, n, first, sizeof(first), 1000);
    close(holder);
    bool up = procs_count(k, n, true) == n;
    if (up) procs_ready(first);
    unsigned lost = 0;
    while (up && !srv_stopping() && procs_count(k, n, false) < n) {
        procs_poll(k, n, scratch, sizeof(scratch), 1000);
        unsigned gone = procs_count(k, n, false);
        if (gone > lost)
            fprintf(stderr, "c10k-server: %u of %u worker processes exited\n", gone, n);
        lost = gone;
    }
    procs_stop(k, n, scratch, sizeof(scratch));
    procs_stats(k, n);
    return up || srv_stopping() ? 1 : -ECHILD;
}

/* Holds o->port (resolving port 0) with a bound, not listening SO_REUSEPORT
 * socket, so every worker binds the same port. Returns the fd or -errno. */
static int procs_hold_port(struct srv_opts *o)
{
    struct srv_opts hold = *o;
    int fd = srv_bind(&hold, true);
    if (fd < 0) return fd;
    int port = srv_bound_port(fd);
    if (port < 0) {
        close(fd);
        return port;
    }
    o->port = (uint16_t)port;
    o->reuseport = true;
    return fd;
}

int srv_processes(struct srv_opts *o)
{
    if (o->processes <= 1) return 0;
    int holder = procs_hold_port(o);
    if (holder < 0) return holder;
    struct procs_child *k = calloc(o->processes, sizeof(*k));
    if (!k) return -ENOMEM;
    pid_t parent = getpid();
    unsigned n = 0;
    int rc = 0;
    while (n < o->processes && rc == 0 && (rc = procs_spawn(&k[n], parent)) == 0)
        n++;
    if (rc == 1) { /* a worker: it serves */
        for (unsigned i = 0; i < n; i++)
            close(k[i].out);
        close(holder);
        free(k);
        return 0;
    }
    if (rc < 0) {
        char scratch[256];
        fprintf(stderr, "c10k-server: fork: %s\n", strerror(-rc));
        procs_stop(k, n, scratch, sizeof(scratch));
        close(holder);
    } else {
        rc = procs_supervise(k, n, holder);
    }
    free(k);
    return rc;
}
