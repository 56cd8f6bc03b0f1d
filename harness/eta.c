/* eta: the sweep's time-left estimate (harness/eta.h): a trial = its window +
 * an overhead per model and connection count, learned as the run goes.
 * Try: meson test -C build eta (a synthetic default run checked from 25% on) */
#include "eta.h"

#include "modeltab.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The overhead of a trial before anything is measured: start, idle samples,
 * stop (about 0.6 s on the shared 2-core machine). */
#define ETA_BASE_S 0.6
/* A measured slope between two counts this far apart weighs as much as the
 * prior's: 100 and 1,000 connections of a cheap model are mostly noise. */
#define ETA_PRIOR_CONNS 2000.0

/* Seconds of overhead per connection before a model is measured: ramping up
 * and tearing down one connection, by how the model holds it (default run on
 * the shared 2-core machine: epoll ~0.1 ms, threads ~0.12 ms, prefork ~0.5 ms,
 * py-threads ~0.35 ms; py-prefork ~3 ms up to its pool's limit). */
static double prior_per_conn(const char *model)
{
    const struct mt_model *r = mt_find(model);
    bool py = r && r->language && strcmp(r->language, "python") == 0;
    if (!r || (r->cls & MT_EVENT_LOOP)) return py ? 0.2e-3 : 0.1e-3;
    if (r->cls & MT_PROCESS) return py ? 3e-3 : 0.5e-3;
    return py ? 0.4e-3 : 0.15e-3;
}

void hn_eta_init(struct hn_eta *e)
{
    memset(e, 0, sizeof *e);
}

static struct hn_eta_model *find(const struct hn_eta *e, const char *model)
{
    for (size_t i = 0; i < e->n_models; i++)
        if (strcmp(e->m[i].name, model) == 0) return (struct hn_eta_model *)&e->m[i];
    return NULL;
}

static struct hn_eta_model *find_add(struct hn_eta *e, const char *model)
{
    struct hn_eta_model *m = find(e, model);
    if (m || e->n_models == HN_ETA_MODELS) return m;
    m = &e->m[e->n_models++];
    snprintf(m->name, sizeof m->name, "%s", model);
    m->prior_s_per_conn = prior_per_conn(model);
    return m;
}

static double base_s(const struct hn_eta *e)
{
    return e->base_n ? e->base_sum / (double)e->base_n : ETA_BASE_S;
}

static double mean_at(const struct hn_eta_model *m, size_t i)
{
    return m->sum_s[i] / (double)m->n[i];
}

/* Above the largest measured count: the slope of the last two, pulled toward
 * the prior when they are close together; with one count, the prior's. */
static double extrapolate(const struct hn_eta_model *m, double x)
{
    size_t l = m->n_conns - 1;
    double xl = (double)m->conns[l], yl = mean_at(m, l), slope = m->prior_s_per_conn;
    if (l > 0) {
        double dx = xl - (double)m->conns[l - 1];
        double s = fmax((yl - mean_at(m, l - 1)) / dx, 0);
        slope = (s * dx + slope * ETA_PRIOR_CONNS) / (dx + ETA_PRIOR_CONNS);
    }
    return yl + slope * (x - xl);
}

static double overhead(const struct hn_eta *e, const char *model, uint64_t conns)
{
    const struct hn_eta_model *m = find(e, model);
    double x = (double)conns;
    if (!m || !m->n_conns) return base_s(e) + prior_per_conn(model) * x;
    for (size_t i = 0; i < m->n_conns; i++) {
        double xi = (double)m->conns[i], yi = mean_at(m, i);
        if (conns == m->conns[i]) return yi;
        if (conns > m->conns[i]) continue;
        if (i == 0) return fmax(yi - m->prior_s_per_conn * (xi - x), 0.5 * yi);
        double x0 = (double)m->conns[i - 1], y0 = mean_at(m, i - 1);
        return y0 + (yi - y0) * (x - x0) / (xi - x0);
    }
    return extrapolate(m, x);
}

/* Per kind: what a trial's overhead is against a closed-loop one (default run
 * on the 2-core machine: open loop 0.61, idle 0.75, over 40 model x count
 * pairs), the adaptive trials a point asks for (closed loop 0.76, open 0.19;
 * idle has no throughput to vary), and how much of its own a scenario must
 * measure to outweigh these: ETA_PRIOR_TRIALS trials, ETA_PRIOR_POINTS points. */
static const double kind_scale[] = {1.0, 0.6, 0.75};
static const double kind_extra[] = {0.5, 0.2, 0};
#define ETA_PRIOR_TRIALS 3.0
#define ETA_PRIOR_POINTS 10.0

static struct hn_eta_scenario *scen(const struct hn_eta *e, const char *name)
{
    for (size_t i = 0; i < e->n_sc; i++)
        if (strcmp(e->sc[i].name, name) == 0) return (struct hn_eta_scenario *)&e->sc[i];
    return NULL;
}

void hn_eta_scenario(struct hn_eta *e, const char *name, enum hn_eta_kind kind)
{
    struct hn_eta_scenario *s = scen(e, name);
    if (!s && e->n_sc < HN_ETA_SCENARIOS) {
        s = &e->sc[e->n_sc++];
        snprintf(s->name, sizeof s->name, "%s", name);
    }
    if (s) s->kind = kind;
}

static enum hn_eta_kind kind_of(const struct hn_eta_scenario *s)
{
    return s ? s->kind : HN_ETA_CLOSED;
}

/* What the scenario's trials cost against the table. */
static double scale(const struct hn_eta *e, const char *scenario)
{
    const struct hn_eta_scenario *s = scen(e, scenario);
    double prior = kind_scale[kind_of(s)];
    if (!s) return prior;
    return (s->ratio_sum + prior * ETA_PRIOR_TRIALS) / ((double)s->ratio_n + ETA_PRIOR_TRIALS);
}

/* The table's mean for exactly model at conns, or -1. */
static double measured(const struct hn_eta *e, const char *model, uint64_t conns)
{
    const struct hn_eta_model *m = find(e, model);
    for (size_t i = 0; m && i < m->n_conns; i++)
        if (m->conns[i] == conns) return mean_at(m, i);
    return -1;
}

double hn_eta_predict(const struct hn_eta *e, const char *model, uint64_t conns,
                      const char *scenario, double window_s)
{
    return window_s + scale(e, scenario) * overhead(e, model, conns);
}

void hn_eta_learn(struct hn_eta *e, const char *model, uint64_t conns, const char *scenario,
                  double window_s, double seconds)
{
    struct hn_eta_model *m = find_add(e, model);
    struct hn_eta_scenario *sc = scen(e, scenario);
    double o = fmax(seconds - window_s, 0), was = measured(e, model, conns);
    size_t i = 0;
    if (!m || !(seconds >= 0)) return;
    if (sc && was > 0) { /* against the table as it stood */
        sc->ratio_sum += o / was;
        sc->ratio_n++;
    }
    while (i < m->n_conns && m->conns[i] < conns)
        i++;
    if (i == m->n_conns || m->conns[i] != conns) {
        if (m->n_conns == HN_ETA_COUNTS) return;
        memmove(&m->conns[i + 1], &m->conns[i], (m->n_conns - i) * sizeof m->conns[0]);
        memmove(&m->sum_s[i + 1], &m->sum_s[i], (m->n_conns - i) * sizeof m->sum_s[0]);
        memmove(&m->n[i + 1], &m->n[i], (m->n_conns - i) * sizeof m->n[0]);
        m->conns[i] = conns, m->sum_s[i] = 0, m->n[i] = 0;
        m->n_conns++;
    }
    m->sum_s[i] += o;
    m->n[i]++;
    if (m->prior_s_per_conn * (double)conns < 0.25 * o) { /* mostly fixed: the base */
        e->base_sum += o - m->prior_s_per_conn * (double)conns;
        e->base_n++;
    }
}

static bool open_loop(const struct hn_eta *e, const char *scenario)
{
    return kind_of(scen(e, scenario)) == HN_ETA_OPEN;
}

void hn_eta_broke(struct hn_eta *e, const char *model, uint64_t conns, const char *scenario)
{
    struct hn_eta_model *m = find_add(e, model);
    uint64_t *b = m ? &m->broke_at[open_loop(e, scenario)] : NULL;
    if (b && (!*b || conns < *b)) *b = conns;
}

void hn_eta_point_done(struct hn_eta *e, const char *scenario, unsigned extra)
{
    struct hn_eta_scenario *s = scen(e, scenario);
    if (!s) return;
    s->points_done++;
    s->extra_trials += extra;
}

/* Adaptive trials a point of scenario should ask for. */
static double extra_rate(const struct hn_eta *e, const char *scenario)
{
    const struct hn_eta_scenario *s = scen(e, scenario);
    double prior = kind_extra[kind_of(s)];
    if (!s || kind_of(s) == HN_ETA_IDLE) return prior;
    return ((double)s->extra_trials + prior * ETA_PRIOR_POINTS) /
           ((double)s->points_done + ETA_PRIOR_POINTS);
}

static double trials(const struct hn_eta *e, const char *model, uint64_t conns,
                     const char *scenario, unsigned left)
{
    const struct hn_eta_model *m = find(e, model);
    bool open = open_loop(e, scenario);
    uint64_t same = m ? m->broke_at[open] : 0, other = m ? m->broke_at[!open] : 0;
    if (same && conns > same) return 0;
    if (same == conns || (other && conns > other)) return left ? 1 : 0;
    return (double)left + extra_rate(e, scenario);
}

double hn_eta_point_s(const struct hn_eta *e, const char *model, uint64_t conns,
                      const char *scenario, double window_s, unsigned left)
{
    return trials(e, model, conns, scenario, left) *
           hn_eta_predict(e, model, conns, scenario, window_s);
}
