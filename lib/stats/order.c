/* stats/order: sorting, median, quantiles and the distribution-free
 * (binomial order-statistic) confidence interval of the median.
 * Try: meson test -C build --suite compare stats_order */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

void stats_sort(double *v, size_t n)
{
    if (n > 1) qsort(v, n, sizeof *v, cmp_double);
}

double stats_quantile_sorted(const double *sorted, size_t n, double q)
{
    if (n == 0) return NAN;
    if (q <= 0) return sorted[0];
    if (q >= 1) return sorted[n - 1];
    /* Hyndman-Fan type 7 (R's default, numpy's "linear") */
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n) return sorted[n - 1];
    return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

double stats_median(double *v, size_t n)
{
    stats_sort(v, n);
    return stats_quantile_sorted(v, n, 0.5);
}

/* P(B <= k) for B ~ Binomial(n, 1/2), by summing C(n,i)/2^n in log space so
 * that n in the thousands neither overflows nor underflows. */
static double binom_half_cdf(size_t n, size_t k)
{
    double sum = 0;
    for (size_t i = 0; i <= k && i <= n; i++) {
        double lc = lgamma((double)n + 1) - lgamma((double)i + 1) - lgamma((double)(n - i) + 1);
        sum += exp(lc - (double)n * M_LN2);
    }
    return sum;
}

size_t stats_median_ci_rank(size_t n, double conf)
{
    double tail = (1 - conf) / 2;
    size_t k = 0;
    /* the largest k with P(B <= k-1) <= tail: [x_(k), x_(n+1-k)], 1-based */
    while (k + 1 <= n / 2 && binom_half_cdf(n, k) <= tail)
        k++;
    return k;
}

int stats_median_ci(double *v, size_t n, double conf, double *lo, double *hi)
{
    if (n == 0 || !(conf > 0 && conf < 1)) {
        *lo = *hi = NAN;
        return -EDOM;
    }
    stats_sort(v, n);
    size_t k = stats_median_ci_rank(n, conf);
    if (k == 0) {
        *lo = v[0];
        *hi = v[n - 1];
        return -EDOM;
    }
    *lo = v[k - 1];
    *hi = v[n - k];
    return 0;
}
