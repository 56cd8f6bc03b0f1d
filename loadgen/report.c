/* report: what a run produced: the c10k-load/1 JSON (docs/results.md), the
 * .hgrm latency histogram and the wrk-like summary on stderr. */
#include "lg.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>
#include <sys/resource.h>

#include "hist_json.h"
#include "util.h"

int lg_hists_init(struct lg_hists *h)
{
    memset(h, 0, sizeof(*h));
    if (hist_init_lab(&h->lat) || hist_init_lab(&h->unc) || hist_init_lab(&h->late) ||
        hist_init_lab(&h->delay)) {
        lg_hists_close(h);
        return -ENOMEM;
    }
    return 0;
}

void lg_hists_close(struct lg_hists *h)
{
    hist_close(&h->lat);
    hist_close(&h->unc);
    hist_close(&h->late);
    hist_close(&h->delay);
}

void lg_report_sum(const struct lg_run *run, struct lg_counts *c, struct lg_hists *h)
{
    memset(c, 0, sizeof(*c));
    for (uint32_t i = 0; i < run->nworkers; i++) {
        const struct lg_worker *w = &run->workers[i];
        const uint64_t *src = (const uint64_t *)&w->counts;
        uint64_t *dst = (uint64_t *)c;
        for (size_t k = 0; k < sizeof(*c) / sizeof(uint64_t); k++)
            dst[k] += src[k];
        hist_add(&h->lat, &w->lat);
        hist_add(&h->unc, &w->lat_unc);
        hist_add(&h->late, &w->late);
        hist_add(&h->delay, &w->delay);
    }
}

uint32_t lg_report_established(const struct lg_run *run)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < run->nworkers; i++)
        n += run->workers[i].ever_open;
    return n;
}

static double window_s(const struct lg_run *run)
{
    uint64_t end = atomic_load(&run->end_ns);
    return end > run->measure_ns ? (double)(end - run->measure_ns) / 1e9 : 0;
}

static double busiest_fraction(const struct lg_run *run)
{
    double best = 0, wall = window_s(run) * 1e9;
    for (uint32_t i = 0; i < run->nworkers; i++) {
        const struct lg_worker *w = &run->workers[i];
        double f = wall > 0 ? (double)(w->cpu1_ns - w->cpu0_ns) / wall : 0;
        best = f > best ? f : best;
    }
    return best;
}

static json_t *config_json(const struct lg_config *cfg)
{
    return json_pack("{s:I,s:I,s:f,s:f,s:I,s:s,s:I,s:f,s:I,s:s?,s:s,s:s?,s:b}", "connections",
                     (json_int_t)cfg->connections, "threads", (json_int_t)cfg->threads,
                     "duration_s", (double)cfg->duration_ns / 1e9, "warmup_s",
                     (double)cfg->warmup_ns / 1e9, "rate_rps", (json_int_t)cfg->rate_rps, "arrival",
                     cfg->arrival == LG_ARRIVAL_POISSON ? "poisson" : "constant", "pipeline",
                     (json_int_t)cfg->pipeline, "timeout_s", (double)cfg->timeout_ns / 1e9,
                     "connect_rate", (json_int_t)cfg->connect_rate, "source", cfg->source_text,
                     "method", cfg->method, "body", cfg->body, "idle", cfg->idle);
}

static json_t *errors_json(const struct lg_counts *c)
{
    json_t *by = json_object();
    for (int e = 1; e < LG_ERRNO_MAX; e++)
        if (c->connect_errno[e])
            json_object_set_new(by, strerrorname_np(e) ? strerrorname_np(e) : "E?",
                                json_integer((json_int_t)c->connect_errno[e]));
    return json_pack("{s:I,s:o,s:I,s:I,s:I,s:I,s:I}", "connect", (json_int_t)c->err_connect,
                     "connect_by_errno", by, "read", (json_int_t)c->err_read, "write",
                     (json_int_t)c->err_write, "reset", (json_int_t)c->err_reset, "eof",
                     (json_int_t)c->err_eof, "parse", (json_int_t)c->err_parse);
}

static void process_cpu(const struct lg_run *run, double *user_s, double *sys_s)
{
    *user_s = *sys_s = 0;
    for (uint32_t i = 0; i < run->nworkers; i++) {
        *user_s += run->workers[i].utime_s;
        *sys_s += run->workers[i].stime_s;
    }
}

/* When the phases happened (seconds since t=0 of the series; t=0 itself on
 * CLOCK_MONOTONIC, so that another process can put them on its own clock). */
static void add_phases(const struct lg_run *run, json_t *o, const struct lg_counts *c)
{
    json_t *conns = json_object_get(o, "connections");
    json_object_set_new(conns, "connected_s",
                        run->connected_s >= 0 ? json_real(run->connected_s) : json_null());
    json_object_set_new(conns, "unanswered", json_integer((json_int_t)c->unanswered));
    json_object_set_new(o, "measure_start_s",
                        run->measure_ns ? json_real((double)(run->measure_ns - run->start_ns) / 1e9)
                                        : json_null());
    json_object_set_new(o, "start_monotonic_ns", json_integer((json_int_t)run->start_ns));
}

static json_t *build_json(const struct lg_run *run)
{
    const struct lg_config *cfg = run->cfg;
    struct lg_counts c;
    struct lg_hists h;
    if (lg_hists_init(&h) < 0) return NULL;
    lg_report_sum(run, &c, &h);
    uint32_t est = lg_report_established(run);
    double dur = window_s(run), user_s, sys_s;
    process_cpu(run, &user_s, &sys_s);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    json_t *o = json_pack(
        "{s:s,s:s,s:o,s:{s:I,s:I,s:I,s:I,s:f},s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I},s:o,s:f,s:f,s:o,"
        "s:{s:f,s:f,s:f},s:{s:I}}",
        "schema", "c10k-load/1", "url", cfg->url, "config", config_json(cfg), "connections",
        "target", (json_int_t)cfg->connections, "established", (json_int_t)est, "failed",
        (json_int_t)(cfg->connections - est), "reconnects", (json_int_t)c.reconnects, "ramp_s",
        run->ramp_s, "requests", "sent", (json_int_t)c.sent, "completed", (json_int_t)c.completed,
        "ok", (json_int_t)c.ok, "non2xx", (json_int_t)c.non2xx, "timeouts", (json_int_t)c.timeouts,
        "unsent_due", (json_int_t)c.unsent_due, "received", (json_int_t)c.received, "errors",
        errors_json(&c), "throughput_rps", dur > 0 ? (double)c.received / dur : 0.0, "duration_s",
        dur, "latency_us", hist_json(&h.lat), "cpu", "utime_s", user_s, "stime_s", sys_s,
        "busiest_thread_fraction", busiest_fraction(run), "memory", "max_rss_bytes",
        (json_int_t)ru.ru_maxrss * 1024);
    if (o && cfg->rate_rps) {
        json_object_set_new(o, "latency_uncorrected_us", hist_json(&h.unc));
        json_object_set_new(o, "lateness_us", hist_json(&h.late));
        json_object_set_new(o, "send_delay_us", hist_json(&h.delay));
    }
    if (o) json_object_set_new(o, "bytes_read", json_integer((json_int_t)c.bytes_read));
    if (o) add_phases(run, o, &c);
    lg_hists_close(&h);
    return o;
}

int lg_report_json(const struct lg_run *run, const char *path)
{
    json_t *o = build_json(run);
    if (!o) return -ENOMEM;
    int rc;
    if (strcmp(path, "-") == 0) {
        rc = json_dumpf(o, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        fputc('\n', stdout);
        fflush(stdout);
    } else {
        /* written whole to a temporary name, then renamed: readers never see half */
        char tmp[4096];
        snprintf(tmp, sizeof(tmp), "%s.tmp", path);
        rc = json_dump_file(o, tmp, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        if (rc == 0 && rename(tmp, path) < 0) rc = -1;
    }
    json_decref(o);
    return rc < 0 ? -EIO : 0;
}

int lg_report_hgrm(const struct lg_run *run, const char *path)
{
    struct lg_counts c;
    struct lg_hists h;
    if (lg_hists_init(&h) < 0) return -ENOMEM;
    lg_report_sum(run, &c, &h);
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    int rc = f ? hist_write_hgrm(&h.lat, f, 5, 1.0) : -errno;
    if (f && f != stdout && fclose(f) != 0) rc = -EIO;
    lg_hists_close(&h);
    return rc;
}

static void latency_line(FILE *f, const char *name, const struct hist *h)
{
    char b[7][32];
    fprintf(f, "  %-13s %9s %9s %9s %9s %9s %9s %9s\n", name,
            util_fmt_duration((uint64_t)(hist_mean(h) * 1000), b[0], 32),
            util_fmt_duration((uint64_t)(hist_stdev(h) * 1000), b[1], 32),
            util_fmt_duration((uint64_t)hist_percentile(h, 50) * 1000, b[2], 32),
            util_fmt_duration((uint64_t)hist_percentile(h, 90) * 1000, b[3], 32),
            util_fmt_duration((uint64_t)hist_percentile(h, 99) * 1000, b[4], 32),
            util_fmt_duration((uint64_t)hist_percentile(h, 99.9) * 1000, b[5], 32),
            util_fmt_duration((uint64_t)hist_max(h) * 1000, b[6], 32));
}

static void errors_line(FILE *f, const struct lg_counts *c)
{
    fprintf(f, "  Errors: connect %llu", (unsigned long long)c->err_connect);
    for (int e = 1; e < LG_ERRNO_MAX; e++)
        if (c->connect_errno[e])
            fprintf(f, " (%s %llu)", strerrorname_np(e), (unsigned long long)c->connect_errno[e]);
    fprintf(
        f,
        ", read %llu, write %llu, reset %llu, eof %llu, parse %llu, timeout %llu, non-2xx %llu\n",
        (unsigned long long)c->err_read, (unsigned long long)c->err_write,
        (unsigned long long)c->err_reset, (unsigned long long)c->err_eof,
        (unsigned long long)c->err_parse, (unsigned long long)c->timeouts,
        (unsigned long long)c->non2xx);
}

void lg_report_human(const struct lg_run *run, FILE *f)
{
    const struct lg_config *cfg = run->cfg;
    struct lg_counts c;
    struct lg_hists h;
    if (lg_hists_init(&h) < 0) return;
    lg_report_sum(run, &c, &h);
    uint32_t est = lg_report_established(run);
    double dur = window_s(run);
    fprintf(f, "Running %.1fs test @ %s (%s)\n", dur, cfg->url,
            cfg->rate_rps ? "open loop" : "closed loop");
    fprintf(f, "  %u threads and %u connections: %u established (ramp %.3fs), %llu reconnects\n",
            cfg->threads, cfg->connections, est, run->ramp_s, (unsigned long long)c.reconnects);
    if (c.unanswered)
        fprintf(
            f,
            "  WARNING: %llu connections had no answer to their first request by the ramp's end\n",
            (unsigned long long)c.unanswered);
    if (est < cfg->connections)
        fprintf(f, "  WARNING: only %u of %u connections were established\n", est,
                cfg->connections);
    fprintf(f, "  %-13s %9s %9s %9s %9s %9s %9s %9s\n", "", "mean", "stdev", "p50", "p90", "p99",
            "p99.9", "max");
    latency_line(f, "Latency", &h.lat);
    if (cfg->rate_rps) {
        latency_line(f, "Uncorrected", &h.unc);
        latency_line(f, "Lateness", &h.late);
        latency_line(f, "Send delay", &h.delay);
    }
    fprintf(f, "  %llu requests in %.2fs, %.2fMB read, busiest thread %.0f%% CPU\n",
            (unsigned long long)c.completed, dur, (double)c.bytes_read / 1048576.0,
            100 * busiest_fraction(run));
    errors_line(f, &c);
    fprintf(f, "Requests/sec: %.2f\n", dur > 0 ? (double)c.received / dur : 0.0);
    if (cfg->rate_rps && c.unsent_due)
        fprintf(f, "  %llu scheduled requests were never sent\n", (unsigned long long)c.unsent_due);
    lg_hists_close(&h);
}
