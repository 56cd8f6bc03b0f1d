/* hn run: `c10k run`: one model at one point (connections, rate, path), K
 * trials, into a results folder of the same layout as a sweep.
 *   try: build/harness/c10k run --model epoll --connections 100 --duration 2s */
#include "cmd.h"
#include "config.h"
#include "sweep.h"
#include "results/res.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <util.h>

static void usage(FILE *f)
{
    fprintf(f,
        "usage: c10k run --model M --connections N [options]\n"
        "  --model M              the server model (see c10k models)\n"
        "  -c, --connections N    simultaneous connections, e.g. 10k\n"
        "  --rate R               requests/s, 0 = closed loop (default 0)\n"
        "  --path P               request path (default /: scenario max; else custom)\n"
        "  --scenario S           idle (connections answered once, then silent) or\n"
        "                         NAME=PATH[@RATE] (default max=/)\n"
        "  --duration D           measured time per trial (default 10s)\n"
        "  --warmup D             warm-up before it (default 2s)\n"
        "  --idle-duration D      window of an idle-scenario trial, no warm-up (default 500ms)\n"
        "  --timeout D            c10k-load per-request timeout (default 10s)\n"
        "  --ready-timeout D      wait for the server's ready line (default 10s)\n"
        "  --trials K             trials (default 1)\n"
        "  --server-cpus L        server CPUs (default 0)\n"
        "  --load-cpus L          c10k-load CPUs (default 1 with >= 2 CPUs, else 0)\n"
        "  --load-threads N       c10k-load threads (default 1)\n"
        "  --connect-rate N       new connections/s, 0 = unlimited (default 0)\n"
        "  --server-host H        where the server runs: local or ssh://[user@]addr[:port]\n"
        "                         (default local; ssh config: $C10K_SSH_CONFIG, docs/hosts.md)\n"
        "  --load-hosts H1[,H2]   where c10k-load runs, one per host (default local)\n"
        "  --out DIR              results folder (default results/<UTC time>-run-<model>)\n"
        "exit: 0 measured (ok or flagged), 1 broken/unavailable/failure, 2 usage, 130 interrupted\n");
}

static const struct option longopts[] = {
    HN_COMMON_LONGOPTS,
    {"model", required_argument, NULL, HN_OPT_MODEL},
    {"connections", required_argument, NULL, 'c'},
    {"rate", required_argument, NULL, HN_OPT_RATE},
    {"path", required_argument, NULL, HN_OPT_PATH},
    {"scenario", required_argument, NULL, HN_OPT_SCENARIO},
    {NULL, 0, NULL, 0},
};

static int run_opt(int opt, const char *arg, struct hn_config *c)
{
    int rc = hn_opt_common(opt, arg, c);
    if (rc != 0)
        return rc;
    switch (opt) {
    case HN_OPT_MODEL:
        return hn_parse_models(arg, c) < 0 || c->n_models != 1 ? -EINVAL : 1;
    case 'c':
        c->n_conns = 1;
        return util_parse_count(arg, 1, 1000000, &c->conns[0]) < 0 ? -EINVAL : 1;
    case HN_OPT_RATE:
        c->n_rates = 1;
        return util_parse_count(arg, 0, 100000000, &c->rates[0]) < 0 ? -EINVAL : 1;
    case HN_OPT_PATH:
        if (arg[0] != '/' || strlen(arg) >= sizeof c->sc[0].path)
            return -EINVAL;
        snprintf(c->sc[0].name, sizeof c->sc[0].name, "custom");
        snprintf(c->sc[0].path, sizeof c->sc[0].path, "%s", arg);
        c->n_sc = 1;
        return 1;
    case HN_OPT_SCENARIO:
        c->n_sc = 1;
        return hn_parse_scenario(arg, &c->sc[0]) < 0 ? -EINVAL : 1;
    default:
        return -EINVAL;
    }
}

static int run_parse(int argc, char **argv, struct hn_config *c)
{
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
        if (opt == HN_OPT_HELP) {
            usage(stdout);
            return 1;
        }
        if (opt == '?' || run_opt(opt, optarg, c) < 0) {
            if (opt != '?')
                fprintf(stderr, "c10k run: bad value for --%s: '%s'\n",
                        hn_opt_name(longopts, opt), optarg);
            usage(stderr);
            return -EINVAL;
        }
    }
    if (optind < argc || !c->n_models || !c->n_conns) {
        fprintf(stderr, "c10k run: %s\n", optind < argc ? "unexpected argument"
                                          : !c->n_models ? "--model is required"
                                                         : "--connections is required");
        usage(stderr);
        return -EINVAL;
    }
    return 0;
}

int cmd_run(int argc, char **argv)
{
    struct hn_config c;
    char name[64];
    json_t *cmd;
    int rc;
    hn_config_defaults(&c);
    c.trials = 1;
    rc = run_parse(argc, argv, &c);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    if (!c.n_rates)
        c.n_rates = 1, c.rates[0] = 0;
    if (!c.n_sc)
        hn_parse_scenario("max=/", &c.sc[c.n_sc++]);
    snprintf(name, sizeof name, "run-%s", c.models[0]);
    if (!c.out[0])
        hn_default_out(&c, name);
    cmd = hn_command_json(argc, argv);
    rc = hn_sweep_execute(&c, cmd, false, "run");
    json_decref(cmd);
    if (rc != 0)
        return rc;
    /* the status of the one point decides the exit code */
    {
        struct res_run run;
        char err[4608];
        rc = 1;
        if (res_run_load(&run, c.out, RES_NEED_MANIFEST | RES_LENIENT, err, sizeof err) == 0) {
            const char *st = run.n ? run.pts[0].status : NULL;
            rc = res_status_is(st, "ok") || res_status_is(st, "flagged") ? 0 : 1;
            res_run_free(&run);
        }
    }
    return rc;
}
