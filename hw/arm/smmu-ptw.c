/*
 * AArch64 VMSAv8-64 page-table walks for the SMMU: 4K, 16K and 64K
 * granules, stage 1 (two ranges), stage 2 (with concatenated start
 * tables) and nested, where each stage-1 table address is an IPA that
 * stage 2 translates first.
 *
 * Top-byte-ignore is not modelled: every input address bit counts.
 */
#include "qemu/osdep.h"
#include "qemu/registerfields.h"
#include "hw/arm/smmu-common.h"

/* The descriptor bits the walker reads. */
FIELD(DESC, VALID, 0, 1)
FIELD(DESC, TABLE, 1, 1)  /* table at levels 0-2, page at level 3 */
FIELD(DESC, S2AP_R, 6, 1) /* stage 2: reads allowed */
FIELD(DESC, S2AP_W, 7, 1) /* stage 2: writes allowed */
FIELD(DESC, AP_RO, 7, 1)  /* stage 1 AP[2]: read-only */
FIELD(DESC, AF, 10, 1)
FIELD(DESC, APTABLE_RO, 62, 1) /* table: APTable[1], read-only below */

/* Output addresses are 52-bit fields; bits above OAS fault. */
#define SMMU_DESC_ADDR_TOP 52

/* One stage of a walk, resolved from the configuration. */
typedef struct StageWalk {
    unsigned stage;
    SMMUFaultClass class; /* reported with this stage's faults */
    uint64_t ttb;
    uint8_t granule;
    uint8_t in_bits;
    int start_level;
    uint8_t oas;
    bool affd;
    bool had;
} StageWalk;

/* Lowest input bit a level's index uses: each level resolves g - 3. */
static unsigned level_shift(unsigned granule, int level)
{
    return granule + (granule - 3) * (3 - level);
}

/* Blocks exist at level 1 (4K) and level 2 (all); no 52-bit formats. */
static bool block_allowed(unsigned granule, int level)
{
    return level == 2 || (level == 1 && granule == 12);
}

static void set_fault(SMMUFault *fault, SMMUFaultType type, unsigned stage,
                      SMMUFaultClass class)
{
    fault->type = type;
    fault->stage = stage;
    fault->class = class;
}

static void stage_fault(SMMUFault *fault, SMMUFaultType type,
                        const StageWalk *w)
{
    set_fault(fault, type, w->stage, w->class);
}

int smmu_s2_start_level(uint8_t granule, unsigned sl0)
{
    static const int start_4k[] = {2, 1, 0, -1};
    static const int start_16k_64k[] = {3, 2, 1, -1};

    return granule == 12 ? start_4k[sl0 & 3] : start_16k_64k[sl0 & 3];
}

static bool granule_valid(uint8_t granule)
{
    return granule == 12 || granule == 14 || granule == 16;
}

bool smmu_s2_cfg_valid(const SMMUS2Cfg *s2)
{
    unsigned in_bits = 64 - s2->tsz;
    unsigned stride = s2->granule - 3;
    int bits;

    if (!granule_valid(s2->granule) || s2->tsz < 16 || s2->tsz > 39 ||
        s2->start_level > 3) {
        return false;
    }
    /* The start table may concatenate up to 16 tables, no more. */
    bits = (int)in_bits - (int)level_shift(s2->granule, s2->start_level);
    return bits >= 1 && bits <= (int)stride + 4;
}

bool smmu_s1_range_valid(const SMMUTTRange *tt)
{
    return granule_valid(tt->granule) && tt->tsz >= 16 && tt->tsz <= 39;
}

static int s1_start_level(uint8_t granule, unsigned in_bits)
{
    return 4 - (int)DIV_ROUND_UP(in_bits - granule, granule - 3);
}

static bool s2_translate(AddressSpace *as, const SMMUS2Cfg *s2, uint64_t ipa,
                         SMMUFaultClass class, uint64_t *pa, SMMUFault *fault);

/*
 * Reads the descriptor at addr. Stage-1 tables of a nested configuration
 * live at IPAs, so stage 2 translates (and may fault) first.
 */
static bool read_desc(AddressSpace *as, const SMMUTransCfg *cfg,
                      const StageWalk *w, uint64_t addr, uint64_t *desc,
                      SMMUFault *fault)
{
    MemTxResult res;
    uint64_t pa = addr;

    if (w->stage == 1 && (cfg->stages & SMMU_STAGE_2) &&
        !s2_translate(as, &cfg->s2, addr, SMMU_CLASS_TT, &pa, fault)) {
        return false;
    }
    *desc = address_space_ldq_le(as, pa, MEMTXATTRS_UNSPECIFIED, &res);
    if (res != MEMTX_OK) {
        set_fault(fault, SMMU_FAULT_WALK_EABT, w->stage,
                  w->stage == 1 ? SMMU_CLASS_TT : w->class);
        fault->fetch_addr = pa;
        return false;
    }
    return true;
}

static IOMMUAccessFlags leaf_perm(const StageWalk *w, uint64_t desc,
                                  bool table_ro)
{
    if (w->stage == 2) {
        return (FIELD_EX64(desc, DESC, S2AP_R) ? IOMMU_RO : 0) |
               (FIELD_EX64(desc, DESC, S2AP_W) ? IOMMU_WO : 0);
    }
    return FIELD_EX64(desc, DESC, AP_RO) || table_ro ? IOMMU_RO : IOMMU_RW;
}

/* One stage: from the start table down to a leaf. */
static bool walk_stage(AddressSpace *as, const SMMUTransCfg *cfg,
                       const StageWalk *w, uint64_t addr, uint64_t *out,
                       uint64_t *mask, IOMMUAccessFlags *perm, SMMUFault *fault)
{
    unsigned g = w->granule;
    unsigned top = w->in_bits;
    unsigned first_bits = top - level_shift(g, w->start_level);
    uint64_t table = w->ttb & ~((8ULL << first_bits) - 1);
    bool table_ro = false;

    if (table >> w->oas) {
        stage_fault(fault, SMMU_FAULT_ADDR_SIZE, w);
        return false;
    }
    for (int level = w->start_level; level <= 3; level++) {
        unsigned shift = level_shift(g, level);
        uint64_t idx = extract64(addr, shift, top - shift);
        uint64_t desc, oa;

        if (!read_desc(as, cfg, w, table + idx * 8, &desc, fault)) {
            return false;
        }
        if (!FIELD_EX64(desc, DESC, VALID) ||
            (!FIELD_EX64(desc, DESC, TABLE) && !block_allowed(g, level))) {
            stage_fault(fault, SMMU_FAULT_TRANSLATION, w);
            return false;
        }
        if (FIELD_EX64(desc, DESC, TABLE) && level < 3) {
            table = desc & MAKE_64BIT_MASK(g, SMMU_DESC_ADDR_TOP - g);
            if (table >> w->oas) {
                stage_fault(fault, SMMU_FAULT_ADDR_SIZE, w);
                return false;
            }
            table_ro |=
                w->stage == 1 && !w->had && FIELD_EX64(desc, DESC, APTABLE_RO);
            top = shift;
            continue;
        }
        oa = desc & MAKE_64BIT_MASK(shift, SMMU_DESC_ADDR_TOP - shift);
        if (oa >> w->oas) {
            stage_fault(fault, SMMU_FAULT_ADDR_SIZE, w);
            return false;
        }
        if (!FIELD_EX64(desc, DESC, AF) && !w->affd) {
            stage_fault(fault, SMMU_FAULT_ACCESS, w);
            return false;
        }
        *out = oa;
        *mask = MAKE_64BIT_MASK(0, shift);
        *perm = leaf_perm(w, desc, table_ro);
        return true;
    }
    g_assert_not_reached();
}

static void s2_walk_params(const SMMUS2Cfg *s2, SMMUFaultClass class,
                           StageWalk *w)
{
    *w = (StageWalk){
        .stage = 2,
        .class = class,
        .ttb = s2->vttb,
        .granule = s2->granule,
        .in_bits = 64 - s2->tsz,
        .start_level = s2->start_level,
        .oas = s2->oas,
        .affd = s2->affd,
    };
}

static bool s2_walk(AddressSpace *as, const SMMUS2Cfg *s2, uint64_t ipa,
                    SMMUFaultClass class, uint64_t *out, uint64_t *mask,
                    IOMMUAccessFlags *perm, SMMUFault *fault)
{
    SMMUTransCfg only_s2 = {.stages = SMMU_STAGE_2, .s2 = *s2};
    StageWalk w;

    s2_walk_params(s2, class, &w);
    if (ipa >> w.in_bits) {
        stage_fault(fault, SMMU_FAULT_TRANSLATION, &w);
    } else if (walk_stage(as, &only_s2, &w, ipa, out, mask, perm, fault)) {
        return true;
    }
    fault->ipa = ipa;
    return false;
}

/* A stage-1 table fetch through stage 2: needs read permission. */
static bool s2_translate(AddressSpace *as, const SMMUS2Cfg *s2, uint64_t ipa,
                         SMMUFaultClass class, uint64_t *pa, SMMUFault *fault)
{
    IOMMUAccessFlags perm;
    uint64_t out, mask;

    if (!s2_walk(as, s2, ipa, class, &out, &mask, &perm, fault)) {
        return false;
    }
    if (!(perm & IOMMU_RO)) {
        set_fault(fault, SMMU_FAULT_PERMISSION, 2, class);
        fault->ipa = ipa;
        return false;
    }
    *pa = out | (ipa & mask);
    return true;
}

bool smmu_ptw_stage2(AddressSpace *as, const SMMUS2Cfg *s2, uint64_t ipa,
                     SMMUFaultClass class, SMMUTLBEntry *entry,
                     SMMUFault *fault)
{
    uint64_t out, mask;
    IOMMUAccessFlags perm;

    memset(fault, 0, sizeof(*fault));
    if (!s2_walk(as, s2, ipa, class, &out, &mask, &perm, fault)) {
        return false;
    }
    *entry = (SMMUTLBEntry){
        .iova = ipa & ~mask,
        .ipa = ipa & ~mask,
        .out = out,
        .mask = mask,
        .s1_perm = IOMMU_RW,
        .s2_perm = perm,
    };
    return true;
}

/* The stage-1 range an address falls in: TTB0 low, TTB1 high. */
static const SMMUTTRange *s1_range(const SMMUS1Cfg *s1, uint64_t iova)
{
    for (int i = 0; i < 2; i++) {
        const SMMUTTRange *tt = &s1->tt[i];
        uint64_t upper;

        /* A 64-bit range is never valid, so it cannot be enabled. */
        if (!tt->tsz) {
            continue;
        }
        upper = iova >> (64 - tt->tsz);
        if (upper == (i ? MAKE_64BIT_MASK(0, tt->tsz) : 0)) {
            return tt->disabled ? NULL : tt;
        }
    }
    return NULL;
}

static bool s1_walk(AddressSpace *as, const SMMUTransCfg *cfg, uint64_t iova,
                    uint64_t *out, uint64_t *mask, IOMMUAccessFlags *perm,
                    SMMUFault *fault)
{
    const SMMUTTRange *tt = s1_range(&cfg->s1, iova);
    StageWalk w;

    if (!tt) {
        set_fault(fault, SMMU_FAULT_TRANSLATION, 1, SMMU_CLASS_IN);
        return false;
    }
    w = (StageWalk){
        .stage = 1,
        .class = SMMU_CLASS_IN,
        .ttb = tt->ttb,
        .granule = tt->granule,
        .in_bits = 64 - tt->tsz,
        .start_level = s1_start_level(tt->granule, 64 - tt->tsz),
        .oas = cfg->s1.oas,
        .affd = cfg->s1.affd,
        .had = tt->had,
    };
    return walk_stage(as, cfg, &w, iova, out, mask, perm, fault);
}

bool smmu_ptw(AddressSpace *as, const SMMUTransCfg *cfg, uint64_t iova,
              SMMUTLBEntry *entry, SMMUFault *fault)
{
    IOMMUAccessFlags s1_perm = IOMMU_RW, s2_perm = IOMMU_RW;
    uint64_t ipa = iova, out, mask = UINT64_MAX;

    memset(fault, 0, sizeof(*fault));
    fault->class = SMMU_CLASS_IN;
    if (cfg->stages & SMMU_STAGE_1) {
        if (!s1_walk(as, cfg, iova, &out, &mask, &s1_perm, fault)) {
            return false;
        }
        ipa = out | (iova & mask);
    }
    out = ipa;
    if (cfg->stages & SMMU_STAGE_2) {
        uint64_t s2_mask;

        if (!s2_walk(as, &cfg->s2, ipa, SMMU_CLASS_IN, &out, &s2_mask, &s2_perm,
                     fault)) {
            return false;
        }
        out |= ipa & s2_mask;
        mask = MIN(mask, s2_mask);
    }
    *entry = (SMMUTLBEntry){
        .iova = iova & ~mask,
        .ipa = ipa & ~mask,
        .out = out & ~mask,
        .mask = mask,
        .s1_perm = s1_perm,
        .s2_perm = s2_perm,
    };
    return true;
}

bool smmu_check_perm(const SMMUTLBEntry *entry, uint64_t iova,
                     IOMMUAccessFlags access, SMMUFault *fault)
{
    memset(fault, 0, sizeof(*fault));
    fault->class = SMMU_CLASS_IN;
    if (access & ~entry->s1_perm) {
        set_fault(fault, SMMU_FAULT_PERMISSION, 1, SMMU_CLASS_IN);
        return false;
    }
    if (access & ~entry->s2_perm) {
        set_fault(fault, SMMU_FAULT_PERMISSION, 2, SMMU_CLASS_IN);
        fault->ipa = entry->ipa | (iova & entry->mask);
        return false;
    }
    return true;
}
