/* th: internals of c10k-server-threads (serve.c owns the accept loop and the
 * thread per connection, conn.c what one connection thread does). */
#ifndef C10K_TH_H
#define C10K_TH_H

#include "proto.h"
#include "srv.h"

/* Serves the connected socket fd until the peer closes or asks to; closes it. */
void th_conn_serve(int fd);

/* Accepts until SIGTERM/SIGINT, one detached thread per connection. */
int th_serve(const struct srv_opts *o, struct srv_stats *stats);

#endif
