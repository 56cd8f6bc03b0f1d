/* hn trial: one measured trial: a fresh server pinned to its CPUs, its ready
 * line, idle probe samples, c10k-load pinned to the others, probe samples
 * while loaded, SIGTERM (SIGKILL after 2 s), then the result (trial_out.c).
 *   try: build/harness/c10k run --model epoll --connections 50 --duration 1s */
#include "trial.h"
#include "config.h"
#include "models.h"
#include "point.h"
#include "probe.h"
#include "proc.h"
#include "store.h"
#include "modeltab.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <procfs.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <util.h>

#define HN_STOP_GRACE_NS (2 * UTIL_NS_PER_S)
#define HN_PROBE_INTERVAL_NS (100 * UTIL_NS_PER_MS)

static void set_reason(struct hn_trial *t, const char *why)
{
    *t->broken = true;
    snprintf(t->reason, t->reason_cap, "%s", why);
}

/* Descriptors one process may hold here (the hard RLIMIT_NOFILE). */
static uint64_t fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_max == RLIM_INFINITY) return UINT64_MAX / 2;
    return rl.rlim_max;
}

unsigned hn_trial_server_processes(const struct hn_trial *t, uint64_t limit)
{
    const struct mt_model *m = mt_find(t->pt->model);
    return m && m->processes ? runners_needed(t->pt->conns, limit ? limit : fd_limit()) : 1;
}

/* Reads the server's ready line (started at t->t0_ns) into url and
 * t->ready_pid; else flags the trial and says why (-ENOTCONN). */
int hn_trial_ready(struct hn_trial *t, char *url, size_t cap)
{
    char line[512];
    int rc = hn_child_readline(&t->srv, line, sizeof line, t->c->ready_timeout_ns);
    if (rc == -EINTR) return rc;
    if (rc == 0 && hn_ready_parse(line, url, cap, NULL, &t->ready_pid) == 0) return 0;
    t->no_ready = true;
    json_array_append_new(t->flags, json_string("server_crashed"));
    if (hn_child_poll(&t->srv)) {
        t->exited_early = true;
        set_reason(t, "the server exited before its ready line");
    } else if (rc == -ETIMEDOUT) {
        json_array_append_new(t->flags, json_string("ready_timeout"));
        char why[64], d[32];
        snprintf(why, sizeof why, "no ready line within %s",
                 util_fmt_duration(t->c->ready_timeout_ns, d, sizeof d));
        set_reason(t, why);
    } else {
        char why[300];
        snprintf(why, sizeof why, "unreadable ready line: '%.200s'", line);
        set_reason(t, why);
    }
    return -ENOTCONN;
}

static int start_server(struct hn_trial *t, char *url, size_t cap)
{
    char err_path[1500], procs[16];
    char *argv[] = {t->model.path, "--processes", procs, NULL}, cg[1300];
    int rc;
    if (t->c->hosts) return hn_trial_hosts_server(t, url, cap);
    t->srv_processes = hn_trial_server_processes(t, 0);
    snprintf(procs, sizeof procs, "%u", t->srv_processes);
    if (t->srv_processes <= 1) argv[1] = NULL;
    snprintf(err_path, sizeof err_path, "%s.stderr", t->base);
    rc = hn_child_spawn_in(&t->srv, argv, t->c->server_cpus, true, err_path,
                           books_procs(&t->books, BOOKS_SERVER, cg, sizeof cg));
    if (rc < 0) return rc;
    t->t0_ns = util_mono_ns();
    return hn_trial_ready(t, url, cap);
}

static int idle_samples(struct hn_trial *t)
{
    if (t->c->hosts) return hn_trial_hosts_probe(t);
    int rc = hn_probe_start(&t->probe, t->ready_pid, t->t0_ns, HN_PROBE_INTERVAL_NS);
    if (rc < 0) return rc;
    /* on the load generator's CPUs, so that the server's CPU is the server's */
    hn_probe_pin(t->probe, t->c->load_cpus);
    /* light samples every 100 ms; at least one of the whole tree */
    rc = hn_sleep_ns(300 * UTIL_NS_PER_MS);
    if (rc == 0) hn_probe_kick(t->probe);
    books_read(&t->books, BOOKS_IDLE);
    return rc == 0 ? hn_sleep_ns(50 * UTIL_NS_PER_MS) : rc;
}

struct runner_args hn_trial_runner_args(const struct hn_trial *t, unsigned n, const char *target,
                                        char *lg, size_t lg_cap)
{
    uint64_t rate = t->c->connect_rate, warm, dur;
    hn_config_window(t->c, t->pt->scenario, &warm, &dur);
    return (struct runner_args){.loadgen = hn_loadgen_path(lg, lg_cap),
                                .target = target,
                                .threads = t->c->load_threads,
                                .duration_ns = dur,
                                .warmup_ns = warm,
                                .timeout_ns = t->c->timeout_ns,
                                .connect_rate = rate && n ? (rate + n - 1) / n : rate,
                                .idle = hn_scenario_idle(t->pt->scenario)};
}

/* The load: as many c10k-load processes as the connections need (runners.h),
 * each with its share, pinned to the load CPUs, in the client memory group. */
static int start_load(struct hn_trial *t, const char *url)
{
    if (t->c->hosts) return hn_trial_hosts_load(t, url);
    char lg[4096], target[1100], cg[1300];
    unsigned n = runners_needed(t->pt->conns, fd_limit());
    snprintf(target, sizeof target, "%s%s", url, t->pt->path);
    struct runner_args a = hn_trial_runner_args(t, n, target, lg, sizeof lg);
    struct runner_env env = {t->c->load_cpus, books_procs(&t->books, BOOKS_CLIENT, cg, sizeof cg)};
    int rc = runners_plan(&t->load_runs, t->base, n, t->pt->conns, t->pt->rate, target);
    t->load_start_ns = util_mono_ns();
    return rc < 0 ? rc : runners_start(&t->load_runs, &a, &env);
}

/* Seconds since c10k-load started of the first --series row with at least
 * 90% of the connections established; 0 when there is none yet. */
double hn_series_up_s(const struct hn_trial *t)
{
    char path[1600], buf[65536];
    const char *p;
    double best = 0;
    const struct runner *first = &t->load_runs.r[0]; /* the others started with it */
    snprintf(path, sizeof path, "%s.series.csv", first->base);
    if (procfs_read(path, buf, sizeof buf) <= 0) return 0;
    for (p = strchr(buf, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
        double ts = 0, est = 0;
        if (sscanf(p + 1, "%lf,%lf", &ts, &est) == 2 && est >= 0.9 * (double)first->conns) {
            best = ts;
            break;
        }
    }
    return best;
}

/* Seconds since c10k-load started of its window, from the line it prints
 * when its ramp ends ("... measuring from M s"); 0 when not printed yet. */
static double load_measure_s(const struct hn_trial *t)
{
    char path[1600], buf[16384];
    const char *p;
    double m = 0;
    snprintf(path, sizeof path, "%s.load.stderr", t->load_runs.r[0].base);
    if (procfs_read(path, buf, sizeof buf) <= 0 || !(p = strstr(buf, "measuring from "))) return 0;
    return sscanf(p, "measuring from %lf", &m) == 1 && m > 0 ? m : 0;
}

/* When c10k-load says its window started (else when its series shows the
 * connections up), plans two tree samples inside the window (at 20% and 50%
 * of it): the probe's own schedule may have widened to seconds on a tree of
 * 10,000 threads or processes. */
static void plan_kicks(struct hn_trial *t, uint64_t kick_at[2])
{
    double m_s = load_measure_s(t), up_s = m_s > 0 ? 0 : hn_series_up_s(t);
    uint64_t base, w, d;
    if (m_s <= 0 && up_s <= 0) return;
    hn_config_window(t->c, t->pt->scenario, &w, &d);
    base = m_s > 0 ? t->load_start_ns + (uint64_t)(m_s * 1e9)
                   : t->load_start_ns + (uint64_t)(up_s * 1e9) + w;
    kick_at[0] = base + d * 2 / 10;
    kick_at[1] = base + d * 5 / 10;
}

/* Waits for c10k-load, sampling the tree inside the measured window too,
 * watching the server. */
static int wait_load(struct hn_trial *t)
{
    uint64_t w, d, last_look = 0;
    uint64_t kick_at[2] = {0, 0};
    hn_config_window(t->c, t->pt->scenario, &w, &d);
    /* c10k-load's ramp may take 2 x --timeout (a connect, then a first answer) */
    uint64_t limit = t->load_start_ns + w + d + 3 * t->c->timeout_ns + 30 * UTIL_NS_PER_S +
                     t->pt->conns * UTIL_NS_PER_MS;
    unsigned next = 0;
    while (!runners_poll(&t->load_runs)) {
        uint64_t now = util_mono_ns();
        if (hn_sleep_ns(20 * UTIL_NS_PER_MS) < 0) return -EINTR;
        if (!kick_at[0] && now - last_look > 200 * UTIL_NS_PER_MS) {
            plan_kicks(t, kick_at);
            last_look = now;
        }
        if (kick_at[0] && next < 2 && now >= kick_at[next]) {
            if (next == 0 && !t->c->hosts) /* the memory books: close in time to idle */
                books_read(&t->books, BOOKS_LOADED);
            if (t->c->hosts)
                hn_trial_hosts_kick(t, next == 0); /* the books read there */
            else
                hn_probe_kick(t->probe); /* a tree sample inside the window */
            next++;
        }
        if (!t->exited_early && hn_child_poll(&t->srv)) t->exited_early = true;
        hn_trial_drain(t);
        if (t->c->hosts) hn_trial_hosts_poll(t);
        if (now > limit) {
            t->load_timeout = true;
            runners_kill(&t->load_runs);
        }
    }
    t->load_end_ns = util_mono_ns();
    if (runners_merge(&t->load_runs) < 0 && t->load_runs.n > 1)
        json_array_append_new(t->notes,
                              json_string("the load processes' files could not all be merged"));
    if (t->c->hosts) hn_trial_hosts_after_load(t);
    return 0;
}

static void kill_leftovers(struct hn_trial *t)
{
    pid_t pids[4096];
    size_t n = t->probe ? hn_probe_last_pids(t->probe, pids, 4096) : 0, i;
    for (i = 0; i < n; i++)
        if (pids[i] > 1 && pids[i] != getpid()) kill(pids[i], SIGKILL);
}

static void stop_server(struct hn_trial *t)
{
    if (t->probe) hn_probe_stop(t->probe);
    if (!t->exited_early && hn_child_poll(&t->srv)) t->exited_early = true;
    t->stop_ns = util_mono_ns();
    if (hn_child_stop(&t->srv, HN_STOP_GRACE_NS) == 1) {
        t->stop_killed = true;
        json_array_append_new(t->flags, json_string("stop_timeout"));
        json_array_append_new(
            t->notes, json_string("the server ignored SIGTERM: killed with SIGKILL after 2 s"));
    }
    kill_leftovers(t);
    hn_trial_drain(t);
}

static void trial_cleanup(struct hn_trial *t)
{
    if (t->c->hosts) hn_trial_hosts_cleanup(t);
    runners_close(&t->load_runs);
    if (t->srv.pid > 0) hn_child_kill(&t->srv);
    kill_leftovers(t);
    books_close(&t->books);
    hn_child_close(&t->srv);
    hn_probe_free(t->probe);
    json_decref(t->flags);
    json_decref(t->notes);
    json_decref(t->load);
}

static int trial_init(struct hn_trial *t, const struct hn_config *c, struct hn_point *pt,
                      unsigned k)
{
    memset(t, 0, sizeof *t);
    t->c = c;
    t->pt = pt;
    t->k = k;
    t->srv.out_fd = t->rprobe.out_fd = -1;
    t->srv.in_fd = t->rprobe.in_fd = -1;
    snprintf(t->rel, sizeof t->rel, "points/%s-t%u", pt->id, k);
    snprintf(t->base, sizeof t->base, "%s/%s", c->out, t->rel);
    hn_utc_now(t->started, sizeof t->started);
    t->flags = json_array();
    t->notes = json_array();
    if (c->hosts) {
        /* the server's books are read on its host (the probe's group
         * there, else system-wide there): trial_hosts.c fills them in */
        memset(&t->books, 0, sizeof t->books);
        t->books.method = MEMCG_SYSTEM;
        snprintf(t->books.why, sizeof t->books.why,
                 "the server ran on another host: system-wide deltas there");
    } else {
        books_open(&t->books);
    }
    return hn_model_find(pt->model, &t->model);
}

static int trial_measure(struct hn_trial *t)
{
    char url[300];
    int rc = start_server(t, url, sizeof url);
    if (rc < 0) return rc;
    rc = idle_samples(t);
    if (rc == 0) rc = start_load(t, url);
    if (rc == 0) rc = wait_load(t);
    return rc;
}

int hn_trial_run(const struct hn_config *c, struct hn_point *pt, unsigned k, bool *broken,
                 char *reason, size_t reason_cap)
{
    struct hn_trial t;
    json_t *res;
    int rc = trial_init(&t, c, pt, k);
    t.broken = broken;
    t.reason = reason;
    t.reason_cap = reason_cap;
    *broken = false;
    if (rc < 0) goto fail;
    rc = trial_measure(&t);
    if (rc == -EINTR) goto fail;
    if (rc < 0 && rc != -ENOTCONN && !*broken) set_reason(&t, "could not start a trial process");
    if (c->hosts)
        hn_trial_hosts_stop(&t);
    else
        stop_server(&t);
    res = hn_trial_result(&t);
    if (!res) {
        rc = -ENOMEM;
        goto fail;
    }
    json_array_append_new(pt->trials, res);
    rc = 0;
fail:
    trial_cleanup(&t);
    return rc;
}
