/* runner ssh: the load runner transport to another host (measure/runners.h):
 * c10k-load started over the host's ssh session, leashed to it (remote.c),
 * held until hosts_runner_go so that every host starts together; its file
 * arguments (local paths under r->base) mapped to a folder there, and the
 * files brought back by collect.
 *   try: tests/hosts/test-multihost.sh build/harness/c10k scripts/netns-lab.sh */
#include "hosts/hosts.h"
#include "proc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <util.h>

#define RSSH_FETCH_TIMEOUT_NS (60 * UTIL_NS_PER_S)

struct rssh {
    const struct hosts_host *h;
    struct hn_child ch;
    char dir[160]; /* its folder there */
};

static int rssh_start(struct runner *r, char *const argv[], const struct runner_env *env)
{
    struct rssh *p = r->priv;
    struct hosts_proc_opts o = {.gate = true, .cpus = env->cpus, .dir = p->dir};
    char mapped[8][400], *v[64], err[1600];
    size_t n = 0, m = 0, bl = strlen(r->base);
    static unsigned seq;
    snprintf(p->dir, sizeof p->dir, "/tmp/c10k-trial-%d-%u", (int)getpid(), seq++);
    for (; *argv && n + 1 < sizeof v / sizeof v[0]; argv++) {
        /* <base>.load.json -> <dir>/load.load.json (the same names there) */
        if (strncmp(*argv, r->base, bl) == 0 && m < 8) {
            snprintf(mapped[m], sizeof mapped[m], "%s/load%s", p->dir, *argv + bl);
            v[n++] = mapped[m++];
        } else {
            v[n++] = *argv;
        }
    }
    v[n] = NULL;
    snprintf(err, sizeof err, "%s.load.stderr", r->base);
    return hosts_proc_start(&p->ch, p->h, v, &o, err);
}

static bool rssh_poll(struct runner *r)
{
    struct rssh *p = r->priv;
    if (!hn_child_poll(&p->ch)) return false;
    r->status = p->ch.status;
    return true;
}

static void rssh_kill(struct runner *r)
{
    struct rssh *p = r->priv;
    hn_child_kill(&p->ch); /* the session ends: the host stops it */
    r->status = p->ch.status;
}

static int rssh_collect(struct runner *r)
{
    static const char *const ext[] = {"load.json", "hlog", "hgrm", "series.csv"};
    struct rssh *p = r->priv;
    char remote[400], local[1700];
    int rc = 0;
    for (size_t k = 0; k < sizeof ext / sizeof ext[0]; k++) {
        snprintf(remote, sizeof remote, "%s/load.%s", p->dir, ext[k]);
        snprintf(local, sizeof local, "%s.%s", r->base, ext[k]);
        if (hosts_fetch(p->h, remote, local, RSSH_FETCH_TIMEOUT_NS) < 0 && k == 0) rc = -ENOENT;
    }
    hosts_remove(p->h, p->dir);
    return rc;
}

static void rssh_close(struct runner *r)
{
    struct rssh *p = r->priv;
    if (!p) return;
    hn_child_close(&p->ch);
    free(p);
    r->priv = NULL;
}

const struct runner_ops hosts_runner_ops = {"ssh",     rssh_start,   rssh_poll,
                                            rssh_kill, rssh_collect, rssh_close};

int hosts_runner_attach(struct runner *r, const struct hosts_host *h)
{
    struct rssh *p = calloc(1, sizeof *p);
    if (!p) return -ENOMEM;
    p->h = h;
    p->ch.out_fd = p->ch.in_fd = -1;
    r->priv = p;
    r->ops = &hosts_runner_ops;
    return 0;
}

int hosts_runner_go(struct runner *r)
{
    struct rssh *p = r->priv;
    return r->ops == &hosts_runner_ops && r->started ? hosts_proc_go(&p->ch) : 0;
}

bool hosts_runner_lost(const struct runner *r)
{
    const struct rssh *p = r->priv;
    return r->ops == &hosts_runner_ops && p && hosts_proc_lost(p->h, &p->ch);
}
