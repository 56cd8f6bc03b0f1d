/* resp: the response writer: status line, the fixed header order, and bodies
 * served from static memory (size=N bodies are a repeating a..z pattern that
 * is never materialised). Try: curl -i 'http://127.0.0.1:PORT/?size=30'. */
#include "proto_int.h"

#include <string.h>

#define HEAD_TAIL "\r\nContent-Type: text/plain\r\nContent-Length: "
#define REASON(code, text)                                                                         \
    {                                                                                              \
        code, text, text "\n", sizeof(text) - 1, "HTTP/1.1 " #code " " text HEAD_TAIL,             \
            sizeof("HTTP/1.1 " #code " " text HEAD_TAIL) - 1                                       \
    }

static const struct reason {
    unsigned status;
    const char *text;
    const char *body; /* error bodies: the reason phrase and "\n" */
    size_t len;
    const char *head; /* the response head up to the Content-Length value */
    size_t head_len;
} reasons[] = {
    REASON(200, "OK"),
    REASON(400, "Bad Request"),
    REASON(404, "Not Found"),
    REASON(408, "Request Timeout"),
    REASON(413, "Content Too Large"),
    REASON(431, "Request Header Fields Too Large"),
    REASON(500, "Internal Server Error"),
    REASON(501, "Not Implemented"),
    REASON(503, "Service Unavailable"),
    REASON(505, "HTTP Version Not Supported"),
};
static const struct reason unknown = {0, "Unknown", "Unknown\n", 7, NULL, 0};

/* 'a'..'z' repeated: any offset has at least 64 KiB of pattern after it. */
#define P26                                                                                        \
    'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', \
        't', 'u', 'v', 'w', 'x', 'y', 'z'
#define R2(...) __VA_ARGS__, __VA_ARGS__
#define R8(...) R2(R2(R2(__VA_ARGS__)))
#define R64(...) R8(R8(__VA_ARGS__))
#define R512(...) R8(R64(__VA_ARGS__))
static const char pattern[26 * 2560] = {R512(P26), R512(P26), R512(P26), R512(P26), R512(P26)};

static const struct reason *reason_of(unsigned status)
{
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (reasons[i].status == status) return &reasons[i];
    return &unknown;
}

const char *proto_reason(unsigned status)
{
    return reason_of(status)->text;
}

static char *put(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}

static char *put_uint(char *o, size_t v, size_t min_digits)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < min_digits);
    while (n)
        *o++ = tmp[--n];
    return o;
}

#define PUT_LIT(o, s) put(o, s, sizeof(s) - 1)

size_t proto_resp_head(const struct proto_req *req, char *out)
{
    const struct reason *r = reason_of(req->status);
    char *o = out;
    if (r->head) {
        o = put(o, r->head, r->head_len);
    } else { /* a status without a table entry */
        o = PUT_LIT(o, "HTTP/1.1 ");
        o = put_uint(o, req->status % 1000, 3);
        *o++ = ' ';
        o = put(o, r->text, r->len);
        o = PUT_LIT(o, HEAD_TAIL);
    }
    o = put_uint(o, proto_resp_body_len(req), 1);
    if (req->conn == PROTO_CONN_CLOSE)
        o = PUT_LIT(o, "\r\nConnection: close");
    else if (req->conn == PROTO_CONN_KEEP10)
        o = PUT_LIT(o, "\r\nConnection: keep-alive");
    o = PUT_LIT(o, "\r\n\r\n");
    return (size_t)(o - out);
}

size_t proto_resp_body_len(const struct proto_req *req)
{
    if (req->status != 200) return reason_of(req->status)->len + 1;
    if (req->echo) return req->body_len;
    if (req->has_size) return req->size;
    return PROTO_HELLO_LEN;
}

const char *proto_resp_body(const struct proto_req *req, size_t off, size_t *len)
{
    size_t total = proto_resp_body_len(req);
    size_t n = total > off ? total - off : 0;
    if (*len && *len < n) n = *len;
    *len = n;
    if (n == 0) return "";
    const char *src;
    if (req->status != 200) {
        src = reason_of(req->status)->body + off;
    } else if (req->echo) {
        src = req->body + off;
    } else if (req->has_size) {
        src = pattern + off % 26;
        if (*len > sizeof pattern - off % 26) *len = sizeof pattern - off % 26;
    } else {
        src = &PROTO_HELLO[off];
    }
    return src;
}

size_t proto_resp_write(const struct proto_req *req, char *out, size_t cap)
{
    char head[PROTO_RESP_HEAD_MAX];
    size_t body_len = proto_resp_body_len(req);
    size_t head_len = proto_resp_head(req, cap >= PROTO_RESP_HEAD_MAX ? out : head);
    if (head_len > cap || body_len > cap - head_len) return 0;
    if (cap < PROTO_RESP_HEAD_MAX) memcpy(out, head, head_len);
    size_t off = 0;
    while (off < body_len) {
        size_t n = body_len - off;
        const char *src = proto_resp_body(req, off, &n);
        memcpy(out + head_len + off, src, n);
        off += n;
    }
    return head_len + body_len;
}
