/* waits/out: waits.json (schema c10k-waits/1) from the finished jobs, with the
 * guide's published table and a verdict per client and N, and the same as a
 * table on stdout. Try: c10k waits --n 5,10,20 --wait 200ms --out /tmp/w */
#include "wt.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The popular asyncio guide's table: N URLs answering after 1 s each, fetched
 * one after another vs with asyncio.gather (seconds). The one home of these
 * figures: the report reads them from waits.json. */
static const struct {
    unsigned n;
    double sequential_s, asyncio_s;
} wt_guide[] = {
    {5, 5.2, 1.1}, {10, 10.4, 1.2}, {20, 20.8, 1.4}, {50, 52.1, 2.1}, {100, 104.5, 3.8}};
#define WT_GUIDE_WAIT_S 1.0

static json_t *wt_guide_row(uint64_t n)
{
    for (size_t i = 0; i < sizeof wt_guide / sizeof wt_guide[0]; i++)
        if (wt_guide[i].n == n)
            return json_pack("{s:f,s:f}", "sequential_s", wt_guide[i].sequential_s, "asyncio_s",
                             wt_guide[i].asyncio_s);
    return json_null();
}

static json_t *wt_guide_all(void)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < sizeof wt_guide / sizeof wt_guide[0]; i++)
        json_array_append_new(rows, json_pack("{s:i,s:f,s:f}", "n", (json_int_t)wt_guide[i].n,
                                              "sequential_s", wt_guide[i].sequential_s, "asyncio_s",
                                              wt_guide[i].asyncio_s));
    return json_pack("{s:s,s:f,s:o}", "source",
                     "The popular asyncio guide's table: N URLs each answering after 1 s, "
                     "fetched one after another vs with asyncio.gather",
                     "wait_s", WT_GUIDE_WAIT_S, "rows", rows);
}

/* The done-when bound of a client: one after another takes N waits within
 * 10%; overlapping clients take under 1.5 waits plus their own start-up (the
 * interpreter's, measured from spawn to ready, and a pool's, measured by the
 * client inside its wall time). */
static double wt_bound(const struct wt_job *j, double wait_s, double startup_s)
{
    if (!j->client->concurrent) return 1.1 * (double)j->n * wait_s;
    return 1.5 * wait_s + startup_s + j->pool_start_s;
}

static json_t *wt_job_json(const struct wt_job *j, double wait_s)
{
    if (j->state != WT_DONE) return json_pack("{s:s}", "failed", j->why[0] ? j->why : "not run");
    double startup = (double)(j->ready_ns - j->spawn_ns) / 1e9;
    /* per request in flight: N at once, or one at a time */
    double inflight = j->client->concurrent ? (double)j->n : 1.0;
    double mem = j->peak_mem > j->base_mem ? (double)(j->peak_mem - j->base_mem) / inflight : 0;
    double bound = wt_bound(j, wait_s, startup);
    bool pass = j->errors == 0 && j->wall_s <= bound &&
                (j->client->concurrent || j->wall_s >= 0.9 * (double)j->n * wait_s);
    return json_pack("{s:f,s:f,s:f,s:f,s:f,s:I,s:I,s:I,s:I,s:f,s:b}", "wall_s", j->wall_s,
                     "mem_per_request_bytes", round(mem), "cpu_s", j->cpu_s, "startup_s", startup,
                     "pool_start_s", j->pool_start_s, "ok", (json_int_t)j->ok, "errors",
                     (json_int_t)j->errors, "mem_ready_bytes", (json_int_t)j->base_mem,
                     "mem_peak_bytes", (json_int_t)j->peak_mem, "bound_s", bound, "pass", pass);
}

json_t *wt_json(const struct wt_config *cfg, const struct wt_job *jobs, size_t n)
{
    json_t *rows = json_array(), *clients = json_array(), *info = json_object();
    bool all = true;
    for (size_t c = 0; c < cfg->n_clients; c++) {
        const struct wt_client *k = cfg->clients[c];
        json_array_append_new(clients, json_string(k->key));
        json_object_set_new(info, k->key,
                            json_pack("{s:s,s:b,s:s}", "language", k->python ? "python" : "c",
                                      "concurrent", k->concurrent, "what", k->what));
    }
    for (size_t r = 0; r < cfg->n_ns; r++) {
        json_t *row = json_pack("{s:I,s:f,s:o}", "n", (json_int_t)cfg->ns[r], "wait_s", cfg->wait_s,
                                "guide", wt_guide_row(cfg->ns[r]));
        for (size_t i = 0; i < n; i++) {
            if (jobs[i].n != cfg->ns[r]) continue;
            json_t *e = wt_job_json(&jobs[i], cfg->wait_s);
            all &= json_is_true(json_object_get(e, "pass"));
            json_object_set_new(row, jobs[i].client->key, e);
        }
        json_array_append_new(rows, row);
    }
    return json_pack("{s:s,s:s,s:f,s:o,s:o,s:b,s:o,s:o}", "schema", "c10k-waits/1", "server",
                     cfg->server, "wait_s", cfg->wait_s, "clients", clients, "client_info", info,
                     "pass", all, "guide", wt_guide_all(), "rows", rows);
}

static bool wt_same_rows(const json_t *doc, const json_t *old)
{
    const json_t *a = json_object_get(doc, "rows"), *b = json_object_get(old, "rows");
    if (json_array_size(a) != json_array_size(b) ||
        fabs(json_number_value(json_object_get(doc, "wait_s")) -
             json_number_value(json_object_get(old, "wait_s"))) > 1e-9)
        return false;
    for (size_t i = 0; i < json_array_size(a); i++)
        if (json_integer_value(json_object_get(json_array_get(a, i), "n")) !=
            json_integer_value(json_object_get(json_array_get(b, i), "n")))
            return false;
    return true;
}

static bool wt_all_pass(const json_t *doc)
{
    const json_t *row, *k;
    size_t i, j;
    json_array_foreach(json_object_get(doc, "rows"), i, row) json_array_foreach(
        json_object_get(doc, "clients"), j,
        k) if (!json_is_true(json_object_get(json_object_get(row, json_string_value(k)),
                                             "pass"))) return false;
    return true;
}

int wt_merge(json_t *doc, const json_t *old)
{
    json_t *cl = json_object_get(doc, "clients"), *info = json_object_get(doc, "client_info");
    const json_t *k;
    size_t i, r;
    if (!wt_same_rows(doc, old)) return -EINVAL;
    json_array_foreach(json_object_get(old, "clients"), i, k)
    {
        const char *key = json_string_value(k);
        if (!key || json_object_get(info, key)) continue; /* measured now: the new figures stand */
        json_array_insert(cl, i, (json_t *)k);
        json_object_set(info, key, json_object_get(json_object_get(old, "client_info"), key));
        for (r = 0; r < json_array_size(json_object_get(doc, "rows")); r++) {
            const json_t *e = json_object_get(json_array_get(json_object_get(old, "rows"), r), key);
            if (e)
                json_object_set(json_array_get(json_object_get(doc, "rows"), r), key, (json_t *)e);
        }
    }
    json_object_set_new(doc, "pass", json_boolean(wt_all_pass(doc)));
    return 0;
}

static void wt_cell(const json_t *e, char *buf, size_t cap)
{
    if (!json_is_object(e) || !json_is_number(json_object_get(e, "wall_s"))) {
        snprintf(buf, cap, "failed");
        return;
    }
    snprintf(buf, cap, "%.2fs %.0fK%s", json_number_value(json_object_get(e, "wall_s")),
             json_number_value(json_object_get(e, "mem_per_request_bytes")) / 1024.0,
             json_is_true(json_object_get(e, "pass")) ? "" : " !");
}

void wt_print(const json_t *doc)
{
    const json_t *cl = json_object_get(doc, "clients"), *row, *c;
    size_t i, k;
    char cell[64];
    printf("%5s", "N");
    json_array_foreach(cl, k, c) printf(" %14s", json_string_value(c));
    printf("   (wall time, client memory per request; ! = outside its bound)\n");
    json_array_foreach(json_object_get(doc, "rows"), i, row)
    {
        printf("%5lld", (long long)json_integer_value(json_object_get(row, "n")));
        json_array_foreach(cl, k, c)
        {
            wt_cell(json_object_get(row, json_string_value(c)), cell, sizeof cell);
            printf(" %14s", cell);
        }
        printf("\n");
    }
}
