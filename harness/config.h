/* hn config: the configuration of a run or sweep: the struct, its JSON,
 * the parsers of lists, scenarios, models and CPU lists, the shared options
 * (sweep_opts.c). Prefix hn_. */
#ifndef C10K_HN_CONFIG_H
#define C10K_HN_CONFIG_H

#include "models.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HN_MAX_LIST 32
#define HN_MAX_HOSTS 16
#define HN_HOST_URL_MAX 256
struct hosts_set;

struct hn_scenario {
    char name[32];
    char path[512];
    uint64_t rate; /* valid when has_rate */
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
    uint64_t idle_duration_ns; /* window of an idle trial (no warm-up); 0 = as the others */
    unsigned trials;
    unsigned max_trials; /* a noisy point gets more trials, up to this (sweep) */
    char server_cpus[64], load_cpus[64];
    unsigned load_threads;
    uint64_t connect_rate;
    uint64_t min_mem_available_bytes; /* below it a point is broken */
    char out[1024];
    /* where the processes run: "local" or ssh://[user@]addr[:port] (hosts/) */
    char server_host[HN_HOST_URL_MAX];
    char load_hosts[HN_MAX_HOSTS][HN_HOST_URL_MAX];
    size_t n_load_hosts;
    struct hosts_set *hosts; /* their open connections (not saved) */
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
/* The warm-up and measured window of a trial of scenario: an idle trial has
 * no warm-up and the shorter --idle-duration (its figure is the memory of the
 * connections held, read once they are up), the others --warmup, --duration. */
void hn_config_window(const struct hn_config *c, const char *scenario, uint64_t *warmup_ns,
                      uint64_t *duration_ns);
/* "NAME=PATH[@RATE]", or "idle"; 0 or -EINVAL. */
int hn_parse_scenario(const char *s, struct hn_scenario *sc);
/* "threads,epoll" or "all" into c->models; -ENOENT for an unknown model. */
int hn_parse_models(const char *s, struct hn_config *c);

/* Long options shared by run and sweep (getopt codes). */
enum hn_opt {
    HN_OPT_DURATION = 256,
    HN_OPT_WARMUP,
    HN_OPT_TIMEOUT,
    HN_OPT_TRIALS,
    HN_OPT_SERVER_CPUS,
    HN_OPT_LOAD_CPUS,
    HN_OPT_LOAD_THREADS,
    HN_OPT_CONNECT_RATE,
    HN_OPT_OUT,
    HN_OPT_MODELS,
    HN_OPT_CONNECTIONS,
    HN_OPT_RATES,
    HN_OPT_SCENARIO,
    HN_OPT_RESUME,
    HN_OPT_MODEL,
    HN_OPT_RATE,
    HN_OPT_PATH,
    HN_OPT_HELP,
    HN_OPT_READY_TIMEOUT,
    HN_OPT_SERVER_HOST,
    HN_OPT_LOAD_HOSTS,
    HN_OPT_IDLE_DURATION
};
// clang-format off
#define HN_COMMON_LONGOPTS                                                                  \
    {"duration", required_argument, NULL, HN_OPT_DURATION},                                 \
        {"warmup", required_argument, NULL, HN_OPT_WARMUP},                                 \
        {"idle-duration", required_argument, NULL, HN_OPT_IDLE_DURATION},                   \
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
// clang-format on
/* Applies a shared option: 1 handled, 0 not a shared option, -EINVAL bad value. */
int hn_opt_common(int opt, const char *arg, struct hn_config *c);
struct option;
/* The long name of option val in o[] (for error messages). */
const char *hn_opt_name(const struct option *o, int val);
/* ["c10k", argv...] for the manifest. */
json_t *hn_command_json(int argc, char **argv);
/* c->out = results/<UTC timestamp>-<short_name>. */
void hn_default_out(struct hn_config *c, const char *short_name);

/* A point whose throughput varies more than this over its trials (coefficient
 * of variation, %) is noisy: the sweep gives it more trials up to max_trials,
 * and its summary says "noisy" when it stays so. */
#define HN_NOISE_CV_PCT 5.0
/* The default --idle-duration: enough for the memory books read at 20% of the
 * window and two samples of the process tree (at 20% and 50%). */
#define HN_IDLE_DURATION_NS (500 * UTIL_NS_PER_MS)

#endif
