/* rp fmt: human numbers for the report tables (bytes in KiB/MiB, latencies in
 * µs/ms/s, counts with thousands separators); "–" for a missing value. */
#include "rp.h"

#include <math.h>
#include <string.h>

const char *rp_fmt_bytes(char *buf, size_t cap, double b)
{
    double a = fabs(b);
    if (!isfinite(b))
        snprintf(buf, cap, "–");
    else if (a >= 1024.0 * 1024 * 1024)
        snprintf(buf, cap, "%.2f GiB", b / (1024.0 * 1024 * 1024));
    else if (a >= 1024.0 * 1024)
        snprintf(buf, cap, "%.1f MiB", b / (1024.0 * 1024));
    else if (a >= 1024.0)
        snprintf(buf, cap, "%.1f KiB", b / 1024.0);
    else
        snprintf(buf, cap, "%.0f B", b);
    return buf;
}

const char *rp_fmt_us(char *buf, size_t cap, double us)
{
    if (!isfinite(us))
        snprintf(buf, cap, "–");
    else if (us >= 1e6)
        snprintf(buf, cap, "%.2f s", us / 1e6);
    else if (us >= 1e4)
        snprintf(buf, cap, "%.1f ms", us / 1e3);
    else if (us >= 1e3)
        snprintf(buf, cap, "%.2f ms", us / 1e3);
    else
        snprintf(buf, cap, "%.0f µs", us);
    return buf;
}

const char *rp_fmt_num(char *buf, size_t cap, double v, int decimals)
{
    char tmp[64];
    size_t len, lead, o = 0;
    if (!isfinite(v)) {
        snprintf(buf, cap, "–");
        return buf;
    }
    if (decimals > 0 || fabs(v) < 1e4) {
        snprintf(buf, cap, "%.*f", decimals, v);
        return buf;
    }
    snprintf(tmp, sizeof tmp, "%.0f", fabs(v));
    len = strlen(tmp);
    lead = len % 3 ? len % 3 : 3;
    if (v < 0 && o + 1 < cap) buf[o++] = '-';
    for (size_t i = 0; i < len && o + 2 < cap; i++) {
        if (i >= lead && (i - lead) % 3 == 0) buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = '\0';
    return buf;
}
