/* eta: the sweep's estimate of the time left. A trial takes its scenario's
 * window (warm-up + measured time, known in advance) plus an overhead that
 * depends on the model and the connection count (start the server, ramp the
 * connections, stop: a fork per connection costs far more than an epoll item).
 * The overhead is learned as the run measures: per model and connection count
 * the mean of its trials (whatever the scenario), between measured counts a
 * straight line, above the largest the slope of the last two, where a model
 * has nothing yet a prior per connection from its class (modeltab). A model
 * that broke at some count in one scenario is expected to break there in the
 * others of its class (one trial, none above: closed loop and idle share the
 * ramp that waits for each connection's first answer), and in the open loop
 * one count later. Per scenario, by its kind (closed loop, open
 * loop, idle): what its trials cost against the table (an idle or open-loop
 * trial ramps and stops faster than a closed-loop one) and the adaptive trials
 * its throughput points ask for, each a prior of its kind until its own trials
 * say. Prefix hn_eta_. */
#ifndef C10K_ETA_H
#define C10K_ETA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HN_ETA_MODELS 32
#define HN_ETA_COUNTS 32
#define HN_ETA_SCENARIOS 16

struct hn_eta_model {
    char name[32];
    double prior_s_per_conn;
    uint64_t conns[HN_ETA_COUNTS]; /* counts measured, ascending */
    double sum_s[HN_ETA_COUNTS];   /* sum of their trials' overheads */
    unsigned n[HN_ETA_COUNTS];
    size_t n_conns;
    uint64_t broke_at[2]; /* lowest count it broke at: [open loop?]; 0 = none */
};

/* closed loop (max throughput), open loop at a fixed rate, idle */
enum hn_eta_kind { HN_ETA_CLOSED, HN_ETA_OPEN, HN_ETA_IDLE };

/* A scenario: what its trials cost against the table (the mean of their
 * overheads over the table's mean for the same model and count as it stood:
 * each trial weighs the same, so that one model at its wall does not set the
 * scale of the others), and how many adaptive trials its points asked for. */
struct hn_eta_scenario {
    char name[32];
    enum hn_eta_kind kind;
    double ratio_sum;
    size_t ratio_n;
    size_t points_done, extra_trials;
};

struct hn_eta {
    double base_sum; /* overheads of the trials at the smallest counts, any model */
    size_t base_n;
    struct hn_eta_model m[HN_ETA_MODELS];
    size_t n_models;
    struct hn_eta_scenario sc[HN_ETA_SCENARIOS];
    size_t n_sc;
};

void hn_eta_init(struct hn_eta *e);
/* Declares scenario name of kind (a name not declared is a closed loop). */
void hn_eta_scenario(struct hn_eta *e, const char *name, enum hn_eta_kind kind);
/* A trial of model at conns in scenario, whose window was window_s, took seconds. */
void hn_eta_learn(struct hn_eta *e, const char *model, uint64_t conns, const char *scenario,
                  double window_s, double seconds);
/* Seconds one trial of model at conns in scenario with a window of window_s
 * should take. */
double hn_eta_predict(const struct hn_eta *e, const char *model, uint64_t conns,
                      const char *scenario, double window_s);
/* model broke at conns in scenario. */
void hn_eta_broke(struct hn_eta *e, const char *model, uint64_t conns, const char *scenario);
/* A point of scenario (not idle) finished after its trials + extra ones. */
void hn_eta_point_done(struct hn_eta *e, const char *scenario, unsigned extra);
/* Seconds a pending point of model at conns in scenario (trials with a window
 * of window_s, `left` of its planned ones still to go) should still take: its
 * expected trials x hn_eta_predict. Expected trials: after a break in the
 * scenario's class none above that count and one at it; after one in the
 * other class one above it; else left plus the adaptive ones at its
 * scenario's rate (none in idle). */
double hn_eta_point_s(const struct hn_eta *e, const char *model, uint64_t conns,
                      const char *scenario, double window_s, unsigned left);

#endif
