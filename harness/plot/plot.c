/* plot: placeholder until c10k plot lands (issue: charts and report). */
#include "cmd.h"

#include <stdio.h>

int cmd_plot(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "c10k plot: not built yet\n");
    return 2;
}
