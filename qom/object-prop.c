/*
 * Property tables: definition, lookup, iteration and typed access.
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "qom-internal.h"

/* The sequence number keeps insertion order (children are listed in it). */
typedef struct PropertyRecord {
    ObjectProperty prop;
    uint64_t seq;
} PropertyRecord;

static uint64_t next_property_seq;

ObjectProperty *qom_property_new(const char *name, const char *type,
                                 ObjectPropertyGet get, ObjectPropertySet set,
                                 ObjectPropertyRelease release, void *opaque)
{
    PropertyRecord *rec = g_new0(PropertyRecord, 1);

    rec->seq = __atomic_fetch_add(&next_property_seq, 1, __ATOMIC_RELAXED);
    rec->prop.name = g_strdup(name);
    rec->prop.type = g_strdup(type);
    rec->prop.get = get;
    rec->prop.set = set;
    rec->prop.release = release;
    rec->prop.opaque = opaque;
    return &rec->prop;
}

void qom_property_free(gpointer data)
{
    ObjectProperty *prop = data;

    g_free(prop->name);
    g_free(prop->type);
    g_free(prop->description);
    if (prop->defval) {
        json_node_unref(prop->defval);
    }
    g_free(container_of(prop, PropertyRecord, prop));
}

uint64_t qom_property_seq(const ObjectProperty *prop)
{
    return container_of(prop, const PropertyRecord, prop)->seq;
}

/* Definition */

static ObjectProperty *add_numbered(Object *obj, const char *name,
                                    const char *type, ObjectPropertyGet get,
                                    ObjectPropertySet set,
                                    ObjectPropertyRelease release, void *opaque)
{
    size_t base_len = strlen(name) - strlen("[*]");

    for (int i = 0;; i++) {
        g_autofree char *full =
            g_strdup_printf("%.*s[%d]", (int)base_len, name, i);

        if (!object_property_find(obj, full)) {
            return object_property_add(obj, full, type, get, set, release,
                                       opaque);
        }
    }
}

ObjectProperty *object_property_add(Object *obj, const char *name,
                                    const char *type, ObjectPropertyGet get,
                                    ObjectPropertySet set,
                                    ObjectPropertyRelease release, void *opaque)
{
    ObjectProperty *prop;

    /* "name[*]" picks the first free "name[N]". */
    if (g_str_has_suffix(name, "[*]")) {
        return add_numbered(obj, name, type, get, set, release, opaque);
    }
    if (object_property_find(obj, name)) {
        qom_abort("attempt to add duplicate property '%s' to object "
                  "(type '%s')",
                  name, object_get_typename(obj));
    }
    prop = qom_property_new(name, type, get, set, release, opaque);
    g_hash_table_insert(obj->properties, prop->name, prop);
    return prop;
}

ObjectProperty *object_class_property_add(ObjectClass *klass, const char *name,
                                          const char *type,
                                          ObjectPropertyGet get,
                                          ObjectPropertySet set,
                                          ObjectPropertyRelease release,
                                          void *opaque)
{
    ObjectProperty *prop;

    if (object_class_property_find(klass, name)) {
        qom_abort("attempt to add duplicate property '%s' to class '%s'", name,
                  object_class_get_name(klass));
    }
    prop = qom_property_new(name, type, get, set, release, opaque);
    g_hash_table_insert(klass->properties, prop->name, prop);
    return prop;
}

void object_property_del(Object *obj, const char *name)
{
    ObjectProperty *prop = g_hash_table_lookup(obj->properties, name);

    if (!prop) {
        return;
    }
    if (prop->release) {
        prop->release(obj, prop);
    }
    g_hash_table_remove(obj->properties, prop->name);
}

void qom_properties_del_all(Object *obj)
{
    GHashTable *done = g_hash_table_new(NULL, NULL);
    ObjectPropertyIterator iter;
    ObjectProperty *prop;
    bool released;

    /* A release hook may delete other properties: restart after each. */
    do {
        released = false;
        object_property_iter_init(&iter, obj);
        while ((prop = object_property_iter_next(&iter))) {
            if (g_hash_table_add(done, prop) && prop->release) {
                prop->release(obj, prop);
                released = true;
                break;
            }
        }
    } while (released);
    g_hash_table_unref(done);
    g_hash_table_unref(obj->properties);
    obj->properties = NULL;
}

static void property_init_default(Object *obj, ObjectProperty *prop)
{
    if (prop->set) {
        prop->set(obj, prop, prop->defval, &error_abort);
    }
}

void object_property_set_default(ObjectProperty *prop, JsonNode *defval)
{
    if (prop->defval) {
        json_node_unref(prop->defval);
    }
    prop->defval = defval;
    if (!prop->init) {
        prop->init = property_init_default;
    }
}

void qom_class_properties_init(Object *obj)
{
    ObjectPropertyIterator iter;
    ObjectProperty *prop;

    object_class_property_iter_init(&iter, obj->klass);
    while ((prop = object_property_iter_next(&iter))) {
        if (prop->init) {
            prop->init(obj, prop);
        }
    }
}

static void set_description(ObjectProperty *prop, const char *name,
                            const char *description)
{
    if (!prop) {
        qom_abort("description for unknown property '%s'", name);
    }
    g_free(prop->description);
    prop->description = g_strdup(description);
}

void object_property_set_description(Object *obj, const char *name,
                                     const char *description)
{
    set_description(object_property_find(obj, name), name, description);
}

void object_class_property_set_description(ObjectClass *klass, const char *name,
                                           const char *description)
{
    set_description(object_class_property_find(klass, name), name, description);
}

/* Lookup and iteration */

ObjectProperty *object_class_property_find(ObjectClass *klass, const char *name)
{
    for (; klass; klass = object_class_get_parent(klass)) {
        ObjectProperty *prop = g_hash_table_lookup(klass->properties, name);

        if (prop) {
            return prop;
        }
    }
    return NULL;
}

ObjectProperty *object_property_find(Object *obj, const char *name)
{
    ObjectProperty *prop = g_hash_table_lookup(obj->properties, name);

    return prop ? prop : object_class_property_find(obj->klass, name);
}

ObjectProperty *object_property_find_err(Object *obj, const char *name,
                                         Error **errp)
{
    ObjectProperty *prop = object_property_find(obj, name);

    if (!prop) {
        error_setg(errp, "Property '%s.%s' not found", object_get_typename(obj),
                   name);
    }
    return prop;
}

void object_property_iter_init(ObjectPropertyIterator *iter, Object *obj)
{
    g_hash_table_iter_init(&iter->iter, obj->properties);
    iter->nextclass = obj->klass;
}

void object_class_property_iter_init(ObjectPropertyIterator *iter,
                                     ObjectClass *klass)
{
    g_hash_table_iter_init(&iter->iter, klass->properties);
    iter->nextclass = object_class_get_parent(klass);
}

ObjectProperty *object_property_iter_next(ObjectPropertyIterator *iter)
{
    gpointer value;

    while (!g_hash_table_iter_next(&iter->iter, NULL, &value)) {
        if (!iter->nextclass) {
            return NULL;
        }
        g_hash_table_iter_init(&iter->iter, iter->nextclass->properties);
        iter->nextclass = object_class_get_parent(iter->nextclass);
    }
    return value;
}

/* Access */

static ObjectProperty *find_writable(Object *obj, const char *name,
                                     Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);

    if (prop && !prop->set) {
        error_setg(errp, "Property '%s.%s' is not writable",
                   object_get_typename(obj), name);
        return NULL;
    }
    return prop;
}

bool object_property_set(Object *obj, const char *name, JsonNode *value,
                         Error **errp)
{
    ObjectProperty *prop = find_writable(obj, name, errp);

    return prop && prop->set(obj, prop, value, errp);
}

bool object_property_parse(Object *obj, const char *name, const char *string,
                           Error **errp)
{
    ObjectProperty *prop = find_writable(obj, name, errp);
    JsonNode *value;
    bool ok;

    if (!prop) {
        return false;
    }
    value = object_property_string_to_node(object_get_typename(obj), prop,
                                           string, errp);
    if (!value) {
        return false;
    }
    ok = prop->set(obj, prop, value, errp);
    json_node_unref(value);
    return ok;
}

JsonNode *object_property_get(Object *obj, const char *name, Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);

    if (!prop) {
        return NULL;
    }
    if (!prop->get) {
        error_setg(errp, "Property '%s.%s' is not readable",
                   object_get_typename(obj), name);
        return NULL;
    }
    return prop->get(obj, prop, errp);
}

/* JSON values in setters and typed accessors */

static bool node_has_type(JsonNode *value, GType type)
{
    return value && JSON_NODE_HOLDS_VALUE(value) &&
           json_node_get_value_type(value) == type;
}

static void type_error(Error **errp, const char *name, const char *expected)
{
    error_setg(errp, "Invalid parameter type for '%s', expected: %s", name,
               expected);
}

bool object_node_get_bool(JsonNode *value, const char *name, bool *out,
                          Error **errp)
{
    if (!node_has_type(value, G_TYPE_BOOLEAN)) {
        type_error(errp, name, "boolean");
        return false;
    }
    *out = json_node_get_boolean(value);
    return true;
}

bool object_node_get_int(JsonNode *value, const char *name, int64_t *out,
                         Error **errp)
{
    if (!node_has_type(value, G_TYPE_INT64)) {
        type_error(errp, name, "integer");
        return false;
    }
    *out = json_node_get_int(value);
    return true;
}

const char *object_node_get_str(JsonNode *value, const char *name, Error **errp)
{
    if (!node_has_type(value, G_TYPE_STRING)) {
        type_error(errp, name, "string");
        return NULL;
    }
    return json_node_get_string(value);
}

bool object_node_get_enum(Object *obj, JsonNode *value, const char *name,
                          const char *const *values, int *out, Error **errp)
{
    const char *s = object_node_get_str(value, name, errp);

    if (!s) {
        return false;
    }
    for (int i = 0; values[i]; i++) {
        if (g_str_equal(values[i], s)) {
            *out = i;
            return true;
        }
    }
    qom_enum_value_error(errp, object_get_typename(obj), name, s, values);
    return false;
}

static bool set_and_unref(Object *obj, const char *name, JsonNode *value,
                          Error **errp)
{
    bool ok = object_property_set(obj, name, value, errp);

    json_node_unref(value);
    return ok;
}

bool object_property_set_bool(Object *obj, const char *name, bool value,
                              Error **errp)
{
    return set_and_unref(
        obj, name, json_node_init_boolean(json_node_alloc(), value), errp);
}

bool object_property_set_int(Object *obj, const char *name, int64_t value,
                             Error **errp)
{
    return set_and_unref(obj, name,
                         json_node_init_int(json_node_alloc(), value), errp);
}

bool object_property_set_uint(Object *obj, const char *name, uint64_t value,
                              Error **errp)
{
    return object_property_set_int(obj, name, (int64_t)value, errp);
}

bool object_property_set_str(Object *obj, const char *name, const char *value,
                             Error **errp)
{
    return set_and_unref(obj, name,
                         json_node_init_string(json_node_alloc(), value), errp);
}

bool object_property_get_bool(Object *obj, const char *name, Error **errp)
{
    JsonNode *value = object_property_get(obj, name, errp);
    bool out = false;

    if (value) {
        object_node_get_bool(value, name, &out, errp);
        json_node_unref(value);
    }
    return out;
}

int64_t object_property_get_int(Object *obj, const char *name, Error **errp)
{
    JsonNode *value = object_property_get(obj, name, errp);
    int64_t out = 0;

    if (value) {
        object_node_get_int(value, name, &out, errp);
        json_node_unref(value);
    }
    return out;
}

uint64_t object_property_get_uint(Object *obj, const char *name, Error **errp)
{
    return (uint64_t)object_property_get_int(obj, name, errp);
}

char *object_property_get_str(Object *obj, const char *name, Error **errp)
{
    JsonNode *value = object_property_get(obj, name, errp);
    char *out = NULL;

    if (value) {
        out = g_strdup(object_node_get_str(value, name, errp));
        json_node_unref(value);
    }
    return out;
}
