/*
 * The q35 board's PCI Express host: q35-pcihost with the MCH, whose
 * PCIEXBAR maps the ECAM, and the PCI memory space visible wherever
 * nothing else (RAM, on-board devices) decodes.
 */
#include "qemu/osdep.h"
#include "hw/i386/pc.h"
#include "hw/pci-host/q35.h"

/* Below RAM and every other system region. */
#define PC_PCI_HOLE_PRIORITY (-1)

bool pc_q35_pci_init(PCMachineState *pcms, Error **errp)
{
    DeviceState *dev = qdev_new(TYPE_Q35_HOST_DEVICE);
    MemoryRegion *hole = g_new0(MemoryRegion, 1);

    object_property_set_bool(OBJECT(dev), "bypass-iommu",
                             pcms->default_bus_bypass_iommu, &error_abort);
    if (!sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), errp)) {
        g_free(hole);
        return false;
    }
    memory_region_init_alias(hole, OBJECT(dev), "pci-hole",
                             &Q35_HOST_DEVICE(dev)->pci_mem, 0, UINT64_MAX);
    memory_region_add_subregion_overlap(get_system_memory(), 0, hole,
                                        PC_PCI_HOLE_PRIORITY);
    return true;
}
