/*
 * The abstract "arm-smmu" base: properties shared by SMMU models, the
 * registration on the primary PCI bus, and one IOMMU region per
 * requester (bus, devfn), created when the device first asks for its
 * DMA address space.
 */
#include "qemu/osdep.h"
#include "hw/arm/smmu-common.h"
#include "hw/core/qdev-properties.h"

typedef struct SMMUDevKey {
    PCIBus *bus;
    int devfn;
} SMMUDevKey;

static guint smmu_dev_key_hash(gconstpointer v)
{
    const SMMUDevKey *k = v;

    return g_direct_hash(k->bus) ^ (guint)k->devfn;
}

static gboolean smmu_dev_key_equal(gconstpointer a, gconstpointer b)
{
    const SMMUDevKey *x = a, *y = b;

    return x->bus == y->bus && x->devfn == y->devfn;
}

static void smmu_dev_free(gpointer p)
{
    SMMUDevice *sdev = p;

    address_space_destroy(&sdev->as);
    memory_region_destroy(&sdev->iommu.parent_obj);
    g_free(sdev);
}

uint32_t smmu_get_sid(const SMMUDevice *sdev)
{
    return PCI_BUILD_BDF(pci_bus_num(sdev->bus), sdev->devfn);
}

SMMUDevice *smmu_find_sdev(SMMUState *s, PCIBus *bus, int devfn)
{
    SMMUDevKey key = {.bus = bus, .devfn = devfn};

    return g_hash_table_lookup(s->devices, &key);
}

SMMUDevice *smmu_get_sdev(SMMUState *s, PCIBus *bus, int devfn)
{
    SMMUBaseClass *sbc = ARM_SMMU_GET_CLASS(s);
    SMMUDevice *sdev = smmu_find_sdev(s, bus, devfn);
    SMMUDevKey *key;
    g_autofree char *name = NULL;

    if (sdev) {
        return sdev;
    }
    sdev = g_new0(SMMUDevice, 1);
    sdev->smmu = s;
    sdev->bus = bus;
    sdev->devfn = devfn;
    /* bus names are unique; a pointer here would show up in errors */
    name = g_strdup_printf("%s-%s-%d", object_get_typename(OBJECT(s)),
                           bus->qbus.name, devfn);
    memory_region_init_iommu(&sdev->iommu, OBJECT(s), sbc->iommu_region_ops,
                             sdev, name, UINT64_MAX);
    address_space_init(&sdev->as, &sdev->iommu.parent_obj, name);
    key = g_new(SMMUDevKey, 1);
    *key = (SMMUDevKey){.bus = bus, .devfn = devfn};
    g_hash_table_insert(s->devices, key, sdev);
    return sdev;
}

/* A root complex: pcie.0 or the root bus of a pxb-pcie expander. */
static bool smmu_bus_is_root_complex(PCIBus *bus)
{
    return pci_bus_is_root(bus) && pci_bus_is_express(bus);
}

bool smmu_base_realize(SMMUState *s, Error **errp)
{
    SMMUBaseClass *sbc = ARM_SMMU_GET_CLASS(s);

    if (!s->primary_bus) {
        error_setg(errp, "SMMU is not attached to any PCI bus!");
        return false;
    }
    if (!smmu_bus_is_root_complex(s->primary_bus)) {
        error_setg(errp, "SMMU should be attached to a default PCIe root "
                         "complex (pcie.0) or a pxb-pcie based root complex");
        return false;
    }
    s->devices = g_hash_table_new_full(smmu_dev_key_hash, smmu_dev_key_equal,
                                       g_free, smmu_dev_free);
    smmu_iotlb_init(&s->iotlb);
    if (!pci_setup_iommu(s->primary_bus, sbc->pci_iommu_ops, s, s->smmu_per_bus,
                         errp)) {
        g_clear_pointer(&s->devices, g_hash_table_destroy);
        smmu_iotlb_destroy(&s->iotlb);
        return false;
    }
    return true;
}

void smmu_base_reset(SMMUState *s)
{
    smmu_iotlb_inv_all(&s->iotlb);
}

static void smmu_base_finalize(Object *obj)
{
    SMMUState *s = ARM_SMMU(obj);

    g_clear_pointer(&s->devices, g_hash_table_destroy);
    smmu_iotlb_destroy(&s->iotlb);
    if (s->iomem.name) {
        memory_region_destroy(&s->iomem);
    }
}

static const Property smmu_base_props[] = {
    DEFINE_PROP_UINT8("bus_num", SMMUState, bus_num, 0,
                      "Legacy bus number of the primary bus (informative: "
                      "StreamIDs use the bus number as programmed)"),
    DEFINE_PROP_BOOL("smmu_per_bus", SMMUState, smmu_per_bus, false,
                     "Serve only the primary bus, not the expander root "
                     "buses below it"),
    DEFINE_PROP_LINK("primary-bus", SMMUState, primary_bus, TYPE_PCI_BUS,
                     PCIBus *, "PCIe root bus this SMMU translates for"),
    DEFINE_PROP_LINK("memory", SMMUState, memory, "MemoryRegion", Object *,
                     "Non-secure memory the SMMU accesses (the system "
                     "memory is always used)"),
    DEFINE_PROP_LINK("secure-memory", SMMUState, secure_memory, "MemoryRegion",
                     Object *,
                     "Secure memory (not modelled: no secure streams)"),
    DEFINE_PROP_END_OF_LIST(),
};

static void smmu_base_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    device_class_set_props(dc, smmu_base_props);
}

static const TypeInfo smmu_base_info = {
    .name = TYPE_ARM_SMMU,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(SMMUState),
    .class_size = sizeof(SMMUBaseClass),
    .instance_finalize = smmu_base_finalize,
    .class_init = smmu_base_class_init,
    .abstract = true,
};

static void smmu_base_register_types(void)
{
    type_register_static(&smmu_base_info);
}

type_init(smmu_base_register_types)
