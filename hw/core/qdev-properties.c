/*
 * Static device properties: class properties backed by a field of the
 * device struct, with strict JSON typing, per-type ranges, defaults and
 * the refusal of writes after realize.
 */
#include "qemu/osdep.h"
#include "hw/core/qdev-properties.h"

const char *const OnOffAuto_lookup[] = {"auto", "on", "off", NULL};
const char *const OasMode_lookup[] = {
    "auto", "32", "36", "40", "42", "44", "48", "52", "56", NULL,
};
const char *const SsidSizeMode_lookup[] = {
    "auto", "0",  "1",  "2",  "3",  "4",  "5",  "6",  "7",  "8",  "9",  "10",
    "11",   "12", "13", "14", "15", "16", "17", "18", "19", "20", NULL,
};

void *object_field_prop_ptr(Object *obj, const Property *prop)
{
    return (char *)obj + prop->offset;
}

static void *prop_field(Object *obj, ObjectProperty *op)
{
    return object_field_prop_ptr(obj, op->opaque);
}

static JsonNode *int_node(int64_t value)
{
    return json_node_init_int(json_node_alloc(), value);
}

static JsonNode *str_node(const char *value)
{
    return json_node_init_string(json_node_alloc(), value);
}

/* Reads a JSON integer and checks it against the C type's range. */
static bool get_ranged_int(Object *obj, ObjectProperty *op, JsonNode *value,
                           int64_t min, int64_t max, int64_t *out, Error **errp)
{
    if (!object_node_get_int(value, op->name, out, errp)) {
        return false;
    }
    if (*out < min || *out > max) {
        error_setg(errp,
                   "Property '%s.%s' doesn't take value %" PRId64
                   " (minimum: %" PRId64 ", maximum: %" PRId64 ")",
                   object_get_typename(obj), op->name, *out, min, max);
        return false;
    }
    return true;
}

/* bool and bit */

static JsonNode *get_bool(Object *obj, ObjectProperty *op, Error **errp)
{
    return json_node_init_boolean(json_node_alloc(),
                                  *(bool *)prop_field(obj, op));
}

static bool set_bool(Object *obj, ObjectProperty *op, JsonNode *value,
                     Error **errp)
{
    return object_node_get_bool(value, op->name, prop_field(obj, op), errp);
}

static JsonNode *default_bool(const Property *prop)
{
    return json_node_init_boolean(json_node_alloc(), prop->defval.u != 0);
}

const PropertyInfo qdev_prop_bool = {
    .type = "bool",
    .default_node = default_bool,
    .get = get_bool,
    .set = set_bool,
};

static JsonNode *get_bit(Object *obj, ObjectProperty *op, Error **errp)
{
    const Property *prop = op->opaque;
    uint32_t *field = prop_field(obj, op);

    return json_node_init_boolean(json_node_alloc(),
                                  *field & (1U << prop->bitnr));
}

static bool set_bit(Object *obj, ObjectProperty *op, JsonNode *value,
                    Error **errp)
{
    const Property *prop = op->opaque;
    uint32_t *field = prop_field(obj, op);
    bool on;

    if (!object_node_get_bool(value, op->name, &on, errp)) {
        return false;
    }
    if (on) {
        *field |= 1U << prop->bitnr;
    } else {
        *field &= ~(1U << prop->bitnr);
    }
    return true;
}

const PropertyInfo qdev_prop_bit = {
    .type = "bool",
    .default_node = default_bool,
    .get = get_bit,
    .set = set_bit,
};

/* Integers */

static JsonNode *default_signed(const Property *prop)
{
    return int_node(prop->defval.i);
}

static JsonNode *default_unsigned(const Property *prop)
{
    return int_node((int64_t)prop->defval.u);
}

#define FIELD_INT_ACCESSORS(name, ctype, min, max)                             \
    static JsonNode *get_##name(Object *obj, ObjectProperty *op, Error **errp) \
    {                                                                          \
        return int_node(*(ctype *)prop_field(obj, op));                        \
    }                                                                          \
    static bool set_##name(Object *obj, ObjectProperty *op, JsonNode *value,   \
                           Error **errp)                                       \
    {                                                                          \
        int64_t v;                                                             \
                                                                               \
        if (!get_ranged_int(obj, op, value, min, max, &v, errp)) {             \
            return false;                                                      \
        }                                                                      \
        *(ctype *)prop_field(obj, op) = v;                                     \
        return true;                                                           \
    }

FIELD_INT_ACCESSORS(uint8, uint8_t, 0, UINT8_MAX)
FIELD_INT_ACCESSORS(uint16, uint16_t, 0, UINT16_MAX)
FIELD_INT_ACCESSORS(uint32, uint32_t, 0, UINT32_MAX)
FIELD_INT_ACCESSORS(int32, int32_t, INT32_MIN, INT32_MAX)
FIELD_INT_ACCESSORS(int64, int64_t, INT64_MIN, INT64_MAX)

/* 64-bit unsigned values above INT64_MAX travel as the same bit pattern. */
static JsonNode *get_uint64(Object *obj, ObjectProperty *op, Error **errp)
{
    uint64_t value = *(uint64_t *)prop_field(obj, op);

    return int_node((int64_t)value);
}

static bool set_uint64(Object *obj, ObjectProperty *op, JsonNode *value,
                       Error **errp)
{
    int64_t v;

    if (!object_node_get_int(value, op->name, &v, errp)) {
        return false;
    }
    *(uint64_t *)prop_field(obj, op) = (uint64_t)v;
    return true;
}

const PropertyInfo qdev_prop_uint8 = {
    .type = "uint8",
    .default_node = default_unsigned,
    .get = get_uint8,
    .set = set_uint8,
};

const PropertyInfo qdev_prop_uint16 = {
    .type = "uint16",
    .default_node = default_unsigned,
    .get = get_uint16,
    .set = set_uint16,
};

const PropertyInfo qdev_prop_uint32 = {
    .type = "uint32",
    .default_node = default_unsigned,
    .get = get_uint32,
    .set = set_uint32,
};

const PropertyInfo qdev_prop_int32 = {
    .type = "int32",
    .default_node = default_signed,
    .get = get_int32,
    .set = set_int32,
};

const PropertyInfo qdev_prop_uint64 = {
    .type = "uint64",
    .default_node = default_unsigned,
    .get = get_uint64,
    .set = set_uint64,
};

const PropertyInfo qdev_prop_int64 = {
    .type = "int64",
    .default_node = default_signed,
    .get = get_int64,
    .set = set_int64,
};

const PropertyInfo qdev_prop_size = {
    .type = "size",
    .default_node = default_unsigned,
    .get = get_uint64,
    .set = set_uint64,
};

/* Strings */

static JsonNode *get_string(Object *obj, ObjectProperty *op, Error **errp)
{
    char **field = prop_field(obj, op);

    return str_node(*field ? *field : "");
}

static bool set_string(Object *obj, ObjectProperty *op, JsonNode *value,
                       Error **errp)
{
    char **field = prop_field(obj, op);
    const char *s = object_node_get_str(value, op->name, errp);

    if (!s) {
        return false;
    }
    g_free(*field);
    *field = g_strdup(s);
    return true;
}

static void release_string(Object *obj, ObjectProperty *op)
{
    g_clear_pointer((char **)prop_field(obj, op), g_free);
}

static JsonNode *default_string(const Property *prop)
{
    return prop->defval_str ? str_node(prop->defval_str) : NULL;
}

const PropertyInfo qdev_prop_string = {
    .type = "str",
    .default_node = default_string,
    .get = get_string,
    .set = set_string,
    .release = release_string,
};

/* Enums: the field is the C enum, the JSON value its name. */

static JsonNode *get_enum(Object *obj, ObjectProperty *op, Error **errp)
{
    const Property *prop = op->opaque;

    return str_node(prop->info->enum_table[*(int *)prop_field(obj, op)]);
}

static bool set_enum(Object *obj, ObjectProperty *op, JsonNode *value,
                     Error **errp)
{
    const Property *prop = op->opaque;
    int index;

    if (!object_node_get_enum(obj, value, op->name, prop->info->enum_table,
                              &index, errp)) {
        return false;
    }
    *(int *)prop_field(obj, op) = index;
    return true;
}

static JsonNode *default_enum(const Property *prop)
{
    return str_node(prop->info->enum_table[prop->defval.i]);
}

const PropertyInfo qdev_prop_on_off_auto = {
    .type = "OnOffAuto",
    .description = "on/off/auto",
    .enum_table = OnOffAuto_lookup,
    .default_node = default_enum,
    .get = get_enum,
    .set = set_enum,
};

const PropertyInfo qdev_prop_oas_mode = {
    .type = "OasMode",
    .description = "auto/32/36/40/42/44/48/52/56",
    .enum_table = OasMode_lookup,
    .default_node = default_enum,
    .get = get_enum,
    .set = set_enum,
};

const PropertyInfo qdev_prop_ssidsize_mode = {
    .type = "SsidSizeMode",
    .description = "auto/0-20",
    .enum_table = SsidSizeMode_lookup,
    .default_node = default_enum,
    .get = get_enum,
    .set = set_enum,
};

/* Class property registration */

static bool field_prop_set(Object *obj, ObjectProperty *op, JsonNode *value,
                           Error **errp)
{
    const Property *prop = op->opaque;
    DeviceState *dev = DEVICE(obj);

    if (dev->realized) {
        if (dev->id) {
            error_setg(errp,
                       "Attempt to set property '%s' on device '%s' "
                       "(type '%s') after it was realized",
                       op->name, dev->id, object_get_typename(obj));
        } else {
            error_setg(errp,
                       "Attempt to set property '%s' on anonymous device "
                       "(type '%s') after it was realized",
                       op->name, object_get_typename(obj));
        }
        return false;
    }
    return prop->info->set(obj, op, value, errp);
}

static char *prop_description(const Property *prop)
{
    const char *info_desc = prop->info->description;

    if (prop->description && info_desc) {
        return g_strdup_printf("%s (%s)", prop->description, info_desc);
    }
    return g_strdup(prop->description ? prop->description : info_desc);
}

static void qdev_class_add_property(ObjectClass *oc, const Property *prop)
{
    const PropertyInfo *info = prop->info;
    g_autofree char *type = NULL;
    g_autofree char *desc = prop_description(prop);
    ObjectProperty *op;

    if (prop->link_type) {
        type = g_strdup_printf("link<%s>", prop->link_type);
    } else {
        type = g_strdup(info->type);
    }
    op = object_class_property_add(oc, prop->name, type, info->get,
                                   info->set ? field_prop_set : NULL,
                                   info->release, (void *)prop);
    op->enum_values = info->enum_table;
    op->parse = info->parse;
    if (desc) {
        object_class_property_set_description(oc, prop->name, desc);
    }
    /* Setting a default also makes each new instance start with it. */
    if (info->set_default_value) {
        info->set_default_value(op, prop);
    } else if (info->default_node && (prop->set_default || prop->defval_str)) {
        object_property_set_default(op, info->default_node(prop));
    }
}

void device_class_set_props(DeviceClass *dc, const Property *props)
{
    dc->props = props;
    for (const Property *prop = props; prop->name; prop++) {
        qdev_class_add_property(OBJECT_CLASS(dc), prop);
    }
}

/* Board-code setters: a failure here is a programming error. */

void qdev_prop_set_bit(DeviceState *dev, const char *name, bool value)
{
    object_property_set_bool(OBJECT(dev), name, value, &error_abort);
}

void qdev_prop_set_uint8(DeviceState *dev, const char *name, uint8_t value)
{
    object_property_set_uint(OBJECT(dev), name, value, &error_abort);
}

void qdev_prop_set_uint16(DeviceState *dev, const char *name, uint16_t value)
{
    object_property_set_uint(OBJECT(dev), name, value, &error_abort);
}

void qdev_prop_set_uint32(DeviceState *dev, const char *name, uint32_t value)
{
    object_property_set_uint(OBJECT(dev), name, value, &error_abort);
}

void qdev_prop_set_int32(DeviceState *dev, const char *name, int32_t value)
{
    object_property_set_int(OBJECT(dev), name, value, &error_abort);
}

void qdev_prop_set_uint64(DeviceState *dev, const char *name, uint64_t value)
{
    object_property_set_uint(OBJECT(dev), name, value, &error_abort);
}

void qdev_prop_set_string(DeviceState *dev, const char *name, const char *value)
{
    object_property_set_str(OBJECT(dev), name, value, &error_abort);
}

void qdev_prop_set_enum(DeviceState *dev, const char *name, int value)
{
    ObjectProperty *op =
        object_property_find_err(OBJECT(dev), name, &error_abort);

    g_assert(op->enum_values);
    object_property_set_str(OBJECT(dev), name, op->enum_values[value],
                            &error_abort);
}

char *qdev_property_help_line(ObjectProperty *prop)
{
    return object_property_help(prop->name, prop->type, prop->defval,
                                prop->description);
}
