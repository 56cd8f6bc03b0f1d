/* hn metrics: the flat per-trial metrics of docs/results.md (throughput,
 * latency, CPU and context switches per request, memory per connection split
 * into user, kernel stack, page tables and socket) and the validity flags.
 *   try: tests/harness/test-store (layout) ; c10k run (values) */
#include "json.h"
#include "metrics.h"
#include "probe.h"
#include "results/metric.h"

#include <math.h>
#include <stats.h>
#include <string.h>

void hn_samples_median(const struct hn_sample *s, size_t n, double from_s, double to_s,
                       struct hn_sample *out, size_t *count)
{
    double col[n ? n : 1];
    size_t f, i, k;
    *count = 0;
    memset(out, 0, sizeof *out);
    for (f = 0; f < HN_SF_COUNT; f++) {
        for (i = 0, k = 0; i < n; i++)
            if (s[i].v[HN_SF_T] >= from_s && s[i].v[HN_SF_T] <= to_s && isfinite(s[i].v[f]))
                col[k++] = s[i].v[f];
        out->v[f] = k ? stats_median(col, k) : NAN;
        if (f == HN_SF_PSS) *count = k;
    }
}

void hn_samples_peak(const struct hn_sample *s, size_t n, struct hn_sample *out)
{
    size_t f, i;
    for (f = 0; f < HN_SF_COUNT; f++)
        out->v[f] = NAN;
    for (i = 0; i < n; i++)
        for (f = 0; f < HN_SF_COUNT; f++)
            if (isfinite(s[i].v[f]) && !(s[i].v[f] <= out->v[f])) out->v[f] = s[i].v[f];
}

static double ticks_of(const struct hn_sample *x)
{
    return x->v[HN_SF_UTIME] + x->v[HN_SF_STIME];
}

/* CPU seconds between two tree samples: from schedstat (ns) when both have
 * it and it did not go backwards (threads that exit take theirs along),
 * else from utime+stime (10 ms ticks). */
static double cpu_delta(const struct hn_sample *a, const struct hn_sample *b)
{
    double d = b->v[HN_SF_SCHED_CPU] - a->v[HN_SF_SCHED_CPU];
    return isfinite(d) && d >= 0 ? d : ticks_of(b) - ticks_of(a);
}

static double csw_of(const struct hn_sample *x)
{
    return x->v[HN_SF_CSW_VOL] + x->v[HN_SF_CSW_INVOL];
}

/* Rates per second of CPU and context switches over the measured window: the
 * first and last samples inside it, else the nearest ones around it. */
static void window_rates(const struct hn_sample *all, size_t n_all, const struct hn_window *w,
                         double *cpu_per_s, double *csw_per_s)
{
    struct hn_sample s[n_all ? n_all : 1];
    size_t n = 0, j;
    for (j = 0; j < n_all; j++) /* the tree (heavy) samples only */
        if (isfinite(all[j].v[HN_SF_UTIME])) s[n++] = all[j];
    size_t a = n, b = n, i;
    *cpu_per_s = *csw_per_s = NAN;
    for (i = 0; i < n; i++) {
        double t = s[i].v[HN_SF_T];
        if (t >= w->start_s && t <= w->end_s) {
            if (a == n) a = i;
            b = i;
        }
    }
    if (a == n || a == b) { /* widen to the samples around the window */
        for (a = 0, i = 0; i < n; i++)
            if (s[i].v[HN_SF_T] <= w->start_s) a = i;
        for (b = n, i = n; i-- > 0;)
            if (s[i].v[HN_SF_T] >= w->end_s) b = i;
        if (b == n) b = n ? n - 1 : 0;
    }
    if (n < 2 || b <= a || s[b].v[HN_SF_T] <= s[a].v[HN_SF_T]) return;
    *cpu_per_s = cpu_delta(&s[a], &s[b]) / (s[b].v[HN_SF_T] - s[a].v[HN_SF_T]);
    *csw_per_s = (csw_of(&s[b]) - csw_of(&s[a])) / (s[b].v[HN_SF_T] - s[a].v[HN_SF_T]);
    if (*csw_per_s < 0) /* threads that exited took their counts along: unknown */
        *csw_per_s = NAN;
}

static void load_metrics(const json_t *load, double *m)
{
    static const char *const errs[] = {"errors.connect",  "errors.read",      "errors.write",
                                       "errors.reset",    "errors.eof",       "errors.parse",
                                       "requests.non2xx", "requests.timeouts"};
    size_t i;
    m[RES_M_RPS] = hn_jnum(load, "throughput_rps");
    m[RES_M_P50] = hn_jnum(load, "latency_us.p50");
    m[RES_M_P90] = hn_jnum(load, "latency_us.p90");
    m[RES_M_P99] = hn_jnum(load, "latency_us.p99");
    m[RES_M_P999] = hn_jnum(load, "latency_us.p999");
    m[RES_M_MAX] = hn_jnum(load, "latency_us.max");
    m[RES_M_ERRORS] = load ? 0 : NAN;
    for (i = 0; load && i < sizeof errs / sizeof errs[0]; i++) {
        double v = hn_jnum(load, errs[i]);
        if (isfinite(v)) m[RES_M_ERRORS] += v;
    }
    m[RES_M_ESTABLISHED] = hn_jnum(load, "connections.established");
    double unanswered = hn_jnum(load, "connections.unanswered");
    m[RES_M_HELD] = m[RES_M_ESTABLISHED] - (isfinite(unanswered) ? unanswered : 0);
    m[RES_M_LOADGEN_CPU] = hn_jnum(load, "cpu.busiest_thread_fraction");
}

static void mem_metrics(const struct hn_sample *i, const struct hn_sample *l, double conns,
                        double *m)
{
    m[RES_M_PSS_IDLE] = i ? i->v[HN_SF_PSS] : NAN;
    if (!l) return;
    m[RES_M_PSS_LOADED] = l->v[HN_SF_PSS];
    m[RES_M_RSS_LOADED] = l->v[HN_SF_RSS];
    m[RES_M_VSZ_LOADED] = l->v[HN_SF_VSZ];
    m[RES_M_THREADS_LOADED] = l->v[HN_SF_THREADS];
    m[RES_M_PROCS_LOADED] = l->v[HN_SF_PROCS];
    if (!i || !(conns > 0)) return;
    m[RES_M_PC_USER] = (l->v[HN_SF_PSS] - i->v[HN_SF_PSS]) / conns;
    m[RES_M_PC_KSTACK] = (l->v[HN_SF_SYS_KSTACK] - i->v[HN_SF_SYS_KSTACK]) / conns;
    m[RES_M_PC_PTE] = (l->v[HN_SF_SYS_PTE] - i->v[HN_SF_SYS_PTE]) / conns;
    m[RES_M_PC_SOCKET] = (l->v[HN_SF_SYS_TCPMEM] - i->v[HN_SF_SYS_TCPMEM]) / conns;
    m[RES_M_PC_AVAIL] = (i->v[HN_SF_SYS_AVAIL] - l->v[HN_SF_SYS_AVAIL]) / conns;
    m[RES_M_PC_PTE_TREE] = (l->v[HN_SF_PTE] - i->v[HN_SF_PTE]) / conns;
    m[RES_M_PC_KSTACK_TREE] =
        (l->v[HN_SF_THREADS] - i->v[HN_SF_THREADS]) * HN_KSTACK_PER_THREAD_BYTES / conns;
    m[RES_M_PC_SLAB] = (l->v[HN_SF_SYS_SLAB] - i->v[HN_SF_SYS_SLAB]) / conns;
    /* system-wide until the books (books.c) put the server's own total here */
    m[RES_M_PC_TOTAL] = m[RES_M_PC_USER] + m[RES_M_PC_KSTACK] + m[RES_M_PC_PTE] + m[RES_M_PC_SLAB] +
                        m[RES_M_PC_SOCKET];
}

void hn_metrics_compute(const json_t *load, const struct hn_sample *idle,
                        const struct hn_sample *loaded, const struct hn_sample *s, size_t n,
                        const struct hn_window *w, double *m)
{
    double cpu_s, csw_s, rps;
    size_t i;
    for (i = 0; i < RES_M_COUNT; i++)
        m[i] = NAN;
    load_metrics(load, m);
    rps = m[RES_M_RPS];
    window_rates(s, n, w, &cpu_s, &csw_s);
    if (rps > 0) {
        m[RES_M_CPU_PER_REQ] = cpu_s / rps * 1e6;
        m[RES_M_CSW_PER_REQ] = csw_s / rps;
    }
    /* per connection: those actually established (the target when unknown) */
    mem_metrics(idle, loaded, m[RES_M_ESTABLISHED], m);
}

/* Closed loop: no response in the window, or fewer than one per established
 * connection over it. Open loop: no response in the window. */
static bool no_progress(const json_t *load, uint64_t rate)
{
    double got = hn_jnum(load, "requests.received"), est;
    if (json_is_true(json_object_get(json_object_get(load, "config"), "idle")))
        return !(hn_jnum(load, "connections.unanswered") == 0); /* each answered in the ramp */
    if (!isfinite(got)) got = hn_jnum(load, "requests.completed");
    if (!(got > 0)) return true;
    est = hn_jnum(load, "connections.established");
    return rate == 0 && isfinite(est) && got < est;
}

/* Open loop: responses received in the window / its length (the achieved
 * rate; throughput_rps when requests.received is absent). */
static double achieved_rps(const json_t *load, const double *m)
{
    double got = hn_jnum(load, "requests.received"), d = hn_jnum(load, "duration_s");
    return isfinite(got) && d > 0 ? got / d : m[RES_M_RPS];
}

void hn_flags_add(json_t *flags, const json_t *load, const double *m, uint64_t target,
                  uint64_t rate)
{
    double est = hn_jnum(load, "connections.established");
    if (m[RES_M_ERRORS] > 0) json_array_append_new(flags, json_string("errors"));
    if (!(est >= (double)target)) json_array_append_new(flags, json_string("connections_short"));
    if (rate > 0 && !(achieved_rps(load, m) >= 0.99 * (double)rate))
        json_array_append_new(flags, json_string("rate_missed"));
    if (m[RES_M_LOADGEN_CPU] > 0.95) json_array_append_new(flags, json_string("loadgen_saturated"));
    if (no_progress(load, rate)) json_array_append_new(flags, json_string("no_progress"));
}

json_t *hn_metrics_json(const double *m)
{
    json_t *o = json_object();
    size_t i;
    for (i = 0; i < RES_M_COUNT; i++)
        json_object_set_new(o, res_metrics[i].name, hn_jreal_or_null(m[i]));
    return o;
}
