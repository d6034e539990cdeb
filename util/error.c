/*
 * Error objects and the error_report() family.
 */
#include "qemu/osdep.h"
#include "qemu/error.h"

struct Error {
    char *msg;
    ErrorClass cls;
    GString *hint;
};

/* Their addresses are the markers; the variables themselves stay NULL. */
Error *error_fatal;
Error *error_abort;

typedef enum ReportType {
    REPORT_ERROR,
    REPORT_WARNING,
    REPORT_INFO,
} ReportType;

static GMutex report_lock;
static char *progname;
static char *location;
static bool with_timestamps;
static ErrorReportSink report_sink;
static void *report_sink_opaque;
static GString *sink_pending;

static const char *const error_class_names[] = {
    [ERROR_CLASS_GENERIC_ERROR] = "GenericError",
    [ERROR_CLASS_COMMAND_NOT_FOUND] = "CommandNotFound",
    [ERROR_CLASS_DEVICE_NOT_ACTIVE] = "DeviceNotActive",
    [ERROR_CLASS_DEVICE_NOT_FOUND] = "DeviceNotFound",
    [ERROR_CLASS_KVM_MISSING_CAP] = "KVMMissingCap",
};

/* Hands complete lines to the sink; partial lines wait for the rest. */
static void sink_flush_lines(void)
{
    char *nl;

    while ((nl = strchr(sink_pending->str, '\n'))) {
        *nl = '\0';
        report_sink(sink_pending->str, report_sink_opaque);
        g_string_erase(sink_pending, 0, nl - sink_pending->str + 1);
    }
}

static void emit(const char *text)
{
    g_mutex_lock(&report_lock);
    if (report_sink) {
        g_string_append(sink_pending, text);
        sink_flush_lines();
    } else {
        fputs(text, stderr);
        fflush(stderr);
    }
    g_mutex_unlock(&report_lock);
}

void error_set_report_sink(ErrorReportSink sink, void *opaque)
{
    g_mutex_lock(&report_lock);
    if (report_sink && sink_pending->len) {
        report_sink(sink_pending->str, report_sink_opaque);
    }
    if (!sink_pending) {
        sink_pending = g_string_new(NULL);
    }
    g_string_truncate(sink_pending, 0);
    report_sink = sink;
    report_sink_opaque = opaque;
    g_mutex_unlock(&report_lock);
}

void error_set_progname(const char *name)
{
    g_free(progname);
    progname = g_path_get_basename(name);
}

const char *error_get_progname(void)
{
    if (!progname) {
        progname = g_strdup_printf("qemu-system-%s", qemu_target_name);
    }
    return progname;
}

void error_set_timestamps(bool on)
{
    with_timestamps = on;
}

void loc_set_cmdline(const char *option, const char *arg)
{
    g_free(location);
    location = arg ? g_strdup_printf("%s %s", option, arg) : g_strdup(option);
}

void loc_clear(void)
{
    g_free(location);
    location = NULL;
}

static void append_timestamp(GString *line)
{
    GDateTime *now = g_date_time_new_now_utc();
    char *stamp = g_date_time_format_iso8601(now);

    g_string_append_printf(line, "%s ", stamp);
    g_free(stamp);
    g_date_time_unref(now);
}

static void vreport(ReportType type, const char *fmt, va_list ap)
    QEMU_PRINTF(2, 0);
static void vreport(ReportType type, const char *fmt, va_list ap)
{
    GString *line = g_string_new(NULL);

    if (with_timestamps) {
        append_timestamp(line);
    }
    g_string_append_printf(line, "%s: ", error_get_progname());
    if (location) {
        g_string_append_printf(line, "%s: ", location);
    }
    if (type == REPORT_WARNING) {
        g_string_append(line, "warning: ");
    } else if (type == REPORT_INFO) {
        g_string_append(line, "info: ");
    }
    g_string_append_vprintf(line, fmt, ap);
    g_string_append_c(line, '\n');
    emit(line->str);
    g_string_free(line, TRUE);
}

static void report(ReportType type, const char *fmt, ...) QEMU_PRINTF(2, 3);
static void report(ReportType type, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(type, fmt, ap);
    va_end(ap);
}

void error_vreport(const char *fmt, va_list ap)
{
    vreport(REPORT_ERROR, fmt, ap);
}

void error_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(REPORT_ERROR, fmt, ap);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(REPORT_WARNING, fmt, ap);
    va_end(ap);
}

void info_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(REPORT_INFO, fmt, ap);
    va_end(ap);
}

void error_printf(const char *fmt, ...)
{
    va_list ap;
    char *text;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    emit(text);
    g_free(text);
}

static void print_hint(const Error *err)
{
    if (!err->hint) {
        return;
    }
    emit(err->hint->str);
    if (err->hint->len && err->hint->str[err->hint->len - 1] != '\n') {
        emit("\n");
    }
}

void error_report_err(Error *err)
{
    report(REPORT_ERROR, "%s", err->msg);
    print_hint(err);
    error_free(err);
}

void warn_report_err(Error *err)
{
    report(REPORT_WARNING, "%s", err->msg);
    print_hint(err);
    error_free(err);
}

/* Stores err in *errp, or acts on the &error_abort/&error_fatal markers. */
static void error_handle(Error **errp, Error *err)
{
    if (errp == &error_abort) {
        error_printf("Unexpected error (error_abort):\n");
        error_report_err(err);
        abort();
    }
    if (errp == &error_fatal) {
        error_report_err(err);
        exit(1);
    }
    if (!errp) {
        error_free(err);
        return;
    }
    if (*errp) {
        error_report("error set twice: '%s' after '%s'", err->msg,
                     (*errp)->msg);
        abort();
    }
    *errp = err;
}

static Error *error_new(ErrorClass cls, char *msg)
{
    Error *err = g_new0(Error, 1);

    err->cls = cls;
    err->msg = msg;
    return err;
}

void error_setg_internal(Error **errp, ErrorClass cls, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    if (!errp) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_handle(errp, error_new(cls, msg));
}

void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    if (!errp) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (os_errno) {
        /* Callers often hold -errno; the sign carries no meaning here. */
        char *full =
            g_strdup_printf("%s: %s", msg, qemu_strerror(ABS(os_errno)));
        g_free(msg);
        msg = full;
    }
    error_handle(errp, error_new(ERROR_CLASS_GENERIC_ERROR, msg));
}

void error_propagate(Error **dst_errp, Error *local_err)
{
    if (!local_err) {
        return;
    }
    if (dst_errp && dst_errp != &error_abort && dst_errp != &error_fatal &&
        *dst_errp) {
        /* The first error wins; a later one is dropped. */
        error_free(local_err);
        return;
    }
    error_handle(dst_errp, local_err);
}

void error_prepend(Error **errp, const char *fmt, ...)
{
    va_list ap;
    char *prefix;
    char *msg;

    if (!errp || !*errp) {
        return;
    }
    va_start(ap, fmt);
    prefix = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    msg = g_strconcat(prefix, (*errp)->msg, NULL);
    g_free(prefix);
    g_free((*errp)->msg);
    (*errp)->msg = msg;
}

void error_append_hint(Error **errp, const char *fmt, ...)
{
    va_list ap;

    if (!errp || !*errp) {
        return;
    }
    if (!(*errp)->hint) {
        (*errp)->hint = g_string_new(NULL);
    }
    va_start(ap, fmt);
    g_string_append_vprintf((*errp)->hint, fmt, ap);
    va_end(ap);
}

const char *error_get_pretty(const Error *err)
{
    return err->msg;
}

const char *error_get_hint(const Error *err)
{
    return err->hint ? err->hint->str : NULL;
}

ErrorClass error_get_class(const Error *err)
{
    return err->cls;
}

const char *error_class_name(ErrorClass cls)
{
    if ((unsigned)cls >= ARRAY_SIZE(error_class_names)) {
        return "GenericError";
    }
    return error_class_names[cls];
}

Error *error_copy(const Error *err)
{
    Error *copy = error_new(err->cls, g_strdup(err->msg));

    if (err->hint) {
        copy->hint = g_string_new(err->hint->str);
    }
    return copy;
}

void error_free(Error *err)
{
    if (!err) {
        return;
    }
    g_free(err->msg);
    if (err->hint) {
        g_string_free(err->hint, TRUE);
    }
    g_free(err);
}

void error_free_or_abort(Error **errp)
{
    g_assert(errp && *errp);
    error_free(*errp);
    *errp = NULL;
}

void error_propagator_cleanup(ErrorPropagator *prop)
{
    error_propagate(prop->errp, prop->local_err);
}

const char *qemu_strerror(int errnum)
{
    return g_strerror(errnum);
}
