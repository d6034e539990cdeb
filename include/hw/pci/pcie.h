/*
 * PCI Express: the PCI Express capability (versions 1 and 2, device and
 * port types, link fields, DEVCAP2/DEVCTL2 with the AtomicOps bits), the
 * slot registers of hot-plug capable ports, and the extended
 * capabilities the emulated devices carry (AER, ACS, ATS, PASID).
 *
 * Register offsets and bits are in hw/pci/pci_regs.h.
 */
#ifndef HW_PCI_PCIE_H
#define HW_PCI_PCIE_H

#include "hw/pci/pci.h"

/* Link speed (LNKCAP.SLS encoding) and width, as x-speed / x-width. */
typedef enum PCIExpLinkSpeed {
    PCIE_LINK_SPEED_2_5 = PCI_EXP_LNK_SPEED_2_5GT,
    PCIE_LINK_SPEED_5 = PCI_EXP_LNK_SPEED_5GT,
    PCIE_LINK_SPEED_8 = PCI_EXP_LNK_SPEED_8GT,
    PCIE_LINK_SPEED_16 = PCI_EXP_LNK_SPEED_16GT,
    PCIE_LINK_SPEED_32 = PCI_EXP_LNK_SPEED_32GT,
    PCIE_LINK_SPEED_64 = PCI_EXP_LNK_SPEED_64GT,
} PCIExpLinkSpeed;

typedef enum PCIExpLinkWidth {
    PCIE_LINK_WIDTH_1 = 1,
    PCIE_LINK_WIDTH_2 = 2,
    PCIE_LINK_WIDTH_4 = 4,
    PCIE_LINK_WIDTH_8 = 8,
    PCIE_LINK_WIDTH_12 = 12,
    PCIE_LINK_WIDTH_16 = 16,
    PCIE_LINK_WIDTH_32 = 32,
} PCIExpLinkWidth;

/* Properties "x-speed" ("2_5", "5", "8", "16", "32", "64") and "x-width"
 * ("1" .. "32"); the fields are PCIExpLinkSpeed / PCIExpLinkWidth. */
extern const PropertyInfo qdev_prop_pcie_link_speed;
extern const PropertyInfo qdev_prop_pcie_link_width;
#define DEFINE_PROP_PCIE_LINK_SPEED(_n, _s, _f, _d, _desc)                     \
    DEFINE_PROP_SIGNED(_n, _s, _f, _d, qdev_prop_pcie_link_speed,              \
                       PCIExpLinkSpeed, _desc)
#define DEFINE_PROP_PCIE_LINK_WIDTH(_n, _s, _f, _d, _desc)                     \
    DEFINE_PROP_SIGNED(_n, _s, _f, _d, qdev_prop_pcie_link_width,              \
                       PCIExpLinkWidth, _desc)

/*
 * The PCI Express capability at offset (0: first free place) for a
 * function of the given PCI_EXP_TYPE_*; port is the link's port number.
 * Version 2 has the DEVCAP2 .. SLTSTA2 registers; version 1 ends after
 * the root status register. The link starts as x1 at 2.5 GT/s.
 */
bool pcie_cap_init(PCIDevice *dev, uint8_t offset, uint8_t type,
                   uint8_t port, Error **errp);
bool pcie_cap_v1_init(PCIDevice *dev, uint8_t offset, uint8_t type,
                      uint8_t port, Error **errp);
void pcie_cap_exit(PCIDevice *dev);
uint8_t pcie_cap_get_type(const PCIDevice *dev);
uint8_t pcie_cap_get_version(const PCIDevice *dev);
/* Changes the device/port type (e.g. Endpoint <-> RC integrated). */
void pcie_cap_set_type(PCIDevice *dev, uint8_t type);
/* Maximum link speed/width (LNKCAP, LNKCAP2) and the current link. */
void pcie_cap_set_link(PCIDevice *dev, PCIExpLinkSpeed speed,
                       PCIExpLinkWidth width);
/* ARI forwarding on a downstream port (DEVCAP2.ARI, DEVCTL2.ARI). */
void pcie_cap_arifwd_init(PCIDevice *dev);
/* Root port control/status registers. */
void pcie_cap_root_init(PCIDevice *dev);

/*
 * AtomicOps. Completer bits (DEVCAP2 bits 7..9, PCI_EXP_DEVCAP2_ATOMIC_
 * COMP32/64/128) start clear; vfio-pci sets them on the root port above
 * an assigned device and clears them again on unrealize. Routing support
 * (DEVCAP2 bit 6) makes DEVCTL2 AtomicOp Egress Blocking writable.
 * AtomicOp Requester Enable (DEVCTL2 bit 6) is writable on endpoints and
 * root ports. Each returns false when dev has no version 2 capability.
 */
bool pcie_cap_set_atomic_completer(PCIDevice *rp, uint32_t devcap2_bits);
bool pcie_cap_clear_atomic_completer(PCIDevice *rp);
bool pcie_cap_set_atomic_routing(PCIDevice *dev, bool supported);

/*
 * Slots (downstream ports with a slot). hotplug sets Hot-Plug Capable and
 * Surprise; power_controller adds a power controller (SLTCTL.PCC).
 * Presence detect and the link-active bit follow whether any device sits
 * on the port's secondary bus; the PCI core calls
 * pcie_cap_slot_update_presence when a device arrives or leaves, and a
 * change after machine creation sets Presence Detect Changed (and Data
 * Link Layer State Changed) and raises the hot-plug interrupt (MSI-X,
 * MSI or INTx) if software enabled it.
 */
void pcie_cap_slot_init(PCIDevice *dev, uint16_t slot_nr, bool hotplug,
                        bool power_controller);
void pcie_cap_slot_reset(PCIDevice *dev);
/* Call after the config write of a port with a slot. */
void pcie_cap_slot_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                                int len);
void pcie_cap_slot_update_presence(PCIDevice *port);
bool pcie_cap_slot_hotplug_capable(PCIDevice *dev);

/* Short name of an extended capability ID ("ATS", "PASID", ...), NULL
 * for an ID without one (hw/pci/pcie-ext-cap-names.c). */
const char *pcie_ext_cap_name(uint16_t id);

/* Extended capabilities (offset: where in the extended space). */
bool pcie_aer_init(PCIDevice *dev, uint16_t offset, Error **errp);
bool pcie_acs_init(PCIDevice *dev, uint16_t offset, Error **errp);
bool pcie_ats_init(PCIDevice *dev, uint16_t offset, bool page_aligned,
                   Error **errp);
/*
 * A PASID capability (version 1) inserted at offset into the existing
 * chain (pcie_insert_capability rules): Max PASID Width = width (at most
 * 20), Execute / Privileged Mode Supported as given; the control register
 * (Enable, Execute Enable, Privileged Enable) is writable.
 */
bool pcie_pasid_init(PCIDevice *dev, uint16_t offset, uint8_t width,
                     bool exec_perm, bool priv_mode, Error **errp);

#endif
