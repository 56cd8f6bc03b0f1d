/* rp answer: "The answer in this run", a few sentences computed from the
 * closed-loop medians at the largest connection count where a thread model and
 * an event loop were both measured: memory per connection and what it is made
 * of, then throughput and CPU per request of every model there. */
#include "config.h"
#include "modeltab.h"
#include "rp.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* The point of the classes' model (modeltab.h) at conns in scen with the least
 * (or with want_max the most) of metric. */
static const struct res_point *rp_best(const struct rp_run *run, unsigned classes, long conns,
                                      const char *scen, const char *metric, int want_max)
{
    const struct res_point *best = NULL;
    const char *models[MT_MAX_MODELS];
    size_t n = mt_select(classes, models, MT_MAX_MODELS);
    for (size_t i = 0; i < n; i++) {
        const struct res_point *p = rp_find(run, models[i], conns, scen);
        double v = rp_metric(p, metric);
        if (!rp_has_data(p) || !isfinite(v)) continue;
        if (!best || (want_max ? v > rp_metric(best, metric) : v < rp_metric(best, metric)))
            best = p;
    }
    return best;
}

static long rp_answer_conns(const struct rp_run *run, const char *scen)
{
    long best = -1;
    for (size_t i = 0; i < run->n; i++) {
        const struct res_point *p = &run->pts[i];
        if (strcmp(p->scenario, scen) != 0 || p->connections <= best) continue;
        if (rp_best(run, MT_PER_CONN, p->connections, scen, RES_NAME(PC_TOTAL), 0) &&
            rp_best(run, MT_EVENT_LOOP, p->connections, scen, RES_NAME(PC_TOTAL), 0))
            best = p->connections;
    }
    return best;
}

static void rp_answer_memory(struct rp_out *o, const struct res_point *t, const struct res_point *e)
{
    char a[6][64];
    double tt = rp_metric(t, RES_NAME(PC_TOTAL)), et = rp_metric(e, RES_NAME(PC_TOTAL));
    rp_p(o,
         "Memory: at %lld connections %s needs %s per connection (user %s, kernel stack "
         "%s, page tables %s) and %s needs %s (user %s)%s%.1fx. A thread (or process) "
         "per connection brings its own kernel stack, the pages of its user stack it "
         "touched and page tables to map them; an event loop keeps a connection as a "
         "small structure in one process. The socket buffers are paid by every model "
         "alike.",
         t->connections, t->model, rp_fmt_bytes(a[0], 64, tt),
         rp_fmt_bytes(a[1], 64, rp_metric(t, RES_NAME(PC_USER))),
         rp_fmt_bytes(a[2], 64, rp_metric(t, RES_NAME(PC_KSTACK))),
         rp_fmt_bytes(a[3], 64, rp_metric(t, RES_NAME(PC_PTE))), e->model,
         rp_fmt_bytes(a[4], 64, et),
         rp_fmt_bytes(a[5], 64, rp_metric(e, RES_NAME(PC_USER))),
         et > 0 && tt > 0 ? ": a ratio of " : "", et > 0 && tt > 0 ? tt / et : 0.0);
}

static void rp_answer_speed(struct rp_out *o, const struct rp_run *run, long conns,
                            const char *scen)
{
    char b1[64], b2[64], b3[64], b4[64];
    for (size_t m = 0; m < run->n_models; m++) {
        const struct res_point *p = rp_find(run, run->models[m], conns, scen);
        if (!rp_has_data(p)) {
            rp_li(o, "%s: %s", run->models[m], p ? p->status : "not measured");
            continue;
        }
        rp_li(o, "%s: %s req/s, p99 %s, %s µs of CPU and %s context switches per request.",
              p->model, rp_fmt_num(b1, sizeof b1, rp_metric(p, RES_NAME(RPS)), 0),
              rp_fmt_us(b2, sizeof b2, rp_metric(p, RES_NAME(P99))),
              rp_fmt_num(b3, sizeof b3, rp_metric(p, RES_NAME(CPU_PER_REQ)), 1),
              rp_fmt_num(b4, sizeof b4, rp_metric(p, RES_NAME(CSW_PER_REQ)), 3));
    }
    rp_list_end(o);
}

void rp_sec_answer(struct rp_out *o, const struct rp_run *run)
{
    const char *scen = NULL;
    long conns;
    for (size_t i = 0; !scen && i < run->n_scen; i++)
        if (rp_scenario_rate(run, run->scenarios[i]) == 0 &&
            strcmp(run->scenarios[i], HN_SCENARIO_IDLE)) /* idle: no requests; memory below */
            scen = run->scenarios[i];
    rp_h(o, 2, "The answer in this run");
    bool books = rp_answer_books(o, run) == 0; /* memory from the idle scenario's groups */
    conns = scen ? rp_answer_conns(run, scen) : -1;
    if (conns < 0) {
        rp_p(o,
             "%s: it needs a closed-loop scenario with a thread or process model and an "
             "event-loop model at the same connection count.",
             books ? "Throughput and CPU not measured in this run" : "Not measured in this run");
        return;
    }
    if (!books) /* no idle scenario: the system-wide figures */
        rp_answer_memory(o, rp_best(run, MT_PER_CONN, conns, scen, RES_NAME(PC_TOTAL), 0),
                         rp_best(run, MT_EVENT_LOOP, conns, scen, RES_NAME(PC_TOTAL), 0));
    rp_p(o,
         "(The least hungry thread/process model against the least hungry event loop; "
         "every model is in the memory table.) Throughput, latency and CPU at %ld "
         "connections, scenario %s (closed loop: each model at its own maximum):",
         conns, scen);
    rp_answer_speed(o, run, conns, scen);
}
