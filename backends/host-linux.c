/*
 * The "linux" host: every HostOps entry goes straight to the kernel.
 */
#include "qemu/osdep.h"
#include "backends/host-ops.h"
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

static int linux_open(const char *path, int flags)
{
    return open(path, flags);
}

static int linux_ioctl(int fd, unsigned long request, void *arg)
{
    return ioctl(fd, request, arg);
}

static char *linux_read_file(const char *path, size_t *len)
{
    g_autoptr(GByteArray) b = g_byte_array_new();
    uint8_t chunk[4096];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;

    if (fd < 0) {
        return NULL;
    }
    while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
        if (n < 0 && errno != EINTR) {
            int err = errno;
            close(fd);
            errno = err;
            return NULL;
        }
        g_byte_array_append(b, chunk, MAX(n, 0));
    }
    close(fd);
    *len = b->len;
    g_byte_array_append(b, (const uint8_t *)"", 1);
    return (char *)g_byte_array_free(g_steal_pointer(&b), false);
}

static char *linux_read_link(const char *path)
{
    char buf[PATH_MAX];
    ssize_t n = readlink(path, buf, sizeof(buf) - 1);

    if (n < 0) {
        return NULL;
    }
    return g_strndup(buf, n);
}

static gint cmp_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static GPtrArray *linux_list_dir(const char *path)
{
    DIR *dir = opendir(path);
    GPtrArray *out;
    struct dirent *e;

    if (!dir) {
        return NULL;
    }
    out = g_ptr_array_new_with_free_func(g_free);
    while ((e = readdir(dir))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            g_ptr_array_add(out, g_strdup(e->d_name));
        }
    }
    closedir(dir);
    g_ptr_array_sort(out, cmp_names);
    return out;
}

static bool linux_path_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

const HostOps host_ops_linux = {
    .name = "linux",
    .open = linux_open,
    .close = close,
    .ioctl = linux_ioctl,
    .read = read,
    .pread = pread,
    .pwrite = pwrite,
    .mmap = mmap,
    .munmap = munmap,
    .dup = dup,
    .read_file = linux_read_file,
    .read_link = linux_read_link,
    .list_dir = linux_list_dir,
    .path_exists = linux_path_exists,
};
