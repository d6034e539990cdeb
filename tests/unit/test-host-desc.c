/*
 * Host descriptions: the bundled hosts load and cover the cases the
 * emulator's tests need; malformed descriptions are rejected with a
 * message naming the field.
 */
#include "qemu/osdep.h"
#include "backends/host-model.h"
#include <linux/vfio.h>

#define SMMU_IOMMU                                                             \
    "{\"id\":\"s0\",\"type\":\"arm-smmuv3\",\"arm-smmuv3\":{\"idr\":"         \
    "[\"0x0800000b\",\"0x00000510\",0,0,0,\"0x75\"],\"iidr\":0,\"aidr\":1}}"
#define VTD_NONEST                                                             \
    "{\"id\":\"d0\",\"type\":\"intel-vtd\",\"intel-vtd\":{\"cap\":"           \
    "\"0x8d2078c106f0466\",\"ecap\":\"0xf020df\"}}"

static const HostModelDevice *find_dev(const HostModelDesc *d,
                                       const char *addr)
{
    for (unsigned i = 0; i < d->devices->len; i++) {
        HostModelDevice *dev = g_ptr_array_index(d->devices, i);
        if (!strcmp(dev->address, addr)) {
            return dev;
        }
    }
    return NULL;
}

static uint32_t ld32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_bundled_load(void)
{
    bool ats_ok = false, ats_bad = false, pasid = false, atomics = false;
    bool no_ext = false, gpu = false;
    unsigned n = 0;

    for (const HostModelBundled *b = host_model_bundled; b->name; b++, n++) {
        g_autoptr(HostModelDesc) d = host_model_desc_load(b->name,
                                                          &error_abort);

        g_assert_cmpstr(d->name, ==, b->name);
        g_assert_true(d->bundled);
        g_assert_cmpstr(d->description, !=, "");
        g_assert_nonnull(strstr(d->provenance, "synthetic"));
        for (unsigned i = 0; i < d->devices->len; i++) {
            HostModelDevice *dev = g_ptr_array_index(d->devices, i);
            ats_ok |= dev->ats_supported;
            ats_bad |= !dev->ats_supported;
            pasid |= dev->max_pasid_log2 > 0;
            atomics |= dev->atomic_comp != 0;
            no_ext |= dev->config_size == 4096 && !ld32(dev->config + 0x100);
            gpu |= ld32(dev->config) == 0x234210de;
        }
    }
    g_assert_cmpuint(n, ==, 4);
    g_assert_true(ats_ok && ats_bad && pasid && atomics && no_ext && gpu);
}

/* Facts from real-hardware.md survive into the bundled bytes. */
static void test_bundled_facts(void)
{
    g_autoptr(HostModelDesc) spr = host_model_desc_load("vtd-sapphire-rapids",
                                                        &error_abort);
    g_autoptr(HostModelDesc) gh = host_model_desc_load("grace-hopper",
                                                       &error_abort);
    const HostModelDevice *dsa = find_dev(spr, "0000:6a:01.0");
    const HostModelDevice *gpu = find_dev(gh, "0009:01:00.0");
    HostModelIommu *dmar = g_ptr_array_index(spr->iommus, 0);
    HostModelIommu *smmu = g_ptr_array_index(gh->iommus, 0);

    g_assert_nonnull(dsa);
    g_assert_cmphex(ld32(dsa->config), ==, 0x0b258086);
    g_assert_cmphex(ld32(dsa->config + 0x220), ==, 0x2301000f);
    g_assert_cmphex(ld32(dsa->config + 0x224), ==, 0x80000060);
    g_assert_cmphex(ld32(dsa->config + 0x230), ==, 0x2401001b);
    g_assert_cmphex(ld32(dsa->config + 0x234), ==, 0x00051404);
    g_assert_cmphex(ld32(dsa->config + 0x240), ==, 0x00010013);
    g_assert_cmphex(ld32(dsa->config + 0x64), ==, 0x10730810);
    g_assert_cmphex(dmar->cap, ==, 0x19ed008c40780c66ull);
    g_assert_cmphex(dmar->ecap, ==, 0x3ee9e86f050dfull);
    g_assert_cmpuint(dmar->vtd_flags, ==, 1);
    g_assert_true(dmar->nesting);

    g_assert_nonnull(gpu);
    g_assert_cmpuint(gpu->max_pasid_log2, ==, 20);
    g_assert_true(gpu->ats_supported);
    g_assert_cmphex(smmu->idr[3] & (1 << 10), ==, 0);     /* no RIL */
    g_assert_cmphex(smmu->idr[5] & 7, ==, 5);             /* OAS 48 */
    g_assert_cmphex(smmu->idr[5] & 0x70, ==, 0x70);       /* 4K/16K/64K */
    g_assert_cmphex((smmu->idr[1] >> 6) & 0x1f, ==, 20);  /* SSIDSIZE */
    g_assert_cmpuint(gpu->regions[VFIO_PCI_CONFIG_REGION_INDEX].size, ==,
                     4096);
}

static void test_load_errors(void)
{
    Error *err = NULL;

    g_assert_null(host_model_desc_load("no-such-host", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "Unknown host model"));
    error_free(err);
    err = NULL;
    g_assert_null(host_model_desc_load("/nonexistent/x.json", &err));
    g_assert_nonnull(strstr(error_get_pretty(err),
                            "Could not read host description"));
    error_free(err);
}

/* A 256- or 4096-byte endpoint config space as a hex string. */
static char *hex_config(const uint8_t *cfg, size_t n)
{
    GString *s = g_string_new(NULL);

    for (size_t i = 0; i < n; i++) {
        g_string_append_printf(s, "%02x ", cfg[i]);
    }
    return g_string_free(s, false);
}

static void base_config(uint8_t *cfg)
{
    cfg[0] = 0x34;
    cfg[1] = 0x12;
    cfg[2] = 0x78;
    cfg[3] = 0x56;
}

static char *device_json(const char *extra, const uint8_t *cfg, size_t n,
                         const char *addr, const char *cdev)
{
    g_autofree char *hex = hex_config(cfg, n);

    return g_strdup_printf("{\"address\":\"%s\",\"iommu\":\"s0\","
                           "\"iommu-group\":1,\"cdev\":\"%s\",\"config\":"
                           "\"%s\",\"ats-supported\":false%s}",
                           addr, cdev, hex, extra);
}

static char *host_json(const char *iommus, const char *devices)
{
    return g_strdup_printf("{\"name\":\"t\",\"description\":\"d\","
                           "\"provenance\":\"p\",\"iommus\":[%s],"
                           "\"devices\":[%s]}", iommus, devices);
}

static void expect_error(const char *json, const char *want)
{
    Error *err = NULL;
    HostModelDesc *d = host_model_desc_parse(json, "test.json", &err);

    g_assert_null(d);
    g_assert_nonnull(err);
    if (!strstr(error_get_pretty(err), want)) {
        g_printerr("got: %s\nwant: %s\n", error_get_pretty(err), want);
        g_assert_not_reached();
    }
    g_assert_true(g_str_has_prefix(error_get_pretty(err), "test.json: "));
    error_free(err);
}

typedef struct BadCase {
    const char *iommus;     /* NULL: one plain SMMU */
    const char *extra;      /* appended to devices[0] */
    size_t cfg_size;        /* 0: 256 */
    void (*patch)(uint8_t *cfg);
    const char *want;
} BadCase;

static void cap_loop(uint8_t *cfg)
{
    cfg[0x06] = 0x10;
    cfg[0x34] = 0x40;
    cfg[0x40] = 0x01;
    cfg[0x41] = 0x48;
    cfg[0x48] = 0x05;
    cfg[0x49] = 0x40;
}

static void cap_out_of_range(uint8_t *cfg)
{
    cfg[0x06] = 0x10;
    cfg[0x34] = 0x20;
}

static void ext_loop(uint8_t *cfg)
{
    cfg[0x100] = 0x01;
    cfg[0x102] = 0x01;
    cfg[0x103] = 0x10; /* next = 0x100 */
}

static void bridge_header(uint8_t *cfg)
{
    cfg[0x0e] = 0x01;
}

static void bar0_mem64(uint8_t *cfg)
{
    cfg[0x10] = 0x04;
}

static const BadCase bad_cases[] = {
    {NULL, ",\"bogus\":1", 0, NULL, "devices[0].bogus: unknown field"},
    {NULL, ",\"reset\":1", 0, NULL, "devices[0].reset: expected true or false"},
    {NULL, ",\"max-pasid-log2\":5", 4096, NULL,
     "devices[0].max-pasid-log2: 5, but the device has no PASID"},
    {NULL, ",\"atomic-completer\":{\"comp32\":true}", 0, NULL,
     "devices[0].atomic-completer.comp32: set, but DEVCAP2"},
    {NULL, ",\"regions\":[{\"index\":0,\"size\":4096},{\"index\":1,"
     "\"size\":4096}]", 0, bar0_mem64, "BAR0 is 64-bit"},
    {NULL, ",\"regions\":[{\"index\":7,\"size\":256}]", 0, NULL,
     "devices[0].regions[0]: the config region (7)"},
    {NULL, ",\"regions\":[{\"index\":0,\"size\":3000}]", 0, NULL,
     "not a power of two"},
    {NULL, ",\"regions\":[{\"index\":0,\"size\":4096,\"flags\":"
     "[\"exec\"]}]", 0, NULL, "devices[0].regions[0].flags: unknown flag"},
    {NULL, ",\"irqs\":[{\"index\":5,\"count\":1}]", 0, NULL,
     "devices[0].irqs[0].index: value 0x5 exceeds"},
    {NULL, ",\"pasid-exec\":true", 0, NULL, "devices[0].pasid-exec"},
    {NULL, "", 0, cap_loop, "devices[0].config: capability list loops"},
    {NULL, "", 0, cap_out_of_range,
     "devices[0].config: capability pointer 0x20 out of range"},
    {NULL, "", 4096, ext_loop,
     "devices[0].config: extended capability list loops at 0x100"},
    {NULL, "", 0, bridge_header, "devices[0].config: header type 1"},
    {"{\"id\":\"s0\",\"type\":\"amd\"}", "", 0, NULL,
     "iommus[0].type: expected \"arm-smmuv3\" or \"intel-vtd\""},
    {"{\"id\":\"s0\",\"type\":\"arm-smmuv3\",\"arm-smmuv3\":{\"idr\":"
     "[0,0,0,0,0],\"iidr\":0,\"aidr\":0}}", "", 0, NULL,
     "iommus[0].arm-smmuv3.idr: expected 6 registers (IDR0..IDR5), got 5"},
    {"{\"id\":\"s0\",\"type\":\"arm-smmuv3\",\"arm-smmuv3\":{\"idr\":"
     "[\"0xZZ\",0,0,0,0,0],\"iidr\":0,\"aidr\":0}}", "", 0, NULL,
     "iommus[0].arm-smmuv3.idr[0]: expected a hex string"},
    {"{\"id\":\"s0\",\"type\":\"arm-smmuv3\",\"arm-smmuv3\":{\"idr\":"
     "[\"0x1g\",0,0,0,0,0],\"iidr\":0,\"aidr\":0}}", "", 0, NULL,
     "iommus[0].arm-smmuv3.idr[0]: bad hex number"},
    {"{\"id\":\"s0\",\"type\":\"arm-smmuv3\",\"arm-smmuv3\":{\"idr\":"
     "[0,0,0,0,0,0],\"iidr\":0}}", "", 0, NULL,
     "iommus[0].arm-smmuv3.aidr: missing required field"},
    {"{\"id\":\"s0\",\"type\":\"arm-smmuv3\",\"arm-smmuv3\":{\"idr\":"
     "[0,0,0,0,0,0],\"iidr\":0,\"aidr\":0},\"nesting\":true}", "", 0, NULL,
     "iommus[0].nesting: true, but IDR0.S1P and IDR0.S2P"},
    {"{\"id\":\"s0\",\"type\":\"intel-vtd\",\"intel-vtd\":{\"cap\":"
     "\"0x8d2078c106f0466\",\"ecap\":\"0xf020df\"},\"nesting\":true}", "", 0,
     NULL, "iommus[0].nesting: true, but ECAP.NEST is clear"},
    {SMMU_IOMMU "," SMMU_IOMMU, "", 0, NULL,
     "iommus[1].id: duplicate IOMMU id \"s0\""},
    {VTD_NONEST, "", 0, NULL, "devices[0].iommu: unknown IOMMU \"s0\""},
    {"{\"id\":\"s0\",\"type\":\"arm-smmuv3\",\"arm-smmuv3\":{\"idr\":"
     "[0,0,0,0,0,0],\"iidr\":0,\"aidr\":0},\"iova-ranges\":[{\"start\":9,"
     "\"last\":1}]}", "", 0, NULL,
     "iommus[0].iova-ranges[0]: ranges must be ordered"},
};

static void test_bad_cases(void)
{
    for (unsigned i = 0; i < ARRAY_SIZE(bad_cases); i++) {
        const BadCase *c = &bad_cases[i];
        size_t n = c->cfg_size ? c->cfg_size : 256;
        g_autofree uint8_t *cfg = g_malloc0(n);
        g_autofree char *dev = NULL;
        g_autofree char *json = NULL;

        base_config(cfg);
        if (c->patch) {
            c->patch(cfg);
        }
        dev = device_json(c->extra, cfg, n, "0000:01:00.0", "vfio0");
        json = host_json(c->iommus ? c->iommus : SMMU_IOMMU, dev);
        expect_error(json, c->want);
    }
}

static void test_bad_top_level(void)
{
    uint8_t cfg[256] = {0};
    g_autofree char *dev = NULL;
    g_autofree char *dev2 = NULL;
    g_autofree char *devs = NULL;
    g_autofree char *json = NULL;
    g_autofree char *odd = NULL;

    expect_error("{\"name\":", "test.json: invalid JSON");
    expect_error("[]", "test.json: expected a JSON object");
    expect_error("{\"description\":\"d\",\"provenance\":\"p\",\"iommus\":[],"
                 "\"devices\":[]}", "test.json: name: missing required field");
    expect_error("{\"name\":\"t\",\"description\":\"d\",\"provenance\":\"p\","
                 "\"iommus\":[],\"devices\":[],\"x\":1}",
                 "test.json: x: unknown field");
    expect_error("{\"name\":\"t\",\"description\":\"d\",\"provenance\":\"p\","
                 "\"iommus\":{},\"devices\":[]}", "iommus: expected an array");

    base_config(cfg);
    dev = device_json("", cfg, 256, "0000:01:00.0", "vfio0");
    dev2 = device_json("", cfg, 256, "0000:02:00.0", "vfio0");
    devs = g_strdup_printf("%s,%s", dev, dev2);
    json = host_json(SMMU_IOMMU, devs);
    expect_error(json, "devices[1].cdev: duplicate cdev vfio0");
    g_free(json);

    g_free(devs);
    g_free(dev2);
    dev2 = device_json("", cfg, 256, "0000:01:00.0", "vfio1");
    devs = g_strdup_printf("%s,%s", dev, dev2);
    json = host_json(SMMU_IOMMU, devs);
    expect_error(json, "devices[1].address: duplicate address 0000:01:00.0");
    g_free(json);

    g_free(dev2);
    dev2 = device_json(",\"iommu-group\":\"x\"", cfg, 256, "0000:02:00.0",
                       "vfio1");
    json = host_json(SMMU_IOMMU, dev2);
    expect_error(json, "devices[0].iommu-group: expected a hex string");
    g_free(json);

    g_free(dev);
    dev = device_json("", cfg, 256, "1:2:3", "vfio0");
    json = host_json(SMMU_IOMMU, dev);
    expect_error(json, "devices[0].address: expected a PCI address");
    g_free(json);

    g_free(dev);
    dev = device_json("", cfg, 150, "0000:01:00.0", "vfio0");
    json = host_json(SMMU_IOMMU, dev);
    expect_error(json, "devices[0].config: expected 256 or 4096 bytes, "
                       "got 150");
    g_free(json);

    odd = g_strdup_printf("{\"address\":\"0000:01:00.0\",\"iommu\":\"s0\","
                          "\"iommu-group\":1,\"config\":\"abc\","
                          "\"ats-supported\":false}");
    json = host_json(SMMU_IOMMU, odd);
    expect_error(json, "devices[0].config: odd number of hex digits");
    g_free(json);

    g_free(odd);
    odd = g_strdup_printf("{\"address\":\"0000:01:00.0\",\"iommu\":\"s0\","
                          "\"iommu-group\":1,\"config\":[\"10: 00\"],"
                          "\"ats-supported\":false}");
    json = host_json(SMMU_IOMMU, odd);
    expect_error(json, "devices[0].config: line offset \"10\" does not "
                       "match byte 0x0");
}

/* A minimal valid description round-trips its derived defaults. */
static void test_minimal_defaults(void)
{
    uint8_t cfg[256] = {0};
    g_autofree char *dev = NULL;
    g_autofree char *json = NULL;
    g_autoptr(HostModelDesc) d = NULL;
    HostModelDevice *hd;
    HostModelIommu *mmu;
    HostIovaRange *r;

    base_config(cfg);
    cfg[0x3d] = 1; /* INTA */
    dev = device_json("", cfg, 256, "0000:01:00.0", "vfio0");
    json = host_json(SMMU_IOMMU, dev);
    d = host_model_desc_parse(json, "test.json", &error_abort);
    hd = g_ptr_array_index(d->devices, 0);
    mmu = g_ptr_array_index(d->iommus, 0);
    g_assert_true(hd->reset);
    g_assert_cmpuint(hd->irqs[VFIO_PCI_INTX_IRQ_INDEX].count, ==, 1);
    g_assert_cmpuint(hd->irqs[VFIO_PCI_MSI_IRQ_INDEX].count, ==, 0);
    g_assert_cmpuint(hd->regions[VFIO_PCI_CONFIG_REGION_INDEX].size, ==, 256);
    g_assert_true(mmu->nesting); /* IDR0 S1P | S2P */
    /* OAS 48 aperture minus the software MSI window */
    g_assert_cmpuint(mmu->iova_ranges->len, ==, 2);
    r = &g_array_index(mmu->iova_ranges, HostIovaRange, 1);
    g_assert_cmphex(r->start, ==, 0x8100000);
    g_assert_cmphex(r->last, ==, (1ull << 48) - 1);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/host-desc/bundled/load", test_bundled_load);
    g_test_add_func("/host-desc/bundled/facts", test_bundled_facts);
    g_test_add_func("/host-desc/load-errors", test_load_errors);
    g_test_add_func("/host-desc/bad/fields", test_bad_cases);
    g_test_add_func("/host-desc/bad/top-level", test_bad_top_level);
    g_test_add_func("/host-desc/minimal-defaults", test_minimal_defaults);
    return g_test_run();
}
