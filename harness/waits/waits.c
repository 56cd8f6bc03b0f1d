/* waits: `c10k waits`, the asyncio guides' experiment made reproducible: an
 * event-loop server whose ?delay_us= is the slow backend, and clients fetching
 * N waits one after another, with asyncio, a thread pool, a process pool and
 * the C floor, into DIR/waits.json. Try: c10k waits --n 5,10,20 --wait 200ms */
#include "cmd.h"
#include "config.h"
#include "models.h"
#include "proc.h"
#include "store.h"
#include "wt.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <util.h>

static const struct wt_client wt_clients[] = {
    {"sequential", "sequential", true, false, "Python, one blocking request after another"},
    {"asyncio", "asyncio", true, true, "Python asyncio.gather, one connection per request"},
    {"threads", "threads", true, true, "Python run_in_executor, ThreadPoolExecutor(N)"},
    {"processes", "processes", true, true, "Python run_in_executor, ProcessPoolExecutor(N)"},
    {"c-threads", "threads", false, true, "C, one pthread per request (blocking I/O)"},
    {"c-epoll", "epoll", false, true, "C, every request in one epoll loop"},
};
#define WT_N_CLIENTS (sizeof wt_clients / sizeof wt_clients[0])

const struct wt_client *wt_client_find(const char *key)
{
    for (size_t i = 0; i < WT_N_CLIENTS; i++)
        if (strcmp(wt_clients[i].key, key) == 0) return &wt_clients[i];
    return NULL;
}

const char *wt_clients_default(void)
{
    return "sequential,asyncio,threads,processes,c-threads,c-epoll";
}

static void wt_usage(FILE *f)
{
    fprintf(f,
            "usage: c10k waits [options]\n"
            "  --n LIST         requests per client, each on its own connection\n"
            "                   (default 5,10,20,50,100; at most 1000 each)\n"
            "  --wait D         how long the server holds each answer (default 1s, the\n"
            "                   guide's; 200ms makes a quick run)\n"
            "  --clients LIST   of %s (default all)\n"
            "  --server MODEL   the server model (default epoll)\n"
            "  --serial         one client at a time (default: the sequential clients,\n"
            "                   which only wait, run beside the others)\n"
            "  --merge          keep the other clients of the waits.json already in --out\n"
            "                   (same --n and --wait): ./run_all.sh measures the sequential\n"
            "                   clients beside the sweep, then the others\n"
            "  --out DIR        the run folder for waits.json (default results/<UTC time>-waits)\n"
            "  --quiet          no table on stdout\n"
            "exit: 0 every client ran, 1 a client or the server failed, 2 usage, 130 "
            "interrupted\n",
            wt_clients_default());
}

static int wt_parse_clients(const char *s, struct wt_config *c)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    c->n_clients = 0;
    char *rest = buf;
    for (char *w; (w = strsep(&rest, ",")) != NULL;) {
        const struct wt_client *k = wt_client_find(w);
        if (!k || c->n_clients == WT_MAX_CLIENTS) return -EINVAL;
        c->clients[c->n_clients++] = k;
    }
    return c->n_clients ? 0 : -EINVAL;
}

static int wt_opt(int opt, const char *arg, struct wt_config *c)
{
    uint64_t ns;
    switch (opt) {
    case 'n':
        return hn_parse_counts(arg, 1, 1000, c->ns, WT_MAX_N, &c->n_ns);
    case 'w':
        if (util_parse_duration_ns(arg, UTIL_NS_PER_S, UTIL_NS_PER_MS, 60 * UTIL_NS_PER_S, &ns))
            return -EINVAL;
        c->wait_s = (double)ns / 1e9;
        return 0;
    case 'c':
        return wt_parse_clients(arg, c);
    case 's':
        c->server = arg;
        return 0;
    case 'o':
        c->out = arg;
        return 0;
    case 'S':
        c->serial = true;
        return 0;
    case 'M':
        c->merge = true;
        return 0;
    case 'q':
        c->quiet = true;
        return 0;
    }
    return -EINVAL;
}

static int wt_parse(int argc, char **argv, struct wt_config *c)
{
    static const struct option lo[] = {
        {"n", required_argument, NULL, 'n'},       {"wait", required_argument, NULL, 'w'},
        {"clients", required_argument, NULL, 'c'}, {"server", required_argument, NULL, 's'},
        {"out", required_argument, NULL, 'o'},     {"serial", no_argument, NULL, 'S'},
        {"merge", no_argument, NULL, 'M'},         {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    *c = (struct wt_config){.wait_s = 1.0, .server = "epoll"};
    wt_opt('n', "5,10,20,50,100", c);
    wt_parse_clients(wt_clients_default(), c);
    optind = 1;
    for (int o; (o = getopt_long(argc, argv, "h", lo, NULL)) != -1;) {
        if (o == 'h') return 1;
        if (o == '?') return -EINVAL;
        if (wt_opt(o, optarg, c)) {
            fprintf(stderr, "%s: bad value '%s' for --%s\n", argv[0], optarg,
                    o == 'w'   ? "wait"
                    : o == 'c' ? "clients"
                               : "n");
            return -EINVAL;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0], argv[optind]);
        return -EINVAL;
    }
    return 0;
}

/* Starts the server model; its port, or -errno with why on stderr. */
static int wt_server_start(const char *model, struct hn_child *srv)
{
    struct hn_model m;
    char line[512];
    int port = 0;
    if (hn_model_find(model, &m) || !m.available) {
        fprintf(stderr, "c10k waits: model '%s' is not available here (c10k models)\n", model);
        return -ENOENT;
    }
    char *argv[] = {m.path, "--port", "0", NULL};
    int rc = hn_child_spawn(srv, argv, NULL, true, NULL);
    if (!rc) rc = hn_child_readline(srv, line, sizeof line, 10 * UTIL_NS_PER_S);
    if (!rc && hn_ready_parse(line, NULL, 0, &port, NULL) != 0) rc = -EPROTO;
    if (!rc) return port;
    fprintf(stderr, "c10k waits: server %s did not start: %s\n", m.path, strerror(-rc));
    if (srv->pid > 0) hn_child_kill(srv);
    hn_child_close(srv);
    return rc;
}

/* --merge: the clients of the waits.json already there that this run did not
 * measure are kept (a missing file: nothing to keep). */
static int wt_merge_old(const struct wt_config *cfg, json_t *doc)
{
    char path[4200];
    json_error_t err;
    snprintf(path, sizeof path, "%s/waits.json", cfg->out);
    json_t *old = json_load_file(path, 0, &err);
    if (!old) return 0;
    int rc = wt_merge(doc, old);
    json_decref(old);
    if (rc) fprintf(stderr, "c10k waits: --merge: %s has another N list or wait\n", path);
    return rc;
}

static int wt_write(const struct wt_config *cfg, json_t *doc)
{
    char path[4200];
    int rc = cfg->merge ? wt_merge_old(cfg, doc) : 0;
    if (!rc) rc = hn_store_mkdirs(cfg->out);
    snprintf(path, sizeof path, "%s/waits.json", cfg->out);
    if (!rc) rc = hn_store_write_json(path, doc);
    if (rc)
        fprintf(stderr, "c10k waits: %s: %s\n", path, strerror(-rc));
    else if (!cfg->quiet)
        printf("c10k waits: %s\n", path);
    return rc;
}

static int wt_measure(struct wt_config *cfg, struct wt_job *jobs, size_t n)
{
    struct hn_child srv;
    int port = wt_server_start(cfg->server, &srv);
    if (port < 0) return 1;
    int rc = wt_run_jobs(cfg, port, jobs, n);
    hn_child_stop(&srv, 2 * UTIL_NS_PER_S);
    hn_child_close(&srv);
    if (rc == -EINTR) return 130;
    json_t *doc = wt_json(cfg, jobs, n);
    rc = wt_write(cfg, doc) ? 1 : 0;
    if (!cfg->quiet) wt_print(doc);
    json_decref(doc);
    for (size_t i = 0; i < n && !rc; i++)
        if (jobs[i].state != WT_DONE) {
            fprintf(stderr, "c10k waits: %s at N=%llu: %s\n", jobs[i].client->key,
                    (unsigned long long)jobs[i].n, jobs[i].why);
            rc = 1;
        }
    return rc;
}

int cmd_waits(int argc, char **argv)
{
    struct wt_config cfg;
    struct wt_job jobs[WT_MAX_N * WT_MAX_CLIENTS];
    static struct hn_config hc; /* for its default folder name only */
    size_t n = 0;
    int rc = wt_parse(argc, argv, &cfg);
    if (rc) {
        wt_usage(rc > 0 ? stdout : stderr);
        return rc > 0 ? 0 : 2;
    }
    if (!cfg.out) {
        hn_default_out(&hc, "waits");
        cfg.out = hc.out;
    }
    memset(jobs, 0, sizeof jobs);
    for (size_t r = 0; r < cfg.n_ns; r++)
        for (size_t c = 0; c < cfg.n_clients; c++)
            jobs[n++] = (struct wt_job){.client = cfg.clients[c], .n = cfg.ns[r]};
    hn_signals_install();
    return wt_measure(&cfg, jobs, n);
}
