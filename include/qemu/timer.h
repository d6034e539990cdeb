/*
 * Clocks and timers. Under -accel qtest the virtual clock only moves when
 * the test says so (clock_step / clock_set); timers due at or before the
 * new time fire in deadline order.
 */
#ifndef QEMU_TIMER_H
#define QEMU_TIMER_H

#include "qemu/osdep.h"

typedef enum QEMUClockType {
    QEMU_CLOCK_REALTIME,
    QEMU_CLOCK_VIRTUAL,
    QEMU_CLOCK_HOST,
    QEMU_CLOCK_MAX
} QEMUClockType;

typedef void QEMUTimerCB(void *opaque);

typedef struct QEMUTimer {
    QEMUClockType type;
    int64_t expire_time; /* -1: not armed */
    QEMUTimerCB *cb;
    void *opaque;
} QEMUTimer;

int64_t qemu_clock_get_ns(QEMUClockType type);
static inline int64_t qemu_clock_get_ms(QEMUClockType type)
{
    return qemu_clock_get_ns(type) / 1000000;
}

QEMUTimer *timer_new_ns(QEMUClockType type, QEMUTimerCB *cb, void *opaque);
void timer_init_ns(QEMUTimer *t, QEMUClockType type, QEMUTimerCB *cb,
                   void *opaque);
void timer_mod(QEMUTimer *t, int64_t expire_ns);
void timer_del(QEMUTimer *t);
void timer_free(QEMUTimer *t); /* deletes then frees */
bool timer_pending(const QEMUTimer *t);
int64_t timer_expire_time_ns(const QEMUTimer *t);

/* Earliest armed virtual-clock deadline, or -1 if none. */
int64_t qemu_clock_deadline_virtual(void);
/* Moves the virtual clock to dest (>= now), firing due timers in order. */
void qemu_clock_advance_virtual(int64_t dest);
/* Runs realtime timers that are due; returns ms until the next, or -1. */
int qemu_clock_run_realtime_timers(void);

#endif
