/* hist_record: the cost of one hist_record, for callgrind. Records N values
 * (argv[1]) spread over 1 us .. 100 s; bench/hist-record.sh runs it twice and
 * divides the difference in instructions by the difference in N. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "hist.h"

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    struct hist h;
    if (hist_init_lab(&h) < 0) return 1;
    uint64_t x = 88172645463325252ull;
    for (long i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        hist_record(&h, (int64_t)(x % 100000000));
    }
    printf("%lld\n", (long long)hist_percentile(&h, 99));
    hist_close(&h);
    return 0;
}
