/*
 * VFIO over iommufd: bind a device cdev to an iommufd, attach it to an
 * IOAS (or to a stage-2 HWPT allocated in it), map guest RAM, and the
 * HostIOMMUDevice subclass that can re-attach the device.
 *
 * Devices of the same iommufd and DMA address space share one IOAS
 * (VFIOIOAS), and inside it the stage-2 HWPTs they can share. An IOAS
 * whose devices need read-only RAM left out (VT-d erratum 772415 on a
 * nesting parent) is kept apart from one that maps it.
 */
#include "qemu/osdep.h"
#include "backends/host-ops.h"
#include "hw/core/iommu.h"
#include "vfio-internal.h"

struct VFIOHwpt {
    uint32_t hwpt_id;
    uint32_t flags; /* IOMMU_HWPT_ALLOC_* */
    unsigned users;
    QLIST_ENTRY(VFIOHwpt) next;
};

struct VFIOIOAS {
    IOMMUFDBackend *be;
    AddressSpace *as;
    uint32_t ioas_id;
    bool bypass_ro; /* read-only RAM is not mapped */
    bool mapped;    /* guest RAM is in */
    unsigned users;
    QLIST_HEAD(, VFIOHwpt) hwpts;
    QLIST_ENTRY(VFIOIOAS) next;
};

static QLIST_HEAD(, VFIOIOAS) vfio_ioas_list;

/* What the host IOMMU says before anything is allocated. */
typedef struct VFIOHostInfo {
    uint32_t type;
    uint64_t caps;
    struct iommu_hw_info_vtd vtd;
} VFIOHostInfo;

/* Guest RAM */

/* Regions deeper than this can only come from an alias cycle. */
#define VFIO_MR_MAX_DEPTH 32

static const MemoryRegion *vfio_find_iommu_region(const MemoryRegion *mr,
                                                  unsigned depth)
{
    const MemoryRegion *sub, *found;

    if (!mr || !mr->enabled || depth > VFIO_MR_MAX_DEPTH) {
        return NULL;
    }
    if (mr->type == MR_IOMMU) {
        return mr;
    }
    if (mr->type == MR_ALIAS) {
        return vfio_find_iommu_region(mr->alias, depth + 1);
    }
    QTAILQ_FOREACH(sub, &mr->subregions, subregions_link)
    {
        found = vfio_find_iommu_region(sub, depth + 1);
        if (found) {
            return found;
        }
    }
    return NULL;
}

/*
 * Maps every RAM range of the address space at its GPA. The walk goes
 * range by range through address_space_translate(), which resolves
 * aliases and overlap priorities the way guest accesses see them.
 */
static bool vfio_ioas_map_ram(VFIOIOAS *ioas, Error **errp)
{
    const MemoryRegion *iommu = vfio_find_iommu_region(ioas->as->root, 0);
    hwaddr addr = 0;

    if (iommu) {
        error_setg(errp,
                   "Cannot map address space '%s' for VFIO: it is "
                   "translated by the IOMMU region '%s'",
                   ioas->as->name, memory_region_name(iommu));
        return false;
    }
    do {
        hwaddr xlat = 0;
        hwaddr len = addr ? -addr : UINT64_MAX;
        MemoryRegion *mr = address_space_translate(
            ioas->as, addr, &xlat, &len, false, MEMTXATTRS_UNSPECIFIED);

        if (!len) {
            break;
        }
        if (mr && mr->type == MR_RAM && mr->ram_ptr &&
            !(mr->readonly && ioas->bypass_ro) &&
            !iommufd_backend_map_dma(ioas->be, ioas->ioas_id, addr, len,
                                     mr->ram_ptr + xlat, mr->readonly, errp)) {
            return false;
        }
        addr += len;
    } while (addr);
    return true;
}

/* Shared IOAS */

static VFIOIOAS *vfio_ioas_get(IOMMUFDBackend *be, AddressSpace *as,
                               bool bypass_ro, Error **errp)
{
    VFIOIOAS *ioas;
    uint32_t id;

    QLIST_FOREACH(ioas, &vfio_ioas_list, next)
    {
        if (ioas->be == be && ioas->as == as && ioas->bypass_ro == bypass_ro) {
            ioas->users++;
            return ioas;
        }
    }
    if (!iommufd_backend_alloc_ioas(be, &id, errp)) {
        return NULL;
    }
    ioas = g_new0(VFIOIOAS, 1);
    ioas->be = be;
    ioas->as = as;
    ioas->ioas_id = id;
    ioas->bypass_ro = bypass_ro;
    ioas->users = 1;
    QLIST_INIT(&ioas->hwpts);
    QLIST_INSERT_HEAD(&vfio_ioas_list, ioas, next);
    return ioas;
}

static void vfio_ioas_put(VFIOIOAS *ioas)
{
    if (--ioas->users) {
        return;
    }
    g_assert(QLIST_EMPTY(&ioas->hwpts));
    QLIST_REMOVE(ioas, next);
    iommufd_backend_free_id(ioas->be, ioas->ioas_id);
    g_free(ioas);
}

static void vfio_hwpt_put(VFIOIOAS *ioas, VFIOHwpt *hwpt)
{
    if (--hwpt->users) {
        return;
    }
    QLIST_REMOVE(hwpt, next);
    iommufd_backend_free_id(ioas->be, hwpt->hwpt_id);
    g_free(hwpt);
}

/* Attach */

/* VFIO_DEVICE_ATTACH_IOMMUFD_PT; 0 or the errno (errp set). */
static int vfio_attach_pt(VFIODevice *vdev, uint32_t pt_id, Error **errp)
{
    struct vfio_device_attach_iommufd_pt cmd = {
        .argsz = sizeof(cmd),
        .pt_id = pt_id,
    };

    if (!host_ioctl(vdev->fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &cmd, errp)) {
        return errno;
    }
    vdev->attached = true;
    vdev->pt_id = cmd.pt_id;
    if (vdev->hiod) {
        vdev->hiod->hwpt_id = cmd.pt_id;
    }
    return 0;
}

/* The stage-2 HWPT flags for this device (vfio-pci.md §8). */
static uint32_t vfio_hwpt_flags(uint64_t viommu_flags, uint64_t host_caps)
{
    bool nest = viommu_flags & VIOMMU_FLAG_WANT_NESTING_PARENT;
    uint32_t flags = nest ? IOMMU_HWPT_ALLOC_NEST_PARENT : 0;

    if ((host_caps & IOMMU_HW_CAP_DIRTY_TRACKING) &&
        (!nest || (viommu_flags & VIOMMU_FLAG_WANT_NESTING_DIRTY_TRACKING))) {
        flags |= IOMMU_HWPT_ALLOC_DIRTY_TRACKING;
    }
    return flags;
}

/*
 * Attaches to a HWPT of the IOAS with these flags: an existing one the
 * kernel accepts (EINVAL means it belongs to an incompatible IOMMU), or
 * a new one. No flags: to the IOAS itself.
 */
static bool vfio_attach_stage2(VFIODevice *vdev, uint32_t flags, Error **errp)
{
    VFIOIOAS *ioas = vdev->ioas;
    VFIOHwpt *hwpt;
    uint32_t id;

    if (!flags) {
        return !vfio_attach_pt(vdev, ioas->ioas_id, errp);
    }
    QLIST_FOREACH(hwpt, &ioas->hwpts, next)
    {
        Error *err = NULL;
        int ret;

        if (hwpt->flags != flags) {
            continue;
        }
        ret = vfio_attach_pt(vdev, hwpt->hwpt_id, &err);
        if (!ret) {
            hwpt->users++;
            vdev->hwpt = hwpt;
            return true;
        }
        if (ret != EINVAL) {
            error_propagate(errp, err);
            return false;
        }
        error_free(err);
    }
    if (!iommufd_backend_alloc_hwpt(ioas->be, vdev->devid, ioas->ioas_id, flags,
                                    IOMMU_HWPT_DATA_NONE, 0, NULL, &id, errp)) {
        return false;
    }
    if (vfio_attach_pt(vdev, id, errp)) {
        iommufd_backend_free_id(ioas->be, id);
        return false;
    }
    hwpt = g_new0(VFIOHwpt, 1);
    hwpt->hwpt_id = id;
    hwpt->flags = flags;
    hwpt->users = 1;
    QLIST_INSERT_HEAD(&ioas->hwpts, hwpt, next);
    vdev->hwpt = hwpt;
    return true;
}

static bool vfio_bind(VFIODevice *vdev, Error **errp)
{
    struct vfio_device_bind_iommufd cmd = {
        .argsz = sizeof(cmd),
        .iommufd = vdev->iommufd->fd,
    };

    if (!vfio_device_ioctl(vdev, VFIO_DEVICE_BIND_IOMMUFD, &cmd, errp)) {
        return false;
    }
    vdev->devid = cmd.out_devid;
    return true;
}

static bool vfio_host_info(VFIODevice *vdev, VFIOHostInfo *hi, Error **errp)
{
    struct iommu_hw_info_vtd vtd = {0};
    struct iommu_hw_info info = {
        .dev_id = vdev->devid,
        .data_len = sizeof(vtd),
        .data_uptr = (uintptr_t)&vtd,
        .in_data_type = IOMMU_HW_INFO_TYPE_DEFAULT,
    };

    if (!iommufd_backend_get_hw_info(vdev->iommufd, &info, errp)) {
        return false;
    }
    hi->type = info.out_data_type;
    hi->caps = info.out_capabilities;
    hi->vtd = vtd;
    return true;
}

static bool vfio_hiod_create(VFIODevice *vdev, Error **errp)
{
    HostIOMMUDevice *hiod =
        HOST_IOMMU_DEVICE(object_new(TYPE_HOST_IOMMU_DEVICE_IOMMUFD_VFIO));

    if (!host_iommu_device_realize(hiod, vdev, errp)) {
        object_unref(hiod);
        return false;
    }
    vdev->hiod = hiod;
    return true;
}

/*
 * Undoes whatever attach got to. The device file is closed (unbinding
 * it, which also detaches it) before the HWPT and IOAS are destroyed,
 * so they are freed even when the explicit detach failed.
 */
static void vfio_device_release(VFIODevice *vdev)
{
    VFIOIOAS *ioas = vdev->ioas;

    if (vdev->hiod) {
        object_unref(vdev->hiod);
        vdev->hiod = NULL;
    }
    vfio_device_free_regions(vdev);
    if (vdev->attached) {
        struct vfio_device_detach_iommufd_pt cmd = {.argsz = sizeof(cmd)};
        Error *err = NULL;

        if (!vfio_device_ioctl(vdev, VFIO_DEVICE_DETACH_IOMMUFD_PT, &cmd,
                               &err)) {
            error_prepend(&err, "%s: ", vdev->name ? vdev->name : "vfio");
            warn_report_err(err);
        }
        vdev->attached = false;
    }
    if (vdev->fd >= 0) {
        host_ops()->close(vdev->fd);
        vdev->fd = -1;
        vdev->fd_passed = false;
    }
    if (vdev->hwpt) {
        vfio_hwpt_put(ioas, vdev->hwpt);
        vdev->hwpt = NULL;
    }
    if (ioas) {
        vfio_ioas_put(ioas);
        vdev->ioas = NULL;
    }
    if (vdev->iommufd) {
        iommufd_backend_disconnect(vdev->iommufd);
        vdev->iommufd = NULL;
    }
    vdev->devid = 0;
    vdev->pt_id = 0;
}

static bool vfio_device_open(VFIODevice *vdev, Error **errp)
{
    int fd;

    if (vdev->fd_passed) {
        return true;
    }
    if (!vdev->cdev_path) {
        error_setg(errp, "No VFIO cdev known for %s",
                   vdev->name ? vdev->name : "the device");
        return false;
    }
    fd = host_ops()->open(vdev->cdev_path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not open %s", vdev->cdev_path);
        return false;
    }
    vdev->fd = fd;
    return true;
}

static bool vfio_device_bring_up(VFIODevice *vdev, AddressSpace *as,
                                 uint64_t viommu_flags, Error **errp)
{
    bool nest = viommu_flags & VIOMMU_FLAG_WANT_NESTING_PARENT;
    VFIOHostInfo hi;
    bool bypass_ro;

    if (!vfio_device_open(vdev, errp) || !vfio_bind(vdev, errp) ||
        !vfio_host_info(vdev, &hi, errp)) {
        return false;
    }
    bypass_ro = nest && hi.type == IOMMU_HW_INFO_TYPE_INTEL_VTD &&
                (hi.vtd.flags & IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17);
    vdev->ioas = vfio_ioas_get(vdev->iommufd, as, bypass_ro, errp);
    if (!vdev->ioas ||
        !vfio_attach_stage2(vdev, vfio_hwpt_flags(viommu_flags, hi.caps),
                            errp)) {
        return false;
    }
    if (!vdev->ioas->mapped) {
        if (!vfio_ioas_map_ram(vdev->ioas, errp)) {
            return false;
        }
        vdev->ioas->mapped = true;
    }
    return vfio_hiod_create(vdev, errp) && vfio_device_read_info(vdev, errp);
}

bool vfio_device_attach(VFIODevice *vdev, IOMMUFDBackend *be, AddressSpace *as,
                        uint64_t viommu_flags, Error **errp)
{
    g_assert(!vdev->iommufd);
    if (!be) {
        error_setg(errp, VFIO_ERR_NO_IOMMUFD);
        return false;
    }
    if (!iommufd_backend_connect(be, errp)) {
        return false;
    }
    vdev->iommufd = be;
    if (!vfio_device_bring_up(vdev, as, viommu_flags, errp)) {
        vfio_device_release(vdev);
        return false;
    }
    return true;
}

void vfio_device_detach(VFIODevice *vdev)
{
    vfio_device_release(vdev);
}

bool vfio_device_attach_hwpt(VFIODevice *vdev, uint32_t hwpt_id, Error **errp)
{
    return !vfio_attach_pt(vdev, hwpt_id, errp);
}

bool vfio_device_detach_hwpt(VFIODevice *vdev, Error **errp)
{
    if (!vdev->ioas) {
        error_setg(errp, "%s is not attached", vdev->name);
        return false;
    }
    return vfio_device_attach_hwpt(
        vdev, vdev->hwpt ? vdev->hwpt->hwpt_id : vdev->ioas->ioas_id, errp);
}

/* HostIOMMUDevice for VFIO devices */

static bool hiod_vfio_realize(HostIOMMUDevice *hiod, void *agent, Error **errp)
{
    HostIOMMUDeviceClass *parent = HOST_IOMMU_DEVICE_CLASS(
        object_class_by_name(TYPE_HOST_IOMMU_DEVICE_IOMMUFD));
    VFIODevice *vdev = agent;

    g_free(hiod->name);
    hiod->name = g_strdup(vdev->name);
    hiod->iommufd = vdev->iommufd;
    hiod->devid = vdev->devid;
    hiod->hwpt_id = vdev->pt_id;
    hiod->ioas_id = vdev->ioas->ioas_id;
    hiod->default_pt_id =
        vdev->hwpt ? vdev->hwpt->hwpt_id : vdev->ioas->ioas_id;
    return parent->realize(hiod, agent, errp);
}

static bool hiod_vfio_attach_hwpt(HostIOMMUDevice *hiod, uint32_t hwpt_id,
                                  Error **errp)
{
    return vfio_device_attach_hwpt(hiod->agent, hwpt_id, errp);
}

static bool hiod_vfio_detach_hwpt(HostIOMMUDevice *hiod, Error **errp)
{
    return vfio_device_detach_hwpt(hiod->agent, errp);
}

static void hiod_vfio_class_init(ObjectClass *oc, const void *data)
{
    HostIOMMUDeviceClass *hc = HOST_IOMMU_DEVICE_CLASS(oc);

    hc->realize = hiod_vfio_realize;
    hc->attach_hwpt = hiod_vfio_attach_hwpt;
    hc->detach_hwpt = hiod_vfio_detach_hwpt;
}

static const TypeInfo hiod_vfio_types[] = {
    {
        .name = TYPE_HOST_IOMMU_DEVICE_IOMMUFD_VFIO,
        .parent = TYPE_HOST_IOMMU_DEVICE_IOMMUFD,
        .class_init = hiod_vfio_class_init,
    },
};

DEFINE_TYPES(hiod_vfio_types)
