/* hn proc: the child processes of a trial (server, c10k-load): started in their
 * own process group, pinned, stdout on a pipe, killed with the harness
 * (PR_SET_PDEATHSIG), stopped with SIGTERM then SIGKILL to the group. The
 * harness is a child subreaper, so a stopped group is reaped whole: when a
 * trial ends, none of its processes is still exiting. It also owns the run's
 * signals: SIGINT/SIGTERM set hn_interrupted(), which every wait here checks.
 *   try: tests/harness/test-fake-servers.sh build/harness/c10k */
#include "config.h"
#include "proc.h"
#include "measure/memcg.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <util.h>

static volatile sig_atomic_t hn_stop_signal;

static void on_signal(int sig)
{
    hn_stop_signal = sig;
}

bool hn_interrupted(void)
{
    return hn_stop_signal != 0;
}

int hn_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: waits return EINTR */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0) return -errno;
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

/* In the child, before exec: only async-signal-safe calls. */
static void child_setup(const char *cpus, int in_r, int out_w, const char *err_path, pid_t parent,
                        const char *cgroup_procs)
{
    cpu_set_t set;
    int devnull = open("/dev/null", O_RDWR);
    int err = err_path ? open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644) : devnull;
    sigset_t none;
    if (cgroup_procs) /* before exec: all it allocates is charged there */
        memcg_enter(cgroup_procs);
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    if (cpus && hn_cpus_parse(cpus, &set) == 0) sched_setaffinity(0, sizeof set, &set);
    dup2(in_r >= 0 ? in_r : devnull, 0);
    dup2(out_w >= 0 ? out_w : devnull, 1);
    dup2(err >= 0 ? err : devnull, 2);
}

int hn_child_spawn(struct hn_child *c, char *const argv[], const char *cpus, bool want_stdout,
                   const char *err_path)
{
    return hn_child_spawn_in(c, argv, cpus, want_stdout, err_path, NULL);
}

static void close_pair(int p[2])
{
    if (p[0] >= 0) close(p[0]);
    if (p[1] >= 0) close(p[1]);
}

static int spawn(struct hn_child *c, char *const argv[], const char *cpus, bool want_stdin,
                 bool want_stdout, const char *err_path, const char *cgroup_procs)
{
    int pfd[2] = {-1, -1}, ifd[2] = {-1, -1};
    pid_t parent = getpid(), pid;
    prctl(PR_SET_CHILD_SUBREAPER, 1); /* orphans of the group come back to us */
    memset(c, 0, sizeof *c);
    c->out_fd = c->in_fd = -1;
    if ((want_stdout && pipe2(pfd, O_CLOEXEC) < 0) || (want_stdin && pipe2(ifd, O_CLOEXEC) < 0)) {
        int e = errno;
        close_pair(pfd);
        return -e;
    }
    pid = fork();
    if (pid < 0) {
        int e = errno;
        close_pair(pfd);
        close_pair(ifd);
        return -e;
    }
    if (pid == 0) {
        child_setup(cpus, ifd[0], pfd[1], err_path, parent, cgroup_procs);
        execv(argv[0], argv);
        dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid); /* both sides, so it holds before either runs on */
    c->pid = pid;
    if (pfd[1] >= 0) close(pfd[1]);
    if (ifd[0] >= 0) close(ifd[0]);
    c->out_fd = pfd[0];
    c->in_fd = ifd[1];
    return 0;
}

int hn_child_spawn_in(struct hn_child *c, char *const argv[], const char *cpus, bool want_stdout,
                      const char *err_path, const char *cgroup_procs)
{
    return spawn(c, argv, cpus, false, want_stdout, err_path, cgroup_procs);
}

int hn_child_spawn_io(struct hn_child *c, char *const argv[], bool want_stdout,
                      const char *err_path)
{
    return spawn(c, argv, NULL, true, want_stdout, err_path, NULL);
}

bool hn_child_poll(struct hn_child *c)
{
    int st;
    if (c->exited || c->pid <= 0) return true;
    if (waitpid(c->pid, &st, WNOHANG) == c->pid) {
        c->exited = true;
        c->status = st;
    }
    return c->exited;
}

int hn_ready_parse(const char *line, char *url, size_t cap, int *port, pid_t *pid)
{
    char host[256];
    const char *hp = line + 6, *colon;
    size_t len;
    int po, pi;
    if (strncmp(line, "ready ", 6) != 0) return -EINVAL;
    if (*hp == '[') { /* "[::1]:8080": the port follows the bracket */
        colon = strchr(hp, ']');
        if (!colon || colon[1] != ':') return -EINVAL;
        colon++;
    } else {
        colon = strchr(hp, ':');
    }
    len = colon ? (size_t)(colon - hp) : 0;
    if (len == 0 || len >= sizeof host) return -EINVAL;
    memcpy(host, hp, len);
    host[len] = '\0';
    if (sscanf(colon + 1, "%d pid=%d", &po, &pi) != 2 || po <= 0 || po > 65535 || pi <= 0)
        return -EINVAL;
    if (url) snprintf(url, cap, "http://%s:%d", host, po);
    if (port) *port = po;
    if (pid) *pid = (pid_t)pi;
    return 0;
}

/* Waits for every member of a group that was sent SIGKILL: the orphans among
 * them are ours (subreaper), so this returns when none is left, not when
 * the leader alone is gone. */
static void reap_group(pid_t pgid)
{
    int st;
    while (waitpid(-pgid, &st, 0) > 0 || errno == EINTR)
        ;
}

int hn_child_stop(struct hn_child *c, uint64_t grace_ns)
{
    uint64_t until;
    if (hn_child_poll(c)) goto done;
    kill(c->pid, SIGTERM);
    until = util_mono_ns() + grace_ns;
    while (!hn_child_poll(c) && util_mono_ns() < until) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (!c->exited) {
        hn_child_kill(c);
        return 1;
    }
done:
    kill(-c->pid, SIGKILL); /* leftovers of its group */
    reap_group(c->pid);
    return 0;
}

void hn_child_kill(struct hn_child *c)
{
    int st;
    if (c->pid <= 0) return;
    kill(-c->pid, SIGKILL);
    kill(c->pid, SIGKILL);
    if (!c->exited && waitpid(c->pid, &st, 0) == c->pid) {
        c->exited = true;
        c->status = st;
    }
    reap_group(c->pid);
}

void hn_child_close(struct hn_child *c)
{
    if (c->out_fd >= 0) close(c->out_fd);
    c->out_fd = -1;
    if (c->in_fd > 0) close(c->in_fd);
    c->in_fd = -1;
}

int hn_child_readline(struct hn_child *c, char *buf, size_t cap, uint64_t timeout_ns)
{
    uint64_t until = util_mono_ns() + timeout_ns;
    size_t len = 0;
    while (len + 1 < cap) {
        struct pollfd pfd = {c->out_fd, POLLIN, 0};
        uint64_t now = util_mono_ns();
        int r;
        if (now >= until) return -ETIMEDOUT;
        if (hn_interrupted()) return -EINTR;
        r = poll(&pfd, 1, (int)((until - now) / UTIL_NS_PER_MS) + 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) continue;
        r = (int)read(c->out_fd, buf + len, 1);
        if (r <= 0) return -EPIPE;
        if (buf[len] == '\n') break;
        len++;
    }
    buf[len] = '\0';
    return 0;
}

int hn_sleep_ns(uint64_t ns)
{
    uint64_t until = util_mono_ns() + ns;
    while (util_mono_ns() < until) {
        uint64_t left = until - util_mono_ns();
        struct timespec ts = {0, (long)(left < 20 * UTIL_NS_PER_MS ? left : 20 * UTIL_NS_PER_MS)};
        if (hn_interrupted()) return -EINTR;
        nanosleep(&ts, NULL);
    }
    return hn_interrupted() ? -EINTR : 0;
}
