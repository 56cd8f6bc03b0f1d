/* eta: the sweep's estimate of the time left. A trial takes its scenario's
 * window (warm-up + measured time, known in advance) plus an overhead that
 * depends on the model and the connection count (start the server, ramp the
 * connections, stop: a fork per connection costs far more than an epoll item).
 * The overhead is learned as the run measures: per model and connection count
 * the mean of its trials (whatever the scenario), between measured counts a
 * straight line, above the largest the slope of the last two, where a model
 * has nothing yet a prior per connection from its class (modeltab). A model
 * that broke at some count in one scenario is expected to break there in the
 * others (one trial, none above), and the adaptive trials are expected at the
 * rate the throughput points have asked for them so far. Prefix hn_eta_. */
#ifndef C10K_ETA_H
#define C10K_ETA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HN_ETA_MODELS 32
#define HN_ETA_COUNTS 32

struct hn_eta_model {
    char name[32];
    double prior_s_per_conn;
    uint64_t conns[HN_ETA_COUNTS]; /* counts measured, ascending */
    double sum_s[HN_ETA_COUNTS];   /* sum of their trials' overheads */
    unsigned n[HN_ETA_COUNTS];
    size_t n_conns;
    uint64_t broke_at; /* lowest count it broke at, any scenario; 0 = none */
};

struct hn_eta {
    double base_sum; /* overheads of the trials at the smallest counts, any model */
    size_t base_n;
    size_t points_done, extra_trials; /* throughput points finished, their extra trials */
    struct hn_eta_model m[HN_ETA_MODELS];
    size_t n_models;
};

void hn_eta_init(struct hn_eta *e);
/* A trial of model at conns, whose window was window_s, took seconds. */
void hn_eta_learn(struct hn_eta *e, const char *model, uint64_t conns, double window_s,
                  double seconds);
/* Seconds one trial of model at conns with a window of window_s should take. */
double hn_eta_predict(const struct hn_eta *e, const char *model, uint64_t conns, double window_s);
/* model broke at conns (in some scenario). */
void hn_eta_broke(struct hn_eta *e, const char *model, uint64_t conns);
/* A throughput point (not idle) finished after base + extra trials. */
void hn_eta_point_done(struct hn_eta *e, unsigned extra);
/* Seconds a pending point of model at conns (trials with a window of
 * window_s, `left` of its planned ones still to go) should still take: its
 * expected trials x hn_eta_predict. Expected trials: none above the count the
 * model broke at, one at it, else left plus the adaptive ones when it is a
 * throughput point (not idle). */
double hn_eta_point_s(const struct hn_eta *e, const char *model, uint64_t conns, double window_s,
                      unsigned left, bool throughput);

#endif
