/* report/sec_summary: the one-page answer chart (plots/summary.png, from
 * c10k plot) right after the question; the Charts section leaves it out.
 * Try: c10k plot DIR && c10k report DIR */
#include "rp.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

void rp_sec_summary(struct rp_out *o, const struct rp_run *run)
{
    char path[4096];
    const json_t *ch;
    size_t i;
    snprintf(path, sizeof path, "%s/plots/index.json", run->dir);
    json_t *idx = json_load_file(path, 0, NULL);
    json_array_foreach(json_object_get(idx, "charts"), i, ch)
    {
        const char *id = json_string_value(json_object_get(ch, "id"));
        const char *png = json_string_value(json_object_get(ch, "png"));
        if (!id || strcmp(id, RP_SUMMARY_CHART) || !png || strstr(png, "..") || png[0] == '/')
            continue;
        snprintf(path, sizeof path, "%s/%s", run->dir, png);
        if (access(path, R_OK) != 0) break;
        const char *title = json_string_value(json_object_get(ch, "title"));
        const char *cap = json_string_value(json_object_get(ch, "caption"));
        rp_h(o, 2, "The answer on one page");
        rp_img(o, title ? title : id, png, cap ? cap : "");
        break;
    }
    json_decref(idx);
}
