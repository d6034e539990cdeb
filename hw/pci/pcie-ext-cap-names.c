/*
 * Short names of the PCI Express extended capability IDs, for reports
 * (x-query-vfio-pci, messages). IDs the table does not list have no name.
 */
#include "qemu/osdep.h"
#include "hw/pci/pcie.h"

static const char *const pcie_ext_cap_names[] = {
    [0x01] = "AER",
    [0x02] = "VC",
    [0x03] = "DSN",
    [0x04] = "Power Budgeting",
    [0x05] = "RC Link Declaration",
    [0x06] = "RC Internal Link Control",
    [0x07] = "RC Event Collector",
    [0x08] = "MFVC",
    [0x09] = "VC (alternate)",
    [0x0a] = "RCRB",
    [0x0b] = "VSEC",
    [0x0c] = "CAC",
    [0x0d] = "ACS",
    [0x0e] = "ARI",
    [0x0f] = "ATS",
    [0x10] = "SR-IOV",
    [0x11] = "MR-IOV",
    [0x12] = "Multicast",
    [0x13] = "PRI",
    [0x15] = "Resizable BAR",
    [0x16] = "DPA",
    [0x17] = "TPH Requester",
    [0x18] = "LTR",
    [0x19] = "Secondary PCIe",
    [0x1a] = "PMUX",
    [0x1b] = "PASID",
    [0x1d] = "DPC",
    [0x1e] = "L1 PM Substates",
    [0x1f] = "PTM",
    [0x23] = "DVSEC",
    [0x24] = "VF Resizable BAR",
    [0x25] = "Data Link Feature",
    [0x26] = "Physical Layer 16 GT/s",
    [0x27] = "Lane Margining",
    [0x29] = "NPEM",
    [0x2a] = "Physical Layer 32 GT/s",
    [0x2e] = "DOE",
    [0x2f] = "Device 3",
    [0x30] = "IDE",
    [0x31] = "Physical Layer 64 GT/s",
};

const char *pcie_ext_cap_name(uint16_t id)
{
    return id < G_N_ELEMENTS(pcie_ext_cap_names) ? pcie_ext_cap_names[id]
                                                 : NULL;
}
