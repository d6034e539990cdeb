/*
 * The main loop: GLib's default context (chardev and signal sources)
 * plus the realtime timers, iterated until a shutdown request.
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "system/runstate.h"

static gboolean main_loop_wakeup(gpointer opaque)
{
    return G_SOURCE_REMOVE;
}

/* -1 stands for "no limit" in both arguments. */
static int main_loop_min_timeout(int a, int b)
{
    if (a < 0) {
        return b;
    }
    return b < 0 ? a : MIN(a, b);
}

void main_loop_wait(int timeout_ms)
{
    int wait = main_loop_min_timeout(timeout_ms,
                                     qemu_clock_run_realtime_timers());
    GSource *timeout = NULL;

    if (wait > 0) {
        timeout = g_timeout_source_new(wait);
        g_source_set_callback(timeout, main_loop_wakeup, NULL, NULL);
        g_source_attach(timeout, NULL);
    }
    g_main_context_iteration(NULL, wait != 0);
    if (timeout) {
        g_source_destroy(timeout);
        g_source_unref(timeout);
    }
    qemu_clock_run_realtime_timers();
}

int qemu_main_loop(void)
{
    int status;

    while ((status = runstate_process_requests()) < 0) {
        main_loop_wait(-1);
    }
    return status;
}

void qemu_cleanup_and_exit(int status)
{
    fflush(NULL);
    exit(status);
}
