/* c10k probe: the memory/CPU probe of a trial run on the server's own host
 * (started over ssh by the harness): samples PID's tree until stdin ends
 * (or a line "stop"), a line "kick" taking a tree sample now. Stdout:
 * "probe ready", then each sample as it is taken ("sample [fields in hn_sf
 * order]"), and at the end "end {the probe's figures, no samples}".
 * With --memcg it first makes the server's memory group on this host ("probe
 * group METHOD PROCS_PATH", or "probe group system WHY"), PID "-" then read
 * as a line "pid N" (the server entered the group as it started); a line
 * "books idle|loaded" answers "books PHASE {...}" (hosts/books_wire.c); after
 * "end" it waits (8 s at most) for the group to empty, then removes it.
 *   try: sleep 60 & (sleep 1; echo kick; sleep 1) | build/harness/c10k probe $! --since-ns 0 */
#include "cmd.h"
#include "probe.h"
#include "hosts/hosts.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>
#include <util.h>

#define PROBE_CMD_INTERVAL_NS (100 * UTIL_NS_PER_MS)

static int usage(void)
{
    fprintf(stderr, "usage: c10k probe PID|- --since-ns N [--pin CPUS] [--memcg]\n"
                    "  samples PID's process tree (times: seconds since N ns ago) until\n"
                    "  stdin ends; a line 'kick' takes a tree sample; prints the samples as JSON\n"
                    "  --memcg: the server's memory group here first (PID '-': a line 'pid N'\n"
                    "  follows); 'books idle|loaded' reads its memory books\n");
    return 2;
}

/* Prints the samples taken since `sent`; the new count. */
static size_t stream(struct hn_probe *p, size_t sent)
{
    struct hn_sample s[64];
    size_t n;
    while ((n = hn_probe_copy(p, sent, s, 64)) > 0) {
        for (size_t i = 0; i < n; i++) {
            printf("sample [");
            for (int f = 0; f < HN_SF_COUNT; f++)
                if (isfinite(s[i].v[f]))
                    printf("%s%.17g", f ? "," : "", s[i].v[f]);
                else
                    printf("%snull", f ? "," : "");
            printf("]\n");
        }
        sent += n;
    }
    fflush(stdout);
    return sent;
}

/* What a probe run holds besides the probe: its stdin's partial line and
 * the server's memory books (the server's group only). */
struct probe_cmd {
    struct hn_probe *p;
    char buf[256];
    size_t len;
    bool memcg;
    struct books books;
};

static void books_line(struct probe_cmd *c, enum books_phase ph)
{
    json_t *j;
    books_read(&c->books, ph);
    j = hosts_books_json(&c->books, ph);
    printf("books %s ", ph == BOOKS_IDLE ? "idle" : "loaded");
    json_dumpf(j, stdout, JSON_COMPACT);
    printf("\n");
    fflush(stdout);
    json_decref(j);
}

static void command(struct probe_cmd *c, const char *l)
{
    if (strcmp(l, "kick") == 0) hn_probe_kick(c->p);
    if (strcmp(l, "books idle") == 0) books_line(c, BOOKS_IDLE);
    if (strcmp(l, "books loaded") == 0) books_line(c, BOOKS_LOADED);
}

/* Reads what stdin has within wait_ms into c->buf; -1 at EOF. */
static int take_input(struct probe_cmd *c, int wait_ms)
{
    struct pollfd pfd = {0, POLLIN, 0};
    ssize_t r;
    if (poll(&pfd, 1, wait_ms) <= 0) return 0;
    r = read(0, c->buf + c->len, sizeof c->buf - 1 - c->len);
    if (r <= 0) return -1;
    c->len += (size_t)r;
    c->buf[c->len] = '\0';
    return 0;
}

/* The next whole line of stdin into line (0), or 1 when none yet. */
static int next_line(struct probe_cmd *c, char *line, size_t cap)
{
    char *nl = strchr(c->buf, '\n');
    if (!nl) {
        if (c->len == sizeof c->buf - 1) c->len = 0; /* a line too long: not a command */
        return 1;
    }
    *nl = '\0';
    snprintf(line, cap, "%s", c->buf);
    c->len -= (size_t)(nl + 1 - c->buf);
    memmove(c->buf, nl + 1, c->len + 1);
    return 0;
}

/* Waits up to 100 ms for commands on stdin: 0 go on, 1 stop (or EOF). */
static int commands(struct probe_cmd *c)
{
    char l[256];
    if (take_input(c, 100) < 0) return 1;
    while (next_line(c, l, sizeof l) == 0) {
        if (strcmp(l, "stop") == 0) return 1;
        command(c, l);
    }
    return 0;
}

/* --memcg: the server's group here, said on stdout. */
static void group_make(struct probe_cmd *c)
{
    char procs[1300];
    struct memcg *g = &c->books.g[BOOKS_SERVER];
    int rc = memcg_create(g, NULL, "server");
    c->books.method = rc == 0 ? g->method : MEMCG_SYSTEM;
    if (rc == 0 && memcg_procs_path(g, procs, sizeof procs) == 0)
        printf("probe group %s %s\n", memcg_method_name(g->method), procs);
    else
        printf("probe group system %s\n",
               rc == -ENOTSUP ? "no memory controller" : strerror(rc < 0 ? -rc : EINVAL));
    fflush(stdout);
}

/* PID "-": the line "pid N" (0 at EOF). */
static long read_pid(struct probe_cmd *c)
{
    char l[256];
    long pid = 0;
    for (;;) {
        if (next_line(c, l, sizeof l) == 0) {
            if (sscanf(l, "pid %ld", &pid) == 1) return pid;
        } else if (take_input(c, 1000) < 0) {
            return 0;
        }
    }
}

/* After the end: the server stopped (its group empty, 8 s at most), the
 * group removed (what is left in it killed). */
static void group_end(struct probe_cmd *c)
{
    struct memcg_parts p;
    for (int i = 0; i < 80 && c->books.g[BOOKS_SERVER].dir[0]; i++) {
        if (memcg_read(&c->books.g[BOOKS_SERVER], &p) < 0 || p.processes == 0) break;
        nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    }
    books_close(&c->books);
}

static void where_we_ran(json_t *j)
{
    /* where it ran: the server's host, as its network namespace and name say */
    char ns[64] = "", host[256] = "";
    ssize_t n = readlink("/proc/self/ns/net", ns, sizeof ns - 1);
    ns[n > 0 ? n : 0] = '\0';
    gethostname(host, sizeof host - 1);
    json_object_set_new(j, "net_ns", json_string(ns));
    json_object_set_new(j, "hostname", json_string(host));
}

/* Options after PID into pin, since, c->memcg; -1 on a bad one. */
static int parse_opts(int argc, char **argv, struct probe_cmd *c, const char **pin, uint64_t *since)
{
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--memcg") == 0)
            c->memcg = true;
        else if (i + 1 < argc && strcmp(argv[i], "--since-ns") == 0)
            *since = strtoull(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--pin") == 0)
            *pin = argv[++i];
        else
            return -1;
    }
    return 0;
}

int cmd_probe(int argc, char **argv)
{
    static struct probe_cmd c;
    const char *pin = NULL;
    long long pid = 0;
    uint64_t since = 0;
    char *end = NULL;
    json_t *j;
    if (argc < 2 || parse_opts(argc, argv, &c, &pin, &since) < 0) return usage();
    signal(SIGPIPE, SIG_IGN); /* the harness gone: still remove the group at the end */
    if (strcmp(argv[1], "-") != 0 && ((pid = strtoll(argv[1], &end, 10)) <= 0 || *end))
        return usage();
    if (c.memcg) group_make(&c);
    if (pid == 0 && (pid = read_pid(&c)) <= 0) {
        group_end(&c);
        return 1;
    }
    if (c.memcg && pid > 0 && c.books.g[BOOKS_SERVER].dir[0] && end)
        memcg_attach(&c.books.g[BOOKS_SERVER], (pid_t)pid); /* a PID given: moved in now */
    if (hn_probe_start(&c.p, (pid_t)pid, util_mono_ns() - since, PROBE_CMD_INTERVAL_NS) < 0) {
        group_end(&c);
        return 1;
    }
    if (pin) hn_probe_pin(c.p, pin);
    /* the harness times our samples from when it reads this line */
    printf("probe ready\n");
    fflush(stdout);
    size_t sent = 0;
    while (commands(&c) == 0)
        sent = stream(c.p, sent);
    hn_probe_stop(c.p);
    stream(c.p, sent);
    j = hn_probe_export(c.p);
    json_object_del(j, "samples"); /* streamed */
    where_we_ran(j);
    printf("end ");
    json_dumpf(j, stdout, JSON_COMPACT);
    printf("\n");
    fflush(stdout);
    json_decref(j);
    hn_probe_free(c.p);
    group_end(&c);
    return 0;
}
