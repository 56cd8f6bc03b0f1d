/* hosts: the transport to a host: parsing its URL, the OpenSSH ControlMaster
 * (one per host), the argv that runs a command there, and a captured run.
 *   try: scripts/netns-lab.sh up; C10K_SSH_CONFIG=$(scripts/netns-lab.sh config)
 *        build/harness/c10k hosts check $(scripts/netns-lab.sh hosts) */
#include "hosts/hosts.h"
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <util.h>

#define HOSTS_SSH "/usr/bin/ssh"

/* Letters a user, address or name may hold: nothing a shell or ssh reads
 * as an option or a metacharacter. */
static bool safe_token(const char *s, const char *extra)
{
    if (!*s || *s == '-') return false;
    for (; *s; s++)
        if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') && !(*s >= '0' && *s <= '9') &&
            !strchr(extra, *s))
            return false;
    return true;
}

static int parse_port(const char *s, unsigned *port)
{
    uint64_t v;
    if (util_parse_count(s, 1, 65535, &v) < 0 || strpbrk(s, "kKmMgG.")) return -EINVAL;
    *port = (unsigned)v;
    return 0;
}

/* "[v6]:port", "[v6]", "addr:port", "addr" */
static int parse_hostport(const char *s, struct hosts_host *h)
{
    const char *end, *colon;
    size_t len;
    if (*s == '[') {
        end = strchr(s, ']');
        if (!end || (end[1] && end[1] != ':')) return -EINVAL;
        len = (size_t)(end - s - 1);
        colon = end[1] ? end + 1 : NULL;
        s++;
    } else {
        colon = strchr(s, ':');
        len = colon ? (size_t)(colon - s) : strlen(s);
    }
    if (len == 0 || len >= sizeof h->addr) return -EINVAL;
    memcpy(h->addr, s, len);
    h->addr[len] = '\0';
    if (!safe_token(h->addr, ".-_:%")) return -EINVAL;
    return colon ? parse_port(colon + 1, &h->port) : 0;
}

int hosts_parse(const char *s, struct hosts_host *h)
{
    const char *rest, *at;
    size_t n = strlen(s);
    memset(h, 0, sizeof *h);
    h->master.pid = -1;
    h->master.out_fd = -1;
    if (n >= sizeof h->url) return -EINVAL;
    memcpy(h->url, s, n + 1); /* not snprintf: GCC's -fsanitize build calls s null */
    if (strcmp(s, "local") == 0) {
        h->local = true;
        return 0;
    }
    if (strncmp(s, "ssh://", 6) != 0) return -EINVAL;
    rest = s + 6;
    at = strchr(rest, '@');
    if (at) {
        if ((size_t)(at - rest) >= sizeof h->user) return -EINVAL;
        snprintf(h->user, sizeof h->user, "%.*s", (int)(at - rest), rest);
        if (!safe_token(h->user, "._-")) return -EINVAL;
        rest = at + 1;
    }
    return parse_hostport(rest, h);
}

int hosts_parse_list(const char *s, char (*urls)[HOSTS_URL_MAX], size_t cap, size_t *n)
{
    char buf[HOSTS_URL_MAX * 4], *save = NULL, *tok;
    struct hosts_host h;
    if (strlen(s) >= sizeof buf) return -E2BIG;
    snprintf(buf, sizeof buf, "%s", s);
    *n = 0;
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (*n == cap) return -E2BIG;
        if (hosts_parse(tok, &h) < 0) return -EINVAL;
        snprintf(urls[(*n)++], HOSTS_URL_MAX, "%s", tok);
    }
    return *n ? 0 : -EINVAL;
}

/* Appends a copy of s to the argv under construction. */
static int push(struct hosts_argv *a, size_t *n, size_t *used, const char *s)
{
    size_t len = strlen(s) + 1;
    if (*n + 1 >= sizeof a->v / sizeof a->v[0] || *used + len > sizeof a->storage) return -E2BIG;
    a->v[*n] = memcpy(a->storage + *used, s, len);
    *used += len;
    a->v[++*n] = NULL;
    return 0;
}

/* ssh and its options for h; master = the ControlMaster itself. */
static int ssh_prefix(const struct hosts_host *h, bool master, struct hosts_argv *a, size_t *n,
                      size_t *used)
{
    const char *cfg = getenv("C10K_SSH_CONFIG");
    char o[256];
    int rc = push(a, n, used, HOSTS_SSH);
    if (cfg && *cfg) rc |= push(a, n, used, "-F") | push(a, n, used, cfg);
    rc |= push(a, n, used, "-o") | push(a, n, used, "BatchMode=yes");
    snprintf(o, sizeof o, "ConnectTimeout=%d", HOSTS_CONNECT_TIMEOUT_S);
    rc |= push(a, n, used, "-o") | push(a, n, used, o);
    /* a host gone mid-trial is noticed within 3 x 2 s */
    rc |= push(a, n, used, "-o") | push(a, n, used, "ServerAliveInterval=2");
    rc |= push(a, n, used, "-o") | push(a, n, used, "ServerAliveCountMax=3");
    snprintf(o, sizeof o, "ControlPath=%s", h->ctl);
    rc |= push(a, n, used, "-o") | push(a, n, used, o);
    rc |= push(a, n, used, "-o") |
          push(a, n, used, master ? "ControlMaster=yes" : "ControlMaster=no");
    if (master)
        rc |=
            push(a, n, used, "-o") | push(a, n, used, "ControlPersist=no") | push(a, n, used, "-N");
    if (h->port) {
        snprintf(o, sizeof o, "%u", h->port);
        rc |= push(a, n, used, "-p") | push(a, n, used, o);
    }
    if (h->user[0]) rc |= push(a, n, used, "-l") | push(a, n, used, h->user);
    rc |= push(a, n, used, h->addr);
    return rc ? -E2BIG : 0;
}

/* cmd as one string for the remote shell: each word single-quoted. */
static int quote_cmd(char *const cmd[], char *out, size_t cap)
{
    size_t len = 0;
    for (; *cmd; cmd++) {
        const char *p;
        if (len + 4 >= cap) return -E2BIG;
        if (len) out[len++] = ' ';
        out[len++] = '\'';
        for (p = *cmd; *p; p++) {
            const char *piece = *p == '\'' ? "'\\''" : NULL;
            size_t k = piece ? 4 : 1;
            if (len + k + 2 >= cap) return -E2BIG;
            memcpy(out + len, piece ? piece : p, k);
            len += k;
        }
        out[len++] = '\'';
    }
    out[len] = '\0';
    return 0;
}

int hosts_argv_build(const struct hosts_host *h, char *const cmd[], struct hosts_argv *out)
{
    size_t n = 0, used = 0;
    char line[8192];
    int rc;
    out->v[0] = NULL;
    if (h->local) {
        for (; *cmd; cmd++)
            if ((rc = push(out, &n, &used, *cmd)) < 0) return rc;
        return 0;
    }
    if ((rc = ssh_prefix(h, false, out, &n, &used)) < 0 ||
        (rc = quote_cmd(cmd, line, sizeof line)) < 0)
        return rc;
    return push(out, &n, &used, "--") | push(out, &n, &used, line) ? -E2BIG : 0;
}

/* The last non-empty line of a file (ssh's error), into buf. */
static void last_line(const char *path, char *buf, size_t cap)
{
    char all[4096];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t r = fd >= 0 ? read(fd, all, sizeof all - 1) : -1;
    char *p;
    if (fd >= 0) close(fd);
    all[r > 0 ? r : 0] = '\0';
    while (r > 0 && (all[r - 1] == '\n' || all[r - 1] == '\r'))
        all[--r] = '\0';
    p = strrchr(all, '\n');
    snprintf(buf, cap, "%s", p ? p + 1 : all);
}

static int master_wait(struct hosts_host *h, const char *err_path, char *err, size_t cap)
{
    uint64_t until = util_mono_ns() + (HOSTS_CONNECT_TIMEOUT_S + 5) * UTIL_NS_PER_S;
    struct stat st;
    while (util_mono_ns() < until) {
        if (stat(h->ctl, &st) == 0 && S_ISSOCK(st.st_mode)) return 0;
        if (hn_child_poll(&h->master)) {
            last_line(err_path, err, cap);
            if (!err[0]) snprintf(err, cap, "ssh exited with status %d", h->master.status);
            return -EHOSTUNREACH;
        }
        if (hn_sleep_ns(20 * UTIL_NS_PER_MS) < 0) {
            snprintf(err, cap, "interrupted");
            return -EINTR;
        }
    }
    snprintf(err, cap, "no ssh connection within %d s", HOSTS_CONNECT_TIMEOUT_S + 5);
    return -EHOSTUNREACH;
}

int hosts_open(struct hosts_host *h, const char *ctl_dir, char *err, size_t cap)
{
    static unsigned seq;
    struct hosts_argv a;
    char err_path[256];
    size_t n = 0, used = 0;
    int rc;
    err[0] = '\0';
    if (h->local || h->up) {
        h->up = true;
        return 0;
    }
    snprintf(h->ctl, sizeof h->ctl, "%s/m%u", ctl_dir, seq++);
    snprintf(err_path, sizeof err_path, "%s.err", h->ctl);
    if (ssh_prefix(h, true, &a, &n, &used) < 0 ||
        hn_child_spawn(&h->master, a.v, NULL, false, err_path) < 0) {
        snprintf(err, cap, "cannot start ssh");
        return -EHOSTUNREACH;
    }
    rc = master_wait(h, err_path, err, cap);
    if (rc < 0) {
        hn_child_kill(&h->master);
        h->master.pid = -1;
        unlink(err_path);
        return rc;
    }
    h->up = true;
    return 0;
}

void hosts_close(struct hosts_host *h)
{
    char err_path[256];
    if (!h->local && h->master.pid > 0) {
        hn_child_stop(&h->master, UTIL_NS_PER_S);
        h->master.pid = -1;
        unlink(h->ctl);
        snprintf(err_path, sizeof err_path, "%s.err", h->ctl);
        unlink(err_path);
    }
    h->up = false;
}

int hosts__wait(struct hn_child *c, uint64_t until_ns)
{
    while (!hn_child_poll(c) && util_mono_ns() < until_ns)
        hn_sleep_ns(5 * UTIL_NS_PER_MS);
    if (!c->exited) {
        hn_child_kill(c);
        return -ETIMEDOUT;
    }
    return WIFEXITED(c->status) && WEXITSTATUS(c->status) == 0 ? 0 : -EIO;
}

int hosts_capture(const struct hosts_host *h, const char *script, char *out, size_t cap,
                  uint64_t timeout_ns)
{
    char *cmd[] = {"sh", "-c", (char *)script, NULL};
    struct hosts_argv a;
    struct hn_child c;
    uint64_t until = util_mono_ns() + timeout_ns;
    size_t len = 0;
    int rc;
    if ((rc = hosts_argv_build(h, cmd, &a)) < 0) return rc;
    if (h->local) a.v[0] = "/bin/sh";
    if ((rc = hn_child_spawn(&c, a.v, NULL, true, NULL)) < 0) return rc;
    out[0] = '\0';
    while (rc == 0 && len + 2 < cap) {
        uint64_t now = util_mono_ns();
        rc =
            now < until ? hn_child_readline(&c, out + len, cap - len - 1, until - now) : -ETIMEDOUT;
        if (rc == 0) {
            len += strlen(out + len);
            out[len++] = '\n';
            out[len] = '\0';
        }
    }
    if (rc == -EINTR || rc == -ETIMEDOUT) {
        hn_child_kill(&c);
        hn_child_close(&c);
        return rc;
    }
    rc = hosts__wait(&c, until); /* stdout closed: it is exiting */
    hn_child_close(&c);
    return rc;
}
