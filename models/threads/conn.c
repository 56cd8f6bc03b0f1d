/* conn: one connection of the threads model, in its own thread: the blocking
 * loop of models/common (srv_serve_blocking) with a 10 KiB read buffer and a
 * 4 KiB output buffer on the thread's stack (a heap buffer only while one
 * request is bigger, e.g. a large POST /echo).
 * Try: curl -s --data-binary @file http://127.0.0.1:PORT/echo */
#include "th.h"

#include <unistd.h>

#define CONN_RBUF_BYTES (PROTO_HEAD_MAX + 2048u) /* on the stack */
#define CONN_OBUF_BYTES 4096u                    /* on the stack */

void th_conn_serve(int fd)
{
    char in[CONN_RBUF_BYTES];
    char out[CONN_OBUF_BYTES];
    if (srv_serve_blocking(fd, in, sizeof(in), out, sizeof(out)) == 1)
        srv_close_graceful(fd, in, sizeof(in));
    else
        close(fd);
}
