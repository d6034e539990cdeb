/*
 * Error objects and message formats.
 */
#include "qemu/osdep.h"
#include "qemu/error.h"

#include <sys/wait.h>

static GPtrArray *lines;

static void capture(const char *line, void *opaque)
{
    g_ptr_array_add(lines, g_strdup(line));
}

static void capture_start(void)
{
    lines = g_ptr_array_new_with_free_func(g_free);
    error_set_report_sink(capture, NULL);
    error_set_progname("prog");
    loc_clear();
}

static void capture_stop(void)
{
    error_set_report_sink(NULL, NULL);
    g_ptr_array_unref(lines);
    lines = NULL;
    loc_clear();
}

static const char *line(guint i)
{
    g_assert_cmpuint(i, <, lines->len);
    return g_ptr_array_index(lines, i);
}

static void test_default_progname(void)
{
    g_assert_cmpstr(error_get_progname(), ==, "qemu-system-unit-test");
}

static void test_progname_basename(void)
{
    error_set_progname("/usr/bin/qemu-system-x86_64");
    g_assert_cmpstr(error_get_progname(), ==, "qemu-system-x86_64");
}

static void test_report_formats(void)
{
    capture_start();
    error_report("bad value %d", 7);
    warn_report("careful");
    info_report("note");
    loc_set_cmdline("-device", "foo,bar=1");
    error_report("oops");
    warn_report("hmm");
    info_report("fyi");
    loc_set_cmdline("-nodefaults", NULL);
    error_report("alone");
    loc_clear();
    error_report("after");

    g_assert_cmpuint(lines->len, ==, 8);
    g_assert_cmpstr(line(0), ==, "prog: bad value 7");
    g_assert_cmpstr(line(1), ==, "prog: warning: careful");
    g_assert_cmpstr(line(2), ==, "prog: info: note");
    g_assert_cmpstr(line(3), ==, "prog: -device foo,bar=1: oops");
    g_assert_cmpstr(line(4), ==, "prog: -device foo,bar=1: warning: hmm");
    g_assert_cmpstr(line(5), ==, "prog: -device foo,bar=1: info: fyi");
    g_assert_cmpstr(line(6), ==, "prog: -nodefaults: alone");
    g_assert_cmpstr(line(7), ==, "prog: after");
    capture_stop();
}

static void test_timestamps(void)
{
    capture_start();
    error_set_timestamps(true);
    error_report("stamped");
    error_set_timestamps(false);
    error_report("plain");
    g_assert_cmpuint(lines->len, ==, 2);
    g_assert_true(g_regex_match_simple(
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
        "(\\.[0-9]+)?Z prog: stamped$",
        line(0), 0, 0));
    g_assert_cmpstr(line(1), ==, "prog: plain");
    capture_stop();
}

static void test_printf_partial_lines(void)
{
    capture_start();
    error_printf("ab");
    g_assert_cmpuint(lines->len, ==, 0);
    error_printf("c\nd\n");
    error_printf("%s\n", "e");
    g_assert_cmpuint(lines->len, ==, 3);
    g_assert_cmpstr(line(0), ==, "abc");
    g_assert_cmpstr(line(1), ==, "d");
    g_assert_cmpstr(line(2), ==, "e");
    capture_stop();
}

static void test_setg_and_accessors(void)
{
    Error *err = NULL;
    Error *copy;

    error_setg(&err, "value %s is wrong", "x");
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, "value x is wrong");
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_GENERIC_ERROR);
    g_assert_null(error_get_hint(err));
    error_append_hint(&err, "try %d\n", 3);
    error_append_hint(&err, "or 4\n");
    g_assert_cmpstr(error_get_hint(err), ==, "try 3\nor 4\n");

    copy = error_copy(err);
    error_free_or_abort(&err);
    g_assert_null(err);
    g_assert_cmpstr(error_get_pretty(copy), ==, "value x is wrong");
    g_assert_cmpstr(error_get_hint(copy), ==, "try 3\nor 4\n");
    error_free(copy);

    error_set(&err, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
              "d0");
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_DEVICE_NOT_FOUND);
    error_free(err);

    /* A NULL errp ignores the error. */
    error_setg(NULL, "ignored");
    error_free(NULL);
}

static void test_class_names(void)
{
    g_assert_cmpstr(error_class_name(ERROR_CLASS_GENERIC_ERROR), ==,
                    "GenericError");
    g_assert_cmpstr(error_class_name(ERROR_CLASS_COMMAND_NOT_FOUND), ==,
                    "CommandNotFound");
    g_assert_cmpstr(error_class_name(ERROR_CLASS_DEVICE_NOT_ACTIVE), ==,
                    "DeviceNotActive");
    g_assert_cmpstr(error_class_name(ERROR_CLASS_DEVICE_NOT_FOUND), ==,
                    "DeviceNotFound");
    g_assert_cmpstr(error_class_name(ERROR_CLASS_KVM_MISSING_CAP), ==,
                    "KVMMissingCap");
}

static void test_errno(void)
{
    Error *err = NULL;

    error_setg_errno(&err, ENOENT, "cannot open '%s'", "/dev/x");
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "cannot open '/dev/x': No such file or directory");
    error_free(err);
    err = NULL;

    error_setg_errno(&err, -EINVAL, "ioctl failed");
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "ioctl failed: Invalid argument");
    error_free(err);
    err = NULL;

    error_setg_errno(&err, 0, "no errno");
    g_assert_cmpstr(error_get_pretty(err), ==, "no errno");
    error_free(err);

    g_assert_cmpstr(qemu_strerror(EBUSY), ==, "Device or resource busy");
}

static void test_prepend(void)
{
    Error *err = NULL;

    error_prepend(&err, "nothing to prefix: ");
    g_assert_null(err);
    error_prepend(NULL, "ignored");

    error_setg(&err, "base");
    error_prepend(&err, "%s: ", "vfio 0000:01:00.0");
    error_prepend(&err, "outer: ");
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "outer: vfio 0000:01:00.0: base");
    error_free(err);
}

static void test_propagate(void)
{
    Error *dst = NULL;
    Error *local = NULL;

    error_propagate(&dst, NULL);
    g_assert_null(dst);

    error_setg(&local, "first");
    error_propagate(&dst, local);
    g_assert_cmpstr(error_get_pretty(dst), ==, "first");

    /* The first error is kept; the second is freed (ASan checks). */
    local = NULL;
    error_setg(&local, "second");
    error_propagate(&dst, local);
    g_assert_cmpstr(error_get_pretty(dst), ==, "first");
    error_free(dst);

    local = NULL;
    error_setg(&local, "dropped");
    error_propagate(NULL, local);
}

static void test_report_err_with_hint(void)
{
    Error *err = NULL;

    capture_start();
    loc_set_cmdline("-object", "iommufd,id=x");
    error_setg(&err, "failed");
    error_append_hint(&err, "line one\nline two");
    error_report_err(err);

    err = NULL;
    error_setg(&err, "soft");
    warn_report_err(err);

    g_assert_cmpuint(lines->len, ==, 4);
    g_assert_cmpstr(line(0), ==, "prog: -object iommufd,id=x: failed");
    g_assert_cmpstr(line(1), ==, "line one");
    g_assert_cmpstr(line(2), ==, "line two");
    g_assert_cmpstr(line(3), ==, "prog: -object iommufd,id=x: warning: soft");
    capture_stop();
}

static bool fail_with(Error **errp, const char *msg)
{
    error_setg(errp, "%s", msg);
    return false;
}

/* Reads *errp after a call, which is only safe with ERRP_GUARD. */
static bool guarded(Error **errp, bool *saw_error)
{
    ERRP_GUARD();

    fail_with(errp, "inner");
    *saw_error = *errp != NULL;
    if (*errp) {
        error_prepend(errp, "guarded: ");
        return false;
    }
    return true;
}

static void test_errp_guard(void)
{
    Error *err = NULL;
    bool saw = false;

    g_assert_false(guarded(NULL, &saw));
    g_assert_true(saw);

    saw = false;
    g_assert_false(guarded(&err, &saw));
    g_assert_true(saw);
    g_assert_cmpstr(error_get_pretty(err), ==, "guarded: inner");
    error_free(err);
}

static void test_fatal(void)
{
    if (g_test_subprocess()) {
        error_set_progname("prog");
        loc_set_cmdline("-device", "x");
        error_setg(&error_fatal, "fatal %d", 1);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("prog: -device x: fatal 1\n");
}

static void null_sink(const char *text, void *opaque)
{
}

static void test_fatal_exit_status(void)
{
    Error *local = NULL;
    int status;
    pid_t pid = fork();

    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        error_set_report_sink(null_sink, NULL);
        error_setg(&local, "late");
        error_propagate(&error_fatal, local);
        _exit(0);
    }
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 1);
}

static void test_guard_with_fatal(void)
{
    if (g_test_subprocess()) {
        bool saw = false;

        guarded(&error_fatal, &saw);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*: guarded: inner\n");
}

static void test_abort(void)
{
    if (g_test_subprocess()) {
        error_setg(&error_abort, "programming error");
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*programming error*");
}

static void test_set_twice_aborts(void)
{
    if (g_test_subprocess()) {
        Error *err = NULL;

        error_setg(&err, "one");
        error_setg(&err, "two");
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*error set twice*");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/error/progname/default", test_default_progname);
    g_test_add_func("/error/progname/basename", test_progname_basename);
    g_test_add_func("/error/report/formats", test_report_formats);
    g_test_add_func("/error/report/timestamps", test_timestamps);
    g_test_add_func("/error/report/printf-lines", test_printf_partial_lines);
    g_test_add_func("/error/report/err-hint", test_report_err_with_hint);
    g_test_add_func("/error/setg", test_setg_and_accessors);
    g_test_add_func("/error/class-names", test_class_names);
    g_test_add_func("/error/errno", test_errno);
    g_test_add_func("/error/prepend", test_prepend);
    g_test_add_func("/error/propagate", test_propagate);
    g_test_add_func("/error/errp-guard", test_errp_guard);
    g_test_add_func("/error/fatal", test_fatal);
    g_test_add_func("/error/fatal-propagate", test_fatal_exit_status);
    g_test_add_func("/error/errp-guard-fatal", test_guard_with_fatal);
    g_test_add_func("/error/abort", test_abort);
    g_test_add_func("/error/set-twice", test_set_twice_aborts);
    return g_test_run();
}
