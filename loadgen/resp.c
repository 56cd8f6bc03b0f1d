/* resp: the incremental response parser of c10k-load (status line, the three
 * headers it needs, body counted by Content-Length). Try: meson test -C
 * build --suite loadgen resp. */
#include "resp.h"

#include <string.h>

enum {
    S_PROTO,
    S_MINOR,
    S_SP,
    S_CODE,
    S_AFTER_CODE,
    S_REASON,
    S_LF,
    S_HSTART,
    S_HNAME,
    S_VAL_CL,
    S_VAL_CONN,
    S_VAL_OTHER,
    S_END_LF,
    S_BODY,
    S_BODY_EOF,
};

enum { H_LENGTH, H_CONNECTION, H_TE, H_COUNT };
static const char *const hnames[H_COUNT] = {"content-length", "connection", "transfer-encoding"};
static const uint8_t hlens[H_COUNT] = {14, 10, 17};

void lg_resp_reset(struct lg_resp *r)
{
    memset(r, 0, sizeof(*r));
}

/* RFC 9110 token characters (codes 128-255 are not): one lookup per byte in
 * the hot loop of a header name. */
static const uint8_t tchar[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x10 */
    0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, /* 0x20 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, /* 0x30 */
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x40 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, /* 0x50 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x60 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, /* 0x70 */
};

static inline int is_tchar(unsigned char ch)
{
    return tchar[ch];
}

static int header_name_char(struct lg_resp *r, unsigned char ch)
{
    if (ch == ':') {
        int which = -1;
        for (int k = 0; k < H_COUNT; k++)
            if ((r->cand & (1u << k)) && r->pos == hlens[k]) which = k;
        if (which == H_TE) return -1; /* chunked bodies are not supported: say so, not misparse */
        r->state = which == H_LENGTH ? S_VAL_CL : which == H_CONNECTION ? S_VAL_CONN : S_VAL_OTHER;
        if (which == H_LENGTH && (r->flags & LG_RESP_HAS_LENGTH)) return -1;
        r->pos = 0;
        return 0;
    }
    if (!is_tchar(ch)) return -1;
    unsigned char lower = (unsigned char)(ch | 0x20);
    for (int k = 0; k < H_COUNT; k++)
        if ((r->cand & (1u << k)) && (r->pos >= hlens[k] || hnames[k][r->pos] != lower))
            r->cand &= (uint8_t) ~(1u << k);
    if (r->pos < 255) r->pos++;
    return 0;
}

static int length_char(struct lg_resp *r, unsigned char ch)
{
    if (ch >= '0' && ch <= '9') {
        if (r->pos == 2 || r->body_left > (UINT64_MAX - 9) / 10)
            return -1; /* digits after trailing space, or overflow */
        r->body_left = r->body_left * 10 + (uint64_t)(ch - '0');
        r->pos = 1;
        r->flags |= LG_RESP_HAS_LENGTH;
        return 0;
    }
    if (ch == ' ' || ch == '\t') {
        if (r->pos == 1) r->pos = 2;
        return 0;
    }
    if (ch == '\r' && r->pos) {
        r->state = S_LF;
        return 0;
    }
    return -1;
}

static int connection_char(struct lg_resp *r, unsigned char ch)
{
    static const char close_tok[] = "close";
    if (ch == '\r') {
        if (r->pos == 5 && !(r->flags & LG_RESP_CONN_MISS)) r->flags |= LG_RESP_CLOSE;
        r->flags &= (uint8_t)~LG_RESP_CONN_MISS;
        r->state = S_LF;
        return 0;
    }
    if (ch == ' ' || ch == '\t') {
        if (r->pos > 0 && r->pos < 5) r->flags |= LG_RESP_CONN_MISS;
        return 0;
    }
    if (r->pos >= 5 || close_tok[r->pos] != (char)(ch | 0x20)) r->flags |= LG_RESP_CONN_MISS;
    if (r->pos < 255) r->pos++;
    return 0;
}

/* The blank line: decide how the body ends. Returns 1 when the response is
 * complete without a body. */
static int headers_done(struct lg_resp *r)
{
    if (r->status < 200 && r->status >= 100) return -1; /* interim responses are never asked for */
    if (r->status == 204 || r->status == 304) {
        r->body_left = 0;
        return 1;
    }
    if (r->flags & LG_RESP_HAS_LENGTH) {
        r->state = S_BODY;
        return r->body_left == 0;
    }
    r->flags |= LG_RESP_UNTIL_EOF;
    r->state = S_BODY_EOF;
    return 0;
}

static int status_char(struct lg_resp *r, unsigned char ch)
{
    static const char proto[] = "HTTP/1.";
    switch (r->state) {
    case S_PROTO:
        if (ch != (unsigned char)proto[r->pos]) return -1;
        if (++r->pos == 7) r->state = S_MINOR;
        return 0;
    case S_MINOR:
        r->state = S_SP;
        return ch == '0' || ch == '1' ? 0 : -1;
    case S_SP:
        r->state = S_CODE;
        r->pos = 0;
        return ch == ' ' ? 0 : -1;
    case S_CODE:
        if (ch < '0' || ch > '9') return -1;
        r->status = (uint16_t)(r->status * 10 + (ch - '0'));
        if (++r->pos == 3) r->state = S_AFTER_CODE;
        return 0;
    default: /* S_AFTER_CODE */
        if (ch == '\r')
            r->state = S_LF;
        else if (ch == ' ')
            r->state = S_REASON;
        else
            return -1;
        return 0;
    }
}

/* One byte of everything before the body. Returns -1, 0, or 1 (complete). */
static int head_char(struct lg_resp *r, unsigned char ch)
{
    switch (r->state) {
    case S_LF:
        if (ch != '\n') return -1;
        r->state = S_HSTART;
        return 0;
    case S_HSTART:
        if (ch == '\r') {
            r->state = S_END_LF;
            return 0;
        }
        r->state = S_HNAME;
        r->pos = 0;
        r->cand = (1u << H_COUNT) - 1;
        return header_name_char(r, ch);
    case S_HNAME:
        return header_name_char(r, ch);
    case S_VAL_CL:
        return length_char(r, ch);
    case S_VAL_CONN:
        return connection_char(r, ch);
    case S_END_LF:
        return ch == '\n' ? headers_done(r) : -1;
    default:
        return status_char(r, ch);
    }
}

/* Skips to the CR that ends a reason phrase or an uninteresting value;
 * (size_t)-1 on a bare LF or a control character. */
static size_t skip_to_cr(struct lg_resp *r, const char *buf, size_t len, size_t i)
{
    for (; i < len; i++) {
        unsigned char ch = (unsigned char)buf[i];
        if (ch >= 0x20 || ch == '\t') continue;
        if (ch != '\r') return (size_t)-1;
        r->state = S_LF;
        return i + 1;
    }
    return len;
}

/* The header whose name and ':' end a name in n bytes at name (no such
 * header: -1). Case-insensitive as header_name_char compares. */
static int header_of(const char *name, size_t n)
{
    for (int k = 0; k < H_COUNT; k++) {
        if (n != hlens[k]) continue;
        size_t j = 0;
        while (j < n && (unsigned char)(name[j] | 0x20) == (unsigned char)hnames[k][j])
            j++;
        if (j == n) return k;
    }
    return -1;
}

/* The value of Content-Length or Connection, byte by byte in one loop to
 * its CR. Returns the index after it, or (size_t)-1 on an error. */
static size_t value(struct lg_resp *r, const char *buf, size_t len, size_t i)
{
    uint8_t state = r->state;
    int (*take)(struct lg_resp *, unsigned char) =
        state == S_VAL_CL ? length_char : connection_char;
    while (i < len && r->state == state)
        if (take(r, (unsigned char)buf[i++]) < 0) return (size_t)-1;
    return i;
}

/* Fast path of a header name wholly in buf (the usual case): the same
 * verdict as header_name_char byte by byte. Returns the index after its
 * ':', i to go byte by byte (name split across reads, or not a name), or
 * (size_t)-1 on an error. */
static size_t name_fast(struct lg_resp *r, const char *buf, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && is_tchar((unsigned char)buf[j]))
        j++;
    if (j == len || buf[j] != ':') return i;
    int which = header_of(buf + i, j - i);
    if (which == H_TE) return (size_t)-1; /* chunked bodies are not supported */
    if (which == H_LENGTH && (r->flags & LG_RESP_HAS_LENGTH)) return (size_t)-1;
    r->state = which == H_LENGTH ? S_VAL_CL : which == H_CONNECTION ? S_VAL_CONN : S_VAL_OTHER;
    r->pos = 0;
    return j + 1;
}

/* Fast path of "HTTP/1.x NNN" wholly in buf: the same as status_char byte
 * by byte. Returns the index after the code, or i to go byte by byte. */
static size_t status_fast(struct lg_resp *r, const char *buf, size_t len, size_t i)
{
    const char *s = buf + i;
    if (len - i < 12 || memcmp(s, "HTTP/1.", 7) != 0 || (s[7] != '0' && s[7] != '1') || s[8] != ' ')
        return i;
    uint16_t code = 0;
    for (int k = 9; k < 12; k++) {
        if (s[k] < '0' || s[k] > '9') return i;
        code = (uint16_t)(code * 10 + (s[k] - '0'));
    }
    r->status = code;
    r->state = S_AFTER_CODE;
    return i + 12;
}

int lg_resp_feed(struct lg_resp *r, const char *buf, size_t len, size_t *used)
{
    size_t i = 0;
    while (i < len) {
        if (r->state == S_HSTART || (r->state == S_PROTO && r->pos == 0)) {
            size_t j =
                r->state == S_HSTART ? name_fast(r, buf, len, i) : status_fast(r, buf, len, i);
            if (j == (size_t)-1) return -1;
            if (j != i) {
                i = j;
                continue;
            }
        }
        if (r->state == S_BODY) {
            uint64_t take = len - i < r->body_left ? len - i : r->body_left;
            r->body_left -= take;
            i += take;
            if (r->body_left == 0) {
                *used = i;
                return 1;
            }
            continue;
        }
        if (r->state == S_BODY_EOF) {
            *used = len;
            return 0;
        }
        if (r->state == S_REASON || r->state == S_VAL_OTHER) {
            i = skip_to_cr(r, buf, len, i);
            if (i == (size_t)-1) return -1;
            continue;
        }
        if (r->state == S_VAL_CL || r->state == S_VAL_CONN) {
            i = value(r, buf, len, i);
            if (i == (size_t)-1) return -1;
            continue;
        }
        int rc = head_char(r, (unsigned char)buf[i++]);
        if (rc < 0) return -1;
        if (rc == 1) {
            *used = i;
            return 1;
        }
    }
    *used = len;
    return 0;
}

int lg_resp_eof(const struct lg_resp *r)
{
    if (r->state == S_BODY_EOF) return 1;
    if (r->state == S_PROTO && r->pos == 0) return 0;
    return -1;
}
