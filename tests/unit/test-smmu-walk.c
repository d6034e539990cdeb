/*
 * The SMMU page-table walker and IOTLB on their own, over an address
 * space that is nothing but RAM: granules, levels, blocks, concatenated
 * stage-2 start tables, both stage-1 ranges, nested walks, every fault
 * kind, and IOTLB invalidation by ASID, VMID, address range and stage.
 */
#include "qemu/osdep.h"
#include "hw/arm/smmu-common.h"

#define RAM_SIZE (64 * MiB)
/* Tables are allocated from here; data pages sit below. */
#define POOL_START (32 * MiB)

#define DESC_TABLE 0x3ULL
#define DESC_BLOCK 0x1ULL
#define DESC_PAGE 0x3ULL
#define DESC_AF (1ULL << 10)
#define DESC_AP_RO (1ULL << 7) /* stage 1 AP[2] */
#define DESC_S2AP_R (1ULL << 6)
#define DESC_S2AP_W (1ULL << 7)
#define DESC_APTABLE_RO (1ULL << 62)
#define S1_RW (DESC_AF)
#define S2_RW (DESC_AF | DESC_S2AP_R | DESC_S2AP_W)

typedef struct WalkFixture {
    MemoryRegion ram;
    AddressSpace as;
    uint64_t pool;
} WalkFixture;

static void fixture_init(WalkFixture *f)
{
    memset(f, 0, sizeof(*f));
    g_assert_true(memory_region_init_ram(&f->ram, NULL, "ram", RAM_SIZE, NULL));
    address_space_init(&f->as, &f->ram, "walk-test");
    f->pool = POOL_START;
}

static void fixture_destroy(WalkFixture *f)
{
    address_space_destroy(&f->as);
    memory_region_destroy(&f->ram);
}

static void wq(WalkFixture *f, uint64_t addr, uint64_t val)
{
    g_assert_cmpuint(addr + 8, <=, RAM_SIZE);
    address_space_stq_le(&f->as, addr, val, MEMTXATTRS_UNSPECIFIED, NULL);
}

static uint64_t rq(WalkFixture *f, uint64_t addr)
{
    return address_space_ldq_le(&f->as, addr, MEMTXATTRS_UNSPECIFIED, NULL);
}

static uint64_t alloc_table(WalkFixture *f, uint64_t size)
{
    uint64_t addr = QEMU_ALIGN_UP(f->pool, size);

    f->pool = addr + size;
    g_assert_cmpuint(f->pool, <=, RAM_SIZE);
    address_space_set(&f->as, addr, 0, size, MEMTXATTRS_UNSPECIFIED);
    return addr;
}

static unsigned shift_of(unsigned granule, int level)
{
    return granule + (granule - 3) * (3 - level);
}

/*
 * Maps va to pa with a leaf at leaf_level, allocating missing tables.
 * The start table at ttb covers in_bits of input from start_level.
 * table_attrs go into every table descriptor added.
 */
static void map(WalkFixture *f, uint64_t ttb, unsigned granule, int start_level,
                unsigned in_bits, int leaf_level, uint64_t va, uint64_t pa,
                uint64_t attrs, uint64_t table_attrs)
{
    uint64_t table = ttb;
    unsigned top = in_bits;

    for (int level = start_level;; level++) {
        unsigned shift = shift_of(granule, level);
        uint64_t idx = (va >> shift) & ((1ULL << (top - shift)) - 1);
        uint64_t daddr = table + idx * 8, desc;

        if (level == leaf_level) {
            wq(f, daddr,
               (pa & ~((1ULL << shift) - 1)) | attrs |
                   (level == 3 ? DESC_PAGE : DESC_BLOCK));
            return;
        }
        desc = rq(f, daddr);
        if (!(desc & 1)) {
            desc = alloc_table(f, 1ULL << granule) | DESC_TABLE | table_attrs;
            wq(f, daddr, desc);
        }
        table = desc & 0x000ffffffffff000ULL & ~((1ULL << granule) - 1);
        top = shift;
    }
}

static SMMUTransCfg s1_cfg(uint64_t ttb, unsigned granule, unsigned tsz)
{
    return (SMMUTransCfg){
        .stages = SMMU_STAGE_1,
        .s1 =
            {
                .tt = {{.ttb = ttb, .tsz = tsz, .granule = granule},
                       {.disabled = true}},
                .oas = 44,
                .asid = 1,
            },
        .s2 = {.vmid = -1},
    };
}

static SMMUS2Cfg s2_cfg(uint64_t vttb, unsigned granule, unsigned tsz,
                        unsigned sl0)
{
    return (SMMUS2Cfg){
        .vttb = vttb,
        .tsz = tsz,
        .granule = granule,
        .start_level = smmu_s2_start_level(granule, sl0),
        .oas = 44,
        .vmid = 7,
    };
}

/* ---- Stage 1 ---- */

typedef struct GranuleCase {
    unsigned granule;
    int start_level; /* for a 48-bit input */
} GranuleCase;

static void test_s1_pages(const void *opaque)
{
    const GranuleCase *c = opaque;
    uint64_t va = 0x0000765432100000ULL, pa = 0x00400000;
    uint64_t off = 0x123;
    WalkFixture f;
    SMMUTransCfg cfg;
    SMMUTLBEntry e;
    SMMUFault fault;
    uint64_t ttb;

    fixture_init(&f);
    ttb = alloc_table(&f, 1ULL << c->granule);
    map(&f, ttb, c->granule, c->start_level, 48, 3, va, pa, S1_RW, 0);
    cfg = s1_cfg(ttb, c->granule, 16);
    g_assert_true(smmu_ptw(&f.as, &cfg, va + off, &e, &fault));
    g_assert_cmphex(e.iova, ==, va);
    g_assert_cmphex(e.out, ==, pa);
    g_assert_cmphex(e.mask, ==, (1ULL << c->granule) - 1);
    g_assert_cmpint(e.s1_perm, ==, IOMMU_RW);
    g_assert_cmpint(e.s2_perm, ==, IOMMU_RW);
    g_assert_true(smmu_check_perm(&e, va + off, IOMMU_WO, &fault));

    /* The neighbouring page is not mapped. */
    g_assert_false(
        smmu_ptw(&f.as, &cfg, va + (1ULL << c->granule), &e, &fault));
    g_assert_cmpint(fault.type, ==, SMMU_FAULT_TRANSLATION);
    g_assert_cmpuint(fault.stage, ==, 1);
    g_assert_cmpint(fault.class, ==, SMMU_CLASS_IN);
    fixture_destroy(&f);
}

typedef struct BlockCase {
    unsigned granule;
    int level;
    bool allowed;
} BlockCase;

static void test_s1_block(const void *opaque)
{
    const BlockCase *c = opaque;
    unsigned shift = shift_of(c->granule, c->level);
    uint64_t va = 3ULL << shift, pa = 1ULL << shift, off = (1ULL << shift) - 8;
    WalkFixture f;
    SMMUTransCfg cfg;
    SMMUTLBEntry e;
    SMMUFault fault;
    uint64_t ttb;
    int start = 4 - (int)((48 - 4) / (c->granule - 3));

    fixture_init(&f);
    ttb = alloc_table(&f, 1ULL << c->granule);
    map(&f, ttb, c->granule, start, 48, c->level, va, pa, S1_RW, 0);
    cfg = s1_cfg(ttb, c->granule, 16);
    if (!c->allowed) {
        g_assert_false(smmu_ptw(&f.as, &cfg, va, &e, &fault));
        g_assert_cmpint(fault.type, ==, SMMU_FAULT_TRANSLATION);
    } else {
        g_assert_true(smmu_ptw(&f.as, &cfg, va + off, &e, &fault));
        g_assert_cmphex(e.iova, ==, va);
        g_assert_cmphex(e.out, ==, pa);
        g_assert_cmphex(e.mask, ==, (1ULL << shift) - 1);
    }
    fixture_destroy(&f);
}

/* Small input sizes start lower in the tree. */
static void test_s1_short_input(void)
{
    uint64_t va = 0x1234000, pa = 0x300000;
    WalkFixture f;
    SMMUTransCfg cfg;
    SMMUTLBEntry e;
    SMMUFault fault;
    uint64_t ttb;

    fixture_init(&f);
    ttb = alloc_table(&f, 0x1000);
    /* 32-bit input with 4K: levels 1..3, 2 index bits at level 1. */
    map(&f, ttb, 12, 1, 32, 3, va, pa, S1_RW, 0);
    cfg = s1_cfg(ttb, 12, 32);
    g_assert_true(smmu_ptw(&f.as, &cfg, va, &e, &fault));
    g_assert_cmphex(e.out, ==, pa);
    /* Beyond the input size: translation fault. */
    g_assert_false(smmu_ptw(&f.as, &cfg, 1ULL << 32, &e, &fault));
    g_assert_cmpint(fault.type, ==, SMMU_FAULT_TRANSLATION);
    fixture_destroy(&f);
}

static void test_s1_ttb1(void)
{
    uint64_t va_hi = 0xffffff8000201000ULL, pa = 0x500000;
    WalkFixture f;
    SMMUTransCfg cfg;
    SMMUTLBEntry e;
    SMMUFault fault;
    uint64_t ttb0, ttb1;

    fixture_init(&f);
    ttb0 = alloc_table(&f, 0x1000);
    ttb1 = alloc_table(&f, 0x1000);
    /* 39-bit ranges: 3 levels of 4K. */
    map(&f, ttb1, 12, 1, 39, 3, va_hi, pa, S1_RW, 0);
    cfg = s1_cfg(ttb0, 12, 25);
    cfg.s1.tt[1] = (SMMUTTRange){.ttb = ttb1, .tsz = 25, .granule = 12};
    g_assert_true(smmu_ptw(&f.as, &cfg, va_hi, &e, &fault));
    g_assert_cmphex(e.out, ==, pa);
    /* Neither all zeros nor all ones above bit 39: no range. */
    g_assert_false(smmu_ptw(&f.as, &cfg, 0x0000ff8000201000ULL, &e, &fault));
    g_assert_cmpint(fault.type, ==, SMMU_FAULT_TRANSLATION);
    /* EPD1 disables the upper range. */
    cfg.s1.tt[1].disabled = true;
    g_assert_false(smmu_ptw(&f.as, &cfg, va_hi, &e, &fault));
    g_assert_cmpint(fault.type, ==, SMMU_FAULT_TRANSLATION);
    fixture_destroy(&f);
}

static void test_s1_faults(void)
{
    uint64_t va = 0x40000000, pa = 0x600000;
    WalkFixture f;
    SMMUTransCfg cfg;
    SMMUTLBEntry e;
    SMMUFault fault;
    uint64_t ttb;

    fixture_init(&f);
    ttb = alloc_table(&f, 0x1000);
    cfg = s1_cfg(ttb, 12, 16);

    /* Access flag clear: fault unless AFFD. */
    map(&f, ttb, 12, 0, 48, 3, va, pa, 0, 0);
    g_assert_false(smmu_ptw(&f.as, &cfg, va, &e, &fault));
    g_assert_cmpint(fault.type, ==, SMMU_FAULT_ACCESS);
    cfg.s1.affd = true;
    g_assert_true(smmu_ptw(&f.as, &cfg, va, &e, &fault));
    cfg.s1.affd = false;

    /* Output beyond the output size. */
    map(&f, ttb, 12, 0, 48, 3, va, 1ULL << 44, S1_RW, 0);
    g_assert_false(smmu_ptw(&f.as, &cfg, va, &e, &fault));
    g_assert_cmpint(fault.type, ==, SMMU_FAULT_ADDR_SIZE);
    cfg.s1.oas = 48;
    g_assert_true(smmu_ptw(&f.as, &cfg, va, &e, &fault));
    cfg.s1.oas = 44;

    /* Read-only leaf: reads pass, writes fault at stage 1. */
    map(&f, ttb, 12, 0, 48, 3, va, pa, S1_RW | DESC_AP_RO, 0);
    g_assert_true(smmu_ptw(&f.as, &cfg, va, &e, &fault));
    g_assert_cmpint(e.s1_perm, ==, IOMMU_RO);
    g_assert_true(smmu_check_perm(&e, va, IOMMU_RO, &fault));
    g_assert_false(smmu_check_perm(&e, va, IOMMU_WO, &fault));
    g_assert_cmpint(fault.type, ==, SMMU_FAULT_PERMISSION);
    g_assert_cmpuint(fault.stage, ==, 1);

    /* A table pointer outside memory: external abort on the walk. */
    wq(&f, ttb + ((va >> 39) & 0x1ff) * 8, (1ULL << 40) | DESC_TABLE);
    g_assert_false(smmu_ptw(&f.as, &cfg, va, &e, &fault));
    g_assert_cmpint(fault.type, ==, SMMU_FAULT_WALK_EABT);
    g_assert_cmphex(fault.fetch_addr, ==,
                    (1ULL << 40) + ((va >> 30) & 0x1ff) * 8);
    fixture_destroy(&f);
}

/* APTable[1] makes everything below read-only unless HAD is set. */
static void test_s1_aptable(void)
{
    uint64_t va = 0x80000000, pa = 0x700000;
    WalkFixture f;
    SMMUTransCfg cfg;
    SMMUTLBEntry e;
    SMMUFault fault;
    uint64_t ttb;

    fixture_init(&f);
    ttb = alloc_table(&f, 0x1000);
    map(&f, ttb, 12, 0, 48, 3, va, pa, S1_RW, DESC_APTABLE_RO);
    cfg = s1_cfg(ttb, 12, 16);
    g_assert_true(smmu_ptw(&f.as, &cfg, va, &e, &fault));
    g_assert_cmpint(e.s1_perm, ==, IOMMU_RO);
    cfg.s1.tt[0].had = true;
    g_assert_true(smmu_ptw(&f.as, &cfg, va, &e, &fault));
    g_assert_cmpint(e.s1_perm, ==, IOMMU_RW);
    fixture_destroy(&f);
}

/* ---- Stage 2 ---- */

static void test_s2_config_validity(void)
{
    SMMUS2Cfg s2;

    g_assert_cmpint(smmu_s2_start_level(12, 0), ==, 2);
    g_assert_cmpint(smmu_s2_start_level(12, 2), ==, 0);
    g_assert_cmpint(smmu_s2_start_level(16, 0), ==, 3);
    g_assert_cmpint(smmu_s2_start_level(14, 2), ==, 1);
    g_assert_cmpint(smmu_s2_start_level(12, 3), ==, -1);
    /* 44-bit IPA from level 0 (4K): 5 index bits. */
    s2 = s2_cfg(0, 12, 20, 2);
    g_assert_true(smmu_s2_cfg_valid(&s2));
    /* 40-bit IPA from level 2 (4K): 19 bits, more than 16 tables. */
    s2 = s2_cfg(0, 12, 24, 0);
    g_assert_false(smmu_s2_cfg_valid(&s2));
    /* 32-bit IPA from level 0: no index bits left. */
    s2 = s2_cfg(0, 12, 32, 2);
    g_assert_false(smmu_s2_cfg_valid(&s2));
    /* Reserved SL0 and granule. */
    s2 = s2_cfg(0, 12, 20, 3);
    g_assert_false(smmu_s2_cfg_valid(&s2));
    s2 = s2_cfg(0, 13, 20, 0);
    g_assert_false(smmu_s2_cfg_valid(&s2));
}

/* A 40-bit IPA from level 1 with 4K: two concatenated start tables. */
static void test_s2_concatenated(void)
{
    uint64_t ipa = (1ULL << 39) | 0x5000, pa = 0x800000;
    WalkFixture f;
    SMMUTransCfg cfg = {.stages = SMMU_STAGE_2};
    SMMUTLBEntry e;
    SMMUFault fault;
    uint64_t vttb;

    fixture_init(&f);
    vttb = alloc_table(&f, 0x2000);
    cfg.s2 = s2_cfg(vttb, 12, 24, 1);
    g_assert_true(smmu_s2_cfg_valid(&cfg.s2));
    map(&f, vttb, 12, 1, 40, 3, ipa, pa, S2_RW, 0);
    /* Index 512 of the start level: in the second table. */
    g_assert_cmphex(rq(&f, vttb + 512 * 8) & 3, ==, DESC_TABLE);
    g_assert_true(smmu_ptw(&f.as, &cfg, ipa, &e, &fault));
    g_assert_cmphex(e.out, ==, pa);
    g_assert_cmpint(e.s1_perm, ==, IOMMU_RW);
    g_assert_cmpint(e.s2_perm, ==, IOMMU_RW);
    /* Beyond the 40-bit IPA space: stage-2 fault naming the IPA. */
    g_assert_false(smmu_ptw(&f.as, &cfg, 1ULL << 40, &e, &fault));
    g_assert_cmpint(fault.type, ==, SMMU_FAULT_TRANSLATION);
    g_assert_cmpuint(fault.stage, ==, 2);
    g_assert_cmphex(fault.ipa, ==, 1ULL << 40);
    fixture_destroy(&f);
}

static void test_s2_permissions(void)
{
    uint64_t ipa = 0x1000000, pa = 0x900000;
    WalkFixture f;
    SMMUTransCfg cfg = {.stages = SMMU_STAGE_2};
    SMMUTLBEntry e;
    SMMUFault fault;

    fixture_init(&f);
    cfg.s2 = s2_cfg(alloc_table(&f, 0x1000), 12, 16, 2);
    map(&f, cfg.s2.vttb, 12, 0, 48, 3, ipa, pa, DESC_AF | DESC_S2AP_R, 0);
    g_assert_true(smmu_ptw(&f.as, &cfg, ipa + 4, &e, &fault));
    g_assert_cmpint(e.s2_perm, ==, IOMMU_RO);
    g_assert_false(smmu_check_perm(&e, ipa + 4, IOMMU_WO, &fault));
    g_assert_cmpint(fault.type, ==, SMMU_FAULT_PERMISSION);
    g_assert_cmpuint(fault.stage, ==, 2);
    g_assert_cmphex(fault.ipa, ==, ipa + 4);
    /* Access flag faults at stage 2 follow S2AFFD. */
    map(&f, cfg.s2.vttb, 12, 0, 48, 3, ipa, pa, DESC_S2AP_R, 0);
    g_assert_false(smmu_ptw(&f.as, &cfg, ipa, &e, &fault));
    g_assert_cmpint(fault.type, ==, SMMU_FAULT_ACCESS);
    g_assert_cmpuint(fault.stage, ==, 2);
    cfg.s2.affd = true;
    g_assert_true(smmu_ptw(&f.as, &cfg, ipa, &e, &fault));
    fixture_destroy(&f);
}

/* ---- Nested ---- */

/*
 * Stage-1 tables live at IPAs that stage 2 moves by a fixed offset, so
 * a walk that skipped stage 2 for them would read zeros and fault.
 */
#define NESTED_SHIFT (8 * MiB)

static void nested_setup(WalkFixture *f, SMMUTransCfg *cfg, uint64_t va,
                         uint64_t ipa, uint64_t pa)
{
    uint64_t s1_tables_pa[4], ttb_ipa;

    *cfg = (SMMUTransCfg){.stages = SMMU_NESTED};
    cfg->s2 = s2_cfg(alloc_table(f, 0x1000), 12, 20, 2);
    cfg->s1 = s1_cfg(0, 12, 16).s1;
    /* Four stage-1 tables at PA p, IPA p - NESTED_SHIFT. */
    for (int i = 0; i < 4; i++) {
        s1_tables_pa[i] = alloc_table(f, 0x1000);
        map(f, cfg->s2.vttb, 12, 0, 44, 3, s1_tables_pa[i] - NESTED_SHIFT,
            s1_tables_pa[i], S2_RW, 0);
    }
    ttb_ipa = s1_tables_pa[0] - NESTED_SHIFT;
    cfg->s1.tt[0].ttb = ttb_ipa;
    for (int level = 0; level < 3; level++) {
        unsigned shift = shift_of(12, level);

        wq(f, s1_tables_pa[level] + ((va >> shift) & 0x1ff) * 8,
           (s1_tables_pa[level + 1] - NESTED_SHIFT) | DESC_TABLE);
    }
    wq(f, s1_tables_pa[3] + ((va >> 12) & 0x1ff) * 8, ipa | S1_RW | 3);
    map(f, cfg->s2.vttb, 12, 0, 44, 3, ipa, pa, S2_RW, 0);
}

static void test_nested(void)
{
    uint64_t va = 0x0000001234567000ULL, ipa = 0x2000000, pa = 0xa00000;
    WalkFixture f;
    SMMUTransCfg cfg;
    SMMUTLBEntry e;
    SMMUFault fault;

    fixture_init(&f);
    nested_setup(&f, &cfg, va, ipa, pa);
    g_assert_true(smmu_ptw(&f.as, &cfg, va + 0x10, &e, &fault));
    g_assert_cmphex(e.iova, ==, va);
    g_assert_cmphex(e.ipa, ==, ipa);
    g_assert_cmphex(e.out, ==, pa);
    g_assert_cmphex(e.mask, ==, 0xfff);

    /* The output IPA's stage-2 leaf without AF: a stage-2 fault, IN. */
    map(&f, cfg.s2.vttb, 12, 0, 44, 3, ipa, pa, DESC_S2AP_R, 0);
    g_assert_false(smmu_ptw(&f.as, &cfg, va + 0x10, &e, &fault));
    g_assert_cmpint(fault.type, ==, SMMU_FAULT_ACCESS);
    g_assert_cmpuint(fault.stage, ==, 2);
    g_assert_cmpint(fault.class, ==, SMMU_CLASS_IN);
    g_assert_cmphex(fault.ipa, ==, ipa + 0x10);

    /* Stage 2 loses everything below 512 GiB. */
    wq(&f, cfg.s2.vttb, 0);
    g_assert_false(smmu_ptw(&f.as, &cfg, va, &e, &fault));
    g_assert_cmpint(fault.type, ==, SMMU_FAULT_TRANSLATION);
    g_assert_cmpuint(fault.stage, ==, 2);
    /* The first thing that needed stage 2 was the stage-1 start table. */
    g_assert_cmpint(fault.class, ==, SMMU_CLASS_TT);
    g_assert_cmphex(fault.ipa, ==, cfg.s1.tt[0].ttb + ((va >> 39) & 0x1ff) * 8);
    fixture_destroy(&f);
}

/* Combined entry: the smaller of the two stages' leaves. */
static void test_nested_block_sizes(void)
{
    uint64_t va = 0x40000000, ipa = 0x2200000, pa = 0x600000;
    WalkFixture f;
    SMMUTransCfg cfg = {.stages = SMMU_NESTED};
    SMMUTLBEntry e;
    SMMUFault fault;
    uint64_t ttb;

    fixture_init(&f);
    cfg.s2 = s2_cfg(alloc_table(&f, 0x1000), 12, 20, 2);
    /* Stage 2 identity for the pool (where stage-1 tables go). */
    for (uint64_t a = POOL_START; a < POOL_START + 0x20000; a += 0x1000) {
        map(&f, cfg.s2.vttb, 12, 0, 44, 3, a, a, S2_RW, 0);
    }
    ttb = alloc_table(&f, 0x1000);
    cfg.s1 = s1_cfg(ttb, 12, 16).s1;
    /* 2 MiB block at stage 1, 4K page at stage 2. */
    map(&f, ttb, 12, 0, 48, 2, va, ipa, S1_RW, 0);
    map(&f, cfg.s2.vttb, 12, 0, 44, 3, ipa + 0x3000, pa, S2_RW, 0);
    g_assert_true(smmu_ptw(&f.as, &cfg, va + 0x3010, &e, &fault));
    g_assert_cmphex(e.mask, ==, 0xfff);
    g_assert_cmphex(e.iova, ==, va + 0x3000);
    g_assert_cmphex(e.out, ==, pa);
    fixture_destroy(&f);
}

/* ---- IOTLB ---- */

static SMMUTLBEntry tlb_entry(uint64_t iova, uint64_t out, unsigned log2size)
{
    uint64_t mask = (1ULL << log2size) - 1;

    return (SMMUTLBEntry){
        .iova = iova & ~mask,
        .ipa = iova & ~mask,
        .out = out & ~mask,
        .mask = mask,
        .s1_perm = IOMMU_RW,
        .s2_perm = IOMMU_RW,
    };
}

static void test_iotlb_lookup(void)
{
    SMMUTransCfg a = s1_cfg(0, 12, 16), b = s1_cfg(0, 12, 16);
    SMMUTLBEntry page = tlb_entry(0x10000, 0x90000, 12);
    SMMUTLBEntry block = tlb_entry(0x40000000, 0x80000000, 21);
    const SMMUTLBEntry *hit;
    SMMUIOTLB tlb;

    b.s1.asid = 2;
    smmu_iotlb_init(&tlb);
    smmu_iotlb_insert(&tlb, &a, &page);
    smmu_iotlb_insert(&tlb, &a, &block);
    g_assert_cmpuint(smmu_iotlb_count(&tlb), ==, 2);
    hit = smmu_iotlb_lookup(&tlb, &a, 0x10abc);
    g_assert_nonnull(hit);
    g_assert_cmphex(hit->out, ==, 0x90000);
    hit = smmu_iotlb_lookup(&tlb, &a, 0x40123456);
    g_assert_nonnull(hit);
    g_assert_cmphex(hit->mask, ==, 0x1fffff);
    g_assert_null(smmu_iotlb_lookup(&tlb, &a, 0x11000));
    /* Another ASID does not see them. */
    g_assert_null(smmu_iotlb_lookup(&tlb, &b, 0x10abc));
    smmu_iotlb_destroy(&tlb);
}

typedef struct InvCase {
    SMMUInvRange range;
    bool s1_gone;     /* asid 1, vmid 3, stage 1 at 0x10000 */
    bool other_gone;  /* asid 2, vmid 3, stage 1 at 0x10000 */
    bool s2_gone;     /* vmid 3, stage 2 at 0x10000 */
    bool nested_gone; /* asid 1, vmid 3, nested at 0x50000 */
} InvCase;

static void test_iotlb_inv(const void *opaque)
{
    const InvCase *c = opaque;
    SMMUTransCfg s1 = s1_cfg(0, 12, 16), other = s1, s2 = {0}, nested;
    SMMUTLBEntry e = tlb_entry(0x10000, 0x90000, 12);
    SMMUTLBEntry en = tlb_entry(0x50000, 0xa0000, 12);
    SMMUIOTLB tlb;

    s1.s2.vmid = other.s2.vmid = 3;
    other.s1.asid = 2;
    s2.stages = SMMU_STAGE_2;
    s2.s2 = s2_cfg(0, 12, 20, 2);
    s2.s2.vmid = 3;
    nested = s1;
    nested.stages = SMMU_NESTED;
    nested.s2 = s2.s2;
    smmu_iotlb_init(&tlb);
    smmu_iotlb_insert(&tlb, &s1, &e);
    smmu_iotlb_insert(&tlb, &other, &e);
    smmu_iotlb_insert(&tlb, &s2, &e);
    smmu_iotlb_insert(&tlb, &nested, &en);
    smmu_iotlb_inv(&tlb, &c->range);
    g_assert_cmpint(!smmu_iotlb_lookup(&tlb, &s1, 0x10000), ==, c->s1_gone);
    g_assert_cmpint(!smmu_iotlb_lookup(&tlb, &other, 0x10000), ==,
                    c->other_gone);
    g_assert_cmpint(!smmu_iotlb_lookup(&tlb, &s2, 0x10000), ==, c->s2_gone);
    g_assert_cmpint(!smmu_iotlb_lookup(&tlb, &nested, 0x50000), ==,
                    c->nested_gone);
    smmu_iotlb_inv_all(&tlb);
    g_assert_cmpuint(smmu_iotlb_count(&tlb), ==, 0);
    smmu_iotlb_destroy(&tlb);
}

static void test_iotlb_capacity(void)
{
    SMMUTransCfg cfg = s1_cfg(0, 12, 16);
    SMMUIOTLB tlb;

    smmu_iotlb_init(&tlb);
    for (unsigned i = 0; i < SMMU_IOTLB_MAX_SIZE; i++) {
        SMMUTLBEntry e = tlb_entry(i * 0x1000ULL, 0, 12);

        smmu_iotlb_insert(&tlb, &cfg, &e);
    }
    g_assert_cmpuint(smmu_iotlb_count(&tlb), ==, SMMU_IOTLB_MAX_SIZE);
    /* Full: it starts over rather than growing. */
    {
        SMMUTLBEntry e = tlb_entry(0x10000000, 0, 12);

        smmu_iotlb_insert(&tlb, &cfg, &e);
    }
    g_assert_cmpuint(smmu_iotlb_count(&tlb), ==, 1);
    smmu_iotlb_destroy(&tlb);
}

int main(int argc, char **argv)
{
    static const GranuleCase g4k = {12, 0}, g16k = {14, 0}, g64k = {16, 1};
    static const BlockCase b4k_l1 = {12, 1, true}, b4k_l2 = {12, 2, true},
                           b16k_l2 = {14, 2, true}, b64k_l2 = {16, 2, true},
                           b16k_l1 = {14, 1, false};
    static const InvCase inv[] = {
        /* TLBI_NH_ASID asid 1 */
        {{SMMU_INV_S1, 1, -1, 0, 0}, true, false, false, true},
        /* TLBI_NH_VA asid 2, one page at 0x10000 */
        {{SMMU_INV_S1, 2, 3, 0x10000, 0x1000}, false, true, false, false},
        /* TLBI_NH_VAA: every ASID, range missing both */
        {{SMMU_INV_S1, -1, 3, 0x20000, 0x10000}, false, false, false, false},
        /* TLBI_NH_ALL vmid 4: nothing of vmid 3 */
        {{SMMU_INV_S1, -1, 4, 0, 0}, false, false, false, false},
        /* TLBI_S2_IPA at 0x10000: the stage-2 entry, nested entirely */
        {{SMMU_INV_S2, -1, 3, 0x10000, 0x1000}, false, false, true, true},
        /* TLBI_S12_VMALL vmid 3 */
        {{SMMU_INV_ANY, -1, 3, 0, 0}, true, true, true, true},
    };

    g_test_init(&argc, &argv, NULL);
    g_test_add_data_func("/smmu-walk/s1/4k", &g4k, test_s1_pages);
    g_test_add_data_func("/smmu-walk/s1/16k", &g16k, test_s1_pages);
    g_test_add_data_func("/smmu-walk/s1/64k", &g64k, test_s1_pages);
    g_test_add_data_func("/smmu-walk/s1/block-4k-l1", &b4k_l1, test_s1_block);
    g_test_add_data_func("/smmu-walk/s1/block-4k-l2", &b4k_l2, test_s1_block);
    g_test_add_data_func("/smmu-walk/s1/block-16k-l2", &b16k_l2, test_s1_block);
    g_test_add_data_func("/smmu-walk/s1/block-64k-l2", &b64k_l2, test_s1_block);
    g_test_add_data_func("/smmu-walk/s1/block-16k-l1", &b16k_l1, test_s1_block);
    g_test_add_func("/smmu-walk/s1/short-input", test_s1_short_input);
    g_test_add_func("/smmu-walk/s1/ttb1", test_s1_ttb1);
    g_test_add_func("/smmu-walk/s1/faults", test_s1_faults);
    g_test_add_func("/smmu-walk/s1/aptable", test_s1_aptable);
    g_test_add_func("/smmu-walk/s2/config", test_s2_config_validity);
    g_test_add_func("/smmu-walk/s2/concatenated", test_s2_concatenated);
    g_test_add_func("/smmu-walk/s2/permissions", test_s2_permissions);
    g_test_add_func("/smmu-walk/nested/walk", test_nested);
    g_test_add_func("/smmu-walk/nested/block-sizes", test_nested_block_sizes);
    g_test_add_func("/smmu-walk/iotlb/lookup", test_iotlb_lookup);
    for (size_t i = 0; i < G_N_ELEMENTS(inv); i++) {
        g_autofree char *path = g_strdup_printf("/smmu-walk/iotlb/inv/%zu", i);

        g_test_add_data_func(path, &inv[i], test_iotlb_inv);
    }
    g_test_add_func("/smmu-walk/iotlb/capacity", test_iotlb_capacity);
    return g_test_run();
}
