/* rp b64: writes a file as base64 (RFC 4648, no line breaks) for the data:
 * URIs of report.html. Try: c10k report DIR && grep -c base64 DIR/report.html */
#include "rp.h"

#include <errno.h>

static const char rp_b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void rp_b64_quad(FILE *out, const unsigned char *in, size_t n)
{
    unsigned v = (unsigned)in[0] << 16 | (n > 1 ? (unsigned)in[1] << 8 : 0u) |
                 (n > 2 ? (unsigned)in[2] : 0u);
    fputc(rp_b64_alphabet[(v >> 18) & 63], out);
    fputc(rp_b64_alphabet[(v >> 12) & 63], out);
    fputc(n > 1 ? rp_b64_alphabet[(v >> 6) & 63] : '=', out);
    fputc(n > 2 ? rp_b64_alphabet[v & 63] : '=', out);
}

int rp_b64_file(FILE *out, const char *path)
{
    unsigned char buf[3 * 1024];
    size_t n;
    FILE *in = fopen(path, "rb");
    if (!in) return -errno;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        for (size_t i = 0; i < n; i += 3)
            rp_b64_quad(out, buf + i, n - i < 3 ? n - i : 3);
    fclose(in);
    return 0;
}
