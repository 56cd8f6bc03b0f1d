/* hn sweep_opts: the configuration of a run or sweep: defaults, lists with
 * units ("100,1k,10k"), scenarios NAME=PATH[@RATE], CPU lists, and the
 * config object of manifest.json (written, and read back by --resume).
 *   try: build/harness/c10k sweep --help */
#include "config.h"
#include "json.h"
#include "models.h"
#include "hosts/hosts.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <util.h>

int hn_cpus_parse(const char *s, void *set_out)
{
    cpu_set_t *set = set_out;
    const char *p = s;
    CPU_ZERO(set);
    while (*p) {
        char *end;
        long a = strtol(p, &end, 10), b;
        if (end == p || a < 0 || a >= CPU_SETSIZE) return -EINVAL;
        b = a;
        p = end;
        if (*p == '-') {
            b = strtol(p + 1, &end, 10);
            if (end == p + 1 || b < a || b >= CPU_SETSIZE) return -EINVAL;
            p = end;
        }
        for (; a <= b; a++)
            CPU_SET((int)a, set);
        if (*p == ',')
            p++;
        else if (*p)
            return -EINVAL;
    }
    return CPU_COUNT(set) > 0 ? 0 : -EINVAL;
}

void hn_config_defaults(struct hn_config *c)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    memset(c, 0, sizeof *c);
    c->duration_ns = 10 * UTIL_NS_PER_S;
    c->warmup_ns = 2 * UTIL_NS_PER_S;
    c->idle_duration_ns = HN_IDLE_DURATION_NS;
    c->timeout_ns = 10 * UTIL_NS_PER_S;
    c->ready_timeout_ns = 10 * UTIL_NS_PER_S;
    c->trials = 3;
    c->load_threads = 1;
    c->min_mem_available_bytes = 2ull << 30;
    snprintf(c->server_cpus, sizeof c->server_cpus, "0");
    snprintf(c->load_cpus, sizeof c->load_cpus, "%s", ncpu >= 2 ? "1" : "0");
    snprintf(c->server_host, sizeof c->server_host, "local");
    snprintf(c->load_hosts[0], sizeof c->load_hosts[0], "local");
    c->n_load_hosts = 1;
}

int hn_parse_counts(const char *s, uint64_t min, uint64_t max, uint64_t *out, size_t cap, size_t *n)
{
    char buf[1024], *save = NULL, *tok;
    snprintf(buf, sizeof buf, "%s", s);
    *n = 0;
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (*n == cap) return -E2BIG;
        int rc = util_parse_count(tok, min, max, &out[*n]);
        if (rc < 0) return rc;
        (*n)++;
    }
    return *n ? 0 : -EINVAL;
}

void hn_config_window(const struct hn_config *c, const char *scenario, uint64_t *warmup_ns,
                      uint64_t *duration_ns)
{
    bool idle = hn_scenario_idle(scenario) && c->idle_duration_ns;
    *warmup_ns = idle ? 0 : c->warmup_ns;
    *duration_ns =
        idle && c->idle_duration_ns < c->duration_ns ? c->idle_duration_ns : c->duration_ns;
}

bool hn_scenario_idle(const char *name)
{
    return strcmp(name, HN_SCENARIO_IDLE) == 0;
}

int hn_parse_scenario(const char *s, struct hn_scenario *sc)
{
    const char *eq = strchr(s, '=');
    const char *at;
    memset(sc, 0, sizeof *sc);
    if (hn_scenario_idle(s)) { /* closed loop, path "/": no rate of its own */
        snprintf(sc->name, sizeof sc->name, "%s", HN_SCENARIO_IDLE);
        snprintf(sc->path, sizeof sc->path, "/");
        sc->has_rate = true;
        return 0;
    }
    if (!eq || eq == s || (size_t)(eq - s) >= sizeof sc->name || eq[1] != '/') return -EINVAL;
    snprintf(sc->name, sizeof sc->name, "%.*s", (int)(eq - s), s);
    if (strpbrk(sc->name, "/ ,")) return -EINVAL;
    at = strrchr(eq, '@');
    if (at) {
        if (util_parse_count(at + 1, 0, 100000000, &sc->rate) < 0) return -EINVAL;
        sc->has_rate = true;
    }
    snprintf(sc->path, sizeof sc->path, "%.*s", (int)(at ? at - eq - 1 : (long)strlen(eq + 1)),
             eq + 1);
    return 0;
}

int hn_parse_models(const char *s, struct hn_config *c)
{
    char buf[1024], *save = NULL, *tok;
    struct hn_model all[HN_MAX_MODELS], m;
    size_t n, i;
    c->n_models = 0;
    if (strcmp(s, "all") == 0) {
        n = hn_models_list(all, HN_MAX_MODELS);
        for (i = 0; i < n; i++)
            snprintf(c->models[c->n_models++], sizeof c->models[0], "%.31s", all[i].name);
        return n ? 0 : -ENOENT;
    }
    snprintf(buf, sizeof buf, "%s", s);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (hn_model_find(tok, &m) < 0) {
            fprintf(stderr, "c10k: unknown model '%s' (see c10k models)\n", tok);
            return -ENOENT;
        }
        if (c->n_models == HN_MAX_MODELS) return -E2BIG;
        snprintf(c->models[c->n_models++], sizeof c->models[0], "%.31s", tok);
    }
    return c->n_models ? 0 : -EINVAL;
}

static json_t *u64_array(const uint64_t *v, size_t n)
{
    json_t *a = json_array();
    size_t i;
    for (i = 0; i < n; i++)
        json_array_append_new(a, json_integer((json_int_t)v[i]));
    return a;
}

json_t *hn_config_json(const struct hn_config *c)
{
    json_t *models = json_array(), *sc = json_object(), *scr = json_object();
    size_t i;
    for (i = 0; i < c->n_models; i++)
        json_array_append_new(models, json_string(c->models[i]));
    for (i = 0; i < c->n_sc; i++) {
        json_object_set_new(sc, c->sc[i].name, json_string(c->sc[i].path));
        if (c->sc[i].has_rate)
            json_object_set_new(scr, c->sc[i].name, json_integer((json_int_t)c->sc[i].rate));
    }
    json_t *j = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:f, s:f, s:f, s:i, s:s, s:s, s:i, s:I, s:I}", "models", models,
        "connections", u64_array(c->conns, c->n_conns), "rates", u64_array(c->rates, c->n_rates),
        "scenarios", sc, "scenario_rates", scr, "duration_s", (double)c->duration_ns / 1e9,
        "warmup_s", (double)c->warmup_ns / 1e9, "timeout_s", (double)c->timeout_ns / 1e9, "trials",
        (int)c->trials, "server_cpus", c->server_cpus, "load_cpus", c->load_cpus, "load_threads",
        (int)c->load_threads, "connect_rate", (json_int_t)c->connect_rate,
        "min_mem_available_bytes", (json_int_t)c->min_mem_available_bytes);
    json_object_set_new(j, "ready_timeout_s", json_real((double)c->ready_timeout_ns / 1e9));
    json_object_set_new(j, "idle_duration_s", json_real((double)c->idle_duration_ns / 1e9));
    json_object_set_new(j, "max_trials",
                        json_integer(c->max_trials > c->trials ? c->max_trials : c->trials));
    json_object_set_new(j, "noise_cv_pct", json_real(HN_NOISE_CV_PCT));
    json_object_set_new(j, "server_host", json_string(c->server_host));
    json_t *lh = json_array();
    for (i = 0; i < c->n_load_hosts; i++)
        json_array_append_new(lh, json_string(c->load_hosts[i]));
    json_object_set_new(j, "load_hosts", lh);
    return j;
}

static int u64_list(const json_t *a, uint64_t *out, size_t cap, size_t *n)
{
    size_t i;
    json_t *v;
    *n = 0;
    json_array_foreach(a, i, v)
    {
        if (!json_is_integer(v) || *n == cap) return -EINVAL;
        out[(*n)++] = (uint64_t)json_integer_value(v);
    }
    return *n ? 0 : -EINVAL;
}

static int scenarios_from(struct hn_config *c, const json_t *sc, const json_t *scr)
{
    const char *k;
    json_t *v;
    c->n_sc = 0;
    json_object_foreach((json_t *)sc, k, v)
    {
        struct hn_scenario *s = &c->sc[c->n_sc];
        json_t *r = json_object_get(scr, k);
        if (c->n_sc == HN_MAX_LIST || !json_is_string(v)) return -EINVAL;
        snprintf(s->name, sizeof s->name, "%s", k);
        snprintf(s->path, sizeof s->path, "%s", json_string_value(v));
        s->has_rate = json_is_integer(r);
        s->rate = s->has_rate ? (uint64_t)json_integer_value(r) : 0;
        c->n_sc++;
    }
    return c->n_sc ? 0 : -EINVAL;
}

/* server_host, load_hosts (absent in runs before them: local). */
static int hosts_from_json(struct hn_config *c, const json_t *j)
{
    const json_t *sh = json_object_get(j, "server_host"), *lh = json_object_get(j, "load_hosts");
    json_t *v;
    size_t i;
    if (json_is_string(sh))
        snprintf(c->server_host, sizeof c->server_host, "%s", json_string_value(sh));
    if (!json_is_array(lh) || !json_array_size(lh)) return 0;
    c->n_load_hosts = 0;
    json_array_foreach(lh, i, v)
    {
        if (!json_is_string(v) || c->n_load_hosts == HN_MAX_HOSTS) return -EINVAL;
        snprintf(c->load_hosts[c->n_load_hosts++], HN_HOST_URL_MAX, "%s", json_string_value(v));
    }
    return 0;
}

int hn_config_from_json(struct hn_config *c, const json_t *j)
{
    json_t *models = json_object_get(j, "models"), *v;
    size_t i;
    char out[sizeof c->out];
    snprintf(out, sizeof out, "%s", c->out);
    hn_config_defaults(c);
    snprintf(c->out, sizeof c->out, "%s", out);
    json_array_foreach(models, i, v)
    {
        if (!json_is_string(v) || c->n_models == HN_MAX_MODELS) return -EINVAL;
        snprintf(c->models[c->n_models++], sizeof c->models[0], "%s", json_string_value(v));
    }
    if (!c->n_models ||
        u64_list(json_object_get(j, "connections"), c->conns, HN_MAX_LIST, &c->n_conns) < 0 ||
        u64_list(json_object_get(j, "rates"), c->rates, HN_MAX_LIST, &c->n_rates) < 0 ||
        scenarios_from(c, json_object_get(j, "scenarios"), json_object_get(j, "scenario_rates")) <
            0)
        return -EINVAL;
    c->duration_ns = (uint64_t)(hn_jnum(j, "duration_s") * 1e9);
    c->warmup_ns = (uint64_t)(hn_jnum(j, "warmup_s") * 1e9);
    c->timeout_ns = (uint64_t)(hn_jnum(j, "timeout_s") * 1e9);
    /* absent in runs before it: their idle trials had the others' window */
    c->idle_duration_ns =
        hn_jnum(j, "idle_duration_s") >= 0 ? (uint64_t)(hn_jnum(j, "idle_duration_s") * 1e9) : 0;
    c->trials = (unsigned)hn_jnum(j, "trials");
    c->max_trials = hn_jnum(j, "max_trials") > 0 ? (unsigned)hn_jnum(j, "max_trials") : c->trials;
    if (hn_jnum(j, "ready_timeout_s") > 0)
        c->ready_timeout_ns = (uint64_t)(hn_jnum(j, "ready_timeout_s") * 1e9);
    c->load_threads = (unsigned)hn_jnum(j, "load_threads");
    c->connect_rate = (uint64_t)hn_jnum(j, "connect_rate");
    c->min_mem_available_bytes = (uint64_t)hn_jnum(j, "min_mem_available_bytes");
    snprintf(c->server_cpus, sizeof c->server_cpus, "%s",
             json_string_value(json_object_get(j, "server_cpus")));
    snprintf(c->load_cpus, sizeof c->load_cpus, "%s",
             json_string_value(json_object_get(j, "load_cpus")));
    if (hosts_from_json(c, j) < 0) return -EINVAL;
    return c->trials > 0 && c->duration_ns > 0 ? 0 : -EINVAL;
}

/* Every CPU of set must be one this process may run on (else pinning would
 * fail in the child, unseen). */
static int cpus_allowed(const char *name, const cpu_set_t *set)
{
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) < 0) return 0;
    for (int i = 0; i < CPU_SETSIZE; i++)
        if (CPU_ISSET(i, set) && !CPU_ISSET(i, &allowed)) {
            fprintf(stderr, "c10k: --%s: CPU %d is not in the allowed set (%d CPUs allowed)\n",
                    name, i, CPU_COUNT(&allowed));
            return -EINVAL;
        }
    return 0;
}

int hn_opt_common(int opt, const char *arg, struct hn_config *c)
{
    uint64_t v;
    cpu_set_t set;
    struct hosts_host h;
    switch (opt) {
    case HN_OPT_DURATION:
        return util_parse_duration_ns(arg, UTIL_NS_PER_S, 100 * UTIL_NS_PER_MS,
                                      3600 * UTIL_NS_PER_S, &c->duration_ns) < 0
                   ? -EINVAL
                   : 1;
    case HN_OPT_WARMUP:
        return util_parse_duration_ns(arg, UTIL_NS_PER_S, 0, 600 * UTIL_NS_PER_S, &c->warmup_ns) < 0
                   ? -EINVAL
                   : 1;
    case HN_OPT_IDLE_DURATION:
        return util_parse_duration_ns(arg, UTIL_NS_PER_S, 100 * UTIL_NS_PER_MS,
                                      3600 * UTIL_NS_PER_S, &c->idle_duration_ns) < 0
                   ? -EINVAL
                   : 1;
    case HN_OPT_TIMEOUT:
        return util_parse_duration_ns(arg, UTIL_NS_PER_S, UTIL_NS_PER_MS, 600 * UTIL_NS_PER_S,
                                      &c->timeout_ns) < 0
                   ? -EINVAL
                   : 1;
    case HN_OPT_READY_TIMEOUT:
        return util_parse_duration_ns(arg, UTIL_NS_PER_S, 100 * UTIL_NS_PER_MS, 600 * UTIL_NS_PER_S,
                                      &c->ready_timeout_ns) < 0
                   ? -EINVAL
                   : 1;
    case HN_OPT_TRIALS:
        if (util_parse_count(arg, 1, 100, &v) < 0) return -EINVAL;
        c->trials = (unsigned)v;
        return 1;
    case HN_OPT_LOAD_THREADS:
        if (util_parse_count(arg, 1, 256, &v) < 0) return -EINVAL;
        c->load_threads = (unsigned)v;
        return 1;
    case HN_OPT_CONNECT_RATE:
        return util_parse_count(arg, 0, 10000000, &c->connect_rate) < 0 ? -EINVAL : 1;
    case HN_OPT_SERVER_CPUS:
    case HN_OPT_LOAD_CPUS:
        if (strlen(arg) >= sizeof c->server_cpus || hn_cpus_parse(arg, &set) < 0 ||
            cpus_allowed(opt == HN_OPT_SERVER_CPUS ? "server-cpus" : "load-cpus", &set) < 0)
            return -EINVAL;
        snprintf(opt == HN_OPT_SERVER_CPUS ? c->server_cpus : c->load_cpus, sizeof c->server_cpus,
                 "%s", arg);
        return 1;
    case HN_OPT_SERVER_HOST:
        if (hosts_parse(arg, &h) < 0) return -EINVAL;
        snprintf(c->server_host, sizeof c->server_host, "%s", arg);
        return 1;
    case HN_OPT_LOAD_HOSTS:
        return hosts_parse_list(arg, c->load_hosts, HN_MAX_HOSTS, &c->n_load_hosts) < 0 ? -EINVAL
                                                                                        : 1;
    case HN_OPT_OUT:
        if (strlen(arg) >= sizeof c->out) return -EINVAL;
        snprintf(c->out, sizeof c->out, "%s", arg);
        return 1;
    default:
        return 0;
    }
}

void hn_default_out(struct hn_config *c, const char *short_name)
{
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(c->out, sizeof c->out, "results/%s-%s", ts, short_name);
}
