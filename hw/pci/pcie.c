/*
 * The PCI Express capability: versions 1 and 2, device/port type, device
 * control/status masks, link registers, the version 2 registers with
 * the AtomicOps bits, and root port control/status.
 */
#include "qemu/osdep.h"
#include "hw/pci/pcie.h"

/* Status registers change at run time: never compared. */
static const uint8_t pcie_status_regs[] = {
    PCI_EXP_DEVSTA, PCI_EXP_LNKSTA, PCI_EXP_SLTSTA, PCI_EXP_RTSTA,
    PCI_EXP_DEVSTA2, PCI_EXP_LNKSTA2, PCI_EXP_SLTSTA2,
};

static uint8_t *pcie_cap(PCIDevice *dev)
{
    return dev->config + dev->exp_cap;
}

uint8_t pcie_cap_get_type(const PCIDevice *dev)
{
    uint16_t flags = pci_get_word(dev->config + dev->exp_cap + PCI_EXP_FLAGS);

    return (flags & PCI_EXP_FLAGS_TYPE) >> PCI_EXP_FLAGS_TYPE_SHIFT;
}

uint8_t pcie_cap_get_version(const PCIDevice *dev)
{
    if (!dev->exp_cap) {
        return 0;
    }
    return pci_get_word(dev->config + dev->exp_cap + PCI_EXP_FLAGS) &
           PCI_EXP_FLAGS_VERS;
}

void pcie_cap_set_type(PCIDevice *dev, uint8_t type)
{
    uint8_t *flags = pcie_cap(dev) + PCI_EXP_FLAGS;

    pci_set_word(flags, (pci_get_word(flags) & ~PCI_EXP_FLAGS_TYPE) |
                            (type << PCI_EXP_FLAGS_TYPE_SHIFT));
}

static bool pcie_type_is_port(uint8_t type)
{
    return type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_UPSTREAM ||
           type == PCI_EXP_TYPE_DOWNSTREAM;
}

static bool pcie_type_is_downstream(uint8_t type)
{
    return type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_DOWNSTREAM;
}

/* AtomicOp Requester Enable exists on endpoints and root ports only. */
static bool pcie_type_may_request_atomics(uint8_t type)
{
    return type == PCI_EXP_TYPE_ENDPOINT || type == PCI_EXP_TYPE_LEG_END ||
           type == PCI_EXP_TYPE_RC_END || type == PCI_EXP_TYPE_ROOT_PORT;
}

/* Compare only the fixed bits: not writable, not W1C, not status. */
static void pcie_cap_fix_cmask(PCIDevice *dev)
{
    uint32_t size = pcie_cap_get_version(dev) >= 2 ? PCI_EXP_VER2_SIZEOF
                                                   : PCI_EXP_VER1_SIZEOF;

    for (uint32_t i = 0; i < size; i++) {
        uint32_t at = dev->exp_cap + i;

        dev->cmask[at] = 0xff & ~(dev->wmask[at] | dev->w1cmask[at]);
    }
    for (size_t i = 0; i < ARRAY_SIZE(pcie_status_regs); i++) {
        if (pcie_status_regs[i] + 2 <= size) {
            pci_set_word(dev->cmask + dev->exp_cap + pcie_status_regs[i], 0);
        }
    }
    if (PCI_EXP_RTSTA + 4 <= size) {
        pci_set_long(dev->cmask + dev->exp_cap + PCI_EXP_RTSTA, 0);
    }
}

void pcie_cap_set_link(PCIDevice *dev, PCIExpLinkSpeed speed,
                       PCIExpLinkWidth width)
{
    uint8_t *exp = pcie_cap(dev);
    uint32_t lnkcap = pci_get_long(exp + PCI_EXP_LNKCAP);
    uint16_t lnksta = pci_get_word(exp + PCI_EXP_LNKSTA);

    lnkcap &= ~(PCI_EXP_LNKCAP_SLS | PCI_EXP_LNKCAP_MLW);
    lnkcap |= speed | (width << PCI_EXP_LNKCAP_MLW_SHIFT);
    pci_set_long(exp + PCI_EXP_LNKCAP, lnkcap);
    lnksta &= ~(PCI_EXP_LNKSTA_CLS | PCI_EXP_LNKSTA_NLW);
    lnksta |= speed | (width << PCI_EXP_LNKSTA_NLW_SHIFT);
    pci_set_word(exp + PCI_EXP_LNKSTA, lnksta);
    if (pcie_cap_get_version(dev) >= 2) {
        uint32_t vector = 0;

        for (int s = PCIE_LINK_SPEED_2_5; s <= (int)speed; s++) {
            vector |= 1u << (s - 1 + PCI_EXP_LNKCAP2_SLS_SHIFT);
        }
        pci_set_long(exp + PCI_EXP_LNKCAP2, vector);
        pci_set_word(exp + PCI_EXP_LNKCTL2,
                     (pci_get_word(exp + PCI_EXP_LNKCTL2) &
                      ~PCI_EXP_LNKCTL2_TLS) | speed);
    }
}

static void pcie_cap_init_masks(PCIDevice *dev, uint8_t type, uint8_t ver)
{
    uint8_t *wmask = dev->wmask + dev->exp_cap;
    uint8_t *w1c = dev->w1cmask + dev->exp_cap;
    uint16_t lnkctl = PCI_EXP_LNKCTL_ASPMC | PCI_EXP_LNKCTL_CCC |
                      PCI_EXP_LNKCTL_ES | PCI_EXP_LNKCTL_CLKREQ_EN |
                      PCI_EXP_LNKCTL_HAWD;

    pci_set_word(wmask + PCI_EXP_DEVCTL,
                 PCI_EXP_DEVCTL_CERE | PCI_EXP_DEVCTL_NFERE |
                     PCI_EXP_DEVCTL_FERE | PCI_EXP_DEVCTL_URRE |
                     PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_PAYLOAD |
                     PCI_EXP_DEVCTL_EXT_TAG | PCI_EXP_DEVCTL_AUX_PME |
                     PCI_EXP_DEVCTL_NOSNOOP_EN | PCI_EXP_DEVCTL_READRQ);
    pci_set_word(w1c + PCI_EXP_DEVSTA,
                 PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_NFED |
                     PCI_EXP_DEVSTA_FED | PCI_EXP_DEVSTA_URD);
    if (pcie_type_is_downstream(type)) {
        lnkctl |= PCI_EXP_LNKCTL_LD | PCI_EXP_LNKCTL_LBMIE |
                  PCI_EXP_LNKCTL_LABIE;
        pci_set_word(w1c + PCI_EXP_LNKSTA,
                     PCI_EXP_LNKSTA_LBMS | PCI_EXP_LNKSTA_LABS);
    } else {
        lnkctl |= PCI_EXP_LNKCTL_RCB;
    }
    pci_set_word(wmask + PCI_EXP_LNKCTL, lnkctl);
    if (ver < 2) {
        return;
    }
    if (pcie_type_may_request_atomics(type)) {
        pci_word_test_and_set_mask(wmask + PCI_EXP_DEVCTL2,
                                   PCI_EXP_DEVCTL2_ATOMIC_REQ);
    }
    if (pcie_type_is_downstream(type)) {
        pci_word_test_and_set_mask(wmask + PCI_EXP_LNKCTL2,
                                   PCI_EXP_LNKCTL2_TLS);
    }
}

static bool pcie_cap_init_version(PCIDevice *dev, uint8_t offset,
                                  uint8_t type, uint8_t port, uint8_t ver,
                                  Error **errp)
{
    uint8_t size = ver >= 2 ? PCI_EXP_VER2_SIZEOF : PCI_EXP_VER1_SIZEOF;
    int pos;
    uint8_t *exp;

    g_assert(pci_is_express(dev));
    pos = pci_add_capability(dev, PCI_CAP_ID_EXP, offset, size, errp);
    if (pos < 0) {
        return false;
    }
    dev->exp_cap = pos;
    exp = pcie_cap(dev);
    pci_set_word(exp + PCI_EXP_FLAGS,
                 ver | (type << PCI_EXP_FLAGS_TYPE_SHIFT));
    pci_set_long(exp + PCI_EXP_DEVCAP, PCI_EXP_DEVCAP_RBER);
    pci_set_long(exp + PCI_EXP_LNKCAP,
                 (uint32_t)port << PCI_EXP_LNKCAP_PN_SHIFT);
    if (ver >= 2) {
        pci_set_long(exp + PCI_EXP_DEVCAP2,
                     PCI_EXP_DEVCAP2_EFF | PCI_EXP_DEVCAP2_EETLPP);
    }
    pcie_cap_init_masks(dev, type, ver);
    if (pcie_type_is_port(type) || type == PCI_EXP_TYPE_ENDPOINT ||
        type == PCI_EXP_TYPE_LEG_END) {
        pcie_cap_set_link(dev, PCIE_LINK_SPEED_2_5, PCIE_LINK_WIDTH_1);
    }
    pcie_cap_fix_cmask(dev);
    return true;
}

bool pcie_cap_init(PCIDevice *dev, uint8_t offset, uint8_t type,
                   uint8_t port, Error **errp)
{
    return pcie_cap_init_version(dev, offset, type, port, 2, errp);
}

bool pcie_cap_v1_init(PCIDevice *dev, uint8_t offset, uint8_t type,
                      uint8_t port, Error **errp)
{
    return pcie_cap_init_version(dev, offset, type, port, 1, errp);
}

void pcie_cap_exit(PCIDevice *dev)
{
    uint8_t size = pcie_cap_get_version(dev) >= 2 ? PCI_EXP_VER2_SIZEOF
                                                  : PCI_EXP_VER1_SIZEOF;

    if (dev->exp_cap) {
        pci_del_capability(dev, PCI_CAP_ID_EXP, size);
        dev->exp_cap = 0;
    }
}

void pcie_cap_arifwd_init(PCIDevice *dev)
{
    pci_long_test_and_set_mask(pcie_cap(dev) + PCI_EXP_DEVCAP2,
                               PCI_EXP_DEVCAP2_ARI);
    pci_word_test_and_set_mask(dev->wmask + dev->exp_cap + PCI_EXP_DEVCTL2,
                               PCI_EXP_DEVCTL2_ARI);
    pcie_cap_fix_cmask(dev);
}

void pcie_cap_root_init(PCIDevice *dev)
{
    pci_set_word(dev->wmask + dev->exp_cap + PCI_EXP_RTCTL,
                 PCI_EXP_RTCTL_SECEE | PCI_EXP_RTCTL_SENFEE |
                     PCI_EXP_RTCTL_SEFEE | PCI_EXP_RTCTL_PMEIE);
    pci_set_long(dev->w1cmask + dev->exp_cap + PCI_EXP_RTSTA,
                 PCI_EXP_RTSTA_PME);
    pcie_cap_fix_cmask(dev);
}

bool pcie_cap_set_atomic_completer(PCIDevice *rp, uint32_t devcap2_bits)
{
    if (pcie_cap_get_version(rp) < 2) {
        return false;
    }
    pci_long_test_and_set_mask(pcie_cap(rp) + PCI_EXP_DEVCAP2,
                               devcap2_bits & PCI_EXP_DEVCAP2_ATOMIC_COMP_ALL);
    return true;
}

bool pcie_cap_clear_atomic_completer(PCIDevice *rp)
{
    if (pcie_cap_get_version(rp) < 2) {
        return false;
    }
    pci_long_test_and_clear_mask(pcie_cap(rp) + PCI_EXP_DEVCAP2,
                                 PCI_EXP_DEVCAP2_ATOMIC_COMP_ALL);
    return true;
}

bool pcie_cap_set_atomic_routing(PCIDevice *dev, bool supported)
{
    uint8_t *exp = pcie_cap(dev);
    uint8_t *wmask = dev->wmask + dev->exp_cap;

    if (pcie_cap_get_version(dev) < 2) {
        return false;
    }
    if (supported) {
        pci_long_test_and_set_mask(exp + PCI_EXP_DEVCAP2,
                                   PCI_EXP_DEVCAP2_ATOMIC_ROUTE);
        pci_word_test_and_set_mask(wmask + PCI_EXP_DEVCTL2,
                                   PCI_EXP_DEVCTL2_ATOMIC_EGRESS_BLOCK);
    } else {
        pci_long_test_and_clear_mask(exp + PCI_EXP_DEVCAP2,
                                     PCI_EXP_DEVCAP2_ATOMIC_ROUTE);
        pci_word_test_and_clear_mask(wmask + PCI_EXP_DEVCTL2,
                                     PCI_EXP_DEVCTL2_ATOMIC_EGRESS_BLOCK);
        pci_word_test_and_clear_mask(exp + PCI_EXP_DEVCTL2,
                                     PCI_EXP_DEVCTL2_ATOMIC_EGRESS_BLOCK);
    }
    pcie_cap_fix_cmask(dev);
    return true;
}
