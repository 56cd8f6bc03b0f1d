/* stats/holm: Holm-Bonferroni step-down adjustment of a family of p-values.
 * Try: meson test -C build --suite compare stats_holm */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

struct holm_item {
    double p;
    size_t idx;
};

static int cmp_item(const void *pa, const void *pb)
{
    const struct holm_item *a = pa, *b = pb;
    if (a->p != b->p) return (a->p > b->p) - (a->p < b->p);
    return (a->idx > b->idx) - (a->idx < b->idx);
}

void stats_holm(double *p, size_t n)
{
    if (n == 0) return;
    struct holm_item *it = malloc(n * sizeof *it);
    if (!it) {
        /* no memory: plain Bonferroni is never less conservative than Holm */
        for (size_t i = 0; i < n; i++)
            p[i] = fmin(1, p[i] * (double)n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        it[i] = (struct holm_item){p[i], i};
    qsort(it, n, sizeof *it, cmp_item);
    double run = 0;
    for (size_t j = 0; j < n; j++) {
        double adj = fmin(1, (double)(n - j) * it[j].p);
        run = fmax(run, adj); /* step-down: adjusted p-values never decrease */
        p[it[j].idx] = run;
    }
    free(it);
}
