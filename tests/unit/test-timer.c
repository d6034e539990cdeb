/*
 * Virtual and realtime timers.
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"

/* Every callback appends "<id>@<clock>" so tests can check the order. */
static GString *fired;

typedef struct TestTimer {
    QEMUTimer timer;
    int id;
    int64_t rearm_delta; /* > 0: re-arm this much later from the callback */
    unsigned rearms_left;
    QEMUTimer *victim; /* deleted from the callback if set */
} TestTimer;

static void timer_cb(void *opaque)
{
    TestTimer *t = opaque;

    g_string_append_printf(fired, "%d@%" PRId64 " ", t->id,
                           qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    if (t->victim) {
        timer_del(t->victim);
    }
    if (t->rearm_delta && t->rearms_left) {
        t->rearms_left--;
        timer_mod(&t->timer,
                  qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + t->rearm_delta);
    }
}

static void test_timer_init(TestTimer *t, int id)
{
    memset(t, 0, sizeof(*t));
    t->id = id;
    timer_init_ns(&t->timer, QEMU_CLOCK_VIRTUAL, timer_cb, t);
}

static void setup(void)
{
    if (fired) {
        g_string_truncate(fired, 0);
    } else {
        fired = g_string_new(NULL);
    }
}

static void test_order(void)
{
    int64_t base = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    TestTimer a, b, c, d;
    g_autofree char *expect = NULL;

    setup();
    test_timer_init(&a, 1);
    test_timer_init(&b, 2);
    test_timer_init(&c, 3);
    test_timer_init(&d, 4);
    g_assert_false(timer_pending(&a.timer));
    g_assert_cmpint(timer_expire_time_ns(&a.timer), ==, -1);

    timer_mod(&a.timer, base + 300);
    timer_mod(&b.timer, base + 100);
    timer_mod(&c.timer, base + 200);
    timer_mod(&d.timer, base + 100); /* same deadline as b: fires after */
    g_assert_true(timer_pending(&a.timer));
    g_assert_cmpint(timer_expire_time_ns(&c.timer), ==, base + 200);
    g_assert_cmpint(qemu_clock_deadline_virtual(), ==, base + 100);

    qemu_clock_advance_virtual(base + 250);
    expect = g_strdup_printf("2@%" PRId64 " 4@%" PRId64 " 3@%" PRId64 " ",
                             base + 100, base + 100, base + 200);
    g_assert_cmpstr(fired->str, ==, expect);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, base + 250);
    g_assert_false(timer_pending(&b.timer));
    g_assert_true(timer_pending(&a.timer));
    g_assert_cmpint(qemu_clock_deadline_virtual(), ==, base + 300);

    /* Re-arming moves a pending timer. */
    timer_mod(&a.timer, base + 1000);
    g_assert_cmpint(qemu_clock_deadline_virtual(), ==, base + 1000);
    timer_del(&a.timer);
    g_assert_cmpint(qemu_clock_deadline_virtual(), ==, -1);
}

static void test_rearm(void)
{
    int64_t base = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    TestTimer t;
    g_autofree char *expect = NULL;

    setup();
    test_timer_init(&t, 7);
    t.rearm_delta = 10;
    t.rearms_left = 5;
    timer_mod(&t.timer, base + 10);
    qemu_clock_advance_virtual(base + 35);
    expect = g_strdup_printf("7@%" PRId64 " 7@%" PRId64 " 7@%" PRId64 " ",
                             base + 10, base + 20, base + 30);
    g_assert_cmpstr(fired->str, ==, expect);
    g_assert_cmpint(timer_expire_time_ns(&t.timer), ==, base + 40);
    timer_del(&t.timer);
}

static void test_delete_other(void)
{
    int64_t base = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    TestTimer killer, victim, later;
    g_autofree char *expect = NULL;

    setup();
    test_timer_init(&killer, 1);
    test_timer_init(&victim, 2);
    test_timer_init(&later, 3);
    killer.victim = &victim.timer;
    timer_mod(&killer.timer, base + 5);
    timer_mod(&victim.timer, base + 5);
    timer_mod(&later.timer, base + 8);
    qemu_clock_advance_virtual(base + 10);
    expect =
        g_strdup_printf("1@%" PRId64 " 3@%" PRId64 " ", base + 5, base + 8);
    g_assert_cmpstr(fired->str, ==, expect);
    g_assert_false(timer_pending(&victim.timer));
}

static void free_self_cb(void *opaque)
{
    QEMUTimer **slot = opaque;

    timer_free(*slot);
    *slot = NULL;
}

static void test_free_from_callback(void)
{
    int64_t base = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    QEMUTimer *t = timer_new_ns(QEMU_CLOCK_VIRTUAL, free_self_cb, &t);

    timer_mod(t, base + 1);
    qemu_clock_advance_virtual(base + 1);
    g_assert_null(t);
    timer_free(NULL);
}

static void test_advance_empty(void)
{
    int64_t base = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    g_assert_cmpint(qemu_clock_deadline_virtual(), ==, -1);
    qemu_clock_advance_virtual(base + 1000000);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, base + 1000000);
    /* The virtual clock never goes backwards. */
    qemu_clock_advance_virtual(base);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, base + 1000000);
}

static void test_past_deadline(void)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    TestTimer t;
    g_autofree char *expect = NULL;

    setup();
    test_timer_init(&t, 9);
    timer_mod(&t.timer, now - 50);
    qemu_clock_advance_virtual(now);
    expect = g_strdup_printf("9@%" PRId64 " ", now);
    g_assert_cmpstr(fired->str, ==, expect);
}

static void count_cb(void *opaque)
{
    (*(int *)opaque)++;
}

static void test_realtime(void)
{
    int count = 0;
    QEMUTimer *due = timer_new_ns(QEMU_CLOCK_REALTIME, count_cb, &count);
    QEMUTimer *later = timer_new_ns(QEMU_CLOCK_HOST, count_cb, &count);
    int ms;

    g_assert_cmpint(qemu_clock_run_realtime_timers(), ==, -1);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_HOST), >, 0);
    timer_mod(due, qemu_clock_get_ns(QEMU_CLOCK_REALTIME) - 1);
    timer_mod(later, qemu_clock_get_ns(QEMU_CLOCK_HOST) + 3600 * 1000000000LL);
    ms = qemu_clock_run_realtime_timers();
    g_assert_cmpint(count, ==, 1);
    g_assert_cmpint(ms, >, 0);
    g_assert_cmpint(ms, <=, 3600 * 1000);
    g_assert_true(timer_pending(later));
    timer_free(due);
    timer_free(later);
    g_assert_cmpint(qemu_clock_run_realtime_timers(), ==, -1);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/timer/order", test_order);
    g_test_add_func("/timer/rearm", test_rearm);
    g_test_add_func("/timer/delete-other", test_delete_other);
    g_test_add_func("/timer/free-from-callback", test_free_from_callback);
    g_test_add_func("/timer/advance-empty", test_advance_empty);
    g_test_add_func("/timer/past-deadline", test_past_deadline);
    g_test_add_func("/timer/realtime", test_realtime);
    ret = g_test_run();
    if (fired) {
        g_string_free(fired, TRUE);
    }
    return ret;
}
