/*
 * A hostile guest against arm-smmuv3: a seeded, fixed-length run of
 * random register writes, random queue and table contents (raw, and
 * half-plausible commands, STEs and CDs so decoding gets deep), and DMA
 * through an iommu-testdev behind the machine-wide SMMU. The emulator
 * must keep answering and exit cleanly (libqtest checks its stderr for
 * sanitizer reports). Set SMMUV3_FUZZ_SEED to replay another seed.
 */
#include "libqtest.h"
#include "libqtest-pci.h"

#define FUZZ_OPS 3000
#define FUZZ_DEFAULT_SEED 0x5eed5a11u

#define SMMU_BASE 0x09050000ULL
#define SMMU_PAGE1 0x10000ULL
#define PCIE_MMIO_BASE 0x10000000ULL
#define PCIE_MMIO_SIZE 0x2eff0000ULL
/* Guest memory the fuzzer plays in: queues, tables, targets. */
#define ARENA 0x4e000000ULL
#define ARENA_SIZE 0x00100000ULL

#define R_IDR0 0x00
#define R_CR0 0x20
#define R_GBPA 0x44
#define R_STRTAB_BASE 0x80
#define R_STRTAB_BASE_CFG 0x88
#define R_CMDQ_BASE 0x90
#define R_CMDQ_PROD 0x98
#define R_GERROR 0x60
#define R_GERRORN 0x64
#define R_CR2 0x2c
#define CMD_CFGI_ALL 0x04
#define R_EVENTQ_BASE 0xa0
#define IDR0_NESTED 0x0d44101bu

/* Registers worth hitting often (page 0, plus page-1 queue pointers). */
static const uint32_t fuzz_regs[] = {
    0x20,    0x28,    0x2c,  0x44,  0x50,   0x60,    0x64,    0x68,
    0x6c,    0x70,    0x74,  0x80,  0x84,   0x88,    0x90,    0x94,
    0x98,    0x9c,    0xa0,  0xa4,  0xa8,   0xac,    0xb0,    0xb8,
    0xbc,    0xc0,    0xc8,  0xcc,  0xd0,   0xdc,    0x100a8, 0x100ac,
    0x100c8, 0x100cc, 0xfd0, 0xffc, 0x1000, 0x10000,
};

/* Opcodes the SMMU knows, so commands get past the opcode check. */
static const uint8_t fuzz_opcodes[] = {
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11,
    0x12, 0x13, 0x18, 0x1a, 0x20, 0x21, 0x22, 0x23, 0x28,
    0x2a, 0x30, 0x40, 0x41, 0x44, 0x45, 0x46,
};

typedef struct Fuzzer {
    QTestState *qts;
    GRand *rand;
    uint64_t bar;
    uint32_t sid;
} Fuzzer;

static uint32_t rnd(Fuzzer *f, uint32_t n)
{
    return g_rand_int_range(f->rand, 0, n);
}

static uint64_t rnd64(Fuzzer *f)
{
    return ((uint64_t)g_rand_int(f->rand) << 32) | g_rand_int(f->rand);
}

static uint64_t arena_addr(Fuzzer *f, uint64_t align)
{
    return ARENA + (rnd64(f) % ARENA_SIZE & ~(align - 1));
}

/* A value that often points into the arena, else anything. */
static uint64_t interesting(Fuzzer *f)
{
    switch (rnd(f, 4)) {
    case 0:
        return rnd64(f);
    case 1:
        return rnd(f, 64);
    default:
        return arena_addr(f, 64) | rnd(f, 20);
    }
}

static void op_reg_write(Fuzzer *f)
{
    uint64_t off = rnd(f, 8) ? fuzz_regs[rnd(f, G_N_ELEMENTS(fuzz_regs))]
                             : rnd(f, 0x20000) & ~3u;

    if (!(off & 7) && !rnd(f, 3)) {
        qtest_writeq(f->qts, SMMU_BASE + off, interesting(f));
    } else {
        qtest_writel(f->qts, SMMU_BASE + off, (uint32_t)interesting(f));
    }
}

static void op_reg_read(Fuzzer *f)
{
    uint64_t off = fuzz_regs[rnd(f, G_N_ELEMENTS(fuzz_regs))];

    qtest_readl(f->qts, SMMU_BASE + off);
}

static void op_mem_raw(Fuzzer *f)
{
    qtest_writeq(f->qts, arena_addr(f, 8), interesting(f));
}

/* An STE or CD: valid bit set, then random fields. */
static void op_mem_descriptor(Fuzzer *f)
{
    uint64_t addr = arena_addr(f, 64);

    for (int i = 0; i < 8; i++) {
        uint64_t v = rnd(f, 2) ? interesting(f) : rnd64(f);

        if (i == 0) {
            v |= 1ULL | (rnd(f, 2) ? 1ULL << 31 : 0);
        }
        qtest_writeq(f->qts, addr + 8 * i, v);
    }
}

/* Writes a command at the queue's next slot and moves PROD on. */
static void fuzz_cmd(Fuzzer *f, uint64_t w0, uint64_t w1)
{
    uint64_t base = qtest_readq(f->qts, SMMU_BASE + R_CMDQ_BASE);
    uint32_t prod = qtest_readl(f->qts, SMMU_BASE + R_CMDQ_PROD);
    unsigned log2size = MIN(base & 0x1f, 19);
    uint32_t pos_mask = (2u << log2size) - 1;
    uint64_t slot =
        (base & 0x000fffffffffffe0ULL) + (prod & ((1u << log2size) - 1)) * 16;

    if (slot >= ARENA && slot + 16 <= ARENA + ARENA_SIZE) {
        qtest_writeq(f->qts, slot, w0);
        qtest_writeq(f->qts, slot + 8, w1);
    }
    prod = (prod & ~pos_mask) | ((prod + 1) & pos_mask);
    qtest_writel(f->qts, SMMU_BASE + R_CMDQ_PROD, prod);
}

/* Acknowledges whatever global errors are active. */
static void op_ack(Fuzzer *f)
{
    qtest_writel(f->qts, SMMU_BASE + R_GERRORN,
                 qtest_readl(f->qts, SMMU_BASE + R_GERROR));
}

/*
 * A plausible STE for the test device in a linear table, and a plausible
 * CD behind it: valid, AArch64, random sizes, granules and table bases.
 */
static void op_stream(Fuzzer *f)
{
    uint64_t strtab =
        qtest_readq(f->qts, SMMU_BASE + R_STRTAB_BASE) & 0x000fffffffffffc0ULL;
    uint64_t ste = strtab + f->sid * 64, cd = arena_addr(f, 64);
    uint64_t w[8] = {0};

    if (ste < ARENA || ste + 64 > ARENA + ARENA_SIZE) {
        return;
    }
    w[0] = 1 | (uint64_t)rnd(f, 8) << 1 | cd | (uint64_t)!rnd(f, 8) << 59;
    w[1] = rnd(f, 4) ? 0 : rnd64(f);
    w[2] = rnd(f, 0x10000) | (uint64_t)(16 + rnd(f, 26)) << 32 |
           (uint64_t)rnd(f, 4) << 38 | (uint64_t)rnd(f, 4) << 46 |
           (uint64_t)rnd(f, 8) << 48 | 1ULL << 51 | (uint64_t)rnd(f, 2) << 53 |
           1ULL << 58;
    w[3] = arena_addr(f, 0x1000);
    for (int i = 0; i < 8; i++) {
        qtest_writeq(f->qts, ste + 8 * i, w[i]);
    }
    memset(w, 0, sizeof(w));
    w[0] = (16 + rnd(f, 26)) | (uint64_t)rnd(f, 4) << 6 |
           (uint64_t)rnd(f, 2) << 14 | (uint64_t)(16 + rnd(f, 26)) << 16 |
           (uint64_t)rnd(f, 4) << 22 | (uint64_t)rnd(f, 2) << 30 | 1ULL << 31 |
           (uint64_t)rnd(f, 8) << 32 | (uint64_t)rnd(f, 2) << 35 | 1ULL << 41 |
           1ULL << 45 | (uint64_t)rnd(f, 0x10000) << 48;
    w[1] = arena_addr(f, 0x1000) | rnd(f, 4);
    w[2] = arena_addr(f, 0x1000) | rnd(f, 4);
    for (int i = 0; i < 8; i++) {
        qtest_writeq(f->qts, cd + 8 * i, w[i]);
    }
    /* Make the SMMU look at them. */
    op_ack(f);
    fuzz_cmd(f, CMD_CFGI_ALL, 31);
}

/*
 * A table descriptor or a leaf pointing into the arena, often at index 0
 * of a page (where walks of small addresses look).
 */
static void op_pte(Fuzzer *f)
{
    uint64_t v = arena_addr(f, 0x1000) | (rnd(f, 2) ? 3 : 1) |
                 (uint64_t)rnd(f, 0x400) << 2;

    qtest_writeq(f->qts, arena_addr(f, rnd(f, 2) ? 0x1000 : 8), v);
}

/* Any known opcode with random fields, or a random PROD. */
static void op_command(Fuzzer *f)
{
    if (!rnd(f, 8)) {
        qtest_writel(f->qts, SMMU_BASE + R_CMDQ_PROD, rnd64(f));
        return;
    }
    fuzz_cmd(f,
             (rnd64(f) & ~0xffULL) |
                 fuzz_opcodes[rnd(f, G_N_ELEMENTS(fuzz_opcodes))],
             interesting(f));
}

/* Points the SMMU's structures into the arena and (mostly) turns it on. */
static void op_setup(Fuzzer *f)
{
    uint32_t cfg = rnd(f, 4) ? 5 + rnd(f, 12)
                             : rnd(f, 2) << 16 | rnd(f, 11) << 6 | rnd(f, 17);

    qtest_writel(f->qts, SMMU_BASE + R_CR0, 0);
    qtest_writeq(f->qts, SMMU_BASE + R_CMDQ_BASE,
                 arena_addr(f, 32) | rnd(f, 12));
    qtest_writeq(f->qts, SMMU_BASE + R_EVENTQ_BASE,
                 arena_addr(f, 32) | rnd(f, 12));
    qtest_writeq(f->qts, SMMU_BASE + R_STRTAB_BASE, arena_addr(f, 64));
    qtest_writel(f->qts, SMMU_BASE + R_STRTAB_BASE_CFG, cfg);
    qtest_writel(f->qts, SMMU_BASE + R_GBPA, rnd(f, 2) << 20 | 1u << 31);
    qtest_writel(f->qts, SMMU_BASE + R_CR2, rnd(f, 8));
    qtest_writel(f->qts, SMMU_BASE + R_CR0, rnd(f, 4) ? 0xd : rnd(f, 32));
}

static void op_dma(Fuzzer *f)
{
    uint64_t iova = rnd(f, 2) ? interesting(f) : arena_addr(f, 1);

    qtest_writel(f->qts, f->bar + 0x04, (uint32_t)iova);
    qtest_writel(f->qts, f->bar + 0x08, iova >> 32);
    qtest_writel(f->qts, f->bar + 0x1c, (uint32_t)iova);
    qtest_writel(f->qts, f->bar + 0x20, iova >> 32);
    qtest_writel(f->qts, f->bar + 0x0c, 1 + rnd(f, 256));
    qtest_writel(f->qts, f->bar + 0x14, 1);
    qtest_readl(f->qts, f->bar + 0x00);
    qtest_readl(f->qts, f->bar + 0x10);
}

static void test_fuzz(void)
{
    const char *env = g_getenv("SMMUV3_FUZZ_SEED");
    guint32 seed =
        env ? (guint32)g_ascii_strtoull(env, NULL, 0) : FUZZ_DEFAULT_SEED;
    void (*const ops[])(Fuzzer *) = {
        op_reg_write, op_reg_write, op_reg_read, op_mem_raw, op_mem_descriptor,
        op_stream,    op_stream,    op_pte,      op_pte,     op_pte,
        op_command,   op_command,   op_ack,      op_dma,     op_dma,
        op_dma,       op_dma,       op_setup,
    };
    Fuzzer f = {.rand = g_rand_new_with_seed(seed)};
    QPCIECAM *ecam;
    GPtrArray *fns;
    QPCIFunction *itd;

    g_test_message("seed 0x%x", seed);
    f.qts = qtest_init("-machine virt,iommu=smmuv3 -m 512 "
                       "-device iommu-testdev");
    ecam = qpci_ecam_new(f.qts, QPCI_ECAM_VIRT, 256);
    fns = qpci_enumerate(ecam, PCIE_MMIO_BASE, PCIE_MMIO_SIZE);
    itd = qpci_function_find(fns, 0x1b36, 0x0005);
    g_assert_nonnull(itd);
    f.bar = itd->bar[0];
    f.sid = itd->bus << 8 | itd->devfn;
    g_ptr_array_unref(fns);
    qpci_ecam_free(ecam);

    for (int i = 0; i < FUZZ_OPS; i++) {
        ops[rnd(&f, G_N_ELEMENTS(ops))](&f);
    }
    /* Still answering, ID registers intact. */
    g_assert_cmphex(qtest_readl(f.qts, SMMU_BASE + R_IDR0), ==, IDR0_NESTED);
    qtest_readl(f.qts, SMMU_BASE + SMMU_PAGE1 + 0xa8);
    g_rand_free(f.rand);
    qtest_quit(f.qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (strcmp(qtest_get_arch(), "aarch64") || !qtest_has_machine("virt")) {
        g_test_skip("needs the aarch64 virt machine");
        return g_test_run();
    }
    qtest_add_func("/smmuv3/fuzz", test_fuzz);
    return g_test_run();
}
