/*
 * Machines: the base class, versioned machine types and compat tables.
 *
 * A machine type's QOM name is "<name>-machine" (e.g. "virt-11.2-machine");
 * users name it by mc->name ("virt-11.2") or mc->alias ("virt").
 *
 * Compat tables chain: the options function of version X.Y calls the one of
 * the next newer version, then appends hw_compat_X_Y (and any family
 * table), so an older machine applies every later table. An entry means
 * "restore the behaviour of X.Y and earlier". The newest machine has none.
 */
#ifndef HW_BOARDS_H
#define HW_BOARDS_H

#include "qom/object.h"
#include "hw/core/qdev.h"
#include "system/memory.h"

#define TYPE_MACHINE_SUFFIX "-machine"
#define TYPE_MACHINE "machine"
#define MACHINE_TYPE_NAME(machinename) (machinename TYPE_MACHINE_SUFFIX)

typedef struct MachineState MachineState;
typedef struct MachineClass MachineClass;

#define MACHINE(obj) OBJECT_CHECK(MachineState, (obj), TYPE_MACHINE)
#define MACHINE_CLASS(klass)                                                   \
    OBJECT_CLASS_CHECK(MachineClass, (klass), TYPE_MACHINE)
#define MACHINE_GET_CLASS(obj)                                                 \
    OBJECT_GET_CLASS(MachineClass, (obj), TYPE_MACHINE)

typedef struct SMPConfiguration {
    unsigned cpus, maxcpus, sockets, dies, clusters, cores, threads;
} SMPConfiguration;

#define MAX_NODES 128
typedef struct NodeInfo {
    bool present;
    uint64_t node_mem;
    char *memdev_id;    /* memory backend id, or NULL */
    Object *memdev;
    GArray *cpus;       /* unsigned cpu indexes */
    int initiator;
} NodeInfo;

typedef struct NumaState {
    int num_nodes;
    NodeInfo nodes[MAX_NODES];
} NumaState;

struct MachineClass {
    ObjectClass parent_class;
    const char *family; /* "virt", "pc_q35": groups versions */
    const char *name;   /* "virt-11.2" */
    const char *alias;  /* "virt" for the newest */
    const char *desc;
    bool is_default;
    const char *deprecation_reason;
    void (*init)(MachineState *ms); /* board devices, memory map, buses */
    void (*reset)(MachineState *ms);
    HotplugHandler *(*get_hotplug_handler)(MachineState *ms,
                                           DeviceState *dev);
    int max_cpus;
    int min_cpus;
    int default_cpus;
    const char *default_cpu_type;
    const char **valid_cpu_types; /* NULL-terminated; NULL: any */
    uint64_t default_ram_size;
    const char *default_ram_id; /* "mach-virt.ram", "pc.ram" */
    bool numa_mem_supported;
    bool has_hotpluggable_cpus;
    bool acpi_default;
    bool no_user_devices_default;
    GPtrArray *compat_props; /* GlobalProperty* */
};

struct MachineState {
    Object parent_obj;
    char *accel;            /* "qtest" */
    uint64_t ram_size;
    char *ram_memdev_id;    /* -machine memory-backend= */
    MemoryRegion *ram;      /* the backend's region, mapped by the board */
    char *cpu_type;
    SMPConfiguration smp;
    NumaState numa;
    char *dumpdtb;
    char *firmware;         /* -bios */
    bool dump_guest_core;
    bool mem_merge;
    bool usb;
    char *boot_order;
    DeviceState *machine_created_done_placeholder;
    bool enable_graphics;
    bool suppress_vmdesc;
    char *kernel_filename;  /* recorded, not loaded (no guest CPUs) */
    char *initrd_filename;
    char *kernel_cmdline;
    char *dtb;
    MemoryRegion *numa_ram; /* "ram" container over -numa memdevs */
};

/* Compat tables: hw_compat_X_Y[] applies to machines <= X.Y. */
extern GlobalProperty hw_compat_11_1[];
extern const size_t hw_compat_11_1_len;
extern GlobalProperty hw_compat_11_0[];
extern const size_t hw_compat_11_0_len;

void compat_props_add(GPtrArray *arr, GlobalProperty props[], size_t nelem);

/*
 * The running machine (NULL before creation): the one set with
 * machine_set_current(), else the machine object found at /machine.
 * Setting it also installs its compat properties and puts the main
 * system bus under /machine/unattached.
 */
MachineState *qdev_get_machine(void);
MachineState *current_machine_get(void);
void machine_set_current(MachineState *ms);

/* Finds a machine class by name or alias; NULL if none. */
MachineClass *find_machine_class(const char *name);
MachineClass *find_default_machine_class(void);
GSList *machine_class_list_sorted(void); /* newest version first */

/* Help output for "-machine help". */
void machine_print_help(void);
/* Help output for "-machine TYPE,help". */
bool machine_print_properties(const char *name, Error **errp);

/*
 * Board-level helpers. machine_create_ram sets ms->ram: the region of the
 * memory-backend named by ram_memdev_id (its size must equal ram_size),
 * or a "ram" container over the -numa memdevs, or else a default
 * memory-backend-ram created as /objects/<default_ram_id>. Each backend
 * is marked mapped. machine_numa_validate checks the -numa nodes: ids
 * without gaps, memdev on all nodes or none, CPUs below maxcpus, and the
 * node memory summing to ram_size.
 */
bool machine_create_ram(MachineState *ms, Error **errp);
bool machine_numa_validate(MachineState *ms, Error **errp);

/*
 * Defines machine type versions. Example:
 *
 *   static void virt_machine_11_1_options(MachineClass *mc)
 *   {
 *       virt_machine_11_2_options(mc);
 *       compat_props_add(mc->compat_props, hw_compat_11_1,
 *                        hw_compat_11_1_len);
 *   }
 *   DEFINE_VIRT_MACHINE(11, 1)
 *
 * Each family header provides its own DEFINE_<FAMILY>_MACHINE macro on top
 * of machine_type_register_version().
 */
void machine_type_register_version(const char *family_type,
                                   const char *name, const char *alias,
                                   bool is_default,
                                   void (*options)(MachineClass *mc));

#endif
