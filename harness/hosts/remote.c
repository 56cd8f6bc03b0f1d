/* hosts remote: a trial's process on a host, leashed to its ssh session: a
 * small sh wrapper there starts it (pinned, after a "go" line when gated: a
 * common start for every load host), and stops it when its stdin ends
 * (SIGTERM, SIGKILL 2 s later): on a stop, when ssh is killed (Ctrl-C), or
 * when the connection is lost. Files come back with cat over the session.
 *   try: tests/hosts/test-multihost.sh build/harness/c10k scripts/netns-lab.sh */
#include "hosts/hosts.h"
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <util.h>

/* $1 gate (1: wait for a line first), $2 CPUs ("" any), $3 a folder to
 * create ("" none), $4 a memory group's cgroup.procs to start it in ("" none),
 * then the command. Its stdin is the leash (fd 3). */
static const char remote_wrapper[] =
    "g=$1; cpus=$2; dir=$3; cg=$4; shift 4\n"
    "exec 3<&0 </dev/null\n"
    "[ -z \"$dir\" ] || mkdir -p \"$dir\" || exit 126\n"
    "if [ \"$g\" = 1 ]; then read -r go <&3 || { [ -z \"$dir\" ] || rm -rf \"$dir\"; exit 0; }; "
    "fi\n"
    /* only the command enters the group: the subshell moves itself, then is it */
    "run() { [ -z \"$cg\" ] || echo 0 > \"$cg\" || exit 125; "
    "if [ -n \"$cpus\" ]; then exec taskset -c \"$cpus\" \"$@\"; else exec \"$@\"; fi; }\n"
    "run \"$@\" &\n"
    "p=$!\n"
    /* the leash ends before it did (stopped, interrupted, lost): stop it
     * (its folder is then removed: nobody will fetch it) */
    "{ while read -r l; do :; done; [ -z \"$dir\" ] || : > \"$dir/.leash-ended\";"
    " kill -TERM $p; sleep 2; kill -KILL $p; } <&3 >/dev/null 2>&1 &\n"
    "w=$!\n"
    "wait $p; rc=$?\n"
    "[ -z \"$dir\" ] || [ ! -e \"$dir/.leash-ended\" ] || rm -rf \"$dir\"\n"
    "kill $w 2>/dev/null\n"
    "exit $rc\n";

int hosts_proc_start(struct hn_child *ch, const struct hosts_host *h, char *const cmd[],
                     const struct hosts_proc_opts *o, const char *err_path)
{
    char *argv[64];
    struct hosts_argv a;
    size_t n = 0;
    int rc;
    argv[n++] = "/bin/sh", argv[n++] = "-c", argv[n++] = (char *)remote_wrapper;
    argv[n++] = "c10k-remote", argv[n++] = o->gate ? "1" : "0";
    argv[n++] = (char *)(o->cpus ? o->cpus : ""), argv[n++] = (char *)(o->dir ? o->dir : "");
    argv[n++] = (char *)(o->cgroup_procs ? o->cgroup_procs : "");
    for (; *cmd && n + 1 < sizeof argv / sizeof argv[0]; cmd++)
        argv[n++] = *cmd;
    argv[n] = NULL;
    if ((rc = hosts_argv_build(h, argv, &a)) < 0) return rc;
    return hn_child_spawn_io(ch, a.v, o->want_stdout, err_path);
}

int hosts_proc_go(struct hn_child *ch)
{
    return write(ch->in_fd, "go\n", 3) == 3 ? 0 : -EPIPE;
}

int hosts_proc_stop(struct hn_child *ch, uint64_t grace_ns)
{
    uint64_t until = util_mono_ns() + grace_ns;
    if (ch->in_fd > 0) close(ch->in_fd);
    ch->in_fd = -1;
    while (!hn_child_poll(ch) && util_mono_ns() < until) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (ch->exited) return 0;
    hn_child_kill(ch); /* the remote side stops it when the session ends */
    return 1;
}

/* Whether the ssh session itself failed (exit 255), not the command. */
bool hosts_proc_lost(const struct hosts_host *h, const struct hn_child *ch)
{
    return !h->local && ch->exited && WIFEXITED(ch->status) && WEXITSTATUS(ch->status) == 255;
}

/* Reads everything fd gives into out until EOF or the deadline. */
static int copy_fd(int fd, int out, uint64_t until)
{
    char buf[65536];
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        uint64_t now = util_mono_ns();
        ssize_t r;
        if (now >= until) return -ETIMEDOUT;
        if (poll(&p, 1, (int)((until - now) / UTIL_NS_PER_MS) + 1) <= 0) continue;
        r = read(fd, buf, sizeof buf);
        if (r == 0) return 0;
        if (r < 0 && errno != EINTR) return -errno;
        if (r > 0 && write(out, buf, (size_t)r) != r) return -EIO;
    }
}

int hosts_fetch(const struct hosts_host *h, const char *remote, const char *local,
                uint64_t timeout_ns)
{
    char *cmd[] = {"/bin/cat", (char *)remote, NULL};
    struct hosts_argv a;
    struct hn_child c;
    int out, rc;
    if ((rc = hosts_argv_build(h, cmd, &a)) < 0) return rc;
    if ((out = open(local, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) return -errno;
    if ((rc = hn_child_spawn(&c, a.v, NULL, true, NULL)) < 0) {
        close(out);
        return rc;
    }
    rc = copy_fd(c.out_fd, out, util_mono_ns() + timeout_ns);
    close(out);
    if (rc == 0) rc = hosts__wait(&c, util_mono_ns() + timeout_ns);
    hn_child_close(&c);
    return rc == -EIO ? -ENOENT : rc;
}

int hosts_remove(const struct hosts_host *h, const char *dir)
{
    char script[600];
    if (strncmp(dir, "/tmp/c10k-", 10) != 0 || strstr(dir, ".."))
        return -EINVAL; /* only the folders made for a trial */
    snprintf(script, sizeof script, "rm -rf '%s'", dir);
    return hosts_capture(h, script, script, sizeof script, 10 * UTIL_NS_PER_S);
}
