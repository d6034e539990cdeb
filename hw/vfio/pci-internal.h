/*
 * vfio-pci internals: the guest's view of an assigned device's config
 * space and the capability policy (ATS, PASID, the extended chain), as
 * functions over byte arrays so unit tests can drive them with synthetic
 * config spaces. Shared by the hw/vfio/pci*.c files and
 * tests/unit/test-vfio-pci-config.c.
 */
#ifndef HW_VFIO_PCI_INTERNAL_H
#define HW_VFIO_PCI_INTERNAL_H

#include "hw/vfio/pci.h"

/*
 * Takes over the bits of mask in the len-byte register at off (len 1, 2
 * or 4): they read as val and are read-only to the guest.
 */
void vfio_config_emulate(VFIOConfigSpace *cs, uint32_t off, int len,
                         uint32_t val, uint32_t mask);
/* Marks len bytes at off emulated, keeping their value and wmask. */
void vfio_config_own(VFIOConfigSpace *cs, uint32_t off, uint32_t len);
/* A read of len bytes at off: emulated bits from cs, the rest from dev. */
uint32_t vfio_config_merge(const VFIOConfigSpace *cs, uint32_t off, int len,
                           uint32_t dev);
/* Every bit of the len bytes at off is emulated (the device is not asked). */
bool vfio_config_all_emulated(const VFIOConfigSpace *cs, uint32_t off, int len);

/* Standard capabilities (hw/vfio/pci-caps.c) */

/* At most this many capabilities fit in 0x40..0xff. */
#define VFIO_STD_CAP_MAX 48

/*
 * The standard capabilities of a physical config space in list order;
 * the walk stops at a pointer below 0x40, one already seen or one whose
 * header would not fit. Returns the count.
 */
int vfio_std_caps_list(const uint8_t *phys, uint8_t *offsets);
/* Bytes from pos to the next capability above it, or to 0x100. */
uint8_t vfio_std_cap_max_size(const uint8_t *phys, uint8_t pos);

/* Where the device sits, for the PCI Express capability fix-ups. */
typedef enum VFIOPCIePlace {
    VFIO_PCIE_CONVENTIONAL_BUS, /* not an express bus */
    VFIO_PCIE_ROOT_BUS,         /* directly on a root complex bus */
    VFIO_PCIE_BELOW_PORT,       /* below a root or downstream port */
} VFIOPCIePlace;

/*
 * Adjusts the PCI Express capability of size bytes at pos for where the
 * device is: an Endpoint on a root bus becomes an RC integrated endpoint
 * without link registers; an RC integrated endpoint below a port becomes
 * an Endpoint with an x1 2.5 GT/s link; version 0 reads as version 1.
 * Returns false when the capability must be hidden instead (conventional
 * bus, or a Legacy Endpoint on a root bus).
 */
bool vfio_pcie_cap_fixup(VFIOConfigSpace *cs, uint8_t pos, uint8_t size,
                         VFIOPCIePlace place);

/* Extended capabilities (hw/vfio/pci-ext-caps.c) */

/*
 * The extended capabilities of config in chain order, starting at 0x100
 * (entries with ID 0 included). The walk stops at a zero header, a
 * pointer below 0x100, beyond the space or already seen. Returns the
 * count; 0 for a 256-byte space.
 */
int vfio_ext_chain_list(const uint8_t *config, uint32_t size,
                        uint16_t *offsets);
/* The closest header above off among offsets[0..n), 0 if none. */
uint16_t vfio_ext_next_above(const uint16_t *offsets, int n, uint16_t off);
/* Offset of the first capability id in a physical chain, 0 if none. */
uint16_t vfio_ext_cap_find(const uint8_t *phys, uint32_t size, uint16_t id);
/*
 * How many bytes the capability at off occupies, judged from its ID and
 * registers in config, never reaching next_above (the closest capability
 * header above it; 0 if none). A capability of unknown size reaches the
 * next header, or is taken as 8 bytes when it is the highest.
 */
uint32_t vfio_ext_cap_extent(const uint8_t *config, uint16_t off,
                             uint16_t next_above);

/* Points the emulated next pointer of the header at off to next. */
void vfio_ext_cap_set_next(VFIOConfigSpace *cs, uint16_t off, uint16_t next);

/*
 * Rebuilds the guest-visible extended chain in cs from the physical bytes
 * (cs->config already holds a copy of them). SR-IOV, ARI and entries the
 * kernel hid (ID 0) are dropped, and ATS too when hide_ats; Resizable BAR
 * advertises only the current sizes (dropped when one is outside
 * 1 MB..512 GB); everything else is kept in physical order. A dropped
 * capability's bytes read as zero and ignore writes. Every next pointer
 * and the header at 0x100 are emulated, so the first, last or only
 * capability can go. Does nothing for a 256-byte space or an empty chain.
 */
void vfio_ext_caps_rebuild(VFIOConfigSpace *cs, const uint8_t *phys,
                           bool hide_ats, VFIOExtCapsInfo *info);

/* The ATS policy (ats / x-ats-strict) */

typedef enum VFIOHostAts {
    VFIO_HOST_ATS_UNKNOWN,  /* no host IOMMU information */
    VFIO_HOST_ATS_USABLE,   /* IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED clear */
    VFIO_HOST_ATS_UNUSABLE, /* IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED set */
} VFIOHostAts;

/*
 * Decides whether the device's ATS capability is shown. who names the
 * device in messages ("vfio-pci ID (HOST)"). Returns false with errp set
 * when realize must fail; otherwise *hide tells whether to drop the
 * capability and *warning (g_free) is a start-up warning or NULL.
 */
bool vfio_ats_policy(OnOffAuto ats, bool strict, VFIOHostAts host, bool has_cap,
                     const char *who, bool *hide, char **warning, Error **errp);

/* One sentence on why the ATS policy shows or hides the capability. */
const char *vfio_ats_reason(OnOffAuto ats, bool strict, VFIOHostAts host,
                            bool has_cap);

/* PASID synthesis (hw/vfio/pci-pasid.c) */

/* x-vpasid-cap-offset 0: the last 8 bytes of extended config space. */
#define VFIO_PASID_DEFAULT_OFFSET (PCIE_CONFIG_SPACE_SIZE - PCI_PASID_SIZEOF)

/* The checks an offset must pass whatever the chain (0 = default). */
bool vfio_pasid_offset_check(uint16_t offset, Error **errp);
/*
 * Adds an emulated PASID capability at offset (0: the default) to the
 * guest-visible chain in cs: Max PASID Width = width, Execute / Privileged
 * Mode Supported from exec / priv, control register writable (Enable,
 * Execute, Privileged). The offset must be dword aligned, within
 * 0x100..0xff8 and clear of every visible capability; with an empty chain
 * only 0x100 will do. Returns the offset used, or 0 with errp set.
 */
uint16_t vfio_pasid_synthesize(VFIOConfigSpace *cs, uint16_t offset,
                               uint8_t width, bool exec, bool priv,
                               Error **errp);

/* AtomicOps (hw/vfio/pci-atomics.c) */

/* VFIO_PCI_ATOMIC_COMP* flags → root-port DEVCAP2 completer bits. */
uint32_t vfio_atomic_comp_to_devcap2(uint32_t flags);

/* The device side */

/* Config space and BARs (hw/vfio/pci-config.c) */

/* Reads the physical config space and sets up emulation and BARs. */
bool vfio_pci_config_setup(VFIOPCIDevice *vdev, Error **errp);
/* Stops decoding and bus mastering on the device (reset, realize). */
void vfio_pci_disable_decoding(VFIOPCIDevice *vdev);
uint32_t vfio_pci_read_config(PCIDevice *pdev, uint32_t addr, int len);
void vfio_pci_write_config(PCIDevice *pdev, uint32_t addr, uint32_t val,
                           int len);

/* Capabilities (hw/vfio/pci-caps.c) */

/*
 * Rebuilds the standard list, then the extended chain with the ATS
 * policy and PASID synthesis. *ats_warning (g_free) is set when the ATS
 * policy has something to say at start-up.
 */
bool vfio_pci_add_capabilities(VFIOPCIDevice *vdev, char **ats_warning,
                               Error **errp);
/* Undoes what the capabilities set up outside config space (MSI/MSI-X). */
void vfio_pci_remove_capabilities(VFIOPCIDevice *vdev);

/* AtomicOps completers on the root port (hw/vfio/pci-atomics.c) */

void vfio_pci_enable_rp_atomics(VFIOPCIDevice *vdev);
void vfio_pci_disable_rp_atomics(VFIOPCIDevice *vdev);

#endif
