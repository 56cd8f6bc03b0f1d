/* hn sweep_cmd: `c10k sweep`: its options (or --resume DIR with the config of
 * the manifest), then the point loop of sweep.c.
 *   try: build/harness/c10k sweep --models threads,epoll --connections 100,1k --duration 2s */
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
        "usage: c10k sweep [options]\n"
        "  --models LIST|all      models to measure (default all; see c10k models)\n"
        "  --connections LIST     connection counts, e.g. 100,1k,10k (default 100,1000,10000)\n"
        "  --rates LIST           request rates/s, 0 = closed loop (default 0)\n"
        "  --scenario NAME=PATH[@RATE]  repeatable (default max=/); @RATE fixes its rate\n"
        "  --duration D           measured time per trial (default 10s)\n"
        "  --warmup D             warm-up before it (default 2s)\n"
        "  --idle-duration D      window of an idle-scenario trial, no warm-up (default 500ms)\n"
        "  --timeout D            c10k-load per-request timeout (default 10s)\n"
        "  --ready-timeout D      wait for the server's ready line (default 10s)\n"
        "  --trials K             trials per point, interleaved across models (default 3)\n"
        "  --max-trials K         a point whose throughput varies by more than 5%% (CV)\n"
        "                         gets more trials, up to K (default 2 x --trials)\n"
        "  --server-cpus L        server CPUs (default 0)\n"
        "  --load-cpus L          c10k-load CPUs (default 1 with >= 2 CPUs, else 0)\n"
        "  --load-threads N       c10k-load threads (default 1)\n"
        "  --connect-rate N       new connections/s, 0 = unlimited (default 0)\n"
        "  --server-host H        where the server runs: local or ssh://[user@]addr[:port]\n"
        "                         (default local; ssh config: $C10K_SSH_CONFIG, docs/hosts.md)\n"
        "  --load-hosts H1[,H2]   where c10k-load runs, one per host (default local)\n"
        "  --out DIR              results folder (default results/<UTC time>-sweep)\n"
        "  --resume DIR           measure the points DIR still misses, with its config\n"
        "exit: 0 complete, 1 failure, 2 usage, 130 interrupted (resume it)\n");
}

static const struct option longopts[] = {
    HN_COMMON_LONGOPTS,
    {"models", required_argument, NULL, HN_OPT_MODELS},
    {"connections", required_argument, NULL, HN_OPT_CONNECTIONS},
    {"rates", required_argument, NULL, HN_OPT_RATES},
    {"scenario", required_argument, NULL, HN_OPT_SCENARIO},
    {"resume", required_argument, NULL, HN_OPT_RESUME},
    {"max-trials", required_argument, NULL, 'X'},
    {NULL, 0, NULL, 0},
};

static int sweep_opt(int opt, const char *arg, struct hn_config *c, const char **resume)
{
    int rc = hn_opt_common(opt, arg, c);
    if (rc != 0)
        return rc;
    switch (opt) {
    case HN_OPT_MODELS:
        return hn_parse_models(arg, c) < 0 ? -EINVAL : 1;
    case HN_OPT_CONNECTIONS:
        return hn_parse_counts(arg, 1, 1000000, c->conns, HN_MAX_LIST, &c->n_conns) < 0 ? -EINVAL : 1;
    case HN_OPT_RATES:
        return hn_parse_counts(arg, 0, 100000000, c->rates, HN_MAX_LIST, &c->n_rates) < 0 ? -EINVAL : 1;
    case HN_OPT_SCENARIO:
        if (c->n_sc == HN_MAX_LIST || hn_parse_scenario(arg, &c->sc[c->n_sc]) < 0)
            return -EINVAL;
        c->n_sc++;
        return 1;
    case HN_OPT_RESUME:
        *resume = arg;
        return 1;
    case 'X': {
        uint64_t v;
        if (util_parse_count(arg, 1, 1000, &v) < 0)
            return -EINVAL;
        c->max_trials = (unsigned)v;
        return 1;
    }
    default:
        return -EINVAL;
    }
}

static void fill_defaults(struct hn_config *c)
{
    if (!c->n_models)
        hn_parse_models("all", c);
    if (!c->n_conns) {
        c->conns[0] = 100, c->conns[1] = 1000, c->conns[2] = 10000;
        c->n_conns = 3;
    }
    if (!c->n_rates)
        c->n_rates = 1, c->rates[0] = 0;
    if (!c->n_sc)
        hn_parse_scenario("max=/", &c->sc[c->n_sc++]);
    if (!c->out[0])
        hn_default_out(c, "sweep");
    if (!c->max_trials)
        c->max_trials = 2 * c->trials;
    if (c->max_trials < c->trials)
        c->max_trials = c->trials;
}

static int load_resume(struct hn_config *c, const char *dir)
{
    struct res_run run;
    char err[4608];
    int rc;
    if (res_run_load(&run, dir, RES_NEED_MANIFEST | RES_LENIENT, err, sizeof err) < 0) {
        fprintf(stderr, "c10k sweep: --resume %s: no readable manifest.json (%s)\n", dir, err);
        return -ENOENT;
    }
    snprintf(c->out, sizeof c->out, "%s", dir);
    rc = hn_config_from_json(c, run.config);
    res_run_free(&run);
    if (rc < 0)
        fprintf(stderr, "c10k sweep: --resume %s: the manifest's config is unreadable\n", dir);
    return rc;
}

const char *hn_opt_name(const struct option *o, int val)
{
    for (; o->name; o++)
        if (o->val == val)
            return o->name;
    return "?";
}

json_t *hn_command_json(int argc, char **argv)
{
    json_t *a = json_pack("[s]", "c10k");
    int i;
    for (i = 0; i < argc; i++)
        json_array_append_new(a, json_string(argv[i]));
    return a;
}

int cmd_sweep(int argc, char **argv)
{
    struct hn_config c;
    const char *resume = NULL;
    json_t *cmd;
    int opt, rc;
    hn_config_defaults(&c);
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == HN_OPT_HELP) {
            usage(stdout);
            return 0;
        }
        if (opt == '?' || sweep_opt(opt, optarg, &c, &resume) < 0) {
            if (opt != '?')
                fprintf(stderr, "c10k sweep: bad value for --%s: '%s'\n",
                        hn_opt_name(longopts, opt), optarg);
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "c10k sweep: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    if (resume && load_resume(&c, resume) < 0)
        return 2;
    fill_defaults(&c);
    cmd = hn_command_json(argc, argv);
    rc = hn_sweep_execute(&c, cmd, resume != NULL, "sweep");
    json_decref(cmd);
    return rc;
}
