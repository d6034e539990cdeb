/*
 * The qtest accelerator and protocol server.
 *
 * "-qtest SPEC" attaches a text protocol (one request per line; the
 * request table is at the top of system/qtest.c) through which a test
 * reads and writes guest memory and I/O ports, steps the virtual clock and
 * watches GPIO lines.
 * "-accel qtest" is the accelerator: it freezes the virtual clock so that
 * only clock_step/clock_set move it, and only then are those two requests
 * known to the server.
 */
#ifndef SYSTEM_QTEST_H
#define SYSTEM_QTEST_H

#include "qemu/osdep.h"
#include "qemu/error.h"

/*
 * Starts the server on SPEC: "unix:PATH" (connects to a listening test),
 * "stdio", "fd:N" or "chardev:ID" (an existing -chardev). LOGFILE, if not
 * NULL, receives every request and reply with a timestamp. Losing the
 * connection requests a shutdown of the emulator.
 */
bool qtest_server_init(const char *spec, const char *logfile, Error **errp);

/* True when the qtest accelerator is in use (-accel qtest). */
bool qtest_enabled(void);
void qtest_set_accel(bool on);

/*
 * In-process use (unit tests): replies and IRQ notifications go to SEND
 * instead of a chardev, and requests are fed with qtest_server_inproc_recv
 * (any split into chunks is allowed).
 */
typedef void QTestSendFn(void *opaque, const char *str);
void qtest_server_set_send_handler(QTestSendFn *send, void *opaque);
void qtest_server_inproc_recv(const char *buf, size_t len);

#endif
