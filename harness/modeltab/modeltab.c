/* mt: lookups over the model table that meson generates into mt_rows.h (MT_ROWS).
 *   try: build/harness/c10k models --json (name, class, language of each model) */
#include "modeltab.h"

#include "mt_rows.h"

#include <string.h>

static const struct mt_model mt_rows[] = {MT_ROWS};

const struct mt_model *mt_at(size_t i)
{
    return i < sizeof mt_rows / sizeof mt_rows[0] ? &mt_rows[i] : NULL;
}

const struct mt_model *mt_find(const char *name)
{
    const struct mt_model *m;
    for (size_t i = 0; (m = mt_at(i)) != NULL; i++)
        if (strcmp(m->name, name) == 0) return m;
    return NULL;
}

bool mt_is(const char *name, unsigned classes)
{
    const struct mt_model *m = mt_find(name);
    return m && (m->cls & classes);
}

size_t mt_select(unsigned classes, const char **names, size_t cap)
{
    const struct mt_model *m;
    size_t n = 0;
    for (size_t i = 0; (m = mt_at(i)) != NULL && n < cap; i++)
        if (m->cls & classes) names[n++] = m->name;
    return n;
}
