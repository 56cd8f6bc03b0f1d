/* rp books: the memory books of the idle scenario in the report: the
 * headline's memory sentences (server side only, never from a negative part,
 * the range where trials disagree by more than 10%), the books per model
 * (server + client against MemFree) and what one connection is made of.
 *   try: c10k report DIR (a run with --scenario idle) */
#include "rp.h"

#include "config.h"
#include "modeltab.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#define RP_BOOKS_SCENARIO HN_SCENARIO_IDLE
#define RP_BOOKS_SPREAD 0.10 /* trials further apart than this: the range is given */

static const char *const rp_parts[] = {"user", "kernel_stack", "page_tables",
                                       "slab", "sock",         "page_frag"};
#define RP_NPARTS (sizeof rp_parts / sizeof rp_parts[0])

static double side_part(const struct res_point *p, const char *side, const char *part)
{
    char name[96];
    snprintf(name, sizeof name, "mem_per_conn_%s_%s_bytes", side, part);
    return rp_metric(p, name);
}

static double summary_of(const struct res_point *p, const char *which, const char *metric)
{
    const json_t *v =
        p && p->doc
            ? json_object_get(json_object_get(json_object_get(p->doc, "summary"), which), metric)
            : NULL;
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A server figure fit for the headline: a total and no negative named part. */
static bool clean(const struct res_point *p)
{
    if (!rp_has_data(p) || !(side_part(p, "server", "total") > 0)) return false;
    for (size_t k = 0; k < RP_NPARTS; k++)
        if (side_part(p, "server", rp_parts[k]) < 0) return false;
    return true;
}

/* The clean point of the classes (modeltab.h) with the least server total at conns. */
static const struct res_point *least(const struct rp_run *run, unsigned classes, long conns)
{
    const struct res_point *best = NULL;
    const char *models[MT_MAX_MODELS];
    size_t n = mt_select(classes, models, MT_MAX_MODELS);
    for (size_t i = 0; i < n; i++) {
        const struct res_point *p = rp_find(run, models[i], conns, RP_BOOKS_SCENARIO);
        if (clean(p) &&
            (!best || side_part(p, "server", "total") < side_part(best, "server", "total")))
            best = p;
    }
    return best;
}

static long books_conns(const struct rp_run *run)
{
    long best = -1;
    for (size_t i = 0; i < run->n; i++) {
        long c = run->pts[i].connections;
        if (!strcmp(run->pts[i].scenario, RP_BOOKS_SCENARIO) && c > best &&
            least(run, MT_PER_CONN, c) && least(run, MT_EVENT_LOOP, c))
            best = c;
    }
    return best;
}

/* " (trials from A to B)" when they disagree by more than 10%, else "". */
static const char *spread(const struct res_point *p, char *buf, size_t cap)
{
    const char *m = RES_NAME(SRV_TOTAL);
    double med = rp_metric(p, m), lo = summary_of(p, "min", m), hi = summary_of(p, "max", m);
    char a[64], b[64];
    buf[0] = 0;
    if (med > 0 && (hi - lo) / med > RP_BOOKS_SPREAD)
        snprintf(buf, cap, " (trials disagree: from %s to %s)", rp_fmt_bytes(a, 64, lo),
                 rp_fmt_bytes(b, 64, hi));
    return buf;
}

int rp_answer_books(struct rp_out *o, const struct rp_run *run)
{
    long conns = books_conns(run);
    char s[9][64], r1[160], r2[160];
    if (conns < 0) return -ENOENT;
    const struct res_point *t = least(run, MT_PER_CONN, conns);
    const struct res_point *e = least(run, MT_EVENT_LOOP, conns);
    double tt = side_part(t, "server", "total"), et = side_part(e, "server", "total");
    rp_p(o,
         "Memory, the server's side alone (its own memory cgroup; scenario idle: %ld "
         "connections answered once, then silent): %s needs %s per connection%s (kernel "
         "stack %s, TCP page fragment %s, page tables %s, slab %s, user %s) and %s needs "
         "%s%s (slab %s, user %s): a ratio of %.1fx. A thread per connection brings its "
         "kernel stack, its task structures, the stack pages it touched and the 32 KiB "
         "page-fragment page every task keeps once it has sent on TCP (no group holds it: "
         "32 KiB per new task, checked against the pages no /proc/meminfo kind holds); an "
         "event loop keeps a connection as its kernel socket "
         "objects (socket, inode, dentry, file, epoll item) and a small structure. "
         "c10k-load's end of each connection is in its own group, shown apart in the "
         "memory books below.",
         conns, t->model, rp_fmt_bytes(s[0], 64, tt), spread(t, r1, sizeof r1),
         rp_fmt_bytes(s[1], 64, side_part(t, "server", "kernel_stack")),
         rp_fmt_bytes(s[8], 64, side_part(t, "server", "page_frag")),
         rp_fmt_bytes(s[2], 64, side_part(t, "server", "page_tables")),
         rp_fmt_bytes(s[3], 64, side_part(t, "server", "slab")),
         rp_fmt_bytes(s[4], 64, side_part(t, "server", "user")), e->model,
         rp_fmt_bytes(s[5], 64, et), spread(e, r2, sizeof r2),
         rp_fmt_bytes(s[6], 64, side_part(e, "server", "slab")),
         rp_fmt_bytes(s[7], 64, side_part(e, "server", "user")), tt / et);
    return 0;
}

static const char *trial_str(const struct res_point *p, const char *key)
{
    const json_t *t = p && p->doc ? json_array_get(json_object_get(p->doc, "trials"), 0) : NULL;
    const char *v = json_string_value(json_object_get(t, key));
    return v ? v : "–";
}

/* "open" when some trial's books are open, "closed" when all closed. */
static const char *books_state(const struct res_point *p)
{
    const json_t *ts = p && p->doc ? json_object_get(p->doc, "trials") : NULL, *t;
    size_t i;
    int open = 0, known = 0;
    json_array_foreach(ts, i, t)
    {
        const json_t *b = json_object_get(t, "memory_books_open");
        known += json_is_boolean(b);
        open += json_is_true(b);
    }
    return !known ? "–" : open ? "open" : "closed";
}

static void books_row(struct rp_out *o, const struct res_point *p)
{
    char c[16][64];
    static const char *const more[] = {"other", "total"};
    size_t k = 0;
    snprintf(c[k++], 64, "%s", p->model);
    snprintf(c[k++], 64, "%lld", p->connections);
    snprintf(c[k++], 64, "%s", trial_str(p, "memory_method"));
    for (size_t i = 0; i < RP_NPARTS; i++)
        rp_fmt_bytes(c[k++], 64, side_part(p, "server", rp_parts[i]));
    rp_fmt_bytes(c[k++], 64, side_part(p, "server", more[0]));
    rp_fmt_bytes(c[k++], 64, side_part(p, "server", more[1]));
    rp_fmt_bytes(c[k++], 64, side_part(p, "client", "total"));
    rp_fmt_bytes(c[k++], 64, rp_metric(p, RES_NAME(ALL_IN)));
    rp_fmt_bytes(c[k++], 64, rp_metric(p, RES_NAME(PC_AVAIL)));
    rp_fmt_num(c[k++], 64, rp_metric(p, RES_NAME(BOOKS_GAP)), 2);
    snprintf(c[k++], 64, "%s", books_state(p));
    rp_row(o, k, c);
}

static void books_table(struct rp_out *o, const struct rp_run *run)
{
    static const char *const hdr[] = {
        "model",         "connections",    "method",       "server user",
        "kernel stack",  "page tables",    "slab",         "sock",
        "page frag",     "other",          "server total", "client total",
        "pages taken Δ", "MemAvailable Δ", "gap",          "books"};
    rp_table(o, 16, hdr);
    for (size_t i = 0; i < run->n; i++)
        if (!strcmp(run->pts[i].scenario, RP_BOOKS_SCENARIO) && rp_has_data(&run->pts[i]))
            books_row(o, &run->pts[i]);
    rp_table_end(o);
}

static const json_t *slab_of(const struct res_point *p)
{
    const json_t *t = p && p->doc ? json_array_get(json_object_get(p->doc, "trials"), 0) : NULL;
    return json_object_get(t, "slab_per_conn");
}

static double slab_bytes(const struct res_point *p, const char *cache, double *objs)
{
    const json_t *c = json_object_get(slab_of(p), cache);
    *objs = json_number_value(json_object_get(c, "objects"));
    return c ? json_number_value(json_object_get(c, "bytes")) : NAN;
}

static void made_of_row(struct rp_out *o, const char *what, const struct res_point *const pm[2],
                        const char *cache, const char *part)
{
    char c[3][64];
    snprintf(c[0], 64, "%s", what);
    for (int k = 0; k < 2; k++) {
        double objs = 0, b = cache  ? slab_bytes(pm[k], cache, &objs)
                             : part ? side_part(pm[k], "server", part)
                                    : rp_metric(pm[k], RES_NAME(UNCOUNTED));
        if (cache && isfinite(b))
            snprintf(c[1 + k], 64, "%.0f B (%.2f objects)", b, objs);
        else
            rp_fmt_bytes(c[1 + k], 64, b);
    }
    rp_row(o, 3, c);
}

/* Caches of either model's slab_per_conn of at least 16 B a connection, largest first. */
static size_t big_caches(const struct res_point *const pm[2], const char **out, size_t cap)
{
    size_t n = 0;
    for (int k = 0; k < 2; k++) {
        const char *key;
        const json_t *v;
        json_object_foreach((json_t *)slab_of(pm[k]), key, v)
        {
            double b = json_number_value(json_object_get(v, "bytes")), o0 = 0;
            bool seen = false;
            for (size_t i = 0; i < n; i++)
                seen |= !strcmp(out[i], key);
            if (seen || !(b >= 16) || n == cap) continue;
            size_t j = n++;
            for (; j > 0 && slab_bytes(pm[0], out[j - 1], &o0) < b; j--)
                out[j] = out[j - 1];
            out[j] = key;
        }
    }
    return n;
}

static void made_of(struct rp_out *o, const struct rp_run *run, long conns)
{
    const struct res_point *pm[2] = {rp_find(run, "epoll", conns, RP_BOOKS_SCENARIO),
                                     rp_find(run, "threads", conns, RP_BOOKS_SCENARIO)};
    const char *caches[24], *hdr[3] = {"per connection", NULL, NULL};
    if (!rp_has_data(pm[0])) pm[0] = least(run, MT_EVENT_LOOP, conns);
    if (!rp_has_data(pm[1])) pm[1] = least(run, MT_PER_CONN, conns);
    if (!pm[0] || !pm[1]) return;
    hdr[1] = pm[0]->model;
    hdr[2] = pm[1]->model;
    rp_h(o, 3, "What one connection is made of");
    rp_p(o,
         "At %ld idle connections, trial 1. The slab rows are /proc/slabinfo deltas "
         "(active objects x object size, loaded minus idle, per connection): system-wide, "
         "so both ends of each loopback connection (server and c10k-load: 2 TCP sockets, "
         "2 socket inodes...) and whatever else the machine did; the last rows are the "
         "server's own group.",
         conns);
    rp_table(o, 3, hdr);
    size_t n = big_caches(pm, caches, 24);
    for (size_t i = 0; i < n; i++)
        made_of_row(o, caches[i], pm, caches[i], NULL);
    made_of_row(o, "server kernel stacks", pm, NULL, "kernel_stack");
    made_of_row(o, "server TCP page fragments (no group's)", pm, NULL, "page_frag");
    made_of_row(o, "server page tables", pm, NULL, "page_tables");
    made_of_row(o, "server user space", pm, NULL, "user");
    made_of_row(o, "server total (its group + page fragments)", pm, NULL, "total");
    made_of_row(o, "check: pages in no /proc/meminfo kind (system-wide)", pm, NULL, NULL);
    rp_table_end(o);
}

void rp_sec_books(struct rp_out *o, const struct rp_run *run)
{
    long conns = -1;
    for (size_t i = 0; i < run->n; i++)
        if (!strcmp(run->pts[i].scenario, RP_BOOKS_SCENARIO) && rp_has_data(&run->pts[i]) &&
            run->pts[i].connections > conns)
            conns = run->pts[i].connections;
    if (conns < 0) return;
    rp_h(o, 2, "Memory books (scenario idle)");
    rp_p(o, "Each trial's server in a memory cgroup of its own and c10k-load in another "
            "(method cgroup1/cgroup2; system = system-wide deltas, no client side). Per "
            "connection, loaded minus idle: the server's parts, its group's total, the "
            "client's total, and the pages taken on the machine (all_in: MemFree plus the "
            "per-CPU free lists, idle minus loaded) with MemAvailable beside it (lower: it "
            "counts reclaimable slab as available). page frag: the 32 KiB page each new task "
            "keeps once it has sent on TCP, which no group and no /proc/meminfo kind holds. "
            "gap = |server + client - pages taken| / pages taken; books open above 0.10, "
            "which on a busy machine is other processes' memory (docs/methodology.md).");
    books_table(o, run);
    made_of(o, run, conns);
}
