/* test-sched-cpu: CPU time at nanosecond resolution: a tree whose threads
 * burn 2 ms each is read from schedstat to within a millisecond (10 ms ticks
 * cannot), a process of 600 threads from a scaled subset, and cpu_us_per_req
 * uses it (ticks when it goes backwards).  try: meson test -C build sched-cpu */
#include "metrics.h"
#include "probe.h"
#include "results/metric.h"

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
#include <time.h>
#include <unistd.h>
#include <util.h>

#include <cmocka.h>

struct burner {
    pthread_barrier_t *start, *done;
    uint64_t burn_ns;
};

static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * UTIL_NS_PER_S + (uint64_t)ts.tv_nsec;
}

/* Waits for the start, burns burn_ns of its own CPU, says done, sleeps. */
static void *burn(void *arg)
{
    struct burner *b = arg;
    pthread_barrier_wait(b->start);
    uint64_t until = thread_cpu_ns() + b->burn_ns;
    while (thread_cpu_ns() < until)
        ;
    pthread_barrier_wait(b->done);
    for (;;)
        pause();
    return NULL;
}

/* A child of n threads that each burn burn_ns when told ('b' on cmd). */
static pid_t spawn(unsigned n, uint64_t burn_ns, int *cmd_w, int *ack_r)
{
    int cmd[2], ack[2];
    pid_t pid;
    if (pipe(cmd) < 0 || pipe(ack) < 0) return -1;
    pid = fork();
    if (pid == 0) {
        static pthread_barrier_t start, done;
        static struct burner b;
        pthread_t th;
        char c;
        pthread_barrier_init(&start, NULL, n + 1);
        pthread_barrier_init(&done, NULL, n + 1);
        b = (struct burner){&start, &done, burn_ns};
        for (unsigned i = 0; i < n; i++)
            if (pthread_create(&th, NULL, burn, &b) != 0) _exit(1);
        if (write(ack[1], "r", 1) != 1 || read(cmd[0], &c, 1) != 1) _exit(1);
        pthread_barrier_wait(&start);
        pthread_barrier_wait(&done);
        if (write(ack[1], "k", 1) != 1) _exit(1);
        for (;;)
            pause();
    }
    *cmd_w = cmd[1];
    *ack_r = ack[0];
    return pid;
}

/* sched_cpu_s of the child before and after its threads burned. */
static int measure(unsigned n, uint64_t burn_ns, double *delta_s, bool *sampled)
{
    int cmd, ack;
    char c;
    struct procfs_tree a, b;
    pid_t pid = spawn(n, burn_ns, &cmd, &ack);
    int rc = -1;
    if (pid <= 0 || read(ack, &c, 1) != 1) goto fail;
    usleep(50000); /* let the threads settle in the barrier */
    if (procfs_tree_read(&pid, 1, PROCFS_SCHED | PROCFS_CTXSW, &a) < 0) goto fail;
    if (write(cmd, "b", 1) != 1 || read(ack, &c, 1) != 1) goto fail;
    if (procfs_tree_read(&pid, 1, PROCFS_SCHED | PROCFS_CTXSW, &b) < 0) goto fail;
    *delta_s = b.sched_cpu_s - a.sched_cpu_s;
    *sampled = b.sampled;
    printf("%u threads x %.1f ms: sched delta %.3f ms, ticks delta %.0f ms, sampled %d\n", n,
           (double)burn_ns / 1e6, *delta_s * 1e3,
           (b.utime_s + b.stime_s - a.utime_s - a.stime_s) * 1e3, b.sampled);
    rc = 0;
fail:
    if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    return rc;
}

static void check_small_tree(void **state)
{
    (void)state;
    double d = 0;
    bool sampled = true;
    assert_int_equal(measure(3, 2 * UTIL_NS_PER_MS, &d, &sampled), 0);
    /* 6 ms burned, plus the barrier wake-ups; ticks would say 0 or 10 ms */
    if (!(d >= 0.0055 && d <= 0.009)) fail_msg("3 x 2 ms: %.3f ms", d * 1e3);
    assert_true(!sampled);
}

static void check_big_process(void **state)
{
    (void)state;
    double d = 0;
    bool sampled = false;
    assert_int_equal(measure(600, 200 * UTIL_NS_PER_US, &d, &sampled), 0);
    /* 120 ms burned, estimated from 256 of the 601 threads */
    if (!(d >= 0.09 && d <= 0.2)) fail_msg("600 x 0.2 ms: %.3f ms", d * 1e3);
    assert_true(sampled);
}

static struct hn_sample tree_sample(double t_s, double ticks_s, double sched_s)
{
    struct hn_sample s;
    for (size_t i = 0; i < HN_SF_COUNT; i++)
        s.v[i] = 0;
    s.v[HN_SF_T] = t_s;
    s.v[HN_SF_UTIME] = ticks_s;
    s.v[HN_SF_SCHED_CPU] = sched_s;
    s.v[HN_SF_PSS] = 1;
    return s;
}

/* 3 ms of CPU over 1 s at 1000 requests/s: 3 us per request from schedstat
 * (the ticks did not move); a schedstat that went backwards: the ticks. */
static void check_metric(void **state)
{
    (void)state;
    json_t *load = json_pack("{s:f, s:f, s:{s:i}}", "throughput_rps", 1000.0, "duration_s", 1.0,
                             "connections", "established", 10);
    struct hn_window w = {1.0, 2.0};
    struct hn_sample s[2] = {tree_sample(1.0, 1.0, 1.000), tree_sample(2.0, 1.0, 1.003)};
    double m[RES_M_COUNT];
    hn_metrics_compute(load, NULL, NULL, s, 2, &w, m);
    if (!(fabs(m[RES_M_CPU_PER_REQ] - 3.0) < 0.01))
        fail_msg("cpu_us_per_req %.3f, want 3", m[RES_M_CPU_PER_REQ]);
    s[0] = tree_sample(1.0, 1.0, 1.5);
    s[1] = tree_sample(2.0, 1.01, 1.2);
    hn_metrics_compute(load, NULL, NULL, s, 2, &w, m);
    if (!(fabs(m[RES_M_CPU_PER_REQ] - 10.0) < 0.01))
        fail_msg("backwards schedstat: %.3f, want 10 (ticks)", m[RES_M_CPU_PER_REQ]);
    json_decref(load);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_small_tree),
        cmocka_unit_test(check_big_process),
        cmocka_unit_test(check_metric),
    };
    if (access("/proc/self/schedstat", R_OK) != 0) {
        printf("no /proc/PID/schedstat (CONFIG_SCHED_INFO): skip\n");
        return 77;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
