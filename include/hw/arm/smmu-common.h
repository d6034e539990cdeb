/*
 * Arm SMMU common base ("arm-smmu"): the PCI side (one IOMMU region per
 * (bus, devfn) handed out through PCIIOMMUOps), the AArch64 VMSAv8-64
 * page-table walker (stage 1, stage 2, nested) and the IOTLB.
 *
 * The walker and the IOTLB only need an AddressSpace to read tables from,
 * so they are usable (and unit-tested) without a device.
 */
#ifndef HW_ARM_SMMU_COMMON_H
#define HW_ARM_SMMU_COMMON_H

#include "qemu/bitops.h"
#include "hw/core/sysbus.h"
#include "hw/pci/pci.h"
#include "system/memory.h"

#define TYPE_ARM_SMMU "arm-smmu"

/* Translation stages a configuration enables (a bit mask). */
#define SMMU_STAGE_1 1u
#define SMMU_STAGE_2 2u
#define SMMU_NESTED (SMMU_STAGE_1 | SMMU_STAGE_2)

/* Page-table ranges of one stage: stage 1 has two (TTB0, TTB1). */
typedef struct SMMUTTRange {
    uint64_t ttb;
    uint8_t tsz;     /* input size is 64 - tsz bits */
    uint8_t granule; /* log2 of the granule: 12, 14 or 16 */
    bool disabled;   /* EPDx: walks through this range fault */
    bool had;        /* hierarchical attributes (APTable) disabled */
} SMMUTTRange;

typedef struct SMMUS1Cfg {
    SMMUTTRange tt[2];
    uint8_t oas; /* output (IPA or PA) size in bits */
    bool affd;   /* access flag faults disabled */
    int asid;    /* IOTLB tag */
} SMMUS1Cfg;

typedef struct SMMUS2Cfg {
    uint64_t vttb;
    uint8_t tsz;
    uint8_t granule;
    uint8_t start_level; /* from S2SL0 */
    uint8_t oas;
    bool affd;
    int vmid; /* IOTLB tag; also set (or -1) for stage 1 only */
} SMMUS2Cfg;

/* What the walker needs to translate one stream (no bypass/abort here). */
typedef struct SMMUTransCfg {
    unsigned stages; /* SMMU_STAGE_* mask, never 0 */
    SMMUS1Cfg s1;
    SMMUS2Cfg s2;
} SMMUTransCfg;

typedef enum SMMUFaultType {
    SMMU_FAULT_NONE,
    SMMU_FAULT_TRANSLATION,
    SMMU_FAULT_ADDR_SIZE,
    SMMU_FAULT_ACCESS,
    SMMU_FAULT_PERMISSION,
    SMMU_FAULT_WALK_EABT, /* a descriptor could not be read */
} SMMUFaultType;

/* Event record CLASS: what the faulting access was for. */
typedef enum SMMUFaultClass {
    SMMU_CLASS_CD = 0, /* fetching a context descriptor (via S2) */
    SMMU_CLASS_TT = 1, /* fetching a stage-1 table (via S2) */
    SMMU_CLASS_IN = 2, /* the input transaction itself */
} SMMUFaultClass;

typedef struct SMMUFault {
    SMMUFaultType type;
    unsigned stage; /* 1 or 2 */
    SMMUFaultClass class;
    uint64_t ipa;        /* stage-2 faults: the faulting IPA */
    uint64_t fetch_addr; /* WALK_EABT: the descriptor's address */
} SMMUFault;

/*
 * A leaf translation. For nested configurations it is the combination of
 * both stages, with each stage's permissions kept apart so a later access
 * of another kind faults at the right stage.
 */
typedef struct SMMUTLBEntry {
    uint64_t iova;            /* input base, aligned to mask + 1 */
    uint64_t ipa;             /* nested: stage-1 output base */
    uint64_t out;             /* output base */
    uint64_t mask;            /* size - 1 */
    IOMMUAccessFlags s1_perm; /* IOMMU_RW when stage 1 is off */
    IOMMUAccessFlags s2_perm; /* IOMMU_RW when stage 2 is off */
} SMMUTLBEntry;

/*
 * Walks cfg for iova. On success *entry holds the leaf; permissions are
 * not checked (see smmu_check_perm). On failure *fault says why.
 */
bool smmu_ptw(AddressSpace *as, const SMMUTransCfg *cfg, uint64_t iova,
              SMMUTLBEntry *entry, SMMUFault *fault);
/* Stage 2 alone (e.g. a CD address in nested mode); class is reported. */
bool smmu_ptw_stage2(AddressSpace *as, const SMMUS2Cfg *s2, uint64_t ipa,
                     SMMUFaultClass class, SMMUTLBEntry *entry,
                     SMMUFault *fault);
/* Permission check of a leaf for an access; fills a permission fault. */
bool smmu_check_perm(const SMMUTLBEntry *entry, uint64_t iova,
                     IOMMUAccessFlags access, SMMUFault *fault);
/* Start level of a stage-2 walk from S2SL0, or -1 if reserved. */
int smmu_s2_start_level(uint8_t granule, unsigned sl0);
/* Whether a stage-2 setup is walkable (start level vs input size). */
bool smmu_s2_cfg_valid(const SMMUS2Cfg *s2);
/* Whether a stage-1 range's input size suits its granule. */
bool smmu_s1_range_valid(const SMMUTTRange *tt);

/* IOTLB: leaf entries keyed by ASID, VMID and input range. */
#define SMMU_IOTLB_MAX_SIZE 256

typedef struct SMMUIOTLB {
    GHashTable *entries;
} SMMUIOTLB;

/* Which part of the cache an invalidation targets. */
typedef enum SMMUInvKind {
    SMMU_INV_S1,  /* stage-1 and nested entries, by input address */
    SMMU_INV_S2,  /* stage-2-only entries by IPA, nested ones entirely */
    SMMU_INV_ANY, /* every entry */
} SMMUInvKind;

/* An invalidation; -1 in asid/vmid matches any value. */
typedef struct SMMUInvRange {
    SMMUInvKind kind;
    int asid;
    int vmid;
    uint64_t addr;
    uint64_t size; /* 0: every address */
} SMMUInvRange;

void smmu_iotlb_init(SMMUIOTLB *tlb);
void smmu_iotlb_destroy(SMMUIOTLB *tlb);
/* The entry covering iova for this configuration, or NULL. */
const SMMUTLBEntry *smmu_iotlb_lookup(SMMUIOTLB *tlb, const SMMUTransCfg *cfg,
                                      uint64_t iova);
void smmu_iotlb_insert(SMMUIOTLB *tlb, const SMMUTransCfg *cfg,
                       const SMMUTLBEntry *entry);
void smmu_iotlb_inv(SMMUIOTLB *tlb, const SMMUInvRange *range);
void smmu_iotlb_inv_all(SMMUIOTLB *tlb);
unsigned smmu_iotlb_count(SMMUIOTLB *tlb);

typedef struct SMMUState SMMUState;

/* One requester (bus, devfn) behind the SMMU: its IOMMU region. */
typedef struct SMMUDevice {
    SMMUState *smmu;
    PCIBus *bus;
    int devfn;
    IOMMUMemoryRegion iommu;
    AddressSpace as;
} SMMUDevice;

struct SMMUState {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    GHashTable *devices; /* (bus, devfn) -> SMMUDevice */
    SMMUIOTLB iotlb;
    /* properties */
    uint8_t bus_num;
    bool smmu_per_bus;
    PCIBus *primary_bus;
    Object *memory;
    Object *secure_memory;
};

typedef struct SMMUBaseClass {
    SysBusDeviceClass parent_class;
    /* Set by the derived model's class_init. */
    const PCIIOMMUOps *pci_iommu_ops;
    const IOMMUMemoryRegionOps *iommu_region_ops;
} SMMUBaseClass;

#define ARM_SMMU(obj) OBJECT_CHECK(SMMUState, (obj), TYPE_ARM_SMMU)
#define ARM_SMMU_CLASS(klass)                                                  \
    OBJECT_CLASS_CHECK(SMMUBaseClass, (klass), TYPE_ARM_SMMU)
#define ARM_SMMU_GET_CLASS(obj)                                                \
    OBJECT_GET_CLASS(SMMUBaseClass, (obj), TYPE_ARM_SMMU)

/*
 * Base realize, called by the derived realize: checks the primary bus
 * (pcie.0 or a pxb-pcie root bus) and registers on it.
 */
bool smmu_base_realize(SMMUState *s, Error **errp);
/* Empties the IOTLB. */
void smmu_base_reset(SMMUState *s);

/* The SMMUDevice of (bus, devfn), created with its IOMMU region on first
 * use. */
SMMUDevice *smmu_get_sdev(SMMUState *s, PCIBus *bus, int devfn);
SMMUDevice *smmu_find_sdev(SMMUState *s, PCIBus *bus, int devfn);
/* StreamID = PCI requester ID with the bus number as programmed now. */
uint32_t smmu_get_sid(const SMMUDevice *sdev);

#endif
