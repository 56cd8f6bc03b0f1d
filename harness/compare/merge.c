/* compare/merge: a folder of results folders (one single-trial sweep each, as
 * scripts/ci-compare.sh writes them, ABAB) read as one run whose points hold
 * the trials of all of them. Try: c10k compare ci/base ci/new */
#include "cmp.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int not_hidden(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* Adds the trials of p to the merged point with the same identity, or adds p. */
static int merge_point(struct cmp_run *run, const struct cmp_point *p)
{
    struct cmp_point *m = NULL;
    for (size_t i = 0; i < run->npts && !m; i++)
        if (cmp_point_same(&run->pts[i], p)) m = &run->pts[i];
    if (!m) {
        struct cmp_point *pts = realloc(run->pts, (run->npts + 1) * sizeof *pts);
        if (!pts) return -ENOMEM;
        run->pts = pts;
        m = &pts[run->npts++];
        *m = *p;
        m->doc = p->doc ? json_deep_copy(p->doc) : NULL;
        return p->doc && !m->doc ? -ENOMEM : cmp_point_refill(m);
    }
    if (!p->doc) return 0;
    if (!m->doc) {
        m->doc = json_deep_copy(p->doc);
        return m->doc ? cmp_point_refill(m) : -ENOMEM;
    }
    json_t *trials = json_object_get(m->doc, "trials");
    if (json_array_extend(trials, json_object_get(p->doc, "trials")) < 0) return -ENOMEM;
    for (size_t i = 0; i < json_array_size(trials); i++) /* renumber 0..n-1 */
        json_object_set_new(json_array_get(trials, i), "trial", json_integer((json_int_t)i));
    /* the worst status of the runs: broken > flagged > ok */
    if (p->status && !cmp_status_broken(m->status) && strcmp(p->status, "ok") != 0) {
        json_object_set(m->doc, "status", json_object_get(p->doc, "status"));
        json_object_set(m->doc, "reason", json_object_get(p->doc, "reason"));
    }
    return cmp_point_refill(m);
}

static int merge_sub(struct cmp_run *run, const struct cmp_run *sub)
{
    int rc = 0;
    for (size_t i = 0; i < sub->npts && rc == 0; i++)
        rc = merge_point(run, &sub->pts[i]);
    if (!run->commit) run->commit = sub->commit;
    return rc;
}

static int load_sub(struct cmp_run *run, const char *name)
{
    char *path = NULL;
    if (asprintf(&path, "%s/%s", run->dir, name) < 0) return -ENOMEM;
    struct cmp_run *subs = realloc(run->subs, (run->nsubs + 1) * sizeof *subs);
    int rc = -ENOMEM;
    if (!subs) goto out;
    run->subs = subs;
    rc = 0;
    if (!cmp_is_run(path)) goto out; /* a stray file or folder: not a run */
    run->subpaths[run->nsubs] = path;
    rc = cmp_run_load(&subs[run->nsubs], path);
    if (rc == 0) rc = merge_sub(run, &subs[run->nsubs]);
    run->nsubs++;
    return rc;
out:
    free(path);
    return rc;
}

int cmp_run_merge(struct cmp_run *run)
{
    struct dirent **names;
    int n = scandir(run->dir, &names, not_hidden, alphasort);
    if (n < 0) return -errno;
    int rc = 0;
    run->merged = true;
    run->subpaths = calloc((size_t)n + 1, sizeof *run->subpaths);
    if (!run->subpaths) rc = -ENOMEM;
    for (int i = 0; i < n; i++) {
        if (rc == 0) rc = load_sub(run, names[i]->d_name);
        free(names[i]);
    }
    free(names);
    if (rc == 0 && run->nsubs == 0) {
        fprintf(stderr, "c10k compare: %s: no manifest.json, no points/ and no results folders\n",
                run->dir);
        rc = -ENOENT;
    }
    return rc;
}
