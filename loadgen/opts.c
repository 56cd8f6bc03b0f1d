/* opts: the command line of c10k-load (one struct lg_config), the URL and the
 * --source text (addr.c resolves both). Try: c10k-load --help. */
#include "lg.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define DEF_CONNECTIONS 10
#define DEF_DURATION_NS (10 * UTIL_NS_PER_S)
#define DEF_TIMEOUT_NS (10 * UTIL_NS_PER_S)

void lg_usage(FILE *f, const char *prog)
{
    fprintf(
        f,
        "usage: %s [options] http://HOST[:PORT]/path?query\n"
        "HTTP/1.1 load generator for the c10k lab. HOST: IPv4, [IPv6] or a name.\n"
        "  -c, --connections N    connections to keep open [%d]\n"
        "  -t, --threads N        threads, each with its own epoll loop, pinned in turn to\n"
        "                         the CPUs of the affinity mask [number of CPUs in the mask]\n"
        "  -d, --duration D       measured duration (10s, 500ms, 2m) [10s]\n"
        "  -R, --rate N           open loop: total requests/s on a schedule; latency is\n"
        "                         measured from the intended send time [0 = closed loop]\n"
        "      --arrival A        open-loop arrivals: constant | poisson [constant]\n"
        "      --warmup D         load before the measured window, not recorded [0s]\n"
        "      --connect-rate N   new connections per second while ramping up [0 = all at once]\n"
        "      --timeout D        per request (and per connect attempt) [10s]\n"
        "      --pipeline N       requests in flight per connection (1..1024) [1]\n"
        "      --source A[-B]     bind connections to local source addresses A..B in turn\n"
        "                         (the target's family), for more than ~28k connections [none]\n"
        "      --method M         request method [GET]\n"
        "      --body S           request body (sent with Content-Length) [none]\n"
        "      --seed N           seed of the poisson arrivals [1]\n"
        "      --spin D           open loop: wake this long before a scheduled send and poll\n"
        "                         until it (timer precision vs CPU) [20us]\n"
        "      --json FILE        write the c10k-load/1 JSON result (- = stdout) [none]\n"
        "      --hgrm FILE        write the latency histogram (.hgrm, microseconds) [none]\n"
        "      --series FILE      write one CSV row per second [none]\n"
        "      --hlog FILE        write an HdrHistogram interval log, one interval a second,\n"
        "                         tags corrected and uncorrected (us) [none]\n"
        "      --idle             closed-loop ramp (each connection answered once), then\n"
        "                         no request and no reconnect: connections held silent [off]\n"
        "  -q, --quiet            no human summary on stderr [off]\n"
        "  -h, --help             this help\n"
        "  -V, --version          print the version\n"
        "Exit: 0 ran, 1 the run failed (nothing connected), 2 usage error.\n",
        prog, DEF_CONNECTIONS);
}

/* The URL's host part: "[v6]" or up to the port, path or query. Sets *host,
 * *n (brackets stripped) and returns what follows it, NULL on a syntax error. */
static const char *url_host(const char *p, const char **host, size_t *n)
{
    if (*p == '[') {
        const char *end = strchr(p, ']');
        if (!end) return NULL;
        *host = p + 1;
        *n = (size_t)(end - p - 1);
        return end + 1;
    }
    *host = p;
    *n = strcspn(p, ":/?#[]@ ");
    return p + *n;
}

static int url_port(const char **q, uint64_t *port)
{
    char digits[8];
    if (**q != ':') return 0;
    size_t dn = strcspn(*q + 1, "/?#");
    if (dn == 0 || dn >= sizeof(digits)) return -EINVAL;
    memcpy(digits, *q + 1, dn);
    digits[dn] = 0;
    if (util_parse_count(digits, 1, 65535, port) < 0) return -EINVAL;
    *q += 1 + dn;
    return 0;
}

/* Returns 0, -EINVAL (syntax) or -EHOSTUNREACH (the name did not resolve). */
static int parse_url(struct lg_config *cfg, const char *url)
{
    const char *p = url, *host;
    size_t hostlen;
    if (strncmp(p, "http://", 7) != 0) return -EINVAL;
    p += 7;
    const char *q = url_host(p, &host, &hostlen);
    uint64_t port = 80;
    if (!q || url_port(&q, &port) < 0) return -EINVAL;
    if (*q && *q != '/' && *q != '?') return -EINVAL;
    if ((size_t)(q - p) >= sizeof(cfg->host_header)) return -EINVAL;
    snprintf(cfg->host_header, sizeof(cfg->host_header), "%.*s", (int)(q - p), p);
    int n = snprintf(cfg->target, sizeof(cfg->target), "%s%s", *q == '/' ? "" : "/", q);
    if (n < 0 || (size_t)n >= sizeof(cfg->target) || strpbrk(cfg->target, " \r\n#")) return -EINVAL;
    int rc = lg_addr_resolve(host, hostlen, (uint16_t)port, &cfg->addr, &cfg->addrlen);
    if (rc < 0) return rc;
    cfg->url = url;
    return 0;
}

static void defaults(struct lg_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->connections = DEF_CONNECTIONS;
    cfg->duration_ns = DEF_DURATION_NS;
    cfg->timeout_ns = DEF_TIMEOUT_NS;
    cfg->pipeline = 1;
    cfg->method = "GET";
    cfg->seed = 1;
    cfg->spin_ns = 20 * UTIL_NS_PER_US;
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0)
        for (int i = 0; i < CPU_SETSIZE && cfg->ncpus < 256; i++)
            if (CPU_ISSET(i, &set)) cfg->cpus[cfg->ncpus++] = i;
    if (cfg->ncpus == 0) cfg->cpus[cfg->ncpus++] = 0;
}

enum {
    O_WARMUP = 256,
    O_CRATE,
    O_TIMEOUT,
    O_SOURCE,
    O_PIPELINE,
    O_ARRIVAL,
    O_JSON,
    O_HGRM,
    O_SERIES,
    O_HLOG,
    O_METHOD,
    O_BODY,
    O_SEED,
    O_SPIN,
    O_IDLE
};

static const struct option long_opts[] = {
    {"connections", required_argument, NULL, 'c'},
    {"threads", required_argument, NULL, 't'},
    {"duration", required_argument, NULL, 'd'},
    {"rate", required_argument, NULL, 'R'},
    {"warmup", required_argument, NULL, O_WARMUP},
    {"connect-rate", required_argument, NULL, O_CRATE},
    {"timeout", required_argument, NULL, O_TIMEOUT},
    {"source", required_argument, NULL, O_SOURCE},
    {"pipeline", required_argument, NULL, O_PIPELINE},
    {"arrival", required_argument, NULL, O_ARRIVAL},
    {"json", required_argument, NULL, O_JSON},
    {"hgrm", required_argument, NULL, O_HGRM},
    {"series", required_argument, NULL, O_SERIES},
    {"hlog", required_argument, NULL, O_HLOG},
    {"method", required_argument, NULL, O_METHOD},
    {"body", required_argument, NULL, O_BODY},
    {"seed", required_argument, NULL, O_SEED},
    {"spin", required_argument, NULL, O_SPIN},
    {"idle", no_argument, NULL, O_IDLE},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static int u32_opt(const char *s, uint64_t min, uint64_t max, uint32_t *out)
{
    uint64_t v;
    int rc = util_parse_count(s, min, max, &v);
    if (rc == 0) *out = (uint32_t)v;
    return rc;
}

static int duration_opt(int opt, const char *arg, struct lg_config *cfg)
{
    switch (opt) {
    case 'd':
        return util_parse_duration_ns(arg, UTIL_NS_PER_S, UTIL_NS_PER_MS, 86400 * UTIL_NS_PER_S,
                                      &cfg->duration_ns);
    case O_WARMUP:
        return util_parse_duration_ns(arg, UTIL_NS_PER_S, 0, 3600 * UTIL_NS_PER_S, &cfg->warmup_ns);
    case O_TIMEOUT:
        return util_parse_duration_ns(arg, UTIL_NS_PER_S, UTIL_NS_PER_MS, 3600 * UTIL_NS_PER_S,
                                      &cfg->timeout_ns);
    default: /* O_SPIN */
        return util_parse_duration_ns(arg, UTIL_NS_PER_US, 0, UTIL_NS_PER_MS, &cfg->spin_ns);
    }
}

static int count_opt(int opt, const char *arg, struct lg_config *cfg)
{
    switch (opt) {
    case 'c':
        return u32_opt(arg, 1, 10000000, &cfg->connections);
    case 't':
        return u32_opt(arg, 1, 256, &cfg->threads);
    case 'R':
        return util_parse_count(arg, 0, 100000000, &cfg->rate_rps);
    case O_CRATE:
        return util_parse_count(arg, 0, 100000000, &cfg->connect_rate);
    case O_PIPELINE:
        return u32_opt(arg, 1, 1024, &cfg->pipeline);
    default: /* O_SEED */
        return util_parse_count(arg, 0, UINT64_MAX / 2, &cfg->seed);
    }
}

static int text_opt(int opt, const char *arg, struct lg_config *cfg)
{
    switch (opt) {
    case O_SOURCE:
        cfg->source_text = arg; /* parsed with the URL: it takes the target's family */
        return 0;
    case O_ARRIVAL:
        if (strcmp(arg, "constant") && strcmp(arg, "poisson")) return -EINVAL;
        cfg->arrival = strcmp(arg, "poisson") == 0 ? LG_ARRIVAL_POISSON : LG_ARRIVAL_CONSTANT;
        return 0;
    case O_METHOD:
        cfg->method = arg;
        return *arg && strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(arg) ? 0 : -EINVAL;
    case O_JSON:
        cfg->json_path = arg;
        return 0;
    case O_HGRM:
        cfg->hgrm_path = arg;
        return 0;
    case O_SERIES:
        cfg->series_path = arg;
        return 0;
    case O_HLOG:
        cfg->hlog_path = arg;
        return 0;
    case O_BODY:
        cfg->body = arg;
        return 0;
    default:
        return -EINVAL;
    }
}

/* One option; returns 0, or -EINVAL / -ERANGE for a bad value. */
static int apply(struct lg_config *cfg, int opt, const char *arg)
{
    switch (opt) {
    case 'd':
    case O_WARMUP:
    case O_TIMEOUT:
    case O_SPIN:
        return duration_opt(opt, arg, cfg);
    case 'c':
    case 't':
    case 'R':
    case O_CRATE:
    case O_PIPELINE:
    case O_SEED:
        return count_opt(opt, arg, cfg);
    case 'q':
        cfg->quiet = true;
        return 0;
    case O_IDLE:
        cfg->idle = true;
        return 0;
    default:
        return text_opt(opt, arg, cfg);
    }
}

static const char *opt_name(int opt)
{
    for (const struct option *o = long_opts; o->name; o++)
        if (o->val == opt) return o->name;
    return "?";
}

/* Returns 0 to run, 1 when --help/--version was answered, -EINVAL on a usage
 * error (message printed). */
int lg_opts_parse(int argc, char **argv, struct lg_config *cfg)
{
    defaults(cfg);
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":c:t:d:R:qhV", long_opts, NULL)) != -1) {
        if (opt == 'h') {
            lg_usage(stdout, argv[0]);
            return 1;
        }
        if (opt == 'V') {
            printf("c10k-load %s\n", LG_VERSION);
            return 1;
        }
        if (opt == '?' || opt == ':') {
            fprintf(stderr, "c10k-load: %s option '%s'\n",
                    opt == '?' ? "unknown" : "missing value for", argv[optind - 1]);
            return -EINVAL;
        }
        int rc = apply(cfg, opt, optarg);
        if (rc < 0) {
            fprintf(stderr, "c10k-load: bad value '%s' for --%s (%s)\n", optarg, opt_name(opt),
                    rc == -ERANGE ? "out of range" : "syntax");
            return -EINVAL;
        }
    }
    if (cfg->idle && cfg->rate_rps) {
        fprintf(stderr, "c10k-load: --idle holds connections silent: no --rate with it\n");
        return -EINVAL;
    }
    if (optind != argc - 1) {
        fprintf(stderr, "c10k-load: %s\n", optind >= argc ? "missing URL" : "more than one URL");
        return -EINVAL;
    }
    int rc = parse_url(cfg, argv[optind]);
    if (rc < 0) {
        fprintf(stderr,
                "c10k-load: %s '%s' (http://HOST[:PORT]/path, HOST an IPv4, [IPv6] or name)\n",
                rc == -EHOSTUNREACH ? "cannot resolve the host of" : "bad URL", argv[optind]);
        return -EINVAL;
    }
    rc =
        cfg->source_text ? lg_source_parse(cfg->source_text, cfg->addr.ss_family, &cfg->source) : 0;
    if (rc < 0) {
        fprintf(stderr, "c10k-load: bad value '%s' for --source (%s)\n", cfg->source_text,
                rc == -EADDRNOTAVAIL ? "not a local address of this machine"
                : rc == -ERANGE      ? "more than 2^32 addresses, or upside down"
                                     : "syntax, or not the target's address family");
        return -EINVAL;
    }
    if (cfg->threads == 0) cfg->threads = (uint32_t)cfg->ncpus;
    if (cfg->threads > cfg->connections) cfg->threads = cfg->connections;
    return 0;
}
