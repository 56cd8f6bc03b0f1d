/* sched: the open-loop schedule. Slot i of C sends its k-th request at
 * go + (i + k*C)/R (one global constant-rate schedule dealt round robin), or
 * at poisson gaps of mean C/R; a min-heap of slots keyed on that time tells
 * the loop when to wake. It calls nothing else in c10k-load: the worker sends
 * what is due (worker -> conn -> sched, one way).
 * Try: c10k-load -R 1000 -c 10 http://127.0.0.1:8080/ */
#include "lg.h"

#include <math.h>

static uint64_t rng_next(uint64_t *s)
{
    /* xorshift64*: plenty for arrival gaps */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

static uint64_t exp_gap_ns(struct lg_worker *w)
{
    double u = ((double)(rng_next(&w->rng) >> 11) + 0.5) / (double)(1ull << 53);
    return (uint64_t)(-log(u) * w->mean_gap_ns);
}

static uint64_t constant_at(const struct lg_worker *w, const struct lg_conn *c, uint64_t go)
{
    const struct lg_config *cfg = w->cfg;
    double k = (double)c->id + (double)c->sched_k * (double)cfg->connections;
    return go + (uint64_t)(k * 1e9 / (double)cfg->rate_rps);
}

void lg_sched_first(struct lg_worker *w, struct lg_conn *c, uint64_t go_ns)
{
    c->sched_k = 0;
    if (w->cfg->arrival == LG_ARRIVAL_POISSON)
        c->next_ns = go_ns + exp_gap_ns(w);
    else
        c->next_ns = constant_at(w, c, go_ns);
}

void lg_sched_advance(struct lg_worker *w, struct lg_conn *c)
{
    c->sched_k++;
    if (w->cfg->arrival == LG_ARRIVAL_POISSON)
        c->next_ns += exp_gap_ns(w);
    else
        c->next_ns = constant_at(w, c, atomic_load_explicit(&w->run->go_ns, memory_order_relaxed));
}

static uint64_t key(const struct lg_worker *w, uint32_t pos)
{
    return w->conns[w->heap[pos]].next_ns;
}

static void heap_set(struct lg_worker *w, uint32_t pos, int32_t idx)
{
    w->heap[pos] = idx;
    w->conns[idx].heap_pos = (int32_t)pos;
}

static void sift_up(struct lg_worker *w, uint32_t pos)
{
    int32_t idx = w->heap[pos];
    uint64_t k = w->conns[idx].next_ns;
    while (pos > 0) {
        uint32_t parent = (pos - 1) / 2;
        if (key(w, parent) <= k) break;
        heap_set(w, pos, w->heap[parent]);
        pos = parent;
    }
    heap_set(w, pos, idx);
}

static void sift_down(struct lg_worker *w, uint32_t pos)
{
    int32_t idx = w->heap[pos];
    uint64_t k = w->conns[idx].next_ns;
    for (;;) {
        uint32_t child = 2 * pos + 1;
        if (child >= w->heap_len) break;
        if (child + 1 < w->heap_len && key(w, child + 1) < key(w, child)) child++;
        if (key(w, child) >= k) break;
        heap_set(w, pos, w->heap[child]);
        pos = child;
    }
    heap_set(w, pos, idx);
}

void lg_heap_push(struct lg_worker *w, struct lg_conn *c)
{
    if (c->heap_pos >= 0) return;
    uint32_t pos = w->heap_len++;
    heap_set(w, pos, (int32_t)(c - w->conns));
    sift_up(w, pos);
}

void lg_heap_remove(struct lg_worker *w, struct lg_conn *c)
{
    if (c->heap_pos < 0) return;
    uint32_t pos = (uint32_t)c->heap_pos;
    c->heap_pos = -1;
    uint32_t last = --w->heap_len;
    if (pos == last) return;
    int32_t moved = w->heap[last];
    heap_set(w, pos, moved);
    sift_down(w, pos);
    sift_up(w, (uint32_t)w->conns[moved].heap_pos);
}

uint64_t lg_sched_next_ns(const struct lg_worker *w)
{
    return w->heap_len ? w->conns[w->heap[0]].next_ns : UINT64_MAX;
}
