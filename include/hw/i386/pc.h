/*
 * The x86 "q35" board: versioned machine types pc-q35-X.Y (alias "q35"
 * for the newest) under the abstract type "pc-q35-machine". There is no
 * i440fx ("pc") board.
 *
 * RAM is split as QEMU's q35 splits it: the low part at 0 (up to
 * 0x80000000 when RAM reaches 0xb0000000, else up to 0xb0000000, or
 * max-ram-below-4g) and the rest from 4 GiB.
 */
#ifndef HW_I386_PC_H
#define HW_I386_PC_H

#include "hw/boards.h"
#include "hw/core/qdev-properties.h"

#define TYPE_PC_Q35_MACHINE MACHINE_TYPE_NAME("pc-q35")

#define PC_DEFAULT_RAM_SIZE (128 * MiB)
#define PC_Q35_LOWMEM_SMALL 0xb0000000ULL
#define PC_Q35_LOWMEM_LARGE 0x80000000ULL
#define PC_HIGHMEM_BASE (4 * GiB)

typedef struct PCMachineState {
    MachineState parent_obj;
    OnOffAuto acpi;
    OnOffAuto smm;
    OnOffAuto vmport;
    bool hpet;
    bool pit;
    bool sata;
    bool smbus;
    bool i8042;
    bool default_bus_bypass_iommu;
    uint64_t max_ram_below_4g; /* 0: the board's choice */
    MemoryRegion ram_below_4g;
    MemoryRegion ram_above_4g;
} PCMachineState;

typedef struct PCMachineClass {
    MachineClass parent_class;
} PCMachineClass;

#define PC_MACHINE(obj) OBJECT_CHECK(PCMachineState, (obj), TYPE_PC_Q35_MACHINE)

/* The q35 host with pcie.0, the MCH and its ECAM (hw/i386/q35-pci.c). */
bool pc_q35_pci_init(PCMachineState *pcms, Error **errp);

/*
 * Registers pc-q35-MAJOR.MINOR from pc_q35_machine_MAJOR_MINOR_options(),
 * which chains to the next newer version and adds its compat tables.
 */
#define DEFINE_Q35_MACHINE_IMPL(latest, major, minor)                          \
    static void pc_q35_##major##_##minor##_class_options(MachineClass *mc)    \
    {                                                                          \
        pc_q35_machine_##major##_##minor##_options(mc);                        \
        mc->desc = "Standard PC (Q35 + ICH9, 2009)";                           \
    }                                                                          \
    static void __attribute__((constructor))                                   \
    pc_q35_register_##major##_##minor(void)                                    \
    {                                                                          \
        machine_type_register_version(                                         \
            TYPE_PC_Q35_MACHINE, "pc-q35-" #major "." #minor,                  \
            (latest) ? "q35" : NULL, (latest),                                 \
            pc_q35_##major##_##minor##_class_options);                         \
    }
#define DEFINE_Q35_MACHINE_AS_LATEST(major, minor)                             \
    DEFINE_Q35_MACHINE_IMPL(true, major, minor)
#define DEFINE_Q35_MACHINE(major, minor)                                       \
    DEFINE_Q35_MACHINE_IMPL(false, major, minor)

#endif
