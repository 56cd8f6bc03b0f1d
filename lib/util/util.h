/* util: small helpers shared by every c10k binary: the monotonic clock and
 * parsing of numbers with units (10k, 30s, 500ms, 64KiB). No allocation. */
#ifndef C10K_UTIL_H
#define C10K_UTIL_H

#include <stdint.h>
#include <time.h>

#define UTIL_NS_PER_US 1000ull
#define UTIL_NS_PER_MS 1000000ull
#define UTIL_NS_PER_S 1000000000ull

/* CLOCK_MONOTONIC in nanoseconds: the only clock used for timing. */
static inline uint64_t util_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * UTIL_NS_PER_S + (uint64_t)ts.tv_nsec;
}

/* Each parser returns 0 and stores the value, or -EINVAL (syntax, unknown
 * unit) or -ERANGE (outside [min, max]). Whitespace is not accepted. */

/* Plain or SI count: "100", "10k" (10,000), "1.5M", "2G". */
int util_parse_count(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* Duration to nanoseconds: "250us", "500ms", "10s", "2m", "1h"; a bare number
 * is taken in default_unit_ns (for instance UTIL_NS_PER_S). */
int util_parse_duration_ns(const char *s, uint64_t default_unit_ns, uint64_t min_ns,
                           uint64_t max_ns, uint64_t *out);

/* Byte size: "4096", "64k"/"64KiB" (x1024), "8M"/"8MiB", "1G"/"1GiB". */
int util_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* Formats ns as a short human string ("1.23ms", "850us", "2.5s") into buf. */
const char *util_fmt_duration(uint64_t ns, char *buf, size_t cap);

#endif
