/*
 * PCI core: devices with 256-byte or 4 KiB config space guarded by write,
 * write-1-to-clear and compare masks; BARs; the standard and extended
 * capability lists; buses, bridges and the IOMMU hook of a bus.
 */
#ifndef HW_PCI_PCI_H
#define HW_PCI_PCI_H

#include "hw/core/qdev.h"
#include "hw/core/qdev-properties.h"
#include "system/memory.h"
#include "hw/pci/pci_regs.h"

#define TYPE_PCI_DEVICE "pci-device"
#define TYPE_PCI_BUS "PCI"
#define TYPE_PCIE_BUS "PCIE"
#define INTERFACE_PCIE_DEVICE "pci-express-device"
#define INTERFACE_CONVENTIONAL_PCI_DEVICE "conventional-pci-device"

#define PCI_NUM_REGIONS 7 /* 6 BARs + expansion ROM */
#define PCI_ROM_SLOT 6
#define PCI_SLOT_MAX 32
#define PCI_FUNC_MAX 8
#define PCI_DEVFN(slot, func) ((((slot) & 0x1f) << 3) | ((func) & 0x07))
#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn) & 0x07)
#define PCI_BUILD_BDF(bus, devfn) (((bus) << 8) | (devfn))
#define PCI_BAR_UNMAPPED (~(uint64_t)0)
#define PCI_VENDOR_ID_REDHAT 0x1b36
#define PCI_ANY_ID (~0U)

typedef struct PCIDevice PCIDevice;
typedef struct PCIDeviceClass PCIDeviceClass;
typedef struct PCIBus PCIBus;
typedef struct PCIBusClass PCIBusClass;
typedef struct HostIOMMUDevice HostIOMMUDevice;
typedef struct PCIMSIXState PCIMSIXState;

typedef struct PCIIORegion {
    uint64_t addr; /* current guest address, PCI_BAR_UNMAPPED if none */
    uint64_t size;
    uint8_t type;  /* PCI_BASE_ADDRESS_* space/type/prefetch bits */
    MemoryRegion *memory;
    MemoryRegion *address_space; /* where it is mapped when enabled */
} PCIIORegion;

typedef void PCIConfigWriteFunc(PCIDevice *d, uint32_t addr, uint32_t val,
                                int len);
typedef uint32_t PCIConfigReadFunc(PCIDevice *d, uint32_t addr, int len);

struct PCIDeviceClass {
    DeviceClass parent_class;
    bool (*realize)(PCIDevice *dev, Error **errp);
    void (*exit)(PCIDevice *dev);
    PCIConfigReadFunc *config_read;
    PCIConfigWriteFunc *config_write;
    uint16_t vendor_id;
    uint16_t device_id;
    uint8_t revision;
    uint16_t class_id;
    uint16_t subsystem_vendor_id;
    uint16_t subsystem_id;
    bool is_bridge; /* type 1 header */
};

struct PCIDevice {
    DeviceState qdev;
    bool partially_hotplugged;
    /* Config space and its masks, each config_size bytes. */
    uint8_t *config;
    uint8_t *cmask;  /* bits checked on migration/compare (read-only ones) */
    uint8_t *wmask;  /* guest-writable bits */
    uint8_t *w1cmask; /* write-1-to-clear bits */
    uint8_t *used;   /* bytes claimed by a capability (overlap checks) */
    uint32_t config_size;
    int32_t devfn; /* property "addr"; -1 = first free slot */
    char name[64];
    PCIIORegion io_regions[PCI_NUM_REGIONS];
    AddressSpace bus_master_as; /* DMA as seen by this device */
    MemoryRegion bus_master_container_region;
    MemoryRegion bus_master_enable_region; /* disabled while !BME */
    uint32_t cap_present; /* QEMU_PCI_CAP_* flags */
    uint8_t msi_cap;
    uint8_t msix_cap;
    uint16_t exp_cap;  /* offset of the PCI Express capability, 0 if none */
    uint16_t pasid_cap; /* offset of a PASID ext capability, 0 if none */
    uint16_t ats_cap;
    uint32_t rom_bar;
    bool multifunction;
    qemu_irq irq;
    uint8_t irq_state;
    PCIMSIXState *msix; /* table and PBA state (hw/pci/msix.h) */
    char *romfile;
    uint32_t acpi_index;
    MemoryRegion rom;
};

#define QEMU_PCI_CAP_MULTIFUNCTION (1 << 0)
#define QEMU_PCI_CAP_EXPRESS (1 << 1)
#define QEMU_PCI_CAP_MSI (1 << 2)
#define QEMU_PCI_CAP_MSIX (1 << 3)

#define PCI_DEVICE(obj) OBJECT_CHECK(PCIDevice, (obj), TYPE_PCI_DEVICE)
#define PCI_DEVICE_CLASS(klass)                                                \
    OBJECT_CLASS_CHECK(PCIDeviceClass, (klass), TYPE_PCI_DEVICE)
#define PCI_DEVICE_GET_CLASS(obj)                                              \
    OBJECT_GET_CLASS(PCIDeviceClass, (obj), TYPE_PCI_DEVICE)
#define PCI_BUS(obj) OBJECT_CHECK(PCIBus, (obj), TYPE_PCI_BUS)
#define PCI_BUS_CLASS(klass)                                                   \
    OBJECT_CLASS_CHECK(PCIBusClass, (klass), TYPE_PCI_BUS)
#define PCI_BUS_GET_CLASS(obj)                                                 \
    OBJECT_GET_CLASS(PCIBusClass, (obj), TYPE_PCI_BUS)

/*
 * What a vIOMMU offers the devices of a bus (as QEMU's PCIIOMMUOps): vfio
 * and the vIOMMU never call each other directly; vfio asks its bus.
 */
typedef struct PCIIOMMUOps {
    /* DMA address space of (bus, devfn) behind this vIOMMU. */
    AddressSpace *(*get_address_space)(PCIBus *bus, void *opaque, int devfn);
    /* VIOMMU_FLAG_* bits (include/hw/core/iommu.h). */
    uint64_t (*get_viommu_flags)(void *opaque);
    /* Hands the host IOMMU device of an assigned device to the vIOMMU; a
     * refusal (errp) fails the device's realize. */
    bool (*set_iommu_device)(PCIBus *bus, void *opaque, int devfn,
                             HostIOMMUDevice *hiod, Error **errp);
    void (*unset_iommu_device)(PCIBus *bus, void *opaque, int devfn);
    /* Lets a vIOMMU refuse a device before realize (accel SMMU rules). */
    bool (*check_device)(PCIBus *bus, void *opaque, PCIDevice *dev,
                         Error **errp);
} PCIIOMMUOps;

struct PCIBusClass {
    BusClass parent_class;
    bool (*is_root)(PCIBus *bus);
    int (*bus_num)(PCIBus *bus);
    uint16_t (*numa_node)(PCIBus *bus);
};

struct PCIBus {
    BusState qbus;
    PCIDevice *devices[PCI_SLOT_MAX * PCI_FUNC_MAX];
    PCIDevice *parent_dev; /* the bridge providing this bus; NULL for root */
    MemoryRegion *address_space_mem;
    MemoryRegion *address_space_io;
    const PCIIOMMUOps *iommu_ops;
    void *iommu_opaque;
    bool iommu_per_bus; /* ops registered for this bus only */
    QLIST_HEAD(, PCIBus) child; /* secondary buses */
    QLIST_ENTRY(PCIBus) sibling;
    bool is_express;
    bool is_root; /* pcie.0 or a pxb-pcie root bus */
    uint8_t root_bus_nr; /* first bus number for pxb root buses */
    uint16_t numa_node;
    uint8_t devfn_min;  /* first devfn automatic placement may use */
    bool bypass_iommu;  /* devices below this root bus bypass any vIOMMU */
};

/* Bus creation (host bridges and expanders create root buses). */
PCIBus *pci_root_bus_new(DeviceState *parent, const char *name,
                         MemoryRegion *mem, MemoryRegion *io,
                         uint8_t devfn_min, const char *typename);
bool pci_bus_is_root(PCIBus *bus);
/* A root bus hanging off another one (pxb-pcie): the bus it hangs off. */
PCIBus *pci_bus_expander_parent(PCIBus *bus);
bool pci_bus_is_express(PCIBus *bus);
int pci_bus_num(PCIBus *bus); /* secondary bus number as programmed */
PCIBus *pci_get_bus(const PCIDevice *dev);
PCIBus *pci_device_root_bus(const PCIDevice *dev);
/* Finds the device at a bus number/devfn by walking from a root bus. */
PCIDevice *pci_find_device(PCIBus *root, int bus_num, uint8_t devfn);
/* The bus numbered bus_num below root (bridges route by secondary ..
 * subordinate, expander root buses by their first number), or NULL. */
PCIBus *pci_find_bus_nr(PCIBus *root, int bus_num);
/* Root buses in the order host bridges and expanders created them. */
GSList *pci_root_bus_list(void);
/* Back to power-on state: command, BARs, status and interrupt state;
 * subclasses call it first from their own reset. */
void pci_device_reset(PCIDevice *dev);
/* Config access used by host bridges (ECAM / 0xcf8). Out-of-range or
 * absent functions read all-ones and drop writes. */
void pci_host_config_write(PCIBus *root, uint32_t bdf, uint32_t addr,
                           uint32_t val, int len);
uint32_t pci_host_config_read(PCIBus *root, uint32_t bdf, uint32_t addr,
                              int len);
void pci_for_each_device(PCIBus *bus, void (*fn)(PCIBus *b, PCIDevice *d,
                                                 void *opaque),
                         void *opaque);

/* vIOMMU registration on a bus: covers the whole hierarchy below, or only
 * this bus when per_bus (arm-smmuv3 smmu_per_bus). Fails if the bus
 * already has an IOMMU ("An iommu is already attached to this bus"). */
bool pci_setup_iommu(PCIBus *bus, const PCIIOMMUOps *ops, void *opaque,
                     bool per_bus, Error **errp);
/* The vIOMMU serving dev, with the bus and devfn it sees for it (devices
 * behind conventional bridges alias to the bridge). NULL ops: none. */
bool pci_device_get_iommu_bus_devfn(PCIDevice *dev, PCIBus **piommu_bus,
                                    PCIBus **aliased_bus, int *aliased_devfn,
                                    const PCIIOMMUOps **ops, void **opaque);
AddressSpace *pci_device_iommu_address_space(PCIDevice *dev);
uint64_t pci_device_get_viommu_flags(PCIDevice *dev);
bool pci_device_set_iommu_device(PCIDevice *dev, HostIOMMUDevice *hiod,
                                 Error **errp);
void pci_device_unset_iommu_device(PCIDevice *dev);

/* Config space access with masks */
uint32_t pci_default_read_config(PCIDevice *d, uint32_t addr, int len);
void pci_default_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                              int len);

static inline void pci_set_byte(uint8_t *config, uint8_t val)
{
    *config = val;
}
static inline uint8_t pci_get_byte(const uint8_t *config)
{
    return *config;
}
static inline void pci_set_word(uint8_t *config, uint16_t val)
{
    config[0] = val;
    config[1] = val >> 8;
}
static inline uint16_t pci_get_word(const uint8_t *config)
{
    return config[0] | (config[1] << 8);
}
static inline void pci_set_long(uint8_t *config, uint32_t val)
{
    pci_set_word(config, val);
    pci_set_word(config + 2, val >> 16);
}
static inline uint32_t pci_get_long(const uint8_t *config)
{
    return pci_get_word(config) | ((uint32_t)pci_get_word(config + 2) << 16);
}
static inline void pci_set_quad(uint8_t *config, uint64_t val)
{
    pci_set_long(config, val);
    pci_set_long(config + 4, val >> 32);
}
static inline uint64_t pci_get_quad(const uint8_t *config)
{
    return pci_get_long(config) | ((uint64_t)pci_get_long(config + 4) << 32);
}
/* Set/clear bits of a value in config (and the same for masks). */
static inline void pci_word_test_and_set_mask(uint8_t *config, uint16_t mask)
{
    pci_set_word(config, pci_get_word(config) | mask);
}
static inline void pci_word_test_and_clear_mask(uint8_t *config,
                                                uint16_t mask)
{
    pci_set_word(config, pci_get_word(config) & ~mask);
}
static inline void pci_long_test_and_set_mask(uint8_t *config, uint32_t mask)
{
    pci_set_long(config, pci_get_long(config) | mask);
}
static inline void pci_long_test_and_clear_mask(uint8_t *config,
                                                uint32_t mask)
{
    pci_set_long(config, pci_get_long(config) & ~mask);
}

/* BARs */
void pci_register_bar(PCIDevice *dev, int region_num, uint8_t type,
                      MemoryRegion *memory);
uint64_t pci_get_bar_addr(PCIDevice *dev, int region_num);
/* Re-evaluates BAR mappings after a config write (command/BAR change). */
void pci_update_mappings(PCIDevice *dev);

/* Standard capability list. offset 0 = first free dword-aligned place
 * after 0x40. Fails on overlap with another capability. Returns the
 * offset or a negative value with errp set. */
int pci_add_capability(PCIDevice *pdev, uint8_t cap_id, uint8_t offset,
                       uint8_t size, Error **errp);
void pci_del_capability(PCIDevice *pdev, uint8_t cap_id, uint8_t size);
uint8_t pci_find_capability(PCIDevice *pdev, uint8_t cap_id);

/*
 * Extended capability list (PCIe config space only).
 * pcie_add_capability appends at offset (which must be free, dword
 * aligned, >= 0x100 and fit below 0x1000). pcie_insert_capability links a
 * capability at a given offset into the existing chain, refusing offsets
 * inside another capability or overlapping one. pcie_remove_capability
 * unlinks by relinking the predecessor; the capability at 0x100 becomes a
 * null header (ID 0) linking to its successor, or an empty chain (0).
 * find/foreach skip null headers.
 */
bool pcie_add_capability(PCIDevice *dev, uint16_t cap_id, uint8_t cap_ver,
                         uint16_t offset, uint16_t size, Error **errp);
bool pcie_insert_capability(PCIDevice *dev, uint16_t cap_id, uint8_t cap_ver,
                            uint16_t offset, uint16_t size, Error **errp);
void pcie_remove_capability(PCIDevice *dev, uint16_t cap_id);
uint16_t pcie_find_capability(PCIDevice *dev, uint16_t cap_id);
/* Calls fn(offset, id, version) along the chain from 0x100 (loop-safe). */
void pcie_foreach_capability(PCIDevice *dev,
                             void (*fn)(PCIDevice *dev, uint16_t offset,
                                        uint16_t id, uint8_t ver,
                                        void *opaque),
                             void *opaque);

/* Requester ID: bus number << 8 | devfn. */
uint16_t pci_requester_id(PCIDevice *dev);

/* Interrupt pin (INTx) level. */
void pci_set_irq(PCIDevice *dev, int level);

/* Is dev an express device placed on an express bus. */
bool pci_is_express(const PCIDevice *dev);
bool pci_is_express_downstream_port(const PCIDevice *dev);

/* Walks from dev up to its root bus; returns the root port above it, if
 * any (PCIe root port type), else NULL. */
PCIDevice *pcie_find_root_port(PCIDevice *dev);

#endif
