/*
 * PCI devices: the pci-device base type, its properties, realize and
 * unrealize, reset, and configuration space access through the masks.
 */
#include "qemu/osdep.h"
#include "hw/pci/pci.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie.h"
#include "pci-internal.h"
#include "qemu/bswap.h"

/* QEMU's default subsystem IDs for endpoints that set none. */
#define PCI_SUBVENDOR_ID_REDHAT_QUMRANET 0x1af4
#define PCI_SUBDEVICE_ID_QEMU 0x1100

static const Property pci_props[] = {
    DEFINE_PROP_PCI_DEVFN("addr", PCIDevice, devfn, -1,
                          "Slot and function of the device on its bus"),
    DEFINE_PROP_STRING("romfile", PCIDevice, romfile,
                       "Option ROM image file"),
    DEFINE_PROP_UINT32("rombar", PCIDevice, rom_bar, 1,
                       "Expose the option ROM through the ROM BAR (0: hide)"),
    DEFINE_PROP_BOOL("multifunction", PCIDevice, multifunction, false,
                     "Set the multi-function bit of the header type"),
    DEFINE_PROP_UINT32("acpi-index", PCIDevice, acpi_index, 0,
                       "ACPI index of the device's slot (0: none)"),
    DEFINE_PROP_END_OF_LIST(),
};

PCIBus *pci_get_bus(const PCIDevice *dev)
{
    return PCI_BUS(dev->qdev.parent_bus);
}

bool pci_is_express(const PCIDevice *dev)
{
    return dev->cap_present & QEMU_PCI_CAP_EXPRESS;
}

bool pci_is_express_downstream_port(const PCIDevice *dev)
{
    uint8_t type;

    if (!pci_is_express(dev) || !dev->exp_cap) {
        return false;
    }
    type = pcie_cap_get_type(dev);
    return type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_DOWNSTREAM;
}

PCIDevice *pcie_find_root_port(PCIDevice *dev)
{
    PCIBus *bus = pci_get_bus(dev);

    while (bus->parent_dev) {
        PCIDevice *bridge = bus->parent_dev;

        if (pci_is_express(bridge) && bridge->exp_cap &&
            pcie_cap_get_type(bridge) == PCI_EXP_TYPE_ROOT_PORT) {
            return bridge;
        }
        bus = pci_get_bus(bridge);
    }
    return NULL;
}

/* Hybrid devices (both interfaces) are express only on an express bus. */
static bool pci_device_wants_express(PCIDevice *dev, PCIBus *bus)
{
    ObjectClass *oc = object_get_class(OBJECT(dev));
    bool pcie = object_class_dynamic_cast(oc, INTERFACE_PCIE_DEVICE);
    bool conv = object_class_dynamic_cast(oc,
                                          INTERFACE_CONVENTIONAL_PCI_DEVICE);

    return pcie && (!conv || pci_bus_is_express(bus));
}

static void pci_config_alloc(PCIDevice *dev)
{
    uint32_t n = dev->config_size;

    dev->config = g_malloc0(n);
    dev->cmask = g_malloc0(n);
    dev->wmask = g_malloc0(n);
    dev->w1cmask = g_malloc0(n);
    dev->used = g_malloc0(n);
}

static void pci_config_free(PCIDevice *dev)
{
    g_clear_pointer(&dev->config, g_free);
    g_clear_pointer(&dev->cmask, g_free);
    g_clear_pointer(&dev->wmask, g_free);
    g_clear_pointer(&dev->w1cmask, g_free);
    g_clear_pointer(&dev->used, g_free);
}

static void pci_config_init_header(PCIDevice *dev)
{
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(dev);
    uint8_t *c = dev->config;
    uint8_t header = pc->is_bridge ? PCI_HEADER_TYPE_BRIDGE
                                   : PCI_HEADER_TYPE_NORMAL;

    pci_set_word(c + PCI_VENDOR_ID, pc->vendor_id);
    pci_set_word(c + PCI_DEVICE_ID, pc->device_id);
    pci_set_byte(c + PCI_REVISION_ID, pc->revision);
    pci_set_word(c + PCI_CLASS_DEVICE, pc->class_id);
    if (dev->cap_present & QEMU_PCI_CAP_MULTIFUNCTION) {
        header |= PCI_HEADER_TYPE_MULTI_FUNCTION;
    }
    pci_set_byte(c + PCI_HEADER_TYPE, header);
    if (!pc->is_bridge) {
        bool own = pc->subsystem_vendor_id || pc->subsystem_id;

        pci_set_word(c + PCI_SUBSYSTEM_VENDOR_ID,
                     own ? pc->subsystem_vendor_id
                         : PCI_SUBVENDOR_ID_REDHAT_QUMRANET);
        pci_set_word(c + PCI_SUBSYSTEM_ID,
                     own ? pc->subsystem_id : PCI_SUBDEVICE_ID_QEMU);
    }

    /* Identification bytes are compared on migration. */
    memset(dev->cmask, 0xff, PCI_CACHE_LINE_SIZE);
    pci_set_byte(dev->cmask + PCI_HEADER_TYPE, 0xff);
    pci_set_byte(dev->cmask + PCI_CAPABILITY_LIST, 0xff);
    pci_set_word(dev->cmask + PCI_COMMAND, 0);

    pci_set_word(dev->wmask + PCI_COMMAND,
                 PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
                     PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
                     PCI_COMMAND_INTX_DISABLE);
    pci_set_word(dev->w1cmask + PCI_STATUS, PCI_STATUS_W1C_BITS);
    pci_set_byte(dev->wmask + PCI_CACHE_LINE_SIZE, 0xff);
    pci_set_byte(dev->wmask + PCI_INTERRUPT_LINE, 0xff);
    if (!pc->is_bridge) {
        pci_set_byte(dev->wmask + PCI_LATENCY_TIMER, 0xff);
    }
    pci_mark_used(dev, 0, PCI_STD_HEADER_SIZEOF);
}

static uint64_t pow2_ceil(uint64_t v)
{
    uint64_t p = 1;

    while (p < v) {
        p <<= 1;
    }
    return p;
}

static bool pci_add_option_rom(PCIDevice *dev, Error **errp)
{
    g_autofree char *data = NULL;
    gsize len;
    g_autofree char *name = NULL;
    GError *gerr = NULL;

    if (!dev->romfile || !dev->romfile[0] || !dev->rom_bar) {
        return true;
    }
    if (!g_file_get_contents(dev->romfile, &data, &len, &gerr)) {
        error_setg(errp, "failed to find romfile \"%s\"", dev->romfile);
        g_error_free(gerr);
        return false;
    }
    if (!len) {
        error_setg(errp, "romfile \"%s\" is empty", dev->romfile);
        return false;
    }
    name = g_strdup_printf("%s.rom", dev->name);
    if (!memory_region_init_ram(&dev->rom, OBJECT(dev), name,
                                pow2_ceil(MAX(len, 2 * KiB)), errp)) {
        return false;
    }
    memcpy(memory_region_get_ram_ptr(&dev->rom), data, len);
    memory_region_set_readonly(&dev->rom, true);
    pci_register_bar(dev, PCI_ROM_SLOT, PCI_BASE_ADDRESS_SPACE_MEMORY,
                     &dev->rom);
    return true;
}

/* Undoes what realize set up around the class realize. */
static void pci_device_teardown(PCIDevice *dev)
{
    PCIBus *bus = pci_get_bus(dev);

    pci_bars_unmap(dev);
    if (dev->rom.name) {
        memory_region_destroy(&dev->rom);
    }
    pci_bus_master_destroy(dev);
    pci_bus_release_devfn(bus, dev);
    pci_config_free(dev);
    memset(dev->io_regions, 0, sizeof(dev->io_regions));
    dev->cap_present = 0;
    dev->msi_cap = dev->msix_cap = 0;
    dev->exp_cap = dev->pasid_cap = dev->ats_cap = 0;
}

/* A vIOMMU above the device may refuse it (accel SMMU rules). */
static bool pci_iommu_check_device(PCIDevice *dev, Error **errp)
{
    PCIBus *iommu_bus, *aliased_bus;
    const PCIIOMMUOps *ops;
    void *opaque;
    int devfn;

    if (!pci_device_get_iommu_bus_devfn(dev, &iommu_bus, &aliased_bus,
                                        &devfn, &ops, &opaque) ||
        !ops->check_device) {
        return true;
    }
    return ops->check_device(pci_get_bus(dev), opaque, dev, errp);
}

static bool pci_qdev_realize(DeviceState *qdev, Error **errp)
{
    PCIDevice *dev = PCI_DEVICE(qdev);
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(dev);
    PCIBus *bus = pci_get_bus(dev);

    dev->cap_present = 0;
    if (pci_device_wants_express(dev, bus)) {
        dev->cap_present |= QEMU_PCI_CAP_EXPRESS;
    }
    if (dev->multifunction) {
        dev->cap_present |= QEMU_PCI_CAP_MULTIFUNCTION;
    }
    dev->config_size = pci_is_express(dev) ? PCIE_CONFIG_SPACE_SIZE
                                           : PCI_CONFIG_SPACE_SIZE;
    g_strlcpy(dev->name, object_get_typename(OBJECT(dev)), sizeof(dev->name));
    if (!pci_bus_claim_devfn(bus, dev, errp)) {
        return false;
    }
    pci_config_alloc(dev);
    pci_config_init_header(dev);
    for (int i = 0; i < PCI_NUM_REGIONS; i++) {
        dev->io_regions[i].addr = PCI_BAR_UNMAPPED;
    }
    pci_bus_master_init(dev);
    if (!pci_iommu_check_device(dev, errp)) {
        goto fail;
    }
    if (pc->realize && !pc->realize(dev, errp)) {
        goto fail;
    }
    if (!pci_add_option_rom(dev, errp)) {
        if (pc->exit) {
            pc->exit(dev);
        }
        goto fail;
    }
    if (bus->parent_dev) {
        pcie_cap_slot_update_presence(bus->parent_dev);
    }
    return true;

fail:
    pci_device_teardown(dev);
    return false;
}

static void pci_qdev_unrealize(DeviceState *qdev)
{
    PCIDevice *dev = PCI_DEVICE(qdev);
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(dev);
    PCIBus *bus = pci_get_bus(dev);

    /* BAR regions may go away in exit: take them off the bus first. */
    pci_bars_unmap(dev);
    if (pc->exit) {
        pc->exit(dev);
    }
    pci_device_teardown(dev);
    if (bus->parent_dev && bus->parent_dev->qdev.realized) {
        pcie_cap_slot_update_presence(bus->parent_dev);
    }
}

void pci_device_reset(PCIDevice *dev)
{
    uint8_t *c = dev->config;

    if (!c) {
        return;
    }
    pci_word_test_and_clear_mask(c + PCI_COMMAND,
                                 pci_get_word(dev->wmask + PCI_COMMAND));
    pci_word_test_and_clear_mask(c + PCI_STATUS,
                                 pci_get_word(dev->w1cmask + PCI_STATUS) |
                                     PCI_STATUS_INTERRUPT);
    pci_set_byte(c + PCI_CACHE_LINE_SIZE, 0);
    pci_set_byte(c + PCI_INTERRUPT_LINE, 0);
    pci_bars_reset(dev);
    pci_update_mappings(dev);
    dev->irq_state = 0;
    qemu_set_irq(dev->irq, 0);
    if (dev->msi_cap) {
        msi_reset(dev);
    }
    if (dev->msix_cap) {
        msix_reset(dev);
    }
    pci_bus_master_update(dev);
}

static void pci_qdev_reset(DeviceState *qdev)
{
    pci_device_reset(PCI_DEVICE(qdev));
}

/* Configuration space access */

uint32_t pci_default_read_config(PCIDevice *d, uint32_t addr, int len)
{
    g_assert(len == 1 || len == 2 || len == 4);
    g_assert(addr + len <= d->config_size);
    return ldn_le_p(d->config + addr, len);
}

static void pci_update_intx(PCIDevice *d)
{
    bool disabled = pci_get_word(d->config + PCI_COMMAND) &
                    PCI_COMMAND_INTX_DISABLE;

    qemu_set_irq(d->irq, d->irq_state && !disabled);
}

void pci_default_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                              int len)
{
    bool command = ranges_overlap(addr, len, PCI_COMMAND, 2);

    g_assert(len == 1 || len == 2 || len == 4);
    g_assert(addr + len <= d->config_size);
    for (int i = 0; i < len; i++) {
        uint8_t byte = val >> (8 * i);
        uint8_t wmask = d->wmask[addr + i];
        uint8_t w1c = d->w1cmask[addr + i];

        d->config[addr + i] = (d->config[addr + i] & ~wmask) | (byte & wmask);
        d->config[addr + i] &= ~(byte & w1c);
    }
    if (command || pci_config_touches_bars(d, addr, len)) {
        pci_update_mappings(d);
    }
    if (command) {
        pci_bus_master_update(d);
        pci_update_intx(d);
    }
    /* A write anywhere the largest MSI layout could reach goes to MSI. */
    if (d->msi_cap &&
        ranges_overlap(addr, len, d->msi_cap,
                       msi_cap_sizeof(PCI_MSI_FLAGS_64BIT |
                                      PCI_MSI_FLAGS_MASKBIT))) {
        msi_write_config(d, addr, val, len);
    }
    if (d->msix_cap &&
        ranges_overlap(addr, len, d->msix_cap, PCI_MSIX_SIZEOF)) {
        msix_write_config(d, addr, val, len);
    }
}

uint16_t pci_requester_id(PCIDevice *dev)
{
    return PCI_BUILD_BDF(pci_bus_num(pci_get_bus(dev)), dev->devfn);
}

void pci_set_irq(PCIDevice *dev, int level)
{
    if (!dev->config) {
        return;
    }
    dev->irq_state = level != 0;
    if (level) {
        pci_word_test_and_set_mask(dev->config + PCI_STATUS,
                                   PCI_STATUS_INTERRUPT);
    } else {
        pci_word_test_and_clear_mask(dev->config + PCI_STATUS,
                                     PCI_STATUS_INTERRUPT);
    }
    pci_update_intx(dev);
}

static void pci_device_instance_finalize(Object *obj)
{
    pci_config_free(PCI_DEVICE(obj));
}

static void pci_device_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = pci_qdev_realize;
    dc->unrealize = pci_qdev_unrealize;
    dc->reset = pci_qdev_reset;
    dc->bus_type = TYPE_PCI_BUS;
    device_class_set_props(dc, pci_props);
}

static const TypeInfo pci_types[] = {
    {
        .name = TYPE_PCI_DEVICE,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(PCIDevice),
        .class_size = sizeof(PCIDeviceClass),
        .instance_finalize = pci_device_instance_finalize,
        .class_init = pci_device_class_init,
        .abstract = true,
    },
    {
        .name = INTERFACE_PCIE_DEVICE,
        .parent = TYPE_INTERFACE,
        .class_size = sizeof(InterfaceClass),
    },
    {
        .name = INTERFACE_CONVENTIONAL_PCI_DEVICE,
        .parent = TYPE_INTERFACE,
        .class_size = sizeof(InterfaceClass),
    },
};

DEFINE_TYPES(pci_types)
