/* timer: the delay_us timers of one epoll loop, a binary min-heap of parked
 * connections keyed by deadline_ns (epoll_wait sleeps until the first).
 * Try: curl 'http://127.0.0.1:PORT/?delay_us=200000' */
#include "ep.h"

#include <errno.h>
#include <stdlib.h>

#define TIMER_MIN_CAP 64u

static void timer_set(struct ep_timers *t, uint32_t i, struct ep_conn *c)
{
    t->v[i] = c;
    c->heap_idx = i;
}

static void timer_up(struct ep_timers *t, uint32_t i)
{
    struct ep_conn *c = t->v[i];
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (t->v[parent]->deadline_ns <= c->deadline_ns) break;
        timer_set(t, i, t->v[parent]);
        i = parent;
    }
    timer_set(t, i, c);
}

static void timer_down(struct ep_timers *t, uint32_t i)
{
    struct ep_conn *c = t->v[i];
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= t->n) break;
        if (child + 1 < t->n && t->v[child + 1]->deadline_ns < t->v[child]->deadline_ns) child++;
        if (c->deadline_ns <= t->v[child]->deadline_ns) break;
        timer_set(t, i, t->v[child]);
        i = child;
    }
    timer_set(t, i, c);
}

int ep_timer_add(struct ep_timers *t, struct ep_conn *c)
{
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : TIMER_MIN_CAP;
        struct ep_conn **v = realloc(t->v, cap * sizeof(*v));
        if (!v) return -ENOMEM;
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n] = c;
    timer_up(t, t->n++);
    return 0;
}

void ep_timer_del(struct ep_timers *t, struct ep_conn *c)
{
    uint32_t i = c->heap_idx;
    if (i >= t->n || t->v[i] != c) return;
    struct ep_conn *last = t->v[--t->n];
    if (i == t->n) return;
    timer_set(t, i, last);
    timer_up(t, i);
    timer_down(t, last->heap_idx);
}

struct ep_conn *ep_timer_first(const struct ep_timers *t)
{
    return t->n ? t->v[0] : NULL;
}

void ep_timer_free(struct ep_timers *t)
{
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}
