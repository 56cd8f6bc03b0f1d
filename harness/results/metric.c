/* res metric: the metric table (one row per metric, from RES_METRICS in
 * metric.h) and looking a metric up by name or alias.
 *   try: c10k compare --list-metrics */
#include "metric.h"

#include <stdio.h>
#include <string.h>

const struct res_metric res_metrics[RES_M_COUNT] = {
#define RES_X_ROW(id, name, unit, better, thr, aliases, desc)                                      \
    {name, unit, better, thr, aliases, desc},
    RES_METRICS(RES_X_ROW)
#undef RES_X_ROW
};

static bool has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; n && (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return true;
    return false;
}

static int find_exact(const char *name)
{
    for (int i = 0; i < RES_M_COUNT; i++)
        if (strcmp(res_metrics[i].name, name) == 0 || has_word(res_metrics[i].aliases, name))
            return i;
    return -1;
}

int res_metric_find(const char *name)
{
    char buf[128];
    int i = find_exact(name);
    if (i < 0 && snprintf(buf, sizeof buf, "%s_bytes", name) < (int)sizeof buf)
        i = find_exact(buf); /* mem_per_conn, mem_per_conn_user */
    return i;
}

const char *res_unit_name(enum res_unit u)
{
    static const char *const names[] = {"req/s", "us", "bytes", "count", "fraction"};
    return names[u];
}
