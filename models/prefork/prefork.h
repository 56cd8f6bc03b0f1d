/* prefork: the Apache-prefork model's internals, shared by its three files:
 * main.c (options, start, stop), pool.c (the master: scoreboard, spawning,
 * reaping) and child.c (one child: accept, serve one connection, repeat). */
#ifndef C10K_PREFORK_H
#define C10K_PREFORK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "srv.h"

/* Slot states in the scoreboard. */
enum pf_state {
    PF_FREE = 0,    /* no child */
    PF_LIVE = 1,    /* a child lives here (idle or serving) */
    PF_RETIRED = 2, /* the child decided to exit (pool already decremented) */
};

struct pf_slot {
    atomic_int pid;
    atomic_int state; /* enum pf_state */
    atomic_int idle;  /* 1 while the child waits in accept() */
};

/* The scoreboard: one MAP_SHARED|MAP_ANONYMOUS mapping made by the master
 * before the first fork, so every child sees the same counters. */
struct pf_board {
    struct srv_stats stats; /* accept statistics of the whole pool */
    atomic_int idle;        /* children waiting in accept() (or starting) */
    atomic_int pool;        /* children alive and not retiring */
    unsigned spare;         /* idle children kept (--spare) */
    unsigned floor;         /* the pool never shrinks below (--workers) */
    unsigned slots_n;       /* --max-workers */
    int wake_fd;            /* eventfd: a child tells the master idle is low */
    struct pf_slot slots[];
};

/* Idle children wake up this often to see whether they should retire. */
#define PF_IDLE_TIMEOUT_S 2
/* At most this many forks before the master looks at the pool again. */
#define PF_SPAWN_BATCH 128u

struct pf_master {
    const struct srv_opts *opts;
    int listen_fd;
    struct pf_board *board;
    size_t board_bytes;
    unsigned *free_slots; /* stack of free slot indices (master only) */
    unsigned free_n;
    unsigned children; /* forked and not yet reaped */
    unsigned *slot_of; /* pid -> slot + 1 (0 = none), pid_max entries */
    unsigned pid_max;
    pid_t master_pid;
    uint64_t full_reported_ns; /* last "--max-workers reached" line */
};

int pf_master_init(struct pf_master *m, const struct srv_opts *o, int listen_fd);
/* Forks, reaps and sleeps until SIGTERM/SIGINT; returns 0 or -errno. */
int pf_master_run(struct pf_master *m);
/* SIGTERM to every child, waits for all of them (SIGKILL after 1.5 s). */
void pf_master_stop(struct pf_master *m);
void pf_master_free(struct pf_master *m);

/* The life of one child in slot `slot`: returns its exit status, which the
 * fork site hands to _exit(). */
int pf_child_main(struct pf_board *b, unsigned slot, int listen_fd, pid_t master_pid);

#endif
