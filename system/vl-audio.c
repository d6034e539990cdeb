/*
 * -audiodev and -audio. There is no sound hardware here, so only the
 * "none" driver exists; management tools still pass one audiodev.
 */
#include "qemu/osdep.h"
#include "system/vl-internal.h"

/* QEMU's driver names: known but not built into this emulator. */
static const char *const other_drivers[] = {
    "alsa", "coreaudio", "dbus", "dsound", "jack", "oss", "pa", "pipewire",
    "sdl", "sndio", "spice", "wav", NULL,
};

static const char *const direction_keys[] = {
    "mixing-engine", "fixed-settings", "frequency", "channels", "voices",
    "format", "buffer-length", NULL,
};

static bool audio_check_driver(const char *driver, Error **errp)
{
    if (!driver) {
        error_setg(errp, "Parameter 'driver' is missing");
        return false;
    }
    if (g_str_equal(driver, "none")) {
        return true;
    }
    if (g_strv_contains(other_drivers, driver)) {
        error_setg(errp, "Audio driver '%s' not available", driver);
    } else {
        error_setg(errp, "Parameter 'driver' does not accept value '%s'",
                   driver);
    }
    return false;
}

/* "in.frequency" style keys; JSON uses nested "in"/"out" objects. */
static bool audio_key_valid(const char *key)
{
    const char *sub = NULL;

    if (g_str_equal(key, "id") || g_str_equal(key, "driver") ||
        g_str_equal(key, "timer-period")) {
        return true;
    }
    if (g_str_has_prefix(key, "in.")) {
        sub = key + 3;
    } else if (g_str_has_prefix(key, "out.")) {
        sub = key + 4;
    }
    return sub && g_strv_contains(direction_keys, sub);
}

static bool audio_check_json_dir(JsonObject *obj, const char *dir,
                                 Error **errp)
{
    JsonNode *node = json_object_get_member(obj, dir);
    g_autoptr(GList) members = NULL;

    if (!JSON_NODE_HOLDS_OBJECT(node)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: object",
                   dir);
        return false;
    }
    members = json_object_get_members(json_node_get_object(node));
    for (GList *m = members; m; m = m->next) {
        if (!g_strv_contains(direction_keys, m->data)) {
            error_setg(errp, "Parameter '%s.%s' is unexpected", dir,
                       (char *)m->data);
            return false;
        }
    }
    return true;
}

static bool audio_check_keys(const VlOpt *opt, Error **errp)
{
    g_autoptr(JsonObject) obj = vl_opt_to_json(opt);
    g_autoptr(GList) members = json_object_get_members(obj);

    for (GList *m = members; m; m = m->next) {
        const char *key = m->data;

        if (opt->json && (g_str_equal(key, "in") || g_str_equal(key, "out"))) {
            if (!audio_check_json_dir(obj, key, errp)) {
                return false;
            }
        } else if (!audio_key_valid(key)) {
            error_setg(errp, "Parameter '%s' is unexpected", key);
            return false;
        }
    }
    return true;
}

static const char *json_get_str(JsonObject *obj, const char *key)
{
    JsonNode *node = json_object_get_member(obj, key);

    if (!node || json_node_get_value_type(node) != G_TYPE_STRING) {
        return NULL;
    }
    return json_node_get_string(node);
}

static bool audio_register_id(const char *id, Error **errp)
{
    static GHashTable *ids;

    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return false;
    }
    if (!ids) {
        ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    }
    if (g_hash_table_contains(ids, id)) {
        error_setg(errp, "Duplicate ID '%s' for audiodev", id);
        return false;
    }
    g_hash_table_add(ids, g_strdup(id));
    return true;
}

bool vl_opt_audiodev(VlConfig *cfg, const char *arg, Error **errp)
{
    bool help;
    VlOpt *opt = vl_opt_parse("-audiodev", arg, "driver", &help, errp);
    g_autoptr(JsonObject) obj = NULL;
    bool ok;

    if (!opt) {
        return false;
    }
    obj = vl_opt_to_json(opt);
    if (help || g_strcmp0(json_get_str(obj, "driver"), "help") == 0) {
        vl_request_help(cfg, vl_help_audio, NULL);
        vl_opt_free(opt);
        return true;
    }
    ok = audio_check_driver(json_get_str(obj, "driver"), errp) &&
         audio_check_keys(opt, errp) &&
         audio_register_id(json_get_str(obj, "id"), errp);
    vl_opt_free(opt);
    return ok;
}

bool vl_opt_audio(VlConfig *cfg, const char *arg, Error **errp)
{
    static const char *const keys[] = {"driver", "model", NULL};
    bool help;
    g_autoptr(Keyval) kv = keyval_parse(arg, "driver", false, &help, errp);
    const char *model;

    if (!kv) {
        return false;
    }
    if (help || g_strcmp0(keyval_get(kv, "driver"), "help") == 0) {
        vl_request_help(cfg, vl_help_audio, NULL);
        return true;
    }
    if (!vl_keyval_check(kv, keys, errp)) {
        return false;
    }
    model = keyval_get(kv, "model");
    if (model) {
        error_setg(errp, "sound card model '%s' is not available", model);
        return false;
    }
    return audio_check_driver(keyval_get(kv, "driver"), errp);
}
