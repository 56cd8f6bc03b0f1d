/* runners: the set of load runners of a trial (runners.h): shares, argv, the
 * local transport, and the merged files when there are several.
 *   try: ulimit -Hn 1500; c10k run --model epoll --connections 2000 --duration 1s */
#include "runners.h"
#include "proc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runmerge.h"

/* ---- the local transport: a child process ---- */

static int local_start(struct runner *r, char *const argv[], const struct runner_env *env)
{
    char err[1600];
    snprintf(err, sizeof err, "%s.load.stderr", r->base);
    r->child.out_fd = -1;
    return hn_child_spawn_in(&r->child, argv, env->cpus, false, err, env->cgroup_procs);
}

static bool local_poll(struct runner *r)
{
    if (!hn_child_poll(&r->child)) return false;
    r->status = r->child.status;
    return true;
}

static void local_kill(struct runner *r)
{
    if (r->child.pid > 0) hn_child_kill(&r->child);
    r->status = r->child.status;
}

static int local_collect(struct runner *r)
{
    (void)r; /* its files are already here */
    return 0;
}

static void local_close(struct runner *r)
{
    hn_child_close(&r->child);
}

const struct runner_ops runners_local_ops = {"local",    local_start,   local_poll,
                                             local_kill, local_collect, local_close};

/* ---- the set ---- */

unsigned runners_needed(uint64_t conns, uint64_t fd_limit)
{
    uint64_t reserve = fd_limit / 4 < RUNNERS_FD_RESERVE ? fd_limit / 4 : RUNNERS_FD_RESERVE;
    uint64_t per = fd_limit > reserve ? fd_limit - reserve : 1;
    uint64_t n = (conns + per - 1) / per;
    return n < 1 ? 1 : n > RUNNERS_MAX ? RUNNERS_MAX : (unsigned)n;
}

/* Runner i's --source: 127.1.i.1 .. 127.1.i.k, k addresses for its share. */
static void plan_source(struct runner *r, unsigned n, const char *target)
{
    r->source[0] = 0;
    if (strncmp(target, "http://127.", 11) != 0) return;
    if (n == 1 && r->conns <= RUNNERS_PORTS_PER_SRC) return;
    uint64_t k = (r->conns + RUNNERS_PORTS_PER_SRC - 1) / RUNNERS_PORTS_PER_SRC;
    k = k < 1 ? 1 : k > 254 ? 254 : k;
    snprintf(r->source, sizeof r->source, "127.1.%u.1-127.1.%u.%u", r->index, r->index,
             (unsigned)k);
}

int runners_plan(struct runners *s, const char *base, unsigned n, uint64_t conns, uint64_t rate,
                 const char *target)
{
    if (n < 1 || n > RUNNERS_MAX) return -EINVAL;
    memset(s, 0, sizeof *s);
    s->n = n;
    snprintf(s->base, sizeof s->base, "%s", base);
    for (unsigned i = 0; i < n; i++) {
        struct runner *r = &s->r[i];
        r->ops = &runners_local_ops;
        r->index = i;
        r->child.out_fd = -1;
        r->conns = conns / n + (i < conns % n);
        r->rate = rate / n + (i < rate % n);
        if (n == 1)
            snprintf(r->base, sizeof r->base, "%s", base);
        else
            snprintf(r->base, sizeof r->base, "%s.l%u", base, i);
        plan_source(r, n, target);
    }
    return 0;
}

static void fmt_ms(char *buf, size_t cap, uint64_t ns)
{
    snprintf(buf, cap, "%llums", (unsigned long long)(ns / 1000000));
}

/* argv of runner r into argv (its strings in buf, 16 of 100 bytes + 5 paths). */
struct argv_buf {
    char num[8][32];
    char path[5][1600];
    char *argv[48];
};

static void build_argv(const struct runner *r, const struct runner_args *a, struct argv_buf *b)
{
    int n = 0;
    char **v = b->argv;
    snprintf(b->num[0], 32, "%llu", (unsigned long long)r->conns);
    snprintf(b->num[1], 32, "%u", a->threads);
    fmt_ms(b->num[2], 32, a->duration_ns);
    fmt_ms(b->num[3], 32, a->warmup_ns);
    fmt_ms(b->num[4], 32, a->timeout_ns);
    snprintf(b->num[5], 32, "%llu", (unsigned long long)r->rate);
    snprintf(b->num[6], 32, "%llu", (unsigned long long)a->connect_rate);
    const char *ext[5] = {"load.json", "hgrm", "hlog", "series.csv", "load.stderr"};
    for (int i = 0; i < 5; i++)
        snprintf(b->path[i], sizeof b->path[i], "%s.%s", r->base, ext[i]);
    v[n++] = (char *)a->loadgen;
    v[n++] = "-c", v[n++] = b->num[0], v[n++] = "-t", v[n++] = b->num[1];
    v[n++] = "-d", v[n++] = b->num[2], v[n++] = "--warmup", v[n++] = b->num[3];
    v[n++] = "--timeout", v[n++] = b->num[4];
    if (r->rate) v[n++] = "-R", v[n++] = b->num[5];
    if (a->idle) v[n++] = "--idle";
    if (a->connect_rate) v[n++] = "--connect-rate", v[n++] = b->num[6];
    if (r->source[0]) v[n++] = "--source", v[n++] = (char *)r->source;
    v[n++] = "--json", v[n++] = b->path[0], v[n++] = "--hgrm", v[n++] = b->path[1];
    v[n++] = "--hlog", v[n++] = b->path[2], v[n++] = "--series", v[n++] = b->path[3];
    v[n++] = (char *)a->target, v[n] = NULL;
}

int runners_start(struct runners *s, const struct runner_args *a, const struct runner_env *env)
{
    struct argv_buf *b = malloc(sizeof *b);
    if (!b) return -ENOMEM;
    int rc = 0;
    for (unsigned i = 0; i < s->n && rc == 0; i++) {
        struct runner *r = &s->r[i];
        build_argv(r, a, b);
        unlink(b->path[0]);
        rc = r->ops->start(r, b->argv, env);
        r->started = rc == 0;
    }
    free(b);
    return rc;
}

bool runners_poll(struct runners *s)
{
    bool all = true;
    for (unsigned i = 0; i < s->n; i++) {
        struct runner *r = &s->r[i];
        if (r->started && !r->exited) r->exited = r->ops->poll(r);
        all &= !r->started || r->exited;
    }
    return all;
}

void runners_kill(struct runners *s)
{
    for (unsigned i = 0; i < s->n; i++)
        if (s->r[i].started && !s->r[i].exited) {
            s->r[i].ops->kill(&s->r[i]);
            s->r[i].exited = true;
        }
}

const struct runner *runners_worst(const struct runners *s)
{
    for (unsigned i = 0; i < s->n; i++) {
        const struct runner *r = &s->r[i];
        if (!r->started || !r->exited || !WIFEXITED(r->status) || WEXITSTATUS(r->status) != 0)
            return r;
    }
    return &s->r[0];
}

void runners_close(struct runners *s)
{
    runners_kill(s);
    for (unsigned i = 0; i < s->n; i++)
        if (s->r[i].ops) s->r[i].ops->close(&s->r[i]);
    s->n = 0;
}

int runners_merge(struct runners *s)
{
    int rc = 0;
    for (unsigned i = 0; i < s->n; i++)
        if (s->r[i].started && s->r[i].ops->collect(&s->r[i]) < 0) rc = -EIO;
    if (s->n == 1) return rc;
    const char *bases[RUNNERS_MAX] = {NULL};
    for (unsigned i = 0; i < s->n; i++)
        bases[i] = s->r[i].base;
    int m = runmerge_files(bases, s->n, s->base);
    return rc < 0 ? rc : m;
}
