/*
 * SMMUv3 stream configuration: find the STE of a StreamID (linear or
 * two-level stream table), decode it, fetch and decode the CD, and keep
 * the result in a small cache keyed by StreamID until a CFGI command
 * drops it.
 *
 * Transactions carry no SubstreamID here, so a CD table with several
 * entries is indexed by STE.S1DSS (substream 0, bypass or terminate).
 * Decoding is strict where the ID registers rule a feature out: STALL
 * (STALL_MODEL = terminate only), big-endian tables, AArch32 formats, EL2
 * stream worlds (no HYP).
 */
#include "qemu/osdep.h"
#include "smmuv3-internal.h"

/* Effective output size: the requested encoding capped by IDR5.OAS. */
static uint8_t smmuv3_out_bits(SMMUv3State *s, unsigned enc)
{
    return MIN(smmuv3_oas_bits(enc),
               smmuv3_oas_bits(FIELD_EX32(s->idr[5], IDR5, OAS)));
}

static void config_event(SMMUv3Event *evt, SMMUv3EventId id)
{
    evt->id = id;
}

/* ---- Stream table (bases used as given, as for the queues) ---- */

static bool smmuv3_bad_streamid(SMMUv3State *s, SMMUv3Event *evt)
{
    /* CR2.RECINVSID decides whether out-of-range StreamIDs are reported. */
    if (FIELD_EX32(s->cr[2], CR2, RECINVSID)) {
        config_event(evt, EVT_C_BAD_STREAMID);
    }
    return false;
}

static bool smmuv3_fetch_failed(SMMUv3Event *evt, SMMUv3EventId id,
                                uint64_t addr)
{
    config_event(evt, id);
    evt->addr2 = addr;
    return false;
}

/* Two-level table: the L1 descriptor gives a level-2 table of up to
 * 2^(Span - 1) STEs; Span 0 marks it invalid. */
static bool smmuv3_ste_addr_2lvl(SMMUv3State *s, uint32_t sid,
                                 unsigned log2size, uint64_t base,
                                 uint64_t *addr, SMMUv3Event *evt)
{
    unsigned split =
        MIN(FIELD_EX32(s->strtab_base_cfg, STRTAB_BASE_CFG, SPLIT), log2size);
    uint64_t l1_addr = base + (uint64_t)(sid >> split) * L1STD_SIZE;
    uint32_t l2_idx = sid & ((1u << split) - 1);
    uint64_t l1std;
    unsigned span;

    if (!smmuv3_dma_read(l1_addr, &l1std, 1)) {
        return smmuv3_fetch_failed(evt, EVT_F_STE_FETCH, l1_addr);
    }
    span = FIELD_EX64(l1std, L1STD, SPAN);
    if (!span || span > split + 1 || (l2_idx >> (span - 1))) {
        return smmuv3_bad_streamid(s, evt);
    }
    *addr = (l1std & R_L1STD_L2PTR_MASK) + (uint64_t)l2_idx * STE_SIZE;
    return true;
}

static bool smmuv3_ste_addr(SMMUv3State *s, uint32_t sid, uint64_t *addr,
                            SMMUv3Event *evt)
{
    unsigned log2size =
        MIN(FIELD_EX32(s->strtab_base_cfg, STRTAB_BASE_CFG, LOG2SIZE),
            SMMU_SIDSIZE);
    uint64_t base = s->strtab_base & R_STRTAB_BASE_ADDR_MASK;

    if (sid >> log2size) {
        return smmuv3_bad_streamid(s, evt);
    }
    if (FIELD_EX32(s->strtab_base_cfg, STRTAB_BASE_CFG, FMT) ==
        STRTAB_BASE_CFG_FMT_2LVL) {
        return smmuv3_ste_addr_2lvl(s, sid, log2size, base, addr, evt);
    }
    *addr = base + (uint64_t)sid * STE_SIZE;
    return true;
}

/* ---- STE decode ---- */

static bool smmuv3_s2_granule(unsigned tg, uint8_t *granule)
{
    static const uint8_t s2tg_granule[] = {12, 16, 14, 0};

    *granule = s2tg_granule[tg];
    return *granule;
}

static bool smmuv3_decode_s2(SMMUv3State *s, const uint64_t *ste,
                             SMMUv3Config *cfg)
{
    SMMUS2Cfg *s2 = &cfg->tc.s2;

    if (!FIELD_EX64(ste[2], STE2, S2AA64) || FIELD_EX64(ste[2], STE2, S2ENDI) ||
        FIELD_EX64(ste[2], STE2, S2S) ||
        !smmuv3_s2_granule(FIELD_EX64(ste[2], STE2, S2TG), &s2->granule)) {
        return false;
    }
    s2->tsz = FIELD_EX64(ste[2], STE2, S2T0SZ);
    s2->start_level =
        smmu_s2_start_level(s2->granule, FIELD_EX64(ste[2], STE2, S2SL0));
    s2->oas = smmuv3_out_bits(s, FIELD_EX64(ste[2], STE2, S2PS));
    s2->affd = FIELD_EX64(ste[2], STE2, S2AFFD);
    s2->vttb = ste[3] & R_STE3_S2TTB_MASK;
    cfg->s2_record = FIELD_EX64(ste[2], STE2, S2R);
    return smmu_s2_cfg_valid(s2);
}

/* S1Fmt matters only with several CDs; with SSIDSIZE 0 only one. */
static bool smmuv3_s1_fields_valid(SMMUv3State *s, const uint64_t *ste)
{
    unsigned cdmax = FIELD_EX64(ste[0], STE0, S1CDMAX);

    if (FIELD_EX64(ste[1], STE1, STRW) != STE_STRW_NSEL1 ||
        cdmax > FIELD_EX32(s->idr[1], IDR1, SSIDSIZE)) {
        return false;
    }
    return !cdmax || (FIELD_EX64(ste[0], STE0, S1FMT) <= STE_S1FMT_64K_L2 &&
                      FIELD_EX64(ste[1], STE1, S1DSS) <= STE_S1DSS_SSID0);
}

/*
 * STE.Config bit 2 clear is abort (QEMU treats the reserved values 1..3
 * alike); bits 1:0 enable stage 2 and stage 1.
 */
static bool smmuv3_decode_ste(SMMUv3State *s, const uint64_t *ste,
                              SMMUv3Config *cfg, SMMUv3Event *evt)
{
    unsigned config = FIELD_EX64(ste[0], STE0, CONFIG);
    unsigned stages = config & SMMU_NESTED;

    if (!FIELD_EX64(ste[0], STE0, V)) {
        config_event(evt, EVT_C_BAD_STE);
        return false;
    }
    if (config <= STE_CONFIG_BYPASS) {
        cfg->mode =
            config == STE_CONFIG_BYPASS ? SMMUV3_CFG_BYPASS : SMMUV3_CFG_ABORT;
        return true;
    }
    cfg->mode = SMMUV3_CFG_TRANSLATE;
    cfg->tc.stages = stages;
    cfg->tc.s2.vmid = FIELD_EX32(s->idr[0], IDR0, S2P)
                          ? (int)FIELD_EX64(ste[2], STE2, S2VMID)
                          : -1;
    if (((stages & SMMU_STAGE_1) && (!FIELD_EX32(s->idr[0], IDR0, S1P) ||
                                     !smmuv3_s1_fields_valid(s, ste))) ||
        ((stages & SMMU_STAGE_2) && (!FIELD_EX32(s->idr[0], IDR0, S2P) ||
                                     !smmuv3_decode_s2(s, ste, cfg)))) {
        config_event(evt, EVT_C_BAD_STE);
        return false;
    }
    return true;
}

/* ---- CD fetch and decode ---- */

/* Nested mode: CD-table addresses are IPAs that stage 2 translates. */
static bool smmuv3_cd_ipa_to_pa(const SMMUv3Config *cfg, uint64_t ipa,
                                uint64_t *pa, SMMUv3Event *evt)
{
    SMMUTLBEntry e;
    SMMUFault f;

    if (smmu_ptw_stage2(&address_space_memory, &cfg->tc.s2, ipa, SMMU_CLASS_CD,
                        &e, &f)) {
        if (e.s2_perm & IOMMU_RO) {
            *pa = e.out | (ipa & e.mask);
            return true;
        }
        f = (SMMUFault){.type = SMMU_FAULT_PERMISSION,
                        .stage = 2,
                        .class = SMMU_CLASS_CD,
                        .ipa = ipa};
    }
    smmuv3_fault_to_event(&f, evt);
    if (f.type != SMMU_FAULT_WALK_EABT && !cfg->s2_record) {
        evt->id = 0;
    }
    return false;
}

static bool smmuv3_cd_read(const SMMUv3Config *cfg, uint64_t addr, uint64_t *dw,
                           unsigned n, SMMUv3Event *evt)
{
    uint64_t pa = addr;

    if ((cfg->tc.stages & SMMU_STAGE_2) &&
        !smmuv3_cd_ipa_to_pa(cfg, addr, &pa, evt)) {
        return false;
    }
    if (!smmuv3_dma_read(pa, dw, n)) {
        return smmuv3_fetch_failed(evt, EVT_F_CD_FETCH, pa);
    }
    return true;
}

/* The CD of SubstreamID ssid: linear, or through an L1 descriptor. */
static bool smmuv3_cd_addr(const uint64_t *ste, const SMMUv3Config *cfg,
                           uint32_t ssid, uint64_t *addr, SMMUv3Event *evt)
{
    uint64_t base = ste[0] & R_STE0_S1CTXPTR_MASK;
    unsigned fmt = FIELD_EX64(ste[0], STE0, S1FMT);
    unsigned split;
    uint64_t l1cd;

    if (!FIELD_EX64(ste[0], STE0, S1CDMAX) || fmt == STE_S1FMT_LINEAR) {
        *addr = base + (uint64_t)ssid * CD_SIZE;
        return true;
    }
    split = fmt == STE_S1FMT_4K_L2 ? CD_L2_SPLIT_4K : CD_L2_SPLIT_64K;
    if (!smmuv3_cd_read(cfg, base + (uint64_t)(ssid >> split) * L1CD_SIZE,
                        &l1cd, 1, evt)) {
        return false;
    }
    if (!FIELD_EX64(l1cd, L1CD, V)) {
        config_event(evt, EVT_C_BAD_SUBSTREAMID);
        return false;
    }
    *addr = (l1cd & R_L1CD_L2PTR_MASK) +
            (uint64_t)(ssid & MAKE_64BIT_MASK(0, split)) * CD_SIZE;
    return true;
}

/* TG0 and TG1 encode the granule differently. */
static uint8_t smmuv3_cd_granule(unsigned range, unsigned tg)
{
    static const uint8_t tg0_granule[] = {
        [CD_TG0_4K] = 12, [CD_TG0_64K] = 16, [CD_TG0_16K] = 14};
    static const uint8_t tg1_granule[] = {
        [CD_TG1_16K] = 14, [CD_TG1_4K] = 12, [CD_TG1_64K] = 16};

    return range ? tg1_granule[tg] : (tg < 3 ? tg0_granule[tg] : 0);
}

static bool smmuv3_decode_tt(const uint64_t *cd, unsigned range,
                             SMMUTTRange *tt)
{
    if (range) {
        tt->disabled = FIELD_EX64(cd[0], CD0, EPD1);
        tt->tsz = FIELD_EX64(cd[0], CD0, T1SZ);
        tt->granule = smmuv3_cd_granule(1, FIELD_EX64(cd[0], CD0, TG1));
        tt->ttb = cd[2] & R_CD2_TTB1_MASK;
        tt->had = FIELD_EX64(cd[2], CD2, HAD1);
    } else {
        tt->disabled = FIELD_EX64(cd[0], CD0, EPD0);
        tt->tsz = FIELD_EX64(cd[0], CD0, T0SZ);
        tt->granule = smmuv3_cd_granule(0, FIELD_EX64(cd[0], CD0, TG0));
        tt->ttb = cd[1] & R_CD1_TTB0_MASK;
        tt->had = FIELD_EX64(cd[1], CD1, HAD0);
    }
    return tt->disabled || smmu_s1_range_valid(tt);
}

/* TBI, HA and HD are not modelled; STALL is not offered. */
static bool smmuv3_decode_cd(SMMUv3State *s, const uint64_t *cd,
                             SMMUv3Config *cfg, SMMUv3Event *evt)
{
    SMMUS1Cfg *s1 = &cfg->tc.s1;

    if (!FIELD_EX64(cd[0], CD0, V) || !FIELD_EX64(cd[0], CD0, AA64) ||
        FIELD_EX64(cd[0], CD0, ENDI) || FIELD_EX64(cd[0], CD0, S) ||
        !smmuv3_decode_tt(cd, 0, &s1->tt[0]) ||
        !smmuv3_decode_tt(cd, 1, &s1->tt[1])) {
        config_event(evt, EVT_C_BAD_CD);
        return false;
    }
    s1->oas = smmuv3_out_bits(s, FIELD_EX64(cd[0], CD0, IPS));
    s1->affd = FIELD_EX64(cd[0], CD0, AFFD);
    s1->asid = FIELD_EX64(cd[0], CD0, ASID);
    cfg->s1_record = FIELD_EX64(cd[0], CD0, R);
    return true;
}

/*
 * Stage 1 for a transaction without SubstreamID: a single CD, or with
 * several CDs what S1DSS says.
 */
static bool smmuv3_decode_s1(SMMUv3State *s, const uint64_t *ste,
                             SMMUv3Config *cfg, SMMUv3Event *evt)
{
    uint64_t cd[8], cd_addr;

    if (FIELD_EX64(ste[0], STE0, S1CDMAX)) {
        switch (FIELD_EX64(ste[1], STE1, S1DSS)) {
        case STE_S1DSS_TERMINATE:
            config_event(evt, EVT_F_STREAM_DISABLED);
            return false;
        case STE_S1DSS_BYPASS:
            cfg->tc.stages &= ~SMMU_STAGE_1;
            if (!cfg->tc.stages) {
                cfg->mode = SMMUV3_CFG_BYPASS;
            }
            return true;
        }
    }
    return smmuv3_cd_addr(ste, cfg, 0, &cd_addr, evt) &&
           smmuv3_cd_read(cfg, cd_addr, cd, ARRAY_SIZE(cd), evt) &&
           smmuv3_decode_cd(s, cd, cfg, evt);
}

static bool smmuv3_decode_config(SMMUv3State *s, uint32_t sid,
                                 SMMUv3Config *cfg, SMMUv3Event *evt)
{
    uint64_t ste[STE_DWORDS], ste_addr;

    memset(cfg, 0, sizeof(*cfg));
    if (!smmuv3_ste_addr(s, sid, &ste_addr, evt)) {
        return false;
    }
    if (!smmuv3_dma_read(ste_addr, ste, STE_DWORDS)) {
        return smmuv3_fetch_failed(evt, EVT_F_STE_FETCH, ste_addr);
    }
    if (!smmuv3_decode_ste(s, ste, cfg, evt)) {
        return false;
    }
    if (cfg->mode != SMMUV3_CFG_TRANSLATE || !(cfg->tc.stages & SMMU_STAGE_1)) {
        return true;
    }
    return smmuv3_decode_s1(s, ste, cfg, evt);
}

bool smmuv3_get_config(SMMUv3State *s, uint32_t sid, uint64_t iova,
                       bool is_write, SMMUv3Config *cfg, SMMUv3Event *evt)
{
    SMMUv3Config *cached =
        g_hash_table_lookup(s->configs, GUINT_TO_POINTER(sid));

    if (cached) {
        *cfg = *cached;
        return true;
    }
    *evt = (SMMUv3Event){.sid = sid};
    if (!smmuv3_decode_config(s, sid, cfg, evt)) {
        /* Only stage-2 faults on CD fetches describe the transaction. */
        if (evt->s2) {
            evt->addr = iova;
            evt->rnw = !is_write;
        }
        return false;
    }
    if (g_hash_table_size(s->configs) >= SMMUV3_CONFIG_CACHE_MAX) {
        g_hash_table_remove_all(s->configs);
    }
    g_hash_table_insert(s->configs, GUINT_TO_POINTER(sid),
                        g_memdup2(cfg, sizeof(*cfg)));
    return true;
}

bool smmuv3_read_ste(SMMUv3State *s, uint32_t sid, uint64_t ste[STE_DWORDS],
                     SMMUv3Event *evt)
{
    uint64_t ste_addr;

    *evt = (SMMUv3Event){.sid = sid};
    if (!smmuv3_ste_addr(s, sid, &ste_addr, evt)) {
        return false;
    }
    if (!smmuv3_dma_read(ste_addr, ste, STE_DWORDS)) {
        return smmuv3_fetch_failed(evt, EVT_F_STE_FETCH, ste_addr);
    }
    return true;
}

static gboolean smmuv3_config_in_range(gpointer key, gpointer value,
                                       gpointer opaque)
{
    const uint32_t *range = opaque;
    uint32_t sid = GPOINTER_TO_UINT(key);

    return sid >= range[0] && sid <= range[1];
}

void smmuv3_config_inv_range(SMMUv3State *s, uint32_t first, uint32_t last)
{
    uint32_t range[2] = {first, last};

    g_hash_table_foreach_remove(s->configs, smmuv3_config_in_range, range);
}

void smmuv3_config_inv_all(SMMUv3State *s)
{
    if (s->configs) {
        g_hash_table_remove_all(s->configs);
    }
}
