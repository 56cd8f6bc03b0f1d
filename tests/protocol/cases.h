/* cases: the protocol table of docs/protocol.md as data (request bytes ->
 * expected n, status, connection, fields and response bytes), shared by the
 * tests of this folder. */
#ifndef C10K_TEST_CASES_H
#define C10K_TEST_CASES_H

#include "proto.h"

struct pcase {
    const char *name;
    const char *in;
    size_t in_len;
    ssize_t n; /* expected return; 0 = all of in_len */
    uint16_t status;
    uint8_t conn;
    bool has_size;
    uint32_t size, delay_us, work_us;
    bool echo;
    uint32_t body_len; /* echo: body bytes (they end the input) */
    const char *resp;  /* expected response bytes, NULL = not checked here */
    size_t resp_len;
};

extern const struct pcase pcases[];
extern const size_t pcases_count;

#endif
