/* srv: what every c10k server model shares (docs/models.md "What every model does"):
 * options, the listen socket, the ready line, RLIMIT_NOFILE, SIGTERM/SIGINT,
 * the delay/work helpers and the accept/reject statistics with their exit line.
 * A model's main() is: srv_opts_parse -> srv_raise_nofile -> srv_signals_init
 * -> srv_listen -> srv_ready -> its loop -> srv_stats_print -> exit 0. */
#ifndef C10K_SRV_H
#define C10K_SRV_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Which model-specific options a model accepts (srv_model.flags). */
enum srv_flag {
    SRV_OPT_THREADS = 1u << 0,   /* --threads N (name from srv_model.threads_flag) */
    SRV_OPT_STACK = 1u << 1,     /* --stack-size SIZE */
    SRV_OPT_WORKERS = 1u << 2,   /* --workers N, --max-workers N, --spare N */
    SRV_OPT_SQPOLL = 1u << 3,    /* --sqpoll */
    SRV_OPT_PROCESSES = 1u << 4, /* --processes N (srv_processes) */
};

struct srv_model {
    const char *name;         /* "epoll" -> c10k-server-epoll */
    const char *summary;      /* one line for --help */
    unsigned flags;           /* enum srv_flag */
    const char *threads_flag; /* "threads", "loops" or "rings" */
    const char *threads_help; /* what N means for this model */
    /* Optional defaults (0 = the common default shown in brackets). */
    unsigned default_threads;     /* [1] */
    unsigned default_workers;     /* [4] */
    unsigned default_max_workers; /* [1024] */
    unsigned default_spare;       /* [2] */
};

struct srv_opts {
    const struct srv_model *model;
    const char *host;     /* --host, default "127.0.0.1" */
    uint16_t port;        /* --port, default 0 (ephemeral) */
    int backlog;          /* --backlog, default 4096 */
    bool reuseport;       /* --reuseport: SO_REUSEPORT on the listener */
    unsigned threads;     /* --threads/--loops/--rings, default 1 */
    size_t stack_size;    /* --stack-size, 0 = the system default */
    unsigned workers;     /* prefork: --workers, children at start */
    unsigned max_workers; /* prefork: --max-workers */
    unsigned spare;       /* prefork: --spare, idle children kept */
    bool sqpoll;          /* uring: --sqpoll */
    unsigned processes;   /* --processes, default 1 */
};

/* Parses argv into o (defaults first). Returns 0 to run, 1 when --help or
 * --version was printed (main exits 0), -EINVAL after printing a one-line error
 * and the usage to stderr (main exits 2). */
int srv_opts_parse(struct srv_opts *o, const struct srv_model *m, int argc, char **argv);

/* Raises RLIMIT_NOFILE to its hard limit; returns the new soft limit. */
long srv_raise_nofile(void);
/* The soft RLIMIT_NOFILE, capped at SRV_FD_LIMIT_MAX: the size of a table
 * of connections indexed by fd. */
#define SRV_FD_LIMIT_MAX (1u << 20)
unsigned srv_fd_limit(void);

/* A listening TCP socket on o->host:o->port with SO_REUSEADDR (and SO_REUSEPORT
 * when reuseport), non-blocking when nonblock. Returns the fd or -errno. */
int srv_listen(const struct srv_opts *o, bool reuseport, bool nonblock);
/* The same socket bound but not listening (it holds the port). fd or -errno. */
int srv_bind(const struct srv_opts *o, bool reuseport);
/* The non-blocking listener of one of n event loops: with first_fd < 0 the
 * first (o->port, maybe 0), else one more on the port first_fd got. Each has
 * SO_REUSEPORT when n > 1 (the kernel spreads connections) or --reuseport.
 * Returns the fd or -errno. */
int srv_listen_loop(const struct srv_opts *o, unsigned n, int first_fd);

/* Prints "ready <host>:<port> pid=<pid>" for the bound fd and flushes stdout. */
int srv_ready(int listen_fd);

/* The port a bound socket got (to bind more SO_REUSEPORT listeners to the same
 * port after --port 0). Returns the port or -errno. */
int srv_bound_port(int fd);

/* SIGTERM/SIGINT set the stop flag and make srv_stop_fd() readable; SIGPIPE is
 * ignored. Handlers are installed without SA_RESTART so blocking calls return
 * EINTR. Returns 0 or -errno. */
int srv_signals_init(void);
bool srv_stopping(void);
/* In a forked worker: a self-pipe of its own, the stop flag cleared. */
int srv_signals_reset(void);

/* --processes N > 1 (procs.c): forks N workers sharing o->port (resolved when
 * 0) with SO_REUSEPORT. Returns 0 in a worker (and when N <= 1): serve as
 * usual, printing the ready and stats lines (they go to the first process).
 * The first process prints one ready line once every worker listens, passes
 * SIGTERM/SIGINT on, waits for every worker (they die with it) and prints the
 * summed stats line: then it returns 1 (main exits 0), or -errno (a worker
 * ended before it was ready, fork failed: main exits 1). Call it after
 * srv_signals_init, before the model listens. */
int srv_processes(struct srv_opts *o);
int srv_stop_fd(void); /* read end of a self-pipe, for event loops */

/* Burns us microseconds of this thread's CPU time (work_us). */
void srv_burn_us(uint32_t us);
/* Blocking sleep of us microseconds, restarted after EINTR unless stopping. */
void srv_sleep_us(uint32_t us);

/* Accept statistics. Place it where every thread/process can reach it (static
 * storage, or shared memory for prefork): the fields are atomics. */
struct srv_stats {
    atomic_ullong accepted;
    atomic_ullong rejected;
    atomic_int last_errno;
    atomic_ullong last_report_ns;
    atomic_ullong reported; /* rejections already reported on stderr */
};

void srv_stats_accepted(struct srv_stats *s);
/* Counts a connection that could not be taken (err = errno value: EMFILE,
 * EAGAIN from pthread_create, ENOMEM...) and says so on stderr at most once a
 * second: "c10k-server-<m>: cannot take connection: EMFILE (Too many open
 * files), N rejected so far". */
void srv_stats_reject(struct srv_stats *s, const char *model, int err);
/* "stats accepted=N rejected=N reason=<errno name or none>" on stdout, flushed. */
void srv_stats_print(struct srv_stats *s);

/* The EMFILE spare-fd trick: keeps one fd in reserve; when accept() fails with
 * EMFILE/ENFILE, srv_shed_one() frees it, accepts and closes one pending
 * connection (so the listener does not spin), and takes the reserve back. */
int srv_spare_open(void);
void srv_shed_one(int listen_fd, int *spare_fd);
/* The same, telling whether a connection was really shed: 1 (count it as
 * rejected), 0 (none was pending: accept() fails with EMFILE even on an empty
 * queue, so do not count it and stop accepting until the listener is readable). */
int srv_shed(int listen_fd, int *spare_fd);
/* accept() failed with err (not EAGAIN, EINTR or ECONNABORTED): on EMFILE or
 * ENFILE sheds one queued connection (srv_shed) and counts it only when there
 * was one; any other error is counted (srv_stats_reject). Returns 1 when a
 * connection was shed (more may be queued), 0 when the caller should wait for
 * the listener to become readable again. */
int srv_accept_failed(struct srv_stats *s, const char *model, int listen_fd, int *spare_fd,
                      int err);

/* Closing after a Connection: close answer (conn.c). srv_shut_drain sends FIN
 * (shutdown SHUT_WR), then drops what the peer already sent with at most
 * SRV_DRAIN_READS non-blocking reads of cap bytes into scratch, so close() does
 * not turn the answer into a reset. It never waits, so blocking models and
 * event loops call the same function (an event loop hands its read buffer).
 * srv_close_graceful is the same followed by close(fd). */
#define SRV_DRAIN_READS 4
void srv_shut_drain(int fd, void *scratch, size_t cap);
void srv_close_graceful(int fd, void *scratch, size_t cap);
/* TCP_NODELAY on an accepted socket: answers leave at once (conn.c). */
void srv_nodelay(int fd);

/* A connection's input kept between reads (buf.c): heap bytes only while it
 * holds some (an idle connection has p == NULL), 16 bytes on x86-64. */
struct srv_buf {
    char *p;
    uint32_t len, cap;
};
#define SRV_BUF_MIN_BYTES 4096u      /* its first size */
#define SRV_BUF_MAX_BYTES UINT32_MAX /* the most it can hold */
/* Room for need bytes in all, doubling from SRV_BUF_MIN_BYTES but never past
 * max (nor SRV_BUF_MAX_BYTES). Returns 0, -EMSGSIZE (need > max) or -ENOMEM. */
int srv_buf_reserve(struct srv_buf *b, size_t need, size_t max);
/* Appends p[0..n) under the same rules. */
int srv_buf_append(struct srv_buf *b, const void *p, size_t n, size_t max);
/* Drops the first n bytes (answered); frees the buffer once it is empty. */
void srv_buf_drop(struct srv_buf *b, size_t n);
void srv_buf_free(struct srv_buf *b);

/* Serves the connected socket fd with blocking reads and writes (blocking.c:
 * the threads and prefork models) until the peer closes, an error, or an
 * answer that closes the connection. in and out are the caller's buffers (on
 * its stack): input moves to the heap only for a request bigger than in_cap,
 * answers to pipelined requests gather in out. delay_us sleeps, work_us burns.
 * Does not close fd. Returns 1 (an answer carried Connection: close: close
 * with srv_close_graceful), 0 (the peer closed) or -errno. */
int srv_serve_blocking(int fd, char *in, size_t in_cap, char *out, size_t out_cap);

#endif
