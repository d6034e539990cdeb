/*
 * The x86 "q35" board: the abstract pc-q35-machine type with its board
 * properties, the init sequence, and the versioned pc-q35-X.Y types.
 */
#include "qemu/osdep.h"
#include "hw/board-props.h"
#include "hw/i386/pc.h"

/* How much RAM goes below 4 GiB; the rest is mapped from 4 GiB. */
static uint64_t pc_q35_lowmem(PCMachineState *pcms, uint64_t ram_size)
{
    uint64_t lowmem = ram_size >= PC_Q35_LOWMEM_SMALL ? PC_Q35_LOWMEM_LARGE
                                                      : PC_Q35_LOWMEM_SMALL;

    if (pcms->max_ram_below_4g && pcms->max_ram_below_4g < lowmem) {
        lowmem = pcms->max_ram_below_4g;
    }
    return MIN(ram_size, lowmem);
}

static bool pc_q35_check(PCMachineState *pcms, Error **errp)
{
    if (pcms->max_ram_below_4g > PC_HIGHMEM_BASE) {
        error_setg(errp, "max-ram-below-4g cannot be larger than 4G");
        return false;
    }
    return true;
}

static bool pc_q35_map_ram(PCMachineState *pcms, Error **errp)
{
    MachineState *ms = MACHINE(pcms);
    uint64_t below, above;

    if (!machine_create_ram(ms, errp)) {
        return false;
    }
    below = pc_q35_lowmem(pcms, ms->ram_size);
    above = ms->ram_size - below;
    memory_region_init_alias(&pcms->ram_below_4g, OBJECT(ms), "ram-below-4g",
                             ms->ram, 0, below);
    memory_region_add_subregion(get_system_memory(), 0, &pcms->ram_below_4g);
    if (above) {
        memory_region_init_alias(&pcms->ram_above_4g, OBJECT(ms),
                                 "ram-above-4g", ms->ram, below, above);
        memory_region_add_subregion(get_system_memory(), PC_HIGHMEM_BASE,
                                    &pcms->ram_above_4g);
    }
    return true;
}

static void pc_q35_init(MachineState *ms)
{
    PCMachineState *pcms = PC_MACHINE(ms);
    Error *err = NULL;

    if (!pc_q35_check(pcms, &err) || !pc_q35_map_ram(pcms, &err) ||
        !pc_q35_pci_init(pcms, &err)) {
        error_report_err(err);
        exit(1);
    }
}

#define PC_FIELD(f) offsetof(PCMachineState, f)

static void pc_q35_add_properties(ObjectClass *oc)
{
    board_prop_add_on_off_auto(oc, "acpi", PC_FIELD(acpi), ON_OFF_AUTO_AUTO,
                               "Enable ACPI");
    board_prop_add_on_off_auto(oc, "smm", PC_FIELD(smm), ON_OFF_AUTO_AUTO,
                               "Enable SMM");
    board_prop_add_on_off_auto(oc, "vmport", PC_FIELD(vmport),
                               ON_OFF_AUTO_AUTO,
                               "Enable vmport (pc & q35)");
    board_prop_add_bool(oc, "hpet", PC_FIELD(hpet), true,
                        "Enable the HPET");
    board_prop_add_bool(oc, "pit", PC_FIELD(pit), true, "Enable the i8254 PIT");
    board_prop_add_bool(oc, "sata", PC_FIELD(sata), true,
                        "Enable the SATA controller");
    board_prop_add_bool(oc, "smbus", PC_FIELD(smbus), true,
                        "Enable the SMBus controller");
    board_prop_add_bool(oc, "i8042", PC_FIELD(i8042), true,
                        "Enable the i8042 keyboard controller");
    board_prop_add_bool(oc, "default-bus-bypass-iommu",
                        PC_FIELD(default_bus_bypass_iommu), false,
                        "Set on/off to enable/disable bypass_iommu for "
                        "default root bus");
    board_prop_add_size(oc, "max-ram-below-4g", PC_FIELD(max_ram_below_4g), 0,
                        "Maximum RAM below the 4G boundary (32bit boundary)");
}

static void pc_q35_class_init(ObjectClass *oc, const void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->family = "pc_q35";
    mc->init = pc_q35_init;
    mc->max_cpus = 4096;
    mc->default_cpus = 1;
    mc->default_cpu_type = "qemu64";
    mc->default_ram_size = PC_DEFAULT_RAM_SIZE;
    mc->default_ram_id = "pc.ram";
    mc->numa_mem_supported = true;
    mc->acpi_default = true;
    pc_q35_add_properties(oc);
}

static const TypeInfo pc_q35_machine_info = {
    .name = TYPE_PC_Q35_MACHINE,
    .parent = TYPE_MACHINE,
    .abstract = true,
    .instance_size = sizeof(PCMachineState),
    .class_size = sizeof(PCMachineClass),
    .class_init = pc_q35_class_init,
};

static void pc_q35_register_types(void)
{
    type_register_static(&pc_q35_machine_info);
}

type_init(pc_q35_register_types)

static void pc_q35_machine_11_2_options(MachineClass *mc)
{
}
DEFINE_Q35_MACHINE_AS_LATEST(11, 2)

/* pc_compat_11_1 and pc_compat_11_0 are empty: only the generic tables. */
static void pc_q35_machine_11_1_options(MachineClass *mc)
{
    pc_q35_machine_11_2_options(mc);
    compat_props_add(mc->compat_props, hw_compat_11_1, hw_compat_11_1_len);
}
DEFINE_Q35_MACHINE(11, 1)

static void pc_q35_machine_11_0_options(MachineClass *mc)
{
    pc_q35_machine_11_1_options(mc);
    compat_props_add(mc->compat_props, hw_compat_11_0, hw_compat_11_0_len);
}
DEFINE_Q35_MACHINE(11, 0)
