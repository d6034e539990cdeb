/*
 * QMP: JSON commands over a chardev. Commands register a handler with
 * their name; arguments arrive as a JsonObject (never NULL; empty when
 * absent) and the handler returns the "return" value or fails with errp.
 */
#ifndef MONITOR_QMP_H
#define MONITOR_QMP_H

#include "qemu/osdep.h"
#include "qemu/error.h"
#include "chardev/char.h"

typedef struct Monitor Monitor;

/* *ret: the reply value (an empty object when left NULL). */
typedef bool (*QmpCommandFunc)(Monitor *mon, JsonObject *args, JsonNode **ret,
                               Error **errp);

typedef enum QmpCommandOptions {
    QCO_NO_OPTIONS = 0,
    QCO_ALLOW_PRECONFIG = 1 << 0,
} QmpCommandOptions;

void qmp_register_command(const char *name, QmpCommandFunc fn,
                          QmpCommandOptions options);
/* Registers every built-in command (idempotent). */
void qmp_init_commands(void);
/* Sorted list of command names (query-commands). */
GPtrArray *qmp_command_names(void);

/* Emits {"event": name, "data": data, "timestamp": ...} to every QMP
 * monitor that finished capabilities negotiation. Takes data (may be
 * NULL for no data). */
void qapi_event_send(const char *name, JsonObject *data);

/* Creates a QMP monitor on a chardev (the -mon / -qmp / monitor-qmp path). */
Monitor *monitor_new_qmp(Chardev *chr, bool pretty, Error **errp);
void monitor_destroy(Monitor *mon);
/* Takes an fd passed with getfd by name (caller owns it), or -1. */
int monitor_fd_param(Monitor *mon, const char *fdname, Error **errp);
/* Looks up a getfd name in any monitor (for "fd" properties). */
int monitor_get_fd_by_name(const char *fdname, Error **errp);
Monitor *monitor_cur(void);

/*
 * fd sets (QMP add-fd, -add-fd). monitor_fdset_add_fd takes fd on
 * success. monitor_fdset_open resolves "/dev/fdset/N" to a duplicate
 * (O_CLOEXEC, caller owns it) of a member fd whose access mode matches
 * flags & O_ACCMODE.
 */
bool monitor_fdset_add_fd(int fd, int64_t fdset_id, const char *opaque,
                          Error **errp);
int monitor_fdset_open(const char *path, int flags, Error **errp);

/*
 * Argument helpers. Each fails with a QMP-style message:
 *   "Parameter 'path' is missing"
 *   "Invalid parameter type for 'path', expected: string"
 */
const char *qmp_arg_str(JsonObject *args, const char *name, bool required,
                        Error **errp);
bool qmp_arg_bool(JsonObject *args, const char *name, bool required,
                  bool *out, Error **errp);
bool qmp_arg_int(JsonObject *args, const char *name, bool required,
                 int64_t *out, Error **errp);
/* Unknown members: "Parameter 'x' is unexpected". */
bool qmp_args_check(JsonObject *args, const char *const *allowed,
                    Error **errp);

#endif
