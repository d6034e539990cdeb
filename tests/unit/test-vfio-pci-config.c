/*
 * vfio-pci's guest view of config space over synthetic physical config
 * spaces: the emulated-bit merge, the extended chain rebuild (dropping
 * the first, last, only or a middle capability), Resizable BAR, the ATS
 * policy table, PASID synthesis and placement, the PCI Express capability
 * fix-ups and the AtomicOps flag mapping. Then the realize order against
 * a stand-in vIOMMU on a bare PCIe root bus, over a model host.
 */
#include "qemu/osdep.h"
#include "backends/host-model.h"
#include "backends/iommufd.h"
#include "hw/core/iommu.h"
#include "hw/vfio/pci-internal.h"
#include "qom/object_interfaces.h"
#include <linux/vfio.h>

typedef struct Space {
    uint8_t phys[PCIE_CONFIG_SPACE_SIZE];
    uint8_t config[PCIE_CONFIG_SPACE_SIZE];
    uint8_t wmask[PCIE_CONFIG_SPACE_SIZE];
    uint8_t emulated[PCIE_CONFIG_SPACE_SIZE];
    VFIOConfigSpace cs;
} Space;

typedef struct ChainEntry {
    uint16_t off;
    uint16_t id;
} ChainEntry;

static Space *space_new(uint32_t size)
{
    Space *s = g_new0(Space, 1);

    s->cs = (VFIOConfigSpace){
        .size = size,
        .config = s->config,
        .wmask = s->wmask,
        .emulated = s->emulated,
    };
    return s;
}

/* An extended capability with a recognisable body (0xa5 bytes). */
static void add_ext(Space *s, uint16_t off, uint16_t id, uint16_t size,
                    uint16_t next)
{
    memset(s->phys + off, 0xa5, size);
    pci_set_long(s->phys + off, PCI_EXT_CAP(id, 1, next));
}

/* What realize does before the rebuild: config starts as a copy. */
static void space_load(Space *s)
{
    memcpy(s->config, s->phys, sizeof(s->config));
}

/* A guest read: the device answers with the physical bytes. */
static uint32_t guest_read(Space *s, uint16_t off, int len)
{
    uint32_t dev = 0;

    for (int i = 0; i < len; i++) {
        dev |= (uint32_t)s->phys[off + i] << (8 * i);
    }
    return vfio_config_merge(&s->cs, off, len, dev);
}

/* The chain as a guest walks it; fails the test on a loop. */
static GArray *guest_chain(Space *s)
{
    GArray *chain = g_array_new(false, false, sizeof(ChainEntry));
    bool seen[VFIO_EXT_CAP_MAX] = {false};
    uint16_t off = PCI_EXT_CAP_START;

    while (off) {
        uint32_t hdr;
        ChainEntry e;

        g_assert_cmpuint(off, >=, PCI_EXT_CAP_START);
        g_assert_cmpuint(off, <=, PCIE_CONFIG_SPACE_SIZE - 4);
        g_assert_false(seen[(off - PCI_EXT_CAP_START) / 4]);
        seen[(off - PCI_EXT_CAP_START) / 4] = true;
        hdr = guest_read(s, off, 4);
        if (!hdr) {
            break;
        }
        e = (ChainEntry){off, PCI_EXT_CAP_ID(hdr)};
        g_array_append_val(chain, e);
        off = PCI_EXT_CAP_NEXT(hdr);
    }
    return chain;
}

static void assert_chain(Space *s, const ChainEntry *want, int n)
{
    g_autoptr(GArray) chain = guest_chain(s);

    g_assert_cmpint(chain->len, ==, n);
    for (int i = 0; i < n; i++) {
        ChainEntry *e = &g_array_index(chain, ChainEntry, i);

        g_assert_cmphex(e->off, ==, want[i].off);
        g_assert_cmphex(e->id, ==, want[i].id);
    }
}

/* Emulated bits */

static void test_merge(void)
{
    g_autofree Space *s = space_new(PCI_CONFIG_SPACE_SIZE);

    s->wmask[0x10] = 0xff;
    s->config[0x10] = 0x12;
    vfio_config_emulate(&s->cs, 0x10, 2, 0xab00, 0xff00);
    g_assert_cmphex(s->config[0x10], ==, 0x12);
    g_assert_cmphex(s->config[0x11], ==, 0xab);
    g_assert_cmphex(s->emulated[0x10], ==, 0);
    g_assert_cmphex(s->emulated[0x11], ==, 0xff);
    g_assert_cmphex(s->wmask[0x10], ==, 0xff);
    g_assert_cmphex(vfio_config_merge(&s->cs, 0x10, 2, 0x3456), ==, 0xab56);
    g_assert_false(vfio_config_all_emulated(&s->cs, 0x10, 2));
    g_assert_true(vfio_config_all_emulated(&s->cs, 0x11, 1));

    /* Partial bits of a byte. */
    vfio_config_emulate(&s->cs, 0x20, 1, 0x80, 0x80);
    g_assert_cmphex(vfio_config_merge(&s->cs, 0x20, 1, 0x7f), ==, 0xff);
    g_assert_cmphex(vfio_config_merge(&s->cs, 0x20, 1, 0x00), ==, 0x80);

    /* Owning keeps the value and the write mask. */
    s->config[0x3c] = 0x0b;
    s->wmask[0x3c] = 0xff;
    vfio_config_own(&s->cs, 0x3c, 1);
    g_assert_cmphex(vfio_config_merge(&s->cs, 0x3c, 1, 0xee), ==, 0x0b);
    g_assert_cmphex(s->wmask[0x3c], ==, 0xff);
}

/* Extended chain rebuild */

static void test_ext_keep_all(void)
{
    g_autofree Space *s = space_new(PCIE_CONFIG_SPACE_SIZE);
    static const ChainEntry want[] = {
        {0x100, PCI_EXT_CAP_ID_ERR},
        {0x150, PCI_EXT_CAP_ID_ACS},
        {0x160, PCI_EXT_CAP_ID_ATS},
        {0x170, PCI_EXT_CAP_ID_PASID},
    };
    VFIOExtCapsInfo info;

    add_ext(s, 0x100, PCI_EXT_CAP_ID_ERR, PCI_ERR_SIZEOF, 0x150);
    add_ext(s, 0x150, PCI_EXT_CAP_ID_ACS, 8, 0x160);
    add_ext(s, 0x160, PCI_EXT_CAP_ID_ATS, 8, 0x170);
    add_ext(s, 0x170, PCI_EXT_CAP_ID_PASID, 8, 0);
    pci_set_word(s->phys + 0x154, 0); /* ACS without an egress vector */
    space_load(s);
    vfio_ext_caps_rebuild(&s->cs, s->phys, false, &info);

    assert_chain(s, want, G_N_ELEMENTS(want));
    g_assert_cmphex(info.ats, ==, 0x160);
    g_assert_false(info.ats_hidden);
    g_assert_cmphex(info.pasid, ==, 0x170);
    /* Bodies come from the device; next pointers are ours. */
    g_assert_cmphex(guest_read(s, 0x164, 4), ==, 0xa5a5a5a5);
    g_assert_false(vfio_config_all_emulated(&s->cs, 0x164, 4));
    g_assert_cmphex(s->emulated[0x163], ==, 0xff);
    g_assert_cmphex(s->emulated[0x162], ==, 0xf0);
    g_assert_cmphex(s->emulated[0x161], ==, 0);
}

static void test_ext_drop_first(void)
{
    g_autofree Space *s = space_new(PCIE_CONFIG_SPACE_SIZE);
    static const ChainEntry want[] = {
        {0x100, PCI_EXT_CAP_ID_NULL},
        {0x140, PCI_EXT_CAP_ID_ERR},
        {0x190, PCI_EXT_CAP_ID_LTR},
    };
    VFIOExtCapsInfo info;

    add_ext(s, 0x100, PCI_EXT_CAP_ID_ATS, 8, 0x140);
    add_ext(s, 0x140, PCI_EXT_CAP_ID_ERR, PCI_ERR_SIZEOF, 0x190);
    add_ext(s, 0x190, PCI_EXT_CAP_ID_LTR, 8, 0);
    space_load(s);
    vfio_ext_caps_rebuild(&s->cs, s->phys, true, &info);

    assert_chain(s, want, G_N_ELEMENTS(want));
    g_assert_cmphex(guest_read(s, 0x100, 4), ==,
                    PCI_EXT_CAP(PCI_EXT_CAP_ID_NULL, 0, 0x140));
    g_assert_cmphex(info.ats, ==, 0x100);
    g_assert_true(info.ats_hidden);
    /* The hidden ATS registers read as zero and cannot be written. */
    g_assert_cmphex(guest_read(s, 0x104, 4), ==, 0);
    g_assert_true(vfio_config_all_emulated(&s->cs, 0x104, 4));
    g_assert_cmphex(s->wmask[0x107], ==, 0);
}

static void test_ext_drop_last(void)
{
    g_autofree Space *s = space_new(PCIE_CONFIG_SPACE_SIZE);
    static const ChainEntry want[] = {
        {0x100, PCI_EXT_CAP_ID_ERR},
        {0x150, PCI_EXT_CAP_ID_DSN},
    };
    VFIOExtCapsInfo info;

    add_ext(s, 0x100, PCI_EXT_CAP_ID_ERR, PCI_ERR_SIZEOF, 0x150);
    add_ext(s, 0x150, PCI_EXT_CAP_ID_DSN, 12, 0x480);
    add_ext(s, 0x480, PCI_EXT_CAP_ID_ATS, 8, 0);
    space_load(s);
    vfio_ext_caps_rebuild(&s->cs, s->phys, true, &info);

    assert_chain(s, want, G_N_ELEMENTS(want));
    g_assert_cmphex(PCI_EXT_CAP_NEXT(guest_read(s, 0x150, 4)), ==, 0);
    g_assert_cmphex(guest_read(s, 0x480, 4), ==, 0);
}

static void test_ext_drop_only(void)
{
    g_autofree Space *s = space_new(PCIE_CONFIG_SPACE_SIZE);
    VFIOExtCapsInfo info;
    g_autoptr(GArray) chain = NULL;

    add_ext(s, 0x100, PCI_EXT_CAP_ID_ATS, 8, 0);
    space_load(s);
    vfio_ext_caps_rebuild(&s->cs, s->phys, true, &info);

    g_assert_cmphex(guest_read(s, 0x100, 4), ==, 0);
    g_assert_cmphex(guest_read(s, 0x104, 4), ==, 0);
    chain = guest_chain(s);
    g_assert_cmpint(chain->len, ==, 0);
}

static void test_ext_keep_only(void)
{
    g_autofree Space *s = space_new(PCIE_CONFIG_SPACE_SIZE);
    static const ChainEntry want[] = {{0x100, PCI_EXT_CAP_ID_ATS}};
    VFIOExtCapsInfo info;

    add_ext(s, 0x100, PCI_EXT_CAP_ID_ATS, 8, 0);
    space_load(s);
    vfio_ext_caps_rebuild(&s->cs, s->phys, false, &info);

    assert_chain(s, want, G_N_ELEMENTS(want));
    g_assert_cmphex(guest_read(s, 0x100, 4), ==,
                    PCI_EXT_CAP(PCI_EXT_CAP_ID_ATS, 1, 0));
    g_assert_cmphex(guest_read(s, 0x104, 4), ==, 0xa5a5a5a5);
}

/* SR-IOV and ARI always go; several in a row, out of address order. */
static void test_ext_drop_many(void)
{
    g_autofree Space *s = space_new(PCIE_CONFIG_SPACE_SIZE);
    static const ChainEntry want[] = {
        {0x100, PCI_EXT_CAP_ID_ERR},
        {0x300, PCI_EXT_CAP_ID_LTR},
        {0x180, PCI_EXT_CAP_ID_ATS},
    };
    VFIOExtCapsInfo info;

    add_ext(s, 0x100, PCI_EXT_CAP_ID_ERR, PCI_ERR_SIZEOF, 0x200);
    add_ext(s, 0x200, PCI_EXT_CAP_ID_SRIOV, 0x40, 0x150);
    add_ext(s, 0x150, PCI_EXT_CAP_ID_ARI, 8, 0x300);
    add_ext(s, 0x300, PCI_EXT_CAP_ID_LTR, 8, 0x400);
    add_ext(s, 0x400, PCI_EXT_CAP_ID_NULL, 8, 0x180);
    add_ext(s, 0x180, PCI_EXT_CAP_ID_ATS, 8, 0);
    space_load(s);
    vfio_ext_caps_rebuild(&s->cs, s->phys, false, &info);

    assert_chain(s, want, G_N_ELEMENTS(want));
    g_assert_cmphex(guest_read(s, 0x200, 4), ==, 0);
    g_assert_cmphex(guest_read(s, 0x23c, 4), ==, 0);
    g_assert_cmphex(guest_read(s, 0x154, 4), ==, 0);
}

static void test_ext_everything_dropped(void)
{
    g_autofree Space *s = space_new(PCIE_CONFIG_SPACE_SIZE);
    VFIOExtCapsInfo info;

    add_ext(s, 0x100, PCI_EXT_CAP_ID_SRIOV, 0x40, 0x140);
    add_ext(s, 0x140, PCI_EXT_CAP_ID_ARI, 8, 0x148);
    add_ext(s, 0x148, PCI_EXT_CAP_ID_ATS, 8, 0);
    space_load(s);
    vfio_ext_caps_rebuild(&s->cs, s->phys, true, &info);

    /* A null entry that still links would be harmless; an ID of 0xffff
     * must never show. */
    g_assert_cmphex(guest_read(s, 0x100, 2), ==, PCI_EXT_CAP_ID_NULL);
    g_assert_cmphex(PCI_EXT_CAP_NEXT(guest_read(s, 0x100, 4)), ==, 0);
}

static void test_ext_loop(void)
{
    g_autofree Space *s = space_new(PCIE_CONFIG_SPACE_SIZE);
    static const ChainEntry want[] = {
        {0x100, PCI_EXT_CAP_ID_ERR},
        {0x150, PCI_EXT_CAP_ID_LTR},
    };
    VFIOExtCapsInfo info;

    add_ext(s, 0x100, PCI_EXT_CAP_ID_ERR, PCI_ERR_SIZEOF, 0x150);
    add_ext(s, 0x150, PCI_EXT_CAP_ID_LTR, 8, 0x100);
    space_load(s);
    vfio_ext_caps_rebuild(&s->cs, s->phys, false, &info);
    assert_chain(s, want, G_N_ELEMENTS(want));

    /* A pointer into the standard header ends the walk too. */
    pci_set_long(s->phys + 0x150, PCI_EXT_CAP(PCI_EXT_CAP_ID_LTR, 1, 0x40));
    memset(s->emulated, 0, sizeof(s->emulated));
    space_load(s);
    vfio_ext_caps_rebuild(&s->cs, s->phys, false, &info);
    assert_chain(s, want, G_N_ELEMENTS(want));
}

static void test_ext_nothing_to_do(void)
{
    g_autofree Space *s = space_new(PCIE_CONFIG_SPACE_SIZE);
    g_autofree Space *small = space_new(PCI_CONFIG_SPACE_SIZE);
    static const uint8_t zero[PCIE_CONFIG_SPACE_SIZE];
    VFIOExtCapsInfo info;

    space_load(s);
    vfio_ext_caps_rebuild(&s->cs, s->phys, true, &info);
    g_assert_cmpmem(s->emulated, sizeof(zero), zero, sizeof(zero));
    g_assert_cmphex(info.ats, ==, 0);

    add_ext(small, 0x100, PCI_EXT_CAP_ID_ATS, 8, 0);
    space_load(small);
    vfio_ext_caps_rebuild(&small->cs, small->phys, true, &info);
    g_assert_cmpmem(small->emulated, sizeof(zero), zero, sizeof(zero));
}

#define REBAR_CAP(i) (0x104 + 8 * (i))
#define REBAR_CTRL(i) (0x108 + 8 * (i))

static void test_ext_rebar(void)
{
    g_autofree Space *s = space_new(PCIE_CONFIG_SPACE_SIZE);
    static const ChainEntry want[] = {
        {0x100, PCI_EXT_CAP_ID_REBAR},
        {0x200, PCI_EXT_CAP_ID_ATS},
    };
    VFIOExtCapsInfo info;

    add_ext(s, 0x100, PCI_EXT_CAP_ID_REBAR, 0x14, 0x200);
    add_ext(s, 0x200, PCI_EXT_CAP_ID_ATS, 8, 0);
    /* Two BARs: BAR0 at 4 MB (of 1 MB..1 GB), BAR2 at 1 GB. */
    pci_set_long(s->phys + REBAR_CAP(0), 0x3ff0);
    pci_set_long(s->phys + REBAR_CTRL(0), (2 << 8) | (2 << 5) | 0 | 0x10);
    pci_set_long(s->phys + REBAR_CAP(1), 0x3fff0);
    pci_set_long(s->phys + REBAR_CTRL(1), (10 << 8) | 2);
    space_load(s);
    vfio_ext_caps_rebuild(&s->cs, s->phys, false, &info);

    assert_chain(s, want, G_N_ELEMENTS(want));
    g_assert_cmphex(guest_read(s, REBAR_CAP(0), 4), ==, 1u << (2 + 4));
    g_assert_cmphex(guest_read(s, REBAR_CTRL(0), 4), ==, (2 << 8) | (2 << 5));
    g_assert_cmphex(guest_read(s, REBAR_CAP(1), 4), ==, 1u << (10 + 4));
    g_assert_cmphex(guest_read(s, REBAR_CTRL(1), 4), ==, (10 << 8) | 2);
    g_assert_cmphex(s->wmask[REBAR_CTRL(0) + 1], ==, 0);

    /* A current size of 1 TB cannot be shown: the capability goes. */
    memset(s->emulated, 0, sizeof(s->emulated));
    pci_set_long(s->phys + REBAR_CTRL(1), (20 << 8) | 2);
    space_load(s);
    vfio_ext_caps_rebuild(&s->cs, s->phys, false, &info);
    g_assert_cmphex(guest_read(s, 0x100, 4), ==,
                    PCI_EXT_CAP(PCI_EXT_CAP_ID_NULL, 0, 0x200));
    g_assert_cmphex(guest_read(s, REBAR_CTRL(0), 4), ==, 0);
}

static void test_ext_extent(void)
{
    g_autofree Space *s = space_new(PCIE_CONFIG_SPACE_SIZE);

    add_ext(s, 0x100, PCI_EXT_CAP_ID_ERR, PCI_ERR_SIZEOF, 0);
    g_assert_cmpuint(vfio_ext_cap_extent(s->phys, 0x100, 0), ==,
                     PCI_ERR_SIZEOF);
    /* Never past the next header. */
    g_assert_cmpuint(vfio_ext_cap_extent(s->phys, 0x100, 0x140), ==, 0x40);
    /* Vendor-specific: length from its header. */
    add_ext(s, 0x200, PCI_EXT_CAP_ID_VNDR, 0x20, 0);
    pci_set_long(s->phys + 0x204, 0x020 << 20);
    g_assert_cmpuint(vfio_ext_cap_extent(s->phys, 0x200, 0), ==, 0x20);
    /* Unknown: up to the next header, or 8 bytes when last. */
    add_ext(s, 0x300, PCI_EXT_CAP_ID_DPC, 8, 0);
    g_assert_cmpuint(vfio_ext_cap_extent(s->phys, 0x300, 0x360), ==, 0x60);
    g_assert_cmpuint(vfio_ext_cap_extent(s->phys, 0x300, 0), ==, 8);
    /* ACS with an egress control vector of 40 bits: two dwords more. */
    add_ext(s, 0x400, PCI_EXT_CAP_ID_ACS, 16, 0);
    pci_set_word(s->phys + 0x404, PCI_ACS_EC | (40 << 8));
    g_assert_cmpuint(vfio_ext_cap_extent(s->phys, 0x400, 0), ==, 16);
    /* Never past the end of config space. */
    add_ext(s, 0xffc, PCI_EXT_CAP_ID_ERR, 4, 0);
    g_assert_cmpuint(vfio_ext_cap_extent(s->phys, 0xffc, 0), ==, 4);
}

/* The ATS policy */

typedef struct AtsCase {
    OnOffAuto ats;
    bool strict;
    VFIOHostAts host;
    bool has_cap;
    bool ok;
    bool hide;
    const char *warning; /* substring, NULL: none */
} AtsCase;

static const AtsCase ats_cases[] = {
    /* off: never shown, never an error */
    {ON_OFF_AUTO_OFF, true, VFIO_HOST_ATS_USABLE, true, true, true, NULL},
    {ON_OFF_AUTO_OFF, true, VFIO_HOST_ATS_UNUSABLE, true, true, true, NULL},
    {ON_OFF_AUTO_OFF, false, VFIO_HOST_ATS_UNKNOWN, true, true, true, NULL},
    {ON_OFF_AUTO_OFF, true, VFIO_HOST_ATS_UNUSABLE, false, true, true, NULL},
    /* auto: shown unless the host says unusable */
    {ON_OFF_AUTO_AUTO, true, VFIO_HOST_ATS_USABLE, true, true, false, NULL},
    {ON_OFF_AUTO_AUTO, true, VFIO_HOST_ATS_UNUSABLE, true, true, true, NULL},
    {ON_OFF_AUTO_AUTO, true, VFIO_HOST_ATS_UNKNOWN, true, true, false, NULL},
    {ON_OFF_AUTO_AUTO, false, VFIO_HOST_ATS_UNUSABLE, true, true, true, NULL},
    {ON_OFF_AUTO_AUTO, true, VFIO_HOST_ATS_USABLE, false, true, false, NULL},
    /* on, strict */
    {ON_OFF_AUTO_ON, true, VFIO_HOST_ATS_USABLE, true, true, false, NULL},
    {ON_OFF_AUTO_ON, true, VFIO_HOST_ATS_UNKNOWN, true, true, false, NULL},
    {ON_OFF_AUTO_ON, true, VFIO_HOST_ATS_UNUSABLE, true, false, false, NULL},
    {ON_OFF_AUTO_ON, true, VFIO_HOST_ATS_USABLE, false, true, false,
     "has no ATS capability"},
    {ON_OFF_AUTO_ON, true, VFIO_HOST_ATS_UNUSABLE, false, true, false,
     "has no ATS capability"},
    /* on, not strict: the machine-type <= 11.0 behaviour */
    {ON_OFF_AUTO_ON, false, VFIO_HOST_ATS_USABLE, true, true, false, NULL},
    {ON_OFF_AUTO_ON, false, VFIO_HOST_ATS_UNKNOWN, true, true, false, NULL},
    {ON_OFF_AUTO_ON, false, VFIO_HOST_ATS_UNUSABLE, true, true, false,
     "x-ats-strict=off"},
    {ON_OFF_AUTO_ON, false, VFIO_HOST_ATS_UNUSABLE, false, true, false, NULL},
};

static void test_ats_policy(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(ats_cases); i++) {
        const AtsCase *c = &ats_cases[i];
        g_autofree char *warning = NULL;
        Error *err = NULL;
        bool hide = !c->hide;
        bool ok;

        ok = vfio_ats_policy(c->ats, c->strict, c->host, c->has_cap,
                             "vfio-pci dev0 (0009:01:00.0)", &hide, &warning,
                             &err);
        g_test_message("case %zu", i);
        g_assert_cmpint(ok, ==, c->ok);
        if (!ok) {
            g_assert_cmpstr(error_get_pretty(err), ==,
                            "vfio-pci dev0 (0009:01:00.0): ats=on but the "
                            "host kernel reports ATS unsupported for this "
                            "device (IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED); "
                            "use ats=auto or ats=off");
            error_free(err);
            g_assert_null(warning);
            continue;
        }
        g_assert_null(err);
        g_assert_cmpint(hide, ==, c->hide);
        if (c->warning) {
            g_assert_nonnull(warning);
            g_assert_true(
                g_str_has_prefix(warning, "vfio-pci dev0 (0009:01:00.0): "));
            g_assert_nonnull(strstr(warning, c->warning));
        } else {
            g_assert_null(warning);
        }
    }
}

/* PASID synthesis */

static Space *pasid_space(void)
{
    Space *s = space_new(PCIE_CONFIG_SPACE_SIZE);
    VFIOExtCapsInfo info;

    add_ext(s, 0x100, PCI_EXT_CAP_ID_ERR, PCI_ERR_SIZEOF, 0x500);
    add_ext(s, 0x500, PCI_EXT_CAP_ID_ATS, 8, 0);
    space_load(s);
    vfio_ext_caps_rebuild(&s->cs, s->phys, false, &info);
    return s;
}

static void test_pasid_default(void)
{
    g_autofree Space *s = pasid_space();
    static const ChainEntry want[] = {
        {0x100, PCI_EXT_CAP_ID_ERR},
        {0x500, PCI_EXT_CAP_ID_ATS},
        {0xff8, PCI_EXT_CAP_ID_PASID},
    };
    uint16_t off;

    off = vfio_pasid_synthesize(&s->cs, 0, 20, true, true, &error_abort);
    g_assert_cmphex(off, ==, VFIO_PASID_DEFAULT_OFFSET);
    assert_chain(s, want, G_N_ELEMENTS(want));
    g_assert_cmphex(guest_read(s, 0xff8, 4), ==,
                    PCI_EXT_CAP(PCI_EXT_CAP_ID_PASID, 1, 0));
    g_assert_cmphex(guest_read(s, 0xffc, 2), ==,
                    (20 << 8) | PCI_PASID_CAP_EXEC | PCI_PASID_CAP_PRIV);
    g_assert_cmphex(guest_read(s, 0xffe, 2), ==, 0);
    g_assert_true(vfio_config_all_emulated(&s->cs, 0xff8, 8));
    g_assert_cmphex(pci_get_word(s->wmask + 0xffe), ==, 0x07);
    g_assert_cmphex(pci_get_word(s->wmask + 0xffc), ==, 0);
}

static void test_pasid_explicit(void)
{
    g_autofree Space *s = pasid_space();
    static const ChainEntry want[] = {
        {0x100, PCI_EXT_CAP_ID_ERR},
        {0x400, PCI_EXT_CAP_ID_PASID},
        {0x500, PCI_EXT_CAP_ID_ATS},
    };
    uint16_t off;

    off = vfio_pasid_synthesize(&s->cs, 0x400, 8, false, true, &error_abort);
    g_assert_cmphex(off, ==, 0x400);
    assert_chain(s, want, G_N_ELEMENTS(want));
    g_assert_cmphex(guest_read(s, 0x404, 2), ==, (8 << 8) | PCI_PASID_CAP_PRIV);

    /* Right after the last capability (whose size is known). */
    off = vfio_pasid_synthesize(&s->cs, 0x508, 5, false, false, &error_abort);
    g_assert_cmphex(off, ==, 0x508);
    g_assert_cmphex(PCI_EXT_CAP_NEXT(guest_read(s, 0x500, 4)), ==, 0x508);
    g_assert_cmphex(guest_read(s, 0x50c, 2), ==, 5 << 8);
}

typedef struct PasidBad {
    uint16_t offset;
    const char *why;
} PasidBad;

static const PasidBad pasid_bad[] = {
    {0x402, "vfio-pci: x-vpasid-cap-offset 0x402: not dword aligned"},
    {0x0fc, "vfio-pci: x-vpasid-cap-offset 0xfc: outside the extended "
            "configuration space (0x100..0xff8)"},
    {0xffc, "vfio-pci: x-vpasid-cap-offset 0xffc: outside the extended "
            "configuration space (0x100..0xff8)"},
    {0x100, "vfio-pci: x-vpasid-cap-offset 0x100: inside the extended "
            "capability 0x1 at 0x100 (72 bytes)"},
    {0x120, "vfio-pci: x-vpasid-cap-offset 0x120: inside the extended "
            "capability 0x1 at 0x100 (72 bytes)"},
    {0x504, "vfio-pci: x-vpasid-cap-offset 0x504: inside the extended "
            "capability 0xf at 0x500 (8 bytes)"},
    {0x4fc, "vfio-pci: x-vpasid-cap-offset 0x4fc: the 8-byte capability "
            "would overlap the extended capability 0xf at 0x500"},
};

static void test_pasid_bad_offsets(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(pasid_bad); i++) {
        g_autofree Space *s = pasid_space();
        uint8_t before[PCIE_CONFIG_SPACE_SIZE];
        Error *err = NULL;

        memcpy(before, s->config, sizeof(before));
        g_assert_cmphex(vfio_pasid_synthesize(&s->cs, pasid_bad[i].offset, 20,
                                              true, true, &err),
                        ==, 0);
        g_assert_cmpstr(error_get_pretty(err), ==, pasid_bad[i].why);
        error_free(err);
        /* A refusal changes nothing. */
        g_assert_cmpmem(before, sizeof(before), s->config, sizeof(before));
    }
    g_assert_true(vfio_pasid_offset_check(0, &error_abort));
    g_assert_true(vfio_pasid_offset_check(0xff8, &error_abort));
    g_assert_false(vfio_pasid_offset_check(0xffa, NULL));
    g_assert_false(vfio_pasid_offset_check(0x80, NULL));
}

static void test_pasid_default_taken(void)
{
    g_autofree Space *s = space_new(PCIE_CONFIG_SPACE_SIZE);
    VFIOExtCapsInfo info;
    Error *err = NULL;

    add_ext(s, 0x100, PCI_EXT_CAP_ID_ERR, PCI_ERR_SIZEOF, 0xff0);
    add_ext(s, 0xff0, PCI_EXT_CAP_ID_DSN, 12, 0);
    space_load(s);
    vfio_ext_caps_rebuild(&s->cs, s->phys, false, &info);
    g_assert_cmphex(vfio_pasid_synthesize(&s->cs, 0, 20, false, false, &err),
                    ==, 0);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "vfio-pci: x-vpasid-cap-offset 0xff8 (the default): "
                    "inside the extended capability 0x3 at 0xff0 (12 bytes)");
    error_free(err);
}

static void test_pasid_empty_chain(void)
{
    g_autofree Space *s = space_new(PCIE_CONFIG_SPACE_SIZE);
    static const ChainEntry want[] = {{0x100, PCI_EXT_CAP_ID_PASID}};
    VFIOExtCapsInfo info;
    Error *err = NULL;

    /* Everything dropped: only 0x100 can start a chain. */
    add_ext(s, 0x100, PCI_EXT_CAP_ID_ATS, 8, 0);
    space_load(s);
    vfio_ext_caps_rebuild(&s->cs, s->phys, true, &info);
    g_assert_cmphex(vfio_pasid_synthesize(&s->cs, 0, 20, false, false, &err),
                    ==, 0);
    g_assert_nonnull(strstr(error_get_pretty(err), "must be at 0x100"));
    error_free(err);

    g_assert_cmphex(
        vfio_pasid_synthesize(&s->cs, 0x100, 16, false, false, &error_abort),
        ==, 0x100);
    assert_chain(s, want, G_N_ELEMENTS(want));
    g_assert_cmphex(guest_read(s, 0x104, 2), ==, 16 << 8);
}

/* After the first capability was dropped, its space is free. */
static void test_pasid_after_null_head(void)
{
    g_autofree Space *s = space_new(PCIE_CONFIG_SPACE_SIZE);
    static const ChainEntry want[] = {
        {0x100, PCI_EXT_CAP_ID_NULL},
        {0x104, PCI_EXT_CAP_ID_PASID},
        {0x200, PCI_EXT_CAP_ID_ERR},
    };
    VFIOExtCapsInfo info;

    add_ext(s, 0x100, PCI_EXT_CAP_ID_SRIOV, 0x40, 0x200);
    add_ext(s, 0x200, PCI_EXT_CAP_ID_ERR, PCI_ERR_SIZEOF, 0);
    space_load(s);
    vfio_ext_caps_rebuild(&s->cs, s->phys, false, &info);
    g_assert_cmphex(
        vfio_pasid_synthesize(&s->cs, 0x104, 20, false, false, &error_abort),
        ==, 0x104);
    assert_chain(s, want, G_N_ELEMENTS(want));
}

static void test_pasid_width(void)
{
    g_autofree Space *s = pasid_space();
    g_autofree Space *small = space_new(PCI_CONFIG_SPACE_SIZE);
    Error *err = NULL;

    g_assert_cmphex(vfio_pasid_synthesize(&s->cs, 0, 21, false, false, &err),
                    ==, 0);
    g_assert_nonnull(strstr(error_get_pretty(err), "width of 21 bits"));
    error_free(err);
    err = NULL;
    g_assert_cmphex(
        vfio_pasid_synthesize(&small->cs, 0, 20, false, false, &err), ==, 0);
    g_assert_nonnull(
        strstr(error_get_pretty(err), "no extended configuration space"));
    error_free(err);
}

/* Standard capabilities and the PCI Express capability */

static void test_std_caps_list(void)
{
    g_autofree Space *s = space_new(PCI_CONFIG_SPACE_SIZE);
    uint8_t offs[VFIO_STD_CAP_MAX];

    g_assert_cmpint(vfio_std_caps_list(s->phys, offs), ==, 0);
    pci_set_word(s->phys + PCI_STATUS, PCI_STATUS_CAP_LIST);
    s->phys[PCI_CAPABILITY_LIST] = 0x60;
    s->phys[0x60] = PCI_CAP_ID_PM;
    s->phys[0x61] = 0x40;
    s->phys[0x40] = PCI_CAP_ID_EXP;
    s->phys[0x41] = 0x9c;
    s->phys[0x9c] = PCI_CAP_ID_MSIX;
    s->phys[0x9d] = 0x60; /* loops back */
    g_assert_cmpint(vfio_std_caps_list(s->phys, offs), ==, 3);
    g_assert_cmphex(offs[0], ==, 0x60);
    g_assert_cmphex(offs[1], ==, 0x40);
    g_assert_cmphex(offs[2], ==, 0x9c);
    g_assert_cmpuint(vfio_std_cap_max_size(s->phys, 0x40), ==, 0x20);
    g_assert_cmpuint(vfio_std_cap_max_size(s->phys, 0x60), ==, 0x3c);
    g_assert_cmpuint(vfio_std_cap_max_size(s->phys, 0x9c), ==, 0x64);
    /* A pointer into the header ends the list. */
    s->phys[0x9d] = 0x10;
    g_assert_cmpint(vfio_std_caps_list(s->phys, offs), ==, 3);
}

#define EXP 0x40

static Space *exp_space(uint8_t type, uint8_t version)
{
    Space *s = space_new(PCIE_CONFIG_SPACE_SIZE);

    s->phys[EXP] = PCI_CAP_ID_EXP;
    pci_set_word(s->phys + EXP + PCI_EXP_FLAGS,
                 (type << PCI_EXP_FLAGS_TYPE_SHIFT) | version);
    pci_set_long(s->phys + EXP + PCI_EXP_LNKCAP, 0x00412103);
    pci_set_word(s->phys + EXP + PCI_EXP_LNKCTL, 0x0040);
    pci_set_word(s->phys + EXP + PCI_EXP_LNKSTA, 0x1083);
    pci_set_long(s->phys + EXP + PCI_EXP_LNKCAP2, 0x1e);
    pci_set_word(s->phys + EXP + PCI_EXP_LNKCTL2, 0x4);
    space_load(s);
    return s;
}

static uint8_t guest_exp_type(Space *s)
{
    return (guest_read(s, EXP + PCI_EXP_FLAGS, 2) & PCI_EXP_FLAGS_TYPE) >>
           PCI_EXP_FLAGS_TYPE_SHIFT;
}

static void test_pcie_root_bus(void)
{
    g_autofree Space *s = exp_space(PCI_EXP_TYPE_ENDPOINT, 2);
    g_autofree Space *leg = exp_space(PCI_EXP_TYPE_LEG_END, 2);
    g_autofree Space *rciep = exp_space(PCI_EXP_TYPE_RC_END, 2);

    g_assert_true(vfio_pcie_cap_fixup(&s->cs, EXP, PCI_EXP_VER2_SIZEOF,
                                      VFIO_PCIE_ROOT_BUS));
    g_assert_cmpuint(guest_exp_type(s), ==, PCI_EXP_TYPE_RC_END);
    g_assert_cmphex(guest_read(s, EXP + PCI_EXP_FLAGS, 2) & PCI_EXP_FLAGS_VERS,
                    ==, 2);
    g_assert_cmphex(guest_read(s, EXP + PCI_EXP_LNKCAP, 4), ==, 0);
    g_assert_cmphex(guest_read(s, EXP + PCI_EXP_LNKCTL, 2), ==, 0);
    g_assert_cmphex(guest_read(s, EXP + PCI_EXP_LNKSTA, 2), ==, 0);
    g_assert_cmphex(guest_read(s, EXP + PCI_EXP_LNKCAP2, 4), ==, 0);
    g_assert_cmphex(guest_read(s, EXP + PCI_EXP_LNKCTL2, 2), ==, 0);
    g_assert_cmphex(guest_read(s, EXP + PCI_EXP_LNKSTA2, 2), ==, 0);
    /* DEVCAP and the rest still come from the device. */
    g_assert_false(vfio_config_all_emulated(&s->cs, EXP + PCI_EXP_DEVCAP, 4));

    g_assert_false(vfio_pcie_cap_fixup(&leg->cs, EXP, PCI_EXP_VER2_SIZEOF,
                                       VFIO_PCIE_ROOT_BUS));
    g_assert_true(vfio_pcie_cap_fixup(&rciep->cs, EXP, PCI_EXP_VER2_SIZEOF,
                                      VFIO_PCIE_ROOT_BUS));
    g_assert_cmpuint(guest_exp_type(rciep), ==, PCI_EXP_TYPE_RC_END);
}

static void test_pcie_below_port(void)
{
    g_autofree Space *s = exp_space(PCI_EXP_TYPE_RC_END, 2);
    g_autofree Space *ep = exp_space(PCI_EXP_TYPE_ENDPOINT, 2);

    g_assert_true(vfio_pcie_cap_fixup(&s->cs, EXP, PCI_EXP_VER2_SIZEOF,
                                      VFIO_PCIE_BELOW_PORT));
    g_assert_cmpuint(guest_exp_type(s), ==, PCI_EXP_TYPE_ENDPOINT);
    /* x1 at 2.5 GT/s */
    g_assert_cmphex(guest_read(s, EXP + PCI_EXP_LNKCAP, 4), ==, 0x11);
    g_assert_cmphex(guest_read(s, EXP + PCI_EXP_LNKSTA, 2), ==, 0x11);
    g_assert_cmphex(guest_read(s, EXP + PCI_EXP_LNKCTL, 2), ==, 0);

    /* An Endpoint keeps its real link. */
    g_assert_true(vfio_pcie_cap_fixup(&ep->cs, EXP, PCI_EXP_VER2_SIZEOF,
                                      VFIO_PCIE_BELOW_PORT));
    g_assert_cmpuint(guest_exp_type(ep), ==, PCI_EXP_TYPE_ENDPOINT);
    g_assert_cmphex(guest_read(ep, EXP + PCI_EXP_LNKCAP, 4), ==, 0x00412103);
    g_assert_false(vfio_config_all_emulated(&ep->cs, EXP, 4));
}

static void test_pcie_version0_and_conventional(void)
{
    g_autofree Space *s = exp_space(PCI_EXP_TYPE_ENDPOINT, 0);
    g_autofree Space *c = exp_space(PCI_EXP_TYPE_ENDPOINT, 2);

    g_assert_true(vfio_pcie_cap_fixup(&s->cs, EXP, PCI_EXP_VER1_SIZEOF,
                                      VFIO_PCIE_BELOW_PORT));
    g_assert_cmphex(guest_read(s, EXP + PCI_EXP_FLAGS, 2) & PCI_EXP_FLAGS_VERS,
                    ==, 1);
    g_assert_false(vfio_pcie_cap_fixup(&c->cs, EXP, PCI_EXP_VER2_SIZEOF,
                                       VFIO_PCIE_CONVENTIONAL_BUS));
}

static void test_atomic_flags(void)
{
    g_assert_cmphex(vfio_atomic_comp_to_devcap2(0), ==, 0);
    g_assert_cmphex(vfio_atomic_comp_to_devcap2(VFIO_PCI_ATOMIC_COMP32), ==,
                    0x080);
    g_assert_cmphex(vfio_atomic_comp_to_devcap2(VFIO_PCI_ATOMIC_COMP64), ==,
                    0x100);
    g_assert_cmphex(vfio_atomic_comp_to_devcap2(VFIO_PCI_ATOMIC_COMP128), ==,
                    0x200);
    g_assert_cmphex(vfio_atomic_comp_to_devcap2(VFIO_PCI_ATOMIC_COMP32 |
                                                VFIO_PCI_ATOMIC_COMP64 |
                                                VFIO_PCI_ATOMIC_COMP128 | 0x80),
                    ==, 0x380);
}

/* Realize order with a stand-in vIOMMU */

typedef struct FakeViommu {
    bool refuse;
    int set_calls;
    int unset_calls;
    bool config_read_before_set; /* the device's config was in place */
    bool caps_built_before_set;  /* the extended chain was rebuilt */
} FakeViommu;

static FakeViommu fake;
static PCIBus *fake_bus;
static Object *fake_iommufd;

static AddressSpace *fake_get_as(PCIBus *bus, void *opaque, int devfn)
{
    return &address_space_memory;
}

static uint64_t fake_flags(void *opaque)
{
    return VIOMMU_FLAG_PASID_SUPPORTED;
}

static bool fake_set(PCIBus *bus, void *opaque, int devfn,
                     HostIOMMUDevice *hiod, Error **errp)
{
    VFIOPCIDevice *vdev = VFIO_PCI(bus->devices[devfn]);

    fake.set_calls++;
    g_assert_nonnull(hiod);
    fake.config_read_before_set =
        pci_get_word(vdev->pdev.config + PCI_VENDOR_ID) == 0x15b3;
    fake.caps_built_before_set =
        vdev->emulated_config_bits[PCI_EXT_CAP_START] != 0;
    if (fake.refuse) {
        error_setg(errp, "the stand-in vIOMMU says no");
        return false;
    }
    return true;
}

static void fake_unset(PCIBus *bus, void *opaque, int devfn)
{
    fake.unset_calls++;
}

static const PCIIOMMUOps fake_ops = {
    .get_address_space = fake_get_as,
    .get_viommu_flags = fake_flags,
    .set_iommu_device = fake_set,
    .unset_iommu_device = fake_unset,
};

static void fake_setup(void)
{
    g_assert_true(host_ops_select("arm-smmuv3-basic", &error_abort));
    memory_init();
    fake_bus = pci_root_bus_new(NULL, "pcie.0", get_system_memory(),
                                get_system_io(), 0, TYPE_PCIE_BUS);
    g_assert_true(
        pci_setup_iommu(fake_bus, &fake_ops, &fake, false, &error_abort));
    fake_iommufd = object_new(TYPE_IOMMUFD_BACKEND);
    object_property_add_child(object_get_objects_root(), "iommufd0",
                              fake_iommufd);
    object_unref(fake_iommufd);
    g_assert_true(user_creatable_complete(fake_iommufd, &error_abort));
}

static DeviceState *fake_device(const char *host, const char *ats)
{
    DeviceState *dev = qdev_new(TYPE_VFIO_PCI);

    qdev_set_id(dev, g_strdup("dev0"), &error_abort);
    g_assert_true(
        object_property_parse(OBJECT(dev), "host", host, &error_abort));
    g_assert_true(object_property_parse(OBJECT(dev), "ats", ats, &error_abort));
    g_assert_true(object_property_set_link(OBJECT(dev), "iommufd", fake_iommufd,
                                           &error_abort));
    fake = (FakeViommu){0};
    return dev;
}

static void fake_device_free(DeviceState *dev)
{
    object_unparent(OBJECT(dev));
    object_unref(OBJECT(dev));
}

static void test_realize_order(void)
{
    DeviceState *dev = fake_device("0000:01:00.0", "auto");

    g_assert_true(qdev_realize(dev, BUS(fake_bus), &error_abort));
    g_assert_cmpint(fake.set_calls, ==, 1);
    g_assert_true(fake.config_read_before_set);
    g_assert_false(fake.caps_built_before_set);
    g_assert_cmphex(VFIO_PCI(dev)->emulated_config_bits[PCI_EXT_CAP_START], ==,
                    0xff);
    g_assert_cmpuint(host_model_live_objects(), >, 0);

    qdev_unrealize(dev);
    g_assert_cmpint(fake.unset_calls, ==, 1);
    g_assert_cmpuint(host_model_live_objects(), ==, 0);
    fake_device_free(dev);
}

static void test_realize_refused(void)
{
    DeviceState *dev = fake_device("0000:01:00.0", "auto");
    Error *err = NULL;

    fake.refuse = true;
    g_assert_false(qdev_realize(dev, BUS(fake_bus), &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Failed to set vIOMMU: the stand-in vIOMMU says no");
    error_free(err);
    g_assert_cmpint(fake.set_calls, ==, 1);
    g_assert_cmpint(fake.unset_calls, ==, 0);
    g_assert_cmpuint(host_model_live_objects(), ==, 0);
    g_assert_null(fake_bus->devices[0]);
    fake_device_free(dev);
}

/* A failure after the vIOMMU took the device hands it back. */
static void test_realize_fails_after_set(void)
{
    DeviceState *dev = fake_device("0000:01:00.0", "on");
    Error *err = NULL;

    g_assert_false(qdev_realize(dev, BUS(fake_bus), &err));
    g_assert_nonnull(strstr(error_get_pretty(err),
                            "vfio-pci dev0 (0000:01:00.0): ats=on but"));
    error_free(err);
    g_assert_cmpint(fake.set_calls, ==, 1);
    g_assert_cmpint(fake.unset_calls, ==, 1);
    g_assert_cmpuint(host_model_live_objects(), ==, 0);
    fake_device_free(dev);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vfio-pci/config/merge", test_merge);
    g_test_add_func("/vfio-pci/ext/keep-all", test_ext_keep_all);
    g_test_add_func("/vfio-pci/ext/drop-first", test_ext_drop_first);
    g_test_add_func("/vfio-pci/ext/drop-last", test_ext_drop_last);
    g_test_add_func("/vfio-pci/ext/drop-only", test_ext_drop_only);
    g_test_add_func("/vfio-pci/ext/keep-only", test_ext_keep_only);
    g_test_add_func("/vfio-pci/ext/drop-many", test_ext_drop_many);
    g_test_add_func("/vfio-pci/ext/everything-dropped",
                    test_ext_everything_dropped);
    g_test_add_func("/vfio-pci/ext/loop", test_ext_loop);
    g_test_add_func("/vfio-pci/ext/nothing-to-do", test_ext_nothing_to_do);
    g_test_add_func("/vfio-pci/ext/rebar", test_ext_rebar);
    g_test_add_func("/vfio-pci/ext/extent", test_ext_extent);
    g_test_add_func("/vfio-pci/ats/policy", test_ats_policy);
    g_test_add_func("/vfio-pci/pasid/default", test_pasid_default);
    g_test_add_func("/vfio-pci/pasid/explicit", test_pasid_explicit);
    g_test_add_func("/vfio-pci/pasid/bad-offsets", test_pasid_bad_offsets);
    g_test_add_func("/vfio-pci/pasid/default-taken", test_pasid_default_taken);
    g_test_add_func("/vfio-pci/pasid/empty-chain", test_pasid_empty_chain);
    g_test_add_func("/vfio-pci/pasid/after-null-head",
                    test_pasid_after_null_head);
    g_test_add_func("/vfio-pci/pasid/width", test_pasid_width);
    g_test_add_func("/vfio-pci/std/list", test_std_caps_list);
    g_test_add_func("/vfio-pci/pcie/root-bus", test_pcie_root_bus);
    g_test_add_func("/vfio-pci/pcie/below-port", test_pcie_below_port);
    g_test_add_func("/vfio-pci/pcie/version0-conventional",
                    test_pcie_version0_and_conventional);
    g_test_add_func("/vfio-pci/atomics/flags", test_atomic_flags);
    fake_setup();
    g_test_add_func("/vfio-pci/realize/order", test_realize_order);
    g_test_add_func("/vfio-pci/realize/refused", test_realize_refused);
    g_test_add_func("/vfio-pci/realize/fails-after-set",
                    test_realize_fails_after_set);
    return g_test_run();
}
