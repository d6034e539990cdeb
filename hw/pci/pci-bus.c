/*
 * PCI buses: the PCI and PCIE bus types, root buses, bus numbers and the
 * routing of configuration accesses down the hierarchy, and the slot and
 * function rules of device placement.
 */
#include "qemu/osdep.h"
#include "hw/pci/pci.h"
#include "hw/pci/pcie.h"
#include "pci-internal.h"

#define NUMA_NODE_UNASSIGNED 0xffff

static GSList *root_buses;

bool pci_bus_is_root(PCIBus *bus)
{
    return PCI_BUS_GET_CLASS(bus)->is_root(bus);
}

bool pci_bus_is_express(PCIBus *bus)
{
    return object_dynamic_cast(OBJECT(bus), TYPE_PCIE_BUS) != NULL;
}

int pci_bus_num(PCIBus *bus)
{
    return PCI_BUS_GET_CLASS(bus)->bus_num(bus);
}

PCIBus *pci_bus_expander_parent(PCIBus *bus)
{
    DeviceState *owner = BUS(bus)->parent;

    if (!pci_bus_is_root(bus) || !owner ||
        !object_dynamic_cast(OBJECT(owner), TYPE_PCI_DEVICE)) {
        return NULL;
    }
    return pci_get_bus(PCI_DEVICE(owner));
}

PCIBus *pci_device_root_bus(const PCIDevice *dev)
{
    PCIBus *bus = pci_get_bus(dev);

    while (!pci_bus_is_root(bus) && bus->parent_dev) {
        bus = pci_get_bus(bus->parent_dev);
    }
    return bus;
}

GSList *pci_root_bus_list(void)
{
    return root_buses;
}

void pci_root_bus_forget(PCIBus *bus)
{
    root_buses = g_slist_remove(root_buses, bus);
}

PCIBus *pci_root_bus_new(DeviceState *parent, const char *name,
                         MemoryRegion *mem, MemoryRegion *io,
                         uint8_t devfn_min, const char *typename)
{
    PCIBus *bus = PCI_BUS(qbus_new(typename, parent, name));

    bus->address_space_mem = mem;
    bus->address_space_io = io;
    bus->devfn_min = devfn_min;
    bus->is_root = true;
    bus->is_express = pci_bus_is_express(bus);
    root_buses = g_slist_append(root_buses, bus);
    return bus;
}

/* Secondary buses are found through their bridge's bus number range. */
static bool pci_bus_routes(PCIBus *child, int bus_num, bool *exact)
{
    uint8_t *c;
    int sec, sub;

    if (pci_bus_is_root(child)) {
        sec = pci_bus_num(child);
        *exact = bus_num == sec;
        return bus_num >= sec;
    }
    c = child->parent_dev->config;
    sec = c[PCI_SECONDARY_BUS];
    sub = c[PCI_SUBORDINATE_BUS];
    *exact = bus_num == sec;
    return sec && sec <= bus_num && bus_num <= sub;
}

static PCIBus *pci_find_bus_below(PCIBus *bus, int bus_num, int depth)
{
    PCIBus *child;

    /* Bus numbers nest at most 256 deep; deeper is a routing loop. */
    if (depth > 256) {
        return NULL;
    }
    QLIST_FOREACH(child, &bus->child, sibling) {
        bool exact;
        PCIBus *found;

        if (!pci_bus_routes(child, bus_num, &exact)) {
            continue;
        }
        if (exact) {
            return child;
        }
        found = pci_find_bus_below(child, bus_num, depth + 1);
        if (found) {
            return found;
        }
    }
    return NULL;
}

PCIBus *pci_find_bus_nr(PCIBus *root, int bus_num)
{
    if (bus_num == pci_bus_num(root)) {
        return root;
    }
    return pci_find_bus_below(root, bus_num, 0);
}

PCIDevice *pci_find_device(PCIBus *root, int bus_num, uint8_t devfn)
{
    PCIBus *bus = pci_find_bus_nr(root, bus_num);

    return bus ? bus->devices[devfn] : NULL;
}

static PCIDevice *pci_host_target(PCIBus *root, uint32_t bdf, uint32_t addr,
                                  int len)
{
    PCIDevice *d = pci_find_device(root, (bdf >> 8) & 0xff, bdf & 0xff);

    if (!d || !d->config || addr + len > d->config_size) {
        return NULL;
    }
    return d;
}

void pci_host_config_write(PCIBus *root, uint32_t bdf, uint32_t addr,
                           uint32_t val, int len)
{
    PCIDevice *d = pci_host_target(root, bdf, addr, len);
    PCIDeviceClass *pc;

    if (!d) {
        return;
    }
    pc = PCI_DEVICE_GET_CLASS(d);
    if (pc->config_write) {
        pc->config_write(d, addr, val, len);
    } else {
        pci_default_write_config(d, addr, val, len);
    }
}

uint32_t pci_host_config_read(PCIBus *root, uint32_t bdf, uint32_t addr,
                              int len)
{
    PCIDevice *d = pci_host_target(root, bdf, addr, len);
    PCIDeviceClass *pc;

    if (!d) {
        return len == 4 ? UINT32_MAX : (1u << (8 * len)) - 1;
    }
    pc = PCI_DEVICE_GET_CLASS(d);
    if (pc->config_read) {
        return pc->config_read(d, addr, len);
    }
    return pci_default_read_config(d, addr, len);
}

void pci_for_each_device(PCIBus *bus,
                         void (*fn)(PCIBus *b, PCIDevice *d, void *opaque),
                         void *opaque)
{
    for (int devfn = 0; devfn < PCI_SLOT_MAX * PCI_FUNC_MAX; devfn++) {
        if (bus->devices[devfn]) {
            fn(bus, bus->devices[devfn], opaque);
        }
    }
}

/* Placement */

/* Below a PCIe downstream port only device 0 exists (no ARI here). */
static bool pci_bus_slot_valid(PCIBus *bus, int slot)
{
    return slot == 0 || !bus->parent_dev ||
           !pci_is_express_downstream_port(bus->parent_dev);
}

static bool pci_check_multifunction(PCIBus *bus, PCIDevice *dev, int devfn,
                                    Error **errp)
{
    int slot = PCI_SLOT(devfn);
    PCIDevice *f0 = bus->devices[PCI_DEVFN(slot, 0)];

    if (PCI_FUNC(devfn)) {
        if (f0 && !(f0->cap_present & QEMU_PCI_CAP_MULTIFUNCTION)) {
            error_setg(errp, "PCI: single function device can't be "
                       "populated in function %x.%x", slot, PCI_FUNC(devfn));
            return false;
        }
        return true;
    }
    if (dev->cap_present & QEMU_PCI_CAP_MULTIFUNCTION) {
        return true;
    }
    for (int fn = 1; fn < PCI_FUNC_MAX; fn++) {
        if (bus->devices[PCI_DEVFN(slot, fn)]) {
            error_setg(errp, "PCI: %x.0 indicates single function, but "
                       "%x.%x is already populated.", slot, slot, fn);
            return false;
        }
    }
    return true;
}

bool pci_bus_claim_devfn(PCIBus *bus, PCIDevice *dev, Error **errp)
{
    int devfn = dev->devfn;
    PCIDevice *other;

    if (devfn < 0) {
        for (devfn = bus->devfn_min; devfn < PCI_SLOT_MAX * PCI_FUNC_MAX;
             devfn += PCI_FUNC_MAX) {
            if (pci_bus_slot_valid(bus, PCI_SLOT(devfn)) &&
                !bus->devices[devfn]) {
                break;
            }
        }
        if (devfn >= PCI_SLOT_MAX * PCI_FUNC_MAX) {
            error_setg(errp, "PCI: no slot/function available for %s, all "
                       "in use or reserved", dev->name);
            return false;
        }
    } else if (!pci_bus_slot_valid(bus, PCI_SLOT(devfn))) {
        error_setg(errp, "PCI: slot %d is not valid for %s, parent device "
                   "only allows plugging into slot 0.", PCI_SLOT(devfn),
                   dev->name);
        return false;
    } else if ((other = bus->devices[devfn])) {
        error_setg(errp, "PCI: slot %d function %d not available for %s, in "
                   "use by %s,id=%s", PCI_SLOT(devfn), PCI_FUNC(devfn),
                   dev->name, other->name,
                   other->qdev.id ? other->qdev.id : "");
        return false;
    }
    if (!pci_check_multifunction(bus, dev, devfn, errp)) {
        return false;
    }
    bus->devices[devfn] = dev;
    dev->devfn = devfn;
    return true;
}

void pci_bus_release_devfn(PCIBus *bus, PCIDevice *dev)
{
    if (dev->devfn >= 0 && bus->devices[dev->devfn] == dev) {
        bus->devices[dev->devfn] = NULL;
    }
}

/* Bus types */

static bool pcibus_is_root(PCIBus *bus)
{
    return bus->is_root;
}

static int pcibus_num(PCIBus *bus)
{
    if (bus->parent_dev && bus->parent_dev->config) {
        return bus->parent_dev->config[PCI_SECONDARY_BUS];
    }
    return bus->root_bus_nr;
}

static uint16_t pcibus_numa_node(PCIBus *bus)
{
    return bus->numa_node;
}

static char *pcibus_get_dev_path(DeviceState *qdev)
{
    PCIDevice *dev = PCI_DEVICE(qdev);

    return g_strdup_printf("0000:%02x:%02x.%x", pci_bus_num(pci_get_bus(dev)),
                           PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn));
}

static void pci_bus_instance_init(Object *obj)
{
    PCIBus *bus = PCI_BUS(obj);

    QLIST_INIT(&bus->child);
    bus->numa_node = NUMA_NODE_UNASSIGNED;
}

static void pci_bus_instance_finalize(Object *obj)
{
    pci_root_bus_forget(PCI_BUS(obj));
}

static void pci_bus_class_init(ObjectClass *oc, const void *data)
{
    BusClass *bc = BUS_CLASS(oc);
    PCIBusClass *pbc = PCI_BUS_CLASS(oc);

    bc->get_dev_path = pcibus_get_dev_path;
    bc->max_dev = PCI_SLOT_MAX * PCI_FUNC_MAX;
    pbc->is_root = pcibus_is_root;
    pbc->bus_num = pcibus_num;
    pbc->numa_node = pcibus_numa_node;
}

static const TypeInfo pci_bus_types[] = {
    {
        .name = TYPE_PCI_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(PCIBus),
        .class_size = sizeof(PCIBusClass),
        .instance_init = pci_bus_instance_init,
        .instance_finalize = pci_bus_instance_finalize,
        .class_init = pci_bus_class_init,
    },
    {
        .name = TYPE_PCIE_BUS,
        .parent = TYPE_PCI_BUS,
    },
};

DEFINE_TYPES(pci_bus_types)
