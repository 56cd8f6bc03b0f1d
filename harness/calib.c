/* calib: the machine's own noise at the start of a sweep (harness/calib.h):
 * 40 runs of the same CPU work (their time's coefficient of variation is what
 * a CPU-bound figure can at best repeat to) and 40 sleeps of 1 ms (how late
 * the scheduler wakes a thread). Try: c10k sweep ... ; jq .calibration DIR/manifest.json */
#include "calib.h"

#include <stats.h>
#include <stdio.h>
#include <time.h>
#include <util.h>

#define CALIB_RUNS 40

static volatile uint64_t calib_sink;

static void calib_work(uint64_t iters)
{
    uint64_t x = 88172645463325252ull;
    for (uint64_t i = 0; i < iters; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    calib_sink = x;
}

/* Iterations that take about 2 ms here (the fastest of a few tries). */
static uint64_t calib_iters(void)
{
    uint64_t best = UINT64_MAX, iters = 100000;
    for (int i = 0; i < 5; i++) {
        uint64_t t0 = util_mono_ns();
        calib_work(iters);
        uint64_t dt = util_mono_ns() - t0;
        if (dt < best) best = dt;
    }
    return best ? iters * 2 * UTIL_NS_PER_MS / best : iters;
}

static double loadavg_1m(void)
{
    double l = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &l) != 1) l = -1;
        fclose(f);
    }
    return l;
}

json_t *hn_calibrate(void)
{
    double spin[CALIB_RUNS], late[CALIB_RUNS];
    uint64_t iters = calib_iters();
    for (int i = 0; i < CALIB_RUNS; i++) {
        uint64_t t0 = util_mono_ns();
        calib_work(iters);
        spin[i] = (double)(util_mono_ns() - t0) / 1e6;
    }
    for (int i = 0; i < CALIB_RUNS; i++) {
        struct timespec ts = {0, 1000000};
        uint64_t t0 = util_mono_ns();
        nanosleep(&ts, NULL);
        late[i] = (double)(util_mono_ns() - t0) / 1e3 - 1000.0;
    }
    double cv = 100.0 * stats_cv(spin, CALIB_RUNS);
    double med = stats_median(spin, CALIB_RUNS); /* sorts spin */
    double late_p50 = stats_median(late, CALIB_RUNS);
    return json_pack("{s:i,s:f,s:f,s:f,s:f,s:f,s:f}", "spin_runs", CALIB_RUNS, "spin_ms_median",
                     med, "spin_cv_pct", cv, "spin_max_over_min",
                     spin[0] > 0 ? spin[CALIB_RUNS - 1] / spin[0] : 0.0, "sleep_1ms_late_us_p50",
                     late_p50, "sleep_1ms_late_us_max", late[CALIB_RUNS - 1], "loadavg_1m",
                     loadavg_1m());
}
