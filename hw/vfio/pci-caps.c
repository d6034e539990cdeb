/*
 * The capabilities an assigned device shows the guest. The standard list
 * is rebuilt in physical order with emulated pointers (the PCI Express
 * capability adjusted to where the device sits, MSI and MSI-X emulated);
 * then the extended chain is rebuilt with the ATS policy applied and,
 * when the vIOMMU handles PASIDs, a PASID capability synthesized.
 */
#include "qemu/osdep.h"
#include "hw/core/iommu.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie.h"
#include "hw/vfio/pci-internal.h"

#define MSI_MAX_VECTORS_LOG2 5
#define MSIX_OFFSET_MASK (~(uint32_t)PCI_MSIX_FLAGS_BIRMASK)

#define VFIO_PCI_NO_EXT_SPACE                                                  \
    "the guest sees no extended configuration space (not on a PCI Express "    \
    "bus, or the device's chain is empty)"

/* Link registers an emulated x1 2.5 GT/s link shows. */
#define LINK_X1 1
#define LNKCAP_X1_2_5GT                                                        \
    (PCI_EXP_LNK_SPEED_2_5GT | (LINK_X1 << PCI_EXP_LNKCAP_MLW_SHIFT))
#define LNKSTA_X1_2_5GT                                                        \
    (PCI_EXP_LNK_SPEED_2_5GT | (LINK_X1 << PCI_EXP_LNKSTA_NLW_SHIFT))

int vfio_std_caps_list(const uint8_t *phys, uint8_t *offsets)
{
    bool seen[PCI_CONFIG_SPACE_SIZE / 4] = {false};
    uint8_t pos;
    int n = 0;

    if (!(pci_get_word(phys + PCI_STATUS) & PCI_STATUS_CAP_LIST)) {
        return 0;
    }
    pos = phys[PCI_CAPABILITY_LIST] & ~3;
    while (pos >= PCI_STD_HEADER_SIZEOF && !seen[pos / 4] &&
           n < VFIO_STD_CAP_MAX) {
        seen[pos / 4] = true;
        offsets[n++] = pos;
        pos = phys[pos + PCI_CAP_LIST_NEXT] & ~3;
    }
    return n;
}

uint8_t vfio_std_cap_max_size(const uint8_t *phys, uint8_t pos)
{
    uint8_t offsets[VFIO_STD_CAP_MAX];
    int n = vfio_std_caps_list(phys, offsets);
    uint32_t end = PCI_CONFIG_SPACE_SIZE;

    for (int i = 0; i < n; i++) {
        if (offsets[i] > pos && offsets[i] < end) {
            end = offsets[i];
        }
    }
    return end - pos;
}

bool vfio_pcie_cap_fixup(VFIOConfigSpace *cs, uint8_t pos, uint8_t size,
                         VFIOPCIePlace place)
{
    uint16_t flags = pci_get_word(cs->config + pos + PCI_EXP_FLAGS);
    uint8_t type = (flags & PCI_EXP_FLAGS_TYPE) >> PCI_EXP_FLAGS_TYPE_SHIFT;

    switch (place) {
    case VFIO_PCIE_CONVENTIONAL_BUS:
        return false;
    case VFIO_PCIE_ROOT_BUS:
        if (type == PCI_EXP_TYPE_LEG_END) {
            return false;
        }
        if (type != PCI_EXP_TYPE_ENDPOINT) {
            break;
        }
        vfio_config_emulate(cs, pos + PCI_EXP_FLAGS, 2,
                            PCI_EXP_TYPE_RC_END << PCI_EXP_FLAGS_TYPE_SHIFT,
                            PCI_EXP_FLAGS_TYPE);
        /* An integrated endpoint has no link. */
        if (size > PCI_EXP_LNKCTL) {
            vfio_config_emulate(cs, pos + PCI_EXP_LNKCAP, 4, 0, UINT32_MAX);
            vfio_config_emulate(cs, pos + PCI_EXP_LNKCTL, 2, 0, UINT16_MAX);
            vfio_config_emulate(cs, pos + PCI_EXP_LNKSTA, 2, 0, UINT16_MAX);
        }
        if (size > PCI_EXP_LNKCAP2) {
            vfio_config_emulate(cs, pos + PCI_EXP_LNKCAP2, 4, 0, UINT32_MAX);
            vfio_config_emulate(cs, pos + PCI_EXP_LNKCTL2, 2, 0, UINT16_MAX);
            vfio_config_emulate(cs, pos + PCI_EXP_LNKSTA2, 2, 0, UINT16_MAX);
        }
        break;
    case VFIO_PCIE_BELOW_PORT:
        if (type != PCI_EXP_TYPE_RC_END) {
            break;
        }
        vfio_config_emulate(cs, pos + PCI_EXP_FLAGS, 2,
                            PCI_EXP_TYPE_ENDPOINT << PCI_EXP_FLAGS_TYPE_SHIFT,
                            PCI_EXP_FLAGS_TYPE);
        /* The integrated endpoint had no link: show a trained x1 one. */
        if (size > PCI_EXP_LNKSTA) {
            vfio_config_emulate(cs, pos + PCI_EXP_LNKCAP, 4, LNKCAP_X1_2_5GT,
                                UINT32_MAX);
            vfio_config_emulate(cs, pos + PCI_EXP_LNKCTL, 2, 0, UINT16_MAX);
            vfio_config_emulate(cs, pos + PCI_EXP_LNKSTA, 2, LNKSTA_X1_2_5GT,
                                UINT16_MAX);
        }
        break;
    }
    if (!(flags & PCI_EXP_FLAGS_VERS)) {
        vfio_config_emulate(cs, pos + PCI_EXP_FLAGS, 2, 1, PCI_EXP_FLAGS_VERS);
    }
    return true;
}

/* The device side */

static VFIOPCIePlace vfio_pci_place(PCIDevice *pdev)
{
    PCIBus *bus = pci_get_bus(pdev);

    if (!pci_bus_is_express(bus)) {
        return VFIO_PCIE_CONVENTIONAL_BUS;
    }
    return pci_bus_is_root(bus) ? VFIO_PCIE_ROOT_BUS : VFIO_PCIE_BELOW_PORT;
}

static bool vfio_pci_add_exp_cap(VFIOPCIDevice *vdev, uint8_t pos, uint8_t size,
                                 Error **errp)
{
    PCIDevice *pdev = &vdev->pdev;
    VFIOPCIePlace place = vfio_pci_place(pdev);

    if (!vfio_pcie_cap_fixup(&vdev->cs, pos, size, place)) {
        vdev->notes.atomics = "the PCI Express capability is hidden (a "
                              "conventional bus, or a Legacy Endpoint on a "
                              "root bus)";
        return true;
    }
    if (pci_add_capability(pdev, PCI_CAP_ID_EXP, pos, size, errp) < 0) {
        return false;
    }
    pdev->exp_cap = pos;
    if (place == VFIO_PCIE_BELOW_PORT) {
        vfio_pci_enable_rp_atomics(vdev);
    } else {
        vdev->notes.atomics = "the device sits on a root bus as an "
                              "integrated endpoint: no root port above it";
    }
    return true;
}

/* MSI is emulated as the PCI core does it for any device. */
static bool vfio_pci_add_msi_cap(VFIOPCIDevice *vdev, uint8_t pos, Error **errp)
{
    PCIDevice *pdev = &vdev->pdev;
    uint16_t flags = pci_get_word(vdev->phys_config + pos + PCI_MSI_FLAGS);
    unsigned int log2 = (flags & PCI_MSI_FLAGS_QMASK) >> 1;
    bool is64 = flags & PCI_MSI_FLAGS_64BIT;
    bool maskbit = flags & PCI_MSI_FLAGS_MASKBIT;
    uint32_t size = msi_cap_sizeof(flags);

    if (log2 > MSI_MAX_VECTORS_LOG2) {
        error_setg(errp,
                   "%s: MSI capability at 0x%x asks for a reserved "
                   "vector count (encoding %u)",
                   vdev->who, pos, log2);
        return false;
    }
    if (pos + size > PCI_CONFIG_SPACE_SIZE) {
        error_setg(errp,
                   "%s: MSI capability at 0x%x runs past the header "
                   "space",
                   vdev->who, pos);
        return false;
    }
    memset(pdev->config + pos + PCI_MSI_FLAGS, 0, size - PCI_MSI_FLAGS);
    if (!msi_init(pdev, pos, 1u << log2, is64, maskbit, errp)) {
        return false;
    }
    vfio_config_own(&vdev->cs, pos, size);
    return true;
}

/* MSI-X: the table and PBA are emulated inside the device's BARs. */
static bool vfio_pci_add_msix_cap(VFIOPCIDevice *vdev, uint8_t pos,
                                  Error **errp)
{
    PCIDevice *pdev = &vdev->pdev;
    const uint8_t *cap = vdev->phys_config + pos;
    uint16_t flags = pci_get_word(cap + PCI_MSIX_FLAGS);
    uint32_t table = pci_get_long(cap + PCI_MSIX_TABLE);
    uint32_t pba = pci_get_long(cap + PCI_MSIX_PBA);
    uint8_t tbir = table & PCI_MSIX_FLAGS_BIRMASK;
    uint8_t pbir = pba & PCI_MSIX_FLAGS_BIRMASK;

    if (tbir >= PCI_ROM_SLOT || !vdev->bars[tbir].size ||
        pbir >= PCI_ROM_SLOT || !vdev->bars[pbir].size) {
        error_setg(errp,
                   "%s: MSI-X table (BAR %u) or PBA (BAR %u) is in a "
                   "BAR the device does not have",
                   vdev->who, tbir, pbir);
        return false;
    }
    if (!msix_init(pdev, (flags & PCI_MSIX_FLAGS_QSIZE) + 1,
                   &vdev->bars[tbir].mem, tbir, table & MSIX_OFFSET_MASK,
                   &vdev->bars[pbir].mem, pbir, pba & MSIX_OFFSET_MASK, pos,
                   errp)) {
        return false;
    }
    vfio_config_own(&vdev->cs, pos, PCI_MSIX_SIZEOF);
    return true;
}

static bool vfio_pci_add_std_cap(VFIOPCIDevice *vdev, uint8_t pos, Error **errp)
{
    uint8_t id = vdev->phys_config[pos + PCI_CAP_LIST_ID];
    uint8_t size = vfio_std_cap_max_size(vdev->phys_config, pos);

    switch (id) {
    case PCI_CAP_ID_EXP:
        return vfio_pci_add_exp_cap(vdev, pos, size, errp);
    case PCI_CAP_ID_MSI:
        return vfio_pci_add_msi_cap(vdev, pos, errp);
    case PCI_CAP_ID_MSIX:
        return vfio_pci_add_msix_cap(vdev, pos, errp);
    default:
        return pci_add_capability(&vdev->pdev, id, pos, MAX(size, 2), errp) >=
               0;
    }
}

/* Adding at the head in reverse list order leaves the physical order. */
static bool vfio_pci_add_std_caps(VFIOPCIDevice *vdev, Error **errp)
{
    uint8_t offsets[VFIO_STD_CAP_MAX];
    int n = vfio_std_caps_list(vdev->phys_config, offsets);

    vfio_config_emulate(&vdev->cs, PCI_CAPABILITY_LIST, 1, 0, 0xff);
    vfio_config_emulate(&vdev->cs, PCI_STATUS, 2, 0, PCI_STATUS_CAP_LIST);
    for (int i = n - 1; i >= 0; i--) {
        if (!vfio_pci_add_std_cap(vdev, offsets[i], errp)) {
            return false;
        }
        vfio_config_own(&vdev->cs, offsets[i] + PCI_CAP_LIST_NEXT, 1);
    }
    return true;
}

static VFIOHostAts vfio_pci_host_ats(VFIOPCIDevice *vdev)
{
    HostIOMMUDevice *hiod = vfio_device_hiod(&vdev->vbasedev);

    if (!hiod || !HOST_IOMMU_DEVICE_GET_CLASS(hiod)->get_ats_supported) {
        return VFIO_HOST_ATS_UNKNOWN;
    }
    return host_iommu_device_ats_supported(hiod) ? VFIO_HOST_ATS_USABLE
                                                 : VFIO_HOST_ATS_UNUSABLE;
}

static bool vfio_pci_has_viommu(PCIDevice *pdev)
{
    PCIBus *iommu_bus, *alias_bus;
    const PCIIOMMUOps *ops;
    void *opaque;
    int devfn;

    return pci_device_get_iommu_bus_devfn(pdev, &iommu_bus, &alias_bus, &devfn,
                                          &ops, &opaque);
}

/* A PASID capability when the host gives a width and the vIOMMU agrees. */
static bool vfio_pci_add_pasid_cap(VFIOPCIDevice *vdev, Error **errp)
{
    PCIDevice *pdev = &vdev->pdev;
    HostIOMMUDevice *hiod = vfio_device_hiod(&vdev->vbasedev);
    uint8_t width;
    bool exec, priv;
    uint16_t off;

    if (vdev->ext.pasid) {
        pdev->pasid_cap = vdev->ext.pasid;
        vdev->notes.pasid = "the device's own PASID capability is shown: "
                            "nothing to synthesize";
        return true;
    }
    if (!hiod ||
        !host_iommu_device_get_pasid_info(hiod, &width, &exec, &priv)) {
        vdev->notes.pasid = "the host reports no PASID support for the "
                            "device (max_pasid_log2 0)";
        return true;
    }
    if (!(pci_device_get_viommu_flags(pdev) & VIOMMU_FLAG_PASID_SUPPORTED)) {
        vdev->notes.pasid = vfio_pci_has_viommu(pdev)
                                ? "the vIOMMU does not offer PASIDs (for "
                                  "arm-smmuv3: SubstreamIDs disabled, "
                                  "ssidsize 0)"
                                : "no vIOMMU serves the device, so the "
                                  "guest cannot use PASIDs";
        return true;
    }
    off = vfio_pasid_synthesize(&vdev->cs, vdev->vpasid_cap_offset, width, exec,
                                priv, errp);
    if (!off) {
        return false;
    }
    pdev->pasid_cap = off;
    vdev->ext.fate[VFIO_EXT_CAP_SLOT(off)] = VFIO_EXT_CAP_SYNTHESIZED;
    vdev->notes.pasid = "the host reports PASID support for the device and "
                        "the vIOMMU offers PASIDs";
    return true;
}

static bool vfio_pci_add_ext_caps(VFIOPCIDevice *vdev, char **ats_warning,
                                  Error **errp)
{
    PCIDevice *pdev = &vdev->pdev;
    const uint8_t *phys = vdev->phys_config;
    bool visible = pci_is_express(pdev) &&
                   pci_bus_is_express(pci_get_bus(pdev)) &&
                   pci_get_long(phys + PCI_EXT_CAP_START);
    VFIOHostAts host = vfio_pci_host_ats(vdev);
    bool has_ats, hide;

    vdev->notes.ats_physical =
        vfio_ext_cap_find(phys, vdev->cs.size, PCI_EXT_CAP_ID_ATS);
    vdev->notes.pasid_physical =
        vfio_ext_cap_find(phys, vdev->cs.size, PCI_EXT_CAP_ID_PASID);
    has_ats = visible && vdev->notes.ats_physical;
    if (!vfio_ats_policy(vdev->ats, vdev->ats_strict, host, has_ats, vdev->who,
                         &hide, ats_warning, errp)) {
        return false;
    }
    if (!visible) {
        vdev->notes.ats = vdev->notes.pasid = VFIO_PCI_NO_EXT_SPACE;
        return true;
    }
    vdev->notes.ats =
        vfio_ats_reason(vdev->ats, vdev->ats_strict, host, has_ats);
    vfio_ext_caps_rebuild(&vdev->cs, phys, hide, &vdev->ext);
    pdev->ats_cap = vdev->ext.ats_hidden ? 0 : vdev->ext.ats;
    return vfio_pci_add_pasid_cap(vdev, errp);
}

bool vfio_pci_add_capabilities(VFIOPCIDevice *vdev, char **ats_warning,
                               Error **errp)
{
    *ats_warning = NULL;
    vdev->notes.atomics = "the device has no PCI Express capability";
    if (!vfio_pci_add_std_caps(vdev, errp) ||
        !vfio_pci_add_ext_caps(vdev, ats_warning, errp)) {
        g_clear_pointer(ats_warning, g_free);
        return false;
    }
    return true;
}

void vfio_pci_remove_capabilities(VFIOPCIDevice *vdev)
{
    vfio_pci_disable_rp_atomics(vdev);
    msix_uninit(&vdev->pdev);
    msi_uninit(&vdev->pdev);
}
