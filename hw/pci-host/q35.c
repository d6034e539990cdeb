/*
 * The q35 host bridge and its memory controller hub. The hub's PCIEXBAR
 * places the ECAM window. No firmware runs here, so reset leaves it
 * enabled at 0xb0000000 (256 MiB), as firmware would program it;
 * software may move, shrink or disable it.
 */
#include "qemu/osdep.h"
#include "hw/pci-host/q35.h"

#define MCH_PCIEXBAR_SIZEOF 8
/* Base bits 35:26: 64 MiB is the smallest window. */
#define MCH_PCIEXBAR_WMASK                                                     \
    (((MCH_HOST_BRIDGE_PCIEXBAR_ADDR_LIMIT - 1) & ~(64 * MiB - 1)) |           \
     MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_MASK | MCH_HOST_BRIDGE_PCIEXBAREN)

static PCIExpressHost *mch_host(PCIDevice *d)
{
    return PCIE_HOST_BRIDGE(BUS(pci_get_bus(d))->parent);
}

static void mch_update_pciexbar(PCIDevice *d)
{
    uint64_t bar = pci_get_quad(d->config + MCH_HOST_BRIDGE_PCIEXBAR);
    uint64_t length = bar & MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_MASK;
    uint64_t size;

    switch (length) {
    case MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_256M:
        size = 256 * MiB;
        break;
    case MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_128M:
        size = 128 * MiB;
        break;
    case MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_64M:
        size = 64 * MiB;
        break;
    default: /* reserved encoding: no window */
        size = 0;
        break;
    }
    pcie_host_mmcfg_update(mch_host(d), bar & MCH_HOST_BRIDGE_PCIEXBAREN,
                           bar & ~(size - 1) &
                               (MCH_HOST_BRIDGE_PCIEXBAR_ADDR_LIMIT - 1),
                           size);
}

static void mch_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                             int len)
{
    pci_default_write_config(d, addr, val, len);
    if (addr < MCH_HOST_BRIDGE_PCIEXBAR + MCH_PCIEXBAR_SIZEOF &&
        addr + len > MCH_HOST_BRIDGE_PCIEXBAR) {
        mch_update_pciexbar(d);
    }
}

static bool mch_realize(PCIDevice *d, Error **errp)
{
    pci_set_quad(d->wmask + MCH_HOST_BRIDGE_PCIEXBAR, MCH_PCIEXBAR_WMASK);
    return true;
}

static void mch_exit(PCIDevice *d)
{
    pcie_host_mmcfg_update(mch_host(d), false, 0, 0);
}

static void mch_reset(DeviceState *qdev)
{
    PCIDevice *d = PCI_DEVICE(qdev);

    pci_device_reset(d);
    pci_set_quad(d->config + MCH_HOST_BRIDGE_PCIEXBAR,
                 MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT |
                     MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_256M |
                     MCH_HOST_BRIDGE_PCIEXBAREN);
    mch_update_pciexbar(d);
}

static void mch_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = mch_realize;
    pc->exit = mch_exit;
    pc->config_write = mch_write_config;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = PCI_DEVICE_ID_INTEL_Q35_MCH;
    pc->class_id = PCI_CLASS_BRIDGE_HOST;
    dc->reset = mch_reset;
    dc->desc = "Host bridge";
    dc->user_creatable = false;
    dc->hotpluggable = false;
    dc->categories |= 1u << DEVICE_CATEGORY_BRIDGE;
}

static bool q35_host_realize(DeviceState *dev, Error **errp)
{
    Q35PCIHost *s = Q35_HOST_DEVICE(dev);
    PCIHostState *h = PCI_HOST_BRIDGE(dev);
    DeviceState *mch;

    pcie_host_mmcfg_init(PCIE_HOST_BRIDGE(dev));
    memory_region_init(&s->pci_mem, OBJECT(s), "pci", UINT64_MAX);
    pci_host_conf_register(h, get_system_io());
    h->bus = pci_root_bus_new(dev, "pcie.0", &s->pci_mem, get_system_io(), 0,
                              TYPE_PCIE_BUS);
    h->bus->bypass_iommu = h->bypass_iommu;

    mch = qdev_new(TYPE_MCH_PCI_DEVICE);
    object_property_add_child(OBJECT(dev), "mch", OBJECT(mch));
    qdev_prop_set_int32(mch, "addr", 0);
    return qdev_realize_and_unref(mch, BUS(h->bus), errp);
}

static void q35_host_class_init(ObjectClass *oc, const void *data)
{
    DEVICE_CLASS(oc)->realize = q35_host_realize;
}

static const InterfaceInfo mch_interfaces[] = {
    {INTERFACE_CONVENTIONAL_PCI_DEVICE},
    {NULL},
};

static const TypeInfo q35_types[] = {
    {
        .name = TYPE_Q35_HOST_DEVICE,
        .parent = TYPE_PCIE_HOST_BRIDGE,
        .instance_size = sizeof(Q35PCIHost),
        .class_init = q35_host_class_init,
    },
    {
        .name = TYPE_MCH_PCI_DEVICE,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(PCIDevice),
        .class_init = mch_class_init,
        .interfaces = mch_interfaces,
    },
};

DEFINE_TYPES(q35_types)
