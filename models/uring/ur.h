/* ur: internals of c10k-server-uring shared by its files (ring.c sets up and
 * probes a ring and its provided-buffer ring, loop.c runs rings and threads and
 * dispatches completions, conn.c owns a connection). Nothing here is used
 * elsewhere. */
#ifndef C10K_UR_H
#define C10K_UR_H

#include <liburing.h>
#include <pthread.h>
#include <stdint.h>

#include "proto.h"
#include "srv.h"

#define UR_SQ_ENTRIES 4096u
#define UR_CQ_ENTRIES (8u * UR_SQ_ENTRIES) /* one multishot recv per connection posts many */
#define UR_BUF_BYTES 2048u                 /* one provided receive buffer */
#define UR_BUF_COUNT 2048u                 /* per ring, shared by every connection */
#define UR_BUF_AREA ((size_t)UR_BUF_COUNT * UR_BUF_BYTES)
#define UR_BGID 0
#define UR_OBUF_BYTES (16u * 1024u) /* pooled response buffer of a connection */
#define UR_OBUF_POOL_MAX 1024u      /* free response buffers kept per ring */
#define UR_IN_PAUSE_BYTES (PROTO_HEAD_MAX + PROTO_ECHO_MAX + 64u * 1024u)
#define UR_STREAM_CHUNK (256u * 1024u) /* most of a size=N body in one send */
#define UR_UNAVAILABLE 77              /* exit status: io_uring cannot run here */

/* What a completion is about: the low 3 bits of user_data (the rest is the
 * connection or loop pointer, 8-byte aligned). */
enum ur_tag {
    UR_T_IGNORE = 0, /* cancel / timeout-remove results */
    UR_T_ACCEPT = 1,
    UR_T_STOP = 2,
    UR_T_RECV = 3,
    UR_T_SEND = 4,
    UR_T_TIMEOUT = 5,
    UR_T_LISTEN = 6, /* poll on the listener after EMFILE */
};
#define UR_TAG_MASK 7ull

enum ur_cflag {
    UR_C_RECV = 1u << 0,       /* a recv is armed */
    UR_C_SEND = 1u << 1,       /* a send is in flight */
    UR_C_SEND_BODY = 1u << 2,  /* ... and it is a piece of a size=N body */
    UR_C_PARKED = 1u << 3,     /* a delay_us timeout is in flight */
    UR_C_DELAY_DONE = 1u << 4, /* the timeout fired: answer the first request now */
    UR_C_CLOSING = 1u << 5,    /* answered Connection: close (or peer EOF): close when sent */
    UR_C_CLOSED = 1u << 6,     /* shut down; freed when nothing is in flight */
    UR_C_PAUSED = 1u << 7,     /* too much unanswered input: recv cancelled for now */
    UR_C_REARM = 1u << 8,      /* waiting in the re-arm list (-ENOBUFS) */
    UR_C_OBUF_HEAP = 1u << 9,  /* obuf is a big heap buffer, not from the pool */
    UR_C_EOF = 1u << 10,       /* the peer sent FIN: answer what is here, then close */
};

struct ur_loop;
struct ur_start;

struct ur_conn {
    int fd;
    uint16_t flags;    /* enum ur_cflag */
    uint8_t inflight;  /* recv + send + timeout requests not yet completed */
    struct srv_buf in; /* unanswered input, no buffer while idle */
    struct proto_parser parser;
    char *obuf; /* responses waiting to be sent, NULL while idle */
    uint32_t olen, osent;
    struct proto_req body_req; /* size=N body being streamed after obuf */
    size_t body_off, body_len;
    struct __kernel_timespec ts;
    struct ur_conn *rearm_next;
};

struct ur_features {
    unsigned setup_flags; /* what io_uring_queue_init_params accepted */
    bool multishot_accept;
    bool multishot_recv;
};

struct ur_loop {
    struct io_uring ring;
    bool ring_ok;
    const struct srv_opts *opts;
    struct srv_stats *stats;
    struct ur_features *feat; /* shared by the rings: a fallback applies to all */
    int listen_fd, spare_fd;
    struct ur_conn **conns; /* by fd */
    unsigned conns_cap;
    struct io_uring_buf_ring *br;
    char *bufs;
    unsigned recycled;     /* buffers given back since the last advance */
    struct ur_conn *rearm; /* connections whose recv waits for buffers */
    char *obuf_free;       /* free list of pooled response buffers */
    unsigned obuf_free_n;
    bool stop;
    bool accept_later;      /* no SQE was free to arm the accept: arm it after the batch */
    struct ur_start *start; /* how the rings start together (loop.c) */
    pthread_t thread;
    int rc;
};

/* ring.c */
int ur_ring_open(struct ur_loop *l, bool sqpoll, bool report);
void ur_ring_close(struct ur_loop *l);
int ur_probe(struct ur_loop *l);
struct io_uring_sqe *ur_sqe(struct ur_loop *l);
static inline uint64_t ur_data(const void *p, enum ur_tag t)
{
    return (uint64_t)(uintptr_t)p | (uint64_t)t;
}
void ur_buf_recycle(struct ur_loop *l, unsigned bid);
void ur_buf_flush(struct ur_loop *l);

/* conn.c */
int ur_conn_open(struct ur_loop *l, int fd);
void ur_conn_recv(struct ur_loop *l, struct ur_conn *c, struct io_uring_cqe *cqe);
void ur_conn_sent(struct ur_loop *l, struct ur_conn *c, int res);
void ur_conn_timeout(struct ur_loop *l, struct ur_conn *c, int res);
void ur_conn_rearm_all(struct ur_loop *l);
void ur_conn_free_all(struct ur_loop *l);

/* loop.c */
int ur_serve(const struct srv_opts *o, struct srv_stats *stats);

#endif
