/*
 * PCI Express root ports: a bridge whose PCI Express capability is a
 * Root Port with a slot (chassis/slot numbering, hot-plug), QEMU's
 * resource-reservation hints, MSI-X for the hot-plug interrupt, AER and
 * ACS. "pcie-root-port-base" is the generic base; "pcie-root-port"
 * (1b36:000c) is QEMU's generic root port.
 */
#ifndef HW_PCI_PCIE_PORT_H
#define HW_PCI_PCIE_PORT_H

#include "hw/pci/pci_bridge.h"
#include "hw/pci/pcie.h"

#define TYPE_PCIE_ROOT_PORT_BASE "pcie-root-port-base"
#define TYPE_PCIE_ROOT_PORT "pcie-root-port"
#define PCI_DEVICE_ID_REDHAT_PCIE_RP 0x000c

typedef struct PCIESlot {
    PCIBridge parent_obj;
    uint8_t port;
    uint8_t chassis;
    uint16_t slot;
    bool hotplug;
    bool power_controller_present;
    PCIExpLinkSpeed speed;
    PCIExpLinkWidth width;
    PCIResReserve res_reserve;
    bool in_chassis; /* registered in the chassis/slot table */
} PCIESlot;

#define PCIE_SLOT(obj) OBJECT_CHECK(PCIESlot, (obj), TYPE_PCIE_ROOT_PORT_BASE)

#endif
