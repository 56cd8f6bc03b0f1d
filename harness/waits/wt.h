/* wt: the internals of `c10k waits` (harness/waits/): the asyncio guides'
 * N-waits experiment. A job is one client fetching N slow requests; the runner
 * drives several jobs at once, sampling each one's process tree. Prefix wt_. */
#ifndef C10K_WT_H
#define C10K_WT_H

#include "proc.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WT_MAX_N 16
#define WT_MAX_CLIENTS 8

/* A client: its key in waits.json and how it is started. */
struct wt_client {
    const char *key;  /* "sequential", "asyncio", "threads", "processes", "c-threads", "c-epoll" */
    const char *mode; /* --mode of its program */
    bool python;      /* waits_client.py, else c10k-waits-client */
    bool concurrent;  /* its N requests overlap (false: one after another) */
    const char *what; /* one line for the report */
};

const struct wt_client *wt_client_find(const char *key);
/* The default list, comma separated. */
const char *wt_clients_default(void);

struct wt_config {
    uint64_t ns[WT_MAX_N];
    size_t n_ns;
    const struct wt_client *clients[WT_MAX_CLIENTS];
    size_t n_clients;
    double wait_s;
    const char *server; /* model name */
    const char *out;    /* the run folder */
    bool serial;        /* one job at a time (default: sequential clients overlap the others) */
    bool merge;         /* keep the other clients of the waits.json already in out */
    bool quiet;
};

/* One client at one N. */
struct wt_job {
    const struct wt_client *client;
    uint64_t n;
    struct hn_child ch;
    char line[512];
    size_t len;
    int state; /* WT_* */
    uint64_t spawn_ns, ready_ns, deadline_ns, next_sample_ns;
    uint64_t base_mem, peak_mem;
    double wall_s, cpu_s, pool_start_s; /* from its result line */
    long ok, errors;
    char why[256]; /* why it failed */
};
enum { WT_IDLE, WT_STARTING, WT_READY, WT_RUNNING, WT_DONE, WT_FAILED };

/* run.c: runs every job (sequential ones overlapping the rest unless
 * cfg->serial) against the server on port. 0, -EINTR when interrupted. */
int wt_run_jobs(const struct wt_config *cfg, int port, struct wt_job *jobs, size_t n);

/* out.c: waits.json (schema c10k-waits/1) into cfg->out and the table on stdout. */
json_t *wt_json(const struct wt_config *cfg, const struct wt_job *jobs, size_t n);
void wt_print(const json_t *doc);
/* Adds to doc the clients of old (an earlier waits.json of the same N list and
 * wait) that doc has not measured; -EINVAL when old is of another N or wait. */
int wt_merge(json_t *doc, const json_t *old);

#endif
