/* hlog: HdrHistogram's interval log (.hlog) and its compressed V2 histogram
 * encoding (ZigZag LEB128 counts, zlib, base64), written and read here so that
 * any HdrHistogram log tool can re-slice a run and runs can be merged exactly.
 * Try: c10k-load --hlog - -d 3s http://127.0.0.1:8080/ */
#include "hlog.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define V2_COOKIE 0x1c849313u            /* V2 encoding base | 0x10 (LEB128 words) */
#define V2_COMPRESSED_COOKIE 0x1c849314u /* V2 compressed encoding base | 0x10 */
#define V2_HEADER_BYTES 40

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 3; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) << 32 | get32(p + 4);
}

/* ZigZag then LEB128-64b9B: 7 bits a byte, the 9th byte carries 8. */
static size_t put_zigzag(uint8_t *p, int64_t v)
{
    uint64_t u = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
    size_t n = 0;
    while (n < 8 && u >= 0x80) {
        p[n++] = (uint8_t)(u | 0x80);
        u >>= 7;
    }
    p[n++] = (uint8_t)u;
    return n;
}

static int get_zigzag(const uint8_t *p, size_t len, size_t *off, int64_t *v)
{
    uint64_t u = 0;
    for (int i = 0; i < 9; i++) {
        if (*off >= len) return -EINVAL;
        uint8_t b = p[(*off)++];
        if (i == 8) {
            u |= (uint64_t)b << 56;
            break;
        }
        u |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) break;
    }
    *v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
    return 0;
}

/* The uncompressed V2 form: 40-byte header, then counts up to the last
 * non-zero one, a run of zeros written as its negated length. */
static int encode_v2(const struct hist *h, uint8_t **out, size_t *len)
{
    int32_t limit = h->counts_len;
    while (limit > 0 && h->counts[limit - 1] == 0)
        limit--;
    uint8_t *p = malloc(V2_HEADER_BYTES + (size_t)limit * 9 + 9);
    if (!p) return -ENOMEM;
    size_t n = V2_HEADER_BYTES;
    for (int32_t i = 0; i < limit;) {
        int32_t zeros = 0;
        while (i + zeros < limit && h->counts[i + zeros] == 0)
            zeros++;
        if (zeros > 1) {
            n += put_zigzag(p + n, -(int64_t)zeros);
            i += zeros;
        } else {
            n += put_zigzag(p + n, h->counts[i++]);
        }
    }
    put32(p, V2_COOKIE);
    put32(p + 4, (uint32_t)(n - V2_HEADER_BYTES));
    put32(p + 8, 0); /* normalizing index offset */
    put32(p + 12, (uint32_t)h->sigfigs);
    put64(p + 16, (uint64_t)h->lowest);
    put64(p + 24, (uint64_t)h->highest);
    double ratio = 1.0; /* integer to double conversion ratio */
    uint64_t bits;
    memcpy(&bits, &ratio, sizeof(bits));
    put64(p + 32, bits);
    *out = p;
    *len = n;
    return 0;
}

int hlog_encode(const struct hist *h, uint8_t **out, size_t *len)
{
    uint8_t *raw;
    size_t raw_len;
    *out = NULL;
    int rc = encode_v2(h, &raw, &raw_len);
    if (rc < 0) return rc;
    uLongf zlen = compressBound((uLong)raw_len);
    uint8_t *p = malloc(8 + zlen);
    if (p && compress2(p + 8, &zlen, raw, (uLong)raw_len, Z_DEFAULT_COMPRESSION) == Z_OK) {
        put32(p, V2_COMPRESSED_COOKIE);
        put32(p + 4, (uint32_t)zlen);
        *out = p;
        *len = 8 + zlen;
    } else {
        free(p);
        rc = -ENOMEM;
    }
    free(raw);
    return rc;
}

/* Counts of an uncompressed V2 payload added into dst (re-recorded when the
 * layouts differ). */
static int decode_v2(const uint8_t *p, size_t len, struct hist *dst)
{
    if (len < V2_HEADER_BYTES || get32(p) != V2_COOKIE) return -EINVAL;
    size_t payload = get32(p + 4);
    if (payload > len - V2_HEADER_BYTES) return -EINVAL;
    struct hist tmp;
    int rc = hist_init(&tmp, (int64_t)get64(p + 16), (int64_t)get64(p + 24), (int)get32(p + 12));
    if (rc < 0) return rc;
    size_t off = V2_HEADER_BYTES, end = V2_HEADER_BYTES + payload;
    for (int32_t i = 0; off < end && rc == 0;) {
        int64_t v;
        rc = get_zigzag(p, end, &off, &v);
        if (rc == 0 && v < 0)
            i += (int32_t)-v;
        else if (rc == 0 && i < tmp.counts_len)
            hist_record_n(&tmp, hist_value_at_index(&tmp, i++), v);
        else if (rc == 0)
            rc = -EINVAL;
    }
    if (rc == 0) rc = hist_add(dst, &tmp);
    hist_close(&tmp);
    return rc;
}

int hlog_decode(const uint8_t *p, size_t len, struct hist *dst)
{
    if (len < 8 || get32(p) != V2_COMPRESSED_COOKIE || get32(p + 4) > len - 8) return -EINVAL;
    uLongf raw_len = 1 << 20;
    for (;;) {
        uint8_t *raw = malloc(raw_len);
        if (!raw) return -ENOMEM;
        int z = uncompress(raw, &raw_len, p + 8, get32(p + 4));
        if (z == Z_OK) {
            int rc = decode_v2(raw, raw_len, dst);
            free(raw);
            return rc;
        }
        free(raw);
        if (z != Z_BUF_ERROR || raw_len > (1u << 30)) return -EINVAL;
        raw_len *= 4;
    }
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void b64_write(FILE *f, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        char q[4] = {B64[v >> 18 & 63], B64[v >> 12 & 63], B64[v >> 6 & 63], B64[v & 63]};
        if (i + 1 >= n) q[2] = '=';
        if (i + 2 >= n) q[3] = '=';
        fwrite(q, 1, 4, f);
    }
}

static int b64_value(char c)
{
    const char *s = c ? strchr(B64, c) : NULL;
    return s ? (int)(s - B64) : -1;
}

/* Decodes base64 text s[n] into out (at least 3n/4 bytes); returns its length or -EINVAL. */
static ssize_t b64_read(const char *s, size_t n, uint8_t *out)
{
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n && s[i] != '='; i++) {
        int v = b64_value(s[i]);
        if (v < 0) return -EINVAL;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    return (ssize_t)o;
}

int hlog_write_header(FILE *f, const char *tool, double start_epoch_s)
{
    char when[64];
    time_t t = (time_t)start_epoch_s;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof(when), "%a %b %d %H:%M:%S UTC %Y", &tm);
    fprintf(f, "#[Logged with %s]\n", tool);
    fprintf(f, "#[Histogram log format version 1.3]\n");
    fprintf(f, "#[StartTime: %.3f (seconds since epoch), %s]\n", start_epoch_s, when);
    fprintf(f, "#[BaseTime: %.3f (seconds since epoch)]\n", start_epoch_s);
    fprintf(f, "#[Values in microseconds; Interval_Max in milliseconds]\n");
    fprintf(f, "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\","
               "\"Interval_Compressed_Histogram\"\n");
    return fflush(f) == 0 ? 0 : -EIO;
}

int hlog_write_interval(FILE *f, const char *tag, double start_s, double length_s,
                        const struct hist *h)
{
    uint8_t *enc;
    size_t len;
    int rc = hlog_encode(h, &enc, &len);
    if (rc < 0) return rc;
    double max_ms = h->total_count ? (double)hist_max(h) / 1000.0 : 0;
    fprintf(f, "Tag=%s,%.3f,%.3f,%.3f,", tag, start_s, length_s, max_ms);
    b64_write(f, enc, len);
    fputc('\n', f);
    free(enc);
    return fflush(f) == 0 ? 0 : -EIO;
}

/* Splits "[Tag=T,]start,length,max,base64" into its fields. */
static int split_line(const char *line, char *tag, size_t tag_size, const char **fields)
{
    tag[0] = 0;
    if (strncmp(line, "Tag=", 4) == 0) {
        const char *comma = strchr(line, ',');
        if (!comma || (size_t)(comma - line - 4) >= tag_size) return -EINVAL;
        snprintf(tag, tag_size, "%.*s", (int)(comma - line - 4), line + 4);
        line = comma + 1;
    }
    for (int i = 0; i < 4; i++) {
        fields[i] = line;
        const char *comma = strchr(line, ',');
        if (i < 3 && !comma) return -EINVAL;
        line = comma ? comma + 1 : line;
    }
    return 0;
}

int hlog_parse_line(const char *line, struct hlog_interval *iv, struct hist *dst)
{
    const char *fields[4];
    if (line[0] == '#' || line[0] == '"' || !strchr(line, ',')) return 0;
    if (split_line(line, iv->tag, sizeof(iv->tag), fields) < 0) return -EINVAL;
    char *end;
    iv->start_s = strtod(fields[0], &end);
    if (*end != ',') return -EINVAL;
    iv->length_s = strtod(fields[1], &end);
    if (*end != ',') return -EINVAL;
    size_t n = strcspn(fields[3], "\r\n");
    uint8_t *bin = malloc(n * 3 / 4 + 3);
    if (!bin) return -ENOMEM;
    ssize_t blen = b64_read(fields[3], n, bin);
    int rc = blen < 0 ? -EINVAL : hlog_decode(bin, (size_t)blen, dst);
    free(bin);
    return rc < 0 ? rc : 1;
}
