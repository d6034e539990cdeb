/*
 * Helpers shared by the hw/pci files (not for device models).
 */
#ifndef HW_PCI_PCI_INTERNAL_H
#define HW_PCI_PCI_INTERNAL_H

#include "hw/pci/pci.h"

/*
 * PCIDevice.used marks the bytes owned by capabilities: every byte of a
 * capability has PCI_USED_BYTE, its first byte also PCI_USED_START, so
 * the extent of a capability can be recovered from its offset.
 */
#define PCI_USED_BYTE 0x1
#define PCI_USED_START 0x2

/* Whether config bytes [a, a + alen) and [b, b + blen) share one. */
static inline bool ranges_overlap(uint32_t a, uint32_t alen, uint32_t b,
                                  uint32_t blen)
{
    return a < b + blen && b < a + alen;
}

bool pci_range_is_free(PCIDevice *dev, uint32_t offset, uint32_t size);
void pci_mark_used(PCIDevice *dev, uint32_t offset, uint32_t size);
/* Releases a capability's bytes: masks cleared, contents zeroed. */
void pci_release_range(PCIDevice *dev, uint32_t offset, uint32_t size);
/* Size of the capability starting at offset, from the used marks. */
uint32_t pci_used_extent(PCIDevice *dev, uint32_t offset);

/* Bus mastering: the per-device DMA address space. */
void pci_bus_master_init(PCIDevice *dev);
void pci_bus_master_destroy(PCIDevice *dev);
/* Follows BME in the command register. */
void pci_bus_master_update(PCIDevice *dev);
/* Points the DMA address space at whatever vIOMMU now serves dev. */
void pci_bus_master_retarget(PCIDevice *dev);

/* BAR mappings */
void pci_bars_unmap(PCIDevice *dev);
/* Forgets a BAR: unmapped, register cleared, no longer decoded. */
void pci_bar_unregister(PCIDevice *dev, int region_num);
void pci_bars_reset(PCIDevice *dev);
bool pci_config_touches_bars(PCIDevice *dev, uint32_t addr, int len);

/* Bus membership of a device being realized / unrealized. */
bool pci_bus_claim_devfn(PCIBus *bus, PCIDevice *dev, Error **errp);
void pci_bus_release_devfn(PCIBus *bus, PCIDevice *dev);

/* Registers / forgets a root bus for pci_root_bus_list. */
void pci_root_bus_forget(PCIBus *bus);

#endif
