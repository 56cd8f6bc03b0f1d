/* runners: a set of load runners, the one code path a trial uses to drive its
 * load, whether that is one c10k-load process, several (more connections than
 * one process may hold descriptors for), or (next) several hosts.
 *
 * A runner is one c10k-load run somewhere, behind struct runner_ops:
 *   start   launch it with its argv (argv[0] = the c10k-load binary; the file
 *           arguments name local paths under r->base: a remote transport maps
 *           them to its side and brings them back in collect);
 *   poll    true once it has ended (r->exited, r->status as waitpid's);
 *   kill    end it now (SIGKILL or the transport's equivalent);
 *   collect make its files exist locally: <base>.load.json, .hlog, .hgrm,
 *           .series.csv, .load.stderr (the local transport: nothing to do);
 *   close   free the transport's state.
 * Only the local transport (runners_local_ops: a child process pinned to the
 * load CPUs, in the client memory group) is built here. To add hosts (ssh):
 * write a struct runner_ops, and give runners_plan's caller a way to set
 * r->ops (and r->host) per runner; planning, argv, merging stay as they are.
 *
 * The set: runners_plan splits connections and rate into n shares (each
 * runner takes its own 127.x.y.0/24 --source range when n > 1 or its share
 * exceeds one source address's ephemeral ports, on an IPv4 loopback target);
 * runners_start builds each argv from struct runner_args; runners_merge writes
 * the trial's <base>.load.json / .hgrm / .hlog / .series.csv / .load.stderr
 * from the runners' own files: latency histograms added exactly from the
 * .hlog intervals, counters summed, times and fractions the largest, other
 * histograms (lateness, send delay) the worst runner's, and every runner's
 * own JSON kept under "runners". With one runner its files are the trial's
 * (nothing is merged): the layout of a single-process trial is unchanged. */
#ifndef C10K_HN_RUNNERS_H
#define C10K_HN_RUNNERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "proc.h"

#define RUNNERS_MAX 64
#define RUNNERS_FD_RESERVE 500 /* descriptors kept besides connections (at most 1/4 of the cap) */
#define RUNNERS_PORTS_PER_SRC 20000 /* connections per source address (ephemeral ports) */

struct runner;

struct runner_env {
    const char *cpus;         /* pin to these CPUs (NULL: any) */
    const char *cgroup_procs; /* enter this memory group (NULL: the harness's) */
};

struct runner_ops {
    const char *kind; /* "local" */
    int (*start)(struct runner *r, char *const argv[], const struct runner_env *env);
    bool (*poll)(struct runner *r);
    void (*kill)(struct runner *r);
    int (*collect)(struct runner *r);
    void (*close)(struct runner *r);
};

struct runner {
    const struct runner_ops *ops;
    unsigned index;
    char base[1500];       /* its files: <base>.load.json, .hgrm, .hlog, ... */
    uint64_t conns, rate;  /* its share */
    char source[64];       /* its --source range, "" for none */
    struct hn_child child; /* the local transport's process */
    void *priv;            /* another transport's state */
    bool started, exited;
    int status; /* waitpid status once exited */
};

struct runners {
    struct runner r[RUNNERS_MAX];
    unsigned n;
    char base[1500]; /* the trial's: where merged files go */
};

/* What every runner of a trial runs (its share aside). */
struct runner_args {
    const char *loadgen; /* the c10k-load binary */
    const char *target;  /* the URL with path */
    unsigned threads;
    uint64_t duration_ns, warmup_ns, timeout_ns, connect_rate;
    bool idle;
};

extern const struct runner_ops runners_local_ops;

/* How many processes conns needs when each may hold fd_limit descriptors
 * (less a reserve: RUNNERS_FD_RESERVE, at most a quarter of fd_limit). */
unsigned runners_needed(uint64_t conns, uint64_t fd_limit);
/* n local runners sharing conns and rate, files under base (n == 1: base
 * itself, else base.l<i>). Returns 0 or -EINVAL (n outside 1..RUNNERS_MAX). */
int runners_plan(struct runners *s, const char *base, unsigned n, uint64_t conns, uint64_t rate,
                 const char *target);
/* Starts every runner; 0, or the first -errno (those started keep running). */
int runners_start(struct runners *s, const struct runner_args *a, const struct runner_env *env);
/* Polls every runner; true once all have ended. */
bool runners_poll(struct runners *s);
void runners_kill(struct runners *s);
/* The runner whose status stands for the set: the first that failed, else 0. */
const struct runner *runners_worst(const struct runners *s);
/* Collects every runner's files and (n > 1) writes the merged ones. 0 or -errno. */
int runners_merge(struct runners *s);
void runners_close(struct runners *s);

#endif
