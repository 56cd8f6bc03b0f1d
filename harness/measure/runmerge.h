/* runmerge: the trial's files merged from several c10k-load runs (runners.h).
 * Prefix runmerge_. */
#ifndef C10K_HN_RUNMERGE_H
#define C10K_HN_RUNMERGE_H

#include <jansson.h>

/* From bases[i].{load.json,hlog,series.csv,load.stderr} writes out.load.json,
 * out.hgrm, out.hlog, out.series.csv and out.load.stderr. 0, or -ENOENT when
 * no run left a JSON (the other files are still written), -ENOMEM, -EIO. */
int runmerge_files(const char *const *bases, unsigned n, const char *out);
/* The c10k-load/1 JSONs of several runs as one (NULLs skipped): counters
 * summed, times and fractions the largest, histogram objects (*_us) the worst
 * run's field by field with counts summed, strings the first run's. NULL when
 * none. The caller replaces the histograms it can add exactly. */
json_t *runmerge_json(json_t *const *loads, unsigned n);

#endif
