/* hx abuse: clients that misbehave at the transport: slowloris, resets in the
 * middle of a 16 MiB response, half-close, and a client that never reads.
 *   c10k-hostile --case slowloris build/models/threads/c10k-server-threads */
#include "hostile.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define AB_LORIS 50
#define AB_LORIS_S 5
#define AB_RESETS 10
#define AB_NOREAD_PIPELINE 64
#define AB_NOREAD_MS 5000

static const char ab_loris_req[] = "GET / HTTP/1.1\r\nX-Slow: abcdefgh";

/* The baseline of the slowloris case: the slowest normal client right after
 * AB_LORIS well-behaved clients connected at once, the same arrival and
 * occupancy as the trickle (a thread or a worker each: a pool grows for them
 * first in both). Their answers are then checked. -1 when one failed. */
static int64_t ab_loris_base_ms(struct hx_ctx *x, struct itc_conn *held)
{
    int64_t worst = -1;
    int n = 0, answered = 0;
    for (; n < AB_LORIS; n++) {
        held[n].fd = -1;
        if (itc_conn_open(&held[n], &x->srv) != 0 ||
            itc_send_str(&held[n], "GET / HTTP/1.1\r\n\r\n") != 0)
            break;
    }
    if (n == AB_LORIS) worst = hx_normal_worst_ms(x, 5000);
    for (int i = 0; i < n; i++) {
        struct itc_resp r = {0};
        answered += itc_recv_resp(&held[i], &r, 5000) == 0 && r.status == 200;
    }
    for (int i = 0; i < n + (n < AB_LORIS); i++)
        itc_conn_close(&held[i]);
    return answered == AB_LORIS ? worst : -1;
}

int hx_case_slowloris(struct hx_ctx *x)
{
    static struct itc_conn lo[AB_LORIS];
    int ok = 0, opened = 0, bad = 0;
    int64_t base_ms = ab_loris_base_ms(x, lo);
    int late_ms = hx_late_ms(base_ms > 0 ? (uint64_t)base_ms : 0);
    for (int i = 0; i < AB_LORIS; i++) {
        lo[i].fd = -1;
        opened += itc_conn_open(&lo[i], &x->srv) == 0;
    }
    uint64_t worst = 0;
    for (int s = 0; s < AB_LORIS_S; s++) {
        uint64_t t0 = itc_now_ms();
        for (int i = 0; i < AB_LORIS; i++)
            if (lo[i].fd >= 0) (void)send(lo[i].fd, &ab_loris_req[s], 1, MSG_NOSIGNAL);
        for (int k = 0; k < 2; k++) { /* two normal clients per second */
            uint64_t t1 = itc_now_ms();
            if (hx_normal(x, late_ms) != 0) bad++;
            uint64_t dt = itc_now_ms() - t1;
            worst = dt > worst ? dt : worst;
        }
        uint64_t spent = itc_now_ms() - t0;
        if (spent < 1000) usleep((useconds_t)(1000 - spent) * 1000u);
    }
    fprintf(
        stderr,
        "hostile: %s: slowloris: %d/%d trickling connections open, %d of %d normal "
        "clients late or failed (bound %d ms: baseline %lld ms with %d held), slowest %llu ms\n",
        x->model, opened, AB_LORIS, bad, 2 * AB_LORIS_S, late_ms, (long long)base_ms, AB_LORIS,
        (unsigned long long)worst);
    HX_CHECK(base_ms >= 0 && opened == AB_LORIS && bad == 0);
    ok = 1;
fail:
    for (int i = 0; i < AB_LORIS; i++)
        itc_conn_close(&lo[i]);
    return hx_after(x, "slowloris") == 0 && ok ? 0 : -1;
}

/* Reads about want bytes (or until timeout). */
static size_t ab_read_some(int fd, size_t want, int timeout_ms)
{
    static char buf[65536];
    size_t got = 0;
    uint64_t deadline = itc_now_ms() + (uint64_t)timeout_ms;
    while (got < want && itc_now_ms() < deadline) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, (int)(deadline - itc_now_ms())) != 1) break;
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        if (n <= 0) break;
        got += (size_t)n;
    }
    return got;
}

int hx_case_reset(struct hx_ctx *x)
{
    int ok = 0, short_reads = 0;
    for (int i = 0; i < AB_RESETS; i++) {
        struct itc_conn c = {.fd = -1};
        HX_CHECK(itc_conn_open(&c, &x->srv) == 0);
        int pipelined = i % 2; /* odd ones: a second request queued behind */
        const char *req = pipelined ? "GET /?size=16777216 HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n"
                                    : "GET /?size=16777216 HTTP/1.1\r\n\r\n";
        HX_CHECK(itc_send_str(&c, req) == 0);
        size_t want = i < 2 ? 0 : (size_t)i * 200000u; /* reset after 0 .. 1.8 MB */
        if (want && ab_read_some(c.fd, want, 3000) < want) short_reads++;
        hx_reset_close(c.fd);
        c.fd = -1;
        itc_conn_close(&c);
    }
    HX_CHECK(short_reads == 0);
    usleep(100000);
    ok = 1;
fail:
    fprintf(stderr,
            "hostile: %s: reset: %d connections reset mid 16 MiB response (%d read "
            "short)\n",
            x->model, AB_RESETS, short_reads);
    return hx_after(x, "reset") == 0 && ok ? 0 : -1;
}

/* Request(s), then shutdown(SHUT_WR): every response must still arrive. */
static int ab_halfclose_one(struct hx_ctx *x, const char *req, size_t size1, int nresp)
{
    struct itc_conn c = {.fd = -1};
    struct itc_resp r;
    int rc = -1;
    HX_CHECK(itc_conn_open(&c, &x->srv) == 0);
    HX_CHECK(itc_send_str(&c, req) == 0);
    HX_CHECK(shutdown(c.fd, SHUT_WR) == 0);
    for (int i = 0; i < nresp; i++) {
        HX_CHECK(itc_recv_resp(&c, &r, 5000) == 0);
        HX_CHECK(r.status == 200 && (i > 0 || r.body_len == size1));
        itc_consume(&c, &r);
    }
    rc = 0;
fail:
    if (rc) fprintf(stderr, "hostile: half-close: request %s not answered whole\n", req);
    itc_conn_close(&c);
    return rc;
}

int hx_case_halfclose(struct hx_ctx *x)
{
    int failed = 0;
    failed += ab_halfclose_one(x, "GET / HTTP/1.1\r\n\r\n", 13, 1) != 0;
    failed += ab_halfclose_one(x, "GET /?size=1000000 HTTP/1.1\r\n\r\n", 1000000, 1) != 0;
    failed +=
        ab_halfclose_one(x, "GET /?size=100 HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n", 100, 2) != 0;
    failed += ab_halfclose_one(x, "GET /?delay_us=200000 HTTP/1.1\r\n\r\n", 13, 1) != 0;
    failed +=
        ab_halfclose_one(x, "POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", 5, 1) != 0;
    fprintf(stderr, "hostile: %s: half-close: %d of 5 requests not answered\n", x->model, failed);
    return hx_after(x, "half-close") == 0 && failed == 0 ? 0 : -1;
}

int hx_case_noread(struct hx_ctx *x)
{
    struct itc_conn c = {.fd = -1};
    static char req[AB_NOREAD_PIPELINE * 40];
    size_t len = 0;
    int ok = 0, late = 0;
    uint64_t peak = 0;
    for (int i = 0; i < AB_NOREAD_PIPELINE; i++)
        len += (size_t)sprintf(req + len, "GET /?size=16777216 HTTP/1.1\r\n\r\n");
    HX_CHECK(itc_conn_open(&c, &x->srv) == 0);
    HX_CHECK(itc_send(&c, req, len) == 0);
    uint64_t t0 = itc_now_ms();
    while (itc_now_ms() - t0 < AB_NOREAD_MS) {
        uint64_t kib = hx_tree_pss_kib(x->srv.pid);
        peak = kib > peak ? kib : peak;
        if (hx_normal(x, hx_late_ms(x->base_ms)) != 0) late++;
        usleep(200000);
    }
    fprintf(stderr,
            "hostile: %s: noread: 64 x 16 MiB unread for %d ms: peak PSS %llu KiB "
            "(baseline %llu, bound +%u KiB), %d normal clients late\n",
            x->model, AB_NOREAD_MS, (unsigned long long)peak, (unsigned long long)x->base_kib,
            HX_NOREAD_SLACK_KIB, late);
    HX_CHECK(peak <= x->base_kib + HX_NOREAD_SLACK_KIB);
    HX_CHECK(late == 0);
    ok = 1;
fail:
    if (c.fd >= 0) hx_reset_close(c.fd);
    c.fd = -1;
    itc_conn_close(&c);
    return hx_after(x, "noread") == 0 && ok ? 0 : -1;
}
