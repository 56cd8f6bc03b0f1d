/* c10k-load: the lab's load generator (open and closed loop, HdrHistogram
 * latency, per-errno connect errors). Try: c10k-load -c 100 -d 5s -R 20k
 * http://127.0.0.1:8080/ --json - */
#include "lg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    struct lg_config cfg;
    struct lg_run run;
    int rc = lg_opts_parse(argc, argv, &cfg);
    if (rc == 1) return 0;
    if (rc < 0) {
        lg_usage(stderr, argv[0]);
        return 2;
    }
    rc = lg_run_init(&run, &cfg);
    if (rc < 0) {
        if (rc != -EMFILE) fprintf(stderr, "c10k-load: %s\n", strerror(-rc));
        return 2;
    }
    rc = lg_run_exec(&run) < 0;
    if (!cfg.quiet) lg_report_human(&run, stderr);
    if (cfg.json_path && lg_report_json(&run, cfg.json_path) < 0) {
        fprintf(stderr, "c10k-load: cannot write %s\n", cfg.json_path);
        rc = 1;
    }
    if (cfg.hgrm_path && lg_report_hgrm(&run, cfg.hgrm_path) < 0) {
        fprintf(stderr, "c10k-load: cannot write %s\n", cfg.hgrm_path);
        rc = 1;
    }
    if (lg_report_established(&run) == 0) {
        fprintf(stderr, "c10k-load: no connection to %s could be established\n", cfg.url);
        rc = 1;
    }
    lg_run_close(&run);
    return rc;
}
