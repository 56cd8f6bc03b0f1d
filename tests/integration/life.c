/* life: the process side of a server: --help, a bad flag, SIGTERM with
 * connections in every state (exit 0 within 2 s, no process of its tree left),
 * and the "stats accepted=N" exit line. */
#include "cases.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LIFE_MAX_PIDS 4096
#define LIFE_STOP_MS 2000
#define LIFE_FLOOD 100 /* connections against CASE_EMFILE_NOFILE fds */

int case_help(struct case_ctx *x)
{
    static char out[16384], err[4096];
    const char *args[] = {"--help", NULL};
    int st = itc_run(x->path, args, out, sizeof(out), err, sizeof(err), 5000);
    CASE_CHECK(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CASE_CHECK(strstr(out, "usage") || strstr(out, "Usage"));
    CASE_CHECK(strstr(out, "--port"));
    return 0;
fail:
    fprintf(stderr, "status %d, stdout: %s\nstderr: %s\n", st, out, err);
    return 1;
}

int case_badflag(struct case_ctx *x)
{
    static char out[16384], err[16384];
    const char *args[] = {"--no-such-flag-c10k", NULL};
    int st = itc_run(x->path, args, out, sizeof(out), err, sizeof(err), 5000);
    CASE_CHECK(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 2);
    CASE_CHECK(err[0] != '\0');
    return 0;
fail:
    fprintf(stderr, "status %d, stdout: %s\nstderr: %s\n", st, out, err);
    return 1;
}

/* With this process as subreaper, orphans of the server become our children:
 * reap the ones that exit; any still alive after the grace period is a leak. */
static int life_no_leftovers(const pid_t *tree, size_t n, int grace_ms)
{
    uint64_t deadline = itc_now_ms() + (uint64_t)grace_ms;
    for (;;) {
        while (waitpid(-1, NULL, WNOHANG) > 0) {
        }
        size_t alive = 0;
        for (size_t i = 0; i < n; i++)
            alive += kill(tree[i], 0) == 0;
        if (alive == 0) return 0;
        if (itc_now_ms() >= deadline) {
            for (size_t i = 0; i < n; i++)
                if (kill(tree[i], SIGKILL) == 0)
                    fprintf(stderr, "itc: process %d of the server's tree still alive\n",
                            (int)tree[i]);
            return -1;
        }
        usleep(10000);
    }
}

int case_sigterm(struct case_ctx *x)
{
    static pid_t tree[LIFE_MAX_PIDS];
    struct itc_conn idle = {.fd = -1}, partial = {.fd = -1}, waiting = {.fd = -1};
    int st = -1;
    CASE_CHECK(itc_conn_open(&idle, &x->srv) == 0);
    CASE_CHECK(itc_send_str(&idle, "GET / HTTP/1.1\r\n\r\n") == 0);
    CASE_CHECK(itc_expect_hello(&idle, NULL) == 0);
    CASE_CHECK(itc_conn_open(&partial, &x->srv) == 0);
    CASE_CHECK(itc_send_str(&partial, "GET / HTTP/1.1\r\nHost: x") == 0);
    CASE_CHECK(itc_conn_open(&waiting, &x->srv) == 0);
    CASE_CHECK(itc_send_str(&waiting, "GET /?delay_us=5000000 HTTP/1.1\r\n\r\n") == 0);
    usleep(100000); /* let the server take them all */
    size_t n = itc_proc_tree(x->srv.pid, tree, LIFE_MAX_PIDS);
    uint64_t t0 = itc_now_ms();
    int rc = itc_server_stop(&x->srv, SIGTERM, LIFE_STOP_MS, &st);
    fprintf(stderr, "exit after %llu ms, status 0x%x, %zu processes in the tree\n",
            (unsigned long long)(itc_now_ms() - t0), (unsigned)st, n);
    CASE_CHECK(rc == 0);
    CASE_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CASE_CHECK(life_no_leftovers(tree + 1, n - 1, 500) == 0);
    itc_server_drain_out(&x->srv, 1000);
    CASE_CHECK(strstr(x->srv.out, "\nstats accepted="));
    itc_conn_close(&idle);
    itc_conn_close(&partial);
    itc_conn_close(&waiting);
    return 0;
fail:
    itc_conn_close(&idle);
    itc_conn_close(&partial);
    itc_conn_close(&waiting);
    return 1;
}

int case_stats(struct case_ctx *x)
{
    int st = -1;
    for (int i = 0; i < 3; i++) {
        struct itc_conn c = {.fd = -1};
        int rc = itc_conn_open(&c, &x->srv);
        rc = rc ? rc : itc_send_str(&c, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
        rc = rc ? rc : itc_expect_hello(&c, "close");
        itc_conn_close(&c);
        CASE_CHECK(rc == 0);
    }
    CASE_CHECK(itc_server_stop(&x->srv, SIGINT, LIFE_STOP_MS, &st) == 0);
    CASE_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    struct itc_stats s;
    CASE_CHECK(itc_server_stats(&x->srv, 1000, &s) == 0);
    fprintf(stderr, "stats: accepted=%llu rejected=%llu reason=%s\n", s.accepted, s.rejected,
            s.reason);
    CASE_CHECK(s.accepted >= 3);
    CASE_CHECK(s.rejected == 0 && strcmp(s.reason, "none") == 0);
    return 0;
fail:
    fprintf(stderr, "server stdout:\n%s\n", x->srv.out);
    return 1;
}

/* Receives one answer within timeout_ms: 1 (200), 0 (closed by the server),
 * 2 (nothing yet), -1 (anything else). */
static int life_flood_answer(struct itc_conn *c, int timeout_ms)
{
    struct itc_resp r;
    int rc = itc_recv_resp(c, &r, timeout_ms < 1 ? 1 : timeout_ms);
    if (rc == -ECONNRESET || rc == -EPIPE) return 0;
    if (rc == -ETIMEDOUT) return 2;
    return rc == 0 && r.status == 200 ? 1 : -1;
}

/* Out of descriptors (RLIMIT_NOFILE 64): the server refuses what it cannot
 * take, keeps serving, and counts it in the stats line. */
int case_emfile(struct case_ctx *x)
{
    static struct itc_conn flood[LIFE_FLOOD];
    unsigned n[3] = {0}; /* closed, answered, silent */
    int st = -1, bad = 0;
    for (int i = 0; i < LIFE_FLOOD; i++)
        flood[i].fd = -1;
    for (int i = 0; i < LIFE_FLOOD && !bad; i++) {
        bad = itc_conn_open(&flood[i], &x->srv) != 0;
        if (!bad && itc_send_str(&flood[i], "GET / HTTP/1.1\r\n\r\n") != 0) {
            n[0]++; /* already closed by the server */
            itc_conn_close(&flood[i]);
        }
    }
    uint64_t deadline = itc_now_ms() + 3000;
    for (int i = 0; i < LIFE_FLOOD && !bad; i++) {
        int a = flood[i].fd < 0 ? 3 : life_flood_answer(&flood[i], (int)(deadline - itc_now_ms()));
        bad = a < 0;
        if (a >= 0 && a <= 2) n[a]++;
    }
    for (int i = 0; i < LIFE_FLOOD; i++)
        itc_conn_close(&flood[i]);
    fprintf(stderr, "flood of %d: %u answered, %u closed, %u not answered in 3 s\n", LIFE_FLOOD,
            n[1], n[0], n[2]);
    CASE_CHECK(!bad);
    CASE_CHECK(n[1] > 0);
    usleep(200000);
    struct itc_conn c = {.fd = -1};
    int rc = itc_conn_open(&c, &x->srv);
    rc = rc ? rc : itc_send_str(&c, "GET / HTTP/1.1\r\n\r\n");
    rc = rc ? rc : itc_expect_hello(&c, NULL);
    itc_conn_close(&c);
    CASE_CHECK(rc == 0);
    CASE_CHECK(itc_server_stop(&x->srv, SIGTERM, LIFE_STOP_MS, &st) == 0);
    CASE_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    struct itc_stats s;
    CASE_CHECK(itc_server_stats(&x->srv, 1000, &s) == 0);
    fprintf(stderr, "stats: accepted=%llu rejected=%llu reason=%s\n", s.accepted, s.rejected,
            s.reason);
    CASE_CHECK((s.rejected > 0) == (strcmp(s.reason, "none") != 0));
    if (x->expect_reject) {
        CASE_CHECK(s.rejected > 0 && n[0] > 0);
        CASE_CHECK(strcmp(s.reason, "EMFILE") == 0 || strcmp(s.reason, "ENFILE") == 0);
    }
    return 0;
fail:
    fprintf(stderr, "server stdout:\n%s\n", x->srv.out);
    return 1;
}
