/* proto internals shared by the files of models/protocol: the character
 * table and the pieces of proto_parse(). Not for use outside this folder. */
#ifndef C10K_PROTO_INT_H
#define C10K_PROTO_INT_H

#include "proto.h"

enum proto__char {
    PROTO__TCHAR = 1, /* RFC 9110 token character (method, header name) */
    PROTO__VCHAR = 2, /* visible ASCII 0x21..0x7e (request target) */
};

extern const uint8_t proto__chars[256];

static inline bool proto__is_tchar(char c)
{
    return proto__chars[(unsigned char)c] & PROTO__TCHAR;
}

static inline bool proto__is_vchar(char c)
{
    return proto__chars[(unsigned char)c] & PROTO__VCHAR;
}

enum proto__method { PROTO__GET, PROTO__POST, PROTO__OTHER };

/* What the head says, before routing. Pointers go into the caller's buffer. */
struct proto__head {
    const char *path;
    size_t path_len;
    const char *query; /* after '?', NULL when the target has no '?' */
    size_t query_len;
    uint8_t method;  /* enum proto__method */
    uint8_t minor;   /* HTTP/1.<minor>: 0 or 1 */
    bool conn_close; /* a Connection header lists "close" */
    bool conn_keep;  /* a Connection header lists "keep-alive" */
    bool has_cl;
    uint32_t cl; /* Content-Length, saturated at PROTO_ECHO_MAX + 1 */
};

/* scan.c: looks for the end of the head (CRLF CRLF) from p->scanned on, and
 * rejects NUL, control characters, bare LF and CR without LF on the way.
 * Returns 0 and *n = head length; PROTO_PARTIAL; or a status (400, 431)
 * with *n = the bytes that decided it (offending byte included). */
int proto__scan_head(struct proto_parser *p, const char *buf, size_t len, size_t *n);

/* line.c: the request line of a scanned head. Returns 0 and *next = the
 * start of the first header line, or a status (400, 505). */
int proto__parse_line(const char *buf, struct proto__head *h, size_t *next);

/* fields.c: header lines from buf[i] to the end of the head. Returns 0 or a
 * status (400, 431). */
int proto__parse_fields(const char *buf, size_t i, size_t head_len, struct proto__head *h);

/* query.c: size, delay_us, work_us from the query of GET /. Returns 0 (the
 * fields of req set) or 400 (req untouched). */
int proto__parse_query(const char *q, size_t len, struct proto_req *req);

#endif
