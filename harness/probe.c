/* hn probe: a thread sampling a server's process tree (lib/procfs) and the
 * system every interval, widening the interval when a sample costs more than
 * 1% of it (10,000 processes), and measuring its own CPU time.
 *   try: tests/harness/test-probe */
#include "config.h"
#include "json.h"
#include "probe.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <pthread.h>
#include <sched.h>
#include <procfs.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <util.h>

#define HN_PROBE_MAX_PIDS 65536
#define HN_PROBE_FULL_MAX 512  /* trees larger than this are read from a subset */
#define HN_PROBE_SUBSET 256    /* of this many processes */
#define HN_PROBE_BUDGET 200 /* heavy interval >= 200 x its cost: 0.5%, light ones on top */

const char *const hn_sf_names[HN_SF_COUNT] = {
    "t_s", "rss_bytes", "pss_bytes", "vsz_bytes", "page_tables_bytes", "threads", "processes",
    "utime_s", "stime_s", "ctxsw_voluntary", "ctxsw_involuntary", "sys_kernel_stack_bytes",
    "sys_page_tables_bytes", "sys_slab_bytes", "sys_mem_available_bytes", "sys_tcp_sockets",
    "sys_tcp_mem_bytes", "sched_cpu_s",
};

struct hn_probe {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pid_t root;
    uint64_t t0_ns, base_ns, interval_ns, max_interval_ns, next_heavy_ns;
    size_t heavy;                  /* heavy samples taken */
    uint64_t cpu_ns, started_ns, stopped_ns;
    struct hn_sample *s;
    size_t n, cap;
    pid_t *pids;
    size_t npids;
    unsigned kicks, misses;
    bool stop, running, sampled;
};

static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * UTIL_NS_PER_S + (uint64_t)ts.tv_nsec;
}

static void fill(struct hn_sample *x, const struct procfs_tree *t, const struct procfs_sys *y)
{
    double *v = x->v;
    v[HN_SF_RSS] = (double)t->rss_bytes;
    v[HN_SF_PSS] = (double)t->pss_bytes;
    v[HN_SF_VSZ] = (double)t->vsz_bytes;
    v[HN_SF_PTE] = (double)t->page_tables_bytes;
    v[HN_SF_THREADS] = (double)t->threads;
    v[HN_SF_PROCS] = (double)t->processes;
    v[HN_SF_UTIME] = t->utime_s;
    v[HN_SF_STIME] = t->stime_s;
    v[HN_SF_CSW_VOL] = (double)t->ctxsw_voluntary;
    v[HN_SF_CSW_INVOL] = (double)t->ctxsw_involuntary;
    v[HN_SF_SYS_KSTACK] = (double)y->kernel_stack_bytes;
    v[HN_SF_SYS_PTE] = (double)y->page_tables_bytes;
    v[HN_SF_SYS_SLAB] = (double)y->slab_bytes;
    v[HN_SF_SYS_AVAIL] = (double)y->mem_available_bytes;
    v[HN_SF_SYS_TCP] = (double)y->tcp_sockets;
    v[HN_SF_SYS_TCPMEM] = (double)y->tcp_mem_bytes;
    v[HN_SF_SCHED_CPU] = t->sched_cpu_s;
}

/* One sample (without the lock: only this thread touches pids). A light
 * one reads only the system figures (the tree fields stay NAN); a heavy one
 * the whole process tree too. */
static int take(struct hn_probe *p, struct hn_sample *x, bool heavy)
{
    struct procfs_tree t;
    struct procfs_sys y;
    size_t n = 0, i, stride;
    int rc;
    x->v[HN_SF_T] = (double)(util_mono_ns() - p->t0_ns) / 1e9;
    if (procfs_sys_read(&y) < 0)
        return -EIO;
    if (!heavy) {
        memset(&t, 0, sizeof t);
        fill(x, &t, &y);
        for (i = HN_SF_RSS; i <= HN_SF_CSW_INVOL; i++)
            x->v[i] = NAN;
        x->v[HN_SF_SCHED_CPU] = NAN;
        return kill(p->root, 0) == 0 || errno == EPERM ? 0 : -ESRCH;
    }
    /* a big tree (prefork at 10k) is read from a spread subset, scaled */
    stride = p->npids > HN_PROBE_FULL_MAX ? p->npids / HN_PROBE_SUBSET : 1;
    rc = procfs_tree_pids_stride(p->root, p->pids, HN_PROBE_MAX_PIDS, &n, stride);
    if (rc == -ESRCH || n == 0)
        return -ESRCH;
    p->npids = n;
    if (procfs_tree_read_sampled(p->pids, n, PROCFS_PSS | PROCFS_CTXSW | PROCFS_SCHED,
                                 n > HN_PROBE_FULL_MAX ? HN_PROBE_SUBSET : n, &t) < 0)
        return -ESRCH;
    p->sampled |= t.sampled;
    fill(x, &t, &y);
    return 0;
}

static void record(struct hn_probe *p, const struct hn_sample *x, int rc)
{
    if (rc < 0) {
        p->misses++;
        return;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        struct hn_sample *s = realloc(p->s, cap * sizeof *s);
        if (!s) {
            p->misses++;
            return;
        }
        p->s = s;
        p->cap = cap;
    }
    p->s[p->n++] = *x;
}

/* The next heavy sample is due when its cost stays under 1% of the time
 * since the last one (light samples keep the base interval). */
static void adapt(struct hn_probe *p, uint64_t cost_ns, uint64_t now_ns)
{
    uint64_t want = cost_ns * HN_PROBE_BUDGET;
    p->interval_ns = want > p->base_ns ? want : p->base_ns;
    if (p->interval_ns > p->max_interval_ns)
        p->max_interval_ns = p->interval_ns;
    p->next_heavy_ns = now_ns + p->interval_ns;
}

static struct timespec deadline(uint64_t in_ns)
{
    struct timespec ts;
    uint64_t ns;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ns = (uint64_t)ts.tv_nsec + in_ns;
    ts.tv_sec += (time_t)(ns / UTIL_NS_PER_S);
    ts.tv_nsec = (long)(ns % UTIL_NS_PER_S);
    return ts;
}

static void *loop(void *arg)
{
    struct hn_probe *p = arg;
    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        unsigned kicks = p->kicks;
        uint64_t now = util_mono_ns(), c0 = thread_cpu_ns();
        bool heavy = kicks > 0 || now >= p->next_heavy_ns;
        struct hn_sample x;
        int rc;
        pthread_mutex_unlock(&p->mu);
        rc = take(p, &x, heavy);
        pthread_mutex_lock(&p->mu);
        record(p, &x, rc);
        if (heavy) {
            adapt(p, thread_cpu_ns() - c0, now);
            p->heavy += rc == 0;
        }
        p->kicks -= kicks; /* kicks served by this sample */
        pthread_cond_broadcast(&p->cv);
        struct timespec dl = deadline(p->base_ns);
        while (!p->stop && p->kicks == 0)
            if (pthread_cond_timedwait(&p->cv, &p->mu, &dl) == ETIMEDOUT)
                break;
    }
    p->cpu_ns = thread_cpu_ns();
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int hn_probe_start(struct hn_probe **out, pid_t root, uint64_t t0_ns, uint64_t interval_ns)
{
    struct hn_probe *p = calloc(1, sizeof *p);
    pthread_condattr_t ca;
    if (!p)
        return -ENOMEM;
    p->pids = calloc(HN_PROBE_MAX_PIDS, sizeof *p->pids);
    if (!p->pids)
        goto fail;
    p->root = root;
    p->t0_ns = t0_ns;
    p->base_ns = p->interval_ns = p->max_interval_ns = interval_ns;
    pthread_mutex_init(&p->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->cv, &ca);
    pthread_condattr_destroy(&ca);
    p->started_ns = util_mono_ns();
    if (pthread_create(&p->thread, NULL, loop, p) != 0)
        goto fail;
    p->running = true;
    *out = p;
    return 0;
fail:
    free(p->pids);
    free(p);
    return -ENOMEM;
}

int hn_probe_pin(struct hn_probe *p, const char *cpus)
{
    cpu_set_t set;
    if (!cpus || hn_cpus_parse(cpus, &set) < 0)
        return -EINVAL;
    return -pthread_setaffinity_np(p->thread, sizeof set, &set);
}

int hn_probe_kick(struct hn_probe *p)
{
    struct timespec dl = deadline(30 * UTIL_NS_PER_S);
    size_t before;
    unsigned misses;
    int rc = 0;
    pthread_mutex_lock(&p->mu);
    before = p->heavy;
    misses = p->misses;
    p->kicks++;
    pthread_cond_broadcast(&p->cv);
    while (rc == 0 && p->running && !p->stop && p->heavy == before && p->misses == misses)
        rc = pthread_cond_timedwait(&p->cv, &p->mu, &dl);
    rc = p->heavy > before ? 0 : -EAGAIN;
    pthread_mutex_unlock(&p->mu);
    return rc;
}

void hn_probe_stop(struct hn_probe *p)
{
    if (!p->running)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    p->running = false;
    p->stopped_ns = util_mono_ns();
}

bool hn_probe_sampled(const struct hn_probe *p)
{
    return p->sampled;
}

size_t hn_probe_heavy_samples(const struct hn_probe *p)
{
    return p->heavy;
}

size_t hn_probe_samples(const struct hn_probe *p, const struct hn_sample **s)
{
    *s = p->s;
    return p->n;
}

double hn_probe_cpu_fraction(const struct hn_probe *p)
{
    uint64_t wall = (p->stopped_ns ? p->stopped_ns : util_mono_ns()) - p->started_ns;
    return wall ? (double)p->cpu_ns / (double)wall : 0.0;
}

uint64_t hn_probe_max_interval_ns(const struct hn_probe *p)
{
    return p->max_interval_ns;
}

unsigned hn_probe_misses(const struct hn_probe *p)
{
    return p->misses;
}

size_t hn_probe_last_pids(const struct hn_probe *p, pid_t *pids, size_t cap)
{
    size_t n = p->npids < cap ? p->npids : cap;
    if (n) /* p->pids is NULL before the first sample (a remote server's probe) */
        memcpy(pids, p->pids, n * sizeof *pids);
    return n;
}

void hn_probe_free(struct hn_probe *p)
{
    if (!p)
        return;
    hn_probe_stop(p);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->s);
    free(p->pids);
    free(p);
}

json_t *hn_sample_json(const struct hn_sample *s)
{
    json_t *o = json_object();
    size_t i;
    for (i = 0; i < HN_SF_COUNT; i++) {
        const char *name = hn_sf_names[i];
        size_t len = strlen(name);
        bool secs = len > 2 && strcmp(name + len - 2, "_s") == 0;
        if (!isfinite(s->v[i]))
            json_object_set_new(o, name, json_null());
        else
            json_object_set_new(o, name, secs ? json_real(s->v[i])
                                              : json_integer((json_int_t)(s->v[i] + 0.5)));
    }
    return o;
}

json_t *hn_probe_export(const struct hn_probe *p)
{
    json_t *a = json_array();
    size_t i, f;
    for (i = 0; i < p->n; i++) {
        json_t *row = json_array();
        for (f = 0; f < HN_SF_COUNT; f++)
            json_array_append_new(row, isfinite(p->s[i].v[f]) ? json_real(p->s[i].v[f])
                                                               : json_null());
        json_array_append_new(a, row);
    }
    return json_pack("{s:o, s:f, s:b, s:I, s:I, s:i}", "samples", a, "cpu_fraction",
                     hn_probe_cpu_fraction(p), "sampled", p->sampled, "heavy",
                     (json_int_t)p->heavy, "max_interval_ns", (json_int_t)p->max_interval_ns,
                     "misses", (int)p->misses);
}

static int import_samples(struct hn_probe *p, const json_t *a)
{
    size_t i, f;
    json_t *row;
    p->s = calloc(json_array_size(a) + 1, sizeof *p->s);
    if (!p->s)
        return -ENOMEM;
    json_array_foreach(a, i, row) {
        if (json_array_size(row) != HN_SF_COUNT)
            return -EINVAL;
        for (f = 0; f < HN_SF_COUNT; f++) {
            json_t *v = json_array_get(row, f);
            p->s[i].v[f] = json_is_number(v) ? json_number_value(v) : NAN;
        }
    }
    p->n = p->cap = json_array_size(a);
    return 0;
}

int hn_probe_import(struct hn_probe **out, const json_t *j)
{
    struct hn_probe *p = calloc(1, sizeof *p);
    int rc;
    if (!p)
        return -ENOMEM;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    /* no pids: those of another host must never be signalled here */
    if ((rc = import_samples(p, json_object_get(j, "samples"))) < 0) {
        hn_probe_free(p);
        return rc;
    }
    p->started_ns = 0;
    p->stopped_ns = UTIL_NS_PER_S;
    p->cpu_ns = (uint64_t)(hn_jnum(j, "cpu_fraction") * 1e9);
    p->sampled = json_is_true(json_object_get(j, "sampled"));
    p->heavy = (size_t)hn_jnum(j, "heavy");
    p->max_interval_ns = (uint64_t)hn_jnum(j, "max_interval_ns");
    p->misses = (unsigned)hn_jnum(j, "misses");
    *out = p;
    return 0;
}

size_t hn_probe_copy(struct hn_probe *p, size_t from, struct hn_sample *out, size_t cap)
{
    size_t n = 0;
    pthread_mutex_lock(&p->mu);
    for (; from + n < p->n && n < cap; n++)
        out[n] = p->s[from + n];
    pthread_mutex_unlock(&p->mu);
    return n;
}
