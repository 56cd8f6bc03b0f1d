/* res merge: a folder of results folders (one single-trial sweep each, as
 * scripts/ci-compare.sh writes them, ABAB) read as one run whose points hold
 * the trials of all of them.  try: c10k compare ci/base ci/new */
#include "res.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int not_hidden(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* The worst status of the runs wins: a status other than ok replaces one
 * that is not broken (broken > flagged > ok). */
static void status_merge(struct res_point *m, const char *status, const char *reason,
                         const struct res_point *p)
{
    m->status = status;
    m->reason = reason;
    if (p->status && !res_status_is(status, "broken") && !res_status_is(p->status, "ok")) {
        m->status = p->status;
        m->reason = p->reason;
    }
}

static struct res_point *point_add(struct res_run *run, const struct res_point *p)
{
    struct res_point *pts = realloc(run->pts, (run->n + 1) * sizeof *pts);
    if (!pts) return NULL;
    run->pts = pts;
    pts[run->n] = *p;
    pts[run->n].doc = p->doc ? json_deep_copy(p->doc) : NULL;
    if (p->doc && !pts[run->n].doc) return NULL;
    return &pts[run->n++];
}

/* Adds the trials of p to the merged point with the same identity, or adds p. */
static int merge_point(struct res_run *run, const struct res_point *p)
{
    struct res_point *m = NULL;
    for (size_t i = 0; i < run->n && !m; i++)
        if (res_point_same(&run->pts[i], p)) m = &run->pts[i];
    if (!m) return point_add(run, p) ? 0 : -ENOMEM;
    if (!p->doc) return 0;
    const char *status = m->status, *reason = m->reason;
    if (!m->doc) {
        m->doc = json_deep_copy(p->doc);
        if (!m->doc) return -ENOMEM;
        res_point_refill(m);
        return 0;
    }
    json_t *trials = json_object_get(m->doc, "trials");
    if (json_array_extend(trials, json_object_get(p->doc, "trials")) < 0) return -ENOMEM;
    for (size_t i = 0; i < json_array_size(trials); i++) /* renumber 0..n-1 */
        json_object_set_new(json_array_get(trials, i), "trial", json_integer((json_int_t)i));
    res_point_refill(m);
    status_merge(m, status, reason, p);
    return 0;
}

static int load_sub(struct res_run *run, const char *name, unsigned flags, char *err, size_t cap)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", run->dir, name);
    if (!res_is_run(path)) return 0; /* a stray file or folder: not a run */
    struct res_run *subs = realloc(run->subs, (run->nsubs + 1) * sizeof *subs);
    if (!subs) return -ENOMEM;
    run->subs = subs;
    int rc = res_run_load(&subs[run->nsubs], path, flags, err, cap);
    if (rc < 0) return rc;
    const struct res_run *sub = &subs[run->nsubs++];
    for (size_t i = 0; i < sub->n && rc == 0; i++)
        rc = merge_point(run, &sub->pts[i]);
    if (!run->commit) run->commit = sub->commit;
    return rc;
}

int res__merge(struct res_run *run, unsigned flags, char *err, size_t cap)
{
    struct dirent **names;
    int n = scandir(run->dir, &names, not_hidden, alphasort), rc = 0;
    if (n < 0) {
        snprintf(err, cap, "%s: %s", run->dir, strerror(errno));
        return -errno;
    }
    run->merged = true;
    for (int i = 0; i < n; i++) {
        if (rc == 0) rc = load_sub(run, names[i]->d_name, flags, err, cap);
        free(names[i]);
    }
    free(names);
    if (rc == -ENOMEM) snprintf(err, cap, "out of memory");
    if (rc == 0 && run->nsubs == 0) {
        snprintf(err, cap, "%s: no " RES_MANIFEST ", no points/ and no results folders", run->dir);
        rc = -ENOENT;
    }
    return rc;
}
