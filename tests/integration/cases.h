/* cases: the integration behaviours, one function each (cases.c: HTTP,
 * life.c: process life: help, flags, SIGTERM, the stats line). */
#ifndef C10K_CASES_H
#define C10K_CASES_H

#include "itc.h"

#include <stdio.h>

#define CASE_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            goto fail;                                                                             \
        }                                                                                          \
    } while (0)

struct case_ctx {
    const char *path;
    bool solo_delay;
    bool expect_reject;
    /* emfile: the model must refuse (not queue) connections */ /* the model may hold other
                                                                   connections during a delay */
    const char *const *server_args; /* extra server arguments, NULL-terminated */
    struct itc_server srv;          /* started by main for cases that need it */
};

/* Each returns 0 pass, 1 fail (after saying why on stderr), 77 skip. */
int case_get(struct case_ctx *x);
int case_size(struct case_ctx *x);
int case_echo_small(struct case_ctx *x);
int case_echo_large(struct case_ctx *x);
int case_404(struct case_ctx *x);
int case_501(struct case_ctx *x);
int case_400_kept(struct case_ctx *x);
int case_400_close(struct case_ctx *x);
int case_431(struct case_ctx *x);
int case_pipeline(struct case_ctx *x);
int case_keepalive(struct case_ctx *x);
int case_close(struct case_ctx *x);
int case_http10(struct case_ctx *x);
int case_http10_keepalive(struct case_ctx *x);
int case_delay(struct case_ctx *x);
int case_delay_pipeline(struct case_ctx *x);
int case_bad_isolated(struct case_ctx *x);
int case_help(struct case_ctx *x);
int case_badflag(struct case_ctx *x);
int case_sigterm(struct case_ctx *x);
int case_stats(struct case_ctx *x);
int case_emfile(struct case_ctx *x);

#define CASE_EMFILE_NOFILE 64 /* RLIMIT_NOFILE of the server in case emfile */

#endif
