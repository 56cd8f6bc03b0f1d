/* compare/assert: k6-style thresholds on one run: [SCOPE:][AGG(]METRIC[)] OP
 * VALUE, e.g. p99<5ms, errors==0, epoll:throughput>100k, max(p999)<=20ms.
 * Try: c10k compare --assert 'p99<5ms' --assert 'errors==0' results/new */
#include "cmp.h"

#include "stats.h"

#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CMP_MAX_TRIALS 4096

static const char *const op_names[] = {"<", "<=", ">", ">=", "==", "!="};
static const char *const agg_names[] = {"median", "min", "max"};

const char *cmp_op_name(enum cmp_op op)
{
    return op_names[op];
}

const char *cmp_agg_name(enum cmp_agg agg)
{
    return agg_names[agg];
}

static int bad(const char *text, const char *why)
{
    fprintf(stderr, "c10k compare: --assert '%s': %s\n", text, why);
    return -EINVAL;
}

/* Splits "LHS OP RHS" at the first operator character. */
static int split_op(const char *text, size_t *lhs_len, enum cmp_op *op, const char **rhs)
{
    size_t i = strcspn(text, "<>=!");
    if (!text[i]) return -EINVAL;
    const char *s = text + i;
    *lhs_len = i;
    if (strncmp(s, "<=", 2) == 0 || strncmp(s, ">=", 2) == 0 || strncmp(s, "==", 2) == 0 ||
        strncmp(s, "!=", 2) == 0) {
        *op = s[0] == '<' ? CMP_LE : s[0] == '>' ? CMP_GE : s[0] == '=' ? CMP_EQ : CMP_NE;
        *rhs = s + 2;
    } else if (*s == '<' || *s == '>') {
        *op = *s == '<' ? CMP_LT : CMP_GT;
        *rhs = s + 1;
    } else {
        return -EINVAL; /* a lone '=' or '!' */
    }
    return 0;
}

/* "epoll:max(p99)" -> scope "epoll", agg max, name "p99" */
static int parse_lhs(struct cmp_assert *a, char *lhs, const char **name, bool *has_agg)
{
    char *colon = strchr(lhs, ':');
    if (colon) {
        *colon = '\0';
        if (strlen(lhs) >= sizeof a->scope || !*lhs) return -EINVAL;
        strcpy(a->scope, lhs);
        lhs = colon + 1;
    }
    *has_agg = false;
    char *paren = strchr(lhs, '(');
    if (paren) {
        size_t n = strlen(lhs);
        if (n < 2 || lhs[n - 1] != ')') return -EINVAL;
        lhs[n - 1] = '\0';
        *paren = '\0';
        size_t k = 0;
        while (k < 3 && strcmp(agg_names[k], lhs) != 0)
            k++;
        if (k == 3) return -EINVAL;
        a->agg = (enum cmp_agg)k;
        *has_agg = true;
        lhs = paren + 1;
    }
    *name = lhs;
    return 0;
}

int cmp_assert_parse(struct cmp_assert *a, const char *text)
{
    char lhs[256];
    size_t lhs_len;
    const char *rhs, *name;
    bool has_agg;
    *a = (struct cmp_assert){.text = text};
    if (split_op(text, &lhs_len, &a->op, &rhs) < 0)
        return bad(text, "expected METRIC OP VALUE with OP one of < <= > >= == !=");
    if (lhs_len == 0 || lhs_len >= sizeof lhs) return bad(text, "missing metric");
    memcpy(lhs, text, lhs_len);
    lhs[lhs_len] = '\0';
    if (parse_lhs(a, lhs, &name, &has_agg) < 0)
        return bad(text, "expected [SCOPE:][median|min|max(]METRIC[)]");
    a->metric = cmp_metric_resolve(name);
    if (!a->metric)
        return bad(text, "unknown metric (p50 p90 p99 p999 max throughput errors cpu mem "
                         "mem_per_conn or a name from docs/results.md)");
    if (!has_agg) /* one errored trial is one too many; the rest by their median */
        a->agg = strcmp(a->metric, RES_NAME(ERRORS)) == 0 ? CMP_AGG_MAX : CMP_AGG_MEDIAN;
    if (cmp_parse_value(a->metric, rhs, &a->value) < 0)
        return bad(text, "bad value (units: 5ms 250us, 64KiB 1MiB, 100k 1.5M)");
    return 0;
}

static bool scope_matches(const char *scope, const struct res_point *p)
{
    return !*scope || strcmp(scope, p->model) == 0 || fnmatch(scope, p->id, 0) == 0 ||
           fnmatch(scope, p->model, 0) == 0;
}

static double aggregate(enum cmp_agg agg, double *v, size_t n)
{
    if (n == 0) return NAN;
    stats_sort(v, n);
    return agg == CMP_AGG_MIN ? v[0] : agg == CMP_AGG_MAX ? v[n - 1] : stats_median(v, n);
}

static bool holds(enum cmp_op op, double x, double y)
{
    switch (op) {
    case CMP_LT:
        return x < y;
    case CMP_LE:
        return x <= y;
    case CMP_GT:
        return x > y;
    case CMP_GE:
        return x >= y;
    case CMP_EQ:
        return x == y;
    default:
        return x != y;
    }
}

static int check_add(struct cmp_checks *cs, const struct cmp_assert *a, const struct res_point *p)
{
    static double v[CMP_MAX_TRIALS];
    struct cmp_check *c = realloc(cs->c, (cs->nc + 1) * sizeof *c);
    if (!c) return -ENOMEM;
    cs->c = c;
    c = &cs->c[cs->nc++];
    /* every trial counts here, flagged ones too: an assertion is about what happened */
    c->n = res_point_values(p, a->metric, false, v, CMP_MAX_TRIALS);
    *c = (struct cmp_check){.a = a, .pt = p, .n = c->n, .value = aggregate(a->agg, v, c->n)};
    c->pass = !isnan(c->value) && holds(a->op, c->value, a->value);
    cs->failed += !c->pass;
    return 0;
}

int cmp_checks_run(struct cmp_checks *cs, const struct res_run *nw)
{
    for (size_t i = 0; i < cs->nas; i++) {
        for (size_t k = 0; k < nw->n; k++) {
            const struct res_point *p = &nw->pts[k];
            if (res_status_unmeasured(p->status) || !scope_matches(cs->as[i].scope, p)) continue;
            int rc = check_add(cs, &cs->as[i], p);
            if (rc < 0) return rc;
            cs->matched[i] = true;
        }
        if (!cs->matched[i]) /* a typo in a scope must not pass quietly */
            cs->unmatched++;
    }
    return 0;
}

void cmp_checks_free(struct cmp_checks *cs)
{
    free(cs->c);
    cs->c = NULL;
    cs->nc = 0;
}
