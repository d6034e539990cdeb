/*
 * Run state and the shutdown/reset requests the main loop acts on.
 * Requests may come from QMP handlers or signal dispatch; they are only
 * recorded here and carried out between main loop iterations.
 */
#include "qemu/osdep.h"
#include "hw/boards.h"
#include "monitor/qmp.h"
#include "system/runstate.h"

static RunState current_state = RUN_STATE_PRELAUNCH;
static ShutdownCause shutdown_request;
static ShutdownCause reset_request;
static bool no_shutdown;

static const char *const runstate_names[RUN_STATE__MAX] = {
    [RUN_STATE_PRELAUNCH] = "prelaunch",
    [RUN_STATE_RUNNING] = "running",
    [RUN_STATE_PAUSED] = "paused",
    [RUN_STATE_SHUTDOWN] = "shutdown",
};

/* Reasons as QMP's SHUTDOWN and RESET events spell them. */
static const char *const shutdown_cause_names[] = {
    [SHUTDOWN_CAUSE_NONE] = "none",
    [SHUTDOWN_CAUSE_HOST_QMP_QUIT] = "host-qmp-quit",
    [SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET] = "host-qmp-system-reset",
    [SHUTDOWN_CAUSE_HOST_SIGNAL] = "host-signal",
    [SHUTDOWN_CAUSE_HOST_ERROR] = "host-error",
    [SHUTDOWN_CAUSE_GUEST_RESET] = "guest-reset",
};

RunState runstate_get(void)
{
    return current_state;
}

void runstate_set(RunState state)
{
    g_assert(state < RUN_STATE__MAX);
    current_state = state;
}

const char *runstate_name(RunState state)
{
    g_assert(state < RUN_STATE__MAX);
    return runstate_names[state];
}

bool runstate_is_running(void)
{
    return current_state == RUN_STATE_RUNNING;
}

void runstate_set_no_shutdown(bool on)
{
    no_shutdown = on;
}

bool runstate_no_shutdown(void)
{
    return no_shutdown;
}

void vm_start(void)
{
    if (runstate_is_running()) {
        return;
    }
    runstate_set(RUN_STATE_RUNNING);
    qapi_event_send("RESUME", NULL);
}

void vm_stop(RunState state)
{
    bool was_running = runstate_is_running();

    runstate_set(state);
    if (was_running) {
        qapi_event_send("STOP", NULL);
    }
}

static bool shutdown_caused_by_guest(ShutdownCause cause)
{
    return cause >= SHUTDOWN_CAUSE_GUEST_RESET;
}

static JsonObject *shutdown_event_data(ShutdownCause cause)
{
    JsonObject *data = json_object_new();

    json_object_set_boolean_member(data, "guest",
                                   shutdown_caused_by_guest(cause));
    json_object_set_string_member(data, "reason",
                                  shutdown_cause_names[cause]);
    return data;
}

void qemu_system_shutdown_request(ShutdownCause cause)
{
    shutdown_request = cause;
}

void qemu_system_reset_request(ShutdownCause cause)
{
    reset_request = cause;
}

bool qemu_shutdown_requested(void)
{
    return shutdown_request != SHUTDOWN_CAUSE_NONE;
}

/* Devices first, then the board's own hook (which runs after them). */
void qemu_system_reset(ShutdownCause cause)
{
    MachineState *ms = current_machine_get();
    MachineClass *mc = ms ? MACHINE_GET_CLASS(ms) : NULL;

    qdev_reset_all();
    if (mc && mc->reset) {
        mc->reset(ms);
    }
    if (cause != SHUTDOWN_CAUSE_NONE) {
        qapi_event_send("RESET", shutdown_event_data(cause));
    }
}

int runstate_process_requests(void)
{
    ShutdownCause cause = reset_request;

    if (cause != SHUTDOWN_CAUSE_NONE) {
        reset_request = SHUTDOWN_CAUSE_NONE;
        qemu_system_reset(cause);
    }
    cause = shutdown_request;
    if (cause == SHUTDOWN_CAUSE_NONE) {
        return -1;
    }
    qapi_event_send("SHUTDOWN", shutdown_event_data(cause));
    return cause == SHUTDOWN_CAUSE_HOST_ERROR ? 1 : 0;
}
