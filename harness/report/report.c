/* report: placeholder until c10k report lands (issue: charts and report). */
#include "cmd.h"

#include <stdio.h>

int cmd_report(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "c10k report: not built yet\n");
    return 2;
}
