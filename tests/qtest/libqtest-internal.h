/*
 * libqtest internals shared by the process/qtest part (libqtest.c) and
 * the QMP part (libqtest-qmp.c).
 */
#ifndef LIBQTEST_INTERNAL_H
#define LIBQTEST_INTERNAL_H

#include "libqtest.h"
#include <sys/types.h>

/* Bound on every wait for the emulator. */
#define QTEST_TIMEOUT_US (60 * G_USEC_PER_SEC)

struct QTestState {
    GPid pid;
    bool reaped;
    bool sent_sigterm;
    int wstatus;
    int expected_status;

    char *tmpdir;
    char *qtest_path;
    char *qmp_path;
    char *stdout_path;
    char *stderr_path;

    int qtest_fd;
    GString *qtest_buf;
    GArray *irq_levels; /* gboolean per line */
    GArray *irq_raises; /* guint per line: rising edges seen */

    int qmp_fd;
    GString *qmp_buf;
    size_t qmp_scan; /* bytes of qmp_buf already scanned */
    int qmp_depth;   /* brace/bracket nesting at qmp_scan */
    bool qmp_in_str;
    bool qmp_escape;
    GQueue *qmp_queue; /* JsonObject* read but not yet consumed */
    JsonObject *greeting;
};

/* Kills the emulator, reports msg with its status and stderr, aborts. */
G_GNUC_NORETURN G_GNUC_PRINTF(2, 3) void qtest_fail(QTestState *s,
                                                    const char *fmt, ...);

gint64 qtest_deadline(void);
/* Sends all bytes (and the fds with the first ones), or fails the test. */
void qtest_send_all(QTestState *s, int fd, const char *what, const void *buf,
                    size_t len, const int *fds, size_t nfds);
/* Appends what the socket has to buf; waits until deadline, or fails. */
void qtest_recv_some(QTestState *s, int fd, const char *what, GString *buf,
                     gint64 deadline);

void qtest_qmp_state_init(QTestState *s);
void qtest_qmp_state_free(QTestState *s);
/* Reads the greeting; then negotiates capabilities if handshake. */
void qtest_qmp_connect(QTestState *s, bool handshake);

#endif
