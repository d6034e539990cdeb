/*
 * PCI Express root ports: the generic base (slot, chassis numbering,
 * hot-plug handler, capabilities) and QEMU's "pcie-root-port".
 *
 * Hot-unplug is synchronous: device_del removes the device at once and
 * DEVICE_DELETED follows, where QEMU waits for the guest to answer the
 * attention button. The slot status still shows the change (presence
 * detect cleared, Presence Detect Changed set, interrupt if enabled).
 */
#include "qemu/osdep.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie_port.h"

/* Capability layout of QEMU's generic root port. */
#define RP_SSVID_OFFSET 0x40
#define RP_MSIX_OFFSET 0x48
#define RP_EXP_OFFSET 0x54
#define RP_AER_OFFSET 0x100
#define RP_ACS_OFFSET (RP_AER_OFFSET + PCI_ERR_SIZEOF)
#define RP_MSIX_VECTORS 1
#define RP_MSIX_BAR 0
#define RP_INTX_PIN 1 /* INTA# */

/* Every root port's (chassis, slot) pair is unique. */
static GList *rp_chassis_slots;

static const Property rp_props[] = {
    DEFINE_PROP_UINT8("port", PCIESlot, port, 0,
                      "Port number (Link Capabilities)"),
    DEFINE_PROP_UINT8("chassis", PCIESlot, chassis, 0, "Chassis number"),
    DEFINE_PROP_UINT16("slot", PCIESlot, slot, 0,
                       "Physical slot number (Slot Capabilities)"),
    DEFINE_PROP_BOOL("hotplug", PCIESlot, hotplug, true,
                     "Allow hot-plug and hot-unplug on this port"),
    DEFINE_PROP_BOOL("power_controller_present", PCIESlot,
                     power_controller_present, true,
                     "The slot has a power controller"),
    DEFINE_PROP_PCIE_LINK_SPEED("x-speed", PCIESlot, speed,
                                PCIE_LINK_SPEED_16, "Maximum link speed"),
    DEFINE_PROP_PCIE_LINK_WIDTH("x-width", PCIESlot, width,
                                PCIE_LINK_WIDTH_32, "Maximum link width"),
    DEFINE_PROP_UINT32("bus-reserve", PCIESlot, res_reserve.bus, -1,
                       "Bus numbers firmware should reserve below"),
    DEFINE_PROP_SIZE("io-reserve", PCIESlot, res_reserve.io, -1,
                     "I/O space firmware should reserve below"),
    DEFINE_PROP_SIZE("mem-reserve", PCIESlot, res_reserve.mem_non_pref, -1,
                     "Memory firmware should reserve below"),
    DEFINE_PROP_SIZE("pref32-reserve", PCIESlot, res_reserve.mem_pref_32, -1,
                     "32-bit prefetchable memory firmware should reserve"),
    DEFINE_PROP_SIZE("pref64-reserve", PCIESlot, res_reserve.mem_pref_64, -1,
                     "64-bit prefetchable memory firmware should reserve"),
    DEFINE_PROP_END_OF_LIST(),
};

static bool rp_chassis_add(PCIESlot *s, Error **errp)
{
    for (GList *l = rp_chassis_slots; l; l = l->next) {
        PCIESlot *other = l->data;

        if (other->chassis == s->chassis && other->slot == s->slot) {
            const char *id = DEVICE(other)->id;

            error_setg(errp, "Can't add chassis slot: chassis %u slot %u is "
                       "already used by %s", s->chassis, s->slot,
                       id ? id : "another root port");
            return false;
        }
    }
    rp_chassis_slots = g_list_prepend(rp_chassis_slots, s);
    s->in_chassis = true;
    return true;
}

static void rp_chassis_del(PCIESlot *s)
{
    if (s->in_chassis) {
        rp_chassis_slots = g_list_remove(rp_chassis_slots, s);
        s->in_chassis = false;
    }
}

static bool rp_add_ssvid(PCIDevice *d, Error **errp)
{
    int pos = pci_add_capability(d, PCI_CAP_ID_SSVID, RP_SSVID_OFFSET,
                                 PCI_SSVID_SIZEOF, errp);

    if (pos < 0) {
        return false;
    }
    pci_set_word(d->config + pos + PCI_SSVID_VENDOR_ID, PCI_VENDOR_ID_REDHAT);
    pci_set_word(d->config + pos + PCI_SSVID_DEVICE_ID, 0);
    return true;
}

static bool rp_add_capabilities(PCIESlot *s, Error **errp)
{
    PCIDevice *d = PCI_DEVICE(s);

    if (!rp_add_ssvid(d, errp) ||
        !msix_init_exclusive_bar(d, RP_MSIX_VECTORS, RP_MSIX_BAR, errp) ||
        !pcie_cap_init(d, RP_EXP_OFFSET, PCI_EXP_TYPE_ROOT_PORT, s->port,
                       errp)) {
        return false;
    }
    pcie_cap_set_link(d, s->speed, s->width);
    pcie_cap_arifwd_init(d);
    pcie_cap_slot_init(d, s->slot, s->hotplug, s->power_controller_present);
    pcie_cap_root_init(d);
    return pci_bridge_qemu_reserve_cap_init(d, 0, s->res_reserve, errp) &&
           pcie_aer_init(d, RP_AER_OFFSET, errp) &&
           pcie_acs_init(d, RP_ACS_OFFSET, errp);
}

static void rp_exit(PCIDevice *d)
{
    PCIESlot *s = PCIE_SLOT(d);

    rp_chassis_del(s);
    msix_uninit(d);
    pci_bridge_exit(d);
}

static bool rp_realize(PCIDevice *d, Error **errp)
{
    PCIESlot *s = PCIE_SLOT(d);

    if (!pci_bridge_init(d, TYPE_PCIE_BUS, errp)) {
        return false;
    }
    pci_set_byte(d->config + PCI_INTERRUPT_PIN, RP_INTX_PIN);
    if (!rp_add_capabilities(s, errp) || !rp_chassis_add(s, errp)) {
        rp_exit(d);
        return false;
    }
    if (s->hotplug) {
        qbus_set_hotplug_handler(BUS(pci_bridge_get_sec_bus(PCI_BRIDGE(d))),
                                 OBJECT(d));
    }
    return true;
}

static void rp_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                            int len)
{
    pci_bridge_write_config(d, addr, val, len);
    pcie_cap_slot_write_config(d, addr, val, len);
}

static void rp_reset(DeviceState *qdev)
{
    PCIDevice *d = PCI_DEVICE(qdev);

    pci_bridge_reset(d);
    pcie_cap_slot_reset(d);
}

/* device_del of a device below the port: removed at once (see top). */
static bool rp_unplug_request(HotplugHandler *h, DeviceState *dev,
                              Error **errp)
{
    qdev_remove_and_emit_deleted(dev);
    return true;
}

static void rp_base_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);
    HotplugHandlerClass *hc = HOTPLUG_HANDLER_CLASS(oc);

    pc->realize = rp_realize;
    pc->exit = rp_exit;
    pc->config_write = rp_write_config;
    dc->reset = rp_reset;
    hc->unplug_request = rp_unplug_request;
    device_class_set_props(dc, rp_props);
}

static void rp_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->vendor_id = PCI_VENDOR_ID_REDHAT;
    pc->device_id = PCI_DEVICE_ID_REDHAT_PCIE_RP;
    dc->desc = "PCI Express Root Port";
}

static const InterfaceInfo rp_interfaces[] = {
    {INTERFACE_PCIE_DEVICE},
    {TYPE_HOTPLUG_HANDLER},
    {NULL},
};

static const TypeInfo rp_types[] = {
    {
        .name = TYPE_PCIE_ROOT_PORT_BASE,
        .parent = TYPE_PCI_BRIDGE,
        .instance_size = sizeof(PCIESlot),
        .class_init = rp_base_class_init,
        .interfaces = rp_interfaces,
        .abstract = true,
    },
    {
        .name = TYPE_PCIE_ROOT_PORT,
        .parent = TYPE_PCIE_ROOT_PORT_BASE,
        .class_init = rp_class_init,
    },
};

DEFINE_TYPES(rp_types)
