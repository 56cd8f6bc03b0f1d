/* units: numbers with units on command lines ("10k", "30s", "500ms", "64KiB").
 * Try: tests/protocol/test_units (meson test --suite util). */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct unit {
    const char *suffix;
    double mult;
};

static int parse_with(const char *s, const struct unit *units, double bare_mult, double min,
                      double max, uint64_t *out)
{
    /* only digits[.digits] then a unit: strtod alone would also take blanks,
     * signs, hex, exponents, "inf" and "nan" */
    size_t n = s ? strspn(s, "0123456789") : 0;
    if (!n)
        return -EINVAL;
    if (s[n] == '.') {
        size_t frac = strspn(s + n + 1, "0123456789");
        if (!frac)
            return -EINVAL;
        n += 1 + frac;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end != s + n || errno == ERANGE || !isfinite(v))
        return -EINVAL;
    double mult = bare_mult;
    if (*end) {
        const struct unit *u = units;
        while (u->suffix && strcmp(end, u->suffix) != 0)
            u++;
        if (!u->suffix)
            return -EINVAL;
        mult = u->mult;
    }
    double r = v * mult;
    /* a fractional result for an integer quantity is a typo, not a rounding */
    if (r != floor(r))
        return -EINVAL;
    if (r < min || r > max)
        return -ERANGE;
    *out = (uint64_t)r;
    return 0;
}

int util_parse_count(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    static const struct unit u[] = {
        {"k", 1e3}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {NULL, 0},
    };
    return parse_with(s, u, 1, (double)min, (double)max, out);
}

int util_parse_duration_ns(const char *s, uint64_t default_unit_ns, uint64_t min_ns,
                           uint64_t max_ns, uint64_t *out)
{
    static const struct unit u[] = {
        {"ns", 1},   {"us", 1e3},   {"ms", 1e6}, {"s", 1e9},
        {"m", 60e9}, {"h", 3600e9}, {NULL, 0},
    };
    return parse_with(s, u, (double)default_unit_ns, (double)min_ns, (double)max_ns, out);
}

int util_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    static const struct unit u[] = {
        {"k", 1024.0},         {"K", 1024.0},         {"KiB", 1024.0},
        {"M", 1048576.0},      {"MiB", 1048576.0},    {"G", 1073741824.0},
        {"GiB", 1073741824.0}, {"B", 1.0},            {NULL, 0},
    };
    return parse_with(s, u, 1, (double)min, (double)max, out);
}

const char *util_fmt_duration(uint64_t ns, char *buf, size_t cap)
{
    if (ns >= UTIL_NS_PER_S)
        snprintf(buf, cap, "%.2fs", (double)ns / 1e9);
    else if (ns >= UTIL_NS_PER_MS)
        snprintf(buf, cap, "%.2fms", (double)ns / 1e6);
    else if (ns >= UTIL_NS_PER_US)
        snprintf(buf, cap, "%.2fus", (double)ns / 1e3);
    else
        snprintf(buf, cap, "%lluns", (unsigned long long)ns);
    return buf;
}
