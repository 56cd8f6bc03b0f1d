/* plot/waits: the chart of the asyncio guides' experiment (DIR/waits.json from
 * c10k waits): wall time against N for the Python clients beside the guide's
 * published figures, and each overlapping client's memory per request in
 * flight (C clients as the floor). No waits.json: no chart. Try: c10k plot DIR */
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <string.h>

static void put_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, " %.6g", v);
    else
        fputs(" ?", f);
}

static double entry_num(const json_t *row, const char *key, const char *field)
{
    const json_t *v = json_object_get(json_object_get(row, key), field);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* waits.<client>.dat: N, wall s, memory per request in flight KiB. */
static int client_dat(const json_t *doc, const char *key, const char *out_dir)
{
    const json_t *row;
    size_t i;
    FILE *f = pl_dat_open(out_dir, "waits", key);
    if (!f) return -errno;
    json_array_foreach(json_object_get(doc, "rows"), i, row)
    {
        fprintf(f, "%lld", (long long)json_integer_value(json_object_get(row, "n")));
        put_num(f, entry_num(row, key, "wall_s"));
        put_num(f, entry_num(row, key, "mem_per_request_bytes") / 1024.0);
        fputc('\n', f);
    }
    return fclose(f) ? -errno : 0;
}

/* waits.guide.dat: N, the guide's sequential and asyncio seconds, scaled to
 * this run's wait (the guide waited 1 s). */
static int guide_dat(const json_t *doc, const char *out_dir)
{
    const json_t *g = json_object_get(doc, "guide"), *row;
    double scale = json_number_value(json_object_get(doc, "wait_s")) /
                   json_number_value(json_object_get(g, "wait_s"));
    size_t i;
    FILE *f = pl_dat_open(out_dir, "waits", "guide");
    if (!f) return -errno;
    json_array_foreach(json_object_get(g, "rows"), i, row)
    {
        fprintf(f, "%lld", (long long)json_integer_value(json_object_get(row, "n")));
        put_num(f, json_number_value(json_object_get(row, "sequential_s")) * scale);
        put_num(f, json_number_value(json_object_get(row, "asyncio_s")) * scale);
        fputc('\n', f);
    }
    return fclose(f) ? -errno : 0;
}

static int fill(const json_t *doc, const char *out_dir, struct pl_chart *c)
{
    const json_t *k, *info = json_object_get(doc, "client_info");
    char py[256] = "", mem[256] = "", ns[256] = "";
    size_t i;
    int rc = guide_dat(doc, out_dir);
    json_array_foreach(json_object_get(doc, "clients"), i, k)
    {
        const char *key = json_string_value(k);
        const json_t *ci = json_object_get(info, key ? key : "");
        if (!key || strpbrk(key, " '\"/")) continue;
        if (!rc) rc = client_dat(doc, key, out_dir);
        pl_words_add(c->all_models, sizeof c->all_models, key);
        const char *lang = json_string_value(json_object_get(ci, "language"));
        if (lang && !strcmp(lang, "python")) pl_words_add(py, sizeof py, key);
        if (json_is_true(json_object_get(ci, "concurrent"))) pl_words_add(mem, sizeof mem, key);
    }
    json_array_foreach(json_object_get(doc, "rows"), i, k)
    {
        char w[32];
        snprintf(w, sizeof w, "%lld", (long long)json_integer_value(json_object_get(k, "n")));
        pl_words_add(ns, sizeof ns, w);
    }
    snprintf(c->models, sizeof c->models, "%s", py);
    snprintf(c->extra, sizeof c->extra,
             "wall_clients = '%s'\nmem_clients = '%s'\nns = '%s'\nwait_s = %g", py, mem, ns,
             json_number_value(json_object_get(doc, "wait_s")));
    return rc;
}

int pl_dat_waits(const struct pl_set *s, const char *out_dir, struct pl_charts *cs)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/waits.json", s->dir);
    json_t *doc = json_load_file(path, 0, NULL);
    if (!doc) return 0; /* no experiment in this run */
    if (!json_is_array(json_object_get(doc, "rows")) ||
        !json_is_array(json_object_get(doc, "clients"))) {
        json_decref(doc);
        return 0;
    }
    struct pl_chart *c = pl_chart_add(cs, "waits", "waits");
    int rc = c ? fill(doc, out_dir, c) : -E2BIG;
    if (c) {
        snprintf(c->title, sizeof c->title,
                 "The asyncio guides' experiment: N requests of %g s each",
                 json_number_value(json_object_get(doc, "wait_s")));
        snprintf(c->caption, sizeof c->caption,
                 "Left: wall time of the Python clients against N (log axes), the guide's "
                 "published figures as open markers (scaled to this wait). Right: the client's "
                 "memory per request in flight, every client whose requests overlap, C "
                 "clients as the floor (0 drawn at 0.1 KiB).");
    }
    json_decref(doc);
    return rc;
}
