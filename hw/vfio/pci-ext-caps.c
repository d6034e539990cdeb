/*
 * The guest-visible extended capability chain of an assigned device,
 * rebuilt from the physical one: what is dropped, what is virtualised
 * (Resizable BAR) and the ATS policy that decides whether ATS is shown.
 *
 * Every header's next pointer is emulated and 0x100 starts as a
 * placeholder header (ID 0xffff), so a capability anywhere in the chain,
 * including the first, the last or the only one, can be left out by
 * linking around it.
 */
#include "qemu/osdep.h"
#include "qemu/registerfields.h"
#include "hw/vfio/pci-internal.h"

/* Capability sizes pci_regs.h does not carry. */
#define EXT_DSN_SIZEOF 0x0c
#define EXT_PWR_SIZEOF 0x10
#define EXT_ARI_SIZEOF 0x08
#define EXT_SRIOV_SIZEOF 0x40
#define EXT_LTR_SIZEOF 0x08
#define EXT_L1SS_SIZEOF 0x10
#define EXT_PTM_SIZEOF 0x0c
#define EXT_DLF_SIZEOF 0x0c

/* The next pointer of an extended capability header (bits 31:20). */
#define EXT_CAP_NEXT_MASK 0xfff00000u

/* Vendor-specific and designated vendor-specific: length in header 1. */
REG32(VSEC_HDR1, 0x04)
FIELD(VSEC_HDR1, LEN, 20, 12)

/* ACS: an egress control vector follows when EC is set. */
REG16(ACS_CAP, 0x04)
FIELD(ACS_CAP, EC, 5, 1)
FIELD(ACS_CAP, VECTOR_BITS, 8, 8)

/* Resizable BAR: one capability / control pair per BAR, 8 bytes apart. */
REG32(REBAR_CAP, 0x04)
FIELD(REBAR_CAP, SIZES, 4, 28)
REG32(REBAR_CTRL, 0x08)
FIELD(REBAR_CTRL, BAR_IDX, 0, 3)
FIELD(REBAR_CTRL, NBAR, 5, 3)
FIELD(REBAR_CTRL, BAR_SIZE, 8, 6)
#define REBAR_STRIDE 8
#define REBAR_MAX_BARS 6
/* BAR_SIZE encodings 0 (1 MB) .. 19 (512 GB) may be advertised. */
#define REBAR_SIZE_MAX 19
#define REBAR_CTRL_KEPT                                                        \
    (R_REBAR_CTRL_BAR_IDX_MASK | R_REBAR_CTRL_NBAR_MASK |                      \
     R_REBAR_CTRL_BAR_SIZE_MASK)

int vfio_ext_chain_list(const uint8_t *config, uint32_t size, uint16_t *offsets)
{
    bool seen[VFIO_EXT_CAP_MAX] = {false};
    uint16_t off = PCI_EXT_CAP_START;
    int n = 0;

    if (size < PCIE_CONFIG_SPACE_SIZE) {
        return 0;
    }
    while (off >= PCI_EXT_CAP_START &&
           off + PCI_EXT_CAP_HEADER_SIZE <= PCIE_CONFIG_SPACE_SIZE &&
           !seen[VFIO_EXT_CAP_SLOT(off)]) {
        uint32_t hdr = pci_get_long(config + off);

        if (!hdr) {
            break;
        }
        seen[VFIO_EXT_CAP_SLOT(off)] = true;
        offsets[n++] = off;
        off = PCI_EXT_CAP_NEXT(hdr);
    }
    return n;
}

uint16_t vfio_ext_next_above(const uint16_t *offsets, int n, uint16_t off)
{
    uint16_t best = 0;

    for (int i = 0; i < n; i++) {
        if (offsets[i] > off && (!best || offsets[i] < best)) {
            best = offsets[i];
        }
    }
    return best;
}

uint16_t vfio_ext_cap_find(const uint8_t *phys, uint32_t size, uint16_t id)
{
    uint16_t offs[VFIO_EXT_CAP_MAX];
    int n = vfio_ext_chain_list(phys, size, offs);

    for (int i = 0; i < n; i++) {
        if (PCI_EXT_CAP_ID(pci_get_long(phys + offs[i])) == id) {
            return offs[i];
        }
    }
    return 0;
}

static uint32_t ext_cap_acs_size(const uint8_t *cap)
{
    uint16_t acs = pci_get_word(cap + A_ACS_CAP);
    uint32_t bits;

    if (!FIELD_EX16(acs, ACS_CAP, EC)) {
        return PCI_ACS_SIZEOF;
    }
    bits = FIELD_EX16(acs, ACS_CAP, VECTOR_BITS);
    bits = bits ? bits : 256;
    return PCI_ACS_SIZEOF + DIV_ROUND_UP(bits, 32) * 4;
}

/* Size from the ID and registers; 0 when this emulator cannot tell. */
static uint32_t ext_cap_known_size(const uint8_t *cap)
{
    uint32_t nbar;

    switch (PCI_EXT_CAP_ID(pci_get_long(cap))) {
    case PCI_EXT_CAP_ID_ERR:
        return PCI_ERR_SIZEOF;
    case PCI_EXT_CAP_ID_DSN:
        return EXT_DSN_SIZEOF;
    case PCI_EXT_CAP_ID_PWR:
        return EXT_PWR_SIZEOF;
    case PCI_EXT_CAP_ID_VNDR:
    case PCI_EXT_CAP_ID_DVSEC:
        return MAX(FIELD_EX32(pci_get_long(cap + A_VSEC_HDR1), VSEC_HDR1, LEN),
                   PCI_EXT_CAP_MIN_SIZE);
    case PCI_EXT_CAP_ID_ACS:
        return ext_cap_acs_size(cap);
    case PCI_EXT_CAP_ID_ARI:
        return EXT_ARI_SIZEOF;
    case PCI_EXT_CAP_ID_ATS:
        return PCI_ATS_SIZEOF;
    case PCI_EXT_CAP_ID_SRIOV:
        return EXT_SRIOV_SIZEOF;
    case PCI_EXT_CAP_ID_PRI:
        return PCI_PRI_SIZEOF;
    case PCI_EXT_CAP_ID_REBAR:
        nbar = FIELD_EX32(pci_get_long(cap + A_REBAR_CTRL), REBAR_CTRL, NBAR);
        return A_REBAR_CAP + REBAR_STRIDE * MAX(nbar, 1);
    case PCI_EXT_CAP_ID_LTR:
        return EXT_LTR_SIZEOF;
    case PCI_EXT_CAP_ID_PASID:
        return PCI_PASID_SIZEOF;
    case PCI_EXT_CAP_ID_L1SS:
        return EXT_L1SS_SIZEOF;
    case PCI_EXT_CAP_ID_PTM:
        return EXT_PTM_SIZEOF;
    case PCI_EXT_CAP_ID_DLF:
        return EXT_DLF_SIZEOF;
    default:
        return 0;
    }
}

uint32_t vfio_ext_cap_extent(const uint8_t *config, uint16_t off,
                             uint16_t next_above)
{
    uint32_t room = (next_above ? next_above : PCIE_CONFIG_SPACE_SIZE) - off;
    uint32_t size = ext_cap_known_size(config + off);

    if (PCI_EXT_CAP_ID(pci_get_long(config + off)) == PCI_EXT_CAP_ID_NULL) {
        /* A placeholder header: only the header is in use. */
        size = PCI_EXT_CAP_HEADER_SIZE;
    } else if (!size) {
        size = next_above ? room : PCI_EXT_CAP_MIN_SIZE;
    }
    return MIN(size, room);
}

/* A dropped capability's bytes read as zero and ignore writes. */
static void ext_cap_hide(VFIOConfigSpace *cs, uint16_t off, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        vfio_config_emulate(cs, off + i, 1, 0, 0xff);
    }
}

/*
 * Resizable BAR: only each BAR's current size is advertised and the
 * guest cannot resize. False when the capability has to go instead.
 */
static bool ext_cap_rebar_virtualise(VFIOConfigSpace *cs, uint16_t off,
                                     uint32_t extent)
{
    const uint8_t *cap = cs->config + off;
    uint32_t nbar =
        FIELD_EX32(pci_get_long(cap + A_REBAR_CTRL), REBAR_CTRL, NBAR);

    if (!nbar || nbar > REBAR_MAX_BARS ||
        A_REBAR_CAP + REBAR_STRIDE * nbar > extent) {
        return false;
    }
    for (uint32_t i = 0; i < nbar; i++) {
        uint32_t ctrl = pci_get_long(cap + A_REBAR_CTRL + i * REBAR_STRIDE);

        if (FIELD_EX32(ctrl, REBAR_CTRL, BAR_SIZE) > REBAR_SIZE_MAX) {
            return false;
        }
    }
    for (uint32_t i = 0; i < nbar; i++) {
        uint32_t at = off + i * REBAR_STRIDE;
        uint32_t ctrl = pci_get_long(cs->config + at + A_REBAR_CTRL);
        uint32_t size = FIELD_EX32(ctrl, REBAR_CTRL, BAR_SIZE);

        vfio_config_emulate(cs, at + A_REBAR_CAP, 4,
                            FIELD_DP32(0, REBAR_CAP, SIZES, 1u << size),
                            UINT32_MAX);
        vfio_config_emulate(cs, at + A_REBAR_CTRL, 4, ctrl & REBAR_CTRL_KEPT,
                            UINT32_MAX);
    }
    return true;
}

/* VFIO_EXT_CAP_COPIED when the capability is kept as it is. */
static VFIOExtCapFate ext_cap_drop_fate(uint16_t id, bool hide_ats)
{
    switch (id) {
    case PCI_EXT_CAP_ID_NULL:
        return VFIO_EXT_CAP_DROPPED_HIDDEN;
    case PCI_EXT_CAP_ID_SRIOV:
        return VFIO_EXT_CAP_DROPPED_SRIOV;
    case PCI_EXT_CAP_ID_ARI:
        return VFIO_EXT_CAP_DROPPED_ARI;
    case PCI_EXT_CAP_ID_ATS:
        return hide_ats ? VFIO_EXT_CAP_DROPPED_ATS : VFIO_EXT_CAP_COPIED;
    default:
        return VFIO_EXT_CAP_COPIED;
    }
}

const char *vfio_ext_cap_drop_reason(VFIOExtCapFate fate)
{
    switch (fate) {
    case VFIO_EXT_CAP_DROPPED_HIDDEN:
        return "the host kernel hides it (capability ID 0)";
    case VFIO_EXT_CAP_DROPPED_SRIOV:
        return "SR-IOV is never shown: read-only VF BARs confuse guest "
               "firmware";
    case VFIO_EXT_CAP_DROPPED_ARI:
        return "ARI is never shown: it would need next-function "
               "virtualisation";
    case VFIO_EXT_CAP_DROPPED_ATS:
        return "hidden by the ats policy";
    case VFIO_EXT_CAP_DROPPED_REBAR:
        return "a BAR's current size cannot be advertised (outside "
               "1 MB..512 GB) or the capability is malformed";
    default:
        return NULL;
    }
}

void vfio_ext_cap_set_next(VFIOConfigSpace *cs, uint16_t off, uint16_t next)
{
    uint32_t hdr = pci_get_long(cs->config + off);

    pci_set_long(cs->config + off,
                 PCI_EXT_CAP(PCI_EXT_CAP_ID(hdr), PCI_EXT_CAP_VER(hdr), next));
}

void vfio_ext_caps_rebuild(VFIOConfigSpace *cs, const uint8_t *phys,
                           bool hide_ats, VFIOExtCapsInfo *info)
{
    uint16_t offs[VFIO_EXT_CAP_MAX];
    int n = vfio_ext_chain_list(phys, cs->size, offs);
    uint16_t tail = PCI_EXT_CAP_START;

    *info = (VFIOExtCapsInfo){0};
    if (!n) {
        return;
    }
    vfio_config_emulate(cs, PCI_EXT_CAP_START, 4,
                        PCI_EXT_CAP(PCI_EXT_CAP_ID_DUMMY, 0, 0), UINT32_MAX);

    for (int i = 0; i < n; i++) {
        uint16_t off = offs[i];
        uint32_t hdr = pci_get_long(phys + off);
        uint16_t id = PCI_EXT_CAP_ID(hdr);
        uint32_t extent =
            vfio_ext_cap_extent(phys, off, vfio_ext_next_above(offs, n, off));
        VFIOExtCapFate fate = ext_cap_drop_fate(id, hide_ats);
        bool drop = fate != VFIO_EXT_CAP_COPIED;

        if (id == PCI_EXT_CAP_ID_ATS && !info->ats) {
            info->ats = off;
            info->ats_hidden = drop;
        }
        if (!drop && id == PCI_EXT_CAP_ID_REBAR) {
            drop = !ext_cap_rebar_virtualise(cs, off, extent);
            fate = drop ? VFIO_EXT_CAP_DROPPED_REBAR : VFIO_EXT_CAP_VIRTUALIZED;
        }
        info->fate[VFIO_EXT_CAP_SLOT(off)] = fate;
        if (drop) {
            /* The placeholder header at 0x100 stays. */
            uint16_t from =
                off == PCI_EXT_CAP_START ? off + PCI_EXT_CAP_HEADER_SIZE : off;

            ext_cap_hide(cs, from, extent - (from - off));
            continue;
        }
        if (id == PCI_EXT_CAP_ID_PASID && !info->pasid) {
            info->pasid = off;
        }
        if (off == PCI_EXT_CAP_START) {
            pci_set_long(cs->config + off,
                         PCI_EXT_CAP(id, PCI_EXT_CAP_VER(hdr), 0));
        } else {
            vfio_config_emulate(cs, off, 4, PCI_EXT_CAP(0, 0, 0),
                                EXT_CAP_NEXT_MASK);
            vfio_ext_cap_set_next(cs, tail, off);
        }
        tail = off;
    }

    /* Everything was dropped: an empty chain. */
    if (pci_get_word(cs->config + PCI_EXT_CAP_START) == PCI_EXT_CAP_ID_DUMMY) {
        pci_set_word(cs->config + PCI_EXT_CAP_START, PCI_EXT_CAP_ID_NULL);
    }
}

bool vfio_ats_policy(OnOffAuto ats, bool strict, VFIOHostAts host, bool has_cap,
                     const char *who, bool *hide, char **warning, Error **errp)
{
    bool unusable = host == VFIO_HOST_ATS_UNUSABLE;

    *hide = false;
    *warning = NULL;
    switch (ats) {
    case ON_OFF_AUTO_OFF:
        *hide = true;
        return true;
    case ON_OFF_AUTO_AUTO:
        *hide = unusable;
        return true;
    default:
        break;
    }
    if (!has_cap) {
        /* Non-strict mode mirrors the physical device: nothing to say. */
        if (strict) {
            *warning = g_strdup_printf("%s: ats=on but the device has no ATS "
                                       "capability",
                                       who);
        }
        return true;
    }
    if (!unusable) {
        return true;
    }
    if (strict) {
        error_setg(errp,
                   "%s: ats=on but the host kernel reports ATS "
                   "unsupported for this device "
                   "(IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED); use ats=auto or "
                   "ats=off",
                   who);
        return false;
    }
    *warning = g_strdup_printf("%s: ats=on with x-ats-strict=off: the ATS "
                               "capability stays visible although the host "
                               "kernel reports ATS unsupported for this "
                               "device (IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED)",
                               who);
    return true;
}

const char *vfio_ats_reason(OnOffAuto ats, bool strict, VFIOHostAts host,
                            bool has_cap)
{
    if (!has_cap) {
        return ats == ON_OFF_AUTO_ON
                   ? "ats=on, but the device has no ATS capability"
                   : "the device has no ATS capability";
    }
    if (ats == ON_OFF_AUTO_OFF) {
        return "ats=off: the ATS capability is never shown";
    }
    switch (host) {
    case VFIO_HOST_ATS_USABLE:
        return ats == ON_OFF_AUTO_AUTO
                   ? "ats=auto and the host kernel reports ATS usable for "
                     "the device (IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED clear)"
                   : "ats=on and the host kernel reports ATS usable for the "
                     "device";
    case VFIO_HOST_ATS_UNUSABLE:
        if (ats == ON_OFF_AUTO_AUTO) {
            return "ats=auto and the host kernel reports ATS unusable for "
                   "the device (IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED set)";
        }
        return strict ? "ats=on but the host kernel reports ATS unusable for "
                        "the device: realize fails"
                      : "ats=on with x-ats-strict=off: shown although the "
                        "host kernel reports ATS unusable for the device "
                        "(warned at start-up)";
    default:
        return "no host IOMMU information: shown as on the physical device";
    }
}
