/*
 * Ready-made property kinds: string, bool and enum callbacks, read-only
 * integer fields.
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "qom-internal.h"

typedef struct StringProperty {
    char *(*get)(Object *obj, Error **errp);
    bool (*set)(Object *obj, const char *value, Error **errp);
} StringProperty;

typedef struct BoolProperty {
    bool (*get)(Object *obj, Error **errp);
    bool (*set)(Object *obj, bool value, Error **errp);
} BoolProperty;

typedef struct EnumProperty {
    const char *const *values;
    int (*get)(Object *obj, Error **errp);
    bool (*set)(Object *obj, int value, Error **errp);
} EnumProperty;

/* Instance properties own their callback record; class ones share it. */
static void free_opaque(Object *obj, ObjectProperty *prop)
{
    g_free(prop->opaque);
}

static JsonNode *str_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    StringProperty *sp = prop->opaque;
    Error *err = NULL;
    char *value = sp->get(obj, &err);
    JsonNode *node;

    if (err) {
        error_propagate(errp, err);
        g_free(value);
        return NULL;
    }
    node = json_node_init_string(json_node_alloc(), value ? value : "");
    g_free(value);
    return node;
}

static bool str_set(Object *obj, ObjectProperty *prop, JsonNode *value,
                    Error **errp)
{
    StringProperty *sp = prop->opaque;
    const char *s = object_node_get_str(value, prop->name, errp);

    return s && sp->set(obj, s, errp);
}

static StringProperty *string_property_new(char *(*get)(Object *, Error **),
                                           bool (*set)(Object *, const char *,
                                                       Error **))
{
    StringProperty *sp = g_new(StringProperty, 1);

    sp->get = get;
    sp->set = set;
    return sp;
}

ObjectProperty *object_property_add_str(Object *obj, const char *name,
                                        char *(*get)(Object *, Error **),
                                        bool (*set)(Object *, const char *,
                                                    Error **))
{
    return object_property_add(obj, name, "str", get ? str_get : NULL,
                               set ? str_set : NULL, free_opaque,
                               string_property_new(get, set));
}

ObjectProperty *
object_class_property_add_str(ObjectClass *klass, const char *name,
                              char *(*get)(Object *, Error **),
                              bool (*set)(Object *, const char *, Error **))
{
    return object_class_property_add(klass, name, "str", get ? str_get : NULL,
                                     set ? str_set : NULL, NULL,
                                     string_property_new(get, set));
}

static JsonNode *bool_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    BoolProperty *bp = prop->opaque;
    Error *err = NULL;
    bool value = bp->get(obj, &err);

    if (err) {
        error_propagate(errp, err);
        return NULL;
    }
    return json_node_init_boolean(json_node_alloc(), value);
}

static bool bool_set(Object *obj, ObjectProperty *prop, JsonNode *value,
                     Error **errp)
{
    BoolProperty *bp = prop->opaque;
    bool b;

    return object_node_get_bool(value, prop->name, &b, errp) &&
           bp->set(obj, b, errp);
}

static BoolProperty *bool_property_new(bool (*get)(Object *, Error **),
                                       bool (*set)(Object *, bool, Error **))
{
    BoolProperty *bp = g_new(BoolProperty, 1);

    bp->get = get;
    bp->set = set;
    return bp;
}

ObjectProperty *object_property_add_bool(Object *obj, const char *name,
                                         bool (*get)(Object *, Error **),
                                         bool (*set)(Object *, bool, Error **))
{
    return object_property_add(obj, name, "bool", get ? bool_get : NULL,
                               set ? bool_set : NULL, free_opaque,
                               bool_property_new(get, set));
}

ObjectProperty *
object_class_property_add_bool(ObjectClass *klass, const char *name,
                               bool (*get)(Object *, Error **),
                               bool (*set)(Object *, bool, Error **))
{
    return object_class_property_add(klass, name, "bool", get ? bool_get : NULL,
                                     set ? bool_set : NULL, NULL,
                                     bool_property_new(get, set));
}

static JsonNode *enum_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    EnumProperty *ep = prop->opaque;
    Error *err = NULL;
    int value = ep->get(obj, &err);

    if (err) {
        error_propagate(errp, err);
        return NULL;
    }
    if (value < 0 || value >= (int)g_strv_length((char **)ep->values)) {
        error_setg(errp, "Property '%s.%s' holds invalid value %d",
                   object_get_typename(obj), prop->name, value);
        return NULL;
    }
    return json_node_init_string(json_node_alloc(), ep->values[value]);
}

static bool enum_set(Object *obj, ObjectProperty *prop, JsonNode *value,
                     Error **errp)
{
    EnumProperty *ep = prop->opaque;
    int index;

    return object_node_get_enum(obj, value, prop->name, ep->values, &index,
                                errp) &&
           ep->set(obj, index, errp);
}

ObjectProperty *
object_class_property_add_enum(ObjectClass *klass, const char *name,
                               const char *typename, const char *const *values,
                               int (*get)(Object *, Error **),
                               bool (*set)(Object *, int, Error **))
{
    EnumProperty *ep = g_new(EnumProperty, 1);
    ObjectProperty *prop;

    ep->values = values;
    ep->get = get;
    ep->set = set;
    prop =
        object_class_property_add(klass, name, typename, get ? enum_get : NULL,
                                  set ? enum_set : NULL, NULL, ep);
    prop->enum_values = values;
    return prop;
}

static JsonNode *int_node(int64_t value)
{
    return json_node_init_int(json_node_alloc(), value);
}

static JsonNode *uint8_ptr_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    return int_node(*(const uint8_t *)prop->opaque);
}

static JsonNode *uint16_ptr_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    return int_node(*(const uint16_t *)prop->opaque);
}

static JsonNode *uint32_ptr_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    return int_node(*(const uint32_t *)prop->opaque);
}

/* Values above INT64_MAX keep their bit pattern in the JSON integer. */
static JsonNode *uint64_ptr_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    uint64_t value = *(const uint64_t *)prop->opaque;

    return int_node((int64_t)value);
}

ObjectProperty *object_property_add_uint8_ptr(Object *obj, const char *name,
                                              const uint8_t *v)
{
    return object_property_add(obj, name, "uint8", uint8_ptr_get, NULL, NULL,
                               (void *)v);
}

ObjectProperty *object_property_add_uint16_ptr(Object *obj, const char *name,
                                               const uint16_t *v)
{
    return object_property_add(obj, name, "uint16", uint16_ptr_get, NULL, NULL,
                               (void *)v);
}

ObjectProperty *object_property_add_uint32_ptr(Object *obj, const char *name,
                                               const uint32_t *v)
{
    return object_property_add(obj, name, "uint32", uint32_ptr_get, NULL, NULL,
                               (void *)v);
}

ObjectProperty *object_property_add_uint64_ptr(Object *obj, const char *name,
                                               const uint64_t *v)
{
    return object_property_add(obj, name, "uint64", uint64_ptr_get, NULL, NULL,
                               (void *)v);
}
