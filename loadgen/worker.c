/* worker: one load thread: its epoll loop, its share of the connections, its
 * histograms and counters (no locks: main reads them after join, and the
 * series through a double buffer). Phases: ramp (connect), load, drain. */
#include "lg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define LG_EVENTS 512
#define LG_RAMP_TICK_NS (1 * UTIL_NS_PER_MS)
/* connect()s issued between two polls: on a loaded machine tens of thousands
 * at once take seconds of kernel time, and the first ones would time out
 * unseen behind the last */
#define LG_CONNECT_BATCH 256
/* connect()s in flight per thread, with (closed loop) the open slots still
 * waiting for their first answer, that is connections the server may not have
 * accepted yet: more would overflow its listen backlog (SYNs dropped, retried
 * after 1, 3, 7 s: connect timeouts) */
#define LG_CONNECTING_MAX 1024

int lg_worker_init(struct lg_worker *w, struct lg_run *run, int index, uint32_t first_id,
                   uint32_t n)
{
    const struct lg_config *cfg = run->cfg;
    memset(w, 0, sizeof(*w));
    w->run = run;
    w->cfg = cfg;
    w->index = index;
    w->first_id = first_id;
    w->nconns = n;
    w->epfd = epoll_create1(EPOLL_CLOEXEC);
    w->conns = calloc(n, sizeof(*w->conns));
    w->flights = calloc((size_t)n * cfg->pipeline, sizeof(*w->flights));
    w->heap = calloc(n, sizeof(*w->heap));
    w->rbuf = malloc(LG_RBUF_BYTES);
    if (w->epfd < 0 || !w->conns || !w->flights || !w->heap || !w->rbuf) goto fail;
    if (hist_init_lab(&w->lat) || hist_init_lab(&w->lat_unc) || hist_init_lab(&w->late) ||
        hist_init_lab(&w->delay) || hist_init_lab(&w->iv[0].lat) || hist_init_lab(&w->iv[1].lat))
        goto fail;
    for (int k = 0; k < 2 && cfg->hlog_path; k++)
        if (hist_init_lab(&w->iv[k].cor) || hist_init_lab(&w->iv[k].unc)) goto fail;
    for (uint32_t i = 0; i < n; i++) {
        w->conns[i].fd = -1;
        w->conns[i].id = first_id + i;
        w->conns[i].heap_pos = -1;
    }
    w->rng = (cfg->seed + 1) * 0x9e3779b97f4a7c15ull + (uint64_t)index * 0xbf58476d1ce4e5b9ull;
    if (cfg->rate_rps) w->mean_gap_ns = (double)cfg->connections * 1e9 / (double)cfg->rate_rps;
    if (cfg->connect_rate)
        w->connect_gap_ns = (uint64_t)((double)cfg->threads * 1e9 / (double)cfg->connect_rate);
    return 0;
fail:
    lg_worker_close(w);
    return -ENOMEM;
}

void lg_worker_close(struct lg_worker *w)
{
    if (w->conns) lg_conn_close_all(w);
    if (w->epfd > 0) close(w->epfd);
    free(w->conns);
    free(w->flights);
    free(w->heap);
    free(w->rbuf);
    hist_close(&w->lat);
    hist_close(&w->lat_unc);
    hist_close(&w->late);
    hist_close(&w->delay);
    for (int k = 0; k < 2; k++) {
        hist_close(&w->iv[k].lat);
        hist_close(&w->iv[k].cor);
        hist_close(&w->iv[k].unc);
    }
    w->conns = NULL;
    w->epfd = -1;
}

static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * UTIL_NS_PER_S + (uint64_t)ts.tv_nsec;
}

static void thread_rusage(double *user_s, double *sys_s)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    *user_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    *sys_s = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Sends every request whose time has come (up to the pipeline depth per
 * connection); requests due at or after stop_ns are not sent. */
static void send_due(struct lg_worker *w, uint64_t now, uint64_t stop_ns)
{
    uint32_t depth = w->cfg->pipeline;
    while (w->heap_len) {
        struct lg_conn *c = &w->conns[w->heap[0]];
        if (c->next_ns > now || c->next_ns >= stop_ns) return;
        lg_heap_remove(w, c);
        while (c->state == LG_OPEN && c->inflight < depth && c->wr_left == 0 && c->next_ns <= now &&
               c->next_ns < stop_ns)
            if (lg_conn_send(w, c, 1, now) < 0) break;
        if (c->state == LG_OPEN && c->inflight < depth && c->wr_left == 0) lg_heap_push(w, c);
    }
}

/* Publishes one second of the series if main took the previous one. */
static void series_tick(struct lg_worker *w, uint64_t now)
{
    if (now < w->next_iv_ns) return;
    while (w->next_iv_ns <= now)
        w->next_iv_ns += UTIL_NS_PER_S;
    uint64_t second = (w->next_iv_ns - w->run->start_ns) / UTIL_NS_PER_S - 1;
    if (atomic_load_explicit(&w->iv_consumed, memory_order_acquire) != w->iv_seq)
        return; /* main is late: this second's samples roll into the next */
    struct lg_interval *iv = &w->iv[w->iv_seq & 1];
    iv->completed_total = w->all_completed;
    iv->errors_total = w->all_errors;
    iv->open = w->open;
    w->iv_seq++;
    atomic_store_explicit(&w->iv_second, second, memory_order_relaxed);
    atomic_store_explicit(&w->iv_done, w->iv_seq, memory_order_release);
    iv = &w->iv[w->iv_seq & 1];
    hist_reset(&iv->lat);
    hist_reset(&iv->cor);
    hist_reset(&iv->unc);
}

/* The ramp: connect (paced by --connect-rate); in closed loop each slot
 * sends one request as it opens, and the ramp is done when every connect()
 * has ended and every open slot has had its answer (or timed out). */
static void ramp_step(struct lg_worker *w, uint64_t now)
{
    for (unsigned k = 0;
         k < LG_CONNECT_BATCH && w->next_connect < w->nconns &&
         w->connecting + w->awaiting < LG_CONNECTING_MAX &&
         (!w->connect_gap_ns || now >= w->ramp_start_ns + w->next_connect * w->connect_gap_ns);
         k++)
        lg_conn_start(w, &w->conns[w->next_connect++], util_mono_ns());
    if (w->next_connect == w->nconns && !atomic_load_explicit(&w->issued_ns, memory_order_relaxed))
        atomic_store_explicit(&w->issued_ns, util_mono_ns(), memory_order_release);
    bool connected = w->next_connect == w->nconns && w->connecting == 0;
    if (connected && !w->connected_ns) w->connected_ns = now;
    if (!atomic_load_explicit(&w->ramp_done, memory_order_relaxed) && connected &&
        w->awaiting == 0) {
        w->ramp_end_ns = now;
        atomic_store_explicit(&w->ramp_done, 1, memory_order_release);
    }
}

/* The load starts: every open slot gets its schedule or its first requests. */
static void begin_load(struct lg_worker *w, uint64_t go)
{
    w->going = true;
    uint64_t now = util_mono_ns();
    for (uint32_t i = 0; i < w->nconns; i++) {
        struct lg_conn *c = &w->conns[i];
        if (w->cfg->rate_rps) lg_sched_first(w, c, go);
        lg_conn_unawait(w, c); /* the ramp ended (deadline) before its answer */
        if (c->state != LG_OPEN) continue;
        if (w->cfg->rate_rps)
            lg_heap_push(w, c);
        else if (!c->wr_left &&
                 !w->cfg->idle) /* a first request still being written sends the rest after */
            lg_conn_send(w, c, w->cfg->pipeline - c->inflight, now);
    }
}

static void phase_marks(struct lg_worker *w, uint64_t now)
{
    struct lg_run *run = w->run;
    if (!w->measuring && now >= run->measure_ns) {
        w->measuring = true;
        w->cpu0_ns = thread_cpu_ns();
        thread_rusage(&w->ru0_user_s, &w->ru0_sys_s);
    }
    if (!w->ended && now >= atomic_load_explicit(&run->end_ns, memory_order_relaxed)) {
        if (!w->measuring) { /* stopped during the warm-up */
            w->measuring = true;
            w->cpu0_ns = thread_cpu_ns();
            thread_rusage(&w->ru0_user_s, &w->ru0_sys_s);
        }
        w->ended = true;
        w->cpu1_ns = thread_cpu_ns();
        double u, s;
        thread_rusage(&u, &s);
        w->utime_s = u - w->ru0_user_s;
        w->stime_s = s - w->ru0_sys_s;
    }
}

/* Requests of the measured window not sent yet (open loop). */
static uint64_t owed(struct lg_worker *w, bool count_all)
{
    uint64_t end = atomic_load_explicit(&w->run->end_ns, memory_order_relaxed), n = 0;
    if (!w->cfg->rate_rps) return 0;
    for (uint32_t i = 0; i < w->nconns; i++) {
        struct lg_conn *c = &w->conns[i];
        if (!count_all && c->state != LG_OPEN)
            continue; /* closed slots do not reconnect in the drain */
        while (c->next_ns < end) {
            n++;
            if (!count_all) return n;
            if (lg_in_window(w->run, c->next_ns)) w->counts.unsent_due++;
            lg_sched_advance(w, c);
        }
    }
    return n;
}

static bool drained(struct lg_worker *w, uint64_t now)
{
    uint64_t end = atomic_load_explicit(&w->run->end_ns, memory_order_relaxed);
    if (now >= end + w->run->drain_ns) return true;
    return w->inflight_total == 0 && owed(w, false) == 0;
}

static uint64_t wait_ns(struct lg_worker *w, uint64_t now)
{
    uint64_t next = w->next_iv_ns < w->next_scan_ns ? w->next_iv_ns : w->next_scan_ns;
    if (!w->going && !w->connect_gap_ns && w->next_connect < w->nconns &&
        w->connecting + w->awaiting < LG_CONNECTING_MAX)
        return 0; /* the next batch of connect()s after this poll */
    if (!w->going)
        next = now + LG_RAMP_TICK_NS < next ? now + LG_RAMP_TICK_NS : next;
    else if (w->cfg->rate_rps && !w->ended) {
        uint64_t due = lg_sched_next_ns(w);
        next = due < next ? due : next;
    } else if (w->ended) {
        uint64_t end = atomic_load_explicit(&w->run->end_ns, memory_order_relaxed);
        next = end + w->run->drain_ns < next ? end + w->run->drain_ns : next;
    }
    if (w->measuring && !w->ended) {
        uint64_t end = atomic_load_explicit(&w->run->end_ns, memory_order_relaxed);
        next = end < next ? end : next;
    } else if (w->going && !w->measuring)
        next = w->run->measure_ns < next ? w->run->measure_ns : next;
    /* open loop: wake --spin before the next send and poll from there */
    uint64_t spin = w->going && w->cfg->rate_rps ? w->cfg->spin_ns : 0;
    if (next <= now + spin) return 0;
    return next - spin - now;
}

static void poll_once(struct lg_worker *w, struct epoll_event *evs, uint64_t timeout_ns)
{
    struct timespec ts = {.tv_sec = (time_t)(timeout_ns / UTIL_NS_PER_S),
                          .tv_nsec = (long)(timeout_ns % UTIL_NS_PER_S)};
    int n = epoll_pwait2(w->epfd, evs, LG_EVENTS, &ts, NULL);
    if (n < 0 && errno == ENOSYS)
        n = epoll_wait(w->epfd, evs, LG_EVENTS, (int)((timeout_ns + 999999) / UTIL_NS_PER_MS));
    bool sends = w->going && w->cfg->rate_rps;
    for (int i = 0; i < n; i++) {
        lg_conn_event(w, &w->conns[evs[i].data.u64], evs[i].events);
        /* a long batch of responses must not hold back scheduled sends */
        if (sends && (i & 15) == 15)
            send_due(w, util_mono_ns(),
                     atomic_load_explicit(&w->run->end_ns, memory_order_relaxed));
    }
}

static void loop(struct lg_worker *w)
{
    struct lg_run *run = w->run;
    struct epoll_event evs[LG_EVENTS];
    for (;;) {
        uint64_t now = util_mono_ns();
        uint64_t go = atomic_load_explicit(&run->go_ns, memory_order_acquire);
        if (!w->going) ramp_step(w, now);
        if (!w->going && go && now >= go) begin_load(w, go);
        if (w->going) {
            phase_marks(w, now);
            if (w->ended && drained(w, now)) break;
            if (w->cfg->rate_rps)
                send_due(w, now, atomic_load_explicit(&run->end_ns, memory_order_relaxed));
        }
        if (now >= w->next_scan_ns) {
            now = util_mono_ns();
            lg_conn_scan(w, now);
            w->next_scan_ns = now + LG_SCAN_NS;
        }
        series_tick(w, now);
        poll_once(w, evs, wait_ns(w, util_mono_ns()));
    }
}

void *lg_worker_main(void *arg)
{
    struct lg_worker *w = arg;
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    w->ramp_start_ns = util_mono_ns();
    w->next_iv_ns = w->run->start_ns + UTIL_NS_PER_S;
    w->next_scan_ns = w->ramp_start_ns + LG_SCAN_NS;
    loop(w);
    owed(w, true);
    atomic_store_explicit(&w->finished, 1, memory_order_release);
    return NULL;
}
