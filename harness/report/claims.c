/* rp claims: the "Claims checked" section. Each common claim is set beside
 * this run's medians and gets a verdict computed from them ("not measured in
 * this run" when the points are missing). Thresholds are named constants. */
#include "modeltab.h"
#include "rp.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define RP_MIB (1024.0 * 1024.0)
#define RP_FEW_KB_BYTES (16.0 * 1024.0) /* "a few KB": at most 16 KiB */
#define RP_SMALL_CONNS 1000             /* below: per-connection memory is noisy */

#define RP_N(a) (sizeof(a) / sizeof((a)[0]))

static const char *rp_closed_scenario(const struct rp_run *run)
{
    for (size_t i = 0; i < run->n_scen; i++)
        if (rp_scenario_rate(run, run->scenarios[i]) == 0) return run->scenarios[i];
    return NULL;
}

/* The point of model with data at the largest connection count of scen. */
static const struct res_point *rp_largest(const struct rp_run *run, const char *model,
                                          const char *scen)
{
    const struct res_point *best = NULL;
    for (size_t i = 0; i < run->n; i++) {
        const struct res_point *p = &run->pts[i];
        if (strcmp(p->model, model) != 0 || (scen && strcmp(p->scenario, scen) != 0) ||
            !rp_has_data(p))
            continue;
        if (!best || p->connections > best->connections) best = p;
    }
    return best;
}

static void rp_verdict(struct rp_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void rp_verdict(struct rp_out *o, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    rp_p(o, "Verdict: %s", text);
}

static void rp_claim_thread_mb(struct rp_out *o, const struct rp_run *run, const char *scen)
{
    const struct res_point *p = rp_largest(run, "threads", scen);
    char r[64], u[64], us[64], ks[64], ut[64];
    double thr, vsz, reserved, used;
    rp_h(o, 3, "1. \"A thread costs 1–8 MB\"");
    if (!p) {
        rp_p(o, "Verdict: not measured in this run (no threads point with data).");
        return;
    }
    thr = rp_metric(p, RES_NAME(THREADS_LOADED));
    vsz = rp_metric(p, RES_NAME(VSZ_LOADED));
    reserved = thr > 0 ? vsz / thr : NAN;
    used = rp_metric(p, RES_NAME(PC_TOTAL));
    rp_fmt_bytes(r, sizeof r, reserved);
    rp_fmt_bytes(u, sizeof u, used);
    rp_li(o,
          "threads at %lld connections: %.0f threads, VSZ %s: %s of address space "
          "reserved per thread (mostly its stack mapping).",
          p->connections, thr, rp_bytes_spread(us, sizeof us, p, RES_NAME(VSZ_LOADED)), r);
    rp_li(o,
          "Memory used per connection: %s (user %s, kernel stack %s, page tables and "
          "socket buffers the rest).",
          rp_bytes_spread(ut, sizeof ut, p, RES_NAME(PC_TOTAL)),
          rp_bytes_spread(us, sizeof us, p, RES_NAME(PC_USER)),
          rp_bytes_spread(ks, sizeof ks, p, RES_NAME(PC_KSTACK)));
    if (p->connections < RP_SMALL_CONNS)
        rp_li(o, "Only %lld connections measured: per-connection figures are noisy.",
              p->connections);
    rp_list_end(o);
    if (!isfinite(reserved) || !isfinite(used))
        rp_p(o, "Verdict: not measured in this run (VSZ, threads or memory missing).");
    else if (used >= RP_MIB)
        rp_verdict(o, "holds: a connection's thread uses %s (reserves %s).", u, r);
    else if (reserved >= RP_MIB)
        rp_verdict(o,
                   "holds for reserved address space only: a thread reserves %s, but "
                   "uses %s per connection; the stack is touched, not filled.",
                   r, u);
    else
        rp_verdict(o, "does not hold here: %s reserved and %s used per thread.", r, u);
}

static void rp_claim_async_kb(struct rp_out *o, const struct rp_run *run, const char *scen)
{
    char yes[256] = "", no[256] = "", user_ok[256] = "", b1[64], b2[64];
    const char *loops[MT_MAX_MODELS];
    size_t n = 0, n_loops = mt_select(MT_EVENT_LOOP, loops, MT_MAX_MODELS);
    rp_h(o, 3, "2. \"An async task costs a few KB\"");
    for (size_t i = 0; i < n_loops; i++) {
        const struct res_point *p = rp_largest(run, loops[i], scen);
        double total = rp_metric(p, RES_NAME(PC_TOTAL));
        double user = rp_metric(p, RES_NAME(PC_USER));
        char *list;
        if (!p || !isfinite(total)) continue;
        n++;
        rp_li(o, "%s at %lld connections: %s per connection in total (user %s).", p->model,
              p->connections, rp_bytes_spread(b1, sizeof b1, p, RES_NAME(PC_TOTAL)),
              rp_bytes_spread(b2, sizeof b2, p, RES_NAME(PC_USER)));
        list = total <= RP_FEW_KB_BYTES ? yes : no;
        snprintf(list + strlen(list), 256 - strlen(list), "%s%s", list[0] ? ", " : "", p->model);
        if (total > RP_FEW_KB_BYTES && user <= RP_FEW_KB_BYTES)
            snprintf(user_ok + strlen(user_ok), 256 - strlen(user_ok), "%s%s",
                     user_ok[0] ? ", " : "", p->model);
    }
    rp_list_end(o);
    if (!n)
        rp_p(o, "Verdict: not measured in this run (no event-loop model with memory data).");
    else if (!no[0])
        rp_verdict(o,
                   "holds: every event-loop model measured (%s) stays at or under 16 "
                   "KiB per connection, kernel stacks, page tables and socket buffers "
                   "included.",
                   yes);
    else if (!yes[0])
        rp_verdict(o,
                   "does not hold here: %s use more than 16 KiB per connection in "
                   "total%s%s%s.",
                   no, user_ok[0] ? " (the user-space part stays under 16 KiB for " : "", user_ok,
                   user_ok[0] ? "; the kernel's share is the rest)" : "");
    else
        rp_verdict(o, "holds for %s (at or under 16 KiB per connection), not for %s.", yes, no);
}

static int rp_unstable(const struct res_point *p)
{
    return !strcmp(p->status, "broken") || rp_metric(p, RES_NAME(ERRORS)) > 0 ||
           strstr(p->flags, "server_crashed") || strstr(p->flags, "connections_short");
}

static void rp_claim_500(struct rp_out *o, const struct rp_run *run)
{
    const char *models[MT_MAX_MODELS];
    size_t n_models = mt_select(MT_THREAD, models, MT_MAX_MODELS);
    long first_bad = -1, first_seen = -1, max_seen = -1;
    char b1[64], b2[64];
    rp_h(o, 3, "3. \"A thread-per-connection server is unstable at 500 clients\"");
    for (size_t m = 0; m < n_models; m++)
        for (size_t i = 0; i < run->n; i++) {
            const struct res_point *p = &run->pts[i];
            if (strcmp(p->model, models[m]) != 0 || p->connections < 500 ||
                !strcmp(p->status, "pending") || !strcmp(p->status, "unavailable"))
                continue;
            rp_li(o, "%s, %s, %lld connections: %s, errors %s, p99 %s%s%s.", p->model, p->scenario,
                  p->connections, p->status, rp_num_spread(b1, sizeof b1, p, RES_NAME(ERRORS), 0),
                  rp_us_spread(b2, sizeof b2, p, RES_NAME(P99)), p->flags[0] ? ", flags " : "",
                  p->flags);
            if (first_seen < 0 || p->connections < first_seen) first_seen = p->connections;
            if (p->connections > max_seen) max_seen = p->connections;
            if (rp_unstable(p) && (first_bad < 0 || p->connections < first_bad))
                first_bad = p->connections;
        }
    rp_list_end(o);
    snprintf(b1, sizeof b1, "%ld", first_bad);
    snprintf(b2, sizeof b2, "%ld", max_seen);
    if (first_seen < 0)
        rp_p(o, "Verdict: not measured in this run (no threads or py-threads point at 500 "
                "connections or more).");
    else if (first_bad < 0)
        rp_verdict(o,
                   "does not hold here: no errors, crash or missing connections at any "
                   "count measured from 500 up to %s%s (latency grows with the queue: "
                   "see p99).",
                   b2, "");
    else if (first_bad <= first_seen)
        rp_verdict(o,
                   "holds: errors or a break already at %s connections (the smallest "
                   "count of 500 or more measured).%s",
                   b1, "");
    else
        rp_verdict(o,
                   "does not hold at 500: stable there, unstable from %s connections "
                   "(measured up to %s).",
                   b1, b2);
}

static const char *rp_delay_scenario(const struct rp_run *run, double *delay_us)
{
    for (size_t i = 0; i < run->n_scen; i++) {
        const char *q = strstr(rp_scenario_path(run, run->scenarios[i]), "delay_us=");
        if (q && (*delay_us = strtod(q + 9, NULL)) > 0) return run->scenarios[i];
    }
    return NULL;
}

static void rp_claim_asyncio(struct rp_out *o, const struct rp_run *run)
{
    static const char *const models[] = {"py-asyncio", "py-threads", "py-prefork"};
    double delay_us = 0, seq_rps, sp = NAN, vs_thr = NAN;
    const char *scen = rp_delay_scenario(run, &delay_us);
    const struct res_point *a;
    char b1[64], b2[64], b3[64], lb[96];
    int capped;
    rp_h(o, 3, "4. \"asyncio speeds up I/O-bound code 10–100x\"");
    if (!scen || !(a = rp_largest(run, "py-asyncio", scen))) {
        rp_p(o, "Verdict: not measured in this run (needs py-asyncio in a scenario with "
                "?delay_us=).");
        return;
    }
    seq_rps = 1e6 / delay_us;
    rp_p(o,
         "The speed-up is relative to handling requests one after the other: a "
         "sequential server waiting %.0f µs per request completes at most %.0f req/s. "
         "In scenario %s the load is offered at %ld req/s, so no model can show more "
         "than that (a cap of %.1fx over sequential).",
         delay_us, seq_rps, scen, rp_scenario_rate(run, scen),
         rp_scenario_rate(run, scen) / seq_rps);
    for (size_t m = 0; m < RP_N(models); m++) {
        const struct res_point *p = rp_find(run, models[m], a->connections, scen);
        double t = rp_metric(p, RES_NAME(RPS));
        if (!rp_has_data(p)) {
            rp_li(o, "%s at %lld connections: not measured (%s).", models[m], a->connections,
                  p ? p->status : "not in this run");
            continue;
        }
        rp_li(o, "%s at %lld connections: %s req/s = %.1fx sequential, p50 %s, p99 %s.", models[m],
              p->connections, rp_num_spread(b1, sizeof b1, p, RES_NAME(RPS), 0), t / seq_rps,
              rp_us_spread(b2, sizeof b2, p, RES_NAME(P50)),
              rp_us_spread(b3, sizeof b3, p, RES_NAME(P99)));
        if (m == 0) sp = t / seq_rps;
        if (m == 1) vs_thr = rp_metric(a, RES_NAME(RPS)) / t;
    }
    rp_list_end(o);
    snprintf(b1, sizeof b1, "%.1fx", sp);
    if (isfinite(vs_thr))
        snprintf(b2, sizeof b2, "%.2fx", vs_thr);
    else
        snprintf(b2, sizeof b2, "not measured");
    capped = rp_scenario_rate(run, scen) > 0 &&
             rp_metric(a, RES_NAME(RPS)) >= 0.99 * (double)rp_scenario_rate(run, scen);
    snprintf(lb, sizeof lb, "%s%s", capped ? "at least " : "", b1);
    if (capped && sp < 10)
        rp_verdict(o,
                   "cannot be shown by this scenario: its offered load caps the speed-up "
                   "at %s and asyncio served all of it (asyncio / py-threads = %s).",
                   b1, b2);
    else if (!isfinite(vs_thr))
        rp_verdict(o,
                   "against sequential handling asyncio reaches %s; py-threads was not "
                   "measured beside it.",
                   lb);
    else if (sp >= 10 && vs_thr < 1.5)
        rp_verdict(o,
                   "holds against sequential handling (%s%s), not against threads: "
                   "asyncio / py-threads throughput = %s (both overlap the waits).",
                   lb, capped ? ": asyncio served the whole offered load" : "", b2);
    else if (sp >= 10)
        rp_verdict(o,
                   "holds against sequential handling (%s), and asyncio also beats "
                   "py-threads (%s).",
                   lb, b2);
    else
        rp_verdict(o,
                   "does not hold here: asyncio reaches %s of sequential handling "
                   "(asyncio / py-threads = %s).",
                   b1, b2);
}

static double rp_group_ctxsw(struct rp_out *o, const struct rp_run *run, const char *scen,
                             long conns, const char *const *models, size_t n, int want_max)
{
    double best = NAN;
    char b1[64], b2[64];
    for (size_t i = 0; i < n; i++) {
        const struct res_point *p = rp_find(run, models[i], conns, scen);
        double v = rp_metric(p, RES_NAME(CSW_PER_REQ));
        if (!rp_has_data(p) || !isfinite(v)) continue;
        rp_li(o, "%s at %ld connections: %s context switches and %s µs of CPU per request.",
              p->model, conns, rp_num_spread(b1, sizeof b1, p, RES_NAME(CSW_PER_REQ), 3),
              rp_num_spread(b2, sizeof b2, p, RES_NAME(CPU_PER_REQ), 1));
        if (!isfinite(best) || (want_max ? v > best : v < best)) best = v;
    }
    return best;
}

static void rp_claim_ctxsw(struct rp_out *o, const struct rp_run *run, const char *scen)
{
    const struct res_point *t = NULL;
    const char *loops[MT_MAX_MODELS], *per_conn[MT_MAX_MODELS];
    size_t n_loops = mt_select(MT_EVENT_LOOP, loops, MT_MAX_MODELS);
    size_t n_per_conn = mt_select(MT_PER_CONN, per_conn, MT_MAX_MODELS);
    double ev, th;
    char b1[64], b2[64];
    rp_h(o, 3, "5. \"Event loops avoid the cost of context switches\"");
    for (size_t i = 0; !t && i < n_per_conn; i++)
        t = rp_largest(run, per_conn[i], scen);
    if (!t) {
        rp_p(o, "Verdict: not measured in this run (no thread or process model point).");
        return;
    }
    ev = rp_group_ctxsw(o, run, scen, t->connections, loops, n_loops, 1);
    th = rp_group_ctxsw(o, run, scen, t->connections, per_conn, n_per_conn, 0);
    rp_list_end(o);
    rp_fmt_num(b1, sizeof b1, ev, 3);
    rp_fmt_num(b2, sizeof b2, th, 3);
    if (!isfinite(ev) || !isfinite(th))
        rp_p(o, "Verdict: not measured in this run (needs an event-loop and a thread model "
                "at the same connection count).");
    else if (ev < th)
        rp_verdict(o,
                   "holds: the most switching event loop does %s context switches per "
                   "request, the least switching thread/process model %s.",
                   b1, b2);
    else
        rp_verdict(o,
                   "does not hold here: event loops up to %s context switches per "
                   "request, thread/process models from %s.",
                   b1, b2);
}

void rp_sec_claims(struct rp_out *o, const struct rp_run *run)
{
    const char *scen = rp_closed_scenario(run);
    if (!scen) scen = run->n_scen ? run->scenarios[0] : "max";
    rp_h(o, 2, "Claims checked");
    rp_p(o, "Common claims about threads and event loops, set beside this run's medians (±: how "
            "much each varied over the trials). "
            "Each verdict is computed from the figures above when the report is written.");
    rp_claim_thread_mb(o, run, scen);
    rp_claim_async_kb(o, run, scen);
    rp_claim_500(o, run);
    rp_claim_asyncio(o, run);
    rp_claim_ctxsw(o, run, scen);
}
