/* lv: internals of c10k-server-libuv shared by its files (loop.c owns the
 * loops, listeners, accepting and stopping; conn.c a connection's reads,
 * answers, writes and delay_us timer). Nothing here is used elsewhere. */
#ifndef C10K_LV_H
#define C10K_LV_H

#include <pthread.h>
#include <stdint.h>
#include <uv.h>

#include "proto.h"
#include "srv.h"

#define LV_RBUF_BYTES (64u * 1024u)    /* one read buffer per loop (alloc_cb) */
#define LV_OBUF_BYTES (64u * 1024u)    /* one response buffer per loop */
#define LV_ACCEPT_BATCH 64             /* accept4() calls per listener wake-up */
#define LV_STREAM_CHUNK (256u * 1024u) /* most of a size=N body handed to one write */

enum lv_flag {
    LV_F_PARKED = 1u << 1,     /* waiting for a delay_us timer */
    LV_F_DELAY_DONE = 1u << 2, /* the timer fired: answer the first request now */
    LV_F_WRITING = 1u << 3,    /* a uv_write is in flight: no reading, no parsing */
    LV_F_READING = 1u << 4,    /* uv_read_start is in effect */
    LV_F_CLOSING = 1u << 5,    /* close once the output is gone */
    LV_F_CLOSED = 1u << 6,     /* uv_close called */
    LV_F_EOF = 1u << 7,        /* the peer sent FIN: answer what is here, then close */
};

struct lv_loop;
struct lv_out;

#define LV_TIMER_POOL_MAX 4096u /* stopped timers kept per loop for the next delay_us */

/* A delay_us timer, lent by the loop's pool to a parked connection only:
 * idle connections do not carry a uv_timer_t. A stopped timer stays open in
 * the pool (it never needs uv_close until the loop ends). */
struct lv_timer {
    uv_timer_t t;
    struct lv_conn *conn; /* the parked connection, NULL in the pool */
    struct lv_timer *next;
};

/* One connection. The uv_tcp_t comes first (a handle pointer is a conn
 * pointer). */
struct lv_conn {
    uv_tcp_t tcp;
    struct lv_timer *timer; /* only while parked */
    struct lv_loop *loop;
    struct srv_buf in; /* unanswered input, no buffer while idle */
    struct proto_parser parser;
    uint16_t flags;     /* enum lv_flag */
    struct lv_out *out; /* the write in flight, only while LV_F_WRITING */
};

struct lv_loop {
    uv_loop_t uv;
    const struct srv_opts *opts;
    struct srv_stats *stats;
    int listen_fd, spare_fd;
    uv_poll_t listen_poll, stop_poll;
    char *rbuf, *obuf;
    size_t olen;             /* bytes in obuf for the connection being answered */
    struct lv_timer *timers; /* the pool of stopped timers */
    unsigned timers_n;
    pthread_t thread;
    int rc;
};

/* conn.c */
int lv_conn_open(struct lv_loop *l, int fd);
void lv_conn_close(struct lv_conn *c, bool graceful);
/* Closes the pooled timers (at the end of the loop). */
void lv_timers_close(struct lv_loop *l);

/* loop.c: the whole server (listeners, loops, threads) until SIGTERM. */
int lv_serve(const struct srv_opts *o, struct srv_stats *stats);

#endif
