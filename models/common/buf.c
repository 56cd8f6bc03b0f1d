/* buf: a connection's input kept between reads in the event-loop models (a
 * partial request, or requests not answered yet): on the heap only while it
 * holds bytes, so an idle connection costs no buffer.
 * Try: printf 'GET / HTTP/1.1\r\n' | nc 127.0.0.1 PORT   (a partial request is kept) */
#include "srv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int srv_buf_reserve(struct srv_buf *b, size_t need, size_t max)
{
    if (need <= b->cap) return 0;
    if (max > SRV_BUF_MAX_BYTES) max = SRV_BUF_MAX_BYTES;
    if (need > max) return -EMSGSIZE;
    size_t cap = b->cap ? (size_t)b->cap * 2 : SRV_BUF_MIN_BYTES;
    while (cap < need)
        cap *= 2;
    if (cap > max) cap = max;
    char *p = realloc(b->p, cap);
    if (!p) return -ENOMEM;
    b->p = p;
    b->cap = (uint32_t)cap;
    return 0;
}

int srv_buf_append(struct srv_buf *b, const void *p, size_t n, size_t max)
{
    if (n == 0) return 0;
    int rc = srv_buf_reserve(b, (size_t)b->len + n, max);
    if (rc < 0) return rc;
    memcpy(b->p + b->len, p, n);
    b->len += (uint32_t)n;
    return 0;
}

void srv_buf_drop(struct srv_buf *b, size_t n)
{
    b->len -= (uint32_t)n;
    if (b->len == 0)
        srv_buf_free(b);
    else if (n > 0)
        memmove(b->p, b->p + n, b->len);
}

void srv_buf_free(struct srv_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
