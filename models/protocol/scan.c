/* scan: finds the end of the request head (CRLF CRLF) in one linear pass that
 * resumes where the last call stopped, rejecting bytes no head may hold.
 * Try: meson test --suite protocol (test_split feeds every request byte by byte). */
#include "proto_int.h"

#include <string.h>

enum { SCAN_MORE = 1, SCAN_FOUND = 2, SCAN_WAIT = 3 };

/* High bit set in each byte of x that is < 0x20 or 0x7f. The lowest marked
 * byte is exact (bytes >= 0x80 never match; a borrow can only mark bytes
 * above a true match), so it tells where the first special byte is. */
static inline uint64_t word_special(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t del = x ^ (ones * 0x7f);
    return (((x - ones * 0x20) & ~x) | ((del - ones) & ~del)) & highs;
}

/* Offset of the first special byte of a word with special bytes m. */
static inline size_t first_special(uint64_t m)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (size_t)__builtin_ctzll(m) / 8;
#else
    (void)m;
    return 0; /* byte by byte from the start of the word */
#endif
}

/* The byte at *i: SCAN_MORE (*i moves past it, or past its CRLF), SCAN_FOUND
 * (*n = head length), SCAN_WAIT (a CR whose LF is not within lim), or 400. */
static int scan_one(const unsigned char *b, size_t *i, size_t lim, size_t *n)
{
    size_t k = *i;
    unsigned char c = b[k];
    if ((c >= 0x20 && c != 0x7f) || c == '\t') {
        *i = k + 1;
        return SCAN_MORE;
    }
    if (c != '\r') { /* bare LF, NUL, other control characters, DEL */
        *n = k + 1;
        return 400;
    }
    if (k + 1 >= lim) return SCAN_WAIT; /* the LF is not here yet, or would pass the limit */
    if (b[k + 1] != '\n') {
        *n = k + 2;
        return 400;
    }
    if (k >= 2 && b[k - 2] == '\r' && b[k - 1] == '\n') {
        *n = k + 2;
        return SCAN_FOUND;
    }
    *i = k + 2;
    return SCAN_MORE;
}

/* Every decision depends only on buf[0..*n): the same bytes give the same
 * answer however they were split between calls. */
int proto__scan_head(struct proto_parser *p, const char *buf, size_t len, size_t *n)
{
    const unsigned char *b = (const unsigned char *)buf;
    size_t lim = len < PROTO_HEAD_MAX ? len : PROTO_HEAD_MAX;
    size_t i = p->scanned <= len ? p->scanned : 0;
    int rc = SCAN_MORE;

    while (i < lim && rc == SCAN_MORE) {
        if (lim - i >= 8) { /* 8 bytes at a time up to the next special one */
            uint64_t w;
            memcpy(&w, b + i, 8);
            uint64_t m = word_special(w);
            if (!m) {
                i += 8;
                continue;
            }
            i += first_special(m);
        }
        rc = scan_one(b, &i, lim, n);
    }
    if (rc == SCAN_FOUND) {
        p->scanned = i; /* the final CR: a call for more body bytes finds it at once */
        return 0;
    }
    if (rc == 400) return 400;
    if (lim == PROTO_HEAD_MAX) {
        *n = PROTO_HEAD_MAX;
        return 431;
    }
    p->scanned = i;
    return PROTO_PARTIAL;
}
