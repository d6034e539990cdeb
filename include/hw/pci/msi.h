/*
 * MSI: the capability (32/64-bit address, optional per-vector masking)
 * and message delivery. A message is a 32-bit little-endian memory write
 * of the data to the address, issued through the device's bus-master
 * address space (so it needs Bus Master Enable, and a vIOMMU above the
 * device sees it), tagged with the device's requester ID.
 */
#ifndef HW_PCI_MSI_H
#define HW_PCI_MSI_H

#include "hw/pci/pci.h"

typedef struct MSIMessage {
    uint64_t address;
    uint32_t data;
} MSIMessage;

/* Bytes the capability takes for the given Message Control flags. */
uint8_t msi_cap_sizeof(uint16_t flags);

/* Writes msg through dev's bus-master address space. */
void msi_send_message(PCIDevice *dev, MSIMessage msg);

/*
 * Adds the MSI capability at offset (0: first free place) for nr_vectors
 * (a power of two, at most 32).
 */
bool msi_init(PCIDevice *dev, uint8_t offset, unsigned int nr_vectors,
              bool msi64bit, bool per_vector_mask, Error **errp);
void msi_uninit(PCIDevice *dev);
void msi_reset(PCIDevice *dev);
bool msi_enabled(const PCIDevice *dev);
unsigned int msi_nr_vectors_allocated(const PCIDevice *dev);
bool msi_is_masked(const PCIDevice *dev, unsigned int vector);
MSIMessage msi_get_message(PCIDevice *dev, unsigned int vector);
/* Sends the vector's message, or records it pending while masked. */
void msi_notify(PCIDevice *dev, unsigned int vector);
/* Config-write hook (the PCI core calls it): delivers pending vectors
 * that were unmasked. */
void msi_write_config(PCIDevice *dev, uint32_t addr, uint32_t val, int len);

#endif
