/* test-eta: the sweep's ETA (harness/eta.c) on a synthetic default run: the
 * run_all.sh sweep's order (scenario, connections, trial, model) over every model
 * of the model table, true trial times a fixed part plus a cost per connection
 * that is the prior's x0.3 or x3 (the estimate must learn it), +-15% noise.
 * From the first quarter of the run's time to 90% of it, the ETA must be within
 * 20% of the time really left. Try: meson test -C build eta */
#include "eta.h"
#include "modeltab.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define MAX_TRIALS 4096

struct trial {
    const char *model;
    uint64_t conns;
    double seconds;
};

static uint64_t lcg = 12345;

static double noise(void) /* uniform in [-1, 1] */
{
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(lcg >> 11) / (double)(1ull << 52) * 2.0 - 1.0;
}

/* The true cost per connection of model i: the prior's, off by x3 or x0.3. */
static double true_per_conn(struct hn_eta *probe, const char *model, size_t i)
{
    double prior = hn_eta_predict(probe, model, 10000) - hn_eta_predict(probe, model, 0);
    return prior / 10000.0 * (i % 2 ? 3.0 : 0.3);
}

static size_t build_run(struct trial *t, double fixed_true)
{
    static const uint64_t conns[] = {100, 1000, 5000, 10000};
    const char *models[MT_MAX_MODELS];
    size_t nm = mt_select(MT_THREAD | MT_PROCESS | MT_EVENT_LOOP, models, MT_MAX_MODELS), n = 0;
    struct hn_eta probe;
    hn_eta_init(&probe, 0.5, 2.0);
    for (int sc = 0; sc < 3; sc++)
        for (size_t c = 0; c < 4; c++)
            for (int k = 0; k < 2; k++)
                for (size_t m = 0; m < nm && n < MAX_TRIALS; m++) {
                    double s = fixed_true + true_per_conn(&probe, models[m], m) * (double)conns[c];
                    t[n++] = (struct trial){models[m], conns[c], s * (1.0 + 0.15 * noise())};
                }
    return n;
}

/* *state: the true fixed part of a trial, in seconds. */
static void check_run(void **state)
{
    double fixed_true = *(const double *)*state;
    static struct trial t[MAX_TRIALS];
    size_t n = build_run(t, fixed_true), checked = 0;
    double total = 0, done = 0, worst = 0;
    struct hn_eta e;
    for (size_t i = 0; i < n; i++)
        total += t[i].seconds;
    hn_eta_init(&e, 0.5, 2.0);
    for (size_t i = 0; i < n; i++) {
        if (done >= 0.25 * total && done <= 0.9 * total) {
            double eta = 0, left = total - done;
            for (size_t j = i; j < n; j++)
                eta += hn_eta_predict(&e, t[j].model, t[j].conns);
            double err = fabs(eta - left) / left;
            if (err > worst) worst = err;
            if (!(err <= 0.20))
                fail_msg("fixed %.1f s: at %.0f%% of the run the ETA is %.0f s, %.0f s left",
                         fixed_true, 100 * done / total, eta, left);
            checked++;
        }
        hn_eta_learn(&e, t[i].model, t[i].conns, t[i].seconds);
        done += t[i].seconds;
    }
    if (!(checked > 10)) fail_msg("only %zu checks", checked);
    printf("fixed part %.1f s: %zu trials, %.0f s; worst ETA error from 25%% to 90%%: %.1f%%\n",
           fixed_true, n, total, 100 * worst);
}

/* Before any trial the ETA is the priors'; after one it has learned from it. */
static void check_learns(void **state)
{
    (void)state;
    struct hn_eta e;
    hn_eta_init(&e, 0.5, 2.0);
    double before = hn_eta_predict(&e, "epoll", 100);
    if (!(before > 2.5 && before < 5)) fail_msg("prior for epoll at 100: %.2f s", before);
    for (int i = 0; i < 4; i++)
        hn_eta_learn(&e, "epoll", 100, 9.0);
    if (!(fabs(hn_eta_predict(&e, "epoll", 100) - 9.0) < 0.01))
        fail_msg("learned: %.2f s", hn_eta_predict(&e, "epoll", 100));
    if (!(hn_eta_predict(&e, "threads", 100) > 7.0))
        fail_msg("the fixed part carries over: %.2f s", hn_eta_predict(&e, "threads", 100));
}

int main(void)
{
    static double under = 2.5, over = 6.0; /* a fixed part under the prior's, and over it
                                                (a slow machine) */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_learns),
        cmocka_unit_test_prestate(check_run, &under),
        cmocka_unit_test_prestate(check_run, &over),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
