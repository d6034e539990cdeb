/*
 * PCI host bridges: a system-bus device owning a root bus, with the
 * 0xcf8/0xcfc configuration mechanism (CONFIG_ADDRESS / CONFIG_DATA) and,
 * for PCI Express hosts, an ECAM window decoding
 * bus << 20 | devfn << 12 | register.
 */
#ifndef HW_PCI_PCI_HOST_H
#define HW_PCI_PCI_HOST_H

#include "hw/core/sysbus.h"
#include "hw/pci/pci.h"
#include "qemu/registerfields.h"

#define TYPE_PCI_HOST_BRIDGE "pci-host-bridge"
#define TYPE_PCIE_HOST_BRIDGE "pcie-host-bridge"

/* ECAM: 1 MiB per bus, 4 KiB per function; 256 buses at most. */
#define PCIE_MMCFG_SIZE_MAX (256 * MiB)
/* An offset into the ECAM window: bus and devfn, then the register. */
FIELD(PCIE_MMCFG, REG, 0, 12)
FIELD(PCIE_MMCFG, BDF, 12, 16)
#define PCIE_BASE_ADDR_UNMAPPED ((hwaddr)-1)

/* Port I/O configuration mechanism: CONFIG_ADDRESS, then CONFIG_DATA. */
#define PCI_HOST_CONFIG_ADDR 0xcf8
#define PCI_HOST_CONFIG_DATA 0xcfc
FIELD(PCI_HOST_CONFIG, REG, 2, 6) /* dword of the register */
FIELD(PCI_HOST_CONFIG, BDF, 8, 16)
FIELD(PCI_HOST_CONFIG, ENABLE, 31, 1)

typedef struct PCIHostState {
    SysBusDevice parent_obj;
    PCIBus *bus;
    MemoryRegion conf_mem;
    MemoryRegion data_mem;
    uint32_t config_reg;
    bool bypass_iommu; /* property "bypass-iommu" */
} PCIHostState;

typedef struct PCIExpressHost {
    PCIHostState parent_obj;
    MemoryRegion mmio;   /* the ECAM decoder, PCIE_MMCFG_SIZE_MAX long */
    MemoryRegion window; /* its first size bytes, as mapped */
    hwaddr base_addr;    /* where pcie_host_mmcfg_update mapped it */
    uint64_t size;
} PCIExpressHost;

#define PCI_HOST_BRIDGE(obj)                                                   \
    OBJECT_CHECK(PCIHostState, (obj), TYPE_PCI_HOST_BRIDGE)
#define PCIE_HOST_BRIDGE(obj)                                                  \
    OBJECT_CHECK(PCIExpressHost, (obj), TYPE_PCIE_HOST_BRIDGE)

/* Registers the CONFIG_ADDRESS/CONFIG_DATA ports in io at 0xcf8. */
void pci_host_conf_register(PCIHostState *s, MemoryRegion *io);
/* Sets up the ECAM region (not mapped anywhere yet). */
void pcie_host_mmcfg_init(PCIExpressHost *e);
/* Maps size bytes of ECAM at addr in system memory, or unmaps it. */
void pcie_host_mmcfg_update(PCIExpressHost *e, bool enable, hwaddr addr,
                            uint64_t size);

#endif
