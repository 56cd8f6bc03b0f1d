/* opts: the command line every c10k-server-<model> shares (--host, --port,
 * --backlog, --reuseport) plus the model options its srv_model.flags enable.
 * Try: c10k-server-epoll --help ; c10k-server-epoll --threads 0  (exit 2) */
#include "srv.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#ifndef SRV_VERSION
#define SRV_VERSION "unknown"
#endif

#define OPTS_DEF_BACKLOG 4096u
#define OPTS_DEF_THREADS 1u
#define OPTS_DEF_WORKERS 4u
#define OPTS_DEF_MAX_WORKERS 1024u
#define OPTS_DEF_SPARE 2u
#define OPTS_MAX_THREADS 1024u
#define OPTS_MAX_WORKERS 30000u
#define OPTS_MAX_PROCESSES 256u
#define OPTS_MIN_STACK (64u * 1024u)
#define OPTS_MAX_STACK (1024u * 1024u * 1024u)

enum opts_key {
    OPT_HOST = 256,
    OPT_PORT,
    OPT_BACKLOG,
    OPT_REUSEPORT,
    OPT_THREADS,
    OPT_STACK,
    OPT_WORKERS,
    OPT_MAX_WORKERS,
    OPT_SPARE,
    OPT_SQPOLL,
    OPT_PROCESSES,
    OPT_VERSION,
};

static unsigned opts_def(unsigned v, unsigned fallback)
{
    return v ? v : fallback;
}

static void opts_usage(FILE *f, const struct srv_model *m)
{
    fprintf(f, "usage: c10k-server-%s [options]\n  %s\n\n", m->name, m->summary);
    fprintf(f,
            "  --host ADDR        listen address (default 127.0.0.1)\n"
            "  --port N           TCP port, 0 = ephemeral (default 0)\n"
            "  --backlog N        listen backlog (default %u)\n"
            "  --reuseport        set SO_REUSEPORT on the listener (default off)\n",
            OPTS_DEF_BACKLOG);
    if (m->flags & SRV_OPT_THREADS) {
        char flag[32];
        snprintf(flag, sizeof(flag), "--%s N", m->threads_flag ? m->threads_flag : "threads");
        fprintf(f, "  %-18s %s, 1..%u (default %u)\n", flag,
                m->threads_help ? m->threads_help : "threads", OPTS_MAX_THREADS,
                opts_def(m->default_threads, OPTS_DEF_THREADS));
    }
    if (m->flags & SRV_OPT_STACK)
        fprintf(f, "  --stack-size SIZE  thread stack size, 64k..1G, 0 = system default"
                   " (default 0)\n");
    if (m->flags & SRV_OPT_WORKERS)
        fprintf(f,
                "  --workers N        worker processes at start, 1..%u (default %u)\n"
                "  --max-workers N    most worker processes, 1..%u (default %u)\n"
                "  --spare N          idle workers kept ready, 0..%u (default %u)\n",
                OPTS_MAX_WORKERS, opts_def(m->default_workers, OPTS_DEF_WORKERS), OPTS_MAX_WORKERS,
                opts_def(m->default_max_workers, OPTS_DEF_MAX_WORKERS), OPTS_MAX_WORKERS,
                opts_def(m->default_spare, OPTS_DEF_SPARE));
    if (m->flags & SRV_OPT_SQPOLL)
        fprintf(f, "  --sqpoll           kernel SQ polling thread (default off)\n");
    if (m->flags & SRV_OPT_PROCESSES)
        fprintf(f,
                "  --processes N      worker processes sharing the port (SO_REUSEPORT), each\n"
                "                     with its own fd limit, 1..%u (default 1)\n",
                OPTS_MAX_PROCESSES);
    fprintf(f, "  -h, --help         this text\n"
               "  --version          print the version\n\n"
               "Prints \"ready HOST:PORT pid=N\" once listening; SIGTERM/SIGINT stop it and print\n"
               "\"stats accepted=N rejected=N reason=ERRNO\".\n");
}

static void opts_defaults(struct srv_opts *o, const struct srv_model *m)
{
    memset(o, 0, sizeof(*o));
    o->model = m;
    o->host = "127.0.0.1";
    o->backlog = (int)OPTS_DEF_BACKLOG;
    o->threads = opts_def(m->default_threads, OPTS_DEF_THREADS);
    o->workers = opts_def(m->default_workers, OPTS_DEF_WORKERS);
    o->max_workers = opts_def(m->default_max_workers, OPTS_DEF_MAX_WORKERS);
    o->spare = opts_def(m->default_spare, OPTS_DEF_SPARE);
    o->processes = 1;
}

/* Builds the getopt_long table: common options plus those m->flags enable. */
static void opts_table(const struct srv_model *m, struct option *t)
{
    int n = 0;
    t[n++] = (struct option){"host", required_argument, NULL, OPT_HOST};
    t[n++] = (struct option){"port", required_argument, NULL, OPT_PORT};
    t[n++] = (struct option){"backlog", required_argument, NULL, OPT_BACKLOG};
    t[n++] = (struct option){"reuseport", no_argument, NULL, OPT_REUSEPORT};
    t[n++] = (struct option){"help", no_argument, NULL, 'h'};
    t[n++] = (struct option){"version", no_argument, NULL, OPT_VERSION};
    if (m->flags & SRV_OPT_THREADS)
        t[n++] = (struct option){m->threads_flag ? m->threads_flag : "threads", required_argument,
                                 NULL, OPT_THREADS};
    if (m->flags & SRV_OPT_STACK)
        t[n++] = (struct option){"stack-size", required_argument, NULL, OPT_STACK};
    if (m->flags & SRV_OPT_WORKERS) {
        t[n++] = (struct option){"workers", required_argument, NULL, OPT_WORKERS};
        t[n++] = (struct option){"max-workers", required_argument, NULL, OPT_MAX_WORKERS};
        t[n++] = (struct option){"spare", required_argument, NULL, OPT_SPARE};
    }
    if (m->flags & SRV_OPT_SQPOLL)
        t[n++] = (struct option){"sqpoll", no_argument, NULL, OPT_SQPOLL};
    if (m->flags & SRV_OPT_PROCESSES)
        t[n++] = (struct option){"processes", required_argument, NULL, OPT_PROCESSES};
    t[n] = (struct option){NULL, 0, NULL, 0};
}

static int opts_count(const char *arg, uint64_t min, uint64_t max, unsigned *out)
{
    uint64_t v;
    int rc = util_parse_count(arg, min, max, &v);
    if (rc == 0) *out = (unsigned)v;
    return rc;
}

static int opts_host(const char *arg, const char **out)
{
    unsigned char a[sizeof(struct in6_addr)];
    if (inet_pton(AF_INET, arg, a) != 1 && inet_pton(AF_INET6, arg, a) != 1) return -EINVAL;
    *out = arg;
    return 0;
}

static int opts_stack(const char *arg, size_t *out)
{
    uint64_t v;
    int rc = util_parse_size(arg, 0, OPTS_MAX_STACK, &v);
    if (rc == 0 && v != 0 && v < OPTS_MIN_STACK) rc = -ERANGE;
    if (rc == 0) *out = (size_t)v;
    return rc;
}

/* Applies one option; returns 0, 1 (help/version printed) or -EINVAL/-ERANGE. */
static int opts_one(struct srv_opts *o, int key, const char *arg)
{
    unsigned v = 0;
    int rc = 0;
    switch (key) {
    case OPT_HOST:
        return opts_host(arg, &o->host);
    case OPT_PORT:
        rc = opts_count(arg, 0, 65535, &v);
        o->port = (uint16_t)v;
        return rc;
    case OPT_BACKLOG:
        rc = opts_count(arg, 1, 1u << 20, &v);
        o->backlog = (int)v;
        return rc;
    case OPT_REUSEPORT:
        o->reuseport = true;
        return 0;
    case OPT_THREADS:
        return opts_count(arg, 1, OPTS_MAX_THREADS, &o->threads);
    case OPT_STACK:
        return opts_stack(arg, &o->stack_size);
    case OPT_WORKERS:
        return opts_count(arg, 1, OPTS_MAX_WORKERS, &o->workers);
    case OPT_MAX_WORKERS:
        return opts_count(arg, 1, OPTS_MAX_WORKERS, &o->max_workers);
    case OPT_SPARE:
        return opts_count(arg, 0, OPTS_MAX_WORKERS, &o->spare);
    case OPT_SQPOLL:
        o->sqpoll = true;
        return 0;
    case OPT_PROCESSES:
        return opts_count(arg, 1, OPTS_MAX_PROCESSES, &o->processes);
    case 'h':
        opts_usage(stdout, o->model);
        return 1;
    case OPT_VERSION:
        printf("c10k-server-%s %s\n", o->model->name, SRV_VERSION);
        return 1;
    default:
        return -EINVAL;
    }
}

static int opts_fail(const struct srv_model *m, const char *what)
{
    fprintf(stderr, "c10k-server-%s: %s\n", m->name, what);
    opts_usage(stderr, m);
    return -EINVAL;
}

int srv_opts_parse(struct srv_opts *o, const struct srv_model *m, int argc, char **argv)
{
    struct option table[16];
    char msg[160];
    opts_defaults(o, m);
    opts_table(m, table);
    opterr = 0;
    optind = 1;
    int key, idx = 0;
    while ((key = getopt_long(argc, argv, ":h", table, &idx)) != -1) {
        if (key == '?' || key == ':') {
            snprintf(msg, sizeof(msg), "%s option '%s'",
                     key == ':' ? "missing value for" : "unknown", argv[optind - 1]);
            return opts_fail(m, msg);
        }
        int rc = opts_one(o, key, optarg);
        if (rc == 1) return 1;
        if (rc < 0) {
            snprintf(msg, sizeof(msg), "bad value '%s' for --%s: %s", optarg ? optarg : "",
                     table[idx].name, rc == -ERANGE ? "out of range" : "invalid");
            return opts_fail(m, msg);
        }
    }
    if (optind < argc) return opts_fail(m, "unexpected argument");
    if ((m->flags & SRV_OPT_WORKERS) && o->workers > o->max_workers)
        return opts_fail(m, "--workers is larger than --max-workers");
    return 0;
}
