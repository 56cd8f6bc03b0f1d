/* c10k report DIR: writes DIR/report.md and a self-contained DIR/report.html
 * (charts as data: URIs) from DIR/manifest.json and DIR/points/.
 * Try: c10k report results/<run>   (after c10k plot results/<run>) */
#include "cmd.h"
#include "rp.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

struct rp_opts {
    const char *dir;
    int quiet;
};

static void rp_usage(FILE *f)
{
    fprintf(f, "usage: c10k report [--quiet] [--help] DIR\n"
               "  writes DIR/report.md and DIR/report.html (charts from DIR/plots/index.json,\n"
               "  made by c10k plot DIR) from DIR/manifest.json and DIR/points/*.json\n"
               "  -q, --quiet   do not print where the report is (default: print)\n"
               "  -h, --help    this help\n"
               "exit: 0 written, 1 could not write, 2 bad usage or missing/malformed "
               "manifest\n");
}

static int rp_parse(int argc, char **argv, struct rp_opts *opt)
{
    static const struct option longs[] = {
        {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    int c;
    memset(opt, 0, sizeof *opt);
    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", longs, NULL)) != -1) {
        if (c == 'q') {
            opt->quiet = 1;
        } else if (c == 'h') {
            rp_usage(stdout);
            return 1;
        } else {
            rp_usage(stderr);
            return -EINVAL;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "c10k report: expected one results folder\n");
        rp_usage(stderr);
        return -EINVAL;
    }
    opt->dir = argv[optind];
    return 0;
}

static void rp_write_all(struct rp_out *o, const struct rp_run *run)
{
    rp_html_begin(o, "c10k report");
    rp_sec_question(o, run);
    rp_sec_summary(o, run);
    rp_sec_answer(o, run);
    rp_sec_method(o, run);
    rp_sec_charts(o, run);
    rp_sec_figures(o, run);
    rp_sec_memory(o, run);
    rp_sec_books(o, run);
    rp_sec_breaking(o, run);
    rp_sec_claims(o, run);
    rp_sec_noise(o, run);
    rp_sec_waits(o, run);
    rp_sec_reproduce(o, run);
    rp_html_end(o);
}

static int rp_write(const struct rp_run *run, const char *dir)
{
    char md[4096], html[4096], md_tmp[4200], html_tmp[4200];
    struct rp_out o = {.dir = dir};
    int rc = 0;
    snprintf(md, sizeof md, "%s/report.md", dir);
    snprintf(html, sizeof html, "%s/report.html", dir);
    snprintf(md_tmp, sizeof md_tmp, "%s.tmp", md);
    snprintf(html_tmp, sizeof html_tmp, "%s.tmp", html);
    o.md = fopen(md_tmp, "w");
    o.html = fopen(html_tmp, "w");
    if (!o.md || !o.html) {
        rc = -errno;
        goto fail;
    }
    rp_write_all(&o, run);
    if (ferror(o.md) || ferror(o.html)) rc = -EIO;
    if (fclose(o.md) != 0 && !rc) rc = -errno;
    o.md = NULL;
    if (fclose(o.html) != 0 && !rc) rc = -errno;
    o.html = NULL;
    if (rc) goto fail;
    if (rename(md_tmp, md) != 0 || rename(html_tmp, html) != 0) {
        rc = -errno;
        goto fail;
    }
    return 0;
fail:
    if (o.md) fclose(o.md);
    if (o.html) fclose(o.html);
    remove(md_tmp);
    remove(html_tmp);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    struct rp_opts opt;
    struct rp_run run;
    char err[4600];
    int rc = rp_parse(argc, argv, &opt);
    if (rc) return rc > 0 ? 0 : 2;
    if (rp_load(&run, opt.dir, err, sizeof err) != 0) {
        fprintf(stderr, "c10k report: %s\n", err);
        return 2;
    }
    rc = rp_write(&run, opt.dir);
    if (rc)
        fprintf(stderr, "c10k report: cannot write %s/report.*: %s\n", opt.dir, strerror(-rc));
    else if (!opt.quiet)
        printf("report: %s/report.html\nreport: %s/report.md\n", opt.dir, opt.dir);
    rp_free(&run);
    return rc ? 1 : 0;
}
