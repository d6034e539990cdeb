/*
 * vfio-pci: a host PCI device assigned to the guest through VFIO and
 * iommufd. The guest sees a config space built from the physical one,
 * with the capability policy applied (PCI Express fix-ups by bus type,
 * the extended chain rebuilt, ATS per the "ats" property, a synthesized
 * PASID capability, AtomicOps completers on the root port above).
 * Behaviour and properties: docs/vfio-pci.md.
 */
#ifndef HW_VFIO_PCI_H
#define HW_VFIO_PCI_H

#include "hw/pci/pci.h"
#include "hw/vfio/vfio-device.h"

#define TYPE_VFIO_PCI "vfio-pci"
#define TYPE_VFIO_PCI_NOHOTPLUG "vfio-pci-nohotplug"

#define VFIO_PCI(obj) OBJECT_CHECK(VFIOPCIDevice, (obj), TYPE_VFIO_PCI)

/*
 * The guest's view of config space. A bit whose emulated bit is set reads
 * from config; any other bit reads from the device. wmask says which
 * emulated bits a guest write may change.
 */
typedef struct VFIOConfigSpace {
    uint32_t size;   /* 256 or 4096 */
    uint8_t *config; /* emulated values (and a snapshot of the rest) */
    uint8_t *wmask;
    uint8_t *emulated;
} VFIOConfigSpace;

/* What became of the extended capability whose header is at an offset. */
typedef enum VFIOExtCapFate {
    VFIO_EXT_CAP_NONE,           /* no capability header there */
    VFIO_EXT_CAP_COPIED,         /* the device's own, shown as it is */
    VFIO_EXT_CAP_VIRTUALIZED,    /* Resizable BAR: current sizes only */
    VFIO_EXT_CAP_SYNTHESIZED,    /* PASID, from the host IOMMU's answer */
    VFIO_EXT_CAP_DROPPED_HIDDEN, /* ID 0: the host kernel hid it */
    VFIO_EXT_CAP_DROPPED_SRIOV,
    VFIO_EXT_CAP_DROPPED_ARI,
    VFIO_EXT_CAP_DROPPED_ATS,   /* the ats policy */
    VFIO_EXT_CAP_DROPPED_REBAR, /* a BAR size it cannot advertise */
} VFIOExtCapFate;

/* Why a capability with that fate is not shown; NULL if it is shown. */
const char *vfio_ext_cap_drop_reason(VFIOExtCapFate fate);

/* Most headers a chain can have: one per dword of 0x100..0xfff. */
#define VFIO_EXT_CAP_MAX ((PCIE_CONFIG_SPACE_SIZE - PCI_EXT_CAP_START) / 4)
/* The dword index of extended config offset off, from 0x100. */
#define VFIO_EXT_CAP_SLOT(off) (((off) - PCI_EXT_CAP_START) / 4)

/* What the rebuild saw in the physical chain. */
typedef struct VFIOExtCapsInfo {
    uint16_t ats;   /* physical ATS capability, 0: none */
    uint16_t pasid; /* physical PASID capability (kept), 0: none */
    bool ats_hidden;
    /* VFIOExtCapFate per dword, indexed by VFIO_EXT_CAP_SLOT(offset). */
    uint8_t fate[VFIO_EXT_CAP_MAX];
} VFIOExtCapsInfo;

/*
 * The capability policy's decisions as made at realize, each with a
 * one-sentence reason (static strings), for x-query-vfio-pci.
 */
typedef struct VFIOPCIPolicyNotes {
    bool ats_physical;   /* the device's chain has an ATS capability */
    bool pasid_physical; /* ... and a PASID capability */
    const char *ats;     /* why ATS is shown or hidden */
    const char *pasid;   /* why a PASID capability was synthesized or not */
    const char *atomics; /* why the root port's completers were set or not */
} VFIOPCIPolicyNotes;

/* Bits of VFIOPCIDevice.features (bit properties). */
enum {
    VFIO_FEATURE_REQ,
    VFIO_FEATURE_IGD_OPREGION,
};

typedef struct VFIOPCIDevice {
    PCIDevice pdev;
    VFIODevice vbasedev;

    /* Properties */
    PCIHostDeviceAddress host; /* domain ~0: not given */
    char *sysfsdev;
    IOMMUFDBackend *iommufd;
    OnOffAuto ats;
    bool ats_strict;
    uint16_t vpasid_cap_offset;
    uint32_t vendor_id; /* x-pci-*: PCI_ANY_ID keeps the device's */
    uint32_t device_id;
    uint32_t sub_vendor_id;
    uint32_t sub_device_id;
    uint32_t class_code;
    OnOffAuto display;
    uint32_t xres;
    uint32_t yres;
    OnOffAuto enable_migration;
    bool no_mmap;
    bool skip_vsc_check;
    uint32_t features;
    int32_t bootindex;
    /* vfio-pci-nohotplug only */
    bool ramfb;
    bool use_legacy_x86_rom;
    OnOffAuto ramfb_migrate;

    /* Realized state */
    char *host_str;       /* host as "DDDD:BB:DD.F" for VFIODevice */
    char *who;            /* "vfio-pci ID (HOST)" for messages */
    uint8_t *phys_config; /* config space as read at realize */
    uint8_t *emulated_config_bits;
    VFIOConfigSpace cs; /* pdev's config/wmask + the bits above */
    VFIORegion bars[PCI_ROM_SLOT];
    VFIORegion rom;
    VFIOExtCapsInfo ext;
    VFIOPCIPolicyNotes notes;
    bool iommu_set; /* the vIOMMU holds our HostIOMMUDevice */
    bool clear_parent_atomics_on_exit;
} VFIOPCIDevice;

#endif
