/* books: the memory books of one trial: the server and c10k-load each in a
 * memory group of its own (memcg.h), read idle and loaded, the system's
 * MemFree / MemAvailable and /proc/slabinfo at the same moments; from them
 * the parts per connection of each side, the gap to MemFree and what one
 * connection is made of (docs/methodology.md, "Memory books"). Prefix books_. */
#ifndef C10K_BOOKS_H
#define C10K_BOOKS_H

#include "memcg.h"

#include <jansson.h>
#include <stdbool.h>

#define BOOKS_SLAB_MAX 512
#define BOOKS_GAP_OPEN 0.10 /* |server + client - MemFree delta| / it above this: open */

enum books_side { BOOKS_SERVER, BOOKS_CLIENT, BOOKS_SIDES };
enum books_phase { BOOKS_IDLE, BOOKS_LOADED, BOOKS_PHASES };

struct books_slab {
    char name[BOOKS_SLAB_MAX][32];
    double objs[BOOKS_SLAB_MAX], size[BOOKS_SLAB_MAX];
    size_t n;
};

struct books {
    enum memcg_method method;
    char why[200]; /* why the system method (empty: a group) */
    struct memcg g[BOOKS_SIDES];
    struct memcg_parts p[BOOKS_SIDES][BOOKS_PHASES];
    double memfree[BOOKS_PHASES], available[BOOKS_PHASES];
    double pcp[BOOKS_PHASES];     /* free pages on the per-CPU lists (not in MemFree) */
    double counted[BOOKS_PHASES]; /* the /proc/meminfo kinds that hold pages, summed */
    struct books_slab *slab[BOOKS_PHASES];
    bool have[BOOKS_PHASES];
};

/* Creates the two groups (else records why the system method); 0 always. */
int books_open(struct books *b);
/* The cgroup.procs path the side's child enters before exec; NULL without. */
const char *books_procs(const struct books *b, enum books_side s, char *buf, size_t cap);
/* Reads the groups (a side without one is skipped: a remote server host
 * keeps only the server's), /proc/meminfo, /proc/zoneinfo and /proc/slabinfo
 * for phase. */
void books_read(struct books *b, enum books_phase ph);
/* Removes the groups (killing what is left in them), frees the snapshots. */
void books_close(struct books *b);

/* The per-connection metrics of docs/results.md ("memory books") into m
 * (hn_metric indices), conns the connections established. sys_parts holds
 * the system method's server parts (user, kernel stack, page tables, slab,
 * sock) for when there is no group. */
void books_metrics(const struct books *b, double conns, const double sys_parts[5], double *m);
/* {"memory_method", "memory_books_open", "why", "slab_per_conn": {cache:
 * {"bytes", "objects"}}} of the trial. */
json_t *books_json(const struct books *b, double conns, const double *m);

#endif
