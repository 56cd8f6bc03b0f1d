/* hosts: where the harness runs its processes: `local`, or a machine reached
 * with the OpenSSH client (`ssh://[user@]address[:port]`): one ControlMaster
 * per host, BatchMode, a connect timeout, keep-alives that notice a host
 * gone mid-trial. The ssh client config is $C10K_SSH_CONFIG when set (the
 * lab's, scripts/netns-lab.sh config), else the user's. Prefix hosts_. */
#ifndef C10K_HOSTS_H
#define C10K_HOSTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "proc.h"
#include "measure/books.h"
#include "measure/runners.h"

#define HOSTS_URL_MAX HN_HOST_URL_MAX
#define HOSTS_MAX HN_MAX_HOSTS    /* load hosts of a run */
#define HOSTS_CONNECT_TIMEOUT_S 5 /* ssh ConnectTimeout */

struct hosts_host {
    char url[HOSTS_URL_MAX]; /* as given: "local" or "ssh://..." */
    bool local;
    char user[64], addr[128]; /* addr without brackets */
    unsigned port;            /* 0: ssh's default */
    char ctl[108];            /* the ControlMaster's socket */
    struct hn_child master;
    bool up;
};

/* "local" or "ssh://[user@]address[:port]" (IPv6 in brackets); 0 or -EINVAL. */
int hosts_parse(const char *s, struct hosts_host *h);
/* "H1,H2" into urls (each checked by hosts_parse); 0, -EINVAL or -E2BIG. */
int hosts_parse_list(const char *s, char (*urls)[HOSTS_URL_MAX], size_t cap, size_t *n);

/* Connects (starts the ControlMaster, its socket in ctl_dir) within the
 * connect timeout; on failure err says why in one line (ssh's own words).
 * A local host needs nothing. 0 or -EHOSTUNREACH. */
int hosts_open(struct hosts_host *h, const char *ctl_dir, char *err, size_t cap);
/* Ends the ControlMaster (every session through it ends with it). */
void hosts_close(struct hosts_host *h);

/* The argv that runs cmd on h (itself when local; else ssh through the
 * master, cmd quoted for the remote shell). storage holds the strings. */
struct hosts_argv {
    char *v[64];
    char storage[16384];
};
int hosts_argv_build(const struct hosts_host *h, char *const cmd[], struct hosts_argv *out);

/* Runs the shell script on h, its stdout into out (NUL-terminated, cut at
 * cap), within timeout_ns. 0, -ETIMEDOUT, -EIO (exit status not 0). */
int hosts_capture(const struct hosts_host *h, const char *script, char *out, size_t cap,
                  uint64_t timeout_ns);

/* What h has: {"cpus", "cpus_online", "kernel", "cgroup", "commit",
 * "binaries": {name: version or null}} (check.c), the binaries limited to
 * only[] (NULL: every one); NULL when it could not be asked. */
json_t *hosts_facts(const struct hosts_host *h, const char *const *only, size_t n_only);
/* NULL when facts show binary `name` runnable, else a short why-not. */
const char *hosts_lacks(const json_t *facts, const char *name);

/* Waits until c exits (killed at until_ns): 0 exit status 0, -EIO another,
 * -ETIMEDOUT (internal to hosts/). */
int hosts__wait(struct hn_child *c, uint64_t until_ns);

/* ---- a trial's processes on a host (remote.c) ---- */
struct hosts_proc_opts {
    bool gate;                /* start on hosts_proc_go, not at once */
    const char *cpus;         /* pin there (NULL: any) */
    const char *dir;          /* a folder to create there first (NULL: none) */
    bool want_stdout;         /* its stdout on ch->out_fd (the ready line) */
    const char *cgroup_procs; /* a memory group's cgroup.procs there to start it in */
};
/* Starts cmd on h leashed to ch's stdin; its stderr into err_path here. */
int hosts_proc_start(struct hn_child *ch, const struct hosts_host *h, char *const cmd[],
                     const struct hosts_proc_opts *o, const char *err_path);
int hosts_proc_go(struct hn_child *ch);
/* Ends the leash (the host stops it: SIGTERM, SIGKILL 2 s later) and waits
 * grace_ns; 0 when it exited, 1 when the session had to be killed. */
int hosts_proc_stop(struct hn_child *ch, uint64_t grace_ns);
/* Whether the session failed (ssh's exit status 255: host lost). */
bool hosts_proc_lost(const struct hosts_host *h, const struct hn_child *ch);
/* Copies file remote of h into local. 0, -ENOENT, -ETIMEDOUT. */
int hosts_fetch(const struct hosts_host *h, const char *remote, const char *local,
                uint64_t timeout_ns);
/* rm -rf of a trial's folder on h (only /tmp/c10k-*). */
int hosts_remove(const struct hosts_host *h, const char *dir);

/* ---- the load runner on a host (runner_ssh.c, measure/runners.h) ---- */
struct runner;
extern const struct runner_ops hosts_runner_ops;
/* Makes r (planned by runners_plan) a runner on h, local or over ssh. */
int hosts_runner_attach(struct runner *r, const struct hosts_host *h);
/* The common start: lets r's c10k-load begin (nothing for other kinds). */
int hosts_runner_go(struct runner *r);
/* Whether r's ssh session failed (its host lost). */
bool hosts_runner_lost(const struct runner *r);

/* ---- the server's memory books read on its host (books_wire.c) ---- */
/* One phase of the server's side of b (its group's parts, MemFree,
 * MemAvailable, slabinfo) as JSON; hosts_books_take puts it into b (0 or
 * -EINVAL). */
json_t *hosts_books_json(const struct books *b, enum books_phase ph);
int hosts_books_take(struct books *b, enum books_phase ph, const json_t *j);

/* The hosts of a run (c->server_host, c->load_hosts), connected. */
struct hosts_set {
    struct hosts_host server;
    struct hosts_host load[HOSTS_MAX];
    size_t n_load;
    char ctl_dir[32];
    json_t *facts; /* {url: facts} of every remote host */
};
/* Connects to every host and checks it has what the run needs (the models
 * on the server host, c10k-load on the load hosts); on failure prints one
 * line naming the host and why ("c10k VERB: host URL: ...") and returns
 * -EHOSTUNREACH or -ENOENT. Nothing to do when every host is local. */
int hosts_set_open(struct hosts_set *s, const struct hn_config *c, const char *verb);
void hosts_set_close(struct hosts_set *s);
/* Whether any host of c is not local. */
bool hosts_remote(const struct hn_config *c);

#endif
