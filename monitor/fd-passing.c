/*
 * Named fds passed over a QMP connection: getfd, closefd, and the
 * lookups "fd" properties use.
 */
#include "qemu/osdep.h"
#include "monitor-internal.h"

static void close_fd(gpointer fd)
{
    close(GPOINTER_TO_INT(fd));
}

void monitor_fds_init(Monitor *mon)
{
    mon->fds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, close_fd);
}

void monitor_fds_cleanup(Monitor *mon)
{
    g_hash_table_destroy(mon->fds);
}

/* Removes the named fd from mon and hands it over; -1 if absent. */
static int monitor_take_fd(Monitor *mon, const char *name)
{
    gpointer key, fd;

    if (!g_hash_table_steal_extended(mon->fds, name, &key, &fd)) {
        return -1;
    }
    g_free(key);
    return GPOINTER_TO_INT(fd);
}

static void fd_not_found(const char *name, Error **errp)
{
    error_setg(errp, "File descriptor named '%s' has not been found", name);
}

int monitor_get_fd_by_name(const char *fdname, Error **errp)
{
    Monitor *cur = monitor_cur();
    int fd = cur ? monitor_take_fd(cur, fdname) : -1;

    for (GList *l = monitor_list(); l && fd < 0; l = l->next) {
        fd = monitor_take_fd(l->data, fdname);
    }
    if (fd < 0) {
        fd_not_found(fdname, errp);
    }
    return fd;
}

/* A decimal number is the fd itself; anything else is a getfd name. */
int monitor_fd_param(Monitor *mon, const char *fdname, Error **errp)
{
    guint64 num;
    int fd;

    if (g_ascii_isdigit(fdname[0])) {
        if (!g_ascii_string_to_unsigned(fdname, 10, 0, INT_MAX, &num, NULL)) {
            error_setg(errp, "Invalid file descriptor number '%s'", fdname);
            return -1;
        }
        fd = num;
        /*
         * During a QMP command a number can only name an fd inherited
         * from the parent and not taken yet: it crossed exec, so it is
         * not close-on-exec. The emulator's own fds (its sockets, logs,
         * host files) all are, and a taken fd is marked so below; taking
         * one of those would close it under its owner.
         */
        if (monitor_cur() &&
            (fd <= STDERR_FILENO || fcntl(fd, F_GETFD) != 0)) {
            error_setg(errp, "File descriptor %d is not an fd the emulator "
                       "inherited", fd);
            return -1;
        }
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        return fd;
    }
    if (!mon) {
        return monitor_get_fd_by_name(fdname, errp);
    }
    fd = monitor_take_fd(mon, fdname);
    if (fd < 0) {
        fd_not_found(fdname, errp);
    }
    return fd;
}

static bool qmp_getfd(Monitor *mon, JsonObject *args, JsonNode **ret,
                      Error **errp)
{
    static const char *const allowed[] = {"fdname", NULL};
    const char *name = qmp_arg_str(args, "fdname", true, errp);
    int fd;

    if (!name || !qmp_args_check(args, allowed, errp)) {
        return false;
    }
    if (qemu_chr_fe_get_msgfds(&mon->chr, &fd, 1) != 1) {
        error_setg(errp, "No file descriptor supplied via SCM_RIGHTS");
        return false;
    }
    /* names must not look like the fd numbers monitor_fd_param takes */
    if (g_ascii_isdigit(name[0])) {
        close(fd);
        error_setg(errp, "Parameter 'fdname' expects a name not starting "
                         "with a digit");
        return false;
    }
    /* an fd already under that name is closed */
    g_hash_table_replace(mon->fds, g_strdup(name), GINT_TO_POINTER(fd));
    return true;
}

static bool qmp_closefd(Monitor *mon, JsonObject *args, JsonNode **ret,
                        Error **errp)
{
    static const char *const allowed[] = {"fdname", NULL};
    const char *name = qmp_arg_str(args, "fdname", true, errp);
    int fd;

    if (!name || !qmp_args_check(args, allowed, errp)) {
        return false;
    }
    fd = monitor_take_fd(mon, name);
    if (fd < 0) {
        error_setg(errp, "File descriptor named '%s' not found", name);
        return false;
    }
    close(fd);
    return true;
}

void qmp_register_fd_commands(void)
{
    qmp_register_command("getfd", qmp_getfd, QCO_ALLOW_PRECONFIG);
    qmp_register_command("closefd", qmp_closefd, QCO_ALLOW_PRECONFIG);
}
