/* plot/books: the memory books chart (mem-books): what one connection costs
 * each model's server and, apart, c10k-load's side, at the largest connection
 * count of the idle scenario, stacked by part with the slab included.
 *   try: c10k plot DIR (a run with --scenario idle); see DIR/plots/mem-books.png */
#include "plot.h"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define PL_BOOKS_SCENARIO HN_SCENARIO_IDLE

static const char *const pl_books_parts[] = {"user", "kernel_stack", "page_frag", "page_tables",
                                             "slab", "sock",         "other"};
#define PL_BOOKS_NPARTS (sizeof pl_books_parts / sizeof pl_books_parts[0])

static long long books_largest(const struct pl_set *s)
{
    long long best = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct res_point *p = &s->pts[i];
        if (!strcmp(p->scenario, PL_BOOKS_SCENARIO) && pl_drawable(p) &&
            strcmp(p->status, "broken") && p->connections > best)
            best = p->connections;
    }
    return best;
}

bool pl_books_row(FILE *f, const struct res_point *p, const char *side, const char *label,
                  bool *clamped)
{
    char name[128];
    double v[PL_BOOKS_NPARTS];
    bool any = false;
    for (size_t k = 0; k < PL_BOOKS_NPARTS; k++) {
        snprintf(name, sizeof name, "mem_per_conn_%s_%s_bytes", side, pl_books_parts[k]);
        v[k] = pl_metric(p, "median", name);
        any |= isfinite(v[k]);
        if (v[k] < 0) *clamped = true;
        v[k] = v[k] > 0 ? v[k] / 1024.0 : 0;
    }
    if (!any) return false;
    fprintf(f, "\"%s\"", label);
    for (size_t k = 0; k < PL_BOOKS_NPARTS; k++)
        fprintf(f, " %.4g", v[k]);
    fputc('\n', f);
    return true;
}

static bool books_row(FILE *f, const struct res_point *p, const char *side, bool *clamped)
{
    char label[128];
    snprintf(label, sizeof label, "%s %s", p->model, side);
    return pl_books_row(f, p, side, label, clamped);
}

int pl_dat_mem_books(const struct pl_set *s, const char *out_dir, struct pl_charts *cs)
{
    long long L = books_largest(s);
    bool clamped = false;
    if (!L) return 0; /* no idle scenario in this run: no chart */
    struct pl_chart *c = pl_chart_add(cs, "mem-books", "mem_books");
    FILE *f = c ? pl_dat_open(out_dir, "mem-books", "bars") : NULL;
    if (!c) return -E2BIG;
    if (!f) return -errno;
    for (size_t m = 0; m < s->n_models; m++) {
        const struct res_point *p = pl_find(s, s->models[m], PL_BOOKS_SCENARIO, L);
        if (!pl_drawable(p) || !strcmp(p->status, "broken")) {
            pl_omit_add(c, s->models[m], pl_status(p), p ? p->reason : NULL);
            continue;
        }
        if (books_row(f, p, "server", &clamped))
            pl_words_add(c->models, sizeof c->models, s->models[m]);
        books_row(f, p, "client", &clamped);
    }
    if (fclose(f)) return -errno;
    if (clamped) pl_note_add(c->note, sizeof c->note, "a negative part is drawn as 0");
    snprintf(c->title, sizeof c->title,
             "Memory books per connection at %lld idle connections: server and client apart", L);
    snprintf(c->caption, sizeof c->caption,
             "Each side in a memory cgroup of its own (docs/methodology.md): user space, kernel "
             "stacks, TCP page fragments (32 KiB a task that sent: no group holds them), page "
             "tables, slab (socket, inode, dentry, file, epoll item; task_struct for a thread), "
             "socket buffers and what the parts leave unexplained, loaded minus "
             "idle over the connections. The client bar is c10k-load's end of the same "
             "connections.");
    return 0;
}
