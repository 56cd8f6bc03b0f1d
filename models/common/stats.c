/* stats: accepted/rejected connection counters shared by every thread (or
 * process, when placed in shared memory), the rate-limited rejection message
 * and the "stats accepted=N rejected=N reason=X" exit line. */
#include "srv.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void srv_stats_accepted(struct srv_stats *s)
{
    atomic_fetch_add_explicit(&s->accepted, 1, memory_order_relaxed);
}

static const char *stats_errname(int err)
{
    const char *n = err ? strerrorname_np(err) : NULL;
    return n ? n : "none";
}

void srv_stats_reject(struct srv_stats *s, const char *model, int err)
{
    unsigned long long n = atomic_fetch_add(&s->rejected, 1) + 1;
    atomic_store(&s->last_errno, err);
    unsigned long long now = util_mono_ns();
    unsigned long long last = atomic_load(&s->last_report_ns);
    if (last != 0 && now - last < UTIL_NS_PER_S) return;
    /* one thread wins the right to report this second */
    if (!atomic_compare_exchange_strong(&s->last_report_ns, &last, now)) return;
    atomic_store(&s->reported, n);
    fprintf(stderr, "c10k-server-%s: cannot take connection: %s (%s), %llu rejected so far\n",
            model, stats_errname(err), strerror(err), n);
}

void srv_stats_print(struct srv_stats *s)
{
    printf("stats accepted=%llu rejected=%llu reason=%s\n", atomic_load(&s->accepted),
           atomic_load(&s->rejected), stats_errname(atomic_load(&s->last_errno)));
    fflush(stdout);
}
