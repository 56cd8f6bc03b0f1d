/* rp sections around the figures: the question, the method and machine (from
 * manifest config and env), the charts of DIR/plots/index.json, and how to
 * reproduce the run (manifest command). */
#include "rp.h"

#include <string.h>
#include <unistd.h>

static const char *rp_js(const json_t *o, const char *dotted, char *buf, size_t cap)
{
    char key[64];
    const char *p = dotted;
    while (o && *p) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len >= sizeof key) return "unknown";
        memcpy(key, p, len);
        key[len] = '\0';
        o = json_object_get(o, key);
        p += len + (dot ? 1 : 0);
    }
    if (json_is_string(o))
        snprintf(buf, cap, "%s", json_string_value(o));
    else if (json_is_integer(o))
        snprintf(buf, cap, "%lld", (long long)json_integer_value(o));
    else if (json_is_real(o))
        snprintf(buf, cap, "%g", json_real_value(o));
    else if (json_is_boolean(o))
        snprintf(buf, cap, "%s", json_is_true(o) ? "yes" : "no");
    else
        snprintf(buf, cap, "unknown");
    return buf;
}

static void rp_join(const json_t *arr, char *buf, size_t cap, const char *sep)
{
    size_t i, len = 0;
    const json_t *v;
    buf[0] = '\0';
    json_array_foreach(arr, i, v)
    {
        char one[64];
        if (json_is_string(v))
            snprintf(one, sizeof one, "%s", json_string_value(v));
        else
            snprintf(one, sizeof one, "%lld", (long long)json_number_value(v));
        len = strlen(buf);
        snprintf(buf + len, cap - len, "%s%s", i ? sep : "", one);
    }
}

void rp_sec_question(struct rp_out *o, const struct rp_run *run)
{
    char st[64], cr[64], fi[64];
    rp_h(o, 1, "c10k report: %s", run->dir);
    rp_p(o, "Run status: %s (created %s, finished %s).",
         rp_js(run->manifest, "status", st, sizeof st),
         rp_js(run->manifest, "created", cr, sizeof cr),
         json_is_string(json_object_get(run->manifest, "finished"))
             ? rp_js(run->manifest, "finished", fi, sizeof fi)
             : "not finished");
    rp_h(o, 2, "The question");
    rp_p(o, "Why does an event-loop server need so much less memory than a thread-based one "
            "at 10,000 connections, and what does each server model cost in throughput, "
            "latency and CPU? Every figure below was measured on this machine in this run; "
            "nothing is quoted from elsewhere. The popular answers are checked against "
            "these figures in \"Claims checked\".");
}

static void rp_machine(struct rp_out *o, const json_t *env)
{
    static const char *const keys[][2] = {
        {"CPU", "cpu.model"},
        {"cores online", "cpu.online"},
        {"cores allowed", "cpu.allowed"},
        {"kernel", "kernel"},
        {"ulimit -n (soft)", "ulimit.nofile_soft"},
        {"ulimit -n (hard)", "ulimit.nofile_hard"},
        {"somaxconn", "sysctl.somaxconn"},
        {"transparent huge pages", "sysctl.thp"},
        {"cpufreq governor", "cpu.governor"},
        {"pid_max", "sysctl.pid_max"},
        {"threads-max", "sysctl.threads_max"},
        {"io_uring_disabled", "sysctl.io_uring_disabled"},
        {"git commit", "git.commit"},
        {"working tree dirty", "git.dirty"},
        {"compiler", "build.compiler"},
        {"build type", "build.buildtype"},
        {"load average at start", "loadavg"},
    };
    static const char *const hdr[] = {"machine", "value"};
    char cells[2][64];
    rp_table(o, 2, hdr);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        snprintf(cells[0], sizeof cells[0], "%s", keys[i][0]);
        rp_js(env, keys[i][1], cells[1], sizeof cells[1]);
        rp_row(o, 2, cells);
    }
    rp_table_end(o);
}

void rp_sec_method(struct rp_out *o, const struct rp_run *run)
{
    char a[1024], b[64], c[64], d[64], e[64], f[64];
    const json_t *cfg = run->config;
    rp_h(o, 2, "Method");
    rp_join(json_object_get(cfg, "models"), a, sizeof a, ", ");
    rp_li(o, "Models: %s.", a[0] ? a : "unknown");
    rp_join(json_object_get(cfg, "connections"), a, sizeof a, ", ");
    rp_li(o, "Concurrent keep-alive connections: %s.", a[0] ? a : "unknown");
    for (size_t i = 0; i < run->n_scen; i++) {
        long rate = rp_scenario_rate(run, run->scenarios[i]);
        if (rate > 0)
            rp_li(o,
                  "Scenario %s: GET %s, open loop at a fixed %ld requests/s (latency "
                  "corrected for coordinated omission).",
                  run->scenarios[i], rp_scenario_path(run, run->scenarios[i]), rate);
        else
            rp_li(o,
                  "Scenario %s: GET %s, closed loop (each connection sends its next "
                  "request when the previous answer arrives: maximum throughput).",
                  run->scenarios[i], rp_scenario_path(run, run->scenarios[i]));
    }
    rp_li(o,
          "Each point: %s trial(s) of %s s measured after %s s of warm-up; figures are "
          "medians over the trials. Server pinned to CPU %s, c10k-load to CPU %s (%s "
          "load thread(s)).",
          rp_js(cfg, "trials", a, sizeof a), rp_js(cfg, "duration_s", b, sizeof b),
          rp_js(cfg, "warmup_s", c, sizeof c), rp_js(cfg, "server_cpus", d, sizeof d),
          rp_js(cfg, "load_cpus", e, sizeof e), rp_js(cfg, "load_threads", f, sizeof f));
    rp_li(o, "Memory: the server's PSS with every connection up minus before the load, "
             "plus the kernel's share (thread stacks, page tables, socket buffers, read "
             "system-wide), divided by the connections.");
    rp_list_end(o);
    rp_machine(o, run->env);
}

void rp_sec_charts(struct rp_out *o, const struct rp_run *run)
{
    char path[4096];
    json_t *idx;
    const json_t *ch;
    size_t i, shown = 0;
    rp_h(o, 2, "Charts");
    snprintf(path, sizeof path, "%s/plots/index.json", run->dir);
    idx = json_load_file(path, 0, NULL);
    if (!idx || !json_is_array(json_object_get(idx, "charts"))) {
        rp_p(o,
             "No charts yet: run c10k plot DIR first (c10k plot %s), then c10k report "
             "again.",
             run->dir);
        json_decref(idx);
        return;
    }
    json_array_foreach(json_object_get(idx, "charts"), i, ch)
    {
        const char *png = json_string_value(json_object_get(ch, "png"));
        const char *title = json_string_value(json_object_get(ch, "title"));
        const char *cap = json_string_value(json_object_get(ch, "caption"));
        const char *note = json_string_value(json_object_get(ch, "note"));
        char text[2048];
        const char *id = json_string_value(json_object_get(ch, "id"));
        if (!png || strstr(png, "..") || png[0] == '/') continue;
        if (id && !strcmp(id, RP_SUMMARY_CHART)) continue; /* it opens the report */
        snprintf(path, sizeof path, "%s/%s", run->dir, png);
        if (access(path, R_OK) != 0) continue;
        rp_h(o, 3, "%s", title ? title : png);
        snprintf(text, sizeof text, "%s%s%s", cap ? cap : "", note ? " Note: " : "",
                 note ? note : "");
        if (rp_img(o, title ? title : png, png, text) == 0) shown++;
    }
    if (!shown) rp_p(o, "plots/index.json lists no readable chart: run c10k plot DIR first.");
    json_decref(idx);
}

void rp_sec_reproduce(struct rp_out *o, const struct rp_run *run)
{
    char cmd[4096];
    size_t i, len;
    const json_t *v;
    rp_h(o, 2, "How to reproduce");
    cmd[0] = '\0';
    json_array_foreach(json_object_get(run->manifest, "command"), i, v)
    {
        const char *s = json_string_value(v);
        len = strlen(cmd);
        if (!s) continue;
        if (strpbrk(s, " ?&*;|<>$'\"()"))
            snprintf(cmd + len, sizeof cmd - len, "%s'%s'", i ? " " : "", s);
        else
            snprintf(cmd + len, sizeof cmd - len, "%s%s", i ? " " : "", s);
    }
    rp_p(o, "The run was made with this command (from manifest.json; c10k is "
            "build/harness/c10k). Run it from the project folder after building (meson "
            "setup build && meson compile -C build) with a new --out folder, then c10k plot "
            "DIR and c10k report DIR; ./run_all.sh does all of it with its own defaults "
            "(./run_all.sh --help):");
    rp_code(o, cmd[0] ? cmd : "(manifest.json has no command)");
    rp_p(o,
         "An interrupted run keeps its finished points: c10k sweep --resume %s "
         "finishes it. Compare two runs with c10k compare BASE NEW.",
         run->dir);
}
