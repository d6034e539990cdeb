/*
 * query-pci: every root bus (host bridges and expanders) with its
 * devices, bridges listing the devices behind them once firmware has
 * given them a secondary bus number. The shape is QEMU's.
 */
#include "qemu/osdep.h"
#include "hw/pci/pci_bridge.h"
#include "monitor-internal.h"
#include "qmp-json.h"

typedef struct PCIClassDesc {
    uint16_t class_id;
    const char *desc;
} PCIClassDesc;

static const PCIClassDesc pci_class_descs[] = {
    {0x0100, "SCSI controller"},
    {0x0101, "IDE controller"},
    {0x0106, "SATA controller"},
    {0x0108, "NVMe controller"},
    {0x0180, "Storage controller"},
    {0x0200, "Ethernet controller"},
    {0x0280, "Network controller"},
    {0x0300, "VGA controller"},
    {0x0302, "3D controller"},
    {0x0380, "Display controller"},
    {0x0403, "Audio controller"},
    {0x0500, "RAM controller"},
    {0x0600, "Host bridge"},
    {0x0601, "ISA bridge"},
    {0x0604, "PCI bridge"},
    {0x0680, "Bridge"},
    {0x0880, "System peripheral"},
    {0x0c03, "USB controller"},
    {0x0c05, "SMBus"},
    {0x1200, "Processing accelerator"},
};

static JsonNode *pci_info_devices(PCIBus *bus);

static const char *pci_class_desc(uint16_t class_id)
{
    for (size_t i = 0; i < G_N_ELEMENTS(pci_class_descs); i++) {
        if (pci_class_descs[i].class_id == class_id) {
            return pci_class_descs[i].desc;
        }
    }
    return NULL;
}

static JsonNode *pci_info_class(PCIDevice *dev)
{
    JsonObject *o = json_object_new();
    uint16_t class_id = pci_get_word(dev->config + PCI_CLASS_DEVICE);
    const char *desc = pci_class_desc(class_id);

    if (desc) {
        json_object_set_string_member(o, "desc", desc);
    }
    json_object_set_int_member(o, "class", class_id);
    return qmp_node_take_object(o);
}

static JsonNode *pci_info_id(PCIDevice *dev)
{
    JsonObject *o = json_object_new();
    uint8_t *c = dev->config;

    json_object_set_int_member(o, "device", pci_get_word(c + PCI_DEVICE_ID));
    json_object_set_int_member(o, "vendor", pci_get_word(c + PCI_VENDOR_ID));
    if ((c[PCI_HEADER_TYPE] & PCI_HEADER_TYPE_MASK) ==
        PCI_HEADER_TYPE_NORMAL) {
        json_object_set_int_member(o, "subsystem",
                                   pci_get_word(c + PCI_SUBSYSTEM_ID));
        json_object_set_int_member(o, "subsystem-vendor",
                                   pci_get_word(c + PCI_SUBSYSTEM_VENDOR_ID));
    }
    return qmp_node_take_object(o);
}

static JsonNode *pci_info_regions(PCIDevice *dev)
{
    JsonArray *a = json_array_new();

    for (int i = 0; i < PCI_NUM_REGIONS; i++) {
        PCIIORegion *r = &dev->io_regions[i];
        JsonObject *o;
        bool io = r->type & PCI_BASE_ADDRESS_SPACE_IO;

        if (!r->size) {
            continue;
        }
        o = json_object_new();
        json_object_set_int_member(o, "bar", i);
        json_object_set_string_member(o, "type", io ? "io" : "memory");
        json_object_set_int_member(o, "address", (int64_t)r->addr);
        json_object_set_int_member(o, "size", r->size);
        if (!io) {
            json_object_set_boolean_member(
                o, "prefetch", r->type & PCI_BASE_ADDRESS_MEM_PREFETCH);
            json_object_set_boolean_member(
                o, "mem_type_64", r->type & PCI_BASE_ADDRESS_MEM_TYPE_64);
        }
        json_array_add_object_element(a, o);
    }
    return qmp_node_take_array(a);
}

static JsonNode *pci_info_range(PCIBridgeWindow w)
{
    JsonObject *o = json_object_new();

    json_object_set_int_member(o, "base", w.base);
    json_object_set_int_member(o, "limit", w.limit);
    return qmp_node_take_object(o);
}

static JsonNode *pci_info_bridge(PCIDevice *dev)
{
    JsonObject *bridge = json_object_new();
    JsonObject *bus = json_object_new();
    PCIBus *sec = pci_bridge_get_sec_bus(PCI_BRIDGE(dev));
    uint8_t *c = dev->config;

    json_object_set_int_member(bus, "number", c[PCI_PRIMARY_BUS]);
    json_object_set_int_member(bus, "secondary", c[PCI_SECONDARY_BUS]);
    json_object_set_int_member(bus, "subordinate", c[PCI_SUBORDINATE_BUS]);
    json_object_set_member(bus, "io_range",
                           pci_info_range(pci_bridge_io_window(dev)));
    json_object_set_member(bus, "memory_range",
                           pci_info_range(pci_bridge_mem_window(dev)));
    json_object_set_member(bus, "prefetchable_range",
                           pci_info_range(pci_bridge_pref_window(dev)));
    json_object_set_object_member(bridge, "bus", bus);
    if (c[PCI_SECONDARY_BUS] && sec) {
        json_object_set_member(bridge, "devices", pci_info_devices(sec));
    }
    return qmp_node_take_object(bridge);
}

static JsonNode *pci_info_device(PCIBus *bus, PCIDevice *dev)
{
    JsonObject *o = json_object_new();
    uint8_t pin = dev->config[PCI_INTERRUPT_PIN];

    json_object_set_int_member(o, "bus", pci_bus_num(bus));
    json_object_set_int_member(o, "slot", PCI_SLOT(dev->devfn));
    json_object_set_int_member(o, "function", PCI_FUNC(dev->devfn));
    json_object_set_member(o, "class_info", pci_info_class(dev));
    json_object_set_member(o, "id", pci_info_id(dev));
    if (pin) {
        json_object_set_int_member(o, "irq",
                                   dev->config[PCI_INTERRUPT_LINE]);
    }
    json_object_set_int_member(o, "irq_pin", pin);
    json_object_set_string_member(o, "qdev_id",
                                  dev->qdev.id ? dev->qdev.id : "");
    if (object_dynamic_cast(OBJECT(dev), TYPE_PCI_BRIDGE)) {
        json_object_set_member(o, "pci_bridge", pci_info_bridge(dev));
    }
    json_object_set_member(o, "regions", pci_info_regions(dev));
    return qmp_node_take_object(o);
}

static JsonNode *pci_info_devices(PCIBus *bus)
{
    JsonArray *a = json_array_new();

    for (int devfn = 0; devfn < PCI_SLOT_MAX * PCI_FUNC_MAX; devfn++) {
        PCIDevice *dev = bus->devices[devfn];

        if (dev && dev->config) {
            json_array_add_element(a, pci_info_device(bus, dev));
        }
    }
    return qmp_node_take_array(a);
}

static bool query_pci(Monitor *mon, JsonObject *args, JsonNode **ret,
                      Error **errp)
{
    static const char *const allowed[] = {NULL};
    JsonArray *roots;

    if (!qmp_args_check(args, allowed, errp)) {
        return false;
    }
    roots = json_array_new();
    for (GSList *l = pci_root_bus_list(); l; l = l->next) {
        PCIBus *bus = l->data;
        JsonObject *o = json_object_new();

        json_object_set_int_member(o, "bus", pci_bus_num(bus));
        json_object_set_member(o, "devices", pci_info_devices(bus));
        json_array_add_object_element(roots, o);
    }
    *ret = qmp_node_take_array(roots);
    return true;
}

void qmp_register_pci_commands(void)
{
    qmp_register_command("query-pci", query_pci, QCO_NO_OPTIONS);
}
