/* test-modeltab: the model table generated from meson (harness/modeltab) is
 * consistent, mt_select/mt_is answer from it, and the paths a model does not
 * serve are refused by hn_model_unsupported.   try: meson test -C build modeltab */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "models.h"
#include "modeltab.h"

static const unsigned all_classes = MT_THREAD | MT_PROCESS | MT_EVENT_LOOP;

static void rows_are_whole(void **state)
{
    (void)state;
    const struct mt_model *m;
    size_t i;
    for (i = 0; (m = mt_at(i)) != NULL; i++) {
        assert_true(m->name[0] && m->binary[0] == '/' && m->language[0]);
        assert_true(m->cls == MT_THREAD || m->cls == MT_PROCESS || m->cls == MT_EVENT_LOOP);
        assert_string_equal(m->class_name, m->cls == MT_THREAD    ? "thread"
                                           : m->cls == MT_PROCESS ? "process"
                                                                  : "event-loop");
        assert_ptr_equal(mt_find(m->name), m);
    }
    assert_true(i > 0);
}

static void select_keeps_order_and_class(void **state)
{
    (void)state;
    const char *names[MT_MAX_MODELS];
    size_t n = mt_select(MT_EVENT_LOOP, names, MT_MAX_MODELS), k = 0;
    const struct mt_model *m;
    for (size_t i = 0; (m = mt_at(i)) != NULL; i++)
        if (m->cls == MT_EVENT_LOOP) {
            assert_true(k < n);
            assert_string_equal(names[k++], m->name);
        }
    assert_int_equal(k, n);
    assert_int_equal(mt_select(all_classes, names, 1), 1);
    for (size_t i = 0; i < n; i++)
        assert_true(mt_is(names[i], MT_EVENT_LOOP) && !mt_is(names[i], MT_PER_CONN));
    assert_null(mt_find("no-such-model"));
    assert_false(mt_is("no-such-model", all_classes));
}

static void served_paths(void **state)
{
    (void)state;
    const struct mt_model *m;
    for (size_t i = 0; (m = mt_at(i)) != NULL; i++) {
        assert_null(hn_model_unsupported(m->name, m->serves ? m->serves : "/?size=1"));
        if (m->serves) {
            const char *why = hn_model_unsupported(m->name, "/?size=1");
            assert_non_null(why);
            assert_non_null(strstr(why, "serves only the path"));
        }
    }
    assert_null(hn_model_unsupported("no-such-model", "/?size=1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_are_whole),
        cmocka_unit_test(select_keeps_order_and_class),
        cmocka_unit_test(served_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
