/*
 * MSI-X: the capability, the table and PBA as MMIO regions inside BARs,
 * masking with pending bits, and delivery of unmasked vectors.
 */
#include "qemu/osdep.h"
#include "hw/pci/msix.h"
#include "pci-internal.h"

#define MSIX_EXCLUSIVE_BAR_MIN_SIZE 4096
/* Table and PBA override whatever else the BAR maps there. */
#define MSIX_REGION_PRIORITY 1
#define MSIX_PBA_BYTES(n) (DIV_ROUND_UP((n), 64) * 8)

static uint16_t msix_flags(const PCIDevice *dev)
{
    return pci_get_word(dev->config + dev->msix_cap + PCI_MSIX_FLAGS);
}

bool msix_enabled(const PCIDevice *dev)
{
    return dev->msix_cap && (msix_flags(dev) & PCI_MSIX_FLAGS_ENABLE);
}

static bool msix_function_masked(const PCIDevice *dev)
{
    return !msix_enabled(dev) || (msix_flags(dev) & PCI_MSIX_FLAGS_MASKALL);
}

static uint8_t *msix_entry(const PCIDevice *dev, unsigned int vector)
{
    return dev->msix->table + vector * PCI_MSIX_ENTRY_SIZE;
}

bool msix_is_masked(const PCIDevice *dev, unsigned int vector)
{
    return msix_function_masked(dev) ||
           (pci_get_long(msix_entry(dev, vector) + PCI_MSIX_ENTRY_VECTOR_CTRL) &
            PCI_MSIX_ENTRY_CTRL_MASKBIT);
}

bool msix_is_pending(const PCIDevice *dev, unsigned int vector)
{
    return dev->msix->pba[vector / 8] & (1u << (vector % 8));
}

static void msix_set_pending(PCIDevice *dev, unsigned int vector, bool on)
{
    uint8_t bit = 1u << (vector % 8);

    if (on) {
        dev->msix->pba[vector / 8] |= bit;
    } else {
        dev->msix->pba[vector / 8] &= ~bit;
    }
}

MSIMessage msix_get_message(PCIDevice *dev, unsigned int vector)
{
    uint8_t *e = msix_entry(dev, vector);

    return (MSIMessage){
        .address = pci_get_quad(e + PCI_MSIX_ENTRY_ADDR_LO),
        .data = pci_get_long(e + PCI_MSIX_ENTRY_DATA),
    };
}

void msix_notify(PCIDevice *dev, unsigned int vector)
{
    if (!msix_enabled(dev) || vector >= dev->msix->nentries) {
        return;
    }
    if (msix_is_masked(dev, vector)) {
        msix_set_pending(dev, vector, true);
        return;
    }
    msi_send_message(dev, msix_get_message(dev, vector));
}

/* Delivers a pending vector that is no longer masked. */
static void msix_flush_vector(PCIDevice *dev, unsigned int vector)
{
    if (msix_is_pending(dev, vector) && !msix_is_masked(dev, vector)) {
        msix_set_pending(dev, vector, false);
        msi_send_message(dev, msix_get_message(dev, vector));
    }
}

void msix_write_config(PCIDevice *dev, uint32_t addr, uint32_t val, int len)
{
    bool masked = msix_function_masked(dev);

    if (masked == dev->msix->masked) {
        return;
    }
    dev->msix->masked = masked;
    for (unsigned int v = 0; !masked && v < dev->msix->nentries; v++) {
        msix_flush_vector(dev, v);
    }
}

static uint64_t msix_table_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIDevice *dev = opaque;

    return pci_get_long(dev->msix->table + addr);
}

static void msix_table_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    PCIDevice *dev = opaque;

    pci_set_long(dev->msix->table + addr, val);
    msix_flush_vector(dev, addr / PCI_MSIX_ENTRY_SIZE);
}

static const MemoryRegionOps msix_table_ops = {
    .read = msix_table_read,
    .write = msix_table_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 4, .max_access_size = 8},
    .impl = {.min_access_size = 4, .max_access_size = 4},
};

static uint64_t msix_pba_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIDevice *dev = opaque;

    return pci_get_long(dev->msix->pba + addr);
}

/* The PBA is read-only. */
static void msix_pba_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
}

static const MemoryRegionOps msix_pba_ops = {
    .read = msix_pba_read,
    .write = msix_pba_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 4, .max_access_size = 8},
    .impl = {.min_access_size = 4, .max_access_size = 4},
};

void msix_reset(PCIDevice *dev)
{
    PCIMSIXState *s = dev->msix;

    pci_word_test_and_clear_mask(dev->config + dev->msix_cap + PCI_MSIX_FLAGS,
                                 PCI_MSIX_FLAGS_ENABLE |
                                     PCI_MSIX_FLAGS_MASKALL);
    memset(s->table, 0, s->nentries * PCI_MSIX_ENTRY_SIZE);
    for (unsigned int v = 0; v < s->nentries; v++) {
        pci_set_long(msix_entry(dev, v) + PCI_MSIX_ENTRY_VECTOR_CTRL,
                     PCI_MSIX_ENTRY_CTRL_MASKBIT);
    }
    memset(s->pba, 0, MSIX_PBA_BYTES(s->nentries));
    s->masked = true;
}

static bool msix_check_layout(PCIDevice *dev, unsigned int nentries,
                              MemoryRegion *table_bar, uint8_t table_bar_nr,
                              uint32_t table_offset, MemoryRegion *pba_bar,
                              uint8_t pba_bar_nr, uint32_t pba_offset,
                              Error **errp)
{
    uint64_t table_size = (uint64_t)nentries * PCI_MSIX_ENTRY_SIZE;

    if (!nentries || nentries > PCI_MSIX_MAX_VECTORS) {
        error_setg(errp, "%s: MSI-X needs 1 to %d vectors, not %u", dev->name,
                   PCI_MSIX_MAX_VECTORS, nentries);
        return false;
    }
    if (table_bar_nr >= PCI_ROM_SLOT || pba_bar_nr >= PCI_ROM_SLOT ||
        (table_offset & PCI_MSIX_FLAGS_BIRMASK) ||
        (pba_offset & PCI_MSIX_FLAGS_BIRMASK) ||
        table_offset + table_size > memory_region_size(table_bar) ||
        pba_offset + MSIX_PBA_BYTES(nentries) > memory_region_size(pba_bar)) {
        error_setg(errp, "%s: MSI-X table or PBA does not fit its BAR",
                   dev->name);
        return false;
    }
    if (table_bar_nr == pba_bar_nr &&
        table_offset < pba_offset + MSIX_PBA_BYTES(nentries) &&
        pba_offset < table_offset + table_size) {
        error_setg(errp, "%s: MSI-X table and PBA overlap", dev->name);
        return false;
    }
    return true;
}

bool msix_init(PCIDevice *dev, unsigned int nentries,
               MemoryRegion *table_bar, uint8_t table_bar_nr,
               uint32_t table_offset, MemoryRegion *pba_bar,
               uint8_t pba_bar_nr, uint32_t pba_offset, uint8_t cap_pos,
               Error **errp)
{
    PCIMSIXState *s;
    uint8_t *cap;
    int pos;

    if (!msix_check_layout(dev, nentries, table_bar, table_bar_nr,
                           table_offset, pba_bar, pba_bar_nr, pba_offset,
                           errp)) {
        return false;
    }
    pos = pci_add_capability(dev, PCI_CAP_ID_MSIX, cap_pos, PCI_MSIX_SIZEOF,
                             errp);
    if (pos < 0) {
        return false;
    }
    cap = dev->config + pos;
    pci_set_word(cap + PCI_MSIX_FLAGS, nentries - 1);
    pci_set_long(cap + PCI_MSIX_TABLE, table_offset | table_bar_nr);
    pci_set_long(cap + PCI_MSIX_PBA, pba_offset | pba_bar_nr);
    pci_set_word(dev->wmask + pos + PCI_MSIX_FLAGS,
                 PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
    pci_set_word(dev->cmask + pos + PCI_MSIX_FLAGS, PCI_MSIX_FLAGS_QSIZE);

    s = g_new0(PCIMSIXState, 1);
    s->nentries = nentries;
    s->table = g_malloc0(nentries * PCI_MSIX_ENTRY_SIZE);
    s->pba = g_malloc0(MSIX_PBA_BYTES(nentries));
    s->table_bar = table_bar;
    s->pba_bar = pba_bar;
    s->exclusive_bar_nr = -1;
    dev->msix = s;
    dev->msix_cap = pos;
    dev->cap_present |= QEMU_PCI_CAP_MSIX;
    msix_reset(dev);

    memory_region_init_io(&s->table_mmio, OBJECT(dev), &msix_table_ops, dev,
                          "msix-table", nentries * PCI_MSIX_ENTRY_SIZE);
    memory_region_add_subregion_overlap(table_bar, table_offset,
                                        &s->table_mmio, MSIX_REGION_PRIORITY);
    memory_region_init_io(&s->pba_mmio, OBJECT(dev), &msix_pba_ops, dev,
                          "msix-pba", MSIX_PBA_BYTES(nentries));
    memory_region_add_subregion_overlap(pba_bar, pba_offset, &s->pba_mmio,
                                        MSIX_REGION_PRIORITY);
    return true;
}

static uint64_t msix_pow2_ceil(uint64_t v)
{
    uint64_t p = 1;

    while (p < v) {
        p <<= 1;
    }
    return p;
}

bool msix_init_exclusive_bar(PCIDevice *dev, unsigned int nentries,
                             uint8_t bar_nr, Error **errp)
{
    uint64_t half = msix_pow2_ceil(MAX((uint64_t)nentries *
                                           PCI_MSIX_ENTRY_SIZE,
                                       MSIX_PBA_BYTES(nentries)));
    uint64_t bar_size = MAX(MSIX_EXCLUSIVE_BAR_MIN_SIZE, 2 * half);
    MemoryRegion *bar = g_new0(MemoryRegion, 1);
    g_autofree char *name = g_strdup_printf("%s-msix", dev->name);

    memory_region_init(bar, OBJECT(dev), name, bar_size);
    if (!msix_init(dev, nentries, bar, bar_nr, 0, bar, bar_nr, bar_size / 2,
                   0, errp)) {
        memory_region_destroy(bar);
        g_free(bar);
        return false;
    }
    dev->msix->exclusive_bar = bar;
    dev->msix->exclusive_bar_nr = bar_nr;
    pci_register_bar(dev, bar_nr, PCI_BASE_ADDRESS_SPACE_MEMORY, bar);
    return true;
}

void msix_uninit(PCIDevice *dev)
{
    PCIMSIXState *s = dev->msix;

    if (!s) {
        return;
    }
    if (s->exclusive_bar) {
        pci_bar_unregister(dev, s->exclusive_bar_nr);
    }
    memory_region_destroy(&s->table_mmio);
    memory_region_destroy(&s->pba_mmio);
    if (s->exclusive_bar) {
        memory_region_destroy(s->exclusive_bar);
        g_free(s->exclusive_bar);
    }
    pci_del_capability(dev, PCI_CAP_ID_MSIX, PCI_MSIX_SIZEOF);
    g_free(s->table);
    g_free(s->pba);
    g_free(s);
    dev->msix = NULL;
    dev->msix_cap = 0;
    dev->cap_present &= ~QEMU_PCI_CAP_MSIX;
}
