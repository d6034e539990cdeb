/*
 * The arm-smmuv3 device: properties and their validation, realize, the
 * ID registers, reset, and the PCIIOMMUOps through which PCI devices
 * reach it. Registers, queues, configuration decode and translation live
 * in the smmuv3-*.c files.
 */
#include "qemu/osdep.h"
#include "hw/core/iommu.h"
#include "smmuv3-internal.h"

static const SMMUv3AccelOps *smmuv3_accel_backend;

void smmuv3_accel_register(const SMMUv3AccelOps *ops)
{
    smmuv3_accel_backend = ops;
}

/* ---- Properties ---- */

typedef enum SMMUv3StageMode {
    SMMUV3_STAGE_1,
    SMMUV3_STAGE_2,
    SMMUV3_STAGE_NESTED,
} SMMUv3StageMode;

/* "stage" is a string property (as QEMU's); unset means stage 1. */
static bool smmuv3_parse_stage(const char *stage, SMMUv3StageMode *mode,
                               Error **errp)
{
    if (!stage || !strcmp(stage, "1")) {
        *mode = SMMUV3_STAGE_1;
    } else if (!strcmp(stage, "2")) {
        *mode = SMMUV3_STAGE_2;
    } else if (!strcmp(stage, "nested")) {
        *mode = SMMUV3_STAGE_NESTED;
    } else {
        error_setg(errp, "Invalid stage '%s': must be 1, 2 or nested", stage);
        return false;
    }
    return true;
}

/* Rules without accel: only the values the emulation implements. */
static bool smmuv3_validate_emulated(SMMUv3State *s, Error **errp)
{
    if (s->ril == ON_OFF_AUTO_OFF) {
        error_setg(errp, "ril can only be disabled if accel=on");
    } else if (s->ats == ON_OFF_AUTO_ON) {
        error_setg(errp, "ats can only be enabled if accel=on");
    } else if (s->oas == OAS_MODE_48) {
        error_setg(errp, "OAS can only be set to 48 bits if accel=on");
    } else if (s->ssidsize > SSID_SIZE_MODE_0) {
        error_setg(errp, "ssidsize can only be set if accel=on");
    } else if (s->cmdqv == ON_OFF_AUTO_ON) {
        error_setg(errp, "cmdqv can only be enabled if accel=on");
    } else {
        return true;
    }
    return false;
}

static bool smmuv3_validate_props(SMMUv3State *s, Error **errp)
{
    SMMUv3StageMode mode;

    if (!smmuv3_parse_stage(s->stage, &mode, errp)) {
        return false;
    }
    if (s->oas != OAS_MODE_AUTO && s->oas != OAS_MODE_44 &&
        s->oas != OAS_MODE_48) {
        error_setg(errp, "OAS must be auto, 44 or 48 (got %s)",
                   OasMode_lookup[s->oas]);
        return false;
    }
    if (!s->accel) {
        return smmuv3_validate_emulated(s, errp);
    }
    if (mode != SMMUV3_STAGE_1) {
        error_setg(errp, "Only stage1 is supported for SMMUV3 with accel=on");
        return false;
    }
    return true;
}

/* ---- ID registers ---- */

static uint32_t smmuv3_idr0(SMMUv3State *s, SMMUv3StageMode mode)
{
    uint32_t v = 0;

    v = FIELD_DP32(v, IDR0, S1P, mode != SMMUV3_STAGE_2);
    v = FIELD_DP32(v, IDR0, S2P, mode != SMMUV3_STAGE_1);
    v = FIELD_DP32(v, IDR0, TTF, IDR0_TTF_AA64);
    v = FIELD_DP32(v, IDR0, COHACC, 1);
    v = FIELD_DP32(v, IDR0, ATS, s->ats == ON_OFF_AUTO_ON);
    v = FIELD_DP32(v, IDR0, ASID16, 1);
    v = FIELD_DP32(v, IDR0, VMID16, 1);
    v = FIELD_DP32(v, IDR0, TTENDIAN, IDR0_TTENDIAN_LE);
    v = FIELD_DP32(v, IDR0, STALL_MODEL, IDR0_STALL_MODEL_TERMINATE);
    v = FIELD_DP32(v, IDR0, TERM_MODEL, 1);
    v = FIELD_DP32(v, IDR0, ST_LEVEL, IDR0_ST_LEVEL_2LVL);
    return v;
}

static uint32_t smmuv3_idr1(SMMUv3State *s)
{
    uint32_t v = 0;

    v = FIELD_DP32(v, IDR1, SIDSIZE, SMMU_SIDSIZE);
    /* SsidSizeMode: enum value - 1 is the width; "auto" means none. */
    if (s->ssidsize != SSID_SIZE_MODE_AUTO) {
        v = FIELD_DP32(v, IDR1, SSIDSIZE, s->ssidsize - SSID_SIZE_MODE_0);
    }
    v = FIELD_DP32(v, IDR1, EVENTQS, SMMU_EVENTQS);
    v = FIELD_DP32(v, IDR1, CMDQS, SMMU_CMDQS);
    return v;
}

static uint32_t smmuv3_idr3(SMMUv3State *s, SMMUv3StageMode mode)
{
    uint32_t v = 0;

    v = FIELD_DP32(v, IDR3, HAD, 1);
    v = FIELD_DP32(v, IDR3, XNX, mode != SMMUV3_STAGE_1);
    v = FIELD_DP32(v, IDR3, RIL, s->ril != ON_OFF_AUTO_OFF);
    v = FIELD_DP32(v, IDR3, BBML, IDR3_BBML2);
    return v;
}

static uint32_t smmuv3_idr5(SMMUv3State *s)
{
    uint32_t v = 0;

    /* OasMode: enum value - 1 is the IDR5.OAS encoding. */
    v = FIELD_DP32(v, IDR5, OAS,
                   s->oas == OAS_MODE_AUTO ? IDR5_OAS_44
                                           : s->oas - OAS_MODE_32);
    v = FIELD_DP32(v, IDR5, GRAN4K, 1);
    v = FIELD_DP32(v, IDR5, GRAN16K, 1);
    v = FIELD_DP32(v, IDR5, GRAN64K, 1);
    return v;
}

void smmuv3_init_id_regs(SMMUv3State *s)
{
    SMMUv3StageMode mode = SMMUV3_STAGE_1;

    /* Validated at realize. */
    smmuv3_parse_stage(s->stage, &mode, &error_abort);
    s->idr[0] = smmuv3_idr0(s, mode);
    s->idr[1] = smmuv3_idr1(s);
    s->idr[2] = 0;
    s->idr[3] = smmuv3_idr3(s, mode);
    s->idr[4] = 0;
    s->idr[5] = smmuv3_idr5(s);
    s->iidr = FIELD_DP32(0, IIDR, PRODUCTID, IIDR_PRODUCTID);
    s->iidr = FIELD_DP32(s->iidr, IIDR, IMPLEMENTER, IIDR_IMPLEMENTER_ARM);
    s->aidr = FIELD_DP32(0, AIDR, MINOR, AIDR_SMMUV3_1);
}

/* ---- Reset ---- */

static void smmuv3_reset(DeviceState *dev)
{
    SMMUv3State *s = ARM_SMMUV3(dev);

    s->cr[0] = s->cr[1] = s->cr[2] = 0;
    s->cr0ack = 0;
    s->gbpa = GBPA_RESET_VAL;
    s->irq_ctrl = 0;
    s->gerror = s->gerrorn = 0;
    s->gerror_irq_cfg0 = 0;
    s->gerror_irq_cfg1 = s->gerror_irq_cfg2 = 0;
    s->strtab_base = 0;
    s->strtab_base_cfg = 0;
    s->eventq_irq_cfg0 = 0;
    s->eventq_irq_cfg1 = s->eventq_irq_cfg2 = 0;
    s->cmdq = (SMMUQueue){0};
    s->eventq = (SMMUQueue){0};
    smmuv3_config_inv_all(s);
    smmu_base_reset(ARM_SMMU(s));
    smmuv3_irq_update(s);
    if (s->accel_ops && s->accel_ops->reset) {
        s->accel_ops->reset(s);
    }
}

/* ---- PCIIOMMUOps ---- */

static AddressSpace *smmuv3_get_address_space(PCIBus *bus, void *opaque,
                                              int devfn)
{
    SMMUv3State *s = opaque;

    if (s->accel_ops && s->accel_ops->get_address_space) {
        AddressSpace *as = s->accel_ops->get_address_space(s, bus, devfn);

        if (as) {
            return as;
        }
    }
    return &smmu_get_sdev(ARM_SMMU(s), bus, devfn)->as;
}

static uint64_t smmuv3_get_viommu_flags(void *opaque)
{
    SMMUv3State *s = opaque;
    uint64_t flags = 0;

    if (FIELD_EX32(s->idr[1], IDR1, SSIDSIZE)) {
        flags |= VIOMMU_FLAG_PASID_SUPPORTED;
    }
    if (s->accel_ops && s->accel_ops->get_viommu_flags) {
        flags |= s->accel_ops->get_viommu_flags(s);
    }
    return flags;
}

static bool smmuv3_set_iommu_device(PCIBus *bus, void *opaque, int devfn,
                                    HostIOMMUDevice *hiod, Error **errp)
{
    SMMUv3State *s = opaque;

    if (!s->accel_ops || !s->accel_ops->set_iommu_device) {
        return true;
    }
    return s->accel_ops->set_iommu_device(s, bus, devfn, hiod, errp);
}

static void smmuv3_unset_iommu_device(PCIBus *bus, void *opaque, int devfn)
{
    SMMUv3State *s = opaque;

    if (s->accel_ops && s->accel_ops->unset_iommu_device) {
        s->accel_ops->unset_iommu_device(s, bus, devfn);
    }
}

static bool smmuv3_check_device(PCIBus *bus, void *opaque, PCIDevice *dev,
                                Error **errp)
{
    SMMUv3State *s = opaque;

    if (!s->accel_ops || !s->accel_ops->check_device) {
        return true;
    }
    return s->accel_ops->check_device(s, bus, dev, errp);
}

static const PCIIOMMUOps smmuv3_pci_iommu_ops = {
    .get_address_space = smmuv3_get_address_space,
    .get_viommu_flags = smmuv3_get_viommu_flags,
    .set_iommu_device = smmuv3_set_iommu_device,
    .unset_iommu_device = smmuv3_unset_iommu_device,
    .check_device = smmuv3_check_device,
};

/* ---- Realize ---- */

static void smmuv3_init_mmio_irqs(SMMUv3State *s)
{
    SysBusDevice *sbd = SYS_BUS_DEVICE(s);

    memory_region_init_io(&s->smmu_state.iomem, OBJECT(s), &smmuv3_mmio_ops, s,
                          TYPE_ARM_SMMUV3, SMMUV3_MMIO_SIZE);
    sysbus_init_mmio(sbd, &s->smmu_state.iomem);
    for (int i = 0; i < SMMUV3_NUM_IRQ; i++) {
        sysbus_init_irq(sbd, &s->irq[i]);
    }
}

static bool smmuv3_realize(DeviceState *dev, Error **errp)
{
    SMMUv3State *s = ARM_SMMUV3(dev);

    if (!smmuv3_validate_props(s, errp) ||
        !smmu_base_realize(ARM_SMMU(s), errp)) {
        return false;
    }
    s->configs =
        g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    smmuv3_init_mmio_irqs(s);
    smmuv3_init_id_regs(s);
    if (s->accel) {
        s->accel_ops = smmuv3_accel_backend;
    }
    if (s->accel_ops && s->accel_ops->realize) {
        return s->accel_ops->realize(s, errp);
    }
    return true;
}

static void smmuv3_finalize(Object *obj)
{
    SMMUv3State *s = ARM_SMMUV3(obj);

    g_clear_pointer(&s->configs, g_hash_table_destroy);
}

static const Property smmuv3_props[] = {
    DEFINE_PROP_STRING("stage", SMMUv3State, stage,
                       "Translation stages: 1 (default), 2 or nested"),
    DEFINE_PROP_UINT8("identifier", SMMUv3State, identifier, 0,
                      "SMMU identifier used in ACPI IORT/DSDT node names"),
    DEFINE_PROP_BOOL("accel", SMMUv3State, accel, false,
                     "Use the host SMMUv3 (stage 1 nested over the host's "
                     "stage 2) through iommufd"),
    DEFINE_PROP_UINT64("msi-gpa", SMMUv3State, msi_gpa, 0,
                       "Guest physical address of the MSI doorbell used "
                       "directly by devices behind an accel SMMU"),
    DEFINE_PROP_ON_OFF_AUTO("ril", SMMUv3State, ril, ON_OFF_AUTO_AUTO,
                            "Range invalidation (IDR3.RIL); auto: on "
                            "without accel, the host's value with accel"),
    DEFINE_PROP_ON_OFF_AUTO("ats", SMMUv3State, ats, ON_OFF_AUTO_AUTO,
                            "Address Translation Services (IDR0.ATS); "
                            "auto: off without accel, the host's value "
                            "with accel"),
    DEFINE_PROP_OAS_MODE("oas", SMMUv3State, oas, OAS_MODE_AUTO,
                         "Output address size in bits (IDR5.OAS): auto, 44 "
                         "or 48; auto: 44 without accel, the host's value "
                         "with accel"),
    DEFINE_PROP_SSIDSIZE_MODE("ssidsize", SMMUv3State, ssidsize,
                              SSID_SIZE_MODE_AUTO,
                              "SubstreamID width in bits (IDR1.SSIDSIZE); "
                              "auto: 0 without accel, the host's value "
                              "with accel"),
    DEFINE_PROP_ON_OFF_AUTO("cmdqv", SMMUv3State, cmdqv, ON_OFF_AUTO_AUTO,
                            "NVIDIA Tegra241 CMDQV (accel only)"),
    DEFINE_PROP_END_OF_LIST(),
};

static void smmuv3_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    SMMUBaseClass *sbc = ARM_SMMU_CLASS(oc);

    dc->desc = "Arm SMMUv3";
    dc->categories = 1u << DEVICE_CATEGORY_MISC;
    dc->user_creatable = true;
    dc->hotpluggable = false;
    dc->realize = smmuv3_realize;
    dc->reset = smmuv3_reset;
    device_class_set_props(dc, smmuv3_props);
    sbc->pci_iommu_ops = &smmuv3_pci_iommu_ops;
    sbc->iommu_region_ops = &smmuv3_iommu_ops;
}

static const TypeInfo smmuv3_info = {
    .name = TYPE_ARM_SMMUV3,
    .parent = TYPE_ARM_SMMU,
    .instance_size = sizeof(SMMUv3State),
    .instance_finalize = smmuv3_finalize,
    .class_init = smmuv3_class_init,
};

static void smmuv3_register_types(void)
{
    type_register_static(&smmuv3_info);
}

type_init(smmuv3_register_types)
