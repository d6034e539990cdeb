/*
 * The virt board's PCI Express host: gpex-pcihost with its ECAM (high,
 * 256 buses, or low, 16 buses, with highmem=off) and the 32-bit, 64-bit
 * and I/O windows at QEMU's virt addresses.
 */
#include "qemu/osdep.h"
#include "hw/arm/virt.h"
#include "hw/pci-host/gpex.h"

enum {
    GPEX_MMIO_ECAM,
    GPEX_MMIO_MEM,
    GPEX_MMIO_IO,
};

static hwaddr align_up(hwaddr v, uint64_t align)
{
    return (v + align - 1) & ~(align - 1);
}

void virt_pcie_layout(const VirtMachineState *vms, VirtPCIELayout *l)
{
    hwaddr base = VIRT_HIGH_REGIONS_BASE;

    l->mmio_base = VIRT_PCIE_MMIO_BASE;
    l->mmio_size = VIRT_PCIE_MMIO_SIZE;
    l->pio_base = VIRT_PCIE_PIO_BASE;
    l->pio_size = VIRT_PCIE_PIO_SIZE;
    if (!vms->highmem) {
        l->ecam_base = VIRT_PCIE_ECAM_BASE;
        l->ecam_size = VIRT_PCIE_ECAM_SIZE;
        l->high_mmio_base = 0;
        l->high_mmio_size = 0;
        return;
    }
    /* The second GIC redistributor region comes first, then ECAM. */
    base = align_up(base, VIRT_HIGH_GIC_REDIST2_SIZE) +
           VIRT_HIGH_GIC_REDIST2_SIZE;
    l->ecam_base = align_up(base, VIRT_HIGH_PCIE_ECAM_SIZE);
    l->ecam_size = VIRT_HIGH_PCIE_ECAM_SIZE;
    base = l->ecam_base + l->ecam_size;
    l->high_mmio_base = align_up(base, vms->highmem_mmio_size);
    l->high_mmio_size = vms->highmem_mmio_size;
}

/* Maps [offset, offset + size) of a host space at the same address. */
static void virt_map_window(DeviceState *host, const char *name,
                            MemoryRegion *space, hwaddr addr, uint64_t size)
{
    MemoryRegion *alias = g_new0(MemoryRegion, 1);

    memory_region_init_alias(alias, OBJECT(host), name, space, addr, size);
    memory_region_add_subregion(get_system_memory(), addr, alias);
}

bool virt_pci_init(VirtMachineState *vms, Error **errp)
{
    DeviceState *dev = qdev_new(TYPE_GPEX_HOST);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);
    MemoryRegion *ecam = g_new0(MemoryRegion, 1);
    VirtPCIELayout l;

    virt_pcie_layout(vms, &l);
    object_property_set_bool(OBJECT(dev), "bypass-iommu",
                             vms->default_bus_bypass_iommu, &error_abort);
    if (!sysbus_realize_and_unref(sbd, errp)) {
        g_free(ecam);
        return false;
    }
    memory_region_init_alias(ecam, OBJECT(dev), "pcie-ecam",
                             sysbus_mmio_get_region(sbd, GPEX_MMIO_ECAM), 0,
                             l.ecam_size);
    memory_region_add_subregion(get_system_memory(), l.ecam_base, ecam);
    virt_map_window(dev, "pcie-mmio",
                    sysbus_mmio_get_region(sbd, GPEX_MMIO_MEM), l.mmio_base,
                    l.mmio_size);
    if (l.high_mmio_size) {
        virt_map_window(dev, "pcie-mmio-high",
                        sysbus_mmio_get_region(sbd, GPEX_MMIO_MEM),
                        l.high_mmio_base, l.high_mmio_size);
    }
    sysbus_mmio_map(sbd, GPEX_MMIO_IO, l.pio_base);
    vms->pci_bus = PCI_HOST_BRIDGE(dev)->bus;
    return true;
}
