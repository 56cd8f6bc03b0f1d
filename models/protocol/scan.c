/* scan: finds the end of the request head (CRLF CRLF) in one linear pass that
 * resumes where the last call stopped, rejecting bytes no head may hold.
 * Try: meson test --suite protocol (test_split feeds every request byte by byte). */
#include "proto_int.h"

/* Every decision depends only on buf[0..*n): the same bytes give the same
 * answer however they were split between calls. */
int proto__scan_head(struct proto_parser *p, const char *buf, size_t len, size_t *n)
{
    const unsigned char *b = (const unsigned char *)buf;
    size_t lim = len < PROTO_HEAD_MAX ? len : PROTO_HEAD_MAX;
    size_t i = p->scanned <= len ? p->scanned : 0;

    while (i < lim) {
        unsigned char c = b[i];
        if (c >= 0x20 && c != 0x7f) {
            i++;
        } else if (c == '\r') {
            if (i + 1 >= lim)
                break; /* the LF is not here yet, or would pass the limit */
            if (b[i + 1] != '\n') {
                *n = i + 2;
                return 400;
            }
            if (i >= 2 && b[i - 2] == '\r' && b[i - 1] == '\n') {
                p->scanned = i; /* a call for more body bytes finds it at once */
                *n = i + 2;
                return 0;
            }
            i += 2;
        } else if (c == '\t') {
            i++;
        } else { /* bare LF, NUL, other control characters, DEL */
            *n = i + 1;
            return 400;
        }
    }
    if (lim == PROTO_HEAD_MAX) {
        *n = PROTO_HEAD_MAX;
        return 431;
    }
    p->scanned = i;
    return PROTO_PARTIAL;
}
