/* plot/memory: the memory charts: server PSS vs connections with the VSZ of
 * the thread model (memory), and the stacked cost of one connection at the
 * largest count (mem-per-conn). Try: c10k plot DIR; see DIR/plots/memory.png */
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <string.h>

static int write_series(const struct pl_set *s, const char *model, const char *metric,
                        const char *out_dir, const char *part, double *lo)
{
    long long conns[256];
    size_t nc = pl_conns(s, conns, 256);
    FILE *f = NULL;
    int rows = 0;
    for (size_t i = 0; i < nc; i++) {
        const struct res_point *p = pl_find(s, model, s->scenarios[0], conns[i]);
        if (!pl_drawable(p) || !strcmp(p->status, "broken")) continue;
        double med = pl_metric(p, "median", metric);
        if (!(med > 0)) continue;
        if (!f && !(f = pl_dat_open(out_dir, "memory", part))) return -errno;
        double mn = pl_metric(p, "min", metric), mx = pl_metric(p, "max", metric);
        fprintf(f, "%lld %.6g %.6g %.6g\n", conns[i], med, mn > 0 ? mn : med, mx > 0 ? mx : med);
        if (med < *lo) *lo = med;
        rows++;
    }
    if (f && fclose(f)) return -errno;
    return rows;
}

static int memory_marks(const struct pl_set *s, const char *out_dir, double lo, struct pl_chart *c)
{
    struct pl_marks mk = {.logy = true, .step = 1.7};
    pl_marks_xrange(s, &mk);
    int n = 0, rc = 0;
    char label[512];
    for (size_t i = 0; i < s->n; i++) {
        const struct res_point *p = &s->pts[i];
        if (strcmp(p->scenario, s->scenarios[0])) continue;
        if (!pl_drawable(p)) {
            pl_omit_add(c, p->model, pl_status(p), p->reason);
            continue;
        }
        pl_mark_label(p, label, sizeof label);
        if (!label[0]) continue;
        double y = pl_metric(p, "median", RES_NAME(PSS_LOADED));
        if (!(y > 0) || !strcmp(p->status, "broken")) y = lo < INFINITY ? lo : 1;
        if ((rc = pl_mark_put(&mk, out_dir, "memory", p->connections, y, label))) break;
        n++;
    }
    if (mk.f && fclose(mk.f) && !rc) rc = -errno;
    return rc ? rc : n;
}

int pl_dat_memory(const struct pl_set *s, const char *out_dir, struct pl_charts *cs)
{
    struct pl_chart *c = pl_chart_add(cs, "memory", "memory");
    char vsz[256] = "", part[128];
    double lo = INFINITY;
    if (!c || !s->n_scenarios) return -E2BIG;
    for (size_t m = 0; m < s->n_models; m++) {
        const char *model = s->models[m];
        int rows = write_series(s, model, RES_NAME(PSS_LOADED), out_dir, model, &lo);
        if (rows < 0) return rows;
        if (rows > 0) pl_words_add(c->models, sizeof c->models, model);
        if (strcmp(model, "threads")) continue;
        snprintf(part, sizeof part, "%s.vsz", model);
        rows = write_series(s, model, RES_NAME(VSZ_LOADED), out_dir, part, &lo);
        if (rows < 0) return rows;
        if (rows > 0) pl_words_add(vsz, sizeof vsz, model);
    }
    int marks = memory_marks(s, out_dir, lo, c);
    if (marks < 0) return marks;
    c->logy = true;
    snprintf(c->title, sizeof c->title,
             "Server memory (PSS of the process tree) vs connections (scenario %s)",
             s->scenarios[0]);
    snprintf(c->caption, sizeof c->caption,
             "Proportional set size of the whole server tree with all connections up, log-log "
             "(bars min-max over trials); the dashed line is the thread model's virtual size "
             "(VSZ), which counts every thread stack it reserved but mostly never touches.");
    snprintf(c->extra, sizeof c->extra, "marks = %d; vsz_models = '%s'", marks > 0, vsz);
    return 0;
}

/* The largest connection count some model served (not broken) in scenario 0. */
static long long largest_served(const struct pl_set *s)
{
    long long best = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct res_point *p = &s->pts[i];
        if (!strcmp(p->scenario, s->scenarios[0]) && pl_drawable(p) &&
            strcmp(p->status, "broken") && p->connections > best)
            best = p->connections;
    }
    return best;
}

/* A point without books (a folder written before them): its system-wide
 * parts in the books' columns (books_parts.gp), no page fragments, no other. */
static bool system_row(FILE *f, const struct res_point *p, const char *label, bool *clamped)
{
    const int id[] = {RES_M_PC_USER, RES_M_PC_KSTACK, -1, RES_M_PC_PTE,
                      RES_M_PC_SLAB, RES_M_PC_SOCKET, -1};
    double v[sizeof id / sizeof id[0]];
    bool any = false;
    for (size_t k = 0; k < sizeof id / sizeof id[0]; k++) {
        v[k] = id[k] < 0 ? NAN : pl_metric(p, "median", res_metrics[id[k]].name);
        any |= isfinite(v[k]);
        *clamped |= v[k] < 0;
    }
    if (!any) return false;
    fprintf(f, "\"%s\"", label);
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
        fprintf(f, " %.4g", v[k] > 0 ? v[k] / 1024.0 : 0);
    fputc('\n', f);
    return true;
}

int pl_dat_mem_per_conn(const struct pl_set *s, const char *out_dir, struct pl_charts *cs)
{
    struct pl_chart *c = pl_chart_add(cs, "mem-per-conn", "mem_per_conn");
    if (!c || !s->n_scenarios) return -E2BIG;
    long long L = largest_served(s);
    FILE *f = pl_dat_open(out_dir, "mem-per-conn", "bars");
    if (!f) return -errno;
    bool clamped = false;
    char at[64];
    if (!L) pl_note_add(c->note, sizeof c->note, "no model served any connection count");
    for (size_t m = 0; L && m < s->n_models; m++) {
        const struct res_point *p = pl_find(s, s->models[m], s->scenarios[0], L);
        if (!pl_drawable(p) || !strcmp(p->status, "broken")) {
            snprintf(at, sizeof at, "%s at %lld", pl_status(p), L);
            pl_omit_add(c, s->models[m], at, p ? p->reason : NULL);
            continue;
        }
        if (pl_books_row(f, p, "server", s->models[m], &clamped) ||
            system_row(f, p, s->models[m], &clamped))
            pl_words_add(c->models, sizeof c->models, s->models[m]);
    }
    if (fclose(f)) return -errno;
    if (clamped)
        pl_note_add(c->note, sizeof c->note,
                    "a negative part (a delta on a busy machine) is drawn as 0");
    if (L)
        snprintf(c->title, sizeof c->title,
                 "Memory per connection at %lld connections (scenario %s)", L, s->scenarios[0]);
    else
        snprintf(c->title, sizeof c->title, "Memory per connection (scenario %s)", s->scenarios[0]);
    snprintf(c->caption, sizeof c->caption,
             "What one connection costs each model's server at %lld connections under load, "
             "stacked as in its memory books (its own memory cgroup, docs/methodology.md): "
             "user space, kernel stacks, TCP page fragments, page tables, slab (socket, inode, "
             "file, epoll item), socket buffers and the rest, loaded minus idle over the "
             "connections. c10k-load's end is in mem-books.",
             L);
    return 0;
}
