/*
 * AtomicOps completers. When the host kernel enabled AtomicOp requests
 * from the physical function to its root port, the guest's driver looks
 * for completer support on the root port above the device: the emulated
 * root port's DEVCAP2 completer bits are set from what VFIO reports, and
 * cleared again when the device goes away.
 */
#include "qemu/osdep.h"
#include "hw/pci/pcie.h"
#include "hw/vfio/pci-internal.h"

uint32_t vfio_atomic_comp_to_devcap2(uint32_t flags)
{
    return (flags & VFIO_PCI_ATOMIC_COMP32 ? PCI_EXP_DEVCAP2_ATOMIC_COMP32
                                           : 0) |
           (flags & VFIO_PCI_ATOMIC_COMP64 ? PCI_EXP_DEVCAP2_ATOMIC_COMP64
                                           : 0) |
           (flags & VFIO_PCI_ATOMIC_COMP128 ? PCI_EXP_DEVCAP2_ATOMIC_COMP128
                                            : 0);
}

/* The root port directly above pdev, if it has DEVCAP2 (version 2). */
static PCIDevice *vfio_pci_parent_root_port(PCIDevice *pdev)
{
    PCIBus *bus = pci_get_bus(pdev);
    PCIDevice *rp = bus->parent_dev;

    if (pci_bus_is_root(bus) || !rp || !rp->exp_cap ||
        pcie_cap_get_type(rp) != PCI_EXP_TYPE_ROOT_PORT ||
        pcie_cap_get_version(rp) < 2) {
        return NULL;
    }
    return rp;
}

void vfio_pci_enable_rp_atomics(VFIOPCIDevice *vdev)
{
    PCIDevice *pdev = &vdev->pdev;
    PCIDevice *rp = vfio_pci_parent_root_port(pdev);
    const char **why = &vdev->notes.atomics;
    uint32_t flags, bits;

    if (!rp) {
        *why = "the port above is not a PCI Express root port with DEVCAP2 "
               "(capability version 2)";
        return;
    }
    /* Only a lone function owns the link to the root port. */
    if (pdev->devfn || (pdev->cap_present & QEMU_PCI_CAP_MULTIFUNCTION)) {
        *why = "not a lone function 0: the link to the root port is shared";
        return;
    }
    /* Another device (or the machine) already set them. */
    if (pci_get_long(rp->config + rp->exp_cap + PCI_EXP_DEVCAP2) &
        PCI_EXP_DEVCAP2_ATOMIC_COMP_ALL) {
        *why = "the root port already advertises AtomicOp completers";
        return;
    }
    if (!vfio_device_get_atomic_comp(&vdev->vbasedev, &flags)) {
        flags = 0;
    }
    bits = vfio_atomic_comp_to_devcap2(flags);
    if (!bits) {
        *why = "the host kernel reports no AtomicOp completion for the "
               "device (no VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP widths)";
        return;
    }
    if (!pcie_cap_set_atomic_completer(rp, bits)) {
        *why = "the root port refused the completer bits";
        return;
    }
    vdev->clear_parent_atomics_on_exit = true;
    *why = "set from the widths the host kernel reports "
           "(VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP); cleared when the device "
           "goes";
}

void vfio_pci_disable_rp_atomics(VFIOPCIDevice *vdev)
{
    PCIDevice *rp;

    if (!vdev->clear_parent_atomics_on_exit) {
        return;
    }
    rp = pci_get_bus(&vdev->pdev)->parent_dev;
    if (rp) {
        pcie_cap_clear_atomic_completer(rp);
    }
    vdev->clear_parent_atomics_on_exit = false;
}
