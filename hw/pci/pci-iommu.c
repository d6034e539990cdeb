/*
 * DMA from PCI devices: which vIOMMU serves a device (walking up from its
 * bus, with requester-ID aliasing behind conventional bridges), and the
 * per-device bus-master address space that follows the command
 * register's Bus Master Enable.
 */
#include "qemu/osdep.h"
#include "hw/pci/pci.h"
#include "pci-internal.h"

/* A deeper walk can only be a broken hierarchy. */
#define PCI_MAX_BUS_DEPTH 256

bool pci_device_get_iommu_bus_devfn(PCIDevice *dev, PCIBus **piommu_bus,
                                    PCIBus **aliased_bus, int *aliased_devfn,
                                    const PCIIOMMUOps **ops, void **opaque)
{
    PCIBus *bus = pci_get_bus(dev);
    PCIBus *iommu_bus = bus, *alias_bus = bus;
    int devfn = dev->devfn;

    for (int depth = 0; depth < PCI_MAX_BUS_DEPTH && !iommu_bus->iommu_ops;
         depth++) {
        PCIBus *up;

        if (iommu_bus->parent_dev) {
            PCIDevice *bridge = iommu_bus->parent_dev;

            up = pci_get_bus(bridge);
            /* A conventional bridge issues requests with its own ID. */
            if (!pci_is_express(bridge)) {
                alias_bus = up;
                devfn = bridge->devfn;
            }
        } else {
            up = pci_bus_expander_parent(iommu_bus);
            /* A per-bus vIOMMU does not cover the expanders below it. */
            if (!up || up->iommu_per_bus) {
                break;
            }
        }
        iommu_bus = up;
    }
    *piommu_bus = iommu_bus;
    *aliased_bus = alias_bus;
    *aliased_devfn = devfn;
    *ops = iommu_bus->iommu_ops;
    *opaque = iommu_bus->iommu_opaque;
    if (pci_device_root_bus(dev)->bypass_iommu) {
        *ops = NULL;
        *opaque = NULL;
    }
    return *ops != NULL;
}

AddressSpace *pci_device_iommu_address_space(PCIDevice *dev)
{
    PCIBus *iommu_bus, *alias_bus;
    const PCIIOMMUOps *ops;
    void *opaque;
    int devfn;

    if (pci_device_get_iommu_bus_devfn(dev, &iommu_bus, &alias_bus, &devfn,
                                       &ops, &opaque) &&
        ops->get_address_space) {
        AddressSpace *as = ops->get_address_space(alias_bus, opaque, devfn);

        if (as) {
            return as;
        }
    }
    return &address_space_memory;
}

uint64_t pci_device_get_viommu_flags(PCIDevice *dev)
{
    PCIBus *iommu_bus, *alias_bus;
    const PCIIOMMUOps *ops;
    void *opaque;
    int devfn;

    if (!pci_device_get_iommu_bus_devfn(dev, &iommu_bus, &alias_bus, &devfn,
                                        &ops, &opaque) ||
        !ops->get_viommu_flags) {
        return 0;
    }
    return ops->get_viommu_flags(opaque);
}

bool pci_device_set_iommu_device(PCIDevice *dev, HostIOMMUDevice *hiod,
                                 Error **errp)
{
    PCIBus *iommu_bus, *alias_bus;
    const PCIIOMMUOps *ops;
    void *opaque;
    int devfn;

    if (!pci_device_get_iommu_bus_devfn(dev, &iommu_bus, &alias_bus, &devfn,
                                        &ops, &opaque) ||
        !ops->set_iommu_device) {
        return true;
    }
    return ops->set_iommu_device(pci_get_bus(dev), opaque, dev->devfn, hiod,
                                 errp);
}

void pci_device_unset_iommu_device(PCIDevice *dev)
{
    PCIBus *iommu_bus, *alias_bus;
    const PCIIOMMUOps *ops;
    void *opaque;
    int devfn;

    if (pci_device_get_iommu_bus_devfn(dev, &iommu_bus, &alias_bus, &devfn,
                                       &ops, &opaque) &&
        ops->unset_iommu_device) {
        ops->unset_iommu_device(pci_get_bus(dev), opaque, dev->devfn);
    }
}

static void pci_bus_retarget_all(PCIBus *bus, int depth)
{
    PCIBus *child;

    if (depth > PCI_MAX_BUS_DEPTH) {
        return;
    }
    for (int devfn = 0; devfn < PCI_SLOT_MAX * PCI_FUNC_MAX; devfn++) {
        if (bus->devices[devfn] && bus->devices[devfn]->config) {
            pci_bus_master_retarget(bus->devices[devfn]);
        }
    }
    QLIST_FOREACH(child, &bus->child, sibling) {
        pci_bus_retarget_all(child, depth + 1);
    }
}

bool pci_setup_iommu(PCIBus *bus, const PCIIOMMUOps *ops, void *opaque,
                     bool per_bus, Error **errp)
{
    if (bus->iommu_ops) {
        error_setg(errp, "An iommu is already attached to this bus");
        return false;
    }
    bus->iommu_ops = ops;
    bus->iommu_opaque = opaque;
    bus->iommu_per_bus = per_bus;
    /* Devices realized before the vIOMMU now DMA through it. */
    pci_bus_retarget_all(bus, 0);
    return true;
}

/* Bus-master address space */

void pci_bus_master_init(PCIDevice *dev)
{
    memory_init();
    memory_region_init(&dev->bus_master_container_region, OBJECT(dev),
                       "bus master container", UINT64_MAX);
    address_space_init(&dev->bus_master_as,
                       &dev->bus_master_container_region, dev->name);
    pci_bus_master_retarget(dev);
}

void pci_bus_master_retarget(PCIDevice *dev)
{
    MemoryRegion *mr = &dev->bus_master_enable_region;
    MemoryRegion *root = pci_device_iommu_address_space(dev)->root;

    if (mr->name) {
        memory_region_destroy(mr);
    }
    memory_region_init_alias(mr, OBJECT(dev), "bus master", root, 0,
                             memory_region_size(root));
    memory_region_add_subregion(&dev->bus_master_container_region, 0, mr);
    pci_bus_master_update(dev);
}

void pci_bus_master_update(PCIDevice *dev)
{
    bool bme = dev->config &&
               (pci_get_word(dev->config + PCI_COMMAND) & PCI_COMMAND_MASTER);

    memory_region_set_enabled(&dev->bus_master_enable_region, bme);
}

void pci_bus_master_destroy(PCIDevice *dev)
{
    if (!dev->bus_master_container_region.name) {
        return;
    }
    memory_region_destroy(&dev->bus_master_enable_region);
    address_space_destroy(&dev->bus_master_as);
    memory_region_destroy(&dev->bus_master_container_region);
}
