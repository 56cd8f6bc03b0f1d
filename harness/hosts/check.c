/* hosts check: what a host has (c10k's binaries and their versions, the git
 * commit of its source tree, CPUs, kernel, cgroup support), asked with one
 * shell script over the host's transport; `c10k hosts check H...`.
 *   try: build/harness/c10k hosts check local ssh://root@198.18.200.2 */
#include "cmd.h"
#include "config.h"
#include "json.h"
#include "models.h"
#include "hn_paths.h"
#include "hosts/hosts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <util.h>

#define HOSTS_CHECK_TIMEOUT_NS (20 * UTIL_NS_PER_S)

/* Appends to s (at *len) one `bin NAME VERSION` or `nobin NAME` probe. */
static void script_bin(char *s, size_t cap, size_t *len, const char *name, const char *path)
{
    int n = snprintf(s + *len, cap - *len,
                     "if [ -x '%s' ]; then v=$(timeout 5 '%s' --version 2>/dev/null | head -n1);"
                     " echo \"bin %s ${v:-?}\"; else echo 'nobin %s'; fi\n",
                     path, path, name, name);
    if (n > 0 && (size_t)n < cap - *len) *len += (size_t)n;
}

/* The facts script: the same paths as this build (one build path on every
 * host: docs/hosts.md). */
static bool wanted(const char *name, const char *const *only, size_t n_only)
{
    for (size_t i = 0; i < n_only; i++)
        if (strcmp(only[i], name) == 0) return true;
    return !only;
}

static void facts_script(char *s, size_t cap, const char *const *only, size_t n_only)
{
    struct hn_model m[HN_MAX_MODELS];
    size_t n = hn_models_list(m, HN_MAX_MODELS), i, len;
    char lg[4096], self[4096];
    ssize_t self_len;
    int k = snprintf(
        s, cap,
        "echo \"cpus $(nproc)\"; echo \"cpus_online $(nproc --all)\"; echo \"kernel $(uname -r)\"\n"
        "echo \"nofile $(ulimit -Hn)\"\n"
        "if [ -f /sys/fs/cgroup/cgroup.controllers ]; then"
        " echo \"cgroup v2 $(cat /sys/fs/cgroup/cgroup.controllers)\";"
        " elif [ -d /sys/fs/cgroup/memory ]; then echo 'cgroup v1 memory';"
        " else echo 'cgroup none'; fi\n"
        "c=$(git -C '%s' rev-parse --short HEAD 2>/dev/null);"
        " echo \"commit ${c:-unknown}\"\n",
        HN_SOURCE_ROOT);
    len = k > 0 && (size_t)k < cap ? (size_t)k : 0;
    self_len = readlink("/proc/self/exe", self, sizeof self - 1);
    self[self_len > 0 ? self_len : 0] = '\0';
    if (wanted("c10k", only, n_only)) script_bin(s, cap, &len, "c10k", self);
    if (wanted("c10k-load", only, n_only))
        script_bin(s, cap, &len, "c10k-load", hn_loadgen_path(lg, sizeof lg));
    for (i = 0; i < n; i++)
        if (wanted(m[i].name, only, n_only)) script_bin(s, cap, &len, m[i].name, m[i].path);
}

static void facts_line(json_t *f, const char *line)
{
    char name[64];
    int off = 0;
    if (strncmp(line, "cpus ", 5) == 0)
        json_object_set_new(f, "cpus", json_integer(atoi(line + 5)));
    else if (strncmp(line, "cpus_online ", 12) == 0)
        json_object_set_new(f, "cpus_online", json_integer(atoi(line + 12)));
    else if (strncmp(line, "nofile ", 7) == 0) /* the hard limit; "unlimited": none */
        json_object_set_new(f, "nofile",
                            strcmp(line + 7, "unlimited") == 0 ? json_null()
                                                               : json_integer(atoll(line + 7)));
    else if (strncmp(line, "kernel ", 7) == 0)
        json_object_set_new(f, "kernel", json_string(line + 7));
    else if (strncmp(line, "cgroup ", 7) == 0)
        json_object_set_new(f, "cgroup", json_string(line + 7));
    else if (strncmp(line, "commit ", 7) == 0)
        json_object_set_new(f, "commit", json_string(line + 7));
    else if (sscanf(line, "bin %63s %n", name, &off) == 1 && off > 0)
        json_object_set_new(json_object_get(f, "binaries"), name, json_string(line + off));
    else if (sscanf(line, "nobin %63s", name) == 1)
        json_object_set_new(json_object_get(f, "binaries"), name, json_null());
}

json_t *hosts_facts(const struct hosts_host *h, const char *const *only, size_t n_only)
{
    char script[16384], *out = malloc(65536), *save = NULL, *line;
    json_t *f;
    if (!out) return NULL;
    facts_script(script, sizeof script, only, n_only);
    if (hosts_capture(h, script, out, 65536, HOSTS_CHECK_TIMEOUT_NS) < 0) {
        free(out);
        return NULL;
    }
    f = json_pack("{s:s, s:o}", "host", h->url, "binaries", json_object());
    for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        facts_line(f, line);
    free(out);
    return f;
}

const char *hosts_lacks(const json_t *facts, const char *name)
{
    json_t *v = json_object_get(json_object_get(facts, "binaries"), name);
    if (!v || json_is_null(v))
        return "not there (the same build path on every host: docs/hosts.md)";
    if (strcmp(json_string_value(v), "?") == 0)
        return "there but it does not run (--version failed)";
    return NULL;
}

/* One line per host: what it has, or why it could not be asked. */
static void print_facts(const char *url, const json_t *f)
{
    const char *k;
    json_t *v;
    char have[1024] = "", lack[1024] = "";
    size_t hl = 0, ll = 0;
    json_object_foreach(json_object_get(f, "binaries"), k, v)
    {
        bool ok = hosts_lacks(f, k) == NULL;
        char *b = ok ? have : lack;
        size_t *l = ok ? &hl : &ll;
        int n = snprintf(b + *l, sizeof have - *l, "%s%s", *l ? "," : "", k);
        if (n > 0 && (size_t)n < sizeof have - *l) *l += (size_t)n;
    }
    printf("%s  ok  cpus=%d/%d kernel=%s cgroup=%s commit=%s c10k-load=%s\n    binaries: %s%s%s\n",
           url, (int)hn_jnum(f, "cpus"), (int)hn_jnum(f, "cpus_online"),
           json_string_value(json_object_get(f, "kernel")),
           json_string_value(json_object_get(f, "cgroup")),
           json_string_value(json_object_get(f, "commit")),
           hosts_lacks(f, "c10k-load")
               ? "missing"
               : json_string_value(json_object_get(json_object_get(f, "binaries"), "c10k-load")),
           have, ll ? "; missing: " : "", lack);
}

/* Opens, asks and closes one host; 0 when it is reachable and has c10k-load. */
static int check_one(const char *url, const char *ctl_dir, json_t *all)
{
    struct hosts_host h;
    char err[512];
    json_t *f;
    int rc = 0;
    if (hosts_parse(url, &h) < 0) {
        printf("%s  bad  not 'local' or ssh://[user@]address[:port]\n", url);
        return -EINVAL;
    }
    if (hosts_open(&h, ctl_dir, err, sizeof err) < 0) {
        printf("%s  unreachable  %s\n", url, err);
        return -EHOSTUNREACH;
    }
    f = hosts_facts(&h, NULL, 0);
    hosts_close(&h);
    if (!f) {
        printf("%s  failed  could not run the check script there\n", url);
        return -EIO;
    }
    if (all)
        json_array_append(all, f);
    else
        print_facts(url, f);
    if (hosts_lacks(f, "c10k-load")) rc = -ENOENT;
    json_decref(f);
    return rc;
}

int cmd_hosts(int argc, char **argv)
{
    char ctl_dir[] = "/tmp/c10k-ssh.XXXXXX";
    json_t *all = NULL;
    int i = 2, bad = 0;
    if (argc < 2 || strcmp(argv[1], "check") != 0) {
        fprintf(stderr,
                "usage: c10k hosts check [--json] HOST...   HOST: local or "
                "ssh://[user@]address[:port]\n"
                "  ssh config: $C10K_SSH_CONFIG (scripts/netns-lab.sh config), else ~/.ssh\n"
                "exit: 0 every host reachable with c10k-load, 1 not, 2 usage\n");
        return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
    }
    if (i < argc && strcmp(argv[i], "--json") == 0) all = json_array(), i++;
    if (i == argc || !mkdtemp(ctl_dir)) {
        fprintf(stderr, "c10k hosts check: %s\n",
                i == argc ? "name at least one host" : strerror(errno));
        json_decref(all);
        return 2;
    }
    for (; i < argc; i++)
        bad |= check_one(argv[i], ctl_dir, all) < 0;
    if (all) {
        json_dumpf(all, stdout, JSON_INDENT(1));
        printf("\n");
        json_decref(all);
    }
    rmdir(ctl_dir);
    return bad ? 1 : 0;
}
