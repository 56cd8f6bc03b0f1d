/* plot/gnuplot: finds gnuplot on PATH, writes each chart's driver
 * DIR/plots/<id>.gp (its variables, then plots/<script>.gp once per format)
 * and runs it there. Try: cd DIR/plots && gnuplot throughput-max.gp */
#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int pl_gnuplot_find(char *path, size_t cap)
{
    const char *env = getenv("PATH");
    char dirs[8192];
    snprintf(dirs, sizeof dirs, "%s", env ? env : "/usr/bin:/bin");
    char *rest = dirs;
    for (char *d; (d = strsep(&rest, ":")) != NULL;) {
        snprintf(path, cap, "%s/gnuplot", *d ? d : ".");
        if (access(path, X_OK) == 0) return 0;
    }
    return -ENOENT;
}

/* Writes s as a gnuplot single-quoted string ('' stands for '). */
static void put_quoted(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'') fputc('\'', f);
        if (*s != '\n') fputc(*s, f);
    }
    fputc('\'', f);
}

static void put_var(FILE *f, const char *name, const char *value)
{
    fprintf(f, "%s = ", name);
    put_quoted(f, value);
    fputc('\n', f);
}

/* The note as a double-quoted string, one line per "; " separated part; and
 * how many lines it has (note_lines). */
static void put_note(FILE *f, const char *note)
{
    int lines = *note ? 1 : 0;
    fputs("note = \"", f);
    for (const char *p = note; *p; p++) {
        if (p[0] == ';' && p[1] == ' ') {
            fputs("\\n", f);
            lines++;
            p++;
        } else if (*p == '"' || *p == '\\') {
            fprintf(f, "\\%c", *p);
        } else if (*p == '@' || *p == '$') {
            fputc(' ', f); /* no macro or column reference in a note */
        } else if (*p != '\n') {
            fputc(*p, f);
        }
    }
    fprintf(f, "\"\nnote_lines = %d\n", lines);
}

static void put_format(FILE *f, const struct pl_chart *c, const char *plots_dir, const char *term,
                       const char *ext)
{
    fprintf(f, "set terminal %s size 1000,640 noenhanced font 'Sans,11'%s\n", term,
            strcmp(ext, "svg") ? "" : " background rgb 'white'");
    fprintf(f, "fmt = '%s'\nset output '%s.%s'\nload ", ext, c->id, ext);
    char script[4096];
    snprintf(script, sizeof script, "%s/%s.gp", plots_dir, c->script);
    put_quoted(f, script);
    fprintf(f, "\nunset output\n");
}

static int write_driver(const char *out_dir, const char *plots_dir, const struct pl_chart *c,
                        const struct pl_formats *fm)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.gp", out_dir, c->id);
    FILE *f = fopen(path, "w");
    if (!f) return -errno;
    fprintf(f, "# %s: written by c10k plot; redraw with: cd %s && gnuplot %s.gp\n", c->id, out_dir,
            c->id);
    put_var(f, "stem", c->id);
    put_var(f, "chart_title", c->title);
    put_var(f, "models", c->models);
    put_var(f, "all_models", c->all_models);
    put_var(f, "plots_dir", plots_dir);
    put_var(f, "conns", c->conns);
    put_note(f, c->note);
    fprintf(f, "logy = %d\n%s\n", c->logy, c->extra[0] ? c->extra : "marks = 0");
    if (fm->png) put_format(f, c, plots_dir, "pngcairo", "png");
    if (fm->svg) put_format(f, c, plots_dir, "svg", "svg");
    return fclose(f) ? -errno : 0;
}

static void child_exec(const char *gnuplot, const char *out_dir, const char *id)
{
    char log[4096], gp[256];
    snprintf(log, sizeof log, "%s/gnuplot.log", out_dir);
    snprintf(gp, sizeof gp, "%s.gp", id);
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        dup2(fd, STDERR_FILENO);
        dup2(fd, STDOUT_FILENO);
    }
    if (chdir(out_dir) == 0) execl(gnuplot, gnuplot, gp, (char *)NULL);
    _exit(127);
}

int pl_gnuplot_run(const char *gnuplot, const char *out_dir, const char *plots_dir,
                   const struct pl_chart *c, const struct pl_formats *f)
{
    int rc = write_driver(out_dir, plots_dir, c, f);
    if (rc) return rc;
    pid_t pid = fork();
    if (pid < 0) return -errno;
    if (pid == 0) child_exec(gnuplot, out_dir, c->id);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -errno;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}
