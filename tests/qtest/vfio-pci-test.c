/*
 * vfio-pci over the bundled host models, as a guest sees it through
 * ECAM: the ATS policy matrix (ats x host ATS verdict x machine version),
 * the rebuilt extended chain, config space emulation and BARs, the PCI
 * Express capability by bus type, PASID placement and the AtomicOps
 * completer bits on the root port. The same on virt and q35.
 */
#include "libqtest-pci.h"

#include <string.h>

#define CAP_ID_EXP 0x10
#define CAP_ID_MSIX 0x11
#define EXP_FLAGS 0x02
#define EXP_TYPE(flags) (((flags) >> 4) & 0xf)
#define EXP_TYPE_ENDPOINT 0x0
#define EXP_TYPE_RC_END 0x9
#define EXP_LNKCAP 0x0c
#define EXP_LNKSTA 0x12
#define EXP_DEVCAP2 0x24
#define DEVCAP2_ATOMIC_COMP 0x380

#define EXT_AER 0x0001
#define EXT_VC 0x0002
#define EXT_DSN 0x0003
#define EXT_ACS 0x000d
#define EXT_ATS 0x000f
#define EXT_PRI 0x0013
#define EXT_TPH 0x0017
#define EXT_LTR 0x0018
#define EXT_PASID 0x001b
#define EXT_DVSEC 0x0023

#define ATS_ERROR_TAIL                                                         \
    "ats=on but the host kernel reports ATS unsupported for this device "      \
    "(IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED); use ats=auto or ats=off"
#define ATS_WARNING_TEXT "ats=on with x-ats-strict=off"

/* A host device with an ATS capability, and its guest-visible chain. */
typedef struct HostDev {
    const char *model;
    const char *addr;
    uint16_t vendor;
    uint16_t device;
    const uint16_t *chain; /* with ATS; ATS is left out when hidden */
    int chain_len;
} HostDev;

typedef struct Board {
    const char *machine;
    const char *old_machine; /* the newest machine type hw_compat_11_0 hits */
    uint64_t ecam;
    uint64_t mmio_base;
    uint64_t mmio_size;
    HostDev ats_usable;
    HostDev ats_unusable;
} Board;

/*
 * ConnectX-style NICs: ARI (0x180) always goes, the host kernel already
 * hides Secondary PCIe (0x1c0) in the VFIO config region, ATS is the last.
 */
static const uint16_t cx_chain[] = {EXT_AER, EXT_DSN, EXT_ACS, EXT_ATS};
/* Intel DSA: ATS in the middle of the chain; the kernel hides PASID and no
 * vIOMMU on q35 asks for a synthesized one. */
static const uint16_t dsa_chain[] = {EXT_AER,   EXT_LTR, EXT_TPH, EXT_VC,
                                     EXT_DVSEC, EXT_ATS, EXT_PRI};

static const Board arm_board = {
    "virt",
    "virt-11.0",
    QPCI_ECAM_VIRT,
    0x8000000000ULL,
    0x8000000000ULL,
    {"grace-hopper", "0000:01:00.0", 0x15b3, 0x1021, cx_chain,
     G_N_ELEMENTS(cx_chain)},
    {"arm-smmuv3-basic", "0000:01:00.0", 0x15b3, 0x101d, cx_chain,
     G_N_ELEMENTS(cx_chain)},
};

static const Board x86_board = {
    "q35",
    "pc-q35-11.0",
    QPCI_ECAM_Q35,
    0x800000000ULL,
    0x800000000ULL,
    {"vtd-sapphire-rapids", "0000:6a:01.0", 0x8086, 0x0b25, dsa_chain,
     G_N_ELEMENTS(dsa_chain)},
    {"vtd-skylake-nonest", "0000:3b:00.0", 0x15b3, 0x1017, cx_chain,
     G_N_ELEMENTS(cx_chain)},
};

static const Board *board;

typedef struct Vm {
    QTestState *qts;
    QPCIECAM *ecam;
    GPtrArray *fns;
} Vm;

/* The machine with one root port (rp0) and an iommufd (iommufd0). */
static Vm vm_start(const char *machine, const char *model, const char *extra)
{
    Vm vm;

    vm.qts = qtest_initf("-M %s -host-model %s -object iommufd,id=iommufd0 "
                         "-device pcie-root-port,id=rp0,chassis=1,port=1 %s",
                         machine, model, extra);
    vm.ecam = qpci_ecam_new(vm.qts, board->ecam, 256);
    vm.fns = qpci_enumerate(vm.ecam, board->mmio_base, board->mmio_size);
    return vm;
}

static void vm_end(Vm *vm)
{
    g_ptr_array_unref(vm->fns);
    qpci_ecam_free(vm->ecam);
    qtest_quit(vm->qts);
}

static QPCIFunction *vm_find(Vm *vm, uint16_t vendor, uint16_t device)
{
    QPCIFunction *f = qpci_function_find(vm->fns, vendor, device);

    g_assert_nonnull(f);
    return f;
}

static uint16_t exp_flags(Vm *vm, QPCIFunction *f)
{
    uint8_t exp = qpci_find_cap(vm->ecam, f->bus, f->devfn, CAP_ID_EXP);

    g_assert_cmpuint(exp, !=, 0);
    return qpci_config_readw(vm->ecam, f->bus, f->devfn, exp + EXP_FLAGS);
}

/* The chain must end cleanly and list exactly the expected IDs. */
static void assert_ext_chain(Vm *vm, QPCIFunction *f, const uint16_t *want,
                             int n, bool with_ats)
{
    bool looped;
    g_autoptr(GArray) ids =
        qpci_ext_cap_list(vm->ecam, f->bus, f->devfn, &looped);
    int j = 0;

    g_assert_false(looped);
    for (int i = 0; i < n; i++) {
        if (want[i] == EXT_ATS && !with_ats) {
            continue;
        }
        g_assert_cmpuint(j, <, ids->len);
        g_assert_cmphex(g_array_index(ids, guint16, j), ==, want[i]);
        j++;
    }
    g_assert_cmpuint(ids->len, ==, j);
}

/* The ATS matrix */

typedef enum AtsMode {
    MODE_DEFAULT,
    MODE_AUTO,
    MODE_ON,
    MODE_OFF,
    MODE_ON_NONSTRICT,
    MODE__MAX,
} AtsMode;

static const char *const mode_names[] = {"default", "auto", "on", "off",
                                         "on-nonstrict"};
static const char *const mode_opts[] = {"", ",ats=auto", ",ats=on", ",ats=off",
                                        ",ats=on,x-ats-strict=off"};

typedef enum Outcome {
    SHOWN,
    HIDDEN,
    SHOWN_WARNED,
    FAILS,
} Outcome;

/* [old machine][mode][host: 0 ATS unusable, 1 usable] */
static const Outcome ats_expect[2][MODE__MAX][2] = {
    /* the newest machine type */
    {
        [MODE_DEFAULT] = {HIDDEN, SHOWN},
        [MODE_AUTO] = {HIDDEN, SHOWN},
        [MODE_ON] = {FAILS, SHOWN},
        [MODE_OFF] = {HIDDEN, HIDDEN},
        [MODE_ON_NONSTRICT] = {SHOWN_WARNED, SHOWN},
    },
    /* 11.0: hw_compat_11_0 sets ats=on, x-ats-strict=off */
    {
        [MODE_DEFAULT] = {SHOWN_WARNED, SHOWN},
        [MODE_AUTO] = {HIDDEN, SHOWN},
        [MODE_ON] = {SHOWN_WARNED, SHOWN},
        [MODE_OFF] = {HIDDEN, HIDDEN},
        [MODE_ON_NONSTRICT] = {SHOWN_WARNED, SHOWN},
    },
};

typedef struct AtsCell {
    bool old;
    AtsMode mode;
    bool usable;
} AtsCell;

static AtsCell ats_cells[2][MODE__MAX][2];

static void test_ats_matrix(const void *opaque)
{
    const AtsCell *c = opaque;
    const HostDev *h = c->usable ? &board->ats_usable : &board->ats_unusable;
    const char *machine = c->old ? board->old_machine : board->machine;
    Outcome want = ats_expect[c->old][c->mode][c->usable];
    g_autofree char *dev = g_strdup_printf(
        "-device vfio-pci,id=dev0,bus=rp0,iommufd=iommufd0,host=%s%s", h->addr,
        mode_opts[c->mode]);
    g_autofree char *err = NULL;
    Vm vm;

    if (want == FAILS) {
        g_autofree char *args = g_strdup_printf(
            "-M %s -host-model %s -object iommufd,id=iommufd0 -device "
            "pcie-root-port,id=rp0,chassis=1 %s",
            machine, h->model, dev);
        g_autofree char *line = g_strdup_printf(
            "vfio-pci dev0 (%s): " ATS_ERROR_TAIL "\n", h->addr);
        int status;

        qtest_init_expect_failure(args, &status, &err);
        g_assert_cmpint(status, ==, 1);
        /* One line: "qemu-system-ARCH: -device ...: vfio-pci dev0 ..." */
        g_assert_true(g_str_has_prefix(err, "qemu-system-"));
        g_assert_true(g_str_has_suffix(err, line));
        g_assert_true(strchr(err, '\n') == err + strlen(err) - 1);
        return;
    }

    vm = vm_start(machine, h->model, dev);
    err = qtest_get_stderr(vm.qts);
    if (want == SHOWN_WARNED) {
        g_autofree char *text = g_strdup_printf(
            "warning: vfio-pci dev0 (%s): " ATS_WARNING_TEXT, h->addr);

        g_assert_nonnull(strstr(err, text));
        g_assert_nonnull(strstr(err, "IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED"));
    } else {
        g_assert_null(strstr(err, "ats=on"));
    }
    assert_ext_chain(&vm, vm_find(&vm, h->vendor, h->device), h->chain,
                     h->chain_len, want != HIDDEN);
    vm_end(&vm);
}

static void add_ats_matrix(void)
{
    for (int old = 0; old < 2; old++) {
        for (int mode = 0; mode < MODE__MAX; mode++) {
            for (int usable = 0; usable < 2; usable++) {
                AtsCell *c = &ats_cells[old][mode][usable];
                g_autofree char *path = g_strdup_printf(
                    "/vfio-pci/ats/%s/%s/%s",
                    old ? board->old_machine : board->machine, mode_names[mode],
                    usable ? "usable" : "unusable");

                *c = (AtsCell){old, mode, usable};
                qtest_add_data_func(path, c, test_ats_matrix);
            }
        }
    }
}

/* ats=on for a device with no ATS capability at all: a warning only. */
static void test_ats_on_without_cap(void)
{
    Vm vm = vm_start(board->machine, "arm-smmuv3-basic",
                     "-device vfio-pci,id=dev0,bus=rp0,iommufd=iommufd0,"
                     "host=0000:02:00.0,ats=on");
    g_autofree char *err = qtest_get_stderr(vm.qts);
    QPCIFunction *f = vm_find(&vm, 0x144d, 0xa808);

    g_assert_nonnull(strstr(err, "warning: vfio-pci dev0 (0000:02:00.0): "
                                 "ats=on but the device has no ATS "
                                 "capability"));
    /* No extended capabilities: the chain stays empty. */
    g_assert_cmphex(qpci_config_readl(vm.ecam, f->bus, f->devfn, 0x100), ==, 0);
    vm_end(&vm);
}

/* Config space: emulated bits, the device's bits, BARs */

static void test_config_space(void)
{
    const HostDev *h = &board->ats_unusable;
    g_autofree char *dev = g_strdup_printf(
        "-device vfio-pci,id=dev0,bus=rp0,iommufd=iommufd0,host=%s,"
        "x-pci-sub-device-id=0x1234",
        h->addr);
    Vm vm = vm_start(board->machine, h->model, dev);
    QPCIFunction *f = vm_find(&vm, h->vendor, h->device);
    QPCIECAM *e = vm.ecam;
    uint64_t bar0 = f->bar[0];
    uint8_t msix;

    /* BAR0 sized from the region (32 MiB), 64-bit, placed by firmware. */
    g_assert_cmphex(f->bar_size[0], ==, 0x2000000);
    g_assert_cmphex(qpci_config_readl(e, f->bus, f->devfn, 0x10) & 0xf, ==,
                    0xc);
    g_assert_cmphex(bar0, !=, 0);
    g_assert_cmphex(qpci_config_readw(e, f->bus, f->devfn, 0x2e), ==, 0x1234);

    /* Memory decoding reached the device, and the BAR reaches region 0. */
    g_assert_cmphex(qpci_config_readw(e, f->bus, f->devfn, 0x04) & 0x6, ==,
                    0x6);
    qtest_writel(vm.qts, bar0 + 0x100, 0xdeadbeef);
    qtest_writeq(vm.qts, bar0 + 0x1ff8, 0x0123456789abcdefULL);
    g_assert_cmphex(qtest_readl(vm.qts, bar0 + 0x100), ==, 0xdeadbeef);
    g_assert_cmphex(qtest_readq(vm.qts, bar0 + 0x1ff8), ==,
                    0x0123456789abcdefULL);

    /* Decoding off: the BAR no longer answers; on again: it does. */
    qpci_config_writew(e, f->bus, f->devfn, 0x04, 0x4);
    g_assert_cmphex(qpci_config_readw(e, f->bus, f->devfn, 0x04) & 0x6, ==,
                    0x4);
    g_assert_cmphex(qtest_readl(vm.qts, bar0 + 0x100), !=, 0xdeadbeef);
    qpci_config_writew(e, f->bus, f->devfn, 0x04, 0x6);
    g_assert_cmphex(qtest_readl(vm.qts, bar0 + 0x100), ==, 0xdeadbeef);

    /* Interrupt line is ours; cache line size is the device's. */
    qpci_config_writeb(e, f->bus, f->devfn, 0x3c, 0x2a);
    g_assert_cmphex(qpci_config_readb(e, f->bus, f->devfn, 0x3c), ==, 0x2a);
    qpci_config_writeb(e, f->bus, f->devfn, 0x0c, 0x10);
    g_assert_cmphex(qpci_config_readb(e, f->bus, f->devfn, 0x0c), ==, 0x10);

    /* MSI-X (64 vectors, table at 0x2000 of BAR0) is emulated. */
    msix = qpci_find_cap(e, f->bus, f->devfn, CAP_ID_MSIX);
    g_assert_cmphex(msix, ==, 0x9c);
    g_assert_cmphex(qpci_config_readw(e, f->bus, f->devfn, msix + 2), ==,
                    0x003f);
    g_assert_cmphex(qpci_config_readl(e, f->bus, f->devfn, msix + 4), ==,
                    0x2000);
    qpci_config_writew(e, f->bus, f->devfn, msix + 2, 0xffff);
    g_assert_cmphex(qpci_config_readw(e, f->bus, f->devfn, msix + 2), ==,
                    0xc03f);
    /* Entries start masked. */
    g_assert_cmphex(qtest_readl(vm.qts, bar0 + 0x2000 + 12), ==, 1);

    /* BAR sizing by the guest. */
    qpci_config_writel(e, f->bus, f->devfn, 0x10, 0xffffffff);
    g_assert_cmphex(qpci_config_readl(e, f->bus, f->devfn, 0x10), ==,
                    0xfe00000c);
    vm_end(&vm);
}

/* Device type by placement: Endpoint below a port, RCiEP on a root bus. */
static void test_pcie_placement(void)
{
    Vm vm = vm_start(board->machine, "vtd-sapphire-rapids",
                     "-device vfio-pci,id=dev0,bus=rp0,iommufd=iommufd0,"
                     "host=0000:6a:01.0 "
                     "-device vfio-pci,id=dev1,bus=pcie.0,addr=0x6,"
                     "iommufd=iommufd0,host=0000:17:00.0");
    QPCIFunction *dsa = vm_find(&vm, 0x8086, 0x0b25);
    QPCIFunction *gpu = vm_find(&vm, 0x1002, 0x740f);
    uint8_t exp;

    /* The DSA is an RCiEP: below a root port it shows an x1 2.5 GT/s
     * Endpoint. */
    g_assert_cmpint(dsa->bus, !=, 0);
    g_assert_cmpuint(EXP_TYPE(exp_flags(&vm, dsa)), ==, EXP_TYPE_ENDPOINT);
    exp = qpci_find_cap(vm.ecam, dsa->bus, dsa->devfn, CAP_ID_EXP);
    g_assert_cmphex(
        qpci_config_readl(vm.ecam, dsa->bus, dsa->devfn, exp + EXP_LNKCAP), ==,
        0x11);
    g_assert_cmphex(
        qpci_config_readw(vm.ecam, dsa->bus, dsa->devfn, exp + EXP_LNKSTA), ==,
        0x11);
    /* The GPU is an Endpoint: on the root bus it is integrated, no link. */
    g_assert_cmpint(gpu->bus, ==, 0);
    g_assert_cmpuint(EXP_TYPE(exp_flags(&vm, gpu)), ==, EXP_TYPE_RC_END);
    exp = qpci_find_cap(vm.ecam, gpu->bus, gpu->devfn, CAP_ID_EXP);
    g_assert_cmphex(
        qpci_config_readl(vm.ecam, gpu->bus, gpu->devfn, exp + EXP_LNKCAP), ==,
        0);
    g_assert_cmphex(
        qpci_config_readw(vm.ecam, gpu->bus, gpu->devfn, exp + EXP_LNKSTA), ==,
        0);
    vm_end(&vm);
}

/*
 * Reset: the device is reset (the model restores its power-on config,
 * where the DSA decodes memory and masters), yet the guest sees decoding
 * off until it enables it, and our emulated state is back to defaults.
 */
static void test_reset(void)
{
    Vm vm = vm_start(board->machine, "vtd-sapphire-rapids",
                     "-device vfio-pci,id=dev0,bus=pcie.0,addr=0x6,"
                     "iommufd=iommufd0,host=0000:6a:01.0");
    QPCIFunction *f = vm_find(&vm, 0x8086, 0x0b25);
    QPCIECAM *e = vm.ecam;

    g_assert_cmphex(qpci_config_readw(e, 0, f->devfn, 0x04) & 0x7, ==, 0x6);
    g_assert_cmphex(qpci_config_readl(e, 0, f->devfn, 0x10) & ~0xfu, !=, 0);
    qpci_config_writeb(e, 0, f->devfn, 0x3c, 0x2a);

    qtest_qmp_assert_success(vm.qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(vm.qts, "RESET");
    g_assert_cmphex(qpci_config_readw(e, 0, f->devfn, 0x04) & 0x7, ==, 0);
    g_assert_cmphex(qpci_config_readl(e, 0, f->devfn, 0x10), ==, 0xc);
    g_assert_cmphex(qpci_config_readl(e, 0, f->devfn, 0x14), ==, 0);
    g_assert_cmphex(qpci_config_readb(e, 0, f->devfn, 0x3c), ==, 0);
    vm_end(&vm);
}

/* A conventional device: 256 bytes of config space, no extended space. */
static void test_conventional_device(void)
{
    Vm vm = vm_start(board->machine, "vtd-skylake-nonest",
                     "-device vfio-pci,id=dev0,bus=pcie.0,addr=0x6,"
                     "iommufd=iommufd0,host=0000:00:03.0");
    QPCIFunction *f = vm_find(&vm, 0x8086, 0x100e);

    g_assert_cmphex(f->bar_size[0], ==, 0x20000);
    g_assert_cmpuint(qpci_find_cap(vm.ecam, f->bus, f->devfn, CAP_ID_EXP), ==,
                     0);
    g_assert_cmphex(qpci_config_readl(vm.ecam, f->bus, f->devfn, 0x100), ==,
                    0xffffffff);
    vm_end(&vm);
}

/* The ROM BAR reads the device's ROM region; rombar=0 hides it. */
static void test_rombar(const void *opaque)
{
    bool hidden = GPOINTER_TO_INT(opaque);
    g_autofree char *dev =
        g_strdup_printf("-device vfio-pci,id=dev0,bus=rp0,iommufd=iommufd0,"
                        "host=0000:17:00.0%s",
                        hidden ? ",rombar=0" : "");
    Vm vm = vm_start(board->machine, "vtd-sapphire-rapids", dev);
    QPCIFunction *f = vm_find(&vm, 0x1002, 0x740f);

    qpci_config_writel(vm.ecam, f->bus, f->devfn, 0x30, 0xfffff800);
    g_assert_cmphex(qpci_config_readl(vm.ecam, f->bus, f->devfn, 0x30), ==,
                    hidden ? 0 : 0xfffe0000);
    vm_end(&vm);
}

/* AtomicOps completers on the root port above a lone function 0. */
static uint32_t rp_devcap2(Vm *vm, int bus, int devfn)
{
    uint8_t exp = qpci_find_cap(vm->ecam, bus, devfn, CAP_ID_EXP);

    return qpci_config_readl(vm->ecam, bus, devfn, exp + EXP_DEVCAP2);
}

/* The root ports in discovery order (rp0, rp1, ...). */
static QPCIFunction *nth_root_port(Vm *vm, int n)
{
    for (guint i = 0; i < vm->fns->len; i++) {
        QPCIFunction *f = vm->fns->pdata[i];

        if (f->vendor_id == 0x1b36 && f->device_id == 0x000c && n-- == 0) {
            return f;
        }
    }
    g_assert_not_reached();
}

static void test_atomics(void)
{
    Vm vm = vm_start(board->machine, "vtd-sapphire-rapids",
                     "-device vfio-pci,id=dev0,bus=rp0,iommufd=iommufd0,"
                     "host=0000:17:00.0 "
                     "-device pcie-root-port,id=rp1,chassis=2 "
                     "-device vfio-pci,id=dev1,bus=rp1,iommufd=iommufd0,"
                     "host=0000:6a:01.0");
    QPCIFunction *rp0 = nth_root_port(&vm, 0);
    QPCIFunction *rp1 = nth_root_port(&vm, 1);

    /* The GPU's host enabled 32/64/128-bit completion. */
    g_assert_cmphex(rp_devcap2(&vm, rp0->bus, rp0->devfn) & DEVCAP2_ATOMIC_COMP,
                    ==, DEVCAP2_ATOMIC_COMP);
    /* The DSA reports none. */
    g_assert_cmphex(rp_devcap2(&vm, rp1->bus, rp1->devfn) & DEVCAP2_ATOMIC_COMP,
                    ==, 0);
    vm_end(&vm);
}

/* A multi-function device does not own the link: no completer bits. */
static void test_atomics_multifunction(void)
{
    Vm vm = vm_start(board->machine, "vtd-sapphire-rapids",
                     "-device vfio-pci,id=dev0,bus=rp0,iommufd=iommufd0,"
                     "host=0000:17:00.0,multifunction=on");
    QPCIFunction *rp0 = nth_root_port(&vm, 0);

    g_assert_cmphex(rp_devcap2(&vm, rp0->bus, rp0->devfn) & DEVCAP2_ATOMIC_COMP,
                    ==, 0);
    vm_end(&vm);
}

/* PASID */

static void test_pasid_offset_refused(const void *opaque)
{
    const char *const *c = opaque;
    g_autofree char *args = g_strdup_printf(
        "-M %s -host-model %s -object iommufd,id=iommufd0 "
        "-device vfio-pci,id=dev0,iommufd=iommufd0,host=%s,"
        "x-vpasid-cap-offset=%s",
        board->machine, board->ats_usable.model, board->ats_usable.addr, c[0]);
    g_autofree char *err = NULL;
    int status;

    qtest_init_expect_failure(args, &status, &err);
    g_assert_cmpint(status, ==, 1);
    g_assert_nonnull(strstr(err, c[1]));
}

static const char *const pasid_refused[][2] = {
    {"0x402", "vfio-pci: x-vpasid-cap-offset 0x402: not dword aligned\n"},
    {"0x80", "vfio-pci: x-vpasid-cap-offset 0x80: outside the extended "
             "configuration space (0x100..0xff8)\n"},
    {"0xffc", "vfio-pci: x-vpasid-cap-offset 0xffc: outside the extended "
              "configuration space (0x100..0xff8)\n"},
};

/*
 * Synthesis needs a vIOMMU that sets VIOMMU_FLAG_PASID_SUPPORTED (on Arm:
 * arm-smmuv3,accel=on with ssidsize > 0, explicit or resolved from the
 * host) and a device whose PASID capability the VFIO config region does
 * not show (the kernel hides it; the grace-hopper GPU reports 20 bits
 * with Exec and Priv, and its SMMU SSIDSIZE 20).
 */
#define PASID_VIOMMU                                                           \
    "-device pxb-pcie,id=pxb1,bus_nr=0x10,bus=pcie.0 "                         \
    "-device pcie-root-port,id=rp1,chassis=2,bus=pxb1 "                        \
    "-device arm-smmuv3,primary-bus=pxb1,accel=on,id=smmu1"

typedef struct PasidCase {
    const char *smmu_opt;
    const char *offset_opt;
    uint16_t offset; /* 0: no PASID capability */
} PasidCase;

static const PasidCase pasid_cases[] = {
    {",ssidsize=20", "", 0xff8},
    {",ssidsize=20", ",x-vpasid-cap-offset=0x400", 0x400},
    {"", "", 0xff8},             /* ssidsize=auto: the host's 20 bits */
    {",ssidsize=0", "", 0},      /* no SubstreamIDs: no PASID */
};

static void test_pasid_synthesis(const void *opaque)
{
    const PasidCase *c = opaque;
    QPCIFunction *f;
    uint16_t pasid;
    Vm vm;

    if (board != &arm_board) {
        g_test_skip("PASID synthesis is exercised on virt");
        return;
    }
    vm.qts = qtest_initf("-M virt -host-model grace-hopper -object "
                         "iommufd,id=iommufd0 " PASID_VIOMMU "%s "
                         "-device vfio-pci,id=dev0,bus=rp1,iommufd=iommufd0,"
                         "host=0009:01:00.0%s",
                         c->smmu_opt, c->offset_opt);
    vm.ecam = qpci_ecam_new(vm.qts, board->ecam, 256);
    vm.fns = qpci_enumerate(vm.ecam, board->mmio_base, board->mmio_size);
    f = vm_find(&vm, 0x10de, 0x2342);
    pasid = qpci_find_ext_cap(vm.ecam, f->bus, f->devfn, EXT_PASID);
    g_assert_cmphex(pasid, ==, c->offset);
    if (pasid) {
        g_assert_cmphex(
            qpci_config_readw(vm.ecam, f->bus, f->devfn, pasid + 4), ==,
            (20 << 8) | 0x6);
        g_assert_cmphex(
            qpci_config_readw(vm.ecam, f->bus, f->devfn, pasid + 6), ==, 0);
        qpci_config_writew(vm.ecam, f->bus, f->devfn, pasid + 6, 0xffff);
        g_assert_cmphex(
            qpci_config_readw(vm.ecam, f->bus, f->devfn, pasid + 6), ==, 0x7);
    }
    vm_end(&vm);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    board = g_str_equal(qtest_get_arch(), "aarch64") ? &arm_board : &x86_board;
    add_ats_matrix();
    qtest_add_func("/vfio-pci/ats/on-without-cap", test_ats_on_without_cap);
    qtest_add_func("/vfio-pci/config-space", test_config_space);
    qtest_add_func("/vfio-pci/pcie-placement", test_pcie_placement);
    qtest_add_func("/vfio-pci/conventional", test_conventional_device);
    qtest_add_func("/vfio-pci/reset", test_reset);
    qtest_add_data_func("/vfio-pci/rombar/shown", GINT_TO_POINTER(0),
                        test_rombar);
    qtest_add_data_func("/vfio-pci/rombar/hidden", GINT_TO_POINTER(1),
                        test_rombar);
    qtest_add_func("/vfio-pci/atomics/root-port", test_atomics);
    qtest_add_func("/vfio-pci/atomics/multifunction",
                   test_atomics_multifunction);
    for (size_t i = 0; i < G_N_ELEMENTS(pasid_refused); i++) {
        g_autofree char *path =
            g_strdup_printf("/vfio-pci/pasid/refused/%s", pasid_refused[i][0]);

        qtest_add_data_func(path, pasid_refused[i], test_pasid_offset_refused);
    }
    qtest_add_data_func("/vfio-pci/pasid/default", &pasid_cases[0],
                        test_pasid_synthesis);
    qtest_add_data_func("/vfio-pci/pasid/explicit", &pasid_cases[1],
                        test_pasid_synthesis);
    qtest_add_data_func("/vfio-pci/pasid/ssidsize-auto", &pasid_cases[2],
                        test_pasid_synthesis);
    qtest_add_data_func("/vfio-pci/pasid/ssidsize-0", &pasid_cases[3],
                        test_pasid_synthesis);
    return g_test_run();
}
