/* itc_proc: the server process side of the integration client: fork/exec a
 * server with --port 0, read its ready line within 5 s, stop it with a signal
 * and a deadline, run a binary to capture its output and exit status. */
#include "itc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROC_MAX_ARGS 32

uint64_t itc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* fork + exec path args with stdout (and stderr when err_fd) on pipes. */
static pid_t proc_spawn(const char *const *argv, int *out_fd, int *err_fd, unsigned nofile)
{
    int out[2], err[2] = {-1, -1};
    if (pipe2(out, O_CLOEXEC) != 0) return -errno;
    if (err_fd && pipe2(err, O_CLOEXEC) != 0) {
        close(out[0]);
        close(out[1]);
        return -errno;
    }
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* a killed test leaves no server */
        if (nofile) {
            struct rlimit rl = {.rlim_cur = nofile, .rlim_max = nofile};
            setrlimit(RLIMIT_NOFILE, &rl);
        }
        dup2(out[1], STDOUT_FILENO);
        if (err_fd) dup2(err[1], STDERR_FILENO);
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "itc: exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int saved = errno;
    close(out[1]);
    if (err_fd) close(err[1]);
    if (pid < 0) {
        close(out[0]);
        if (err_fd) close(err[0]);
        return -saved;
    }
    *out_fd = out[0];
    if (err_fd) *err_fd = err[0];
    return pid;
}

/* Appends what fd has within timeout_ms to buf; returns bytes read, 0 at EOF,
 * -ETIMEDOUT. */
static ssize_t proc_read(int fd, char *buf, size_t cap, int timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int n = poll(&p, 1, timeout_ms < 0 ? 0 : timeout_ms);
    if (n == 0) return -ETIMEDOUT;
    if (n < 0) return -errno;
    ssize_t r = read(fd, buf, cap);
    return r < 0 ? -errno : r;
}

static int proc_parse_ready(struct itc_server *s, const char *line)
{
    char host[64];
    unsigned port;
    int pid;
    if (sscanf(line, "ready %63s pid=%d", host, &pid) != 2) return -EPROTO;
    char *colon = strrchr(host, ':');
    if (!colon || sscanf(colon + 1, "%u", &port) != 1 || port == 0 || port > 65535) return -EPROTO;
    *colon = '\0';
    char *h = host;
    if (h[0] == '[') { /* [::1] */
        h++;
        h[strlen(h) - 1] = '\0';
    }
    snprintf(s->host, sizeof(s->host), "%s", h);
    s->port = (uint16_t)port;
    if (pid != s->pid)
        fprintf(stderr, "itc: note: ready line says pid=%d, child is %d\n", pid, (int)s->pid);
    return 0;
}

static int proc_wait_ready(struct itc_server *s)
{
    uint64_t deadline = itc_now_ms() + ITC_READY_TIMEOUT_MS;
    for (;;) {
        char *nl = memchr(s->out, '\n', s->out_len);
        if (nl) {
            *nl = '\0';
            int rc = proc_parse_ready(s, s->out);
            *nl = '\n';
            if (rc < 0) fprintf(stderr, "itc: bad ready line: %.*s\n", (int)(nl - s->out), s->out);
            return rc;
        }
        if (s->out_len + 1 >= sizeof(s->out)) return -EPROTO;
        ssize_t n = proc_read(s->out_fd, s->out + s->out_len, sizeof(s->out) - 1 - s->out_len,
                              (int)(deadline - itc_now_ms()));
        if (n <= 0) return n == 0 ? -ECHILD : (int)n;
        s->out_len += (size_t)n;
    }
}

int itc_server_start(struct itc_server *s, const char *path, const char *const *args)
{
    const char *argv[PROC_MAX_ARGS] = {path, "--port", "0"};
    size_t n = 3;
    for (; args && *args && n + 1 < PROC_MAX_ARGS; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    unsigned nofile = s->nofile;
    memset(s, 0, sizeof(*s));
    s->out_fd = -1;
    s->nofile = nofile;
    pid_t pid = proc_spawn(argv, &s->out_fd, NULL, nofile);
    if (pid < 0) {
        fprintf(stderr, "itc: cannot start %s: %s\n", path, strerror((int)-pid));
        s->pid = 0;
        return (int)pid;
    }
    s->pid = pid;
    int rc = proc_wait_ready(s);
    if (rc == 0) return 0;
    int status = 0;
    if (rc == -ECHILD && waitpid(pid, &status, 0) == pid) {
        s->pid = 0;
        if (WIFEXITED(status) && WEXITSTATUS(status) == ITC_SKIP) return ITC_SKIP;
    }
    fprintf(stderr, "itc: %s did not get ready: %s\n", path, strerror(-rc));
    itc_server_kill(s);
    return rc;
}

int itc_server_stop(struct itc_server *s, int sig, int timeout_ms, int *status)
{
    if (s->pid <= 0) return -ECHILD;
    kill(s->pid, sig);
    uint64_t deadline = itc_now_ms() + (uint64_t)timeout_ms;
    do {
        pid_t r = waitpid(s->pid, status, WNOHANG);
        if (r == s->pid) {
            s->pid = 0;
            return 0;
        }
        usleep(2000);
    } while (itc_now_ms() < deadline);
    kill(s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
    s->pid = 0;
    return -ETIMEDOUT;
}

/* With this process as child subreaper, a server's orphaned children become
 * ours: kill and reap every one, so none keeps the test's stderr open. */
static void proc_kill_orphans(void)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    char path[300], buf[512];
    while (d && (e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
        if (f) fclose(f);
        buf[n] = '\0';
        char *p = strrchr(buf, ')');
        int ppid = 0;
        char state;
        if (p && sscanf(p + 1, " %c %d", &state, &ppid) == 2 && ppid == getpid())
            kill(atoi(e->d_name), SIGKILL);
    }
    if (d) closedir(d);
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
}

void itc_server_kill(struct itc_server *s)
{
    if (s->pid > 0) {
        /* a chance to take its children down, then no more chances */
        int status;
        if (itc_server_stop(s, SIGTERM, 2000, &status) != 0 && s->pid > 0) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, NULL, 0);
        }
        s->pid = 0;
    }
    proc_kill_orphans();
    if (s->out_fd >= 0) {
        close(s->out_fd);
        s->out_fd = -1;
    }
}

void itc_server_drain_out(struct itc_server *s, int timeout_ms)
{
    uint64_t deadline = itc_now_ms() + (uint64_t)timeout_ms;
    while (s->out_fd >= 0 && s->out_len + 1 < sizeof(s->out)) {
        ssize_t n = proc_read(s->out_fd, s->out + s->out_len, sizeof(s->out) - 1 - s->out_len,
                              (int)(deadline - itc_now_ms()));
        if (n <= 0) break;
        s->out_len += (size_t)n;
    }
    s->out[s->out_len] = '\0';
}

int itc_server_stats(struct itc_server *s, int timeout_ms, struct itc_stats *st)
{
    const char *line;
    itc_server_drain_out(s, timeout_ms);
    line = strstr(s->out, "\nstats ");
    if (!line || sscanf(line, "\nstats accepted=%llu rejected=%llu reason=%31s", &st->accepted,
                        &st->rejected, st->reason) != 3)
        return -ENOENT;
    return 0;
}

static void proc_collect(int fd, char *buf, size_t cap, size_t *len, uint64_t deadline)
{
    ssize_t n;
    while (*len + 1 < cap &&
           (n = proc_read(fd, buf + *len, cap - 1 - *len, (int)(deadline - itc_now_ms()))) > 0)
        *len += (size_t)n;
    buf[*len] = '\0';
}

int itc_run(const char *path, const char *const *args, char *out, size_t out_cap, char *err,
            size_t err_cap, int timeout_ms)
{
    const char *argv[PROC_MAX_ARGS] = {path};
    size_t n = 1;
    for (; args && *args && n + 1 < PROC_MAX_ARGS; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    int out_fd, err_fd;
    pid_t pid = proc_spawn(argv, &out_fd, &err_fd, 0);
    if (pid < 0) return (int)pid;
    uint64_t deadline = itc_now_ms() + (uint64_t)timeout_ms;
    size_t out_len = 0, err_len = 0;
    proc_collect(out_fd, out, out_cap, &out_len, deadline);
    proc_collect(err_fd, err, err_cap, &err_len, deadline);
    close(out_fd);
    close(err_fd);
    struct itc_server s = {.pid = pid, .out_fd = -1};
    int status = 0;
    int rc = itc_server_stop(&s, 0, (int)(deadline - itc_now_ms()) + 1, &status);
    return rc < 0 ? rc : status;
}
