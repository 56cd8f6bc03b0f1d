/* stats: order statistics and the tests c10k compare and the harness summary
 * use: median, quantiles, a distribution-free CI of the median, the two-sided
 * Mann-Whitney U test and Holm-Bonferroni. Functions that sort do so in place. */
#ifndef C10K_STATS_H
#define C10K_STATS_H

#include <stddef.h>

/* Sorts v ascending (NaNs are not allowed). */
void stats_sort(double *v, size_t n);
/* Median of v (sorted in place); NAN when n == 0. */
double stats_median(double *v, size_t n);
/* Linear-interpolated quantile q in [0,1] of an ascending array; NAN when n == 0. */
double stats_quantile_sorted(const double *sorted, size_t n, double q);
/* Distribution-free confidence interval of the median at level conf (0.95)
 * from order statistics (binomial). Sorts v. Returns 0, or -EDOM when n is too
 * small for that level (then *lo and *hi are the min and max). */
int stats_median_ci(double *v, size_t n, double conf, double *lo, double *hi);
/* Two-sided p-value of the Mann-Whitney U test of a vs b: the exact
 * permutation distribution of the midrank sum (ties included) when
 * na + nb <= STATS_MWU_EXACT_MAX, the normal approximation with tie and
 * continuity correction otherwise. Returns NAN when either sample is empty
 * (or memory ran out). */
double stats_mwu_p(const double *a, size_t na, const double *b, size_t nb);
/* The smallest two-sided p-value the test can reach with these sizes (so a
 * caller can say "too few samples" instead of guessing). */
double stats_mwu_min_p(size_t na, size_t nb);
/* Holm-Bonferroni: replaces p[i] by its adjusted p-value (monotone, <= 1).
 * NaNs are not allowed: leave untested cells out of the family. */
void stats_holm(double *p, size_t n);

/* Added by the compare issue. */
#define STATS_MWU_EXACT_MAX 64
/* The 1-based rank k of the median CI [x_(k), x_(n+1-k)] at level conf; 0
 * when n is too small for that level. */
size_t stats_median_ci_rank(size_t n, double conf);

/* Added by the noise issue: the coefficient of variation of v (sample standard
 * deviation / |mean|); NAN with fewer than 2 values or a zero mean. */
double stats_cv(const double *v, size_t n);

#endif
