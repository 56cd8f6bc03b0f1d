/* test-memcg: the memcg module on fake v2 and v1 trees (parsing, where the
 * group goes, removal), the forced system method, and as root on this
 * machine's controller a child that enters its group and is charged for what
 * it touches. Run: meson test -C build memcg */
#include "check.h"
#include "measure/memcg.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void put(const char *dir, const char *file, const char *s)
{
    char p[1400];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    FILE *f = fopen(p, "w");
    if (f) {
        fputs(s, f);
        fclose(f);
    }
}

static void rm(const char *dir, const char *file)
{
    char p[1400];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    unlink(p);
}

static void fake_v2(const char *root)
{
    struct memcg g;
    struct memcg_parts p;
    static const char *files[] = {"memory.stat", "memory.current", "cgroup.threads",
                                  "cgroup.procs"};
    put(root, "cgroup.controllers", "cpuset cpu io memory pids\n");
    CHECK(memcg_detect(root) == MEMCG_V2, "v2 not detected");
    CHECK(memcg_create(&g, root, "srv") == 0, "v2 create");
    CHECK(strstr(g.dir, "/c10k/srv-") != NULL, "v2 dir %s", g.dir);
    put(g.dir, "memory.stat",
        "anon 4096\nfile 8192\nkernel 70000\nkernel_stack 16384\npagetables 4096\n"
        "percpu 512\nsock 1000\nslab_reclaimable 300\nslab_unreclaimable 700\nslab 1000\n");
    put(g.dir, "memory.current", "90000\n");
    put(g.dir, "cgroup.threads", "1\n2\n3\n");
    put(g.dir, "cgroup.procs", "1\n");
    CHECK(memcg_read(&g, &p) == 0, "v2 read");
    CHECK(p.total == 90000 && p.user == 12288 && p.kernel == 70000, "v2 total/user/kernel");
    CHECK(p.kernel_stack == 16384 && p.page_tables == 4096 && p.slab == 1000, "v2 parts");
    CHECK(p.sock == 1000 && p.percpu == 512 && p.threads == 3 && p.processes == 1,
          "v2 sock/percpu/threads %g %g %g", p.sock, p.percpu, p.threads);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        rm(g.dir, files[i]);
    CHECK(memcg_destroy(&g) == 0 && g.dir[0] == 0, "v2 destroy");
}

static void fake_v1(const char *root)
{
    struct memcg g;
    struct memcg_parts p;
    char mem[1100], procs[64];
    static const char *files[] = {"memory.stat",
                                  "memory.usage_in_bytes",
                                  "tasks",
                                  "memory.kmem.usage_in_bytes",
                                  "memory.kmem.tcp.usage_in_bytes",
                                  "cgroup.procs"};
    snprintf(mem, sizeof mem, "%s/memory", root);
    mkdir(mem, 0755);
    put(mem, "memory.usage_in_bytes", "1\n");
    CHECK(memcg_detect(root) == MEMCG_V1, "v1 not detected");
    CHECK(memcg_create(&g, root, "lg") == 0, "v1 create");
    CHECK(strncmp(g.dir, mem, strlen(mem)) == 0 && strstr(g.dir, "/c10k/lg-"), "v1 dir %s", g.dir);
    put(g.dir, "memory.stat", "cache 4096\nrss 8192\nrss_huge 0\n");
    put(g.dir, "memory.usage_in_bytes", "100000\n");
    put(g.dir, "memory.kmem.usage_in_bytes", "80000\n");
    put(g.dir, "memory.kmem.tcp.usage_in_bytes", "5000\n");
    put(g.dir, "tasks", "7\n8\n");
    snprintf(procs, sizeof procs, "%ld\n", (long)getpid());
    put(g.dir, "cgroup.procs", procs);
    CHECK(memcg_read(&g, &p) == 0, "v1 read");
    CHECK(p.total == 105000 && p.user == 12288 && p.kernel == 80000 && p.sock == 5000,
          "v1 total/user/kernel/sock %g %g %g %g", p.total, p.user, p.kernel, p.sock);
    CHECK(p.kernel_stack < 0 && p.slab < 0 && p.page_tables > 0, "v1 unknowns, VmPTE %g",
          p.page_tables);
    CHECK(p.threads == 2 && p.processes == 1, "v1 threads/procs");
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        rm(g.dir, files[i]);
    CHECK(memcg_destroy(&g) == 0, "v1 destroy");
}

static void forced_system(const char *root)
{
    struct memcg g;
    setenv("C10K_MEMORY_METHOD", "system", 1);
    CHECK(memcg_detect(root) == MEMCG_SYSTEM, "forced system");
    CHECK(memcg_create(&g, root, "x") == -ENOTSUP && g.dir[0] == 0, "create under system");
    CHECK(!strcmp(memcg_method_name(MEMCG_SYSTEM), "system"), "name");
    unsetenv("C10K_MEMORY_METHOD");
}

/* A child enters the group before touching 32 MiB: the group's user part
 * grows by at least that; destroy kills it and removes the group. */
static int real_group(void)
{
    struct memcg g;
    struct memcg_parts a, b;
    char procs[1300], dir[1300];
    int up[2], down[2]; /* child -> parent, parent -> child */
    if (memcg_detect(NULL) == MEMCG_SYSTEM || geteuid() != 0) return 77;
    if (memcg_create(&g, NULL, "test") < 0) return 77;
    memcg_procs_path(&g, procs, sizeof procs);
    snprintf(dir, sizeof dir, "%s", g.dir);
    CHECK(pipe(up) == 0 && pipe(down) == 0, "pipe");
    pid_t pid = fork();
    if (pid == 0) {
        char c = 0;
        if (memcg_enter(procs) < 0) _exit(2);
        if (write(up[1], &c, 1) != 1) /* in, not yet touched */
            _exit(3);
        if (read(down[0], &c, 1) != 1) _exit(4);
        char *m = malloc(32 << 20);
        memset(m, 1, 32 << 20);
        if (write(up[1], m + (32 << 19), 1) != 1) /* read back: the memset stays */
            _exit(5);
        pause();
        _exit(0);
    }
    char c;
    CHECK(read(up[0], &c, 1) == 1, "child in");
    CHECK(memcg_read(&g, &a) == 0 && a.processes == 1, "read before (procs %g)", a.processes);
    CHECK(write(down[1], &c, 1) == 1, "go");
    CHECK(read(up[0], &c, 1) == 1, "child touched");
    CHECK(memcg_read(&g, &b) == 0, "read after");
    CHECK(b.user - a.user >= (32 << 20) && b.total - a.total >= (32 << 20),
          "user grew %g, total %g", b.user - a.user, b.total - a.total);
    CHECK(b.threads == 1, "threads %g", b.threads);
    CHECK(memcg_destroy(&g) == 0, "destroy");
    CHECK(access(dir, F_OK) < 0, "group %s still there", dir);
    waitpid(pid, NULL, 0);
    return 0;
}

int main(void)
{
    char v2[] = "/tmp/c10k-memcg-v2-XXXXXX", v1[] = "/tmp/c10k-memcg-v1-XXXXXX";
    CHECK(mkdtemp(v2) && mkdtemp(v1), "mkdtemp");
    fake_v2(v2);
    fake_v1(v1);
    forced_system(v2);
    int real = real_group();
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", v2, v1);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s %s\n", v2, v1);
    if (failures) return 1;
    if (real == 77)
        fprintf(stderr, "no memory controller or not root: the real group was not tried\n");
    return 0;
}
