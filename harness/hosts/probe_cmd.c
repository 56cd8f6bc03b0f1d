/* c10k probe: the memory/CPU probe of a trial run on the server's own host
 * (started over ssh by the harness): samples PID's tree until stdin ends
 * (or a line "stop"), a line "kick" taking a tree sample now. Stdout:
 * "probe ready", then each sample as it is taken ("sample [fields in hn_sf
 * order]"), and at the end "end {the probe's figures, no samples}".
 *   try: sleep 60 & (sleep 1; echo kick; sleep 1) | build/harness/c10k probe $! --since-ns 0 */
#include "cmd.h"
#include "probe.h"

#include <math.h>
#include <poll.h>
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

/* Prints the samples taken since `sent`; the new count. */
static size_t stream(struct hn_probe *p, size_t sent)
{
    struct hn_sample s[64];
    size_t n;
    while ((n = hn_probe_copy(p, sent, s, 64)) > 0) {
        for (size_t i = 0; i < n; i++) {
            printf("sample [");
            for (int f = 0; f < HN_SF_COUNT; f++)
                if (isfinite(s[i].v[f]))
                    printf("%s%.17g", f ? "," : "", s[i].v[f]);
                else
                    printf("%snull", f ? "," : "");
            printf("]\n");
        }
        sent += n;
    }
    fflush(stdout);
    return sent;
}

/* Waits up to 100 ms for commands on stdin: 0 go on, 1 stop (or EOF). */
static int commands(struct hn_probe *p)
{
    static char buf[256];
    static size_t len;
    struct pollfd pfd = {0, POLLIN, 0};
    char *nl;
    ssize_t r;
    if (poll(&pfd, 1, 100) <= 0) return 0;
    r = read(0, buf + len, sizeof buf - 1 - len);
    if (r <= 0) return 1;
    len += (size_t)r;
    buf[len] = '\0';
    while ((nl = strchr(buf, '\n'))) {
        *nl = '\0';
        if (strcmp(buf, "stop") == 0) return 1;
        if (strcmp(buf, "kick") == 0) hn_probe_kick(p);
        len -= (size_t)(nl + 1 - buf);
        memmove(buf, nl + 1, len + 1);
    }
    if (len == sizeof buf - 1) len = 0; /* a line too long: not a command */
    return 0;
}

int cmd_probe(int argc, char **argv)
{
    struct hn_probe *p;
    const char *pin = NULL;
    long long pid;
    uint64_t since = 0;
    char *end;
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
    size_t sent = 0;
    while (commands(p) == 0)
        sent = stream(p, sent);
    hn_probe_stop(p);
    stream(p, sent);
    j = hn_probe_export(p);
    json_object_del(j, "samples"); /* streamed */
    /* where it ran: the server's host, as its network namespace and name say */
    char ns[64] = "", host[256] = "";
    ssize_t n = readlink("/proc/self/ns/net", ns, sizeof ns - 1);
    ns[n > 0 ? n : 0] = '\0';
    gethostname(host, sizeof host - 1);
    json_object_set_new(j, "net_ns", json_string(ns));
    json_object_set_new(j, "hostname", json_string(host));
    printf("end ");
    json_dumpf(j, stdout, JSON_COMPACT);
    printf("\n");
    fflush(stdout);
    json_decref(j);
    hn_probe_free(p);
    return 0;
}
