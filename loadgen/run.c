/* run: sets up the request, the file limit and the workers, then steers the
 * phases from main (ramp -> go -> warm-up -> measured window -> drain) while
 * writing the series; SIGINT/SIGTERM end the window early. */
#include "lg.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "util.h"

#define LG_FD_RESERVE 32

static int build_request(struct lg_run *run, const struct lg_config *cfg)
{
    char head[1400];
    size_t blen = cfg->body ? strlen(cfg->body) : 0;
    int n = cfg->body ? snprintf(head, sizeof(head),
                                 "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %zu\r\n\r\n",
                                 cfg->method, cfg->target, cfg->host_header, blen)
                      : snprintf(head, sizeof(head), "%s %s HTTP/1.1\r\nHost: %s\r\n\r\n",
                                 cfg->method, cfg->target, cfg->host_header);
    if (n < 0 || (size_t)n >= sizeof(head)) return -EINVAL;
    run->request_len = (size_t)n + blen;
    run->request = malloc(run->request_len * cfg->pipeline);
    if (!run->request) return -ENOMEM;
    for (uint32_t i = 0; i < cfg->pipeline; i++) {
        char *p = run->request + i * run->request_len;
        memcpy(p, head, (size_t)n);
        if (blen) memcpy(p + n, cfg->body, blen);
    }
    return 0;
}

/* Raises RLIMIT_NOFILE to its hard limit; -EMFILE (said why) when even that
 * cannot hold every connection. */
static int raise_nofile(const struct lg_config *cfg)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0) return -errno;
    uint64_t need = (uint64_t)cfg->connections + cfg->threads * 2 + LG_FD_RESERVE;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
        uint64_t most = rl.rlim_max > cfg->threads * 2 + LG_FD_RESERVE
                            ? rl.rlim_max - cfg->threads * 2 - LG_FD_RESERVE
                            : 0;
        fprintf(stderr,
                "c10k-load: -c %u needs %llu file descriptors but RLIMIT_NOFILE is capped at %llu "
                "here; at most -c %llu is possible (raise the hard limit, or spread the "
                "connections over several c10k-load processes)\n",
                cfg->connections, (unsigned long long)need, (unsigned long long)rl.rlim_max,
                (unsigned long long)most);
        return -EMFILE;
    }
    rl.rlim_cur = rl.rlim_max;
    return setrlimit(RLIMIT_NOFILE, &rl) < 0 ? -errno : 0;
}

int lg_run_init(struct lg_run *run, const struct lg_config *cfg)
{
    memset(run, 0, sizeof(*run));
    run->cfg = cfg;
    int rc = raise_nofile(cfg);
    if (rc < 0) return rc;
    rc = build_request(run, cfg);
    if (rc < 0) goto fail;
    run->nworkers = cfg->threads;
    run->workers = calloc(run->nworkers, sizeof(*run->workers));
    rc = -ENOMEM;
    if (!run->workers) goto fail;
    uint32_t first = 0;
    for (uint32_t i = 0; i < run->nworkers; i++) {
        uint32_t n = cfg->connections / run->nworkers + (i < cfg->connections % run->nworkers);
        rc = lg_worker_init(&run->workers[i], run, (int)i, first, n);
        if (rc < 0) goto fail;
        first += n;
    }
    run->drain_ns = cfg->timeout_ns;
    atomic_store(&run->end_ns, UINT64_MAX);
    return 0;
fail:
    lg_run_close(run);
    return rc;
}

void lg_run_close(struct lg_run *run)
{
    for (uint32_t i = 0; run->workers && i < run->nworkers; i++)
        lg_worker_close(&run->workers[i]);
    free(run->workers);
    free(run->request);
    run->workers = NULL;
    run->request = NULL;
}

static int start_threads(struct lg_run *run)
{
    const struct lg_config *cfg = run->cfg;
    for (uint32_t i = 0; i < run->nworkers; i++) {
        pthread_attr_t attr;
        cpu_set_t set;
        pthread_attr_init(&attr);
        CPU_ZERO(&set);
        CPU_SET(cfg->cpus[i % (uint32_t)cfg->ncpus], &set);
        pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
        int rc = pthread_create(&run->workers[i].thread, &attr, lg_worker_main, &run->workers[i]);
        pthread_attr_destroy(&attr);
        if (rc != 0) {
            /* the ones already running end at once */
            run->nworkers = i;
            atomic_store(&run->end_ns, 0);
            atomic_store(&run->go_ns, util_mono_ns());
            return -rc;
        }
    }
    return 0;
}

static bool all_ramped(struct lg_run *run, uint64_t *last_ns)
{
    *last_ns = 0;
    for (uint32_t i = 0; i < run->nworkers; i++) {
        struct lg_worker *w = &run->workers[i];
        if (!atomic_load_explicit(&w->ramp_done, memory_order_acquire)) return false;
        if (w->ramp_end_ns > *last_ns) *last_ns = w->ramp_end_ns;
    }
    return true;
}

/* Every worker has published its k-th second (or finished). */
static bool all_published(struct lg_run *run, uint64_t k)
{
    for (uint32_t i = 0; i < run->nworkers; i++) {
        struct lg_worker *w = &run->workers[i];
        if (atomic_load_explicit(&w->iv_second, memory_order_relaxed) < k &&
            !atomic_load_explicit(&w->finished, memory_order_acquire))
            return false;
    }
    return true;
}

/* Some worker published a second main has not taken yet. */
static bool any_unwritten(struct lg_run *run)
{
    for (uint32_t i = 0; i < run->nworkers; i++) {
        struct lg_worker *w = &run->workers[i];
        if (atomic_load_explicit(&w->iv_done, memory_order_acquire) !=
            atomic_load_explicit(&w->iv_consumed, memory_order_relaxed))
            return true;
    }
    return false;
}

static bool all_finished(struct lg_run *run)
{
    for (uint32_t i = 0; i < run->nworkers; i++)
        if (!atomic_load_explicit(&run->workers[i].finished, memory_order_acquire)) return false;
    return true;
}

static void go(struct lg_run *run, uint64_t now, uint64_t ramp_end)
{
    uint64_t g = now + UTIL_NS_PER_MS;
    run->ramp_s = (double)(ramp_end - run->start_ns) / 1e9;
    run->measure_ns = g + run->cfg->warmup_ns;
    atomic_store(&run->end_ns, run->measure_ns + run->cfg->duration_ns);
    atomic_store_explicit(&run->go_ns, g, memory_order_release);
    if (!run->cfg->quiet) /* the harness reads this line to plan its samples */
        fprintf(stderr, "c10k-load: ramp done at %.3f s; measuring from %.3f s\n", run->ramp_s,
                (double)(run->measure_ns - run->start_ns) / 1e9);
}

/* When the ramp gives up: --timeout twice (a connect, then its first answer)
 * after the later of the paced schedule's end and the last connect() issued;
 * none while connect()s are still being issued (a finite loop of non-blocking
 * calls that a loaded machine may stretch to tens of seconds). */
static uint64_t ramp_deadline(const struct lg_run *run)
{
    const struct lg_config *cfg = run->cfg;
    uint64_t pace = cfg->connect_rate
                        ? (uint64_t)((double)cfg->connections * 1e9 / (double)cfg->connect_rate)
                        : 0;
    uint64_t last = run->start_ns + pace;
    for (uint32_t i = 0; i < run->nworkers; i++) {
        uint64_t t = atomic_load_explicit(&run->workers[i].issued_ns, memory_order_acquire);
        if (!t && !atomic_load_explicit(&run->workers[i].finished, memory_order_acquire))
            return UINT64_MAX;
        if (t > last) last = t;
    }
    return last + 2 * cfg->timeout_ns + UTIL_NS_PER_S;
}

/* The latest time a worker saw all its connect()s done; -1 when one never did. */
static double connected_s(const struct lg_run *run)
{
    uint64_t last = 0;
    for (uint32_t i = 0; i < run->nworkers; i++) {
        if (!run->workers[i].connected_ns) return -1;
        if (run->workers[i].connected_ns > last) last = run->workers[i].connected_ns;
    }
    return last ? (double)(last - run->start_ns) / 1e9 : -1;
}

/* Sleeps until wake_ns or a signal; a signal ends the run early. */
static void nap(struct lg_run *run, const sigset_t *sigs, uint64_t wake_ns)
{
    uint64_t now = util_mono_ns();
    uint64_t d = wake_ns > now ? wake_ns - now : 0;
    struct timespec ts = {.tv_sec = (time_t)(d / UTIL_NS_PER_S),
                          .tv_nsec = (long)(d % UTIL_NS_PER_S)};
    if (sigtimedwait(sigs, NULL, &ts) < 0) return;
    now = util_mono_ns();
    if (!atomic_load(&run->go_ns)) go(run, now, now);
    if (atomic_load(&run->end_ns) > now)
        atomic_store(&run->end_ns, now > run->measure_ns ? now : run->measure_ns);
}

static void steer(struct lg_run *run, const sigset_t *sigs, struct lg_rows *rows)
{
    uint64_t row_k = 1;
    while (!all_finished(run)) {
        uint64_t now = util_mono_ns(), ramp_end;
        uint64_t deadline = atomic_load(&run->go_ns) ? 0 : ramp_deadline(run);
        if (!atomic_load(&run->go_ns) && (all_ramped(run, &ramp_end) || now >= deadline))
            go(run, now, now >= deadline ? now : ramp_end);
        uint64_t row_ns = run->start_ns + row_k * UTIL_NS_PER_S;
        if (now >= row_ns + 5 * UTIL_NS_PER_MS &&
            (all_published(run, row_k) || now >= row_ns + 500 * UTIL_NS_PER_MS)) {
            lg_series_row(run, rows, row_ns, false);
            row_k++;
        }
        uint64_t tick = atomic_load(&run->go_ns) ? 100 : 5;
        uint64_t wake = now + tick * UTIL_NS_PER_MS;
        if (now >= row_ns)
            wake = now + 5 * UTIL_NS_PER_MS; /* a worker is late publishing the second */
        nap(run, sigs, wake < row_ns + 5 * UTIL_NS_PER_MS ? wake : row_ns + 5 * UTIL_NS_PER_MS);
    }
    for (uint32_t i = 0; i < run->nworkers; i++)
        pthread_join(run->workers[i].thread, NULL);
    run->ended_ns = util_mono_ns();
    run->connected_s = connected_s(run);
    /* a second the workers published but main had no turn to write (they
     * finished first) keeps its own row before the partial last one */
    uint64_t row_ns = run->start_ns + row_k * UTIL_NS_PER_S;
    if (row_ns <= run->ended_ns && any_unwritten(run)) lg_series_row(run, rows, row_ns, false);
    lg_series_row(run, rows, run->ended_ns, true);
}

int lg_run_exec(struct lg_run *run)
{
    sigset_t sigs, old;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    signal(SIGPIPE, SIG_IGN);
    pthread_sigmask(SIG_BLOCK, &sigs, &old);
    struct lg_rows rows;
    run->start_ns = util_mono_ns();
    int rc = lg_rows_open(&rows, run);
    if (rc < 0) goto out;
    rc = start_threads(run);
    if (rc < 0) fprintf(stderr, "c10k-load: pthread_create: %s\n", strerror(-rc));
    steer(run, &sigs, &rows);
out:
    lg_rows_close(&rows);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}
