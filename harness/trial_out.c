/* hn trial_out: what a finished trial leaves: the server's stats line, the
 * tail of its stderr, the timeline (probe + load series on the server's
 * clock), the flags, why a point broke, and the trial JSON of docs/results.md.
 *   try: build/harness/c10k run --model epoll --connections 50 --duration 1s */
#include "trial.h"
#include "json.h"
#include "metrics.h"
#include "probe.h"
#include "store.h"
#include "measure/limits.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <procfs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <util.h>

#define HN_STDERR_TAIL_BYTES 65536

void hn_trial_drain(struct hn_trial *t)
{
    int fl;
    if (t->srv.out_fd < 0) return;
    fl = fcntl(t->srv.out_fd, F_GETFL);
    fcntl(t->srv.out_fd, F_SETFL, fl | O_NONBLOCK);
    for (;;) {
        ssize_t r;
        if (t->out_len + 1 >= sizeof t->out) /* keep the newest bytes */
            t->out_len = 0;
        r = read(t->srv.out_fd, t->out + t->out_len, sizeof t->out - 1 - t->out_len);
        if (r <= 0) break;
        t->out_len += (size_t)r;
    }
    t->out[t->out_len] = '\0';
}

/* The tail of a file (at most cap-1 bytes), NUL-terminated; "" when none. */
static void file_tail(const char *path, char *buf, size_t cap)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t r = 0;
    buf[0] = '\0';
    if (fd < 0) return;
    if (fstat(fd, &st) == 0 && (size_t)st.st_size >= cap)
        lseek(fd, st.st_size - (off_t)(cap - 1), SEEK_SET);
    r = read(fd, buf, cap - 1);
    buf[r > 0 ? r : 0] = '\0';
    close(fd);
}

/* Keeps only the last HN_STDERR_TAIL_BYTES of the server's stderr file. */
static void trim_stderr(const char *path)
{
    static char buf[HN_STDERR_TAIL_BYTES + 1];
    struct stat st;
    if (stat(path, &st) < 0 || st.st_size <= HN_STDERR_TAIL_BYTES) return;
    file_tail(path, buf, sizeof buf);
    hn_store_write(path, buf, strlen(buf));
}

/* The last non-empty line of text that is not the stats line. */
static void last_line(const char *text, char *out, size_t cap)
{
    const char *p = text, *best = NULL, *best_end = NULL;
    out[0] = '\0';
    while (*p) {
        const char *e = strchr(p, '\n');
        if (!e) e = p + strlen(p);
        if (e > p && strncmp(p, "stats ", 6) != 0) {
            best = p;
            best_end = e;
        }
        p = *e ? e + 1 : e;
    }
    if (best) snprintf(out, cap, "%.*s", (int)(best_end - best), best);
}

/* "stats accepted=N rejected=N reason=X" anywhere in text; NULL if absent. */
static json_t *stats_parse(const char *text)
{
    const char *p = strstr(text, "stats accepted=");
    unsigned long long acc, rej;
    char reason[64];
    if (p && (p == text || p[-1] == '\n') &&
        sscanf(p, "stats accepted=%llu rejected=%llu reason=%63s", &acc, &rej, reason) == 3)
        return json_pack("{s:I, s:I, s:s}", "accepted", (json_int_t)acc, "rejected",
                         (json_int_t)rej, "reason", reason);
    return NULL;
}

static void status_text(int st, char *buf, size_t cap)
{
    if (WIFSIGNALED(st)) {
        const char *abbr = sigabbrev_np(WTERMSIG(st));
        snprintf(buf, cap, "killed by signal %d (SIG%s)", WTERMSIG(st), abbr ? abbr : "?");
    } else {
        snprintf(buf, cap, "exit status %d", WEXITSTATUS(st));
    }
}

/* Why the server could not serve: its stats reason or its last stderr line. */
static void server_why(const struct hn_trial *t, const json_t *stats, const char *err_tail,
                       char *out, size_t cap)
{
    char line[300], limit[300];
    last_line(err_tail, line, sizeof line);
    const char *reason = json_string_value(json_object_get(stats, "reason"));
    limits_cause(reason, t->srv_processes, limit, sizeof limit);
    if (stats && json_integer_value(json_object_get(stats, "rejected")) > 0)
        snprintf(out, cap, "server rejected %lld connections (%s) after accepting %lld%s%s%s%s",
                 (long long)json_integer_value(json_object_get(stats, "rejected")), reason,
                 (long long)json_integer_value(json_object_get(stats, "accepted")),
                 limit[0] ? "; limit: " : "", limit, line[0] ? "; stderr: " : "", line);
    else if (line[0])
        snprintf(out, cap, "server stderr: %s", line);
    else
        snprintf(out, cap, "no reason given by the server");
}

/* "c10k-load: connect ETIMEDOUT x6928, ECONNREFUSED x3" from its JSON. */
static void load_why(const json_t *load, char *out, size_t cap)
{
    const json_t *by = json_object_get(json_object_get(load, "errors"), "connect_by_errno");
    const char *k;
    json_t *v;
    size_t len = 0;
    out[0] = '\0';
    json_object_foreach((json_t *)by, k, v)
    {
        if (json_integer_value(v) <= 0 || len + 48 >= cap) continue;
        len += (size_t)snprintf(out + len, cap - len, "%s%s x%lld",
                                len ? ", " : " (c10k-load: connect ", k,
                                (long long)json_integer_value(v));
    }
    if (len) snprintf(out + len, cap - len, ")");
}

/* Responses received in the measured window (completed when the load
 * generator does not say). */
static double served(const json_t *load)
{
    double got = hn_jnum(load, "requests.received");
    if (json_is_true(json_object_get(json_object_get(load, "config"), "idle")))
        return hn_jnum(load, "connections.established") -
               hn_jnum(load, "connections.unanswered"); /* answered once each, then silent */
    return isfinite(got) ? got : hn_jnum(load, "requests.completed");
}

/* Connections held: established and answered by the end of c10k-load's ramp
 * (closed loop and idle; INFINITY when c10k-load does not say). Those it did
 * not answer the server refused (its stats line) or left waiting in the
 * listen backlog (a pool at its limit, py-prefork's --max-workers): either way
 * it cannot hold them. */
static double held(const struct hn_trial *t)
{
    double est = hn_jnum(t->load, "connections.established");
    double unans = hn_jnum(t->load, "connections.unanswered");
    return isfinite(unans) && isfinite(est) ? est - unans : INFINITY;
}

static void break_reason(struct hn_trial *t, const json_t *stats, const char *err_tail)
{
    char why[800], st[80];
    double est = hn_jnum(t->load, "connections.established");
    server_why(t, stats, err_tail, why, sizeof why);
    if (*t->broken) {
        size_t len = strlen(t->reason);
        snprintf(t->reason + len, t->reason_cap - len, "; %s", why);
    } else if (t->exited_early) {
        *t->broken = true;
        status_text(t->srv.status, st, sizeof st);
        snprintf(t->reason, t->reason_cap, "crashed (%s); %s", st, why);
    } else if (!t->load) {
        char lerr[2048], line[300];
        char path[1500];
        *t->broken = true;
        snprintf(path, sizeof path, "%s.load.stderr", t->base);
        file_tail(path, lerr, sizeof lerr);
        last_line(lerr, line, sizeof line);
        status_text(runners_worst(&t->load_runs)->status, st, sizeof st);
        snprintf(t->reason, t->reason_cap, "c10k-load failed (%s): %s", st, line);
    } else if (!(est >= 0.9 * (double)t->pt->conns)) {
        char lw[200];
        load_why(t->load, lw, sizeof lw);
        *t->broken = true;
        snprintf(t->reason, t->reason_cap, "only %.0f of %llu connections established%s; %s",
                 isfinite(est) ? est : 0.0, (unsigned long long)t->pt->conns, lw, why);
    } else if (held(t) < 0.9 * (double)t->pt->conns) {
        /* the kernel completed the handshakes, the server did not take them */
        *t->broken = true;
        snprintf(t->reason, t->reason_cap,
                 "only %.0f of %llu connections held (established and answered); %s", held(t),
                 (unsigned long long)t->pt->conns, why);
    } else if (!(served(t->load) > 0)) {
        /* connected but answered nothing in the window: it cannot serve this point */
        double unans = hn_jnum(t->load, "connections.unanswered");
        *t->broken = true;
        if (isfinite(unans) && unans > 0)
            snprintf(t->reason, t->reason_cap,
                     "no response in the measured window (%.0f of %llu connections never "
                     "answered); %s",
                     unans, (unsigned long long)t->pt->conns, why);
        else
            snprintf(t->reason, t->reason_cap, "no response in the measured window; %s", why);
    }
}

/* The measured window on the server's clock. c10k-load says when it started
 * (start_monotonic_ns, on the same CLOCK_MONOTONIC; else the spawn time) and
 * when its window began after it (measure_start_s: ramp + warm-up); the
 * window lasts duration_s. Without measure_start_s (an older c10k-load):
 * from ramp_s, the warm-up and the exit time. *origin gets c10k-load's t=0
 * on the server's clock. */
static void window_of(const struct hn_trial *t, struct hn_window *w, double *origin)
{
    double ts = (double)(t->load_start_ns - t->t0_ns) / 1e9;
    double te = (double)(t->load_end_ns - t->t0_ns) / 1e9;
    double d = hn_jnum(t->load, "duration_s"), ramp = hn_jnum(t->load, "connections.ramp_s");
    double ms = hn_jnum(t->load, "measure_start_s"), mono = hn_jnum(t->load, "start_monotonic_ns");
    uint64_t warm_ns, dur_ns;
    hn_config_window(t->c, t->pt->scenario, &warm_ns, &dur_ns);
    double warm = (double)warm_ns / 1e9, a;
    if (!isfinite(d) || d <= 0) d = (double)dur_ns / 1e9;
    if (!isfinite(ramp) || ramp < 0) ramp = 0;
    /* c10k-load started between the spawn and its exit */
    *origin = isfinite(mono) ? (mono - (double)t->t0_ns) / 1e9 : ts;
    if (!(*origin >= ts - 0.001 && *origin <= te)) *origin = ts;
    if (isfinite(ms) && ms >= 0) {
        w->start_s = *origin + ms;
        w->end_s = fmin(w->start_s + d, te);
        if (w->end_s > w->start_s) return;
    }
    a = *origin + ramp + warm;
    w->start_s = fmax(a, te - d);
    w->end_s = fmin(a + d, te);
    if (w->end_s <= w->start_s) {
        w->start_s = te - d;
        w->end_s = te;
    }
}

struct hn_probe_view {
    const struct hn_sample *s;
    size_t n, n_idle, n_loaded;
    struct hn_sample idle, loaded, peak;
    double origin; /* c10k-load's t=0 on the server's clock */
};

static json_t *probe_json(const struct hn_trial *t, const struct hn_probe_view *v,
                          const struct hn_window *w)
{
    json_t *j = json_pack(
        "{s:i, s:I, s:b, s:I, s:f, s:i, s:I, s:I, s:{s:f, s:f, s:f}}", "interval_ms", 100,
        "interval_max_ms", (json_int_t)(hn_probe_max_interval_ns(t->probe) / UTIL_NS_PER_MS),
        "adaptive", hn_probe_max_interval_ns(t->probe) > 100 * UTIL_NS_PER_MS, "samples",
        (json_int_t)v->n, "cpu_fraction", hn_probe_cpu_fraction(t->probe), "misses",
        (int)hn_probe_misses(t->probe), "idle_samples", (json_int_t)v->n_idle, "loaded_samples",
        (json_int_t)v->n_loaded, "window", "start_s", w->start_s, "end_s", w->end_s, "load_start_s",
        v->origin);
    json_object_set_new(j, "tree_subset", json_boolean(hn_probe_sampled(t->probe)));
    json_object_set_new(j, "tree_subset_processes", json_integer(256));
    json_object_set_new(j, "idle", v->n_idle ? hn_sample_json(&v->idle) : json_null());
    json_object_set_new(j, "loaded", v->n_loaded ? hn_sample_json(&v->loaded) : json_null());
    json_object_set_new(j, "peak", v->n ? hn_sample_json(&v->peak) : json_null());
    return j;
}

static json_t *server_json(const struct hn_trial *t, json_t *stats)
{
    const int st = t->srv.status;
    json_t *j = json_pack(
        "{s:i, s:s, s:o, s:i, s:b, s:b}", "pid", (int)t->ready_pid, "cpus", t->c->server_cpus,
        "exit_status", t->srv.exited && WIFEXITED(st) ? json_integer(WEXITSTATUS(st)) : json_null(),
        "signal", t->srv.exited && WIFSIGNALED(st) ? WTERMSIG(st) : 0, "exited_before_stop",
        t->exited_early, "killed_after_grace", t->stop_killed);
    json_object_set_new(j, "launcher_pid", json_integer(t->srv.pid));
    json_object_set_new(j, "processes", json_integer(t->srv_processes));
    json_object_set_new(j, "stats", stats ? stats : json_null());
    return j;
}

static void server_flags(struct hn_trial *t)
{
    const int st = t->srv.status;
    bool bad_exit = !t->srv.exited || !WIFEXITED(st) || WEXITSTATUS(st) != 0;
    bool has = false;
    size_t i;
    json_t *f;
    json_array_foreach(t->flags, i, f) has |= strcmp(json_string_value(f), "server_crashed") == 0;
    if (!has && (t->exited_early || (bad_exit && !t->stop_killed)))
        json_array_append_new(t->flags, json_string("server_crashed"));
    if (t->load_timeout) json_array_append_new(t->flags, json_string("loadgen_timeout"));
}

/* c10k-load failed: not started, killed by a signal (not ours), an exit
 * status other than 0 (ran) or 1 (nothing connected), or no JSON. */
static bool load_failed(const struct hn_trial *t)
{
    const struct runner *r = runners_worst(&t->load_runs);
    const int st = r->status;
    if (!t->load_start_ns || t->load_timeout) return false;
    if (!r->started || !r->exited || !t->load) return true;
    return WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) > 1);
}

/* The load processes: the one standing for them (the first that failed, else
 * the first) and how many there were. */
static json_t *loadgen_json(const struct hn_trial *t)
{
    const struct runner *r = runners_worst(&t->load_runs);
    const int st = r->status;
    if (!t->load_start_ns) return json_null();
    return json_pack("{s:i, s:o, s:i, s:i}", "pid", (int)r->child.pid, "exit_status",
                     r->exited && WIFEXITED(st) ? json_integer(WEXITSTATUS(st)) : json_null(),
                     "signal", r->exited && WIFSIGNALED(st) ? WTERMSIG(st) : 0, "processes",
                     (int)t->load_runs.n);
}

static void probe_view(const struct hn_trial *t, const struct hn_window *w, double t_spawn,
                       struct hn_probe_view *v)
{
    memset(v, 0, sizeof *v);
    v->origin = t_spawn;
    if (!t->probe) return;
    v->n = hn_probe_samples(t->probe, &v->s);
    hn_samples_median(v->s, v->n, t_spawn - 0.4, t_spawn, &v->idle, &v->n_idle);
    if (!v->n_idle) hn_samples_median(v->s, v->n, 0, t_spawn, &v->idle, &v->n_idle);
    hn_samples_median(v->s, v->n, w->start_s, w->end_s, &v->loaded, &v->n_loaded);
    hn_samples_peak(v->s, v->n, &v->peak);
}

static json_t *files_json(const struct hn_trial *t)
{
    char h[500], hl[500], tl[500], e[500];
    snprintf(h, sizeof h, "%s.hgrm", t->rel);
    snprintf(hl, sizeof hl, "%s.hlog", t->rel);
    snprintf(tl, sizeof tl, "%s.timeline.csv", t->rel);
    snprintf(e, sizeof e, "%s.stderr", t->rel);
    return json_pack("{s:s, s:s, s:s, s:s}", "hgrm", h, "hlog", hl, "timeline", tl, "stderr", e);
}

json_t *hn_trial_result(struct hn_trial *t)
{
    char path[1500], err_tail[8192];
    double m[RES_M_COUNT];
    struct hn_window w = {0, 0};
    struct hn_probe_view v;
    double t_spawn = 0;
    json_t *stats, *j;
    snprintf(path, sizeof path, "%s.load.json", t->base);
    t->load = t->load_start_ns ? json_load_file(path, 0, NULL) : NULL;
    snprintf(path, sizeof path, "%s.stderr", t->base);
    trim_stderr(path);
    file_tail(path, err_tail, sizeof err_tail);
    stats = stats_parse(t->out);
    if (!stats) stats = stats_parse(err_tail);
    if (t->load_start_ns) window_of(t, &w, &t_spawn);
    probe_view(t, &w, t_spawn, &v);
    hn_metrics_compute(t->load, v.n_idle ? &v.idle : NULL, v.n_loaded ? &v.loaded : NULL, v.s, v.n,
                       &w, m);
    if (t->probe) m[RES_M_PROBE_CPU] = hn_probe_cpu_fraction(t->probe);
    m[RES_M_SRV_PROCS] = t->srv_processes;
    m[RES_M_LOAD_PROCS] = t->load_runs.n;
    const double sys_parts[5] = {m[RES_M_PC_USER], m[RES_M_PC_KSTACK_TREE], m[RES_M_PC_PTE_TREE],
                                 m[RES_M_PC_SLAB], m[RES_M_PC_SOCKET]};
    books_metrics(&t->books, m[RES_M_ESTABLISHED], sys_parts, m);
    if (t->c->hosts) hn_trial_hosts_metrics(t, m);
    if (t->load) hn_flags_add(t->flags, t->load, m, t->pt->conns, t->pt->rate);
    server_flags(t);
    if (load_failed(t)) json_array_append_new(t->flags, json_string("loadgen_failed"));
    if (t->load_start_ns && (!v.n_idle || !v.n_loaded))
        json_array_append_new(t->flags, json_string("probe_missed"));
    break_reason(t, stats, err_tail);
    if (t->probe && t->load_start_ns) hn_timeline_write(t, v.s, v.n, t_spawn);
    j = json_pack("{s:i, s:s, s:b, s:O, s:O, s:o, s:O}", "trial", (int)t->k, "started", t->started,
                  "valid", json_array_size(t->flags) == 0, "flags", t->flags, "notes", t->notes,
                  "server", server_json(t, stats), "load", t->load ? t->load : json_null());
    json_object_set_new(j, "loadgen", loadgen_json(t));
    json_object_set_new(j, "probe", t->probe ? probe_json(t, &v, &w) : json_null());
    json_object_set_new(j, "metrics", hn_metrics_json(m));
    json_t *books = books_json(&t->books, m[RES_M_ESTABLISHED], m); /* memory_method... */
    json_object_update(j, books);
    json_decref(books);
    json_object_set_new(j, "files", files_json(t));
    return j;
}
