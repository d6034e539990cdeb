/*
 * The model host: its HostOps table, the fd table, object accounting and
 * fault injection. Object semantics live in host-model-iommufd.c and
 * host-model-vfio.c; the description loader in host-model-desc.c.
 *
 * Every model fd is a real memfd named "host-model:<path>". The fd table
 * maps fd → open file; an entry is trusted only while the fd still refers
 * to the same inode, so an fd closed behind the model's back and reused
 * is noticed. An unknown fd whose inode belongs to a known file (dup'ed
 * or passed over SCM_RIGHTS) joins that file; one whose /proc link names
 * a host-model memfd is adopted as a fresh open of that path.
 */
#include "qemu/osdep.h"
#include "host-model-int.h"
#include <sys/mman.h>
#include <linux/vfio.h>

#define MEMFD_PREFIX "host-model:"

typedef struct FailRule {
    bool any;
    unsigned long request;
    unsigned remaining;
    int err;
} FailRule;

static struct {
    GRecMutex lock;
    HostModelDesc *desc;
    GPtrArray *devs;          /* ModelDev, one per described device */
    GHashTable *fds;          /* fd -> ModelFile */
    GPtrArray *files;         /* every live ModelFile */
    GArray *fails;            /* FailRule */
    GHashTable *ioctl_counts; /* request -> calls (test introspection) */
    unsigned live;
} model;

void model_live_inc(void)
{
    model.live++;
}

void model_live_dec(void)
{
    g_assert(model.live > 0);
    model.live--;
}

const HostModelDesc *model_desc(void)
{
    return model.desc;
}

static void install_desc(HostModelDesc *desc)
{
    model.desc = desc;
    model.devs = g_ptr_array_new_with_free_func(
        (GDestroyNotify)model_dev_free);
    for (unsigned i = 0; i < desc->devices->len; i++) {
        g_ptr_array_add(model.devs,
                        model_dev_new(g_ptr_array_index(desc->devices, i)));
    }
}

/* Lazily sets up state; the bundled default host if none was chosen. */
static void ensure(void)
{
    if (!model.fds) {
        model.fds = g_hash_table_new(g_direct_hash, g_direct_equal);
        model.files = g_ptr_array_new();
        model.fails = g_array_new(false, false, sizeof(FailRule));
        model.ioctl_counts = g_hash_table_new(g_direct_hash, g_direct_equal);
    }
    if (!model.desc) {
        install_desc(host_model_desc_load(HOST_MODEL_DEFAULT, &error_abort));
    }
}

ModelDev *model_dev_find(const char *address, const char *cdev)
{
    for (unsigned i = 0; i < model.devs->len; i++) {
        ModelDev *dev = g_ptr_array_index(model.devs, i);
        const HostModelDevice *d = dev->desc;

        if ((address && !strcmp(d->address, address)) ||
            (cdev && d->cdev && !strcmp(d->cdev, cdev))) {
            return dev;
        }
    }
    return NULL;
}

/* Files */

static ModelFile *file_new(int fd, const char *path, int *err)
{
    const char *cdev = g_str_has_prefix(path, "/dev/vfio/devices/") ?
                       path + strlen("/dev/vfio/devices/") : NULL;
    ModelDev *dev = cdev ? model_dev_find(NULL, cdev) : NULL;
    ModelFile *f;
    struct stat st;

    if (strcmp(path, "/dev/iommu") && !dev) {
        *err = ENOENT;
        return NULL;
    }
    if (fstat(fd, &st) < 0) {
        *err = errno;
        return NULL;
    }
    f = g_new0(ModelFile, 1);
    f->kind = dev ? MODEL_FILE_VFIO : MODEL_FILE_IOMMUFD;
    f->dev = dev;
    f->ctx = dev ? NULL : model_ctx_new();
    f->st_dev = st.st_dev;
    f->st_ino = st.st_ino;
    f->fds = 1;
    g_ptr_array_add(model.files, f);
    g_hash_table_insert(model.fds, GINT_TO_POINTER(fd), f);
    model_live_inc();
    return f;
}

static void file_release(ModelFile *f)
{
    if (f->kind == MODEL_FILE_VFIO) {
        model_vfio_release(f);
    } else {
        model_ctx_unref(f->ctx);
    }
    g_ptr_array_remove_fast(model.files, f);
    g_free(f);
    model_live_dec();
}

static void file_unref(ModelFile *f)
{
    if (--f->fds == 0) {
        file_release(f);
    }
}

/* "/memfd:host-model:/dev/iommu (deleted)" → "/dev/iommu" */
static char *adoptable_path(int fd)
{
    g_autofree char *proc = g_strdup_printf("/proc/self/fd/%d", fd);
    g_autofree char *target = g_file_read_link(proc, NULL);
    const char *p;

    if (!target || !g_str_has_prefix(target, "/memfd:" MEMFD_PREFIX)) {
        return NULL;
    }
    p = target + strlen("/memfd:" MEMFD_PREFIX);
    return g_strndup(p, strcspn(p, " "));
}

ModelFile *model_file_lookup(int fd)
{
    ModelFile *f = g_hash_table_lookup(model.fds, GINT_TO_POINTER(fd));
    g_autofree char *path = NULL;
    struct stat st;
    int err;

    if (fd < 0 || fstat(fd, &st) < 0) {
        return NULL;
    }
    if (f && f->st_dev == st.st_dev && f->st_ino == st.st_ino) {
        return f;
    }
    if (f) { /* closed behind our back; the number was reused */
        g_hash_table_remove(model.fds, GINT_TO_POINTER(fd));
        file_unref(f);
    }
    for (unsigned i = 0; i < model.files->len; i++) {
        f = g_ptr_array_index(model.files, i);
        if (f->st_dev == st.st_dev && f->st_ino == st.st_ino) {
            f->fds++;
            g_hash_table_insert(model.fds, GINT_TO_POINTER(fd), f);
            return f;
        }
    }
    path = adoptable_path(fd);
    return path ? file_new(fd, path, &err) : NULL;
}

/* Fault injection */

void host_model_fail_ioctl(unsigned long request, unsigned nth, int err)
{
    FailRule r = {false, request, MAX(nth, 1), err};

    g_rec_mutex_lock(&model.lock);
    ensure();
    g_array_append_val(model.fails, r);
    g_rec_mutex_unlock(&model.lock);
}

void host_model_fail_nth(unsigned n, int err)
{
    FailRule r = {true, 0, MAX(n, 1), err};

    g_rec_mutex_lock(&model.lock);
    ensure();
    g_array_append_val(model.fails, r);
    g_rec_mutex_unlock(&model.lock);
}

void host_model_fail_clear(void)
{
    g_rec_mutex_lock(&model.lock);
    if (model.fails) {
        g_array_set_size(model.fails, 0);
    }
    g_rec_mutex_unlock(&model.lock);
}

/* Counts this call against every matching rule; errno to fail with or 0. */
static int fail_check(unsigned long request)
{
    int err = 0;

    for (unsigned i = 0; i < model.fails->len;) {
        FailRule *r = &g_array_index(model.fails, FailRule, i);

        if ((r->any || r->request == request) && --r->remaining == 0) {
            err = err ? err : r->err;
            g_array_remove_index(model.fails, i);
            continue;
        }
        i++;
    }
    return err;
}

static const struct {
    const char *name;
    int err;
} errno_names[] = {
    {"EPERM", EPERM},   {"ENOENT", ENOENT},       {"EIO", EIO},
    {"ENXIO", ENXIO},   {"E2BIG", E2BIG},         {"EBADF", EBADF},
    {"EAGAIN", EAGAIN}, {"ENOMEM", ENOMEM},       {"EFAULT", EFAULT},
    {"EBUSY", EBUSY},   {"EEXIST", EEXIST},       {"ENODEV", ENODEV},
    {"EINVAL", EINVAL}, {"ENOSPC", ENOSPC},       {"ENOTTY", ENOTTY},
    {"ERANGE", ERANGE}, {"EOPNOTSUPP", EOPNOTSUPP}, {"EOVERFLOW", EOVERFLOW},
    {"EMSGSIZE", EMSGSIZE}, {"EBADFD", EBADFD},   {"EADDRINUSE", EADDRINUSE},
};

static bool parse_errno(const char *s, int *err)
{
    guint64 v;

    for (unsigned i = 0; i < ARRAY_SIZE(errno_names); i++) {
        if (!strcmp(errno_names[i].name, s)) {
            *err = errno_names[i].err;
            return true;
        }
    }
    if (g_ascii_string_to_unsigned(s, 10, 1, 4095, &v, NULL)) {
        *err = v;
        return true;
    }
    return false;
}

bool host_model_parse_fail(const char *spec, Error **errp)
{
    g_auto(GStrv) parts = g_strsplit(spec, ":", 4);
    unsigned long request = 0;
    guint64 nth = 1;
    int err = ENOMEM;
    bool any = parts[0] && !strcmp(parts[0], "any");

    if (!parts[0] || (!any && !host_ioctl_from_name(parts[0], &request))) {
        error_setg(errp, "fail=%s: unknown ioctl '%s'", spec,
                   parts[0] ? parts[0] : "");
        return false;
    }
    if (parts[1] && !g_ascii_string_to_unsigned(parts[1], 10, 1, UINT_MAX,
                                                &nth, NULL)) {
        error_setg(errp, "fail=%s: '%s' is not a positive call count", spec,
                   parts[1]);
        return false;
    }
    if (parts[1] && parts[2] && (parts[3] || !parse_errno(parts[2], &err))) {
        error_setg(errp, "fail=%s: unknown errno '%s'", spec, parts[2]);
        return false;
    }
    if (any) {
        host_model_fail_nth(nth, err);
    } else {
        host_model_fail_ioctl(request, nth, err);
    }
    return true;
}

/* The table */

static int model_open(const char *path, int flags)
{
    g_autofree char *name = g_strconcat(MEMFD_PREFIX, path, NULL);
    int fd, err = 0;

    g_rec_mutex_lock(&model.lock);
    ensure();
    fd = memfd_create(name, (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
    if (fd < 0) {
        err = errno;
    } else if (!file_new(fd, path, &err)) {
        close(fd);
        fd = -1;
    }
    g_rec_mutex_unlock(&model.lock);
    errno = err;
    return fd;
}

static int model_close(int fd)
{
    ModelFile *f;
    int rc;

    g_rec_mutex_lock(&model.lock);
    ensure();
    f = g_hash_table_lookup(model.fds, GINT_TO_POINTER(fd));
    g_hash_table_remove(model.fds, GINT_TO_POINTER(fd));
    rc = close(fd);
    if (f) {
        int saved = errno;
        file_unref(f);
        errno = saved;
    }
    g_rec_mutex_unlock(&model.lock);
    return rc;
}

static int model_ioctl(int fd, unsigned long request, void *arg)
{
    ModelFile *f;
    int rc;

    g_rec_mutex_lock(&model.lock);
    ensure();
    f = model_file_lookup(fd);
    if (f) {
        gpointer key = GSIZE_TO_POINTER(request);
        gsize n = GPOINTER_TO_SIZE(g_hash_table_lookup(model.ioctl_counts,
                                                       key));

        g_hash_table_insert(model.ioctl_counts, key, GSIZE_TO_POINTER(n + 1));
    }
    if (!f) {
        rc = fcntl(fd, F_GETFD) < 0 ? -EBADF : -ENOTTY;
    } else if ((rc = -fail_check(request)) == 0) {
        rc = f->kind == MODEL_FILE_IOMMUFD ?
             model_iommufd_ioctl(f->ctx, request, arg) :
             model_vfio_ioctl(f, request, arg);
    }
    g_rec_mutex_unlock(&model.lock);
    if (rc < 0) {
        errno = -rc;
        return -1;
    }
    return rc;
}

static ssize_t model_read(int fd, void *buf, size_t len)
{
    ModelFile *f;

    g_rec_mutex_lock(&model.lock);
    ensure();
    f = model_file_lookup(fd);
    g_rec_mutex_unlock(&model.lock);
    if (f) {
        errno = EINVAL;
        return -1;
    }
    return read(fd, buf, len);
}

static ssize_t model_rw(int fd, void *buf, size_t len, off_t off, bool write)
{
    ModelFile *f;
    ssize_t rc;

    g_rec_mutex_lock(&model.lock);
    ensure();
    f = model_file_lookup(fd);
    if (!f) {
        rc = write ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);
        rc = rc < 0 ? -errno : rc;
    } else if (f->kind != MODEL_FILE_VFIO) {
        rc = -EINVAL;
    } else {
        rc = model_vfio_rw(f, buf, len, off, write);
    }
    g_rec_mutex_unlock(&model.lock);
    if (rc < 0) {
        errno = -rc;
        return -1;
    }
    return rc;
}

static ssize_t model_pread(int fd, void *buf, size_t len, off_t off)
{
    return model_rw(fd, buf, len, off, false);
}

static ssize_t model_pwrite(int fd, const void *buf, size_t len, off_t off)
{
    return model_rw(fd, (void *)buf, len, off, true);
}

static void *model_mmap(void *addr, size_t len, int prot, int flags, int fd,
                        off_t off)
{
    ModelFile *f = NULL;
    void *p;

    g_rec_mutex_lock(&model.lock);
    ensure();
    if (!(flags & MAP_ANONYMOUS)) {
        f = model_file_lookup(fd);
    }
    if (!f) {
        p = mmap(addr, len, prot, flags, fd, off);
    } else if (f->kind != MODEL_FILE_VFIO) {
        errno = ENODEV;
        p = MAP_FAILED;
    } else {
        p = model_vfio_mmap(f, addr, len, prot, flags, off);
    }
    g_rec_mutex_unlock(&model.lock);
    return p;
}

static int model_dup(int fd)
{
    ModelFile *f;
    int nfd;

    g_rec_mutex_lock(&model.lock);
    ensure();
    f = model_file_lookup(fd);
    nfd = dup(fd);
    if (f && nfd >= 0) {
        f->fds++;
        g_hash_table_insert(model.fds, GINT_TO_POINTER(nfd), f);
    }
    g_rec_mutex_unlock(&model.lock);
    return nfd;
}

#define LOCKED(type, call)                                                     \
    type r;                                                                    \
    g_rec_mutex_lock(&model.lock);                                             \
    ensure();                                                                  \
    r = call;                                                                  \
    g_rec_mutex_unlock(&model.lock);                                           \
    return r

static char *op_read_file(const char *path, size_t *len)
{
    LOCKED(char *, model_read_file(path, len));
}

static char *op_read_link(const char *path)
{
    LOCKED(char *, model_read_link(path));
}

static GPtrArray *op_list_dir(const char *path)
{
    LOCKED(GPtrArray *, model_list_dir(path));
}

static bool op_path_exists(const char *path)
{
    LOCKED(bool, model_path_exists(path));
}

const HostOps host_ops_model = {
    .name = "model",
    .open = model_open,
    .close = model_close,
    .ioctl = model_ioctl,
    .read = model_read,
    .pread = model_pread,
    .pwrite = model_pwrite,
    .mmap = model_mmap,
    .munmap = munmap,
    .dup = model_dup,
    .read_file = op_read_file,
    .read_link = op_read_link,
    .list_dir = op_list_dir,
    .path_exists = op_path_exists,
};

/* Public state control */

void host_model_reset(void)
{
    GHashTableIter it;
    gpointer key, value;

    g_rec_mutex_lock(&model.lock);
    if (model.fds) {
        g_hash_table_iter_init(&it, model.fds);
        while (g_hash_table_iter_next(&it, &key, &value)) {
            close(GPOINTER_TO_INT(key));
            ((ModelFile *)value)->fds = 0;
            g_hash_table_iter_remove(&it);
        }
        /* VFIO files first: unbinding drops their context references. */
        for (int pass = 0; pass < 2; pass++) {
            for (unsigned i = model.files->len; i-- > 0;) {
                ModelFile *f = g_ptr_array_index(model.files, i);
                if ((f->kind == MODEL_FILE_VFIO) == (pass == 0)) {
                    file_release(f);
                }
            }
        }
        g_array_set_size(model.fails, 0);
        g_hash_table_remove_all(model.ioctl_counts);
    }
    if (model.devs) {
        for (unsigned i = 0; i < model.devs->len; i++) {
            model_dev_reset_config(g_ptr_array_index(model.devs, i));
        }
    }
    g_rec_mutex_unlock(&model.lock);
}

void host_model_set_desc(HostModelDesc *desc)
{
    g_rec_mutex_lock(&model.lock);
    host_model_reset();
    g_clear_pointer(&model.devs, g_ptr_array_unref);
    g_clear_pointer(&model.desc, host_model_desc_free);
    install_desc(desc);
    g_rec_mutex_unlock(&model.lock);
}

const HostModelDesc *host_model_get_desc(void)
{
    const HostModelDesc *d;

    g_rec_mutex_lock(&model.lock);
    ensure();
    d = model.desc;
    g_rec_mutex_unlock(&model.lock);
    return d;
}

unsigned host_model_live_objects(void)
{
    unsigned n;

    g_rec_mutex_lock(&model.lock);
    n = model.live;
    g_rec_mutex_unlock(&model.lock);
    return n;
}

int host_model_inject_vevent(int iommufd, uint32_t viommu_id, uint32_t type,
                             const void *data, size_t len)
{
    ModelFile *f;
    int rc;

    g_rec_mutex_lock(&model.lock);
    ensure();
    f = model_file_lookup(iommufd);
    rc = f && f->kind == MODEL_FILE_IOMMUFD ?
         model_inject_vevent(f->ctx, viommu_id, type, data, len) : -EBADF;
    g_rec_mutex_unlock(&model.lock);
    return rc;
}

uint64_t host_model_ioctl_count(unsigned long request)
{
    uint64_t n = 0;

    g_rec_mutex_lock(&model.lock);
    if (model.ioctl_counts) {
        n = GPOINTER_TO_SIZE(g_hash_table_lookup(model.ioctl_counts,
                                                 GSIZE_TO_POINTER(request)));
    }
    g_rec_mutex_unlock(&model.lock);
    return n;
}

int host_model_hwpt_data(int iommufd, uint32_t hwpt_id, void *buf,
                         size_t len, size_t *out_len)
{
    ModelFile *f;
    ModelObj *h;
    int rc = 0;

    g_rec_mutex_lock(&model.lock);
    ensure();
    f = model_file_lookup(iommufd);
    h = f && f->kind == MODEL_FILE_IOMMUFD ?
        model_obj_get(f->ctx, hwpt_id, MODEL_OBJ_HWPT_NESTED) : NULL;
    if (!f || f->kind != MODEL_FILE_IOMMUFD) {
        rc = -EBADF;
    } else if (!h) {
        rc = -ENOENT;
    } else {
        memcpy(buf, h->data, MIN(len, h->data_len));
        *out_len = h->data_len;
    }
    g_rec_mutex_unlock(&model.lock);
    return rc;
}

void host_model_print_list(void)
{
    for (const HostModelBundled *b = host_model_bundled; b->name; b++) {
        g_autoptr(HostModelDesc) d = host_model_desc_parse(b->json, b->name,
                                                           NULL);
        printf("%-24s %s\n", b->name, d ? d->description : "(invalid)");
    }
}
