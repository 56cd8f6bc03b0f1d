/* calib: a short measure of the machine's own noise before a sweep (about
 * 0.2 s): how much a fixed amount of CPU work varies in time, how late a 1 ms
 * sleep wakes, the load average. Recorded in manifest.json "calibration". */
#ifndef C10K_CALIB_H
#define C10K_CALIB_H

#include <jansson.h>

/* {"spin_runs", "spin_ms_median", "spin_cv_pct", "spin_max_over_min", "sleep_1ms_late_us_p50",
 *  "sleep_1ms_late_us_max", "loadavg_1m"}; NULL when out of memory. */
json_t *hn_calibrate(void);

#endif
