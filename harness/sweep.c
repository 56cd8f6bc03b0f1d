/* hn sweep: the point loop of `c10k run` and `c10k sweep`: points in order
 * (scenario/rate, connections, trial, model: ABAB), each point's JSON, the
 * manifest and summary.csv rewritten atomically after each point, models that
 * break skipped at larger counts, Ctrl-C -> "interrupted" and exit 130.
 *   try: build/harness/c10k sweep --models epoll --connections 10,100 --duration 1s */
#include "calib.h"
#include "results/res.h"
#include "eta.h"
#include "config.h"
#include "env.h"
#include "json.h"
#include "models.h"
#include "point.h"
#include "proc.h"
#include "store.h"
#include "sweep.h"
#include "trial.h"
#include "hosts/hosts.h"

#include <errno.h>
#include <procfs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <util.h>

struct sweep {
    struct hn_config *c;
    struct hn_point *pts;
    size_t n, per_group; /* per_group = models */
    json_t *manifest;
    uint64_t started_ns;
    size_t trials_done, trials_total;
    struct hn_eta eta; /* the time-left estimate, learning per trial */
    json_t *eta_log;   /* [[elapsed s, ETA s, point], ...] at each trial's start */
    bool *kept;        /* [point]: finished in the run resumed, left as it is */
    uint64_t broke_at[HN_MAX_MODELS][HN_MAX_LIST * HN_MAX_LIST]; /* [model][scenario-rate] */
};

/* The (scenario, rate) pairs: a scenario with @RATE, else one per --rates. */
static size_t runs_count(const struct hn_config *c)
{
    size_t i, n = 0;
    for (i = 0; i < c->n_sc; i++)
        n += c->sc[i].has_rate ? 1 : c->n_rates;
    return n;
}

static void run_at(const struct hn_config *c, size_t r, size_t *sc, uint64_t *rate)
{
    size_t i;
    for (i = 0; i < c->n_sc; i++) {
        size_t k = c->sc[i].has_rate ? 1 : c->n_rates;
        if (r < k) {
            *sc = i;
            *rate = c->sc[i].has_rate ? c->sc[i].rate : c->rates[r];
            return;
        }
        r -= k;
    }
}

static int points_build(struct sweep *s)
{
    const struct hn_config *c = s->c;
    size_t runs = runs_count(c), r, ci, m, sc = 0;
    uint64_t rate = 0;
    s->per_group = c->n_models;
    s->n = runs * c->n_conns * c->n_models;
    s->pts = calloc(s->n ? s->n : 1, sizeof *s->pts);
    if (!s->pts) return -ENOMEM;
    for (r = 0; r < runs; r++)
        for (ci = 0; ci < c->n_conns; ci++)
            for (m = 0; m < c->n_models; m++) {
                struct hn_point *pt = &s->pts[(r * c->n_conns + ci) * c->n_models + m];
                run_at(c, r, &sc, &rate);
                hn_point_init(pt, c->models[m], c->conns[ci], rate, &c->sc[sc]);
                pt->trials = json_array();
            }
    return 0;
}

static json_t *points_json(const struct sweep *s)
{
    json_t *a = json_array();
    size_t i;
    for (i = 0; i < s->n; i++) {
        const struct hn_point *p = &s->pts[i];
        char file[256];
        snprintf(file, sizeof file, "points/%s.json", p->id);
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:o, s:o}", "id", p->id, "model",
                         p->model, "connections", (json_int_t)p->conns, "rate", (json_int_t)p->rate,
                         "scenario", p->scenario, "path", p->path, "status", p->status, "reason",
                         p->reason[0] ? json_string(p->reason) : json_null(), "file",
                         strcmp(p->status, "pending") ? json_string(file) : json_null()));
    }
    return a;
}

static int manifest_write(struct sweep *s, const char *status)
{
    char path[2048], now[32];
    json_object_set_new(s->manifest, "status", json_string(status));
    if (strcmp(status, "running") != 0) {
        hn_utc_now(now, sizeof now);
        json_object_set_new(s->manifest, "finished", json_string(now));
    }
    json_object_set_new(s->manifest, "points", points_json(s));
    return hn_store_write_json(res_manifest_path(s->c->out, path, sizeof path), s->manifest);
}

static int point_save(struct sweep *s, struct hn_point *pt)
{
    char path[2048];
    json_t *j;
    int rc;
    hn_point_finish(pt);
    j = hn_point_json(pt);
    snprintf(path, sizeof path, "%s/points/%s.json", s->c->out, pt->id);
    rc = hn_store_write_json(path, j);
    json_decref(j);
    if (rc == 0) rc = manifest_write(s, "running");
    if (rc == 0) rc = hn_summary_write(s->c->out, s->pts, s->n);
    if (rc < 0) fprintf(stderr, "c10k: cannot write %s: %s\n", path, strerror(-rc));
    return rc;
}

static void point_set(struct hn_point *pt, const char *status, const char *reason)
{
    snprintf(pt->status, sizeof pt->status, "%s", status);
    snprintf(pt->reason, sizeof pt->reason, "%s", reason);
}

/* Points decided without running: unavailable, unsupported, broke earlier. */
static bool point_precheck(struct sweep *s, struct hn_point *pt, size_t m, size_t r)
{
    struct hn_model model;
    const char *why;
    if (strcmp(pt->status, "pending") != 0) return true;
    if (hn_model_find(pt->model, &model) < 0)
        point_set(pt, "unavailable", "unknown model in this build");
    else if (!model.available)
        point_set(pt, "unavailable", model.reason);
    else if ((why = hn_model_unsupported(pt->model, pt->path)) != NULL)
        point_set(pt, "unsupported", why);
    else if (s->broke_at[m][r] && pt->conns > s->broke_at[m][r]) {
        char why2[64];
        snprintf(why2, sizeof why2, "broke at %llu", (unsigned long long)s->broke_at[m][r]);
        point_set(pt, "broken", why2);
    } else
        return false;
    point_save(s, pt);
    return true;
}

static bool enough_memory(struct sweep *s, struct hn_point *pt)
{
    struct procfs_sys y;
    char why[128];
    if (procfs_sys_read(&y) < 0 || y.mem_available_bytes >= s->c->min_mem_available_bytes)
        return true;
    snprintf(why, sizeof why, "not enough memory: MemAvailable %llu MiB < %llu MiB",
             (unsigned long long)(y.mem_available_bytes >> 20),
             (unsigned long long)(s->c->min_mem_available_bytes >> 20));
    point_set(pt, "broken", why);
    return false;
}

/* Seconds a trial of pt takes beyond its overhead: its warm-up and window. */
static double window_s(const struct sweep *s, const struct hn_point *pt)
{
    uint64_t w, d;
    hn_config_window(s->c, pt->scenario, &w, &d);
    return (double)(w + d) / 1e9;
}

/* Seconds left: every trial still to run (eta.h), each predicted from its
 * model, connection count and window; the points after a model's break in
 * their scenario are skipped, as the sweep will skip them. idx is starting
 * trial k. */
static double eta_left(const struct sweep *s, size_t idx, unsigned k)
{
    double left = 0;
    for (size_t i = idx; i < s->n; i++) {
        const struct hn_point *p = &s->pts[i];
        size_t m = i % s->per_group, r = i / s->per_group / s->c->n_conns;
        size_t done = i == idx ? k : json_array_size(p->trials);
        if (strcmp(p->status, "pending") || (s->broke_at[m][r] && p->conns > s->broke_at[m][r]))
            continue;
        unsigned planned = done < s->c->trials ? s->c->trials - (unsigned)done : 0;
        if (i == idx && planned == 0) planned = 1; /* an adaptive trial starting now */
        left += hn_eta_point_s(&s->eta, p->model, p->conns, p->scenario, window_s(s, p), planned);
    }
    return left;
}

static void progress(const struct sweep *s, size_t idx, const struct hn_point *pt, unsigned k)
{
    char eta[32];
    double el = (double)(util_mono_ns() - s->started_ns) / 1e9, left = eta_left(s, idx, k);
    util_fmt_duration((uint64_t)(left * 1e9), eta, sizeof eta);
    json_array_append_new(s->eta_log, json_pack("[f,f,I]", el, left, (json_int_t)(idx + 1)));
    fprintf(
        stderr,
        "c10k: point %zu/%zu %s (model %s, %llu connections, rate %llu, %s) trial %u/%u, ETA %s\n",
        idx + 1, s->n, pt->id, pt->model, (unsigned long long)pt->conns,
        (unsigned long long)pt->rate, pt->scenario, k + 1, s->c->trials, eta);
}

static int trial_one(struct sweep *s, size_t idx, size_t m, size_t r, unsigned k, bool last)
{
    struct hn_point *pt = &s->pts[idx];
    char reason[512];
    bool broken = false;
    int rc;
    if (strcmp(pt->status, "pending") != 0) return 0;
    if (!enough_memory(s, pt)) return point_save(s, pt), 0;
    progress(s, idx, pt, k);
    uint64_t t0 = util_mono_ns();
    rc = hn_trial_run(s->c, pt, k, &broken, reason, sizeof reason);
    hn_eta_learn(&s->eta, pt->model, pt->conns, pt->scenario, window_s(s, pt),
                 (double)(util_mono_ns() - t0) / 1e9);
    s->trials_done++;
    if (rc < 0) return rc;
    if (broken) {
        point_set(pt, "broken", reason);
        if (!s->broke_at[m][r] || pt->conns < s->broke_at[m][r]) s->broke_at[m][r] = pt->conns;
        hn_eta_broke(&s->eta, pt->model, pt->conns, pt->scenario);
        fprintf(stderr, "c10k: %s broken: %s\n", pt->id, reason);
        return point_save(s, pt) < 0 ? -EIO : 0;
    }
    if (last) return point_save(s, pt) < 0 ? -EIO : 0;
    return 0;
}

/* A measured point whose throughput still varies by more than HN_NOISE_CV_PCT
 * over its trials, and may have another (up to max_trials). */
static bool wants_more(const struct sweep *s, const struct hn_point *pt)
{
    unsigned cap = s->c->max_trials > s->c->trials ? s->c->max_trials : s->c->trials;
    if ((strcmp(pt->status, "ok") && strcmp(pt->status, "flagged")) ||
        json_array_size(pt->trials) >= cap || s->kept[pt - s->pts])
        return false;
    json_t *sum = hn_point_summary(pt->trials);
    bool noisy = json_is_true(json_object_get(sum, "noisy"));
    json_decref(sum);
    return noisy;
}

/* Adaptive trials: every noisy point of the group gets one more trial, the
 * models still in turn, until none is noisy or each reached the cap. */
static int group_more(struct sweep *s, size_t base, size_t r)
{
    for (bool more = true; more;) {
        more = false;
        for (size_t m = 0; m < s->per_group; m++) {
            struct hn_point *pt = &s->pts[base + m];
            if (!wants_more(s, pt)) continue;
            unsigned k = (unsigned)json_array_size(pt->trials);
            fprintf(stderr,
                    "c10k: %s: throughput varies by more than %.0f%% over %u trials: "
                    "one more\n",
                    pt->id, HN_NOISE_CV_PCT, k);
            snprintf(pt->status, sizeof pt->status, "pending");
            int rc = trial_one(s, base + m, m, r, k, true);
            if (rc < 0) return rc;
            more = true;
        }
    }
    return 0;
}

/* One (scenario-rate, connections) group: every model in turn per trial. */
static int group_run(struct sweep *s, size_t g, size_t r)
{
    size_t base = g * s->per_group, m;
    unsigned k;
    for (m = 0; m < s->per_group; m++)
        point_precheck(s, &s->pts[base + m], m, r);
    for (k = 0; k < s->c->trials; k++)
        for (m = 0; m < s->per_group; m++) {
            int rc = trial_one(s, base + m, m, r, k, k + 1 == s->c->trials);
            if (rc < 0) return rc;
        }
    int rc = group_more(s, base, r);
    for (m = 0; m < s->per_group; m++) { /* how many extra trials the points asked for */
        const struct hn_point *pt = &s->pts[base + m];
        size_t n = json_array_size(pt->trials);
        if (!s->kept[base + m] && !hn_scenario_idle(pt->scenario) &&
            (!strcmp(pt->status, "ok") || !strcmp(pt->status, "flagged")))
            hn_eta_point_done(&s->eta, pt->scenario,
                              n > s->c->trials ? (unsigned)(n - s->c->trials) : 0);
    }
    return rc;
}

/* Points already in the folder (resume): keep the decided ones (by the
 * status rule of results/res.h) and what broke. */
static void points_resume(struct sweep *s, const struct res_run *old)
{
    size_t i, groups_per_run = s->c->n_conns;
    for (i = 0; i < s->n; i++) {
        struct hn_point *pt = &s->pts[i];
        size_t m = i % s->per_group, r = i / s->per_group / groups_per_run;
        const struct res_point *was = res_find_id(old, pt->id);
        if (!was || !was->doc || res_status_is(was->status, "pending")) continue;
        s->kept[i] = true;
        point_set(pt, was->status, was->reason ? was->reason : "");
        json_decref(pt->trials);
        pt->trials = json_incref(json_object_get(was->doc, "trials"));
        if (strcmp(pt->status, "broken") == 0 && strncmp(pt->reason, "broke at", 8) != 0 &&
            strncmp(pt->reason, "not enough memory", 17) != 0 &&
            (!s->broke_at[m][r] || pt->conns < s->broke_at[m][r]))
            s->broke_at[m][r] = pt->conns;
    }
}

static void count_trials(struct sweep *s)
{
    size_t i;
    s->trials_total = 0;
    for (i = 0; i < s->n; i++)
        if (strcmp(s->pts[i].status, "pending") == 0) s->trials_total += s->c->trials;
}

static int sweep_loop(struct sweep *s)
{
    size_t runs = runs_count(s->c), r, ci;
    for (r = 0; r < runs; r++)
        for (ci = 0; ci < s->c->n_conns; ci++) {
            int rc = group_run(s, r * s->c->n_conns + ci, r);
            if (rc < 0) return rc;
        }
    return 0;
}

/* How right the ETA was: the one printed at the first trial of a quarter of
 * the points, against the time that really was left (manifest "eta"). */
static void eta_check(struct sweep *s)
{
    double total = (double)(util_mono_ns() - s->started_ns) / 1e9;
    json_t *e, *at = json_null();
    size_t i;
    json_array_foreach(s->eta_log, i, e)
    {
        double el = json_number_value(json_array_get(e, 0));
        double eta = json_number_value(json_array_get(e, 1));
        double point = json_number_value(json_array_get(e, 2));
        if (point < 0.25 * (double)s->n || total - el <= 0) continue;
        double left = total - el, err = 100.0 * (eta - left) / left;
        at = json_pack("{s:f,s:f,s:f,s:f,s:f}", "point", point, "elapsed_s", el, "eta_s", eta,
                       "actual_left_s", left, "error_pct", err);
        fprintf(stderr,
                "c10k: ETA check: at point %.0f of %zu (%.0f s of %.0f s) the ETA said %.0f s, "
                "%.0f s were left (%+.0f%%)\n",
                point, s->n, el, total, eta, left, err);
        break;
    }
    json_object_set_new(
        s->manifest, "eta",
        json_pack("{s:O,s:o,s:f}", "log", s->eta_log, "at_quarter", at, "total_s", total));
}

static json_t *manifest_new(const struct hn_config *c, json_t *command, json_t *old)
{
    char now[32];
    json_t *m;
    hn_utc_now(now, sizeof now);
    if (old) {
        m = json_incref(old);
        json_t *res = json_object_get(m, "resumed");
        if (!json_is_array(res)) json_object_set_new(m, "resumed", res = json_array());
        json_array_append_new(res, json_pack("{s:s, s:O}", "at", now, "command", command));
        json_object_set_new(m, "finished", json_null());
        return m;
    }
    return json_pack("{s:s, s:s, s:s, s:n, s:O, s:o, s:o}", "schema", "c10k-manifest/1", "status",
                     "running", "created", now, "finished", "command", command, "env",
                     hn_env_json(), "config", hn_config_json(c));
}

/* Other hosts: connected and checked before anything is measured. */
static int hosts_begin(struct sweep *s, const char *verb)
{
    struct hn_config *c = s->c;
    int rc;
    if (!hosts_remote(c) && c->n_load_hosts < 2) return 0;
    if (!(c->hosts = calloc(1, sizeof *c->hosts))) return -ENOMEM;
    rc = hosts_set_open(c->hosts, c, verb);
    if (rc < 0) {
        free(c->hosts);
        c->hosts = NULL;
        return rc;
    }
    return 0;
}

int hn_sweep_execute(struct hn_config *c, json_t *command, bool resume, const char *verb)
{
    struct sweep *s = calloc(1, sizeof *s);
    char path[2048];
    struct res_run old = {0};
    int rc = -ENOMEM;
    if (!s) return 1;
    s->c = c;
    if (access(hn_loadgen_path(path, sizeof path), X_OK) < 0) {
        fprintf(stderr, "c10k %s: c10k-load not found at %s (build loadgen, or set C10K_LOAD)\n",
                verb, path);
        rc = -ENOENT;
        goto done;
    }
    hn_signals_install(); /* Ctrl-C from here on: "interrupted", every process stopped */
    if ((rc = hosts_begin(s, verb)) < 0) goto done;
    snprintf(path, sizeof path, "%s/points", c->out);
    if ((rc = hn_store_mkdirs(path)) < 0) {
        fprintf(stderr, "c10k %s: cannot create %s: %s\n", verb, path, strerror(-rc));
        goto done;
    }
    res_manifest_path(c->out, path, sizeof path);
    if (resume) {
        char err[4608];
        if (res_run_load(&old, c->out, RES_NEED_MANIFEST | RES_LENIENT, err, sizeof err) < 0)
            fprintf(stderr, "c10k %s: --resume: %s (starting afresh)\n", verb, err);
    } else if (access(path, F_OK) == 0) {
        fprintf(stderr,
                "c10k %s: %s already holds a run (c10k sweep --resume %s finishes it; or choose "
                "another --out)\n",
                verb, c->out, c->out);
        rc = -EEXIST;
        goto done;
    }
    if ((rc = points_build(s)) < 0) goto done;
    if (!(s->kept = calloc(s->n ? s->n : 1, sizeof *s->kept))) {
        rc = -ENOMEM;
        goto done;
    }
    if (resume) points_resume(s, &old);
    count_trials(s);
    s->manifest = manifest_new(c, command, old.manifest);
    if (c->hosts) json_object_set(s->manifest, "hosts", c->hosts->facts);
    json_t *cal = hn_calibrate();
    if (cal) {
        fprintf(stderr,
                "c10k %s: machine noise: the same CPU work varies by %.1f%% (CV over %d runs), "
                "a 1 ms sleep wakes %.0f µs late (median, max %.0f µs), load average %.2f\n",
                verb, hn_jnum(cal, "spin_cv_pct"), (int)hn_jnum(cal, "spin_runs"),
                hn_jnum(cal, "sleep_1ms_late_us_p50"), hn_jnum(cal, "sleep_1ms_late_us_max"),
                hn_jnum(cal, "loadavg_1m"));
        json_object_set_new(s->manifest, "calibration", cal);
    }
    s->started_ns = util_mono_ns();
    hn_eta_init(&s->eta);
    for (size_t i = 0; i < s->n; i++) /* each scenario's kind */
        hn_eta_scenario(&s->eta, s->pts[i].scenario,
                        hn_scenario_idle(s->pts[i].scenario) ? HN_ETA_IDLE
                        : s->pts[i].rate                     ? HN_ETA_OPEN
                                                             : HN_ETA_CLOSED);
    s->eta_log = json_array();
    manifest_write(s, "running");
    hn_summary_write(c->out, s->pts, s->n);
    fprintf(stderr, "c10k %s: %zu points, %zu trials to measure, results in %s\n", verb, s->n,
            s->trials_total, c->out);
    rc = sweep_loop(s);
    eta_check(s);
    manifest_write(s, rc == -EINTR ? "interrupted" : rc < 0 ? "failed" : "complete");
    hn_print_points(s->pts, s->n);
    if (rc == -EINTR)
        fprintf(stderr, "c10k %s: interrupted; finish with: c10k sweep --resume %s\n", verb,
                c->out);
done:
    if (c->hosts) {
        hosts_set_close(c->hosts);
        free(c->hosts);
        c->hosts = NULL;
    }
    res_run_free(&old);
    json_decref(s->manifest);
    json_decref(s->eta_log);
    for (size_t i = 0; s->pts && i < s->n; i++)
        json_decref(s->pts[i].trials);
    free(s->pts);
    free(s->kept);
    free(s);
    return rc == -EINTR ? 130 : rc == -EEXIST ? 2 : rc < 0 ? 1 : 0;
}
