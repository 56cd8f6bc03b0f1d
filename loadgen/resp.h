/* resp: an incremental HTTP/1.1 response parser for c10k-load. It does no I/O,
 * copies nothing and keeps 16 bytes of state per connection, so a connection
 * needs no buffer between reads. Bodies are counted, not stored. */
#ifndef C10K_LG_RESP_H
#define C10K_LG_RESP_H

#include <stddef.h>
#include <stdint.h>

struct lg_resp {
    uint64_t body_left; /* Content-Length bytes still to come */
    uint16_t status;
    uint8_t state;
    uint8_t pos;   /* position inside the token being matched */
    uint8_t cand;  /* header names still matching (bit mask) */
    uint8_t flags; /* LG_RESP_* */
    uint8_t pad_[2];
};

#define LG_RESP_HAS_LENGTH 0x01
#define LG_RESP_CLOSE 0x02     /* Connection: close */
#define LG_RESP_UNTIL_EOF 0x04 /* no Content-Length: the body ends at EOF */
#define LG_RESP_CONN_MISS 0x08 /* the Connection value is not "close" */

/* Resets r for the next response. */
void lg_resp_reset(struct lg_resp *r);

/* Feeds len bytes. Returns 1 when a response ended (*used = bytes of buf it
 * took; r->status and r->flags describe it; call lg_resp_reset before the
 * next), 0 when it needs more (*used = len), -1 on a malformed or
 * unsupported response (Transfer-Encoding). */
int lg_resp_feed(struct lg_resp *r, const char *buf, size_t len, size_t *used);

/* At EOF: 1 when the response in progress ends there (body until close),
 * 0 when no response was in progress, -1 when EOF cut a response short. */
int lg_resp_eof(const struct lg_resp *r);

#endif
