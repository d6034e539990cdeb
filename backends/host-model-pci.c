/*
 * PCI config-space helpers for the model host: capability-chain checks
 * (used when a description is loaded) and the per-device write masks that
 * decide which config bits a VFIO config-region write may change.
 */
#include "qemu/osdep.h"
#include "host-model-int.h"

uint32_t model_pci_ld(const uint8_t *cfg, unsigned off, unsigned size)
{
    uint32_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v |= (uint32_t)cfg[off + i] << (8 * i);
    }
    return v;
}

void model_pci_st(uint8_t *cfg, unsigned off, unsigned size, uint32_t val)
{
    for (unsigned i = 0; i < size; i++) {
        cfg[off + i] = val >> (8 * i);
    }
}

/*
 * Bytes a capability needs for the fields the model and vfio-pci read;
 * one that runs past the end of config space would have them read
 * beyond the buffer.
 */
static unsigned std_cap_len(const uint8_t *cfg, unsigned off)
{
    uint16_t flags = model_pci_ld(cfg, off + 2, 2);

    switch (cfg[off]) {
    case HM_CAP_PM:
        return 8;
    case HM_CAP_MSI:
        /* 64-bit address, then per-vector mask and pending bits */
        return (flags & 0x80 ? 0x0e : 0x0a) + (flags & 0x100 ? 0x0a : 0);
    case HM_CAP_EXP:
        return (flags & 0xf) >= 2 ? 0x3c : 0x14;
    case HM_CAP_MSIX:
        return 12;
    default:
        return 2;
    }
}

static unsigned ext_cap_len(uint16_t id)
{
    switch (id) {
    case HM_EXT_AER:
        return 0x18;
    case HM_EXT_PRI:
        return 0x10;
    case HM_EXT_ATS:
    case HM_EXT_PASID:
        return 8;
    default:
        return 4;
    }
}

static bool check_std_chain(const uint8_t *cfg, char **why)
{
    bool seen[256] = {false};
    unsigned off;

    if (!(cfg[HM_PCI_STATUS] & HM_PCI_STATUS_CAP_LIST)) {
        return true;
    }
    for (off = cfg[HM_PCI_CAP_PTR] & 0xfc; off; off = cfg[off + 1] & 0xfc) {
        if (off < HM_PCI_STD_HEADER_END || off > 0xfc) {
            *why = g_strdup_printf("capability pointer 0x%x out of range",
                                   off);
            return false;
        }
        if (seen[off]) {
            *why = g_strdup_printf("capability list loops at 0x%x", off);
            return false;
        }
        seen[off] = true;
        if (off + std_cap_len(cfg, off) > 256) {
            *why = g_strdup_printf("capability 0x%02x at 0x%x runs past the "
                                   "end of the configuration space",
                                   cfg[off], off);
            return false;
        }
    }
    return true;
}

static bool check_ext_chain(const uint8_t *cfg, size_t size, char **why)
{
    bool seen[1024] = {false};
    unsigned off = HM_EXT_CAP_START;

    if (size < 4096 || !model_pci_ld(cfg, off, 4)) {
        return true;
    }
    while (off) {
        uint32_t hdr;

        if (off < HM_EXT_CAP_START) {
            *why = g_strdup_printf("extended capability pointer 0x%x out of "
                                   "range", off);
            return false;
        }
        if (seen[off / 4]) {
            *why = g_strdup_printf("extended capability list loops at 0x%x",
                                   off);
            return false;
        }
        seen[off / 4] = true;
        hdr = model_pci_ld(cfg, off, 4);
        if (off + ext_cap_len(hdr & 0xffff) > size) {
            *why = g_strdup_printf("extended capability 0x%04x at 0x%x runs "
                                   "past the end of the configuration space",
                                   hdr & 0xffff, off);
            return false;
        }
        off = (hdr >> 20) & 0xffc;
    }
    return true;
}

bool model_pci_check_chains(const uint8_t *cfg, size_t size, char **why)
{
    return check_std_chain(cfg, why) && check_ext_chain(cfg, size, why);
}

/* The chains must have passed model_pci_check_chains(). */
unsigned model_pci_find_cap(const uint8_t *cfg, uint8_t id)
{
    unsigned off;

    if (!(cfg[HM_PCI_STATUS] & HM_PCI_STATUS_CAP_LIST)) {
        return 0;
    }
    for (off = cfg[HM_PCI_CAP_PTR] & 0xfc; off; off = cfg[off + 1] & 0xfc) {
        if (cfg[off] == id) {
            return off;
        }
    }
    return 0;
}

unsigned model_pci_find_ext_cap(const uint8_t *cfg, size_t size, uint16_t id)
{
    unsigned off = HM_EXT_CAP_START;

    if (size < 4096) {
        return 0;
    }
    while (off) {
        uint32_t hdr = model_pci_ld(cfg, off, 4);

        if (!hdr) {
            return 0;
        }
        if ((hdr & 0xffff) == id) {
            return off;
        }
        off = (hdr >> 20) & 0xffc;
    }
    return 0;
}

static void bar_masks(const HostModelDevice *d, uint8_t *wmask)
{
    for (unsigned i = 0; i < 6; i++) {
        uint64_t size = d->regions[i].size;
        unsigned off = HM_PCI_BAR0 + 4 * i;
        uint32_t bar = model_pci_ld(d->config, off, 4);

        if (!size) {
            continue;
        }
        if (bar & HM_PCI_BAR_IO) {
            model_pci_st(wmask, off, 4, ~(uint32_t)(size - 1) & ~3u);
            continue;
        }
        model_pci_st(wmask, off, 4, ~(uint32_t)(size - 1) & ~0xfu);
        if ((bar & 0x6) == HM_PCI_BAR_MEM64 && i < 5) {
            model_pci_st(wmask, off + 4, 4, ~(uint32_t)((size - 1) >> 32));
        }
    }
    if (d->regions[6].size) {
        uint32_t rom = ~(uint32_t)(d->regions[6].size - 1) & 0xfffff800u;

        model_pci_st(wmask, HM_PCI_ROM, 4, rom | 1);
    }
}

static void msi_masks(const uint8_t *cfg, unsigned cap, uint8_t *wmask)
{
    uint16_t flags = model_pci_ld(cfg, cap + 2, 2);
    bool is64 = flags & 0x80;
    unsigned data = cap + (is64 ? 0xc : 0x8);

    model_pci_st(wmask, cap + 2, 2, 0x0071); /* enable, multiple msg enable */
    model_pci_st(wmask, cap + 4, 4, 0xfffffffc);
    if (is64) {
        model_pci_st(wmask, cap + 8, 4, 0xffffffff);
    }
    model_pci_st(wmask, data, 2, 0xffff);
    if (flags & 0x100) { /* per-vector masking */
        model_pci_st(wmask, data + 4, 4, 0xffffffff);
    }
}

/*
 * vfio-pci lets a user write PM's power state (it changes the state
 * itself; PME enable and status are virtualized and stay clear), the
 * MSI registers, and in the PCI Express capability only Device Control
 * (not Phantom Functions; Initiate FLR resets the function and reads 0)
 * and Device Control 2 (not ARI Forwarding). MSI-X and everything else
 * there is read-only to a user.
 */
static void std_cap_masks(const uint8_t *cfg, uint8_t *wmask)
{
    unsigned cap;

    if ((cap = model_pci_find_cap(cfg, HM_CAP_PM))) {
        model_pci_st(wmask, cap + 4, 2, HM_PM_CTRL_STATE);
    }
    if ((cap = model_pci_find_cap(cfg, HM_CAP_MSI))) {
        msi_masks(cfg, cap, wmask);
    }
    if ((cap = model_pci_find_cap(cfg, HM_CAP_EXP))) {
        model_pci_st(wmask, cap + HM_EXP_DEVCTL, 2,
                     (uint16_t)~(HM_EXP_DEVCTL_PHANTOM | HM_EXP_DEVCTL_FLR));
        if ((cfg[cap + HM_EXP_FLAGS] & 0xf) >= 2) {
            model_pci_st(wmask, cap + HM_EXP_DEVCTL2, 2,
                         (uint16_t)~HM_EXP_DEVCTL2_ARI);
        }
    }
}

/* Of the extended capabilities, vfio-pci lets a user write only AER. */
static void ext_cap_masks(const uint8_t *cfg, size_t size, uint8_t *wmask,
                          uint8_t *w1c)
{
    unsigned cap = model_pci_find_ext_cap(cfg, size, HM_EXT_AER);

    if (cap) {
        model_pci_st(w1c, cap + 0x04, 4, 0xffffffff);   /* uncorr status */
        model_pci_st(wmask, cap + 0x08, 4, 0xffffffff); /* uncorr mask */
        model_pci_st(wmask, cap + 0x0c, 4, 0xffffffff); /* severity */
        model_pci_st(w1c, cap + 0x10, 4, 0xffffffff);   /* corr status */
        model_pci_st(wmask, cap + 0x14, 4, 0xffffffff); /* corr mask */
    }
}

/*
 * Writable bits, after vfio-pci's permission tables (Linux 6.12): the
 * command register, BAR and ROM address bits (the size mask comes from
 * the region sizes, so BAR sizing reads back correctly), cache line size,
 * the latency timer of a conventional device (PCI Express hardwires it
 * to 0), the interrupt line, and the capability registers above. The
 * status register ignores writes (vfio-pci drops them); so does
 * everything else. Registers the kernel passes to the device (vendor
 * specific capabilities, gaps between capabilities) are read-only here,
 * as a description does not say what the device would do.
 */
void model_pci_build_masks(const HostModelDevice *d, uint8_t *wmask,
                           uint8_t *w1cmask)
{
    memset(wmask, 0, d->config_size);
    memset(w1cmask, 0, d->config_size);
    model_pci_st(wmask, HM_PCI_COMMAND, 2, 0x0547);
    wmask[HM_PCI_CACHE_LINE_SIZE] = 0xff;
    if (!model_pci_find_cap(d->config, HM_CAP_EXP)) {
        wmask[HM_PCI_LATENCY_TIMER] = 0xff;
    }
    wmask[HM_PCI_INTERRUPT_LINE] = 0xff;
    bar_masks(d, wmask);
    std_cap_masks(d->config, wmask);
    ext_cap_masks(d->config, d->config_size, wmask, w1cmask);
}

/*
 * Extended capabilities vfio-pci shows, from the kernel's length table in
 * drivers/vfio/pci/vfio_pci_config.c: every ID with a non-zero entry.
 * The others (RCLD, RCILC, RCEC, RCRB, CAC, MR-IOV, SecPCIe, PMUX, PASID,
 * IDs the table does not list, and ID 0) are hidden.
 */
static bool vfio_shows_ext_cap(uint16_t id)
{
    switch (id) {
    case 0x01: /* AER */
    case 0x02: /* VC */
    case 0x03: /* DSN */
    case 0x04: /* power budgeting */
    case 0x08: /* MFVC */
    case 0x09: /* VC (second form) */
    case 0x0b: /* vendor-specific */
    case 0x0d: /* ACS */
    case 0x0e: /* ARI */
    case 0x0f: /* ATS */
    case 0x10: /* SR-IOV */
    case 0x12: /* multicast */
    case 0x13: /* PRI */
    case 0x15: /* resizable BAR */
    case 0x16: /* DPA */
    case 0x17: /* TPH */
    case 0x18: /* LTR */
    case 0x23: /* DVSEC */
        return true;
    default:
        return false;
    }
}

static void set_header(GArray *h, unsigned off, uint32_t val)
{
    ModelCfgHeader e = {off, val};

    for (unsigned i = 0; i < h->len; i++) {
        if (g_array_index(h, ModelCfgHeader, i).off == off) {
            g_array_index(h, ModelCfgHeader, i).val = val;
            return;
        }
    }
    g_array_append_val(h, e);
}

/*
 * The kernel's walk: a hidden capability is unlinked (its predecessor's
 * next pointer skips it); at 0x100, where nothing precedes it, it stays
 * as a header with ID 0 and version 0 that keeps the next pointer. The
 * capability's other bytes read as they are.
 */
GArray *model_pci_vfio_headers(const uint8_t *cfg, size_t size)
{
    g_autoptr(GArray) all = g_array_new(false, false, sizeof(ModelCfgHeader));
    GArray *diff = g_array_new(false, false, sizeof(ModelCfgHeader));
    unsigned off = HM_EXT_CAP_START, prev = 0;
    unsigned loops = (size - HM_EXT_CAP_START) / 4;

    if (size < 4096) {
        return diff;
    }
    while (off >= HM_EXT_CAP_START && loops--) {
        uint32_t hdr = model_pci_ld(cfg, off, 4);
        unsigned next = (hdr >> 20) & 0xffc;

        if (vfio_shows_ext_cap(hdr & 0xffff)) {
            set_header(all, off, hdr);
            prev = off;
        } else if (prev) {
            for (unsigned i = 0; i < all->len; i++) {
                ModelCfgHeader *e = &g_array_index(all, ModelCfgHeader, i);

                if (e->off == prev) {
                    e->val = (e->val & ~(0xffcu << 20)) | (next << 20);
                }
            }
        } else {
            set_header(all, off, hdr & (0xffcu << 20));
            prev = off;
        }
        off = next;
    }
    for (unsigned i = 0; i < all->len; i++) {
        ModelCfgHeader *e = &g_array_index(all, ModelCfgHeader, i);

        if (e->val != model_pci_ld(cfg, e->off, 4)) {
            g_array_append_val(diff, *e);
        }
    }
    return diff;
}
