/* trial: the state of one trial shared by trial.c (the processes) and
 * trial_out.c (what is written: stats, stderr tail, timeline, trial JSON). */
#ifndef C10K_HN_TRIAL_H
#define C10K_HN_TRIAL_H

#include "config.h"
#include "models.h"
#include "point.h"
#include "probe.h"
#include "proc.h"
#include "measure/books.h"
#include "measure/runners.h"

/* Runs trial k of point pt with config c into out_dir; appends the trial
 * object to pt->trials and sets *broken (with reason) when the model could not
 * serve the point. -EINTR when interrupted (the trial is dropped). */
int hn_trial_run(const struct hn_config *c, struct hn_point *pt, unsigned k, bool *broken,
                 char *reason, size_t reason_cap);

struct hn_trial {
    const struct hn_config *c;
    struct hn_point *pt;
    unsigned k;
    char base[1450]; /* DIR/points/<id>-t<k> */
    char rel[400];   /* points/<id>-t<k> */
    char started[32];
    struct hn_model model;
    struct hn_child srv;
    struct runners load_runs;            /* the c10k-load processes (measure/runners.h) */
    struct hn_child rprobe;              /* across hosts: `c10k probe` on the server's host */
    double rprobe_t0_s;                  /* its t = 0 on the server's clock (s since t0_ns) */
    json_t *rprobe_samples, *rprobe_end; /* its samples as they came, its end line */
    char rprobe_buf[8192];               /* a partial line of it */
    char rprobe_procs[1300];             /* the server's memory group there ("": none) */
    size_t rprobe_len;
    unsigned srv_processes; /* --processes given to the server (1: none) */
    pid_t ready_pid;
    uint64_t t0_ns, load_start_ns, load_end_ns, stop_ns;
    struct hn_probe *probe;
    struct books books; /* the memory groups and their readings */
    json_t *flags, *notes, *load;
    bool no_ready, exited_early, stop_killed, load_timeout;
    char out[4096]; /* the server's stdout after the ready line */
    size_t out_len;
    bool *broken;
    char *reason;
    size_t reason_cap;
};

/* Builds the trial JSON (and writes the timeline) once the processes are done. */
json_t *hn_trial_result(struct hn_trial *t);
/* The server's stdout after ready, without blocking. */
void hn_trial_drain(struct hn_trial *t);
/* Seconds since c10k-load started of the first --series row with at least
 * 90% of the connections established (0: none yet). */
double hn_series_up_s(const struct hn_trial *t);
/* Writes <base>.timeline.csv (timeline.c). */
int hn_timeline_write(const struct hn_trial *t, const struct hn_sample *s, size_t n,
                      double t_spawn);

/* --processes for the server: a model that takes it gets as many as its
 * connections need under limit descriptors a process (0: this machine's hard
 * RLIMIT_NOFILE); 1 for the others. */
unsigned hn_trial_server_processes(const struct hn_trial *t, uint64_t limit);

/* Reads the server's ready line into url (http://host:port) and ready_pid;
 * -ENOTCONN with the trial flagged and the reason set when there is none. */
int hn_trial_ready(struct hn_trial *t, char *url, size_t cap);

/* A trial across hosts (t->c->hosts; trial_hosts.c), step by step as
 * trial.c calls them: the probe, then the server in the memory group the
 * probe made on its host; the probe's idle samples and memory books; one runner per load host
 * (hosts/runner_ssh.c) started by one "go"; a tree sample asked for; after the load: hosts lost
 * named, each runner's host recorded; stop: the probe's samples back, the server stopped; cleanup:
 * every session ended. */
int hn_trial_hosts_server(struct hn_trial *t, char *url, size_t cap);
int hn_trial_hosts_probe(struct hn_trial *t);
int hn_trial_hosts_load(struct hn_trial *t, const char *url);
/* What each of n load runners of the trial runs: the loadgen path (into lg),
 * the target, the trial's times and threads, and 1/n of --connect-rate. */
struct runner_args hn_trial_runner_args(const struct hn_trial *t, unsigned n, const char *target,
                                        char *lg, size_t lg_cap);
/* A tree sample asked for (and with books, the loaded memory books). */
void hn_trial_hosts_kick(struct hn_trial *t, bool books);
/* The metrics a trial across hosts has not (the client's books, the gap). */
void hn_trial_hosts_metrics(const struct hn_trial *t, double *m);
/* Takes in the probe's samples sent so far (without blocking). */
void hn_trial_hosts_poll(struct hn_trial *t);
void hn_trial_hosts_after_load(struct hn_trial *t);
void hn_trial_hosts_stop(struct hn_trial *t);
void hn_trial_hosts_cleanup(struct hn_trial *t);

#endif
