/* rp sections of figures: per scenario a table of model x connections
 * (throughput, latency, CPU, context switches, status), the memory per
 * connection, and the breaking point of every model with its cause. */
#include "config.h"
#include "rp.h"

#include <math.h>
#include <string.h>

static size_t rp_conns(const struct rp_run *run, const char *scen, long *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < run->n; i++) {
        long c = run->pts[i].connections;
        size_t j = 0;
        if (strcmp(run->pts[i].scenario, scen) != 0) continue;
        while (j < n && out[j] != c)
            j++;
        if (j < n || n >= cap) continue;
        for (j = n++; j > 0 && out[j - 1] > c; j--)
            out[j] = out[j - 1];
        out[j] = c;
    }
    return n;
}

static const char *rp_mem_scenario(const struct rp_run *run)
{
    for (size_t i = 0; i < run->n_scen; i++)
        if (rp_scenario_rate(run, run->scenarios[i]) == 0) return run->scenarios[i];
    return run->n_scen ? run->scenarios[0] : "max";
}

static void rp_perf_row(struct rp_out *o, const struct res_point *p)
{
    char c[10][64];
    snprintf(c[0], 64, "%s", p->model);
    snprintf(c[1], 64, "%lld", p->connections);
    snprintf(c[2], 64, "%s", p->status);
    rp_fmt_spread(c[3], 64, p, RES_NAME(RPS), 0);
    const char *m[] = {RES_NAME(P50), RES_NAME(P99), RES_NAME(CPU_PER_REQ), RES_NAME(CSW_PER_REQ),
                       RES_NAME(ERRORS)};
    rp_fmt_us(c[4], 64, rp_metric(p, m[0]));
    rp_fmt_us(c[5], 64, rp_metric(p, m[1]));
    rp_fmt_num(c[6], 64, rp_metric(p, m[2]), 1);
    rp_fmt_num(c[7], 64, rp_metric(p, m[3]), 2);
    rp_fmt_num(c[8], 64, rp_metric(p, m[4]), 0);
    for (size_t i = 0; i < 5; i++)
        rp_with_spread(c[4 + i], 64, p, m[i]);
    snprintf(c[9], 64, "%.60s", p->flags[0] ? p->flags : "–");
    rp_row(o, 10, c);
}

void rp_sec_figures(struct rp_out *o, const struct rp_run *run)
{
    static const char *const hdr[] = {"model",  "connections", "status",     "throughput (req/s)",
                                      "p50",    "p99",         "CPU µs/req", "ctxsw/req",
                                      "errors", "flags"};
    long conns[64];
    rp_h(o, 2, "Throughput, latency and CPU");
    rp_p(o, "Medians over the trials; ±: how much each figure varied over them "
            "(coefficient of variation, %%; none with a single trial; section Noise names the "
            "points whose throughput stayed over the target). CPU µs/req = the server's time on "
            "CPU in the measured "
            "window per completed request; ctxsw/req = its voluntary + involuntary context "
            "switches per request. A dash: not measured (the point broke, was skipped or "
            "is not supported by the model).");
    for (size_t s = 0; s < run->n_scen; s++) {
        const char *scen = run->scenarios[s];
        long rate = rp_scenario_rate(run, scen);
        size_t nc = rp_conns(run, scen, conns, 64);
        rp_h(o, 3, "Scenario %s: GET %s, %s", scen, rp_scenario_path(run, scen),
             rate > 0 ? "open loop" : "closed loop");
        if (rate > 0)
            rp_p(o,
                 "Offered load: %ld requests/s whatever the connection count; a model "
                 "that keeps up shows %ld req/s, a lower figure means it fell behind.",
                 rate, rate);
        rp_table(o, 10, hdr);
        for (size_t c = 0; c < nc; c++)
            for (size_t m = 0; m < run->n_models; m++) {
                const struct res_point *p = rp_find(run, run->models[m], conns[c], scen);
                if (p) rp_perf_row(o, p);
            }
        rp_table_end(o);
    }
}

static void rp_mem_row(struct rp_out *o, const struct res_point *p)
{
    char c[12][64];
    double thr = rp_metric(p, RES_NAME(THREADS_LOADED)), pr = rp_metric(p, RES_NAME(PROCS_LOADED));
    snprintf(c[0], 64, "%s", p->model);
    snprintf(c[1], 64, "%lld", p->connections);
    if (isfinite(thr) && isfinite(pr))
        snprintf(c[2], 64, "%.0f / %.0f", thr, pr);
    else
        snprintf(c[2], 64, "–");
    /* the server's memory books (its own group): the parts of its total */
    const char *m[] = {RES_NAME(PSS_LOADED), RES_NAME(VSZ_LOADED),    RES_NAME(SRV_USER),
                       RES_NAME(SRV_KSTACK), RES_NAME(SRV_PAGE_FRAG), RES_NAME(SRV_PTE),
                       RES_NAME(SRV_SLAB),   RES_NAME(SRV_SOCK),      RES_NAME(PC_TOTAL)};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        rp_fmt_bytes(c[3 + i], 64, rp_metric(p, m[i]));
        rp_with_spread(c[3 + i], 64, p, m[i]);
    }
    rp_row(o, 12, c);
}

void rp_sec_memory(struct rp_out *o, const struct rp_run *run)
{
    static const char *const hdr[] = {"model",       "conns", "threads / procs", "PSS loaded",
                                      "VSZ loaded",  "user",  "kstack",          "page frag",
                                      "page tables", "slab",  "socket",          "total"};
    const char *scen = rp_mem_scenario(run);
    long conns[64];
    size_t nc = rp_conns(run, scen, conns, 64);
    rp_h(o, 2, "Memory per connection");
    rp_p(
        o,
        "Scenario %s. From user to total, bytes per connection: the server's memory books (its own "
        "memory cgroup; docs/methodology.md), loaded minus idle over the connections: "
        "user = its anonymous and file pages, kstack = kernel stacks, page frag = the "
        "32 KiB TCP page fragment each new task keeps once it has sent (no group holds "
        "it), pagetables = page tables, slab = its kernel objects (socket, inode, dentry, "
        "file, epoll item; task_struct for a thread), socket = TCP buffer pages; total = "
        "all of them (mem_per_conn_bytes). On the system method (no group) they are "
        "system-wide deltas. PSS is the server tree's, VSZ address space reserved, not "
        "memory used. At small connection counts the per-connection figures are "
        "dominated by noise: read the largest count.",
        scen);
    rp_table(o, 12, hdr);
    for (size_t c = 0; c < nc; c++)
        for (size_t m = 0; m < run->n_models; m++) {
            const struct res_point *p = rp_find(run, run->models[m], conns[c], scen);
            if (p) rp_mem_row(o, p);
        }
    rp_table_end(o);
}

static void rp_add_flagged(char *fl, size_t cap, const struct res_point *p)
{
    size_t len = strlen(fl);
    snprintf(fl + len, cap - len, "%s%lld: %s", len ? "; at " : "; flagged at ", p->connections,
             p->flags[0] ? p->flags : "no flag recorded");
}

static void rp_break_model(struct rp_out *o, const struct rp_run *run, const char *model,
                           const char *scen)
{
    long conns[64];
    size_t nc = rp_conns(run, scen, conns, 64);
    long max_ok = -1;
    char fl[1024] = "";
    for (size_t c = 0; c < nc; c++) {
        const struct res_point *p = rp_find(run, model, conns[c], scen);
        if (!p) continue;
        if (!strcmp(p->status, "broken")) {
            rp_li(o, "%s, %s: breaks at %lld connections: %s%s", model, scen, p->connections,
                  p->reason ? p->reason : "no reason recorded", fl);
            return;
        }
        if (!strcmp(p->status, "unavailable") || !strcmp(p->status, "unsupported")) {
            rp_li(o, "%s, %s: %s (%s)", model, scen, p->status,
                  p->reason ? p->reason : "no reason recorded");
            return;
        }
        if (strstr(p->flags, "no_progress") ||
            (rp_metric(p, RES_NAME(RPS)) == 0 && strcmp(scen, HN_SCENARIO_IDLE))) {
            rp_li(o,
                  "%s, %s: stops serving at %lld connections (no progress in the measured "
                  "window; flags %s)%s",
                  model, scen, p->connections, p->flags[0] ? p->flags : "none", fl);
            return;
        }
        if (!strcmp(p->status, "flagged")) rp_add_flagged(fl, sizeof fl, p);
        if (rp_has_data(p)) max_ok = p->connections;
    }
    if (max_ok >= 0)
        rp_li(o, "%s, %s: no break up to %ld connections%s.", model, scen, max_ok, fl);
    else
        rp_li(o, "%s, %s: not measured in this run%s.", model, scen, fl);
}

void rp_sec_breaking(struct rp_out *o, const struct rp_run *run)
{
    rp_h(o, 2, "Breaking points");
    rp_p(o, "For each model and scenario, the smallest connection count at which it could "
            "not serve the point (status broken: crashed, or fewer than 90%% of the "
            "connections established; or no response in the measured window), with the "
            "cause the harness recorded; flagged "
            "points (errors, missed rate, saturated load generator...) are listed too.");
    for (size_t s = 0; s < run->n_scen; s++)
        for (size_t m = 0; m < run->n_models; m++)
            rp_break_model(o, run, run->models[m], run->scenarios[s]);
    rp_list_end(o);
}
