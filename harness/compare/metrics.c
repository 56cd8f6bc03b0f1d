/* compare/metrics: the metrics c10k compare tests (direction, default
 * threshold), the names --assert accepts, and values with units in and out.
 * Try: c10k compare --assert 'p99<5ms' --assert 'mem_per_conn<64KiB' NEW */
#include "cmp.h"

#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Default thresholds: p50 moves less than the tail on a shared machine, so
 * the tail gets more room; memory also needs cfg->mem_floor_bytes in total. */
const struct cmp_metric cmp_metrics[CMP_NMETRICS] = {
    {"throughput_rps", "throughput", CMP_UNIT_RPS, true, 5},
    {"latency_p50_us", "p50", CMP_UNIT_US, false, 5},
    {"latency_p99_us", "p99", CMP_UNIT_US, false, 10},
    {"latency_p999_us", "p999", CMP_UNIT_US, false, 15},
    {"cpu_us_per_req", "cpu", CMP_UNIT_US, false, 5},
    {"mem_per_conn_bytes", "mem", CMP_UNIT_BYTES, false, 5},
};

/* every metric of docs/results.md, for --assert */
static const char *const known[] = {
    "throughput_rps",
    "latency_p50_us",
    "latency_p90_us",
    "latency_p99_us",
    "latency_p999_us",
    "latency_max_us",
    "errors",
    "connections_established",
    "cpu_us_per_req",
    "ctxsw_per_req",
    "pss_idle_bytes",
    "pss_loaded_bytes",
    "rss_loaded_bytes",
    "vsz_loaded_bytes",
    "threads_loaded",
    "processes_loaded",
    "mem_per_conn_user_bytes",
    "mem_per_conn_kstack_bytes",
    "mem_per_conn_pagetables_bytes",
    "mem_per_conn_socket_bytes",
    "mem_per_conn_bytes",
    "mem_per_conn_available_bytes",
    "loadgen_cpu_fraction",
    NULL,
};

static const char *const aliases[][2] = {
    {"throughput", "throughput_rps"},
    {"rps", "throughput_rps"},
    {"cpu", "cpu_us_per_req"},
    {"mem", "mem_per_conn_bytes"},
    {"ctxsw", "ctxsw_per_req"},
    {"max", "latency_max_us"},
    {"connections", "connections_established"},
    {NULL, NULL},
};

static const char *known_name(const char *name)
{
    for (size_t i = 0; known[i]; i++)
        if (strcmp(known[i], name) == 0) return known[i];
    return NULL;
}

const char *cmp_metric_resolve(const char *name)
{
    char buf[128];
    for (size_t i = 0; aliases[i][0]; i++)
        if (strcmp(aliases[i][0], name) == 0) return aliases[i][1];
    const char *r = known_name(name);
    if (!r) {
        snprintf(buf, sizeof buf, "latency_%s_us", name); /* p99 */
        r = known_name(buf);
    }
    if (!r) {
        snprintf(buf, sizeof buf, "%s_bytes", name); /* mem_per_conn */
        r = known_name(buf);
    }
    return r;
}

int cmp_metric_index(const char *name)
{
    const char *full = cmp_metric_resolve(name);
    for (int i = 0; full && i < CMP_NMETRICS; i++)
        if (strcmp(cmp_metrics[i].name, full) == 0) return i;
    return -1;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

enum cmp_unit cmp_metric_unit(const char *name)
{
    if (ends_with(name, "_us") || ends_with(name, "_us_per_req")) return CMP_UNIT_US;
    if (ends_with(name, "_bytes")) return CMP_UNIT_BYTES;
    if (ends_with(name, "_rps")) return CMP_UNIT_RPS;
    return CMP_UNIT_COUNT;
}

int cmp_parse_value(const char *name, const char *s, double *out)
{
    uint64_t v;
    int rc;
    switch (cmp_metric_unit(name)) {
    case CMP_UNIT_US:
        rc = util_parse_duration_ns(s, UTIL_NS_PER_US, 0, UINT64_MAX / 2, &v);
        *out = (double)v / 1000.0;
        break;
    case CMP_UNIT_BYTES:
        rc = util_parse_size(s, 0, UINT64_MAX / 2, &v);
        *out = (double)v;
        break;
    default:
        rc = util_parse_count(s, 0, UINT64_MAX / 2, &v);
        *out = (double)v;
        break;
    }
    if (rc == 0) return 0;
    /* a plain decimal the unit parsers refuse as a count: 99.5, 0.95 */
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (*s && *end == '\0' && errno == 0 && isfinite(d)) {
        *out = d;
        return 0;
    }
    return rc;
}

const char *cmp_fmt_value(enum cmp_unit unit, double v, char *buf, size_t cap)
{
    double a = fabs(v);
    if (isnan(v))
        snprintf(buf, cap, "-");
    else if (unit == CMP_UNIT_US)
        snprintf(buf, cap,
                 a < 100   ? "%.1fus"
                 : a < 1e3 ? "%.0fus"
                 : a < 1e6 ? "%.3gms"
                           : "%.3gs",
                 a < 1e3   ? v
                 : a < 1e6 ? v / 1e3
                           : v / 1e6);
    else if (unit == CMP_UNIT_BYTES)
        snprintf(buf, cap,
                 a < 1024      ? "%.0fB"
                 : a < 1048576 ? "%.3gKiB"
                               : "%.3gMiB",
                 a < 1024      ? v
                 : a < 1048576 ? v / 1024
                               : v / 1048576);
    else if (unit == CMP_UNIT_RPS)
        snprintf(buf, cap,
                 a < 1e3   ? "%.1f"
                 : a < 1e6 ? "%.4gk"
                           : "%.4gM",
                 a < 1e3   ? v
                 : a < 1e6 ? v / 1e3
                           : v / 1e6);
    else
        snprintf(buf, cap, "%.4g", v);
    return buf;
}
