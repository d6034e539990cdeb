/*
 * The SMMU page-table walker and IOTLB in process, over an address space
 * that is nothing but RAM: IOTLB hits; misses that walk and fill the
 * IOTLB as the SMMUv3 translate path does (stage 1 with 4K and 64K
 * granules, nested stage 1 + stage 2); invalidation of a full IOTLB by
 * ASID and by address range.
 * Usage: bench-smmu [seconds-per-case]
 */
#include "qemu/osdep.h"
#include "hw/arm/smmu-common.h"
#include "bench-common.h"

#define RAM_SIZE (16 * MiB)
#define POOL_START (1 * MiB) /* tables are allocated upwards from here */

/* Pages a miss case cycles through: more than the IOTLB holds. */
#define MISS_PAGES 4096
#define VA_BASE 0x00007f1234000000ULL
#define IPA_BASE 0x0000000100000000ULL /* nested: stage-1 output */
#define PA_BASE 0x0000004000000000ULL  /* final output (never accessed) */

#define DESC_VALID 0x1ULL
#define DESC_TABLE 0x2ULL /* table at levels 0-2, page at level 3 */
#define DESC_AF (1ULL << 10)
#define DESC_S2AP_RW (3ULL << 6)
#define DESC_ADDR_TOP 48

/* Invalidation cases: a full IOTLB of INV_ASIDS x INV_PAGES entries. */
#define INV_ASIDS 16
#define INV_PAGES 16
#define INV_UNUSED_ASID 1000

typedef struct Ram {
    MemoryRegion mr;
    AddressSpace as;
    uint64_t pool;
} Ram;

/* Where a stage's tables start and how they are indexed. */
typedef struct Stage {
    uint64_t ttb;
    unsigned granule;
    int start_level;
    unsigned in_bits;
} Stage;

typedef struct WalkCase {
    AddressSpace *as;
    SMMUIOTLB tlb;
    SMMUTransCfg cfg;
    uint64_t page_size;
} WalkCase;

typedef struct InvCase {
    SMMUIOTLB tlb;
    SMMUTransCfg cfg[INV_ASIDS + 1]; /* by ASID, 1-based */
    unsigned cached;                 /* entries the IOTLB holds */
} InvCase;

static uint64_t ram_ldq(Ram *r, uint64_t addr)
{
    return address_space_ldq_le(&r->as, addr, MEMTXATTRS_UNSPECIFIED, NULL);
}

static void ram_stq(Ram *r, uint64_t addr, uint64_t val)
{
    address_space_stq_le(&r->as, addr, val, MEMTXATTRS_UNSPECIFIED, NULL);
}

static uint64_t table_alloc(Ram *r, unsigned granule)
{
    uint64_t size = 1ULL << granule;
    uint64_t addr = QEMU_ALIGN_UP(r->pool, size);

    r->pool = addr + size;
    g_assert_cmpuint(r->pool, <=, RAM_SIZE);
    address_space_set(&r->as, addr, 0, size, MEMTXATTRS_UNSPECIFIED);
    return addr;
}

static unsigned level_shift(unsigned granule, int level)
{
    return granule + (granule - 3) * (3 - level);
}

/* Maps one page (a level-3 leaf), adding the tables it needs. */
static void map_page(Ram *r, const Stage *s, uint64_t in, uint64_t out,
                     uint64_t attrs)
{
    uint64_t table = s->ttb;
    unsigned top = s->in_bits;

    for (int level = s->start_level; level < 3; level++) {
        unsigned shift = level_shift(s->granule, level);
        uint64_t slot = table + extract64(in, shift, top - shift) * 8;
        uint64_t desc = ram_ldq(r, slot);

        if (!(desc & DESC_VALID)) {
            desc = table_alloc(r, s->granule) | DESC_VALID | DESC_TABLE;
            ram_stq(r, slot, desc);
        }
        table = desc & MAKE_64BIT_MASK(s->granule, DESC_ADDR_TOP - s->granule);
        top = shift;
    }
    ram_stq(r, table + extract64(in, s->granule, top - s->granule) * 8,
            out | DESC_VALID | DESC_TABLE | DESC_AF | attrs);
}

static SMMUTransCfg s1_cfg(const Stage *s, int asid)
{
    return (SMMUTransCfg){
        .stages = SMMU_STAGE_1,
        .s1 =
            {
                .tt = {{.ttb = s->ttb,
                        .tsz = 64 - s->in_bits,
                        .granule = s->granule},
                       {.disabled = true}},
                .oas = 48,
                .asid = asid,
            },
        .s2 = {.vmid = -1},
    };
}

/* A 48-bit stage 1 starts at level 0 (4K) or level 1 (64K). */
static Stage s1_stage(Ram *r, unsigned granule)
{
    return (Stage){
        .ttb = table_alloc(r, granule),
        .granule = granule,
        .start_level = granule == 12 ? 0 : 1,
        .in_bits = 48,
    };
}

static void walk_case_init(WalkCase *c, Ram *r, unsigned granule)
{
    Stage s1 = s1_stage(r, granule);

    c->as = &r->as;
    c->page_size = 1ULL << granule;
    for (uint64_t i = 0; i < MISS_PAGES; i++) {
        map_page(r, &s1, VA_BASE + i * c->page_size, PA_BASE + i * c->page_size,
                 0);
    }
    c->cfg = s1_cfg(&s1, 1);
    smmu_iotlb_init(&c->tlb);
}

/*
 * Stage-1 4K tables at IPAs that a 4K stage 2 (44-bit IPA, start level
 * 0) maps one page at a time, like the output IPAs: every stage-1
 * descriptor fetch is a full stage-2 walk first (24 reads in all).
 */
static void nested_case_init(WalkCase *c, Ram *r)
{
    Stage s1 = s1_stage(r, 12), s2;
    uint64_t s1_tables = s1.ttb;

    c->as = &r->as;
    c->page_size = 4 * KiB;
    for (uint64_t i = 0; i < MISS_PAGES; i++) {
        map_page(r, &s1, VA_BASE + i * c->page_size,
                 IPA_BASE + i * c->page_size, 0);
    }
    s2 = (Stage){
        .ttb = table_alloc(r, 12),
        .granule = 12,
        .start_level = smmu_s2_start_level(12, 2),
        .in_bits = 44,
    };
    /* Stage-1 tables sit at IPA == PA. */
    for (uint64_t a = s1_tables; a < s2.ttb; a += 4 * KiB) {
        map_page(r, &s2, a, a, DESC_S2AP_RW);
    }
    for (uint64_t i = 0; i < MISS_PAGES; i++) {
        map_page(r, &s2, IPA_BASE + i * c->page_size,
                 PA_BASE + i * c->page_size, DESC_S2AP_RW);
    }
    c->cfg = s1_cfg(&s1, 1);
    c->cfg.stages = SMMU_NESTED;
    c->cfg.s2 = (SMMUS2Cfg){
        .vttb = s2.ttb,
        .tsz = 64 - s2.in_bits,
        .granule = 12,
        .start_level = s2.start_level,
        .oas = 48,
        .vmid = 1,
    };
    g_assert_true(smmu_s2_cfg_valid(&c->cfg.s2));
    smmu_iotlb_init(&c->tlb);
}

/* Checks that a walk yields the expected page, so cases time success. */
static void walk_case_check(WalkCase *c)
{
    uint64_t off = 5 * c->page_size;
    SMMUTLBEntry e;
    SMMUFault fault;

    g_assert_true(smmu_ptw(c->as, &c->cfg, VA_BASE + off + 8, &e, &fault));
    g_assert_cmphex(e.out, ==, PA_BASE + off);
    g_assert_cmphex(e.mask, ==, c->page_size - 1);
}

static uint64_t walk_case_iova(WalkCase *c, uint64_t i, unsigned pages)
{
    return VA_BASE + (i % pages) * c->page_size + (i & 0xff) * 8;
}

/* The SMMUv3 translate path on a miss: lookup, walk, insert. */
static void op_miss(void *opaque, uint64_t i)
{
    WalkCase *c = opaque;
    uint64_t iova = walk_case_iova(c, i, MISS_PAGES);
    SMMUTLBEntry e;
    SMMUFault fault;

    if (smmu_iotlb_lookup(&c->tlb, &c->cfg, iova)) {
        g_error("IOTLB hit in a miss case at 0x%" PRIx64, iova);
    }
    if (!smmu_ptw(c->as, &c->cfg, iova, &e, &fault)) {
        g_error("walk fault %d at 0x%" PRIx64, fault.type, iova);
    }
    smmu_iotlb_insert(&c->tlb, &c->cfg, &e);
}

static void op_hit(void *opaque, uint64_t i)
{
    WalkCase *c = opaque;

    if (!smmu_iotlb_lookup(&c->tlb, &c->cfg,
                           walk_case_iova(c, i, SMMU_IOTLB_MAX_SIZE))) {
        g_error("IOTLB miss in the hit case");
    }
}

static void walk_case_destroy(WalkCase *c)
{
    smmu_iotlb_destroy(&c->tlb);
}

/* ---- Invalidation ---- */

static uint64_t inv_va(unsigned page)
{
    return VA_BASE + page * 4 * KiB;
}

static void inv_fill(InvCase *c, int asid, unsigned first, unsigned n)
{
    for (unsigned p = first; p < first + n; p++) {
        SMMUTLBEntry e = {
            .iova = inv_va(p),
            .ipa = inv_va(p),
            .out = PA_BASE + p * 4 * KiB,
            .mask = 4 * KiB - 1,
            .s1_perm = IOMMU_RW,
            .s2_perm = IOMMU_RW,
        };

        smmu_iotlb_insert(&c->tlb, &c->cfg[asid], &e);
    }
}

static void inv_case_init(InvCase *c, unsigned asids)
{
    Stage none = {.granule = 12, .in_bits = 48};

    smmu_iotlb_init(&c->tlb);
    for (int a = 1; a <= INV_ASIDS; a++) {
        c->cfg[a] = s1_cfg(&none, a);
    }
    for (unsigned a = 1; a <= asids; a++) {
        inv_fill(c, a, 0, INV_PAGES);
    }
    c->cached = asids * INV_PAGES;
    g_assert_cmpuint(smmu_iotlb_count(&c->tlb), ==, c->cached);
}

/* Invalidates, checks how many entries went, and puts them back. */
static void inv_and_refill(InvCase *c, const SMMUInvRange *r, unsigned n,
                           unsigned removed, unsigned first)
{
    for (unsigned k = 0; k < n; k++) {
        SMMUInvRange one = *r;

        one.addr += k * 4 * KiB;
        smmu_iotlb_inv(&c->tlb, &one);
    }
    if (smmu_iotlb_count(&c->tlb) != c->cached - removed) {
        g_error("invalidation left %u entries, expected %u",
                smmu_iotlb_count(&c->tlb), c->cached - removed);
    }
    inv_fill(c, r->asid, first, removed);
}

static void op_inv_none(void *opaque, uint64_t i)
{
    InvCase *c = opaque;
    SMMUInvRange r = {SMMU_INV_S1, INV_UNUSED_ASID, -1, 0, 0};

    inv_and_refill(c, &r, 1, 0, 0);
}

static void op_inv_asid(void *opaque, uint64_t i)
{
    InvCase *c = opaque;
    SMMUInvRange r = {SMMU_INV_S1, i % INV_ASIDS + 1, -1, 0, 0};

    inv_and_refill(c, &r, 1, INV_PAGES, 0);
}

static void op_inv_page(void *opaque, uint64_t i)
{
    InvCase *c = opaque;
    unsigned page = i / INV_ASIDS % INV_PAGES;
    SMMUInvRange r = {SMMU_INV_S1, i % INV_ASIDS + 1, -1, inv_va(page),
                      4 * KiB};

    inv_and_refill(c, &r, 1, 1, page);
}

/* One range command (RIL) covering every page of an ASID. */
static void op_inv_range(void *opaque, uint64_t i)
{
    InvCase *c = opaque;
    SMMUInvRange r = {SMMU_INV_S1, i % INV_ASIDS + 1, -1, inv_va(0),
                      INV_PAGES * 4 * KiB};

    inv_and_refill(c, &r, 1, INV_PAGES, 0);
}

/* The same pages without RIL: one command per page. */
static void op_inv_pages(void *opaque, uint64_t i)
{
    InvCase *c = opaque;
    SMMUInvRange r = {SMMU_INV_S1, i % INV_ASIDS + 1, -1, inv_va(0), 4 * KiB};

    inv_and_refill(c, &r, INV_PAGES, INV_PAGES, 0);
}

static void run_walk_cases(double seconds)
{
    Ram ram = {.pool = POOL_START};
    WalkCase s1_4k, s1_64k, nested;

    memory_region_init_ram(&ram.mr, NULL, "bench-smmu-ram", RAM_SIZE,
                           &error_abort);
    address_space_init(&ram.as, &ram.mr, "bench-smmu");
    walk_case_init(&s1_4k, &ram, 12);
    walk_case_init(&s1_64k, &ram, 16);
    nested_case_init(&nested, &ram);
    walk_case_check(&s1_4k);
    walk_case_check(&s1_64k);
    walk_case_check(&nested);

    bench_run(
        &(BenchCase){"IOTLB miss + S1 4K walk (4 levels)", op_miss, &s1_4k},
        seconds);
    /* The miss case left the IOTLB holding a run of pages: refill it. */
    smmu_iotlb_inv_all(&s1_4k.tlb);
    for (unsigned p = 0; p < SMMU_IOTLB_MAX_SIZE; p++) {
        op_miss(&s1_4k, p);
    }
    bench_run(&(BenchCase){"IOTLB hit (S1 4K, 256 cached)", op_hit, &s1_4k},
              seconds);
    bench_run(
        &(BenchCase){"IOTLB miss + S1 64K walk (3 levels)", op_miss, &s1_64k},
        seconds);
    bench_run(&(BenchCase){"IOTLB miss + nested 4K+4K walk (24 reads)", op_miss,
                           &nested},
              seconds);

    walk_case_destroy(&s1_4k);
    walk_case_destroy(&s1_64k);
    walk_case_destroy(&nested);
    address_space_destroy(&ram.as);
    memory_region_destroy(&ram.mr);
}

static void run_inv_case(const char *name, BenchOp *op, unsigned asids,
                         unsigned commands, double seconds)
{
    InvCase c;

    inv_case_init(&c, asids);
    bench_run(&(BenchCase){name, op, &c, .items = commands > 1 ? commands : 0,
                           .item = "cmds"},
              seconds);
    smmu_iotlb_destroy(&c.tlb);
}

int main(int argc, char **argv)
{
    double seconds = bench_seconds(argc, argv, NULL);

    run_walk_cases(seconds);
    run_inv_case("inv ASID, no match (16 cached)", op_inv_none, 1, 1, seconds);
    run_inv_case("inv ASID, no match (256 cached)", op_inv_none, INV_ASIDS, 1,
                 seconds);
    run_inv_case("inv ASID, 16 of 256 + refill", op_inv_asid, INV_ASIDS, 1,
                 seconds);
    run_inv_case("inv VA 1 page of 256 + refill", op_inv_page, INV_ASIDS, 1,
                 seconds);
    run_inv_case("inv VA range 16 pages, 1 cmd + refill", op_inv_range,
                 INV_ASIDS, 1, seconds);
    run_inv_case("inv VA 16 pages, 16 cmds + refill", op_inv_pages, INV_ASIDS,
                 INV_PAGES, seconds);
    return 0;
}
