/*
 * pxb-pcie (1b36:000b): a PCI Express expander bridge. The device sits
 * on pcie.0; it creates an extra root bus, named by the device's id and
 * numbered bus_nr, that shares the host bridge's ECAM and windows.
 */
#ifndef HW_PCI_BRIDGE_PXB_PCIE_H
#define HW_PCI_BRIDGE_PXB_PCIE_H

#include "hw/pci/pci.h"

#define TYPE_PXB_PCIE_DEVICE "pxb-pcie"
#define TYPE_PXB_PCIE_BUS "pxb-pcie-bus"
#define PCI_DEVICE_ID_REDHAT_PXB_PCIE 0x000b

typedef struct PXBDev {
    PCIDevice parent_obj;
    uint8_t bus_nr;
    uint16_t numa_node;
    bool bypass_iommu;
    PCIBus *root_bus;
} PXBDev;

#define PXB_PCIE_DEV(obj) OBJECT_CHECK(PXBDev, (obj), TYPE_PXB_PCIE_DEVICE)

#endif
