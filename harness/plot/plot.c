/* plot: `c10k plot DIR`, the charts of a results folder: .dat files, gnuplot
 * drivers, PNG and SVG in DIR/plots/, and DIR/plots/index.json for the report.
 * Try: c10k plot tests/data/results-small --format png */
#include "cmd.h"
#include "plot.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct pl_config {
    const char *dir;
    struct pl_formats formats;
    bool quiet;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: c10k plot DIR [options]\n"
            "  --format LIST   png, svg or png,svg (default png,svg)\n"
            "  --quiet         print nothing on success (default off)\n"
            "  --help          this text\n"
            "Writes DIR/plots/*.dat, *.gp, *.png, *.svg and index.json from DIR/manifest.json.\n"
            "gnuplot comes from PATH; its scripts from $C10K_PLOTS_DIR (default %s).\n"
            "exit: 0 drawn, 1 gnuplot missing or failed, 2 usage or bad results folder\n",
            PL_PLOTS_DIR);
}

static int parse_formats(const char *s, struct pl_formats *f)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    *f = (struct pl_formats){false, false};
    char *rest = buf;
    for (char *w; (w = strsep(&rest, ",")) != NULL;) {
        if (!strcmp(w, "png"))
            f->png = true;
        else if (!strcmp(w, "svg"))
            f->svg = true;
        else
            return -EINVAL;
    }
    return 0;
}

static int parse_args(int argc, char **argv, struct pl_config *cfg)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    *cfg = (struct pl_config){NULL, {true, true}, false};
    optind = 1;
    for (int c; (c = getopt_long(argc, argv, "f:qh", opts, NULL)) != -1;) {
        switch (c) {
        case 'h':
            return 1;
        case 'q':
            cfg->quiet = true;
            break;
        case 'f':
            if (parse_formats(optarg, &cfg->formats) == 0) break;
            fprintf(stderr, "c10k plot: --format: png, svg or png,svg (got '%s')\n", optarg);
            return -EINVAL;
        default:
            return -EINVAL; /* getopt said which */
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "c10k plot: one results folder expected\n");
        return -EINVAL;
    }
    cfg->dir = argv[optind];
    return 0;
}

static int build_charts(const struct pl_set *s, const char *out, struct pl_charts *cs)
{
    int rc = pl_dat_summary(s, out, cs);
    if (!rc) rc = pl_dat_per_scenario(s, "throughput", out, cs);
    if (!rc) rc = pl_dat_per_scenario(s, "latency", out, cs);
    if (!rc) rc = pl_dat_held(s, out, cs);
    if (!rc) rc = pl_dat_spectrum(s, out, cs);
    if (!rc) rc = pl_dat_memory(s, out, cs);
    if (!rc) rc = pl_dat_mem_per_conn(s, out, cs);
    if (!rc) rc = pl_dat_mem_books(s, out, cs);
    if (!rc) rc = pl_dat_per_scenario(s, "cpu-per-req", out, cs);
    if (!rc) rc = pl_dat_per_scenario(s, "ctxsw-per-req", out, cs);
    if (!rc) rc = pl_dat_timeline(s, out, cs);
    if (!rc) rc = pl_dat_waits(s, out, cs);
    return rc;
}

/* The two panels (C models, Python models) of charts whose data writer did not
 * set them: models_c and models_py from the chart's models. */
static void groups_extra(struct pl_chart *c)
{
    char g[2][PL_MAX_NAMES * PL_NAME_CAP / 2] = {"", ""}, words[sizeof c->models];
    if (strstr(c->extra, "models_c")) return;
    snprintf(words, sizeof words, "%s", c->models);
    char *rest = words;
    for (char *w; (w = strsep(&rest, " ")) != NULL;)
        if (*w) pl_words_add(g[pl_group(w)], sizeof g[0], w);
    size_t len = strlen(c->extra);
    snprintf(c->extra + len, sizeof c->extra - len, "%smodels_c = '%s'\nmodels_py = '%s'",
             len ? "\n" : "", g[0], g[1]);
}

/* Charts that draw their marks as shapes (memory, held) give the reasons in
 * the note: "N conns, model: status (why)" from <id>.marks.dat. */
static void marks_note(const char *out, struct pl_chart *c)
{
    char path[4400], line[1024], label[600];
    long long x;
    int k = 0;
    if (strcmp(c->script, "memory") && strcmp(c->script, "held")) return;
    snprintf(path, sizeof path, "%s/%s.marks.dat", out, c->id);
    FILE *f = fopen(path, "r");
    if (!f) return;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%lld %*s \"%599[^\"]\"", &x, label) == 2 && k++ < 6) {
            char note[700];
            snprintf(note, sizeof note, "%lld conns, %s", x, label);
            pl_note_add(c->note, sizeof c->note, note);
        }
    fclose(f);
}

static int draw_all(const struct pl_config *cfg, const struct pl_set *s, const char *gnuplot)
{
    char out[4096];
    const char *plots_dir = getenv("C10K_PLOTS_DIR");
    if (!plots_dir || !*plots_dir) plots_dir = PL_PLOTS_DIR;
    snprintf(out, sizeof out, "%s/plots", cfg->dir);
    if (mkdir(out, 0755) && errno != EEXIST) {
        fprintf(stderr, "c10k plot: %s: %s\n", out, strerror(errno));
        return 1;
    }
    char old[4200]; /* a failed run leaves no stale index or log behind */
    for (int i = 0; i < 2; i++) {
        snprintf(old, sizeof old, "%s/%s", out, i ? "index.json" : "gnuplot.log");
        if (unlink(old) && errno != ENOENT)
            fprintf(stderr, "c10k plot: %s: %s\n", old, strerror(errno));
    }
    struct pl_charts cs = {calloc(8 * s->n_scenarios + 8, sizeof(struct pl_chart)), 0,
                           8 * s->n_scenarios + 8};
    int rc = cs.c ? build_charts(s, out, &cs) : -ENOMEM;
    if (rc) fprintf(stderr, "c10k plot: writing the data in %s: %s\n", out, strerror(-rc));
    long long conns[64];
    size_t nc = pl_conns(s, conns, 64);
    for (size_t i = 0; !rc && i < cs.n; i++) {
        marks_note(out, &cs.c[i]);
        pl_omit_finish(&cs.c[i]);
        groups_extra(&cs.c[i]);
        for (size_t m = 0; m < s->n_models; m++)
            pl_words_add(cs.c[i].all_models, sizeof cs.c[i].all_models, s->models[m]);
        for (size_t k = 0; k < nc; k++) {
            size_t len = strlen(cs.c[i].conns);
            snprintf(cs.c[i].conns + len, sizeof cs.c[i].conns - len, "%s%lld", k ? " " : "",
                     conns[k]);
        }
        rc = pl_gnuplot_run(gnuplot, out, plots_dir, &cs.c[i], &cfg->formats);
        if (rc)
            fprintf(stderr, "c10k plot: gnuplot failed on %s/%s.gp (see %s/gnuplot.log)\n", out,
                    cs.c[i].id, out);
    }
    if (!rc && (rc = pl_index_write(out, cs.c, cs.n, &cfg->formats)))
        fprintf(stderr, "c10k plot: %s/index.json: %s\n", out, strerror(-rc));
    if (!rc && !cfg->quiet) printf("c10k plot: %zu charts in %s (index.json)\n", cs.n, out);
    free(cs.c);
    return rc ? 1 : 0;
}

int cmd_plot(int argc, char **argv)
{
    struct pl_config cfg;
    struct pl_set set;
    char err[4608], gnuplot[4096];
    int rc = parse_args(argc, argv, &cfg);
    if (rc) {
        usage(rc > 0 ? stdout : stderr);
        return rc > 0 ? 0 : 2;
    }
    rc = pl_set_load(&set, cfg.dir, err, sizeof err);
    if (rc) {
        fprintf(stderr, "c10k plot: %s\n", rc == -ENOMEM ? strerror(ENOMEM) : err);
        return 2;
    }
    if (pl_gnuplot_find(gnuplot, sizeof gnuplot)) {
        fprintf(stderr, "c10k plot: gnuplot not found on PATH (install the gnuplot package)\n");
        pl_set_free(&set);
        return 1;
    }
    rc = draw_all(&cfg, &set, gnuplot);
    pl_set_free(&set);
    return rc;
}
