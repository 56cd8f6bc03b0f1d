/* rp emit: one call writes the same block to report.md and report.html
 * (headings, paragraphs, lists, code, tables, embedded PNG charts). Text is
 * plain: HTML escapes it, Markdown escapes table pipes. */
#include "rp.h"

#include <stdarg.h>
#include <string.h>

static void rp_html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

static void rp_md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|') fputc('\\', f);
        fputc(*s == '\n' ? ' ' : *s, f);
    }
}

static void rp_close_list(struct rp_out *o)
{
    if (!o->in_list) return;
    fputs("</ul>\n", o->html);
    fputc('\n', o->md);
    o->in_list = 0;
}

void rp_h(struct rp_out *o, int level, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    rp_close_list(o);
    fprintf(o->md, "%.*s %s\n\n", level, "######", text);
    fprintf(o->html, "<h%d>", level);
    rp_html_text(o->html, text);
    fprintf(o->html, "</h%d>\n", level);
}

void rp_p(struct rp_out *o, const char *fmt, ...)
{
    char text[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    rp_close_list(o);
    fprintf(o->md, "%s\n\n", text);
    fputs("<p>", o->html);
    rp_html_text(o->html, text);
    fputs("</p>\n", o->html);
}

void rp_li(struct rp_out *o, const char *fmt, ...)
{
    char text[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (!o->in_list) fputs("<ul>\n", o->html);
    o->in_list = 1;
    fprintf(o->md, "- %s\n", text);
    fputs("<li>", o->html);
    rp_html_text(o->html, text);
    fputs("</li>\n", o->html);
}

void rp_list_end(struct rp_out *o)
{
    rp_close_list(o);
}

void rp_code(struct rp_out *o, const char *text)
{
    rp_close_list(o);
    fprintf(o->md, "```\n%s\n```\n\n", text);
    fputs("<pre>", o->html);
    rp_html_text(o->html, text);
    fputs("</pre>\n", o->html);
}

void rp_table(struct rp_out *o, size_t ncols, const char *const *header)
{
    rp_close_list(o);
    fputs("<table>\n<tr>", o->html);
    fputc('|', o->md);
    for (size_t i = 0; i < ncols; i++) {
        fputc(' ', o->md);
        rp_md_cell(o->md, header[i]);
        fputs(" |", o->md);
        fputs("<th>", o->html);
        rp_html_text(o->html, header[i]);
        fputs("</th>", o->html);
    }
    fputs("</tr>\n", o->html);
    fputs("\n|", o->md);
    for (size_t i = 0; i < ncols; i++)
        fputs(i == 0 ? "---|" : "--:|", o->md);
    fputc('\n', o->md);
}

void rp_row(struct rp_out *o, size_t ncols, char cells[][64])
{
    fputc('|', o->md);
    fputs("<tr>", o->html);
    for (size_t i = 0; i < ncols; i++) {
        fputc(' ', o->md);
        rp_md_cell(o->md, cells[i]);
        fputs(" |", o->md);
        fputs("<td>", o->html);
        rp_html_text(o->html, cells[i]);
        fputs("</td>", o->html);
    }
    fputc('\n', o->md);
    fputs("</tr>\n", o->html);
}

void rp_table_end(struct rp_out *o)
{
    fputc('\n', o->md);
    fputs("</table>\n", o->html);
}

int rp_img(struct rp_out *o, const char *title, const char *png_rel, const char *caption)
{
    char path[4096];
    int rc;
    rp_close_list(o);
    snprintf(path, sizeof path, "%s/%s", o->dir, png_rel);
    fprintf(o->md, "![%s](%s)\n\n*%s*\n\n", title, png_rel, caption);
    fputs("<figure><img alt=\"", o->html);
    rp_html_text(o->html, title);
    fputs("\" src=\"data:image/png;base64,", o->html);
    rc = rp_b64_file(o->html, path);
    fputs("\"><figcaption>", o->html);
    rp_html_text(o->html, caption);
    fputs("</figcaption></figure>\n", o->html);
    return rc;
}

int rp_html_begin(struct rp_out *o, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", o->html);
    rp_html_text(o->html, title);
    fputs("</title>\n<style>\n"
          "body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em;"
          "line-height:1.45;color:#222}\n"
          "table{border-collapse:collapse;margin:1em 0;font-size:90%}\n"
          "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}\n"
          "th:first-child,td:first-child{text-align:left}\nth{background:#f2f2f2}\n"
          "pre{background:#f6f6f6;padding:.6em;overflow-x:auto}\n"
          "figure{margin:1.5em 0}img{max-width:100%}figcaption{color:#555;font-size:90%}\n"
          "</style></head><body>\n",
          o->html);
    return 0;
}

void rp_html_end(struct rp_out *o)
{
    rp_close_list(o);
    fputs("</body></html>\n", o->html);
}
