/*
 * PCI-to-PCI bridges (type 1 header): the secondary bus, bus numbers,
 * the I/O, memory and prefetchable windows that forward the parent bus's
 * addresses to the secondary bus, secondary bus reset, and QEMU's
 * resource-reservation hint capability for firmware.
 *
 * Concrete bridges (root ports) subclass TYPE_PCI_BRIDGE and call
 * pci_bridge_init from their realize and pci_bridge_exit from exit.
 */
#ifndef HW_PCI_PCI_BRIDGE_H
#define HW_PCI_PCI_BRIDGE_H

#include "hw/pci/pci.h"

#define TYPE_PCI_BRIDGE "base-pci-bridge"

typedef struct PCIBridge {
    PCIDevice parent_obj;
    PCIBus *sec_bus;
    /* What the secondary bus decodes; windows alias into these. */
    MemoryRegion address_space_mem;
    MemoryRegion address_space_io;
    /* The windows, mapped into the parent bus's spaces when enabled. */
    MemoryRegion window_mem;
    MemoryRegion window_pref;
    MemoryRegion window_io;
} PCIBridge;

#define PCI_BRIDGE(obj) OBJECT_CHECK(PCIBridge, (obj), TYPE_PCI_BRIDGE)

/* Creates the secondary bus (named by the bridge's id) of bus_type. */
bool pci_bridge_init(PCIDevice *dev, const char *bus_type, Error **errp);
void pci_bridge_exit(PCIDevice *dev);
void pci_bridge_reset(PCIDevice *dev);
/* Config write of a bridge: windows, secondary bus reset. */
void pci_bridge_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                             int len);
PCIBus *pci_bridge_get_sec_bus(PCIBridge *br);

/* A window as programmed; base > limit means disabled. */
typedef struct PCIBridgeWindow {
    uint64_t base;
    uint64_t limit;
} PCIBridgeWindow;
PCIBridgeWindow pci_bridge_io_window(PCIDevice *dev);
PCIBridgeWindow pci_bridge_mem_window(PCIDevice *dev);
PCIBridgeWindow pci_bridge_pref_window(PCIDevice *dev);

/*
 * Resource reservation hints (vendor-specific capability, Red Hat type 1)
 * read by firmware when it sizes the windows: buses, I/O, memory and
 * prefetchable memory below 4 GiB or 64-bit. UINT64_MAX (UINT32_MAX for
 * bus) means "not set"; nothing is added when no field is set.
 */
typedef struct PCIResReserve {
    uint32_t bus;
    uint64_t io;
    uint64_t mem_non_pref;
    uint64_t mem_pref_32;
    uint64_t mem_pref_64;
} PCIResReserve;

bool pci_bridge_qemu_reserve_cap_init(PCIDevice *dev, uint8_t offset,
                                      PCIResReserve res, Error **errp);

#endif
