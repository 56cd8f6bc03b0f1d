/* test-ready: the server's ready line (hn_ready_parse in harness/proc.c), read by
 * c10k run and c10k waits: IPv4, a name, [IPv6] with its brackets kept in the
 * URL, and every malformed line refused. Try: meson test -C build ready */
#include "proc.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static void check_ok(const char *line, const char *want_url, int want_port, pid_t want_pid)
{
    char url[300] = "";
    int port = 0;
    pid_t pid = 0;
    assert_int_equal(hn_ready_parse(line, url, sizeof url, &port, &pid), 0);
    assert_string_equal(url, want_url);
    assert_int_equal(port, want_port);
    assert_int_equal(pid, want_pid);
}

static void test_hosts(void **state)
{
    (void)state;
    check_ok("ready 127.0.0.1:8080 pid=123", "http://127.0.0.1:8080", 8080, 123);
    check_ok("ready localhost:1 pid=2\n", "http://localhost:1", 1, 2);
    check_ok("ready [::1]:40001 pid=77", "http://[::1]:40001", 40001, 77);
    check_ok("ready [fe80::1%lo]:9 pid=5", "http://[fe80::1%lo]:9", 9, 5);
}

static void test_optional_outputs(void **state)
{
    int port = 0;
    (void)state;
    assert_int_equal(hn_ready_parse("ready [::1]:443 pid=9", NULL, 0, &port, NULL), 0);
    assert_int_equal(port, 443);
}

static void test_refused(void **state)
{
    static const char *bad[] = {
        "",
        "ready",
        "ready :80 pid=1",
        "ready 127.0.0.1 pid=1",
        "ready 127.0.0.1:0 pid=1",
        "ready 127.0.0.1:70000 pid=1",
        "ready 127.0.0.1:80 pid=0",
        "ready 127.0.0.1:80",
        "ready [::1:80 pid=1",
        "ready [::1]80 pid=1",
        "ready ::1:80 pid=1",
        "Ready 1.2.3.4:5 pid=6",
        "stats accepted=1 rejected=0",
    };
    char url[64];
    int port;
    pid_t pid;
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = hn_ready_parse(bad[i], url, sizeof url, &port, &pid);
        if (rc != -EINVAL) fail_msg("'%s' gave %d, want -EINVAL", bad[i], rc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hosts),
        cmocka_unit_test(test_optional_outputs),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
