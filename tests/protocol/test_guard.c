/* test_guard: input that ends right before a PROT_NONE page, so reading one
 * byte too far crashes: every table row and every prefix of it, the 1 MiB
 * echo, and proto_resp_write filling a buffer that ends at the guard.
 * Try: meson test -C build --suite protocol guard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "check.h"

struct guard {
    char *base;
    size_t size; /* usable bytes before the guard page */
    size_t page;
};

static int guard_setup(void **state)
{
    static struct guard g;
    g.page = (size_t)sysconf(_SC_PAGESIZE);
    g.size = ((PROTO_ECHO_MAX + 4096) / g.page + 1) * g.page + (16u << 20);
    g.base =
        mmap(NULL, g.size + g.page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g.base == MAP_FAILED) return -1;
    if (mprotect(g.base + g.size, g.page, PROT_NONE) != 0) return -1;
    *state = &g;
    return 0;
}

static int guard_teardown(void **state)
{
    struct guard *g = *state;
    munmap(g->base, g->size + g->page);
    return 0;
}

/* Copies len bytes so that they end at the guard page. */
static char *at_guard(struct guard *g, const char *src, size_t len)
{
    char *p = g->base + g->size - len;
    memmove(p, src, len);
    return p;
}

static void test_rows_at_guard(void **state)
{
    struct guard *g = *state;
    int failed = 0;
    for (size_t i = 0; i < pcases_count; i++) {
        const struct pcase *c = &pcases[i];
        for (size_t k = 0; k <= c->in_len; k++) {
            char *p = at_guard(g, c->in, k);
            struct proto_parser ps;
            struct proto_req req;
            proto_parser_init(&ps);
            ssize_t n = proto_parse(&ps, p, k, &req);
            if (k == c->in_len)
                failed += check_row(c, n, &req, "at guard");
            else if (n != PROTO_PARTIAL && n != c->n)
                failed++;
        }
    }
    assert_int_equal(failed, 0);
}

static void test_echo_at_guard(void **state)
{
    struct guard *g = *state;
    static const char head[] = "POST /echo HTTP/1.1\r\nContent-Length: 1048576\r\n\r\n";
    size_t len = sizeof head - 1 + PROTO_ECHO_MAX;
    char *p = g->base + g->size - len;
    memcpy(p, head, sizeof head - 1);
    memset(p + sizeof head - 1, 'e', PROTO_ECHO_MAX);
    struct proto_parser ps;
    struct proto_req req;
    proto_parser_init(&ps);
    assert_int_equal(proto_parse(&ps, p, len - 1, &req), PROTO_PARTIAL);
    assert_int_equal(proto_parse(&ps, p, len, &req), (ssize_t)len);
    assert_int_equal(req.body_len, PROTO_ECHO_MAX);
}

/* The writer fills exactly cap bytes that end at the guard, or writes nothing
 * past it when the response does not fit. */
static void test_write_at_guard(void **state)
{
    struct guard *g = *state;
    const uint32_t sizes[] = {0, 1, 26, 4096, 65536, 1u << 20, PROTO_SIZE_MAX};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct proto_req req = {.status = 200, .has_size = true, .size = sizes[i]};
        char head[PROTO_RESP_HEAD_MAX];
        size_t total = proto_resp_head(&req, head) + sizes[i];
        char *out = g->base + g->size - total;
        assert_int_equal(proto_resp_write(&req, out, total), total);
        assert_memory_equal(out, head, total - sizes[i]);
        out = g->base + g->size - (total - 1);
        assert_int_equal(proto_resp_write(&req, out, total - 1), 0);
    }
    struct proto_req hello = {.status = 200};
    for (size_t cap = 0; cap < 80; cap++) /* small caps: head goes through a copy */
        proto_resp_write(&hello, g->base + g->size - cap, cap);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_at_guard),
        cmocka_unit_test(test_echo_at_guard),
        cmocka_unit_test(test_write_at_guard),
    };
    return cmocka_run_group_tests(tests, guard_setup, guard_teardown);
}
