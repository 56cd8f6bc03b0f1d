/* plot/index: DIR/plots/index.json, the list of charts the report embeds
 * (schema c10k-plots/1, paths relative to DIR). Try: c10k plot DIR &&
 * jq . DIR/plots/index.json */
#include "plot.h"

#include <errno.h>
#include <stdio.h>

static json_t *chart_json(const struct pl_chart *c, const struct pl_formats *f)
{
    char png[256], svg[256];
    snprintf(png, sizeof png, "plots/%s.png", c->id);
    snprintf(svg, sizeof svg, "plots/%s.svg", c->id);
    json_t *o = json_pack("{s:s, s:s, s:s}", "id", c->id, "title", c->title, "caption", c->caption);
    if (!o) return NULL;
    if (f->png) json_object_set_new(o, "png", json_string(png));
    if (f->svg) json_object_set_new(o, "svg", json_string(svg));
    if (c->note[0]) json_object_set_new(o, "note", json_string(c->note));
    return o;
}

int pl_index_write(const char *out_dir, const struct pl_chart *c, size_t n,
                   const struct pl_formats *f)
{
    char path[4096], tmp[4200];
    json_t *charts = json_array();
    json_t *doc = json_pack("{s:s, s:o}", "schema", "c10k-plots/1", "charts", charts);
    if (!doc) return -ENOMEM;
    for (size_t i = 0; i < n; i++)
        json_array_append_new(charts, chart_json(&c[i], f));
    snprintf(path, sizeof path, "%s/index.json", out_dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int rc = json_dump_file(doc, tmp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? -EIO : 0;
    json_decref(doc);
    if (!rc && rename(tmp, path)) rc = -errno;
    return rc;
}
