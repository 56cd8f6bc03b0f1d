/* test_hlog: the compressed V2 encoding and the interval log round-trip: what
 * hlog_encode / hlog_write_interval write, hlog_decode / hlog_parse_line read
 * back count for count; malformed input is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hist.h"
#include "hlog.h"

static void fill(struct hist *h, uint64_t seed, int n)
{
    for (int i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        hist_record(h, (int64_t)((seed >> 33) % (i % 7 ? 5000 : 90000000)));
    }
}

static void encode_decode(void **state)
{
    (void)state;
    struct hist h, back;
    assert_int_equal(hist_init_lab(&h), 0);
    assert_int_equal(hist_init_lab(&back), 0);
    fill(&h, 7, 50000);
    hist_record_n(&h, 3, 1ll << 40); /* a count that takes more than 5 LEB128 bytes */
    uint8_t *enc;
    size_t len;
    assert_int_equal(hlog_encode(&h, &enc, &len), 0);
    assert_true(len > 8 && enc[0] == 0x1c && enc[3] == 0x14);
    assert_int_equal(hlog_decode(enc, len, &back), 0);
    assert_int_equal(back.total_count, h.total_count);
    assert_memory_equal(back.counts, h.counts, (size_t)h.counts_len * sizeof(int64_t));
    assert_int_equal(hist_max(&back), hist_max(&h));
    enc[9] ^= 0xff; /* damaged zlib stream */
    assert_int_equal(hlog_decode(enc, len, &back), -EINVAL);
    assert_int_equal(hlog_decode(enc, 6, &back), -EINVAL);
    free(enc);
    hist_close(&h);
    hist_close(&back);
}

static void empty_histogram(void **state)
{
    (void)state;
    struct hist h, back;
    assert_int_equal(hist_init_lab(&h), 0);
    assert_int_equal(hist_init_lab(&back), 0);
    uint8_t *enc;
    size_t len;
    assert_int_equal(hlog_encode(&h, &enc, &len), 0);
    assert_int_equal(hlog_decode(enc, len, &back), 0);
    assert_int_equal(back.total_count, 0);
    free(enc);
    hist_close(&h);
    hist_close(&back);
}

static void log_round_trip(void **state)
{
    (void)state;
    struct hist a, b, sum;
    assert_int_equal(hist_init_lab(&a), 0);
    assert_int_equal(hist_init_lab(&b), 0);
    assert_int_equal(hist_init(&sum, 1, 1000000000, 3), 0); /* another layout */
    fill(&a, 1, 3000);
    fill(&b, 2, 4000);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_int_equal(hlog_write_header(f, "test", 1700000000.25), 0);
    assert_int_equal(hlog_write_interval(f, "corrected", 0.0, 1.0, &a), 0);
    assert_int_equal(hlog_write_interval(f, "corrected", 1.0, 0.5, &b), 0);
    fclose(f);
    assert_non_null(strstr(buf, "#[StartTime: 1700000000.250 (seconds since epoch)"));
    assert_non_null(strstr(buf, "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\""));
    int intervals = 0;
    double last_start = -1, last_len = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        struct hlog_interval iv;
        int rc = hlog_parse_line(line, &iv, &sum);
        assert_true(rc == 0 || rc == 1);
        if (rc == 1) {
            assert_string_equal(iv.tag, "corrected");
            intervals++;
            last_start = iv.start_s;
            last_len = iv.length_s;
        }
    }
    assert_int_equal(intervals, 2);
    assert_true(last_start == 1.0 && last_len == 0.5);
    assert_int_equal(sum.total_count, 7000);
    free(buf);
    struct hlog_interval iv;
    assert_int_equal(hlog_parse_line("Tag=x,1.0,1.0,2.0,HIST!!!", &iv, &sum), -EINVAL);
    assert_int_equal(hlog_parse_line("1.0,1.0", &iv, &sum), -EINVAL);
    assert_int_equal(hlog_parse_line("#[BaseTime: 0.000]", &iv, &sum), 0);
    hist_close(&a);
    hist_close(&b);
    hist_close(&sum);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encode_decode),
        cmocka_unit_test(empty_histogram),
        cmocka_unit_test(log_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
