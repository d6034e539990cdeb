/*
 * user-creatable: objects made by -object and object-add, kept under
 * /objects/<id>.
 */
#include "qemu/osdep.h"
#include "qom/object_interfaces.h"

bool user_creatable_complete(Object *obj, Error **errp)
{
    ObjectClass *klass =
        object_class_dynamic_cast(object_get_class(obj), TYPE_USER_CREATABLE);
    UserCreatableClass *ucc = (UserCreatableClass *)klass;

    return !ucc || !ucc->complete || ucc->complete(obj, errp);
}

bool user_creatable_can_be_deleted(Object *obj)
{
    ObjectClass *klass =
        object_class_dynamic_cast(object_get_class(obj), TYPE_USER_CREATABLE);
    UserCreatableClass *ucc = (UserCreatableClass *)klass;

    return !ucc || !ucc->can_be_deleted || ucc->can_be_deleted(obj);
}

bool id_wellformed(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id + 1; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

/* The class of a type -object may create, or NULL with errp set. */
static ObjectClass *creatable_class(const char *type, Error **errp)
{
    ObjectClass *klass;

    if (!type) {
        error_setg(errp, "Parameter 'qom-type' is missing");
        return NULL;
    }
    klass = object_class_by_name(type);
    if (!klass) {
        error_setg(errp, "invalid object type: %s", type);
        return NULL;
    }
    if (!object_class_dynamic_cast(klass, TYPE_USER_CREATABLE)) {
        error_setg(errp, "object type '%s' isn't supported by object-add",
                   type);
        return NULL;
    }
    if (object_class_is_abstract(klass)) {
        error_setg(errp, "object type '%s' is abstract", type);
        return NULL;
    }
    return klass;
}

static bool check_new_id(const char *id, Error **errp)
{
    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return false;
    }
    if (!id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        error_append_hint(errp, "Identifiers consist of letters, digits, "
                                "'-', '.', '_', starting with a letter.\n");
        return false;
    }
    if (object_property_find(object_get_objects_root(), id)) {
        error_setg(errp, "object '%s' already exists", id);
        return false;
    }
    return true;
}

static bool set_one(Object *obj, const char *name, JsonNode *value,
                    bool from_json, Error **errp)
{
    const char *text;

    if (from_json) {
        return object_property_set(obj, name, value, errp);
    }
    text = object_node_get_str(value, name, errp);
    return text && object_property_parse(obj, name, text, errp);
}

/* Members in their given order; "qom-type" and "id" are not properties. */
static bool set_props(Object *obj, JsonObject *props, bool from_json,
                      Error **errp)
{
    GList *members = props ? json_object_get_members(props) : NULL;
    bool ok = true;

    for (GList *l = members; l && ok; l = l->next) {
        const char *name = l->data;

        if (!strcmp(name, "qom-type") || !strcmp(name, "id")) {
            continue;
        }
        ok = set_one(obj, name, json_object_get_member(props, name), from_json,
                     errp);
    }
    g_list_free(members);
    return ok;
}

Object *user_creatable_add_type(const char *type, const char *id,
                                JsonObject *props, bool from_json, Error **errp)
{
    ObjectClass *klass = creatable_class(type, errp);
    Object *obj;

    if (!klass || !check_new_id(id, errp)) {
        return NULL;
    }
    obj = object_new_with_class(klass);
    if (!set_props(obj, props, from_json, errp)) {
        object_unref(obj);
        return NULL;
    }
    object_property_add_child(object_get_objects_root(), id, obj);
    if (!user_creatable_complete(obj, errp)) {
        object_unparent(obj);
        object_unref(obj);
        return NULL;
    }
    /* The tree now holds the only reference. */
    object_unref(obj);
    return obj;
}

bool user_creatable_del(const char *id, Error **errp)
{
    Object *obj = object_resolve_path_component(object_get_objects_root(), id);

    if (!obj) {
        error_setg(errp, "object '%s' not found", id);
        return false;
    }
    if (!user_creatable_can_be_deleted(obj)) {
        error_setg(errp, "object '%s' is in use, can not be deleted", id);
        return false;
    }
    object_unparent(obj);
    return true;
}

void user_creatable_print_types(void)
{
    GSList *list = object_class_get_list_sorted(TYPE_USER_CREATABLE, false);

    printf("List of user creatable objects:\n");
    for (GSList *l = list; l; l = l->next) {
        printf("  %s\n", object_class_get_name(l->data));
    }
    g_slist_free(list);
}

static gint prop_name_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp((*(ObjectProperty *const *)a)->name,
                  (*(ObjectProperty *const *)b)->name);
}

bool user_creatable_print_type_properites(const char *type, Error **errp)
{
    ObjectClass *klass = creatable_class(type, errp);
    GPtrArray *props;
    ObjectPropertyIterator iter;
    ObjectProperty *prop;

    if (!klass) {
        return false;
    }
    props = g_ptr_array_new();
    object_class_property_iter_init(&iter, klass);
    while ((prop = object_property_iter_next(&iter))) {
        if (prop->set) {
            g_ptr_array_add(props, prop);
        }
    }
    g_ptr_array_sort(props, prop_name_cmp);
    if (props->len) {
        printf("%s options:\n", type);
    } else {
        printf("There are no options for %s.\n", type);
    }
    for (guint i = 0; i < props->len; i++) {
        g_autofree char *line = NULL;

        prop = g_ptr_array_index(props, i);
        line = object_property_help(prop->name, prop->type, prop->defval,
                                    prop->description);
        printf("%s\n", line);
    }
    g_ptr_array_unref(props);
    return true;
}

static const TypeInfo user_creatable_info = {
    .name = TYPE_USER_CREATABLE,
    .parent = TYPE_INTERFACE,
    .class_size = sizeof(UserCreatableClass),
};

static void user_creatable_register_types(void)
{
    type_register_static(&user_creatable_info);
}

type_init(user_creatable_register_types)
