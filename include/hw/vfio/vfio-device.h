/*
 * The VFIO device core: one host device reached through its VFIO cdev and
 * an iommufd. It finds the device (host=, sysfsdev= or fd=), binds it to
 * an iommufd, attaches it to an IOAS or stage-2 HWPT shared with the other
 * devices of the same iommufd and DMA address space, maps that address
 * space's guest RAM, and gives access to the device's info, regions,
 * IRQ info and reset. Device models (vfio-pci) embed a VFIODevice.
 *
 * Lifecycle, as a device model drives it:
 *   vfio_device_init()            at instance init
 *   vfio_device_set_fd()          from an fd= property setter
 *   vfio_device_get_name()        early in realize: which host device
 *   vfio_device_attach()          open, bind, attach, map, HostIOMMUDevice,
 *                                 device info
 *   ... regions, IRQ info, reset, vfio_device_hiod() for the vIOMMU ...
 *   vfio_device_detach()          at unrealize (after the vIOMMU let go)
 *   vfio_device_finalize()        at instance finalize
 *
 * Only the iommufd backend exists: the legacy VFIO container/group path
 * is not built, and attaching without an iommufd object is an error.
 * Every host access goes through the host boundary (backends/host-ops.h).
 */
#ifndef HW_VFIO_VFIO_DEVICE_H
#define HW_VFIO_VFIO_DEVICE_H

#include "qemu/osdep.h"
#include "qemu/error.h"
#include "system/memory.h"
#include "backends/host-iommu-device.h"
#include "backends/iommufd.h"
#include <linux/vfio.h>

/* The HostIOMMUDevice VFIO creates: iommufd flavour + attach/detach. */
#define TYPE_HOST_IOMMU_DEVICE_IOMMUFD_VFIO "host-iommu-device-iommufd-vfio"

/* The text of the error for a device given no iommufd object. */
#define VFIO_ERR_NO_IOMMUFD                                                    \
    "vfio-pci: iommufd is required: the legacy VFIO container/group "          \
    "backend is not supported; use -object iommufd,id=ID and iommufd=ID"

/* An IOAS shared by the devices of one iommufd + address space. */
typedef struct VFIOIOAS VFIOIOAS;
/* A stage-2 HWPT allocated by VFIO inside a VFIOIOAS. */
typedef struct VFIOHwpt VFIOHwpt;

typedef struct VFIODevice {
    /*
     * Identification, set by the owner before vfio_device_get_name().
     * host and sysfsdev stay the owner's (typically qdev string
     * properties); owner_id names an fd-passed device in messages.
     */
    char *host;     /* "DDDD:BB:DD.F" or "BB:DD.F" */
    char *sysfsdev; /* "/sys/bus/pci/devices/DDDD:BB:DD.F" */
    const char *owner_id;

    /* Set by vfio_device_get_name() */
    char *name;      /* canonical host address, or the owner id */
    char *cdev_path; /* "/dev/vfio/devices/vfioN"; NULL with fd= */

    /* The device file: opened by attach, or passed with fd= (owned). */
    int fd;
    bool fd_passed;

    /* While attached */
    IOMMUFDBackend *iommufd;
    uint32_t devid; /* iommufd device id (VFIO_DEVICE_BIND_IOMMUFD) */
    VFIOIOAS *ioas;
    VFIOHwpt *hwpt; /* NULL: attached straight to the IOAS */
    bool attached;
    uint32_t pt_id; /* HWPT the kernel reports attached */
    HostIOMMUDevice *hiod;
    struct vfio_device_info *info;     /* with its capability chain */
    struct vfio_region_info **regions; /* cache, info->num_regions slots */
} VFIODevice;

void vfio_device_init(VFIODevice *vdev);
/* Frees what is left: name, caches, an fd= never consumed. */
void vfio_device_finalize(VFIODevice *vdev);

/*
 * fd=: a decimal fd number or a getfd name (resolved now, so a name is
 * taken from the monitor). The device owns the fd from here on.
 */
bool vfio_device_set_fd(VFIODevice *vdev, const char *str, Error **errp);

/*
 * Settles which host device this is: sysfsdev= wins over host=; with
 * fd= alone the name is the owner id. For host=/sysfsdev= the device
 * must exist and be bound to vfio-pci (it must have a VFIO cdev).
 */
bool vfio_device_get_name(VFIODevice *vdev, Error **errp);

/*
 * Connects to be, opens the cdev (unless fd= was given), binds it,
 * attaches it for DMA in as (a shared IOAS; a stage-2 HWPT with
 * IOMMU_HWPT_ALLOC_NEST_PARENT when viommu_flags has
 * VIOMMU_FLAG_WANT_NESTING_PARENT, or with DIRTY_TRACKING where the host
 * has it; else the IOAS itself), maps the guest RAM of as into a new
 * IOAS, realizes the HostIOMMUDevice and reads the device info. be NULL
 * fails with VFIO_ERR_NO_IOMMUFD. On failure nothing is left behind.
 */
bool vfio_device_attach(VFIODevice *vdev, IOMMUFDBackend *be, AddressSpace *as,
                        uint64_t viommu_flags, Error **errp);
/* Reverse of attach: detach, free shared objects when unused, close. */
void vfio_device_detach(VFIODevice *vdev);

/* VFIO_DEVICE_ATTACH_IOMMUFD_PT (replace) to a HWPT, e.g. a nested one. */
bool vfio_device_attach_hwpt(VFIODevice *vdev, uint32_t hwpt_id, Error **errp);
/* Back to the default stage 2: the VFIO-allocated HWPT or the IOAS. */
bool vfio_device_detach_hwpt(VFIODevice *vdev, Error **errp);

/* The HostIOMMUDevice (borrowed), valid while attached. */
HostIOMMUDevice *vfio_device_hiod(VFIODevice *vdev);

/*
 * Capability chains (device info, region info). Finds capability id of
 * at least min_size bytes in buf[0..len) starting at offset first; NULL
 * if absent or the chain is malformed.
 */
const struct vfio_info_cap_header *
vfio_info_find_cap(const void *buf, size_t len, uint32_t first, uint16_t id,
                   size_t min_size);
const struct vfio_info_cap_header *
vfio_device_find_info_cap(VFIODevice *vdev, uint16_t id, size_t min_size);
/*
 * The widths of AtomicOp completion the host enabled for the device
 * (VFIO_PCI_ATOMIC_COMP*); false when the capability is absent.
 */
bool vfio_device_get_atomic_comp(VFIODevice *vdev, uint32_t *flags);

bool vfio_device_get_irq_info(VFIODevice *vdev, uint32_t index,
                              struct vfio_irq_info *info, Error **errp);
/* VFIO_DEVICE_RESET; an error if the device does not support it. */
bool vfio_device_reset(VFIODevice *vdev, Error **errp);

/* Regions (hw/vfio/region.c) */

/* Cached VFIO_DEVICE_GET_REGION_INFO, with its capability chain. */
const struct vfio_region_info *
vfio_device_get_region_info(VFIODevice *vdev, uint32_t index, Error **errp);
const struct vfio_info_cap_header *
vfio_region_find_cap(const struct vfio_region_info *info, uint16_t id,
                     size_t min_size);
/*
 * Reads/writes len bytes at off inside region index (pread/pwrite at the
 * region's file offset). Returns len, or -1 with errp set when the range
 * is outside the region, the region lacks READ/WRITE or the host fails.
 */
ssize_t vfio_region_read(VFIODevice *vdev, uint32_t index, uint64_t off,
                         void *buf, size_t len, Error **errp);
ssize_t vfio_region_write(VFIODevice *vdev, uint32_t index, uint64_t off,
                          const void *buf, size_t len, Error **errp);

/*
 * A region as guest MMIO (e.g. a BAR): accesses of 1 to 8 bytes go to
 * the host with pread/pwrite; a failed one reads as all-ones, returns
 * MEMTX_ERROR and is reported.
 */
typedef struct VFIORegion {
    VFIODevice *vdev;
    MemoryRegion mem;
    uint32_t index;
    uint32_t flags; /* VFIO_REGION_INFO_FLAG_* */
    uint64_t size;
} VFIORegion;

/* Sets up region->mem (size 0 when the device lacks the region). */
bool vfio_region_setup(Object *owner, VFIODevice *vdev, VFIORegion *region,
                       uint32_t index, const char *name, Error **errp);
/* Frees region->mem; it must be unmapped. */
void vfio_region_finalize(VFIORegion *region);

#endif
