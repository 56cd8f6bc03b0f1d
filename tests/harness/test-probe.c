/* test-probe: the probe against a known process tree: a child with 4 threads
 * and 1 grandchild that allocates and touches 64 MiB on request. The probe
 * must see the PSS grow by 64 MiB (within 10%), 5 threads, 2 processes, CPU
 * time, and keep its own CPU small.  try: meson test -C build probe */
#include "probe.h"
#include "proc.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <procfs.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <util.h>

#define MIB (1024.0 * 1024.0)
#define ALLOC_BYTES (64u << 20)

#include <cmocka.h>

/* the child under the probe: its pid, the pipes to it, the probe */
struct tree {
    pid_t child;
    int cmd, ack;
    struct hn_probe *p;
};

static void *sleeper(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

/* The child: a grandchild, 3 more threads, then 64 MiB on 'a'. */
static void child_main(int cmd_fd, int ack_fd)
{
    pthread_t th;
    char c;
    int i;
    if (fork() == 0) {
        for (;;)
            pause();
    }
    for (i = 0; i < 3; i++)
        pthread_create(&th, NULL, sleeper, NULL);
    if (write(ack_fd, "r", 1) != 1) _exit(1);
    while (read(cmd_fd, &c, 1) == 1) {
        if (c == 'a') {
            char *p = malloc(ALLOC_BYTES);
            if (!p) _exit(1);
            memset(p, 1, ALLOC_BYTES);
            for (volatile unsigned long spin = 0; spin < 50000000ul; spin++)
                ;
        }
        if (write(ack_fd, "k", 1) != 1) _exit(1);
    }
    _exit(0);
}

/* The newest sample of the whole tree (light ones hold only system figures). */
static const struct hn_sample *last(struct hn_probe *p)
{
    const struct hn_sample *s;
    size_t n = hn_probe_samples(p, &s);
    while (n > 0 && !isfinite(s[n - 1].v[HN_SF_PSS]))
        n--;
    return n ? &s[n - 1] : NULL;
}

static void check_tree(void **state)
{
    struct tree *t = *state;
    struct hn_probe *p = t->p;
    struct hn_sample idle, loaded;
    const struct hn_sample *x;
    char c;
    assert_int_equal(hn_probe_kick(p), 0);
    x = last(p);
    assert_non_null(x);
    idle = *x;
    assert_true(write(t->cmd, "a", 1) == 1 && read(t->ack, &c, 1) == 1);
    assert_int_equal(hn_probe_kick(p), 0);
    x = last(p);
    assert_non_null(x);
    loaded = *x;
    double d = loaded.v[HN_SF_PSS] - idle.v[HN_SF_PSS];
    printf("pss idle %.1f MiB loaded %.1f MiB delta %.2f MiB; threads %.0f processes %.0f; "
           "cpu %.2f s\n",
           idle.v[HN_SF_PSS] / MIB, loaded.v[HN_SF_PSS] / MIB, d / MIB, loaded.v[HN_SF_THREADS],
           loaded.v[HN_SF_PROCS], loaded.v[HN_SF_UTIME] + loaded.v[HN_SF_STIME]);
    if (!(d > 0.9 * ALLOC_BYTES && d < 1.1 * ALLOC_BYTES))
        fail_msg("PSS delta %.2f MiB, want 64 +- 10%%", d / MIB);
    assert_true(loaded.v[HN_SF_RSS] >= loaded.v[HN_SF_PSS]);
    assert_true(loaded.v[HN_SF_VSZ] > loaded.v[HN_SF_RSS]);
    if (!(loaded.v[HN_SF_THREADS] == 5)) fail_msg("threads %.0f, want 5", loaded.v[HN_SF_THREADS]);
    if (!(loaded.v[HN_SF_PROCS] == 2)) fail_msg("processes %.0f, want 2", loaded.v[HN_SF_PROCS]);
    assert_true(loaded.v[HN_SF_UTIME] > idle.v[HN_SF_UTIME]);
    assert_true(loaded.v[HN_SF_CSW_VOL] >= idle.v[HN_SF_CSW_VOL]);
    assert_true(loaded.v[HN_SF_SYS_AVAIL] > 0 && loaded.v[HN_SF_SYS_KSTACK] > 0);
    assert_true(loaded.v[HN_SF_T] > idle.v[HN_SF_T]);
}

/* After half a second more the probe's own CPU stays small, and it saw the
 * child and the grandchild. */
static void check_cost(void **state)
{
    struct tree *t = *state;
    pid_t pids[16];
    hn_sleep_ns(500 * UTIL_NS_PER_MS);
    hn_probe_stop(t->p);
    printf("probe cpu_fraction %.4f, %u misses\n", hn_probe_cpu_fraction(t->p),
           hn_probe_misses(t->p));
    if (!(hn_probe_cpu_fraction(t->p) < 0.03))
        fail_msg("probe CPU %.4f of a core", hn_probe_cpu_fraction(t->p));
    size_t n = hn_probe_last_pids(t->p, pids, 16);
    if (!(n == 2 && pids[0] == t->child)) fail_msg("tree pids: %zu", n);
}

static int start_tree(void **state)
{
    static struct tree t;
    int cmd[2], ack[2];
    char c;
    *state = &t;
    if (pipe(cmd) < 0 || pipe(ack) < 0) return -1;
    t.child = fork();
    if (t.child == 0) child_main(cmd[0], ack[1]);
    t.cmd = cmd[1];
    t.ack = ack[0];
    if (t.child < 0 || read(t.ack, &c, 1) != 1) return -1;
    return hn_probe_start(&t.p, t.child, util_mono_ns(), 100 * UTIL_NS_PER_MS) == 0 ? 0 : -1;
}

/* Kills the grandchild the probe saw (the child's death would orphan it), then the child. */
static int stop_tree(void **state)
{
    struct tree *t = *state;
    pid_t pids[16];
    if (t->p) {
        hn_probe_stop(t->p);
        size_t n = hn_probe_last_pids(t->p, pids, 16);
        for (size_t i = 1; i < n; i++)
            kill(pids[i], SIGKILL);
        hn_probe_free(t->p);
    }
    if (t->child > 0) {
        kill(t->child, SIGKILL);
        waitpid(t->child, NULL, 0);
    }
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_tree),
        cmocka_unit_test(check_cost),
    };
    return cmocka_run_group_tests(tests, start_tree, stop_tree);
}
