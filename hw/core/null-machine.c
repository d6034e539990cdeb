/*
 * The "none" machine: no board devices at all. Management tools start it
 * to probe the emulator (libvirt's capability probing uses -machine none);
 * devices and objects can still be added. RAM, when -m asks for it, sits
 * at address 0.
 */
#include "qemu/osdep.h"
#include "hw/boards.h"

static void null_machine_init(MachineState *ms)
{
    Error *err = NULL;

    if (!ms->ram_size) {
        return;
    }
    if (!machine_create_ram(ms, &err)) {
        error_report_err(err);
        exit(1);
    }
    memory_region_add_subregion(get_system_memory(), 0, ms->ram);
}

static void null_machine_class_init(ObjectClass *oc, const void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->family = "none";
    mc->name = "none";
    mc->desc = "empty machine";
    mc->init = null_machine_init;
    mc->max_cpus = 1;
    mc->default_cpus = 1;
    mc->default_ram_size = 0;
    mc->default_ram_id = "ram";
}

static const TypeInfo null_machine_types[] = {
    {
        .name = MACHINE_TYPE_NAME("none"),
        .parent = TYPE_MACHINE,
        .class_init = null_machine_class_init,
    },
};

DEFINE_TYPES(null_machine_types)
