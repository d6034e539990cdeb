/*
 * Protocol-level commands: qmp_capabilities, query-version,
 * query-commands, query-qmp-schema.
 */
#include "qemu/osdep.h"
#include "config-host.h"
#include "monitor-internal.h"
#include "qmp-json.h"

JsonObject *qmp_version_object(void)
{
    JsonObject *version = json_object_new();
    JsonObject *qemu = json_object_new();

    json_object_set_int_member(qemu, "micro", QEMU_VERSION_MICRO);
    json_object_set_int_member(qemu, "minor", QEMU_VERSION_MINOR);
    json_object_set_int_member(qemu, "major", QEMU_VERSION_MAJOR);
    json_object_set_object_member(version, "qemu", qemu);
    json_object_set_string_member(version, "package", "");
    return version;
}

/* "enable": the capabilities to turn on; only "oob" exists. */
static bool parse_enable(JsonObject *args, bool *oob, Error **errp)
{
    JsonNode *node = json_object_get_member(args, "enable");
    JsonArray *arr;

    if (!node) {
        return true;
    }
    if (!JSON_NODE_HOLDS_ARRAY(node)) {
        error_setg(errp, "Invalid parameter type for 'enable', expected: "
                         "array");
        return false;
    }
    arr = json_node_get_array(node);
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonNode *cap = json_array_get_element(arr, i);

        if (!JSON_NODE_HOLDS_VALUE(cap) ||
            json_node_get_value_type(cap) != G_TYPE_STRING) {
            error_setg(errp,
                       "Invalid parameter type for 'enable[%u]', "
                       "expected: string",
                       i);
            return false;
        }
        if (strcmp(json_node_get_string(cap), "oob")) {
            error_setg(errp,
                       "Parameter 'enable[%u]' does not accept value "
                       "'%s'",
                       i, json_node_get_string(cap));
            return false;
        }
        *oob = true;
    }
    return true;
}

static bool qmp_capabilities(Monitor *mon, JsonObject *args, JsonNode **ret,
                             Error **errp)
{
    static const char *const allowed[] = {"enable", NULL};
    bool oob = false;

    if (!parse_enable(args, &oob, errp) ||
        !qmp_args_check(args, allowed, errp)) {
        return false;
    }
    if (mon->negotiated) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "Capabilities negotiation is already complete, command "
                  "ignored");
        return false;
    }
    mon->negotiated = true;
    mon->oob = oob;
    return true;
}

static bool query_version(Monitor *mon, JsonObject *args, JsonNode **ret,
                          Error **errp)
{
    static const char *const allowed[] = {NULL};

    if (!qmp_args_check(args, allowed, errp)) {
        return false;
    }
    *ret = qmp_node_take_object(qmp_version_object());
    return true;
}

static bool query_commands(Monitor *mon, JsonObject *args, JsonNode **ret,
                           Error **errp)
{
    static const char *const allowed[] = {NULL};
    g_autoptr(GPtrArray) names = NULL;
    JsonArray *list;

    if (!qmp_args_check(args, allowed, errp)) {
        return false;
    }
    names = qmp_command_names();
    list = json_array_new();
    for (guint i = 0; i < names->len; i++) {
        JsonObject *info = json_object_new();

        json_object_set_string_member(info, "name", names->pdata[i]);
        json_array_add_object_element(list, info);
    }
    *ret = qmp_node_take_array(list);
    return true;
}

/*
 * A minimal schema: every command, with arguments and return value of
 * one opaque object type "0". It tells clients which commands exist;
 * it does not describe their members.
 */
static bool query_qmp_schema(Monitor *mon, JsonObject *args, JsonNode **ret,
                             Error **errp)
{
    static const char *const allowed[] = {NULL};
    g_autoptr(GPtrArray) names = NULL;
    JsonArray *schema;
    JsonObject *any;

    if (!qmp_args_check(args, allowed, errp)) {
        return false;
    }
    names = qmp_command_names();
    schema = json_array_new();
    for (guint i = 0; i < names->len; i++) {
        JsonObject *cmd = json_object_new();

        json_object_set_string_member(cmd, "name", names->pdata[i]);
        json_object_set_string_member(cmd, "meta-type", "command");
        json_object_set_string_member(cmd, "arg-type", "0");
        json_object_set_string_member(cmd, "ret-type", "0");
        json_array_add_object_element(schema, cmd);
    }
    any = json_object_new();
    json_object_set_string_member(any, "name", "0");
    json_object_set_string_member(any, "meta-type", "object");
    json_object_set_array_member(any, "members", json_array_new());
    json_array_add_object_element(schema, any);
    *ret = qmp_node_take_array(schema);
    return true;
}

void qmp_register_control_commands(void)
{
    qmp_register_command("qmp_capabilities", qmp_capabilities,
                         QCO_ALLOW_PRECONFIG);
    qmp_register_command("query-version", query_version, QCO_ALLOW_PRECONFIG);
    qmp_register_command("query-commands", query_commands, QCO_ALLOW_PRECONFIG);
    qmp_register_command("query-qmp-schema", query_qmp_schema,
                         QCO_ALLOW_PRECONFIG);
}
