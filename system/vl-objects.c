/*
 * -object, -device and -global: parsed (key=value or JSON) while the
 * command line is read, created later in the start-up sequence.
 */
#include "qemu/osdep.h"
#include "monitor/qdev.h"
#include "qom/object_interfaces.h"
#include "system/vl-internal.h"

static const char *json_str_member(JsonObject *obj, const char *key)
{
    JsonNode *node = json_object_get_member(obj, key);

    if (!node || json_node_get_value_type(node) != G_TYPE_STRING) {
        return NULL;
    }
    return json_node_get_string(node);
}

static bool vl_is_help(const char *name)
{
    return g_strcmp0(name, "help") == 0 || g_strcmp0(name, "?") == 0;
}

static bool vl_require_str(JsonObject *obj, const char *key, Error **errp)
{
    if (!json_object_has_member(obj, key)) {
        error_setg(errp, "Parameter '%s' is missing", key);
        return false;
    }
    if (!json_str_member(obj, key)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: string",
                   key);
        return false;
    }
    return true;
}

bool vl_opt_object(VlConfig *cfg, const char *arg, Error **errp)
{
    bool help;
    VlOpt *opt = vl_opt_parse("-object", arg, "qom-type", &help, errp);
    g_autoptr(JsonObject) obj = NULL;
    const char *type;

    if (!opt) {
        return false;
    }
    obj = vl_opt_to_json(opt);
    type = json_str_member(obj, "qom-type");
    if (help || vl_is_help(type)) {
        vl_request_help(cfg, vl_help_object, vl_is_help(type) ? NULL : type);
        vl_opt_free(opt);
        return true;
    }
    if (!vl_require_str(obj, "qom-type", errp) ||
        !vl_require_str(obj, "id", errp)) {
        vl_opt_free(opt);
        return false;
    }
    g_ptr_array_add(cfg->objects, opt);
    return true;
}

bool vl_opt_device(VlConfig *cfg, const char *arg, Error **errp)
{
    bool help;
    VlOpt *opt = vl_opt_parse("-device", arg, "driver", &help, errp);
    g_autoptr(JsonObject) obj = NULL;
    const char *driver;

    if (!opt) {
        return false;
    }
    obj = vl_opt_to_json(opt);
    driver = json_str_member(obj, "driver");
    if (help || vl_is_help(driver)) {
        vl_request_help(cfg, vl_help_device,
                        vl_is_help(driver) ? NULL : driver);
        vl_opt_free(opt);
        return true;
    }
    if (!vl_require_str(obj, "driver", errp)) {
        vl_opt_free(opt);
        return false;
    }
    g_ptr_array_add(cfg->devices, opt);
    return true;
}

/* monitor-qmp and monitor-hmp objects come right after the chardevs. */
static bool vl_object_is_monitor(const char *type)
{
    return g_str_has_prefix(type, "monitor-");
}

static JsonObject *vl_object_props(JsonObject *all)
{
    JsonObject *props = json_object_new();
    g_autoptr(GList) members = json_object_get_members(all);

    for (GList *m = members; m; m = m->next) {
        const char *key = m->data;

        if (!g_str_equal(key, "qom-type") && !g_str_equal(key, "id")) {
            json_object_set_member(props, key,
                                   json_object_dup_member(all, key));
        }
    }
    return props;
}

static void vl_create_object(const VlOpt *opt, JsonObject *all)
{
    g_autoptr(JsonObject) props = vl_object_props(all);
    Error *err = NULL;

    if (!user_creatable_add_type(json_str_member(all, "qom-type"),
                                 json_str_member(all, "id"), props,
                                 vl_opt_is_json(opt), &err)) {
        vl_fail(err);
    }
}

void vl_create_objects(VlConfig *cfg, bool monitors_only)
{
    for (guint i = 0; i < cfg->objects->len; i++) {
        const VlOpt *opt = g_ptr_array_index(cfg->objects, i);
        g_autoptr(JsonObject) all = vl_opt_to_json(opt);
        const char *type = json_str_member(all, "qom-type");

        if (vl_object_is_monitor(type) != monitors_only) {
            continue;
        }
        loc_set_cmdline(opt->name, opt->arg);
        vl_create_object(opt, all);
        loc_clear();
    }
}

void vl_create_devices(VlConfig *cfg)
{
    for (guint i = 0; i < cfg->devices->len; i++) {
        const VlOpt *opt = g_ptr_array_index(cfg->devices, i);
        g_autoptr(JsonObject) opts = vl_opt_to_json(opt);
        Error *err = NULL;

        loc_set_cmdline(opt->name, opt->arg);
        if (!qdev_device_add_from_json(opts, vl_opt_is_json(opt), &err)) {
            vl_fail(err);
        }
        loc_clear();
    }
}

/* "DRIVER.PROP=VALUE": the driver ends at the first '.', PROP at '='. */
static GlobalProperty *global_parse_short(const char *arg)
{
    const char *dot = strpbrk(arg, ".=");
    const char *eq;
    GlobalProperty *g;

    if (!dot || *dot != '.' || dot == arg) {
        return NULL;
    }
    eq = strchr(dot + 1, '=');
    if (!eq || eq == dot + 1) {
        return NULL;
    }
    g = g_new0(GlobalProperty, 1);
    g->driver = g_strndup(arg, dot - arg);
    g->property = g_strndup(dot + 1, eq - dot - 1);
    g->value = g_strdup(eq + 1);
    return g;
}

static GlobalProperty *global_parse_keyval(const char *arg, Error **errp)
{
    static const char *const keys[] = {"driver", "property", "value", NULL};
    bool help;
    g_autoptr(Keyval) kv = keyval_parse(arg, NULL, false, &help, errp);
    GlobalProperty *g;

    if (!kv || !vl_keyval_check(kv, keys, errp)) {
        return NULL;
    }
    for (int i = 0; keys[i]; i++) {
        if (!keyval_get(kv, keys[i])) {
            error_setg(errp, "Parameter '%s' is missing", keys[i]);
            return NULL;
        }
    }
    g = g_new0(GlobalProperty, 1);
    g->driver = keyval_take(kv, "driver");
    g->property = keyval_take(kv, "property");
    g->value = keyval_take(kv, "value");
    return g;
}

bool vl_opt_global(VlConfig *cfg, const char *arg, Error **errp)
{
    GlobalProperty *g = global_parse_short(arg);

    if (!g) {
        g = global_parse_keyval(arg, errp);
    }
    if (!g) {
        return false;
    }
    g_ptr_array_add(cfg->globals, g);
    return true;
}
