/*
 * The host boundary: every request the emulator makes of the host kernel
 * (iommufd, VFIO cdevs, the sysfs files that locate a host device) goes
 * through one table of syscall-level functions. Two tables exist:
 * "linux" passes straight to the kernel; "model" answers from an
 * in-process kernel stand-in loaded from a host description
 * (backends/host-model.h). Callers build the real uAPI structs and issue
 * the real request numbers either way.
 *
 * Conventions: functions return -1 (or NULL / MAP_FAILED) and set errno on
 * failure, like the libc calls they mirror. Returned strings and arrays
 * are owned by the caller (g_free / g_ptr_array_unref).
 */
#ifndef BACKENDS_HOST_OPS_H
#define BACKENDS_HOST_OPS_H

#include "qemu/osdep.h"
#include "qemu/error.h"

typedef struct HostOps {
    const char *name; /* "linux" or "model" */
    int (*open)(const char *path, int flags);
    int (*close)(int fd);
    int (*ioctl)(int fd, unsigned long request, void *arg);
    ssize_t (*read)(int fd, void *buf, size_t len);
    ssize_t (*pread)(int fd, void *buf, size_t len, off_t off);
    ssize_t (*pwrite)(int fd, const void *buf, size_t len, off_t off);
    void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd,
                  off_t off);
    int (*munmap)(void *addr, size_t len);
    int (*dup)(int fd);
    /* sysfs: a small file's contents (NUL-terminated, *len excludes it) */
    char *(*read_file)(const char *path, size_t *len);
    char *(*read_link)(const char *path);
    /* entry names of a directory, without "." and "..", sorted */
    GPtrArray *(*list_dir)(const char *path);
    bool (*path_exists)(const char *path);
} HostOps;

extern const HostOps host_ops_linux;

/*
 * The active table. Until host_ops_set() or host_ops_select() ran, the
 * first call makes the default choice (see host_ops_select(NULL)).
 */
const HostOps *host_ops(void);
void host_ops_set(const HostOps *ops);

/*
 * Implements -host-model: spec is "linux", a bundled host NAME, or a FILE
 * (contains '/' or ends in ".json"), optionally followed by
 * ",fail=IOCTL[:NTH[:ERRNO]]" (repeatable; model only). NULL selects the
 * default: linux when /dev/iommu exists, else the bundled grace-hopper.
 */
bool host_ops_select(const char *spec, Error **errp);
/* For the start-up banner: "linux" or "model: grace-hopper (bundled)". */
const char *host_ops_describe(void);

/*
 * Finds the VFIO cdev of a host PCI device: pci_addr "DDDD:BB:DD.F" (or
 * "BB:DD.F") → "/dev/vfio/devices/vfioN" in *cdev_path (g_free it).
 */
bool host_find_vfio_cdev(const char *pci_addr, char **cdev_path,
                         Error **errp);
/* The IOMMU group number of a host PCI device. */
bool host_get_iommu_group(const char *pci_addr, int *group, Error **errp);

/*
 * One ioctl through the active table. On failure errp reads
 * "<NAME> failed: <strerror>" and errno is still the host's.
 */
bool host_ioctl(int fd, unsigned long request, void *arg, Error **errp);

/* "IOMMU_HWPT_ALLOC" for error messages; "unknown ioctl" otherwise. */
const char *host_ioctl_name(unsigned long request);
/* Inverse of host_ioctl_name(); false if the name is unknown. */
bool host_ioctl_from_name(const char *name, unsigned long *request);

#endif
