/*
 * QMP command registry and request dispatch: validating the request
 * envelope, the capabilities negotiation gate, and building the reply.
 */
#include "qemu/osdep.h"
#include "monitor-internal.h"

typedef struct QmpCommand {
    QmpCommandFunc fn;
    QmpCommandOptions options;
} QmpCommand;

static GHashTable *qmp_commands;

void qmp_register_command(const char *name, QmpCommandFunc fn,
                          QmpCommandOptions options)
{
    QmpCommand *cmd = g_new0(QmpCommand, 1);

    if (!qmp_commands) {
        qmp_commands =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    }
    g_assert(!g_hash_table_contains(qmp_commands, name));
    cmd->fn = fn;
    cmd->options = options;
    g_hash_table_insert(qmp_commands, g_strdup(name), cmd);
}

void qmp_init_commands(void)
{
    static bool done;

    if (done) {
        return;
    }
    done = true;
    qmp_register_control_commands();
    qmp_register_run_commands();
    qmp_register_machine_commands();
    qmp_register_qom_commands();
    qmp_register_qdev_commands();
    qmp_register_fd_commands();
    qmp_register_fdset_commands();
    qmp_register_pci_commands();
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *qmp_command_names(void)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GHashTableIter iter;
    gpointer key;

    qmp_init_commands();
    g_hash_table_iter_init(&iter, qmp_commands);
    while (g_hash_table_iter_next(&iter, &key, NULL)) {
        g_ptr_array_add(names, g_strdup(key));
    }
    g_ptr_array_sort(names, compare_names);
    return names;
}

static bool is_string(JsonNode *node)
{
    return JSON_NODE_HOLDS_VALUE(node) &&
           json_node_get_value_type(node) == G_TYPE_STRING;
}

/* Checks the envelope; returns the command name ("execute"/"exec-oob"). */
static const char *check_request(Monitor *mon, JsonObject *req, bool *oob,
                                 Error **errp)
{
    g_autoptr(GList) members = json_object_get_members(req);
    const char *exec_key = NULL;

    for (GList *l = members; l; l = l->next) {
        const char *key = l->data;
        JsonNode *value = json_object_get_member(req, key);

        if (!strcmp(key, "execute") || (!strcmp(key, "exec-oob") && mon->oob)) {
            if (!is_string(value)) {
                error_setg(errp, "QMP input member '%s' must be a string", key);
                return NULL;
            }
            if (exec_key) {
                error_setg(errp, "QMP input member '%s' clashes with '%s'", key,
                           exec_key);
                return NULL;
            }
            exec_key = key;
        } else if (!strcmp(key, "arguments")) {
            if (!JSON_NODE_HOLDS_OBJECT(value)) {
                error_setg(errp,
                           "QMP input member 'arguments' must be an object");
                return NULL;
            }
        } else if (strcmp(key, "id")) {
            error_setg(errp, "QMP input member '%s' is unexpected", key);
            return NULL;
        }
    }
    if (!exec_key) {
        error_setg(errp, "QMP input lacks member 'execute'");
        return NULL;
    }
    *oob = !strcmp(exec_key, "exec-oob");
    return json_object_get_string_member(req, exec_key);
}

static bool run_request(Monitor *mon, JsonObject *req, JsonNode **ret,
                        Error **errp)
{
    g_autoptr(JsonObject) empty = json_object_new();
    const char *name;
    QmpCommand *cmd;
    JsonObject *args;
    bool oob;

    name = check_request(mon, req, &oob, errp);
    if (!name) {
        return false;
    }
    cmd = g_hash_table_lookup(qmp_commands, name);
    if (!mon->negotiated && (!cmd || strcmp(name, "qmp_capabilities"))) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "Expecting capabilities negotiation with "
                  "'qmp_capabilities'");
        return false;
    }
    if (!cmd) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "The command %s has not been found", name);
        return false;
    }
    if (oob) {
        error_setg(errp, "The command %s does not support OOB", name);
        return false;
    }
    args = json_object_has_member(req, "arguments")
               ? json_object_get_object_member(req, "arguments")
               : empty;
    return cmd->fn(mon, args, ret, errp);
}

JsonObject *qmp_dispatch(Monitor *mon, JsonNode *req)
{
    JsonObject *rsp = json_object_new();
    JsonNode *ret = NULL;
    Error *err = NULL;
    JsonNode *id = NULL;

    qmp_init_commands();
    if (!JSON_NODE_HOLDS_OBJECT(req)) {
        error_setg(&err, "QMP input must be a JSON object");
    } else {
        id = json_object_get_member(json_node_get_object(req), "id");
        if (run_request(mon, json_node_get_object(req), &ret, &err)) {
            json_object_set_member(
                rsp, "return",
                ret ? ret
                    : json_node_init_object(json_node_alloc(),
                                            json_object_new()));
            ret = NULL;
        }
    }
    if (ret) {
        json_node_unref(ret); /* a failing command left a value behind */
    }
    if (err) {
        JsonObject *e = json_object_new();

        json_object_set_string_member(e, "class",
                                      error_class_name(error_get_class(err)));
        json_object_set_string_member(e, "desc", error_get_pretty(err));
        json_object_set_object_member(rsp, "error", e);
        error_free(err);
    }
    if (id) {
        json_object_set_member(rsp, "id", json_node_copy(id));
    }
    return rsp;
}
