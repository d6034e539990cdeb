/*
 * Typed access to QMP command arguments with QMP's error messages.
 */
#include "qemu/osdep.h"
#include "monitor/qmp.h"

/* The member if present with the wanted JSON type; NULL otherwise. */
static JsonNode *arg_node(JsonObject *args, const char *name, bool required,
                          GType type, const char *type_name, Error **errp)
{
    JsonNode *node = json_object_get_member(args, name);

    if (!node) {
        if (required) {
            error_setg(errp, "Parameter '%s' is missing", name);
        }
        return NULL;
    }
    if (!JSON_NODE_HOLDS_VALUE(node) ||
        json_node_get_value_type(node) != type) {
        error_setg(errp, "Invalid parameter type for '%s', expected: %s", name,
                   type_name);
        return NULL;
    }
    return node;
}

const char *qmp_arg_str(JsonObject *args, const char *name, bool required,
                        Error **errp)
{
    JsonNode *node =
        arg_node(args, name, required, G_TYPE_STRING, "string", errp);

    return node ? json_node_get_string(node) : NULL;
}

bool qmp_arg_bool(JsonObject *args, const char *name, bool required, bool *out,
                  Error **errp)
{
    JsonNode *node =
        arg_node(args, name, required, G_TYPE_BOOLEAN, "boolean", errp);

    if (node) {
        *out = json_node_get_boolean(node);
    }
    return node || (!required && !json_object_has_member(args, name));
}

bool qmp_arg_int(JsonObject *args, const char *name, bool required,
                 int64_t *out, Error **errp)
{
    JsonNode *node =
        arg_node(args, name, required, G_TYPE_INT64, "integer", errp);

    if (node) {
        *out = json_node_get_int(node);
    }
    return node || (!required && !json_object_has_member(args, name));
}

bool qmp_args_check(JsonObject *args, const char *const *allowed, Error **errp)
{
    g_autoptr(GList) members = json_object_get_members(args);

    for (GList *l = members; l; l = l->next) {
        if (!g_strv_contains(allowed, l->data)) {
            error_setg(errp, "Parameter '%s' is unexpected", (char *)l->data);
            return false;
        }
    }
    return true;
}
