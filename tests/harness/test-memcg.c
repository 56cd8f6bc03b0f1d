/* test-memcg: the memcg module on fake v2 and v1 trees (parsing, where the
 * group goes, removal), the forced system method, and as root on this
 * machine's controller a child that enters its group and is charged for what
 * it touches. Run: meson test -C build memcg */
#include "measure/memcg.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

/* the fake trees' roots */
struct roots {
    char v2[32], v1[32];
};

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

static void fake_v2(void **state)
{
    const char *root = ((struct roots *)*state)->v2;
    struct memcg g;
    struct memcg_parts p;
    static const char *files[] = {"memory.stat", "memory.current", "cgroup.threads",
                                  "cgroup.procs"};
    put(root, "cgroup.controllers", "cpuset cpu io memory pids\n");
    assert_true(memcg_detect(root) == MEMCG_V2);
    assert_int_equal(memcg_create(&g, root, "srv"), 0);
    assert_non_null(strstr(g.dir, "/c10k/srv-"));
    put(g.dir, "memory.stat",
        "anon 4096\nfile 8192\nkernel 70000\nkernel_stack 16384\npagetables 4096\n"
        "percpu 512\nsock 1000\nslab_reclaimable 300\nslab_unreclaimable 700\nslab 1000\n");
    put(g.dir, "memory.current", "90000\n");
    put(g.dir, "cgroup.threads", "1\n2\n3\n");
    put(g.dir, "cgroup.procs", "1\n");
    assert_int_equal(memcg_read(&g, &p), 0);
    /* the total is the pages in use (anon + file + kernel + sock), not
     * memory.current, which also holds the per-CPU precharge */
    if (!(p.total == 12288 + 70000 + 1000 && p.user == 12288 && p.kernel == 70000))
        fail_msg("v2 total/user/kernel %g %g %g", p.total, p.user, p.kernel);
    assert_true(p.kernel_stack == 16384 && p.page_tables == 4096 && p.slab == 1000);
    if (!(p.sock == 1000 && p.percpu == 512 && p.threads == 3 && p.processes == 1))
        fail_msg("v2 sock/percpu/threads %g %g %g", p.sock, p.percpu, p.threads);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        rm(g.dir, files[i]);
    assert_true(memcg_destroy(&g) == 0 && g.dir[0] == 0);
}

static void fake_v1(void **state)
{
    const char *root = ((struct roots *)*state)->v1;
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
    assert_true(memcg_detect(root) == MEMCG_V1);
    assert_int_equal(memcg_create(&g, root, "lg"), 0);
    if (!(strncmp(g.dir, mem, strlen(mem)) == 0 && strstr(g.dir, "/c10k/lg-")))
        fail_msg("v1 dir %s", g.dir);
    put(g.dir, "memory.stat", "cache 4096\nrss 8192\nrss_huge 0\n");
    put(g.dir, "memory.usage_in_bytes", "100000\n");
    put(g.dir, "memory.kmem.usage_in_bytes", "80000\n");
    put(g.dir, "memory.kmem.tcp.usage_in_bytes", "5000\n");
    put(g.dir, "tasks", "7\n8\n");
    snprintf(procs, sizeof procs, "%ld\n", (long)getpid());
    put(g.dir, "cgroup.procs", procs);
    assert_int_equal(memcg_read(&g, &p), 0);
    /* rss + cache + kmem + kmem.tcp; usage_in_bytes (100000) holds precharge too */
    if (!(p.total == 12288 + 80000 + 5000 && p.user == 12288 && p.kernel == 80000 &&
          p.sock == 5000))
        fail_msg("v1 total/user/kernel/sock %g %g %g %g", p.total, p.user, p.kernel, p.sock);
    if (!(p.kernel_stack < 0 && p.slab < 0 && p.page_tables > 0))
        fail_msg("v1 unknowns, VmPTE %g", p.page_tables);
    assert_true(p.threads == 2 && p.processes == 1);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        rm(g.dir, files[i]);
    assert_int_equal(memcg_destroy(&g), 0);
}

static void forced_system(void **state)
{
    const char *root = ((struct roots *)*state)->v2;
    struct memcg g;
    setenv("C10K_MEMORY_METHOD", "system", 1);
    assert_true(memcg_detect(root) == MEMCG_SYSTEM);
    assert_true(memcg_create(&g, root, "x") == -ENOTSUP && g.dir[0] == 0);
    assert_string_equal(memcg_method_name(MEMCG_SYSTEM), "system");
    unsetenv("C10K_MEMORY_METHOD");
}

/* The group and the child of real_group, for its teardown. */
struct real {
    struct memcg g;
    pid_t pid;
};

/* A child enters the group before touching 32 MiB: the group's user part
 * grows by at least that; destroy kills it and removes the group. */
static void real_group(void **state)
{
    struct real *r = *state;
    struct memcg_parts a, b;
    char procs[1300], dir[1300], c;
    int up[2], down[2]; /* child -> parent, parent -> child */
    if (memcg_detect(NULL) == MEMCG_SYSTEM || geteuid() != 0 ||
        memcg_create(&r->g, NULL, "test") < 0) {
        fprintf(stderr, "no memory controller or not root: the real group was not tried\n");
        skip();
    }
    memcg_procs_path(&r->g, procs, sizeof procs);
    snprintf(dir, sizeof dir, "%s", r->g.dir);
    assert_true(pipe(up) == 0 && pipe(down) == 0);
    r->pid = fork();
    if (r->pid == 0) {
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
    assert_true(read(up[0], &c, 1) == 1);
    if (!(memcg_read(&r->g, &a) == 0 && a.processes == 1))
        fail_msg("read before (procs %g)", a.processes);
    assert_true(write(down[1], &c, 1) == 1);
    assert_true(read(up[0], &c, 1) == 1);
    assert_int_equal(memcg_read(&r->g, &b), 0);
    /* v1 charges and counts in per-CPU batches of 64 pages: a reading may be
     * off by that much per CPU (docs/methodology.md, "Memory books") */
    double slack = 64.0 * 4096 * (double)sysconf(_SC_NPROCESSORS_CONF);
    if (!(b.user - a.user >= (32 << 20) - slack && b.total - a.total >= (32 << 20) - slack))
        fail_msg("user grew %g, total %g", b.user - a.user, b.total - a.total);
    if (!(b.threads == 1)) fail_msg("threads %g", b.threads);
    assert_int_equal(memcg_destroy(&r->g), 0);
    if (!(access(dir, F_OK) < 0)) fail_msg("group %s still there", dir);
}

static int real_setup(void **state)
{
    static struct real r;
    memset(&r, 0, sizeof r);
    *state = &r;
    return 0;
}

/* What a failed real_group left: its group (destroy kills the child too) and the child. */
static int real_teardown(void **state)
{
    struct real *r = *state;
    if (r->g.dir[0]) memcg_destroy(&r->g);
    if (r->pid > 0) {
        kill(r->pid, SIGKILL);
        waitpid(r->pid, NULL, 0);
    }
    return 0;
}

static int make_roots(void **state)
{
    static struct roots r = {"/tmp/c10k-memcg-v2-XXXXXX", "/tmp/c10k-memcg-v1-XXXXXX"};
    *state = &r;
    return mkdtemp(r.v2) && mkdtemp(r.v1) ? 0 : -1;
}

static int remove_roots(void **state)
{
    struct roots *r = *state;
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", r->v2, r->v1);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s %s\n", r->v2, r->v1);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fake_v2),
        cmocka_unit_test(fake_v1),
        cmocka_unit_test(forced_system),
        cmocka_unit_test_setup_teardown(real_group, real_setup, real_teardown),
    };
    return cmocka_run_group_tests(tests, make_roots, remove_roots);
}
