/* waits/run: drives the clients of `c10k waits`. Each job is a client process
 * that prints "ready", starts on SIGUSR1 and ends with one JSON line; while it
 * runs its process tree's own memory is sampled every 10 ms (peak - ready
 * = what its requests in flight cost). Sequential jobs (hours of waiting, no CPU) run
 * beside the others unless --serial. Try: c10k waits --n 5,10 --wait 200ms */
#include "wt.h"
#include "proc.h"
#include "wt_paths.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <util.h>

#include <procfs.h>

#define WT_SAMPLE_NS (10 * UTIL_NS_PER_MS)
/* a sequential client has one request at a time and may run beside a sweep:
 * sampled ten times less often (each sample reads /proc) */
#define WT_SAMPLE_SEQ_NS (100 * UTIL_NS_PER_MS)
#define WT_START_NS (30 * UTIL_NS_PER_S) /* an interpreter on a loaded machine */
#define WT_MAX_PIDS 4096

/* The memory the tree has made its own: Pss_Dirty (Pss_Anon on kernels
 * before 6.0) of every process plus its page tables. Written pages are shared
 * only inside the tree (a forked worker and its parent split them), so unlike
 * PSS, RSS or USS the figure does not move when an unrelated process mapping
 * the same libraries starts or exits. Kernel stacks are not included. */
static uint64_t wt_mem(pid_t root)
{
    static pid_t pids[WT_MAX_PIDS];
    char path[64], buf[2048];
    uint64_t sum = 0, v;
    size_t n = 0;
    int rc = procfs_tree_pids(root, pids, WT_MAX_PIDS, &n);
    if (rc && rc != -ENOSPC) return 0;
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pids[i]);
        if (procfs_read(path, buf, sizeof buf) > 0 &&
            (procfs_field(buf, "Pss_Dirty:", &v) == 0 || procfs_field(buf, "Pss_Anon:", &v) == 0))
            sum += v;
        snprintf(path, sizeof path, "/proc/%d/status", (int)pids[i]);
        if (procfs_read(path, buf, sizeof buf) > 0 && procfs_field(buf, "VmPTE:", &v) == 0)
            sum += v;
    }
    return sum;
}

static bool wt_active(const struct wt_job *j)
{
    return j->state == WT_STARTING || j->state == WT_READY || j->state == WT_RUNNING;
}

static void wt_fail(struct wt_job *j, const char *why)
{
    snprintf(j->why, sizeof j->why, "%s", why);
    j->state = WT_FAILED;
    hn_child_kill(&j->ch);
    hn_child_close(&j->ch);
}

static int wt_spawn(const struct wt_config *cfg, int port, struct wt_job *j)
{
    char sport[16], n[32], path[64], tmo[32];
    double timeout = cfg->wait_s + 30.0;
    snprintf(sport, sizeof sport, "%d", port);
    snprintf(n, sizeof n, "%llu", (unsigned long long)j->n);
    snprintf(path, sizeof path, "/?delay_us=%.0f", cfg->wait_s * 1e6);
    char *py[] = {WT_PYTHON,   WT_PY_CLIENT,
                  "--mode",    (char *)j->client->mode,
                  "--port",    sport,
                  "--path",    path,
                  "-n",        n,
                  "--timeout", tmo,
                  NULL};
    char *c[] = {WT_C_CLIENT, "--mode", (char *)j->client->mode, "--port", sport, "--path", path,
                 "-n",        n,        "--timeout-ms",          tmo,      NULL};
    if (j->client->python)
        snprintf(tmo, sizeof tmo, "%.3f", timeout);
    else
        snprintf(tmo, sizeof tmo, "%.0f", timeout * 1000);
    j->spawn_ns = util_mono_ns();
    j->deadline_ns = j->spawn_ns + WT_START_NS; /* to its ready line; then wt_go sets it */
    int rc = hn_child_spawn(&j->ch, j->client->python ? py : c, NULL, true, NULL);
    if (rc) {
        snprintf(j->why, sizeof j->why, "cannot start: %s", strerror(-rc));
        j->state = WT_FAILED;
        return rc;
    }
    j->state = WT_STARTING;
    return 0;
}

static void wt_result(struct wt_job *j, const char *line)
{
    json_t *r = json_loads(line, 0, NULL);
    if (!r || !json_is_number(json_object_get(r, "wall_s"))) {
        char why[160];
        snprintf(why, sizeof why, "unreadable result: '%.100s'", line);
        json_decref(r);
        wt_fail(j, why);
        return;
    }
    j->wall_s = json_number_value(json_object_get(r, "wall_s"));
    j->cpu_s = json_number_value(json_object_get(r, "cpu_s"));
    j->pool_start_s = json_number_value(json_object_get(r, "pool_start_s"));
    j->ok = (long)json_integer_value(json_object_get(r, "ok"));
    j->errors = (long)json_integer_value(json_object_get(r, "errors"));
    json_decref(r);
    j->state = WT_DONE;
    hn_child_stop(&j->ch, 5 * UTIL_NS_PER_S);
    hn_child_close(&j->ch);
}

static void wt_line(struct wt_job *j, const char *line)
{
    if (j->state == WT_STARTING && strcmp(line, "ready") == 0) {
        j->ready_ns = util_mono_ns();
        j->base_mem = j->peak_mem = wt_mem(j->ch.pid);
        j->state = WT_READY; /* held until its turn (wt_go) */
    } else if (j->state == WT_RUNNING) {
        wt_result(j, line);
    }
}

/* Reads what the job's stdout has; each full line moves its state on. */
static void wt_read(struct wt_job *j)
{
    char b[256];
    ssize_t r = read(j->ch.out_fd, b, sizeof b);
    if (r <= 0) {
        wt_fail(j, j->state == WT_STARTING ? "exited before its ready line"
                                           : "exited without a result");
        return;
    }
    for (ssize_t i = 0; i < r && wt_active(j); i++) {
        if (b[i] != '\n') {
            if (j->len + 1 < sizeof j->line) j->line[j->len++] = b[i];
            continue;
        }
        j->line[j->len] = '\0';
        j->len = 0;
        wt_line(j, j->line);
    }
}

static uint64_t wt_period(const struct wt_job *j)
{
    return j->client->concurrent ? WT_SAMPLE_NS : WT_SAMPLE_SEQ_NS;
}

static void wt_sample(struct wt_job *j, uint64_t now)
{
    if (j->state != WT_RUNNING || now < j->next_sample_ns) return;
    uint64_t mem = wt_mem(j->ch.pid);
    if (mem > j->peak_mem) j->peak_mem = mem;
    j->next_sample_ns = now + wt_period(j);
}

/* One round: wait up to a sample period (of the jobs that only wait: ten) for output, read it,
 * sample memory, enforce deadlines. */
static void wt_round(struct wt_job *jobs, size_t n)
{
    struct pollfd pfd[64];
    size_t idx[64], k = 0;
    int ms = 50; /* 5 while a job that is not sequential is active */
    for (size_t i = 0; i < n && k < 64; i++)
        if (wt_active(&jobs[i])) {
            pfd[k] = (struct pollfd){jobs[i].ch.out_fd, POLLIN, 0};
            idx[k++] = i;
            if (jobs[i].client->concurrent || jobs[i].state != WT_RUNNING) ms = 5;
        }
    if (poll(pfd, k, ms) > 0)
        for (size_t i = 0; i < k; i++)
            if (pfd[i].revents) wt_read(&jobs[idx[i]]);
    uint64_t now = util_mono_ns();
    for (size_t i = 0; i < n; i++) {
        wt_sample(&jobs[i], now);
        if (jobs[i].state != WT_READY && wt_active(&jobs[i]) && now > jobs[i].deadline_ns)
            wt_fail(&jobs[i], jobs[i].state == WT_STARTING ? "no ready line in 30 s" : "timed out");
    }
}

/* Queued jobs run one at a time (the clients whose requests overlap: their
 * wall time is the figure); the sequential ones, which only wait, run beside
 * them unless --serial. */
static bool wt_queued(const struct wt_config *cfg, const struct wt_job *j)
{
    return cfg->serial || j->client->concurrent;
}

static size_t wt_count(const struct wt_config *cfg, const struct wt_job *jobs, size_t n, int state)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (wt_queued(cfg, &jobs[i]) && (state < 0 ? wt_active(&jobs[i]) : jobs[i].state == state))
            k++;
    return k;
}

/* The next job to start: every overlapping job at once; one queued job
 * starting (its interpreter's start-up overlaps the running one's wait, not
 * under --serial) while at most one runs. */
static struct wt_job *wt_next(const struct wt_config *cfg, struct wt_job *jobs, size_t n)
{
    size_t active = wt_count(cfg, jobs, n, -1), running = wt_count(cfg, jobs, n, WT_RUNNING);
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].state != WT_IDLE) continue;
        if (!wt_queued(cfg, &jobs[i])) return &jobs[i];
        if (active == 0 || (!cfg->serial && active == running && running == 1)) return &jobs[i];
    }
    return NULL;
}

/* Sends "go" (SIGUSR1) to the ready jobs whose turn it is. */
static void wt_go(const struct wt_config *cfg, struct wt_job *jobs, size_t n, double wait_s)
{
    for (size_t i = 0; i < n; i++) {
        struct wt_job *j = &jobs[i];
        if (j->state != WT_READY) continue;
        if (wt_queued(cfg, j) && wt_count(cfg, jobs, n, WT_RUNNING) > 0) continue;
        j->state = WT_RUNNING;
        j->next_sample_ns = util_mono_ns() + wt_period(j);
        j->deadline_ns = util_mono_ns() + WT_START_NS + (uint64_t)((double)j->n * wait_s * 2e9);
        kill(j->ch.pid, SIGUSR1);
    }
}

int wt_run_jobs(const struct wt_config *cfg, int port, struct wt_job *jobs, size_t n)
{
    for (;;) {
        struct wt_job *j;
        bool active = false;
        while ((j = wt_next(cfg, jobs, n)) != NULL)
            if (wt_spawn(cfg, port, j) == 0) break;
        for (size_t i = 0; i < n; i++)
            active |= wt_active(&jobs[i]);
        if (!active && !wt_next(cfg, jobs, n)) return 0;
        wt_go(cfg, jobs, n, cfg->wait_s);
        if (hn_interrupted()) {
            for (size_t i = 0; i < n; i++)
                if (wt_active(&jobs[i])) wt_fail(&jobs[i], "interrupted");
            return -EINTR;
        }
        wt_round(jobs, n);
    }
}
