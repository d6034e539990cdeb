/*
 * Host bridges: the configuration mechanisms that reach a root bus's
 * hierarchy, CONFIG_ADDRESS/CONFIG_DATA port I/O and the ECAM window.
 */
#include "qemu/osdep.h"
#include "hw/pci/pci_host.h"

static const Property pci_host_props[] = {
    DEFINE_PROP_BOOL("bypass-iommu", PCIHostState, bypass_iommu, false,
                     "Devices of this root bus bypass the vIOMMU"),
    DEFINE_PROP_END_OF_LIST(),
};

static uint64_t pci_host_conf_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIHostState *s = opaque;

    return s->config_reg >> (8 * addr);
}

static void pci_host_conf_write(void *opaque, hwaddr addr, uint64_t val,
                                unsigned size)
{
    PCIHostState *s = opaque;

    /* Only a full dword write at 0xcf8 loads CONFIG_ADDRESS. */
    if (addr == 0 && size == 4) {
        s->config_reg = val;
    }
}

static const MemoryRegionOps pci_host_conf_ops = {
    .read = pci_host_conf_read,
    .write = pci_host_conf_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 1, .max_access_size = 4},
};

static uint32_t pci_host_data_offset(PCIHostState *s, hwaddr addr)
{
    return (FIELD_EX32(s->config_reg, PCI_HOST_CONFIG, REG) << 2) |
           (addr & 3);
}

static uint32_t pci_host_data_bdf(PCIHostState *s)
{
    return FIELD_EX32(s->config_reg, PCI_HOST_CONFIG, BDF);
}

static uint64_t pci_host_data_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIHostState *s = opaque;

    if (!FIELD_EX32(s->config_reg, PCI_HOST_CONFIG, ENABLE)) {
        return size == 4 ? UINT32_MAX : (1u << (8 * size)) - 1;
    }
    return pci_host_config_read(s->bus, pci_host_data_bdf(s),
                                pci_host_data_offset(s, addr), size);
}

static void pci_host_data_write(void *opaque, hwaddr addr, uint64_t val,
                                unsigned size)
{
    PCIHostState *s = opaque;

    if (FIELD_EX32(s->config_reg, PCI_HOST_CONFIG, ENABLE)) {
        pci_host_config_write(s->bus, pci_host_data_bdf(s),
                              pci_host_data_offset(s, addr), val, size);
    }
}

static const MemoryRegionOps pci_host_data_ops = {
    .read = pci_host_data_read,
    .write = pci_host_data_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 1, .max_access_size = 4},
};

void pci_host_conf_register(PCIHostState *s, MemoryRegion *io)
{
    memory_region_init_io(&s->conf_mem, OBJECT(s), &pci_host_conf_ops, s,
                          "pci-conf-idx", 4);
    memory_region_init_io(&s->data_mem, OBJECT(s), &pci_host_data_ops, s,
                          "pci-conf-data", 4);
    memory_region_add_subregion(io, PCI_HOST_CONFIG_ADDR, &s->conf_mem);
    memory_region_add_subregion(io, PCI_HOST_CONFIG_DATA, &s->data_mem);
}

/* ECAM */

static uint32_t pcie_mmcfg_bdf(hwaddr addr)
{
    return FIELD_EX64(addr, PCIE_MMCFG, BDF);
}

static uint64_t pcie_mmcfg_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIExpressHost *e = opaque;

    return pci_host_config_read(PCI_HOST_BRIDGE(e)->bus, pcie_mmcfg_bdf(addr),
                                FIELD_EX64(addr, PCIE_MMCFG, REG), size);
}

static void pcie_mmcfg_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    PCIExpressHost *e = opaque;

    pci_host_config_write(PCI_HOST_BRIDGE(e)->bus, pcie_mmcfg_bdf(addr),
                          FIELD_EX64(addr, PCIE_MMCFG, REG), val, size);
}

static const MemoryRegionOps pcie_mmcfg_ops = {
    .read = pcie_mmcfg_read,
    .write = pcie_mmcfg_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 4},
    .impl = {.min_access_size = 1, .max_access_size = 4},
};

void pcie_host_mmcfg_init(PCIExpressHost *e)
{
    memory_region_init_io(&e->mmio, OBJECT(e), &pcie_mmcfg_ops, e,
                          "pcie-mmcfg-mmio", PCIE_MMCFG_SIZE_MAX);
    e->base_addr = PCIE_BASE_ADDR_UNMAPPED;
}

void pcie_host_mmcfg_update(PCIExpressHost *e, bool enable, hwaddr addr,
                            uint64_t size)
{
    if (e->base_addr != PCIE_BASE_ADDR_UNMAPPED) {
        memory_region_destroy(&e->window);
        e->base_addr = PCIE_BASE_ADDR_UNMAPPED;
        e->size = 0;
    }
    if (!enable || !size || size > PCIE_MMCFG_SIZE_MAX) {
        return;
    }
    memory_region_init_alias(&e->window, OBJECT(e), "pcie-mmcfg", &e->mmio, 0,
                             size);
    e->base_addr = addr;
    e->size = size;
    memory_region_add_subregion(get_system_memory(), addr, &e->window);
}

static void pci_host_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->user_creatable = false;
    dc->categories |= 1u << DEVICE_CATEGORY_BRIDGE;
    device_class_set_props(dc, pci_host_props);
}

static const TypeInfo pci_host_types[] = {
    {
        .name = TYPE_PCI_HOST_BRIDGE,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PCIHostState),
        .class_init = pci_host_class_init,
        .abstract = true,
    },
    {
        .name = TYPE_PCIE_HOST_BRIDGE,
        .parent = TYPE_PCI_HOST_BRIDGE,
        .instance_size = sizeof(PCIExpressHost),
        .abstract = true,
    },
};

DEFINE_TYPES(pci_host_types)
