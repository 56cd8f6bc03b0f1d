/* fields: the header lines of a scanned head: Content-Length, Transfer-Encoding
 * and Connection are read, every other field is checked for syntax only.
 * Try: meson test --suite protocol. */
#include "proto_int.h"

#include <strings.h>

static bool name_is(const char *name, size_t len, const char *want, size_t want_len)
{
    return len == want_len && strncasecmp(name, want, len) == 0;
}

static bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* 1*DIGIT, no sign, no list; values above PROTO_ECHO_MAX saturate (-> 413). */
static int content_length(const char *v, size_t len, struct proto__head *h)
{
    if (h->has_cl || len == 0) return 400;
    uint32_t cl = 0;
    for (size_t i = 0; i < len; i++) {
        if (v[i] < '0' || v[i] > '9') return 400;
        if (cl <= PROTO_ECHO_MAX) cl = cl * 10 + (uint32_t)(v[i] - '0');
    }
    h->has_cl = true;
    h->cl = cl <= PROTO_ECHO_MAX ? cl : PROTO_ECHO_MAX + 1;
    return 0;
}

/* comma-separated tokens, case-insensitive; unknown tokens are ignored. */
static void connection(const char *v, size_t len, struct proto__head *h)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && (is_ows(v[i]) || v[i] == ','))
            i++;
        size_t s = i;
        while (i < len && !is_ows(v[i]) && v[i] != ',')
            i++;
        if (name_is(v + s, i - s, "close", 5))
            h->conn_close = true;
        else if (name_is(v + s, i - s, "keep-alive", 10))
            h->conn_keep = true;
    }
}

static int field(struct proto__head *h, const char *name, size_t name_len, const char *v,
                 size_t len)
{
    if (name_is(name, name_len, "content-length", 14)) return content_length(v, len, h);
    if (name_is(name, name_len, "transfer-encoding", 17))
        return 400; /* no chunked bodies here: refusing TE avoids smuggling */
    if (name_is(name, name_len, "connection", 10)) connection(v, len, h);
    return 0;
}

/* One "name: value" line from buf[*i]; *i moves past its CRLF. A line that
 * starts with SP/HTAB (obs-fold), a space before the colon, an empty name or a
 * non-token character in the name all fail the "token then colon" test. */
static int field_line(const char *buf, size_t *i, struct proto__head *h)
{
    size_t p = *i;
    while (proto__is_tchar(buf[p]))
        p++;
    if (p == *i || buf[p] != ':') return 400;
    size_t name = *i, name_len = p - *i;
    p++;
    while (is_ows(buf[p]))
        p++;
    size_t v = p;
    while (buf[p] != '\r')
        p++;
    size_t end = p;
    while (end > v && is_ows(buf[end - 1]))
        end--;
    *i = p + 2;
    return field(h, buf + name, name_len, buf + v, end - v);
}

int proto__parse_fields(const char *buf, size_t i, size_t head_len, struct proto__head *h)
{
    unsigned count = 0;
    while (i < head_len - 2) { /* the last CRLF ends the head */
        if (++count > PROTO_HEADERS_MAX) return 431;
        int rc = field_line(buf, &i, h);
        if (rc) return rc;
    }
    return 0;
}
