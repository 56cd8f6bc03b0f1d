/* itc: a small client library for the integration tests: start a server
 * binary on --port 0 and read its ready line, talk HTTP over blocking sockets
 * with timeouts, and compare responses byte for byte. */
#ifndef C10K_ITC_H
#define C10K_ITC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ITC_SKIP 77
#define ITC_READY_TIMEOUT_MS 5000
#define ITC_IO_TIMEOUT_MS 5000

struct itc_server {
    pid_t pid;
    int out_fd; /* the server's stdout */
    char host[64];
    uint16_t port;
    char out[4096]; /* what it printed on stdout so far */
    size_t out_len;
    unsigned nofile; /* set before start: RLIMIT_NOFILE (soft = hard) for the
                        server, 0 = inherited */
};

/* Starts path --port 0 [args...] (args NULL-terminated, may be NULL) and
 * waits for "ready HOST:PORT pid=N". Returns 0, ITC_SKIP (it exited 77
 * first) or -errno (and says why on stderr). */
int itc_server_start(struct itc_server *s, const char *path, const char *const *args);
/* Sends sig and waits up to timeout_ms for the exit; *status as waitpid's.
 * Returns 0 or -ETIMEDOUT (then the server was killed). */
int itc_server_stop(struct itc_server *s, int sig, int timeout_ms, int *status);
/* Cleanup: SIGTERM, SIGKILL after 2 s, and kill and reap any child the server
 * left behind (the test is their subreaper). */
void itc_server_kill(struct itc_server *s);
/* Reads the server's stdout until EOF or timeout into s->out (NUL-terminated). */
void itc_server_drain_out(struct itc_server *s, int timeout_ms);

/* The exit line of a stopped server: "stats accepted=N rejected=N reason=R". */
struct itc_stats {
    unsigned long long accepted, rejected;
    char reason[32];
};
/* Drains the server's stdout (itc_server_drain_out) and parses its stats line
 * into st. Returns 0, or -ENOENT when there is no such line. */
int itc_server_stats(struct itc_server *s, int timeout_ms, struct itc_stats *st);

/* Runs path with args, captures stdout and stderr; returns the exit status
 * (waitpid form) or -errno. */
int itc_run(const char *path, const char *const *args, char *out, size_t out_cap, char *err,
            size_t err_cap, int timeout_ms);

struct itc_conn {
    int fd;
    char *buf; /* received, not yet consumed */
    size_t len, cap;
};

struct itc_resp {
    unsigned status;
    size_t head_len; /* through the blank line */
    size_t body_len; /* Content-Length */
};

int itc_conn_open(struct itc_conn *c, const struct itc_server *s);
void itc_conn_close(struct itc_conn *c);
int itc_send(struct itc_conn *c, const void *p, size_t n);
int itc_send_str(struct itc_conn *c, const char *s);
/* Waits for one whole response at the front of c->buf. 0, -ETIMEDOUT,
 * -ECONNRESET (closed first) or -EPROTO. */
int itc_recv_resp(struct itc_conn *c, struct itc_resp *r, int timeout_ms);
/* Drops the response r from the front of c->buf. */
void itc_consume(struct itc_conn *c, const struct itc_resp *r);
/* 0 when the peer closes (EOF or reset) within timeout_ms with no more data. */
int itc_expect_eof(struct itc_conn *c, int timeout_ms);
/* Nonzero when bytes are waiting (non-blocking look). */
bool itc_readable(struct itc_conn *c);

/* The protocol's expected bytes, written independently of models/protocol. */
const char *itc_reason(unsigned status);
/* conn_hdr: NULL, "close" or "keep-alive". Returns the head length. */
size_t itc_head(char *out, size_t cap, unsigned status, size_t body_len, const char *conn_hdr);
/* Receives one response and compares it byte for byte with status, headers
 * and body (body NULL: the size=N a..z pattern of body_len bytes). Returns 0
 * or -1 after printing what differs. */
int itc_expect(struct itc_conn *c, unsigned status, const char *conn_hdr, const char *body,
               size_t body_len);
/* The same for the hello / error responses. */
int itc_expect_hello(struct itc_conn *c, const char *conn_hdr);
int itc_expect_error(struct itc_conn *c, unsigned status, const char *conn_hdr);

uint64_t itc_now_ms(void);

/* The parent pid of pid from /proc/PID/stat, or -1. */
pid_t itc_ppid(pid_t pid);
/* root and every process below it (children, grandchildren...) into out, up
 * to max; returns how many. */
size_t itc_proc_tree(pid_t root, pid_t *out, size_t max);

#endif
