/* c10k-waits-client: the C clients of `c10k waits`, the floor under the Python
 * ones: N requests on N connections at once, with one pthread each (threads) or
 * one epoll loop (epoll). Same protocol as waits_client.py (ready, SIGUSR1, one
 * JSON line). Try: c10k-waits-client --mode epoll --port 8080 --path '/?delay_us=1000000' -n 100
 * --now */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WC_MAX_N 100000
#define WC_HEAD 16 /* bytes of the answer kept: enough for the status line */

struct wc_opts {
    bool epoll, now;
    int port;
    const char *path;
    unsigned n;
    int timeout_ms;
};

struct wc_conn {
    int fd;
    size_t sent, got;
    char head[WC_HEAD];
    bool done, ok;
};

static char wc_req[4096];
static size_t wc_req_len;

static double wc_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wc_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int wc_socket(const struct wc_opts *o, bool nonblock)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0) return -errno;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 && errno != EINPROGRESS) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

/* Keeps the first bytes of the answer; true at EOF or on an error. */
static bool wc_take(struct wc_conn *c, const char *b, ssize_t r)
{
    if (r <= 0) return true;
    for (ssize_t i = 0; i < r && c->got < WC_HEAD; i++)
        c->head[c->got++] = b[i];
    if (c->got == WC_HEAD) c->ok = memcmp(c->head, "HTTP/1.1 200 ", 13) == 0;
    return false;
}

/* ---- threads: one blocking connection per thread ---- */
struct wc_targ {
    const struct wc_opts *o;
    struct wc_conn *c;
};

static void *wc_blocking(void *arg)
{
    struct wc_targ *t = arg;
    char b[4096];
    struct timeval tv = {t->o->timeout_ms / 1000, (t->o->timeout_ms % 1000) * 1000};
    int fd = wc_socket(t->o, false);
    if (fd < 0) return NULL;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (write(fd, wc_req, wc_req_len) == (ssize_t)wc_req_len)
        while (!wc_take(t->c, b, read(fd, b, sizeof b)))
            ;
    close(fd);
    return NULL;
}

static int wc_run_threads(const struct wc_opts *o, struct wc_conn *cs)
{
    pthread_t *th = calloc(o->n, sizeof *th);
    struct wc_targ *ta = calloc(o->n, sizeof *ta);
    unsigned started = 0;
    int rc = 0;
    if (!th || !ta) {
        rc = -ENOMEM;
        goto out;
    }
    for (; started < o->n; started++) {
        ta[started] = (struct wc_targ){o, &cs[started]};
        if ((rc = -pthread_create(&th[started], NULL, wc_blocking, &ta[started]))) break;
    }
    for (unsigned i = 0; i < started; i++)
        pthread_join(th[i], NULL);
out:
    free(th);
    free(ta);
    return rc;
}

/* ---- epoll: every connection in one loop ---- */
static void wc_event(int ep, struct wc_conn *c, uint32_t ev, unsigned *left)
{
    char b[4096];
    if (c->sent < wc_req_len && (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        ssize_t w = write(c->fd, wc_req + c->sent, wc_req_len - c->sent);
        if (w > 0) c->sent += (size_t)w;
        if (w < 0 && errno != EAGAIN) c->done = true;
        if (c->sent == wc_req_len) { /* sent: only reading is left (no EPOLLOUT spin) */
            struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
            epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
        }
    }
    if (!c->done && c->sent == wc_req_len && (ev & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
        for (;;) {
            ssize_t r = read(c->fd, b, sizeof b);
            if (r < 0 && errno == EAGAIN) break;
            if (wc_take(c, b, r)) {
                c->done = true;
                break;
            }
        }
    }
    if (c->done) {
        epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
        c->fd = -1;
        (*left)--;
    }
}

static int wc_run_epoll(const struct wc_opts *o, struct wc_conn *cs)
{
    struct epoll_event evs[256];
    unsigned left = 0;
    double until = wc_now_s() + o->timeout_ms / 1000.0;
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) return -errno;
    for (unsigned i = 0; i < o->n; i++) {
        struct epoll_event e = {.events = EPOLLIN | EPOLLOUT, .data.ptr = &cs[i]};
        cs[i].fd = wc_socket(o, true);
        if (cs[i].fd < 0) continue;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &e) == 0) {
            left++;
            continue;
        }
        close(cs[i].fd);
        cs[i].fd = -1;
    }
    while (left > 0 && wc_now_s() < until) {
        int k = epoll_wait(ep, evs, 256, 100);
        for (int i = 0; i < k; i++)
            wc_event(ep, evs[i].data.ptr, evs[i].events, &left);
    }
    for (unsigned i = 0; i < o->n; i++)
        if (cs[i].fd >= 0) close(cs[i].fd);
    close(ep);
    return 0;
}

/* The request every connection sends. */
static int wc_set_path(struct wc_opts *o, const char *path)
{
    int len = snprintf(wc_req, sizeof wc_req,
                       "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
    if (len < 0 || (size_t)len >= sizeof wc_req) return -EINVAL;
    wc_req_len = (size_t)len;
    o->path = path;
    return 0;
}

static void wc_usage(FILE *f)
{
    fprintf(f, "usage: c10k-waits-client --mode threads|epoll --port P --path PATH -n N\n"
               "                         [--timeout-ms T] [--now]\n"
               "  fetches PATH from 127.0.0.1:P N times at once, one connection each;\n"
               "  prints 'ready', waits for SIGUSR1 (unless --now), then one JSON line\n");
}

static int wc_parse(int argc, char **argv, struct wc_opts *o)
{
    static const struct option lo[] = {{"mode", required_argument, NULL, 'm'},
                                       {"port", required_argument, NULL, 'p'},
                                       {"path", required_argument, NULL, 'P'},
                                       {"timeout-ms", required_argument, NULL, 't'},
                                       {"now", no_argument, NULL, 'w'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    bool mode = false;
    *o = (struct wc_opts){.timeout_ms = 60000};
    for (int c; (c = getopt_long(argc, argv, "n:h", lo, NULL)) != -1;) {
        if (c == 'm' && (mode = !strcmp(optarg, "epoll") || !strcmp(optarg, "threads")))
            o->epoll = !strcmp(optarg, "epoll");
        else if (c == 'p')
            o->port = atoi(optarg);
        else if (c == 'P')
            o->path = optarg;
        else if (c == 'n')
            o->n = (unsigned)strtoul(optarg, NULL, 10);
        else if (c == 't')
            o->timeout_ms = atoi(optarg);
        else if (c == 'w')
            o->now = true;
        else
            return c == 'h' ? 1 : -EINVAL;
    }
    if (!mode || o->port <= 0 || o->port > 65535 || !o->path || o->n < 1 || o->n > WC_MAX_N ||
        o->timeout_ms < 1 || optind != argc)
        return -EINVAL;
    return wc_set_path(o, o->path);
}

static void wc_wait_go(void)
{
    sigset_t set;
    int sig;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    printf("ready\n");
    fflush(stdout);
    sigwait(&set, &sig);
}

int main(int argc, char **argv)
{
    struct wc_opts o;
    struct wc_conn *cs;
    unsigned ok = 0;
    int rc = wc_parse(argc, argv, &o);
    if (rc) {
        wc_usage(rc > 0 ? stdout : stderr);
        return rc > 0 ? 0 : 2;
    }
    cs = calloc(o.n, sizeof *cs);
    if (!cs) return 1;
    /* warm-up: one request without a wait, as the Python clients do */
    struct wc_opts w = o;
    struct wc_conn one = {0};
    w.n = 1;
    wc_set_path(&w, "/");
    rc = w.epoll ? wc_run_epoll(&w, &one) : wc_run_threads(&w, &one);
    wc_set_path(&o, o.path);
    if (!o.now) wc_wait_go();
    double cpu0 = wc_cpu_s(), t0 = wc_now_s();
    rc = o.epoll ? wc_run_epoll(&o, cs) : wc_run_threads(&o, cs);
    double wall = wc_now_s() - t0, cpu = wc_cpu_s() - cpu0;
    for (unsigned i = 0; i < o.n; i++)
        ok += cs[i].ok;
    printf("{\"wall_s\": %.6f, \"cpu_s\": %.6f, \"ok\": %u, \"errors\": %u, \"pool_start_s\": 0}\n",
           wall, cpu, ok, o.n - ok);
    free(cs);
    if (rc) fprintf(stderr, "c10k-waits-client: %s\n", strerror(-rc));
    return rc ? 1 : 0;
}
