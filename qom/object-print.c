/*
 * Rendering property values and help lines for people.
 */
#include "qemu/osdep.h"
#include "qom/object.h"

/* Width the "  name=<type>" column is padded to, as QEMU's help does. */
#define HELP_NAME_COLUMN 24

char *object_property_help(const char *name, const char *type, JsonNode *defval,
                           const char *description)
{
    GString *line = g_string_new(NULL);

    g_string_append_printf(line, "  %s=<%s>", name, type);
    if (description || defval) {
        while (line->len < HELP_NAME_COLUMN) {
            g_string_append_c(line, ' ');
        }
        g_string_append(line, " - ");
    }
    if (description) {
        g_string_append(line, description);
    }
    if (defval) {
        g_autofree char *json = json_to_string(defval, FALSE);

        g_string_append_printf(line, " (default: %s)", json);
    }
    return g_string_free(line, FALSE);
}

static bool is_unsigned_type(const char *type)
{
    return !strcmp(type, "uint64") || !strcmp(type, "size");
}

static char *render_value(const ObjectProperty *prop, JsonNode *value)
{
    if (JSON_NODE_HOLDS_NULL(value)) {
        return g_strdup("");
    }
    if (!JSON_NODE_HOLDS_VALUE(value)) {
        return json_to_string(value, FALSE);
    }
    switch (json_node_get_value_type(value)) {
    case G_TYPE_STRING:
        return g_strdup(json_node_get_string(value));
    case G_TYPE_BOOLEAN:
        return g_strdup(json_node_get_boolean(value) ? "true" : "false");
    case G_TYPE_INT64:
        if (is_unsigned_type(prop->type)) {
            return g_strdup_printf("%" PRIu64,
                                   (uint64_t)json_node_get_int(value));
        }
        return g_strdup_printf("%" PRId64, json_node_get_int(value));
    default:
        return json_to_string(value, FALSE);
    }
}

char *object_property_print(Object *obj, const char *name, Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);
    JsonNode *value;
    char *text;

    if (!prop) {
        return NULL;
    }
    value = object_property_get(obj, name, errp);
    if (!value) {
        return NULL;
    }
    text = render_value(prop, value);
    json_node_unref(value);
    return text;
}
