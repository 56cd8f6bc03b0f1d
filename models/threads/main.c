/* c10k-server-threads: the naive model, one blocking thread per connection.
 * Try: c10k-server-threads --port 8080 & curl http://127.0.0.1:8080/ */
#include "th.h"

#include <stdio.h>
#include <string.h>

static const struct srv_model th_model = {
    .name = "threads",
    .summary = "thread per connection: blocking accept, read and write; delay_us sleeps",
    .flags = SRV_OPT_STACK,
};

static struct srv_stats th_stats;

int main(int argc, char **argv)
{
    struct srv_opts o;
    int rc = srv_opts_parse(&o, &th_model, argc, argv);
    if (rc != 0) return rc > 0 ? 0 : 2;
    long nofile = srv_raise_nofile();
    if (nofile < 0)
        fprintf(stderr, "c10k-server-threads: cannot raise RLIMIT_NOFILE: %s\n",
                strerror((int)-nofile));
    rc = srv_signals_init();
    if (rc == 0) rc = th_serve(&o, &th_stats);
    if (rc < 0) {
        fprintf(stderr, "c10k-server-threads: %s\n", strerror(-rc));
        return 1;
    }
    srv_stats_print(&th_stats);
    return 0;
}
