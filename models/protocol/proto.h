/* proto: the c10k HTTP/1.1 subset (docs/protocol.md) as an
 * incremental request parser and a response writer. No I/O, no allocation,
 * nothing copied: the parser reads the caller's buffer, the writer fills the
 * caller's buffer. Every server model speaks the protocol through this header.
 *
 * Parsing:
 *   struct proto_parser p; proto_parser_init(&p);
 *   ssize_t n = proto_parse(&p, buf, len, &req);
 *   n > 0            a whole request (with its body) is buf[0..n); req is filled;
 *                    answer it (req.status may be an error status), then drop n
 *                    bytes, call proto_parser_init() again and parse the rest
 *                    (pipelining). When req.conn == PROTO_CONN_CLOSE, close after
 *                    the response and parse nothing more.
 *   n == PROTO_PARTIAL  need more bytes; call again with the same buffer grown
 *                    (same start, more bytes): p remembers how far it scanned so
 *                    feeding byte by byte stays linear.
 *   Never fails otherwise: fatal errors come back as n > 0 (n may be all of len)
 *   with req.status 400/413/431/505 and req.conn == PROTO_CONN_CLOSE; n then
 *   depends only on the bytes (never on how they were split): docs/protocol.md.
 *
 * Responding (head + body; bodies of size=N are never materialised):
 *   size_t n = proto_resp_write(&req, out, cap);  whole response if it fits (else 0)
 *   or, for big bodies: proto_resp_head() then proto_resp_body() chunk by chunk.
 */
#ifndef C10K_PROTO_H
#define C10K_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PROTO_PARTIAL (-2)

#define PROTO_HEAD_MAX 8192u         /* request header section limit -> 431 */
#define PROTO_HEADERS_MAX 64u        /* header count limit -> 431 */
#define PROTO_ECHO_MAX (1u << 20)    /* Content-Length limit (any request) -> 413 + close */
#define PROTO_SIZE_MAX (16u << 20)   /* GET /?size=N limit -> 400 */
#define PROTO_DELAY_MAX_US 60000000u /* GET /?delay_us=N limit -> 400 */
#define PROTO_WORK_MAX_US 1000000u   /* GET /?work_us=N limit -> 400 */
#define PROTO_RESP_HEAD_MAX 192u     /* every response head fits in this */
#define PROTO_HELLO "Hello, World!"
#define PROTO_HELLO_LEN 13u

enum proto_conn {
    PROTO_CONN_KEEP = 0,   /* HTTP/1.1 keep-alive: no Connection header in the response */
    PROTO_CONN_KEEP10 = 1, /* HTTP/1.0 + keep-alive: response carries Connection: keep-alive */
    PROTO_CONN_CLOSE = 2,  /* response carries Connection: close; close after writing it */
};

struct proto_req {
    uint16_t status;   /* 200, or the error status to answer (400 404 413 431 501 505) */
    uint8_t conn;      /* enum proto_conn */
    bool echo;         /* POST /echo: the body is echoed */
    bool has_size;     /* GET /?size=N given (else the body is PROTO_HELLO) */
    uint32_t size;     /* response body bytes when has_size */
    uint32_t delay_us; /* wait before answering (0 = none) */
    uint32_t work_us;  /* CPU to burn before answering (0 = none) */
    const char *body;  /* POST /echo body: points into the parsed buffer */
    uint32_t body_len;
};

struct proto_parser {
    size_t scanned; /* bytes already known not to hold the end of the head */
};

static inline void proto_parser_init(struct proto_parser *p)
{
    p->scanned = 0;
}

ssize_t proto_parse(struct proto_parser *p, const char *buf, size_t len, struct proto_req *req);

/* Status line and headers of the response to req (status, Content-Type,
 * Content-Length, Connection when needed) into out, which has at least
 * PROTO_RESP_HEAD_MAX bytes. Returns the length written. */
size_t proto_resp_head(const struct proto_req *req, char *out);

/* Length of the response body. */
size_t proto_resp_body_len(const struct proto_req *req);

/* The body bytes starting at off: returns a pointer to at least one and at most
 * *len bytes of it (static memory, or req->body for echo) and stores in *len how
 * many there are. off < proto_resp_body_len(req). *len == 0 on entry means no
 * limit (as many contiguous bytes as there are, >= 64 KiB for size=N bodies);
 * off at or past the end gives *len = 0. */
const char *proto_resp_body(const struct proto_req *req, size_t off, size_t *len);

/* Head + whole body into out when they fit in cap: returns the total length,
 * or 0 when they do not fit (then use head/body above). */
size_t proto_resp_write(const struct proto_req *req, char *out, size_t cap);

/* Reason phrase of a status ("OK", "Not Found"...). */
const char *proto_reason(unsigned status);

#endif
