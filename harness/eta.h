/* eta: the sweep's estimate of the time left. Each trial is predicted from its
 * model and connection count (a fixed part, plus a cost per connection that
 * depends on how the model holds connections: a fork per connection costs far
 * more than an epoll item), and the estimate learns as the run measures: per
 * model a least-squares line through its own trials, the fixed part from every
 * trial. Prefix hn_eta_. */
#ifndef C10K_ETA_H
#define C10K_ETA_H

#include <stddef.h>
#include <stdint.h>

#define HN_ETA_MODELS 32

struct hn_eta_model {
    char name[32];
    double prior_s_per_conn;
    size_t n;                /* trials seen */
    double sx, sy, sxx, sxy; /* sums of conns and seconds, for the fit */
};

struct hn_eta {
    double fixed_s;   /* prior fixed part: warm-up + duration + start/stop */
    double fixed_sum; /* learned fixed part: sum of (seconds - prior per-conn cost) */
    size_t fixed_n;
    struct hn_eta_model m[HN_ETA_MODELS];
    size_t n_models;
};

void hn_eta_init(struct hn_eta *e, double warmup_s, double duration_s);
/* Seconds one trial of model at conns is expected to take. */
double hn_eta_predict(const struct hn_eta *e, const char *model, uint64_t conns);
/* A trial of model at conns took seconds. */
void hn_eta_learn(struct hn_eta *e, const char *model, uint64_t conns, double seconds);

#endif
