/* hn summary: summary.csv of a results folder (docs/results.md): one row per
 * point, the median, min and max of every metric over its trials, empty cells
 * where a value does not exist.  try: tests/harness/test-store */
#include "json.h"
#include "point.h"
#include "store.h"
#include "results/metric.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void csv_text(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_num(FILE *f, const json_t *obj, const char *key)
{
    double v = hn_jnum(obj, key);
    fputc(',', f);
    if (isfinite(v))
        fprintf(f, "%.10g", v);
}

static void header(FILE *f)
{
    size_t k;
    fputs("id,model,connections,rate,scenario,path,status,trials,valid_trials", f);
    for (k = 0; k < RES_M_COUNT; k++)
        fprintf(f, ",%s_median,%s_min,%s_max", res_metrics[k].name, res_metrics[k].name,
                res_metrics[k].name);
    fputc('\n', f);
}

static void row(FILE *f, const struct hn_point *pt)
{
    json_t *sum = hn_point_summary(pt->trials);
    size_t k;
    fprintf(f, "%s,%s,%llu,%llu,%s,", pt->id, pt->model, (unsigned long long)pt->conns,
            (unsigned long long)pt->rate, pt->scenario);
    csv_text(f, pt->path);
    fprintf(f, ",%s", pt->status);
    csv_num(f, sum, "trials");
    csv_num(f, sum, "valid_trials");
    for (k = 0; k < RES_M_COUNT; k++) {
        csv_num(f, json_object_get(sum, "median"), res_metrics[k].name);
        csv_num(f, json_object_get(sum, "min"), res_metrics[k].name);
        csv_num(f, json_object_get(sum, "max"), res_metrics[k].name);
    }
    fputc('\n', f);
    json_decref(sum);
}

int hn_summary_write(const char *dir, const struct hn_point *pts, size_t n)
{
    char path[2048];
    char *buf = NULL;
    size_t len = 0, i;
    FILE *f = open_memstream(&buf, &len);
    int rc;
    if (!f)
        return -ENOMEM;
    header(f);
    for (i = 0; i < n; i++)
        if (strcmp(pts[i].status, "pending") != 0)
            row(f, &pts[i]);
    fclose(f);
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    rc = hn_store_write(path, buf, len);
    free(buf);
    return rc;
}
