/*
 * gpex-pcihost: the generic PCI Express host bridge of the Arm virt
 * board (ECAM + memory and I/O windows), with its root bus "pcie.0" and
 * the host bridge function "gpex-root" (1b36:0008) at 00.0.
 *
 * System-bus regions: 0 the ECAM decoder (256 MiB, the board maps the
 * part it uses), 1 the PCI memory space, 2 the PCI I/O space (64 KiB);
 * the board maps windows of 1 and 2 into system memory.
 */
#ifndef HW_PCI_HOST_GPEX_H
#define HW_PCI_HOST_GPEX_H

#include "hw/pci/pci_host.h"

#define TYPE_GPEX_HOST "gpex-pcihost"
#define TYPE_GPEX_ROOT_DEVICE "gpex-root"
#define PCI_DEVICE_ID_REDHAT_PCIE_HOST 0x0008
#define GPEX_IO_SPACE_SIZE (64 * KiB)

typedef struct GPEXHost {
    PCIExpressHost parent_obj;
    MemoryRegion io_mmio;
    MemoryRegion io_ioport;
} GPEXHost;

#define GPEX_HOST(obj) OBJECT_CHECK(GPEXHost, (obj), TYPE_GPEX_HOST)

#endif
