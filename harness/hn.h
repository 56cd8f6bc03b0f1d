/* hn: the internals of the c10k harness shared by its verbs (models, env,
 * run, sweep): the model table, the sweep configuration, the probe sample
 * layout, trials, points and the results store. Prefix hn_. */
#ifndef C10K_HN_H
#define C10K_HN_H

#include "results/metric.h"
#include "results/res.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- models (models.c) ---- */
struct hn_model {
    char name[32];
    char path[4096];
    bool available;
    char reason[160];          /* why not available */
};

/* Fills m with the models of this build (the `servers` dict of meson, with
 * C10K_BUILD_DIR and C10K_MODELS_EXTRA="name=path,..." applied). Returns the
 * count (at most cap). Availability is checked. */
size_t hn_models_list(struct hn_model *m, size_t cap);
/* Looks one model up by name; -ENOENT when unknown. */
int hn_model_find(const char *name, struct hn_model *out);
/* NULL when the model serves path, else why not (nginx: only "/"). */
const char *hn_model_unsupported(const char *model, const char *path);
/* The c10k-load binary (C10K_LOAD, C10K_BUILD_DIR or the build's). */
const char *hn_loadgen_path(char *buf, size_t cap);

/* ---- env (env.c) ---- */
json_t *hn_env_json(void);

/* ---- configuration of a run or sweep ---- */
#define HN_MAX_MODELS 32
#define HN_MAX_LIST 32
#define HN_MAX_HOSTS 16
#define HN_HOST_URL_MAX 256
struct hosts_set;

struct hn_scenario {
    char name[32];
    char path[512];
    uint64_t rate;             /* valid when has_rate */
    bool has_rate;
};

struct hn_config {
    char models[HN_MAX_MODELS][32];
    size_t n_models;
    uint64_t conns[HN_MAX_LIST];
    size_t n_conns;
    uint64_t rates[HN_MAX_LIST];
    size_t n_rates;
    struct hn_scenario sc[HN_MAX_LIST];
    size_t n_sc;
    uint64_t duration_ns, warmup_ns, timeout_ns, ready_timeout_ns;
    unsigned trials;
    unsigned max_trials;               /* a noisy point gets more trials, up to this (sweep) */
    char server_cpus[64], load_cpus[64];
    unsigned load_threads;
    uint64_t connect_rate;
    uint64_t min_mem_available_bytes;  /* below it a point is broken */
    char out[1024];
    /* where the processes run: "local" or ssh://[user@]addr[:port] (hosts/) */
    char server_host[HN_HOST_URL_MAX];
    char load_hosts[HN_MAX_HOSTS][HN_HOST_URL_MAX];
    size_t n_load_hosts;
    struct hosts_set *hosts;           /* their open connections (not saved) */
};

void hn_config_defaults(struct hn_config *c);
json_t *hn_config_json(const struct hn_config *c);
int hn_config_from_json(struct hn_config *c, const json_t *j);
/* Parses "0" / "0-1" / "0,2" into a cpu_set_t; 0 or -EINVAL. */
int hn_cpus_parse(const char *s, void *cpu_set);
/* "100,1k,10k" -> out[] (each in [min, max]); 0, -EINVAL, -ERANGE, -E2BIG. */
int hn_parse_counts(const char *s, uint64_t min, uint64_t max, uint64_t *out, size_t cap,
                    size_t *n);
/* The built-in scenario of N connections answered once, then held silent
 * (c10k-load --idle): "--scenario idle", no path. */
#define HN_SCENARIO_IDLE "idle"
bool hn_scenario_idle(const char *name);
/* "NAME=PATH[@RATE]", or "idle"; 0 or -EINVAL. */
int hn_parse_scenario(const char *s, struct hn_scenario *sc);
/* "threads,epoll" or "all" into c->models; -ENOENT for an unknown model. */
int hn_parse_models(const char *s, struct hn_config *c);

/* Long options shared by run and sweep (getopt codes). */
enum hn_opt {
    HN_OPT_DURATION = 256, HN_OPT_WARMUP, HN_OPT_TIMEOUT, HN_OPT_TRIALS, HN_OPT_SERVER_CPUS,
    HN_OPT_LOAD_CPUS, HN_OPT_LOAD_THREADS, HN_OPT_CONNECT_RATE, HN_OPT_OUT, HN_OPT_MODELS,
    HN_OPT_CONNECTIONS, HN_OPT_RATES, HN_OPT_SCENARIO, HN_OPT_RESUME, HN_OPT_MODEL,
    HN_OPT_RATE, HN_OPT_PATH, HN_OPT_HELP, HN_OPT_READY_TIMEOUT, HN_OPT_SERVER_HOST,
    HN_OPT_LOAD_HOSTS
};
#define HN_COMMON_LONGOPTS                                                                  \
    {"duration", required_argument, NULL, HN_OPT_DURATION},                                 \
        {"warmup", required_argument, NULL, HN_OPT_WARMUP},                                 \
        {"timeout", required_argument, NULL, HN_OPT_TIMEOUT},                               \
        {"ready-timeout", required_argument, NULL, HN_OPT_READY_TIMEOUT},                   \
        {"trials", required_argument, NULL, HN_OPT_TRIALS},                                 \
        {"server-cpus", required_argument, NULL, HN_OPT_SERVER_CPUS},                       \
        {"load-cpus", required_argument, NULL, HN_OPT_LOAD_CPUS},                           \
        {"load-threads", required_argument, NULL, HN_OPT_LOAD_THREADS},                     \
        {"connect-rate", required_argument, NULL, HN_OPT_CONNECT_RATE},                     \
        {"server-host", required_argument, NULL, HN_OPT_SERVER_HOST},                       \
        {"load-hosts", required_argument, NULL, HN_OPT_LOAD_HOSTS},                         \
        {"out", required_argument, NULL, HN_OPT_OUT}, {"help", no_argument, NULL, HN_OPT_HELP}
/* Applies a shared option: 1 handled, 0 not a shared option, -EINVAL bad value. */
int hn_opt_common(int opt, const char *arg, struct hn_config *c);
struct option;
/* The long name of option val in o[] (for error messages). */
const char *hn_opt_name(const struct option *o, int val);
/* ["c10k", argv...] for the manifest. */
json_t *hn_command_json(int argc, char **argv);
/* c->out = results/<UTC timestamp>-<short_name>. */
void hn_default_out(struct hn_config *c, const char *short_name);

/* ---- probe samples (probe.c) ---- */
enum hn_sf {
    HN_SF_T, HN_SF_RSS, HN_SF_PSS, HN_SF_VSZ, HN_SF_PTE, HN_SF_THREADS, HN_SF_PROCS,
    HN_SF_UTIME, HN_SF_STIME, HN_SF_CSW_VOL, HN_SF_CSW_INVOL,
    HN_SF_SYS_KSTACK, HN_SF_SYS_PTE, HN_SF_SYS_SLAB, HN_SF_SYS_AVAIL,
    HN_SF_SYS_TCP, HN_SF_SYS_TCPMEM,
    HN_SF_SCHED_CPU, /* added: time on CPU from schedstat (ns resolution), a tree field */
    HN_SF_COUNT
};
extern const char *const hn_sf_names[HN_SF_COUNT];

struct hn_sample {
    double v[HN_SF_COUNT];
};

json_t *hn_sample_json(const struct hn_sample *s);

struct hn_probe;
/* Starts the probe thread sampling root's tree every interval_ns (adapting to
 * keep its own CPU under 1% of a core); times are seconds since t0_ns. */
int hn_probe_start(struct hn_probe **out, pid_t root, uint64_t t0_ns, uint64_t interval_ns);
/* Pins the probe thread to cpus ("1", "0-1"), off the server's CPUs. */
int hn_probe_pin(struct hn_probe *p, const char *cpus);
/* Takes one heavy sample (tree + system) now; waits for it (at most 30 s). */
int hn_probe_kick(struct hn_probe *p);
/* Stops and joins the thread; the samples stay readable until _free. */
void hn_probe_stop(struct hn_probe *p);
size_t hn_probe_samples(const struct hn_probe *p, const struct hn_sample **s);
double hn_probe_cpu_fraction(const struct hn_probe *p);
/* Whether some tree sample was estimated from a subset of >512 processes. */
bool hn_probe_sampled(const struct hn_probe *p);
/* Samples of the whole tree (the others hold only the system figures). */
size_t hn_probe_heavy_samples(const struct hn_probe *p);
uint64_t hn_probe_max_interval_ns(const struct hn_probe *p);
unsigned hn_probe_misses(const struct hn_probe *p);
/* The last pids seen in the tree (for cleaning up leftovers). */
size_t hn_probe_last_pids(const struct hn_probe *p, pid_t *pids, size_t cap);
void hn_probe_free(struct hn_probe *p);
/* A stopped probe as JSON (samples as arrays in hn_sf order, its CPU and
 * counters), for `c10k probe` on a server's host; and back into a stopped
 * probe here (without pids: a remote host's are never signalled here). */
json_t *hn_probe_export(const struct hn_probe *p);
int hn_probe_import(struct hn_probe **out, const json_t *j);

/* ---- child processes (proc.c) ---- */
struct hn_child {
    pid_t pid;                 /* also its process group */
    int out_fd;                /* read end of its stdout, or -1 */
    int in_fd;                 /* write end of its stdin (hn_child_spawn_io), or -1 */
    bool exited;
    int status;                /* waitpid status when exited */
};

/* Starts argv[0] in its own process group, pinned to cpus (NULL = any),
 * stdout to a pipe when want_stdout (else /dev/null), stderr to err_path
 * (NULL = /dev/null), killed when the harness dies. */
int hn_child_spawn(struct hn_child *c, char *const argv[], const char *cpus,
                   bool want_stdout, const char *err_path);
/* The same, the child first entering the memory group whose cgroup.procs is
 * cgroup_procs (NULL: stays in the harness's). */
int hn_child_spawn_in(struct hn_child *c, char *const argv[], const char *cpus,
                      bool want_stdout, const char *err_path, const char *cgroup_procs);
/* Started with its stdin on a pipe (c->in_fd), not pinned, no memory group:
 * an ssh session to another host (hosts/remote.c). */
int hn_child_spawn_io(struct hn_child *c, char *const argv[], bool want_stdout,
                      const char *err_path);
/* Reaps without blocking; true when it has exited. */
bool hn_child_poll(struct hn_child *c);
/* SIGTERM, then SIGKILL to the group after grace_ns. Returns 0 when it
 * exited on its own within the grace, 1 when it had to be killed. */
int hn_child_stop(struct hn_child *c, uint64_t grace_ns);
/* SIGKILL to the whole group and reap. */
void hn_child_kill(struct hn_child *c);
void hn_child_close(struct hn_child *c);
/* Reads a line from c->out_fd into buf within timeout_ns; 0, -ETIMEDOUT, or
 * -EPIPE when the child closed stdout / exited. */
int hn_child_readline(struct hn_child *c, char *buf, size_t cap, uint64_t timeout_ns);
/* Sleeps up to ns, returning early (-EINTR) when the run is interrupted. */
int hn_sleep_ns(uint64_t ns);

/* ---- interruption (sweep.c) ---- */
bool hn_interrupted(void);
int hn_signals_install(void);

/* ---- one trial (trial.c) ---- */
struct hn_point {
    char id[160];
    char model[32];
    uint64_t conns, rate;
    char scenario[32];
    char path[512];
    char status[16];           /* ok flagged broken unavailable unsupported pending */
    char reason[512];
    json_t *trials;            /* array of trial objects */
};

/* Runs trial k of point pt with config c into out_dir; appends the trial
 * object to pt->trials and sets *broken (with reason) when the model could not
 * serve the point. -EINTR when interrupted (the trial is dropped). */
int hn_trial_run(const struct hn_config *c, struct hn_point *pt, unsigned k, bool *broken,
                 char *reason, size_t reason_cap);

/* ---- metrics and flags (metrics.c) ---- */
#define HN_BOOKS_PARTS 7 /* user kernel_stack page_tables slab sock other total */

struct hn_window {
    double start_s, end_s;     /* measured window, seconds since server start */
};

/* Median of each field over the samples with t in [from_s, to_s], NANs left
 * out; *count gets the number of tree (heavy) samples among them. */
void hn_samples_median(const struct hn_sample *s, size_t n, double from_s, double to_s,
                       struct hn_sample *out, size_t *count);
void hn_samples_peak(const struct hn_sample *s, size_t n, struct hn_sample *out);
/* Fills m[RES_M_COUNT] (NAN = missing) from the load JSON and the samples. */
void hn_metrics_compute(const json_t *load, const struct hn_sample *idle,
                        const struct hn_sample *loaded, const struct hn_sample *s, size_t n,
                        const struct hn_window *w, double *m);
/* Kernel stack of one thread (THREAD_SIZE on x86_64 and arm64). */
#define HN_KSTACK_PER_THREAD_BYTES 16384.0
/* Appends the validity flags of a trial to flags (a JSON array). */
void hn_flags_add(json_t *flags, const json_t *load, const double *m, uint64_t target,
                  uint64_t rate);
json_t *hn_metrics_json(const double *m);

/* ---- points and the store (point.c, store.c, summary.c) ---- */
void hn_point_init(struct hn_point *pt, const char *model, uint64_t conns, uint64_t rate,
                   const struct hn_scenario *sc);
json_t *hn_point_json(const struct hn_point *pt);
/* Sets pt->status from its trials ("ok" / "flagged"), unless already broken. */
void hn_point_finish(struct hn_point *pt);

/* Writes buf to path through path.tmp + fsync + rename (+ fsync of the dir). */
int hn_store_write(const char *path, const char *buf, size_t len);
int hn_store_write_json(const char *path, const json_t *j);
int hn_store_mkdirs(const char *dir);
void hn_utc_now(char *buf, size_t cap);

/* summary.csv of every point (the layout of docs/results.md). */
int hn_summary_write(const char *dir, const struct hn_point *pts, size_t n);
/* Median/min/max over a point's trials (valid ones when there are any). */
json_t *hn_point_summary(const json_t *trials);
/* A point whose throughput varies more than this over its trials (coefficient
 * of variation, %) is noisy: the sweep gives it more trials up to max_trials,
 * and its summary says "noisy" when it stays so. */
#define HN_NOISE_CV_PCT 5.0

/* ---- the point loop shared by run and sweep (sweep.c) ---- */
int hn_sweep_execute(struct hn_config *c, json_t *command, bool resume, const char *verb);

/* The end-of-run table on stdout (table.c). */
void hn_print_points(const struct hn_point *pts, size_t n);

/* ---- json helpers (json.c) ---- */
double hn_jnum(const json_t *j, const char *dotted_path);   /* NAN when absent */
json_t *hn_jreal_or_null(double v);

#endif
