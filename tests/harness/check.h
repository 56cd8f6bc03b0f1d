/* check: the failure counter and CHECK macro the harness test programs share:
 * a failed check prints where and why and counts, the test goes on, and main
 * returns CHECK_EXIT(). Header-only: each test is one program. */
#ifndef C10K_TEST_CHECK_H
#define C10K_TEST_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond, ...)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                           \
            fprintf(stderr, __VA_ARGS__);                                                  \
            fputc('\n', stderr);                                                           \
            failures++;                                                                    \
        }                                                                                  \
    } while (0)

#endif
