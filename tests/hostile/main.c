/* c10k-hostile: one hostile-client case against one server model: start it on
 * port 0, take its memory baseline, run the case, check it still answers and
 * exits 0 on SIGTERM.
 *   c10k-hostile --case malformed|slowloris|reset|halfclose|noread|emfile
 *                [--expect-reject] [--model NAME] SERVER */
#include "hostile.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define HX_EMFILE_NOFILE 256

struct hx_opts {
    const char *cas;
    const char *model;
    bool expect_reject;
    const char *path;
};

static const struct {
    const char *name;
    int (*run)(struct hx_ctx *);
} hx_cases[] = {
    {"malformed", hx_case_malformed}, {"slowloris", hx_case_slowloris}, {"reset", hx_case_reset},
    {"halfclose", hx_case_halfclose}, {"noread", hx_case_noread},       {"emfile", hx_case_emfile},
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: c10k-hostile --case NAME [--expect-reject] [--model NAME] SERVER\n"
            "  --case NAME        malformed, slowloris, reset, halfclose, noread, emfile\n"
            "  --expect-reject    emfile: the server must count EMFILE rejections (default off)\n"
            "  --model NAME       name in messages (default: the binary's name)\n"
            "exit 0 pass, 1 fail, 77 the server cannot run here, 2 usage\n");
}

static int hx_parse(int argc, char **argv, struct hx_opts *o)
{
    static const struct option longs[] = {{"case", required_argument, NULL, 'c'},
                                          {"model", required_argument, NULL, 'm'},
                                          {"expect-reject", no_argument, NULL, 'r'},
                                          {"help", no_argument, NULL, 'h'},
                                          {NULL, 0, NULL, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (ch) {
        case 'c':
            o->cas = optarg;
            break;
        case 'm':
            o->model = optarg;
            break;
        case 'r':
            o->expect_reject = true;
            break;
        case 'h':
            usage(stdout);
            return 1;
        default:
            return -EINVAL;
        }
    }
    if (optind != argc - 1 || !o->cas) {
        fprintf(stderr, "c10k-hostile: need --case and one SERVER\n");
        return -EINVAL;
    }
    o->path = argv[optind];
    if (!o->model) {
        const char *s = strrchr(o->path, '/');
        o->model = s ? s + 1 : o->path;
    }
    return 0;
}

/* Starts the server; the emfile case with 256 fds and stderr to a file. */
static int hx_start(struct hx_ctx *x, bool emfile)
{
    int saved = -1, rc;
    if (emfile) {
        x->srv.nofile = HX_EMFILE_NOFILE;
        snprintf(x->err_path, sizeof(x->err_path), "/tmp/c10k-hostile-err.XXXXXX");
        int fd = mkstemp(x->err_path);
        if (fd < 0) return -errno;
        fflush(stderr);
        saved = dup(STDERR_FILENO);
        dup2(fd, STDERR_FILENO);
        close(fd);
    }
    rc = itc_server_start(&x->srv, x->path, NULL);
    if (saved >= 0) {
        dup2(saved, STDERR_FILENO);
        close(saved);
    }
    return rc;
}

static void hx_raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static int hx_run(struct hx_ctx *x, int (*run)(struct hx_ctx *), bool emfile)
{
    int rc = hx_start(x, emfile), st = -1;
    if (rc == ITC_SKIP) return ITC_SKIP;
    if (rc != 0) return 1;
    if (hx_normal(x, 5000) != 0) return 1;
    int64_t base_ms = hx_normal_worst_ms(x, 5000);
    if (base_ms < 0) return 1;
    x->base_ms = (uint64_t)base_ms;
    usleep(200000);
    x->base_kib = hx_tree_pss_kib(x->srv.pid);
    fprintf(stderr, "hostile: %s: baseline PSS %llu KiB, normal client %llu ms (late past %d ms)\n",
            x->model, (unsigned long long)x->base_kib, (unsigned long long)x->base_ms,
            hx_late_ms(x->base_ms));
    rc = run(x);
    if (x->srv.pid > 0 && waitpid(x->srv.pid, &st, WNOHANG) == x->srv.pid) {
        fprintf(stderr, "hostile: %s: the server died (status 0x%x)\n", x->model, (unsigned)st);
        x->srv.pid = 0;
        return 1;
    }
    if (x->srv.pid > 0) {
        if (itc_server_stop(&x->srv, SIGTERM, 2000, &st) != 0 || !WIFEXITED(st) ||
            WEXITSTATUS(st) != 0) {
            fprintf(stderr, "hostile: %s: no clean exit 0 on SIGTERM (status 0x%x)\n", x->model,
                    (unsigned)st);
            rc = -1;
        }
    }
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    struct hx_opts o = {0};
    int rc = hx_parse(argc, argv, &o);
    if (rc) {
        if (rc < 0) usage(stderr);
        return rc < 0 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof(hx_cases) / sizeof(hx_cases[0]); i++) {
        if (strcmp(o.cas, hx_cases[i].name) != 0) continue;
        signal(SIGPIPE, SIG_IGN);
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        hx_raise_nofile();
        struct hx_ctx x = {.path = o.path, .model = o.model, .expect_reject = o.expect_reject};
        x.srv.pid = 0;
        x.srv.out_fd = -1;
        rc = hx_run(&x, hx_cases[i].run, strcmp(o.cas, "emfile") == 0);
        itc_server_kill(&x.srv);
        if (x.err_path[0]) unlink(x.err_path);
        fprintf(stderr, "hostile: %s: case %s: %s\n", o.model, o.cas,
                rc == 0          ? "PASS"
                : rc == ITC_SKIP ? "SKIP"
                                 : "FAIL");
        return rc;
    }
    fprintf(stderr, "c10k-hostile: unknown case '%s'\n", o.cas);
    usage(stderr);
    return 2;
}
