/*
 * vfio-pci hot-plug over QMP: device_add onto a hot-plug capable root
 * port, device_del with DEVICE_DELETED, the AtomicOps completer bits that
 * come and go with the device, a refused hot-add that leaves nothing
 * behind, and vfio-pci-nohotplug refusing both directions.
 */
#include "libqtest-pci.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CAP_ID_EXP 0x10
#define EXP_DEVCAP2 0x24
#define DEVCAP2_ATOMIC_COMP 0x380
#define EXT_ATS 0x000f

typedef struct Board {
    const char *machine;
    uint64_t ecam;
    uint64_t mmio_base;
    uint64_t mmio_size;
} Board;

static Board board;

typedef struct Env {
    QTestState *qts;
    QPCIECAM *ecam;
    int rp0_bus, rp0_devfn, rp0_secondary; /* empty, hot-plug capable */
    int rp1_secondary;                     /* holds a cold-plugged device */
} Env;

static Env env_start(const char *model, const char *extra)
{
    Env e = {0};
    g_autoptr(GPtrArray) fns = NULL;
    int n = 0;

    e.qts = qtest_initf("-M %s -host-model %s -object iommufd,id=iommufd0 "
                        "-device pcie-root-port,id=rp0,chassis=1 "
                        "-device pcie-root-port,id=rp1,chassis=2 %s",
                        board.machine, model, extra);
    e.ecam = qpci_ecam_new(e.qts, board.ecam, 256);
    fns = qpci_enumerate(e.ecam, board.mmio_base, board.mmio_size);
    for (guint i = 0; i < fns->len; i++) {
        QPCIFunction *f = fns->pdata[i];

        if (f->vendor_id != 0x1b36 || f->device_id != 0x000c) {
            continue;
        }
        if (n++ == 0) {
            e.rp0_bus = f->bus;
            e.rp0_devfn = f->devfn;
            e.rp0_secondary = f->secondary_bus;
        } else {
            e.rp1_secondary = f->secondary_bus;
        }
    }
    g_assert_cmpint(n, ==, 2);
    return e;
}

static void env_end(Env *e)
{
    qpci_ecam_free(e->ecam);
    qtest_quit(e->qts);
}

static uint16_t vendor_below(Env *e, int secondary)
{
    return qpci_config_readw(e->ecam, secondary, 0, 0);
}

static uint32_t rp0_completers(Env *e)
{
    uint8_t exp = qpci_find_cap(e->ecam, e->rp0_bus, e->rp0_devfn, CAP_ID_EXP);

    return qpci_config_readl(e->ecam, e->rp0_bus, e->rp0_devfn,
                             exp + EXP_DEVCAP2) &
           DEVCAP2_ATOMIC_COMP;
}

static void test_hotplug_unplug(void)
{
    Env e = env_start("vtd-sapphire-rapids", "");

    g_assert_cmphex(vendor_below(&e, e.rp0_secondary), ==, 0xffff);
    g_assert_cmphex(rp0_completers(&e), ==, 0);

    /* Twice: the first removal must have released everything. */
    for (int round = 0; round < 2; round++) {
        qtest_qmp_device_add(e.qts, "vfio-pci", "hp0",
                             "{'bus': 'rp0', 'iommufd': 'iommufd0', "
                             "'host': '0000:17:00.0'}");
        g_assert_cmphex(vendor_below(&e, e.rp0_secondary), ==, 0x1002);
        g_assert_cmphex(qpci_config_readw(e.ecam, e.rp0_secondary, 0, 2), ==,
                        0x740f);
        g_assert_cmphex(qpci_find_ext_cap(e.ecam, e.rp0_secondary, 0, EXT_ATS),
                        ==, 0x2b0);
        g_assert_cmphex(rp0_completers(&e), ==, DEVCAP2_ATOMIC_COMP);

        qtest_qmp_device_del(e.qts, "hp0");
        g_assert_cmphex(vendor_below(&e, e.rp0_secondary), ==, 0xffff);
        g_assert_cmphex(rp0_completers(&e), ==, 0);
    }
    env_end(&e);
}

static void test_nohotplug(void)
{
    Env e = env_start("vtd-sapphire-rapids",
                      "-device vfio-pci-nohotplug,id=cold,bus=rp1,"
                      "iommufd=iommufd0,host=0000:6a:01.0");
    JsonObject *rsp;

    g_assert_cmphex(vendor_below(&e, e.rp1_secondary), ==, 0x8086);
    rsp = qtest_qmp(e.qts, "{'execute': 'device_del', "
                           "'arguments': {'id': 'cold'}}");
    qtest_qmp_expect_error(rsp, "GenericError",
                           "Device 'vfio-pci-nohotplug' does not support "
                           "hotplugging");
    g_assert_cmphex(vendor_below(&e, e.rp1_secondary), ==, 0x8086);

    rsp = qtest_qmp(e.qts, "{'execute': 'device_add', 'arguments': "
                           "{'driver': 'vfio-pci-nohotplug', 'id': 'hot', "
                           "'bus': 'rp0', 'iommufd': 'iommufd0', "
                           "'host': '0000:17:00.0'}}");
    qtest_qmp_expect_error(rsp, "GenericError",
                           "Device 'vfio-pci-nohotplug' does not support "
                           "hotplugging");
    g_assert_cmphex(vendor_below(&e, e.rp0_secondary), ==, 0xffff);
    env_end(&e);
}

/* A refused hot-add leaves no trace: the device and iommufd are free. */
static void test_refused_hotplug(void)
{
    Env e = env_start("vtd-skylake-nonest", "");
    JsonObject *rsp;

    rsp = qtest_qmp(e.qts, "{'execute': 'device_add', 'arguments': "
                           "{'driver': 'vfio-pci', 'id': 'hp0', "
                           "'bus': 'rp0', 'iommufd': 'iommufd0', "
                           "'host': '0000:3b:00.0', 'ats': 'on'}}");
    qtest_qmp_expect_error(rsp, "GenericError",
                           "vfio-pci hp0 (0000:3b:00.0): ats=on but the host "
                           "kernel reports ATS unsupported for this device "
                           "(IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED); use "
                           "ats=auto or ats=off");
    g_assert_cmphex(vendor_below(&e, e.rp0_secondary), ==, 0xffff);

    rsp = qtest_qmp(e.qts, "{'execute': 'device_add', 'arguments': "
                           "{'driver': 'vfio-pci', 'id': 'hp0', "
                           "'bus': 'rp0', 'iommufd': 'iommufd0', "
                           "'host': '0000:3b:00.0', "
                           "'x-vpasid-cap-offset': 1026}}");
    qtest_qmp_expect_error(rsp, "GenericError",
                           "vfio-pci: x-vpasid-cap-offset 0x402: not dword "
                           "aligned");

    /* The same host device again, with the default policy: ATS hidden. */
    qtest_qmp_device_add(e.qts, "vfio-pci", "hp0",
                         "{'bus': 'rp0', 'iommufd': 'iommufd0', "
                         "'host': '0000:3b:00.0'}");
    g_assert_cmphex(vendor_below(&e, e.rp0_secondary), ==, 0x15b3);
    g_assert_cmphex(qpci_find_ext_cap(e.ecam, e.rp0_secondary, 0, EXT_ATS), ==,
                    0);

    /* In use, the iommufd object stays; once the device is gone it can go. */
    rsp = qtest_qmp(e.qts, "{'execute': 'object-del', "
                           "'arguments': {'id': 'iommufd0'}}");
    g_assert_nonnull(qtest_qmp_error_desc(rsp));
    json_object_unref(rsp);
    qtest_qmp_device_del(e.qts, "hp0");
    qtest_qmp_assert_success(e.qts, "{'execute': 'object-del', "
                                    "'arguments': {'id': 'iommufd0'}}");
    env_end(&e);
}

/*
 * libvirt's form: the device comes as an fd (getfd), no host address. In
 * model mode an fd is a memfd named after the model path it stands for.
 */
static void test_hotplug_fd(void)
{
    Env e = env_start("vtd-sapphire-rapids", "");
    int fd = memfd_create("host-model:/dev/vfio/devices/vfio1", 0);
    JsonObject *rsp;

    g_assert_cmpint(fd, >=, 0);
    rsp = qtest_qmp_fds(e.qts, &fd, 1,
                        "{'execute': 'getfd', "
                        "'arguments': {'fdname': 'dev17'}}");
    g_assert_null(qtest_qmp_error_desc(rsp));
    json_object_unref(rsp);
    close(fd);

    qtest_qmp_device_add(e.qts, "vfio-pci", "hostdev0",
                         "{'bus': 'rp0', 'iommufd': 'iommufd0', "
                         "'fd': 'dev17'}");
    g_assert_cmphex(vendor_below(&e, e.rp0_secondary), ==, 0x1002);
    g_assert_cmphex(rp0_completers(&e), ==, DEVCAP2_ATOMIC_COMP);
    qtest_qmp_device_del(e.qts, "hostdev0");
    g_assert_cmphex(vendor_below(&e, e.rp0_secondary), ==, 0xffff);
    g_assert_cmphex(rp0_completers(&e), ==, 0);
    env_end(&e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    board =
        g_str_equal(qtest_get_arch(), "aarch64")
            ? (Board){"virt", QPCI_ECAM_VIRT, 0x8000000000ULL, 0x8000000000ULL}
            : (Board){"q35", QPCI_ECAM_Q35, 0x800000000ULL, 0x800000000ULL};
    qtest_add_func("/vfio-pci/hotplug/plug-unplug", test_hotplug_unplug);
    qtest_add_func("/vfio-pci/hotplug/nohotplug", test_nohotplug);
    qtest_add_func("/vfio-pci/hotplug/refused", test_refused_hotplug);
    qtest_add_func("/vfio-pci/hotplug/fd", test_hotplug_fd);
    return g_test_run();
}
