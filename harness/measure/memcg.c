/* memcg: memory cgroups of the c10k harness (one per trial side), cgroup v2
 * and v1 backends behind memcg.h: detect, create, enter/attach, read, destroy.
 *   try: tests/harness/test-memcg (a fake v1/v2 tree; the real one as root) */
#include "memcg.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <procfs.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MEMCG_BUF 16384

const char *memcg_method_name(enum memcg_method m)
{
    return m == MEMCG_V2 ? "cgroup2" : m == MEMCG_V1 ? "cgroup1" : "system";
}

static const char *root_of(const char *root)
{
    const char *e = getenv("C10K_CGROUP_ROOT");
    return root ? root : e && *e ? e : "/sys/fs/cgroup";
}

static int read_at(const char *dir, const char *file, char *buf, size_t cap)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    ssize_t r = procfs_read(path, buf, cap);
    return r < 0 ? (int)r : 0;
}

static int write_at(const char *dir, const char *file, const char *s)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC), rc = 0;
    if (fd < 0) return -errno;
    if (write(fd, s, strlen(s)) < 0) rc = -errno;
    close(fd);
    return rc;
}

static bool has_word(const char *list, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = strstr(list, w); p; p = strstr(p + 1, w))
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || !p[n])) return true;
    return false;
}

enum memcg_method memcg_detect(const char *root)
{
    char buf[512], dir[1100];
    const char *force = getenv("C10K_MEMORY_METHOD"), *r = root_of(root);
    if (force && !strcmp(force, "system")) return MEMCG_SYSTEM;
    if (read_at(r, "cgroup.controllers", buf, sizeof buf) == 0 && has_word(buf, "memory"))
        return MEMCG_V2;
    snprintf(dir, sizeof dir, "%s/memory", r);
    if (read_at(dir, "memory.usage_in_bytes", buf, sizeof buf) == 0) return MEMCG_V1;
    return MEMCG_SYSTEM;
}

/* The caller's own v1 memory group ("/a/b"; "" at the top) from /proc/self/cgroup. */
static int own_v1_path(char *out, size_t cap)
{
    char buf[4096];
    if (procfs_read("/proc/self/cgroup", buf, sizeof buf) < 0) return -EIO;
    for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
        char *c1 = strchr(l, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2) continue;
        *c2 = 0;
        if (has_word(c1 + 1, "memory") || strstr(c1 + 1, ",memory") ||
            !strncmp(c1 + 1, "memory,", 7)) {
            snprintf(out, cap, "%s", strcmp(c2 + 1, "/") ? c2 + 1 : "");
            return 0;
        }
    }
    return -ENOENT;
}

static int parent_dir(enum memcg_method m, const char *r, char *out, size_t cap)
{
    char own[900] = "";
    if (m == MEMCG_V2) {
        /* v2 allows no process in a group with children that have
         * controllers: the parent hangs off the root, memory enabled */
        write_at(r, "cgroup.subtree_control", "+memory");
        snprintf(out, cap, "%s/c10k", r);
        return 0;
    }
    if (own_v1_path(own, sizeof own) < 0) own[0] = 0;
    snprintf(out, cap, "%s/memory%s/c10k", r, own);
    return 0;
}

/* mkdir -p (a fake tree in the tests has no parents yet; cgroupfs has). */
static int mkdirs(const char *dir)
{
    char p[1024];
    snprintf(p, sizeof p, "%s", dir);
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = 0;
        if (mkdir(p, 0755) < 0 && errno != EEXIST) return -errno;
        *s = '/';
    }
    return mkdir(p, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

/* Removes groups "<anything>-<pid>" under parent whose pid is gone and which
 * are empty (a harness killed by SIGKILL leaves its groups behind). */
static void sweep_stale(const char *parent)
{
    DIR *d = opendir(parent);
    struct dirent *e;
    char path[1400];
    if (!d) return;
    while ((e = readdir(d))) {
        const char *dash = strrchr(e->d_name, '-');
        long pid = dash ? strtol(dash + 1, NULL, 10) : 0;
        if (e->d_type != DT_DIR || pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;
        snprintf(path, sizeof path, "%s/%s", parent, e->d_name);
        rmdir(path);
    }
    closedir(d);
}

int memcg_create(struct memcg *g, const char *root, const char *name)
{
    const char *r = root_of(root);
    memset(g, 0, sizeof *g);
    g->method = memcg_detect(root);
    if (g->method == MEMCG_SYSTEM) return -ENOTSUP;
    parent_dir(g->method, r, g->parent, sizeof g->parent);
    int rc = mkdirs(g->parent);
    if (rc < 0) return rc;
    if (g->method == MEMCG_V2) write_at(g->parent, "cgroup.subtree_control", "+memory");
    sweep_stale(g->parent);
    if (snprintf(g->dir, sizeof g->dir, "%s/%s-%ld", g->parent, name, (long)getpid()) >=
        (int)sizeof g->dir) {
        g->dir[0] = 0;
        return -ENAMETOOLONG;
    }
    if (mkdir(g->dir, 0755) < 0 && errno == ENOENT) /* a peer removed the empty parent */
        mkdirs(g->parent);
    if (mkdir(g->dir, 0755) < 0 && errno != EEXIST) {
        int e = -errno;
        g->dir[0] = 0;
        return e;
    }
    /* v1 counts socket buffers in kmem.tcp only once a limit was written */
    if (g->method == MEMCG_V1) write_at(g->dir, "memory.kmem.tcp.limit_in_bytes", "-1");
    return 0;
}

int memcg_procs_path(const struct memcg *g, char *buf, size_t cap)
{
    if (!g->dir[0]) return -ENOENT;
    return snprintf(buf, cap, "%s/cgroup.procs", g->dir) < (int)cap ? 0 : -ENAMETOOLONG;
}

int memcg_enter(const char *procs_path)
{
    int fd = open(procs_path, O_WRONLY | O_CLOEXEC), rc = 0;
    if (fd < 0) return -errno;
    if (write(fd, "0", 1) != 1) rc = -errno;
    close(fd);
    return rc;
}

int memcg_attach(const struct memcg *g, pid_t pid)
{
    char s[32];
    if (!g->dir[0]) return -ENOENT;
    snprintf(s, sizeof s, "%ld", (long)pid);
    return write_at(g->dir, "cgroup.procs", s);
}

static double num_at(const char *dir, const char *file)
{
    char buf[128];
    return read_at(dir, file, buf, sizeof buf) == 0 ? strtod(buf, NULL) : -1;
}

/* "key value" lines of memory.stat; -1 when absent. */
static double stat_num(const char *buf, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (!strncmp(p, key, n) && p[n] == ' ') return strtod(p + n + 1, NULL);
    return -1;
}

static double lines_at(const char *dir, const char *file)
{
    char path[1300], buf[MEMCG_BUF];
    double n = 0;
    ssize_t r;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    while ((r = read(fd, buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < r; i++)
            n += buf[i] == '\n';
    close(fd);
    return n;
}

/* Sum of VmPTE over the group's processes (v1 has no pagetables field). */
static double procs_pte(const char *dir)
{
    char path[1300], buf[4096], st[64];
    double sum = 0;
    snprintf(path, sizeof path, "%s/cgroup.procs", dir);
    FILE *f = fopen(path, "re");
    long pid;
    if (!f) return -1;
    while (fscanf(f, "%ld", &pid) == 1) {
        uint64_t pte = 0;
        snprintf(st, sizeof st, "/proc/%ld/status", pid);
        if (procfs_read(st, buf, sizeof buf) > 0 && procfs_field(buf, "VmPTE:", &pte) == 0)
            sum += (double)pte;
    }
    fclose(f);
    return sum;
}

static int read_v2(const struct memcg *g, struct memcg_parts *p, const char *st)
{
    double srec = stat_num(st, "slab_reclaimable"), sun = stat_num(st, "slab_unreclaimable");
    double current = num_at(g->dir, "memory.current");
    p->user = stat_num(st, "anon") + stat_num(st, "file");
    p->kernel = stat_num(st, "kernel");
    p->sock = stat_num(st, "sock");
    /* pages in use: memory.current also holds the per-CPU precharge (no page) */
    p->total =
        current >= 0 && p->kernel >= 0 && p->sock >= 0 ? p->user + p->kernel + p->sock : current;
    p->kernel_stack = stat_num(st, "kernel_stack");
    p->page_tables = stat_num(st, "pagetables");
    p->slab = srec >= 0 && sun >= 0 ? srec + sun : stat_num(st, "slab");
    p->percpu = stat_num(st, "percpu");
    p->threads = lines_at(g->dir, "cgroup.threads");
    return p->total >= 0 ? 0 : -EIO;
}

static int read_v1(const struct memcg *g, struct memcg_parts *p, const char *st)
{
    double usage = num_at(g->dir, "memory.usage_in_bytes");
    double tcp = num_at(g->dir, "memory.kmem.tcp.usage_in_bytes");
    if (usage < 0) return -EIO;
    p->sock = tcp >= 0 ? tcp : 0;
    p->user = stat_num(st, "rss") + stat_num(st, "cache");
    p->kernel = num_at(g->dir, "memory.kmem.usage_in_bytes");
    /* pages in use: usage_in_bytes also holds the group's per-CPU precharge
     * (up to 64 pages a CPU), which is no page; v1 charges socket buffers to
     * kmem.tcp only. So other is 0 in v1: slab is kmem's remainder. */
    p->total = p->user >= 0 && p->kernel >= 0 ? p->user + p->kernel + p->sock : usage + p->sock;
    p->kernel_stack = p->slab = p->percpu = -1;
    p->page_tables = procs_pte(g->dir);
    p->threads = lines_at(g->dir, "tasks");
    return 0;
}

int memcg_read(const struct memcg *g, struct memcg_parts *p)
{
    char st[MEMCG_BUF];
    int rc;
    for (size_t i = 0; i < sizeof *p / sizeof(double); i++)
        ((double *)p)[i] = -1;
    if (!g->dir[0]) return -ENOENT;
    rc = read_at(g->dir, "memory.stat", st, sizeof st);
    if (rc < 0) return rc;
    rc = g->method == MEMCG_V2 ? read_v2(g, p, st) : read_v1(g, p, st);
    p->processes = lines_at(g->dir, "cgroup.procs");
    return rc;
}

static void kill_members(const char *dir)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/cgroup.procs", dir);
    FILE *f = fopen(path, "re");
    long pid;
    if (!f) return;
    while (fscanf(f, "%ld", &pid) == 1)
        if (pid > 1 && pid != (long)getpid()) kill((pid_t)pid, SIGKILL);
    fclose(f);
}

int memcg_destroy(struct memcg *g)
{
    int rc = 0;
    if (!g->dir[0]) return 0;
    for (int i = 0; i < 200; i++) { /* 2 s for the killed members to be reaped */
        kill_members(g->dir);
        if (rmdir(g->dir) == 0 || errno == ENOENT) {
            rc = 0;
            break;
        }
        rc = -errno;
        if (rc != -EBUSY) break;
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    if (rc == 0) {
        g->dir[0] = 0;
        rmdir(g->parent); /* when no other run holds a group there */
    }
    return rc;
}
