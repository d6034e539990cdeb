/*
 * The "key=value,..." option syntax (see include/qemu/keyval.h).
 */
#include "qemu/osdep.h"
#include "qemu/keyval.h"

static void keyval_item_free(gpointer data)
{
    KeyvalItem *item = data;

    g_free(item->key);
    g_free(item->value);
    g_free(item);
}

static void keyval_append(Keyval *kv, char *key, char *value)
{
    KeyvalItem *item = g_new(KeyvalItem, 1);

    item->key = key;
    item->value = value;
    g_ptr_array_add(kv->items, item);
}

/*
 * Reads a value up to the next single ',' (",," is a literal comma).
 * Returns the position after the terminating ',' or at the final NUL.
 */
static const char *parse_value(const char *p, char **value)
{
    GString *out = g_string_new(NULL);

    for (; *p; p++) {
        if (*p == ',') {
            if (p[1] != ',') {
                p++;
                break;
            }
            p++;
        }
        g_string_append_c(out, *p);
    }
    *value = g_string_free(out, FALSE);
    return p;
}

static bool is_help(const char *s, size_t len)
{
    return (len == 4 && !strncmp(s, "help", 4)) || (len == 1 && s[0] == '?');
}

/* Handles an item without '=' (implied value, help request or flag). */
static const char *parse_bare(Keyval *kv, const char *p, size_t len,
                              const char *implied_key, bool allow_bare_flags,
                              bool *help, Error **errp)
{
    char *value;

    if (help && is_help(p, len)) {
        *help = true;
        return p[len] ? p + len + 1 : p + len;
    }
    if (implied_key) {
        p = parse_value(p, &value);
        keyval_append(kv, g_strdup(implied_key), value);
        return p;
    }
    if (!allow_bare_flags) {
        error_setg(errp, "Expected '=' after parameter '%.*s'", (int)len, p);
        return NULL;
    }
    keyval_append(kv, g_strndup(p, len), g_strdup("on"));
    return p[len] ? p + len + 1 : p + len;
}

Keyval *keyval_parse(const char *params, const char *implied_key,
                     bool allow_bare_flags, bool *help, Error **errp)
{
    g_autoptr(Keyval) kv = g_new0(Keyval, 1);
    const char *p = params;
    bool first = true;

    kv->items = g_ptr_array_new_with_free_func(keyval_item_free);
    if (help) {
        *help = false;
    }
    while (*p) {
        size_t len = strcspn(p, "=,");
        char *value;

        if (len == 0) {
            error_setg(errp, "Missing parameter name in '%s'", p);
            return NULL;
        }
        if (p[len] == '=') {
            char *key = g_strndup(p, len);

            p = parse_value(p + len + 1, &value);
            keyval_append(kv, key, value);
        } else {
            p = parse_bare(kv, p, len, first ? implied_key : NULL,
                           allow_bare_flags, help, errp);
            if (!p) {
                return NULL;
            }
        }
        first = false;
    }
    return g_steal_pointer(&kv);
}

void keyval_free(Keyval *kv)
{
    if (!kv) {
        return;
    }
    g_ptr_array_free(kv->items, TRUE);
    g_free(kv);
}

const char *keyval_get(const Keyval *kv, const char *key)
{
    for (guint i = kv->items->len; i > 0; i--) {
        KeyvalItem *item = g_ptr_array_index(kv->items, i - 1);

        if (!strcmp(item->key, key)) {
            return item->value;
        }
    }
    return NULL;
}

char *keyval_take(Keyval *kv, const char *key)
{
    char *last = NULL;
    guint i = 0;

    while (i < kv->items->len) {
        KeyvalItem *item = g_ptr_array_index(kv->items, i);

        if (strcmp(item->key, key)) {
            i++;
            continue;
        }
        g_free(last);
        last = g_steal_pointer(&item->value);
        g_ptr_array_remove_index(kv->items, i);
    }
    return last;
}

void keyval_set(Keyval *kv, const char *key, const char *value)
{
    bool found = false;

    /* Existing items keep their position; each takes the new value. */
    for (guint i = 0; i < kv->items->len; i++) {
        KeyvalItem *item = g_ptr_array_index(kv->items, i);

        if (!strcmp(item->key, key)) {
            g_free(item->value);
            item->value = g_strdup(value);
            found = true;
        }
    }
    if (!found) {
        keyval_append(kv, g_strdup(key), g_strdup(value));
    }
}

JsonObject *keyval_to_json_object(const Keyval *kv)
{
    JsonObject *obj = json_object_new();

    for (guint i = 0; i < kv->items->len; i++) {
        KeyvalItem *item = g_ptr_array_index(kv->items, i);

        json_object_set_string_member(obj, item->key, item->value);
    }
    return obj;
}

bool qemu_parse_bool(const char *name, const char *value, bool *out,
                     Error **errp)
{
    static const char *const yes[] = {"on", "yes", "true", "y"};
    static const char *const no[] = {"off", "no", "false", "n"};

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (!strcmp(value, yes[i])) {
            *out = true;
            return true;
        }
        if (!strcmp(value, no[i])) {
            *out = false;
            return true;
        }
    }
    error_setg(errp, "Parameter '%s' expects 'on' or 'off'", name);
    return false;
}
