/*
 * The Arm "virt" board: the abstract virt-machine type with its board
 * properties, the init sequence, and the versioned virt-X.Y types.
 */
#include "qemu/osdep.h"
#include "hw/arm/virt.h"
#include "hw/board-props.h"

static const char *const virt_gic_versions[] = {"2", "3", "4", "host", "max",
                                                NULL};
static const char *const virt_iommu_types[] = {"none", "smmuv3", NULL};

static bool virt_check_ram(MachineState *ms, Error **errp)
{
    if (ms->ram_size > VIRT_RAM_LIMIT - VIRT_RAM_BASE) {
        error_setg(errp, "mach-virt: cannot model more than %" PRIu64
                   "GB RAM",
                   (uint64_t)((VIRT_RAM_LIMIT - VIRT_RAM_BASE) / GiB));
        return false;
    }
    return true;
}

static bool virt_check_highmem_mmio(VirtMachineState *vms, Error **errp)
{
    uint64_t size = vms->highmem_mmio_size;

    if (size & (size - 1)) {
        error_setg(errp, "highmem-mmio-size is not a power of 2");
        return false;
    }
    if (size < VIRT_HIGHMEM_MMIO_SIZE_DEFAULT) {
        error_setg(errp, "highmem-mmio-size cannot be set to a lower value "
                   "than the default (512 GiB)");
        return false;
    }
    return true;
}

static bool virt_map_ram(MachineState *ms, Error **errp)
{
    if (!machine_create_ram(ms, errp)) {
        return false;
    }
    memory_region_add_subregion(get_system_memory(), VIRT_RAM_BASE, ms->ram);
    return true;
}

static void virt_machine_init(MachineState *ms)
{
    VirtMachineState *vms = VIRT_MACHINE(ms);
    Error *err = NULL;

    if (!virt_check_ram(ms, &err) || !virt_check_highmem_mmio(vms, &err) ||
        !virt_map_ram(ms, &err) || !virt_pci_init(vms, &err) ||
        !virt_smmu_init(vms, &err)) {
        error_report_err(err);
        exit(1);
    }
    virt_fdt_setup(vms);
}

#define VIRT_FIELD(f) offsetof(VirtMachineState, f)

static void virt_add_properties(ObjectClass *oc)
{
    board_prop_add_choice(oc, "gic-version", VIRT_FIELD(gic_version),
                          virt_gic_versions, VIRT_GIC_VERSION_3,
                          "Set GIC version (2, 3, 4, host or max)");
    board_prop_add_choice(oc, "iommu", VIRT_FIELD(iommu), virt_iommu_types,
                          VIRT_IOMMU_NONE,
                          "Set the machine-wide IOMMU type (none, smmuv3)");
    board_prop_add_on_off_auto(oc, "acpi", VIRT_FIELD(acpi), ON_OFF_AUTO_AUTO,
                               "Enable ACPI");
    board_prop_add_bool(oc, "ras", VIRT_FIELD(ras), false,
                        "Set on/off to enable/disable reporting host memory "
                        "errors to a KVM guest using ACPI and guest external "
                        "abort exceptions");
    board_prop_add_bool(oc, "highmem", VIRT_FIELD(highmem), true,
                        "Set on/off to enable/disable using physical address "
                        "space above 32 bits");
    board_prop_add_size(oc, "highmem-mmio-size",
                        VIRT_FIELD(highmem_mmio_size),
                        VIRT_HIGHMEM_MMIO_SIZE_DEFAULT,
                        "Set the high memory region size for PCI MMIO");
    board_prop_add_bool(oc, "its", VIRT_FIELD(its), true,
                        "Set on/off to enable/disable ITS instantiation");
    board_prop_add_bool(oc, "secure", VIRT_FIELD(secure), false,
                        "Set on/off to enable/disable the ARM Security "
                        "Extensions (TrustZone)");
    board_prop_add_bool(oc, "virtualization", VIRT_FIELD(virtualization),
                        false,
                        "Set on/off to enable/disable emulating a guest CPU "
                        "which implements the ARM Virtualization Extensions");
    board_prop_add_bool(oc, "default-bus-bypass-iommu",
                        VIRT_FIELD(default_bus_bypass_iommu), false,
                        "Set on/off to enable/disable bypass_iommu for "
                        "default root bus");
}

static void virt_machine_class_init(ObjectClass *oc, const void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->family = "virt";
    mc->init = virt_machine_init;
    mc->max_cpus = 512;
    mc->default_cpus = 1;
    mc->default_cpu_type = "cortex-a15";
    mc->default_ram_size = VIRT_DEFAULT_RAM_SIZE;
    mc->default_ram_id = "mach-virt.ram";
    mc->numa_mem_supported = true;
    mc->acpi_default = true;
    virt_add_properties(oc);
}

static const TypeInfo virt_machine_info = {
    .name = TYPE_VIRT_MACHINE,
    .parent = TYPE_MACHINE,
    .abstract = true,
    .instance_size = sizeof(VirtMachineState),
    .class_size = sizeof(VirtMachineClass),
    .class_init = virt_machine_class_init,
};

static void virt_machine_register_types(void)
{
    type_register_static(&virt_machine_info);
}

type_init(virt_machine_register_types)

static void virt_machine_11_2_options(MachineClass *mc)
{
}
DEFINE_VIRT_MACHINE_AS_LATEST(11, 2)

static void virt_machine_11_1_options(MachineClass *mc)
{
    virt_machine_11_2_options(mc);
    compat_props_add(mc->compat_props, hw_compat_11_1, hw_compat_11_1_len);
}
DEFINE_VIRT_MACHINE(11, 1)

static void virt_machine_11_0_options(MachineClass *mc)
{
    virt_machine_11_1_options(mc);
    compat_props_add(mc->compat_props, hw_compat_11_0, hw_compat_11_0_len);
}
DEFINE_VIRT_MACHINE(11, 0)
