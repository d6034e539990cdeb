/*
 * Clocks and timer lists. The virtual clock is purely virtual: it starts
 * at 0 and moves only through qemu_clock_advance_virtual().
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"

/* Armed timers per clock, earliest deadline first (ties: arming order). */
static GQueue timer_lists[QEMU_CLOCK_MAX] = {G_QUEUE_INIT, G_QUEUE_INIT,
                                             G_QUEUE_INIT};
static int64_t virtual_clock_ns;

int64_t qemu_clock_get_ns(QEMUClockType type)
{
    switch (type) {
    case QEMU_CLOCK_VIRTUAL:
        return virtual_clock_ns;
    case QEMU_CLOCK_HOST:
        return g_get_real_time() * 1000;
    default:
        return g_get_monotonic_time() * 1000;
    }
}

void timer_init_ns(QEMUTimer *t, QEMUClockType type, QEMUTimerCB *cb,
                   void *opaque)
{
    t->type = type;
    t->expire_time = -1;
    t->cb = cb;
    t->opaque = opaque;
}

QEMUTimer *timer_new_ns(QEMUClockType type, QEMUTimerCB *cb, void *opaque)
{
    QEMUTimer *t = g_new(QEMUTimer, 1);

    timer_init_ns(t, type, cb, opaque);
    return t;
}

bool timer_pending(const QEMUTimer *t)
{
    return t->expire_time >= 0;
}

int64_t timer_expire_time_ns(const QEMUTimer *t)
{
    return t->expire_time;
}

void timer_del(QEMUTimer *t)
{
    if (timer_pending(t)) {
        g_queue_remove(&timer_lists[t->type], t);
        t->expire_time = -1;
    }
}

void timer_free(QEMUTimer *t)
{
    if (t) {
        timer_del(t);
        g_free(t);
    }
}

void timer_mod(QEMUTimer *t, int64_t expire_ns)
{
    GQueue *list = &timer_lists[t->type];
    GList *pos;

    timer_del(t);
    t->expire_time = MAX(expire_ns, 0);
    for (pos = list->head; pos; pos = pos->next) {
        if (((QEMUTimer *)pos->data)->expire_time > t->expire_time) {
            break;
        }
    }
    if (pos) {
        g_queue_insert_before(list, pos, t);
    } else {
        g_queue_push_tail(list, t);
    }
}

static QEMUTimer *first_timer(QEMUClockType type)
{
    return g_queue_peek_head(&timer_lists[type]);
}

/* Disarms t before its callback runs, so the callback may re-arm it. */
static void fire_timer(QEMUTimer *t)
{
    g_queue_pop_head(&timer_lists[t->type]);
    t->expire_time = -1;
    t->cb(t->opaque);
}

int64_t qemu_clock_deadline_virtual(void)
{
    QEMUTimer *t = first_timer(QEMU_CLOCK_VIRTUAL);

    return t ? t->expire_time : -1;
}

void qemu_clock_advance_virtual(int64_t dest)
{
    QEMUTimer *t;

    while ((t = first_timer(QEMU_CLOCK_VIRTUAL)) && t->expire_time <= dest) {
        virtual_clock_ns = MAX(virtual_clock_ns, t->expire_time);
        fire_timer(t);
    }
    virtual_clock_ns = MAX(virtual_clock_ns, dest);
}

/* Fires the due timers of a host-time clock; returns ns to the next. */
static int64_t run_host_timers(QEMUClockType type)
{
    int64_t now = qemu_clock_get_ns(type);
    QEMUTimer *t;

    while ((t = first_timer(type)) && t->expire_time <= now) {
        fire_timer(t);
    }
    return t ? t->expire_time - now : -1;
}

int qemu_clock_run_realtime_timers(void)
{
    int64_t next = -1;

    for (QEMUClockType type = QEMU_CLOCK_REALTIME; type < QEMU_CLOCK_MAX;
         type++) {
        int64_t delta;

        if (type == QEMU_CLOCK_VIRTUAL) {
            continue;
        }
        delta = run_host_timers(type);
        if (delta >= 0 && (next < 0 || delta < next)) {
            next = delta;
        }
    }
    if (next < 0) {
        return -1;
    }
    return MIN(DIV_ROUND_UP(next, 1000000), INT_MAX);
}
