/* compare_driver: `c10k compare` alone (cmd_compare), so the compare tests do
 * not depend on the rest of the harness. Try: compare_driver BASE NEW */
#include "cmd.h"

int main(int argc, char **argv)
{
    argv[0] = "compare";
    return cmd_compare(argc, argv);
}
