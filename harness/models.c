/* hn models: which server models this build has (the built rows of the model
 * table, modeltab.h), where their binaries are and whether each can run here
 * (binary, io_uring, python3, nginx); `c10k models`.
 *   try: build/harness/c10k models [--json] */
#include "cmd.h"
#include "models.h"
#include "hn_paths.h"
#include "modeltab.h"

#include <errno.h>
#include <jansson.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* path with the build root replaced by $C10K_BUILD_DIR when that is set. */
static void build_path(const char *path, char *out, size_t cap)
{
    const char *bd = getenv("C10K_BUILD_DIR");
    size_t rl = strlen(HN_BUILD_ROOT);
    if (bd && *bd && strncmp(path, HN_BUILD_ROOT, rl) == 0 && path[rl] == '/')
        snprintf(out, cap, "%s%s", bd, path + rl);
    else
        snprintf(out, cap, "%s", path);
}

static bool in_path(const char *prog)
{
    const char *env = getenv("PATH");
    char dirs[4096], *save = NULL, *d;
    snprintf(dirs, sizeof dirs, "%s:/usr/sbin:/sbin", env ? env : "/usr/bin:/bin");
    for (d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        char p[4200];
        snprintf(p, sizeof p, "%s/%s", d, prog);
        if (access(p, X_OK) == 0) return true;
    }
    return false;
}

static const char *uring_reason(void)
{
    struct io_uring_params prm;
    long fd;
    memset(&prm, 0, sizeof prm);
    fd = syscall(__NR_io_uring_setup, 1, &prm);
    if (fd >= 0) {
        close((int)fd);
        return NULL;
    }
    if (errno == ENOSYS) return "io_uring not in this kernel (io_uring_setup: ENOSYS)";
    if (errno == EPERM)
        return "io_uring disabled (io_uring_setup: EPERM, see kernel.io_uring_disabled)";
    return "io_uring_setup failed";
}

static void check(struct hn_model *m)
{
    const char *why = NULL;
    if (access(m->path, X_OK) != 0)
        why = "binary missing (not built)";
    else if (strstr(m->name, "uring"))
        why = uring_reason();
    else if (mt_find(m->name) && !strcmp(mt_find(m->name)->language, "python") &&
             !in_path("python3"))
        why = "python3 missing";
    else if (strcmp(m->name, "nginx") == 0 && !in_path("nginx"))
        why = "nginx not installed";
    m->available = why == NULL;
    snprintf(m->reason, sizeof m->reason, "%s", why ? why : "");
}

static size_t add(struct hn_model *m, size_t n, size_t cap, const char *name, const char *path)
{
    size_t i;
    for (i = 0; i < n && strcmp(m[i].name, name) != 0; i++)
        ;
    if (i == cap) return n;
    snprintf(m[i].name, sizeof m[i].name, "%s", name);
    build_path(path, m[i].path, sizeof m[i].path);
    check(&m[i]);
    return i == n ? n + 1 : n;
}

/* C10K_MODELS_EXTRA="name=path,name2=path2": more (or replaced) models. */
static size_t add_extra(struct hn_model *m, size_t n, size_t cap)
{
    const char *env = getenv("C10K_MODELS_EXTRA");
    char buf[8192], *save = NULL, *tok;
    if (!env) return n;
    snprintf(buf, sizeof buf, "%s", env);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) continue;
        *eq = '\0';
        n = add(m, n, cap, tok, eq + 1);
    }
    return n;
}

size_t hn_models_list(struct hn_model *m, size_t cap)
{
    const struct mt_model *row;
    size_t n = 0;
    for (size_t i = 0; (row = mt_at(i)) != NULL; i++)
        if (row->built) n = add(m, n, cap, row->name, row->binary);
    return add_extra(m, n, cap);
}

int hn_model_find(const char *name, struct hn_model *out)
{
    struct hn_model all[HN_MAX_MODELS];
    size_t n = hn_models_list(all, HN_MAX_MODELS), i;
    for (i = 0; i < n; i++)
        if (strcmp(all[i].name, name) == 0) {
            *out = all[i];
            return 0;
        }
    return -ENOENT;
}

const char *hn_model_unsupported(const char *model, const char *path)
{
    static char why[128];
    const struct mt_model *row = mt_find(model);
    if (!row || !row->serves || strcmp(path, row->serves) == 0) return NULL;
    snprintf(why, sizeof why, "%s serves only the path %s (no query parameters)", model,
             row->serves);
    return why;
}

const char *hn_loadgen_path(char *buf, size_t cap)
{
    const char *env = getenv("C10K_LOAD");
    if (env && *env)
        snprintf(buf, cap, "%s", env);
    else
        build_path(HN_LOADGEN_PATH, buf, cap);
    return buf;
}

static void models_usage(FILE *f)
{
    fprintf(f,
            "usage: c10k models [--json]\n"
            "  lists the server models of this build, their class, binaries and whether each\n"
            "  can run here (and why not). Env: C10K_BUILD_DIR (default %s),\n"
            "  C10K_MODELS_EXTRA=name=path,... adds models.\n",
            HN_BUILD_ROOT);
}

static json_t *models_json(const struct hn_model *m, size_t n)
{
    json_t *a = json_array();
    size_t i;
    for (i = 0; i < n; i++) {
        const struct mt_model *row = mt_find(m[i].name);
        json_array_append_new(a,
                              json_pack("{s:s, s:s, s:s?, s:s?, s:b, s:b, s:s?}", "name", m[i].name,
                                        "path", m[i].path, "class", row ? row->class_name : NULL,
                                        "language", row ? row->language : NULL, "reference",
                                        row && row->reference, "available", m[i].available,
                                        "reason", m[i].available ? NULL : m[i].reason));
    }
    return a;
}

int cmd_models(int argc, char **argv)
{
    struct hn_model m[HN_MAX_MODELS];
    char lg[4096];
    size_t n, i;
    bool as_json = argc == 2 && strcmp(argv[1], "--json") == 0;
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        models_usage(stdout);
        return 0;
    }
    if (argc > 2 || (argc == 2 && !as_json)) {
        fprintf(stderr, "c10k models: unknown option '%s'\n", argv[1]);
        models_usage(stderr);
        return 2;
    }
    n = hn_models_list(m, HN_MAX_MODELS);
    if (as_json) {
        json_t *j = models_json(m, n);
        json_dumpf(j, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(j);
        return 0;
    }
    printf("%-12s %-11s %-10s %s\n", "model", "status", "class", "binary (why not)");
    for (i = 0; i < n; i++) {
        const struct mt_model *row = mt_find(m[i].name);
        printf("%-12s %-11s %-10s %s%s%s%s\n", m[i].name,
               m[i].available ? "available" : "unavailable", row ? row->class_name : "-", m[i].path,
               m[i].available ? "" : " (", m[i].reason, m[i].available ? "" : ")");
    }
    hn_loadgen_path(lg, sizeof lg);
    printf("%-12s %-11s %-10s %s\n", "c10k-load", access(lg, X_OK) == 0 ? "available" : "missing",
           "-", lg);
    return 0;
}
