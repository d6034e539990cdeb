/*
 * PCI-to-PCI bridges: the type 1 header registers and their masks, the
 * secondary bus, window mapping into the parent bus, secondary bus reset
 * and the resource-reservation capability.
 */
#include "qemu/osdep.h"
#include "hw/pci/pci_bridge.h"
#include "pci-internal.h"

/* Windows sit above ordinary regions of the parent, like BARs. */
#define PCI_BRIDGE_WINDOW_PRIORITY 1
#define PCI_BRIDGE_IO_SPACE_SIZE (4 * GiB)

/* Red Hat vendor-specific capability: resource reservation (type 1). */
#define REDHAT_CAP_TYPE_RESOURCE_RESERVE 1
#define REDHAT_CAP_RES_LEN 0x02
#define REDHAT_CAP_RES_TYPE 0x03
#define REDHAT_CAP_RES_BUS 0x04
#define REDHAT_CAP_RES_IO 0x08
#define REDHAT_CAP_RES_MEM 0x10
#define REDHAT_CAP_RES_PREF32 0x14
#define REDHAT_CAP_RES_PREF64 0x18
#define REDHAT_CAP_RES_SIZEOF 0x20

PCIBus *pci_bridge_get_sec_bus(PCIBridge *br)
{
    return br->sec_bus;
}

PCIBridgeWindow pci_bridge_io_window(PCIDevice *dev)
{
    uint8_t *c = dev->config;
    uint64_t base = (uint64_t)(c[PCI_IO_BASE] & PCI_IO_RANGE_MASK) << 8;
    uint64_t limit = (uint64_t)(c[PCI_IO_LIMIT] & PCI_IO_RANGE_MASK) << 8;

    if ((c[PCI_IO_BASE] & PCI_IO_RANGE_TYPE_MASK) == PCI_IO_RANGE_TYPE_32) {
        base |= (uint64_t)pci_get_word(c + PCI_IO_BASE_UPPER16) << 16;
        limit |= (uint64_t)pci_get_word(c + PCI_IO_LIMIT_UPPER16) << 16;
    }
    return (PCIBridgeWindow){base, limit + PCI_BRIDGE_IO_GRANULE - 1};
}

PCIBridgeWindow pci_bridge_mem_window(PCIDevice *dev)
{
    uint8_t *c = dev->config;
    uint64_t base = (uint64_t)(pci_get_word(c + PCI_MEMORY_BASE) &
                               PCI_MEMORY_RANGE_MASK) << 16;
    uint64_t limit = (uint64_t)(pci_get_word(c + PCI_MEMORY_LIMIT) &
                                PCI_MEMORY_RANGE_MASK) << 16;

    return (PCIBridgeWindow){base, limit + PCI_BRIDGE_MEM_GRANULE - 1};
}

PCIBridgeWindow pci_bridge_pref_window(PCIDevice *dev)
{
    uint8_t *c = dev->config;
    uint64_t base = (uint64_t)(pci_get_word(c + PCI_PREF_MEMORY_BASE) &
                               PCI_PREF_RANGE_MASK) << 16;
    uint64_t limit = (uint64_t)(pci_get_word(c + PCI_PREF_MEMORY_LIMIT) &
                                PCI_PREF_RANGE_MASK) << 16;

    if ((pci_get_word(c + PCI_PREF_MEMORY_BASE) & PCI_PREF_RANGE_TYPE_MASK) ==
        PCI_PREF_RANGE_TYPE_64) {
        base |= (uint64_t)pci_get_long(c + PCI_PREF_BASE_UPPER32) << 32;
        limit |= (uint64_t)pci_get_long(c + PCI_PREF_LIMIT_UPPER32) << 32;
    }
    return (PCIBridgeWindow){base, limit + PCI_BRIDGE_MEM_GRANULE - 1};
}

static void pci_bridge_unmap_window(MemoryRegion *window)
{
    if (window->name) {
        memory_region_destroy(window);
    }
}

static void pci_bridge_map_window(PCIBridge *br, MemoryRegion *window,
                                  const char *name, MemoryRegion *target,
                                  MemoryRegion *parent_space,
                                  PCIBridgeWindow w, bool enabled)
{
    uint64_t size;

    pci_bridge_unmap_window(window);
    if (!enabled || !parent_space || w.base > w.limit) {
        return;
    }
    size = w.limit - w.base + 1;
    memory_region_init_alias(window, OBJECT(br), name, target, w.base,
                             size ? size : UINT64_MAX);
    memory_region_add_subregion_overlap(parent_space, w.base, window,
                                        PCI_BRIDGE_WINDOW_PRIORITY);
}

static void pci_bridge_update_windows(PCIBridge *br)
{
    PCIDevice *dev = PCI_DEVICE(br);
    PCIBus *parent = pci_get_bus(dev);
    uint16_t cmd = pci_get_word(dev->config + PCI_COMMAND);
    bool mem = cmd & PCI_COMMAND_MEMORY;

    pci_bridge_map_window(br, &br->window_mem, "pci_bridge_mem",
                          &br->address_space_mem, parent->address_space_mem,
                          pci_bridge_mem_window(dev), mem);
    pci_bridge_map_window(br, &br->window_pref, "pci_bridge_pref_mem",
                          &br->address_space_mem, parent->address_space_mem,
                          pci_bridge_pref_window(dev), mem);
    pci_bridge_map_window(br, &br->window_io, "pci_bridge_io",
                          &br->address_space_io, parent->address_space_io,
                          pci_bridge_io_window(dev), cmd & PCI_COMMAND_IO);
}

static void pci_bridge_init_masks(PCIDevice *dev)
{
    uint8_t *c = dev->config, *wmask = dev->wmask;

    memset(wmask + PCI_PRIMARY_BUS, 0xff, 4);
    pci_set_byte(c + PCI_IO_BASE, PCI_IO_RANGE_TYPE_32);
    pci_set_byte(c + PCI_IO_LIMIT, PCI_IO_RANGE_TYPE_32);
    pci_set_byte(wmask + PCI_IO_BASE, PCI_IO_RANGE_MASK);
    pci_set_byte(wmask + PCI_IO_LIMIT, PCI_IO_RANGE_MASK);
    pci_set_word(wmask + PCI_MEMORY_BASE, PCI_MEMORY_RANGE_MASK);
    pci_set_word(wmask + PCI_MEMORY_LIMIT, PCI_MEMORY_RANGE_MASK);
    pci_set_word(c + PCI_PREF_MEMORY_BASE, PCI_PREF_RANGE_TYPE_64);
    pci_set_word(c + PCI_PREF_MEMORY_LIMIT, PCI_PREF_RANGE_TYPE_64);
    pci_set_word(wmask + PCI_PREF_MEMORY_BASE, PCI_PREF_RANGE_MASK);
    pci_set_word(wmask + PCI_PREF_MEMORY_LIMIT, PCI_PREF_RANGE_MASK);
    pci_set_long(wmask + PCI_PREF_BASE_UPPER32, UINT32_MAX);
    pci_set_long(wmask + PCI_PREF_LIMIT_UPPER32, UINT32_MAX);
    pci_set_word(wmask + PCI_IO_BASE_UPPER16, UINT16_MAX);
    pci_set_word(wmask + PCI_IO_LIMIT_UPPER16, UINT16_MAX);
    pci_set_word(wmask + PCI_BRIDGE_CONTROL,
                 PCI_BRIDGE_CTL_PARITY | PCI_BRIDGE_CTL_SERR |
                     PCI_BRIDGE_CTL_ISA | PCI_BRIDGE_CTL_VGA |
                     PCI_BRIDGE_CTL_VGA_16BIT | PCI_BRIDGE_CTL_MASTER_ABORT |
                     PCI_BRIDGE_CTL_BUS_RESET | PCI_BRIDGE_CTL_FAST_BACK);
    pci_set_word(dev->w1cmask + PCI_SEC_STATUS, PCI_STATUS_W1C_BITS);
    /* Bus numbers and windows are programmed state, not identity. */
    memset(dev->cmask + PCI_PRIMARY_BUS, 0,
           PCI_IO_LIMIT_UPPER16 + 2 - PCI_PRIMARY_BUS);
    pci_set_word(dev->cmask + PCI_BRIDGE_CONTROL, 0);
}

bool pci_bridge_init(PCIDevice *dev, const char *bus_type, Error **errp)
{
    PCIBridge *br = PCI_BRIDGE(dev);
    PCIBus *parent = pci_get_bus(dev);
    PCIBus *sec;

    pci_bridge_init_masks(dev);
    memory_region_init(&br->address_space_mem, OBJECT(dev), "pci_bridge_pci",
                       UINT64_MAX);
    memory_region_init(&br->address_space_io, OBJECT(dev), "pci_bridge_io",
                       PCI_BRIDGE_IO_SPACE_SIZE);
    sec = PCI_BUS(qbus_new(bus_type, DEVICE(dev), dev->qdev.id));
    sec->parent_dev = dev;
    sec->address_space_mem = &br->address_space_mem;
    sec->address_space_io = &br->address_space_io;
    sec->is_express = pci_bus_is_express(sec);
    QLIST_INSERT_HEAD(&parent->child, sec, sibling);
    br->sec_bus = sec;
    pci_bridge_update_windows(br);
    return true;
}

void pci_bridge_exit(PCIDevice *dev)
{
    PCIBridge *br = PCI_BRIDGE(dev);

    if (!br->sec_bus) {
        return;
    }
    QLIST_REMOVE(br->sec_bus, sibling);
    br->sec_bus->parent_dev = NULL;
    br->sec_bus = NULL;
    pci_bridge_unmap_window(&br->window_mem);
    pci_bridge_unmap_window(&br->window_pref);
    pci_bridge_unmap_window(&br->window_io);
    memory_region_destroy(&br->address_space_mem);
    memory_region_destroy(&br->address_space_io);
}

static void pci_bridge_reset_secondary(PCIBridge *br)
{
    BusChild *kid;

    QTAILQ_FOREACH(kid, &BUS(br->sec_bus)->children, sibling) {
        if (kid->child->realized) {
            device_cold_reset(kid->child);
        }
    }
}

void pci_bridge_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                             int len)
{
    PCIBridge *br = PCI_BRIDGE(dev);
    uint16_t old_ctl = pci_get_word(dev->config + PCI_BRIDGE_CONTROL);
    uint16_t new_ctl;

    pci_default_write_config(dev, addr, val, len);
    if (ranges_overlap(addr, len, PCI_COMMAND, 2) ||
        ranges_overlap(addr, len, PCI_IO_BASE,
                       PCI_IO_LIMIT_UPPER16 + 2 - PCI_IO_BASE)) {
        pci_bridge_update_windows(br);
    }
    new_ctl = pci_get_word(dev->config + PCI_BRIDGE_CONTROL);
    if (~old_ctl & new_ctl & PCI_BRIDGE_CTL_BUS_RESET) {
        pci_bridge_reset_secondary(br);
    }
}

void pci_bridge_reset(PCIDevice *dev)
{
    uint8_t *c = dev->config;

    pci_device_reset(dev);
    memset(c + PCI_PRIMARY_BUS, 0, 4);
    c[PCI_IO_BASE] &= ~PCI_IO_RANGE_MASK;
    c[PCI_IO_LIMIT] &= ~PCI_IO_RANGE_MASK;
    pci_set_word(c + PCI_MEMORY_BASE, 0);
    pci_set_word(c + PCI_MEMORY_LIMIT, 0);
    pci_word_test_and_clear_mask(c + PCI_PREF_MEMORY_BASE,
                                 PCI_PREF_RANGE_MASK);
    pci_word_test_and_clear_mask(c + PCI_PREF_MEMORY_LIMIT,
                                 PCI_PREF_RANGE_MASK);
    pci_set_long(c + PCI_PREF_BASE_UPPER32, 0);
    pci_set_long(c + PCI_PREF_LIMIT_UPPER32, 0);
    pci_set_word(c + PCI_IO_BASE_UPPER16, 0);
    pci_set_word(c + PCI_IO_LIMIT_UPPER16, 0);
    pci_set_word(c + PCI_BRIDGE_CONTROL, 0);
    pci_set_word(c + PCI_SEC_STATUS, 0);
    pci_bridge_update_windows(PCI_BRIDGE(dev));
}

static bool reserve_set(uint64_t v)
{
    return v != UINT64_MAX;
}

bool pci_bridge_qemu_reserve_cap_init(PCIDevice *dev, uint8_t offset,
                                      PCIResReserve res, Error **errp)
{
    uint8_t *c;
    int pos;

    if (res.bus == UINT32_MAX && !reserve_set(res.io) &&
        !reserve_set(res.mem_non_pref) && !reserve_set(res.mem_pref_32) &&
        !reserve_set(res.mem_pref_64)) {
        return true;
    }
    if (reserve_set(res.mem_pref_32) && reserve_set(res.mem_pref_64)) {
        error_setg(errp, "PCI resource reserve cap: PREF32 and PREF64 "
                   "conflict");
        return false;
    }
    if (reserve_set(res.mem_non_pref) && res.mem_non_pref >= 4 * GiB) {
        error_setg(errp, "PCI resource reserve cap: mem-reserve must be less "
                   "than 4G");
        return false;
    }
    if (reserve_set(res.mem_pref_32) && res.mem_pref_32 >= 4 * GiB) {
        error_setg(errp, "PCI resource reserve cap: pref32-reserve must be "
                   "less than 4G");
        return false;
    }
    pos = pci_add_capability(dev, PCI_CAP_ID_VNDR, offset,
                             REDHAT_CAP_RES_SIZEOF, errp);
    if (pos < 0) {
        return false;
    }
    c = dev->config + pos;
    c[REDHAT_CAP_RES_LEN] = REDHAT_CAP_RES_SIZEOF;
    c[REDHAT_CAP_RES_TYPE] = REDHAT_CAP_TYPE_RESOURCE_RESERVE;
    pci_set_long(c + REDHAT_CAP_RES_BUS, res.bus);
    pci_set_quad(c + REDHAT_CAP_RES_IO, res.io);
    pci_set_long(c + REDHAT_CAP_RES_MEM, res.mem_non_pref);
    pci_set_long(c + REDHAT_CAP_RES_PREF32, res.mem_pref_32);
    pci_set_quad(c + REDHAT_CAP_RES_PREF64, res.mem_pref_64);
    return true;
}

static void pci_bridge_class_init(ObjectClass *oc, const void *data)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->is_bridge = true;
    pc->class_id = PCI_CLASS_BRIDGE_PCI;
    pc->config_write = pci_bridge_write_config;
    DEVICE_CLASS(oc)->categories |= 1u << DEVICE_CATEGORY_BRIDGE;
}

static const TypeInfo pci_bridge_info = {
    .name = TYPE_PCI_BRIDGE,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(PCIBridge),
    .class_init = pci_bridge_class_init,
    .abstract = true,
};

static void pci_bridge_register_types(void)
{
    type_register_static(&pci_bridge_info);
}

type_init(pci_bridge_register_types)
