/* stats/spread: how much repeated measurements of one figure disagree: the
 * coefficient of variation (sample standard deviation / mean). */
#include "stats.h"

#include <math.h>

double stats_cv(const double *v, size_t n)
{
    double sum = 0, ss = 0;
    if (n < 2) return NAN;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    double mean = sum / (double)n;
    if (!(fabs(mean) > 0)) return NAN;
    for (size_t i = 0; i < n; i++)
        ss += (v[i] - mean) * (v[i] - mean);
    return sqrt(ss / (double)(n - 1)) / fabs(mean);
}
