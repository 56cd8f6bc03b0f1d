/* eta: the sweep's time-left estimate (harness/eta.h): class priors per
 * connection from the model table, learned per model as the run goes.
 * Try: meson test -C build eta (a synthetic sweep checks it at 25%) */
#include "eta.h"

#include "modeltab.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Seconds per connection before anything is measured: what ramping up one
 * connection costs each kind of model on the shared 2-core machine (quick
 * run: py-prefork 1,000 connections in ~10 s, prefork ~3 s, threads ~1-2 s). */
static double prior_per_conn(const char *model)
{
    const struct mt_model *r = mt_find(model);
    bool py = r && r->language && strcmp(r->language, "python") == 0;
    if (!r || (r->cls & MT_EVENT_LOOP)) return py ? 60e-6 : 20e-6;
    if (r->cls & MT_PROCESS) return py ? 8e-3 : 2e-3;
    return py ? 2e-3 : 0.5e-3;
}

void hn_eta_init(struct hn_eta *e, double warmup_s, double duration_s)
{
    memset(e, 0, sizeof *e);
    e->fixed_s = warmup_s + duration_s + 1.0; /* server start, probe settle, stop */
}

static struct hn_eta_model *find(struct hn_eta *e, const char *model, bool add)
{
    for (size_t i = 0; i < e->n_models; i++)
        if (strcmp(e->m[i].name, model) == 0) return &e->m[i];
    if (!add || e->n_models == HN_ETA_MODELS) return NULL;
    struct hn_eta_model *m = &e->m[e->n_models++];
    snprintf(m->name, sizeof m->name, "%s", model);
    m->prior_s_per_conn = prior_per_conn(model);
    return m;
}

static double fixed_part(const struct hn_eta *e)
{
    return e->fixed_n ? fmax(e->fixed_sum / (double)e->fixed_n, 0.2) : e->fixed_s;
}

/* A model's own line, its slope pulled toward the prior as if one more trial
 * ~450 connections from its mean had agreed with the prior: two nearby counts
 * (100 and 1,000) of a few-µs-per-connection event loop are mostly noise, a
 * spread to 10,000 is mostly signal. */
#define ETA_PRIOR_WEIGHT 2e5

double hn_eta_predict(const struct hn_eta *e, const char *model, uint64_t conns)
{
    double x = (double)conns, a = fixed_part(e);
    const struct hn_eta_model *m = find((struct hn_eta *)e, model, false);
    double prior = m ? m->prior_s_per_conn : prior_per_conn(model);
    if (!m || m->n == 0) return a + prior * x;
    double n = (double)m->n, mx = m->sx / n, my = m->sy / n;
    double sxx = m->sxx - n * mx * mx, sxy = m->sxy - n * mx * my;
    double b = fmax((sxy + ETA_PRIOR_WEIGHT * prior) / (sxx + ETA_PRIOR_WEIGHT), 0);
    return fmax(my + b * (x - mx), 0.5 * a);
}

void hn_eta_learn(struct hn_eta *e, const char *model, uint64_t conns, double seconds)
{
    struct hn_eta_model *m = find(e, model, true);
    double x = (double)conns;
    if (!m || !(seconds >= 0)) return;
    m->n++;
    m->sx += x;
    m->sy += seconds;
    m->sxx += x * x;
    m->sxy += x * seconds;
    if (m->prior_s_per_conn * x < 0.25 * seconds) { /* mostly fixed: it teaches the fixed part */
        e->fixed_sum += seconds - m->prior_s_per_conn * x;
        e->fixed_n++;
    }
}
