/*
 * SMMUv3 translation of one DMA access: global bypass/abort while the
 * SMMU is disabled, the stream's configuration, then the IOTLB or a
 * page-table walk. Faults terminate the access (STALL_MODEL is terminate
 * only) and are recorded in the event queue unless the configuration
 * suppresses them (CD.R for stage 1, STE.S2R for stage 2).
 */
#include "qemu/osdep.h"
#include "smmuv3-internal.h"

#define SMMUV3_BYPASS_PAGE_MASK 0xfffULL

void smmuv3_fault_to_event(const SMMUFault *fault, SMMUv3Event *evt)
{
    static const SMMUv3EventId fault_event[] = {
        [SMMU_FAULT_TRANSLATION] = EVT_F_TRANSLATION,
        [SMMU_FAULT_ADDR_SIZE] = EVT_F_ADDR_SIZE,
        [SMMU_FAULT_ACCESS] = EVT_F_ACCESS,
        [SMMU_FAULT_PERMISSION] = EVT_F_PERMISSION,
        [SMMU_FAULT_WALK_EABT] = EVT_F_WALK_EABT,
    };

    evt->id = fault_event[fault->type];
    evt->s2 = fault->stage == 2;
    evt->class = fault->class;
    if (fault->type == SMMU_FAULT_WALK_EABT) {
        evt->addr2 = fault->fetch_addr;
    } else if (evt->s2) {
        evt->addr2 = fault->ipa;
    }
}

/* External aborts on walks are always reported; translation faults as
 * the stage that raised them says. */
static void smmuv3_report_fault(SMMUv3State *s, const SMMUv3Config *cfg,
                                uint32_t sid, uint64_t iova, bool is_write,
                                const SMMUFault *fault)
{
    SMMUv3Event evt = {.sid = sid, .addr = iova, .rnw = !is_write};
    bool record = fault->stage == 2 ? cfg->s2_record : cfg->s1_record;

    if (fault->type != SMMU_FAULT_WALK_EABT && !record) {
        return;
    }
    smmuv3_fault_to_event(fault, &evt);
    smmuv3_record_event(s, &evt);
}

/* The leaf for iova, from the IOTLB or a walk (which fills the IOTLB). */
static bool smmuv3_lookup(SMMUv3State *s, const SMMUv3Config *cfg,
                          uint64_t iova, SMMUTLBEntry *entry, SMMUFault *fault)
{
    SMMUIOTLB *tlb = &s->smmu_state.iotlb;
    const SMMUTLBEntry *cached = smmu_iotlb_lookup(tlb, &cfg->tc, iova);

    if (cached) {
        *entry = *cached;
        return true;
    }
    if (!smmu_ptw(&address_space_memory, &cfg->tc, iova, entry, fault)) {
        return false;
    }
    smmu_iotlb_insert(tlb, &cfg->tc, entry);
    return true;
}

static IOMMUTLBEntry smmuv3_translate(IOMMUMemoryRegion *mr, hwaddr addr,
                                      IOMMUAccessFlags flag, MemTxAttrs attrs)
{
    SMMUDevice *sdev = container_of(mr, SMMUDevice, iommu);
    SMMUv3State *s = ARM_SMMUV3(sdev->smmu);
    bool is_write = flag & IOMMU_WO;
    uint32_t sid = smmu_get_sid(sdev);
    IOMMUTLBEntry ret = {
        .target_as = &address_space_memory,
        .iova = addr & ~SMMUV3_BYPASS_PAGE_MASK,
        .translated_addr = addr & ~SMMUV3_BYPASS_PAGE_MASK,
        .addr_mask = SMMUV3_BYPASS_PAGE_MASK,
        .perm = IOMMU_NONE,
    };
    SMMUv3Config cfg;
    SMMUv3Event evt;
    SMMUTLBEntry entry;
    SMMUFault fault;

    if (!FIELD_EX32(s->cr[0], CR0, SMMUEN)) {
        ret.perm = FIELD_EX32(s->gbpa, GBPA, ABORT) ? IOMMU_NONE : IOMMU_RW;
        return ret;
    }
    if (!smmuv3_get_config(s, sid, addr, is_write, &cfg, &evt)) {
        if (evt.id) {
            smmuv3_record_event(s, &evt);
        }
        return ret;
    }
    if (cfg.mode != SMMUV3_CFG_TRANSLATE) {
        ret.perm = cfg.mode == SMMUV3_CFG_BYPASS ? IOMMU_RW : IOMMU_NONE;
        return ret;
    }
    if (!smmuv3_lookup(s, &cfg, addr, &entry, &fault) ||
        !smmu_check_perm(&entry, addr, flag, &fault)) {
        smmuv3_report_fault(s, &cfg, sid, addr, is_write, &fault);
        return ret;
    }
    ret.iova = entry.iova;
    ret.translated_addr = entry.out;
    ret.addr_mask = entry.mask;
    ret.perm = entry.s1_perm & entry.s2_perm;
    return ret;
}

const IOMMUMemoryRegionOps smmuv3_iommu_ops = {
    .translate = smmuv3_translate,
};
