/*
 * The iommufd flavour of HostIOMMUDevice: its answers come from
 * IOMMU_GET_HW_INFO and the IOAS IOVA ranges, read once at realize.
 *
 * Abstract: a subclass owning the device file (VFIO's, in hw/vfio) sets
 * iommufd, devid, ioas_id, hwpt_id and default_pt_id, then chains to
 * this realize, and implements attach_hwpt/detach_hwpt.
 */
#include "qemu/osdep.h"
#include "backends/host-iommu-device.h"
#include "backends/iommufd.h"

/* Bits needed to address up to the highest usable IOVA (64 if none). */
static uint8_t iova_ranges_aw_bits(GArray *ranges)
{
    uint64_t last = 0;

    if (!ranges->len) {
        return 64;
    }
    for (unsigned i = 0; i < ranges->len; i++) {
        last =
            MAX(last, g_array_index(ranges, struct iommu_iova_range, i).last);
    }
    return last ? 64 - __builtin_clzll(last) : 1;
}

static bool hiod_iommufd_realize(HostIOMMUDevice *hiod, void *agent,
                                 Error **errp)
{
    HostIOMMUDeviceCaps *caps = &hiod->caps;
    struct iommu_hw_info info = {
        .dev_id = hiod->devid,
        .data_len = sizeof(caps->vendor),
        .data_uptr = (uintptr_t)&caps->vendor,
        .in_data_type = IOMMU_HW_INFO_TYPE_DEFAULT,
    };
    g_autoptr(GArray) ranges = NULL;

    hiod->agent = agent;
    if (!iommufd_backend_get_hw_info(hiod->iommufd, &info, errp) ||
        !iommufd_backend_get_iova_ranges(hiod->iommufd, hiod->ioas_id, &ranges,
                                         errp)) {
        return false;
    }
    caps->type = info.out_data_type;
    caps->hw_caps = info.out_capabilities;
    caps->max_pasid_log2 = info.out_max_pasid_log2;
    caps->vendor_len = MIN(info.data_len, sizeof(caps->vendor));
    caps->aw_bits = iova_ranges_aw_bits(ranges);
    return true;
}

static int hiod_iommufd_get_cap(HostIOMMUDevice *hiod, int cap, Error **errp)
{
    switch (cap) {
    case HOST_IOMMU_DEVICE_CAP_IOMMU_TYPE:
        return hiod->caps.type;
    case HOST_IOMMU_DEVICE_CAP_AW_BITS:
        return hiod->caps.aw_bits;
    default:
        error_setg(errp, "%s: unsupported capability %x", hiod->name, cap);
        return -EINVAL;
    }
}

static bool hiod_iommufd_get_pasid_info(HostIOMMUDevice *hiod, uint8_t *width,
                                        bool *exec, bool *priv)
{
    const HostIOMMUDeviceCaps *caps = &hiod->caps;

    if (!caps->max_pasid_log2) {
        return false;
    }
    *width = caps->max_pasid_log2;
    *exec = caps->hw_caps & IOMMU_HW_CAP_PCI_PASID_EXEC;
    *priv = caps->hw_caps & IOMMU_HW_CAP_PCI_PASID_PRIV;
    return true;
}

static bool hiod_iommufd_get_ats_supported(HostIOMMUDevice *hiod)
{
    return !(hiod->caps.hw_caps & IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED);
}

static uint64_t hiod_iommufd_get_quirks(HostIOMMUDevice *hiod)
{
    const HostIOMMUDeviceCaps *caps = &hiod->caps;

    if (caps->type == IOMMU_HW_INFO_TYPE_INTEL_VTD &&
        caps->vendor_len >= sizeof(caps->vendor.vtd.flags) &&
        (caps->vendor.vtd.flags & IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17)) {
        return HOST_IOMMU_QUIRK_NESTING_PARENT_BYPASS_RO;
    }
    return 0;
}

static void hiod_iommufd_class_init(ObjectClass *oc, const void *data)
{
    HostIOMMUDeviceClass *hc = HOST_IOMMU_DEVICE_CLASS(oc);

    hc->realize = hiod_iommufd_realize;
    hc->get_cap = hiod_iommufd_get_cap;
    hc->get_pasid_info = hiod_iommufd_get_pasid_info;
    hc->get_ats_supported = hiod_iommufd_get_ats_supported;
    hc->get_quirks = hiod_iommufd_get_quirks;
}

static const TypeInfo hiod_iommufd_types[] = {
    {
        .name = TYPE_HOST_IOMMU_DEVICE_IOMMUFD,
        .parent = TYPE_HOST_IOMMU_DEVICE,
        .abstract = true,
        .class_init = hiod_iommufd_class_init,
    },
};

DEFINE_TYPES(hiod_iommufd_types)
