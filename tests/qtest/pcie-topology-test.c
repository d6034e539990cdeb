/*
 * PCI Express topology end to end: the host bridges, pxb-pcie and
 * pcie-root-port as firmware enumerates them over ECAM, libvirt's
 * command-line shapes, bad topologies, query-pci, the generic initiator
 * object and (virt) the device tree written by dumpdtb.
 */
#include "libqtest-pci.h"
#include "hw/misc/iommu-testdev.h"

#include <string.h>
#include <unistd.h>

#define REDHAT 0x1b36
#define ID_PXB 0x000b
#define ID_ROOT_PORT 0x000c
#define ID_TESTDEV 0x0005
#define CLASS_HOST_BRIDGE 0x0600
#define CLASS_PCI_BRIDGE 0x0604

#define CAP_ID_VNDR 0x09
#define CAP_ID_EXP 0x10
#define CAP_ID_MSIX 0x11
#define EXT_CAP_AER 0x0001
#define EXT_CAP_ACS 0x000d

typedef struct Board {
    const char *machine;
    uint64_t ecam;
    uint64_t mmio_base; /* a window for the enumerator's BARs */
    uint64_t mmio_size;
    uint16_t host_vendor; /* the function at 0:00.0 */
    uint16_t host_device;
    uint64_t ram; /* RAM base */
} Board;

static Board board;

typedef struct Topo {
    QTestState *qts;
    QPCIECAM *ecam;
    GPtrArray *fns;
} Topo;

static Topo topo_start(const char *extra)
{
    Topo t;

    t.qts = qtest_initf("-M %s %s", board.machine, extra);
    t.ecam = qpci_ecam_new(t.qts, board.ecam, 256);
    t.fns = qpci_enumerate(t.ecam, board.mmio_base, board.mmio_size);
    return t;
}

static void topo_end(Topo *t)
{
    g_ptr_array_unref(t->fns);
    qpci_ecam_free(t->ecam);
    qtest_quit(t->qts);
}

/* The n-th function (0-based) with vendor:device in discovery order. */
static QPCIFunction *find_nth(Topo *t, uint16_t device, int n)
{
    for (guint i = 0; i < t->fns->len; i++) {
        QPCIFunction *f = t->fns->pdata[i];

        if (f->vendor_id == REDHAT && f->device_id == device && n-- == 0) {
            return f;
        }
    }
    g_error("function %04x:%04x #%d not enumerated", REDHAT, device, n);
}

static QPCIFunction *find_at(Topo *t, int bus, int devfn)
{
    for (guint i = 0; i < t->fns->len; i++) {
        QPCIFunction *f = t->fns->pdata[i];

        if (f->bus == bus && f->devfn == devfn) {
            return f;
        }
    }
    g_error("nothing enumerated at %02x:%02x.%x", bus, QPCI_SLOT(devfn),
            QPCI_FUNC(devfn));
}

/* A device's BAR0 registers answer through every window above it. */
static void assert_testdev_reachable(Topo *t, QPCIFunction *dev)
{
    g_assert_cmphex(dev->bar_size[0], ==, IOMMU_TESTDEV_BAR0_SIZE);
    g_assert_cmphex(dev->bar[0], >=, board.mmio_base);
    g_assert_cmphex(dev->bar[0], <, board.mmio_base + board.mmio_size);
    g_assert_cmphex(qtest_readl(t->qts, dev->bar[0] + A_ITD_RESULT), ==,
                    ITD_RESULT_IDLE);
    qtest_writel(t->qts, dev->bar[0] + A_ITD_LEN, 0x40);
    g_assert_cmphex(qtest_readl(t->qts, dev->bar[0] + A_ITD_LEN), ==, 0x40);
}

static void assert_root_port_caps(Topo *t, QPCIFunction *rp)
{
    uint8_t exp = qpci_find_cap(t->ecam, rp->bus, rp->devfn, CAP_ID_EXP);
    uint16_t flags;
    g_autoptr(GArray) ext = NULL;

    g_assert_cmpint(exp, !=, 0);
    flags = qpci_config_readw(t->ecam, rp->bus, rp->devfn, exp + 2);
    g_assert_cmphex(flags & 0xf, ==, 2);         /* version 2 */
    g_assert_cmphex((flags >> 4) & 0xf, ==, 4);  /* root port */
    g_assert_cmphex(flags & 0x100, ==, 0x100);   /* slot implemented */
    /* DEVCAP2: no AtomicOp completer bits until vfio-pci sets them. */
    g_assert_cmphex(qpci_config_readl(t->ecam, rp->bus, rp->devfn,
                                      exp + 0x24) & 0x380, ==, 0);
    g_assert_cmpint(qpci_find_cap(t->ecam, rp->bus, rp->devfn, CAP_ID_MSIX),
                    !=, 0);
    ext = qpci_ext_cap_list(t->ecam, rp->bus, rp->devfn, NULL);
    g_assert_cmpint(ext->len, ==, 2);
    g_assert_cmphex(g_array_index(ext, guint16, 0), ==, EXT_CAP_AER);
    g_assert_cmphex(g_array_index(ext, guint16, 1), ==, EXT_CAP_ACS);
}

/* The topology: pxb-pcie, a root port on it, a device below. */
static void test_pxb_root_port(void)
{
    Topo t = topo_start(
        "-device pxb-pcie,id=pcie.1,bus_nr=1,bus=pcie.0,numa_node=0 "
        "-device pcie-root-port,id=pcie.port1,bus=pcie.1,chassis=1,"
        "io-reserve=0 "
        "-device iommu-testdev,id=dev0,bus=pcie.port1");
    QPCIFunction *host = find_at(&t, 0, 0);
    QPCIFunction *pxb = find_nth(&t, ID_PXB, 0);
    QPCIFunction *rp = find_nth(&t, ID_ROOT_PORT, 0);
    QPCIFunction *dev = find_nth(&t, ID_TESTDEV, 0);
    uint8_t vndr;

    g_assert_cmphex(host->vendor_id, ==, board.host_vendor);
    g_assert_cmphex(host->device_id, ==, board.host_device);
    g_assert_cmphex(host->class_code >> 8, ==, CLASS_HOST_BRIDGE);
    g_assert_cmpint(pxb->bus, ==, 0);
    g_assert_cmpint(pxb->header_type, ==, 0);
    g_assert_cmphex(pxb->class_code >> 8, ==, CLASS_HOST_BRIDGE);
    /* The expander's root bus answers as bus 1. */
    g_assert_cmpint(rp->bus, ==, 1);
    g_assert_cmpint(rp->devfn, ==, 0);
    g_assert_cmpint(rp->header_type, ==, 1);
    g_assert_cmphex(rp->class_code >> 8, ==, CLASS_PCI_BRIDGE);
    g_assert_cmpint(rp->secondary_bus, ==, 2);
    g_assert_cmpint(rp->subordinate_bus, ==, 2);
    g_assert_cmpint(dev->bus, ==, 2);
    g_assert_cmpint(dev->devfn, ==, 0);
    assert_testdev_reachable(&t, dev);
    assert_root_port_caps(&t, rp);

    /* io-reserve=0 reaches firmware through QEMU's vendor capability. */
    vndr = qpci_find_cap(t.ecam, 1, 0, CAP_ID_VNDR);
    g_assert_cmpint(vndr, !=, 0);
    g_assert_cmphex(qpci_config_readb(t.ecam, 1, 0, vndr + 3), ==, 1);
    g_assert_cmphex(qpci_config_readl(t.ecam, 1, 0, vndr + 4), ==,
                    0xffffffff);
    g_assert_cmphex(qpci_config_readl(t.ecam, 1, 0, vndr + 8), ==, 0);
    g_assert_cmphex(qpci_config_readl(t.ecam, 1, 0, vndr + 12), ==, 0);
    topo_end(&t);
}

static uint32_t testdev_dma(QTestState *qts, uint64_t bar, uint64_t gva,
                            uint64_t gpa, uint32_t len, uint32_t attrs,
                            bool arm)
{
    qtest_writel(qts, bar + A_ITD_GVA_LO, (uint32_t)gva);
    qtest_writel(qts, bar + A_ITD_GVA_HI, gva >> 32);
    qtest_writel(qts, bar + A_ITD_GPA_LO, (uint32_t)gpa);
    qtest_writel(qts, bar + A_ITD_GPA_HI, gpa >> 32);
    qtest_writel(qts, bar + A_ITD_LEN, len);
    qtest_writel(qts, bar + A_ITD_ATTRS, attrs);
    if (arm) {
        qtest_writel(qts, bar + A_ITD_DBELL, 1);
        g_assert_cmphex(qtest_readl(qts, bar + A_ITD_RESULT), ==,
                        ITD_RESULT_BUSY);
    }
    g_assert_cmphex(qtest_readl(qts, bar + A_ITD_DMA_TRIGGERING), ==, 0);
    return qtest_readl(qts, bar + A_ITD_RESULT);
}

/* iommu-testdev behind pxb-pcie and a root port, without a vIOMMU. */
static void test_testdev_dma(void)
{
    Topo t = topo_start(
        "-device pxb-pcie,id=pcie.1,bus_nr=1,bus=pcie.0 "
        "-device pcie-root-port,id=pcie.port1,bus=pcie.1,chassis=1 "
        "-device iommu-testdev,id=dev0,bus=pcie.port1");
    QPCIFunction *dev = find_nth(&t, ID_TESTDEV, 0);
    uint64_t bar = dev->bar[0];
    uint64_t ram = board.ram + 0x200000;
    uint8_t buf[6];

    g_assert_cmphex(testdev_dma(t.qts, bar, ram, ram, 6, ITD_ATTRS_RESET,
                                true),
                    ==, ITD_RESULT_OK);
    qtest_memread(t.qts, ram, buf, sizeof(buf));
    g_assert_cmpmem(buf, sizeof(buf), ((uint8_t[]){0x78, 0x56, 0x34, 0x12,
                                                   0x78, 0x56}),
                    6);
    /* Disarmed afterwards. */
    g_assert_cmphex(testdev_dma(t.qts, bar, ram, ram, 6, ITD_ATTRS_RESET,
                                false),
                    ==, ITD_RESULT_NOT_ARMED);
    g_assert_cmphex(testdev_dma(t.qts, bar, ram, ram, 0, ITD_ATTRS_RESET,
                                true),
                    ==, ITD_RESULT_LEN_ZERO);
    /* Space valid (bit 3) and Secure, but the non-secure space. */
    g_assert_cmphex(testdev_dma(t.qts, bar, ram, ram, 4, 0xb, true), ==,
                    ITD_RESULT_BAD_ATTRS);
    /* Landing elsewhere than expected. */
    g_assert_cmphex(testdev_dma(t.qts, bar, ram + 0x1000, ram + 0x2000, 4,
                                ITD_ATTRS_RESET, true),
                    ==, ITD_RESULT_MISMATCH);
    /* Nothing at the address. */
    g_assert_cmphex(testdev_dma(t.qts, bar, 0x7f0000000000ULL, ram, 4,
                                ITD_ATTRS_RESET, true),
                    ==, ITD_RESULT_DMA_FAILED);
    /* Without Bus Master Enable the device cannot reach memory. */
    qpci_config_writew(t.ecam, dev->bus, dev->devfn, 0x04, 0x0002);
    g_assert_cmphex(testdev_dma(t.qts, bar, ram, ram, 4, ITD_ATTRS_RESET,
                                true),
                    ==, ITD_RESULT_DMA_FAILED);
    /* DMA and IDLE/BUSY through the doorbell. */
    qtest_writel(t.qts, bar + A_ITD_DBELL, 1);
    qtest_writel(t.qts, bar + A_ITD_DBELL, 0);
    g_assert_cmphex(qtest_readl(t.qts, bar + A_ITD_RESULT), ==,
                    ITD_RESULT_IDLE);
    topo_end(&t);
}

/* libvirt test case A's topology (no SMMU or VFIO devices). */
static void test_libvirt_pxb(void)
{
    g_autofree char *args = g_strdup_printf(
        "%s"
        "-device '{\"driver\":\"pxb-pcie\",\"bus_nr\":252,\"id\":\"pci.1\","
        "\"bus\":\"pcie.0\",\"addr\":\"0x1\"}' "
        "-device '{\"driver\":\"pxb-pcie\",\"bus_nr\":248,\"id\":\"pci.2\","
        "\"bus\":\"pcie.0\",\"addr\":\"0x2\"}' "
        "-device '{\"driver\":\"pcie-root-port\",\"port\":0,\"chassis\":21,"
        "\"id\":\"pci.3\",\"bus\":\"pci.1\",\"addr\":\"0x0\"}' "
        "-device '{\"driver\":\"pcie-root-port\",\"port\":168,"
        "\"chassis\":22,\"id\":\"pci.4\",\"bus\":\"pci.2\",\"addr\":\"0x0\"}' "
        "-device '{\"driver\":\"iommu-testdev\",\"id\":\"hostdev0\","
        "\"bus\":\"pci.3\",\"addr\":\"0x0\"}' "
        "-device '{\"driver\":\"iommu-testdev\",\"id\":\"hostdev1\","
        "\"bus\":\"pci.4\",\"addr\":\"0x0\"}'",
        g_str_equal(board.machine, "virt")
            ? "-machine usb=off,gic-version=2,dump-guest-core=off,"
              "memory-backend=mach-virt.ram,acpi=off "
              "-object '{\"qom-type\":\"memory-backend-ram\","
              "\"id\":\"mach-virt.ram\",\"size\":1073741824}' "
            : "");
    Topo t = topo_start(args);
    QPCIFunction *pxb1 = find_at(&t, 0, QPCI_DEVFN(1, 0));
    QPCIFunction *pxb2 = find_at(&t, 0, QPCI_DEVFN(2, 0));
    /* Roots are scanned in bus order: 248 first, then 252. */
    QPCIFunction *rp4 = find_nth(&t, ID_ROOT_PORT, 0);
    QPCIFunction *rp3 = find_nth(&t, ID_ROOT_PORT, 1);
    uint8_t exp;

    g_assert_cmphex(pxb1->device_id, ==, ID_PXB);
    g_assert_cmphex(pxb2->device_id, ==, ID_PXB);
    g_assert_cmpint(rp4->bus, ==, 248);
    g_assert_cmpint(rp3->bus, ==, 252);
    g_assert_cmpint(rp4->secondary_bus, ==, 249);
    g_assert_cmpint(rp3->secondary_bus, ==, 253);
    assert_testdev_reachable(&t, find_at(&t, 249, 0));
    assert_testdev_reachable(&t, find_at(&t, 253, 0));
    /* port= is the link's port number (LNKCAP bits 31:24). */
    exp = qpci_find_cap(t.ecam, 248, 0, CAP_ID_EXP);
    g_assert_cmphex(qpci_config_readl(t.ecam, 248, 0, exp + 0xc) >> 24, ==,
                    168);
    topo_end(&t);
}

/* libvirt test cases G (q35) and H (virt): multifunction root ports. */
static void test_libvirt_multifunction(void)
{
    Topo t = topo_start(
        "-device '{\"driver\":\"pcie-root-port\",\"port\":16,\"chassis\":1,"
        "\"id\":\"pci.1\",\"bus\":\"pcie.0\",\"multifunction\":true,"
        "\"addr\":\"0x2\"}' "
        "-device '{\"driver\":\"pcie-root-port\",\"port\":17,\"chassis\":2,"
        "\"id\":\"pci.2\",\"bus\":\"pcie.0\",\"addr\":\"0x2.0x1\"}' "
        "-device '{\"driver\":\"pcie-root-port\",\"port\":18,\"chassis\":3,"
        "\"id\":\"pci.3\",\"bus\":\"pcie.0\",\"addr\":\"0x2.0x2\"}' "
        "-device '{\"driver\":\"iommu-testdev\",\"id\":\"hostdev0\","
        "\"bus\":\"pci.1\",\"addr\":\"0x0\"}' "
        "-device '{\"driver\":\"iommu-testdev\",\"id\":\"hostdev1\","
        "\"bus\":\"pci.2\",\"addr\":\"0x0\"}' "
        "-device '{\"driver\":\"iommu-testdev\",\"id\":\"hostdev2\","
        "\"bus\":\"pcie.0\",\"addr\":\"0x3\"}'");

    g_assert_cmphex(qpci_config_readb(t.ecam, 0, QPCI_DEVFN(2, 0), 0x0e), ==,
                    0x81);
    for (int fn = 0; fn < 3; fn++) {
        QPCIFunction *rp = find_at(&t, 0, QPCI_DEVFN(2, fn));

        g_assert_cmphex(rp->device_id, ==, ID_ROOT_PORT);
        g_assert_cmpint(rp->secondary_bus, ==, fn + 1);
    }
    assert_testdev_reachable(&t, find_at(&t, 1, 0));
    assert_testdev_reachable(&t, find_at(&t, 2, 0));
    assert_testdev_reachable(&t, find_at(&t, 0, QPCI_DEVFN(3, 0)));
    topo_end(&t);
}

/* Start-up failures: status 1 and one line naming the problem. */
typedef struct BadCase {
    const char *path;
    const char *args;
    const char *expect;
} BadCase;

static const BadCase bad_cases[] = {
    {"unknown-bus", "-device pcie-root-port,id=rp,bus=nope,chassis=1",
     "Bus 'nope' not found"},
    {"occupied-slot",
     "-device pcie-root-port,id=a,chassis=1,addr=0x4 "
     "-device pcie-root-port,id=b,chassis=2,addr=0x4",
     "PCI: slot 4 function 0 not available for pcie-root-port, in use by "
     "pcie-root-port,id=a"},
    {"pxb-on-port",
     "-device pcie-root-port,id=rp,chassis=1 "
     "-device pxb-pcie,id=x,bus_nr=5,bus=rp",
     "PXB devices can be attached only to root bus"},
    {"pxb-on-pxb",
     "-device pxb-pcie,id=x,bus_nr=5,bus=pcie.0 "
     "-device pxb-pcie,id=y,bus_nr=9,bus=x",
     "PXB devices can be attached only to root bus"},
    {"bus-nr-clash",
     "-device pxb-pcie,id=x,bus_nr=5 -device pxb-pcie,id=y,bus_nr=5",
     "Bus 5 is already in use by x"},
    {"bus-nr-zero", "-device pxb-pcie,id=x,bus_nr=0",
     "Bus 0 is already in use by pcie.0"},
    {"pxb-numa", "-device pxb-pcie,id=x,bus_nr=3,numa_node=2",
     "Illegal numa node 2"},
    {"chassis-clash",
     "-device pcie-root-port,id=a,chassis=3 "
     "-device pcie-root-port,id=b,chassis=3",
     "chassis 3 slot 0 is already used by a"},
    {"downstream-slot",
     "-device pcie-root-port,id=rp,chassis=1 "
     "-device iommu-testdev,bus=rp,addr=0x1",
     "PCI: slot 1 is not valid for iommu-testdev"},
    {"single-function",
     "-device pcie-root-port,id=a,chassis=1,addr=0x5 "
     "-device pcie-root-port,id=b,chassis=2,addr=0x5.0x1",
     "PCI: single function device can't be populated in function 5.1"},
    {"reserve-conflict",
     "-device pcie-root-port,id=a,chassis=1,pref32-reserve=1M,"
     "pref64-reserve=1M",
     "PREF32 and PREF64 conflict"},
    {"gi-no-device",
     "-object acpi-generic-initiator,id=gi0,pci-dev=nope,node=0",
     "acpi-generic-initiator 'gi0': device 'nope' not found"},
    {"gi-not-pci",
     "-device x-compat-test-dev,id=c "
     "-object acpi-generic-initiator,id=gi0,pci-dev=c,node=0",
     "acpi-generic-initiator 'gi0': device 'c' is not a PCI device"},
    {"gi-no-node",
     "-device iommu-testdev,id=d "
     "-object acpi-generic-initiator,id=gi0,pci-dev=d,node=3",
     "acpi-generic-initiator 'gi0': NUMA node 3 does not exist"},
};

static void test_bad_topology(const void *opaque)
{
    const BadCase *c = opaque;
    g_autofree char *args = g_strdup_printf("-M %s %s", board.machine,
                                            c->args);
    g_autofree char *err = NULL;
    g_auto(GStrv) lines = NULL;
    int status;

    qtest_init_expect_failure(args, &status, &err);
    g_assert_cmpint(status, ==, 1);
    lines = g_strsplit(g_strchomp(err), "\n", -1);
    if (g_strv_length(lines) != 1) {
        g_error("expected one line of stderr, got:\n%s", err);
    }
    if (!strstr(lines[0], c->expect)) {
        g_error("'%s' not found in '%s'", c->expect, lines[0]);
    }
}

/* A generic initiator naming an existing PCI device and NUMA node. */
static void test_generic_initiator(void)
{
    QTestState *qts = qtest_initf(
        "-M %s -m 1G -smp 2 "
        "-object memory-backend-ram,id=m0,size=512M "
        "-object memory-backend-ram,id=m1,size=512M "
        "-numa node,nodeid=0,cpus=0,memdev=m0 "
        "-numa node,nodeid=1,cpus=1,memdev=m1 "
        "-device pxb-pcie,id=pci.1,bus_nr=8,numa_node=1 "
        "-device iommu-testdev,id=dev0,bus=pci.1 "
        "-object acpi-generic-initiator,id=gi0,pci-dev=dev0,node=1",
        board.machine);

    g_assert_cmpint(qtest_qom_get_int(qts, "/objects/gi0", "node"), ==, 1);
    qtest_quit(qts);
}

static JsonObject *find_device(JsonArray *devices, int slot, int function)
{
    for (guint i = 0; i < json_array_get_length(devices); i++) {
        JsonObject *d = json_array_get_object_element(devices, i);

        if (json_object_get_int_member(d, "slot") == slot &&
            json_object_get_int_member(d, "function") == function) {
            return d;
        }
    }
    g_error("query-pci lists no device at slot %d function %d", slot,
            function);
}

static void test_query_pci(void)
{
    Topo t = topo_start(
        "-device pxb-pcie,id=pcie.1,bus_nr=1,bus=pcie.0,addr=0x3 "
        "-device pcie-root-port,id=pcie.port1,bus=pcie.1,chassis=1 "
        "-device iommu-testdev,id=dev0,bus=pcie.port1");
    QPCIFunction *dev = find_nth(&t, ID_TESTDEV, 0);
    JsonNode *ret = qtest_qmp_assert_success_ref(t.qts,
                                                 "{'execute': 'query-pci'}");
    JsonArray *roots = json_node_get_array(ret);
    JsonObject *root0, *root1, *pxb, *rp, *bridge, *busi, *d, *region;
    JsonArray *below;

    g_assert_cmpint(json_array_get_length(roots), ==, 2);
    root0 = json_array_get_object_element(roots, 0);
    root1 = json_array_get_object_element(roots, 1);
    g_assert_cmpint(json_object_get_int_member(root0, "bus"), ==, 0);
    g_assert_cmpint(json_object_get_int_member(root1, "bus"), ==, 1);

    pxb = find_device(json_object_get_array_member(root0, "devices"), 3, 0);
    g_assert_cmpint(json_object_get_int_member(
                        json_object_get_object_member(pxb, "id"), "device"),
                    ==, ID_PXB);
    g_assert_cmpint(json_object_get_int_member(
                        json_object_get_object_member(pxb, "class_info"),
                        "class"),
                    ==, CLASS_HOST_BRIDGE);
    g_assert_cmpstr(json_object_get_string_member(pxb, "qdev_id"), ==,
                    "pcie.1");

    rp = find_device(json_object_get_array_member(root1, "devices"), 0, 0);
    g_assert_cmpstr(json_object_get_string_member(rp, "qdev_id"), ==,
                    "pcie.port1");
    bridge = json_object_get_object_member(rp, "pci_bridge");
    busi = json_object_get_object_member(bridge, "bus");
    g_assert_cmpint(json_object_get_int_member(busi, "number"), ==, 1);
    g_assert_cmpint(json_object_get_int_member(busi, "secondary"), ==, 2);
    g_assert_cmpint(json_object_get_int_member(busi, "subordinate"), ==, 2);
    g_assert_true(json_object_has_member(busi, "memory_range"));
    g_assert_true(json_object_has_member(busi, "prefetchable_range"));
    g_assert_true(json_object_has_member(busi, "io_range"));

    below = json_object_get_array_member(bridge, "devices");
    g_assert_cmpint(json_array_get_length(below), ==, 1);
    d = json_array_get_object_element(below, 0);
    g_assert_cmpint(json_object_get_int_member(d, "bus"), ==, 2);
    g_assert_cmpstr(json_object_get_string_member(d, "qdev_id"), ==, "dev0");
    region = json_array_get_object_element(
        json_object_get_array_member(d, "regions"), 0);
    g_assert_cmpint(json_object_get_int_member(region, "bar"), ==, 0);
    g_assert_cmpstr(json_object_get_string_member(region, "type"), ==,
                    "memory");
    g_assert_cmpint(json_object_get_int_member(region, "size"), ==,
                    IOMMU_TESTDEV_BAR0_SIZE);
    g_assert_cmpint(json_object_get_int_member(region, "address"), ==,
                    dev->bar[0]);
    json_node_unref(ret);
    topo_end(&t);
}

/* virt only: -machine dumpdtb=FILE, decompiled with dtc. */

static char *dump_dts(const char *machine_opts, const char *extra)
{
    g_autofree char *path = g_strdup_printf("%s/wpi-%d.dtb", g_get_tmp_dir(),
                                            (int)getpid());
    g_autofree char *args = g_strdup_printf(
        "-M virt,%sdumpdtb=%s -accel qtest %s", machine_opts, path, extra);
    g_autofree char *err = NULL;
    char *argv[] = {"dtc", "-I", "dtb", "-O", "dts", path, NULL};
    char *dts = NULL;
    int status;

    qtest_run_cmdline(args, &status, NULL, &err);
    g_assert_cmpint(status, ==, 0);
    g_assert_nonnull(strstr(err, "dtb dumped to"));
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
                               NULL, &dts, NULL, &status, NULL));
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    unlink(path);
    return dts;
}

static void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle)) {
        g_error("'%s' not found in:\n%s", needle, text);
    }
}

static void test_dumpdtb(void)
{
    g_autofree char *dts = NULL;
    g_autofree char *dtc = g_find_program_in_path("dtc");

    if (!dtc) {
        g_test_skip("dtc (device-tree-compiler) is not installed");
        return;
    }
    dts = dump_dts("", "-device pcie-root-port,id=rp,chassis=1");
    assert_contains(dts, "compatible = \"linux,dummy-virt\"");
    assert_contains(dts, "pcie@10000000 {");
    assert_contains(dts, "compatible = \"pci-host-ecam-generic\"");
    assert_contains(dts, "reg = <0x40 0x10000000 0x00 0x10000000>");
    assert_contains(dts, "bus-range = <0x00 0xff>");
    assert_contains(dts, "0x3000000 0x80 0x00 0x80 0x00 0x80 0x00");
    assert_contains(dts, "memory@40000000 {");
    assert_contains(dts, "reg = <0x00 0x40000000 0x00 0x8000000>");
    g_free(dts);

    dts = dump_dts("highmem=off,", "");
    assert_contains(dts, "reg = <0x00 0x3f000000 0x00 0x1000000>");
    assert_contains(dts, "bus-range = <0x00 0x0f>");
    g_assert_null(strstr(dts, "0x3000000 0x80"));
    g_free(dts);

    dts = dump_dts("iommu=smmuv3,", "");
    assert_contains(dts, "smmuv3@9050000 {");
    assert_contains(dts, "compatible = \"arm,smmu-v3\"");
    assert_contains(dts, "iommu-map = <0x00 0x01 0x00 0x10000>");
    g_free(dts);

    dts = dump_dts("", "-m 1G -smp 2 "
                       "-object memory-backend-ram,id=m0,size=256M "
                       "-object memory-backend-ram,id=m1,size=768M "
                       "-numa node,nodeid=0,cpus=0,memdev=m0 "
                       "-numa node,nodeid=1,cpus=1,memdev=m1");
    assert_contains(dts, "memory@40000000 {");
    assert_contains(dts, "memory@50000000 {");
    assert_contains(dts, "reg = <0x00 0x50000000 0x00 0x30000000>");
    assert_contains(dts, "numa-node-id = <0x01>");
}

static void add_bad_cases(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
        g_autofree char *path = g_strdup_printf("/pcie/bad/%s",
                                                bad_cases[i].path);

        qtest_add_data_func(path, &bad_cases[i], test_bad_topology);
    }
}

int main(int argc, char **argv)
{
    bool arm = g_str_equal(qtest_get_arch(), "aarch64");

    g_test_init(&argc, &argv, NULL);
    board = arm ? (Board){"virt", QPCI_ECAM_VIRT, 0x10000000, 0x2eff0000,
                          REDHAT, 0x0008, 0x40000000}
                : (Board){"q35", QPCI_ECAM_Q35, 0xc0000000, 0x20000000,
                          0x8086, 0x29c0, 0};
    qtest_add_func("/pcie/topology/pxb-root-port", test_pxb_root_port);
    qtest_add_func("/pcie/topology/libvirt-pxb", test_libvirt_pxb);
    qtest_add_func("/pcie/topology/libvirt-multifunction",
                   test_libvirt_multifunction);
    qtest_add_func("/pcie/query-pci", test_query_pci);
    qtest_add_func("/pcie/iommu-testdev/dma", test_testdev_dma);
    qtest_add_func("/pcie/generic-initiator", test_generic_initiator);
    add_bad_cases();
    if (arm) {
        qtest_add_func("/pcie/dumpdtb", test_dumpdtb);
    }
    return g_test_run();
}
