/*
 * VFIO device core: identification of the host device, device info and
 * its capability chain, IRQ info and reset.
 */
#include "qemu/osdep.h"
#include "backends/host-ops.h"
#include "monitor/qmp.h"
#include "vfio-internal.h"

/* Info buffers never legitimately grow beyond this. */
#define VFIO_INFO_MAX_SIZE (64 * KiB)
#define VFIO_INFO_TRIES 4
/* A sanity bound on num_regions from VFIO_DEVICE_GET_INFO. */
#define VFIO_MAX_REGIONS 1024

void vfio_device_init(VFIODevice *vdev)
{
    memset(vdev, 0, sizeof(*vdev));
    vdev->fd = -1;
}

void vfio_device_finalize(VFIODevice *vdev)
{
    if (vdev->iommufd) {
        vfio_device_detach(vdev);
    }
    if (vdev->fd_passed) {
        host_ops()->close(vdev->fd);
        vdev->fd = -1;
        vdev->fd_passed = false;
    }
    g_clear_pointer(&vdev->name, g_free);
    g_clear_pointer(&vdev->cdev_path, g_free);
}

bool vfio_device_set_fd(VFIODevice *vdev, const char *str, Error **errp)
{
    int fd;

    if (vdev->iommufd) {
        error_setg(errp, "Cannot change 'fd' of an attached VFIO device");
        return false;
    }
    fd = monitor_fd_param(monitor_cur(), str, errp);
    if (fd < 0) {
        return false;
    }
    if (vdev->fd_passed) {
        host_ops()->close(vdev->fd);
    }
    vdev->fd = fd;
    vdev->fd_passed = true;
    return true;
}

/* "DDDD:BB:DD.F" or "BB:DD.F" (already validated) → "dddd:bb:dd.f" */
static char *vfio_canonical_address(const char *addr)
{
    unsigned dom = 0, bus = 0, dev = 0, fn = 0;

    if (sscanf(addr, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4) {
        dom = 0;
        sscanf(addr, "%x:%x.%x", &bus, &dev, &fn);
    }
    return g_strdup_printf("%04x:%02x:%02x.%x", dom, bus, dev, fn);
}

bool vfio_device_get_name(VFIODevice *vdev, Error **errp)
{
    g_autofree char *base = NULL;
    g_autofree char *cdev = NULL;
    const char *addr;

    if (vdev->sysfsdev) {
        base = g_path_get_basename(vdev->sysfsdev);
        addr = base;
    } else if (vdev->host) {
        addr = vdev->host;
    } else if (vdev->fd_passed) {
        g_free(vdev->name);
        vdev->name = g_strdup(vdev->owner_id ? vdev->owner_id : "vfio-fd");
        return true;
    } else {
        error_setg(errp, "No host device given: use host=DDDD:BB:DD.F, "
                         "sysfsdev=PATH or fd=N");
        return false;
    }

    if (vdev->sysfsdev && !host_ops()->path_exists(vdev->sysfsdev)) {
        error_setg(errp, "sysfsdev=%s: no such host device", vdev->sysfsdev);
        return false;
    }
    /* A passed device fd needs no cdev; the name still comes from here. */
    if (!vdev->fd_passed && !host_find_vfio_cdev(addr, &cdev, errp)) {
        return false;
    }
    g_free(vdev->name);
    vdev->name =
        vdev->sysfsdev ? g_steal_pointer(&base) : vfio_canonical_address(addr);
    g_free(vdev->cdev_path);
    vdev->cdev_path = g_steal_pointer(&cdev);
    return true;
}

bool vfio_device_ioctl(VFIODevice *vdev, unsigned long request, void *arg,
                       Error **errp)
{
    return host_ioctl(vdev->fd, request, arg, errp);
}

void *vfio_device_get_info_buf(VFIODevice *vdev, unsigned long request,
                               const void *in, size_t insz, Error **errp)
{
    uint32_t argsz = insz;

    for (unsigned i = 0; i < VFIO_INFO_TRIES; i++) {
        g_autofree uint8_t *buf = g_malloc0(argsz);
        uint32_t want;

        memcpy(buf, in, insz);
        memcpy(buf, &argsz, sizeof(argsz));
        if (!vfio_device_ioctl(vdev, request, buf, errp)) {
            return NULL;
        }
        memcpy(&want, buf, sizeof(want));
        if (want <= argsz) {
            memcpy(buf, &argsz, sizeof(argsz));
            return g_steal_pointer(&buf);
        }
        if (want > VFIO_INFO_MAX_SIZE) {
            break;
        }
        argsz = want;
    }
    error_setg(errp, "%s failed: implausible capability chain size",
               host_ioctl_name(request));
    return NULL;
}

bool vfio_device_read_info(VFIODevice *vdev, Error **errp)
{
    struct vfio_device_info in = {0};
    struct vfio_device_info *info;

    info = vfio_device_get_info_buf(vdev, VFIO_DEVICE_GET_INFO, &in, sizeof(in),
                                    errp);
    if (!info) {
        return false;
    }
    if (info->num_regions > VFIO_MAX_REGIONS) {
        error_setg(errp, "%s: implausible number of regions (%u)",
                   host_ioctl_name(VFIO_DEVICE_GET_INFO), info->num_regions);
        g_free(info);
        return false;
    }
    vdev->info = info;
    vdev->regions = g_new0(struct vfio_region_info *, info->num_regions);
    return true;
}

void vfio_device_free_regions(VFIODevice *vdev)
{
    for (uint32_t i = 0; vdev->info && i < vdev->info->num_regions; i++) {
        g_free(vdev->regions[i]);
    }
    g_clear_pointer(&vdev->regions, g_free);
    g_clear_pointer(&vdev->info, g_free);
}

const struct vfio_info_cap_header *
vfio_info_find_cap(const void *buf, size_t len, uint32_t first, uint16_t id,
                   size_t min_size)
{
    const struct vfio_info_cap_header *h;
    uint32_t off = first;

    min_size = MAX(min_size, sizeof(*h));
    while (off) {
        if (off % 4 || off > len || len - off < sizeof(*h)) {
            return NULL;
        }
        h = (const void *)((const uint8_t *)buf + off);
        if (h->id == id) {
            return len - off >= min_size ? h : NULL;
        }
        /* Chains only move forward; anything else would loop. */
        if (h->next <= off) {
            return NULL;
        }
        off = h->next;
    }
    return NULL;
}

const struct vfio_info_cap_header *
vfio_device_find_info_cap(VFIODevice *vdev, uint16_t id, size_t min_size)
{
    const struct vfio_device_info *info = vdev->info;

    if (!info || !(info->flags & VFIO_DEVICE_FLAGS_CAPS) ||
        info->cap_offset < sizeof(*info)) {
        return NULL;
    }
    return vfio_info_find_cap(info, info->argsz, info->cap_offset, id,
                              min_size);
}

bool vfio_device_get_atomic_comp(VFIODevice *vdev, uint32_t *flags)
{
    const struct vfio_device_info_cap_pci_atomic_comp *cap;

    cap = (const void *)vfio_device_find_info_cap(
        vdev, VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP, sizeof(*cap));
    if (!cap) {
        return false;
    }
    *flags = cap->flags;
    return true;
}

bool vfio_device_get_irq_info(VFIODevice *vdev, uint32_t index,
                              struct vfio_irq_info *info, Error **errp)
{
    *info = (struct vfio_irq_info){.argsz = sizeof(*info), .index = index};
    return vfio_device_ioctl(vdev, VFIO_DEVICE_GET_IRQ_INFO, info, errp);
}

bool vfio_device_reset(VFIODevice *vdev, Error **errp)
{
    if (!vdev->info || !(vdev->info->flags & VFIO_DEVICE_FLAGS_RESET)) {
        error_setg(errp, "%s does not support VFIO_DEVICE_RESET",
                   vdev->name ? vdev->name : "the device");
        return false;
    }
    return vfio_device_ioctl(vdev, VFIO_DEVICE_RESET, NULL, errp);
}

HostIOMMUDevice *vfio_device_hiod(VFIODevice *vdev)
{
    return vdev->hiod;
}
