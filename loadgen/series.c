/* series: the once-a-second outputs: the CSV (--series) and the HdrHistogram
 * interval log (--hlog, tags "corrected" and "uncorrected"); main merges what
 * each worker published for the last second, without stopping it. CSV columns
 * (contract): t_s,established,completed,errors,rps,p50_us,p99_us (completed and
 * errors cumulative, established = connections open, p50/p99 of that second). */
#include "lg.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "hlog.h"
#include "util.h"

static int open_out(const char *path, FILE **out)
{
    *out = NULL;
    if (!path) return 0;
    *out = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    return *out ? 0 : -errno;
}

/* Opens --series and --hlog (headers written: t = 0 is now). 0 or -errno
 * (a message said which file). */
int lg_rows_open(struct lg_rows *r, const struct lg_run *run)
{
    const struct lg_config *cfg = run->cfg;
    memset(r, 0, sizeof(*r));
    r->prev_ns = run->start_ns;
    const char *bad = open_out(cfg->series_path, &r->series) < 0 ? cfg->series_path
                      : open_out(cfg->hlog_path, &r->hlog) < 0   ? cfg->hlog_path
                                                                 : NULL;
    int rc = bad ? -errno : 0;
    if (rc == 0 && (hist_init_lab(&r->lat) || hist_init_lab(&r->cor) || hist_init_lab(&r->unc)))
        rc = -ENOMEM;
    if (rc == 0 && r->series) {
        fprintf(r->series, "t_s,established,completed,errors,rps,p50_us,p99_us\n");
        fflush(r->series);
    }
    if (rc == 0 && r->hlog) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        double now_s = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
        /* the wall-clock time of run->start_ns */
        hlog_write_header(r->hlog, "c10k-load " LG_VERSION,
                          now_s - (double)(util_mono_ns() - run->start_ns) / 1e9);
    }
    if (rc < 0)
        fprintf(stderr, "c10k-load: cannot write %s: %s\n", bad ? bad : "rows", strerror(-rc));
    return rc;
}

void lg_rows_close(struct lg_rows *r)
{
    if (r->series && r->series != stdout) fclose(r->series);
    if (r->hlog && r->hlog != stdout) fclose(r->hlog);
    hist_close(&r->lat);
    hist_close(&r->cor);
    hist_close(&r->unc);
    memset(r, 0, sizeof(*r));
}

static void add_iv(struct lg_rows *r, const struct lg_interval *iv)
{
    hist_add(&r->lat, &iv->lat);
    if (!r->hlog) return;
    hist_add(&r->cor, &iv->cor);
    hist_add(&r->unc, &iv->unc);
}

/* Takes what worker w published since the last row into r. */
static void take(struct lg_worker *w, struct lg_rows *r, bool final)
{
    if (final) { /* after join: everything is safe to read */
        uint64_t done = atomic_load_explicit(&w->iv_done, memory_order_acquire);
        if (done != atomic_load_explicit(&w->iv_consumed, memory_order_relaxed))
            add_iv(r, &w->iv[(done - 1) & 1]);
        add_iv(r, &w->iv[w->iv_seq & 1]);
        w->main_completed = w->all_completed;
        w->main_errors = w->all_errors;
        w->main_open = w->open;
        return;
    }
    uint64_t done = atomic_load_explicit(&w->iv_done, memory_order_acquire);
    if (done == atomic_load_explicit(&w->iv_consumed, memory_order_relaxed)) return;
    const struct lg_interval *iv = &w->iv[(done - 1) & 1];
    add_iv(r, iv);
    w->main_completed = iv->completed_total;
    w->main_errors = iv->errors_total;
    w->main_open = iv->open;
    atomic_store_explicit(&w->iv_consumed, done, memory_order_release);
}

static void hlog_rows(const struct lg_run *run, struct lg_rows *r, uint64_t now)
{
    double start_s = (double)(r->prev_ns - run->start_ns) / 1e9;
    double len_s = (double)(now - r->prev_ns) / 1e9;
    hlog_write_interval(r->hlog, "corrected", start_s, len_s, &r->cor);
    hlog_write_interval(r->hlog, "uncorrected", start_s, len_s, &r->unc);
}

void lg_series_row(struct lg_run *run, struct lg_rows *r, uint64_t now, bool final)
{
    hist_reset(&r->lat);
    hist_reset(&r->cor);
    hist_reset(&r->unc);
    uint64_t completed = 0, errors = 0, open = 0;
    for (uint32_t i = 0; i < run->nworkers; i++) {
        take(&run->workers[i], r, final);
        completed += run->workers[i].main_completed;
        errors += run->workers[i].main_errors;
        open += run->workers[i].main_open;
    }
    if (r->hlog) hlog_rows(run, r, now);
    double dt = (double)(now - r->prev_ns) / 1e9;
    double rps = dt > 0 ? (double)(completed - r->prev_completed) / dt : 0;
    if (r->series) {
        fprintf(r->series, "%.3f,%llu,%llu,%llu,%.1f,%lld,%lld\n",
                (double)(now - run->start_ns) / 1e9, (unsigned long long)open,
                (unsigned long long)completed, (unsigned long long)errors, rps,
                (long long)hist_percentile(&r->lat, 50), (long long)hist_percentile(&r->lat, 99));
        fflush(r->series);
    }
    r->prev_completed = completed;
    r->prev_ns = now;
}
