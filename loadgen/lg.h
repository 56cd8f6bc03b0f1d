/* lg: c10k-load internals shared by its files: the one config struct, the
 * per-thread worker (its epoll loop, connections, histograms and counters),
 * the run that drives the workers, and the reports. Not a public API. */
#ifndef C10K_LG_H
#define C10K_LG_H

#include <netinet/in.h>
#include <sys/socket.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hist.h"
#include "resp.h"

#define LG_VERSION "0.1.0"
#define LG_ERRNO_MAX 134               /* connect errors are counted per errno below this */
#define LG_RBUF_BYTES (64 * 1024)      /* one read buffer per thread */
#define LG_RETRY_NS (100 * 1000000ull) /* wait before reconnecting after a connect error */
#define LG_SCAN_NS (50 * 1000000ull)   /* timeout scan period */

enum lg_arrival { LG_ARRIVAL_CONSTANT, LG_ARRIVAL_POISSON };

/* --source: count local addresses from first on (the last 64 bits counted). */
struct lg_source {
    struct sockaddr_storage first;
    uint32_t count;
};

struct lg_config {
    const char *url;
    struct sockaddr_storage addr; /* the target (IPv4 or IPv6) */
    socklen_t addrlen;
    char host_header[300];
    char target[1024];       /* path and query */
    const char *method;      /* --method, default GET */
    const char *body;        /* --body, NULL for none */
    uint32_t connections;    /* -c */
    uint32_t threads;        /* -t (0 until resolved: CPUs in the affinity mask) */
    uint64_t duration_ns;    /* -d */
    uint64_t warmup_ns;      /* --warmup */
    uint64_t timeout_ns;     /* --timeout: per request, and per connect */
    uint64_t rate_rps;       /* -R, 0 = closed loop */
    uint64_t connect_rate;   /* --connect-rate per second, 0 = all at once */
    uint32_t pipeline;       /* --pipeline */
    enum lg_arrival arrival; /* --arrival */
    struct lg_source source; /* --source range (count 0 = none) */
    const char *source_text;
    const char *json_path, *hgrm_path, *series_path, *hlog_path;
    bool quiet;       /* --quiet: no human summary */
    bool idle;        /* --idle: each connection answered once in the ramp, then silent */
    uint64_t seed;    /* --seed for poisson arrivals */
    uint64_t spin_ns; /* --spin: wake this long before a send, then poll */
    int cpus[256];    /* the affinity mask, in order */
    int ncpus;
};

/* Counters, one set per worker, summed at the end. Request counters only
 * count requests whose intended send time lies in the measured window. */
struct lg_counts {
    uint64_t sent, completed, ok, non2xx, timeouts;
    uint64_t err_connect, err_read, err_write, err_reset, err_eof, err_parse;
    uint64_t reconnects, bytes_read, unsent_due;
    uint64_t received;   /* responses that arrived inside the window */
    uint64_t unanswered; /* closed loop: slots up without a first response at the ramp's end */
    uint64_t connect_errno[LG_ERRNO_MAX];
};

enum lg_state { LG_CLOSED, LG_CONNECTING, LG_OPEN };

/* lg_conn.ever: what a slot has done so far. */
#define LG_EVER_OPEN 0x01     /* connected at least once */
#define LG_EVER_ANSWERED 0x02 /* got a response at least once */
#define LG_AWAITING 0x04      /* ramp (closed loop): open, its first response still due */

/* One connection slot: 64 bytes, no buffer of its own. */
struct lg_conn {
    int fd;
    uint32_t id;       /* global slot number, for the schedule's phase */
    uint64_t next_ns;  /* open loop: intended time of the next unsent request;
                          closed slot: when to reconnect */
    uint64_t since_ns; /* connecting: when it started; closed: when to retry;
                          open: since when it could send (open loop) */
    uint32_t sched_k;  /* requests consumed from this slot's schedule */
    int32_t heap_pos;  /* -1 when not in the send heap */
    uint32_t wr_left;  /* bytes of the last write still to go (EPOLLOUT) */
    uint16_t inflight;
    uint16_t ring_head;  /* oldest in-flight entry */
    uint8_t state;       /* enum lg_state */
    uint8_t ever;        /* LG_EVER_* */
    uint8_t close_after; /* a Connection: close response ended it */
    uint8_t served;      /* a response arrived since it opened */
    struct lg_resp resp;
};

/* What a request left behind for its response. */
struct lg_flight {
    uint64_t intended_ns;
    uint64_t sent_ns;
};

/* One second of the series, double-buffered between a worker and main. */
struct lg_interval {
    struct hist lat;          /* every response of the second (the series) */
    struct hist cor, unc;     /* --hlog: the measured ones, corrected and uncorrected */
    uint64_t completed_total; /* cumulative at the end of the interval */
    uint64_t errors_total;
    uint32_t open; /* connections open at the end of the interval */
};

struct lg_run;

struct lg_worker {
    struct lg_run *run;
    const struct lg_config *cfg;
    int index;
    pthread_t thread;
    int epfd;
    struct lg_conn *conns;
    uint32_t nconns, first_id;
    struct lg_flight *flights; /* nconns * pipeline */
    int32_t *heap;             /* open loop send heap of conn indexes */
    uint32_t heap_len;
    char *rbuf;
    uint64_t rng;
    uint64_t interval_ns; /* per-slot schedule interval (constant arrivals) */
    double mean_gap_ns;   /* per-slot mean gap (poisson) */
    /* connect pacing */
    uint32_t next_connect;
    uint64_t connect_gap_ns;
    uint64_t ramp_start_ns;
    /* state */
    uint32_t open, ever_open, connecting;
    uint32_t awaiting;          /* slots with LG_AWAITING */
    uint64_t connected_ns;      /* every connect() of the ramp done (0: not yet) */
    _Atomic uint64_t issued_ns; /* the ramp's last connect() issued (0: not yet) */
    uint64_t inflight_total;
    uint64_t all_completed, all_errors;
    uint64_t next_scan_ns;
    struct lg_counts counts;
    struct hist lat, lat_unc, late, delay;
    /* series */
    struct lg_interval iv[2];
    uint64_t iv_seq;
    uint64_t next_iv_ns;
    _Atomic uint64_t iv_done;     /* written by the worker */
    _Atomic uint64_t iv_consumed; /* written by main */
    _Atomic uint64_t iv_second;   /* the last second published (1 = the first) */
    /* phases */
    _Atomic int ramp_done;
    _Atomic int finished;
    uint64_t ramp_end_ns;
    bool going, measuring, ended;
    uint64_t cpu0_ns, cpu1_ns; /* thread CPU time at measure start / end */
    double utime_s, stime_s;   /* measured-window user/system time */
    double ru0_user_s, ru0_sys_s;
    /* read by main only */
    uint64_t main_completed, main_errors;
    uint32_t main_open;
};

struct lg_run {
    const struct lg_config *cfg;
    char *request;           /* pipeline copies of the request */
    size_t request_len;      /* one copy */
    uint64_t start_ns;       /* process start: t_s = 0 of the series */
    _Atomic uint64_t go_ns;  /* 0 until the ramp is over: load starts then */
    _Atomic uint64_t end_ns; /* end of the measured window (moved earlier on SIGINT) */
    uint64_t measure_ns;     /* go + warm-up */
    uint64_t drain_ns;       /* how long after the end in-flight requests may finish */
    struct lg_worker *workers;
    uint32_t nworkers;
    double ramp_s;      /* connections up (closed loop: and answered once) */
    double connected_s; /* every connect() done; < 0 when the ramp ended first */
    uint64_t ended_ns;
};

/* opts.c */
int lg_opts_parse(int argc, char **argv, struct lg_config *cfg);
void lg_usage(FILE *f, const char *prog);

/* addr.c */
int lg_addr_resolve(const char *host, size_t n, uint16_t port, struct sockaddr_storage *ss,
                    socklen_t *len);
int lg_source_parse(const char *s, int family, struct lg_source *src);
int lg_source_bind(const struct lg_source *src, int fd, uint32_t id);

/* worker.c */
int lg_worker_init(struct lg_worker *w, struct lg_run *run, int index, uint32_t first_id,
                   uint32_t n);
void lg_worker_close(struct lg_worker *w);
void *lg_worker_main(void *arg);

/* conn.c: connection life cycle, reading and writing */
void lg_conn_start(struct lg_worker *w, struct lg_conn *c, uint64_t now);
void lg_conn_event(struct lg_worker *w, struct lg_conn *c, uint32_t events);
int lg_conn_send(struct lg_worker *w, struct lg_conn *c, uint32_t n, uint64_t now);
void lg_conn_fail(struct lg_worker *w, struct lg_conn *c, uint64_t *counter, uint64_t now);
void lg_conn_scan(struct lg_worker *w, uint64_t now);
void lg_conn_close_all(struct lg_worker *w);
bool lg_in_window(const struct lg_run *run, uint64_t intended_ns);
/* The ramp is over for slot c: no longer awaited (counted unanswered). */
void lg_conn_unawait(struct lg_worker *w, struct lg_conn *c);

/* sched.c: open-loop schedule and send heap (calls nothing above it; the
 * worker sends what is due) */
void lg_sched_first(struct lg_worker *w, struct lg_conn *c, uint64_t go_ns);
void lg_sched_advance(struct lg_worker *w, struct lg_conn *c);
void lg_heap_push(struct lg_worker *w, struct lg_conn *c);
void lg_heap_remove(struct lg_worker *w, struct lg_conn *c);
uint64_t lg_sched_next_ns(const struct lg_worker *w);

/* run.c */
int lg_run_init(struct lg_run *run, const struct lg_config *cfg);
int lg_run_exec(struct lg_run *run);
void lg_run_close(struct lg_run *run);

/* report.c */
struct lg_hists {
    struct hist lat, unc, late, delay;
};
int lg_hists_init(struct lg_hists *h);
void lg_hists_close(struct lg_hists *h);
void lg_report_sum(const struct lg_run *run, struct lg_counts *c, struct lg_hists *h);
int lg_report_json(const struct lg_run *run, const char *path);
int lg_report_hgrm(const struct lg_run *run, const char *path);
void lg_report_human(const struct lg_run *run, FILE *f);
uint32_t lg_report_established(const struct lg_run *run);

/* series.c: the once-a-second outputs main writes (--series, --hlog) */
struct lg_rows {
    FILE *series, *hlog;
    struct hist lat, cor, unc; /* the second being merged */
    uint64_t prev_completed, prev_ns;
};
int lg_rows_open(struct lg_rows *r, const struct lg_run *run);
void lg_rows_close(struct lg_rows *r);
void lg_series_row(struct lg_run *run, struct lg_rows *r, uint64_t now, bool final);

#endif
