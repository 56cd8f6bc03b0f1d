/* feed: drives proto_parse over a byte stream the way a server does (grow the
 * buffer, consume n, re-init, parse the rest) with whole, byte-by-byte or
 * random deliveries, recording every result for comparison. */
#ifndef C10K_TEST_FEED_H
#define C10K_TEST_FEED_H

#include "proto.h"

struct feed_res {
    ssize_t n;
    size_t start; /* stream offset of the request */
    struct proto_req req;
    size_t body_off; /* req.body - stream start, when req.body */
};

#define FEED_MAX 256

struct feed_log {
    size_t count;
    struct feed_res res[FEED_MAX];
    size_t consumed; /* bytes consumed at the end */
    bool closed;     /* stopped on PROTO_CONN_CLOSE */
};

/* step == 0: the whole stream in one delivery; step == 1: byte by byte;
 * otherwise deliveries of 1..step bytes from the xorshift seed. */
void feed_stream(const char *buf, size_t len, size_t step, uint64_t seed, struct feed_log *log);

/* 0 when equal, else the index of the first difference + 1. */
size_t feed_diff(const struct feed_log *a, const struct feed_log *b);

#endif
