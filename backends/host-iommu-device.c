/*
 * HostIOMMUDevice, the abstract base: what the host IOMMU reports about
 * one assigned device, asked through the class hooks.
 */
#include "qemu/osdep.h"
#include "backends/host-iommu-device.h"

static HostIOMMUDeviceClass *hiod_class(HostIOMMUDevice *hiod)
{
    return HOST_IOMMU_DEVICE_GET_CLASS(hiod);
}

bool host_iommu_device_realize(HostIOMMUDevice *hiod, void *agent, Error **errp)
{
    HostIOMMUDeviceClass *hc = hiod_class(hiod);

    if (!hc->realize) {
        error_setg(errp, "%s cannot be realized",
                   object_get_typename(OBJECT(hiod)));
        return false;
    }
    return hc->realize(hiod, agent, errp);
}

int host_iommu_device_get_cap(HostIOMMUDevice *hiod, int cap, Error **errp)
{
    HostIOMMUDeviceClass *hc = hiod_class(hiod);

    if (!hc->get_cap) {
        error_setg(errp, "%s: unsupported capability %x", hiod->name, cap);
        return -EINVAL;
    }
    return hc->get_cap(hiod, cap, errp);
}

bool host_iommu_device_get_pasid_info(HostIOMMUDevice *hiod, uint8_t *width,
                                      bool *exec, bool *priv)
{
    HostIOMMUDeviceClass *hc = hiod_class(hiod);

    return hc->get_pasid_info && hc->get_pasid_info(hiod, width, exec, priv);
}

/* Without a report, ATS may be usable (as with kernels predating it). */
bool host_iommu_device_ats_supported(HostIOMMUDevice *hiod)
{
    HostIOMMUDeviceClass *hc = hiod_class(hiod);

    return !hc->get_ats_supported || hc->get_ats_supported(hiod);
}

uint64_t host_iommu_device_get_quirks(HostIOMMUDevice *hiod)
{
    HostIOMMUDeviceClass *hc = hiod_class(hiod);

    return hc->get_quirks ? hc->get_quirks(hiod) : 0;
}

bool host_iommu_device_attach_hwpt(HostIOMMUDevice *hiod, uint32_t hwpt_id,
                                   Error **errp)
{
    HostIOMMUDeviceClass *hc = hiod_class(hiod);

    if (!hc->attach_hwpt) {
        error_setg(errp, "%s: cannot attach to a HWPT", hiod->name);
        return false;
    }
    return hc->attach_hwpt(hiod, hwpt_id, errp);
}

bool host_iommu_device_detach_hwpt(HostIOMMUDevice *hiod, Error **errp)
{
    HostIOMMUDeviceClass *hc = hiod_class(hiod);

    if (!hc->detach_hwpt) {
        error_setg(errp, "%s: cannot detach from its HWPT", hiod->name);
        return false;
    }
    return hc->detach_hwpt(hiod, errp);
}

static void hiod_finalize(Object *obj)
{
    g_free(HOST_IOMMU_DEVICE(obj)->name);
}

static const TypeInfo hiod_types[] = {
    {
        .name = TYPE_HOST_IOMMU_DEVICE,
        .parent = TYPE_OBJECT,
        .abstract = true,
        .instance_size = sizeof(HostIOMMUDevice),
        .instance_finalize = hiod_finalize,
        .class_size = sizeof(HostIOMMUDeviceClass),
    },
};

DEFINE_TYPES(hiod_types)
