/* series: the once-a-second CSV (--series): main merges what each worker
 * published for the last second, without stopping it. Columns (contract):
 * t_s,established,completed,errors,rps,p50_us,p99_us (completed and errors
 * cumulative, established = connections open, p50/p99 of that second). */
#include "lg.h"

#include <errno.h>
#include <string.h>

#include "util.h"

int lg_series_open(const char *path, FILE **out)
{
    *out = NULL;
    if (!path) return 0;
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (!f) return -errno;
    fprintf(f, "t_s,established,completed,errors,rps,p50_us,p99_us\n");
    fflush(f);
    *out = f;
    return 0;
}

/* Takes what worker w published since the last row into scratch. */
static void take(struct lg_worker *w, struct hist *scratch, bool final)
{
    if (final) { /* after join: everything is safe to read */
        uint64_t done = atomic_load_explicit(&w->iv_done, memory_order_acquire);
        if (done != atomic_load_explicit(&w->iv_consumed, memory_order_relaxed))
            hist_add(scratch, &w->iv[(done - 1) & 1].lat);
        hist_add(scratch, &w->iv[w->iv_seq & 1].lat);
        w->main_completed = w->all_completed;
        w->main_errors = w->all_errors;
        w->main_open = w->open;
        return;
    }
    uint64_t done = atomic_load_explicit(&w->iv_done, memory_order_acquire);
    if (done == atomic_load_explicit(&w->iv_consumed, memory_order_relaxed)) return;
    const struct lg_interval *iv = &w->iv[(done - 1) & 1];
    hist_add(scratch, &iv->lat);
    w->main_completed = iv->completed_total;
    w->main_errors = iv->errors_total;
    w->main_open = iv->open;
    atomic_store_explicit(&w->iv_consumed, done, memory_order_release);
}

void lg_series_row(struct lg_run *run, FILE *f, uint64_t now, struct hist *scratch, bool final,
                   uint64_t *prev_completed, uint64_t *prev_ns)
{
    hist_reset(scratch);
    uint64_t completed = 0, errors = 0, open = 0;
    for (uint32_t i = 0; i < run->nworkers; i++) {
        take(&run->workers[i], scratch, final);
        completed += run->workers[i].main_completed;
        errors += run->workers[i].main_errors;
        open += run->workers[i].main_open;
    }
    if (!f) return;
    double dt = (double)(now - *prev_ns) / 1e9;
    double rps = dt > 0 ? (double)(completed - *prev_completed) / dt : 0;
    fprintf(f, "%.3f,%llu,%llu,%llu,%.1f,%lld,%lld\n", (double)(now - run->start_ns) / 1e9,
            (unsigned long long)open, (unsigned long long)completed, (unsigned long long)errors,
            rps, (long long)hist_percentile(scratch, 50), (long long)hist_percentile(scratch, 99));
    fflush(f);
    *prev_completed = completed;
    *prev_ns = now;
}
