/*
 * gpex-pcihost: generic ECAM host bridge and its host bridge function.
 */
#include "qemu/osdep.h"
#include "hw/pci-host/gpex.h"

static bool gpex_host_realize(DeviceState *dev, Error **errp)
{
    GPEXHost *s = GPEX_HOST(dev);
    PCIHostState *h = PCI_HOST_BRIDGE(dev);
    PCIExpressHost *e = PCIE_HOST_BRIDGE(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);
    DeviceState *root;

    pcie_host_mmcfg_init(e);
    memory_region_init(&s->io_mmio, OBJECT(s), "gpex_mmio", UINT64_MAX);
    memory_region_init(&s->io_ioport, OBJECT(s), "gpex_ioport",
                       GPEX_IO_SPACE_SIZE);
    sysbus_init_mmio(sbd, &e->mmio);
    sysbus_init_mmio(sbd, &s->io_mmio);
    sysbus_init_mmio(sbd, &s->io_ioport);
    h->bus = pci_root_bus_new(dev, "pcie.0", &s->io_mmio, &s->io_ioport, 0,
                              TYPE_PCIE_BUS);
    h->bus->bypass_iommu = h->bypass_iommu;

    root = qdev_new(TYPE_GPEX_ROOT_DEVICE);
    object_property_add_child(OBJECT(dev), "gpex_root", OBJECT(root));
    qdev_prop_set_int32(root, "addr", 0);
    return qdev_realize_and_unref(root, BUS(h->bus), errp);
}

static void gpex_host_class_init(ObjectClass *oc, const void *data)
{
    DEVICE_CLASS(oc)->realize = gpex_host_realize;
}

static void gpex_root_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->vendor_id = PCI_VENDOR_ID_REDHAT;
    pc->device_id = PCI_DEVICE_ID_REDHAT_PCIE_HOST;
    pc->class_id = PCI_CLASS_BRIDGE_HOST;
    dc->desc = "QEMU generic PCIe host bridge";
    dc->user_creatable = false;
    dc->hotpluggable = false;
    dc->categories |= 1u << DEVICE_CATEGORY_BRIDGE;
}

static const InterfaceInfo gpex_root_interfaces[] = {
    {INTERFACE_CONVENTIONAL_PCI_DEVICE},
    {NULL},
};

static const TypeInfo gpex_types[] = {
    {
        .name = TYPE_GPEX_HOST,
        .parent = TYPE_PCIE_HOST_BRIDGE,
        .instance_size = sizeof(GPEXHost),
        .class_init = gpex_host_class_init,
    },
    {
        .name = TYPE_GPEX_ROOT_DEVICE,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(PCIDevice),
        .class_init = gpex_root_class_init,
        .interfaces = gpex_root_interfaces,
    },
};

DEFINE_TYPES(gpex_types)
