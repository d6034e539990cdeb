/*
 * iommu-testdev: DMA through the vIOMMU on demand (see the header for
 * the register interface). The DMA goes through the device's bus-master
 * address space, so Bus Master Enable must be set.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/misc/iommu-testdev.h"
#include "hw/pci/pci.h"

#define ITD_CHUNK 4096

typedef struct IOMMUTestDevState {
    PCIDevice parent_obj;
    MemoryRegion bar0;
    uint64_t gva;
    uint64_t gpa;
    uint32_t len;
    uint32_t result;
    uint32_t attrs;
    bool armed;
} IOMMUTestDevState;

#define IOMMU_TESTDEV(obj)                                                     \
    OBJECT_CHECK(IOMMUTestDevState, (obj), TYPE_IOMMU_TESTDEV)

static bool itd_attrs(IOMMUTestDevState *s, MemTxAttrs *attrs)
{
    bool secure = FIELD_EX32(s->attrs, ITD_ATTRS, SECURE);
    unsigned int space = FIELD_EX32(s->attrs, ITD_ATTRS, SPACE);

    if (FIELD_EX32(s->attrs, ITD_ATTRS, SPACE_VALID) &&
        secure != (space == ITD_SPACE_SECURE)) {
        return false;
    }
    *attrs = (MemTxAttrs){
        .secure = secure,
        .space = space,
        .requester_id = pci_requester_id(PCI_DEVICE(s)),
    };
    return true;
}

/* Pattern bytes for [off, off + n) of the transfer. */
static void itd_fill(uint8_t *buf, uint64_t off, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        buf[i] = IOMMU_TESTDEV_PATTERN >> (8 * ((off + i) % 4));
    }
}

static uint32_t itd_run(IOMMUTestDevState *s)
{
    AddressSpace *as = &PCI_DEVICE(s)->bus_master_as;
    g_autofree uint8_t *want = g_malloc(ITD_CHUNK);
    g_autofree uint8_t *got = g_malloc(ITD_CHUNK);
    MemTxAttrs attrs;

    if (!s->armed) {
        return ITD_RESULT_NOT_ARMED;
    }
    if (!s->len) {
        return ITD_RESULT_LEN_ZERO;
    }
    if (!itd_attrs(s, &attrs)) {
        return ITD_RESULT_BAD_ATTRS;
    }
    for (uint64_t off = 0; off < s->len; off += ITD_CHUNK) {
        uint32_t n = MIN(ITD_CHUNK, s->len - off);

        itd_fill(want, off, n);
        if (dma_memory_write(as, s->gva + off, want, n, attrs) != MEMTX_OK) {
            return ITD_RESULT_DMA_FAILED;
        }
    }
    for (uint64_t off = 0; off < s->len; off += ITD_CHUNK) {
        uint32_t n = MIN(ITD_CHUNK, s->len - off);

        if (address_space_read(&address_space_memory, s->gpa + off, attrs,
                               got, n) != MEMTX_OK) {
            return ITD_RESULT_READBACK_FAILED;
        }
        itd_fill(want, off, n);
        if (memcmp(want, got, n)) {
            return ITD_RESULT_MISMATCH;
        }
    }
    return ITD_RESULT_OK;
}

static uint64_t itd_read(void *opaque, hwaddr addr, unsigned size)
{
    IOMMUTestDevState *s = opaque;

    switch (addr) {
    case A_ITD_DMA_TRIGGERING:
        s->result = itd_run(s);
        s->armed = false;
        return 0;
    case A_ITD_GVA_LO:
        return (uint32_t)s->gva;
    case A_ITD_GVA_HI:
        return s->gva >> 32;
    case A_ITD_LEN:
        return s->len;
    case A_ITD_RESULT:
        return s->result;
    case A_ITD_DBELL:
        return FIELD_DP32(0, ITD_DBELL, ARM, s->armed);
    case A_ITD_ATTRS:
        return s->attrs;
    case A_ITD_GPA_LO:
        return (uint32_t)s->gpa;
    case A_ITD_GPA_HI:
        return s->gpa >> 32;
    default:
        qemu_log_mask(LOG_GUEST_ERROR,
                      "iommu-testdev: read of unknown register 0x%" PRIx64
                      "\n", addr);
        return 0;
    }
}

static void itd_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    IOMMUTestDevState *s = opaque;

    switch (addr) {
    case A_ITD_GVA_LO:
        s->gva = (s->gva & ~(uint64_t)UINT32_MAX) | (uint32_t)val;
        break;
    case A_ITD_GVA_HI:
        s->gva = (s->gva & UINT32_MAX) | (val << 32);
        break;
    case A_ITD_LEN:
        s->len = val;
        break;
    case A_ITD_DBELL:
        s->armed = FIELD_EX32(val, ITD_DBELL, ARM);
        s->result = s->armed ? ITD_RESULT_BUSY : ITD_RESULT_IDLE;
        break;
    case A_ITD_ATTRS:
        s->attrs = val;
        break;
    case A_ITD_GPA_LO:
        s->gpa = (s->gpa & ~(uint64_t)UINT32_MAX) | (uint32_t)val;
        break;
    case A_ITD_GPA_HI:
        s->gpa = (s->gpa & UINT32_MAX) | (val << 32);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR,
                      "iommu-testdev: write to read-only or unknown "
                      "register 0x%" PRIx64 "\n", addr);
        break;
    }
}

static const MemoryRegionOps itd_ops = {
    .read = itd_read,
    .write = itd_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 4, .max_access_size = 4},
    .impl = {.min_access_size = 4, .max_access_size = 4},
};

static void itd_reset_regs(IOMMUTestDevState *s)
{
    s->gva = s->gpa = 0;
    s->len = 0;
    s->armed = false;
    s->result = ITD_RESULT_IDLE;
    s->attrs = ITD_ATTRS_RESET;
}

static bool itd_realize(PCIDevice *dev, Error **errp)
{
    IOMMUTestDevState *s = IOMMU_TESTDEV(dev);

    memory_region_init_io(&s->bar0, OBJECT(dev), &itd_ops, s,
                          "iommu-testdev-bar0", IOMMU_TESTDEV_BAR0_SIZE);
    pci_register_bar(dev, 0, PCI_BASE_ADDRESS_SPACE_MEMORY, &s->bar0);
    itd_reset_regs(s);
    return true;
}

static void itd_exit(PCIDevice *dev)
{
    memory_region_destroy(&IOMMU_TESTDEV(dev)->bar0);
}

static void itd_reset(DeviceState *qdev)
{
    pci_device_reset(PCI_DEVICE(qdev));
    itd_reset_regs(IOMMU_TESTDEV(qdev));
}

static void itd_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = itd_realize;
    pc->exit = itd_exit;
    pc->vendor_id = IOMMU_TESTDEV_VENDOR_ID;
    pc->device_id = IOMMU_TESTDEV_DEVICE_ID;
    pc->class_id = PCI_CLASS_OTHERS;
    dc->reset = itd_reset;
    dc->desc = "PCI test device doing DMA through the vIOMMU";
    dc->categories |= 1u << DEVICE_CATEGORY_MISC;
}

static const InterfaceInfo itd_interfaces[] = {
    {INTERFACE_CONVENTIONAL_PCI_DEVICE},
    {NULL},
};

static const TypeInfo itd_info = {
    .name = TYPE_IOMMU_TESTDEV,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(IOMMUTestDevState),
    .class_init = itd_class_init,
    .interfaces = itd_interfaces,
};

static void itd_register_types(void)
{
    type_register_static(&itd_info);
}

type_init(itd_register_types)
