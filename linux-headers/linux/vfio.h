/*
 * VFIO user API, declared from the kernel's ABI facts: the device side
 * used with VFIO cdevs (/dev/vfio/devices/vfioN) bound to iommufd.
 *
 * Requests use the _IO form with type ';' (0x3B) and numbers from
 * VFIO_BASE (100); the argument size travels in "argsz".
 */
#ifndef _UAPIVFIO_H
#define _UAPIVFIO_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VFIO_API_VERSION 0

#define VFIO_TYPE (';')
#define VFIO_BASE 100

/* Container and group ioctls (legacy interface) */
#define VFIO_GET_API_VERSION _IO(VFIO_TYPE, VFIO_BASE + 0)
#define VFIO_CHECK_EXTENSION _IO(VFIO_TYPE, VFIO_BASE + 1)
#define VFIO_SET_IOMMU _IO(VFIO_TYPE, VFIO_BASE + 2)
#define VFIO_GROUP_GET_STATUS _IO(VFIO_TYPE, VFIO_BASE + 3)
#define VFIO_GROUP_SET_CONTAINER _IO(VFIO_TYPE, VFIO_BASE + 4)
#define VFIO_GROUP_UNSET_CONTAINER _IO(VFIO_TYPE, VFIO_BASE + 5)
#define VFIO_GROUP_GET_DEVICE_FD _IO(VFIO_TYPE, VFIO_BASE + 6)

/* Device ioctls */
#define VFIO_DEVICE_GET_INFO _IO(VFIO_TYPE, VFIO_BASE + 7)
#define VFIO_DEVICE_GET_REGION_INFO _IO(VFIO_TYPE, VFIO_BASE + 8)
#define VFIO_DEVICE_GET_IRQ_INFO _IO(VFIO_TYPE, VFIO_BASE + 9)
#define VFIO_DEVICE_SET_IRQS _IO(VFIO_TYPE, VFIO_BASE + 10)
#define VFIO_DEVICE_RESET _IO(VFIO_TYPE, VFIO_BASE + 11)
#define VFIO_DEVICE_GET_PCI_HOT_RESET_INFO _IO(VFIO_TYPE, VFIO_BASE + 12)
#define VFIO_DEVICE_PCI_HOT_RESET _IO(VFIO_TYPE, VFIO_BASE + 13)
#define VFIO_DEVICE_QUERY_GFX_PLANE _IO(VFIO_TYPE, VFIO_BASE + 14)
#define VFIO_DEVICE_GET_GFX_DMABUF _IO(VFIO_TYPE, VFIO_BASE + 15)
#define VFIO_DEVICE_IOEVENTFD _IO(VFIO_TYPE, VFIO_BASE + 16)
#define VFIO_DEVICE_FEATURE _IO(VFIO_TYPE, VFIO_BASE + 17)
#define VFIO_DEVICE_BIND_IOMMUFD _IO(VFIO_TYPE, VFIO_BASE + 18)
#define VFIO_DEVICE_ATTACH_IOMMUFD_PT _IO(VFIO_TYPE, VFIO_BASE + 19)
#define VFIO_DEVICE_DETACH_IOMMUFD_PT _IO(VFIO_TYPE, VFIO_BASE + 20)
#define VFIO_MIG_GET_PRECOPY_INFO _IO(VFIO_TYPE, VFIO_BASE + 21)

/* Type1 container ioctls reuse device numbers on the container fd. */
#define VFIO_IOMMU_GET_INFO _IO(VFIO_TYPE, VFIO_BASE + 12)
#define VFIO_IOMMU_MAP_DMA _IO(VFIO_TYPE, VFIO_BASE + 13)
#define VFIO_IOMMU_UNMAP_DMA _IO(VFIO_TYPE, VFIO_BASE + 14)
#define VFIO_IOMMU_ENABLE _IO(VFIO_TYPE, VFIO_BASE + 15)
#define VFIO_IOMMU_DISABLE _IO(VFIO_TYPE, VFIO_BASE + 16)
#define VFIO_IOMMU_DIRTY_PAGES _IO(VFIO_TYPE, VFIO_BASE + 17)

/*
 * Capability chains: cap_offset and every "next" are byte offsets from
 * the start of the info buffer; 0 ends the chain.
 */
struct vfio_info_cap_header {
    __u16 id;
    __u16 version;
    __u32 next;
};

/* VFIO_DEVICE_GET_INFO */

struct vfio_device_info {
    __u32 argsz;
    __u32 flags;
#define VFIO_DEVICE_FLAGS_RESET (1 << 0)
#define VFIO_DEVICE_FLAGS_PCI (1 << 1)
#define VFIO_DEVICE_FLAGS_PLATFORM (1 << 2)
#define VFIO_DEVICE_FLAGS_AMBA (1 << 3)
#define VFIO_DEVICE_FLAGS_CCW (1 << 4)
#define VFIO_DEVICE_FLAGS_AP (1 << 5)
#define VFIO_DEVICE_FLAGS_FSL_MC (1 << 6)
#define VFIO_DEVICE_FLAGS_CAPS (1 << 7)
#define VFIO_DEVICE_FLAGS_CDX (1 << 8)
    __u32 num_regions;
    __u32 num_irqs;
    __u32 cap_offset;
    __u32 pad;
};

#define VFIO_DEVICE_INFO_CAP_ZPCI_BASE 1
#define VFIO_DEVICE_INFO_CAP_ZPCI_GROUP 2
#define VFIO_DEVICE_INFO_CAP_ZPCI_UTIL 3
#define VFIO_DEVICE_INFO_CAP_ZPCI_PFIP 4
#define VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP 5

/* Widths for which AtomicOp completion to the root port was enabled. */
struct vfio_device_info_cap_pci_atomic_comp {
    struct vfio_info_cap_header header;
    __u32 flags;
#define VFIO_PCI_ATOMIC_COMP32 (1 << 0)
#define VFIO_PCI_ATOMIC_COMP64 (1 << 1)
#define VFIO_PCI_ATOMIC_COMP128 (1 << 2)
    __u32 reserved;
};

/* VFIO_DEVICE_GET_REGION_INFO */

struct vfio_region_info {
    __u32 argsz;
    __u32 flags;
#define VFIO_REGION_INFO_FLAG_READ (1 << 0)
#define VFIO_REGION_INFO_FLAG_WRITE (1 << 1)
#define VFIO_REGION_INFO_FLAG_MMAP (1 << 2)
#define VFIO_REGION_INFO_FLAG_CAPS (1 << 3)
    __u32 index;
    __u32 cap_offset;
    __aligned_u64 size;
    __aligned_u64 offset; /* file offset of the region in the device fd */
};

#define VFIO_REGION_INFO_CAP_SPARSE_MMAP 1
#define VFIO_REGION_INFO_CAP_TYPE 2
#define VFIO_REGION_INFO_CAP_MSIX_MAPPABLE 3
#define VFIO_REGION_INFO_CAP_NVLINK2_SSATGT 4
#define VFIO_REGION_INFO_CAP_NVLINK2_LNKSPD 5

struct vfio_region_sparse_mmap_area {
    __aligned_u64 offset;
    __aligned_u64 size;
};

struct vfio_region_info_cap_sparse_mmap {
    struct vfio_info_cap_header header;
    __u32 nr_areas;
    __u32 reserved;
    struct vfio_region_sparse_mmap_area areas[];
};

struct vfio_region_info_cap_type {
    struct vfio_info_cap_header header;
    __u32 type;
    __u32 subtype;
};

/* vfio-pci fixed region indexes; higher ones are device specific. */
enum {
    VFIO_PCI_BAR0_REGION_INDEX,
    VFIO_PCI_BAR1_REGION_INDEX,
    VFIO_PCI_BAR2_REGION_INDEX,
    VFIO_PCI_BAR3_REGION_INDEX,
    VFIO_PCI_BAR4_REGION_INDEX,
    VFIO_PCI_BAR5_REGION_INDEX,
    VFIO_PCI_ROM_REGION_INDEX,
    VFIO_PCI_CONFIG_REGION_INDEX,
    VFIO_PCI_VGA_REGION_INDEX,
    VFIO_PCI_NUM_REGIONS,
};

/* VFIO_DEVICE_GET_IRQ_INFO / VFIO_DEVICE_SET_IRQS */

struct vfio_irq_info {
    __u32 argsz;
    __u32 flags;
#define VFIO_IRQ_INFO_EVENTFD (1 << 0)
#define VFIO_IRQ_INFO_MASKABLE (1 << 1)
#define VFIO_IRQ_INFO_AUTOMASKED (1 << 2)
#define VFIO_IRQ_INFO_NORESIZE (1 << 3)
    __u32 index;
    __u32 count;
};

struct vfio_irq_set {
    __u32 argsz;
    __u32 flags;
#define VFIO_IRQ_SET_DATA_NONE (1 << 0)
#define VFIO_IRQ_SET_DATA_BOOL (1 << 1)
#define VFIO_IRQ_SET_DATA_EVENTFD (1 << 2)
#define VFIO_IRQ_SET_ACTION_MASK (1 << 3)
#define VFIO_IRQ_SET_ACTION_UNMASK (1 << 4)
#define VFIO_IRQ_SET_ACTION_TRIGGER (1 << 5)
    __u32 index;
    __u32 start;
    __u32 count;
    __u8 data[];
};

#define VFIO_IRQ_SET_DATA_TYPE_MASK                                            \
    (VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_DATA_BOOL |                         \
     VFIO_IRQ_SET_DATA_EVENTFD)
#define VFIO_IRQ_SET_ACTION_TYPE_MASK                                          \
    (VFIO_IRQ_SET_ACTION_MASK | VFIO_IRQ_SET_ACTION_UNMASK |                   \
     VFIO_IRQ_SET_ACTION_TRIGGER)

enum {
    VFIO_PCI_INTX_IRQ_INDEX,
    VFIO_PCI_MSI_IRQ_INDEX,
    VFIO_PCI_MSIX_IRQ_INDEX,
    VFIO_PCI_ERR_IRQ_INDEX,
    VFIO_PCI_REQ_IRQ_INDEX,
    VFIO_PCI_NUM_IRQS,
};

/* VFIO_DEVICE_FEATURE */

struct vfio_device_feature {
    __u32 argsz;
    __u32 flags;
#define VFIO_DEVICE_FEATURE_MASK (0xffff)
#define VFIO_DEVICE_FEATURE_GET (1 << 16)
#define VFIO_DEVICE_FEATURE_SET (1 << 17)
#define VFIO_DEVICE_FEATURE_PROBE (1 << 18)
    __u8 data[];
};

#define VFIO_DEVICE_FEATURE_PCI_VF_TOKEN 0
#define VFIO_DEVICE_FEATURE_MIGRATION 1
#define VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE 2
#define VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY 3
#define VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP 4
#define VFIO_DEVICE_FEATURE_LOW_POWER_EXIT 5
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_START 6
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP 7
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT 8
#define VFIO_DEVICE_FEATURE_MIG_DATA_SIZE 9
#define VFIO_DEVICE_FEATURE_BUS_MASTER 10
#define VFIO_DEVICE_FEATURE_DMA_BUF 11

/* cdev + iommufd */

/* Older kernels know only the first 16 bytes. */
struct vfio_device_bind_iommufd {
    __u32 argsz;
    __u32 flags;
#define VFIO_DEVICE_BIND_FLAG_TOKEN (1 << 0)
    __s32 iommufd;
    __u32 out_devid;
    __aligned_u64 token_uuid_ptr;
};

/* pt_id: in = IOAS or HWPT ID, out = the HWPT actually attached. */
struct vfio_device_attach_iommufd_pt {
    __u32 argsz;
    __u32 flags;
#define VFIO_DEVICE_ATTACH_PASID (1 << 0)
    __u32 pt_id;
    __u32 pasid;
};

struct vfio_device_detach_iommufd_pt {
    __u32 argsz;
    __u32 flags;
#define VFIO_DEVICE_DETACH_PASID (1 << 0)
    __u32 pasid;
};

#endif
