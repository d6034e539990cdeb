/*
 * The extended capability list (0x100 .. 0xfff of a 4 KiB config space).
 * The chain always starts at 0x100; a header of 0 there means "no
 * extended capabilities". Removing the capability at 0x100 while others
 * follow leaves a null header (ID 0) at 0x100 that links on, as the
 * PCIe specification allows; walks skip such null entries.
 */
#include "qemu/osdep.h"
#include "hw/pci/pci.h"
#include "pci-internal.h"

#define EXTCAP_SLOTS (PCIE_CONFIG_SPACE_SIZE / 4)

static uint32_t extcap_header(PCIDevice *dev, uint16_t off)
{
    return pci_get_long(dev->config + off);
}

static void extcap_set_next(PCIDevice *dev, uint16_t off, uint16_t next)
{
    uint32_t hdr = extcap_header(dev, off);

    pci_set_long(dev->config + off,
                 PCI_EXT_CAP(PCI_EXT_CAP_ID(hdr), PCI_EXT_CAP_VER(hdr), next));
}

static bool extcap_chain_empty(PCIDevice *dev)
{
    return extcap_header(dev, PCI_EXT_CAP_START) == 0;
}

/*
 * Walks the chain from 0x100, stopping at the end, at a pointer below
 * 0x100 or at one already visited. fn returns true to stop there; the
 * result is that offset (0 if the walk ran out), *prev its predecessor.
 */
static uint16_t extcap_walk(PCIDevice *dev,
                            bool (*fn)(PCIDevice *dev, uint16_t off,
                                       uint32_t hdr, void *opaque),
                            void *opaque, uint16_t *prev)
{
    bool seen[EXTCAP_SLOTS] = {false};
    uint16_t off = PCI_EXT_CAP_START, before = 0;

    if (dev->config_size < PCIE_CONFIG_SPACE_SIZE) {
        return 0;
    }
    while (off >= PCI_EXT_CAP_START && !seen[off / 4]) {
        uint32_t hdr = extcap_header(dev, off);

        if (!hdr) {
            break;
        }
        seen[off / 4] = true;
        if (fn(dev, off, hdr, opaque)) {
            if (prev) {
                *prev = before;
            }
            return off;
        }
        before = off;
        off = PCI_EXT_CAP_NEXT(hdr);
    }
    return 0;
}

static bool extcap_match_id(PCIDevice *dev, uint16_t off, uint32_t hdr,
                            void *opaque)
{
    uint16_t id = *(uint16_t *)opaque;

    return id != PCI_EXT_CAP_ID_NULL && PCI_EXT_CAP_ID(hdr) == id;
}

static bool extcap_match_last(PCIDevice *dev, uint16_t off, uint32_t hdr,
                              void *opaque)
{
    return PCI_EXT_CAP_NEXT(hdr) == 0;
}

uint16_t pcie_find_capability(PCIDevice *dev, uint16_t cap_id)
{
    return extcap_walk(dev, extcap_match_id, &cap_id, NULL);
}

typedef struct ExtCapForeach {
    void (*fn)(PCIDevice *dev, uint16_t offset, uint16_t id, uint8_t ver,
               void *opaque);
    void *opaque;
} ExtCapForeach;

static bool extcap_call(PCIDevice *dev, uint16_t off, uint32_t hdr,
                        void *opaque)
{
    ExtCapForeach *each = opaque;

    if (PCI_EXT_CAP_ID(hdr) != PCI_EXT_CAP_ID_NULL) {
        each->fn(dev, off, PCI_EXT_CAP_ID(hdr), PCI_EXT_CAP_VER(hdr),
                 each->opaque);
    }
    return false;
}

void pcie_foreach_capability(PCIDevice *dev,
                             void (*fn)(PCIDevice *dev, uint16_t offset,
                                        uint16_t id, uint8_t ver,
                                        void *opaque),
                             void *opaque)
{
    ExtCapForeach each = {fn, opaque};

    extcap_walk(dev, extcap_call, &each, NULL);
}

static bool extcap_check_place(PCIDevice *dev, uint16_t cap_id,
                               uint16_t offset, uint16_t size,
                               uint16_t min_size, Error **errp)
{
    if (dev->config_size < PCIE_CONFIG_SPACE_SIZE) {
        error_setg(errp, "%s: no extended configuration space for "
                   "capability 0x%x", dev->name, cap_id);
        return false;
    }
    if (offset < PCI_EXT_CAP_START || (offset & 3) || size < min_size ||
        (uint32_t)offset + size > PCIE_CONFIG_SPACE_SIZE) {
        error_setg(errp, "%s: extended capability 0x%x cannot be placed at "
                   "offset 0x%x (%u bytes): it must be dword aligned, at or "
                   "above 0x100, at least %u bytes and end by 0x1000",
                   dev->name, cap_id, offset, size, min_size);
        return false;
    }
    if (extcap_chain_empty(dev) && offset != PCI_EXT_CAP_START) {
        error_setg(errp, "%s: the first extended capability must be at "
                   "offset 0x100, not 0x%x", dev->name, offset);
        return false;
    }
    if (!pci_range_is_free(dev, offset, size)) {
        error_setg(errp, "%s: extended capability 0x%x at offset 0x%x "
                   "(%u bytes) overlaps an existing capability", dev->name,
                   cap_id, offset, size);
        return false;
    }
    return true;
}

static void extcap_claim(PCIDevice *dev, uint16_t cap_id, uint8_t cap_ver,
                         uint16_t offset, uint16_t size, uint16_t next)
{
    pci_set_long(dev->config + offset, PCI_EXT_CAP(cap_id, cap_ver, next));
    pci_mark_used(dev, offset, size);
    pci_set_long(dev->wmask + offset, 0);
    pci_set_long(dev->w1cmask + offset, 0);
    pci_set_long(dev->cmask + offset, UINT32_MAX);
}

bool pcie_add_capability(PCIDevice *dev, uint16_t cap_id, uint8_t cap_ver,
                         uint16_t offset, uint16_t size, Error **errp)
{
    uint16_t last = 0;

    if (!extcap_check_place(dev, cap_id, offset, size,
                            PCI_EXT_CAP_HEADER_SIZE, errp)) {
        return false;
    }
    if (!extcap_chain_empty(dev)) {
        last = extcap_walk(dev, extcap_match_last, NULL, NULL);
        if (!last) {
            error_setg(errp, "%s: the extended capability chain is broken",
                       dev->name);
            return false;
        }
        extcap_set_next(dev, last, offset);
    }
    extcap_claim(dev, cap_id, cap_ver, offset, size, 0);
    return true;
}

typedef struct ExtCapSlot {
    uint16_t offset; /* where the new capability goes */
    uint16_t prev;   /* the capability it follows in the chain */
} ExtCapSlot;

/* Stops at the last capability placed before the new one. */
static bool extcap_match_before(PCIDevice *dev, uint16_t off, uint32_t hdr,
                                void *opaque)
{
    ExtCapSlot *slot = opaque;
    uint16_t next = PCI_EXT_CAP_NEXT(hdr);

    slot->prev = off;
    return next == 0 || next > slot->offset;
}

bool pcie_insert_capability(PCIDevice *dev, uint16_t cap_id, uint8_t cap_ver,
                            uint16_t offset, uint16_t size, Error **errp)
{
    ExtCapSlot slot = {.offset = offset};
    uint16_t next;

    if (!extcap_check_place(dev, cap_id, offset, size, PCI_EXT_CAP_MIN_SIZE,
                            errp)) {
        return false;
    }
    if (extcap_chain_empty(dev)) {
        extcap_claim(dev, cap_id, cap_ver, offset, size, 0);
        return true;
    }
    if (!extcap_walk(dev, extcap_match_before, &slot, NULL)) {
        error_setg(errp, "%s: the extended capability chain is broken",
                   dev->name);
        return false;
    }
    if (offset < slot.prev + PCI_EXT_CAP_HEADER_SIZE) {
        error_setg(errp, "%s: offset 0x%x is inside the header of the "
                   "extended capability at 0x%x", dev->name, offset,
                   slot.prev);
        return false;
    }
    next = PCI_EXT_CAP_NEXT(extcap_header(dev, slot.prev));
    if (next && offset + size > next) {
        error_setg(errp, "%s: extended capability 0x%x at offset 0x%x "
                   "(%u bytes) would overlap the capability at 0x%x",
                   dev->name, cap_id, offset, size, next);
        return false;
    }
    extcap_claim(dev, cap_id, cap_ver, offset, size, next);
    extcap_set_next(dev, slot.prev, offset);
    return true;
}

void pcie_remove_capability(PCIDevice *dev, uint16_t cap_id)
{
    uint16_t prev = 0;
    uint16_t off = extcap_walk(dev, extcap_match_id, &cap_id, &prev);
    uint16_t next;
    uint32_t size;

    if (!off) {
        return;
    }
    next = PCI_EXT_CAP_NEXT(extcap_header(dev, off));
    size = MAX(pci_used_extent(dev, off), PCI_EXT_CAP_HEADER_SIZE);
    if (off == dev->pasid_cap) {
        dev->pasid_cap = 0;
    }
    if (off == dev->ats_cap) {
        dev->ats_cap = 0;
    }
    if (off != PCI_EXT_CAP_START) {
        extcap_set_next(dev, prev, next);
        pci_release_range(dev, off, size);
        /* A null head with nothing after it is an empty chain. */
        if (extcap_header(dev, PCI_EXT_CAP_START) ==
            PCI_EXT_CAP(PCI_EXT_CAP_ID_NULL, 0, 0)) {
            pci_release_range(dev, PCI_EXT_CAP_START,
                              PCI_EXT_CAP_HEADER_SIZE);
        }
        return;
    }
    if (!next) {
        pci_release_range(dev, off, size);
        return;
    }
    /* The chain must keep starting at 0x100. */
    pci_release_range(dev, off + PCI_EXT_CAP_HEADER_SIZE,
                      size - PCI_EXT_CAP_HEADER_SIZE);
    extcap_claim(dev, PCI_EXT_CAP_ID_NULL, 0, off, PCI_EXT_CAP_HEADER_SIZE,
                 next);
}
