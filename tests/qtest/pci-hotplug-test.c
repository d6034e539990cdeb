/*
 * Hot-plug on PCIe root ports through QMP: device_add / device_del show
 * in the port's slot status, link status and hot-plug interrupt (an
 * MSI-X write into RAM); what cannot be unplugged is refused with a
 * clear error and the machine keeps running.
 */
#include "libqtest-pci.h"

#include <string.h>

#define REDHAT 0x1b36
#define ID_TESTDEV 0x0005
#define CAP_ID_EXP 0x10
#define CAP_ID_MSIX 0x11

/* PCI Express capability registers and bits (PCIe base spec). */
#define EXP_LNKSTA 0x12
#define EXP_LNKSTA_DLLLA 0x2000
#define EXP_SLTCAP 0x14
#define EXP_SLTCAP_HPS 0x20
#define EXP_SLTCAP_HPC 0x40
#define EXP_SLTCTL 0x18
#define EXP_SLTCTL_PDCE 0x0008
#define EXP_SLTCTL_HPIE 0x0020
#define EXP_SLTCTL_DLLSCE 0x1000
#define EXP_SLTSTA 0x1a
#define EXP_SLTSTA_PDC 0x0008
#define EXP_SLTSTA_PDS 0x0040
#define EXP_SLTSTA_DLLSC 0x0100
#define MSIX_FLAGS_HI 3 /* high byte of Message Control */
#define MSIX_ENABLE_HI 0x80
#define MSI_DATA 0x4321

typedef struct Board {
    const char *machine;
    uint64_t ecam;
    uint64_t mmio_base;
    uint64_t mmio_size;
    uint64_t msi_target; /* a RAM address the MSI-X write goes to */
} Board;

static Board board;

typedef struct Port {
    int bus, devfn; /* where the port is */
    int secondary;
    uint8_t exp;
    uint64_t bar0;
} Port;

typedef struct Env {
    QTestState *qts;
    QPCIECAM *ecam;
    Port rp1, rp2, rp3;
} Env;

static Port port_at(QPCIECAM *ecam, GPtrArray *fns, int slot)
{
    for (guint i = 0; i < fns->len; i++) {
        QPCIFunction *f = fns->pdata[i];

        if (f->bus == 0 && f->devfn == QPCI_DEVFN(slot, 0)) {
            return (Port){f->bus, f->devfn, f->secondary_bus,
                          qpci_find_cap(ecam, f->bus, f->devfn, CAP_ID_EXP),
                          f->bar[0]};
        }
    }
    g_error("no root port at 0:%02x.0", slot);
}

/*
 * rp1: empty, hot-plug capable; rp2: hotplug=off with a cold-plugged
 * device; rp3: hotplug=off, empty.
 */
static Env env_start(void)
{
    Env e;
    g_autoptr(GPtrArray) fns = NULL;

    e.qts = qtest_initf("-M %s "
                        "-device pcie-root-port,id=rp1,chassis=1,addr=0x4 "
                        "-device pcie-root-port,id=rp2,chassis=2,addr=0x5,"
                        "hotplug=off "
                        "-device iommu-testdev,id=cold,bus=rp2 "
                        "-device pcie-root-port,id=rp3,chassis=3,addr=0x6,"
                        "hotplug=off",
                        board.machine);
    e.ecam = qpci_ecam_new(e.qts, board.ecam, 256);
    fns = qpci_enumerate(e.ecam, board.mmio_base, board.mmio_size);
    e.rp1 = port_at(e.ecam, fns, 4);
    e.rp2 = port_at(e.ecam, fns, 5);
    e.rp3 = port_at(e.ecam, fns, 6);
    return e;
}

static void env_end(Env *e)
{
    qpci_ecam_free(e->ecam);
    qtest_quit(e->qts);
}

static uint16_t port_readw(Env *e, Port *p, int reg)
{
    return qpci_config_readw(e->ecam, p->bus, p->devfn, p->exp + reg);
}

static void port_writew(Env *e, Port *p, int reg, uint16_t val)
{
    qpci_config_writew(e->ecam, p->bus, p->devfn, p->exp + reg, val);
}

static uint16_t vendor_below(Env *e, Port *p)
{
    return qpci_config_readw(e->ecam, p->secondary, 0, 0);
}

/* Routes the port's hot-plug interrupt to an MSI-X write into RAM. */
static void port_enable_hotplug_msix(Env *e, Port *p)
{
    uint8_t msix = qpci_find_cap(e->ecam, p->bus, p->devfn, CAP_ID_MSIX);

    g_assert_cmpint(msix, !=, 0);
    qtest_writel(e->qts, p->bar0 + 0, (uint32_t)board.msi_target);
    qtest_writel(e->qts, p->bar0 + 4, board.msi_target >> 32);
    qtest_writel(e->qts, p->bar0 + 8, MSI_DATA);
    qtest_writel(e->qts, p->bar0 + 12, 0); /* unmask vector 0 */
    qpci_config_writeb(e->ecam, p->bus, p->devfn, msix + MSIX_FLAGS_HI,
                       MSIX_ENABLE_HI);
    port_writew(e, p, EXP_SLTCTL,
                port_readw(e, p, EXP_SLTCTL) | EXP_SLTCTL_HPIE |
                    EXP_SLTCTL_PDCE | EXP_SLTCTL_DLLSCE);
}

static void assert_running(Env *e)
{
    JsonNode *ret = qtest_qmp_assert_success_ref(e->qts,
                                                 "{'execute': 'query-status'}");

    g_assert_cmpstr(json_object_get_string_member(json_node_get_object(ret),
                                                  "status"), ==, "running");
    json_node_unref(ret);
}

static void test_slot_state(void)
{
    Env e = env_start();

    g_assert_cmphex(port_readw(&e, &e.rp1, EXP_SLTCAP) &
                        (EXP_SLTCAP_HPC | EXP_SLTCAP_HPS),
                    ==, EXP_SLTCAP_HPC | EXP_SLTCAP_HPS);
    g_assert_cmphex(port_readw(&e, &e.rp1, EXP_SLTSTA) & EXP_SLTSTA_PDS, ==,
                    0);
    g_assert_cmphex(port_readw(&e, &e.rp1, EXP_LNKSTA) & EXP_LNKSTA_DLLLA, ==,
                    0);
    /* hotplug=off: no hot-plug capability, cold-plugged device present,
     * and no change bits from cold plug. */
    g_assert_cmphex(port_readw(&e, &e.rp2, EXP_SLTCAP) & EXP_SLTCAP_HPC, ==,
                    0);
    g_assert_cmphex(port_readw(&e, &e.rp2, EXP_SLTSTA) &
                        (EXP_SLTSTA_PDS | EXP_SLTSTA_PDC),
                    ==, EXP_SLTSTA_PDS);
    g_assert_cmphex(port_readw(&e, &e.rp2, EXP_LNKSTA) & EXP_LNKSTA_DLLLA, ==,
                    EXP_LNKSTA_DLLLA);
    g_assert_cmphex(vendor_below(&e, &e.rp2), ==, REDHAT);
    env_end(&e);
}

static void test_plug_unplug(void)
{
    Env e = env_start();
    JsonObject *ev;

    port_enable_hotplug_msix(&e, &e.rp1);
    qtest_writel(e.qts, board.msi_target, 0);

    qtest_qmp_device_add(e.qts, "iommu-testdev", "hp0", "{'bus': 'rp1'}");
    g_assert_cmphex(port_readw(&e, &e.rp1, EXP_SLTSTA) &
                        (EXP_SLTSTA_PDS | EXP_SLTSTA_PDC | EXP_SLTSTA_DLLSC),
                    ==, EXP_SLTSTA_PDS | EXP_SLTSTA_PDC | EXP_SLTSTA_DLLSC);
    g_assert_cmphex(port_readw(&e, &e.rp1, EXP_LNKSTA) & EXP_LNKSTA_DLLLA, ==,
                    EXP_LNKSTA_DLLLA);
    g_assert_cmphex(qtest_readl(e.qts, board.msi_target), ==, MSI_DATA);
    g_assert_cmphex(vendor_below(&e, &e.rp1), ==, REDHAT);
    g_assert_cmphex(qpci_config_readw(e.ecam, e.rp1.secondary, 0, 2), ==,
                    ID_TESTDEV);

    /* Software acknowledges the events (write 1 to clear). */
    port_writew(&e, &e.rp1, EXP_SLTSTA, EXP_SLTSTA_PDC | EXP_SLTSTA_DLLSC);
    g_assert_cmphex(port_readw(&e, &e.rp1, EXP_SLTSTA) &
                        (EXP_SLTSTA_PDC | EXP_SLTSTA_DLLSC),
                    ==, 0);
    qtest_writel(e.qts, board.msi_target, 0);

    qtest_qmp_device_del_send(e.qts, "hp0");
    ev = qtest_qmp_eventwait_ref(e.qts, "DEVICE_DELETED");
    g_assert_cmpstr(json_object_get_string_member(
                        json_object_get_object_member(ev, "data"), "device"),
                    ==, "hp0");
    json_object_unref(ev);
    g_assert_cmphex(port_readw(&e, &e.rp1, EXP_SLTSTA) &
                        (EXP_SLTSTA_PDS | EXP_SLTSTA_PDC),
                    ==, EXP_SLTSTA_PDC);
    g_assert_cmphex(port_readw(&e, &e.rp1, EXP_LNKSTA) & EXP_LNKSTA_DLLLA, ==,
                    0);
    g_assert_cmphex(qtest_readl(e.qts, board.msi_target), ==, MSI_DATA);
    g_assert_cmphex(vendor_below(&e, &e.rp1), ==, 0xffff);

    /* The slot and the id can be used again. */
    qtest_qmp_device_add(e.qts, "iommu-testdev", "hp0", "{'bus': 'rp1'}");
    g_assert_cmphex(vendor_below(&e, &e.rp1), ==, REDHAT);
    qtest_qmp_device_del(e.qts, "hp0");
    assert_running(&e);
    env_end(&e);
}

/* No interrupt unless software enabled it. */
static void test_plug_no_interrupt(void)
{
    Env e = env_start();

    qtest_writel(e.qts, board.msi_target, 0);
    qtest_qmp_device_add(e.qts, "iommu-testdev", "hp0", "{'bus': 'rp1'}");
    g_assert_cmphex(port_readw(&e, &e.rp1, EXP_SLTSTA) & EXP_SLTSTA_PDS, ==,
                    EXP_SLTSTA_PDS);
    g_assert_cmphex(qtest_readl(e.qts, board.msi_target), ==, 0);
    env_end(&e);
}

static void expect_error(Env *e, JsonObject *rsp, const char *desc)
{
    qtest_qmp_expect_error(rsp, "GenericError", desc);
    assert_running(e);
}

static void test_refused(void)
{
    Env e = env_start();

    expect_error(&e,
                 qtest_qmp(e.qts, "{'execute': 'device_del', "
                                  "'arguments': {'id': 'cold'}}"),
                 "Bus 'rp2' does not support hotplugging");
    g_assert_cmphex(vendor_below(&e, &e.rp2), ==, REDHAT);
    g_assert_cmphex(port_readw(&e, &e.rp2, EXP_SLTSTA) & EXP_SLTSTA_PDS, ==,
                    EXP_SLTSTA_PDS);
    expect_error(&e,
                 qtest_qmp(e.qts, "{'execute': 'device_add', 'arguments': "
                                  "{'driver': 'iommu-testdev', 'id': 'x', "
                                  "'bus': 'rp3'}}"),
                 "Bus 'rp3' does not support hotplugging");
    expect_error(&e,
                 qtest_qmp(e.qts, "{'execute': 'device_del', "
                                  "'arguments': {'id': 'rp1'}}"),
                 "Bus 'pcie.0' does not support hotplugging");
    expect_error(&e,
                 qtest_qmp(e.qts, "{'execute': 'device_add', 'arguments': "
                                  "{'driver': 'iommu-testdev', 'id': 'x', "
                                  "'bus': 'pcie.0'}}"),
                 "Bus 'pcie.0' does not support hotplugging");
    expect_error(&e,
                 qtest_qmp(e.qts, "{'execute': 'device_add', 'arguments': "
                                  "{'driver': 'iommu-testdev', 'id': 'x', "
                                  "'bus': 'rp2'}}"),
                 "Bus 'rp2' does not support hotplugging");
    /* A slot already holding a device refuses another. */
    qtest_qmp_device_add(e.qts, "iommu-testdev", "hp0", "{'bus': 'rp1'}");
    expect_error(&e,
                 qtest_qmp(e.qts, "{'execute': 'device_add', 'arguments': "
                                  "{'driver': 'iommu-testdev', 'id': 'hp1', "
                                  "'bus': 'rp1', 'addr': '0x0'}}"),
                 "PCI: slot 0 function 0 not available for iommu-testdev, "
                 "in use by iommu-testdev,id=hp0");
    env_end(&e);
}

int main(int argc, char **argv)
{
    bool arm = g_str_equal(qtest_get_arch(), "aarch64");

    g_test_init(&argc, &argv, NULL);
    board = arm ? (Board){"virt", QPCI_ECAM_VIRT, 0x10000000, 0x2eff0000,
                          0x40100000}
                : (Board){"q35", QPCI_ECAM_Q35, 0xc0000000, 0x20000000,
                          0x100000};
    qtest_add_func("/pci-hotplug/slot-state", test_slot_state);
    qtest_add_func("/pci-hotplug/plug-unplug", test_plug_unplug);
    qtest_add_func("/pci-hotplug/no-interrupt", test_plug_no_interrupt);
    qtest_add_func("/pci-hotplug/refused", test_refused);
    return g_test_run();
}
