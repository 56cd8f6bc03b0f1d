/* trial hosts: one trial across hosts: the server on its host (pinned, its
 * ready line over ssh) in its memory group there (made by the probe, `c10k
 * probe --memcg`, started first), the probe beside it (its samples and the
 * server's memory books streamed back), one load runner per load host (hosts/runner_ssh.c) with its
 * share of connections and rate, all started by one "go", merged by the
 * runners (measure/runmerge.c). A host lost mid-trial breaks the trial, named.
 *   try: tests/hosts/test-multihost.sh build/harness/c10k scripts/netns-lab.sh */
#include "trial.h"
#include "config.h"
#include "models.h"
#include "probe.h"
#include "proc.h"
#include "store.h"
#include "hosts/hosts.h"
#include "results/metric.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <util.h>

/* Breaks the trial: "<role> <url> <what>" (after any reason already set). */
static void th_broken(struct hn_trial *t, const char *role, const char *url, const char *what)
{
    size_t len = *t->broken ? strlen(t->reason) : 0;
    if (len) len += (size_t)snprintf(t->reason + len, t->reason_cap - len, "; ");
    if (len < t->reason_cap)
        snprintf(t->reason + len, t->reason_cap - len, "%s %s %s", role, url, what);
    *t->broken = true;
}

/* The last line of a local file (what ssh or the process said last). */
static void tail_line(const char *path, char *out, size_t cap)
{
    char buf[4096];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    off_t end = fd >= 0 ? lseek(fd, 0, SEEK_END) : 0;
    ssize_t r = fd >= 0 ? pread(fd, buf, sizeof buf - 1, end > 4095 ? end - 4095 : 0) : -1;
    char *p;
    if (fd >= 0) close(fd);
    buf[r > 0 ? r : 0] = '\0';
    while (r > 0 && buf[r - 1] == '\n')
        buf[--r] = '\0';
    p = strrchr(buf, '\n');
    snprintf(out, cap, "%s", p ? p + 1 : buf);
}

/* --processes as locally, under the server host's hard descriptor limit. */
static unsigned server_processes(const struct hn_trial *t)
{
    const struct hosts_host *h = &t->c->hosts->server;
    json_t *f = h->local ? NULL : json_object_get(t->c->hosts->facts, h->url);
    json_t *nofile = json_object_get(f, "nofile");
    uint64_t limit = json_is_integer(nofile) && json_integer_value(nofile) > 0
                         ? (uint64_t)json_integer_value(nofile)
                     : json_is_null(nofile) ? UINT64_MAX / 2 /* unlimited */
                                            : 0;
    return hn_trial_server_processes(t, limit);
}

static int server_start(struct hn_trial *t, char *url, size_t cap)
{
    const struct hosts_host *h = &t->c->hosts->server;
    char err_path[1500], procs[16];
    /* it listens on the address the load hosts reach (loopback when local) */
    char *cmd[] = {t->model.path, "--host", h->local ? "127.0.0.1" : (char *)h->addr,
                   "--port",      "0",      "--processes",
                   procs,         NULL};
    struct hosts_proc_opts o = {.cpus = t->c->server_cpus,
                                .want_stdout = true,
                                .cgroup_procs = t->rprobe_procs[0] ? t->rprobe_procs : NULL};
    int rc;
    t->srv_processes = server_processes(t);
    snprintf(procs, sizeof procs, "%u", t->srv_processes);
    if (t->srv_processes <= 1) cmd[5] = NULL;
    snprintf(err_path, sizeof err_path, "%s.stderr", t->base);
    if ((rc = hosts_proc_start(&t->srv, h, cmd, &o, err_path)) < 0) return rc;
    t->t0_ns = util_mono_ns();
    rc = hn_trial_ready(t, url, cap);
    if (rc == -ENOTCONN && hosts_proc_lost(h, &t->srv)) {
        char why[300] = "failed: ";
        tail_line(err_path, why + 8, sizeof why - 8);
        th_broken(t, "server host", h->url, why);
    }
    return rc;
}

/* "probe group METHOD PROCS" (or "probe group system WHY"): the books'
 * method and why, and where the server starts. */
static void probe_group(struct hn_trial *t, const char *line)
{
    char method[16] = "", rest[1300] = "";
    const char *url = t->c->hosts->server.url;
    if (sscanf(line, "probe group %15s %1299[^\n]", method, rest) < 1) return;
    t->books.method = !strcmp(method, "cgroup2")   ? MEMCG_V2
                      : !strcmp(method, "cgroup1") ? MEMCG_V1
                                                   : MEMCG_SYSTEM;
    if (t->books.method == MEMCG_SYSTEM) {
        snprintf(t->books.why, sizeof t->books.why,
                 "no memory group on the server's host %.60s (%.80s)", url, rest);
        return;
    }
    snprintf(t->rprobe_procs, sizeof t->rprobe_procs, "%s", rest);
    snprintf(t->books.why, sizeof t->books.why,
             "the server's group on its host %.60s; c10k-load on the load hosts: no client side",
             url);
}

/* `c10k probe - --memcg` on the server's host, off the server's CPUs, before
 * the server: it makes the server's memory group. */
static int probe_open(struct hn_trial *t)
{
    const struct hosts_host *h = &t->c->hosts->server;
    char self[4096], err_path[1500], line[1500];
    char *cmd[] = {self,      "probe", "-", "--since-ns", "0", "--pin", (char *)t->c->load_cpus,
                   "--memcg", NULL};
    struct hosts_argv a;
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    int rc;
    if (n <= 0) return -errno;
    self[n] = '\0';
    snprintf(err_path, sizeof err_path, "%s.probe.stderr", t->base);
    t->rprobe_samples = json_array();
    if ((rc = hosts_argv_build(h, cmd, &a)) < 0 ||
        (rc = hn_child_spawn_io(&t->rprobe, a.v, true, err_path)) < 0)
        return rc;
    rc = hn_child_readline(&t->rprobe, line, sizeof line, 10 * UTIL_NS_PER_S);
    if (rc == 0 && strncmp(line, "probe group ", 12) != 0) rc = -EPROTO;
    if (rc == 0) probe_group(t, line);
    return rc;
}

/* The server's pid to the probe; its clock starts at its "probe ready":
 * here, when that line arrives. */
static int probe_start(struct hn_trial *t)
{
    char pid[32], ready[64];
    int len = snprintf(pid, sizeof pid, "pid %d\n", (int)t->ready_pid);
    int rc = write(t->rprobe.in_fd, pid, (size_t)len) == len ? 0 : -EPIPE;
    if (rc == 0) rc = hn_child_readline(&t->rprobe, ready, sizeof ready, 10 * UTIL_NS_PER_S);
    if (rc == 0 && strcmp(ready, "probe ready") != 0) rc = -EPROTO;
    t->rprobe_t0_s = (double)(util_mono_ns() - t->t0_ns) / 1e9;
    return rc;
}

static void probe_say(struct hn_trial *t, const char *what)
{
    size_t n = strlen(what);
    ssize_t r = t->rprobe.in_fd > 0 ? write(t->rprobe.in_fd, what, n) : 0;
    (void)r; /* a probe gone says so at its end (no samples) */
}

static void probe_kick(struct hn_trial *t)
{
    probe_say(t, "kick\n");
}

/* One line of the probe: a sample (moved onto the server's clock) or its end. */
static void probe_line(struct hn_trial *t, const char *line)
{
    json_t *v;
    if (strncmp(line, "sample ", 7) == 0 && (v = json_loads(line + 7, 0, NULL))) {
        json_t *ts = json_array_get(v, HN_SF_T);
        if (json_array_size(v) == HN_SF_COUNT && json_is_number(ts)) {
            json_array_set_new(v, HN_SF_T, json_real(json_number_value(ts) + t->rprobe_t0_s));
            json_array_append(t->rprobe_samples, v);
        }
        json_decref(v);
    } else if (strncmp(line, "books ", 6) == 0) {
        bool idle = strncmp(line + 6, "idle ", 5) == 0;
        if ((v = json_loads(line + (idle ? 11 : 13), 0, NULL))) {
            hosts_books_take(&t->books, idle ? BOOKS_IDLE : BOOKS_LOADED, v);
            json_decref(v);
        }
    } else if (strncmp(line, "end ", 4) == 0 && !t->rprobe_end) {
        t->rprobe_end = json_loads(line + 4, 0, NULL);
    }
}

/* Reads what the probe said within wait_ms (its samples stream in as they
 * are taken: a host lost later loses none of them). 1 once it has ended. */
static int probe_read(struct hn_trial *t, int wait_ms)
{
    struct pollfd pfd = {t->rprobe.out_fd, POLLIN, 0};
    char *buf = t->rprobe_buf, *nl;
    ssize_t r;
    if (t->rprobe.out_fd < 0 || t->rprobe_end) return 1;
    if (poll(&pfd, 1, wait_ms) <= 0) return 0;
    r = read(t->rprobe.out_fd, buf + t->rprobe_len, sizeof t->rprobe_buf - 1 - t->rprobe_len);
    if (r <= 0) return 1;
    t->rprobe_len += (size_t)r;
    buf[t->rprobe_len] = '\0';
    while ((nl = strchr(buf, '\n'))) {
        *nl = '\0';
        probe_line(t, buf);
        t->rprobe_len -= (size_t)(nl + 1 - buf);
        memmove(buf, nl + 1, t->rprobe_len + 1);
    }
    if (t->rprobe_len == sizeof t->rprobe_buf - 1) t->rprobe_len = 0; /* not a line of ours */
    return t->rprobe_end != NULL;
}

void hn_trial_hosts_poll(struct hn_trial *t)
{
    for (int i = 0; i < 16 && t->rprobe.pid > 0 && probe_read(t, 0) == 0; i++)
        ; /* at most 16 x 8 KiB a look */
}

/* Ends the probe; its samples (streamed) become t->probe. */
static void probe_finish(struct hn_trial *t)
{
    uint64_t until = util_mono_ns() + 30 * UTIL_NS_PER_S;
    char path[1500];
    json_t *j;
    if (t->rprobe.pid <= 0) return;
    close(t->rprobe.in_fd);
    t->rprobe.in_fd = -1;
    while (probe_read(t, 100) == 0 && util_mono_ns() < until)
        ;
    if (!t->rprobe_end)
        json_array_append_new(t->notes, json_string("the probe on the server's host did not end "
                                                    "cleanly: the samples it sent are kept"));
    j = t->rprobe_end ? json_deep_copy(t->rprobe_end) : json_object();
    json_object_set(j, "samples", t->rprobe_samples);
    json_object_set_new(j, "host", json_string(t->c->hosts->server.url));
    /* the server's memory group there (its cgroup.procs), removed after it */
    json_object_set_new(j, "memory_group",
                        t->rprobe_procs[0] ? json_string(t->rprobe_procs) : json_null());
    if (json_array_size(t->rprobe_samples)) hn_probe_import(&t->probe, j);
    snprintf(path, sizeof path, "%s.probe.json", t->base);
    hn_store_write_json(path, j); /* as it came, with where it ran */
    json_decref(j);
}

int hn_trial_hosts_server(struct hn_trial *t, char *url, size_t cap)
{
    int rc = probe_open(t);
    return rc < 0 ? rc : server_start(t, url, cap);
}

int hn_trial_hosts_probe(struct hn_trial *t)
{
    int rc = probe_start(t);
    /* idle: light samples every 100 ms, then one of the whole tree, and
     * the memory books (as locally: right after it) */
    if (rc == 0) rc = hn_sleep_ns(300 * UTIL_NS_PER_MS);
    if (rc == 0) probe_say(t, "kick\nbooks idle\n");
    return rc == 0 ? hn_sleep_ns(100 * UTIL_NS_PER_MS) : rc;
}

void hn_trial_hosts_kick(struct hn_trial *t, bool books)
{
    if (books) probe_say(t, "books loaded\n");
    probe_kick(t);
}

/* c10k-load ran on other hosts: no client side, so no books to close (the
 * server host's MemFree delta stays, as mem_per_conn_all_in_bytes). */
void hn_trial_hosts_metrics(const struct hn_trial *t, double *m)
{
    (void)t;
    for (int i = RES_M_CLI_USER; i <= RES_M_CLI_TOTAL; i++)
        m[i] = NAN;
    m[RES_M_BOOKS_GAP] = NAN;
}

/* One runner per load host (never more than connections), its share of the
 * connections and the rate, every one started by one "go". */
int hn_trial_hosts_load(struct hn_trial *t, const char *url)
{
    const struct hosts_set *s = t->c->hosts;
    unsigned n = (unsigned)(s->n_load < t->pt->conns ? s->n_load : t->pt->conns), i;
    char lg[4096], target[1100];
    snprintf(target, sizeof target, "%s%s", url, t->pt->path);
    struct runner_args a = hn_trial_runner_args(t, n, target, lg, sizeof lg);
    struct runner_env env = {t->c->load_cpus, NULL};
    int rc = runners_plan(&t->load_runs, t->base, n, t->pt->conns, t->pt->rate, target);
    for (i = 0; rc == 0 && i < n; i++)
        rc = hosts_runner_attach(&t->load_runs.r[i], &s->load[i]);
    if (rc == 0) rc = runners_start(&t->load_runs, &a, &env);
    for (i = 0; rc == 0 && i < n; i++)
        rc = hosts_runner_go(&t->load_runs.r[i]);
    t->load_start_ns = util_mono_ns();
    return rc;
}

/* Names each load host lost mid-trial; records which host each runner ran
 * on ("hosts" beside "runners" in the merged load JSON). */
void hn_trial_hosts_after_load(struct hn_trial *t)
{
    char path[1600];
    json_t *j, *hosts = json_array();
    for (unsigned i = 0; i < t->load_runs.n; i++) {
        const char *url = t->c->hosts->load[i].url;
        if (hosts_runner_lost(&t->load_runs.r[i])) {
            char err[1600], why[300] = "failed mid-trial: ";
            snprintf(err, sizeof err, "%s.load.stderr", t->load_runs.r[i].base);
            tail_line(err, why + 18, sizeof why - 18);
            th_broken(t, "load host", url, why);
        }
        json_array_append_new(hosts, json_string(url));
    }
    snprintf(path, sizeof path, "%s.load.json", t->base);
    if ((j = json_load_file(path, 0, NULL))) {
        json_object_set_new(j, "hosts", hosts);
        hn_store_write_json(path, j);
        json_decref(j);
    } else {
        json_decref(hosts);
    }
}

void hn_trial_hosts_stop(struct hn_trial *t)
{
    const struct hosts_host *h = &t->c->hosts->server;
    probe_finish(t);
    if (!t->exited_early && hn_child_poll(&t->srv)) t->exited_early = true;
    if (t->exited_early && hosts_proc_lost(h, &t->srv)) {
        char err[1500], why[300] = "failed mid-trial: ";
        snprintf(err, sizeof err, "%s.stderr", t->base);
        tail_line(err, why + 18, sizeof why - 18);
        th_broken(t, "server host", h->url, why);
    }
    t->stop_ns = util_mono_ns();
    /* the leash ends: SIGTERM there, SIGKILL 2 s later; the session a bit after */
    if (t->srv.pid > 0 && hosts_proc_stop(&t->srv, 3 * UTIL_NS_PER_S) == 1) {
        t->stop_killed = true;
        json_array_append_new(t->flags, json_string("stop_timeout"));
    }
    hn_trial_drain(t);
    /* the probe removes the server's group once it is empty (8 s at most) */
    if (t->rprobe.pid > 0) hosts__wait(&t->rprobe, util_mono_ns() + 10 * UTIL_NS_PER_S);
}

void hn_trial_hosts_cleanup(struct hn_trial *t)
{
    /* the load runners and the server: their sessions end in trial.c, and
     * with them what they ran there */
    if (t->rprobe.pid > 0) {
        hn_child_kill(&t->rprobe);
        hn_child_close(&t->rprobe);
    }
    json_decref(t->rprobe_samples);
    json_decref(t->rprobe_end);
}
