/*
 * The standard capability list (0x40 .. 0xff): adding at a free place or
 * a given offset without overlapping another capability, finding and
 * removing; and the byte ownership marks the overlap checks rely on.
 */
#include "qemu/osdep.h"
#include "hw/pci/pci.h"
#include "pci-internal.h"

/* 0x40 .. 0xff holds at most 48 capabilities: a longer walk is a loop. */
#define PCI_CAP_MAX_WALK 48

bool pci_range_is_free(PCIDevice *dev, uint32_t offset, uint32_t size)
{
    for (uint32_t i = offset; i < offset + size; i++) {
        if (dev->used[i]) {
            return false;
        }
    }
    return true;
}

void pci_mark_used(PCIDevice *dev, uint32_t offset, uint32_t size)
{
    memset(dev->used + offset, PCI_USED_BYTE, size);
    dev->used[offset] |= PCI_USED_START;
}

void pci_release_range(PCIDevice *dev, uint32_t offset, uint32_t size)
{
    memset(dev->config + offset, 0, size);
    memset(dev->wmask + offset, 0, size);
    memset(dev->w1cmask + offset, 0, size);
    memset(dev->cmask + offset, 0, size);
    memset(dev->used + offset, 0, size);
}

uint32_t pci_used_extent(PCIDevice *dev, uint32_t offset)
{
    uint32_t end = offset + 1;

    if (!(dev->used[offset] & PCI_USED_START)) {
        return 0;
    }
    while (end < dev->config_size && dev->used[end] == PCI_USED_BYTE) {
        end++;
    }
    return end - offset;
}

/* The capability (by its start) owning byte off, for error messages. */
static uint32_t pci_owner_of(PCIDevice *dev, uint32_t off)
{
    while (off && !(dev->used[off] & PCI_USED_START)) {
        off--;
    }
    return off;
}

static bool pci_cap_place(PCIDevice *pdev, uint8_t cap_id, uint32_t *offset,
                          uint8_t size, Error **errp)
{
    uint32_t off = *offset;

    if (off == 0) {
        for (off = PCI_STD_HEADER_SIZEOF; off + size <= PCI_CONFIG_SPACE_SIZE;
             off += 4) {
            if (pci_range_is_free(pdev, off, size)) {
                *offset = off;
                return true;
            }
        }
        error_setg(errp, "%s: no room for PCI capability 0x%x (%u bytes)",
                   pdev->name, cap_id, size);
        return false;
    }
    if (off < PCI_STD_HEADER_SIZEOF || (off & 3) ||
        off + size > PCI_CONFIG_SPACE_SIZE) {
        error_setg(errp, "%s: PCI capability 0x%x cannot be placed at "
                   "offset 0x%x (%u bytes)", pdev->name, cap_id, off, size);
        return false;
    }
    for (uint32_t i = off; i < off + size; i++) {
        if (pdev->used[i]) {
            uint32_t other = pci_owner_of(pdev, i);

            error_setg(errp, "%s:%02x:%02x.%x Attempt to add PCI capability "
                       "%x at offset %x overlaps existing capability %x at "
                       "offset %x", pdev->name, pci_bus_num(pci_get_bus(pdev)),
                       PCI_SLOT(pdev->devfn), PCI_FUNC(pdev->devfn), cap_id,
                       off, pdev->config[other], other);
            return false;
        }
    }
    return true;
}

int pci_add_capability(PCIDevice *pdev, uint8_t cap_id, uint8_t offset,
                       uint8_t size, Error **errp)
{
    uint32_t off = offset;
    uint8_t *c = pdev->config;

    g_assert(size >= 2);
    if (!pci_cap_place(pdev, cap_id, &off, size, errp)) {
        return -1;
    }
    c[off + PCI_CAP_LIST_ID] = cap_id;
    c[off + PCI_CAP_LIST_NEXT] = c[PCI_CAPABILITY_LIST];
    c[PCI_CAPABILITY_LIST] = off;
    pci_word_test_and_set_mask(c + PCI_STATUS, PCI_STATUS_CAP_LIST);
    pci_mark_used(pdev, off, size);
    memset(pdev->cmask + off, 0xff, size);
    return off;
}

/* Offset of the byte pointing at the capability at off, or 0. */
static uint32_t pci_cap_pointer_to(PCIDevice *pdev, uint8_t off)
{
    uint32_t ptr = PCI_CAPABILITY_LIST;

    for (int i = 0; i < PCI_CAP_MAX_WALK; i++) {
        uint8_t next = pdev->config[ptr] & ~3;

        if (!next) {
            return 0;
        }
        if (next == off) {
            return ptr;
        }
        ptr = next + PCI_CAP_LIST_NEXT;
    }
    return 0;
}

void pci_del_capability(PCIDevice *pdev, uint8_t cap_id, uint8_t size)
{
    uint8_t off = pci_find_capability(pdev, cap_id);
    uint32_t ptr;

    if (!off) {
        return;
    }
    ptr = pci_cap_pointer_to(pdev, off);
    if (!ptr) {
        return;
    }
    pdev->config[ptr] = pdev->config[off + PCI_CAP_LIST_NEXT];
    if (!pdev->config[PCI_CAPABILITY_LIST]) {
        pci_word_test_and_clear_mask(pdev->config + PCI_STATUS,
                                     PCI_STATUS_CAP_LIST);
    }
    pci_release_range(pdev, off, size);
}

uint8_t pci_find_capability(PCIDevice *pdev, uint8_t cap_id)
{
    uint8_t off;

    if (!(pci_get_word(pdev->config + PCI_STATUS) & PCI_STATUS_CAP_LIST)) {
        return 0;
    }
    off = pdev->config[PCI_CAPABILITY_LIST] & ~3;
    for (int i = 0; off && i < PCI_CAP_MAX_WALK; i++) {
        if (pdev->config[off + PCI_CAP_LIST_ID] == cap_id) {
            return off;
        }
        off = pdev->config[off + PCI_CAP_LIST_NEXT] & ~3;
    }
    return 0;
}
