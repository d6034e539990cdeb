/*
 * "socket" chardev: a unix stream socket, either connecting to PATH or
 * listening on it (one client at a time, re-accepting after a hang-up),
 * or an inherited fd (a listening socket or a connected one).
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"

#include <glib-unix.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

typedef struct SocketChardev {
    Chardev parent_obj;
    char *path;    /* NULL for an inherited fd */
    int listen_fd; /* -1 unless a server */
    guint accept_tag;
    bool unlink_path; /* we created the socket file */
} SocketChardev;

#define SOCKET_CHARDEV(obj)                                                    \
    OBJECT_CHECK(SocketChardev, (obj), TYPE_CHARDEV_SOCKET)

static const char *const socket_options[] = {
    "path", "fd", "server", "wait", "nowait", NULL,
};

static bool set_fd_flags(int fd, Error **errp)
{
    int fl = fcntl(fd, F_GETFL);

    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
        fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        error_setg_errno(errp, errno, "Cannot set flags on fd %d", fd);
        return false;
    }
    return true;
}

static bool unix_addr(const char *path, struct sockaddr_un *addr, Error **errp)
{
    memset(addr, 0, sizeof(*addr));
    addr->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(addr->sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long", path);
        return false;
    }
    strcpy(addr->sun_path, path);
    return true;
}

static int socket_accept(SocketChardev *s)
{
    int fd;

    do {
        fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    } while (fd < 0 && errno == EINTR);
    if (fd >= 0) {
        qemu_chr_attach_stream(&s->parent_obj, fd, fd, true, true);
    }
    return fd;
}

static gboolean socket_accept_ready(gint fd, GIOCondition cond, gpointer opaque)
{
    SocketChardev *s = opaque;

    /*
     * One client at a time: stop listening until it hangs up. The tag
     * is cleared first because the OPENED handler may already hang up
     * and re-arm.
     */
    s->accept_tag = 0;
    if (socket_accept(s) >= 0) {
        return G_SOURCE_REMOVE;
    }
    s->accept_tag = g_source_get_id(g_main_current_source());
    return G_SOURCE_CONTINUE;
}

static void socket_arm_accept(SocketChardev *s)
{
    if (s->listen_fd >= 0 && !s->accept_tag) {
        s->accept_tag =
            g_unix_fd_add(s->listen_fd, G_IO_IN, socket_accept_ready, s);
    }
}

static void socket_hangup(Chardev *chr)
{
    socket_arm_accept(SOCKET_CHARDEV(chr));
}

static const char *socket_describe(SocketChardev *s)
{
    return s->path ? s->path : "inherited fd";
}

static bool socket_wait_connected(Chardev *chr, Error **errp)
{
    SocketChardev *s = SOCKET_CHARDEV(chr);

    if (s->listen_fd < 0) {
        error_setg(errp, "Chardev '%s' is not connected", chr->label);
        return false;
    }
    info_report("QEMU waiting for connection on: disconnected:unix:%s,"
                "server=on",
                socket_describe(s));
    while (!qemu_chr_is_connected(chr)) {
        struct pollfd pfd = {.fd = s->listen_fd, .events = POLLIN};

        if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
            error_setg_errno(errp, errno, "Failed to wait for a connection");
            return false;
        }
        if (socket_accept(s) < 0 && errno != EAGAIN && errno != EINTR &&
            errno != ECONNABORTED) {
            error_setg_errno(errp, errno,
                             "Failed to accept a connection on "
                             "'%s'",
                             socket_describe(s));
            return false;
        }
    }
    if (s->accept_tag) {
        g_source_remove(s->accept_tag);
        s->accept_tag = 0;
    }
    return true;
}

static bool socket_listen(SocketChardev *s, const char *path, Error **errp)
{
    struct sockaddr_un addr;
    struct stat st;
    int fd;

    if (!unix_addr(path, &addr, errp)) {
        return false;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create a socket");
        return false;
    }
    /* A socket file left behind by an earlier run would block bind(). */
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        unlink(path);
    }
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        error_setg_errno(errp, errno, "Failed to bind socket to %s", path);
        close(fd);
        return false;
    }
    s->unlink_path = true;
    if (listen(fd, 1) < 0) {
        error_setg_errno(errp, errno, "Failed to listen on socket %s", path);
        close(fd);
        return false;
    }
    s->listen_fd = fd;
    socket_arm_accept(s);
    return true;
}

static bool socket_connect(SocketChardev *s, const char *path, Error **errp)
{
    struct sockaddr_un addr;
    int fd, ret;

    if (!unix_addr(path, &addr, errp)) {
        return false;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create a socket");
        return false;
    }
    do {
        ret = connect(fd, (struct sockaddr *)&addr, sizeof(addr));
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        error_setg_errno(errp, errno, "Failed to connect to '%s'", path);
        close(fd);
        return false;
    }
    if (!set_fd_flags(fd, errp)) {
        close(fd);
        return false;
    }
    qemu_chr_attach_stream(&s->parent_obj, fd, fd, true, true);
    return true;
}

static int parse_fd(const char *str, Error **errp)
{
    guint64 v;

    if (!g_ascii_isdigit(str[0]) ||
        !g_ascii_string_to_unsigned(str, 10, 0, INT_MAX, &v, NULL)) {
        error_setg(errp, "chardev: socket: invalid fd '%s'", str);
        return -1;
    }
    return v;
}

/* libvirt hands over a listening socket; a connected one works too. */
static bool socket_adopt_fd(SocketChardev *s, const char *str, bool *listening,
                            Error **errp)
{
    int fd = parse_fd(str, errp);
    int type, acceptconn;
    socklen_t len = sizeof(type);

    if (fd < 0) {
        return false;
    }
    if (fcntl(fd, F_GETFD) < 0) {
        error_setg_errno(errp, errno, "chardev: socket: fd %d", fd);
        return false;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
        error_setg(errp, "chardev: socket: fd %d is not a socket", fd);
        return false;
    }
    if (type != SOCK_STREAM) {
        error_setg(errp, "chardev: socket: fd %d is not a stream socket", fd);
        return false;
    }
    len = sizeof(acceptconn);
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acceptconn, &len) < 0) {
        error_setg_errno(errp, errno, "chardev: socket: fd %d", fd);
        return false;
    }
    if (!set_fd_flags(fd, errp)) {
        return false;
    }
    *listening = acceptconn;
    if (acceptconn) {
        s->listen_fd = fd;
        socket_arm_accept(s);
    } else {
        qemu_chr_attach_stream(&s->parent_obj, fd, fd, true, true);
    }
    return true;
}

static bool socket_open(Chardev *chr, JsonObject *opts, Error **errp)
{
    SocketChardev *s = SOCKET_CHARDEV(chr);
    const char *path = qemu_chr_opt_str(opts, "path");
    const char *fd = qemu_chr_opt_str(opts, "fd");
    bool server = false, wait = true, nowait = false, listening;

    if (!qemu_chr_opt_bool(opts, "server", &server, errp) ||
        !qemu_chr_opt_bool(opts, "wait", &wait, errp) ||
        !qemu_chr_opt_bool(opts, "nowait", &nowait, errp)) {
        return false;
    }
    wait = wait && !nowait;
    if (path && fd) {
        error_setg(errp, "chardev: socket: 'path' and 'fd' are mutually "
                         "exclusive");
        return false;
    }
    if (!path && !fd) {
        error_setg(errp, "chardev: socket: 'path' or 'fd' is required");
        return false;
    }
    if (!server && (json_object_has_member(opts, "wait") ||
                    json_object_has_member(opts, "nowait"))) {
        error_setg(errp, "'wait' option is incompatible with socket in "
                         "client connect mode");
        return false;
    }

    if (fd) {
        if (!socket_adopt_fd(s, fd, &listening, errp)) {
            return false;
        }
    } else if (server) {
        s->path = g_strdup(path);
        if (!socket_listen(s, path, errp)) {
            return false;
        }
        listening = true;
    } else {
        s->path = g_strdup(path);
        return socket_connect(s, path, errp);
    }
    return !(listening && server && wait) || socket_wait_connected(chr, errp);
}

static void socket_init(Object *obj)
{
    SOCKET_CHARDEV(obj)->listen_fd = -1;
}

static void socket_finalize(Object *obj)
{
    SocketChardev *s = SOCKET_CHARDEV(obj);

    if (s->accept_tag) {
        g_source_remove(s->accept_tag);
    }
    if (s->listen_fd >= 0) {
        close(s->listen_fd);
    }
    if (s->unlink_path) {
        unlink(s->path);
    }
    g_free(s->path);
}

static void socket_class_init(ObjectClass *oc, const void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->backend = "socket";
    cc->options = socket_options;
    cc->open = socket_open;
    cc->hangup = socket_hangup;
    cc->wait_connected = socket_wait_connected;
}

static const TypeInfo socket_types[] = {
    {
        .name = TYPE_CHARDEV_SOCKET,
        .parent = TYPE_CHARDEV,
        .instance_size = sizeof(SocketChardev),
        .instance_init = socket_init,
        .instance_finalize = socket_finalize,
        .class_init = socket_class_init,
    },
};

DEFINE_TYPES(socket_types)
