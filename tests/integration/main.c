/* c10k-it: runs one integration case (--case NAME) against a server binary.
 * Try: c10k-it --list ; c10k-it --case get build/models/epoll/c10k-server-epoll */
#include "cases.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

struct case_def {
    const char *name;
    int (*run)(struct case_ctx *x);
    bool needs_server;
    unsigned nofile; /* RLIMIT_NOFILE for the server, 0 = inherited */
};

static const struct case_def case_defs[] = {
    {"get", case_get, true, 0},
    {"size", case_size, true, 0},
    {"echo-small", case_echo_small, true, 0},
    {"echo-large", case_echo_large, true, 0},
    {"404", case_404, true, 0},
    {"501", case_501, true, 0},
    {"400-kept", case_400_kept, true, 0},
    {"400-close", case_400_close, true, 0},
    {"431", case_431, true, 0},
    {"pipeline", case_pipeline, true, 0},
    {"keepalive", case_keepalive, true, 0},
    {"close", case_close, true, 0},
    {"http10", case_http10, true, 0},
    {"http10-keepalive", case_http10_keepalive, true, 0},
    {"delay", case_delay, true, 0},
    {"delay-pipeline", case_delay_pipeline, true, 0},
    {"bad-isolated", case_bad_isolated, true, 0},
    {"help", case_help, false, 0},
    {"badflag", case_badflag, false, 0},
    {"sigterm", case_sigterm, true, 0},
    {"stats", case_stats, true, 0},
    {"emfile", case_emfile, true, CASE_EMFILE_NOFILE},
};

#define CASE_COUNT (sizeof(case_defs) / sizeof(case_defs[0]))

#define MAIN_MAX_SERVER_ARGS 8

static void usage(FILE *f)
{
    fprintf(f, "usage: c10k-it --case NAME [--solo-delay] [--server-arg ARG]... SERVER\n"
               "  --case NAME     the behaviour to check (required; --list shows them)\n"
               "  --server-arg ARG  pass ARG to the server after --port 0 (repeatable, up to 8;\n"
               "                  default none)\n"
               "  --solo-delay    do not require other connections served during delay_us\n"
               "                  (default: required)\n"
               "  --expect-reject emfile: the server must refuse connections it cannot take\n"
               "                  (default: it may also queue them)\n"
               "  --list          print the case names\n"
               "  -h, --help      this text\n"
               "Exit 0 pass, 1 fail, 2 usage, 77 skip (the server exited 77 before ready).\n");
}

static const struct case_def *case_find(const char *name)
{
    for (size_t i = 0; i < CASE_COUNT; i++)
        if (strcmp(case_defs[i].name, name) == 0) return &case_defs[i];
    return NULL;
}

static int run_case(const struct case_def *d, struct case_ctx *x)
{
    if (d->needs_server) {
        x->srv.nofile = d->nofile;
        int rc = itc_server_start(&x->srv, x->path, x->server_args);
        if (rc != 0) return rc == ITC_SKIP ? ITC_SKIP : 1;
    }
    int rc = d->run(x);
    itc_server_kill(&x->srv);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"case", required_argument, NULL, 'c'},
        {"solo-delay", no_argument, NULL, 's'},
        {"expect-reject", no_argument, NULL, 'r'},
        {"list", no_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {"server-arg", required_argument, NULL, 'a'},
        {NULL, 0, NULL, 0},
    };
    static const char *server_args[MAIN_MAX_SERVER_ARGS + 1];
    size_t nargs = 0;
    struct case_ctx x = {.srv = {.out_fd = -1}, .server_args = server_args};
    const struct case_def *d = NULL;
    int key;
    while ((key = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (key) {
        case 'c':
            if (!(d = case_find(optarg))) {
                fprintf(stderr, "c10k-it: unknown case '%s'\n", optarg);
                usage(stderr);
                return 2;
            }
            break;
        case 's':
            x.solo_delay = true;
            break;
        case 'r':
            x.expect_reject = true;
            break;
        case 'a':
            if (nargs == MAIN_MAX_SERVER_ARGS) {
                fprintf(stderr, "c10k-it: more than %d --server-arg\n", MAIN_MAX_SERVER_ARGS);
                usage(stderr);
                return 2;
            }
            server_args[nargs++] = optarg;
            break;
        case 'l':
            for (size_t i = 0; i < CASE_COUNT; i++)
                printf("%s\n", case_defs[i].name);
            return 0;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!d || optind + 1 != argc) {
        fprintf(stderr, "c10k-it: need --case NAME and one SERVER\n");
        usage(stderr);
        return 2;
    }
    x.path = argv[optind];
    prctl(PR_SET_CHILD_SUBREAPER, 1); /* the server's orphans come back to us */
    return run_case(d, &x);
}
