/* hx emfile: a server held to RLIMIT_NOFILE 256 (soft = hard) meets 20,000
 * connection attempts in batches of up to 1,000: it must stay up, say so on
 * stderr at most once a second, answer a normal client afterwards and count
 * the refusals in its exit stats line.
 *   c10k-hostile --case emfile --expect-reject build/models/epoll/c10k-server-epoll */
#include "hostile.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define EM_ATTEMPTS 20000
#define EM_BATCH 1000
#define EM_BUDGET_MS 25000
#define EM_CONNECT_MS 50
#define EM_HOLD_MS 80
#define EM_RECOVER_MS 5000

struct em_count {
    unsigned attempts, established, answered;
};

/* Opens n non-blocking connections into fds (-1 where socket() failed). */
static void em_open(const struct hx_ctx *x, int *fds, int n)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(x->srv.port)};
    inet_pton(AF_INET, x->srv.host, &sa.sin_addr);
    for (int i = 0; i < n; i++) {
        fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fds[i] >= 0) (void)connect(fds[i], (struct sockaddr *)&sa, sizeof(sa));
    }
}

/* One batch: connect, send GET / on every established one, hold, reset all. */
static void em_batch(const struct hx_ctx *x, int n, struct em_count *k)
{
    static int fds[EM_BATCH];
    static struct pollfd p[EM_BATCH];
    static const char req[] = "GET / HTTP/1.1\r\n\r\n";
    em_open(x, fds, n);
    k->attempts += (unsigned)n;
    usleep(EM_CONNECT_MS * 1000);
    for (int i = 0; i < n; i++)
        p[i] = (struct pollfd){.fd = fds[i], .events = POLLOUT};
    (void)poll(p, (nfds_t)n, 0);
    for (int i = 0; i < n; i++) {
        int err = 0;
        socklen_t el = sizeof(err);
        if (fds[i] < 0 || !(p[i].revents & POLLOUT)) continue;
        if (getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &err, &el) != 0 || err) continue;
        k->established++;
        (void)send(fds[i], req, sizeof(req) - 1, MSG_NOSIGNAL);
    }
    usleep(EM_HOLD_MS * 1000);
    for (int i = 0; i < n; i++) {
        char buf[256];
        if (fds[i] < 0) continue;
        if (recv(fds[i], buf, sizeof(buf), MSG_DONTWAIT) > 12 && !memcmp(buf, "HTTP/1.1 200", 12))
            k->answered++;
        hx_reset_close(fds[i]);
    }
}

/* Lines the server wrote on stderr (the capture file). */
static unsigned em_err_lines(const struct hx_ctx *x, char *last, size_t cap)
{
    FILE *f = fopen(x->err_path, "r");
    char line[1024];
    unsigned n = 0;
    last[0] = '\0';
    while (f && fgets(line, sizeof(line), f)) {
        if (line[0] == '\n') continue;
        n++;
        snprintf(last, cap, "%s", line);
    }
    if (f) fclose(f);
    return n;
}

/* After the flood a thread-per-connection server may still be winding down
 * thousands of connections: it gets EM_RECOVER_MS to answer a normal client
 * again (then the usual after-check applies). */
static int em_recover(const struct hx_ctx *x)
{
    uint64_t t0 = itc_now_ms();
    int rc;
    while ((rc = hx_normal(x, hx_late_ms(x->base_ms))) != 0 && itc_now_ms() - t0 < EM_RECOVER_MS)
        usleep(100000);
    fprintf(stderr, "hostile: %s: emfile: normal client answered %llu ms after the flood%s\n",
            x->model, (unsigned long long)(itc_now_ms() - t0), rc ? ": NOT" : "");
    return rc;
}

int hx_case_emfile(struct hx_ctx *x)
{
    struct em_count k = {0};
    uint64_t t0 = itc_now_ms();
    int ok = 0, st = -1;
    char last[1024];
    while (k.attempts < EM_ATTEMPTS && itc_now_ms() - t0 < EM_BUDGET_MS && kill(x->srv.pid, 0) == 0)
        em_batch(x, EM_BATCH, &k);
    uint64_t secs = (itc_now_ms() - t0) / 1000 + 1;
    fprintf(stderr, "hostile: %s: emfile: %u attempts, %u established, %u answered in %llu s\n",
            x->model, k.attempts, k.established, k.answered, (unsigned long long)secs);
    HX_CHECK(k.attempts >= EM_ATTEMPTS);
    HX_CHECK(kill(x->srv.pid, 0) == 0 && waitpid(x->srv.pid, NULL, WNOHANG) == 0);
    HX_CHECK(em_recover(x) == 0);
    HX_CHECK(hx_after(x, "emfile") == 0);
    uint64_t life_s = (itc_now_ms() - t0) / 1000 + 3; /* + start-up and stop */
    HX_CHECK(itc_server_stop(&x->srv, SIGTERM, 2000, &st) == 0);
    HX_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    unsigned lines = em_err_lines(x, last, sizeof(last));
    fprintf(stderr, "hostile: %s: emfile: %u stderr lines in ~%llu s, last: %s", x->model, lines,
            (unsigned long long)life_s, last[0] ? last : "(none)\n");
    HX_CHECK(lines <= life_s);
    struct itc_stats s;
    HX_CHECK(itc_server_stats(&x->srv, 1000, &s) == 0);
    fprintf(stderr, "hostile: %s: emfile: stats accepted=%llu rejected=%llu reason=%s\n", x->model,
            s.accepted, s.rejected, s.reason);
    HX_CHECK((s.rejected > 0) == (strcmp(s.reason, "none") != 0));
    if (x->expect_reject) {
        HX_CHECK(s.rejected > 0 && strcmp(s.reason, "EMFILE") == 0);
        HX_CHECK(lines >= 1); /* it said so */
    }
    ok = 1;
fail:
    return ok ? 0 : -1;
}
