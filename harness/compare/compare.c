/* compare: placeholder until c10k compare lands (issue: c10k compare). */
#include "cmd.h"

#include <stdio.h>

int cmd_compare(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "c10k compare: not built yet\n");
    return 2;
}
