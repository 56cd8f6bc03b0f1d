/* main: c10k-server-uring, the io_uring model: per ring a multishot accept,
 * multishot recvs into a shared provided-buffer ring, plain sends, timeouts
 * for delay_us. Exits 77 when io_uring is unavailable (disabled, seccomp).
 *   c10k-server-uring --port 8080 --rings 2 [--sqpoll] */
#include <stdio.h>
#include <string.h>

#include "ur.h"

static const struct srv_model ur_model = {
    .name = "uring",
    .summary = "io_uring: multishot accept and recv, provided buffers, one ring per thread",
    .flags = SRV_OPT_THREADS | SRV_OPT_SQPOLL | SRV_OPT_PROCESSES,
    .threads_flag = "rings",
    .threads_help = "rings, one thread and one SO_REUSEPORT listener each",
};

static struct srv_stats ur_stats;

int main(int argc, char **argv)
{
    struct srv_opts o;
    int rc = srv_opts_parse(&o, &ur_model, argc, argv);
    if (rc != 0) return rc > 0 ? 0 : 2;
    srv_raise_nofile();
    int err = srv_signals_init();
    if (err == 0) err = srv_processes(&o);
    if (err > 0) return 0; /* the first of --processes N: its workers served */
    if (err == 0) err = ur_serve(&o, &ur_stats);
    if (err == UR_UNAVAILABLE) return UR_UNAVAILABLE;
    if (err) {
        fprintf(stderr, "c10k-server-uring: %s\n", strerror(-err));
        return 1;
    }
    srv_stats_print(&ur_stats);
    return 0;
}
