/* plot/spectrum: the latency percentile spectrum, HdrHistogram style, of
 * every model at the largest connection count all of them served, from the
 * .hgrm file of trial 0 (or the first valid trial). Try: c10k plot DIR */
#include "plot.h"

#include "config.h"

#include <errno.h>
#include <string.h>

static bool served(const struct res_point *p)
{
    return pl_drawable(p) && strcmp(p->status, "broken");
}

/* Largest count at which every model that served something in sc served. */
static long long common_largest(const struct pl_set *s, const char *sc)
{
    long long conns[256];
    size_t nc = pl_conns(s, conns, 256);
    for (size_t i = nc; i-- > 0;) {
        bool all = true, any = false;
        for (size_t m = 0; m < s->n_models; m++) {
            bool has_any = false;
            for (size_t k = 0; k < nc; k++)
                has_any |= served(pl_find(s, s->models[m], sc, conns[k]));
            if (!has_any) continue;
            any = true;
            all &= served(pl_find(s, s->models[m], sc, conns[i]));
        }
        if (any && all) return conns[i];
    }
    return 0;
}

/* Copies the value and 1/(1-p) columns of an .hgrm; returns rows or -errno. */
static int hgrm_copy(const char *path, FILE *out)
{
    FILE *in = fopen(path, "r");
    char line[512];
    int rows = 0;
    if (!in) return -errno;
    while (fgets(line, sizeof line, in)) {
        double v, p, inv;
        long long count;
        if (sscanf(line, "%lf %lf %lld %lf", &v, &p, &count, &inv) != 4) continue;
        fprintf(out, "%.6g %.6g %.9g\n", v, inv, p);
        rows++;
    }
    fclose(in);
    return rows;
}

static int one_model(const struct pl_set *s, const struct res_point *p, const char *out_dir,
                     const char *stem)
{
    const json_t *t = pl_trial(p);
    const char *file = json_string_value(json_object_get(json_object_get(t, "files"), "hgrm"));
    char path[4096];
    if (!file) return 0;
    snprintf(path, sizeof path, "%s/%s", s->dir, file);
    FILE *out = pl_dat_open(out_dir, stem, p->model);
    if (!out) return -errno;
    int rows = hgrm_copy(path, out);
    if (fclose(out) && rows >= 0) rows = -errno;
    return rows == -ENOENT ? 0 : rows;
}

static int one_scenario(const struct pl_set *s, const char *sc, const char *out_dir,
                        struct pl_charts *cs)
{
    char stem[128], note[256];
    snprintf(stem, sizeof stem, "spectrum-%s", sc);
    struct pl_chart *c = pl_chart_add(cs, stem, "spectrum");
    if (!c) return -E2BIG;
    long long L = common_largest(s, sc);
    if (!L)
        pl_note_add(c->note, sizeof c->note,
                    "no connection count that every model served in this scenario");
    for (size_t m = 0; L && m < s->n_models; m++) {
        const struct res_point *p = pl_find(s, s->models[m], sc, L);
        int rows = served(p) ? one_model(s, p, out_dir, stem) : 0;
        if (rows < 0) return rows;
        if (rows > 0) {
            pl_words_add(c->models, sizeof c->models, s->models[m]);
            continue;
        }
        snprintf(note, sizeof note, "%s at %lld", !served(p) ? pl_status(p) : "no histogram", L);
        pl_omit_add(c, s->models[m], note, p && !served(p) ? p->reason : NULL);
    }
    c->logy = true;
    snprintf(c->title, sizeof c->title,
             "Latency by percentile at %lld connections (scenario %s, trial 0)", L, sc);
    snprintf(c->caption, sizeof c->caption,
             "The whole latency distribution of each model at %lld connections, the largest "
             "count all of them served: read a percentile on the x axis (log of 1/(1-p)) and "
             "its latency on the y axis; a curve that shoots up on the right is a long tail.",
             L);
    return 0;
}

int pl_dat_spectrum(const struct pl_set *s, const char *out_dir, struct pl_charts *cs)
{
    for (size_t k = 0; k < s->n_scenarios; k++) {
        if (!strcmp(s->scenarios[k], HN_SCENARIO_IDLE)) continue; /* no requests, no latency */
        int rc = one_scenario(s, s->scenarios[k], out_dir, cs);
        if (rc) return rc;
    }
    return 0;
}
