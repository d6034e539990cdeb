/*
 * Extended capabilities with register semantics: AER (version 2), ACS,
 * ATS and PASID. Error injection is not modelled; the registers hold
 * what software programs, with the status bits write-1-to-clear.
 */
#include "qemu/osdep.h"
#include "hw/pci/pcie.h"

#define PCI_ACS_ROOT_PORT_CAPS                                                 \
    (PCI_ACS_SV | PCI_ACS_TB | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)

bool pcie_aer_init(PCIDevice *dev, uint16_t offset, Error **errp)
{
    uint8_t *c, *wmask, *w1c, *cmask;

    if (!pcie_add_capability(dev, PCI_EXT_CAP_ID_ERR, PCI_ERR_VER, offset,
                             PCI_ERR_SIZEOF, errp)) {
        return false;
    }
    c = dev->config + offset;
    wmask = dev->wmask + offset;
    w1c = dev->w1cmask + offset;
    cmask = dev->cmask + offset;
    pci_set_long(w1c + PCI_ERR_UNCOR_STATUS, PCI_ERR_UNC_SUPPORTED);
    pci_set_long(wmask + PCI_ERR_UNCOR_MASK, PCI_ERR_UNC_SUPPORTED);
    pci_set_long(c + PCI_ERR_UNCOR_SEVER, PCI_ERR_UNC_SEVERITY_DEFAULT);
    pci_set_long(wmask + PCI_ERR_UNCOR_SEVER, PCI_ERR_UNC_SUPPORTED);
    pci_set_long(w1c + PCI_ERR_COR_STATUS, PCI_ERR_COR_SUPPORTED);
    pci_set_long(c + PCI_ERR_COR_MASK, PCI_ERR_COR_ADV_NFAT);
    pci_set_long(wmask + PCI_ERR_COR_MASK, PCI_ERR_COR_SUPPORTED);
    pci_set_long(c + PCI_ERR_CAP,
                 PCI_ERR_CAP_ECRC_GENC | PCI_ERR_CAP_ECRC_CHKC);
    pci_set_long(wmask + PCI_ERR_CAP,
                 PCI_ERR_CAP_ECRC_GENE | PCI_ERR_CAP_ECRC_CHKE);
    if (dev->exp_cap && pcie_cap_get_type(dev) == PCI_EXP_TYPE_ROOT_PORT) {
        pci_set_long(wmask + PCI_ERR_ROOT_COMMAND, PCI_ERR_ROOT_CMD_EN_MASK);
        pci_set_long(w1c + PCI_ERR_ROOT_STATUS, PCI_ERR_ROOT_STATUS_W1C);
    }
    /* Everything after the header is programmed or run-time state. */
    memset(cmask + PCI_EXT_CAP_HEADER_SIZE, 0,
           PCI_ERR_SIZEOF - PCI_EXT_CAP_HEADER_SIZE);
    return true;
}

bool pcie_acs_init(PCIDevice *dev, uint16_t offset, Error **errp)
{
    if (!pcie_add_capability(dev, PCI_EXT_CAP_ID_ACS, 1, offset,
                             PCI_ACS_SIZEOF, errp)) {
        return false;
    }
    pci_set_word(dev->config + offset + PCI_ACS_CAP, PCI_ACS_ROOT_PORT_CAPS);
    pci_set_word(dev->wmask + offset + PCI_ACS_CTRL, PCI_ACS_ROOT_PORT_CAPS);
    pci_set_word(dev->cmask + offset + PCI_ACS_CTRL, 0);
    return true;
}

bool pcie_ats_init(PCIDevice *dev, uint16_t offset, bool page_aligned,
                   Error **errp)
{
    if (!pcie_add_capability(dev, PCI_EXT_CAP_ID_ATS, 1, offset,
                             PCI_ATS_SIZEOF, errp)) {
        return false;
    }
    dev->ats_cap = offset;
    /* Invalidate Queue Depth 0 encodes 32. */
    pci_set_word(dev->config + offset + PCI_ATS_CAP,
                 page_aligned ? PCI_ATS_CAP_PAGE_ALIGNED : 0);
    pci_set_word(dev->wmask + offset + PCI_ATS_CTRL,
                 PCI_ATS_CTRL_STU_MASK | PCI_ATS_CTRL_ENABLE);
    pci_set_word(dev->cmask + offset + PCI_ATS_CTRL, 0);
    return true;
}

bool pcie_pasid_init(PCIDevice *dev, uint16_t offset, uint8_t width,
                     bool exec_perm, bool priv_mode, Error **errp)
{
    uint16_t cap = (uint16_t)width << PCI_PASID_CAP_WIDTH_SHIFT;

    if (width > PCI_PASID_MAX_WIDTH) {
        error_setg(errp, "%s: PASID width %u exceeds the maximum of %d",
                   dev->name, width, PCI_PASID_MAX_WIDTH);
        return false;
    }
    if (!pcie_insert_capability(dev, PCI_EXT_CAP_ID_PASID, PCI_PASID_VER,
                                offset, PCI_PASID_SIZEOF, errp)) {
        return false;
    }
    dev->pasid_cap = offset;
    cap |= exec_perm ? PCI_PASID_CAP_EXEC : 0;
    cap |= priv_mode ? PCI_PASID_CAP_PRIV : 0;
    pci_set_word(dev->config + offset + PCI_PASID_CAP, cap);
    pci_set_word(dev->wmask + offset + PCI_PASID_CTRL,
                 PCI_PASID_CTRL_ENABLE | PCI_PASID_CTRL_EXEC |
                     PCI_PASID_CTRL_PRIV);
    pci_set_word(dev->cmask + offset + PCI_PASID_CTRL, 0);
    return true;
}
