/*
 * pxb-pcie: a PCI Express expander bridge. A host-bridge-class device on
 * the primary root bus that adds another root bus (the expander's root
 * complex), numbered bus_nr, reached through the same host bridge.
 */
#include "qemu/osdep.h"
#include "hw/boards.h"
#include "hw/pci-bridge/pxb-pcie.h"

#define NUMA_NODE_UNASSIGNED 0xffff

static const Property pxb_props[] = {
    DEFINE_PROP_UINT8("bus_nr", PXBDev, bus_nr, 0,
                      "Number of the expander's root bus"),
    DEFINE_PROP_UINT16("numa_node", PXBDev, numa_node, NUMA_NODE_UNASSIGNED,
                       "NUMA node of the expander's root complex"),
    DEFINE_PROP_BOOL("bypass_iommu", PXBDev, bypass_iommu, false,
                     "Devices below the expander bypass the vIOMMU"),
    DEFINE_PROP_END_OF_LIST(),
};

/*
 * Without -numa there is one implicit node, 0; accept it so that a
 * numa_node=0 written for a single-node guest still works.
 */
static bool pxb_check_numa(PXBDev *pxb, Error **errp)
{
    MachineState *ms = qdev_get_machine();
    int nodes = ms ? ms->numa.num_nodes : 0;

    if (pxb->numa_node == NUMA_NODE_UNASSIGNED ||
        pxb->numa_node < MAX(nodes, 1)) {
        return true;
    }
    error_setg(errp, "Illegal numa node %d", pxb->numa_node);
    return false;
}

static bool pxb_check_bus_nr(PXBDev *pxb, PCIBus *parent, Error **errp)
{
    PCIBus *child;

    if (pxb->bus_nr == pci_bus_num(parent)) {
        error_setg(errp, "Bus %d is already in use by %s", pxb->bus_nr,
                   BUS(parent)->name);
        return false;
    }
    QLIST_FOREACH(child, &parent->child, sibling) {
        if (pci_bus_is_root(child) && pci_bus_num(child) == pxb->bus_nr) {
            error_setg(errp, "Bus %d is already in use by %s", pxb->bus_nr,
                       BUS(child)->name);
            return false;
        }
    }
    return true;
}

static bool pxb_realize(PCIDevice *dev, Error **errp)
{
    PXBDev *pxb = PXB_PCIE_DEV(dev);
    PCIBus *parent = pci_get_bus(dev);
    PCIBus *root;

    if (!pci_bus_is_express(parent)) {
        error_setg(errp, "pxb-pcie devices cannot reside on a PCI bus");
        return false;
    }
    if (!pci_bus_is_root(parent) || pci_bus_expander_parent(parent)) {
        error_setg(errp, "PXB devices can be attached only to root bus "
                   "(bus '%s' is not the host bridge's root bus)",
                   BUS(parent)->name);
        return false;
    }
    if (!pxb_check_numa(pxb, errp) || !pxb_check_bus_nr(pxb, parent, errp)) {
        return false;
    }
    root = pci_root_bus_new(DEVICE(dev), dev->qdev.id,
                            parent->address_space_mem,
                            parent->address_space_io, 0, TYPE_PXB_PCIE_BUS);
    root->root_bus_nr = pxb->bus_nr;
    root->numa_node = pxb->numa_node;
    root->bypass_iommu = pxb->bypass_iommu;
    QLIST_INSERT_HEAD(&parent->child, root, sibling);
    pxb->root_bus = root;
    pci_word_test_and_set_mask(dev->config + PCI_STATUS,
                               PCI_STATUS_66MHZ | PCI_STATUS_FAST_BACK);
    return true;
}

static void pxb_exit(PCIDevice *dev)
{
    PXBDev *pxb = PXB_PCIE_DEV(dev);

    if (pxb->root_bus) {
        QLIST_REMOVE(pxb->root_bus, sibling);
        pxb->root_bus = NULL;
    }
}

static void pxb_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = pxb_realize;
    pc->exit = pxb_exit;
    pc->vendor_id = PCI_VENDOR_ID_REDHAT;
    pc->device_id = PCI_DEVICE_ID_REDHAT_PXB_PCIE;
    pc->class_id = PCI_CLASS_BRIDGE_HOST;
    dc->desc = "PCI Express Expander Bridge";
    dc->hotpluggable = false;
    dc->categories |= 1u << DEVICE_CATEGORY_BRIDGE;
    device_class_set_props(dc, pxb_props);
}

static const InterfaceInfo pxb_interfaces[] = {
    {INTERFACE_CONVENTIONAL_PCI_DEVICE},
    {NULL},
};

static const TypeInfo pxb_types[] = {
    {
        .name = TYPE_PXB_PCIE_DEVICE,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(PXBDev),
        .class_init = pxb_class_init,
        .interfaces = pxb_interfaces,
    },
    {
        .name = TYPE_PXB_PCIE_BUS,
        .parent = TYPE_PCIE_BUS,
    },
};

DEFINE_TYPES(pxb_types)
