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

/* Value kinds of QEMU's Audiodev options. */
typedef enum AudioKind {
    AUDIO_BOOL,
    AUDIO_U32,
    AUDIO_FORMAT,
} AudioKind;

typedef struct AudioKey {
    const char *name;
    AudioKind kind;
} AudioKey;

/* The members of "in" and "out" (in.frequency=... in key=value form). */
static const AudioKey direction_keys[] = {
    {"mixing-engine", AUDIO_BOOL}, {"fixed-settings", AUDIO_BOOL},
    {"frequency", AUDIO_U32},      {"channels", AUDIO_U32},
    {"voices", AUDIO_U32},         {"format", AUDIO_FORMAT},
    {"buffer-length", AUDIO_U32},
};

static const char *const audio_formats[] = {
    "u8", "s8", "u16", "s16", "u32", "s32", "f32", NULL,
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

static const AudioKey *audio_direction_key(const char *sub)
{
    for (size_t i = 0; i < ARRAY_SIZE(direction_keys); i++) {
        if (g_str_equal(direction_keys[i].name, sub)) {
            return &direction_keys[i];
        }
    }
    return NULL;
}

static bool node_is(JsonNode *node, GType type)
{
    return JSON_NODE_HOLDS_VALUE(node) &&
           json_node_get_value_type(node) == type;
}

/*
 * Checks a value although nothing uses it: key=value text is parsed,
 * JSON is typed strictly, as QEMU's Audiodev visitor does.
 */
static bool audio_check_value(const char *key, AudioKind kind,
                              JsonNode *node, bool json, Error **errp)
{
    GType want = !json ? G_TYPE_STRING
                 : kind == AUDIO_BOOL ? G_TYPE_BOOLEAN
                 : kind == AUDIO_U32  ? G_TYPE_INT64
                                      : G_TYPE_STRING;
    uint64_t v;
    bool b;

    if (!node_is(node, want)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: %s", key,
                   kind == AUDIO_BOOL ? "boolean"
                   : kind == AUDIO_U32 ? "integer"
                                       : "string");
        return false;
    }
    switch (kind) {
    case AUDIO_BOOL:
        return json || vl_parse_on_off(key, json_node_get_string(node), &b,
                                       errp);
    case AUDIO_U32:
        if (json) {
            v = json_node_get_int(node) < 0 ? UINT64_MAX
                                            : json_node_get_int(node);
        } else if (!vl_parse_uint(key, json_node_get_string(node), &v,
                                  errp)) {
            return false;
        }
        if (v > UINT32_MAX) {
            error_setg(errp, "Parameter '%s' expects uint32_t", key);
            return false;
        }
        return true;
    default:
        return vl_parse_choice(key, json_node_get_string(node), audio_formats,
                               errp) >= 0;
    }
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
        const AudioKey *k = audio_direction_key(m->data);
        g_autofree char *key = g_strdup_printf("%s.%s", dir, (char *)m->data);

        if (!k) {
            error_setg(errp, "Parameter '%s' is unexpected", key);
            return false;
        }
        if (!audio_check_value(
                key, k->kind,
                json_object_get_member(json_node_get_object(node), m->data),
                true, errp)) {
            return false;
        }
    }
    return true;
}

static bool audio_check_keys(const VlOpt *opt, JsonObject *obj, Error **errp)
{
    g_autoptr(GList) members = json_object_get_members(obj);

    for (GList *m = members; m; m = m->next) {
        const char *key = m->data;
        JsonNode *node = json_object_get_member(obj, key);
        const AudioKey *k = NULL;
        bool ok;

        if (g_str_equal(key, "id") || g_str_equal(key, "driver")) {
            continue;
        }
        if (opt->json && (g_str_equal(key, "in") || g_str_equal(key, "out"))) {
            ok = audio_check_json_dir(obj, key, errp);
        } else if (g_str_equal(key, "timer-period")) {
            ok = audio_check_value(key, AUDIO_U32, node, opt->json, errp);
        } else {
            if (!opt->json && g_str_has_prefix(key, "in.")) {
                k = audio_direction_key(key + 3);
            } else if (!opt->json && g_str_has_prefix(key, "out.")) {
                k = audio_direction_key(key + 4);
            }
            if (!k) {
                error_setg(errp, "Parameter '%s' is unexpected", key);
                return false;
            }
            ok = audio_check_value(key, k->kind, node, opt->json, errp);
        }
        if (!ok) {
            return false;
        }
    }
    return true;
}

static const char *json_get_str(JsonObject *obj, const char *key)
{
    JsonNode *node = json_object_get_member(obj, key);

    if (!node || !node_is(node, G_TYPE_STRING)) {
        return NULL;
    }
    return json_node_get_string(node);
}

/* A required string member; NULL and errp set if absent or mistyped. */
static const char *audio_get_str(JsonObject *obj, const char *key,
                                 Error **errp)
{
    JsonNode *node = json_object_get_member(obj, key);

    if (!node) {
        error_setg(errp, "Parameter '%s' is missing", key);
        return NULL;
    }
    if (!node_is(node, G_TYPE_STRING)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: string",
                   key);
        return NULL;
    }
    return json_node_get_string(node);
}

static bool audio_register_id(const char *id, Error **errp)
{
    static GHashTable *ids;

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
    const char *driver, *id;
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
    driver = audio_get_str(obj, "driver", errp);
    ok = driver && audio_check_driver(driver, errp) &&
         audio_check_keys(opt, obj, errp) &&
         (id = audio_get_str(obj, "id", errp)) &&
         audio_register_id(id, errp);
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
