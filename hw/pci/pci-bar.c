/*
 * Base address registers: sizing through the write masks, and mapping
 * each BAR's region into its bus's memory or I/O space at the programmed
 * address while the command register enables decoding.
 */
#include "qemu/osdep.h"
#include "hw/pci/pci.h"
#include "pci-internal.h"

#define PCI_MEM_BAR_MIN_SIZE 16
#define PCI_IO_BAR_MIN_SIZE 4
#define PCI_BRIDGE_NUM_BARS 2
/* BARs win over bridge windows and other lower-priority regions. */
#define PCI_BAR_PRIORITY 1

static bool pci_dev_is_bridge(PCIDevice *d)
{
    return PCI_DEVICE_GET_CLASS(d)->is_bridge;
}

static uint32_t pci_bar_offset(PCIDevice *d, int n)
{
    if (n == PCI_ROM_SLOT) {
        return pci_dev_is_bridge(d) ? PCI_ROM_ADDRESS1 : PCI_ROM_ADDRESS;
    }
    return PCI_BASE_ADDRESS_0 + n * 4;
}

void pci_register_bar(PCIDevice *dev, int region_num, uint8_t type,
                      MemoryRegion *memory)
{
    PCIIORegion *r = &dev->io_regions[region_num];
    PCIBus *bus = pci_get_bus(dev);
    uint64_t size = memory_region_size(memory);
    uint32_t off = pci_bar_offset(dev, region_num);
    bool io = type & PCI_BASE_ADDRESS_SPACE_IO;
    uint64_t wmask;

    g_assert(region_num >= 0 && region_num < PCI_NUM_REGIONS);
    g_assert(region_num == PCI_ROM_SLOT || !pci_dev_is_bridge(dev) ||
             region_num < PCI_BRIDGE_NUM_BARS);
    g_assert(size && !(size & (size - 1)));
    g_assert(size >= (io ? PCI_IO_BAR_MIN_SIZE : PCI_MEM_BAR_MIN_SIZE));
    g_assert(!r->size);

    r->addr = PCI_BAR_UNMAPPED;
    r->size = size;
    r->type = region_num == PCI_ROM_SLOT ? 0 : type;
    r->memory = memory;
    r->address_space = io ? bus->address_space_io : bus->address_space_mem;

    if (region_num == PCI_ROM_SLOT) {
        wmask = (~(size - 1) & PCI_ROM_ADDRESS_MASK) | PCI_ROM_ADDRESS_ENABLE;
        pci_set_long(dev->config + off, 0);
        pci_set_long(dev->wmask + off, wmask);
        pci_set_long(dev->cmask + off, UINT32_MAX);
        return;
    }
    wmask = ~(size - 1) &
            (io ? PCI_BASE_ADDRESS_IO_MASK : PCI_BASE_ADDRESS_MEM_MASK);
    pci_set_long(dev->config + off, type);
    if (!io && (type & PCI_BASE_ADDRESS_MEM_TYPE_64)) {
        g_assert(region_num + 1 < PCI_ROM_SLOT);
        pci_set_long(dev->config + off + 4, 0);
        pci_set_quad(dev->wmask + off, wmask);
        pci_set_quad(dev->cmask + off, UINT64_MAX);
    } else {
        pci_set_long(dev->wmask + off, wmask & UINT32_MAX);
        pci_set_long(dev->cmask + off, UINT32_MAX);
    }
}

uint64_t pci_get_bar_addr(PCIDevice *dev, int region_num)
{
    return dev->io_regions[region_num].addr;
}

/* Where the BAR decodes now, or PCI_BAR_UNMAPPED. */
static uint64_t pci_bar_address(PCIDevice *d, int n)
{
    PCIIORegion *r = &d->io_regions[n];
    uint16_t cmd = pci_get_word(d->config + PCI_COMMAND);
    uint8_t *bar = d->config + pci_bar_offset(d, n);
    uint64_t addr, last;

    if (r->type & PCI_BASE_ADDRESS_SPACE_IO) {
        if (!(cmd & PCI_COMMAND_IO)) {
            return PCI_BAR_UNMAPPED;
        }
        addr = pci_get_long(bar) & PCI_BASE_ADDRESS_IO_MASK;
    } else if (!(cmd & PCI_COMMAND_MEMORY)) {
        return PCI_BAR_UNMAPPED;
    } else if (n == PCI_ROM_SLOT) {
        if (!(pci_get_long(bar) & PCI_ROM_ADDRESS_ENABLE)) {
            return PCI_BAR_UNMAPPED;
        }
        addr = pci_get_long(bar) & PCI_ROM_ADDRESS_MASK;
    } else if (r->type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
        addr = pci_get_quad(bar) & PCI_BASE_ADDRESS_MEM_MASK;
    } else {
        addr = pci_get_long(bar) & PCI_BASE_ADDRESS_MEM_MASK;
    }
    addr &= ~(r->size - 1);
    last = addr + r->size - 1;
    /* Address 0 is what reset leaves: treat it as "not programmed". */
    if (!addr || last < addr) {
        return PCI_BAR_UNMAPPED;
    }
    return addr;
}

static void pci_bar_map(PCIIORegion *r, uint64_t addr)
{
    if (r->addr == addr) {
        return;
    }
    if (r->addr != PCI_BAR_UNMAPPED) {
        memory_region_del_subregion(r->address_space, r->memory);
    }
    r->addr = addr;
    if (addr != PCI_BAR_UNMAPPED) {
        memory_region_add_subregion_overlap(r->address_space, addr, r->memory,
                                            PCI_BAR_PRIORITY);
    }
}

void pci_update_mappings(PCIDevice *dev)
{
    for (int i = 0; i < PCI_NUM_REGIONS; i++) {
        PCIIORegion *r = &dev->io_regions[i];

        if (r->size && r->address_space) {
            pci_bar_map(r, pci_bar_address(dev, i));
        }
    }
}

void pci_bars_unmap(PCIDevice *dev)
{
    for (int i = 0; i < PCI_NUM_REGIONS; i++) {
        PCIIORegion *r = &dev->io_regions[i];

        if (r->size && r->address_space) {
            pci_bar_map(r, PCI_BAR_UNMAPPED);
        }
    }
}

void pci_bar_unregister(PCIDevice *dev, int region_num)
{
    PCIIORegion *r = &dev->io_regions[region_num];
    uint32_t off = pci_bar_offset(dev, region_num);
    int words = (r->type & PCI_BASE_ADDRESS_MEM_TYPE_64) ? 2 : 1;

    if (!r->size) {
        return;
    }
    if (r->address_space) {
        pci_bar_map(r, PCI_BAR_UNMAPPED);
    }
    for (int i = 0; i < words; i++) {
        pci_set_long(dev->config + off + 4 * i, 0);
        pci_set_long(dev->wmask + off + 4 * i, 0);
        pci_set_long(dev->cmask + off + 4 * i, 0);
    }
    *r = (PCIIORegion){.addr = PCI_BAR_UNMAPPED};
}

void pci_bars_reset(PCIDevice *dev)
{
    for (int i = 0; i < PCI_NUM_REGIONS; i++) {
        PCIIORegion *r = &dev->io_regions[i];
        uint8_t *bar = dev->config + pci_bar_offset(dev, i);

        if (!r->size) {
            continue;
        }
        pci_set_long(bar, r->type);
        if (i != PCI_ROM_SLOT && !(r->type & PCI_BASE_ADDRESS_SPACE_IO) &&
            (r->type & PCI_BASE_ADDRESS_MEM_TYPE_64)) {
            pci_set_long(bar + 4, 0);
        }
    }
}

bool pci_config_touches_bars(PCIDevice *dev, uint32_t addr, int len)
{
    int nbars = pci_dev_is_bridge(dev) ? PCI_BRIDGE_NUM_BARS : PCI_ROM_SLOT;
    uint32_t bars_end = PCI_BASE_ADDRESS_0 + 4 * nbars;
    uint32_t rom = pci_bar_offset(dev, PCI_ROM_SLOT);

    return (addr < bars_end && addr + len > PCI_BASE_ADDRESS_0) ||
           (addr < rom + 4 && addr + len > rom);
}
