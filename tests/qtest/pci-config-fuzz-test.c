/*
 * A hostile guest against PCI configuration space: after a normal
 * enumeration, a seeded, fixed-length storm of ECAM reads and writes of
 * every size, aligned or not, to every function of a topology with
 * expander buses, root ports, assigned devices on the host model and
 * iommu-testdev — BARs, bridge bus numbers and windows, command and
 * status, capability control registers, MSI-X tables and random offsets —
 * mixed with BAR accesses, DMA kicks and resets. The emulator must keep
 * answering, its root bus must still read back, and it must exit cleanly
 * (libqtest checks its stderr for sanitizer reports). Set
 * PCI_CONFIG_FUZZ_SEED to replay another seed.
 */
#include "libqtest-pci.h"

#include <string.h>

#define FUZZ_OPS 5000
#define FUZZ_DEFAULT_SEED 0x9c1f0022u

#define CAP_MSIX 0x11

typedef struct Board {
    const char *args;
    const char *nic; /* device_add arguments of the hot-pluggable "nic" */
    uint64_t ecam;
    uint64_t mmio_base;
    uint64_t mmio_size;
    uint32_t host_id; /* device << 16 | vendor of 0:00.0 */
} Board;

static const Board arm_board = {
    "-M virt -m 256 -host-model grace-hopper -object iommufd,id=iommufd0 "
    "-device pxb-pcie,id=pxb1,bus_nr=0x10,bus=pcie.0 "
    "-device pcie-root-port,id=rp1,chassis=1,bus=pxb1 "
    "-device arm-smmuv3,primary-bus=pxb1,accel=on,ssidsize=20,id=smmu1 "
    "-device vfio-pci,id=gpu,bus=rp1,iommufd=iommufd0,host=0009:01:00.0 "
    "-device pcie-root-port,id=rp2,chassis=2,bus=pcie.0,multifunction=on,"
    "addr=0x2 "
    "-device pcie-root-port,id=rp3,chassis=3,bus=pcie.0,addr=0x2.0x1 "
    "-device iommu-testdev,id=td,bus=rp2 "
    "-device vfio-pci,id=nic,bus=rp3,iommufd=iommufd0,host=0000:01:00.0",
    "'driver': 'vfio-pci', 'bus': 'rp3', 'iommufd': 'iommufd0', "
    "'host': '0000:01:00.0'",
    QPCI_ECAM_VIRT,
    0x8000000000ULL, /* high MMIO: the GPU's BARs are large */
    0x8000000000ULL,
    0x00081b36,
};

static const Board x86_board = {
    "-M q35 -m 256 -host-model vtd-sapphire-rapids "
    "-object iommufd,id=iommufd0 "
    "-device pxb-pcie,id=pxb1,bus_nr=0x20,bus=pcie.0 "
    "-device pcie-root-port,id=rp1,chassis=1,bus=pxb1 "
    "-device vfio-pci,id=dsa,bus=rp1,iommufd=iommufd0,host=0000:6a:01.0 "
    "-device pcie-root-port,id=rp2,chassis=2,bus=pcie.0,multifunction=on,"
    "addr=0x2 "
    "-device pcie-root-port,id=rp3,chassis=3,bus=pcie.0,addr=0x2.0x1 "
    "-device iommu-testdev,id=td,bus=rp2 "
    "-device vfio-pci,id=nic,bus=rp3,iommufd=iommufd0,host=0000:17:00.0",
    "'driver': 'vfio-pci', 'bus': 'rp3', 'iommufd': 'iommufd0', "
    "'host': '0000:17:00.0'",
    QPCI_ECAM_Q35,
    0x800000000ULL,
    0x800000000ULL,
    0x29c08086,
};

/* A function as enumerated, with the offsets worth hitting. */
typedef struct Target {
    int bus, devfn;
    bool bridge;
    uint64_t bar[6];
    uint64_t bar_size[6];
    GArray *hot;         /* guint16 offsets: capability registers */
    uint64_t msix_table; /* guest address, 0: none */
    unsigned msix_entries;
} Target;

typedef struct Fuzzer {
    QTestState *qts;
    QPCIECAM *ecam;
    GRand *rand;
    const Board *board;
    GPtrArray *targets;
    uint64_t testdev_bar;
} Fuzzer;

static uint32_t rnd(Fuzzer *f, uint32_t n)
{
    return n > 1 ? g_rand_int_range(f->rand, 0, n) : 0;
}

static uint64_t rnd64(Fuzzer *f)
{
    return (uint64_t)g_rand_int(f->rand) << 32 | g_rand_int(f->rand);
}

static void target_free(Target *t)
{
    g_array_unref(t->hot);
    g_free(t);
}

static void add_range(GArray *hot, unsigned from, unsigned len)
{
    for (unsigned off = from; off < from + len && off < 0x1000; off++) {
        guint16 v = off;

        g_array_append_val(hot, v);
    }
}

/* Capability registers (the first 0x40 bytes of each capability). */
static void find_hot(Fuzzer *f, Target *t)
{
    bool looped;
    g_autoptr(GArray) ext =
        qpci_ext_cap_list(f->ecam, t->bus, t->devfn, &looped);
    unsigned off = qpci_config_readb(f->ecam, t->bus, t->devfn, 0x34) & 0xfc;
    unsigned ext_off = 0x100;

    for (int n = 0; off >= 0x40 && n < 48; n++) {
        add_range(t->hot, off, 0x40);
        off = qpci_config_readb(f->ecam, t->bus, t->devfn, off + 1) & 0xfc;
    }
    for (guint i = 0; i < ext->len && ext_off >= 0x100; i++) {
        add_range(t->hot, ext_off, 0x40);
        ext_off =
            qpci_config_readl(f->ecam, t->bus, t->devfn, ext_off) >> 20 & 0xffc;
    }
    if (!t->hot->len) {
        add_range(t->hot, 0, 0x40);
    }
}

/* The MSI-X table's guest address, from the capability and the BARs. */
static void find_msix(Fuzzer *f, Target *t)
{
    uint8_t cap = qpci_find_cap(f->ecam, t->bus, t->devfn, CAP_MSIX);
    uint32_t table;
    unsigned bir;

    if (!cap) {
        return;
    }
    t->msix_entries =
        (qpci_config_readw(f->ecam, t->bus, t->devfn, cap + 2) & 0x7ff) + 1;
    table = qpci_config_readl(f->ecam, t->bus, t->devfn, cap + 4);
    bir = table & 7;
    if (bir < 6 && t->bar[bir]) {
        t->msix_table = t->bar[bir] + (table & ~7u);
    }
}

static void collect_targets(Fuzzer *f)
{
    g_autoptr(GPtrArray) fns =
        qpci_enumerate(f->ecam, f->board->mmio_base, f->board->mmio_size);

    g_ptr_array_set_size(f->targets, 0);
    for (guint i = 0; i < fns->len; i++) {
        QPCIFunction *fn = fns->pdata[i];
        Target *t = g_new0(Target, 1);

        t->bus = fn->bus;
        t->devfn = fn->devfn;
        t->bridge = fn->header_type == 1;
        memcpy(t->bar, fn->bar, sizeof(t->bar));
        memcpy(t->bar_size, fn->bar_size, sizeof(t->bar_size));
        t->hot = g_array_new(false, false, sizeof(guint16));
        find_hot(f, t);
        find_msix(f, t);
        g_ptr_array_add(f->targets, t);
        if (fn->vendor_id == 0x1b36 && fn->device_id == 0x0005) {
            f->testdev_bar = fn->bar[0];
        }
    }
}

static Target *pick_target(Fuzzer *f)
{
    return f->targets->pdata[rnd(f, f->targets->len)];
}

/* Header registers: command/status, BARs, bus numbers and windows, ROM. */
static const uint8_t header_offsets[] = {
    0x04, 0x05, 0x06, 0x07, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x14,
    0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x20, 0x22, 0x24,
    0x26, 0x28, 0x2c, 0x30, 0x32, 0x38, 0x3c, 0x3d, 0x3e, 0x3f,
};

static uint32_t fuzz_value(Fuzzer *f, Target *t, unsigned off)
{
    switch (rnd(f, 5)) {
    case 0:
        return 0;
    case 1:
        return 0xffffffff;
    case 2: /* flip a bit of what is there */
        return qpci_config_readl(f->ecam, t->bus, t->devfn, off & ~3u) ^
               (1u << rnd(f, 32)) >> (8 * (off & 3));
    default:
        return g_rand_int(f->rand);
    }
}

static void config_access(Fuzzer *f, int bus, int devfn, unsigned off,
                          unsigned size, bool write, uint32_t val)
{
    uint64_t addr =
        f->board->ecam + ((uint64_t)bus << 20) + ((uint64_t)devfn << 12) + off;

    /* any size and alignment, as a guest could issue them */
    switch (size) {
    case 1:
        write ? qtest_writeb(f->qts, addr, val)
              : (void)qtest_readb(f->qts, addr);
        break;
    case 2:
        write ? qtest_writew(f->qts, addr, val)
              : (void)qtest_readw(f->qts, addr);
        break;
    case 4:
        write ? qtest_writel(f->qts, addr, val)
              : (void)qtest_readl(f->qts, addr);
        break;
    default:
        write ? qtest_writeq(f->qts, addr, (uint64_t)val << 32 | val)
              : (void)qtest_readq(f->qts, addr);
    }
}

static void op_config(Fuzzer *f)
{
    Target *t = pick_target(f);
    unsigned size = 1u << rnd(f, 4);
    unsigned off;

    switch (rnd(f, 4)) {
    case 0:
        off = header_offsets[rnd(f, sizeof(header_offsets))];
        break;
    case 1:
        off = g_array_index(t->hot, guint16, rnd(f, t->hot->len));
        break;
    case 2:
        off = rnd(f, 0x1000);
        break;
    default:
        off = rnd(f, 0x40);
    }
    if (rnd(f, 4)) {
        off &= ~(size - 1); /* mostly aligned */
    }
    if (off + size > 0x1000) {
        off = 0x1000 - size;
    }
    config_access(f, t->bus, t->devfn, off, size, rnd(f, 4) != 0,
                  fuzz_value(f, t, off));
}

/* Functions that are not there, buses nobody decodes. */
static void op_probe(Fuzzer *f)
{
    config_access(f, rnd(f, 256), rnd(f, 256), rnd(f, 0x1000) & ~3u, 4,
                  rnd(f, 2), g_rand_int(f->rand));
}

/* x86: the legacy 0xcf8/0xcfc mechanism, with odd addresses and sizes. */
static void op_legacy(Fuzzer *f)
{
    Target *t = pick_target(f);
    uint32_t addr = rnd(f, 4) ? 0x80000000u | t->bus << 16 | t->devfn << 8 |
                                    (rnd(f, 256) & ~3u)
                              : g_rand_int(f->rand);
    uint16_t port = 0xcfc + rnd(f, 4);

    if (f->board != &x86_board) {
        return;
    }
    if (rnd(f, 8)) {
        qtest_outl(f->qts, 0xcf8, addr);
    } else {
        qtest_outb(f->qts, 0xcf8 + rnd(f, 4), addr);
    }
    switch (rnd(f, 6)) {
    case 0:
        qtest_outb(f->qts, port, g_rand_int(f->rand));
        break;
    case 1:
        qtest_outw(f->qts, port & ~1, g_rand_int(f->rand));
        break;
    case 2:
        qtest_outl(f->qts, 0xcfc, g_rand_int(f->rand));
        break;
    default:
        qtest_inl(f->qts, 0xcfc);
        qtest_inb(f->qts, port);
    }
}

/* Bridges: bus numbers that overlap, loop back to 0 or invert. */
static void op_bridge_buses(Fuzzer *f)
{
    Target *t = pick_target(f);
    static const uint8_t nums[] = {0, 1, 2, 0x10, 0x11, 0x20, 0xfe, 0xff};
    uint32_t v = nums[rnd(f, sizeof(nums))] | nums[rnd(f, sizeof(nums))] << 8 |
                 nums[rnd(f, sizeof(nums))] << 16;

    if (t->bridge) {
        config_access(f, t->bus, t->devfn, 0x18, 4, true, v);
    }
}

/* Bridge windows and BARs: inverted, overlapping, over RAM or ECAM. */
static void op_windows(Fuzzer *f)
{
    Target *t = pick_target(f);
    static const unsigned offs[] = {0x10, 0x14, 0x1c, 0x20, 0x24,
                                    0x28, 0x2c, 0x30, 0x18, 0x38};

    config_access(f, t->bus, t->devfn, offs[rnd(f, G_N_ELEMENTS(offs))], 4,
                  true, rnd(f, 2) ? g_rand_int(f->rand) : 0xffffffff);
    if (!rnd(f, 4)) {
        /* decoding on with whatever is there */
        config_access(f, t->bus, t->devfn, 4, 2, true, 0x7);
    }
}

static void op_msix(Fuzzer *f)
{
    Target *t = pick_target(f);
    uint8_t cap;
    uint64_t entry;

    if (!t->msix_table) {
        return;
    }
    cap = qpci_find_cap(f->ecam, t->bus, t->devfn, CAP_MSIX);
    if (cap && !rnd(f, 3)) {
        config_access(f, t->bus, t->devfn, cap + 2, 2, true,
                      (rnd(f, 2) ? 0x8000 : 0) | (rnd(f, 2) ? 0x4000 : 0));
    }
    /* an entry, or just past the table */
    entry = t->msix_table + 16 * rnd(f, t->msix_entries + 2);
    qtest_writel(f->qts, entry + 4 * rnd(f, 4),
                 rnd(f, 2) ? g_rand_int(f->rand) : 0);
    qtest_readl(f->qts, entry + 4 * rnd(f, 4));
}

/* BAR contents wherever the BARs are now. */
static void op_bar(Fuzzer *f)
{
    Target *t = pick_target(f);
    unsigned i = rnd(f, 6);
    uint64_t addr;

    if (!t->bar[i] || !t->bar_size[i]) {
        return;
    }
    addr = t->bar[i] + (rnd64(f) % t->bar_size[i] & ~3ull);
    if (rnd(f, 2)) {
        qtest_writel(f->qts, addr, g_rand_int(f->rand));
    } else {
        qtest_readl(f->qts, addr);
    }
}

/* iommu-testdev DMA to RAM or to nowhere, if its BAR is still there. */
static void op_dma(Fuzzer *f)
{
    uint64_t iova = rnd(f, 2) ? rnd64(f) : 0x40000000 + rnd(f, 0x100000);

    if (!f->testdev_bar) {
        return;
    }
    qtest_writel(f->qts, f->testdev_bar + 0x04, (uint32_t)iova);
    qtest_writel(f->qts, f->testdev_bar + 0x08, iova >> 32);
    qtest_writel(f->qts, f->testdev_bar + 0x0c, 1 + rnd(f, 64));
    qtest_writel(f->qts, f->testdev_bar + 0x14, 1);
    qtest_readl(f->qts, f->testdev_bar + 0x10);
}

/*
 * Hot-plug traffic in the middle of it: unplug requests the guest may or
 * may not complete (the storm writes slot control too), plugs into slots
 * that may be busy, powered off or behind scrambled bus numbers. Only the
 * replies matter.
 */
static void op_hotplug(Fuzzer *f)
{
    static const char *const ids[] = {"nic", "td", "hp0", "rp3"};
    JsonObject *rsp;

    switch (rnd(f, 3)) {
    case 0:
        rsp = qtest_qmp(f->qts,
                        "{'execute': 'device_del', 'arguments': {'id': '%s'}}",
                        ids[rnd(f, G_N_ELEMENTS(ids))]);
        break;
    case 1:
        rsp = qtest_qmp(f->qts,
                        "{'execute': 'device_add', 'arguments': "
                        "{'id': 'nic', %s}}",
                        f->board->nic);
        break;
    default:
        rsp = qtest_qmp(f->qts,
                        "{'execute': 'device_add', 'arguments': "
                        "{'driver': 'iommu-testdev', 'id': 'hp0', "
                        "'bus': 'rp%u'}}",
                        1 + rnd(f, 3));
    }
    g_assert_true(json_object_has_member(rsp, "return") ||
                  json_object_has_member(rsp, "error"));
    json_object_unref(rsp);
}

/*
 * A reset and a fresh enumeration, as firmware would do (a few times per
 * run: enumeration scans every bus and is slow over qtest).
 */
static void reset_and_enumerate(Fuzzer *f)
{
    qtest_qmp_assert_success(f->qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(f->qts, "RESET");
    collect_targets(f);
}

static void test_fuzz(void)
{
    const char *env = g_getenv("PCI_CONFIG_FUZZ_SEED");
    guint32 seed =
        env ? (guint32)g_ascii_strtoull(env, NULL, 0) : FUZZ_DEFAULT_SEED;
    void (*const ops[])(Fuzzer *) = {
        op_config,  op_config,  op_config, op_config,  op_config,
        op_config,  op_config,  op_config, op_probe,   op_bridge_buses,
        op_windows, op_windows, op_msix,   op_msix,    op_bar,
        op_bar,     op_dma,     op_legacy, op_hotplug,
    };
    Fuzzer f = {
        .rand = g_rand_new_with_seed(seed),
        .board =
            g_str_equal(qtest_get_arch(), "aarch64") ? &arm_board : &x86_board,
        .targets = g_ptr_array_new_with_free_func((GDestroyNotify)target_free),
    };
    JsonNode *status;

    g_test_message("seed 0x%x (PCI_CONFIG_FUZZ_SEED)", seed);
    f.qts = qtest_init(f.board->args);
    f.ecam = qpci_ecam_new(f.qts, f.board->ecam, 256);
    collect_targets(&f);
    g_assert_cmpuint(f.targets->len, >=, 8);
    g_assert_cmphex(f.testdev_bar, !=, 0);

    for (int i = 1; i <= FUZZ_OPS; i++) {
        ops[rnd(&f, G_N_ELEMENTS(ops))](&f);
        if (i % (FUZZ_OPS / 3) == 0 && i < FUZZ_OPS) {
            reset_and_enumerate(&f);
        }
    }

    /*
     * Still answering, and the root bus reads back: over ECAM on virt,
     * through 0xcf8 on q35, whose ECAM window the guest may have moved
     * or turned off (PCIEXBAR is the guest's to write).
     */
    status = qtest_qmp_assert_success_ref(f.qts, "{'execute': 'query-status'}");
    g_assert_true(JSON_NODE_HOLDS_OBJECT(status));
    json_node_unref(status);
    json_node_unref(
        qtest_qmp_assert_success_ref(f.qts, "{'execute': 'query-pci'}"));
    if (f.board == &x86_board) {
        qtest_outl(f.qts, 0xcf8, 0x80000000);
        g_assert_cmphex(qtest_inl(f.qts, 0xcfc), ==, f.board->host_id);
    } else {
        g_assert_cmphex(qpci_config_readl(f.ecam, 0, 0, 0), ==,
                        f.board->host_id);
    }
    /* and a reset brings back a topology firmware can enumerate */
    reset_and_enumerate(&f);
    g_assert_cmphex(qpci_config_readl(f.ecam, 0, 0, 0), ==, f.board->host_id);
    /* host bridge, expander, root ports at least; endpoints may be gone */
    g_assert_cmpuint(f.targets->len, >=, 5);

    g_ptr_array_unref(f.targets);
    qpci_ecam_free(f.ecam);
    g_rand_free(f.rand);
    qtest_quit(f.qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/pci-config/fuzz", test_fuzz);
    return g_test_run();
}
