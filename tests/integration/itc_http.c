/* itc_http: the HTTP side of the integration client: blocking connections
 * with timeouts, one response at a time out of a pipelined stream, and the
 * protocol's expected bytes (built here, independently of models/protocol). */
#include "itc.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define HTTP_BUF_MIN 65536u

/* connect() bounded by ITC_IO_TIMEOUT_MS (a full backlog drops SYNs and the
 * kernel would retry for minutes); the socket stays blocking afterwards. */
static int http_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
    int fl = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    int rc = connect(fd, sa, len) == 0 ? 0 : -errno;
    if (rc == -EINPROGRESS) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        int err = 0;
        socklen_t elen = sizeof(err);
        if (poll(&p, 1, ITC_IO_TIMEOUT_MS) != 1)
            rc = -ETIMEDOUT;
        else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == 0)
            rc = -err;
    }
    fcntl(fd, F_SETFL, fl);
    return rc;
}

int itc_conn_open(struct itc_conn *c, const struct itc_server *s)
{
    memset(c, 0, sizeof(*c));
    c->fd = -1;
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
                             .ai_socktype = SOCK_STREAM};
    struct addrinfo *ai;
    char port[8];
    snprintf(port, sizeof(port), "%u", (unsigned)s->port);
    if (getaddrinfo(s->host, port, &hints, &ai) != 0) return -EINVAL;
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int rc = fd < 0 ? -errno : http_connect(fd, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(ai);
    if (rc < 0) {
        if (fd >= 0) close(fd);
        fprintf(stderr, "itc: connect %s:%s: %s\n", s->host, port, strerror(-rc));
        return rc;
    }
    struct timeval tv = {.tv_sec = ITC_IO_TIMEOUT_MS / 1000};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    c->fd = fd;
    return 0;
}

void itc_conn_close(struct itc_conn *c)
{
    if (c->fd >= 0) close(c->fd);
    free(c->buf);
    memset(c, 0, sizeof(*c));
    c->fd = -1;
}

int itc_send(struct itc_conn *c, const void *p, size_t n)
{
    const char *b = p;
    while (n > 0) {
        ssize_t w = send(c->fd, b, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            int rc = w < 0 ? -errno : -EIO;
            fprintf(stderr, "itc: send: %s\n", strerror(-rc));
            return rc;
        }
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

int itc_send_str(struct itc_conn *c, const char *s)
{
    return itc_send(c, s, strlen(s));
}

/* Reads more into c->buf: >0 bytes, 0 EOF, -ETIMEDOUT, -errno. */
static ssize_t http_fill(struct itc_conn *c, uint64_t deadline)
{
    if (c->len == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : HTTP_BUF_MIN;
        char *b = realloc(c->buf, cap);
        if (!b) return -ENOMEM;
        c->buf = b;
        c->cap = cap;
    }
    uint64_t now = itc_now_ms();
    struct pollfd p = {.fd = c->fd, .events = POLLIN};
    int n = poll(&p, 1, now >= deadline ? 0 : (int)(deadline - now));
    if (n == 0) return -ETIMEDOUT;
    if (n < 0) return -errno;
    ssize_t r = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
    if (r < 0) return errno == ECONNRESET ? 0 : -errno;
    c->len += (size_t)r;
    return r;
}

static const char *http_find(const char *buf, size_t len, const char *s)
{
    return memmem(buf, len, s, strlen(s));
}

/* Parses the head at the front of c->buf when complete: 1, 0 (need more) or -EPROTO. */
static int http_head(const struct itc_conn *c, struct itc_resp *r)
{
    if (c->len == 0) return 0;
    const char *end = http_find(c->buf, c->len, "\r\n\r\n");
    if (!end) return 0;
    r->head_len = (size_t)(end - c->buf) + 4;
    if (sscanf(c->buf, "HTTP/1.1 %3u ", &r->status) != 1) return -EPROTO;
    const char *cl = http_find(c->buf, r->head_len, "\r\nContent-Length: ");
    if (!cl) return -EPROTO;
    r->body_len = strtoul(cl + 18, NULL, 10);
    return 1;
}

int itc_recv_resp(struct itc_conn *c, struct itc_resp *r, int timeout_ms)
{
    uint64_t deadline = itc_now_ms() + (uint64_t)timeout_ms;
    memset(r, 0, sizeof(*r));
    int h = 0;
    for (;;) {
        if (!h) h = http_head(c, r);
        if (h < 0) return h;
        if (h && c->len >= r->head_len + r->body_len) return 0;
        ssize_t n = http_fill(c, deadline);
        if (n == 0) return -ECONNRESET;
        if (n < 0) return (int)n;
    }
}

void itc_consume(struct itc_conn *c, const struct itc_resp *r)
{
    size_t n = r->head_len + r->body_len;
    if (n == 0) return;
    memmove(c->buf, c->buf + n, c->len - n);
    c->len -= n;
}

int itc_expect_eof(struct itc_conn *c, int timeout_ms)
{
    uint64_t deadline = itc_now_ms() + (uint64_t)timeout_ms;
    if (c->len > 0) return -EPROTO;
    ssize_t n = http_fill(c, deadline);
    if (n > 0) return -EPROTO;
    return n == 0 ? 0 : (int)n;
}

bool itc_readable(struct itc_conn *c)
{
    struct pollfd p = {.fd = c->fd, .events = POLLIN};
    return c->len > 0 || poll(&p, 1, 0) > 0;
}

const char *itc_reason(unsigned status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 413:
        return "Content Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 501:
        return "Not Implemented";
    default:
        return "Unknown";
    }
}

size_t itc_head(char *out, size_t cap, unsigned status, size_t body_len, const char *conn_hdr)
{
    char conn[64] = "";
    if (conn_hdr) snprintf(conn, sizeof(conn), "Connection: %s\r\n", conn_hdr);
    int n = snprintf(out, cap,
                     "HTTP/1.1 %u %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n%s\r\n",
                     status, itc_reason(status), body_len, conn);
    return n < 0 ? 0 : (size_t)n;
}

static void http_show(const char *what, const char *p, size_t n)
{
    if (!p) n = 0;
    fprintf(stderr, "  %s (%zu bytes): \"", what, n);
    for (size_t i = 0; i < n && i < 300; i++)
        fputs(p[i] == '\r' ? "\\r" : p[i] == '\n' ? "\\n" : (char[]){p[i], 0}, stderr);
    fprintf(stderr, "%s\"\n", n > 300 ? "..." : "");
}

static int http_body_diff(const char *got, const char *body, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char want = body ? body[i] : (char)('a' + i % 26);
        if (got[i] != want) {
            fprintf(stderr, "itc: body differs at byte %zu: got 0x%02x, want 0x%02x\n", i,
                    (unsigned char)got[i], (unsigned char)want);
            return -1;
        }
    }
    return 0;
}

int itc_expect(struct itc_conn *c, unsigned status, const char *conn_hdr, const char *body,
               size_t body_len)
{
    char want[256];
    size_t want_len = itc_head(want, sizeof(want), status, body_len, conn_hdr);
    struct itc_resp r;
    int rc = itc_recv_resp(c, &r, ITC_IO_TIMEOUT_MS);
    if (rc < 0) {
        fprintf(stderr, "itc: no whole response (want %u): %s\n", status, strerror(-rc));
        http_show("received", c->buf, c->len);
        return -1;
    }
    if (r.head_len != want_len || memcmp(c->buf, want, want_len) != 0) {
        fprintf(stderr, "itc: response head differs\n");
        http_show("got ", c->buf, r.head_len);
        http_show("want", want, want_len);
        return -1;
    }
    rc = http_body_diff(c->buf + r.head_len, body, body_len);
    itc_consume(c, &r);
    return rc;
}

int itc_expect_hello(struct itc_conn *c, const char *conn_hdr)
{
    return itc_expect(c, 200, conn_hdr, "Hello, World!", 13);
}

int itc_expect_error(struct itc_conn *c, unsigned status, const char *conn_hdr)
{
    char body[64];
    int n = snprintf(body, sizeof(body), "%s\n", itc_reason(status));
    return itc_expect(c, status, conn_hdr, body, (size_t)n);
}
