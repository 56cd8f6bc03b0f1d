/* main: c10k-server-prefork, the Apache-prefork model: a master pre-forks a
 * pool of children that each serve one connection at a time with blocking I/O.
 *   c10k-server-prefork --port 8080 --workers 8 --spare 16 --max-workers 12000 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "prefork.h"

static const struct srv_model pf_model = {
    .name = "prefork",
    .summary = "Apache-prefork style: a pool of processes, one connection each, blocking I/O",
    .flags = SRV_OPT_WORKERS,
    .default_workers = 8,
    .default_max_workers = 12000, /* enough for 10,000 connections */
    .default_spare = 8,
};

static void pf_fix_opts(struct srv_opts *o)
{
    if (o->max_workers == 0) o->max_workers = 1;
    if (o->workers > o->max_workers) o->workers = o->max_workers;
    if (o->spare > o->max_workers) o->spare = o->max_workers;
}

int main(int argc, char **argv)
{
    struct srv_opts o;
    int rc = srv_opts_parse(&o, &pf_model, argc, argv);
    if (rc != 0) return rc > 0 ? 0 : 2;
    pf_fix_opts(&o);
    srv_raise_nofile();
    int err = srv_signals_init();
    if (err) {
        fprintf(stderr, "c10k-server-prefork: signals: %s\n", strerror(-err));
        return 1;
    }
    int fd = srv_listen(&o, o.reuseport, false);
    if (fd < 0) {
        fprintf(stderr, "c10k-server-prefork: listen: %s\n", strerror(-fd));
        return 1;
    }
    struct pf_master m;
    err = pf_master_init(&m, &o, fd);
    if (err) {
        fprintf(stderr, "c10k-server-prefork: scoreboard: %s\n", strerror(-err));
        close(fd);
        return 1;
    }
    srv_ready(fd); /* flushed before the first fork: children never print */
    err = pf_master_run(&m);
    pf_master_stop(&m);
    if (err) fprintf(stderr, "c10k-server-prefork: master: %s\n", strerror(-err));
    srv_stats_print(&m.board->stats);
    pf_master_free(&m);
    close(fd);
    return err ? 1 : 0;
}
