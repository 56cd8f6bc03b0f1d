/* hn point: one measured point, its JSON (c10k-point/1), the summary of
 * its trials and summary.csv (point.c, summary.c). Prefix hn_. */
#ifndef C10K_HN_POINT_H
#define C10K_HN_POINT_H

#include "config.h"
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct hn_point {
    char id[160];
    char model[32];
    uint64_t conns, rate;
    char scenario[32];
    char path[512];
    char status[16];           /* ok flagged broken unavailable unsupported pending */
    char reason[512];
    json_t *trials;            /* array of trial objects */
};

void hn_point_init(struct hn_point *pt, const char *model, uint64_t conns, uint64_t rate,
                   const struct hn_scenario *sc);
json_t *hn_point_json(const struct hn_point *pt);
/* Sets pt->status from its trials ("ok" / "flagged"), unless already broken. */
void hn_point_finish(struct hn_point *pt);

/* summary.csv of every point (the layout of docs/results.md). */
int hn_summary_write(const char *dir, const struct hn_point *pts, size_t n);
/* Median/min/max over a point's trials (valid ones when there are any). */
json_t *hn_point_summary(const json_t *trials);

#endif
