/*
 * HostIOMMUDevice: what the host IOMMU says about one assigned device,
 * built from IOMMU_GET_HW_INFO after the device is attached. The vIOMMU
 * receives it through set_iommu_device and asks it questions; it never
 * talks to VFIO directly.
 */
#ifndef BACKENDS_HOST_IOMMU_DEVICE_H
#define BACKENDS_HOST_IOMMU_DEVICE_H

#include "qom/object.h"
#include "qemu/bitops.h"
#include <linux/iommufd.h>

#define TYPE_HOST_IOMMU_DEVICE "host-iommu-device"
#define TYPE_HOST_IOMMU_DEVICE_IOMMUFD "host-iommu-device-iommufd"

typedef struct IOMMUFDBackend IOMMUFDBackend;

/* get_cap identifiers */
enum {
    HOST_IOMMU_DEVICE_CAP_IOMMU_TYPE = 0, /* IOMMU_HW_INFO_TYPE_* */
    HOST_IOMMU_DEVICE_CAP_AW_BITS = 1,    /* host address width */
};

/* Host errata that change how the nesting parent may be used. */
#define HOST_IOMMU_QUIRK_NESTING_PARENT_BYPASS_RO BIT_ULL(0)

typedef struct HostIOMMUDeviceCaps {
    uint32_t type;          /* IOMMU_HW_INFO_TYPE_* returned by the kernel */
    uint64_t hw_caps;       /* out_capabilities (IOMMU_HW_CAP_*) */
    uint8_t max_pasid_log2; /* 0: no PASID */
    uint8_t aw_bits;        /* from the IOAS IOVA ranges (<= 64) */
    union {
        struct iommu_hw_info_vtd vtd;
        struct iommu_hw_info_arm_smmuv3 smmuv3;
    } vendor;
    uint32_t vendor_len;    /* bytes of vendor data the kernel returned */
} HostIOMMUDeviceCaps;

typedef struct HostIOMMUDevice {
    Object parent_obj;
    char *name;             /* the assigned device's id/host address */
    HostIOMMUDeviceCaps caps;
    IOMMUFDBackend *iommufd;
    uint32_t devid;         /* iommufd device id */
    uint32_t hwpt_id;       /* currently attached HWPT */
    uint32_t ioas_id;       /* the IOAS holding guest RAM (stage 2) */
    /*
     * What detach_hwpt re-attaches to: the stage-2 HWPT VFIO allocated
     * (the nesting parent, when the vIOMMU asked for one) or the IOAS.
     */
    uint32_t default_pt_id;
    void *agent;            /* the VFIO device this describes */
} HostIOMMUDevice;

typedef struct HostIOMMUDeviceClass {
    ObjectClass parent_class;
    /* Reads the hw info; called once after attach. */
    bool (*realize)(HostIOMMUDevice *hiod, void *agent, Error **errp);
    /* Value of a HOST_IOMMU_DEVICE_CAP_*; negative + errp if unsupported. */
    int (*get_cap)(HostIOMMUDevice *hiod, int cap, Error **errp);
    /* PASID support of the device: false when max_pasid_log2 == 0. */
    bool (*get_pasid_info)(HostIOMMUDevice *hiod, uint8_t *width, bool *exec,
                           bool *priv);
    /* Host allows ATS for this device (no IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED). */
    bool (*get_ats_supported)(HostIOMMUDevice *hiod);
    uint64_t (*get_quirks)(HostIOMMUDevice *hiod);
    /* Attach the device to a HWPT (replace) / back to its default one. */
    bool (*attach_hwpt)(HostIOMMUDevice *hiod, uint32_t hwpt_id, Error **errp);
    bool (*detach_hwpt)(HostIOMMUDevice *hiod, Error **errp);
} HostIOMMUDeviceClass;

#define HOST_IOMMU_DEVICE(obj)                                                 \
    OBJECT_CHECK(HostIOMMUDevice, (obj), TYPE_HOST_IOMMU_DEVICE)
#define HOST_IOMMU_DEVICE_CLASS(klass)                                         \
    OBJECT_CLASS_CHECK(HostIOMMUDeviceClass, (klass), TYPE_HOST_IOMMU_DEVICE)
#define HOST_IOMMU_DEVICE_GET_CLASS(obj)                                       \
    OBJECT_GET_CLASS(HostIOMMUDeviceClass, (obj), TYPE_HOST_IOMMU_DEVICE)

int host_iommu_device_get_cap(HostIOMMUDevice *hiod, int cap, Error **errp);
bool host_iommu_device_get_pasid_info(HostIOMMUDevice *hiod, uint8_t *width,
                                      bool *exec, bool *priv);
bool host_iommu_device_ats_supported(HostIOMMUDevice *hiod);
/* Wrappers of the class hooks; a missing hook is an error / no quirks. */
bool host_iommu_device_realize(HostIOMMUDevice *hiod, void *agent,
                               Error **errp);
uint64_t host_iommu_device_get_quirks(HostIOMMUDevice *hiod);
bool host_iommu_device_attach_hwpt(HostIOMMUDevice *hiod, uint32_t hwpt_id,
                                   Error **errp);
bool host_iommu_device_detach_hwpt(HostIOMMUDevice *hiod, Error **errp);

#endif
