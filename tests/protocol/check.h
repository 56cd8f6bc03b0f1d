/* check: compares one parse result with its table row and names the row on
 * failure (cmocka's assert_* would not say which row). */
#ifndef C10K_TEST_PROTO_CHECK_H
#define C10K_TEST_PROTO_CHECK_H

#include "cases.h"

/* 0 when req and n match row c (parsed from c->in at offset 0), else 1 after
 * printing what differs. */
int check_row(const struct pcase *c, ssize_t n, const struct proto_req *req, const char *how);

/* Writes the response to req into a fresh buffer (whole and head+chunks) and
 * compares with c->resp when set. 0 on success. */
int check_resp(const struct pcase *c, const struct proto_req *req);

#endif
