/*
 * arm-smmuv3 through the guest interface: registers, command and event
 * queues, stage-1/stage-2/nested translation of DMA from an
 * iommu-testdev, faults and their event records, interrupts (qtest
 * intercepts), properties and instances.
 *
 * Register offsets and table formats are spelled out here from the
 * architecture rather than taken from the device's headers, so a layout
 * mistake on either side shows up.
 */
#include "libqtest.h"
#include "libqtest-pci.h"

/* ---- Machine ---- */

#define RAM_BASE 0x40000000ULL
#define SMMU_LEGACY_BASE 0x09050000ULL
#define SMMU_USER_BASE 0x0c000000ULL
#define SMMU_SLOT_SIZE 0x20000ULL
#define PCIE_MMIO_BASE 0x10000000ULL
#define PCIE_MMIO_SIZE 0x2eff0000ULL
#define ITD_VENDOR 0x1b36
#define ITD_DEVICE 0x0005

/* ---- SMMUv3 registers ---- */

#define R_IDR0 0x00
#define R_IDR1 0x04
#define R_IDR3 0x0c
#define R_IDR5 0x14
#define R_IIDR 0x18
#define R_AIDR 0x1c
#define R_CR0 0x20
#define R_CR0ACK 0x24
#define R_CR1 0x28
#define R_CR2 0x2c
#define R_GBPA 0x44
#define R_IRQ_CTRL 0x50
#define R_IRQ_CTRLACK 0x54
#define R_GERROR 0x60
#define R_GERRORN 0x64
#define R_STRTAB_BASE 0x80
#define R_STRTAB_BASE_CFG 0x88
#define R_CMDQ_BASE 0x90
#define R_CMDQ_PROD 0x98
#define R_CMDQ_CONS 0x9c
#define R_EVENTQ_BASE 0xa0
#define R_EVENTQ_PROD_P0 0xa8
#define R_EVENTQ_PROD 0x100a8
#define R_EVENTQ_CONS 0x100ac

#define CR0_SMMUEN (1u << 0)
#define CR0_EVENTQEN (1u << 2)
#define CR0_CMDQEN (1u << 3)
#define CR2_RECINVSID (1u << 1)
#define GBPA_ABORT (1u << 20)
#define GBPA_UPDATE (1u << 31)
#define GBPA_RESET 0x1000u
#define IRQ_CTRL_GERROR (1u << 0)
#define IRQ_CTRL_EVENTQ (1u << 2)
#define GERROR_CMDQ_ERR (1u << 0)
#define CMDQ_CONS_ERR(v) (((v) >> 24) & 0x7f)
#define EVENTQ_PROD_OVFLG (1u << 31)
#define STRTAB_CFG_2LVL (1u << 16)
#define STRTAB_CFG_SPLIT(n) ((n) << 6)

/* IRQ outputs in order */
#define IRQ_EVTQ 0
#define IRQ_CMD_SYNC 2
#define IRQ_GERROR 3

/* ---- In-memory formats ---- */

#define STE_V 1ULL
#define STE_CONFIG(c) ((uint64_t)(c) << 1)
#define STE_CFG_ABORT 0
#define STE_CFG_BYPASS 4
#define STE_CFG_S1 5
#define STE_CFG_S2 6
#define STE_CFG_NESTED 7
#define STE_S2T0SZ(v) ((uint64_t)(v) << 32)
#define STE_S2SL0(v) ((uint64_t)(v) << 38)
#define STE_S2TG(v) ((uint64_t)(v) << 46)
#define STE_S2PS(v) ((uint64_t)(v) << 48)
#define STE_S2AA64 (1ULL << 51)
#define STE_S2R (1ULL << 58)

#define CD_T0SZ(v) ((uint64_t)(v))
#define CD_TG0(v) ((uint64_t)(v) << 6)
#define CD_EPD1 (1ULL << 30)
#define CD_V (1ULL << 31)
#define CD_IPS(v) ((uint64_t)(v) << 32)
#define CD_AA64 (1ULL << 41)
#define CD_R (1ULL << 45)
#define CD_A (1ULL << 46)
#define CD_ASID(v) ((uint64_t)(v) << 48)
#define CD_NSCFG 1ULL
#define CD_TG0_4K 0
#define CD_TG0_64K 1
#define CD_TG0_16K 2

#define DESC_TABLE 0x8000000000000003ULL
#define DESC_S1_PAGE 0x0400000000000763ULL
#define DESC_S2_PAGE 0x04000000000007e3ULL
#define DESC_S1_PAGE_RO (DESC_S1_PAGE | (1ULL << 7))
#define DESC_ADDR_MASK 0x0000fffffffff000ULL

#define CMD_CFGI_STE 0x03
#define CMD_CFGI_ALL 0x04
#define CMD_TLBI_NH_ASID 0x11
#define CMD_TLBI_NH_VA 0x12
#define CMD_TLBI_S2_IPA 0x2a
#define CMD_SYNC 0x46
#define CMD_SID(v) ((uint64_t)(v) << 32)
#define CMD_ASID(v) ((uint64_t)(v) << 48)
#define CMD_VMID(v) ((uint64_t)(v) << 32)
#define CMD_SYNC_CS_IRQ (1ULL << 12)
#define CMD_STE_RANGE_ALL 31

#define EVT_C_BAD_STREAMID 0x02
#define EVT_C_BAD_STE 0x04
#define EVT_C_BAD_CD 0x0a
#define EVT_F_TRANSLATION 0x10
#define EVT_F_PERMISSION 0x13
#define EVT_ID(r) ((r)[0] & 0xff)
#define EVT_SID(r) ((uint32_t)((r)[0] >> 32))
#define EVT_RNW(r) (((r)[1] >> 35) & 1)
#define EVT_S2(r) (((r)[1] >> 39) & 1)
#define EVT_CLASS(r) (((r)[1] >> 40) & 3)
#define EVT_IPA(r) ((r)[3] & 0x000ffffffffff000ULL)
#define EVT_CLASS_CD 0
#define EVT_CLASS_TT 1
#define EVT_CLASS_IN 2

/* ---- iommu-testdev ---- */

#define ITD_TRIGGER 0x00
#define ITD_GVA_LO 0x04
#define ITD_GVA_HI 0x08
#define ITD_LEN 0x0c
#define ITD_RESULT 0x10
#define ITD_DBELL 0x14
#define ITD_GPA_LO 0x1c
#define ITD_GPA_HI 0x20
#define ITD_OK 0
#define ITD_DMA_FAILED 0xdead0002u
#define ITD_BUSY 0xfffffffeu

/* ---- The §5 recipe layout ---- */

#define RECIPE_CMDQ (RAM_BASE + 0x0e16b000)
#define RECIPE_EVTQ (RAM_BASE + 0x0e170000)
#define RECIPE_STRTAB (RAM_BASE + 0x0e179000)
#define RECIPE_CD (RECIPE_STRTAB - 0x40)
#define RECIPE_L0 (RAM_BASE + 0x0e4d0000)
#define RECIPE_L1 (RAM_BASE + 0x0e4d1000)
#define RECIPE_L2 (RAM_BASE + 0x0e4d2000)
#define RECIPE_L3 (RAM_BASE + 0x0e4d3000)
#define RECIPE_PAGE (RAM_BASE + 0x0ecba000)
#define RECIPE_IOVA 0x0000008080604567ULL
#define RECIPE_PA 0x4ecba567ULL
#define RECIPE_ASID 0x1e20
#define QUEUE_LOG2 10
/* Page tables built by the tests themselves come from here. */
#define TABLE_POOL (RAM_BASE + 0x10000000)

typedef struct SMMUTest {
    QTestState *qts;
    uint64_t base;
    uint64_t bar;
    uint32_t sid;
    uint32_t cmdq_prod;
    uint64_t pool;
} SMMUTest;

static uint32_t smmu_r32(SMMUTest *t, uint64_t off)
{
    return qtest_readl(t->qts, t->base + off);
}

static void smmu_w32(SMMUTest *t, uint64_t off, uint32_t v)
{
    qtest_writel(t->qts, t->base + off, v);
}

static void smmu_w64(SMMUTest *t, uint64_t off, uint64_t v)
{
    qtest_writeq(t->qts, t->base + off, v);
}

/* Finds an iommu-testdev (the n-th one) after firmware-style enumeration. */
static void itd_find(SMMUTest *t, QPCIECAM *ecam, GPtrArray *fns, int n)
{
    for (guint i = 0; i < fns->len; i++) {
        QPCIFunction *f = g_ptr_array_index(fns, i);

        if (f->vendor_id == ITD_VENDOR && f->device_id == ITD_DEVICE &&
            n-- == 0) {
            t->bar = f->bar[0];
            t->sid = (f->bus << 8) | f->devfn;
            return;
        }
    }
    g_assert_not_reached();
}

static void smmu_test_start(SMMUTest *t, uint64_t base, const char *args)
{
    QPCIECAM *ecam;
    GPtrArray *fns;

    memset(t, 0, sizeof(*t));
    t->qts = qtest_initf("-machine virt,acpi=off,gic-version=3 -smp 1 -m 512 "
                         "-cpu max -net none %s",
                         args);
    t->base = base;
    t->pool = TABLE_POOL;
    ecam = qpci_ecam_new(t->qts, QPCI_ECAM_VIRT, 256);
    fns = qpci_enumerate(ecam, PCIE_MMIO_BASE, PCIE_MMIO_SIZE);
    itd_find(t, ecam, fns, 0);
    g_ptr_array_unref(fns);
    qpci_ecam_free(ecam);
}

static void smmu_test_legacy(SMMUTest *t)
{
    smmu_test_start(t, SMMU_LEGACY_BASE,
                    "-machine iommu=smmuv3 -device iommu-testdev");
}

static uint32_t itd_dma(SMMUTest *t, uint64_t iova, uint64_t gpa, uint32_t len)
{
    uint32_t result = ITD_BUSY;

    qtest_writel(t->qts, t->bar + ITD_GVA_LO, (uint32_t)iova);
    qtest_writel(t->qts, t->bar + ITD_GVA_HI, iova >> 32);
    qtest_writel(t->qts, t->bar + ITD_GPA_LO, (uint32_t)gpa);
    qtest_writel(t->qts, t->bar + ITD_GPA_HI, gpa >> 32);
    qtest_writel(t->qts, t->bar + ITD_LEN, len);
    qtest_writel(t->qts, t->bar + ITD_DBELL, 1);
    g_assert_cmpuint(qtest_readl(t->qts, t->bar + ITD_TRIGGER), ==, 0);
    for (int i = 0; i < 1000 && result == ITD_BUSY; i++) {
        result = qtest_readl(t->qts, t->bar + ITD_RESULT);
    }
    return result;
}

static void assert_pattern_at(SMMUTest *t, uint64_t pa)
{
    uint8_t data[4];

    qtest_memread(t->qts, pa, data, sizeof(data));
    g_assert_cmphex(data[0], ==, 0x78);
    g_assert_cmphex(data[1], ==, 0x56);
    g_assert_cmphex(data[2], ==, 0x34);
    g_assert_cmphex(data[3], ==, 0x12);
}

/* ---- Queues and tables ---- */

/* The recipe's register programming (steps 1-10), linear stream table. */
static void smmu_enable(SMMUTest *t, unsigned evtq_log2)
{
    smmu_w32(t, R_GBPA, GBPA_UPDATE);
    smmu_w32(t, R_CR0, 0);
    smmu_w32(t, R_CR1, 0x0d75);
    smmu_w64(t, R_CMDQ_BASE, RECIPE_CMDQ | QUEUE_LOG2);
    smmu_w32(t, R_CMDQ_CONS, 0);
    smmu_w32(t, R_CMDQ_PROD, 0);
    smmu_w64(t, R_EVENTQ_BASE, RECIPE_EVTQ | evtq_log2);
    smmu_w32(t, R_EVENTQ_PROD, 0);
    smmu_w32(t, R_EVENTQ_CONS, 0);
    smmu_w32(t, R_STRTAB_BASE_CFG, 0x5);
    smmu_w64(t, R_STRTAB_BASE, RECIPE_STRTAB);
    smmu_w32(t, R_CR0, CR0_SMMUEN | CR0_EVENTQEN | CR0_CMDQEN);
    g_assert_cmphex(smmu_r32(t, R_CR0ACK), ==,
                    CR0_SMMUEN | CR0_EVENTQEN | CR0_CMDQEN);
    t->cmdq_prod = 0;
}

static void smmu_cmd(SMMUTest *t, uint64_t w0, uint64_t w1)
{
    uint64_t slot = RECIPE_CMDQ + (t->cmdq_prod & ((1 << QUEUE_LOG2) - 1)) * 16;

    qtest_writeq(t->qts, slot, w0);
    qtest_writeq(t->qts, slot + 8, w1);
    t->cmdq_prod = (t->cmdq_prod + 1) & ((2 << QUEUE_LOG2) - 1);
    smmu_w32(t, R_CMDQ_PROD, t->cmdq_prod);
}

static void smmu_sync(SMMUTest *t)
{
    smmu_cmd(t, CMD_SYNC, 0);
    g_assert_cmphex(smmu_r32(t, R_CMDQ_CONS), ==, t->cmdq_prod);
}

static void write_dwords(SMMUTest *t, uint64_t addr, const uint64_t *dw, int n)
{
    for (int i = 0; i < n; i++) {
        qtest_writeq(t->qts, addr + 8 * i, dw[i]);
    }
}

static void ste_write(SMMUTest *t, uint64_t strtab, uint32_t idx,
                      const uint64_t ste[8])
{
    write_dwords(t, strtab + idx * 64, ste, 8);
}

/* The recipe's CD: 48-bit VA from TTB0, TTB1 disabled, faults recorded. */
static void cd_write(SMMUTest *t, uint64_t addr, uint64_t ttb0, unsigned tg0,
                     unsigned t0sz)
{
    uint64_t cd[8] = {
        CD_T0SZ(t0sz) | CD_TG0(tg0) | CD_EPD1 | CD_V | CD_IPS(4) | CD_AA64 |
            CD_R | CD_A | CD_ASID(RECIPE_ASID),
        CD_NSCFG | ttb0,
        CD_NSCFG,
    };

    /* Written and checked as 32-bit words, as the recipe does. */
    for (int i = 0; i < 16; i++) {
        uint32_t w = cd[i / 2] >> (32 * (i % 2));

        qtest_writel(t->qts, addr + 4 * i, w);
        g_assert_cmphex(qtest_readl(t->qts, addr + 4 * i), ==, w);
    }
}

static void ste_s2_fields(uint64_t ste[8], uint64_t vttb)
{
    ste[2] = STE_S2T0SZ(0x14) | STE_S2SL0(2) | STE_S2TG(0) | STE_S2PS(5) |
             STE_S2AA64 | STE_S2R;
    ste[3] = vttb;
}

static uint64_t pool_alloc(SMMUTest *t, uint64_t size)
{
    uint64_t addr = (t->pool + size - 1) & ~(size - 1);

    t->pool = addr + size;
    qtest_memset(t->qts, addr, 0, size);
    return addr;
}

/*
 * Maps the granule-sized page at va to pa in the tables at ttb, adding
 * tables from the pool as needed (an independent little walker).
 */
static void pt_map(SMMUTest *t, uint64_t ttb, unsigned granule, int level,
                   unsigned in_bits, uint64_t va, uint64_t pa, uint64_t leaf)
{
    uint64_t table = ttb, addr_mask = DESC_ADDR_MASK & ~((1ULL << granule) - 1);
    unsigned top = in_bits;

    for (;; level++) {
        unsigned shift = granule + (granule - 3) * (3 - level);
        uint64_t idx = (va >> shift) & ((1ULL << (top - shift)) - 1);
        uint64_t daddr = table + idx * 8, desc;

        if (level == 3) {
            qtest_writeq(t->qts, daddr, (pa & addr_mask) | leaf);
            return;
        }
        desc = qtest_readq(t->qts, daddr);
        if (!(desc & 1)) {
            desc = pool_alloc(t, 1ULL << granule) | DESC_TABLE;
            qtest_writeq(t->qts, daddr, desc);
        }
        table = desc & addr_mask;
        top = shift;
    }
}

/* Identity stage-2 map (recipe S2 format) of the page holding addr. */
static void s2_identity(SMMUTest *t, uint64_t vttb, uint64_t addr)
{
    pt_map(t, vttb, 12, 0, 44, addr, addr, DESC_S2_PAGE);
}

static void evt_read(SMMUTest *t, uint32_t idx, uint64_t rec[4])
{
    for (int i = 0; i < 4; i++) {
        rec[i] = qtest_readq(t->qts, RECIPE_EVTQ + idx * 32 + 8 * i);
    }
}

static uint32_t evtq_prod(SMMUTest *t)
{
    return smmu_r32(t, R_EVENTQ_PROD);
}

/* ---- Translation: the recipe ---- */

/* The recipe's 4-level 4K tables: L0[1] -> L1[2] -> L2[3] -> L3[4]. */
static void recipe_tables(SMMUTest *t, uint64_t leaf)
{
    qtest_memset(t->qts, RECIPE_L0, 0, 0x4000);
    qtest_writeq(t->qts, RECIPE_L0 + 1 * 8, RECIPE_L1 | DESC_TABLE);
    qtest_writeq(t->qts, RECIPE_L1 + 2 * 8, RECIPE_L2 | DESC_TABLE);
    qtest_writeq(t->qts, RECIPE_L2 + 3 * 8, RECIPE_L3 | DESC_TABLE);
    qtest_writeq(t->qts, RECIPE_L3 + 4 * 8, RECIPE_PAGE | leaf);
}

typedef struct RecipeCase {
    unsigned config;
} RecipeCase;

/*
 * The recipe's configuration for STE.Config; in nested mode stage 2 maps
 * (identity) the CD, the stage-1 tables and the output, except the page
 * holding 'unmapped' if that is non-zero.
 */
static void recipe_setup(SMMUTest *t, unsigned config, uint64_t unmapped)
{
    uint64_t ste[8] = {STE_V | STE_CONFIG(config)};
    uint64_t vttb = RECIPE_L0;
    uint64_t s2_pages[] = {RECIPE_L0, RECIPE_L1, RECIPE_L2,
                           RECIPE_L3, RECIPE_CD, RECIPE_PA};

    smmu_test_legacy(t);
    smmu_enable(t, QUEUE_LOG2);
    recipe_tables(t, config == STE_CFG_S2 ? DESC_S2_PAGE : DESC_S1_PAGE);
    if (config != STE_CFG_S2) {
        cd_write(t, RECIPE_CD, RECIPE_L0, CD_TG0_4K, 0x10);
        ste[0] |= RECIPE_CD;
    }
    if (config == STE_CFG_NESTED) {
        vttb = pool_alloc(t, 0x1000);
        for (size_t i = 0; i < G_N_ELEMENTS(s2_pages); i++) {
            if ((s2_pages[i] ^ unmapped) & ~0xfffULL) {
                s2_identity(t, vttb, s2_pages[i]);
            }
        }
    }
    if (config != STE_CFG_S1) {
        ste_s2_fields(ste, vttb);
    }
    ste_write(t, RECIPE_STRTAB, t->sid, ste);
}

static void test_recipe(const void *opaque)
{
    const RecipeCase *c = opaque;
    SMMUTest t;

    recipe_setup(&t, c->config, 0);
    g_assert_cmphex(itd_dma(&t, RECIPE_IOVA, RECIPE_PA, 4), ==, ITD_OK);
    assert_pattern_at(&t, RECIPE_PA);
    g_assert_cmpuint(evtq_prod(&t), ==, 0);
    qtest_quit(t.qts);
}

/* ---- Translation: other stage-1 granules ---- */

typedef struct GranuleCase {
    unsigned granule;
    unsigned tg0;
} GranuleCase;

static void test_s1_granule(const void *opaque)
{
    const GranuleCase *c = opaque;
    unsigned in_bits = 48;
    /* Levels needed: ceil((in_bits - granule) / (granule - 3)). */
    int start = 4 - (int)((in_bits - 4) / (c->granule - 3));
    uint64_t iova = 0x0000123456780abcULL; /* offset 0xabc in any granule */
    uint64_t pa = RAM_BASE + 0x0c000000 + 0xabc;
    uint64_t ste[8] = {STE_V | STE_CONFIG(STE_CFG_S1) | RECIPE_CD};
    uint64_t ttb;
    SMMUTest t;

    smmu_test_legacy(&t);
    smmu_enable(&t, QUEUE_LOG2);
    ttb = pool_alloc(&t, 1ULL << c->granule);
    pt_map(&t, ttb, c->granule, start, in_bits, iova, pa, DESC_S1_PAGE);
    cd_write(&t, RECIPE_CD, ttb, c->tg0, 64 - in_bits);
    ste_write(&t, RECIPE_STRTAB, t.sid, ste);
    g_assert_cmphex(itd_dma(&t, iova, pa, 4), ==, ITD_OK);
    assert_pattern_at(&t, pa);
    /* Another offset in the same (large) page lands in the same page. */
    g_assert_cmphex(itd_dma(&t, iova + 0x400, pa + 0x400, 4), ==, ITD_OK);
    g_assert_cmpuint(evtq_prod(&t), ==, 0);
    qtest_quit(t.qts);
}

/* Stage 1 with the recipe layout; returns with the SMMU translating. */
static void s1_setup(SMMUTest *t, uint64_t leaf)
{
    uint64_t ste[8] = {STE_V | STE_CONFIG(STE_CFG_S1) | RECIPE_CD};

    smmu_test_legacy(t);
    smmu_enable(t, QUEUE_LOG2);
    recipe_tables(t, leaf);
    cd_write(t, RECIPE_CD, RECIPE_L0, CD_TG0_4K, 0x10);
    ste_write(t, RECIPE_STRTAB, t->sid, ste);
}

/* ---- Faults and events ---- */

static char *smmu_qom_path(SMMUTest *t)
{
    JsonNode *ret = qtest_qmp_assert_success_ref(
        t->qts, "{'execute': 'qom-list', "
                "'arguments': {'path': '/machine/unattached'}}");
    JsonArray *arr = json_node_get_array(ret);
    char *path = NULL;

    for (guint i = 0; i < json_array_get_length(arr) && !path; i++) {
        JsonObject *o = json_array_get_object_element(arr, i);

        if (!strcmp(json_object_get_string_member(o, "type"),
                    "child<arm-smmuv3>")) {
            path = g_strdup_printf("/machine/unattached/%s",
                                   json_object_get_string_member(o, "name"));
        }
    }
    json_node_unref(ret);
    g_assert_nonnull(path);
    return path;
}

static void test_fault_unmapped(void)
{
    uint64_t iova = RECIPE_IOVA + 0x1000, rec[4];
    g_autofree char *path = NULL;
    SMMUTest t;

    s1_setup(&t, DESC_S1_PAGE);
    path = smmu_qom_path(&t);
    qtest_irq_intercept_out(t.qts, path);
    smmu_w32(&t, R_IRQ_CTRL, IRQ_CTRL_EVENTQ);
    g_assert_cmphex(smmu_r32(&t, R_IRQ_CTRLACK), ==, IRQ_CTRL_EVENTQ);
    g_assert_false(qtest_get_irq(t.qts, IRQ_EVTQ));

    g_assert_cmphex(itd_dma(&t, iova, RECIPE_PA, 4), ==, ITD_DMA_FAILED);
    g_assert_cmpuint(evtq_prod(&t), ==, 1);
    g_assert_cmpuint(smmu_r32(&t, R_EVENTQ_PROD_P0), ==, 1);
    evt_read(&t, 0, rec);
    g_assert_cmphex(EVT_ID(rec), ==, EVT_F_TRANSLATION);
    g_assert_cmphex(EVT_SID(rec), ==, t.sid);
    g_assert_cmphex(rec[2], ==, iova);
    g_assert_cmpuint(EVT_RNW(rec), ==, 0); /* the device wrote */
    g_assert_cmpuint(EVT_S2(rec), ==, 0);
    g_assert_cmpuint(EVT_CLASS(rec), ==, EVT_CLASS_IN);
    g_assert_true(qtest_get_irq(t.qts, IRQ_EVTQ));

    /* Consuming the record drops the line. */
    smmu_w32(&t, R_EVENTQ_CONS, 1);
    g_assert_false(qtest_get_irq(t.qts, IRQ_EVTQ));
    qtest_quit(t.qts);
}

static void test_fault_permission(void)
{
    uint64_t rec[4];
    SMMUTest t;

    s1_setup(&t, DESC_S1_PAGE_RO);
    g_assert_cmphex(itd_dma(&t, RECIPE_IOVA, RECIPE_PA, 4), ==, ITD_DMA_FAILED);
    g_assert_cmpuint(evtq_prod(&t), ==, 1);
    evt_read(&t, 0, rec);
    g_assert_cmphex(EVT_ID(rec), ==, EVT_F_PERMISSION);
    g_assert_cmphex(rec[2], ==, RECIPE_IOVA);
    qtest_quit(t.qts);
}

/* A stage-2 fault reports S2 = 1 and the faulting IPA. */
static void test_fault_s2(void)
{
    uint64_t ste[8] = {STE_V | STE_CONFIG(STE_CFG_S2)};
    uint64_t ipa = RECIPE_IOVA + 0x200000, rec[4];
    SMMUTest t;

    smmu_test_legacy(&t);
    smmu_enable(&t, QUEUE_LOG2);
    recipe_tables(&t, DESC_S2_PAGE);
    ste_s2_fields(ste, RECIPE_L0);
    ste_write(&t, RECIPE_STRTAB, t.sid, ste);
    g_assert_cmphex(itd_dma(&t, ipa, RECIPE_PA, 4), ==, ITD_DMA_FAILED);
    evt_read(&t, 0, rec);
    g_assert_cmphex(EVT_ID(rec), ==, EVT_F_TRANSLATION);
    g_assert_cmpuint(EVT_S2(rec), ==, 1);
    g_assert_cmphex(EVT_IPA(rec), ==, ipa & ~0xfffULL);
    qtest_quit(t.qts);
}

/* Nested: stage 2 missing for the CD, then for a stage-1 table. */
typedef struct NestedFaultCase {
    uint64_t unmapped;
    unsigned class;
} NestedFaultCase;

static void test_fault_nested(const void *opaque)
{
    const NestedFaultCase *c = opaque;
    uint64_t rec[4];
    SMMUTest t;

    recipe_setup(&t, STE_CFG_NESTED, c->unmapped);
    g_assert_cmphex(itd_dma(&t, RECIPE_IOVA, RECIPE_PA, 4), ==, ITD_DMA_FAILED);
    g_assert_cmpuint(evtq_prod(&t), ==, 1);
    evt_read(&t, 0, rec);
    g_assert_cmphex(EVT_ID(rec), ==, EVT_F_TRANSLATION);
    g_assert_cmphex(EVT_SID(rec), ==, t.sid);
    g_assert_cmpuint(EVT_S2(rec), ==, 1);
    g_assert_cmpuint(EVT_CLASS(rec), ==, c->class);
    g_assert_cmphex(EVT_IPA(rec), ==, c->unmapped & ~0xfffULL);
    g_assert_cmphex(rec[2], ==, RECIPE_IOVA);
    g_assert_cmpuint(EVT_RNW(rec), ==, 0);
    qtest_quit(t.qts);
}

static void test_bad_ste(void)
{
    uint64_t ste[8] = {STE_CONFIG(STE_CFG_S1) | RECIPE_CD}, rec[4];
    SMMUTest t;

    s1_setup(&t, DESC_S1_PAGE);
    /* V = 0 */
    ste_write(&t, RECIPE_STRTAB, t.sid, ste);
    g_assert_cmphex(itd_dma(&t, RECIPE_IOVA, RECIPE_PA, 4), ==, ITD_DMA_FAILED);
    /* Stage 2 on an AArch32-format table: not offered (TTF = AArch64). */
    ste[0] = STE_V | STE_CONFIG(STE_CFG_S2);
    ste[2] = STE_S2T0SZ(0x14) | STE_S2SL0(2) | STE_S2PS(5);
    ste_write(&t, RECIPE_STRTAB, t.sid, ste);
    g_assert_cmphex(itd_dma(&t, RECIPE_IOVA, RECIPE_PA, 4), ==, ITD_DMA_FAILED);
    g_assert_cmpuint(evtq_prod(&t), ==, 2);
    for (int i = 0; i < 2; i++) {
        evt_read(&t, i, rec);
        g_assert_cmphex(EVT_ID(rec), ==, EVT_C_BAD_STE);
        g_assert_cmphex(EVT_SID(rec), ==, t.sid);
    }
    qtest_quit(t.qts);
}

static void test_bad_cd(void)
{
    uint64_t rec[4];
    SMMUTest t;

    s1_setup(&t, DESC_S1_PAGE);
    qtest_writeq(t.qts, RECIPE_CD, 0); /* CD.V = 0 */
    g_assert_cmphex(itd_dma(&t, RECIPE_IOVA, RECIPE_PA, 4), ==, ITD_DMA_FAILED);
    evt_read(&t, 0, rec);
    g_assert_cmphex(EVT_ID(rec), ==, EVT_C_BAD_CD);
    qtest_quit(t.qts);
}

/* A StreamID beyond the stream table: reported only with RECINVSID. */
static void test_bad_streamid(void)
{
    uint64_t rec[4];
    SMMUTest t;

    s1_setup(&t, DESC_S1_PAGE);
    smmu_w32(&t, R_CR0, CR0_EVENTQEN | CR0_CMDQEN);
    smmu_w32(&t, R_STRTAB_BASE_CFG, 0); /* one STE: SID 0 only */
    smmu_w32(&t, R_CR0, CR0_SMMUEN | CR0_EVENTQEN | CR0_CMDQEN);
    g_assert_cmphex(itd_dma(&t, RECIPE_IOVA, RECIPE_PA, 4), ==, ITD_DMA_FAILED);
    g_assert_cmpuint(evtq_prod(&t), ==, 0);
    smmu_w32(&t, R_CR2, CR2_RECINVSID);
    g_assert_cmphex(itd_dma(&t, RECIPE_IOVA, RECIPE_PA, 4), ==, ITD_DMA_FAILED);
    g_assert_cmpuint(evtq_prod(&t), ==, 1);
    evt_read(&t, 0, rec);
    g_assert_cmphex(EVT_ID(rec), ==, EVT_C_BAD_STREAMID);
    g_assert_cmphex(EVT_SID(rec), ==, t.sid);
    qtest_quit(t.qts);
}

/* Two-level stream table: SPLIT 8, the L1 entry of the SID's range. */
static void test_strtab_2lvl(void)
{
    uint64_t l1 = RAM_BASE + 0x0e200000, l2 = RAM_BASE + 0x0e210000;
    uint64_t ste[8] = {STE_V | STE_CONFIG(STE_CFG_S1) | RECIPE_CD};
    SMMUTest t;

    s1_setup(&t, DESC_S1_PAGE);
    smmu_w32(&t, R_CR0, CR0_EVENTQEN | CR0_CMDQEN);
    qtest_memset(t.qts, l1, 0, 0x1000);
    qtest_memset(t.qts, l2, 0, 0x4000);
    /* Span 9: 256 STEs in the level-2 table. */
    qtest_writeq(t.qts, l1 + (t.sid >> 8) * 8, l2 | 9);
    ste_write(&t, l2, t.sid & 0xff, ste);
    smmu_w32(&t, R_STRTAB_BASE_CFG, STRTAB_CFG_2LVL | STRTAB_CFG_SPLIT(8) | 16);
    smmu_w64(&t, R_STRTAB_BASE, l1);
    smmu_w32(&t, R_CR0, CR0_SMMUEN | CR0_EVENTQEN | CR0_CMDQEN);
    g_assert_cmphex(itd_dma(&t, RECIPE_IOVA, RECIPE_PA, 4), ==, ITD_OK);
    assert_pattern_at(&t, RECIPE_PA);
    qtest_quit(t.qts);
}

/* ---- Global bypass ---- */

static void test_gbpa(void)
{
    uint64_t pa = RAM_BASE + 0x01000000;
    SMMUTest t;

    smmu_test_legacy(&t);
    g_assert_cmphex(smmu_r32(&t, R_GBPA), ==, GBPA_RESET);
    g_assert_cmphex(itd_dma(&t, pa, pa, 4), ==, ITD_OK);
    /* Without UPDATE the write is ignored. */
    smmu_w32(&t, R_GBPA, GBPA_ABORT);
    g_assert_cmphex(smmu_r32(&t, R_GBPA), ==, GBPA_RESET);
    g_assert_cmphex(itd_dma(&t, pa, pa, 4), ==, ITD_OK);
    /* With UPDATE it takes effect and UPDATE reads back as 0. */
    smmu_w32(&t, R_GBPA, GBPA_UPDATE | GBPA_ABORT);
    g_assert_cmphex(smmu_r32(&t, R_GBPA), ==, GBPA_ABORT);
    g_assert_cmphex(itd_dma(&t, pa + 0x100, pa + 0x100, 4), ==, ITD_DMA_FAILED);
    smmu_w32(&t, R_GBPA, GBPA_UPDATE);
    g_assert_cmphex(itd_dma(&t, pa + 0x200, pa + 0x200, 4), ==, ITD_OK);
    qtest_quit(t.qts);
}

/* ---- Command queue ---- */

static void test_cmd_sync_irq(void)
{
    g_autofree char *path = NULL;
    SMMUTest t;

    smmu_test_legacy(&t);
    path = smmu_qom_path(&t);
    qtest_irq_intercept_out(t.qts, path);
    smmu_enable(&t, QUEUE_LOG2);
    smmu_sync(&t);
    g_assert_cmpuint(qtest_get_irq_raises(t.qts, IRQ_CMD_SYNC), ==, 0);
    smmu_cmd(&t, CMD_SYNC | CMD_SYNC_CS_IRQ, 0);
    g_assert_cmpuint(smmu_r32(&t, R_CMDQ_CONS), ==, t.cmdq_prod);
    g_assert_cmpuint(qtest_get_irq_raises(t.qts, IRQ_CMD_SYNC), ==, 1);
    g_assert_false(qtest_get_irq(t.qts, IRQ_CMD_SYNC)); /* a pulse */
    qtest_quit(t.qts);
}

static void test_cmd_illegal(void)
{
    uint32_t cons, gerror;
    g_autofree char *path = NULL;
    SMMUTest t;

    smmu_test_legacy(&t);
    path = smmu_qom_path(&t);
    qtest_irq_intercept_out(t.qts, path);
    smmu_enable(&t, QUEUE_LOG2);
    smmu_w32(&t, R_IRQ_CTRL, IRQ_CTRL_GERROR);
    smmu_cmd(&t, 0xff, 0);     /* unknown opcode */
    smmu_cmd(&t, CMD_SYNC, 0); /* must wait */
    cons = smmu_r32(&t, R_CMDQ_CONS);
    g_assert_cmpuint(cons & 0xfffff, ==, 0);
    g_assert_cmpuint(CMDQ_CONS_ERR(cons), ==, 1); /* CERROR_ILL */
    gerror = smmu_r32(&t, R_GERROR);
    g_assert_cmphex(gerror & GERROR_CMDQ_ERR, ==, GERROR_CMDQ_ERR);
    g_assert_true(qtest_get_irq(t.qts, IRQ_GERROR));

    /* More commands do not run while the error is pending. */
    smmu_w32(&t, R_CMDQ_PROD, t.cmdq_prod);
    g_assert_cmpuint(smmu_r32(&t, R_CMDQ_CONS) & 0xfffff, ==, 0);

    /* Replace the bad command, acknowledge: the queue runs to the end. */
    qtest_writeq(t.qts, RECIPE_CMDQ, CMD_SYNC);
    smmu_w32(&t, R_GERRORN, gerror);
    g_assert_false(qtest_get_irq(t.qts, IRQ_GERROR));
    g_assert_cmpuint(smmu_r32(&t, R_CMDQ_CONS) & 0xfffff, ==, 2);
    qtest_quit(t.qts);
}

static void test_cmd_abort(void)
{
    SMMUTest t;

    smmu_test_legacy(&t);
    smmu_enable(&t, QUEUE_LOG2);
    smmu_w32(&t, R_CR0, CR0_SMMUEN);
    /* Nothing answers at 1 PiB: reading the command aborts. */
    smmu_w64(&t, R_CMDQ_BASE, (1ULL << 50) | QUEUE_LOG2);
    smmu_w32(&t, R_CMDQ_CONS, 0);
    smmu_w32(&t, R_CR0, CR0_SMMUEN | CR0_CMDQEN);
    smmu_w32(&t, R_CMDQ_PROD, 1);
    g_assert_cmpuint(CMDQ_CONS_ERR(smmu_r32(&t, R_CMDQ_CONS)), ==, 2);
    g_assert_cmphex(smmu_r32(&t, R_GERROR) & GERROR_CMDQ_ERR, ==,
                    GERROR_CMDQ_ERR);
    qtest_quit(t.qts);
}

/* Cached translations survive table changes until TLBI; configs until
 * CFGI. */
static void test_invalidation(void)
{
    uint64_t other = RECIPE_PAGE + 0x10000;
    uint64_t abort_ste[8] = {STE_V | STE_CONFIG(STE_CFG_ABORT)};
    SMMUTest t;

    s1_setup(&t, DESC_S1_PAGE);
    g_assert_cmphex(itd_dma(&t, RECIPE_IOVA, RECIPE_PA, 4), ==, ITD_OK);
    qtest_writeq(t.qts, RECIPE_L3 + 4 * 8, other | DESC_S1_PAGE);
    g_assert_cmphex(itd_dma(&t, RECIPE_IOVA, RECIPE_PA, 4), ==, ITD_OK);
    smmu_cmd(&t, CMD_TLBI_NH_VA | CMD_ASID(RECIPE_ASID),
             RECIPE_IOVA & ~0xfffULL);
    smmu_sync(&t);
    g_assert_cmphex(itd_dma(&t, RECIPE_IOVA, other + 0x567, 4), ==, ITD_OK);

    ste_write(&t, RECIPE_STRTAB, t.sid, abort_ste);
    g_assert_cmphex(itd_dma(&t, RECIPE_IOVA, other + 0x567, 4), ==, ITD_OK);
    smmu_cmd(&t, CMD_CFGI_STE | CMD_SID(t.sid), 0);
    smmu_sync(&t);
    g_assert_cmphex(itd_dma(&t, RECIPE_IOVA, other + 0x567, 4), ==,
                    ITD_DMA_FAILED);
    /* Abort configurations terminate silently. */
    g_assert_cmpuint(evtq_prod(&t), ==, 0);
    qtest_quit(t.qts);
}

/* ---- Event queue overflow ---- */

static void test_evtq_overflow(void)
{
    uint32_t prod;
    SMMUTest t;

    s1_setup(&t, DESC_S1_PAGE);
    smmu_w32(&t, R_CR0, CR0_SMMUEN | CR0_CMDQEN);
    smmu_w64(&t, R_EVENTQ_BASE, RECIPE_EVTQ | 1); /* 2 entries */
    smmu_w32(&t, R_CR0, CR0_SMMUEN | CR0_EVENTQEN | CR0_CMDQEN);
    for (int i = 0; i < 4; i++) {
        g_assert_cmphex(
            itd_dma(&t, RECIPE_IOVA + (i + 1) * 0x1000, RECIPE_PA, 4), ==,
            ITD_DMA_FAILED);
    }
    prod = evtq_prod(&t);
    /* Full (index 0, wrap 1) and overflowed once. */
    g_assert_cmphex(prod, ==, EVENTQ_PROD_OVFLG | 0x2);
    /* Acknowledge the overflow, consume, and take one more event. */
    smmu_w32(&t, R_EVENTQ_CONS, EVENTQ_PROD_OVFLG | 0x2);
    g_assert_cmphex(itd_dma(&t, RECIPE_IOVA + 0x10000, RECIPE_PA, 4), ==,
                    ITD_DMA_FAILED);
    g_assert_cmphex(evtq_prod(&t), ==, EVENTQ_PROD_OVFLG | 0x3);
    qtest_quit(t.qts);
}

/* ---- ID registers ---- */

typedef struct IDRCase {
    const char *args;
    uint64_t base;
    uint32_t idr0;
    uint32_t idr3;
} IDRCase;

static void test_idr(const void *opaque)
{
    const IDRCase *c = opaque;
    SMMUTest t = {.base = c->base};

    t.qts = qtest_initf("-machine virt %s", c->args);
    g_assert_cmphex(smmu_r32(&t, R_IDR0), ==, c->idr0);
    g_assert_cmphex(smmu_r32(&t, R_IDR1), ==, 0x02730010);
    g_assert_cmphex(smmu_r32(&t, R_IDR3), ==, c->idr3);
    g_assert_cmphex(smmu_r32(&t, R_IDR5), ==, 0x00000074);
    g_assert_cmphex(smmu_r32(&t, R_AIDR), ==, 1);
    g_assert_cmphex(smmu_r32(&t, R_IIDR), ==, 0x54b0043b);
    g_assert_cmphex(smmu_r32(&t, R_GBPA), ==, GBPA_RESET);
    g_assert_cmphex(smmu_r32(&t, R_CR0), ==, 0);
    /* 64-bit registers take 64-bit and 32-bit accesses. */
    smmu_w64(&t, R_STRTAB_BASE, 0x12345640ULL | (0x1ULL << 40));
    g_assert_cmphex(qtest_readq(t.qts, t.base + R_STRTAB_BASE), ==,
                    0x12345640ULL | (0x1ULL << 40));
    g_assert_cmphex(smmu_r32(&t, R_STRTAB_BASE + 4), ==, 0x100);
    /* Page 1 EVENTQ_CONS is page 0's alias. */
    smmu_w32(&t, R_EVENTQ_CONS, 3);
    g_assert_cmphex(smmu_r32(&t, 0xac), ==, 3);
    qtest_quit(t.qts);
}

/* ---- Properties ---- */

typedef struct BadPropCase {
    const char *args;
    const char *msg;
} BadPropCase;

static void test_bad_props(const void *opaque)
{
    const BadPropCase *c = opaque;
    g_autofree char *args = g_strdup_printf("-machine virt %s", c->args);
    g_autofree char *err = NULL;
    int status;

    qtest_init_expect_failure(args, &status, &err);
    g_assert_cmpint(status, ==, 1);
    g_assert_nonnull(strstr(err, c->msg));
}

static void check_props(QTestState *qts, const char *id, const char *ats,
                        const char *ril, const char *ssidsize, const char *oas)
{
    g_autofree char *path = g_strdup_printf("/machine/peripheral/%s", id);
    g_autofree char *v_ats = qtest_qom_get_str(qts, path, "ats");
    g_autofree char *v_ril = qtest_qom_get_str(qts, path, "ril");
    g_autofree char *v_ssid = qtest_qom_get_str(qts, path, "ssidsize");
    g_autofree char *v_oas = qtest_qom_get_str(qts, path, "oas");

    g_assert_cmpstr(v_ats, ==, ats);
    g_assert_cmpstr(v_ril, ==, ril);
    g_assert_cmpstr(v_ssid, ==, ssidsize);
    g_assert_cmpstr(v_oas, ==, oas);
}

static void test_compat(void)
{
    QTestState *qts;

    qts = qtest_init("-machine virt-11.0 "
                     "-device arm-smmuv3,primary-bus=pcie.0,id=smmu0");
    check_props(qts, "smmu0", "off", "on", "0", "44");
    qtest_quit(qts);
    qts = qtest_init("-machine virt "
                     "-device arm-smmuv3,primary-bus=pcie.0,id=smmu0");
    check_props(qts, "smmu0", "auto", "auto", "auto", "auto");
    qtest_quit(qts);
}

static void test_property_list(void)
{
    static const char *const names[] = {
        "stage",        "identifier",  "accel",    "msi-gpa",       "ril",
        "ats",          "oas",         "ssidsize", "cmdqv",         "bus_num",
        "smmu_per_bus", "primary-bus", "memory",   "secure-memory",
    };
    QTestState *qts = qtest_init("-machine virt");
    JsonNode *ret = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'device-list-properties', "
             "'arguments': {'typename': 'arm-smmuv3'}}");
    JsonArray *arr = json_node_get_array(ret);

    for (size_t n = 0; n < G_N_ELEMENTS(names); n++) {
        bool found = false;

        for (guint i = 0; i < json_array_get_length(arr); i++) {
            JsonObject *o = json_array_get_object_element(arr, i);

            if (!strcmp(json_object_get_string_member(o, "name"), names[n])) {
                found = true;
                g_assert_true(json_object_has_member(o, "description"));
            }
        }
        g_assert_true(found);
    }
    json_node_unref(ret);
    qtest_quit(qts);
}

/* ---- Instances ---- */

/* Each pxb-pcie root bus gets its own SMMU in its own platform slot. */
static void test_two_pxb(void)
{
    uint64_t pa = RAM_BASE + 0x01000000;
    SMMUTest a, b;
    QPCIECAM *ecam;
    GPtrArray *fns;

    memset(&a, 0, sizeof(a));
    a.qts = qtest_init(
        "-machine virt "
        "-device pxb-pcie,id=pxb1,bus_nr=16,bus=pcie.0 "
        "-device pxb-pcie,id=pxb2,bus_nr=32,bus=pcie.0 "
        "-device arm-smmuv3,primary-bus=pxb1,id=smmu1 "
        "-device arm-smmuv3,primary-bus=pxb2,id=smmu2 "
        "-device iommu-testdev,bus=pxb1 -device iommu-testdev,bus=pxb2");
    b = a;
    a.base = SMMU_USER_BASE;
    b.base = SMMU_USER_BASE + SMMU_SLOT_SIZE;
    ecam = qpci_ecam_new(a.qts, QPCI_ECAM_VIRT, 256);
    fns = qpci_enumerate(ecam, PCIE_MMIO_BASE, PCIE_MMIO_SIZE);
    itd_find(&a, ecam, fns, 0);
    itd_find(&b, ecam, fns, 1);
    g_ptr_array_unref(fns);
    qpci_ecam_free(ecam);
    g_assert_cmpuint(a.sid >> 8, ==, 16);
    g_assert_cmpuint(b.sid >> 8, ==, 32);
    g_assert_cmphex(smmu_r32(&a, R_IDR0), ==, 0x0d44101a);
    g_assert_cmphex(smmu_r32(&b, R_IDR0), ==, 0x0d44101a);

    /* Aborting on the second SMMU only stops the second device. */
    smmu_w32(&b, R_GBPA, GBPA_UPDATE | GBPA_ABORT);
    g_assert_cmphex(itd_dma(&a, pa, pa, 4), ==, ITD_OK);
    g_assert_cmphex(itd_dma(&b, pa, pa, 4), ==, ITD_DMA_FAILED);
    g_assert_cmphex(smmu_r32(&a, R_GBPA), ==, GBPA_RESET);
    qtest_quit(a.qts);
}

static void add_tests(void)
{
    static const RecipeCase s1 = {STE_CFG_S1}, s2 = {STE_CFG_S2},
                            nested = {STE_CFG_NESTED};
    static const GranuleCase g16k = {14, CD_TG0_16K}, g64k = {16, CD_TG0_64K};
    static const NestedFaultCase nested_cd = {RECIPE_CD, EVT_CLASS_CD},
                                 nested_tt = {RECIPE_L2, EVT_CLASS_TT};
    static const IDRCase idr_default = {"-device arm-smmuv3,primary-bus=pcie.0",
                                        SMMU_USER_BASE, 0x0d44101a, 0x00001404};
    static const IDRCase idr_stage2 = {
        "-device arm-smmuv3,primary-bus=pcie.0,stage=2", SMMU_USER_BASE,
        0x0d441019, 0x00001414};
    static const IDRCase idr_nested = {
        "-device arm-smmuv3,primary-bus=pcie.0,stage=nested", SMMU_USER_BASE,
        0x0d44101b, 0x00001414};
    static const IDRCase idr_legacy = {
        "-machine iommu=smmuv3", SMMU_LEGACY_BASE, 0x0d44101b, 0x00001414};
    static const BadPropCase bad[] = {
        {"-device arm-smmuv3,primary-bus=pcie.0,ril=off",
         "ril can only be disabled if accel=on"},
        {"-device arm-smmuv3,primary-bus=pcie.0,ats=on",
         "ats can only be enabled if accel=on"},
        {"-device arm-smmuv3,primary-bus=pcie.0,oas=48",
         "OAS can only be set to 48 bits if accel=on"},
        {"-device arm-smmuv3,primary-bus=pcie.0,oas=40",
         "OAS must be auto, 44 or 48"},
        {"-device arm-smmuv3,primary-bus=pcie.0,ssidsize=8",
         "ssidsize can only be set if accel=on"},
        {"-device arm-smmuv3,primary-bus=pcie.0,cmdqv=on",
         "cmdqv can only be enabled if accel=on"},
        {"-device arm-smmuv3,primary-bus=pcie.0,accel=on,stage=nested",
         "Only stage1 is supported for SMMUV3 with accel=on"},
        {"-device arm-smmuv3,primary-bus=pcie.0,stage=3", "Invalid stage '3'"},
        {"-device arm-smmuv3", "SMMU is not attached to any PCI bus!"},
        {"-device pcie-root-port,id=rp0,chassis=1 "
         "-device arm-smmuv3,primary-bus=rp0",
         "SMMU should be attached to a default PCIe root complex (pcie.0) "
         "or a pxb-pcie based root complex"},
        {"-device arm-smmuv3,primary-bus=pcie.0 "
         "-device arm-smmuv3,primary-bus=pcie.0",
         "An iommu is already attached to this bus"},
        {"-machine iommu=smmuv3 -device arm-smmuv3,primary-bus=pcie.0",
         "An iommu is already attached to this bus"},
    };

    qtest_add_data_func("/smmuv3/translation/ns-s1-only", &s1, test_recipe);
    qtest_add_data_func("/smmuv3/translation/ns-s2-only", &s2, test_recipe);
    qtest_add_data_func("/smmuv3/translation/ns-nested", &nested, test_recipe);
    qtest_add_data_func("/smmuv3/translation/s1-16k", &g16k, test_s1_granule);
    qtest_add_data_func("/smmuv3/translation/s1-64k", &g64k, test_s1_granule);
    qtest_add_func("/smmuv3/translation/invalidation", test_invalidation);
    qtest_add_func("/smmuv3/translation/strtab-2lvl", test_strtab_2lvl);
    qtest_add_func("/smmuv3/fault/unmapped", test_fault_unmapped);
    qtest_add_func("/smmuv3/fault/permission", test_fault_permission);
    qtest_add_func("/smmuv3/fault/stage2", test_fault_s2);
    qtest_add_data_func("/smmuv3/fault/nested-cd", &nested_cd,
                        test_fault_nested);
    qtest_add_data_func("/smmuv3/fault/nested-table", &nested_tt,
                        test_fault_nested);
    qtest_add_func("/smmuv3/fault/bad-ste", test_bad_ste);
    qtest_add_func("/smmuv3/fault/bad-cd", test_bad_cd);
    qtest_add_func("/smmuv3/fault/bad-streamid", test_bad_streamid);
    qtest_add_func("/smmuv3/gbpa", test_gbpa);
    qtest_add_func("/smmuv3/cmdq/sync-irq", test_cmd_sync_irq);
    qtest_add_func("/smmuv3/cmdq/illegal", test_cmd_illegal);
    qtest_add_func("/smmuv3/cmdq/abort", test_cmd_abort);
    qtest_add_func("/smmuv3/evtq/overflow", test_evtq_overflow);
    qtest_add_data_func("/smmuv3/idr/default", &idr_default, test_idr);
    qtest_add_data_func("/smmuv3/idr/stage2", &idr_stage2, test_idr);
    qtest_add_data_func("/smmuv3/idr/nested", &idr_nested, test_idr);
    qtest_add_data_func("/smmuv3/idr/machine-wide", &idr_legacy, test_idr);
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *path = g_strdup_printf("/smmuv3/props/invalid/%zu", i);

        qtest_add_data_func(path, &bad[i], test_bad_props);
    }
    qtest_add_func("/smmuv3/props/compat-11.0", test_compat);
    qtest_add_func("/smmuv3/props/list", test_property_list);
    qtest_add_func("/smmuv3/instances/two-pxb", test_two_pxb);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (strcmp(qtest_get_arch(), "aarch64") || !qtest_has_machine("virt")) {
        g_test_skip("needs the aarch64 virt machine");
        return g_test_run();
    }
    add_tests();
    return g_test_run();
}
