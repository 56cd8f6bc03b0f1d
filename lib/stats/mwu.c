/* stats/mwu: the two-sided Mann-Whitney U (Wilcoxon rank-sum) test. Exact
 * permutation distribution of the (mid)rank sum up to STATS_MWU_EXACT_MAX
 * values in all, ties included; normal approximation with tie and continuity
 * correction above. Try: meson test -C build --suite compare stats_mwu */
#include "stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

struct mwu_obs {
    double v;
    int in_a;
};

static int cmp_obs(const void *pa, const void *pb)
{
    const struct mwu_obs *a = pa, *b = pb;
    return (a->v > b->v) - (a->v < b->v);
}

/* Doubled midranks (integers: 2..2N) of the pooled, sorted sample; returns
 * the tie term sum(t^3 - t) for the normal approximation. */
static double midranks2(const struct mwu_obs *o, size_t n, long *r2)
{
    double ties = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && o[j + 1].v == o[i].v)
            j++;
        long mid2 = (long)(i + 1) + (long)(j + 1); /* 2 x mean of ranks i+1..j+1 */
        for (size_t k = i; k <= j; k++)
            r2[k] = mid2;
        double t = (double)(j - i + 1);
        ties += t * t * t - t;
        i = j + 1;
    }
    return ties;
}

/* Exact: count the ways to pick na of the N values with each doubled
 * rank sum (dynamic programming over values, sizes and sums). */
static double exact_p(const long *r2, size_t n, size_t na, long obs2)
{
    long maxsum = 0, reach = 0; /* r2 ascends: the largest sum takes the last na */
    for (size_t i = n - na; i < n; i++)
        maxsum += r2[i];
    size_t width = (size_t)maxsum + 1;
    double *w = calloc((na + 1) * width, sizeof *w);
    if (!w) return NAN;
    w[0] = 1;
    for (size_t i = 0; i < n; i++) {
        reach += r2[i]; /* no subset of the first i+1 values sums higher */
        long hi = reach < maxsum ? reach : maxsum;
        size_t top = i + 1 < na ? i + 1 : na;
        size_t low = na + i + 1 > n ? na + i + 1 - n : 1; /* still able to reach na */
        for (size_t k = top; k >= low && k >= 1; k--)
            for (long s = hi; s >= r2[i]; s--)
                w[k * width + (size_t)s] += w[(k - 1) * width + (size_t)(s - r2[i])];
    }
    double mean2 = (double)na * (double)(n + 1); /* E[doubled rank sum] */
    double dev = fabs((double)obs2 - mean2), hit = 0, all = 0;
    for (long s = 0; s <= maxsum; s++) {
        double c = w[na * width + (size_t)s];
        all += c;
        if (fabs((double)s - mean2) >= dev - 1e-9) hit += c;
    }
    free(w);
    return fmin(1, hit / all);
}

static double normal_p(double ranksum_a, size_t na, size_t nb, double ties)
{
    double n = (double)(na + nb);
    double u = ranksum_a - (double)na * ((double)na + 1) / 2;
    double mu = (double)na * (double)nb / 2;
    double var = (double)na * (double)nb / 12 * ((n + 1) - ties / (n * (n - 1)));
    if (!(var > 0)) return 1;
    double z = (fabs(u - mu) - 0.5) / sqrt(var);
    if (z < 0) z = 0;
    return fmin(1, erfc(z / M_SQRT2));
}

double stats_mwu_p(const double *a, size_t na, const double *b, size_t nb)
{
    if (na == 0 || nb == 0) return NAN;
    size_t n = na + nb;
    struct mwu_obs *o = malloc(n * sizeof *o);
    long *r2 = malloc(n * sizeof *r2);
    double p = NAN;
    if (!o || !r2) goto out;
    for (size_t i = 0; i < na; i++)
        o[i] = (struct mwu_obs){a[i], 1};
    for (size_t i = 0; i < nb; i++)
        o[na + i] = (struct mwu_obs){b[i], 0};
    qsort(o, n, sizeof *o, cmp_obs);
    double ties = midranks2(o, n, r2);
    long obs2 = 0;
    for (size_t i = 0; i < n; i++)
        if (o[i].in_a) obs2 += r2[i];
    if (n <= STATS_MWU_EXACT_MAX)
        p = exact_p(r2, n, na, obs2);
    else
        p = normal_p((double)obs2 / 2, na, nb, ties);
out:
    free(o);
    free(r2);
    return p;
}

double stats_mwu_min_p(size_t na, size_t nb)
{
    if (na == 0 || nb == 0) return 1;
    /* the most extreme arrangement: all of a below all of b (or above) */
    double lc = lgamma((double)(na + nb) + 1) - lgamma((double)na + 1) - lgamma((double)nb + 1);
    return fmin(1, 2 * exp(-lc));
}
