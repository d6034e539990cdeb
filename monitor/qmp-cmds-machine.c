/*
 * Machine and target queries: query-machines, query-target, query-kvm.
 */
#include "qemu/osdep.h"
#include "monitor-internal.h"
#include "qmp-json.h"
#include "hw/boards.h"

static JsonArray *compat_props_list(MachineClass *mc)
{
    JsonArray *list = json_array_new();

    for (guint i = 0; mc->compat_props && i < mc->compat_props->len; i++) {
        GlobalProperty *p = g_ptr_array_index(mc->compat_props, i);
        JsonObject *prop = json_object_new();

        json_object_set_string_member(prop, "qom-type", p->driver);
        json_object_set_string_member(prop, "property", p->property);
        json_object_set_string_member(prop, "value", p->value);
        json_array_add_object_element(list, prop);
    }
    return list;
}

/* Optional members appear only when set, as QEMU reports them. */
static JsonObject *machine_info(MachineClass *mc, bool compat)
{
    JsonObject *info = json_object_new();
    ObjectClass *oc = OBJECT_CLASS(mc);

    json_object_set_string_member(info, "name", mc->name);
    if (mc->alias) {
        json_object_set_string_member(info, "alias", mc->alias);
    }
    if (mc->is_default) {
        json_object_set_boolean_member(info, "is-default", true);
    }
    json_object_set_int_member(info, "cpu-max", mc->max_cpus);
    json_object_set_boolean_member(info, "hotpluggable-cpus",
                                   mc->has_hotpluggable_cpus);
    json_object_set_boolean_member(info, "numa-mem-supported",
                                   mc->numa_mem_supported);
    json_object_set_boolean_member(info, "deprecated",
                                   mc->deprecation_reason != NULL);
    if (mc->default_cpu_type) {
        json_object_set_string_member(info, "default-cpu-type",
                                      mc->default_cpu_type);
    }
    if (mc->default_ram_id) {
        json_object_set_string_member(info, "default-ram-id",
                                      mc->default_ram_id);
    }
    json_object_set_boolean_member(
        info, "acpi", object_class_property_find(oc, "acpi") != NULL);
    if (compat) {
        json_object_set_array_member(info, "compat-props",
                                     compat_props_list(mc));
    }
    return info;
}

static bool query_machines(Monitor *mon, JsonObject *args, JsonNode **ret,
                           Error **errp)
{
    static const char *const allowed[] = {"compat-props", NULL};
    g_autoptr(GSList) classes = NULL;
    bool compat = false;
    JsonArray *list;

    if (!qmp_arg_bool(args, "compat-props", false, &compat, errp) ||
        !qmp_args_check(args, allowed, errp)) {
        return false;
    }
    classes = machine_class_list_sorted();
    list = json_array_new();
    for (GSList *l = classes; l; l = l->next) {
        json_array_add_object_element(list, machine_info(l->data, compat));
    }
    *ret = qmp_node_take_array(list);
    return true;
}

static bool query_target(Monitor *mon, JsonObject *args, JsonNode **ret,
                         Error **errp)
{
    static const char *const allowed[] = {NULL};
    JsonObject *info;

    if (!qmp_args_check(args, allowed, errp)) {
        return false;
    }
    info = json_object_new();
    json_object_set_string_member(info, "arch", qemu_target_name);
    *ret = qmp_node_take_object(info);
    return true;
}

/* No hardware accelerator: guests are driven through qtest. */
static bool query_kvm(Monitor *mon, JsonObject *args, JsonNode **ret,
                      Error **errp)
{
    static const char *const allowed[] = {NULL};
    JsonObject *info;

    if (!qmp_args_check(args, allowed, errp)) {
        return false;
    }
    info = json_object_new();
    json_object_set_boolean_member(info, "enabled", false);
    json_object_set_boolean_member(info, "present", false);
    *ret = qmp_node_take_object(info);
    return true;
}

void qmp_register_machine_commands(void)
{
    qmp_register_command("query-machines", query_machines, QCO_ALLOW_PRECONFIG);
    qmp_register_command("query-target", query_target, QCO_ALLOW_PRECONFIG);
    qmp_register_command("query-kvm", query_kvm, QCO_ALLOW_PRECONFIG);
}
