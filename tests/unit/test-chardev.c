/*
 * Socket and legacy chardevs (creation errors, server re-accept,
 * inherited fds, SCM_RIGHTS) and a QMP monitor on top of one (greeting,
 * pretty output, events only after negotiation).
 */
#include "qemu/osdep.h"
#include "chardev/char.h"
#include "monitor/qmp.h"

#include <sys/socket.h>
#include <sys/un.h>

typedef struct Frontend {
    CharBackend be;
    int opened;
    int closed;
    GString *data;
    int taken_fd; /* fd taken in the read handler, -1 if none */
    bool take_fds;
} Frontend;

static void fe_read(void *opaque, const uint8_t *buf, int size)
{
    Frontend *fe = opaque;

    g_string_append_len(fe->data, (const char *)buf, size);
    if (fe->take_fds) {
        int fd;

        if (qemu_chr_fe_get_msgfds(&fe->be, &fd, 1) == 1) {
            fe->taken_fd = fd;
        }
    }
}

static void fe_event(void *opaque, QEMUChrEvent event)
{
    Frontend *fe = opaque;

    if (event == CHR_EVENT_OPENED) {
        fe->opened++;
    } else {
        fe->closed++;
    }
}

static void fe_attach(Frontend *fe, Chardev *chr)
{
    memset(fe, 0, sizeof(*fe));
    fe->data = g_string_new(NULL);
    fe->taken_fd = -1;
    g_assert_true(qemu_chr_fe_init(&fe->be, chr, &error_abort));
    qemu_chr_fe_set_handlers(&fe->be, NULL, fe_read, fe_event, fe);
}

static void fe_detach(Frontend *fe)
{
    qemu_chr_fe_deinit(&fe->be, true);
    g_string_free(fe->data, TRUE);
}

static void spin_until(bool (*cond)(void *), void *opaque)
{
    for (int i = 0; i < 10000 && !cond(opaque); i++) {
        g_main_context_iteration(NULL, FALSE);
        g_usleep(100);
    }
    g_assert_true(cond(opaque));
}

static int wanted;
static bool opened_reaches(void *fe)
{
    return ((Frontend *)fe)->opened == wanted;
}

static bool closed_reaches(void *fe)
{
    return ((Frontend *)fe)->closed == wanted;
}

static bool data_reaches(void *fe)
{
    return ((Frontend *)fe)->data->len >= (size_t)wanted;
}

static Chardev *chardev_from(const char *params, Error **errp)
{
    g_autoptr(Keyval) kv =
        keyval_parse(params, "backend", true, NULL, &error_abort);

    return qemu_chr_new_from_opts(kv, errp);
}

static void expect_chardev_error(const char *params, const char *msg)
{
    Error *err = NULL;

    g_assert_null(chardev_from(params, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

static char *tmp_socket_path(void)
{
    g_autofree char *dir = g_dir_make_tmp("chardev-XXXXXX", NULL);

    g_assert_nonnull(dir);
    return g_build_filename(dir, "sock", NULL);
}

static void remove_socket_dir(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);

    unlink(path);
    rmdir(dir);
}

static int connect_to(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    return fd;
}

static void send_with_fd(int sock, const char *text, int fd)
{
    char control[CMSG_SPACE(sizeof(int))] = {0};
    struct iovec iov = {.iov_base = (void *)text, .iov_len = strlen(text)};
    struct msghdr msg = {
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = control,
        .msg_controllen = sizeof(control),
    };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    g_assert_cmpint(sendmsg(sock, &msg, 0), ==, (ssize_t)iov.iov_len);
}

/* Reads exactly len bytes (blocking). */
static char *read_exactly(int fd, size_t len)
{
    char *buf = g_malloc0(len + 1);
    size_t done = 0;

    while (done < len) {
        ssize_t n = read(fd, buf + done, len - done);

        g_assert_cmpint(n, >, 0);
        done += n;
    }
    return buf;
}

static void test_creation_errors(void)
{
    g_autofree char *connect_msg = g_strdup_printf(
        "Failed to connect to '/nonexistent/sock': %s", g_strerror(ENOENT));
    int pipefd[2];
    g_autofree char *pipe_params = NULL;
    g_autofree char *pipe_msg = NULL;
    Error *err = NULL;

    expect_chardev_error("foo,id=c", "'foo' is not a valid char driver name");
    expect_chardev_error("socket,path=/tmp/x",
                         "chardev: \"socket\" requires an id");
    expect_chardev_error("socket,id=c,path=/tmp/x,bogus=1",
                         "Invalid parameter 'bogus'");
    expect_chardev_error("socket,id=c",
                         "chardev: socket: 'path' or 'fd' is required");
    expect_chardev_error("socket,id=c,path=/tmp/x,fd=3",
                         "chardev: socket: 'path' and 'fd' are mutually "
                         "exclusive");
    expect_chardev_error("socket,id=c,path=/tmp/x,wait=off",
                         "'wait' option is incompatible with socket in "
                         "client connect mode");
    expect_chardev_error("socket,id=c,path=/tmp/x,server=maybe",
                         "Parameter 'server' expects 'on' or 'off'");
    expect_chardev_error("socket,id=c,path=/nonexistent/sock", connect_msg);
    expect_chardev_error("socket,id=c,fd=abc",
                         "chardev: socket: invalid fd 'abc'");
    expect_chardev_error("stdio,id=c,path=/x", "Invalid parameter 'path'");

    g_assert_cmpint(pipe(pipefd), ==, 0);
    pipe_params = g_strdup_printf("socket,id=c,fd=%d", pipefd[0]);
    pipe_msg =
        g_strdup_printf("chardev: socket: fd %d is not a socket", pipefd[0]);
    expect_chardev_error(pipe_params, pipe_msg);
    close(pipefd[0]);
    close(pipefd[1]);

    g_assert_null(qemu_chr_new("c", "tcp:localhost:1", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "'tcp:localhost:1' is not a valid char device "
                    "specification");
    error_free(err);
    g_assert_null(qemu_chr_find("c"));
}

static void test_server_reaccept(void)
{
    g_autofree char *path = tmp_socket_path();
    g_autofree char *params =
        g_strdup_printf("socket,id=srv,path=%s,server=on,wait=off", path);
    g_autofree char *got = NULL;
    Chardev *chr = chardev_from(params, &error_abort);
    Frontend fe;
    int client, r[2];

    g_assert_true(qemu_chr_find("srv") == chr);
    g_assert_cmpstr(qemu_chr_get_id(chr), ==, "srv");
    expect_chardev_error(params, "Chardev 'srv' already exists");
    fe_attach(&fe, chr);
    g_assert_cmpint(fe.opened, ==, 0);

    /* first client: data plus an fd, and our reply */
    client = connect_to(path);
    wanted = 1;
    spin_until(opened_reaches, &fe);
    g_assert_cmpint(pipe(r), ==, 0);
    fe.take_fds = true;
    send_with_fd(client, "hello", r[1]);
    close(r[1]);
    wanted = 5;
    spin_until(data_reaches, &fe);
    g_assert_cmpstr(fe.data->str, ==, "hello");
    g_assert_cmpint(fe.taken_fd, >=, 0);
    g_assert_cmpint(fcntl(fe.taken_fd, F_GETFD) & FD_CLOEXEC, !=, 0);
    g_assert_cmpint(write(fe.taken_fd, "x", 1), ==, 1);
    got = read_exactly(r[0], 1);
    g_assert_cmpstr(got, ==, "x");
    close(fe.taken_fd);
    g_assert_cmpint(qemu_chr_fe_write_all(&fe.be, (const uint8_t *)"bye", 3),
                    ==, 3);
    g_free(got);
    got = read_exactly(client, 3);
    g_assert_cmpstr(got, ==, "bye");

    /* an fd the frontend leaves behind is closed at the next read */
    fe.take_fds = false;
    send_with_fd(client, "a", r[0]);
    wanted = 6;
    spin_until(data_reaches, &fe);
    fe.take_fds = true;
    fe.taken_fd = -1;
    g_assert_cmpint(write(client, "b", 1), ==, 1);
    wanted = 7;
    spin_until(data_reaches, &fe);
    g_assert_cmpint(fe.taken_fd, ==, -1);
    close(r[0]);

    close(client);
    wanted = 1;
    spin_until(closed_reaches, &fe);
    g_assert_cmpint(qemu_chr_fe_write_all(&fe.be, (const uint8_t *)"z", 1), ==,
                    -1);

    /* the server takes the next client */
    client = connect_to(path);
    wanted = 2;
    spin_until(opened_reaches, &fe);
    qemu_chr_fe_disconnect(&fe.be);
    g_assert_cmpint(fe.closed, ==, 2);
    g_free(got);
    got = g_malloc0(4);
    g_assert_cmpint(read(client, got, 4), ==, 0); /* EOF */
    close(client);

    fe_detach(&fe);
    g_assert_null(qemu_chr_find("srv"));
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    remove_socket_dir(path);
}

static void test_inherited_fds(void)
{
    g_autofree char *path = tmp_socket_path();
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    g_autofree char *params = NULL;
    Frontend fe;
    Chardev *chr;
    int sv[2], lfd, client;

    /* a connected socket is open as soon as the frontend attaches */
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    params = g_strdup_printf("socket,id=conn,fd=%d,server=on,wait=off", sv[0]);
    chr = chardev_from(params, &error_abort);
    fe_attach(&fe, chr);
    g_assert_cmpint(fe.opened, ==, 1);
    close(sv[1]);
    wanted = 1;
    spin_until(closed_reaches, &fe);
    fe_detach(&fe);

    /* a listening socket (libvirt's form) accepts clients */
    lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    g_assert_cmpint(bind(lfd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(lfd, 1), ==, 0);
    g_free(params);
    params = g_strdup_printf("socket,id=lst,fd=%d,server=on,wait=off", lfd);
    chr = chardev_from(params, &error_abort);
    g_assert_cmpint(fcntl(lfd, F_GETFD) & FD_CLOEXEC, !=, 0);
    fe_attach(&fe, chr);
    client = connect_to(path);
    wanted = 1;
    spin_until(opened_reaches, &fe);
    close(client);
    spin_until(closed_reaches, &fe);
    fe_detach(&fe);
    /* the chardev owned the fd */
    g_assert_cmpint(fcntl(lfd, F_GETFD), ==, -1);
    remove_socket_dir(path);
}

static void test_legacy_client(void)
{
    g_autofree char *path = tmp_socket_path();
    g_autofree char *spec = g_strdup_printf("unix:%s", path);
    g_autofree char *server_spec =
        g_strdup_printf("unix:%s,server,nowait", path);
    Chardev *server = qemu_chr_new("legacy-srv", server_spec, &error_abort);
    Chardev *client = qemu_chr_new("legacy-cli", spec, &error_abort);
    Frontend fs, fc;

    fe_attach(&fc, client);
    g_assert_cmpint(fc.opened, ==, 1);
    fe_attach(&fs, server);
    wanted = 1;
    spin_until(opened_reaches, &fs);
    g_assert_cmpint(qemu_chr_fe_write_all(&fc.be, (const uint8_t *)"ping", 4),
                    ==, 4);
    wanted = 4;
    spin_until(data_reaches, &fs);
    g_assert_cmpstr(fs.data->str, ==, "ping");
    fe_detach(&fc);
    wanted = 1;
    spin_until(closed_reaches, &fs);
    fe_detach(&fs);
    remove_socket_dir(path);
}

/* Reads one CR LF terminated message (pretty ones span lines). */
static char *read_message(int fd, bool pretty)
{
    GString *s = g_string_new(NULL);
    char c;

    while (read(fd, &c, 1) == 1) {
        g_string_append_c(s, c);
        if (g_str_has_suffix(s->str, pretty ? "\n}\r\n" : "\r\n")) {
            break;
        }
    }
    return g_string_free(s, FALSE);
}

static void pump(int fd, const char *text)
{
    g_assert_cmpint(write(fd, text, strlen(text)), ==, (ssize_t)strlen(text));
    for (int i = 0; i < 100; i++) {
        g_main_context_iteration(NULL, FALSE);
    }
}

static void test_monitor_pretty(void)
{
    g_autofree char *params = NULL;
    g_autofree char *msg = NULL;
    Monitor *mon;
    Chardev *chr;
    int sv[2];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    params = g_strdup_printf("socket,id=mon,fd=%d", sv[0]);
    chr = chardev_from(params, &error_abort);
    mon = monitor_new_qmp(chr, true, &error_abort);

    msg = read_message(sv[1], true);
    g_assert_true(g_str_has_prefix(msg, "{\r\n    \"QMP\": {\r\n"
                                        "        \"version\": {\r\n"));
    g_assert_true(g_str_has_suffix(msg, "        \"capabilities\": [\r\n"
                                        "            \"oob\"\r\n"
                                        "        ]\r\n    }\r\n}\r\n"));

    /* events go only to negotiated monitors */
    qapi_event_send("TEST_EARLY", NULL);
    pump(sv[1], "{\"execute\": \"qmp_capabilities\", \"id\": \"x\"}");
    g_free(msg);
    msg = read_message(sv[1], true);
    g_assert_cmpstr(msg, ==,
                    "{\r\n    \"return\": {\r\n    },\r\n"
                    "    \"id\": \"x\"\r\n}\r\n");

    {
        JsonObject *data = json_object_new();

        json_object_set_string_member(data, "s", "\xc3\xa9\"\n");
        qapi_event_send("TEST_EVENT", data);
    }
    g_free(msg);
    msg = read_message(sv[1], true);
    g_assert_true(g_str_has_prefix(msg, "{\r\n    \"timestamp\": {\r\n"
                                        "        \"seconds\": "));
    g_assert_nonnull(strstr(msg, "},\r\n    \"event\": \"TEST_EVENT\",\r\n"
                                 "    \"data\": {\r\n"
                                 "        \"s\": \"\\u00E9\\\"\\n\"\r\n"
                                 "    }\r\n}\r\n"));

    monitor_destroy(mon);
    object_unparent(OBJECT(chr));
    close(sv[1]);
}

static void test_fd_lookup(void)
{
    g_autofree char *params = NULL;
    g_autofree char *msg = NULL;
    Error *err = NULL;
    Monitor *mon;
    Chardev *chr;
    int sv[2], p[2], fd;

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    params = g_strdup_printf("socket,id=fdmon,fd=%d", sv[0]);
    chr = chardev_from(params, &error_abort);
    mon = monitor_new_qmp(chr, false, &error_abort);
    g_free(read_message(sv[1], false));
    pump(sv[1], "{\"execute\": \"qmp_capabilities\"}");
    g_free(read_message(sv[1], false));

    g_assert_cmpint(pipe(p), ==, 0);
    send_with_fd(sv[1],
                 "{\"execute\": \"getfd\", "
                 "\"arguments\": {\"fdname\": \"dev\"}}",
                 p[0]);
    close(p[0]);
    pump(sv[1], "");
    msg = read_message(sv[1], false);
    g_assert_cmpstr(msg, ==, "{\"return\": {}}\r\n");

    /* numbers are fds themselves; names are taken from the monitor */
    g_assert_cmpint(monitor_fd_param(mon, "42", &error_abort), ==, 42);
    g_assert_cmpint(monitor_fd_param(NULL, "4x", &err), ==, -1);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Invalid file descriptor number '4x'");
    error_free(err);
    err = NULL;
    fd = monitor_fd_param(NULL, "dev", &error_abort);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(p[1], "k", 1), ==, 1);
    g_free(msg);
    msg = read_exactly(fd, 1);
    g_assert_cmpstr(msg, ==, "k");
    close(fd);
    g_assert_cmpint(monitor_get_fd_by_name("dev", &err), ==, -1);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "File descriptor named 'dev' has not been found");
    error_free(err);
    err = NULL;

    /* fd sets open by access mode */
    g_assert_true(monitor_fdset_add_fd(p[1], 7, "w", &error_abort));
    g_assert_false(monitor_fdset_add_fd(p[1], -1, NULL, &err));
    error_free(err);
    err = NULL;
    fd = monitor_fdset_open("/dev/fdset/7", O_WRONLY, &error_abort);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(fd, !=, p[1]);
    close(fd);
    g_assert_cmpint(monitor_fdset_open("/dev/fdset/7", O_RDONLY, &err), ==, -1);
    error_free(err);
    err = NULL;
    g_assert_cmpint(monitor_fdset_open("/dev/fdset/8", O_WRONLY, &err), ==, -1);
    error_free(err);
    err = NULL;
    g_assert_cmpint(monitor_fdset_open("/dev/fdset/x", O_WRONLY, &err), ==, -1);
    error_free(err);

    monitor_destroy(mon);
    object_unparent(OBJECT(chr));
    close(sv[1]);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/chardev/creation-errors", test_creation_errors);
    g_test_add_func("/chardev/server-reaccept", test_server_reaccept);
    g_test_add_func("/chardev/inherited-fds", test_inherited_fds);
    g_test_add_func("/chardev/legacy-client", test_legacy_client);
    g_test_add_func("/chardev/monitor-pretty", test_monitor_pretty);
    g_test_add_func("/chardev/fd-lookup", test_fd_lookup);
    return g_test_run();
}
