/* hosts set: the hosts of one run opened together before anything is
 * measured: each reachable, each with the binaries it will run, or one line
 * naming the host that is not.
 *   try: build/harness/c10k run --model epoll -c 10 --server-host ssh://root@198.18.200.9 */
#include "hosts/hosts.h"
#include "config.h"
#include "proc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool hosts_remote(const struct hn_config *c)
{
    size_t i;
    if (strcmp(c->server_host, "local") != 0) return true;
    for (i = 0; i < c->n_load_hosts; i++)
        if (strcmp(c->load_hosts[i], "local") != 0) return true;
    return false;
}

/* Opens h and checks it has every binary of names[]; prints why not. */
static int open_one(struct hosts_set *s, struct hosts_host *h, const char *url,
                    const char *const *names, size_t n, const char *verb)
{
    char err[512];
    json_t *f;
    size_t i;
    int rc;
    if (hosts_parse(url, h) < 0) {
        fprintf(stderr, "c10k %s: host %s: not 'local' or ssh://[user@]address[:port]\n", verb,
                url);
        return -EINVAL;
    }
    if (h->local) return hosts_open(h, s->ctl_dir, err, sizeof err);
    if ((rc = hosts_open(h, s->ctl_dir, err, sizeof err)) < 0) {
        if (rc != -EINTR) fprintf(stderr, "c10k %s: host %s is unreachable: %s\n", verb, url, err);
        return rc;
    }
    if (!(f = hosts_facts(h, names, n))) {
        if (hn_interrupted()) return -EINTR;
        fprintf(stderr, "c10k %s: host %s: the check script failed there\n", verb, url);
        return -EHOSTUNREACH;
    }
    if (json_object_get(s->facts, url)) /* a host in two roles: what it has for both */
        json_object_update(json_object_get(json_object_get(s->facts, url), "binaries"),
                           json_object_get(f, "binaries"));
    else
        json_object_set(s->facts, url, f);
    for (i = 0; i < n; i++) {
        const char *why = hosts_lacks(f, names[i]);
        if (why) {
            fprintf(stderr, "c10k %s: host %s lacks %s: %s\n", verb, url, names[i], why);
            json_decref(f);
            return -ENOENT;
        }
    }
    json_decref(f);
    return 0;
}

int hosts_set_open(struct hosts_set *s, const struct hn_config *c, const char *verb)
{
    const char *models[HN_MAX_MODELS + 1], *lg[] = {"c10k-load"};
    size_t i;
    int rc;
    memset(s, 0, sizeof *s);
    snprintf(s->ctl_dir, sizeof s->ctl_dir, "/tmp/c10k-ssh.XXXXXX");
    if (!mkdtemp(s->ctl_dir)) return -errno;
    s->facts = json_object();
    if (strcmp(c->server_host, "local") == 0 && hosts_remote(c)) {
        fprintf(stderr,
                "c10k %s: with load hosts over ssh, --server-host must be an ssh:// "
                "host too (its address is what they connect to)\n",
                verb);
        hosts_set_close(s);
        return -EINVAL;
    }
    for (i = 0; i < c->n_models; i++)
        models[i] = c->models[i];
    models[i] = "c10k"; /* its probe runs there */
    rc = open_one(s, &s->server, c->server_host, models, c->n_models + 1, verb);
    for (i = 0; rc == 0 && i < c->n_load_hosts; i++, s->n_load++)
        rc = open_one(s, &s->load[i], c->load_hosts[i], lg, 1, verb);
    if (rc < 0) hosts_set_close(s);
    return rc;
}

void hosts_set_close(struct hosts_set *s)
{
    size_t i;
    hosts_close(&s->server);
    for (i = 0; i < s->n_load; i++)
        hosts_close(&s->load[i]);
    s->n_load = 0;
    json_decref(s->facts);
    s->facts = NULL;
    if (s->ctl_dir[0]) rmdir(s->ctl_dir);
    s->ctl_dir[0] = '\0';
}
