/* hist_json: a histogram's summary as JSON, the one layout c10k-load's
 * latency_us objects and the harness's merged ones share:
 * {min, mean, stdev, p50, p90, p99, p999, p9999, max, count, clamped}. */
#ifndef C10K_HIST_JSON_H
#define C10K_HIST_JSON_H

#include <jansson.h>

#include "hist.h"

json_t *hist_json(const struct hist *h);

#endif
