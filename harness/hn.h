/* hn: every module header of the c10k harness at once (models, env, config,
 * probe, proc, metrics, point, store, sweep, json). New code includes the
 * module headers it uses; this umbrella is for the verbs' entry points. */
#ifndef C10K_HN_H
#define C10K_HN_H

#include "config.h"
#include "env.h"
#include "json.h"
#include "metrics.h"
#include "models.h"
#include "point.h"
#include "probe.h"
#include "proc.h"
#include "results/metric.h"
#include "results/res.h"
#include "store.h"
#include "sweep.h"

#endif
