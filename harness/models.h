/* hn models: the server models of this build and c10k-load's path (models.c). Prefix hn_. */
#ifndef C10K_HN_MODELS_H
#define C10K_HN_MODELS_H

#include <stdbool.h>
#include <stddef.h>

#define HN_MAX_MODELS 32

struct hn_model {
    char name[32];
    char path[4096];
    bool available;
    char reason[160];          /* why not available */
};

/* Fills m with the models of this build (the `servers` dict of meson, with
 * C10K_BUILD_DIR and C10K_MODELS_EXTRA="name=path,..." applied). Returns the
 * count (at most cap). Availability is checked. */
size_t hn_models_list(struct hn_model *m, size_t cap);
/* Looks one model up by name; -ENOENT when unknown. */
int hn_model_find(const char *name, struct hn_model *out);
/* NULL when the model serves path, else why not (nginx: only "/"). */
const char *hn_model_unsupported(const char *model, const char *path);
/* The c10k-load binary (C10K_LOAD, C10K_BUILD_DIR or the build's). */
const char *hn_loadgen_path(char *buf, size_t cap);

#endif
