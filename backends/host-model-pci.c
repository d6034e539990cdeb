/*
 * PCI config-space helpers for the model host: capability-chain checks
 * (used when a description is loaded) and the per-device write masks that
 * decide which config bits a VFIO config-region write may change.
 */
#include "qemu/osdep.h"
#include "host-model-int.h"
#include "qemu/bswap.h"
#include <linux/vfio.h>

/* Standard capability pointers are dword aligned; the low bits are ignored. */
#define CAP_PTR_MASK 0xfc
/* The next-pointer bits of an extended capability header. */
#define EXT_CAP_NEXT_BITS PCI_EXT_CAP(0, 0, 0xffc)

uint32_t model_pci_ld(const uint8_t *cfg, unsigned off, unsigned size)
{
    return ldn_le_p(cfg + off, size);
}

void model_pci_st(uint8_t *cfg, unsigned off, unsigned size, uint32_t val)
{
    stn_le_p(cfg + off, size, val);
}

/*
 * Bytes a capability needs for the fields the model and vfio-pci read;
 * one that runs past the end of config space would have them read
 * beyond the buffer.
 */
static unsigned std_cap_len(const uint8_t *cfg, unsigned off)
{
    uint16_t flags = model_pci_ld(cfg, off + PCI_CAP_FLAGS, 2);
    bool is64 = flags & PCI_MSI_FLAGS_64BIT;

    switch (cfg[off]) {
    case PCI_CAP_ID_PM:
        return PCI_PM_SIZEOF;
    case PCI_CAP_ID_MSI:
        if (flags & PCI_MSI_FLAGS_MASKBIT) {
            return (is64 ? PCI_MSI_PENDING_64 : PCI_MSI_PENDING_32) + 4;
        }
        return (is64 ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32) + 2;
    case PCI_CAP_ID_EXP:
        return (flags & PCI_EXP_FLAGS_VERS) >= 2 ? PCI_EXP_VER2_SIZEOF
                                                 : PCI_EXP_VER1_SIZEOF;
    case PCI_CAP_ID_MSIX:
        return PCI_MSIX_SIZEOF;
    default:
        return PCI_CAP_FLAGS;
    }
}

static unsigned ext_cap_len(uint16_t id)
{
    switch (id) {
    case PCI_EXT_CAP_ID_ERR:
        return PCI_ERR_COR_MASK + 4; /* the registers ext_cap_masks opens */
    case PCI_EXT_CAP_ID_PRI:
        return PCI_PRI_SIZEOF;
    case PCI_EXT_CAP_ID_ATS:
        return PCI_ATS_SIZEOF;
    case PCI_EXT_CAP_ID_PASID:
        return PCI_PASID_SIZEOF;
    default:
        return PCI_EXT_CAP_HEADER_SIZE;
    }
}

static bool check_std_chain(const uint8_t *cfg, char **why)
{
    bool seen[PCI_CONFIG_SPACE_SIZE] = {false};
    unsigned off;

    if (!(cfg[PCI_STATUS] & PCI_STATUS_CAP_LIST)) {
        return true;
    }
    for (off = cfg[PCI_CAPABILITY_LIST] & CAP_PTR_MASK; off;
         off = cfg[off + PCI_CAP_LIST_NEXT] & CAP_PTR_MASK) {
        if (off < PCI_STD_HEADER_SIZEOF) {
            *why = g_strdup_printf("capability pointer 0x%x out of range",
                                   off);
            return false;
        }
        if (seen[off]) {
            *why = g_strdup_printf("capability list loops at 0x%x", off);
            return false;
        }
        seen[off] = true;
        if (off + std_cap_len(cfg, off) > PCI_CONFIG_SPACE_SIZE) {
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
    bool seen[PCIE_CONFIG_SPACE_SIZE / 4] = {false};
    unsigned off = PCI_EXT_CAP_START;

    if (size < PCIE_CONFIG_SPACE_SIZE || !model_pci_ld(cfg, off, 4)) {
        return true;
    }
    while (off) {
        uint32_t hdr;

        if (off < PCI_EXT_CAP_START) {
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
        if (off + ext_cap_len(PCI_EXT_CAP_ID(hdr)) > size) {
            *why = g_strdup_printf("extended capability 0x%04x at 0x%x runs "
                                   "past the end of the configuration space",
                                   PCI_EXT_CAP_ID(hdr), off);
            return false;
        }
        off = PCI_EXT_CAP_NEXT(hdr);
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

    if (!(cfg[PCI_STATUS] & PCI_STATUS_CAP_LIST)) {
        return 0;
    }
    for (off = cfg[PCI_CAPABILITY_LIST] & CAP_PTR_MASK; off;
         off = cfg[off + PCI_CAP_LIST_NEXT] & CAP_PTR_MASK) {
        if (cfg[off] == id) {
            return off;
        }
    }
    return 0;
}

unsigned model_pci_find_ext_cap(const uint8_t *cfg, size_t size, uint16_t id)
{
    unsigned off = PCI_EXT_CAP_START;

    if (size < PCIE_CONFIG_SPACE_SIZE) {
        return 0;
    }
    while (off) {
        uint32_t hdr = model_pci_ld(cfg, off, 4);

        if (!hdr) {
            return 0;
        }
        if (PCI_EXT_CAP_ID(hdr) == id) {
            return off;
        }
        off = PCI_EXT_CAP_NEXT(hdr);
    }
    return 0;
}

static void bar_masks(const HostModelDevice *d, uint8_t *wmask)
{
    uint64_t rom_size = d->regions[VFIO_PCI_ROM_REGION_INDEX].size;

    for (unsigned i = 0; i < VFIO_PCI_ROM_REGION_INDEX; i++) {
        uint64_t size = d->regions[i].size;
        unsigned off = PCI_BASE_ADDRESS_0 + 4 * i;
        uint32_t bar = model_pci_ld(d->config, off, 4);

        if (!size) {
            continue;
        }
        if (bar & PCI_BASE_ADDRESS_SPACE_IO) {
            model_pci_st(wmask, off, 4,
                         ~(uint32_t)(size - 1) & PCI_BASE_ADDRESS_IO_MASK);
            continue;
        }
        model_pci_st(wmask, off, 4,
                     ~(uint32_t)(size - 1) & PCI_BASE_ADDRESS_MEM_MASK);
        if ((bar & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
                PCI_BASE_ADDRESS_MEM_TYPE_64 &&
            i < VFIO_PCI_BAR5_REGION_INDEX) {
            model_pci_st(wmask, off + 4, 4, ~(uint32_t)((size - 1) >> 32));
        }
    }
    if (rom_size) {
        uint32_t rom = ~(uint32_t)(rom_size - 1) & PCI_ROM_ADDRESS_MASK;

        model_pci_st(wmask, PCI_ROM_ADDRESS, 4, rom | PCI_ROM_ADDRESS_ENABLE);
    }
}

static void msi_masks(const uint8_t *cfg, unsigned cap, uint8_t *wmask)
{
    uint16_t flags = model_pci_ld(cfg, cap + PCI_MSI_FLAGS, 2);
    bool is64 = flags & PCI_MSI_FLAGS_64BIT;

    model_pci_st(wmask, cap + PCI_MSI_FLAGS, 2,
                 PCI_MSI_FLAGS_QSIZE | PCI_MSI_FLAGS_ENABLE);
    /* the message address is dword aligned */
    model_pci_st(wmask, cap + PCI_MSI_ADDRESS_LO, 4, ~3u);
    if (is64) {
        model_pci_st(wmask, cap + PCI_MSI_ADDRESS_HI, 4, UINT32_MAX);
    }
    model_pci_st(wmask, cap + (is64 ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32), 2,
                 UINT16_MAX);
    if (flags & PCI_MSI_FLAGS_MASKBIT) {
        model_pci_st(wmask, cap + (is64 ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32),
                     4, UINT32_MAX);
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

    if ((cap = model_pci_find_cap(cfg, PCI_CAP_ID_PM))) {
        model_pci_st(wmask, cap + PCI_PM_CTRL, 2, PCI_PM_CTRL_STATE_MASK);
    }
    if ((cap = model_pci_find_cap(cfg, PCI_CAP_ID_MSI))) {
        msi_masks(cfg, cap, wmask);
    }
    if ((cap = model_pci_find_cap(cfg, PCI_CAP_ID_EXP))) {
        model_pci_st(wmask, cap + PCI_EXP_DEVCTL, 2,
                     (uint16_t)~(PCI_EXP_DEVCTL_PHANTOM |
                                 PCI_EXP_DEVCTL_BCR_FLR));
        if ((cfg[cap + PCI_EXP_FLAGS] & PCI_EXP_FLAGS_VERS) >= 2) {
            model_pci_st(wmask, cap + PCI_EXP_DEVCTL2, 2,
                         (uint16_t)~PCI_EXP_DEVCTL2_ARI);
        }
    }
}

/* Of the extended capabilities, vfio-pci lets a user write only AER. */
static void ext_cap_masks(const uint8_t *cfg, size_t size, uint8_t *wmask,
                          uint8_t *w1c)
{
    unsigned cap = model_pci_find_ext_cap(cfg, size, PCI_EXT_CAP_ID_ERR);

    if (cap) {
        model_pci_st(w1c, cap + PCI_ERR_UNCOR_STATUS, 4, UINT32_MAX);
        model_pci_st(wmask, cap + PCI_ERR_UNCOR_MASK, 4, UINT32_MAX);
        model_pci_st(wmask, cap + PCI_ERR_UNCOR_SEVER, 4, UINT32_MAX);
        model_pci_st(w1c, cap + PCI_ERR_COR_STATUS, 4, UINT32_MAX);
        model_pci_st(wmask, cap + PCI_ERR_COR_MASK, 4, UINT32_MAX);
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
    model_pci_st(wmask, PCI_COMMAND, 2,
                 PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
                     PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
                     PCI_COMMAND_INTX_DISABLE);
    wmask[PCI_CACHE_LINE_SIZE] = UINT8_MAX;
    if (!model_pci_find_cap(d->config, PCI_CAP_ID_EXP)) {
        wmask[PCI_LATENCY_TIMER] = UINT8_MAX;
    }
    wmask[PCI_INTERRUPT_LINE] = UINT8_MAX;
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
    case PCI_EXT_CAP_ID_ERR:
    case PCI_EXT_CAP_ID_VC:
    case PCI_EXT_CAP_ID_DSN:
    case PCI_EXT_CAP_ID_PWR:
    case PCI_EXT_CAP_ID_MFVC:
    case PCI_EXT_CAP_ID_VC9:
    case PCI_EXT_CAP_ID_VNDR:
    case PCI_EXT_CAP_ID_ACS:
    case PCI_EXT_CAP_ID_ARI:
    case PCI_EXT_CAP_ID_ATS:
    case PCI_EXT_CAP_ID_SRIOV:
    case PCI_EXT_CAP_ID_MCAST:
    case PCI_EXT_CAP_ID_PRI:
    case PCI_EXT_CAP_ID_REBAR:
    case PCI_EXT_CAP_ID_DPA:
    case PCI_EXT_CAP_ID_TPH:
    case PCI_EXT_CAP_ID_LTR:
    case PCI_EXT_CAP_ID_DVSEC:
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
    unsigned off = PCI_EXT_CAP_START, prev = 0;
    unsigned loops = (size - PCI_EXT_CAP_START) / 4;

    if (size < PCIE_CONFIG_SPACE_SIZE) {
        return diff;
    }
    while (off >= PCI_EXT_CAP_START && loops--) {
        uint32_t hdr = model_pci_ld(cfg, off, 4);
        unsigned next = PCI_EXT_CAP_NEXT(hdr);

        if (vfio_shows_ext_cap(PCI_EXT_CAP_ID(hdr))) {
            set_header(all, off, hdr);
            prev = off;
        } else if (prev) {
            for (unsigned i = 0; i < all->len; i++) {
                ModelCfgHeader *e = &g_array_index(all, ModelCfgHeader, i);

                if (e->off == prev) {
                    e->val = (e->val & ~EXT_CAP_NEXT_BITS) |
                             PCI_EXT_CAP(0, 0, next);
                }
            }
        } else {
            set_header(all, off, hdr & EXT_CAP_NEXT_BITS);
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
