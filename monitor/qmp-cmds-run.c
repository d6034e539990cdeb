/*
 * Run-state commands: query-status, stop, cont, system_reset, quit.
 * The STOP, RESUME, RESET and SHUTDOWN events come from the run-state
 * code that carries the request out.
 */
#include "qemu/osdep.h"
#include "monitor-internal.h"
#include "qmp-json.h"
#include "system/runstate.h"

static const char *const no_args[] = {NULL};

static bool query_status(Monitor *mon, JsonObject *args, JsonNode **ret,
                         Error **errp)
{
    JsonObject *info;

    if (!qmp_args_check(args, no_args, errp)) {
        return false;
    }
    info = json_object_new();
    json_object_set_boolean_member(info, "running", runstate_is_running());
    json_object_set_string_member(info, "status",
                                  runstate_name(runstate_get()));
    *ret = qmp_node_take_object(info);
    return true;
}

/* Only a running VM stops; "prelaunch" stays as it is. */
static bool qmp_stop(Monitor *mon, JsonObject *args, JsonNode **ret,
                     Error **errp)
{
    if (!qmp_args_check(args, no_args, errp)) {
        return false;
    }
    if (runstate_is_running()) {
        vm_stop(RUN_STATE_PAUSED);
    }
    return true;
}

static bool qmp_cont(Monitor *mon, JsonObject *args, JsonNode **ret,
                     Error **errp)
{
    if (!qmp_args_check(args, no_args, errp)) {
        return false;
    }
    if (runstate_get() == RUN_STATE_SHUTDOWN) {
        error_setg(errp, "Resetting the Virtual Machine is required");
        return false;
    }
    vm_start();
    return true;
}

static bool qmp_system_reset(Monitor *mon, JsonObject *args, JsonNode **ret,
                             Error **errp)
{
    if (!qmp_args_check(args, no_args, errp)) {
        return false;
    }
    qemu_system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    return true;
}

/* The reply goes out before the main loop acts on the request. */
static bool qmp_quit(Monitor *mon, JsonObject *args, JsonNode **ret,
                     Error **errp)
{
    if (!qmp_args_check(args, no_args, errp)) {
        return false;
    }
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    return true;
}

void qmp_register_run_commands(void)
{
    qmp_register_command("query-status", query_status, QCO_ALLOW_PRECONFIG);
    qmp_register_command("stop", qmp_stop, QCO_NO_OPTIONS);
    qmp_register_command("cont", qmp_cont, QCO_NO_OPTIONS);
    qmp_register_command("system_reset", qmp_system_reset, QCO_NO_OPTIONS);
    qmp_register_command("quit", qmp_quit, QCO_ALLOW_PRECONFIG);
}
