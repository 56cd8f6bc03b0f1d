/* compare/load: reads a results folder (docs/results.md): manifest.json and
 * the points/<id>.json it lists; without a manifest, every .json in points/.
 * Try: c10k compare results/a results/b */
#include "cmp.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static long long jint(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? (long long)json_number_value(v) : -1;
}

static json_t *load_json(const char *path, const char *schema_prefix)
{
    json_error_t err;
    json_t *doc = json_load_file(path, 0, &err);
    if (!doc) {
        if (err.line > 0)
            fprintf(stderr, "c10k compare: %s:%d:%d: %s\n", path, err.line, err.column, err.text);
        else
            fprintf(stderr, "c10k compare: %s: %s\n", path, err.text);
        return NULL;
    }
    const char *schema = jstr(doc, "schema");
    if (!json_is_object(doc) || !schema || strncmp(schema, schema_prefix, strlen(schema_prefix))) {
        fprintf(stderr, "c10k compare: %s: not a %s1 file (schema: %s)\n", path, schema_prefix,
                schema ? schema : "missing");
        json_decref(doc);
        return NULL;
    }
    return doc;
}

static bool trial_valid(const json_t *trial)
{
    const json_t *v = json_object_get(trial, "valid");
    if (json_is_boolean(v)) return json_is_true(v);
    return json_array_size(json_object_get(trial, "flags")) == 0;
}

/* Fills the identity of p from its point file, else from its manifest entry. */
int cmp_point_refill(struct cmp_point *p)
{
    const json_t *src = p->doc ? p->doc : p->entry;
    p->id = jstr(src, "id");
    p->model = jstr(src, "model");
    p->scenario = jstr(src, "scenario");
    p->path = jstr(src, "path");
    p->status = jstr(src, "status");
    p->reason = jstr(src, "reason");
    p->connections = jint(src, "connections");
    p->rate = jint(src, "rate");
    if (!p->status && p->entry) p->status = jstr(p->entry, "status");
    const json_t *trials = json_object_get(p->doc, "trials");
    p->trials = json_array_size(trials);
    p->valid = 0;
    for (size_t i = 0; i < p->trials; i++)
        p->valid += trial_valid(json_array_get(trials, i));
    return 0;
}

static int point_load(struct cmp_point *p, const char *dir, const char *file)
{
    char path[4096];
    struct stat st;
    if (file) {
        snprintf(path, sizeof path, "%s/%s", dir, file);
        if (stat(path, &st) == 0) {
            p->doc = load_json(path, "c10k-point/");
            if (!p->doc) return -EINVAL;
        }
    }
    cmp_point_refill(p);
    if (!p->id || !p->model || !p->scenario || p->connections < 0 || p->rate < 0) {
        fprintf(stderr,
                "c10k compare: %s: a point lacks id, model, connections, rate or scenario\n",
                file ? path : dir);
        return -EINVAL;
    }
    return 0;
}

static int load_from_manifest(struct cmp_run *run)
{
    const json_t *pts = json_object_get(run->manifest, "points");
    if (!json_is_array(pts)) {
        fprintf(stderr, "c10k compare: %s/manifest.json: no \"points\" array\n", run->dir);
        return -EINVAL;
    }
    run->pts = calloc(json_array_size(pts) + 1, sizeof *run->pts);
    if (!run->pts) return -ENOMEM;
    for (size_t i = 0; i < json_array_size(pts); i++) {
        struct cmp_point *p = &run->pts[run->npts++];
        p->entry = json_array_get(pts, i);
        int rc = point_load(p, run->dir, jstr(p->entry, "file"));
        if (rc < 0) return rc;
    }
    return 0;
}

static int is_point_file(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* A well-formed JSON file that is not a point (the per-trial <id>-t<k>.load.json
 * lives in points/ too): skipped when scanning. Malformed files are not skipped. */
static bool foreign_json(const char *dir, const char *file)
{
    char *path;
    if (asprintf(&path, "%s/%s", dir, file) < 0) return false;
    json_t *doc = json_load_file(path, 0, NULL);
    const char *schema = json_string_value(json_object_get(doc, "schema"));
    bool foreign = doc && !(schema && strncmp(schema, "c10k-point/", 11) == 0);
    json_decref(doc);
    free(path);
    return foreign;
}

static int load_from_points_dir(struct cmp_run *run)
{
    char path[4096];
    struct dirent **names;
    snprintf(path, sizeof path, "%s/points", run->dir);
    int n = scandir(path, &names, is_point_file, alphasort);
    if (n < 0) {
        fprintf(stderr, "c10k compare: %s: no manifest.json and no points/ folder\n", run->dir);
        return -errno;
    }
    int rc = 0;
    run->pts = calloc((size_t)n + 1, sizeof *run->pts);
    for (int i = 0; i < n; i++) {
        if (run->pts && rc == 0) {
            snprintf(path, sizeof path, "points/%s", names[i]->d_name);
            if (!foreign_json(run->dir, path))
                rc = point_load(&run->pts[run->npts++], run->dir, path);
        }
        free(names[i]);
    }
    free(names);
    return run->pts ? rc : -ENOMEM;
}

static const char *find_commit(const json_t *m)
{
    static const char *const paths[][3] = {
        {"git", "commit", NULL},  {"git_commit", NULL, NULL},  {"commit", NULL, NULL},
        {"env", "git", "commit"}, {"env", "git_commit", NULL}, {"env", "commit", NULL},
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        const json_t *v = m;
        for (size_t k = 0; k < 3 && paths[i][k] && v; k++)
            v = json_object_get(v, paths[i][k]);
        if (json_is_string(v)) return json_string_value(v);
    }
    return NULL;
}

int cmp_run_load(struct cmp_run *run, const char *dir)
{
    char path[4096];
    struct stat st;
    *run = (struct cmp_run){.dir = dir};
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "c10k compare: %s: not a results folder (%s)\n", dir,
                strerror(errno ? errno : ENOTDIR));
        return -ENOENT;
    }
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    if (stat(path, &st) != 0)
        return cmp_is_run(dir) ? load_from_points_dir(run) : cmp_run_merge(run);
    run->manifest = load_json(path, "c10k-manifest/");
    if (!run->manifest) return -EINVAL;
    run->commit = find_commit(run->manifest);
    return load_from_manifest(run);
}

bool cmp_is_run(const char *dir)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    if (stat(path, &st) == 0) return true;
    snprintf(path, sizeof path, "%s/points", dir);
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void cmp_run_free(struct cmp_run *run)
{
    for (size_t i = 0; i < run->nsubs; i++) {
        cmp_run_free(&run->subs[i]);
        free(run->subpaths[i]);
    }
    free(run->subs);
    free(run->subpaths);
    for (size_t i = 0; i < run->npts; i++)
        json_decref(run->pts[i].doc);
    free(run->pts);
    json_decref(run->manifest);
    *run = (struct cmp_run){0};
}

size_t cmp_point_values(const struct cmp_point *p, const char *metric, bool valid_only, double *out,
                        size_t cap)
{
    const json_t *trials = json_object_get(p->doc, "trials");
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(trials) && n < cap; i++) {
        const json_t *tr = json_array_get(trials, i);
        if (valid_only && !trial_valid(tr)) continue;
        const json_t *v = json_object_get(json_object_get(tr, "metrics"), metric);
        if (json_is_number(v) && isfinite(json_number_value(v))) out[n++] = json_number_value(v);
    }
    return n;
}

bool cmp_point_same(const struct cmp_point *a, const struct cmp_point *b)
{
    return strcmp(a->model, b->model) == 0 && strcmp(a->scenario, b->scenario) == 0 &&
           a->connections == b->connections && a->rate == b->rate;
}

bool cmp_status_broken(const char *status)
{
    return status && strcmp(status, "broken") == 0;
}

bool cmp_status_unmeasured(const char *status)
{
    return status && (strcmp(status, "unavailable") == 0 || strcmp(status, "unsupported") == 0 ||
                      strcmp(status, "pending") == 0);
}
