/* mt: the model table of this project, one row per server model it knows (built here
 * or not): name, binary, class, language, the requests it serves. Generated from
 * meson's model_table; docs/models.md "Adding a model". Prefix mt_. */
#ifndef C10K_MODELTAB_H
#define C10K_MODELTAB_H

#include <stdbool.h>
#include <stddef.h>

/* How a model holds its connections; bits, so that callers can ask for several. */
enum mt_class {
    MT_THREAD = 1,     /* a thread per connection */
    MT_PROCESS = 2,    /* a process per connection (a pool of forked workers) */
    MT_EVENT_LOOP = 4, /* many connections per thread, readiness or completion events */
};
#define MT_PER_CONN (MT_THREAD | MT_PROCESS)
#define MT_MAX_MODELS 64 /* ample for mt_select's names */

struct mt_model {
    const char *name;
    const char *binary; /* absolute path in the build folder it was generated for */
    enum mt_class cls;
    const char *class_name; /* "thread", "process", "event-loop" */
    const char *language;   /* "c", "python" */
    const char *serves;     /* NULL: every request of docs/protocol.md; else its one path */
    bool reference;         /* not ours: measured beside ours, left out of our tests */
    bool built;             /* this build has it (else a dependency was missing) */
    bool processes;         /* it takes --processes N (workers sharing the port) */
};

/* Row i in the order of meson's table, NULL past the last. */
const struct mt_model *mt_at(size_t i);
/* The row of name, NULL when the project knows no such model. */
const struct mt_model *mt_find(const char *name);
/* true when name is a known model of one of the classes (a mask of enum mt_class). */
bool mt_is(const char *name, unsigned classes);
/* Fills names with the known models of the classes, in table order; returns the count. */
size_t mt_select(unsigned classes, const char **names, size_t cap);

#endif
