/*
 * fd sets: numbered groups of fds passed with add-fd (or -add-fd) that
 * users open as "/dev/fdset/N".
 */
#include "qemu/osdep.h"
#include "monitor-internal.h"
#include "qmp-json.h"

#define FDSET_PREFIX "/dev/fdset/"

typedef struct FdsetFd {
    int fd;
    char *opaque;
} FdsetFd;

typedef struct Fdset {
    int64_t id;
    GPtrArray *fds; /* FdsetFd*, in the order they were added */
} Fdset;

/* Sorted by id. */
static GSList *fdsets;

static void fdset_fd_free(gpointer p)
{
    FdsetFd *f = p;

    close(f->fd);
    g_free(f->opaque);
    g_free(f);
}

static Fdset *fdset_find(int64_t id)
{
    for (GSList *l = fdsets; l; l = l->next) {
        Fdset *set = l->data;

        if (set->id == id) {
            return set;
        }
    }
    return NULL;
}

static gint fdset_cmp(gconstpointer a, gconstpointer b)
{
    const Fdset *x = a, *y = b;

    return x->id < y->id ? -1 : x->id > y->id;
}

/* The lowest id no set uses. */
static int64_t fdset_free_id(void)
{
    int64_t id = 0;

    for (GSList *l = fdsets; l && ((Fdset *)l->data)->id == id; l = l->next) {
        id++;
    }
    return id;
}

static void fdset_add(int fd, int64_t id, const char *opaque)
{
    Fdset *set = fdset_find(id);
    FdsetFd *f = g_new0(FdsetFd, 1);

    if (!set) {
        set = g_new0(Fdset, 1);
        set->id = id;
        set->fds = g_ptr_array_new_with_free_func(fdset_fd_free);
        fdsets = g_slist_insert_sorted(fdsets, set, fdset_cmp);
    }
    f->fd = fd;
    f->opaque = g_strdup(opaque);
    g_ptr_array_add(set->fds, f);
}

static void fdset_drop_if_empty(Fdset *set)
{
    if (!set->fds->len) {
        fdsets = g_slist_remove(fdsets, set);
        g_ptr_array_unref(set->fds);
        g_free(set);
    }
}

static bool check_fdset_id(int64_t id, Error **errp)
{
    if (id < 0) {
        error_setg(errp, "Parameter 'fdset-id' expects a non-negative value");
        return false;
    }
    return true;
}

bool monitor_fdset_add_fd(int fd, int64_t fdset_id, const char *opaque,
                          Error **errp)
{
    if (!check_fdset_id(fdset_id, errp)) {
        return false;
    }
    fdset_add(fd, fdset_id, opaque);
    return true;
}

int monitor_fdset_open(const char *path, int flags, Error **errp)
{
    guint64 id;
    Fdset *set;

    if (!g_str_has_prefix(path, FDSET_PREFIX) ||
        !g_ascii_string_to_unsigned(path + strlen(FDSET_PREFIX), 10, 0,
                                    INT64_MAX, &id, NULL)) {
        error_setg(errp, "'%s' is not a valid fd set path", path);
        return -1;
    }
    set = fdset_find(id);
    if (!set) {
        error_setg_errno(errp, ENOENT, "Could not open '%s'", path);
        return -1;
    }
    for (guint i = 0; i < set->fds->len; i++) {
        FdsetFd *f = g_ptr_array_index(set->fds, i);
        int fl = fcntl(f->fd, F_GETFL);
        int dup;

        if (fl < 0 || (fl & O_ACCMODE) != (flags & O_ACCMODE)) {
            continue;
        }
        dup = fcntl(f->fd, F_DUPFD_CLOEXEC, 0);
        if (dup < 0) {
            error_setg_errno(errp, errno, "Could not open '%s'", path);
        }
        return dup;
    }
    error_setg_errno(errp, EACCES, "Could not open '%s'", path);
    return -1;
}

static bool qmp_add_fd(Monitor *mon, JsonObject *args, JsonNode **ret,
                       Error **errp)
{
    static const char *const allowed[] = {"fdset-id", "opaque", NULL};
    bool has_id = json_object_has_member(args, "fdset-id");
    const char *opaque = NULL;
    JsonObject *info;
    int64_t id = 0;
    int fd;

    if (!qmp_arg_int(args, "fdset-id", false, &id, errp)) {
        return false;
    }
    if (json_object_has_member(args, "opaque") &&
        !(opaque = qmp_arg_str(args, "opaque", true, errp))) {
        return false;
    }
    if (!qmp_args_check(args, allowed, errp) ||
        (has_id && !check_fdset_id(id, errp))) {
        return false;
    }
    if (qemu_chr_fe_get_msgfds(&mon->chr, &fd, 1) != 1) {
        error_setg(errp, "No file descriptor supplied via SCM_RIGHTS");
        return false;
    }
    if (!has_id) {
        id = fdset_free_id();
    }
    fdset_add(fd, id, opaque);
    info = json_object_new();
    json_object_set_int_member(info, "fdset-id", id);
    json_object_set_int_member(info, "fd", fd);
    *ret = qmp_node_take_object(info);
    return true;
}

static bool remove_one(Fdset *set, int64_t fd)
{
    for (guint i = 0; set && i < set->fds->len; i++) {
        if (((FdsetFd *)g_ptr_array_index(set->fds, i))->fd == fd) {
            g_ptr_array_remove_index(set->fds, i);
            return true;
        }
    }
    return false;
}

static bool qmp_remove_fd(Monitor *mon, JsonObject *args, JsonNode **ret,
                          Error **errp)
{
    static const char *const allowed[] = {"fdset-id", "fd", NULL};
    bool has_fd = json_object_has_member(args, "fd");
    int64_t id, fd = -1;
    Fdset *set;

    if (!qmp_arg_int(args, "fdset-id", true, &id, errp) ||
        !qmp_arg_int(args, "fd", false, &fd, errp) ||
        !qmp_args_check(args, allowed, errp)) {
        return false;
    }
    set = fdset_find(id);
    if (has_fd) {
        if (!remove_one(set, fd)) {
            error_setg(errp,
                       "File descriptor named 'fdset-id:%" PRId64
                       ", fd:%" PRId64 "' not found",
                       id, fd);
            return false;
        }
    } else if (set) {
        g_ptr_array_set_size(set->fds, 0);
    } else {
        error_setg(
            errp, "File descriptor named 'fdset-id:%" PRId64 "' not found", id);
        return false;
    }
    fdset_drop_if_empty(set);
    return true;
}

static bool qmp_query_fdsets(Monitor *mon, JsonObject *args, JsonNode **ret,
                             Error **errp)
{
    static const char *const allowed[] = {NULL};
    JsonArray *list;

    if (!qmp_args_check(args, allowed, errp)) {
        return false;
    }
    list = json_array_new();
    for (GSList *l = fdsets; l; l = l->next) {
        Fdset *set = l->data;
        JsonObject *info = json_object_new();
        JsonArray *fds = json_array_new();

        for (guint i = 0; i < set->fds->len; i++) {
            FdsetFd *f = g_ptr_array_index(set->fds, i);
            JsonObject *fdinfo = json_object_new();

            json_object_set_int_member(fdinfo, "fd", f->fd);
            if (f->opaque) {
                json_object_set_string_member(fdinfo, "opaque", f->opaque);
            }
            json_array_add_object_element(fds, fdinfo);
        }
        json_object_set_int_member(info, "fdset-id", set->id);
        json_object_set_array_member(info, "fds", fds);
        json_array_add_object_element(list, info);
    }
    *ret = qmp_node_take_array(list);
    return true;
}

void qmp_register_fdset_commands(void)
{
    qmp_register_command("add-fd", qmp_add_fd, QCO_ALLOW_PRECONFIG);
    qmp_register_command("remove-fd", qmp_remove_fd, QCO_ALLOW_PRECONFIG);
    qmp_register_command("query-fdsets", qmp_query_fdsets, QCO_ALLOW_PRECONFIG);
}
