/*
 * VFIO device regions: the cached region info, byte access with
 * pread/pwrite at the region's offset in the device file, and regions
 * exposed as guest MMIO.
 */
#include "qemu/osdep.h"
#include "backends/host-ops.h"
#include "qemu/bswap.h"
#include "vfio-internal.h"

const struct vfio_region_info *
vfio_device_get_region_info(VFIODevice *vdev, uint32_t index, Error **errp)
{
    struct vfio_region_info in = {.index = index};

    if (!vdev->info) {
        error_setg(errp, "%s is not attached", vdev->name);
        return NULL;
    }
    if (index >= vdev->info->num_regions) {
        error_setg(errp, "%s has no region %u (it has %u)", vdev->name, index,
                   vdev->info->num_regions);
        return NULL;
    }
    if (!vdev->regions[index]) {
        vdev->regions[index] = vfio_device_get_info_buf(
            vdev, VFIO_DEVICE_GET_REGION_INFO, &in, sizeof(in), errp);
    }
    return vdev->regions[index];
}

const struct vfio_info_cap_header *
vfio_region_find_cap(const struct vfio_region_info *info, uint16_t id,
                     size_t min_size)
{
    if (!(info->flags & VFIO_REGION_INFO_FLAG_CAPS) ||
        info->cap_offset < sizeof(*info)) {
        return NULL;
    }
    return vfio_info_find_cap(info, info->argsz, info->cap_offset, id,
                              min_size);
}

/* The region's info once the access is known to fit and be allowed. */
static const struct vfio_region_info *
vfio_region_check(VFIODevice *vdev, uint32_t index, uint64_t off, size_t len,
                  bool write, Error **errp)
{
    const struct vfio_region_info *ri;
    uint32_t need =
        write ? VFIO_REGION_INFO_FLAG_WRITE : VFIO_REGION_INFO_FLAG_READ;

    ri = vfio_device_get_region_info(vdev, index, errp);
    if (!ri) {
        return NULL;
    }
    if (!(ri->flags & need)) {
        error_setg(errp, "%s: region %u is not %s", vdev->name, index,
                   write ? "writable" : "readable");
        return NULL;
    }
    if (off > ri->size || len > ri->size - off || off + len > INT64_MAX ||
        ri->offset > INT64_MAX - (off + len)) {
        error_setg(errp,
                   "%s: %zu bytes at 0x%" PRIx64 " are outside "
                   "region %u (size 0x%" PRIx64 ")",
                   vdev->name, len, off, index, (uint64_t)ri->size);
        return NULL;
    }
    return ri;
}

static ssize_t vfio_region_rw(VFIODevice *vdev, uint32_t index, uint64_t off,
                              uint8_t *buf, size_t len, bool write,
                              Error **errp)
{
    const struct vfio_region_info *ri =
        vfio_region_check(vdev, index, off, len, write, errp);
    size_t done = 0;

    if (!ri) {
        return -1;
    }
    while (done < len) {
        off_t pos = ri->offset + off + done;
        ssize_t n =
            write ? host_ops()->pwrite(vdev->fd, buf + done, len - done, pos)
                  : host_ops()->pread(vdev->fd, buf + done, len - done, pos);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            error_setg_errno(errp, n < 0 ? errno : EIO,
                             "%s: %s of region %u at 0x%" PRIx64 " failed",
                             vdev->name, write ? "write" : "read", index,
                             off + done);
            return -1;
        }
        done += n;
    }
    return len;
}

ssize_t vfio_region_read(VFIODevice *vdev, uint32_t index, uint64_t off,
                         void *buf, size_t len, Error **errp)
{
    return vfio_region_rw(vdev, index, off, buf, len, false, errp);
}

ssize_t vfio_region_write(VFIODevice *vdev, uint32_t index, uint64_t off,
                          const void *buf, size_t len, Error **errp)
{
    return vfio_region_rw(vdev, index, off, (uint8_t *)buf, len, true, errp);
}

/* Guest MMIO */

static MemTxResult vfio_region_mmio_read(void *opaque, hwaddr addr,
                                         uint64_t *data, unsigned size,
                                         MemTxAttrs attrs)
{
    VFIORegion *region = opaque;
    uint8_t buf[8];
    Error *err = NULL;

    if (vfio_region_read(region->vdev, region->index, addr, buf, size, &err) <
        0) {
        error_report_err(err);
        *data = size == 8 ? UINT64_MAX : (1ULL << (size * 8)) - 1;
        return MEMTX_ERROR;
    }
    *data = ldn_le_p(buf, size);
    return MEMTX_OK;
}

static MemTxResult vfio_region_mmio_write(void *opaque, hwaddr addr,
                                          uint64_t data, unsigned size,
                                          MemTxAttrs attrs)
{
    VFIORegion *region = opaque;
    uint8_t buf[8];
    Error *err = NULL;

    stn_le_p(buf, size, data);
    if (vfio_region_write(region->vdev, region->index, addr, buf, size, &err) <
        0) {
        error_report_err(err);
        return MEMTX_ERROR;
    }
    return MEMTX_OK;
}

static const MemoryRegionOps vfio_region_ops = {
    .read_with_attrs = vfio_region_mmio_read,
    .write_with_attrs = vfio_region_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 8},
    .impl = {.min_access_size = 1, .max_access_size = 8},
};

bool vfio_region_setup(Object *owner, VFIODevice *vdev, VFIORegion *region,
                       uint32_t index, const char *name, Error **errp)
{
    const struct vfio_region_info *ri = NULL;

    memset(region, 0, sizeof(*region));
    region->vdev = vdev;
    region->index = index;
    if (vdev->info && index < vdev->info->num_regions) {
        ri = vfio_device_get_region_info(vdev, index, errp);
        if (!ri) {
            return false;
        }
        region->flags = ri->flags;
        region->size = ri->size;
    }
    memory_region_init_io(&region->mem, owner, &vfio_region_ops, region, name,
                          region->size);
    return true;
}

void vfio_region_finalize(VFIORegion *region)
{
    memory_region_destroy(&region->mem);
}
