/* hn sweep: the point loop shared by run and sweep (sweep.c) and its
 * end-of-run table (table.c). Prefix hn_. */
#ifndef C10K_HN_SWEEP_H
#define C10K_HN_SWEEP_H

#include "config.h"
#include "point.h"
#include <jansson.h>
#include <stdbool.h>

int hn_sweep_execute(struct hn_config *c, json_t *command, bool resume, const char *verb);

/* The end-of-run table on stdout (table.c). */
void hn_print_points(const struct hn_point *pts, size_t n);

#endif
