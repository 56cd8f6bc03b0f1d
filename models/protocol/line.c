/* line: the request line "METHOD SP target SP HTTP/x.y CRLF" of a head that
 * scan.c has checked (it ends in CRLF CRLF and every CR is followed by LF, so
 * each loop here stops at a CR at the latest). Try: meson test --suite protocol. */
#include "proto_int.h"

#include <string.h>
#include <strings.h>

static uint8_t method_of(const char *m, size_t len)
{
    if (len == 3 && memcmp(m, "GET", 3) == 0) return PROTO__GET;
    if (len == 4 && memcmp(m, "POST", 4) == 0) return PROTO__POST;
    return PROTO__OTHER;
}

static void split_query(const char *t, size_t len, struct proto__head *h)
{
    const char *q = memchr(t, '?', len);
    h->path = t;
    h->path_len = q ? (size_t)(q - t) : len;
    if (q) {
        h->query = q + 1;
        h->query_len = len - h->path_len - 1;
    }
}

/* absolute-form "http://authority/path?query": the authority is skipped and an
 * empty path is "/". */
static int absolute_form(const char *t, size_t len, struct proto__head *h)
{
    size_t s = 0;
    if (len > 7 && strncasecmp(t, "http://", 7) == 0)
        s = 7;
    else if (len > 8 && strncasecmp(t, "https://", 8) == 0)
        s = 8;
    else
        return 400;
    size_t a = s;
    while (s < len && t[s] != '/' && t[s] != '?')
        s++;
    if (s == a) return 400;
    split_query(t + s, len - s, h);
    if (h->path_len == 0) { /* "" or "?query" after the authority */
        h->path = "/";
        h->path_len = 1;
    }
    return 0;
}

static int parse_target(const char *t, size_t len, struct proto__head *h)
{
    if (t[0] == '/') {
        split_query(t, len, h);
        return 0;
    }
    if (len == 1 && t[0] == '*') { /* asterisk-form: no resource here (404/501) */
        h->path = t;
        h->path_len = 1;
        return 0;
    }
    return absolute_form(t, len, h);
}

/* "HTTP/1.0" and "HTTP/1.1" (HTTP/1.2..1.9 are read as 1.1); another major
 * version is 505; anything else is a syntax error. */
static int parse_version(const char *v, size_t len, struct proto__head *h)
{
    if (len != 8 || memcmp(v, "HTTP/", 5) != 0 || v[6] != '.') return 400;
    if (v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9') return 400;
    if (v[5] != '1') return 505;
    h->minor = v[7] == '0' ? 0 : 1;
    return 0;
}

int proto__parse_line(const char *buf, struct proto__head *h, size_t *next)
{
    size_t i = 0;
    while (proto__is_tchar(buf[i]))
        i++;
    if (i == 0 || buf[i] != ' ') return 400;
    h->method = method_of(buf, i);
    size_t t = ++i;
    while (proto__is_vchar(buf[i]))
        i++;
    if (i == t || buf[i] != ' ') return 400;
    int rc = parse_target(buf + t, i - t, h);
    if (rc) return rc;
    size_t v = ++i;
    while (buf[i] != '\r')
        i++;
    rc = parse_version(buf + v, i - v, h);
    if (rc) return rc;
    *next = i + 2;
    return 0;
}
