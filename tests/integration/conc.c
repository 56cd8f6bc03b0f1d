/* conc: N simultaneous connections against one server: non-blocking connects
 * (at most 256 in flight), one GET / on each, every answer checked byte for
 * byte, and every connection held open until all have answered.
 * Try: c10k-conc --connections 10k build/models/epoll/c10k-server-epoll */
#include "itc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#define CONC_INFLIGHT 256 /* connects not yet established */
#define CONC_EVENTS 512
#define CONC_SOURCES 8u   /* loopback source addresses */
#define CONC_SPARE_FDS 32 /* fds besides the sockets: epoll, pipes, stdio */
#define CONC_REQ "GET / HTTP/1.1\r\n\r\n"

enum conc_state { CONC_CONNECTING, CONC_WAITING, CONC_ANSWERED };

struct conc {
    unsigned n; /* connections to hold */
    uint64_t timeout_ns;
    const char *path;
    struct itc_server srv;
    struct sockaddr_in addr;
    int epfd;
    int *fd;
    uint8_t *state, *got; /* got: bytes of the expected answer seen */
    char want[160];
    size_t want_len;
    unsigned opened, inflight, answered;
};

static void usage(FILE *f)
{
    fprintf(f, "usage: c10k-conc --connections N [--timeout DURATION] SERVER\n"
               "  -c, --connections N   simultaneous connections, 1..19.9k (required)\n"
               "  --timeout DURATION    give up after this long (default 50s)\n"
               "  -h, --help            this text\n"
               "Exit 0 pass, 1 fail, 2 usage, 77 skip (RLIMIT_NOFILE too low, or the server\n"
               "exited 77).\n");
}

static int conc_fail(const struct conc *c, const char *what, int err)
{
    fprintf(stderr, "c10k-conc: %s%s%s (opened %u, connecting %u, answered %u of %u)\n", what,
            err ? ": " : "", err ? strerror(err) : "", c->opened, c->inflight, c->answered, c->n);
    return -1;
}

static int conc_watch(struct conc *c, int op, unsigned i, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.u32 = i};
    return epoll_ctl(c->epfd, op, c->fd[i], &ev) == 0 ? 0 : conc_fail(c, "epoll_ctl", errno);
}

static int conc_send(struct conc *c, unsigned i)
{
    ssize_t w = send(c->fd[i], CONC_REQ, sizeof(CONC_REQ) - 1, MSG_NOSIGNAL);
    if (w != (ssize_t)sizeof(CONC_REQ) - 1) return conc_fail(c, "send", w < 0 ? errno : EIO);
    c->state[i] = CONC_WAITING;
    return conc_watch(c, EPOLL_CTL_MOD, i, EPOLLIN | EPOLLRDHUP);
}

/* On 127.0.0.1, spreads connections over source addresses 127.0.0.1..8: the
 * kernel's search for a free ephemeral port slows down badly past half the
 * port range towards one destination, and each source address has its own. */
static int conc_source(struct conc *c, int fd, unsigned i)
{
    if (c->addr.sin_addr.s_addr != htonl(INADDR_LOOPBACK)) return 0;
    int one = 1;
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
    struct sockaddr_in src = {.sin_family = AF_INET,
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK + i % CONC_SOURCES)};
    if (bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0)
        return conc_fail(c, "bind to a loopback source address", errno);
    return 0;
}

static int conc_open_one(struct conc *c)
{
    unsigned i = c->opened;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return conc_fail(c, "socket", errno);
    c->fd[i] = fd;
    c->opened++;
    c->inflight++;
    if (conc_watch(c, EPOLL_CTL_ADD, i, EPOLLOUT) < 0) return -1;
    if (conc_source(c, fd, i) < 0) return -1;
    if (connect(fd, (struct sockaddr *)&c->addr, sizeof(c->addr)) != 0 && errno != EINPROGRESS)
        return conc_fail(c, "connect", errno);
    return 0;
}

static int conc_connected(struct conc *c, unsigned i)
{
    int err = 0;
    socklen_t len = sizeof(err);
    getsockopt(c->fd[i], SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) return conc_fail(c, "connect", err);
    c->inflight--;
    return conc_send(c, i);
}

static int conc_readable(struct conc *c, unsigned i)
{
    char buf[256];
    ssize_t n = recv(c->fd[i], buf, sizeof(buf), 0);
    if (n <= 0) return conc_fail(c, "server closed a connection", n < 0 ? errno : 0);
    if (c->state[i] != CONC_WAITING || c->got[i] + (size_t)n > c->want_len ||
        memcmp(buf, c->want + c->got[i], (size_t)n) != 0) {
        fprintf(stderr, "c10k-conc: connection %u: unexpected bytes: %.*s\n", i, (int)n, buf);
        return -1;
    }
    c->got[i] = (uint8_t)(c->got[i] + n);
    if (c->got[i] < c->want_len) return 0;
    c->state[i] = CONC_ANSWERED;
    c->answered++;
    /* keep it open; only watch for the server dropping it */
    return conc_watch(c, EPOLL_CTL_MOD, i, EPOLLRDHUP);
}

static int conc_event(struct conc *c, const struct epoll_event *ev)
{
    unsigned i = ev->data.u32;
    if (c->state[i] == CONC_CONNECTING) return conc_connected(c, i);
    if (ev->events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR) && c->state[i] == CONC_ANSWERED)
        return conc_fail(c, "server closed an answered connection", 0);
    return conc_readable(c, i);
}

static int conc_loop(struct conc *c)
{
    struct epoll_event ev[CONC_EVENTS];
    uint64_t deadline = util_mono_ns() + c->timeout_ns;
    while (c->answered < c->n) {
        while (c->opened < c->n && c->inflight < CONC_INFLIGHT)
            if (conc_open_one(c) < 0) return -1;
        if (util_mono_ns() > deadline) return conc_fail(c, "timed out", 0);
        int n = epoll_wait(c->epfd, ev, CONC_EVENTS, 100);
        if (n < 0 && errno != EINTR) return conc_fail(c, "epoll_wait", errno);
        for (int k = 0; k < n; k++)
            if (conc_event(c, &ev[k]) < 0) return -1;
    }
    /* all answered and all open: a last look for any dropped by the server */
    int n = epoll_wait(c->epfd, ev, CONC_EVENTS, 200);
    for (int k = 0; k < n; k++)
        if (conc_event(c, &ev[k]) < 0) return -1;
    return 0;
}

static int conc_setup(struct conc *c)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < (rlim_t)c->n + CONC_SPARE_FDS) {
        fprintf(stderr, "c10k-conc: RLIMIT_NOFILE %llu is too low for %u connections: skip\n",
                (unsigned long long)rl.rlim_cur, c->n);
        return ITC_SKIP;
    }
    c->fd = calloc(c->n, sizeof(*c->fd));
    c->state = calloc(c->n, 1);
    c->got = calloc(c->n, 1);
    c->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (!c->fd || !c->state || !c->got || c->epfd < 0) return conc_fail(c, "setup", ENOMEM);
    c->want_len = itc_head(c->want, sizeof(c->want), 200, 13, NULL);
    memcpy(c->want + c->want_len, "Hello, World!", 13);
    c->want_len += 13;
    return 0;
}

static void conc_close_all(struct conc *c)
{
    struct linger lg = {.l_onoff = 1, .l_linger = 0}; /* reset: no TIME_WAIT pile-up */
    for (unsigned i = 0; c->fd && i < c->opened; i++) {
        setsockopt(c->fd[i], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
        close(c->fd[i]);
    }
    if (c->epfd >= 0) close(c->epfd);
    free(c->fd);
    free(c->state);
    free(c->got);
    c->fd = NULL;
    c->state = c->got = NULL;
    c->epfd = -1;
    c->opened = 0;
}

static int conc_run(struct conc *c)
{
    int rc = conc_setup(c);
    if (rc != 0) goto out;
    rc = itc_server_start(&c->srv, c->path, NULL);
    if (rc != 0) goto out;
    c->addr = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons(c->srv.port)};
    if (inet_pton(AF_INET, c->srv.host, &c->addr.sin_addr) != 1) {
        rc = conc_fail(c, "the server is not on IPv4", 0);
        goto out;
    }
    uint64_t t0 = util_mono_ns();
    rc = conc_loop(c);
    if (rc == 0)
        printf("%u connections open at once, all answered, in %.2f s\n", c->n,
               (double)(util_mono_ns() - t0) / 1e9);
    conc_close_all(c);
    int st = 0;
    if (itc_server_stop(&c->srv, SIGTERM, 5000, &st) != 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
        fprintf(stderr, "c10k-conc: the server did not exit 0 within 5 s of SIGTERM\n");
        rc = -1;
    }
out:
    conc_close_all(c);
    itc_server_kill(&c->srv);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"connections", required_argument, NULL, 'c'},
        {"timeout", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct conc c = {.timeout_ns = 50 * UTIL_NS_PER_S, .epfd = -1, .srv = {.out_fd = -1}};
    uint64_t v;
    int key;
    while ((key = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
        if (key == 'c' && util_parse_count(optarg, 1, 19900, &v) == 0) {
            c.n = (unsigned)v;
        } else if (key == 't' && util_parse_duration_ns(optarg, UTIL_NS_PER_S, UTIL_NS_PER_MS,
                                                        600 * UTIL_NS_PER_S, &v) == 0) {
            c.timeout_ns = v;
        } else if (key == 'h') {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "c10k-conc: bad option or value\n");
            usage(stderr);
            return 2;
        }
    }
    if (c.n == 0 || optind + 1 != argc) {
        fprintf(stderr, "c10k-conc: need --connections N and one SERVER\n");
        usage(stderr);
        return 2;
    }
    c.path = argv[optind];
    int rc = conc_run(&c);
    return rc == ITC_SKIP ? ITC_SKIP : rc == 0 ? 0 : 1;
}
