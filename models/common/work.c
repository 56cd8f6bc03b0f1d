/* work: the two handler costs of the protocol, work_us (burn this thread's
 * CPU) and, for blocking models, delay_us (sleep). Try: curl '.../?work_us=1000' */
#include "srv.h"
#include "util.h"

#include <errno.h>
#include <time.h>

static uint64_t work_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * UTIL_NS_PER_S + (uint64_t)ts.tv_nsec;
}

void srv_burn_us(uint32_t us)
{
    if (us == 0) return;
    /* thread CPU time, not wall time: a preempted handler still burns us of CPU */
    uint64_t end = work_cpu_ns() + (uint64_t)us * UTIL_NS_PER_US;
    while (work_cpu_ns() < end) {
    }
}

void srv_sleep_us(uint32_t us)
{
    struct timespec ts = {.tv_sec = us / 1000000u, .tv_nsec = (long)(us % 1000000u) * 1000};
    while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR && !srv_stopping()) {
    }
}
