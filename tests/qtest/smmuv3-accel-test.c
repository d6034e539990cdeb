/*
 * arm-smmuv3,accel=on over the bundled host models: 'auto' resolved from
 * the host (ID registers read over MMIO against the host description),
 * the start-up rule for unresolved 'auto', host checks on hot-plug,
 * virt-11.0 compat values, which devices may sit behind an accelerated
 * SMMU, the guest's STEs becoming nested HWPTs on the host, batched
 * invalidations, host events reaching the guest event queue, teardown,
 * failure injection, and libvirt's command lines.
 *
 * The model is observed from outside through x-query-arm-smmuv3 and the
 * x-debug-host-model-* commands.
 */
#include "libqtest-pci.h"

#include <string.h>
#include <unistd.h>

#define RAM_BASE 0x40000000ULL
#define SMMU_BASE(n) (0x0c000000ULL + (n)*0x20000ULL)
#define PCIE_MMIO_BASE 0x8000000000ULL
#define PCIE_MMIO_SIZE 0x8000000000ULL

#define GPU_ADDR "0009:01:00.0" /* grace-hopper, host smmu0 */
#define NIC_ADDR "0000:01:00.0" /* grace-hopper smmu1; arm-smmuv3-basic */
#define GPU_ID 0x10de, 0x2342

/* Registers */
#define R_IDR0 0x00
#define R_IDR1 0x04
#define R_IDR3 0x0c
#define R_IDR5 0x14
#define R_CR0 0x20
#define R_CR1 0x28
#define R_GBPA 0x44
#define R_GERROR 0x60
#define R_GERRORN 0x64
#define R_STRTAB_BASE 0x80
#define R_STRTAB_BASE_CFG 0x88
#define R_CMDQ_BASE 0x90
#define R_CMDQ_PROD 0x98
#define R_CMDQ_CONS 0x9c
#define R_EVENTQ_BASE 0xa0
#define R_EVENTQ_PROD 0x100a8
#define R_EVENTQ_CONS 0x100ac

#define CR0_SMMUEN (1u << 0)
#define CR0_EVENTQEN (1u << 2)
#define CR0_CMDQEN (1u << 3)
#define GBPA_ABORT (1u << 20)
#define GBPA_UPDATE (1u << 31)
#define GERROR_CMDQ_ERR 1u
#define CMDQ_CONS_ERR(v) (((v) >> 24) & 0x7f)
#define CERROR_ILL 1

/* ID register fields 'auto' resolves */
#define IDR0_ATS(v) (((v) >> 10) & 1)
#define IDR1_SSIDSIZE(v) (((v) >> 6) & 0x1f)
#define IDR3_RIL(v) (((v) >> 10) & 1)
#define IDR5_OAS(v) ((v)&7)

/* Guest memory layout */
#define CMDQ_ADDR (RAM_BASE + 0x100000)
#define CMDQ_LOG2 8
#define EVTQ_ADDR (RAM_BASE + 0x200000)
#define EVTQ_LOG2 4
#define STRTAB_ADDR (RAM_BASE + 0x400000)
#define STRTAB_LOG2 16

/* STE and commands */
#define STE_V 1ULL
#define STE_CONFIG(c) ((uint64_t)(c) << 1)
#define STE_S1CTXPTR_RES (0xfULL << 52) /* above the architected 51:6 */
#define STE_S1CDMAX(v) ((uint64_t)(v) << 59)
#define STE1_S1CIR(v) ((uint64_t)(v) << 2)
#define STE1_S1COR(v) ((uint64_t)(v) << 4)
#define STE1_S1CSH(v) ((uint64_t)(v) << 6)
#define STE1_S1STALLD (1ULL << 27)
#define STE1_SHCFG(v) ((uint64_t)(v) << 44)

#define CMD_CFGI_STE 0x03
#define CMD_CFGI_STE_RANGE 0x04
#define CMD_CFGI_CD 0x05
#define CMD_CFGI_CD_ALL 0x06
#define CMD_CFGI_ALL 0x07
#define CMD_TLBI_NH_ALL 0x10
#define CMD_TLBI_NH_ASID 0x11
#define CMD_TLBI_NH_VA 0x12
#define CMD_TLBI_NH_VAA 0x13
#define CMD_TLBI_NSNH_ALL 0x30
#define CMD_ATC_INV 0x40
#define CMD_SYNC 0x46
#define ATC_INV_SIZE_ALL 52
#define CMD_SID(v) ((uint64_t)(v) << 32)
#define CMD_ASID(v) ((uint64_t)(v) << 48)

#define EMULATED_MSG                                                           \
    "Emulated endpoint devices are not allowed when using "                    \
    "arm-smmuv3,accel=on"

/* One vSMMU on a pxb-pcie with two root ports, the GPU on rp1. */
#define ONE_SMMU(smmu_opts)                                                    \
    "-object iommufd,id=iommufd0 "                                             \
    "-device pxb-pcie,id=pxb1,bus_nr=0x10,bus=pcie.0 "                         \
    "-device pcie-root-port,id=rp1,chassis=1,bus=pxb1 "                        \
    "-device pcie-root-port,id=rp2,chassis=2,bus=pxb1 "                        \
    "-device arm-smmuv3,primary-bus=pxb1,id=smmu1,accel=on" smmu_opts " "
#define GPU_ON_RP1                                                             \
    "-device vfio-pci,id=dev0,bus=rp1,iommufd=iommufd0,host=" GPU_ADDR " "

typedef struct Vm {
    QTestState *qts;
    QPCIECAM *ecam;
    GPtrArray *fns;
    uint64_t base;
    uint32_t cmdq_prod;
} Vm;

static void vm_enumerate(Vm *vm)
{
    vm->ecam = qpci_ecam_new(vm->qts, QPCI_ECAM_VIRT, 256);
    vm->fns = qpci_enumerate(vm->ecam, PCIE_MMIO_BASE, PCIE_MMIO_SIZE);
    vm->base = SMMU_BASE(0);
}

static G_GNUC_PRINTF(1, 2) Vm vm_start(const char *fmt, ...)
{
    va_list ap;
    Vm vm = {0};

    va_start(ap, fmt);
    vm.qts = qtest_vinitf(fmt, ap);
    va_end(ap);
    vm_enumerate(&vm);
    return vm;
}

static void vm_end(Vm *vm)
{
    g_ptr_array_unref(vm->fns);
    qpci_ecam_free(vm->ecam);
    qtest_quit(vm->qts);
}

static uint32_t smmu_r32(Vm *vm, uint64_t off)
{
    return qtest_readl(vm->qts, vm->base + off);
}

static void smmu_w32(Vm *vm, uint64_t off, uint32_t v)
{
    qtest_writel(vm->qts, vm->base + off, v);
}

static void smmu_w64(Vm *vm, uint64_t off, uint64_t v)
{
    qtest_writeq(vm->qts, vm->base + off, v);
}

static void read_idr(Vm *vm, uint32_t idr[6])
{
    for (int i = 0; i < 6; i++) {
        idr[i] = smmu_r32(vm, R_IDR0 + 4 * i);
    }
}

/* StreamID of a device after enumeration. */
static uint32_t vm_sid(Vm *vm, uint16_t vendor, uint16_t device)
{
    QPCIFunction *f = qpci_function_find(vm->fns, vendor, device);

    g_assert_nonnull(f);
    return (f->bus << 8) | f->devfn;
}

/* ---- Host descriptions ---- */

static JsonNode *host_json(const char *name)
{
    g_autofree char *path =
        g_strdup_printf("%s/hosts/%s.json", g_getenv("QEMU_SOURCE_DIR"), name);
    g_autoptr(JsonParser) p = json_parser_new();

    g_assert_true(json_parser_load_from_file(p, path, NULL));
    return json_node_copy(json_parser_get_root(p));
}

static JsonObject *host_iommu(JsonNode *root, const char *id)
{
    JsonArray *iommus =
        json_object_get_array_member(json_node_get_object(root), "iommus");

    for (guint i = 0; i < json_array_get_length(iommus); i++) {
        JsonObject *o = json_array_get_object_element(iommus, i);

        if (!strcmp(json_object_get_string_member(o, "id"), id)) {
            return o;
        }
    }
    g_assert_not_reached();
}

/* The IDRs of a host SMMU as its description gives them. */
static void host_idr(const char *host, const char *smmu, uint32_t idr[6])
{
    g_autoptr(JsonNode) root = host_json(host);
    JsonArray *a = json_object_get_array_member(
        json_object_get_object_member(host_iommu(root, smmu), "arm-smmuv3"),
        "idr");

    for (int i = 0; i < 6; i++) {
        JsonNode *n = json_array_get_element(a, i);

        idr[i] = JSON_NODE_HOLDS_VALUE(n) &&
                         json_node_get_value_type(n) == G_TYPE_STRING
                     ? g_ascii_strtoull(json_node_get_string(n), NULL, 0)
                     : json_node_get_int(n);
    }
}

/* ---- QMP views ---- */

static JsonObject *query_smmu(Vm *vm, int n)
{
    JsonNode *ret = qtest_qmp_assert_success_ref(
        vm->qts, "{'execute': 'x-query-arm-smmuv3'}");
    JsonObject *o = json_object_ref(
        json_array_get_object_element(json_node_get_array(ret), n));

    json_node_unref(ret);
    return o;
}

static JsonObject *feature(JsonObject *smmu, const char *name)
{
    JsonArray *a = json_object_get_array_member(smmu, "features");

    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *f = json_array_get_object_element(a, i);

        if (!strcmp(json_object_get_string_member(f, "name"), name)) {
            return f;
        }
    }
    g_assert_not_reached();
}

static void assert_feature(JsonObject *smmu, const char *name,
                           const char *requested, const char *value,
                           const char *source)
{
    JsonObject *f = feature(smmu, name);

    g_assert_cmpstr(json_object_get_string_member(f, "requested"), ==,
                    requested);
    g_assert_cmpstr(json_object_get_string_member(f, "value"), ==, value);
    g_assert_cmpstr(json_object_get_string_member(f, "source"), ==, source);
}

static JsonObject *smmu_device(JsonObject *smmu, int n)
{
    return json_array_get_object_element(
        json_object_get_array_member(smmu, "devices"), n);
}

static int64_t model_ioctls(Vm *vm, const char *name)
{
    g_autofree char *cmd =
        g_strdup_printf("{'execute': 'x-debug-host-model-stats', "
                        "'arguments': {'ioctls': ['%s']}}",
                        name);
    JsonNode *ret = qtest_qmp_assert_success_ref(vm->qts, "%s", cmd);
    int64_t n = json_object_get_int_member(
        json_object_get_object_member(json_node_get_object(ret), "ioctls"),
        name);

    json_node_unref(ret);
    return n;
}

static int64_t model_live_objects(Vm *vm)
{
    JsonNode *ret = qtest_qmp_assert_success_ref(
        vm->qts, "{'execute': 'x-debug-host-model-stats'}");
    int64_t n =
        json_object_get_int_member(json_node_get_object(ret), "live-objects");

    json_node_unref(ret);
    return n;
}

static void assert_running(Vm *vm)
{
    JsonNode *ret =
        qtest_qmp_assert_success_ref(vm->qts, "{'execute': 'query-status'}");

    g_assert_true(
        json_object_get_boolean_member(json_node_get_object(ret), "running"));
    json_node_unref(ret);
}

static void expect_start_failure(const char *args, const char *msg)
{
    g_autofree char *err = NULL;
    int status;

    qtest_init_expect_failure(args, &status, &err);
    g_assert_cmpint(status, ==, 1);
    if (!strstr(err, msg)) {
        g_printerr("stderr: %s\nexpected: %s\n", err, msg);
        g_assert_not_reached();
    }
}

/* ---- Guest programming of the vSMMU ---- */

static void smmu_setup(Vm *vm, bool eventq)
{
    qtest_memset(vm->qts, STRTAB_ADDR, 0, 64ULL << STRTAB_LOG2);
    smmu_w32(vm, R_CR1, 0x0d75);
    smmu_w64(vm, R_CMDQ_BASE, CMDQ_ADDR | CMDQ_LOG2);
    smmu_w32(vm, R_CMDQ_PROD, 0);
    smmu_w32(vm, R_CMDQ_CONS, 0);
    smmu_w64(vm, R_EVENTQ_BASE, EVTQ_ADDR | EVTQ_LOG2);
    smmu_w32(vm, R_EVENTQ_PROD, 0);
    smmu_w32(vm, R_EVENTQ_CONS, 0);
    smmu_w32(vm, R_STRTAB_BASE_CFG, STRTAB_LOG2);
    smmu_w64(vm, R_STRTAB_BASE, STRTAB_ADDR);
    smmu_w32(vm, R_CR0, CR0_CMDQEN | (eventq ? CR0_EVENTQEN : 0));
    vm->cmdq_prod = 0;
}

static void smmu_enable(Vm *vm)
{
    smmu_w32(vm, R_CR0, smmu_r32(vm, R_CR0) | CR0_SMMUEN);
}

/* Queues a command without telling the SMMU. */
static void cmd_put(Vm *vm, uint64_t w0, uint64_t w1)
{
    uint64_t slot =
        CMDQ_ADDR + (vm->cmdq_prod & ((1 << CMDQ_LOG2) - 1)) * 16ULL;

    qtest_writeq(vm->qts, slot, w0);
    qtest_writeq(vm->qts, slot + 8, w1);
    vm->cmdq_prod = (vm->cmdq_prod + 1) & ((2 << CMDQ_LOG2) - 1);
}

/* Publishes the queued commands and checks they all ran. */
static void cmd_run(Vm *vm)
{
    smmu_w32(vm, R_CMDQ_PROD, vm->cmdq_prod);
    g_assert_cmphex(smmu_r32(vm, R_CMDQ_CONS), ==, vm->cmdq_prod);
}

static void ste_put(Vm *vm, uint32_t sid, uint64_t w0, uint64_t w1)
{
    qtest_writeq(vm->qts, STRTAB_ADDR + sid * 64ULL, w0);
    qtest_writeq(vm->qts, STRTAB_ADDR + sid * 64ULL + 8, w1);
}

static void cfgi_ste(Vm *vm, uint32_t sid)
{
    cmd_put(vm, CMD_CFGI_STE | CMD_SID(sid), 0);
    cmd_put(vm, CMD_SYNC, 0);
    cmd_run(vm);
}

static const char *attached(Vm *vm)
{
    g_autoptr(JsonObject) smmu = query_smmu(vm, 0);
    static char buf[16];

    g_strlcpy(buf,
              json_object_get_string_member(smmu_device(smmu, 0), "attached"),
              sizeof(buf));
    return buf;
}

/* The STE words the host got for the device's nested HWPT. */
static bool nested_words(Vm *vm, uint64_t words[2])
{
    g_autoptr(JsonObject) smmu = query_smmu(vm, 0);
    JsonObject *dev = smmu_device(smmu, 0);
    g_autofree char *cmd = NULL;
    JsonNode *ret;
    JsonArray *data;

    if (!json_object_has_member(dev, "nested-hwpt")) {
        return false;
    }
    cmd = g_strdup_printf("{'execute': 'x-debug-host-model-hwpt', "
                          "'arguments': {'iommufd': 'iommufd0', "
                          "'hwpt-id': %" PRId64 "}}",
                          json_object_get_int_member(dev, "nested-hwpt"));
    ret = qtest_qmp_assert_success_ref(vm->qts, "%s", cmd);
    data = json_object_get_array_member(json_node_get_object(ret), "data");
    g_assert_cmpuint(json_array_get_length(data), ==, 2);
    for (int i = 0; i < 2; i++) {
        words[i] =
            g_ascii_strtoull(json_array_get_string_element(data, i), NULL, 0);
    }
    json_node_unref(ret);
    return true;
}

/* ---- 'auto' follows the host ---- */

static void assert_idr_follows(Vm *vm, int n, const uint32_t *host)
{
    uint32_t idr[6];
    unsigned oas = IDR5_OAS(host[5]);

    vm->base = SMMU_BASE(n);
    read_idr(vm, idr);
    g_assert_cmpuint(IDR0_ATS(idr[0]), ==, IDR0_ATS(host[0]));
    g_assert_cmpuint(IDR1_SSIDSIZE(idr[1]), ==,
                     MIN(IDR1_SSIDSIZE(host[1]), 20));
    g_assert_cmpuint(IDR3_RIL(idr[3]), ==, IDR3_RIL(host[3]));
    /* the vSMMU offers 44 (4) or 48 (5) bits */
    g_assert_cmpuint(IDR5_OAS(idr[5]), ==, oas >= 5 ? 5 : 4);
    vm->base = SMMU_BASE(0);
}

/* libvirt test case B: both SMMUs all 'auto', a device behind each. */
#define LIBVIRT_TOPOLOGY                                                       \
    "-machine virt,usb=off,gic-version=2,dump-guest-core=off,acpi=off "        \
    "-nodefaults -object iommufd,id=iommufd0 "                                 \
    "-device '{\"driver\":\"pxb-pcie\",\"bus_nr\":252,\"id\":\"pci.1\","       \
    "\"bus\":\"pcie.0\",\"addr\":\"0x1\"}' "                                   \
    "-device '{\"driver\":\"pxb-pcie\",\"bus_nr\":248,\"id\":\"pci.2\","       \
    "\"bus\":\"pcie.0\",\"addr\":\"0x2\"}' "                                   \
    "-device '{\"driver\":\"pcie-root-port\",\"port\":0,\"chassis\":21,"       \
    "\"id\":\"pci.3\",\"bus\":\"pci.1\",\"addr\":\"0x0\"}' "                   \
    "-device '{\"driver\":\"pcie-root-port\",\"port\":168,\"chassis\":22,"     \
    "\"id\":\"pci.4\",\"bus\":\"pci.2\",\"addr\":\"0x0\"}' "
#define LIBVIRT_SMMU(id, bus, extra)                                           \
    "-device '{\"driver\":\"arm-smmuv3\",\"primary-bus\":\"" bus "\","         \
    "\"id\":\"" id "\",\"accel\":true" extra "}' "
#define LIBVIRT_HOSTDEV(id, host, bus, iommufd)                                \
    "-device '{\"driver\":\"vfio-pci\",\"host\":\"" host "\",\"id\":\"" id     \
    "\",\"bus\":\"" bus "\",\"addr\":\"0x0\"" iommufd "}' "
#define LIBVIRT_IOMMUFD ",\"iommufd\":\"iommufd0\""
#define LIBVIRT_EXPLICIT                                                       \
    ",\"ats\":\"on\",\"ril\":\"off\",\"ssidsize\":\"20\",\"oas\":\"44\""
#define LIBVIRT_HOSTDEVS(iommufd)                                              \
    LIBVIRT_HOSTDEV("hostdev0", GPU_ADDR, "pci.3", iommufd)                    \
    LIBVIRT_HOSTDEV("hostdev1", NIC_ADDR, "pci.4", iommufd)

static void test_grace_auto(void)
{
    Vm vm = vm_start("-host-model grace-hopper " LIBVIRT_TOPOLOGY LIBVIRT_SMMU(
        "iommu0", "pci.1", "") LIBVIRT_SMMU("iommu1", "pci.2", "")
                         LIBVIRT_HOSTDEVS(LIBVIRT_IOMMUFD));
    uint32_t host0[6], host1[6];
    g_autoptr(JsonObject) smmu = NULL;
    g_autofree char *ats = NULL, *ril = NULL, *ssid = NULL, *oas = NULL;

    host_idr("grace-hopper", "smmu0", host0);
    host_idr("grace-hopper", "smmu1", host1);
    assert_idr_follows(&vm, 0, host0);
    assert_idr_follows(&vm, 1, host1);

    /* where the values came from, and what qom-get shows now */
    smmu = query_smmu(&vm, 0);
    assert_feature(smmu, "ats", "auto", "on", "host");
    assert_feature(smmu, "ril", "auto", "off", "host");
    assert_feature(smmu, "ssidsize", "auto", "20", "host");
    assert_feature(smmu, "oas", "auto", "48", "host");
    g_assert_cmpstr(
        json_object_get_string_member(feature(smmu, "oas"), "host-device"), ==,
        GPU_ADDR);
    g_assert_cmpint(
        json_object_get_int_member(feature(smmu, "oas"), "host-value"), ==,
        IDR5_OAS(host0[5]));
    ats = qtest_qom_get_str(vm.qts, "/machine/peripheral/iommu0", "ats");
    ril = qtest_qom_get_str(vm.qts, "/machine/peripheral/iommu0", "ril");
    ssid = qtest_qom_get_str(vm.qts, "/machine/peripheral/iommu0", "ssidsize");
    oas = qtest_qom_get_str(vm.qts, "/machine/peripheral/iommu0", "oas");
    g_assert_cmpstr(ats, ==, "on");
    g_assert_cmpstr(ril, ==, "off");
    g_assert_cmpstr(ssid, ==, "20");
    g_assert_cmpstr(oas, ==, "48");
    vm_end(&vm);
}

static void test_basic_auto(void)
{
    Vm vm = vm_start("-M virt -host-model arm-smmuv3-basic " ONE_SMMU(
        "") "-device vfio-pci,id=dev0,bus=rp1,iommufd=iommufd0,"
            "host=" NIC_ADDR);
    g_autoptr(JsonObject) smmu = query_smmu(&vm, 0);
    uint32_t host[6];

    host_idr("arm-smmuv3-basic", "smmu0", host);
    assert_idr_follows(&vm, 0, host);
    assert_feature(smmu, "ats", "auto", "off", "host");
    assert_feature(smmu, "ril", "auto", "off", "host");
    assert_feature(smmu, "ssidsize", "auto", "0", "host");
    assert_feature(smmu, "oas", "auto", "44", "host");
    vm_end(&vm);
}

/* ---- Start-up rules ---- */

static void test_auto_needs_coldplug(void)
{
    expect_start_failure(
        "-M virt -host-model grace-hopper " ONE_SMMU(""),
        "qemu-system-aarch64: arm-smmuv3 smmu1: accel=on with 'auto' values "
        "(ats, ril, ssidsize, oas) requires at least one cold-plugged "
        "vfio-pci device behind it\n");
    expect_start_failure(
        "-M virt -host-model grace-hopper " ONE_SMMU(
            ",ats=off,ssidsize=0,oas=44"),
        "arm-smmuv3 smmu1: accel=on with 'auto' values (ril) requires at "
        "least one cold-plugged vfio-pci device behind it\n");
}

static void test_explicit_no_device(void)
{
    Vm vm = vm_start("-M virt -host-model grace-hopper " ONE_SMMU(
        ",ats=on,ril=off,ssidsize=20,oas=48"));
    g_autoptr(JsonObject) smmu = query_smmu(&vm, 0);
    uint32_t idr[6];

    read_idr(&vm, idr);
    g_assert_cmpuint(IDR0_ATS(idr[0]), ==, 1);
    g_assert_cmpuint(IDR1_SSIDSIZE(idr[1]), ==, 20);
    g_assert_cmpuint(IDR3_RIL(idr[3]), ==, 0);
    g_assert_cmpuint(IDR5_OAS(idr[5]), ==, 5);
    assert_feature(smmu, "ats", "on", "on", "configured");
    assert_feature(smmu, "oas", "48", "48", "configured");
    g_assert_false(json_object_has_member(smmu, "viommu"));
    g_assert_false(json_object_has_member(feature(smmu, "ats"), "host-value"));
    vm_end(&vm);
}

static void test_cmdqv(void)
{
    expect_start_failure("-M virt -host-model grace-hopper " ONE_SMMU(
                             ",cmdqv=on,ats=on,ril=off,ssidsize=20,"
                             "oas=44"),
                         "cmdqv=on is not supported");
}

/* ---- Host checks on hot-plug ---- */

/* grace-hopper with the second host SMMU lacking ATS. */
static char *host_without_ats(void)
{
    g_autoptr(JsonNode) root = host_json("grace-hopper");
    g_autoptr(JsonGenerator) gen = json_generator_new();
    JsonObject *smmu1 = host_iommu(root, "smmu1");
    JsonArray *idr = json_object_get_array_member(
        json_object_get_object_member(smmu1, "arm-smmuv3"), "idr");
    uint32_t idr0 =
        g_ascii_strtoull(json_array_get_string_element(idr, 0), NULL, 0) &
        ~(1u << 10);
    g_autofree char *hex = g_strdup_printf("0x%08x", idr0);
    char *path = g_strdup_printf("%s/smmuv3-accel-noats-%d.json",
                                 g_get_tmp_dir(), (int)getpid());

    json_array_remove_element(idr, 0);
    json_array_add_string_element(idr, hex);
    /* element 0 went to the end: rotate the other five back */
    for (int i = 0; i < 5; i++) {
        JsonNode *n = json_node_copy(json_array_get_element(idr, 0));

        json_array_remove_element(idr, 0);
        json_array_add_element(idr, n);
    }
    json_object_set_string_member(json_node_get_object(root), "name",
                                  "grace-hopper-noats");
    json_generator_set_root(gen, root);
    g_assert_true(json_generator_to_file(gen, path, NULL));
    return path;
}

static void test_hotplug(void)
{
    g_autofree char *host = host_without_ats();
    Vm vm = vm_start("-M virt -host-model %s " ONE_SMMU("") GPU_ON_RP1, host);
    uint32_t before[6], after[6];
    JsonObject *rsp;

    read_idr(&vm, before);
    g_assert_cmpuint(IDR0_ATS(before[0]), ==, 1);

    /* the NIC's host SMMU has no ATS: refused, naming the field */
    rsp = qtest_qmp(vm.qts, "{'execute': 'device_add', 'arguments': {"
                            "'driver': 'vfio-pci', 'id': 'nic', 'bus': 'rp2', "
                            "'iommufd': 'iommufd0', 'host': '" NIC_ADDR "'}}");
    qtest_qmp_expect_error(rsp, "GenericError",
                           "Failed to set vIOMMU: arm-smmuv3 smmu1: Host "
                           "SMMUv3 doesn't support ATS (host ATS=0, vSMMU "
                           "ATS=1)");
    assert_running(&vm);
    read_idr(&vm, after);
    g_assert_cmpmem(before, sizeof(before), after, sizeof(after));

    /* the last device leaves: nothing is left on the host */
    qtest_qmp_device_del(vm.qts, "dev0");
    {
        g_autoptr(JsonObject) smmu = query_smmu(&vm, 0);

        g_assert_cmpuint(json_array_get_length(
                             json_object_get_array_member(smmu, "devices")),
                         ==, 0);
        g_assert_false(json_object_has_member(smmu, "viommu"));
    }
    g_assert_cmpint(model_live_objects(&vm), ==, 0);

    /* a compatible hot-plug: no re-resolution, the IDRs stay */
    qtest_qmp_device_add(vm.qts, "vfio-pci", "dev1",
                         "{'bus': 'rp1', 'iommufd': 'iommufd0', "
                         "'host': '" GPU_ADDR "'}");
    read_idr(&vm, after);
    g_assert_cmpmem(before, sizeof(before), after, sizeof(after));
    {
        g_autoptr(JsonObject) smmu = query_smmu(&vm, 0);

        assert_feature(smmu, "ats", "auto", "on", "host");
        g_assert_true(json_object_has_member(smmu, "viommu"));
        g_assert_cmpstr(
            json_object_get_string_member(smmu_device(smmu, 0), "id"), ==,
            "dev1");
    }
    vm_end(&vm);
    unlink(host);
}

/* ---- Which devices ---- */

static void test_emulated_refused(void)
{
    Vm vm;
    JsonObject *rsp;

    expect_start_failure("-M virt -host-model grace-hopper " ONE_SMMU("")
                             GPU_ON_RP1 "-device iommu-testdev,bus=rp2",
                         "-device iommu-testdev,bus=rp2: " EMULATED_MSG "\n");
    vm = vm_start("-M virt -host-model grace-hopper " ONE_SMMU("") GPU_ON_RP1);
    rsp = qtest_qmp(vm.qts, "{'execute': 'device_add', 'arguments': {"
                            "'driver': 'iommu-testdev', 'bus': 'rp2'}}");
    qtest_qmp_expect_error(rsp, "GenericError", EMULATED_MSG);
    assert_running(&vm);
    vm_end(&vm);
}

static void test_iommufd_required(void)
{
    expect_start_failure(
        "-host-model grace-hopper " LIBVIRT_TOPOLOGY LIBVIRT_SMMU("iommu0",
                                                                  "pci.1", "")
            LIBVIRT_SMMU("iommu1", "pci.2", "") LIBVIRT_HOSTDEVS(""),
        "iommufd is required");
}

/* ---- Compat: virt-11.0 ---- */

static void test_virt_11_0(void)
{
    g_autoptr(JsonObject) smmu = NULL;
    uint32_t idr[6], host[6];
    Vm vm;

    /* 11.0's ril=on against hosts without RIL */
    expect_start_failure("-M virt-11.0 -host-model arm-smmuv3-basic " ONE_SMMU(
                             "") "-device vfio-pci,id=dev0,bus=rp1,"
                                 "iommufd=iommufd0,host=" NIC_ADDR,
                         "Failed to set vIOMMU: arm-smmuv3 smmu1: Host SMMUv3 "
                         "doesn't support Range Invalidation (host RIL=0, "
                         "vSMMU RIL=1)");
    expect_start_failure("-M virt-11.0 -host-model grace-hopper " ONE_SMMU("")
                             GPU_ON_RP1,
                         "Host SMMUv3 doesn't support Range Invalidation");

    /* with ril=off: the compat values stand, nothing comes from the host */
    vm = vm_start("-M virt-11.0 -host-model grace-hopper " ONE_SMMU(",ril=off")
                      GPU_ON_RP1);
    host_idr("grace-hopper", "smmu0", host);
    read_idr(&vm, idr);
    g_assert_cmpuint(IDR0_ATS(host[0]), ==, 1);
    g_assert_cmpuint(IDR0_ATS(idr[0]), ==, 0);
    g_assert_cmpuint(IDR3_RIL(idr[3]), ==, 0);
    g_assert_cmpuint(IDR1_SSIDSIZE(idr[1]), ==, 0);
    g_assert_cmpuint(IDR5_OAS(idr[5]), ==, 4);
    smmu = query_smmu(&vm, 0);
    assert_feature(smmu, "ats", "off", "off", "configured");
    assert_feature(smmu, "ril", "off", "off", "configured");
    assert_feature(smmu, "ssidsize", "0", "0", "configured");
    assert_feature(smmu, "oas", "44", "44", "configured");
    g_assert_false(json_object_has_member(feature(smmu, "ats"), "host-device"));
    vm_end(&vm);

    /* the same on the other host, and without any device */
    vm = vm_start("-M virt-11.0 -host-model arm-smmuv3-basic " ONE_SMMU(
        ",ril=off") "-device vfio-pci,id=dev0,bus=rp1,"
                    "iommufd=iommufd0,host=" NIC_ADDR);
    g_clear_pointer(&smmu, json_object_unref);
    smmu = query_smmu(&vm, 0);
    assert_feature(smmu, "oas", "44", "44", "configured");
    vm_end(&vm);
    vm = vm_start("-M virt-11.0 -host-model arm-smmuv3-basic " ONE_SMMU(""));
    vm_end(&vm);
}

/* ---- The guest's STEs on the host ---- */

static Vm ste_vm(const char *host_opts)
{
    Vm vm =
        vm_start("-M virt -host-model grace-hopper%s " ONE_SMMU("") GPU_ON_RP1,
                 host_opts);

    smmu_setup(&vm, true);
    return vm;
}

static void test_ste_install(void)
{
    Vm vm = ste_vm("");
    uint32_t sid = vm_sid(&vm, GPU_ID);
    uint64_t ctx = RAM_BASE + 0x800000;
    uint64_t ste0 =
        STE_V | STE_CONFIG(5) | ctx | STE_S1CTXPTR_RES | STE_S1CDMAX(0);
    uint64_t ste1 = STE1_S1CIR(1) | STE1_S1COR(1) | STE1_S1CSH(3) |
                    STE1_S1STALLD | STE1_SHCFG(1);
    uint64_t words[2] = {0};
    g_autoptr(JsonObject) smmu = NULL;
    int64_t old_hwpt;
    g_autofree char *cmd = NULL;
    JsonObject *rsp;

    /* disabled: GBPA decides */
    g_assert_cmpstr(attached(&vm), ==, "bypass");
    smmu_w32(&vm, R_GBPA, GBPA_UPDATE | GBPA_ABORT);
    g_assert_cmpstr(attached(&vm), ==, "abort");
    smmu_w32(&vm, R_GBPA, GBPA_UPDATE);
    g_assert_cmpstr(attached(&vm), ==, "bypass");

    /* enabled: the STE decides (V=0 aborts) */
    smmu_enable(&vm);
    g_assert_cmpstr(attached(&vm), ==, "abort");
    ste_put(&vm, sid, STE_V | STE_CONFIG(4), 0);
    cfgi_ste(&vm, sid);
    g_assert_cmpstr(attached(&vm), ==, "bypass");

    /* stage 1: a nested HWPT with exactly the masked words */
    ste_put(&vm, sid, ste0, ste1);
    cfgi_ste(&vm, sid);
    g_assert_cmpstr(attached(&vm), ==, "nested");
    g_assert_true(nested_words(&vm, words));
    g_assert_cmphex(words[0], ==, ste0 & ~STE_S1CTXPTR_RES);
    g_assert_cmphex(words[1], ==, ste1 & ~STE1_SHCFG(3));
    smmu = query_smmu(&vm, 0);
    g_assert_true(
        json_object_get_boolean_member(smmu_device(smmu, 0), "vdevice"));
    old_hwpt = json_object_get_int_member(smmu_device(smmu, 0), "nested-hwpt");

    /* a new STE replaces the HWPT and frees the old one */
    ste_put(&vm, sid, STE_V | STE_CONFIG(0), 0);
    cfgi_ste(&vm, sid);
    g_assert_cmpstr(attached(&vm), ==, "abort");
    cmd = g_strdup_printf("{'execute': 'x-debug-host-model-hwpt', "
                          "'arguments': {'iommufd': 'iommufd0', "
                          "'hwpt-id': %" PRId64 "}}",
                          old_hwpt);
    rsp = qtest_qmp(vm.qts, "%s", cmd);
    g_assert_nonnull(qtest_qmp_error_desc(rsp));
    json_object_unref(rsp);

    /* stage 2 / nested STEs are not accelerated: CERROR_ILL */
    ste_put(&vm, sid, STE_V | STE_CONFIG(6), 0);
    cmd_put(&vm, CMD_CFGI_STE | CMD_SID(sid), 0);
    smmu_w32(&vm, R_CMDQ_PROD, vm.cmdq_prod);
    g_assert_cmpuint(smmu_r32(&vm, R_GERROR) & GERROR_CMDQ_ERR, ==,
                     GERROR_CMDQ_ERR);
    g_assert_cmpuint(CMDQ_CONS_ERR(smmu_r32(&vm, R_CMDQ_CONS)), ==, CERROR_ILL);
    g_assert_cmpstr(attached(&vm), ==, "abort");
    vm_end(&vm);
}

/* ---- Batched invalidation ---- */

static void queue_invalidations(Vm *vm, uint32_t sid)
{
    cmd_put(vm, CMD_TLBI_NH_ASID | CMD_ASID(1), 0);
    cmd_put(vm, CMD_TLBI_NH_VA | CMD_ASID(1), 0x1000);
    cmd_put(vm, CMD_TLBI_NH_VAA, 0x2000);
    cmd_put(vm, CMD_TLBI_NH_ALL, 0);
    cmd_put(vm, CMD_TLBI_NSNH_ALL, 0);
    cmd_put(vm, CMD_CFGI_CD | CMD_SID(sid), 0);
    cmd_put(vm, CMD_CFGI_CD_ALL | CMD_SID(sid), 0);
    cmd_put(vm, CMD_ATC_INV | CMD_SID(sid), ATC_INV_SIZE_ALL);
}

static void install_s1(Vm *vm, uint32_t sid)
{
    smmu_enable(vm);
    ste_put(vm, sid, STE_V | STE_CONFIG(5) | (RAM_BASE + 0x800000), 0);
    cfgi_ste(vm, sid);
    g_assert_cmpstr(attached(vm), ==, "nested");
}

static void test_invalidation_batch(void)
{
    Vm vm = ste_vm("");
    uint32_t sid = vm_sid(&vm, GPU_ID);
    int64_t n0;

    install_s1(&vm, sid);
    n0 = model_ioctls(&vm, "IOMMU_HWPT_INVALIDATE");

    /* eight forwardable commands (IDR0.ATS is on) and a sync: one ioctl */
    queue_invalidations(&vm, sid);
    cmd_put(&vm, CMD_SYNC, 0);
    cmd_run(&vm);
    g_assert_cmpint(model_ioctls(&vm, "IOMMU_HWPT_INVALIDATE"), ==, n0 + 1);

    /* two syncs in one go: two ioctls; a lone sync costs none */
    queue_invalidations(&vm, sid);
    cmd_put(&vm, CMD_SYNC, 0);
    cmd_put(&vm, CMD_TLBI_NH_ALL, 0);
    cmd_put(&vm, CMD_SYNC, 0);
    cmd_put(&vm, CMD_SYNC, 0);
    cmd_run(&vm);
    g_assert_cmpint(model_ioctls(&vm, "IOMMU_HWPT_INVALIDATE"), ==, n0 + 3);

    /* commands left without a sync go when the queue drains */
    cmd_put(&vm, CMD_TLBI_NH_ALL, 0);
    cmd_run(&vm);
    g_assert_cmpint(model_ioctls(&vm, "IOMMU_HWPT_INVALIDATE"), ==, n0 + 4);

    /* CFGI_CD for a StreamID without vDEVICE stays in the vSMMU */
    cmd_put(&vm, CMD_CFGI_CD | CMD_SID(sid + 1), 0);
    cmd_put(&vm, CMD_SYNC, 0);
    cmd_run(&vm);
    g_assert_cmpint(model_ioctls(&vm, "IOMMU_HWPT_INVALIDATE"), ==, n0 + 4);
    g_assert_cmpuint(smmu_r32(&vm, R_GERROR), ==, 0);
    vm_end(&vm);
}

/* The host fails the batch: the CMD_SYNC gets CERROR_ILL. */
static void test_invalidation_failure(void)
{
    Vm vm = ste_vm(",fail=IOMMU_HWPT_INVALIDATE:1:EIO");
    uint32_t sid = vm_sid(&vm, GPU_ID);
    uint32_t sync_at;

    install_s1(&vm, sid);
    queue_invalidations(&vm, sid);
    sync_at = vm.cmdq_prod;
    cmd_put(&vm, CMD_SYNC, 0);
    smmu_w32(&vm, R_CMDQ_PROD, vm.cmdq_prod);
    g_assert_cmpuint(smmu_r32(&vm, R_GERROR) & GERROR_CMDQ_ERR, ==,
                     GERROR_CMDQ_ERR);
    g_assert_cmphex(smmu_r32(&vm, R_CMDQ_CONS) & 0xffffff, ==, sync_at);
    g_assert_cmpuint(CMDQ_CONS_ERR(smmu_r32(&vm, R_CMDQ_CONS)), ==, CERROR_ILL);
    assert_running(&vm);
    vm_end(&vm);
}

/* ---- Host events ---- */

static void test_vevent(void)
{
    Vm vm = ste_vm("");
    uint32_t sid = vm_sid(&vm, GPU_ID);
    g_autoptr(JsonObject) smmu = NULL;
    JsonObject *viommu;
    g_autofree char *cmd = NULL;
    uint64_t rec[4];
    int tries = 0;

    install_s1(&vm, sid);
    smmu = query_smmu(&vm, 0);
    viommu = json_object_get_object_member(smmu, "viommu");
    g_assert_true(json_object_get_boolean_member(viommu, "veventq"));

    /* F_TRANSLATION for the virtual SID, as the host driver reports it */
    cmd = g_strdup_printf(
        "{'execute': 'x-debug-host-model-inject-vevent', 'arguments': {"
        "'iommufd': 'iommufd0', 'viommu-id': %" PRId64 ", 'event': ["
        "'0x%" PRIx64 "', '0x%x', '0xabc000', '0x0']}}",
        json_object_get_int_member(viommu, "id"),
        (uint64_t)0x10 | ((uint64_t)sid << 32), 1u << 31);
    qtest_qmp_assert_success(vm.qts, "%s", cmd);
    /* the main loop reads the vEVENTQ between requests */
    while (smmu_r32(&vm, R_EVENTQ_PROD) == 0 && tries++ < 1000) {
        continue;
    }
    g_assert_cmphex(smmu_r32(&vm, R_EVENTQ_PROD), ==, 1);
    for (int i = 0; i < 4; i++) {
        rec[i] = qtest_readq(vm.qts, EVTQ_ADDR + 8 * i);
    }
    g_assert_cmphex(rec[0], ==, 0x10 | ((uint64_t)sid << 32));
    g_assert_cmphex(rec[1], ==, 1u << 31);
    g_assert_cmphex(rec[2], ==, 0xabc000);
    g_assert_cmphex(rec[3], ==, 0);
    vm_end(&vm);
}

/* ---- A hostile guest ---- */

#define HOSTILE_OPS 1500
#define HOSTILE_SEED 0xacce15edu

static uint64_t rnd64(GRand *r)
{
    return (uint64_t)g_rand_int(r) << 32 | g_rand_int(r);
}

/*
 * Random STEs (every Config), commands the accelerated mode acts on with
 * random fields and StreamIDs, GBPA and CR0 flips: the emulator keeps
 * answering, and tears everything down afterwards.
 */
static void test_hostile_guest(void)
{
    static const uint8_t opcodes[] = {
        CMD_CFGI_STE,    CMD_CFGI_STE_RANGE, CMD_CFGI_CD,      CMD_CFGI_CD_ALL,
        CMD_CFGI_ALL,    CMD_TLBI_NH_ALL,    CMD_TLBI_NH_ASID, CMD_TLBI_NH_VA,
        CMD_TLBI_NH_VAA, CMD_TLBI_NSNH_ALL,  CMD_ATC_INV,      CMD_SYNC,
    };
    const char *env = g_getenv("SMMUV3_ACCEL_FUZZ_SEED");
    g_autoptr(GRand) r = g_rand_new_with_seed(
        env ? (guint32)g_ascii_strtoull(env, NULL, 0) : HOSTILE_SEED);
    Vm vm = ste_vm("");
    uint32_t sid = vm_sid(&vm, GPU_ID);

    smmu_enable(&vm);
    for (int i = 0; i < HOSTILE_OPS; i++) {
        uint32_t target =
            g_rand_int_range(r, 0, 4) ? sid : g_rand_int_range(r, 0, 1 << 16);
        uint64_t w0 = rnd64(r);

        switch (g_rand_int_range(r, 0, 5)) {
        case 0:
            /* mostly valid, half of them with only stage-1 fields in
             * word 1, so plenty become nested HWPTs */
            ste_put(&vm, sid,
                    (w0 & ~0xfULL) | STE_CONFIG(g_rand_int_range(r, 0, 8)) |
                        (g_rand_int_range(r, 0, 4) ? STE_V : 0),
                    rnd64(r) & (g_rand_boolean(r) ? ~0ULL : 0xffULL));
            break;
        case 1:
            /* random fields half of the time */
            w0 = (g_rand_boolean(r) ? w0 & 0xffffff00ULL : 0) |
                 CMD_SID(target) |
                 opcodes[g_rand_int_range(r, 0, G_N_ELEMENTS(opcodes))];
            cmd_put(&vm, w0, rnd64(r));
            smmu_w32(&vm, R_CMDQ_PROD, vm.cmdq_prod);
            break;
        case 2:
            smmu_w32(&vm, R_GBPA, (uint32_t)w0 | GBPA_UPDATE);
            break;
        case 3:
            smmu_w32(&vm, R_CR0,
                     ((uint32_t)w0 & (CR0_SMMUEN | CR0_EVENTQEN)) |
                         (g_rand_int_range(r, 0, 4) ? CR0_CMDQEN : 0));
            break;
        default:
            smmu_w32(&vm, R_GERRORN, smmu_r32(&vm, R_GERROR));
            break;
        }
    }
    assert_running(&vm);
    /* the run did reach the host: nested HWPTs and invalidations */
    g_test_message("%" PRId64 " HWPT allocations, %" PRId64 " invalidations",
                   model_ioctls(&vm, "IOMMU_HWPT_ALLOC"),
                   model_ioctls(&vm, "IOMMU_HWPT_INVALIDATE"));
    g_assert_cmpint(model_ioctls(&vm, "IOMMU_HWPT_ALLOC"), >, 3);
    g_assert_cmpint(model_ioctls(&vm, "IOMMU_HWPT_INVALIDATE"), >, 0);
    qtest_qmp_device_del(vm.qts, "dev0");
    g_assert_cmpint(model_live_objects(&vm), ==, 0);
    vm_end(&vm);
}

/* ---- Failure injection ---- */

typedef struct FailCase {
    const char *spec;
    const char *msg;
} FailCase;

/* Each host object of the first device, failing in turn. */
static const FailCase fail_cases[] = {
    {"IOMMU_GET_HW_INFO:3", /* after VFIO's two */
     "Failed to set vIOMMU: arm-smmuv3 smmu1: IOMMU_GET_HW_INFO failed: "
     "Cannot allocate memory\n"},
    {"IOMMU_VIOMMU_ALLOC",
     "Failed to set vIOMMU: arm-smmuv3 smmu1: IOMMU_VIOMMU_ALLOC failed: "
     "Cannot allocate memory\n"},
    {"IOMMU_HWPT_ALLOC:2", /* abort, after VFIO's stage 2 */
     "Failed to set vIOMMU: arm-smmuv3 smmu1: IOMMU_HWPT_ALLOC failed: "
     "Cannot allocate memory\n"},
    {"IOMMU_HWPT_ALLOC:3", /* bypass */
     "Failed to set vIOMMU: arm-smmuv3 smmu1: IOMMU_HWPT_ALLOC failed: "
     "Cannot allocate memory\n"},
    {"VFIO_DEVICE_ATTACH_IOMMUFD_PT:2",
     "Failed to set vIOMMU: arm-smmuv3 smmu1: cannot attach " GPU_ADDR
     " to the vIOMMU: VFIO_DEVICE_ATTACH_IOMMUFD_PT failed: Cannot "
     "allocate memory\n"},
};

static void test_fail_coldplug(const void *opaque)
{
    const FailCase *c = opaque;
    g_autofree char *args = g_strdup_printf(
        "-M virt -host-model grace-hopper,fail=%s " ONE_SMMU("") GPU_ON_RP1,
        c->spec);

    expect_start_failure(args, c->msg);
}

/* At guest time: vDEVICE and vEVENTQ allocation. */
static void test_fail_runtime(void)
{
    Vm vm = vm_start(
        "-M virt -host-model grace-hopper,"
        "fail=IOMMU_VDEVICE_ALLOC,fail=IOMMU_VEVENTQ_ALLOC " ONE_SMMU("")
            GPU_ON_RP1);
    uint32_t sid = vm_sid(&vm, GPU_ID);
    g_autoptr(JsonObject) smmu = NULL;
    g_autofree char *err = NULL;

    smmu_setup(&vm, true);
    smmu = query_smmu(&vm, 0);
    g_assert_false(json_object_get_boolean_member(
        json_object_get_object_member(smmu, "viommu"), "veventq"));
    ste_put(&vm, sid, STE_V | STE_CONFIG(4), 0);
    cmd_put(&vm, CMD_CFGI_STE | CMD_SID(sid), 0);
    smmu_w32(&vm, R_CMDQ_PROD, vm.cmdq_prod);
    g_assert_cmpuint(CMDQ_CONS_ERR(smmu_r32(&vm, R_CMDQ_CONS)), ==, CERROR_ILL);
    assert_running(&vm);
    err = qtest_get_stderr(vm.qts);
    g_assert_nonnull(strstr(err, "IOMMU_VEVENTQ_ALLOC failed"));
    vm_end(&vm);
}

/* ---- libvirt's command lines (qtest-and-qmp.md §3.3) ---- */

static void test_libvirt_explicit(void)
{
    Vm vm = vm_start("-host-model grace-hopper " LIBVIRT_TOPOLOGY LIBVIRT_SMMU(
        "iommu0", "pci.1", LIBVIRT_EXPLICIT)
                         LIBVIRT_SMMU("iommu1", "pci.2", LIBVIRT_EXPLICIT)
                             LIBVIRT_HOSTDEVS(LIBVIRT_IOMMUFD));

    for (int n = 0; n < 2; n++) {
        g_autoptr(JsonObject) smmu = query_smmu(&vm, n);
        uint32_t idr[6];

        vm.base = SMMU_BASE(n);
        read_idr(&vm, idr);
        g_assert_cmpuint(IDR0_ATS(idr[0]), ==, 1);
        g_assert_cmpuint(IDR3_RIL(idr[3]), ==, 0);
        g_assert_cmpuint(IDR1_SSIDSIZE(idr[1]), ==, 20);
        g_assert_cmpuint(IDR5_OAS(idr[5]), ==, 4);
        assert_feature(smmu, "ats", "on", "on", "configured");
        assert_feature(smmu, "ril", "off", "off", "configured");
        assert_feature(smmu, "ssidsize", "20", "20", "configured");
        assert_feature(smmu, "oas", "44", "44", "configured");
        g_assert_cmpint(
            json_object_get_int_member(feature(smmu, "oas"), "host-value"), ==,
            5);
    }
    vm_end(&vm);
}

/* Case C: explicit values and no device (its virtio-rng devices do not
 * exist here, and cmdqv=on is refused, so both are left out). */
static void test_libvirt_no_device(void)
{
    Vm vm = vm_start("-host-model grace-hopper " LIBVIRT_TOPOLOGY LIBVIRT_SMMU(
        "iommu0", "pci.1",
        ",\"ats\":\"on\",\"ril\":\"on\","
        "\"ssidsize\":\"20\",\"oas\":\"44\"")
                         LIBVIRT_SMMU("iommu1", "pci.2",
                                      ",\"ats\":\"on\",\"ril\":\"on\","
                                      "\"ssidsize\":\"20\",\"oas\":\"44\""));
    g_autoptr(JsonObject) smmu = query_smmu(&vm, 1);

    assert_feature(smmu, "ril", "on", "on", "configured");
    vm_end(&vm);
}

/* ---- accel=off is the emulated SMMU ---- */

static void test_accel_off(void)
{
    Vm vm = vm_start("-M virt -device pxb-pcie,id=pxb1,bus_nr=0x10 "
                     "-device arm-smmuv3,primary-bus=pxb1,id=smmu1 "
                     "-device iommu-testdev,bus=pxb1");
    g_autoptr(JsonObject) smmu = query_smmu(&vm, 0);
    uint32_t idr[6];

    read_idr(&vm, idr);
    g_assert_cmphex(idr[0], ==, 0x0d44101a);
    g_assert_cmphex(idr[1], ==, 0x02730010);
    g_assert_cmphex(idr[3], ==, 0x00001404);
    g_assert_cmphex(idr[5], ==, 0x00000074);
    g_assert_false(json_object_get_boolean_member(smmu, "accel"));
    assert_feature(smmu, "ats", "auto", "off", "emulated-default");
    assert_feature(smmu, "ril", "auto", "on", "emulated-default");
    assert_feature(smmu, "ssidsize", "auto", "0", "emulated-default");
    assert_feature(smmu, "oas", "auto", "44", "emulated-default");
    vm_end(&vm);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/smmuv3-accel/auto/grace-hopper", test_grace_auto);
    qtest_add_func("/smmuv3-accel/auto/arm-smmuv3-basic", test_basic_auto);
    qtest_add_func("/smmuv3-accel/auto/needs-coldplug",
                   test_auto_needs_coldplug);
    qtest_add_func("/smmuv3-accel/explicit-no-device", test_explicit_no_device);
    qtest_add_func("/smmuv3-accel/cmdqv", test_cmdqv);
    qtest_add_func("/smmuv3-accel/hotplug", test_hotplug);
    qtest_add_func("/smmuv3-accel/emulated-refused", test_emulated_refused);
    qtest_add_func("/smmuv3-accel/iommufd-required", test_iommufd_required);
    qtest_add_func("/smmuv3-accel/virt-11.0", test_virt_11_0);
    qtest_add_func("/smmuv3-accel/ste", test_ste_install);
    qtest_add_func("/smmuv3-accel/invalidation/batch", test_invalidation_batch);
    qtest_add_func("/smmuv3-accel/invalidation/failure",
                   test_invalidation_failure);
    qtest_add_func("/smmuv3-accel/vevent", test_vevent);
    qtest_add_func("/smmuv3-accel/hostile-guest", test_hostile_guest);
    for (size_t i = 0; i < G_N_ELEMENTS(fail_cases); i++) {
        g_autofree char *path =
            g_strdup_printf("/smmuv3-accel/fail/%s", fail_cases[i].spec);

        qtest_add_data_func(path, &fail_cases[i], test_fail_coldplug);
    }
    qtest_add_func("/smmuv3-accel/fail/runtime", test_fail_runtime);
    qtest_add_func("/smmuv3-accel/libvirt/explicit", test_libvirt_explicit);
    qtest_add_func("/smmuv3-accel/libvirt/no-device", test_libvirt_no_device);
    qtest_add_func("/smmuv3-accel/accel-off", test_accel_off);
    return g_test_run();
}
