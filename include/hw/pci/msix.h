/*
 * MSI-X: the capability, the vector table and the pending bit array,
 * each an MMIO region placed inside a BAR. Delivery uses msi.h's
 * msi_send_message. Entries start masked; a vector signalled while
 * masked (per vector or by Function Mask) sets its pending bit and is
 * delivered when unmasked.
 */
#ifndef HW_PCI_MSIX_H
#define HW_PCI_MSIX_H

#include "hw/pci/msi.h"

#define PCI_MSIX_MAX_VECTORS 2048

struct PCIMSIXState {
    unsigned int nentries;
    uint8_t *table; /* nentries * PCI_MSIX_ENTRY_SIZE bytes */
    uint8_t *pba;   /* one bit per vector, in 64-bit words */
    MemoryRegion table_mmio;
    MemoryRegion pba_mmio;
    MemoryRegion *table_bar; /* the regions the two are placed in */
    MemoryRegion *pba_bar;
    MemoryRegion *exclusive_bar; /* from msix_init_exclusive_bar */
    int exclusive_bar_nr;
    bool masked; /* Function Mask, or MSI-X disabled, as last seen */
};

/*
 * Adds the capability at cap_pos (0: first free place) with the table at
 * table_offset of table_bar (BAR table_bar_nr) and the PBA at pba_offset
 * of pba_bar (BAR pba_bar_nr). The caller registers the BARs.
 */
bool msix_init(PCIDevice *dev, unsigned int nentries,
               MemoryRegion *table_bar, uint8_t table_bar_nr,
               uint32_t table_offset, MemoryRegion *pba_bar,
               uint8_t pba_bar_nr, uint32_t pba_offset, uint8_t cap_pos,
               Error **errp);
/* A BAR of its own holding the table, then the PBA in its upper half. */
bool msix_init_exclusive_bar(PCIDevice *dev, unsigned int nentries,
                             uint8_t bar_nr, Error **errp);
void msix_uninit(PCIDevice *dev);
void msix_reset(PCIDevice *dev);
bool msix_enabled(const PCIDevice *dev);
bool msix_is_masked(const PCIDevice *dev, unsigned int vector);
bool msix_is_pending(const PCIDevice *dev, unsigned int vector);
MSIMessage msix_get_message(PCIDevice *dev, unsigned int vector);
void msix_notify(PCIDevice *dev, unsigned int vector);
/* Config-write hook (the PCI core calls it). */
void msix_write_config(PCIDevice *dev, uint32_t addr, uint32_t val, int len);

#endif
