/*
 * The machine base class: common -machine properties, the current machine,
 * versioned machine types and their lookup.
 */
#include "qemu/osdep.h"
#include "hw/boards.h"
#include "core-internal.h"

static MachineState *current_machine;

/* Field-backed class properties: opaque is the field's offset. */

static void *machine_field(Object *obj, ObjectProperty *prop)
{
    return (char *)obj + GPOINTER_TO_SIZE(prop->opaque);
}

static JsonNode *machine_get_str(Object *obj, ObjectProperty *prop,
                                 Error **errp)
{
    char *value = *(char **)machine_field(obj, prop);

    return json_node_init_string(json_node_alloc(), value ? value : "");
}

static bool machine_set_str(Object *obj, ObjectProperty *prop, JsonNode *value,
                            Error **errp)
{
    char **field = machine_field(obj, prop);
    const char *s = object_node_get_str(value, prop->name, errp);

    if (!s) {
        return false;
    }
    g_free(*field);
    *field = g_strdup(s);
    return true;
}

static void machine_release_str(Object *obj, ObjectProperty *prop)
{
    g_clear_pointer((char **)machine_field(obj, prop), g_free);
}

static JsonNode *machine_get_bool(Object *obj, ObjectProperty *prop,
                                  Error **errp)
{
    return json_node_init_boolean(json_node_alloc(),
                                  *(bool *)machine_field(obj, prop));
}

static bool machine_set_bool(Object *obj, ObjectProperty *prop, JsonNode *value,
                             Error **errp)
{
    return object_node_get_bool(value, prop->name, machine_field(obj, prop),
                                errp);
}

static void machine_add_str(ObjectClass *oc, const char *name, size_t offset,
                            const char *desc)
{
    object_class_property_add(oc, name, "str", machine_get_str, machine_set_str,
                              machine_release_str, GSIZE_TO_POINTER(offset));
    object_class_property_set_description(oc, name, desc);
}

static void machine_add_bool(ObjectClass *oc, const char *name, size_t offset,
                             bool defval, const char *desc)
{
    ObjectProperty *prop = object_class_property_add(
        oc, name, "bool", machine_get_bool, machine_set_bool, NULL,
        GSIZE_TO_POINTER(offset));

    object_class_property_set_description(oc, name, desc);
    object_property_set_default(
        prop, json_node_init_boolean(json_node_alloc(), defval));
}

#define MS_FIELD(f) offsetof(MachineState, f)

static void machine_class_init(ObjectClass *oc, const void *data)
{
    machine_add_str(oc, "memory-backend", MS_FIELD(ram_memdev_id),
                    "Set RAM backend (the id of a memory backend object)");
    machine_add_bool(oc, "usb", MS_FIELD(usb), false,
                     "Set on/off to enable/disable usb");
    machine_add_bool(oc, "dump-guest-core", MS_FIELD(dump_guest_core), true,
                     "Include guest memory in a core dump");
    machine_add_bool(oc, "mem-merge", MS_FIELD(mem_merge), true,
                     "Enable/disable memory merge support");
    machine_add_bool(oc, "graphics", MS_FIELD(enable_graphics), true,
                     "Set on/off to enable/disable graphics emulation");
    machine_add_bool(oc, "suppress-vmdesc", MS_FIELD(suppress_vmdesc), false,
                     "Set on to disable self-describing migration");
    machine_add_str(oc, "dumpdtb", MS_FIELD(dumpdtb),
                    "Dump current dtb to a file and quit");
    machine_add_str(oc, "firmware", MS_FIELD(firmware), "Firmware image");
    machine_add_str(oc, "accel", MS_FIELD(accel),
                    "Accelerator list (legacy form of -accel)");
    machine_add_str(oc, "kernel", MS_FIELD(kernel_filename),
                    "Linux kernel image file");
    machine_add_str(oc, "initrd", MS_FIELD(initrd_filename),
                    "Linux initial ramdisk file");
    machine_add_str(oc, "append", MS_FIELD(kernel_cmdline),
                    "Linux kernel command line");
    machine_add_str(oc, "dtb", MS_FIELD(dtb), "Linux kernel device tree file");
}

/* Every machine class gets its own compat list (not its parent's). */
static void machine_class_base_init(ObjectClass *oc, const void *data)
{
    MACHINE_CLASS(oc)->compat_props = g_ptr_array_new();
}

static void machine_instance_init(Object *obj)
{
    MachineState *ms = MACHINE(obj);
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    unsigned cpus = mc->default_cpus ? mc->default_cpus : 1;

    ms->ram_size = mc->default_ram_size;
    ms->cpu_type = g_strdup(mc->default_cpu_type);
    ms->smp = (SMPConfiguration){
        .cpus = cpus,
        .maxcpus = cpus,
        .sockets = cpus,
        .dies = 1,
        .clusters = 1,
        .cores = 1,
        .threads = 1,
    };
}

static void machine_finalize(Object *obj)
{
    MachineState *ms = MACHINE(obj);

    if (current_machine == ms) {
        current_machine = NULL;
    }
    for (int i = 0; i < MAX_NODES; i++) {
        if (ms->numa.nodes[i].cpus) {
            g_array_free(ms->numa.nodes[i].cpus, true);
        }
        g_free(ms->numa.nodes[i].memdev_id);
    }
    machine_release_numa_ram(ms);
    g_free(ms->cpu_type);
    g_free(ms->boot_order);
}

static const TypeInfo machine_info = {
    .name = TYPE_MACHINE,
    .parent = TYPE_OBJECT,
    .abstract = true,
    .instance_size = sizeof(MachineState),
    .class_size = sizeof(MachineClass),
    .instance_init = machine_instance_init,
    .instance_finalize = machine_finalize,
    .class_init = machine_class_init,
    .class_base_init = machine_class_base_init,
};

static void machine_register_types(void)
{
    type_register_static(&machine_info);
}

type_init(machine_register_types)

    /* The current machine */

    void machine_set_current(MachineState *ms)
{
    current_machine = ms;
    if (ms) {
        object_set_machine_compat_props(MACHINE_GET_CLASS(ms)->compat_props);
        sysbus_attach_to_machine();
    }
}

MachineState *qdev_get_machine(void)
{
    Object *obj;

    if (!current_machine) {
        obj = object_resolve_path_component(object_get_root(), "machine");
        if (obj && object_dynamic_cast(obj, TYPE_MACHINE)) {
            machine_set_current(MACHINE(obj));
        }
    }
    return current_machine;
}

MachineState *current_machine_get(void)
{
    return qdev_get_machine();
}

/* Versioned machine types */

void compat_props_add(GPtrArray *arr, GlobalProperty props[], size_t nelem)
{
    for (size_t i = 0; i < nelem; i++) {
        g_ptr_array_add(arr, &props[i]);
    }
}

typedef struct MachineVersion {
    char *name;
    char *alias;
    bool is_default;
    void (*options)(MachineClass *mc);
} MachineVersion;

static void machine_version_class_init(ObjectClass *oc, const void *data)
{
    const MachineVersion *v = data;
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->name = v->name;
    mc->alias = v->alias;
    mc->is_default = v->is_default;
    if (v->options) {
        v->options(mc);
    }
}

void machine_type_register_version(const char *family_type, const char *name,
                                   const char *alias, bool is_default,
                                   void (*options)(MachineClass *mc))
{
    /* Types live as long as the process: so does their class data. */
    MachineVersion *v = g_new0(MachineVersion, 1);
    g_autofree char *type = g_strconcat(name, TYPE_MACHINE_SUFFIX, NULL);
    TypeInfo info = {
        .name = type,
        .parent = family_type,
        .class_init = machine_version_class_init,
        .class_data = v,
    };

    v->name = g_strdup(name);
    v->alias = g_strdup(alias);
    v->is_default = is_default;
    v->options = options;
    type_register_static(&info);
}

MachineClass *find_machine_class(const char *name)
{
    g_autoptr(GSList) list = object_class_get_list(TYPE_MACHINE, false);

    if (!name) {
        return NULL;
    }
    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;

        if (g_strcmp0(mc->name, name) == 0 || g_strcmp0(mc->alias, name) == 0) {
            return mc;
        }
    }
    return NULL;
}

MachineClass *find_default_machine_class(void)
{
    g_autoptr(GSList) list = object_class_get_list(TYPE_MACHINE, false);

    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;

        if (mc->is_default) {
            return mc;
        }
    }
    return NULL;
}

/* Compares names with digit runs as numbers: "virt-9.2" < "virt-11.0". */
static int version_name_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (g_ascii_isdigit(*a) && g_ascii_isdigit(*b)) {
            char *ea, *eb;
            guint64 na = g_ascii_strtoull(a, &ea, 10);
            guint64 nb = g_ascii_strtoull(b, &eb, 10);

            if (na != nb) {
                return na < nb ? -1 : 1;
            }
            a = ea;
            b = eb;
        } else if (*a != *b) {
            return (unsigned char)*a - (unsigned char)*b;
        } else {
            a++;
            b++;
        }
    }
    return (unsigned char)*a - (unsigned char)*b;
}

/* Families alphabetically, newest version first; loose types last. */
static gint machine_class_cmp(gconstpointer pa, gconstpointer pb)
{
    const MachineClass *a = pa, *b = pb;
    int res;

    if (!a->family || !b->family) {
        if (a->family || b->family) {
            return a->family ? -1 : 1;
        }
        return g_strcmp0(a->name, b->name);
    }
    res = strcmp(a->family, b->family);
    return res ? res : version_name_cmp(b->name, a->name);
}

GSList *machine_class_list_sorted(void)
{
    GSList *list = object_class_get_list(TYPE_MACHINE, false);

    /* Only types registered as machine versions have a user-facing name. */
    for (GSList *l = list, *next; l; l = next) {
        next = l->next;
        if (!((MachineClass *)l->data)->name) {
            list = g_slist_delete_link(list, l);
        }
    }
    return g_slist_sort(list, machine_class_cmp);
}
