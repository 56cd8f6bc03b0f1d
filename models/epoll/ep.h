/* ep: internals of c10k-server-epoll shared by its files (loop.c owns the
 * epoll loop and accept, conn.c a connection's reads, answers and writes,
 * timer.c the delay_us min-heap). Nothing here is used outside models/epoll. */
#ifndef C10K_EP_H
#define C10K_EP_H

#include "proto.h"
#include "srv.h"
#include "util.h"

#include <pthread.h>
#include <stdint.h>

#define EP_RBUF_BYTES (64u * 1024u) /* one read buffer per loop */
#define EP_OBUF_BYTES (64u * 1024u) /* one output buffer per loop */
#define EP_IN_MIN_BYTES 4096u       /* first size of a connection's unsent output */
/* the most a connection ever keeps: a partial request (head + echo body) or the
 * unanswered rest of one read */
#define EP_IN_MAX_BYTES (PROTO_HEAD_MAX + PROTO_ECHO_MAX + EP_RBUF_BYTES)

enum ep_flag {
    EP_F_CLOSING = 1u << 0,    /* answered a Connection: close request */
    EP_F_PARKED = 1u << 1,     /* waiting for a delay_us timer */
    EP_F_DELAY_DONE = 1u << 2, /* the timer fired: answer the first request now */
};

struct ep_pend;

/* One connection: 56 bytes on x86-64 while idle (no buffers attached). */
struct ep_conn {
    int fd;
    uint32_t gen;      /* tells a reused fd from a closed one in epoll events */
    struct srv_buf in; /* unanswered input, no buffer while idle */
    struct proto_parser parser;
    uint64_t deadline_ns; /* when parked: the delay_us deadline */
    uint32_t heap_idx;    /* when parked: index in the timer heap */
    uint16_t flags;       /* enum ep_flag */
    uint16_t events;      /* current epoll interest */
    struct ep_pend *pend; /* unsent output, only while the socket is full */
};

struct ep_timers {
    struct ep_conn **v; /* min-heap by deadline_ns */
    uint32_t n, cap;
};

struct ep_loop {
    const struct srv_opts *opts;
    struct srv_stats *stats;
    int epfd, listen_fd, spare_fd, stop_fd;
    uint32_t next_gen;
    struct ep_conn **conns; /* by fd, for lookup and cleanup */
    size_t nconns;
    struct ep_timers timers;
    char *rbuf, *obuf;
    size_t olen; /* bytes waiting in obuf for the current connection */
    pthread_t thread;
    int rc;
};

/* conn.c: each returns 0 (keep), 1 (close after the answer) or -errno (close). */
int ep_conn_open(struct ep_loop *l, int fd);
int ep_conn_readable(struct ep_loop *l, struct ep_conn *c);
int ep_conn_writable(struct ep_loop *l, struct ep_conn *c);
int ep_conn_timer(struct ep_loop *l, struct ep_conn *c);
void ep_conn_close(struct ep_loop *l, struct ep_conn *c, bool graceful);

/* timer.c */
int ep_timer_add(struct ep_timers *t, struct ep_conn *c);
void ep_timer_del(struct ep_timers *t, struct ep_conn *c);
struct ep_conn *ep_timer_first(const struct ep_timers *t);
void ep_timer_free(struct ep_timers *t);

/* loop.c: the whole server (listeners, loops, threads) until SIGTERM. */
int ep_serve(const struct srv_opts *o, struct srv_stats *stats);

#endif
