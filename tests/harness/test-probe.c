/* test-probe: the probe against a known process tree: a child with 4 threads
 * and 1 grandchild that allocates and touches 64 MiB on request. The probe
 * must see the PSS grow by 64 MiB (within 10%), 5 threads, 2 processes, CPU
 * time, and keep its own CPU small.  try: meson test -C build probe */
#include "hn.h"

#include <math.h>
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

#include "check.h"

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
    if (write(ack_fd, "r", 1) != 1)
        _exit(1);
    while (read(cmd_fd, &c, 1) == 1) {
        if (c == 'a') {
            char *p = malloc(ALLOC_BYTES);
            if (!p)
                _exit(1);
            memset(p, 1, ALLOC_BYTES);
            for (volatile unsigned long spin = 0; spin < 50000000ul; spin++)
                ;
        }
        if (write(ack_fd, "k", 1) != 1)
            _exit(1);
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

static void check_tree(struct hn_probe *p, pid_t child, int cmd, int ack)
{
    struct hn_sample idle, loaded;
    const struct hn_sample *x;
    char c;
    CHECK(hn_probe_kick(p) == 0, "no idle sample");
    x = last(p);
    if (!x)
        return;
    idle = *x;
    CHECK(write(cmd, "a", 1) == 1 && read(ack, &c, 1) == 1, "child did not allocate");
    CHECK(hn_probe_kick(p) == 0, "no loaded sample");
    x = last(p);
    if (!x)
        return;
    loaded = *x;
    double d = loaded.v[HN_SF_PSS] - idle.v[HN_SF_PSS];
    printf("pss idle %.1f MiB loaded %.1f MiB delta %.2f MiB; threads %.0f processes %.0f; "
           "cpu %.2f s\n", idle.v[HN_SF_PSS] / MIB, loaded.v[HN_SF_PSS] / MIB, d / MIB,
           loaded.v[HN_SF_THREADS], loaded.v[HN_SF_PROCS],
           loaded.v[HN_SF_UTIME] + loaded.v[HN_SF_STIME]);
    CHECK(d > 0.9 * ALLOC_BYTES && d < 1.1 * ALLOC_BYTES, "PSS delta %.2f MiB, want 64 +- 10%%",
          d / MIB);
    CHECK(loaded.v[HN_SF_RSS] >= loaded.v[HN_SF_PSS], "RSS < PSS");
    CHECK(loaded.v[HN_SF_VSZ] > loaded.v[HN_SF_RSS], "VSZ <= RSS");
    CHECK(loaded.v[HN_SF_THREADS] == 5, "threads %.0f, want 5", loaded.v[HN_SF_THREADS]);
    CHECK(loaded.v[HN_SF_PROCS] == 2, "processes %.0f, want 2", loaded.v[HN_SF_PROCS]);
    CHECK(loaded.v[HN_SF_UTIME] > idle.v[HN_SF_UTIME], "no user CPU seen");
    CHECK(loaded.v[HN_SF_CSW_VOL] >= idle.v[HN_SF_CSW_VOL], "ctx switches went back");
    CHECK(loaded.v[HN_SF_SYS_AVAIL] > 0 && loaded.v[HN_SF_SYS_KSTACK] > 0, "no system figures");
    CHECK(loaded.v[HN_SF_T] > idle.v[HN_SF_T], "time did not advance");
    (void)child;
}

int main(void)
{
    int cmd[2], ack[2];
    struct hn_probe *p = NULL;
    pid_t child;
    char c;
    if (pipe(cmd) < 0 || pipe(ack) < 0)
        return 99;
    child = fork();
    if (child == 0)
        child_main(cmd[0], ack[1]);
    if (read(ack[0], &c, 1) != 1)
        return 99;
    CHECK(hn_probe_start(&p, child, util_mono_ns(), 100 * UTIL_NS_PER_MS) == 0, "probe start");
    if (p) {
        check_tree(p, child, cmd[1], ack[0]);
        hn_sleep_ns(500 * UTIL_NS_PER_MS);
        hn_probe_stop(p);
        printf("probe cpu_fraction %.4f, %u misses\n", hn_probe_cpu_fraction(p),
               hn_probe_misses(p));
        CHECK(hn_probe_cpu_fraction(p) < 0.03, "probe CPU %.4f of a core",
              hn_probe_cpu_fraction(p));
        pid_t pids[16];
        size_t n = hn_probe_last_pids(p, pids, 16);
        CHECK(n == 2 && pids[0] == child, "tree pids: %zu", n);
        if (n == 2)
            kill(pids[1], SIGKILL);
        hn_probe_free(p);
    }
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
