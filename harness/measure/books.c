/* books: a trial's memory books: the server and c10k-load in memory groups
 * of their own, read idle and loaded with MemFree, MemAvailable and
 * /proc/slabinfo; the parts per connection of each side and the gap.
 *   try: c10k run --model epoll --connections 1000 --scenario idle (as root) */
#include "books.h"

#include "../metrics.h"
#include "../results/metric.h"

#include <errno.h>
#include <math.h>
#include <procfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const side_name[BOOKS_SIDES] = {"server", "lg"};

int books_open(struct books *b)
{
    memset(b, 0, sizeof *b);
    b->method = memcg_detect(NULL);
    for (int s = 0; s < BOOKS_SIDES && b->method != MEMCG_SYSTEM; s++) {
        int rc = memcg_create(&b->g[s], NULL, side_name[s]);
        if (rc < 0) {
            snprintf(b->why, sizeof b->why, "no memory group (%s): system-wide deltas",
                     strerror(-rc));
            b->method = MEMCG_SYSTEM;
        }
    }
    if (b->method == MEMCG_SYSTEM) {
        for (int s = 0; s < BOOKS_SIDES; s++)
            memcg_destroy(&b->g[s]);
        if (!b->why[0])
            snprintf(b->why, sizeof b->why, "%s",
                     getenv("C10K_MEMORY_METHOD") ? "C10K_MEMORY_METHOD=system"
                                                  : "no memory controller: system-wide deltas");
    }
    return 0;
}

const char *books_procs(const struct books *b, enum books_side s, char *buf, size_t cap)
{
    if (b->method == MEMCG_SYSTEM || memcg_procs_path(&b->g[s], buf, cap) < 0) return NULL;
    return buf;
}

/* Every cache of /proc/slabinfo (root only): active objects and their size. */
static struct books_slab *slab_read(void)
{
    static char buf[1 << 18];
    struct books_slab *sl;
    char *save = NULL, *l;
    if (procfs_read("/proc/slabinfo", buf, sizeof buf) <= 0 || !(sl = calloc(1, sizeof *sl)))
        return NULL;
    for (l = strtok_r(buf, "\n", &save); l && sl->n < BOOKS_SLAB_MAX;
         l = strtok_r(NULL, "\n", &save)) {
        double act, num, size;
        char name[32];
        if (l[0] == '#' || sscanf(l, "%31s %lf %lf %lf", name, &act, &num, &size) != 4) continue;
        snprintf(sl->name[sl->n], sizeof sl->name[0], "%s", name);
        sl->objs[sl->n] = act;
        sl->size[sl->n++] = size;
    }
    return sl;
}

/* Free pages held on the per-CPU lists (/proc/zoneinfo "count:"): free, but
 * not in MemFree; they swing by 100 MB and more as CPUs allocate and free. */
static double pcp_bytes(void)
{
    static char buf[1 << 16];
    double pages = 0;
    if (procfs_read("/proc/zoneinfo", buf, sizeof buf) <= 0) return NAN;
    for (const char *c = buf; (c = strstr(c, "count:")); c += 6)
        pages += strtod(c + 6, NULL);
    return pages * (double)sysconf(_SC_PAGESIZE);
}

/* The /proc/meminfo kinds that hold pages (a page is in at most one); what
 * is taken and in none of them is raw pages (books_metrics: uncounted). */
static const char *const counted_kinds[] = {
    "AnonPages:",   "Cached:",     "Buffers:", "SReclaimable:", "SUnreclaim:",
    "KernelStack:", "PageTables:", "Percpu:",  "SecPageTables:"};

static double counted_bytes(const char *meminfo)
{
    double sum = 0;
    for (size_t k = 0; k < sizeof counted_kinds / sizeof counted_kinds[0]; k++) {
        uint64_t v = 0;
        if (procfs_field(meminfo, counted_kinds[k], &v) == 0) sum += (double)v;
    }
    return sum;
}

void books_read(struct books *b, enum books_phase ph)
{
    char buf[8192];
    uint64_t f = 0, a = 0;
    b->have[ph] = procfs_read("/proc/meminfo", buf, sizeof buf) > 0 &&
                  procfs_field(buf, "MemFree:", &f) == 0 &&
                  procfs_field(buf, "MemAvailable:", &a) == 0;
    b->memfree[ph] = (double)f;
    b->available[ph] = (double)a;
    b->counted[ph] = counted_bytes(buf);
    b->pcp[ph] = pcp_bytes();
    for (int s = 0; s < BOOKS_SIDES && b->method != MEMCG_SYSTEM; s++)
        if (b->g[s].dir[0] && memcg_read(&b->g[s], &b->p[s][ph]) < 0 && ph == BOOKS_LOADED)
            b->have[ph] = false;
    free(b->slab[ph]);
    b->slab[ph] = slab_read();
}

void books_close(struct books *b)
{
    for (int s = 0; s < BOOKS_SIDES; s++)
        memcg_destroy(&b->g[s]);
    for (int ph = 0; ph < BOOKS_PHASES; ph++) {
        free(b->slab[ph]);
        b->slab[ph] = NULL;
    }
}

/* One side's parts (HN_BOOKS_PARTS order) from its group, per connection,
 * and the page fragments of its new tasks, which no group holds: they are in
 * the total, not in the group's figure that `other` is taken from. */
static void side_parts(const struct books *b, int s, double conns, double *out, double *frag)
{
    const struct memcg_parts *i = &b->p[s][BOOKS_IDLE], *l = &b->p[s][BOOKS_LOADED];
    double ks, pte, slab = NAN, tasks = l->threads - i->threads;
    if (b->method == MEMCG_V2) {
        ks = l->kernel_stack - i->kernel_stack;
        slab = l->slab - i->slab;
    } else { /* v1: no such fields; a thread's stack is THREAD_SIZE */
        ks = tasks * HN_KSTACK_PER_THREAD_BYTES;
    }
    pte = l->page_tables - i->page_tables;
    if (b->method == MEMCG_V1) /* the rest of kmem: slab (and percpu, vmalloc) */
        slab = (l->kernel - i->kernel) - ks - pte;
    out[0] = l->user - i->user;
    out[1] = ks;
    out[2] = pte;
    out[3] = slab;
    out[4] = l->sock - i->sock;
    out[6] = l->total - i->total;
    out[5] = out[6] - (out[0] + out[1] + out[2] + out[3] + out[4]);
    *frag = tasks * HN_PAGE_FRAG_PER_TASK_BYTES;
    out[6] += *frag;
    for (int k = 0; k < HN_BOOKS_PARTS; k++)
        out[k] /= conns;
    *frag /= conns;
}

void books_metrics(const struct books *b, double conns, const double sys_parts[5], double *m)
{
    bool both = b->have[BOOKS_IDLE] && b->have[BOOKS_LOADED] && conns > 0;
    double *srv = &m[RES_M_SRV_USER], *cli = &m[RES_M_CLI_USER];
    double free_i = b->memfree[BOOKS_IDLE] + b->pcp[BOOKS_IDLE];
    double free_l = b->memfree[BOOKS_LOADED] + b->pcp[BOOKS_LOADED];
    if (!both) return;
    m[RES_M_ALL_IN] = (free_i - free_l) / conns; /* NAN when zoneinfo was unreadable */
    m[RES_M_UNCOUNTED] =
        (free_i - free_l - (b->counted[BOOKS_LOADED] - b->counted[BOOKS_IDLE])) / conns;
    m[RES_M_PC_AVAIL] = (b->available[BOOKS_IDLE] - b->available[BOOKS_LOADED]) / conns;
    if (b->method == MEMCG_SYSTEM) { /* the server's parts system-wide; no client side */
        memcpy(srv, sys_parts, 5 * sizeof *srv);
        srv[5] = 0;
        srv[6] = srv[0] + srv[1] + srv[2] + srv[3] + srv[4];
        m[RES_M_PC_TOTAL] = srv[6];
        return;
    }
    side_parts(b, BOOKS_SERVER, conns, srv, &m[RES_M_SRV_PAGE_FRAG]);
    side_parts(b, BOOKS_CLIENT, conns, cli, &m[RES_M_CLI_PAGE_FRAG]);
    m[RES_M_PC_TOTAL] = srv[6];
    if (m[RES_M_ALL_IN] != 0) /* pages came back (others freed more): a gap over 1, open */
        m[RES_M_BOOKS_GAP] = fabs(srv[6] + cli[6] - m[RES_M_ALL_IN]) / fabs(m[RES_M_ALL_IN]);
}

static double slab_find(const struct books_slab *s, const char *name, double *size)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->name[i], name)) {
            *size = s->size[i];
            return s->objs[i];
        }
    return NAN;
}

/* Bytes and objects per connection of each cache that moved by >= 1 B. */
static json_t *slab_json(const struct books *b, double conns)
{
    const struct books_slab *i = b->slab[BOOKS_IDLE], *l = b->slab[BOOKS_LOADED];
    json_t *o;
    if (!i || !l || !(conns > 0)) return json_null();
    o = json_object();
    for (size_t k = 0; k < l->n; k++) {
        double size = 0, before = slab_find(i, l->name[k], &size);
        double objs = (l->objs[k] - (isfinite(before) ? before : 0)) / conns;
        if (fabs(objs * l->size[k]) >= 1)
            json_object_set_new(
                o, l->name[k],
                json_pack("{s:f, s:f}", "bytes", objs * l->size[k], "objects", objs));
    }
    return o;
}

json_t *books_json(const struct books *b, double conns, const double *m)
{
    double gap = m[RES_M_BOOKS_GAP];
    json_t *j = json_pack(
        "{s:s, s:o, s:s}", "memory_method", memcg_method_name(b->method), "memory_books_open",
        isfinite(gap) ? json_boolean(gap > BOOKS_GAP_OPEN) : json_null(), "why", b->why);
    json_object_set_new(j, "slab_per_conn", slab_json(b, conns));
    return j;
}
