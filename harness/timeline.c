/* hn timeline: a trial's time series on one clock (seconds since the server
 * started): one row per probe sample (source=probe) and one per c10k-load
 * series row (source=load, its columns prefixed load_), sorted by time.
 *   try: column -s, -t < results/.../points/epoll-c100-r0-max-t0.timeline.csv */
#include "trial.h"
#include "probe.h"
#include "store.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HN_SERIES_MAX_BYTES (1 << 20)

struct series {
    char *text;                /* the whole file */
    char *header;              /* after t_s, */
    char **rows;               /* each after its t_s, */
    double *t;
    size_t n, cols;
};

static size_t count_cols(const char *line)
{
    size_t n = 1;
    for (; *line; line++)
        n += *line == ',';
    return n;
}

static void series_free(struct series *s)
{
    free(s->text);
    free(s->rows);
    free(s->t);
}

static int series_read(const char *path, struct series *s, double t_spawn)
{
    FILE *f = fopen(path, "r");
    char *line, *save = NULL;
    size_t len;
    memset(s, 0, sizeof *s);
    if (!f)
        return -errno;
    s->text = calloc(1, HN_SERIES_MAX_BYTES + 1);
    len = s->text ? fread(s->text, 1, HN_SERIES_MAX_BYTES, f) : 0;
    fclose(f);
    if (!s->text || len == 0)
        return -EIO;
    s->rows = calloc(len, sizeof *s->rows);
    s->t = calloc(len, sizeof *s->t);
    line = strtok_r(s->text, "\n", &save);
    if (!s->rows || !s->t || !line || strncmp(line, "t_s,", 4) != 0)
        return -EIO;
    s->header = line + 4;
    s->cols = count_cols(s->header);
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *comma = strchr(line, ',');
        if (!comma)
            continue;
        s->t[s->n] = t_spawn + strtod(line, NULL);
        s->rows[s->n++] = comma + 1;
    }
    return 0;
}

static void header(FILE *f, const struct series *s)
{
    size_t i;
    fputs("t_s,source", f);
    for (i = 1; i < HN_SF_COUNT; i++)
        fprintf(f, ",%s", hn_sf_names[i]);
    if (s->header) {
        char *h = strdup(s->header), *save = NULL, *c;
        for (c = strtok_r(h, ",", &save); c; c = strtok_r(NULL, ",", &save))
            fprintf(f, ",load_%s", c);
        free(h);
    }
    fputc('\n', f);
}

static void probe_row(FILE *f, const struct hn_sample *x, size_t load_cols)
{
    size_t i;
    fprintf(f, "%.3f,probe", x->v[HN_SF_T]);
    for (i = 1; i < HN_SF_COUNT; i++)
        if (isfinite(x->v[i]))
            fprintf(f, ",%.10g", x->v[i]);
        else
            fputc(',', f);
    for (i = 0; i < load_cols; i++)
        fputc(',', f);
    fputc('\n', f);
}

static void load_row(FILE *f, double t, const char *row)
{
    size_t i;
    fprintf(f, "%.3f,load", t);
    for (i = 1; i < HN_SF_COUNT; i++)
        fputc(',', f);
    fprintf(f, ",%s\n", row);
}

int hn_timeline_write(const struct hn_trial *t, const struct hn_sample *s, size_t n,
                      double t_spawn)
{
    char path[1500];
    struct series se;
    char *buf = NULL;
    size_t len = 0, i = 0, j = 0;
    FILE *f;
    int rc;
    snprintf(path, sizeof path, "%s.series.csv", t->base);
    series_read(path, &se, t_spawn);
    f = open_memstream(&buf, &len);
    if (!f) {
        series_free(&se);
        return -ENOMEM;
    }
    header(f, &se);
    while (i < n || j < se.n) {
        if (j >= se.n || (i < n && s[i].v[HN_SF_T] <= se.t[j]))
            probe_row(f, &s[i++], se.cols);
        else
            load_row(f, se.t[j], se.rows[j]), j++;
    }
    fclose(f);
    snprintf(path, sizeof path, "%s.timeline.csv", t->base);
    rc = hn_store_write(path, buf, len);
    free(buf);
    series_free(&se);
    return rc;
}
