/* report/sec_waits: the section on the asyncio guides' experiment, from
 * DIR/waits.json (c10k waits): the guide's table beside the measured one with
 * a verdict per row, then every client's wall time, memory and CPU.
 * Try: c10k waits --out DIR --n 5,10 --wait 500ms && c10k report DIR */
#include "rp.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static double wt_num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *rp_str(const json_t *v)
{
    return json_is_string(v) ? json_string_value(v) : "?";
}

static const char *wt_secs(char *buf, size_t cap, double s)
{
    if (!isfinite(s)) {
        snprintf(buf, cap, "–");
        return buf;
    }
    snprintf(buf, cap, "%.*f s", s < 10 ? 2 : 1, s);
    return buf;
}

/* "reproduced" or what was not, from the clients' own verdicts. */
static void wt_verdict(const json_t *row, double guide_async, double wait, char *buf, size_t cap)
{
    const json_t *seq = json_object_get(row, "sequential"), *as = json_object_get(row, "asyncio");
    bool s_ok = json_is_true(json_object_get(seq, "pass"));
    bool a_ok = json_is_true(json_object_get(as, "pass"));
    if (s_ok && a_ok && isfinite(guide_async) && wt_num(as, "wall_s") < guide_async - 0.1 * wait)
        snprintf(buf, cap, "reproduced; asyncio faster than the guide's");
    else if (s_ok && a_ok)
        snprintf(buf, cap, "reproduced");
    else
        snprintf(buf, cap, "not reproduced:%s%s", s_ok ? "" : " one after another",
                 a_ok ? "" : " asyncio");
}

static void wt_guide_table(struct rp_out *o, const json_t *doc)
{
    static const char *const hdr[] = {
        "N", "guide: one after another", "measured", "guide: asyncio", "measured ", "verdict"};
    const json_t *g = json_object_get(doc, "guide"), *row;
    double wait = wt_num(doc, "wait_s"), scale = wait / wt_num(g, "wait_s");
    size_t i;
    rp_table(o, 6, hdr);
    json_array_foreach(json_object_get(doc, "rows"), i, row)
    {
        char c[6][64];
        const json_t *gr = json_object_get(row, "guide");
        double gs = wt_num(gr, "sequential_s") * scale, ga = wt_num(gr, "asyncio_s") * scale;
        snprintf(c[0], 64, "%lld", (long long)json_integer_value(json_object_get(row, "n")));
        wt_secs(c[1], 64, gs);
        wt_secs(c[2], 64, wt_num(json_object_get(row, "sequential"), "wall_s"));
        wt_secs(c[3], 64, ga);
        wt_secs(c[4], 64, wt_num(json_object_get(row, "asyncio"), "wall_s"));
        wt_verdict(row, ga, wait, c[5], 64);
        rp_row(o, 6, c);
    }
    rp_table_end(o);
}

static void wt_cell(char *buf, size_t cap, const json_t *e)
{
    char s[32];
    if (!json_is_number(json_object_get(e, "wall_s"))) {
        snprintf(buf, cap, "failed");
        return;
    }
    snprintf(buf, cap, "%s%s", wt_secs(s, sizeof s, wt_num(e, "wall_s")),
             json_is_true(json_object_get(e, "pass")) ? "" : " (over its bound)");
}

static void wt_clients_table(struct rp_out *o, const json_t *doc)
{
    const json_t *cl = json_object_get(doc, "clients"), *row, *k;
    const char *hdr[9] = {"N"};
    size_t nc = json_array_size(cl), i, j;
    if (nc > 8) nc = 8;
    for (j = 0; j < nc; j++)
        hdr[j + 1] = json_string_value(json_array_get(cl, j));
    rp_table(o, nc + 1, hdr);
    json_array_foreach(json_object_get(doc, "rows"), i, row)
    {
        char c[9][64];
        snprintf(c[0], 64, "%lld", (long long)json_integer_value(json_object_get(row, "n")));
        json_array_foreach(cl, j, k)
        {
            if (j < nc) wt_cell(c[j + 1], 64, json_object_get(row, json_string_value(k)));
        }
        rp_row(o, nc + 1, c);
    }
    rp_table_end(o);
}

/* Memory, CPU and start-up of each client at the largest N. */
static void wt_cost_table(struct rp_out *o, const json_t *doc)
{
    static const char *const hdr[] = {"client", "what",     "memory per request in flight",
                                      "CPU",    "start-up", "pool start-up"};
    const json_t *rows = json_object_get(doc, "rows"), *k;
    const json_t *last = json_array_get(rows, json_array_size(rows) - 1);
    size_t j;
    rp_p(o,
         "What each client costs at N = %lld (memory: the client's written pages and page "
         "tables at the peak minus before the requests, per request in flight; CPU from "
         "the start signal to the last answer; start-up: the interpreter and a warm-up "
         "request, before the clock starts; pool start-up: inside the wall time).",
         (long long)json_integer_value(json_object_get(last, "n")));
    rp_table(o, 6, hdr);
    json_array_foreach(json_object_get(doc, "clients"), j, k)
    {
        const char *key = json_string_value(k);
        const json_t *e = json_object_get(last, key ? key : "");
        const json_t *ci = json_object_get(json_object_get(doc, "client_info"), key ? key : "");
        char c[6][64];
        snprintf(c[0], 64, "%s", key ? key : "?");
        snprintf(c[1], 64, "%s", rp_str(json_object_get(ci, "what")));
        rp_fmt_bytes(c[2], 64, wt_num(e, "mem_per_request_bytes"));
        wt_secs(c[3], 64, wt_num(e, "cpu_s"));
        wt_secs(c[4], 64, wt_num(e, "startup_s"));
        wt_secs(c[5], 64, wt_num(e, "pool_start_s"));
        rp_row(o, 6, c);
    }
    rp_table_end(o);
}

void rp_sec_waits(struct rp_out *o, const struct rp_run *run)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/waits.json", run->dir);
    json_t *doc = json_load_file(path, 0, NULL);
    rp_h(o, 2, "The asyncio guides' experiment");
    if (!doc || !json_is_array(json_object_get(doc, "rows"))) {
        rp_p(o,
             "This run has no waits.json: c10k waits --out %s measures it (./run_all.sh "
             "does by default).",
             run->dir);
        json_decref(doc);
        return;
    }
    double wait = wt_num(doc, "wait_s");
    rp_p(o,
         "%s. Here: a c10k %s server holds each answer %.3g s (GET /?delay_us=), one "
         "connection per request; the guide's figures are for 1 s%s. A verdict reads the "
         "measured figures: one after another must take N waits within 10%%, asyncio under "
         "1.5 waits plus its start-up.",
         rp_str(json_object_get(json_object_get(doc, "guide"), "source")),
         rp_str(json_object_get(doc, "server")), wait,
         fabs(wait - 1.0) > 1e-9 ? ", scaled here to this wait" : "");
    wt_guide_table(o, doc);
    rp_p(o, "Every client's wall time (the chart 'waits' draws it against N); a client over "
            "its bound (one after another: N waits + 10%%; the others: 1.5 waits + its "
            "start-up + its pool's) is marked.");
    wt_clients_table(o, doc);
    wt_cost_table(o, doc);
    rp_p(o, "Verdict over every client and N: %s.",
         json_is_true(json_object_get(doc, "pass")) ? "all within their bounds"
                                                    : "some outside their bounds (marked above)");
    json_decref(doc);
}
