/*
 * The q35 host: "q35-pcihost" owning "pcie.0", with CONFIG_ADDRESS /
 * CONFIG_DATA at 0xcf8/0xcfc in the I/O space, and the memory controller
 * hub "mch" (8086:29c0) at 00.0 whose PCIEXBAR register places the ECAM
 * window (0xb0000000, 256 MiB).
 */
#ifndef HW_PCI_HOST_Q35_H
#define HW_PCI_HOST_Q35_H

#include "hw/pci/pci_host.h"

#define TYPE_Q35_HOST_DEVICE "q35-pcihost"
#define TYPE_MCH_PCI_DEVICE "mch"
#define PCI_VENDOR_ID_INTEL 0x8086
#define PCI_DEVICE_ID_INTEL_Q35_MCH 0x29c0

/* PCIEXBAR (64-bit): enable 0, length 2:1, base address 35:26. */
#define MCH_HOST_BRIDGE_PCIEXBAR 0x60
#define MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT 0xb0000000ULL
#define MCH_HOST_BRIDGE_PCIEXBAREN 0x1ULL
#define MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_MASK 0x6ULL
#define MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_256M 0x0ULL
#define MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_128M 0x2ULL
#define MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_64M 0x4ULL
#define MCH_HOST_BRIDGE_PCIEXBAR_ADDR_LIMIT (1ULL << 36)

typedef struct Q35PCIHost {
    PCIExpressHost parent_obj;
    MemoryRegion pci_mem; /* the PCI memory space of pcie.0 */
} Q35PCIHost;

#define Q35_HOST_DEVICE(obj)                                                   \
    OBJECT_CHECK(Q35PCIHost, (obj), TYPE_Q35_HOST_DEVICE)

#endif
