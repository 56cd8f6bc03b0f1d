/* test-eta: the sweep's ETA (harness/eta.c) on a synthetic default run in the
 * sweep's order (scenario, connections, trial, model, then the adaptive trials)
 * over every model of the model table. True trial times: the scenario's
 * window plus an overhead of a fixed part and a cost per connection that is the
 * prior's x0.3 or x3 (it must be learned), +-15% noise; one model hits a wall
 * at 5,000 (tens of seconds a trial) and breaks there in the closed-loop
 * scenarios, at 10,000 in the open-loop one; an idle trial's overhead is 0.7 of
 * a loaded one's; 45% of the closed-loop points ask for an extra trial, 10% of
 * the open-loop ones. From the first trial of the 25th percent of
 * the points to 90% of the run's time the ETA must be within 20% of the time
 * really left. No clock: synthetic timings only. Try: meson test -C build eta */
#include "eta.h"
#include "modeltab.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define NC 4
#define NS 3
#define TRIALS 2u
#define MAX_TRIALS 3u

static const uint64_t conns[NC] = {100, 1000, 5000, 10000};
static const char *const scen[NS] = {"max", "delay", "idle"};
static const double window[NS] = {1.3, 1.3, 0.5}; /* delay: open loop */
static const bool closed[NS] = {true, false, true};
static const enum hn_eta_kind kind[NS] = {HN_ETA_CLOSED, HN_ETA_OPEN, HN_ETA_IDLE};
static const double cheaper[NS] = {1.0, 0.7, 0.65}; /* open-loop and idle trials ramp faster */
static const double extra_p[NS] = {0.45, 0.1, 0};   /* points asking for an extra trial */

struct run {
    const char *models[MT_MAX_MODELS];
    size_t nm, wall; /* wall: the model with a wall at 5,000 */
    double fixed, per_conn[MT_MAX_MODELS];
    bool broken[NS][NC][MT_MAX_MODELS]; /* decided by the truth below */
};

static uint64_t lcg = 12345;

static double unit(void) /* uniform in [0, 1) */
{
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(lcg >> 11) / (double)(1ull << 53);
}

/* True seconds of one trial. */
static double truth(const struct run *r, size_t s, size_t c, size_t m)
{
    double o = r->fixed + r->per_conn[m] * (double)conns[c];
    if (m == r->wall && conns[c] >= 5000) o = s == 1 ? (conns[c] > 5000 ? 55 : 15) : 40;
    return window[s] + cheaper[s] * o * (1.0 + 0.15 * (2 * unit() - 1));
}

static bool breaks(const struct run *r, size_t s, size_t c, size_t m)
{
    return m == r->wall && conns[c] >= (closed[s] ? 5000u : 10000u);
}

static void run_init(struct run *r, double fixed)
{
    struct hn_eta probe;
    memset(r, 0, sizeof *r);
    r->nm = mt_select(MT_THREAD | MT_PROCESS | MT_EVENT_LOOP, r->models, MT_MAX_MODELS);
    r->wall = r->nm / 2;
    r->fixed = fixed;
    hn_eta_init(&probe);
    for (size_t m = 0; m < r->nm; m++) {
        double prior = hn_eta_predict(&probe, r->models[m], 10000, "max", 0) -
                       hn_eta_predict(&probe, r->models[m], 0, "max", 0);
        r->per_conn[m] = prior / 10000.0 * (m % 2 ? 3.0 : 0.3);
    }
}

/* One trial as the sweep runs it: the ETA it printed first, then the truth. */
struct trial {
    size_t s, c, m, point;
    double seconds, eta;
};

struct sim {
    struct run *r;
    struct hn_eta e;
    unsigned done[NS][NC][MT_MAX_MODELS];
    bool skip[NS][NC][MT_MAX_MODELS]; /* broken, or above a break */
    struct trial *t;
    size_t n, cap;
};

static size_t point_of(const struct sim *x, size_t s, size_t c, size_t m)
{
    return (s * NC + c) * x->r->nm + m + 1;
}

/* The sweep's eta_left (sweep.c) over the simulated points. */
static double eta_left(const struct sim *x)
{
    double left = 0;
    for (size_t s = 0; s < NS; s++)
        for (size_t c = 0; c < NC; c++)
            for (size_t m = 0; m < x->r->nm; m++) {
                unsigned d = x->done[s][c][m];
                if (x->skip[s][c][m] || d >= TRIALS) continue;
                left += hn_eta_point_s(&x->e, x->r->models[m], conns[c], scen[s], window[s],
                                       TRIALS - d);
            }
    return left;
}

static void trial(struct sim *x, size_t s, size_t c, size_t m)
{
    struct trial *t = &x->t[x->n < x->cap ? x->n++ : x->cap - 1];
    *t = (struct trial){s, c, m, point_of(x, s, c, m), truth(x->r, s, c, m), eta_left(x)};
    hn_eta_learn(&x->e, x->r->models[m], conns[c], scen[s], window[s], t->seconds);
    x->done[s][c][m]++;
    if (!breaks(x->r, s, c, m)) return;
    hn_eta_broke(&x->e, x->r->models[m], conns[c], scen[s]);
    for (size_t k = c; k < NC; k++)
        x->skip[s][k][m] = true;
}

static void group(struct sim *x, size_t s, size_t c)
{
    for (unsigned k = 0; k < TRIALS; k++)
        for (size_t m = 0; m < x->r->nm; m++)
            if (!x->skip[s][c][m]) trial(x, s, c, m);
    for (size_t m = 0; m < x->r->nm && s != 2; m++) {
        if (x->skip[s][c][m]) continue;
        unsigned extra = unit() < extra_p[s] ? MAX_TRIALS - TRIALS : 0;
        for (unsigned k = 0; k < extra; k++)
            trial(x, s, c, m);
        hn_eta_point_done(&x->e, scen[s], extra);
    }
}

static void simulate(struct sim *x)
{
    for (size_t s = 0; s < NS; s++)
        for (size_t c = 0; c < NC; c++)
            group(x, s, c);
}

/* *state: the true fixed part of a trial's overhead, in seconds. */
static void check_run(void **state)
{
    static struct trial t[4096];
    static struct run r;
    static struct sim x;
    size_t checked = 0, npoints;
    double total = 0, done = 0, worst = 0;
    run_init(&r, *(const double *)*state);
    memset(&x, 0, sizeof x);
    x.r = &r, x.t = t, x.cap = 4096;
    hn_eta_init(&x.e);
    for (size_t i = 0; i < NS; i++)
        hn_eta_scenario(&x.e, scen[i], kind[i]);
    simulate(&x);
    npoints = NS * NC * r.nm;
    for (size_t i = 0; i < x.n; i++)
        total += t[i].seconds;
    for (size_t i = 0; i < x.n; done += t[i++].seconds) {
        if ((double)t[i].point < 0.25 * (double)npoints || done > 0.9 * total) continue;
        double left = total - done, err = fabs(t[i].eta - left) / left;
        if (err > worst) worst = err;
        if (!(err <= 0.20))
            fail_msg("fixed %.1f s: at point %zu of %zu (%.0f%% of the time) the ETA is %.0f s, "
                     "%.0f s left",
                     r.fixed, t[i].point, npoints, 100 * done / total, t[i].eta, left);
        checked++;
    }
    if (!(checked > 10)) fail_msg("only %zu checks", checked);
    printf("fixed part %.1f s: %zu trials, %.0f s; worst ETA error from 25%% of the points to "
           "90%% of the time: %.1f%%\n",
           r.fixed, x.n, total, 100 * worst);
}

/* Before any trial the ETA is the priors'; after some it has learned. */
static void check_learns(void **state)
{
    (void)state;
    struct hn_eta e;
    hn_eta_init(&e);
    double before = hn_eta_predict(&e, "epoll", 100, "max", 2.5);
    if (!(before > 2.5 && before < 4)) fail_msg("prior for epoll at 100: %.2f s", before);
    for (int i = 0; i < 4; i++)
        hn_eta_learn(&e, "epoll", 100, "max", 2.5, 9.0);
    if (!(fabs(hn_eta_predict(&e, "epoll", 100, "max", 2.5) - 9.0) < 0.01))
        fail_msg("learned: %.2f s", hn_eta_predict(&e, "epoll", 100, "max", 2.5));
    if (!(fabs(hn_eta_predict(&e, "epoll", 100, "max", 0.5) - 7.0) < 0.01))
        fail_msg("another window: %.2f s", hn_eta_predict(&e, "epoll", 100, "max", 0.5));
    if (!(hn_eta_predict(&e, "threads", 100, "max", 2.5) > 7.0))
        fail_msg("the fixed part carries over: %.2f s",
                 hn_eta_predict(&e, "threads", 100, "max", 2.5));
    hn_eta_learn(&e, "epoll", 1000, "max", 2.5, 10.0);
    double mid = hn_eta_predict(&e, "epoll", 550, "max", 2.5);
    if (!(fabs(mid - 9.5) < 0.01)) fail_msg("between 100 and 1000: %.2f s", mid);
    if (!(hn_eta_predict(&e, "epoll", 10000, "max", 2.5) > 10.0)) fail_msg("above: no less");
}

/* A break in a closed loop: one trial at that count and none above in idle,
 * the open loop runs that count and breaks above;
 * the adaptive trials at each scenario's own rate, shrunk toward its kind's
 * prior as if 10 more points had asked for that (closed loop 0.5, open 0.2,
 * idle none); a scenario's trials scale the table by what they cost against
 * it (the mean ratio of a trial's overhead to the table's), shrunk toward its
 * kind's prior (idle 0.75) as if 3 more trials had said that. */
static void check_break(void **state)
{
    (void)state;
    struct hn_eta e;
    hn_eta_init(&e);
    hn_eta_scenario(&e, "max", HN_ETA_CLOSED);
    hn_eta_scenario(&e, "delay", HN_ETA_OPEN);
    hn_eta_scenario(&e, "idle", HN_ETA_IDLE);
    hn_eta_learn(&e, "threads", 5000, "max", 2.0, 12.0);
    hn_eta_broke(&e, "threads", 5000, "max");
    double at = hn_eta_point_s(&e, "threads", 5000, "idle", 2.0, 2);
    if (!(fabs(at - 9.5) < 0.01)) fail_msg("at the break: %.2f s (one trial of 2 + 0.75 x 10)", at);
    if (hn_eta_point_s(&e, "threads", 10000, "idle", 2.0, 2) != 0) fail_msg("above it");
    double open = hn_eta_point_s(&e, "threads", 5000, "delay", 2.0, 2) /
                  hn_eta_predict(&e, "threads", 5000, "delay", 2.0);
    if (!(open > 2.0)) fail_msg("open loop at the closed loop's break: %.2f trials", open);
    open = hn_eta_point_s(&e, "threads", 10000, "delay", 2.0, 2) /
           hn_eta_predict(&e, "threads", 10000, "delay", 2.0);
    if (!(fabs(open - 1.0) < 0.01)) fail_msg("open loop above it: %.2f trials, not 1", open);
    for (int i = 0; i < 10; i++)
        hn_eta_point_done(&e, "max", i % 4 ? 1 : 0);
    double one = hn_eta_predict(&e, "threads", 1000, "max", 2.0);
    double n_max = hn_eta_point_s(&e, "threads", 1000, "max", 2.0, 2) / one;
    one = hn_eta_predict(&e, "threads", 1000, "delay", 2.0);
    double n_open = hn_eta_point_s(&e, "threads", 1000, "delay", 2.0, 2) / one;
    one = hn_eta_predict(&e, "threads", 1000, "idle", 2.0);
    double n_idle = hn_eta_point_s(&e, "threads", 1000, "idle", 2.0, 2) / one;
    if (!(fabs(n_max - 2.6) < 0.01)) fail_msg("max: %.3f trials, not 2 + (7 + 5) / 20", n_max);
    if (!(fabs(n_open - 2.2) < 0.01)) fail_msg("open loop not begun: %.3f, not 2.2", n_open);
    if (!(fabs(n_idle - 2.0) < 0.01)) fail_msg("idle: %.3f trials, no adaptive one", n_idle);
    double idle0 = hn_eta_predict(&e, "threads", 5000, "idle", 2.0);
    if (!(fabs(idle0 - (2.0 + 0.75 * 10.0)) < 0.01)) fail_msg("idle prior: %.2f s", idle0);
    hn_eta_learn(&e, "threads", 5000, "idle", 2.0, 2.0 + 5.0); /* overhead 5 s, not 10 */
    double idle1 = hn_eta_predict(&e, "threads", 5000, "idle", 2.0);
    double want = 2.0 + (0.5 + 0.75 * 3.0) / 4.0 * (10.0 + 5.0) / 2.0;
    if (!(fabs(idle1 - want) < 0.01)) fail_msg("idle learned: %.3f s, not %.3f", idle1, want);
}

int main(void)
{
    static double under = 0.3, over = 2.0; /* a fixed part under the prior's, and over it
                                               (a slow machine) */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_learns),
        cmocka_unit_test(check_break),
        cmocka_unit_test_prestate(check_run, &under),
        cmocka_unit_test_prestate(check_run, &over),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
