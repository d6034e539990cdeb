/*
 * Run state (query-status), shutdown and reset requests, main loop.
 */
#ifndef SYSTEM_RUNSTATE_H
#define SYSTEM_RUNSTATE_H

#include "qemu/osdep.h"
#include "qemu/error.h"

typedef enum RunState {
    RUN_STATE_PRELAUNCH, /* -S: created, not started yet */
    RUN_STATE_RUNNING,
    RUN_STATE_PAUSED,    /* stop */
    RUN_STATE_SHUTDOWN,  /* guest shut down with -no-shutdown */
    RUN_STATE__MAX
} RunState;

RunState runstate_get(void);
void runstate_set(RunState state);
const char *runstate_name(RunState state); /* "prelaunch", "running" ... */
bool runstate_is_running(void);

void vm_start(void);               /* cont */
void vm_stop(RunState state);      /* stop */

typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,
    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET,
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_HOST_ERROR,
    SHUTDOWN_CAUSE_GUEST_RESET,
} ShutdownCause;

/* Requests act at the next main loop iteration. */
void qemu_system_shutdown_request(ShutdownCause cause);
void qemu_system_reset_request(ShutdownCause cause);
/* Performs a machine reset now and emits the RESET event. */
void qemu_system_reset(ShutdownCause cause);
bool qemu_shutdown_requested(void);
/*
 * Carries out pending requests (reset, then shutdown with its SHUTDOWN
 * event); returns -1 to keep running, else the exit status.
 */
int runstate_process_requests(void);

/* -no-shutdown: recorded (no guest-initiated shutdown exists yet). */
void runstate_set_no_shutdown(bool on);
bool runstate_no_shutdown(void);

/* Runs until a shutdown request; returns the exit status. */
int qemu_main_loop(void);
/* One iteration; blocks up to timeout_ms (-1: until something happens). */
void main_loop_wait(int timeout_ms);

/* Exit after cleanup with status (used by -run-with exit-with-parent). */
void qemu_cleanup_and_exit(int status) QEMU_NORETURN;

#endif
