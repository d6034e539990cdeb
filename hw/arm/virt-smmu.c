/*
 * SMMUv3 instances of the virt board: the machine-wide one
 * (iommu=smmuv3) at VIRT_SMMU_BASE covering pcie.0, and user-created
 * -device arm-smmuv3 instances, each given a VIRT_SMMU_SIZE slot of the
 * platform-bus window in creation order once cold plug is done.
 *
 * The machine-wide SMMU supports stage 1, stage 2 and nested translation
 * (QEMU's virt does so from 9.2 on). Wired interrupts are left
 * unconnected: there is no interrupt controller model (qtest intercepts
 * them).
 */
#include "qemu/osdep.h"
#include "hw/arm/virt.h"
#include "hw/arm/smmuv3.h"
#include "hw/core/sysbus.h"

static SysBusDevice *virt_smmu_of(BusChild *kid)
{
    return (SysBusDevice *)object_dynamic_cast(OBJECT(kid->child),
                                               TYPE_ARM_SMMUV3);
}

/* Maps every user-created SMMU, in the order they were created. */
static bool virt_smmu_map_user(void *opaque, Error **errp)
{
    BusState *sysbus = sysbus_get_default();
    hwaddr base = VIRT_PLATFORM_BUS_BASE;
    BusChild *kid;

    QTAILQ_FOREACH(kid, &sysbus->children, sibling)
    {
        SysBusDevice *sbd = virt_smmu_of(kid);

        if (!sbd || sysbus_mmio_get_addr(sbd, 0) != (hwaddr)-1) {
            continue;
        }
        if (base + VIRT_SMMU_SIZE >
            VIRT_PLATFORM_BUS_BASE + VIRT_PLATFORM_BUS_SIZE) {
            error_setg(errp,
                       "too many arm-smmuv3 devices: the platform bus "
                       "holds %" PRIu64,
                       (uint64_t)(VIRT_PLATFORM_BUS_SIZE / VIRT_SMMU_SIZE));
            return false;
        }
        sysbus_mmio_map(sbd, 0, base);
        base += VIRT_SMMU_SIZE;
    }
    return true;
}

bool virt_smmu_init(VirtMachineState *vms, Error **errp)
{
    DeviceState *dev;

    qdev_add_machine_init_done(virt_smmu_map_user, vms);
    if (vms->iommu != VIRT_IOMMU_SMMUV3) {
        return true;
    }
    dev = qdev_new(TYPE_ARM_SMMUV3);
    object_property_set_str(OBJECT(dev), "stage", "nested", &error_abort);
    object_property_set_link(OBJECT(dev), "primary-bus", OBJECT(vms->pci_bus),
                             &error_abort);
    if (!sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), errp)) {
        return false;
    }
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, VIRT_SMMU_BASE);
    return true;
}

void virt_smmu_foreach(void (*fn)(hwaddr base, PCIBus *bus, void *opaque),
                       void *opaque)
{
    BusState *sysbus = sysbus_get_default();
    BusChild *kid;

    QTAILQ_FOREACH(kid, &sysbus->children, sibling)
    {
        SysBusDevice *sbd = virt_smmu_of(kid);

        if (sbd && sysbus_mmio_get_addr(sbd, 0) != (hwaddr)-1) {
            fn(sysbus_mmio_get_addr(sbd, 0), ARM_SMMU(sbd)->primary_bus,
               opaque);
        }
    }
}
