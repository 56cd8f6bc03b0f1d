/* test-results-status DIR [ID=STATUS...]: compare, plot and report load DIR
 * through their own entry points (cmp_run_load, pl_set_load, rp_load) and must
 * give the same points in the same order with the same status; each ID=STATUS
 * is checked too. Run by test-results-status.sh.
 * Try: test-results-status tests/data/results-small epoll-c50-r0-max=ok */
#include "compare/cmp.h"
#include "plot/plot.h"
#include "report/rp.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static int g_argc;
static char **g_argv;

static const char *status_of(const struct res_run *run, const char *id)
{
    const struct res_point *p = res_find_id(run, id);
    return p ? p->status : "(no such point)";
}

static void same_everywhere(const struct res_run *c, const struct pl_set *pl,
                            const struct rp_run *rp)
{
    assert_int_equal(c->n, pl->n);
    assert_int_equal(c->n, rp->n);
    for (size_t i = 0; i < c->n; i++) {
        printf("%-28s compare %-8s plot %-8s report %s\n", c->pts[i].id, c->pts[i].status,
               pl->pts[i].status, rp->pts[i].status);
        assert_string_equal(c->pts[i].id, pl->pts[i].id);
        assert_string_equal(c->pts[i].id, rp->pts[i].id);
        assert_string_equal(c->pts[i].status, pl->pts[i].status);
        assert_string_equal(c->pts[i].status, rp->pts[i].status);
    }
}

static void agree(void **state)
{
    struct res_run c;
    struct pl_set pl;
    struct rp_run rp;
    char err[4608];
    (void)state;
    assert_int_equal(cmp_run_load(&c, g_argv[1]), 0);
    assert_int_equal(pl_set_load(&pl, g_argv[1], err, sizeof err), 0);
    assert_int_equal(rp_load(&rp, g_argv[1], err, sizeof err), 0);
    same_everywhere(&c, &pl, &rp);
    for (int i = 2; i < g_argc; i++) {
        const char *eq = strchr(g_argv[i], '=');
        char id[256];
        assert_non_null(eq);
        snprintf(id, sizeof id, "%.*s", (int)(eq - g_argv[i]), g_argv[i]);
        assert_string_equal(status_of(&c, id), eq + 1);
    }
    res_run_free(&c);
    pl_set_free(&pl);
    rp_free(&rp);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(agree)};
    if (argc < 2) {
        fprintf(stderr, "usage: test-results-status DIR [ID=STATUS...]\n");
        return 2;
    }
    g_argc = argc;
    g_argv = argv;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
