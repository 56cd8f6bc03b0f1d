/* query: the parameters of GET /?size=N&delay_us=N&work_us=N. Each key at
 * most once, each value 1*DIGIT within its range; anything else is 400.
 * Try: curl -i 'http://127.0.0.1:PORT/?size=64&delay_us=1000'. */
#include "proto_int.h"

#include <string.h>

enum { Q_SIZE, Q_DELAY, Q_WORK, Q_KEYS };

static const uint32_t key_max[Q_KEYS] = {
    [Q_SIZE] = PROTO_SIZE_MAX,
    [Q_DELAY] = PROTO_DELAY_MAX_US,
    [Q_WORK] = PROTO_WORK_MAX_US,
};

static int key_of(const char *k, size_t len)
{
    switch (len) { /* constant-length compares are inlined */
    case 4:
        return memcmp(k, "size", 4) == 0 ? Q_SIZE : -1;
    case 7:
        return memcmp(k, "work_us", 7) == 0 ? Q_WORK : -1;
    case 8:
        return memcmp(k, "delay_us", 8) == 0 ? Q_DELAY : -1;
    default:
        return -1;
    }
}

/* 1*DIGIT (leading zeros allowed) no larger than max; stops before overflowing. */
static int number(const char *v, size_t len, uint32_t max, uint32_t *out)
{
    if (len == 0) return -1;
    uint64_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (v[i] < '0' || v[i] > '9') return -1;
        n = n * 10 + (uint64_t)(v[i] - '0');
        if (n > max) return -1;
    }
    *out = (uint32_t)n;
    return 0;
}

/* One "key=value" from q[*i] (the '&' after it is consumed); sets val[key]. */
static int pair(const char *q, size_t len, size_t *i, uint32_t val[Q_KEYS], unsigned *seen)
{
    size_t k = *i, p = *i;
    while (p < len && q[p] != '=' && q[p] != '&')
        p++;
    int key = key_of(q + k, p - k);
    if (key < 0 || (*seen & (1u << key)) || p == len || q[p] != '=') return -1;
    *seen |= 1u << key;
    size_t v = ++p;
    while (p < len && q[p] != '&')
        p++;
    if (number(q + v, p - v, key_max[key], &val[key]) < 0) return -1;
    if (p < len && ++p == len) return -1; /* a trailing '&' is an empty parameter */
    *i = p;
    return 0;
}

int proto__parse_query(const char *q, size_t len, struct proto_req *req)
{
    uint32_t val[Q_KEYS] = {0};
    unsigned seen = 0;
    size_t i = 0;
    while (i < len)
        if (pair(q, len, &i, val, &seen) < 0) return 400;
    req->has_size = seen & (1u << Q_SIZE);
    req->size = val[Q_SIZE];
    req->delay_us = val[Q_DELAY];
    req->work_us = val[Q_WORK];
    return 0;
}
