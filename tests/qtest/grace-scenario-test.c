/*
 * The NVIDIA Grace GPU scenario (scripts/grace-scenario.sh) asserted: the
 * same command line (pxb-pcie, arm-smmuv3 accel=on with ats/ril/ssidsize/
 * oas left auto, pcie-root-port, vfio-pci-nohotplug with iommufd and
 * ats=auto, NUMA nodes and generic initiators) on the bundled Grace-class
 * host and on the other bundled Arm host. Expectations come from the host
 * descriptions in hosts/, never from constants here: the vSMMU ID register
 * fields read over MMIO equal the host SMMU's, ATS is in the assigned
 * device's chain exactly when the host reports it usable, a PASID
 * capability is synthesized at 0xff8 with the host's width and flags, and
 * x-query-arm-smmuv3 / x-query-vfio-pci agree with what the guest reads.
 * The guest side is found like firmware finds it: the SMMU and ECAM from
 * the guest's device tree, bus numbers programmed over ECAM.
 */
#include "libqtest-pci.h"

#include <libfdt.h>
#include <string.h>
#include <unistd.h>

#define EXT_ATS 0x000f
#define EXT_PASID 0x001b
#define PASID_DEFAULT_OFFSET 0xff8
#define CAP_ID_EXP 0x10
#define EXP_DEVCAP2 0x24
#define DEVCAP2_ATOMIC_COMP 0x380
#define PCI_RANGE_MMIO_64BIT 0x03000000
#define SMMU_IDR(n) ((n)*4)

/* A host SMMUv3 ID register field a vSMMU property resolves from. */
typedef struct SmmuField {
    const char *feature;
    int idr;
    int shift;
    int width;
} SmmuField;

static const SmmuField smmu_fields[] = {
    {"ats", 0, 10, 1},
    {"ril", 3, 10, 1},
    {"ssidsize", 1, 6, 5},
    {"oas", 5, 0, 3},
};

static uint32_t field_of(uint32_t v, const SmmuField *f)
{
    return (v >> f->shift) & ((1u << f->width) - 1);
}

typedef struct ExtCap {
    uint16_t offset;
    uint16_t id;
    int version;
} ExtCap;

/* What the host description says about the assigned device. */
typedef struct HostDev {
    char *address;
    uint32_t idr[6]; /* its host SMMU */
    bool ats_supported;
    bool ats_cap; /* its config space has an ATS capability */
    int max_pasid_log2;
    bool pasid_exec, pasid_priv; /* from its PASID Control register */
    GArray *chain;               /* ExtCap: its physical chain */
} HostDev;

static uint8_t *parse_config(JsonArray *lines, gsize *len)
{
    GByteArray *bytes = g_byte_array_new();

    for (guint i = 0; i < json_array_get_length(lines); i++) {
        const char *s = json_array_get_string_element(lines, i);
        const char *colon = strchr(s, ':');

        for (s = colon ? colon + 1 : s; *s;) {
            char *end;
            guint8 b;

            while (*s == ' ') {
                s++;
            }
            if (!*s) {
                break;
            }
            b = strtoul(s, &end, 16);
            g_assert_true(end == s + 2);
            g_byte_array_append(bytes, &b, 1);
            s = end;
        }
    }
    *len = bytes->len;
    return g_byte_array_free(bytes, false);
}

static uint32_t cfg_long(const uint8_t *cfg, unsigned off)
{
    return cfg[off] | cfg[off + 1] << 8 | cfg[off + 2] << 16 |
           (uint32_t)cfg[off + 3] << 24;
}

/* The extended chain of a raw config space (host descriptions are
 * checked well formed when loaded). */
static GArray *cfg_ext_chain(const uint8_t *cfg, gsize len)
{
    GArray *caps = g_array_new(false, false, sizeof(ExtCap));
    unsigned off = 0x100;

    while (len >= 0x1000 && off >= 0x100 && off <= 0xffc) {
        uint32_t hdr = cfg_long(cfg, off);
        ExtCap cap = {off, hdr & 0xffff, (hdr >> 16) & 0xf};

        if (!hdr) {
            break;
        }
        g_array_append_val(caps, cap);
        off = (hdr >> 20) & 0xffc;
    }
    return caps;
}

static uint16_t chain_find(GArray *chain, uint16_t id)
{
    for (guint i = 0; i < chain->len; i++) {
        if (g_array_index(chain, ExtCap, i).id == id) {
            return g_array_index(chain, ExtCap, i).offset;
        }
    }
    return 0;
}

static JsonObject *load_host(const char *model)
{
    const char *srcdir = g_getenv("QEMU_SOURCE_DIR");
    g_autofree char *path = NULL;
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) err = NULL;

    g_assert_nonnull(srcdir);
    path = g_strdup_printf("%s/hosts/%s.json", srcdir, model);
    g_assert_true(json_parser_load_from_file(parser, path, &err));
    return json_object_ref(json_node_get_object(json_parser_get_root(parser)));
}

static JsonObject *find_by(JsonArray *arr, const char *key, const char *val)
{
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *o = json_array_get_object_element(arr, i);

        if (!g_strcmp0(json_object_get_string_member(o, key), val)) {
            return o;
        }
    }
    return NULL;
}

/*
 * The device the scenario assigns: the host's NVIDIA display-class device
 * (the GPU), else its first vfio-bound device behind an arm-smmuv3.
 */
static JsonObject *pick_device(JsonObject *desc)
{
    JsonArray *devs = json_object_get_array_member(desc, "devices");
    JsonArray *iommus = json_object_get_array_member(desc, "iommus");
    JsonObject *first = NULL;

    for (guint i = 0; i < json_array_get_length(devs); i++) {
        JsonObject *d = json_array_get_object_element(devs, i);
        JsonObject *iommu =
            find_by(iommus, "id", json_object_get_string_member(d, "iommu"));
        g_autofree uint8_t *cfg = NULL;
        gsize len;

        if (!json_object_has_member(d, "cdev") ||
            g_strcmp0(json_object_get_string_member(iommu, "type"),
                      "arm-smmuv3")) {
            continue;
        }
        cfg = parse_config(json_object_get_array_member(d, "config"), &len);
        if ((cfg_long(cfg, 0) & 0xffff) == 0x10de && cfg[0x0b] == 0x03) {
            return d;
        }
        first = first ? first : d;
    }
    g_assert_nonnull(first);
    return first;
}

static void host_dev_load(HostDev *h, const char *model)
{
    g_autoptr(JsonObject) desc = load_host(model);
    JsonObject *dev = pick_device(desc);
    gsize len;
    g_autofree uint8_t *cfg =
        parse_config(json_object_get_array_member(dev, "config"), &len);
    JsonObject *iommu =
        find_by(json_object_get_array_member(desc, "iommus"), "id",
                json_object_get_string_member(dev, "iommu"));
    JsonArray *idr = json_object_get_array_member(
        json_object_get_object_member(iommu, "arm-smmuv3"), "idr");
    unsigned pasid;

    h->address = g_strdup(json_object_get_string_member(dev, "address"));
    for (int i = 0; i < 6; i++) {
        JsonNode *n = json_array_get_element(idr, i);

        h->idr[i] = JSON_NODE_TYPE(n) == JSON_NODE_VALUE &&
                            json_node_get_value_type(n) == G_TYPE_STRING
                        ? strtoul(json_node_get_string(n), NULL, 0)
                        : json_node_get_int(n);
    }
    h->chain = cfg_ext_chain(cfg, len);
    h->ats_supported = json_object_get_boolean_member(dev, "ats-supported");
    h->ats_cap = chain_find(h->chain, EXT_ATS) != 0;
    h->max_pasid_log2 =
        json_object_get_int_member_with_default(dev, "max-pasid-log2", 0);
    pasid = chain_find(h->chain, EXT_PASID);
    if (pasid) {
        h->pasid_exec = cfg[pasid + 6] & 0x2;
        h->pasid_priv = cfg[pasid + 6] & 0x4;
    }
}

/* The scenario's command line (scripts/grace-scenario.sh). */
static char *grace_cmdline(const char *machine, const char *model,
                           const char *device)
{
    GString *s = g_string_new(NULL);

    g_string_append_printf(s,
                           "-host-model %s "
                           "-machine %s,gic-version=3,ras=on,"
                           "highmem-mmio-size=4T "
                           "-smp 4 -m 4G "
                           "-object memory-backend-ram,id=mem0,size=4G "
                           "-numa node,memdev=mem0,cpus=0-3,nodeid=0 ",
                           model, machine);
    for (int node = 1; node <= 9; node++) {
        g_string_append_printf(s, "-numa node,nodeid=%d ", node);
    }
    g_string_append_printf(
        s,
        "-object iommufd,id=iommufd0 "
        "-device pxb-pcie,id=pcie.1,bus_nr=1,bus=pcie.0 "
        "-device arm-smmuv3,primary-bus=pcie.1,id=smmuv3.1,accel=on "
        "-device pcie-root-port,id=pcie.port1,bus=pcie.1,chassis=1,"
        "io-reserve=0 "
        "-device vfio-pci-nohotplug,host=%s,bus=pcie.port1,rombar=0,id=dev0,"
        "iommufd=iommufd0,ats=auto",
        device);
    for (int gi = 0; gi < 8; gi++) {
        g_string_append_printf(s,
                               " -object acpi-generic-initiator,id=gi%d,"
                               "pci-dev=dev0,node=%d",
                               gi, gi + 2);
    }
    return g_string_free(s, false);
}

/* What the guest's device tree says: SMMU, ECAM and 64-bit MMIO window. */
typedef struct GuestDt {
    uint64_t smmu;
    uint64_t ecam;
    uint64_t mmio64, mmio64_size;
} GuestDt;

static uint64_t be_cells(const fdt32_t *p)
{
    return (uint64_t)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
}

static void guest_dt_read(const char *cmdline, GuestDt *dt)
{
    g_autofree char *dir = g_dir_make_tmp("grace-dtb-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "guest.dtb", NULL);
    g_autofree char *args = g_strdup_printf(
        "%s -display none -machine dumpdtb=%s -accel qtest", cmdline, path);
    g_autofree char *blob = NULL;
    const fdt32_t *p;
    int status, node, len;

    qtest_run_cmdline(args, &status, NULL, NULL);
    g_assert_cmpint(status, ==, 0);
    g_assert_true(g_file_get_contents(path, &blob, NULL, NULL));
    unlink(path);
    rmdir(dir);

    node = fdt_node_offset_by_compatible(blob, -1, "arm,smmu-v3");
    g_assert_cmpint(node, >=, 0);
    p = fdt_getprop(blob, node, "reg", &len);
    g_assert_cmpint(len, ==, 16);
    dt->smmu = be_cells(p);
    /* The scenario has one SMMUv3. */
    g_assert_cmpint(fdt_node_offset_by_compatible(blob, node, "arm,smmu-v3"), <,
                    0);

    node = fdt_node_offset_by_compatible(blob, -1, "pci-host-ecam-generic");
    g_assert_cmpint(node, >=, 0);
    p = fdt_getprop(blob, node, "reg", &len);
    g_assert_cmpint(len, ==, 16);
    dt->ecam = be_cells(p);
    p = fdt_getprop(blob, node, "ranges", &len);
    dt->mmio64 = dt->mmio64_size = 0;
    for (int i = 0; p && i + 7 <= len / 4; i += 7) {
        if (fdt32_to_cpu(p[i]) == PCI_RANGE_MMIO_64BIT) {
            dt->mmio64 = be_cells(p + i + 3);
            dt->mmio64_size = be_cells(p + i + 5);
        }
    }
    g_assert_cmpuint(dt->mmio64_size, !=, 0);
}

typedef struct Grace {
    QTestState *qts;
    HostDev host;
    GuestDt dt;
    QPCIECAM *ecam;
    GPtrArray *fns;
    QPCIFunction *dev;  /* the assigned device over ECAM */
    QPCIFunction *port; /* the root port above it */
    JsonNode *smmu_q;   /* x-query-arm-smmuv3 */
    JsonNode *vfio_q;   /* x-query-vfio-pci */
} Grace;

static void grace_start(Grace *g, const char *model)
{
    g_autofree char *cmdline = NULL;
    uint32_t ids;

    memset(g, 0, sizeof(*g));
    host_dev_load(&g->host, model);
    cmdline = grace_cmdline("virt", model, g->host.address);
    guest_dt_read(cmdline, &g->dt);
    g->qts = qtest_init(cmdline);
    g->ecam = qpci_ecam_new(g->qts, g->dt.ecam, 256);
    g->fns = qpci_enumerate(g->ecam, g->dt.mmio64, g->dt.mmio64_size);
    g->smmu_q = qtest_qmp_assert_success_ref(g->qts, "{'execute': "
                                                     "'x-query-arm-smmuv3'}");
    g->vfio_q =
        qtest_qmp_assert_success_ref(g->qts, "{'execute': 'x-query-vfio-pci'}");
    g_assert_cmpuint(json_array_get_length(json_node_get_array(g->smmu_q)), ==,
                     1);
    g_assert_cmpuint(json_array_get_length(json_node_get_array(g->vfio_q)), ==,
                     1);

    /* The assigned device is the only endpoint behind a root port. */
    for (guint i = 0; i < g->fns->len; i++) {
        QPCIFunction *f = g->fns->pdata[i];

        if (f->header_type == 1) {
            g->port = f;
        }
    }
    g_assert_nonnull(g->port);
    for (guint i = 0; i < g->fns->len; i++) {
        QPCIFunction *f = g->fns->pdata[i];

        if (f->bus == g->port->secondary_bus) {
            g->dev = f;
        }
    }
    g_assert_nonnull(g->dev);
    ids = qpci_config_readl(g->ecam, g->dev->bus, g->dev->devfn, 0);
    g_assert_cmphex(ids & 0xffff, ==, g->dev->vendor_id);
}

static void grace_end(Grace *g)
{
    json_node_unref(g->smmu_q);
    json_node_unref(g->vfio_q);
    g_ptr_array_unref(g->fns);
    qpci_ecam_free(g->ecam);
    qtest_quit(g->qts);
    g_free(g->host.address);
    g_array_unref(g->host.chain);
}

static JsonObject *smmu_info(Grace *g)
{
    return json_array_get_object_element(json_node_get_array(g->smmu_q), 0);
}

static JsonObject *vfio_info(Grace *g)
{
    return json_array_get_object_element(json_node_get_array(g->vfio_q), 0);
}

static JsonObject *vfio_member(Grace *g, const char *name)
{
    return json_object_get_object_member(vfio_info(g), name);
}

static uint32_t smmu_idr(Grace *g, int n)
{
    return qtest_readl(g->qts, g->dt.smmu + SMMU_IDR(n));
}

static JsonObject *smmu_feature(Grace *g, const char *name)
{
    return find_by(json_object_get_array_member(smmu_info(g), "features"),
                   "name", name);
}

/* The four auto properties resolve to the host SMMU's ID register fields. */
static void test_idr_follow_host(const void *model)
{
    Grace g;

    grace_start(&g, model);
    for (size_t i = 0; i < G_N_ELEMENTS(smmu_fields); i++) {
        const SmmuField *f = &smmu_fields[i];
        JsonObject *feat = smmu_feature(&g, f->feature);

        g_test_message("%s: guest IDR%d 0x%08x, host IDR%d 0x%08x", f->feature,
                       f->idr, smmu_idr(&g, f->idr), f->idr,
                       g.host.idr[f->idr]);
        g_assert_cmpuint(field_of(smmu_idr(&g, f->idr), f), ==,
                         field_of(g.host.idr[f->idr], f));
        g_assert_cmpstr(json_object_get_string_member(feat, "requested"), ==,
                        "auto");
        g_assert_cmpstr(json_object_get_string_member(feat, "source"), ==,
                        "host");
        g_assert_cmpstr(json_object_get_string_member(feat, "host-device"), ==,
                        g.host.address);
        g_assert_cmpint(json_object_get_int_member(feat, "host-value"), ==,
                        field_of(g.host.idr[f->idr], f));
    }
    grace_end(&g);
}

/* ATS is in the chain exactly when the host reports it usable. */
static void test_ats(const void *model)
{
    Grace g;
    bool expect, seen;

    grace_start(&g, model);
    expect = g.host.ats_cap && g.host.ats_supported;
    seen = qpci_find_ext_cap(g.ecam, g.dev->bus, g.dev->devfn, EXT_ATS) != 0;
    g_assert_cmpint(seen, ==, expect);
    g_assert_cmpint(
        json_object_get_boolean_member(vfio_member(&g, "ats"), "visible"), ==,
        expect);
    grace_end(&g);
}

/* A PASID capability at 0xff8 with the host's width, exec and priv. */
static void test_pasid(const void *model)
{
    Grace g;
    JsonObject *pasid;
    const char *ssid;
    uint16_t cap;

    grace_start(&g, model);
    pasid = vfio_member(&g, "pasid");
    ssid = json_object_get_string_member(smmu_feature(&g, "ssidsize"), "value");
    /* Nothing to synthesize: no PASID in the chain at all. */
    if (!g.host.max_pasid_log2 || !strcmp(ssid, "0")) {
        g_assert_false(json_object_get_boolean_member(pasid, "synthesized"));
        g_assert_cmpuint(
            qpci_find_ext_cap(g.ecam, g.dev->bus, g.dev->devfn, EXT_PASID), ==,
            0);
        grace_end(&g);
        return;
    }
    if (json_object_get_boolean_member(pasid, "physical")) {
        grace_end(&g);
        g_test_skip("the host model shows the device's own PASID capability "
                    "in the VFIO config region (the kernel hides it), so "
                    "none is synthesized");
        return;
    }
    g_assert_cmphex(
        qpci_find_ext_cap(g.ecam, g.dev->bus, g.dev->devfn, EXT_PASID), ==,
        PASID_DEFAULT_OFFSET);
    cap = qpci_config_readw(g.ecam, g.dev->bus, g.dev->devfn,
                            PASID_DEFAULT_OFFSET + 4);
    g_assert_cmpint((cap >> 8) & 0x1f, ==, g.host.max_pasid_log2);
    g_assert_cmpint(!!(cap & 0x2), ==, g.host.pasid_exec);
    g_assert_cmpint(!!(cap & 0x4), ==, g.host.pasid_priv);
    g_assert_true(json_object_get_boolean_member(pasid, "synthesized"));
    g_assert_cmpstr(json_object_get_string_member(pasid, "offset"), ==,
                    "0xff8");
    g_assert_cmpint(json_object_get_int_member(pasid, "width"), ==,
                    g.host.max_pasid_log2);
    grace_end(&g);
}

/* The chain the guest walks from 0x100; null (ID 0) entries skipped. */
static GArray *ecam_chain(Grace *g)
{
    GArray *caps = g_array_new(false, false, sizeof(ExtCap));
    bool seen[0x1000 / 4] = {false};
    uint16_t off = 0x100;

    while (off >= 0x100 && off <= 0xffc) {
        uint32_t hdr =
            qpci_config_readl(g->ecam, g->dev->bus, g->dev->devfn, off);
        ExtCap cap = {off, hdr & 0xffff, (hdr >> 16) & 0xf};

        g_assert_false(seen[off / 4]);
        seen[off / 4] = true;
        if (!hdr) {
            break;
        }
        if (cap.id) {
            g_array_append_val(caps, cap);
        }
        off = (hdr >> 20) & 0xffc;
    }
    return caps;
}

static guint listed_len(Grace *g, const char *list)
{
    return json_array_get_length(
        json_object_get_array_member(vfio_info(g), list));
}

static JsonObject *listed_at(Grace *g, const char *list, guint i)
{
    return json_array_get_object_element(
        json_object_get_array_member(vfio_info(g), list), i);
}

/* A capability x-query-vfio-pci lists is the host's at that offset. */
static void assert_host_cap(Grace *g, JsonObject *c, bool same_id)
{
    uint16_t off =
        strtoul(json_object_get_string_member(c, "offset"), NULL, 16);
    uint16_t id = strtoul(json_object_get_string_member(c, "id"), NULL, 16);

    for (guint i = 0; i < g->host.chain->len; i++) {
        ExtCap *cap = &g_array_index(g->host.chain, ExtCap, i);

        if (cap->offset == off) {
            g_test_message("0x%03x: host capability 0x%04x, listed 0x%04x", off,
                           cap->id, id);
            g_assert_true(!same_id || cap->id == id);
            return;
        }
    }
    g_error("0x%03x: no host capability there", off);
}

/* The two query commands say what the guest reads. */
static void test_queries_match_guest(const void *model)
{
    Grace g;
    g_autoptr(GArray) chain = NULL;
    JsonArray *listed, *idr;
    JsonObject *atomics;
    uint8_t exp;
    uint32_t devcap2;

    grace_start(&g, model);
    chain = ecam_chain(&g);
    listed = json_object_get_array_member(vfio_info(&g), "ext-caps");
    g_assert_cmpuint(json_array_get_length(listed), ==, chain->len);
    for (guint i = 0; i < chain->len; i++) {
        JsonObject *c = json_array_get_object_element(listed, i);
        ExtCap *want = &g_array_index(chain, ExtCap, i);
        g_autofree char *off = g_strdup_printf("0x%03x", want->offset);
        g_autofree char *id = g_strdup_printf("0x%04x", want->id);

        g_assert_cmpstr(json_object_get_string_member(c, "offset"), ==, off);
        g_assert_cmpstr(json_object_get_string_member(c, "id"), ==, id);
        g_assert_cmpint(json_object_get_int_member(c, "version"), ==,
                        want->version);
    }

    /*
     * What is shown as the device's own, or listed as left out, is in the
     * host's chain at that offset (the kernel may hide more, e.g. PASID).
     */
    for (guint i = 0; i < listed_len(&g, "ext-caps"); i++) {
        JsonObject *c = listed_at(&g, "ext-caps", i);

        if (g_strcmp0(json_object_get_string_member(c, "origin"),
                      "synthesized")) {
            assert_host_cap(&g, c, true);
        }
    }
    for (guint i = 0; i < listed_len(&g, "dropped"); i++) {
        JsonObject *c = listed_at(&g, "dropped", i);

        g_assert_nonnull(json_object_get_string_member(c, "reason"));
        assert_host_cap(&g, c, false);
    }

    exp = qpci_find_cap(g.ecam, g.port->bus, g.port->devfn, CAP_ID_EXP);
    g_assert_cmpuint(exp, !=, 0);
    devcap2 = qpci_config_readl(g.ecam, g.port->bus, g.port->devfn,
                                exp + EXP_DEVCAP2);
    atomics = vfio_member(&g, "atomics");
    g_assert_cmpstr(json_object_get_string_member(atomics, "root-port"), ==,
                    "pcie.port1");
    g_assert_cmphex(
        strtoul(json_object_get_string_member(atomics, "completer-bits"), NULL,
                16),
        ==, devcap2 & DEVCAP2_ATOMIC_COMP);
    g_assert_cmpstr(json_object_get_string_member(vfio_info(&g), "host"), ==,
                    g.host.address);

    idr = json_object_get_array_member(smmu_info(&g), "idr");
    for (int i = 0; i < 6; i++) {
        g_autofree char *v = g_strdup_printf("0x%08x", smmu_idr(&g, i));

        g_assert_cmpstr(json_array_get_string_element(idr, i), ==, v);
    }
    grace_end(&g);
}

/*
 * virt-11.0 pins the 11.0 values (ril=on among them) and does not ask
 * the host: a host SMMU without range invalidation refuses the GPU.
 */
static void test_compat_11_0(void)
{
    HostDev h = {0};
    g_autofree char *cmdline = NULL;
    g_autofree char *err = NULL;
    int status;

    host_dev_load(&h, "grace-hopper");
    g_assert_cmpuint(field_of(h.idr[3], &smmu_fields[1]), ==, 0);
    cmdline = grace_cmdline("virt-11.0", "grace-hopper", h.address);
    qtest_init_expect_failure(cmdline, &status, &err);
    g_assert_cmpint(status, ==, 1);
    g_assert_nonnull(strstr(err, "Range Invalidation"));
    g_free(h.address);
    g_array_unref(h.chain);
}

int main(int argc, char **argv)
{
    static const char *const models[] = {"grace-hopper", "arm-smmuv3-basic"};

    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(models); i++) {
        g_autofree char *p1 = g_strdup_printf("/grace/%s/idr", models[i]);
        g_autofree char *p2 = g_strdup_printf("/grace/%s/ats", models[i]);
        g_autofree char *p3 = g_strdup_printf("/grace/%s/pasid", models[i]);
        g_autofree char *p4 = g_strdup_printf("/grace/%s/queries", models[i]);

        qtest_add_data_func(p1, models[i], test_idr_follow_host);
        qtest_add_data_func(p2, models[i], test_ats);
        qtest_add_data_func(p3, models[i], test_pasid);
        qtest_add_data_func(p4, models[i], test_queries_match_guest);
    }
    qtest_add_func("/grace/virt-11.0", test_compat_11_0);
    return g_test_run();
}
