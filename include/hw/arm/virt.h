/*
 * The Arm "virt" board: versioned machine types virt-X.Y (alias "virt"
 * for the newest) under the abstract type "virt-machine".
 *
 * Memory map (as QEMU's virt): RAM from 0x40000000. Board init is a
 * sequence of small steps (virt_machine_init) meant to be extended by
 * the PCIe host, the SMMU and the device tree.
 */
#ifndef HW_ARM_VIRT_H
#define HW_ARM_VIRT_H

#include "hw/boards.h"
#include "hw/core/qdev-properties.h"

#define TYPE_VIRT_MACHINE MACHINE_TYPE_NAME("virt")

#define VIRT_RAM_BASE 0x40000000ULL
/* RAM may extend up to the 256 GiB mark (the end of the low memory map). */
#define VIRT_RAM_LIMIT (256 * GiB)
#define VIRT_DEFAULT_RAM_SIZE (128 * MiB)
#define VIRT_HIGHMEM_MMIO_SIZE_DEFAULT (512 * GiB)

/* Fixed regions of the low memory map (QEMU's virt). */
#define VIRT_SMMU_BASE 0x09050000ULL /* machine-wide SMMUv3 (iommu=smmuv3) */
#define VIRT_SMMU_SIZE 0x20000ULL
/* Platform-bus window: user-created SMMUv3s, one VIRT_SMMU_SIZE slot each. */
#define VIRT_PLATFORM_BUS_BASE 0x0c000000ULL
#define VIRT_PLATFORM_BUS_SIZE 0x02000000ULL
#define VIRT_PCIE_MMIO_BASE 0x10000000ULL
#define VIRT_PCIE_MMIO_SIZE 0x2eff0000ULL
#define VIRT_PCIE_PIO_BASE 0x3eff0000ULL
#define VIRT_PCIE_PIO_SIZE 0x10000ULL
#define VIRT_PCIE_ECAM_BASE 0x3f000000ULL /* 16 buses, highmem=off */
#define VIRT_PCIE_ECAM_SIZE 0x01000000ULL
/* High regions follow from 256 GiB, each aligned to its size. */
#define VIRT_HIGH_REGIONS_BASE (256 * GiB)
#define VIRT_HIGH_GIC_REDIST2_SIZE (64 * MiB)
#define VIRT_HIGH_PCIE_ECAM_SIZE (256 * MiB)

typedef enum VirtGICVersion {
    VIRT_GIC_VERSION_2,
    VIRT_GIC_VERSION_3,
    VIRT_GIC_VERSION_4,
    VIRT_GIC_VERSION_HOST,
    VIRT_GIC_VERSION_MAX,
} VirtGICVersion;

typedef enum VirtIOMMUType {
    VIRT_IOMMU_NONE,
    VIRT_IOMMU_SMMUV3,
} VirtIOMMUType;

typedef struct VirtMachineState {
    MachineState parent_obj;
    int gic_version;  /* VirtGICVersion */
    int iommu;        /* VirtIOMMUType: the legacy machine-wide SMMUv3 */
    OnOffAuto acpi;
    bool ras;
    bool highmem;
    uint64_t highmem_mmio_size;
    bool its;
    bool secure;
    bool virtualization;
    bool default_bus_bypass_iommu;
    struct PCIBus *pci_bus; /* pcie.0, set by virt_pci_init */
} VirtMachineState;

typedef struct VirtMachineClass {
    MachineClass parent_class;
} VirtMachineClass;

#define VIRT_MACHINE(obj)                                                      \
    OBJECT_CHECK(VirtMachineState, (obj), TYPE_VIRT_MACHINE)

/* Where the PCIe host's windows are for this machine's options. */
typedef struct VirtPCIELayout {
    hwaddr ecam_base;
    uint64_t ecam_size; /* 1 MiB per bus */
    hwaddr mmio_base;
    uint64_t mmio_size;
    hwaddr pio_base;
    uint64_t pio_size;
    hwaddr high_mmio_base;
    uint64_t high_mmio_size; /* 0 with highmem=off */
} VirtPCIELayout;
void virt_pcie_layout(const VirtMachineState *vms, VirtPCIELayout *l);
/* The gpex host with pcie.0 and its windows (hw/arm/virt-pci.c). */
bool virt_pci_init(VirtMachineState *vms, Error **errp);
/* The machine-wide SMMUv3 (iommu=smmuv3) and, at machine-init-done, the
 * slots of user-created ones (hw/arm/virt-smmu.c). */
bool virt_smmu_init(VirtMachineState *vms, Error **errp);
/* Calls fn for each mapped SMMUv3, machine-wide first, then in creation
 * order, with its MMIO base and primary bus. */
void virt_smmu_foreach(void (*fn)(hwaddr base, struct PCIBus *bus,
                                  void *opaque),
                       void *opaque);
/* -machine dumpdtb=FILE: once the machine is complete, writes the device
 * tree and exits (hw/arm/virt-fdt.c). */
void virt_fdt_setup(VirtMachineState *vms);
/* The device tree blob (g_free it); *size is its length. */
void *virt_fdt_build(VirtMachineState *vms, int *size, Error **errp);

/*
 * Registers virt-MAJOR.MINOR from virt_machine_MAJOR_MINOR_options(), which
 * chains to the next newer version's options and adds its compat table.
 */
#define DEFINE_VIRT_MACHINE_IMPL(latest, major, minor)                         \
    static void virt_##major##_##minor##_class_options(MachineClass *mc)      \
    {                                                                          \
        virt_machine_##major##_##minor##_options(mc);                          \
        mc->desc = "QEMU " #major "." #minor " ARM Virtual Machine";           \
    }                                                                          \
    static void __attribute__((constructor))                                   \
    virt_register_##major##_##minor(void)                                      \
    {                                                                          \
        machine_type_register_version(                                         \
            TYPE_VIRT_MACHINE, "virt-" #major "." #minor,                      \
            (latest) ? "virt" : NULL, (latest),                                \
            virt_##major##_##minor##_class_options);                           \
    }
#define DEFINE_VIRT_MACHINE_AS_LATEST(major, minor)                            \
    DEFINE_VIRT_MACHINE_IMPL(true, major, minor)
#define DEFINE_VIRT_MACHINE(major, minor)                                      \
    DEFINE_VIRT_MACHINE_IMPL(false, major, minor)

#endif
