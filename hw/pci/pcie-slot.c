/*
 * Slot registers of PCIe downstream ports: capabilities, control with
 * its indicators and power controller, status with presence detect and
 * the change bits, and the hot-plug interrupt.
 *
 * The hot-plug interrupt condition is "HPIE set and an enabled event
 * pending". With MSI-X or MSI it is sent once when the condition arises;
 * otherwise it drives INTx. PCIDevice.irq_state holds the condition.
 */
#include "qemu/osdep.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "hw/pci/pci_bridge.h"
#include "hw/pci/pcie.h"
#include "pci-internal.h"

#define SLTSTA_EVENTS                                                          \
    (PCI_EXP_SLTSTA_ABP | PCI_EXP_SLTSTA_PFD | PCI_EXP_SLTSTA_MRLSC |          \
     PCI_EXP_SLTSTA_PDC | PCI_EXP_SLTSTA_CC | PCI_EXP_SLTSTA_DLLSC)

static bool pcie_has_slot(PCIDevice *dev)
{
    return dev->config && dev->exp_cap &&
           (pci_get_word(dev->config + dev->exp_cap + PCI_EXP_FLAGS) &
            PCI_EXP_FLAGS_SLOT);
}

bool pcie_cap_slot_hotplug_capable(PCIDevice *dev)
{
    return pcie_has_slot(dev) &&
           (pci_get_long(dev->config + dev->exp_cap + PCI_EXP_SLTCAP) &
            PCI_EXP_SLTCAP_HPC);
}

static bool pcie_slot_populated(PCIDevice *port)
{
    PCIBus *sec;

    if (!object_dynamic_cast(OBJECT(port), TYPE_PCI_BRIDGE)) {
        return false;
    }
    sec = pci_bridge_get_sec_bus(PCI_BRIDGE(port));
    for (int devfn = 0; sec && devfn < PCI_SLOT_MAX * PCI_FUNC_MAX; devfn++) {
        if (sec->devices[devfn]) {
            return true;
        }
    }
    return false;
}

/* Event status bits whose enable bit is set in SLTCTL. */
static uint16_t pcie_slot_enabled_events(uint16_t sltctl)
{
    uint16_t mask = 0;

    mask |= (sltctl & PCI_EXP_SLTCTL_ABPE) ? PCI_EXP_SLTSTA_ABP : 0;
    mask |= (sltctl & PCI_EXP_SLTCTL_PFDE) ? PCI_EXP_SLTSTA_PFD : 0;
    mask |= (sltctl & PCI_EXP_SLTCTL_MRLSCE) ? PCI_EXP_SLTSTA_MRLSC : 0;
    mask |= (sltctl & PCI_EXP_SLTCTL_PDCE) ? PCI_EXP_SLTSTA_PDC : 0;
    mask |= (sltctl & PCI_EXP_SLTCTL_CCIE) ? PCI_EXP_SLTSTA_CC : 0;
    mask |= (sltctl & PCI_EXP_SLTCTL_DLLSCE) ? PCI_EXP_SLTSTA_DLLSC : 0;
    return mask;
}

static void pcie_slot_notify(PCIDevice *dev)
{
    uint8_t *exp = dev->config + dev->exp_cap;
    uint16_t sltctl = pci_get_word(exp + PCI_EXP_SLTCTL);
    uint16_t sltsta = pci_get_word(exp + PCI_EXP_SLTSTA);
    bool level = (sltctl & PCI_EXP_SLTCTL_HPIE) &&
                 (sltsta & pcie_slot_enabled_events(sltctl));
    bool was = dev->irq_state;

    if (msix_enabled(dev)) {
        dev->irq_state = level;
        if (level && !was) {
            msix_notify(dev, 0);
        }
    } else if (msi_enabled(dev)) {
        dev->irq_state = level;
        if (level && !was) {
            msi_notify(dev, 0);
        }
    } else {
        pci_set_irq(dev, level);
    }
}

void pcie_cap_slot_init(PCIDevice *dev, uint16_t slot_nr, bool hotplug,
                        bool power_controller)
{
    uint8_t *exp = dev->config + dev->exp_cap;
    uint8_t *wmask = dev->wmask + dev->exp_cap;
    uint32_t sltcap = ((uint32_t)slot_nr << PCI_EXP_SLTCAP_PSN_SHIFT) |
                      PCI_EXP_SLTCAP_EIP | PCI_EXP_SLTCAP_PIP |
                      PCI_EXP_SLTCAP_AIP | PCI_EXP_SLTCAP_ABP;
    uint16_t ctl_wmask = PCI_EXP_SLTCTL_AIC | PCI_EXP_SLTCTL_PIC |
                         PCI_EXP_SLTCTL_HPIE | PCI_EXP_SLTCTL_CCIE |
                         PCI_EXP_SLTCTL_PDCE | PCI_EXP_SLTCTL_ABPE |
                         PCI_EXP_SLTCTL_EIC | PCI_EXP_SLTCTL_DLLSCE;

    if (hotplug) {
        sltcap |= PCI_EXP_SLTCAP_HPC | PCI_EXP_SLTCAP_HPS;
    }
    if (power_controller) {
        sltcap |= PCI_EXP_SLTCAP_PCP;
        ctl_wmask |= PCI_EXP_SLTCTL_PCC;
    }
    pci_word_test_and_set_mask(exp + PCI_EXP_FLAGS, PCI_EXP_FLAGS_SLOT);
    pci_set_long(exp + PCI_EXP_SLTCAP, sltcap);
    pci_long_test_and_set_mask(exp + PCI_EXP_LNKCAP, PCI_EXP_LNKCAP_DLLLARC);
    pci_set_word(wmask + PCI_EXP_SLTCTL, ctl_wmask);
    pci_set_word(dev->w1cmask + dev->exp_cap + PCI_EXP_SLTSTA, SLTSTA_EVENTS);
    pci_set_word(dev->cmask + dev->exp_cap + PCI_EXP_SLTCTL, 0);
    pci_set_word(dev->cmask + dev->exp_cap + PCI_EXP_SLTSTA, 0);
    pcie_cap_slot_reset(dev);
}

static void pcie_slot_show_presence(PCIDevice *dev, bool present)
{
    uint8_t *exp = dev->config + dev->exp_cap;

    if (present) {
        pci_word_test_and_set_mask(exp + PCI_EXP_SLTSTA, PCI_EXP_SLTSTA_PDS);
        pci_word_test_and_set_mask(exp + PCI_EXP_LNKSTA,
                                   PCI_EXP_LNKSTA_DLLLA);
    } else {
        pci_word_test_and_clear_mask(exp + PCI_EXP_SLTSTA,
                                     PCI_EXP_SLTSTA_PDS);
        pci_word_test_and_clear_mask(exp + PCI_EXP_LNKSTA,
                                     PCI_EXP_LNKSTA_DLLLA);
    }
}

void pcie_cap_slot_reset(PCIDevice *dev)
{
    uint8_t *exp = dev->config + dev->exp_cap;
    bool populated = pcie_slot_populated(dev);
    bool pcp = pci_get_long(exp + PCI_EXP_SLTCAP) & PCI_EXP_SLTCAP_PCP;
    uint16_t sltctl = PCI_EXP_SLTCTL_ATTN_IND_OFF;

    if (populated) {
        sltctl |= PCI_EXP_SLTCTL_PWR_IND_ON;
    } else {
        sltctl |= PCI_EXP_SLTCTL_PWR_IND_OFF;
        sltctl |= pcp ? PCI_EXP_SLTCTL_PCC : 0;
    }
    pci_set_word(exp + PCI_EXP_SLTCTL, sltctl);
    pci_word_test_and_clear_mask(exp + PCI_EXP_SLTSTA,
                                 SLTSTA_EVENTS | PCI_EXP_SLTSTA_EIS);
    pcie_slot_show_presence(dev, populated);
    dev->irq_state = 0;
}

void pcie_cap_slot_update_presence(PCIDevice *port)
{
    uint8_t *exp;
    bool present, shown;

    if (!pcie_has_slot(port)) {
        return;
    }
    exp = port->config + port->exp_cap;
    present = pcie_slot_populated(port);
    shown = pci_get_word(exp + PCI_EXP_SLTSTA) & PCI_EXP_SLTSTA_PDS;
    if (present == shown) {
        return;
    }
    pcie_slot_show_presence(port, present);
    if (!qdev_machine_creation_done_p()) {
        return;
    }
    pci_word_test_and_set_mask(exp + PCI_EXP_SLTSTA,
                               PCI_EXP_SLTSTA_PDC | PCI_EXP_SLTSTA_DLLSC);
    pcie_slot_notify(port);
}

void pcie_cap_slot_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                                int len)
{
    uint8_t *exp = dev->config + dev->exp_cap;

    if (!pcie_has_slot(dev) ||
        !ranges_overlap(addr, len, dev->exp_cap + PCI_EXP_SLTCTL, 4)) {
        return;
    }
    /* Writing 1 to Electromechanical Interlock Control toggles it. */
    if (pci_get_word(exp + PCI_EXP_SLTCTL) & PCI_EXP_SLTCTL_EIC) {
        pci_word_test_and_clear_mask(exp + PCI_EXP_SLTCTL,
                                     PCI_EXP_SLTCTL_EIC);
        pci_set_word(exp + PCI_EXP_SLTSTA,
                     pci_get_word(exp + PCI_EXP_SLTSTA) ^ PCI_EXP_SLTSTA_EIS);
    }
    pcie_slot_notify(dev);
}
