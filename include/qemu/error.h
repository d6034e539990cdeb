/*
 * Error objects travelling through an `Error **errp` out-parameter.
 *
 * Contract (every function taking errp follows it):
 *  - on failure, set *errp exactly once (error_setg/error_propagate) and
 *    return a failure value (false, NULL, negative);
 *  - on success, never touch *errp;
 *  - errp may be NULL (caller ignores the error), &error_fatal (print and
 *    exit(1)) or &error_abort (print and abort(); programming errors only).
 * The error is reported once, by whoever is at the top of the call chain.
 */
#ifndef QEMU_ERROR_H
#define QEMU_ERROR_H

#include "qemu/osdep.h"

typedef struct Error Error;

/* QMP error classes; GenericError is used for nearly everything. */
typedef enum ErrorClass {
    ERROR_CLASS_GENERIC_ERROR,
    ERROR_CLASS_COMMAND_NOT_FOUND,
    ERROR_CLASS_DEVICE_NOT_ACTIVE,
    ERROR_CLASS_DEVICE_NOT_FOUND,
    ERROR_CLASS_KVM_MISSING_CAP,
} ErrorClass;

extern Error *error_fatal;
extern Error *error_abort;

void error_setg_internal(Error **errp, ErrorClass cls, const char *fmt, ...)
    QEMU_PRINTF(3, 4);
#define error_setg(errp, ...)                                                  \
    error_setg_internal(errp, ERROR_CLASS_GENERIC_ERROR, __VA_ARGS__)
#define error_set(errp, cls, ...) error_setg_internal(errp, cls, __VA_ARGS__)
/* Appends ": <strerror(os_errno)>" to the message. */
void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
    QEMU_PRINTF(3, 4);

/* Moves local_err into dst_errp (or frees/reports it per the contract). */
void error_propagate(Error **dst_errp, Error *local_err);
/* Prefixes the message of *errp (no-op if errp or *errp is NULL). */
void error_prepend(Error **errp, const char *fmt, ...) QEMU_PRINTF(2, 3);
/* Adds a hint printed on its own line(s) after the message. */
void error_append_hint(Error **errp, const char *fmt, ...) QEMU_PRINTF(2, 3);

const char *error_get_pretty(const Error *err);
const char *error_get_hint(const Error *err);
ErrorClass error_get_class(const Error *err);
const char *error_class_name(ErrorClass cls);
Error *error_copy(const Error *err);
void error_free(Error *err);
void error_free_or_abort(Error **errp);

/* Prints "<prog>: [<location>: ]<message>" and the hint to stderr. */
void error_report_err(Error *err);
void warn_report_err(Error *err);

/*
 * Direct reporting helpers. Output: "qemu-system-ARCH: [loc: ]msg" for
 * errors, "qemu-system-ARCH: [loc: ]warning: msg" for warnings,
 * "qemu-system-ARCH: [loc: ]info: msg" for info.
 */
void error_report(const char *fmt, ...) QEMU_PRINTF(1, 2);
void warn_report(const char *fmt, ...) QEMU_PRINTF(1, 2);
void info_report(const char *fmt, ...) QEMU_PRINTF(1, 2);
void error_vreport(const char *fmt, va_list ap) QEMU_PRINTF(1, 0);
void error_printf(const char *fmt, ...) QEMU_PRINTF(1, 2);

/*
 * Location context for messages during command-line processing, e.g.
 * "-device foo,bar=1". Set while an option is processed; NULL otherwise.
 */
void loc_set_cmdline(const char *option, const char *arg);
void loc_clear(void);
/* Program name used as the message prefix; defaults to qemu-system-ARCH. */
void error_set_progname(const char *name);
const char *error_get_progname(void);
/* -msg timestamp=on */
void error_set_timestamps(bool on);

/* Lets tests capture reports instead of printing to stderr. */
typedef void (*ErrorReportSink)(const char *line, void *opaque);
void error_set_report_sink(ErrorReportSink sink, void *opaque);

/*
 * ERRP_GUARD(): makes errp safe to dereference in this function even when
 * the caller passed NULL or &error_fatal; use before reading *errp.
 */
typedef struct ErrorPropagator {
    Error *local_err;
    Error **errp;
} ErrorPropagator;
void error_propagator_cleanup(ErrorPropagator *prop);
#define ERRP_GUARD()                                                           \
    g_auto(ErrorPropagator) _auto_errp_prop = {.errp = errp};                  \
    do {                                                                       \
        if (!errp || errp == &error_fatal) {                                   \
            errp = &_auto_errp_prop.local_err;                                 \
        }                                                                      \
    } while (0)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ErrorPropagator, error_propagator_cleanup)

/* strerror-like text for an errno, e.g. "Invalid argument". */
const char *qemu_strerror(int errnum);

#endif
