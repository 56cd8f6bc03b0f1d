/* res: the one results model of the harness (docs/results.md): a run folder
 * (manifest.json + points/<id>.json), a folder without a manifest (points/
 * scanned), or a folder of run folders (merged) loaded into one res_run, which
 * status of a point wins, and which trial is valid. compare, plot, report and
 * `c10k sweep --resume` read result files through here only. Prefix res_. */
#ifndef C10K_RES_H
#define C10K_RES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define RES_MANIFEST "manifest.json"

struct res_point {
    const char *id, *model, *scenario, *path; /* borrowed from doc, else entry */
    const char *status, *reason;              /* by the rule of res_point_status */
    long long connections, rate;
    json_t *doc;         /* points/<id>.json (owned), NULL when absent or unreadable */
    const json_t *entry; /* its manifest entry (borrowed), NULL without a manifest */
    size_t trials, valid;
    char flags[256]; /* the distinct flags of its trials, ", " separated */
};

struct res_run {
    char *dir;
    json_t *manifest;           /* NULL when the folder has none */
    const json_t *env, *config; /* borrowed from manifest, may be NULL */
    const char *commit;         /* best effort, may be NULL */
    struct res_point *pts;      /* manifest order (or file name order) */
    size_t n;
    bool merged; /* a folder of runs: subs hold them, pts their merged points */
    struct res_run *subs;
    size_t nsubs;
};

enum res_load_flags {
    RES_NEED_MANIFEST = 1, /* no manifest.json: an error (plot, report, resume) */
    RES_LENIENT = 2,       /* a bad point file leaves doc NULL; a point without an
                            * identity is left out (else both are errors) */
};

/* Loads dir into run. On error fills err (one line naming the file) and
 * returns -ENOENT, -EINVAL or -ENOMEM; run is then empty. */
int res_run_load(struct res_run *run, const char *dir, unsigned flags, char *err, size_t cap);
void res_run_free(struct res_run *run);
/* true when dir has a manifest.json or a points/ folder */
bool res_is_run(const char *dir);
/* DIR/manifest.json into buf (the writer's path too). */
const char *res_manifest_path(const char *dir, char *buf, size_t cap);

/* The first point of (model, scenario, connections); NULL if none. */
const struct res_point *res_find(const struct res_run *run, const char *model, const char *scenario,
                                 long long connections);
const struct res_point *res_find_id(const struct res_run *run, const char *id);

/* Which status wins: the manifest entry's, unless it is missing or "pending"
 * while the point file has one (the harness stopped between writing the point
 * and the manifest); else the point file's; else "pending". The reason comes
 * from where the status came from, else from the other. */
void res_point_status(struct res_point *p);
/* Fills identity, status, trial counts and flags of p from p->doc / p->entry. */
void res_point_refill(struct res_point *p);

/* A trial is valid when its "valid" is true (older files: when it has no flags). */
bool res_trial_valid(const json_t *trial);
/* The trial a single-trial view uses: the first valid one, else trial 0. */
const json_t *res_point_trial(const struct res_point *p);
/* Values of metric over p's trials (valid ones only when valid_only), finite
 * only; the count, at most cap. */
size_t res_point_values(const struct res_point *p, const char *metric, bool valid_only, double *out,
                        size_t cap);
/* The point's summary value (which: "median", "min", "max") of metric, or NAN. */
double res_point_summary(const struct res_point *p, const char *which, const char *metric);
/* Same model, connections, rate and scenario (the id without the path). */
bool res_point_same(const struct res_point *a, const struct res_point *b);

bool res_status_is(const char *status, const char *want);
/* unavailable, unsupported, pending: not measured here by design */
bool res_status_unmeasured(const char *status);

/* internal: run.c calls merge.c for a folder of runs */
int res__merge(struct res_run *run, unsigned flags, char *err, size_t cap);

#endif
