/*
 * PASID capability synthesis. The host kernel reports a device's PASID
 * support through IOMMU_GET_HW_INFO rather than VFIO, so when the guest
 * is to use PASIDs (the vIOMMU says so) and the device shows no PASID
 * capability, an emulated one is added to the guest-visible chain.
 *
 * Unlike QEMU, which only reports a bad placement, an offset that cannot
 * hold the capability fails realize: the user asked for something that
 * cannot be honoured.
 */
#include "qemu/osdep.h"
#include "hw/vfio/pci-internal.h"

#define PASID_ERR_PREFIX "vfio-pci: x-vpasid-cap-offset 0x%x%s: "
#define PASID_CTRL_WRITABLE                                                    \
    (PCI_PASID_CTRL_ENABLE | PCI_PASID_CTRL_EXEC | PCI_PASID_CTRL_PRIV)

static const char *pasid_default_note(uint16_t offset)
{
    return offset ? "" : " (the default)";
}

static bool pasid_offset_check_at(uint16_t given, uint16_t off, Error **errp)
{
    if (off & 3) {
        error_setg(errp, PASID_ERR_PREFIX "not dword aligned", off,
                   pasid_default_note(given));
        return false;
    }
    if (off < PCI_EXT_CAP_START || off > VFIO_PASID_DEFAULT_OFFSET) {
        error_setg(errp,
                   PASID_ERR_PREFIX "outside the extended configuration "
                                    "space (0x%x..0x%x)",
                   off, pasid_default_note(given), PCI_EXT_CAP_START,
                   VFIO_PASID_DEFAULT_OFFSET);
        return false;
    }
    return true;
}

bool vfio_pasid_offset_check(uint16_t offset, Error **errp)
{
    return !offset || pasid_offset_check_at(offset, offset, errp);
}

/*
 * Refuses an offset that meets a visible capability; otherwise *prev is
 * the visible capability closest below it, to link after.
 */
static bool pasid_place(const VFIOConfigSpace *cs, uint16_t given, uint16_t off,
                        uint16_t *prev, Error **errp)
{
    uint16_t offs[VFIO_EXT_CAP_MAX];
    int n = vfio_ext_chain_list(cs->config, cs->size, offs);

    *prev = 0;
    if (!n) {
        if (off != PCI_EXT_CAP_START) {
            error_setg(errp,
                       PASID_ERR_PREFIX
                       "the device shows no extended "
                       "capabilities, so the first one must be at 0x%x",
                       off, pasid_default_note(given), PCI_EXT_CAP_START);
            return false;
        }
        return true;
    }
    for (int i = 0; i < n; i++) {
        uint16_t at = offs[i];
        uint32_t len = vfio_ext_cap_extent(cs->config, at,
                                           vfio_ext_next_above(offs, n, at));
        uint16_t id = PCI_EXT_CAP_ID(pci_get_long(cs->config + at));

        if (off >= at && off < at + len) {
            error_setg(errp,
                       PASID_ERR_PREFIX "inside the extended capability "
                                        "0x%x at 0x%x (%u bytes)",
                       off, pasid_default_note(given), id, at, len);
            return false;
        }
        if (off < at && off + PCI_PASID_SIZEOF > at) {
            error_setg(
                errp,
                PASID_ERR_PREFIX "the %u-byte capability would "
                                 "overlap the extended capability 0x%x at 0x%x",
                off, pasid_default_note(given), PCI_PASID_SIZEOF, id, at);
            return false;
        }
        if (at < off && at > *prev) {
            *prev = at;
        }
    }
    return true;
}

uint16_t vfio_pasid_synthesize(VFIOConfigSpace *cs, uint16_t offset,
                               uint8_t width, bool exec, bool priv,
                               Error **errp)
{
    uint16_t off = offset ? offset : VFIO_PASID_DEFAULT_OFFSET;
    uint16_t prev, next = 0;
    uint16_t cap;

    if (!pasid_offset_check_at(offset, off, errp)) {
        return 0;
    }
    if (cs->size < PCIE_CONFIG_SPACE_SIZE) {
        error_setg(errp,
                   PASID_ERR_PREFIX "the device has no extended "
                                    "configuration space",
                   off, pasid_default_note(offset));
        return 0;
    }
    if (!width || width > PCI_PASID_MAX_WIDTH) {
        error_setg(errp,
                   "vfio-pci: the host reports a PASID width of %u "
                   "bits; a PASID capability holds 1 to %u",
                   width, PCI_PASID_MAX_WIDTH);
        return 0;
    }
    if (!pasid_place(cs, offset, off, &prev, errp)) {
        return 0;
    }
    if (prev) {
        next = PCI_EXT_CAP_NEXT(pci_get_long(cs->config + prev));
        vfio_ext_cap_set_next(cs, prev, off);
    }

    cap = (width << PCI_PASID_CAP_WIDTH_SHIFT) |
          (exec ? PCI_PASID_CAP_EXEC : 0) | (priv ? PCI_PASID_CAP_PRIV : 0);
    vfio_config_emulate(cs, off, 4,
                        PCI_EXT_CAP(PCI_EXT_CAP_ID_PASID, PCI_PASID_VER, next),
                        UINT32_MAX);
    vfio_config_emulate(cs, off + PCI_PASID_CAP, 2, cap, UINT16_MAX);
    vfio_config_emulate(cs, off + PCI_PASID_CTRL, 2, 0, UINT16_MAX);
    pci_set_word(cs->wmask + off + PCI_PASID_CTRL, PASID_CTRL_WRITABLE);
    return off;
}
