/*
 * libqtest: starts the emulator under test and drives it through the
 * qtest protocol and QMP.
 *
 * The binary comes from the environment variable QTEST_QEMU_BINARY. Every
 * wait is bounded (60 s): an emulator that hangs, exits early or crashes
 * fails the test with its exit status and stderr, instead of hanging it.
 * The emulator's stderr is captured; sanitizer reports in it fail the test
 * in qtest_quit. Set QTEST_LOG=1 to see the protocol log and the
 * emulator's stderr.
 *
 * Names follow QEMU's libqtest where the meaning is the same, so tests port
 * easily. Differences: QMP messages are json-glib JsonObjects (free with
 * json_object_unref), and the QMP format strings are plain printf formats:
 * a string argument must be quoted and escaped by the caller
 * ('%s' with a known-safe value, or qtest_json_quote). Single-quoted JSON
 * strings are accepted as in QEMU's tests ("{'execute': 'stop'}").
 */
#ifndef LIBQTEST_H
#define LIBQTEST_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include <json-glib/json-glib.h>

typedef struct QTestState QTestState;

/* Start-up and shutdown */

/*
 * Starts the emulator with the QEMU 11.1 libqtest command line
 *   -qtest unix:S -qtest-log L -chardev socket,path=Q,id=char0
 *   -object monitor-qmp,id=qmp0,chardev=char0 -display none -audio none
 *   -run-with exit-with-parent=on EXTRA_ARGS -accel qtest
 * (EXTRA_ARGS is split like a shell would), connects both sockets, and
 * negotiates QMP capabilities.
 */
QTestState *qtest_init(const char *extra_args);
QTestState *qtest_initf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
QTestState *qtest_vinitf(const char *fmt, va_list ap) G_GNUC_PRINTF(1, 0);
/* As qtest_init, but stops after the QMP greeting (no qmp_capabilities). */
QTestState *qtest_init_without_qmp_handshake(const char *extra_args);
/* The greeting read at start-up (borrowed). */
JsonObject *qtest_qmp_get_greeting(QTestState *s);

/*
 * Closes the connections (the emulator exits when the qtest connection
 * goes), sends SIGTERM if it is still running, and asserts the exit status
 * (0 unless set with qtest_set_expected_status; death by our SIGTERM is
 * accepted too) and a sanitizer-clean stderr. Frees s.
 */
void qtest_quit(QTestState *s);
void qtest_set_expected_status(QTestState *s, int status);
/* The emulator's stderr so far (free with g_free). */
char *qtest_get_stderr(QTestState *s);

/*
 * Runs the emulator with the same launch line, expecting it to fail during
 * start-up: it must exit (not crash, not start serving requests) within
 * the timeout. Returns its exit status and stderr (free with g_free).
 */
void qtest_init_expect_failure(const char *extra_args, int *exit_status,
                               char **stderr_text);
/*
 * Runs "QTEST_QEMU_BINARY ARGS" with no qtest or QMP (help output and the
 * like) and waits for it; it must exit, not crash. stdout_text and
 * stderr_text may be NULL.
 */
void qtest_run_cmdline(const char *args, int *exit_status, char **stdout_text,
                       char **stderr_text);

/* "aarch64" or "x86_64", from the binary's name. */
const char *qtest_get_arch(void);
/* Whether "-machine help" lists the machine (name or alias). */
bool qtest_has_machine(const char *machine);
/* g_test_add_func/g_test_add_data_func under "/ARCH/PATH". */
void qtest_add_func(const char *path, void (*fn)(void));
void qtest_add_data_func(const char *path, const void *data,
                         void (*fn)(const void *));

/* qtest protocol: every helper fails the test unless the reply is OK. */

/* Sends one request line and returns the reply line (IRQ lines skipped). */
char *qtest_raw_cmd(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

uint8_t qtest_readb(QTestState *s, uint64_t addr);
uint16_t qtest_readw(QTestState *s, uint64_t addr);
uint32_t qtest_readl(QTestState *s, uint64_t addr);
uint64_t qtest_readq(QTestState *s, uint64_t addr);
void qtest_writeb(QTestState *s, uint64_t addr, uint8_t value);
void qtest_writew(QTestState *s, uint64_t addr, uint16_t value);
void qtest_writel(QTestState *s, uint64_t addr, uint32_t value);
void qtest_writeq(QTestState *s, uint64_t addr, uint64_t value);

/* Byte buffers: hex (read/write) or base64 (bufread/bufwrite). */
void qtest_memread(QTestState *s, uint64_t addr, void *data, size_t size);
void qtest_memwrite(QTestState *s, uint64_t addr, const void *data,
                    size_t size);
void qtest_bufread(QTestState *s, uint64_t addr, void *data, size_t size);
void qtest_bufwrite(QTestState *s, uint64_t addr, const void *data,
                    size_t size);
void qtest_memset(QTestState *s, uint64_t addr, uint8_t pattern, size_t size);

uint8_t qtest_inb(QTestState *s, uint16_t addr);
uint16_t qtest_inw(QTestState *s, uint16_t addr);
uint32_t qtest_inl(QTestState *s, uint16_t addr);
void qtest_outb(QTestState *s, uint16_t addr, uint8_t value);
void qtest_outw(QTestState *s, uint16_t addr, uint16_t value);
void qtest_outl(QTestState *s, uint16_t addr, uint32_t value);

/* Virtual clock; each returns the new time in ns. */
int64_t qtest_clock_step_next(QTestState *s);
int64_t qtest_clock_step(QTestState *s, int64_t step);
int64_t qtest_clock_set(QTestState *s, int64_t val);

/*
 * GPIO lines. After an intercept, "IRQ raise/lower N" notifications are
 * recorded and qtest_get_irq returns the last level seen for line N (the
 * index within its GPIO list).
 */
void qtest_irq_intercept_in(QTestState *s, const char *qom_path);
void qtest_irq_intercept_out(QTestState *s, const char *qom_path);
void qtest_irq_intercept_out_named(QTestState *s, const char *qom_path,
                                   const char *name);
/* name NULL: the unnamed input list. */
void qtest_set_irq_in(QTestState *s, const char *qom_path, const char *name,
                      int num, int level);
bool qtest_get_irq(QTestState *s, int num);
/* How many times line N went high: pulses leave the level low. */
guint qtest_get_irq_raises(QTestState *s, int num);

/* QMP */

/* Sends a command and returns its reply ({"return": ..} or {"error": ..});
 * events arriving meanwhile are queued for qtest_qmp_eventwait. */
JsonObject *qtest_qmp(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
JsonObject *qtest_vqmp(QTestState *s, const char *fmt, va_list ap)
    G_GNUC_PRINTF(2, 0);
JsonObject *qtest_qmp_obj(QTestState *s, JsonObject *cmd);
/* As qtest_qmp, passing fds with the command (SCM_RIGHTS). */
JsonObject *qtest_qmp_fds(QTestState *s, const int *fds, size_t nfds,
                          const char *fmt, ...) G_GNUC_PRINTF(4, 5);
void qtest_qmp_send(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Sends the text unchanged (no JSON check): for protocol tests. */
void qtest_qmp_send_raw(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/* The next reply (events are queued). */
JsonObject *qtest_qmp_receive(QTestState *s);
/* The next message of any kind, oldest queued first. */
JsonObject *qtest_qmp_receive_any(QTestState *s);

/* Asserts a {"return": ...} reply. _ref returns the "return" value. */
void qtest_qmp_assert_success(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
JsonNode *qtest_qmp_assert_success_ref(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/* Asserts rsp is an error of class cls (and, if desc is not NULL, with
 * that exact description); frees rsp. */
void qtest_qmp_expect_error(JsonObject *rsp, const char *cls, const char *desc);
/* The "desc" of an error reply, or NULL if rsp is not an error. */
const char *qtest_qmp_error_desc(JsonObject *rsp);

/* Waits for an event (checking the queue first) and returns it. */
JsonObject *qtest_qmp_eventwait_ref(QTestState *s, const char *event);
void qtest_qmp_eventwait(QTestState *s, const char *event);
/* A queued event, without waiting (do a command round trip first). */
JsonObject *qtest_qmp_event_ref(QTestState *s, const char *event);

/* device_add with driver, id and the members of the JSON object fmt
 * (e.g. "{'bus': 'pcie.0', 'addr': '0x3'}"); asserts success. */
void qtest_qmp_device_add(QTestState *s, const char *driver, const char *id,
                          const char *fmt, ...) G_GNUC_PRINTF(4, 5);
/* device_del, then waits for DEVICE_DELETED naming id. */
void qtest_qmp_device_del(QTestState *s, const char *id);
void qtest_qmp_device_del_send(QTestState *s, const char *id);

/* qom-get / qom-set, asserting success and the value's JSON type. */
JsonNode *qtest_qom_get(QTestState *s, const char *path, const char *prop);
bool qtest_qom_get_bool(QTestState *s, const char *path, const char *prop);
int64_t qtest_qom_get_int(QTestState *s, const char *path, const char *prop);
char *qtest_qom_get_str(QTestState *s, const char *path, const char *prop);
void qtest_qom_set_bool(QTestState *s, const char *path, const char *prop,
                        bool value);
void qtest_qom_set_int(QTestState *s, const char *path, const char *prop,
                       int64_t value);
void qtest_qom_set_str(QTestState *s, const char *path, const char *prop,
                       const char *value);

/* str as a JSON string literal with quotes, e.g. "\"a\\\"b\"". */
char *qtest_json_quote(const char *str);

#endif
