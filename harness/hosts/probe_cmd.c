/* c10k probe: the memory/CPU probe of a trial run on the server's own host
 * (started over ssh by the harness): samples PID's tree until stdin ends,
 * a line "kick" taking a tree sample now; then prints every sample as one
 * JSON object (hn_probe_export) on stdout.
 *   try: sleep 60 & (sleep 1; echo kick; sleep 1) | build/harness/c10k probe $! --since-ns 0 */
#include "cmd.h"
#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <util.h>

#define PROBE_CMD_INTERVAL_NS (100 * UTIL_NS_PER_MS)

static int usage(void)
{
    fprintf(stderr,
            "usage: c10k probe PID --since-ns N [--pin CPUS]\n"
            "  samples PID's process tree (times: seconds since N ns ago) until\n"
            "  stdin ends; a line 'kick' takes a tree sample; prints the samples as JSON\n");
    return 2;
}

int cmd_probe(int argc, char **argv)
{
    struct hn_probe *p;
    const char *pin = NULL;
    long long pid;
    uint64_t since = 0;
    char line[64], *end;
    json_t *j;
    int i;
    if (argc < 2 || (pid = strtoll(argv[1], &end, 10)) <= 0 || *end) return usage();
    for (i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--since-ns") == 0)
            since = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--pin") == 0)
            pin = argv[i + 1];
        else
            return usage();
    }
    if (i != argc) return usage();
    if (hn_probe_start(&p, (pid_t)pid, util_mono_ns() - since, PROBE_CMD_INTERVAL_NS) < 0) return 1;
    if (pin) hn_probe_pin(p, pin);
    /* the harness times our samples from when it reads this line */
    printf("probe ready\n");
    fflush(stdout);
    while (fgets(line, sizeof line, stdin) && strncmp(line, "stop", 4) != 0)
        if (strncmp(line, "kick", 4) == 0) hn_probe_kick(p);
    hn_probe_stop(p);
    j = hn_probe_export(p);
    /* where it ran: the server's host, as its network namespace and name say */
    char ns[64] = "", host[256] = "";
    ssize_t n = readlink("/proc/self/ns/net", ns, sizeof ns - 1);
    ns[n > 0 ? n : 0] = '\0';
    gethostname(host, sizeof host - 1);
    json_object_set_new(j, "net_ns", json_string(ns));
    json_object_set_new(j, "hostname", json_string(host));
    json_dumpf(j, stdout, JSON_COMPACT);
    printf("\n");
    json_decref(j);
    hn_probe_free(p);
    return 0;
}
