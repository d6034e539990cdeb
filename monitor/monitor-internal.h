/*
 * QMP monitor internals shared by the server and the command files.
 */
#ifndef MONITOR_INTERNAL_H
#define MONITOR_INTERNAL_H

#include "monitor/qmp.h"
#include "qmp-stream.h"

struct Monitor {
    CharBackend chr;
    bool pretty;
    bool negotiated; /* qmp_capabilities done: command mode */
    bool oob;        /* the client enabled the "oob" capability */
    QmpStream *stream;
    GHashTable *fds; /* getfd name -> fd */
};

/* Every QMP monitor, in creation order (borrowed). */
GList *monitor_list(void);
/* Sends one message, terminated by "\r\n". */
void monitor_send(Monitor *mon, JsonObject *msg);

/* Runs one request and returns the reply to send. */
JsonObject *qmp_dispatch(Monitor *mon, JsonNode *req);

/* The version object of the greeting and of query-version. */
JsonObject *qmp_version_object(void);

/* getfd names */
void monitor_fds_init(Monitor *mon);
void monitor_fds_cleanup(Monitor *mon);

/* Command registration, one per command file. */
void qmp_register_control_commands(void);
void qmp_register_run_commands(void);
void qmp_register_machine_commands(void);
void qmp_register_qom_commands(void);
void qmp_register_qdev_commands(void);
void qmp_register_fd_commands(void);
void qmp_register_fdset_commands(void);
void qmp_register_pci_commands(void);

#endif
