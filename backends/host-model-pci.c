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

static void std_cap_masks(const uint8_t *cfg, uint8_t *wmask, uint8_t *w1c)
{
    unsigned cap;

    if ((cap = model_pci_find_cap(cfg, HM_CAP_PM))) {
        model_pci_st(wmask, cap + 4, 2, 0x0103); /* power state, PME enable */
        model_pci_st(w1c, cap + 4, 2, 0x8000);   /* PME status */
    }
    if ((cap = model_pci_find_cap(cfg, HM_CAP_MSI))) {
        msi_masks(cfg, cap, wmask);
    }
    if ((cap = model_pci_find_cap(cfg, HM_CAP_MSIX))) {
        model_pci_st(wmask, cap + 2, 2, 0xc000); /* enable, function mask */
    }
    if ((cap = model_pci_find_cap(cfg, HM_CAP_EXP))) {
        model_pci_st(wmask, cap + HM_EXP_DEVCTL, 2, 0xffff);
        model_pci_st(w1c, cap + HM_EXP_DEVCTL + 2, 2, 0x000f);
        model_pci_st(wmask, cap + HM_EXP_LNKCTL, 2, 0xffff);
        if ((cfg[cap + HM_EXP_FLAGS] & 0xf) >= 2) {
            model_pci_st(wmask, cap + HM_EXP_DEVCTL2, 2, 0xffff);
            model_pci_st(wmask, cap + HM_EXP_DEVCTL2 + 8, 2, 0xffff);
        }
    }
}

static void ext_cap_masks(const uint8_t *cfg, size_t size, uint8_t *wmask,
                          uint8_t *w1c)
{
    unsigned cap;

    if ((cap = model_pci_find_ext_cap(cfg, size, HM_EXT_AER))) {
        model_pci_st(w1c, cap + 0x04, 4, 0xffffffff);   /* uncorr status */
        model_pci_st(wmask, cap + 0x08, 4, 0xffffffff); /* uncorr mask */
        model_pci_st(wmask, cap + 0x0c, 4, 0xffffffff); /* severity */
        model_pci_st(w1c, cap + 0x10, 4, 0xffffffff);   /* corr status */
        model_pci_st(wmask, cap + 0x14, 4, 0xffffffff); /* corr mask */
    }
    if ((cap = model_pci_find_ext_cap(cfg, size, HM_EXT_ATS))) {
        model_pci_st(wmask, cap + 6, 2, 0x801f);        /* enable, STU */
    }
    if ((cap = model_pci_find_ext_cap(cfg, size, HM_EXT_PASID))) {
        model_pci_st(wmask, cap + HM_PASID_CTRL, 2, 0x0007);
    }
    if ((cap = model_pci_find_ext_cap(cfg, size, HM_EXT_PRI))) {
        model_pci_st(wmask, cap + 4, 2, 0x0003);        /* enable, reset */
        model_pci_st(w1c, cap + 6, 2, 0x0003);
        model_pci_st(wmask, cap + 0xc, 4, 0xffffffff);  /* allocation */
    }
}

/*
 * Writable bits: command register, BAR and ROM address bits (the size
 * mask comes from the region sizes, so BAR sizing reads back correctly),
 * cache line / latency / interrupt line, and the control registers of
 * PM, MSI, MSI-X, PCIe, AER, ATS, PASID and PRI. Status registers are
 * write-1-to-clear. Everything else is read-only.
 */
void model_pci_build_masks(const HostModelDevice *d, uint8_t *wmask,
                           uint8_t *w1cmask)
{
    memset(wmask, 0, d->config_size);
    memset(w1cmask, 0, d->config_size);
    model_pci_st(wmask, HM_PCI_COMMAND, 2, 0x0547);
    model_pci_st(w1cmask, HM_PCI_STATUS, 2, 0xf900);
    wmask[HM_PCI_CACHE_LINE_SIZE] = 0xff;
    wmask[HM_PCI_LATENCY_TIMER] = 0xff;
    wmask[HM_PCI_INTERRUPT_LINE] = 0xff;
    bar_masks(d, wmask);
    std_cap_masks(d->config, wmask, w1cmask);
    ext_cap_masks(d->config, d->config_size, wmask, w1cmask);
}
