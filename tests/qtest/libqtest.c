/*
 * libqtest: the emulator process (launch, connections, exit status,
 * captured output) and the socket I/O both protocols share.
 */
#include "libqtest-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* Time an exiting emulator gets to finish (sanitizer reports included). */
#define QTEST_GRACE_US (5 * G_USEC_PER_SEC)
#define QTEST_POLL_MS 10
#define QTEST_STDERR_TAIL (16 * 1024)

/* Emulators still running, killed if the test aborts. */
static GSList *live_states;

gint64 qtest_deadline(void)
{
    return g_get_monotonic_time() + QTEST_TIMEOUT_US;
}

static const char *qtest_binary(void)
{
    const char *bin = getenv("QTEST_QEMU_BINARY");

    if (!bin || !*bin) {
        g_error("QTEST_QEMU_BINARY is not set");
    }
    return bin;
}

const char *qtest_get_arch(void)
{
    static char *arch;

    if (!arch) {
        const char *bin = qtest_binary();
        const char *p = g_strrstr(bin, "qemu-system-");

        if (!p) {
            g_error("cannot tell the target of '%s'", bin);
        }
        p += strlen("qemu-system-");
        arch = g_strndup(p, strcspn(p, " \t"));
    }
    return arch;
}

static char *qtest_arch_path(const char *path)
{
    while (*path == '/') {
        path++;
    }
    return g_strdup_printf("/%s/%s", qtest_get_arch(), path);
}

void qtest_add_func(const char *path, void (*fn)(void))
{
    g_autofree char *full = qtest_arch_path(path);

    g_test_add_func(full, fn);
}

void qtest_add_data_func(const char *path, const void *data,
                         void (*fn)(const void *))
{
    g_autofree char *full = qtest_arch_path(path);

    g_test_add_data_func(full, data, fn);
}

/* Process state */

static bool qtest_try_reap(QTestState *s)
{
    if (!s->reaped && waitpid(s->pid, &s->wstatus, WNOHANG) == s->pid) {
        s->reaped = true;
    }
    return s->reaped;
}

static bool qtest_wait_exit(QTestState *s, gint64 timeout_us)
{
    gint64 deadline = g_get_monotonic_time() + timeout_us;

    while (!qtest_try_reap(s)) {
        if (g_get_monotonic_time() >= deadline) {
            return false;
        }
        g_usleep(QTEST_POLL_MS * 1000);
    }
    return true;
}

static void qtest_kill(QTestState *s)
{
    if (!s->reaped) {
        kill(s->pid, SIGKILL);
        if (waitpid(s->pid, &s->wstatus, 0) == s->pid) {
            s->reaped = true;
        }
    }
}

static char *qtest_status_text(QTestState *s)
{
    int st = s->wstatus;

    if (WIFEXITED(st)) {
        return g_strdup_printf("exited with status %d", WEXITSTATUS(st));
    }
    if (WIFSIGNALED(st)) {
        return g_strdup_printf("was killed by signal %d (%s)%s", WTERMSIG(st),
                               strsignal(WTERMSIG(st)),
                               WCOREDUMP(st) ? ", core dumped" : "");
    }
    return g_strdup_printf("ended with wait status 0x%x", st);
}

static char *qtest_read_file(const char *path)
{
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        return g_strdup("");
    }
    return text;
}

char *qtest_get_stderr(QTestState *s)
{
    return qtest_read_file(s->stderr_path);
}

static void qtest_remove_files(QTestState *s)
{
    unlink(s->qtest_path);
    unlink(s->qmp_path);
    unlink(s->stdout_path);
    unlink(s->stderr_path);
    rmdir(s->tmpdir);
}

static void qtest_free(QTestState *s)
{
    live_states = g_slist_remove(live_states, s);
    if (s->qtest_fd >= 0) {
        close(s->qtest_fd);
    }
    if (s->qmp_fd >= 0) {
        close(s->qmp_fd);
    }
    qtest_remove_files(s);
    qtest_qmp_state_free(s);
    g_string_free(s->qtest_buf, true);
    g_array_free(s->irq_levels, true);
    g_array_free(s->irq_raises, true);
    g_free(s->tmpdir);
    g_free(s->qtest_path);
    g_free(s->qmp_path);
    g_free(s->stdout_path);
    g_free(s->stderr_path);
    g_free(s);
}

void qtest_fail(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;
    g_autofree char *status = NULL;
    g_autofree char *err = NULL;
    size_t len;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);

    if (qtest_try_reap(s)) {
        status = qtest_status_text(s);
    } else {
        qtest_kill(s);
        status = g_strdup("was still running (killed)");
    }
    err = qtest_get_stderr(s);
    len = strlen(err);
    g_printerr("libqtest: %s\nlibqtest: the emulator %s; its stderr%s:\n%s\n",
               msg, status, len > QTEST_STDERR_TAIL ? " (tail)" : "",
               err + (len > QTEST_STDERR_TAIL ? len - QTEST_STDERR_TAIL : 0));
    qtest_free(s);
    g_error("%s", msg);
}

/*
 * Ends every emulator still running and removes its files when the test
 * aborts, is killed (e.g. by the harness's timeout) or exits without
 * qtest_quit. Async-signal-safe.
 */
static void qtest_cleanup_all(void)
{
    for (GSList *l = live_states; l; l = l->next) {
        QTestState *s = l->data;

        if (s->pid && !s->reaped) {
            kill(s->pid, SIGKILL);
        }
        qtest_remove_files(s);
    }
}

static void qtest_signal_handler(int sig)
{
    qtest_cleanup_all();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void qtest_install_cleanup(void)
{
    static const int signals[] = {SIGABRT, SIGTERM, SIGINT};
    static bool installed;
    struct sigaction sa = {.sa_handler = qtest_signal_handler};

    if (installed) {
        return;
    }
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < G_N_ELEMENTS(signals); i++) {
        sigaction(signals[i], &sa, NULL);
    }
    atexit(qtest_cleanup_all);
    installed = true;
}

static QTestState *qtest_state_new(void)
{
    g_autoptr(GError) err = NULL;
    QTestState *s = g_new0(QTestState, 1);

    qtest_install_cleanup();
    s->tmpdir = g_dir_make_tmp("qtest-XXXXXX", &err);
    if (!s->tmpdir) {
        g_error("cannot create a temporary directory: %s", err->message);
    }
    s->qtest_path = g_build_filename(s->tmpdir, "qtest.sock", NULL);
    s->qmp_path = g_build_filename(s->tmpdir, "qmp.sock", NULL);
    s->stdout_path = g_build_filename(s->tmpdir, "stdout", NULL);
    s->stderr_path = g_build_filename(s->tmpdir, "stderr", NULL);
    s->qtest_fd = -1;
    s->qmp_fd = -1;
    s->qtest_buf = g_string_new(NULL);
    s->irq_levels = g_array_new(false, true, sizeof(gboolean));
    s->irq_raises = g_array_new(false, true, sizeof(guint));
    qtest_qmp_state_init(s);
    live_states = g_slist_prepend(live_states, s);
    return s;
}

static int qtest_open_output(const char *path)
{
    int fd =
        open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);

    if (fd < 0) {
        g_error("cannot create %s: %s", path, g_strerror(errno));
    }
    return fd;
}

static void qtest_spawn(QTestState *s, const char *cmdline)
{
    g_autoptr(GError) err = NULL;
    g_auto(GStrv) argv = NULL;
    int out_fd, err_fd;
    bool ok;

    if (!g_shell_parse_argv(cmdline, NULL, &argv, &err)) {
        g_error("cannot parse command line '%s': %s", cmdline, err->message);
    }
    out_fd = qtest_open_output(s->stdout_path);
    err_fd = qtest_open_output(s->stderr_path);
    ok = g_spawn_async_with_pipes_and_fds(
        NULL, (const char *const *)argv, NULL,
        G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH |
            G_SPAWN_STDIN_FROM_DEV_NULL,
        NULL, NULL, -1, out_fd, err_fd, NULL, NULL, 0, &s->pid, NULL, NULL,
        NULL, &err);
    close(out_fd);
    close(err_fd);
    if (!ok) {
        g_error("cannot start '%s': %s", argv[0], err->message);
    }
}

static int qtest_listen(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        g_error("socket path too long: %s", path);
    }
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        listen(fd, 1) < 0) {
        g_error("cannot listen on %s: %s", path, g_strerror(errno));
    }
    return fd;
}

/* Listens on both sockets and starts the emulator with the launch line. */
static QTestState *qtest_launch(const char *extra_args, int lfds[2])
{
    QTestState *s = qtest_state_new();
    const char *log = getenv("QTEST_LOG") ? "/dev/fd/2" : "/dev/null";
    g_autofree char *qtest_spec = g_strconcat("unix:", s->qtest_path, NULL);
    g_autofree char *qmp_spec =
        g_strconcat("socket,path=", s->qmp_path, ",id=char0", NULL);
    g_autofree char *q1 = g_shell_quote(qtest_spec);
    g_autofree char *q2 = g_shell_quote(qmp_spec);
    g_autofree char *cmdline = NULL;

    lfds[0] = qtest_listen(s->qtest_path);
    lfds[1] = qtest_listen(s->qmp_path);
    cmdline = g_strdup_printf(
        "%s -qtest %s -qtest-log %s -chardev %s"
        " -object monitor-qmp,id=qmp0,chardev=char0"
        " -display none -audio none -run-with exit-with-parent=on"
        " %s -accel qtest",
        qtest_binary(), q1, log, q2, extra_args ? extra_args : "");
    qtest_spawn(s, cmdline);
    return s;
}

/* Accepts whichever connection is ready; false if none within timeout. */
static bool qtest_accept_ready(QTestState *s, int lfds[2], int timeout_ms)
{
    struct pollfd pfd[2];
    int *targets[2];
    int n = 0;
    bool any = false;

    if (s->qtest_fd < 0) {
        pfd[n] = (struct pollfd){.fd = lfds[0], .events = POLLIN};
        targets[n++] = &s->qtest_fd;
    }
    if (s->qmp_fd < 0) {
        pfd[n] = (struct pollfd){.fd = lfds[1], .events = POLLIN};
        targets[n++] = &s->qmp_fd;
    }
    if (!n || poll(pfd, n, timeout_ms) <= 0) {
        return false;
    }
    for (int i = 0; i < n; i++) {
        if (pfd[i].revents & POLLIN) {
            *targets[i] = accept4(pfd[i].fd, NULL, NULL, SOCK_CLOEXEC);
            any |= *targets[i] >= 0;
        }
    }
    return any;
}

static void qtest_close_listeners(QTestState *s, int lfds[2])
{
    close(lfds[0]);
    close(lfds[1]);
    unlink(s->qtest_path);
    unlink(s->qmp_path);
}

static void qtest_accept_both(QTestState *s, int lfds[2])
{
    gint64 deadline = qtest_deadline();

    while (s->qtest_fd < 0 || s->qmp_fd < 0) {
        if (qtest_accept_ready(s, lfds, QTEST_POLL_MS)) {
            continue;
        }
        if (qtest_try_reap(s)) {
            qtest_fail(s, "the emulator exited before connecting");
        }
        if (g_get_monotonic_time() >= deadline) {
            qtest_fail(s, "the emulator did not connect in time");
        }
    }
    qtest_close_listeners(s, lfds);
}

static QTestState *qtest_init_internal(const char *extra_args, bool handshake)
{
    int lfds[2];
    QTestState *s = qtest_launch(extra_args, lfds);
    g_autofree char *reply = NULL;

    qtest_accept_both(s, lfds);
    qtest_qmp_connect(s, handshake);
    reply = qtest_raw_cmd(s, "endianness");
    if (strcmp(reply, "OK little") != 0 && strcmp(reply, "OK big") != 0) {
        qtest_fail(s, "unexpected reply to 'endianness': %s", reply);
    }
    return s;
}

QTestState *qtest_init(const char *extra_args)
{
    return qtest_init_internal(extra_args, true);
}

QTestState *qtest_init_without_qmp_handshake(const char *extra_args)
{
    return qtest_init_internal(extra_args, false);
}

QTestState *qtest_vinitf(const char *fmt, va_list ap)
{
    g_autofree char *args = g_strdup_vprintf(fmt, ap);

    return qtest_init(args);
}

QTestState *qtest_initf(const char *fmt, ...)
{
    va_list ap;
    QTestState *s;

    va_start(ap, fmt);
    s = qtest_vinitf(fmt, ap);
    va_end(ap);
    return s;
}

void qtest_set_expected_status(QTestState *s, int status)
{
    s->expected_status = status;
}

static void qtest_check_sanitizers(QTestState *s, const char *err)
{
    static const char *const markers[] = {
        "ERROR: AddressSanitizer",
        "ERROR: LeakSanitizer",
        "ERROR: UndefinedBehaviorSanitizer",
        "runtime error:",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(markers); i++) {
        if (strstr(err, markers[i])) {
            qtest_fail(s, "sanitizer report in the emulator's stderr");
        }
    }
}

static void qtest_check_status(QTestState *s)
{
    int st = s->wstatus;

    if (WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM && s->sent_sigterm) {
        return;
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != s->expected_status) {
        qtest_fail(s, "unexpected exit of the emulator (expected status %d)",
                   s->expected_status);
    }
}

void qtest_quit(QTestState *s)
{
    g_autofree char *err = NULL;

    if (s->qtest_fd >= 0) {
        close(s->qtest_fd);
        s->qtest_fd = -1;
    }
    if (s->qmp_fd >= 0) {
        close(s->qmp_fd);
        s->qmp_fd = -1;
    }
    if (!qtest_wait_exit(s, QTEST_GRACE_US)) {
        kill(s->pid, SIGTERM);
        s->sent_sigterm = true;
        if (!qtest_wait_exit(s, QTEST_TIMEOUT_US)) {
            qtest_fail(s, "the emulator did not exit after SIGTERM");
        }
    }
    qtest_check_status(s);
    err = qtest_get_stderr(s);
    qtest_check_sanitizers(s, err);
    if (getenv("QTEST_LOG")) {
        g_printerr("%s", err);
    }
    qtest_free(s);
}

/* Waits for an emulator expected to exit; it must not crash. */
static void qtest_finish_expected_exit(QTestState *s, int *exit_status,
                                       char **stderr_text)
{
    g_autofree char *err = NULL;

    if (!WIFEXITED(s->wstatus)) {
        qtest_fail(s, "the emulator crashed");
    }
    err = qtest_get_stderr(s);
    qtest_check_sanitizers(s, err);
    *exit_status = WEXITSTATUS(s->wstatus);
    if (stderr_text) {
        *stderr_text = g_steal_pointer(&err);
    }
}

/* Reads the qtest connection; true once a whole reply line is there. */
static bool qtest_poll_reply(QTestState *s, bool *eof)
{
    char buf[256];
    ssize_t n = read(s->qtest_fd, buf, sizeof(buf));

    if (n > 0) {
        g_string_append_len(s->qtest_buf, buf, n);
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        *eof = true;
    }
    return memchr(s->qtest_buf->str, '\n', s->qtest_buf->len) != NULL;
}

void qtest_init_expect_failure(const char *extra_args, int *exit_status,
                               char **stderr_text)
{
    int lfds[2];
    QTestState *s = qtest_launch(extra_args, lfds);
    gint64 deadline = qtest_deadline();
    bool asked = false, eof = false;

    /*
     * A successful start-up answers a request once the main loop runs;
     * a failing one exits, possibly after connecting.
     */
    while (!qtest_try_reap(s)) {
        struct pollfd pfd = {.fd = s->qtest_fd, .events = POLLIN};

        if (g_get_monotonic_time() >= deadline) {
            qtest_fail(s, "the emulator neither failed nor started in time");
        }
        if (s->qtest_fd < 0 || s->qmp_fd < 0) {
            qtest_accept_ready(s, lfds, QTEST_POLL_MS);
        }
        if (s->qtest_fd < 0 || eof) {
            g_usleep(QTEST_POLL_MS * 1000);
            continue;
        }
        if (!asked) {
            send(s->qtest_fd, "endianness\n", 11, MSG_NOSIGNAL);
            asked = true;
        }
        if (poll(&pfd, 1, QTEST_POLL_MS) > 0 && qtest_poll_reply(s, &eof)) {
            qtest_fail(s, "the emulator started although a failure was "
                          "expected");
        }
    }
    qtest_close_listeners(s, lfds);
    qtest_finish_expected_exit(s, exit_status, stderr_text);
    qtest_free(s);
}

void qtest_run_cmdline(const char *args, int *exit_status, char **stdout_text,
                       char **stderr_text)
{
    QTestState *s = qtest_state_new();
    g_autofree char *cmdline =
        g_strdup_printf("%s %s", qtest_binary(), args ? args : "");

    qtest_spawn(s, cmdline);
    if (!qtest_wait_exit(s, QTEST_TIMEOUT_US)) {
        qtest_fail(s, "'%s' did not exit in time", cmdline);
    }
    qtest_finish_expected_exit(s, exit_status, stderr_text);
    if (stdout_text) {
        *stdout_text = qtest_read_file(s->stdout_path);
    }
    qtest_free(s);
}

bool qtest_has_machine(const char *machine)
{
    static GPtrArray *names;

    if (!names) {
        g_autofree char *out = NULL;
        g_auto(GStrv) lines = NULL;
        int status;

        qtest_run_cmdline("-machine help", &status, &out, NULL);
        g_assert_cmpint(status, ==, 0);
        names = g_ptr_array_new_with_free_func(g_free);
        lines = g_strsplit(out, "\n", -1);
        /* The first line is a heading; then "NAME  description". */
        for (size_t i = 1; lines[0] && lines[i]; i++) {
            size_t len = strcspn(lines[i], " \t");

            if (len) {
                g_ptr_array_add(names, g_strndup(lines[i], len));
            }
        }
    }
    for (guint i = 0; i < names->len; i++) {
        if (strcmp(names->pdata[i], machine) == 0) {
            return true;
        }
    }
    return false;
}

/* Socket I/O */

static void qtest_lost_connection(QTestState *s, const char *what)
{
    qtest_wait_exit(s, QTEST_GRACE_US);
    qtest_fail(s, "the emulator closed the %s connection", what);
}

void qtest_send_all(QTestState *s, int fd, const char *what, const void *buf,
                    size_t len, const int *fds, size_t nfds)
{
    gint64 deadline = qtest_deadline();
    const char *p = buf;
    g_autofree char *cbuf = NULL;

    while (len) {
        struct iovec iov = {.iov_base = (void *)p, .iov_len = len};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
        gint64 left = deadline - g_get_monotonic_time();
        ssize_t n;

        if (left <= 0) {
            qtest_fail(s, "timed out sending to the %s connection", what);
        }
        if (poll(&pfd, 1, left / 1000 + 1) <= 0) {
            continue;
        }
        if (nfds) {
            struct cmsghdr *cmsg;

            g_free(cbuf);
            cbuf = g_malloc0(CMSG_SPACE(nfds * sizeof(int)));
            msg.msg_control = cbuf;
            msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
            cmsg = CMSG_FIRSTHDR(&msg);
            cmsg->cmsg_level = SOL_SOCKET;
            cmsg->cmsg_type = SCM_RIGHTS;
            cmsg->cmsg_len = CMSG_LEN(nfds * sizeof(int));
            memcpy(CMSG_DATA(cmsg), fds, nfds * sizeof(int));
        }
        n = sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                continue;
            }
            qtest_lost_connection(s, what);
        }
        nfds = 0;
        p += n;
        len -= n;
    }
}

void qtest_recv_some(QTestState *s, int fd, const char *what, GString *buf,
                     gint64 deadline)
{
    char tmp[64 * 1024];

    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        gint64 left = deadline - g_get_monotonic_time();
        ssize_t n;

        if (left <= 0) {
            qtest_fail(s, "timed out waiting for the %s connection", what);
        }
        if (poll(&pfd, 1, left / 1000 + 1) <= 0) {
            continue;
        }
        n = read(fd, tmp, sizeof(tmp));
        if (n > 0) {
            g_string_append_len(buf, tmp, n);
            return;
        }
        if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            qtest_lost_connection(s, what);
        }
    }
}
