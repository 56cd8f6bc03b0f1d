/* compare: `c10k compare [BASE] NEW`: per point and metric, did NEW get slower,
 * its tail longer or its memory larger than BASE, beyond noise; and --assert
 * thresholds on NEW. Try: c10k compare --format md results/base results/new */
#include "cmd.h"
#include "cmp.h"

#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int cmp_run_load(struct res_run *run, const char *dir)
{
    char err[4608];
    int rc = res_run_load(run, dir, 0, err, sizeof err);
    if (rc < 0) fprintf(stderr, "c10k compare: %s\n", err);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: c10k compare [options] BASE NEW     compare two results folders\n"
            "       c10k compare --assert EXPR [...] NEW  check thresholds on one folder\n"
            "  -f, --format FMT        text | md | json (default: text)\n"
            "  -a, --alpha P           significance level after Holm (default: 0.05)\n"
            "  -t, --threshold M=PCT   change that counts, per compared metric (defaults:\n"
            "                          the threshold column of --list-metrics)\n"
            "      --mem-floor SIZE    memory must also grow by this much on the whole server\n"
            "                          (mem_per_conn x connections; default: 1MiB)\n"
            "      --include-flagged   test flagged (invalid) trials too (default: valid only)\n"
            "  -A, --assert EXPR       [SCOPE:][median|min|max(]METRIC[)] OP VALUE on NEW, e.g.\n"
            "                          'p99<5ms' 'errors==0' 'epoll:throughput>100k'\n"
            "                          'mem_per_conn<64KiB' (default aggregate: median over all\n"
            "                          trials, max for errors); repeatable, up to %d\n"
            "      --list-metrics      the metric table: name, unit, better, threshold, aliases\n"
            "  -h, --help              this help\n"
            "exit: 0 no regression and every assertion held, 1 regression or failed assertion,\n"
            "      2 usage or input error, or nothing comparable\n",
            CMP_MAX_ASSERTS);
}

static int bad_arg(const char *what, const char *arg)
{
    fprintf(stderr, "c10k compare: bad %s '%s'\n", what, arg);
    usage(stderr);
    return -EINVAL;
}

static int parse_threshold(struct cmp_config *cfg, const char *arg)
{
    char name[64];
    const char *eq = strchr(arg, '=');
    if (!eq || (size_t)(eq - arg) >= sizeof name) return bad_arg("--threshold (METRIC=PCT)", arg);
    memcpy(name, arg, (size_t)(eq - arg));
    name[eq - arg] = '\0';
    int m = cmp_metric_index(name);
    char *end;
    double pct = strtod(eq + 1, &end);
    if (m < 0 || end == eq + 1 || (*end && strcmp(end, "%") != 0) || !(pct >= 0 && pct < 1000))
        return bad_arg("--threshold (a compared metric of --list-metrics =PCT)", arg);
    cfg->threshold_pct[m] = pct;
    return 0;
}

static int parse_format(struct cmp_config *cfg, const char *arg)
{
    static const char *const names[] = {"text", "md", "json"};
    for (int i = 0; i < 3; i++)
        if (strcmp(arg, names[i]) == 0) {
            cfg->format = (enum cmp_format)i;
            return 0;
        }
    return bad_arg("--format (text|md|json)", arg);
}

static int parse_opt(struct cmp_config *cfg, int c, const char *arg)
{
    char *end;
    switch (c) {
    case 'f':
        return parse_format(cfg, arg);
    case 't':
        return parse_threshold(cfg, arg);
    case 'a':
        cfg->alpha = strtod(arg, &end);
        return *end || !(cfg->alpha > 0 && cfg->alpha <= 0.5) ? bad_arg("--alpha (0..0.5]", arg)
                                                              : 0;
    case 'm':
        return util_parse_size(arg, 0, UINT64_MAX / 2, &cfg->mem_floor_bytes) < 0
                   ? bad_arg("--mem-floor", arg)
                   : 0;
    case 'F':
        cfg->include_flagged = true;
        return 0;
    case 'A':
        if (cfg->nasserts == CMP_MAX_ASSERTS) return bad_arg("--assert (too many)", arg);
        cfg->asserts[cfg->nasserts++] = arg;
        return 0;
    case 'h':
        usage(stdout);
        return 1;
    case 'L':
        cmp_metrics_list(stdout);
        return 1;
    default:
        usage(stderr);
        return -EINVAL;
    }
}

/* Fills cfg; returns 0, 1 after --help, or -EINVAL. */
static int parse_args(struct cmp_config *cfg, int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"alpha", required_argument, NULL, 'a'},
        {"threshold", required_argument, NULL, 't'},
        {"mem-floor", required_argument, NULL, 'm'},
        {"include-flagged", no_argument, NULL, 'F'},
        {"assert", required_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'h'},
        {"list-metrics", no_argument, NULL, 'L'},
        {NULL, 0, NULL, 0},
    };
    *cfg = (struct cmp_config){.alpha = 0.05, .conf = 0.95, .mem_floor_bytes = 1 << 20};
    for (int i = 0; i < RES_M_COUNT; i++)
        cfg->threshold_pct[i] = res_metrics[i].threshold_pct;
    optind = 0; /* glibc: a full rescan, whatever parsed argv before */
    int c, rc;
    while ((c = getopt_long(argc, argv, "f:a:t:A:h", opts, NULL)) != -1)
        if ((rc = parse_opt(cfg, c, optarg)) != 0) return rc;
    int npos = argc - optind;
    if (npos == 2) {
        cfg->base_dir = argv[optind];
        cfg->new_dir = argv[optind + 1];
    } else if (npos == 1 && cfg->nasserts > 0) {
        cfg->new_dir = argv[optind];
    } else {
        fprintf(stderr, "c10k compare: expected BASE NEW, or --assert EXPR and NEW\n");
        usage(stderr);
        return -EINVAL;
    }
    return 0;
}

static int exit_code(const struct cmp_table *t, const struct cmp_checks *cs, bool with_base)
{
    if (with_base && t->npoints == 0 && t->nbroke == 0) {
        fprintf(stderr, "c10k compare: no point measured in both BASE and NEW\n");
        return 2;
    }
    if (with_base && (t->regressed || t->nbroke)) return 1;
    return cs->failed || cs->unmatched ? 1 : 0;
}

static int render(const struct cmp_report *r)
{
    int rc = r->cfg->format == CMP_FMT_JSON
                 ? cmp_render_json(stdout, r)
                 : cmp_render_text(stdout, r, r->cfg->format == CMP_FMT_MD);
    return fflush(stdout) == 0 ? rc : -EIO;
}

static int run(const struct cmp_config *cfg, struct res_run *base, struct res_run *nw,
               struct cmp_table *t, struct cmp_checks *cs)
{
    for (size_t i = 0; i < cfg->nasserts; i++)
        if (cmp_assert_parse(&cs->as[cs->nas++], cfg->asserts[i]) < 0) return 2;
    if (cmp_run_load(nw, cfg->new_dir) < 0) return 2;
    if (cfg->base_dir &&
        (cmp_run_load(base, cfg->base_dir) < 0 || cmp_table_build(t, base, nw, cfg) < 0))
        return 2;
    if (cmp_checks_run(cs, nw) < 0) return 2;
    struct cmp_report r = {
        cfg, cfg->base_dir ? base : NULL, nw, cfg->base_dir ? t : NULL, cfg->nasserts ? cs : NULL,
        0};
    r.exit_code = exit_code(t, cs, cfg->base_dir != NULL);
    if (render(&r) < 0) {
        fprintf(stderr, "c10k compare: writing the output: %s\n", strerror(EIO));
        return 2;
    }
    return r.exit_code;
}

int cmd_compare(int argc, char **argv)
{
    struct cmp_config cfg;
    struct res_run base = {0}, nw = {0};
    struct cmp_table t = {0};
    struct cmp_checks cs = {0};
    int rc = parse_args(&cfg, argc, argv);
    if (rc != 0) return rc > 0 ? 0 : 2;
    rc = run(&cfg, &base, &nw, &t, &cs);
    cmp_checks_free(&cs);
    cmp_table_free(&t);
    res_run_free(&base);
    res_run_free(&nw);
    return rc;
}
