/* hosts books wire: one phase of the memory books (measure/books.h) of the
 * server's side as JSON, read on the server's host by `c10k probe` and taken
 * in by the harness: the group's parts, MemFree, MemAvailable, the per-CPU
 * free lists, the counted meminfo kinds, /proc/slabinfo.
 *   try: tests/hosts/test-multihost.sh build/harness/c10k scripts/netns-lab.sh */
#include "hosts/hosts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PARTS_N (sizeof(struct memcg_parts) / sizeof(double))

json_t *hosts_books_json(const struct books *b, enum books_phase ph)
{
    const double *parts = (const double *)&b->p[BOOKS_SERVER][ph];
    const struct books_slab *sl = b->slab[ph];
    json_t *p = json_array(), *slab = json_object();
    for (size_t i = 0; i < PARTS_N; i++)
        json_array_append_new(p, json_real(parts[i]));
    for (size_t i = 0; sl && i < sl->n; i++)
        json_object_set_new(slab, sl->name[i], json_pack("[f,f]", sl->objs[i], sl->size[i]));
    return json_pack("{s:b, s:f, s:f, s:f, s:f, s:o, s:o}", "have", b->have[ph], "memfree",
                     b->memfree[ph], "available", b->available[ph], "pcp", b->pcp[ph], "counted",
                     b->counted[ph], "parts", p, "slab", slab);
}

int hosts_books_take(struct books *b, enum books_phase ph, const json_t *j)
{
    double *parts = (double *)&b->p[BOOKS_SERVER][ph];
    json_t *p = json_object_get(j, "parts"), *slab = json_object_get(j, "slab"), *v;
    struct books_slab *sl = calloc(1, sizeof *sl);
    const char *name;
    if (!sl || json_array_size(p) != PARTS_N || !json_is_object(slab)) {
        free(sl);
        return -EINVAL;
    }
    for (size_t i = 0; i < PARTS_N; i++)
        parts[i] = json_number_value(json_array_get(p, i));
    json_object_foreach(slab, name, v)
    {
        if (sl->n == BOOKS_SLAB_MAX) break;
        snprintf(sl->name[sl->n], sizeof sl->name[0], "%s", name);
        sl->objs[sl->n] = json_number_value(json_array_get(v, 0));
        sl->size[sl->n++] = json_number_value(json_array_get(v, 1));
    }
    free(b->slab[ph]);
    b->slab[ph] = sl;
    b->memfree[ph] = json_number_value(json_object_get(j, "memfree"));
    b->available[ph] = json_number_value(json_object_get(j, "available"));
    b->pcp[ph] = json_number_value(json_object_get(j, "pcp"));
    b->counted[ph] = json_number_value(json_object_get(j, "counted"));
    b->have[ph] = json_is_true(json_object_get(j, "have"));
    return 0;
}
