/* test-store: the results store: a file is replaced atomically (a reader never
 * sees a partial one, no temporary is left), summary.csv has the layout of
 * docs/results.md (median/min/max, empty cells), a point JSON reads back.
 *   try: meson test -C build store */
#include "config.h"
#include "metrics.h"
#include "point.h"
#include "store.h"
#include "results/res.h"
#include "results/metric.h"

#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define BIG (256 * 1024)

/* A writer replaces the file with all-'a' or all-'b' content while the parent
 * reads it: every read must be one whole version. */
static void check_atomic(void **state)
{
    const char *dir = *state;
    char path[512], *buf = malloc(BIG + 1), *rd = malloc(BIG + 16);
    pid_t w;
    int i, torn = 0, reads = 0;
    snprintf(path, sizeof path, "%s/f.json", dir);
    memset(buf, 'a', BIG);
    assert_int_equal(hn_store_write(path, buf, BIG), 0);
    w = fork();
    if (w == 0) {
        for (i = 0; i < 200; i++) {
            memset(buf, i % 2 ? 'a' : 'b', BIG);
            hn_store_write(path, buf, BIG);
        }
        _exit(0);
    }
    while (waitpid(w, NULL, WNOHANG) == 0) {
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(rd, 1, BIG + 16, f) : 0;
        if (f) fclose(f);
        reads++;
        if (n != BIG || memchr(rd, rd[0] == 'a' ? 'b' : 'a', n)) torn++;
    }
    printf("atomic: %d reads during 200 replacements, %d torn\n", reads, torn);
    assert_int_equal(torn, 0);
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        assert_null(strstr(de->d_name, ".tmp"));
    if (d) closedir(d);
    free(buf);
    free(rd);
}

static json_t *trial(double rps, bool valid)
{
    double m[RES_M_COUNT];
    size_t i;
    for (i = 0; i < RES_M_COUNT; i++)
        m[i] = NAN;
    m[RES_M_RPS] = rps;
    m[RES_M_PC_USER] = rps * 10;
    return json_pack("{s:b, s:o}", "valid", valid, "metrics", hn_metrics_json(m));
}

static void check_summary(void **state)
{
    const char *dir = *state;
    struct hn_scenario sc = {"max", "/", 0, false};
    struct hn_point pt[2];
    char path[512], line[8192];
    FILE *f;
    hn_point_init(&pt[0], "epoll", 100, 0, &sc);
    pt[0].trials = json_pack("[o, o, o, o]", trial(3, true), trial(1, true), trial(2, true),
                             trial(1000, false));
    hn_point_finish(&pt[0]);
    assert_string_equal(pt[0].status, "flagged");
    hn_point_init(&pt[1], "threads", 100, 0, &sc);
    pt[1].trials = json_array();
    snprintf(pt[1].status, sizeof pt[1].status, "broken");
    assert_int_equal(hn_summary_write(dir, pt, 2), 0);
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    f = fopen(path, "r");
    assert_true(f && fgets(line, sizeof line, f));
    size_t commas = 0;
    for (char *p = line; *p; p++)
        commas += *p == ',';
    assert_int_equal(commas + 1, 9 + 3 * RES_M_COUNT);
    if (!(strncmp(line,
                  "id,model,connections,rate,scenario,path,status,trials,valid_trials,"
                  "throughput_rps_median,throughput_rps_min,throughput_rps_max,",
                  strlen("id,model,connections,rate,scenario,path,status,trials,valid_trials,"
                         "throughput_rps_median,throughput_rps_min,throughput_rps_max,")) == 0))
        fail_msg("header: %.140s", line);
    assert_true(fgets(line, sizeof line, f) != NULL);
    if (!(strncmp(line, "epoll-c100-r0-max,epoll,100,0,max,/,flagged,4,3,2,1,3,",
                  strlen("epoll-c100-r0-max,epoll,100,0,max,/,flagged,4,3,2,1,3,")) == 0))
        fail_msg("row (medians over valid trials): %.80s", line);
    assert_non_null(strstr(line, ",20,10,30,"));
    assert_non_null(strstr(line, ",,,"));
    if (!(fgets(line, sizeof line, f) &&
          strncmp(line, "threads-c100-r0-max,threads,100,0,max,/,broken,0,0,",
                  strlen("threads-c100-r0-max,threads,100,0,max,/,broken,0,0,")) == 0))
        fail_msg("broken row: %.80s", line);
    fclose(f);
    /* the point JSON reads back for --resume */
    json_t *j = hn_point_json(&pt[0]);
    snprintf(path, sizeof path, "%s/points", dir);
    hn_store_mkdirs(path);
    snprintf(path, sizeof path, "%s/points/%s.json", dir, pt[0].id);
    assert_int_equal(hn_store_write_json(path, j), 0);
    json_decref(j);
    struct res_run back;
    char err[4608];
    assert_int_equal(res_run_load(&back, dir, 0, err, sizeof err), 0);
    const struct res_point *bp = res_find_id(&back, pt[0].id);
    assert_true(bp && strcmp(bp->status, "flagged") == 0 && bp->trials == 4 && bp->valid == 3);
    res_run_free(&back);
    json_decref(pt[0].trials);
    json_decref(pt[1].trials);
}

static int make_dir(void **state)
{
    static char dir[] = "/tmp/c10k-store-test.XXXXXX";
    *state = dir;
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", (const char *)*state);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", (const char *)*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_atomic),
        cmocka_unit_test(check_summary),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
