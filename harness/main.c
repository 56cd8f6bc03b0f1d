/* c10k: the harness's entry point: dispatches to a verb (harness/cmd.h).
 *   try: build/harness/c10k models ; c10k env ; c10k run --model epoll -c 100 */
#include "cmd.h"
#include "hn_paths.h"

#include <stdio.h>
#include <string.h>

struct verb {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *what;
};

static const struct verb verbs[] = {
    {"models", cmd_models, "the server models, their binaries, whether each runs here"},
    {"env", cmd_env, "the machine and build a measurement ran on [--json]"},
    {"run", cmd_run, "measure one model at one point (--model M --connections N ...)"},
    {"sweep", cmd_sweep, "measure models x connections x scenarios into a results folder"},
    {"compare", cmd_compare, "compare two results folders (exit 1 on regression)"},
    {"plot", cmd_plot, "draw the charts of a results folder"},
    {"report", cmd_report, "write report.md and report.html of a results folder"},
    {"probe", cmd_probe, "sample a process tree until stdin ends (a trial's server host)"},
    {"hosts", cmd_hosts, "what each host has: c10k hosts check local ssh://user@addr ..."},
    {"waits", cmd_waits, "the asyncio guides' N-waits experiment into DIR/waits.json"},
};

static void usage(FILE *f)
{
    size_t i;
    fprintf(f, "usage: c10k VERB [options]   (c10k VERB --help for its options)\n");
    for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        fprintf(f, "  %-8s %s\n", verbs[i].name, verbs[i].what);
}

int main(int argc, char **argv)
{
    size_t i;
    if (argc < 2) {
        fprintf(stderr, "c10k: missing verb\n");
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("c10k %s\n", HN_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (strcmp(argv[1], verbs[i].name) == 0) {
            /* getopt names argv[0] in its messages: "c10k plot: ...", not "plot: ..." */
            char name[32];
            snprintf(name, sizeof name, "c10k %s", verbs[i].name);
            argv[1] = name;
            return verbs[i].fn(argc - 1, argv + 1);
        }
    fprintf(stderr, "c10k: unknown verb '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
