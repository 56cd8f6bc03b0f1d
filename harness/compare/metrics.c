/* compare/metrics: compare's view of the metric table (results/metric.h): the
 * names --assert and --threshold accept, values with units in and out, --list-metrics.
 * Try: c10k compare --assert 'p99<5ms' --assert 'mem_per_conn<64KiB' NEW */
#include "cmp.h"

#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *cmp_metric_resolve(const char *name)
{
    int i = res_metric_find(name);
    return i < 0 ? NULL : res_metrics[i].name;
}

int cmp_metric_index(const char *name)
{
    int i = res_metric_find(name);
    return i >= 0 && res_metrics[i].threshold_pct > 0 ? i : -1;
}

enum res_unit cmp_metric_unit(const char *name)
{
    int i = res_metric_find(name);
    return i < 0 ? RES_UNIT_COUNT : res_metrics[i].unit;
}

void cmp_metrics_list(FILE *f)
{
    fprintf(f, "%-40s %-8s %-6s %-9s %-16s %s\n", "metric", "unit", "better", "threshold",
            "aliases", "description");
    for (int i = 0; i < RES_M_COUNT; i++) {
        const struct res_metric *m = &res_metrics[i];
        char thr[16] = "-";
        if (m->threshold_pct > 0) snprintf(thr, sizeof thr, "%g%%", m->threshold_pct);
        fprintf(f, "%-40s %-8s %-6s %-9s %-16s %s\n", m->name, res_unit_name(m->unit),
                m->better == RES_HIGHER ? "higher" : "lower", thr, *m->aliases ? m->aliases : "-",
                m->description);
    }
}

int cmp_parse_value(const char *name, const char *s, double *out)
{
    uint64_t v;
    int rc;
    switch (cmp_metric_unit(name)) {
    case RES_UNIT_US:
        rc = util_parse_duration_ns(s, UTIL_NS_PER_US, 0, UINT64_MAX / 2, &v);
        *out = (double)v / 1000.0;
        break;
    case RES_UNIT_BYTES:
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

const char *cmp_fmt_value(enum res_unit unit, double v, char *buf, size_t cap)
{
    double a = fabs(v);
    if (isnan(v))
        snprintf(buf, cap, "-");
    else if (unit == RES_UNIT_US)
        snprintf(buf, cap,
                 a < 100   ? "%.1fus"
                 : a < 1e3 ? "%.0fus"
                 : a < 1e6 ? "%.3gms"
                           : "%.3gs",
                 a < 1e3   ? v
                 : a < 1e6 ? v / 1e3
                           : v / 1e6);
    else if (unit == RES_UNIT_BYTES)
        snprintf(buf, cap,
                 a < 1024      ? "%.0fB"
                 : a < 1048576 ? "%.3gKiB"
                               : "%.3gMiB",
                 a < 1024      ? v
                 : a < 1048576 ? v / 1024
                               : v / 1048576);
    else if (unit == RES_UNIT_RPS)
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
