/* c10k-server-epoll: non-blocking sockets, one level-triggered epoll loop per
 * thread (--threads N, each with its own SO_REUSEPORT listener).
 * Try: c10k-server-epoll --port 8080 & curl http://127.0.0.1:8080/ */
#include "ep.h"

#include <stdio.h>
#include <string.h>

static const struct srv_model ep_model = {
    .name = "epoll",
    .summary = "event loop: non-blocking sockets, level-triggered epoll, timers for delay_us",
    .flags = SRV_OPT_THREADS | SRV_OPT_PROCESSES,
    .threads_flag = "threads",
    .threads_help = "event loops, one thread and one SO_REUSEPORT listener each",
};

static struct srv_stats ep_stats;

int main(int argc, char **argv)
{
    struct srv_opts o;
    int rc = srv_opts_parse(&o, &ep_model, argc, argv);
    if (rc != 0) return rc > 0 ? 0 : 2;
    long nofile = srv_raise_nofile();
    if (nofile < 0)
        fprintf(stderr, "c10k-server-epoll: cannot raise RLIMIT_NOFILE: %s\n",
                strerror((int)-nofile));
    rc = srv_signals_init();
    if (rc == 0) rc = srv_processes(&o);
    if (rc > 0) return 0; /* the first of --processes N: its workers served */
    if (rc == 0) rc = ep_serve(&o, &ep_stats);
    if (rc < 0) {
        fprintf(stderr, "c10k-server-epoll: %s\n", strerror(-rc));
        return 1;
    }
    srv_stats_print(&ep_stats);
    return 0;
}
