/* plot/summary: the one-page answer that opens the report: for every model,
 * memory per connection and throughput at the largest connection count it
 * served in the first scenario (closed loop in the default run), C models and
 * Python models apart. Try: c10k plot DIR; DIR/plots/summary.png */
#include "plot.h"

#include "modeltab.h"

#include <errno.h>
#include <math.h>
#include <string.h>

static bool served(const struct res_point *p)
{
    return pl_drawable(p) && strcmp(p->status, "broken") &&
           isfinite(pl_metric(p, "median", RES_NAME(RPS)));
}

/* The model's point at the largest count it served in scenario sc, or NULL. */
static const struct res_point *largest(const struct pl_set *s, const char *model, const char *sc)
{
    const struct res_point *best = NULL;
    for (size_t i = 0; i < s->n; i++) {
        const struct res_point *p = &s->pts[i];
        if (!strcmp(p->model, model) && !strcmp(p->scenario, sc) && served(p) &&
            (!best || p->connections > best->connections))
            best = p;
    }
    return best;
}

static void count_label(char *buf, size_t cap, long long n)
{
    if (n >= 1000 && n % 1000 == 0)
        snprintf(buf, cap, "%lldk", n / 1000);
    else
        snprintf(buf, cap, "%lld", n);
}

/* summary.bars.dat: "model (count)" mem_KiB rps rps_min rps_max group(0 C, 1 Python). */
static int write_bars(const struct pl_set *s, FILE *f, struct pl_chart *c, long long *top)
{
    const char *sc = s->scenarios[0];
    int rows = 0;
    for (int g = 0; g < 2; g++)
        for (size_t m = 0; m < s->n_models; m++) {
            const struct mt_model *row = mt_find(s->models[m]);
            bool py = row && row->language && !strcmp(row->language, "python");
            if (py != (g == 1)) continue;
            const struct res_point *p = largest(s, s->models[m], sc);
            if (!p) {
                pl_omit_add(c, s->models[m], "no connection count served", NULL);
                continue;
            }
            char n[32];
            count_label(n, sizeof n, p->connections);
            double mem = pl_metric(p, "median", RES_NAME(PC_TOTAL));
            if (!(isfinite(mem) && mem > 0)) {
                char why[128];
                snprintf(why, sizeof why, "%s at %lld: no memory figure (no bar on the left)",
                         s->models[m], p->connections);
                pl_note_add(c->note, sizeof c->note, why);
            }
            fprintf(f, "\"%s (%s)\" %.6g %.6g %.6g %.6g %d\n", s->models[m], n,
                    isfinite(mem) && mem > 0 ? mem / 1024.0 : NAN,
                    pl_metric(p, "median", RES_NAME(RPS)), pl_metric(p, "min", RES_NAME(RPS)),
                    pl_metric(p, "max", RES_NAME(RPS)), g);
            pl_words_add(c->models, sizeof c->models, s->models[m]);
            if (p->connections > *top) *top = p->connections;
            rows++;
        }
    return rows;
}

int pl_dat_summary(const struct pl_set *s, const char *out_dir, struct pl_charts *cs)
{
    struct pl_chart *c = pl_chart_add(cs, "summary", "summary");
    if (!c || !s->n_scenarios) return -E2BIG;
    FILE *f = pl_dat_open(out_dir, "summary", "bars");
    if (!f) return -errno;
    long long top = 0;
    int rows = write_bars(s, f, c, &top);
    if (fclose(f)) return -errno;
    snprintf(c->title, sizeof c->title,
             "Every model at the largest connection count it served (scenario %s)",
             s->scenarios[0]);
    snprintf(c->caption, sizeof c->caption,
             "The answer on one page. Left: what one connection costs the server in memory "
             "(its memory books' total: user, kernel stacks, TCP page fragments, page tables, "
             "slab and socket buffers, KiB, log scale); right: the "
             "requests per second it completed there (median, bar from the slowest to the "
             "fastest trial). Each model at the largest count it served (in brackets; %lld "
             "for those that served them all); C models first, then Python.",
             top);
    snprintf(c->extra, sizeof c->extra, "have_rows = %d", rows);
    return 0;
}
