/*
 * SMMU IOTLB: cached leaf translations keyed by (ASID, VMID, input base,
 * size). Entries of nested configurations combine both stages, so a
 * stage-2 invalidation drops every nested entry of its VMID.
 */
#include "qemu/osdep.h"
#include "hw/arm/smmu-common.h"

typedef struct SMMUIOTLBKey {
    int asid;
    int vmid;
    uint64_t base;
    uint8_t log2size;
} SMMUIOTLBKey;

typedef struct SMMUIOTLBEntry {
    SMMUIOTLBKey key;
    unsigned stages;
    SMMUTLBEntry tlb;
} SMMUIOTLBEntry;

static guint iotlb_key_hash(gconstpointer v)
{
    const SMMUIOTLBKey *k = v;
    uint64_t h = k->base ^ ((uint64_t)k->log2size << 56) ^
                 ((uint64_t)(uint32_t)k->asid << 20) ^
                 ((uint64_t)(uint32_t)k->vmid << 36);

    return (guint)(h ^ (h >> 32));
}

static gboolean iotlb_key_equal(gconstpointer a, gconstpointer b)
{
    const SMMUIOTLBKey *x = a, *y = b;

    return x->asid == y->asid && x->vmid == y->vmid && x->base == y->base &&
           x->log2size == y->log2size;
}

void smmu_iotlb_init(SMMUIOTLB *tlb)
{
    /* The key lives inside the entry: the value destructor frees both. */
    tlb->entries =
        g_hash_table_new_full(iotlb_key_hash, iotlb_key_equal, NULL, g_free);
}

void smmu_iotlb_destroy(SMMUIOTLB *tlb)
{
    g_clear_pointer(&tlb->entries, g_hash_table_destroy);
}

static SMMUIOTLBKey iotlb_key(const SMMUTransCfg *cfg, uint64_t iova,
                              unsigned log2size)
{
    return (SMMUIOTLBKey){
        .asid = cfg->stages & SMMU_STAGE_1 ? cfg->s1.asid : -1,
        .vmid = cfg->s2.vmid,
        .base = iova & ~MAKE_64BIT_MASK(0, log2size),
        .log2size = log2size,
    };
}

/* Leaf sizes a granule produces: pages and level-2/level-1 blocks. */
static const SMMUTLBEntry *lookup_granule(SMMUIOTLB *tlb,
                                          const SMMUTransCfg *cfg,
                                          uint64_t iova, unsigned granule)
{
    if (granule != 12 && granule != 14 && granule != 16) {
        return NULL;
    }
    for (int level = 3; level >= 1; level--) {
        unsigned log2size = granule + (granule - 3) * (3 - level);
        SMMUIOTLBKey key = iotlb_key(cfg, iova, log2size);
        SMMUIOTLBEntry *e = g_hash_table_lookup(tlb->entries, &key);

        if (e && e->stages == cfg->stages) {
            return &e->tlb;
        }
    }
    return NULL;
}

const SMMUTLBEntry *smmu_iotlb_lookup(SMMUIOTLB *tlb, const SMMUTransCfg *cfg,
                                      uint64_t iova)
{
    const SMMUTLBEntry *e = NULL;

    if (cfg->stages & SMMU_STAGE_1) {
        e = lookup_granule(tlb, cfg, iova, cfg->s1.tt[0].granule);
        if (!e && cfg->s1.tt[1].granule != cfg->s1.tt[0].granule) {
            e = lookup_granule(tlb, cfg, iova, cfg->s1.tt[1].granule);
        }
    }
    if (!e && (cfg->stages & SMMU_STAGE_2)) {
        e = lookup_granule(tlb, cfg, iova, cfg->s2.granule);
    }
    return e;
}

void smmu_iotlb_insert(SMMUIOTLB *tlb, const SMMUTransCfg *cfg,
                       const SMMUTLBEntry *entry)
{
    SMMUIOTLBEntry *e = g_new(SMMUIOTLBEntry, 1);

    /* A full cache starts over rather than tracking use. */
    if (g_hash_table_size(tlb->entries) >= SMMU_IOTLB_MAX_SIZE) {
        g_hash_table_remove_all(tlb->entries);
    }
    e->key = iotlb_key(cfg, entry->iova, __builtin_ctzll(~entry->mask));
    e->stages = cfg->stages;
    e->tlb = *entry;
    g_hash_table_replace(tlb->entries, &e->key, e);
}

static bool range_hits(const SMMUIOTLBEntry *e, const SMMUInvRange *r)
{
    uint64_t last = e->tlb.iova + e->tlb.mask;
    uint64_t r_last = r->size - 1 > UINT64_MAX - r->addr
                          ? UINT64_MAX
                          : r->addr + (r->size - 1);

    return !r->size || (e->tlb.iova <= r_last && r->addr <= last);
}

static gboolean iotlb_entry_hit(gpointer key, gpointer value, gpointer opaque)
{
    const SMMUIOTLBEntry *e = value;
    const SMMUInvRange *r = opaque;

    if ((r->asid != -1 && e->key.asid != r->asid) ||
        (r->vmid != -1 && e->key.vmid != r->vmid)) {
        return false;
    }
    switch (r->kind) {
    case SMMU_INV_S1:
        return (e->stages & SMMU_STAGE_1) && range_hits(e, r);
    case SMMU_INV_S2:
        if (e->stages == SMMU_NESTED) {
            return true;
        }
        return e->stages == SMMU_STAGE_2 && range_hits(e, r);
    case SMMU_INV_ANY:
        return range_hits(e, r);
    }
    return false;
}

void smmu_iotlb_inv(SMMUIOTLB *tlb, const SMMUInvRange *range)
{
    g_hash_table_foreach_remove(tlb->entries, iotlb_entry_hit, (gpointer)range);
}

void smmu_iotlb_inv_all(SMMUIOTLB *tlb)
{
    g_hash_table_remove_all(tlb->entries);
}

unsigned smmu_iotlb_count(SMMUIOTLB *tlb)
{
    return g_hash_table_size(tlb->entries);
}
