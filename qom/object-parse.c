/*
 * The string form of property values (key=value, -global, compat tables),
 * converted by the property's type name.
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "qemu/keyval.h"
#include "qom-internal.h"

typedef struct IntRange {
    const char *type;
    int64_t min;
    uint64_t max;
} IntRange;

static const IntRange int_ranges[] = {
    {"uint8", 0, UINT8_MAX},         {"uint16", 0, UINT16_MAX},
    {"uint32", 0, UINT32_MAX},       {"uint64", 0, UINT64_MAX},
    {"int8", INT8_MIN, INT8_MAX},    {"int16", INT16_MIN, INT16_MAX},
    {"int32", INT32_MIN, INT32_MAX}, {"int64", INT64_MIN, INT64_MAX},
    {"int", INT64_MIN, INT64_MAX},
};

void qom_enum_value_error(Error **errp, const char *owner, const char *name,
                          const char *value, const char *const *values)
{
    g_autofree char *list = g_strjoinv(", ", (char **)values);

    error_setg(errp,
               "Property '%s.%s' does not accept value '%s' "
               "(valid values: %s)",
               owner, name, value, list);
}

static JsonNode *parse_enum(const char *owner, const ObjectProperty *prop,
                            const char *string, Error **errp)
{
    if (!g_strv_contains(prop->enum_values, string)) {
        qom_enum_value_error(errp, owner, prop->name, string,
                             prop->enum_values);
        return NULL;
    }
    return json_node_init_string(json_node_alloc(), string);
}

static JsonNode *parse_bool(const char *owner, const ObjectProperty *prop,
                            const char *string, Error **errp)
{
    g_autofree char *full = g_strdup_printf("%s.%s", owner, prop->name);
    bool value;

    if (!qemu_parse_bool(full, string, &value, errp)) {
        return NULL;
    }
    return json_node_init_boolean(json_node_alloc(), value);
}

/* The result is the value as int64 (uint64 above INT64_MAX: bit pattern). */
static JsonNode *parse_int(const char *owner, const ObjectProperty *prop,
                           const IntRange *range, const char *string,
                           Error **errp)
{
    int64_t sval;
    uint64_t uval;
    bool in_range;

    if (qemu_strtoi64(string, &sval)) {
        in_range = sval < 0 ? sval >= range->min : (uint64_t)sval <= range->max;
        uval = (uint64_t)sval;
    } else if (qemu_strtou64(string, &uval)) {
        in_range = uval <= range->max;
    } else {
        error_setg(errp, "Property '%s.%s' expects an integer, not '%s'", owner,
                   prop->name, string);
        return NULL;
    }
    if (!in_range) {
        error_setg(errp,
                   "Property '%s.%s' doesn't take value '%s' "
                   "(minimum: %" PRId64 ", maximum: %" PRIu64 ")",
                   owner, prop->name, string, range->min, range->max);
        return NULL;
    }
    return json_node_init_int(json_node_alloc(), (int64_t)uval);
}

static JsonNode *parse_size(const char *owner, const ObjectProperty *prop,
                            const char *string, Error **errp)
{
    uint64_t value;

    if (!qemu_strtosz(string, 0, &value)) {
        error_setg(errp,
                   "Property '%s.%s' expects a size (a number with an "
                   "optional B, K, M, G, T, P or E suffix), not '%s'",
                   owner, prop->name, string);
        return NULL;
    }
    return json_node_init_int(json_node_alloc(), (int64_t)value);
}

JsonNode *object_property_string_to_node(const char *owner,
                                         const ObjectProperty *prop,
                                         const char *string, Error **errp)
{
    if (prop->parse) {
        return prop->parse(prop, string, errp);
    }
    if (prop->enum_values) {
        return parse_enum(owner, prop, string, errp);
    }
    if (!strcmp(prop->type, "bool")) {
        return parse_bool(owner, prop, string, errp);
    }
    if (!strcmp(prop->type, "size")) {
        return parse_size(owner, prop, string, errp);
    }
    for (size_t i = 0; i < ARRAY_SIZE(int_ranges); i++) {
        if (!strcmp(prop->type, int_ranges[i].type)) {
            return parse_int(owner, prop, &int_ranges[i], string, errp);
        }
    }
    /* "str", "link<...>" and anything else take the text as it is. */
    return json_node_init_string(json_node_alloc(), string);
}
