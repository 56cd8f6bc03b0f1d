/* res run: loads a results folder (docs/results.md) once for every reader:
 * manifest.json and the points/<id>.json it lists; without a manifest, every
 * point file in points/; a folder of run folders merged (merge.c).
 *   try: c10k compare --assert 'errors==0' tests/data/results-small */
#include "res.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int fail(char *err, size_t cap, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t cap, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
    return rc;
}

const char *res_manifest_path(const char *dir, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/" RES_MANIFEST, dir);
    return buf;
}

/* A JSON object whose schema starts with prefix ("c10k-point/"), or NULL with err. */
static json_t *load_json(const char *path, const char *prefix, char *err, size_t cap)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    if (!doc) {
        if (jerr.line > 0)
            fail(err, cap, 0, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
        else
            fail(err, cap, 0, "%s: %s", path, jerr.text);
        return NULL;
    }
    const char *schema = json_string_value(json_object_get(doc, "schema"));
    if (!json_is_object(doc) || !schema || strncmp(schema, prefix, strlen(prefix))) {
        fail(err, cap, 0, "%s: not a %s1 file (schema: %s)", path, prefix,
             schema ? schema : "missing");
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/* 0 point loaded, 1 left out (lenient, no identity), <0 error. */
static int point_load(struct res_point *p, const char *dir, const char *file, unsigned flags,
                      char *err, size_t cap)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, file ? file : "");
    if (file && stat(path, &st) == 0) {
        p->doc = load_json(path, "c10k-point/", err, cap);
        if (!p->doc && !(flags & RES_LENIENT)) return -EINVAL;
    }
    res_point_refill(p);
    if (p->id && p->model && p->scenario && p->connections >= 0 && p->rate >= 0) return 0;
    if (flags & RES_LENIENT) {
        json_decref(p->doc);
        *p = (struct res_point){0};
        return 1;
    }
    return fail(err, cap, -EINVAL, "%s: a point lacks id, model, connections, rate or scenario",
                file ? path : dir);
}

static int load_from_manifest(struct res_run *run, unsigned flags, char *err, size_t cap)
{
    const json_t *pts = json_object_get(run->manifest, "points");
    run->pts = calloc(json_array_size(pts) + 1, sizeof *run->pts);
    if (!run->pts) return fail(err, cap, -ENOMEM, "out of memory");
    for (size_t i = 0; i < json_array_size(pts); i++) {
        struct res_point *p = &run->pts[run->n];
        p->entry = json_array_get(pts, i);
        int rc = point_load(p, run->dir, json_string_value(json_object_get(p->entry, "file")),
                            flags, err, cap);
        if (rc < 0) return rc;
        run->n += rc == 0;
    }
    return 0;
}

static int is_json_file(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* A well-formed JSON file that is not a point (the per-trial <id>-t<k>.load.json
 * lives in points/ too): skipped when scanning. Malformed files are not skipped. */
static bool foreign_json(const char *dir, const char *file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    json_t *doc = json_load_file(path, 0, NULL);
    const char *schema = json_string_value(json_object_get(doc, "schema"));
    bool foreign = doc && !(schema && strncmp(schema, "c10k-point/", 11) == 0);
    json_decref(doc);
    return foreign;
}

static int load_from_points_dir(struct res_run *run, unsigned flags, char *err, size_t cap)
{
    char path[4096], rel[320];
    struct dirent **names;
    snprintf(path, sizeof path, "%s/points", run->dir);
    int n = scandir(path, &names, is_json_file, alphasort), rc = 0;
    if (n < 0)
        return fail(err, cap, -ENOENT, "%s: no " RES_MANIFEST " and no points/ folder", run->dir);
    run->pts = calloc((size_t)n + 1, sizeof *run->pts);
    if (!run->pts) rc = fail(err, cap, -ENOMEM, "out of memory");
    for (int i = 0; i < n; i++) {
        snprintf(rel, sizeof rel, "points/%.300s", names[i]->d_name);
        if (rc == 0 && !foreign_json(run->dir, rel)) {
            rc = point_load(&run->pts[run->n], run->dir, rel, flags, err, cap);
            run->n += rc == 0;
            rc = rc > 0 ? 0 : rc;
        }
        free(names[i]);
    }
    free(names);
    return rc;
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

static int manifest_load(struct res_run *run, const char *path, unsigned flags, char *err,
                         size_t cap)
{
    run->manifest = load_json(path, "c10k-manifest/", err, cap);
    if (!run->manifest) return -EINVAL;
    if (!json_is_array(json_object_get(run->manifest, "points")))
        return fail(err, cap, -EINVAL, "%s: not a c10k-manifest/1 file (no \"points\" array)",
                    path);
    run->env = json_object_get(run->manifest, "env");
    run->config = json_object_get(run->manifest, "config");
    run->commit = find_commit(run->manifest);
    return load_from_manifest(run, flags, err, cap);
}

static int load(struct res_run *run, const char *dir, unsigned flags, char *err, size_t cap)
{
    char path[4096];
    struct stat st;
    if (!run->dir) return fail(err, cap, -ENOMEM, "out of memory");
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return fail(err, cap, -ENOENT, "%s: not a results folder (%s)", dir,
                    strerror(errno ? errno : ENOTDIR));
    res_manifest_path(dir, path, sizeof path);
    if (stat(path, &st) == 0) return manifest_load(run, path, flags, err, cap);
    if (flags & RES_NEED_MANIFEST) return fail(err, cap, -ENOENT, "%s: missing", path);
    return res_is_run(dir) ? load_from_points_dir(run, flags, err, cap)
                           : res__merge(run, flags, err, cap);
}

int res_run_load(struct res_run *run, const char *dir, unsigned flags, char *err, size_t cap)
{
    *run = (struct res_run){.dir = strdup(dir)};
    int rc = load(run, dir, flags, err, cap);
    if (rc < 0) res_run_free(run);
    return rc;
}

bool res_is_run(const char *dir)
{
    char path[4096];
    struct stat st;
    if (stat(res_manifest_path(dir, path, sizeof path), &st) == 0) return true;
    snprintf(path, sizeof path, "%s/points", dir);
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void res_run_free(struct res_run *run)
{
    for (size_t i = 0; i < run->nsubs; i++)
        res_run_free(&run->subs[i]);
    free(run->subs);
    for (size_t i = 0; i < run->n; i++)
        json_decref(run->pts[i].doc);
    free(run->pts);
    json_decref(run->manifest);
    free(run->dir);
    *run = (struct res_run){0};
}

const struct res_point *res_find(const struct res_run *run, const char *model, const char *scenario,
                                 long long connections)
{
    for (size_t i = 0; i < run->n; i++) {
        const struct res_point *p = &run->pts[i];
        if (p->connections == connections && !strcmp(p->model, model) &&
            !strcmp(p->scenario, scenario))
            return p;
    }
    return NULL;
}

const struct res_point *res_find_id(const struct res_run *run, const char *id)
{
    for (size_t i = 0; i < run->n; i++)
        if (strcmp(run->pts[i].id, id) == 0) return &run->pts[i];
    return NULL;
}
