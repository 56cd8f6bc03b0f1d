/* hn table: the end-of-run table on stdout: every point's status, throughput,
 * p99, and memory per connection split into user / kernel stack / page tables
 * / socket (medians over trials).  try: c10k sweep ... (printed at the end) */
#include "results/metric.h"
#include "json.h"
#include "point.h"
#include "sweep.h"

#include <math.h>
#include <stdio.h>

static void cell(double v, double div, int width, int prec)
{
    if (isfinite(v))
        printf(" %*.*f", width, prec, v / div);
    else
        printf(" %*s", width, "-");
}

void hn_print_points(const struct hn_point *pts, size_t n)
{
    size_t i;
    printf("%-30s %-9s %10s %9s %9s %9s %9s %9s %9s %9s %9s %9s %8s %9s %9s\n", "point", "status",
           "rps", "p99_ms", "B/conn", "user", "kstack", "ptables", "socket", "kstack_t", "ptabl_t",
           "slab", "threads", "srv_B/c", "cli_B/c");
    for (i = 0; i < n; i++) {
        json_t *sum = hn_point_summary(pts[i].trials);
        json_t *md = json_object_get(sum, "median");
        printf("%-30s %-9s", pts[i].id, pts[i].status);
        cell(hn_jnum(md, RES_NAME(RPS)), 1, 10, 0);
        cell(hn_jnum(md, RES_NAME(P99)), 1000, 9, 2);
        cell(hn_jnum(md, RES_NAME(PC_TOTAL)), 1, 9, 0);
        cell(hn_jnum(md, RES_NAME(PC_USER)), 1, 9, 0);
        cell(hn_jnum(md, RES_NAME(PC_KSTACK)), 1, 9, 0);
        cell(hn_jnum(md, RES_NAME(PC_PTE)), 1, 9, 0);
        cell(hn_jnum(md, RES_NAME(PC_SOCKET)), 1, 9, 0);
        cell(hn_jnum(md, RES_NAME(PC_KSTACK_TREE)), 1, 9, 0);
        cell(hn_jnum(md, RES_NAME(PC_PTE_TREE)), 1, 9, 0);
        cell(hn_jnum(md, RES_NAME(PC_SLAB)), 1, 9, 0);
        cell(hn_jnum(md, RES_NAME(THREADS_LOADED)), 1, 8, 0);
        /* the memory books: each side's own group (docs/results.md) */
        cell(hn_jnum(md, RES_NAME(SRV_TOTAL)), 1, 9, 0);
        cell(hn_jnum(md, RES_NAME(CLI_TOTAL)), 1, 9, 0);
        if (pts[i].reason[0])
            printf("  (%s)", pts[i].reason);
        putchar('\n');
        json_decref(sum);
    }
    fflush(stdout);
}
