/* main: c10k-server-libuv, the libuv model: one uv_loop_t per thread, the
 * connections' uv_tcp_t embedded in their struct, one read buffer per loop.
 *   c10k-server-libuv --port 8080 --loops 2 */
#include <stdio.h>
#include <string.h>

#include "lv.h"

static const struct srv_model lv_model = {
    .name = "libuv",
    .summary = "libuv event loops (uv_tcp_t, uv_try_write, uv_timer_t for delay_us)",
    .flags = SRV_OPT_THREADS | SRV_OPT_PROCESSES,
    .threads_flag = "loops",
    .threads_help = "event loops, one thread and one SO_REUSEPORT listener each",
};

static struct srv_stats lv_stats;

int main(int argc, char **argv)
{
    struct srv_opts o;
    int rc = srv_opts_parse(&o, &lv_model, argc, argv);
    if (rc != 0) return rc > 0 ? 0 : 2;
    srv_raise_nofile();
    int err = srv_signals_init();
    if (err == 0) err = srv_processes(&o);
    if (err > 0) return 0; /* the first of --processes N: its workers served */
    if (err == 0) err = lv_serve(&o, &lv_stats);
    if (err) {
        fprintf(stderr, "c10k-server-libuv: %s\n",
                err > -4096 && err < 0 ? strerror(-err) : "failed");
        return 1;
    }
    srv_stats_print(&lv_stats);
    return 0;
}
