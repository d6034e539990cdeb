/*
 * Object model commands: qom-list, qom-get, qom-set, qom-list-types,
 * qom-list-properties, object-add, object-del.
 */
#include "qemu/osdep.h"
#include "monitor-internal.h"
#include "monitor/qdev.h"
#include "qmp-json.h"
#include "qom/object_interfaces.h"

static Object *qom_resolve(const char *path, Error **errp)
{
    bool ambiguous = false;
    Object *obj = object_resolve_path(path, &ambiguous);

    if (obj) {
        return obj;
    }
    if (ambiguous) {
        error_setg(errp, "Path '%s' is ambiguous", path);
    } else {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
                  path);
    }
    return NULL;
}

static bool qom_list(Monitor *mon, JsonObject *args, JsonNode **ret,
                     Error **errp)
{
    static const char *const allowed[] = {"path", NULL};
    const char *path = qmp_arg_str(args, "path", true, errp);
    ObjectPropertyIterator iter;
    ObjectProperty *prop;
    JsonArray *list;
    Object *obj;

    if (!path || !qmp_args_check(args, allowed, errp) ||
        !(obj = qom_resolve(path, errp))) {
        return false;
    }
    list = json_array_new();
    object_property_iter_init(&iter, obj);
    while ((prop = object_property_iter_next(&iter))) {
        JsonObject *info = json_object_new();

        json_object_set_string_member(info, "name", prop->name);
        json_object_set_string_member(info, "type", prop->type);
        if (prop->description) {
            json_object_set_string_member(info, "description",
                                          prop->description);
        }
        json_array_add_object_element(list, info);
    }
    *ret = qmp_node_take_array(list);
    return true;
}

static bool qom_get(Monitor *mon, JsonObject *args, JsonNode **ret,
                    Error **errp)
{
    static const char *const allowed[] = {"path", "property", NULL};
    const char *path = qmp_arg_str(args, "path", true, errp);
    const char *property =
        path ? qmp_arg_str(args, "property", true, errp) : NULL;
    Object *obj;

    if (!property || !qmp_args_check(args, allowed, errp) ||
        !(obj = qom_resolve(path, errp))) {
        return false;
    }
    *ret = object_property_get(obj, property, errp);
    return *ret != NULL;
}

static bool qom_set(Monitor *mon, JsonObject *args, JsonNode **ret,
                    Error **errp)
{
    static const char *const allowed[] = {"path", "property", "value", NULL};
    const char *path = qmp_arg_str(args, "path", true, errp);
    const char *property =
        path ? qmp_arg_str(args, "property", true, errp) : NULL;
    JsonNode *value = json_object_get_member(args, "value");
    Object *obj;

    if (!property) {
        return false;
    }
    if (!value) {
        error_setg(errp, "Parameter 'value' is missing");
        return false;
    }
    if (!qmp_args_check(args, allowed, errp) ||
        !(obj = qom_resolve(path, errp))) {
        return false;
    }
    return object_property_set(obj, property, value, errp);
}

static bool qom_list_types(Monitor *mon, JsonObject *args, JsonNode **ret,
                           Error **errp)
{
    static const char *const allowed[] = {"implements", "abstract", NULL};
    g_autoptr(GSList) classes = NULL;
    const char *implements = NULL;
    bool abstract = false;
    JsonArray *list;

    if (json_object_has_member(args, "implements") &&
        !(implements = qmp_arg_str(args, "implements", true, errp))) {
        return false;
    }
    if (!qmp_arg_bool(args, "abstract", false, &abstract, errp) ||
        !qmp_args_check(args, allowed, errp)) {
        return false;
    }
    classes = object_class_get_list_sorted(implements, abstract);
    list = json_array_new();
    for (GSList *l = classes; l; l = l->next) {
        ObjectClass *parent = object_class_get_parent(l->data);
        JsonObject *info = json_object_new();

        json_object_set_string_member(info, "name",
                                      object_class_get_name(l->data));
        if (object_class_is_abstract(l->data)) {
            json_object_set_boolean_member(info, "abstract", true);
        }
        if (parent) {
            json_object_set_string_member(info, "parent",
                                          object_class_get_name(parent));
        }
        json_array_add_object_element(list, info);
    }
    *ret = qmp_node_take_array(list);
    return true;
}

static bool qom_list_properties(Monitor *mon, JsonObject *args, JsonNode **ret,
                                Error **errp)
{
    static const char *const allowed[] = {"typename", NULL};
    const char *typename = qmp_arg_str(args, "typename", true, errp);
    JsonArray *props;

    if (!typename || !qmp_args_check(args, allowed, errp)) {
        return false;
    }
    props = qdev_list_properties_json(typename, false, errp);
    if (!props) {
        return false;
    }
    *ret = qmp_node_take_array(props);
    return true;
}

/* The arguments are flat: "qom-type", "id", then the properties. */
static bool object_add(Monitor *mon, JsonObject *args, JsonNode **ret,
                       Error **errp)
{
    const char *type = qmp_arg_str(args, "qom-type", true, errp);
    const char *id = type ? qmp_arg_str(args, "id", true, errp) : NULL;

    return id && user_creatable_add_type(type, id, args, true, errp);
}

static bool object_del(Monitor *mon, JsonObject *args, JsonNode **ret,
                       Error **errp)
{
    static const char *const allowed[] = {"id", NULL};
    const char *id = qmp_arg_str(args, "id", true, errp);

    return id && qmp_args_check(args, allowed, errp) &&
           user_creatable_del(id, errp);
}

void qmp_register_qom_commands(void)
{
    qmp_register_command("qom-list", qom_list, QCO_ALLOW_PRECONFIG);
    qmp_register_command("qom-get", qom_get, QCO_ALLOW_PRECONFIG);
    qmp_register_command("qom-set", qom_set, QCO_ALLOW_PRECONFIG);
    qmp_register_command("qom-list-types", qom_list_types, QCO_ALLOW_PRECONFIG);
    qmp_register_command("qom-list-properties", qom_list_properties,
                         QCO_ALLOW_PRECONFIG);
    qmp_register_command("object-add", object_add, QCO_ALLOW_PRECONFIG);
    qmp_register_command("object-del", object_del, QCO_ALLOW_PRECONFIG);
}
