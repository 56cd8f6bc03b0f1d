/* hn proc: child processes (started, pinned, stopped, reaped) and the
 * run's signals (proc.c). Prefix hn_. */
#ifndef C10K_HN_PROC_H
#define C10K_HN_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct hn_child {
    pid_t pid;                 /* also its process group */
    int out_fd;                /* read end of its stdout, or -1 */
    int in_fd;                 /* write end of its stdin (hn_child_spawn_io), or -1 */
    bool exited;
    int status;                /* waitpid status when exited */
};

/* Starts argv[0] in its own process group, pinned to cpus (NULL = any),
 * stdout to a pipe when want_stdout (else /dev/null), stderr to err_path
 * (NULL = /dev/null), killed when the harness dies. */
int hn_child_spawn(struct hn_child *c, char *const argv[], const char *cpus,
                   bool want_stdout, const char *err_path);
/* The same, the child first entering the memory group whose cgroup.procs is
 * cgroup_procs (NULL: stays in the harness's). */
int hn_child_spawn_in(struct hn_child *c, char *const argv[], const char *cpus,
                      bool want_stdout, const char *err_path, const char *cgroup_procs);
/* Started with its stdin on a pipe (c->in_fd), not pinned, no memory group:
 * an ssh session to another host (hosts/remote.c). */
int hn_child_spawn_io(struct hn_child *c, char *const argv[], bool want_stdout,
                      const char *err_path);
/* Reaps without blocking; true when it has exited. */
bool hn_child_poll(struct hn_child *c);
/* SIGTERM, then SIGKILL to the group after grace_ns. Returns 0 when it
 * exited on its own within the grace, 1 when it had to be killed. */
int hn_child_stop(struct hn_child *c, uint64_t grace_ns);
/* SIGKILL to the whole group and reap. */
void hn_child_kill(struct hn_child *c);
void hn_child_close(struct hn_child *c);
/* Reads a line from c->out_fd into buf within timeout_ns; 0, -ETIMEDOUT, or
 * -EPIPE when the child closed stdout / exited. */
int hn_child_readline(struct hn_child *c, char *buf, size_t cap, uint64_t timeout_ns);
/* A server model's ready line, "ready HOST:PORT pid=N" (HOST an IPv4 address,
 * a name, or "[IPv6]"): its URL "http://HOST:PORT" into url (may be NULL),
 * its port and pid. 0, or -EINVAL for any other line. */
int hn_ready_parse(const char *line, char *url, size_t cap, int *port, pid_t *pid);
/* Sleeps up to ns, returning early (-EINTR) when the run is interrupted. */
int hn_sleep_ns(uint64_t ns);

/* SIGINT/SIGTERM: set from hn_signals_install on; every wait of proc.c checks it. */
bool hn_interrupted(void);
int hn_signals_install(void);

#endif
