/*
 * Helpers shared by the option handlers: the key=value and JSON forms of
 * an option argument and small value checks with QEMU's error texts.
 */
#include "qemu/osdep.h"
#include "system/vl-internal.h"

VlOpt *vl_opt_new(const char *name, const char *arg)
{
    VlOpt *opt = g_new0(VlOpt, 1);

    opt->name = name;
    opt->arg = g_strdup(arg);
    return opt;
}

bool vl_opt_is_json(const VlOpt *opt)
{
    return opt->json != NULL;
}

void vl_opt_free(VlOpt *opt)
{
    if (opt->kv) {
        keyval_free(opt->kv);
    }
    if (opt->json) {
        json_object_unref(opt->json);
    }
    g_free(opt->arg);
    g_free(opt);
}

VlOpt *vl_opt_parse(const char *name, const char *arg, const char *implied,
                    bool *help, Error **errp)
{
    VlOpt *opt = vl_opt_new(name, arg);

    *help = false;
    if (arg[0] == '{') {
        opt->json = qemu_parse_json_object(arg, errp);
    } else {
        opt->kv = keyval_parse(arg, implied, false, help, errp);
    }
    if (!opt->json && !opt->kv) {
        vl_opt_free(opt);
        return NULL;
    }
    return opt;
}

JsonObject *vl_opt_to_json(const VlOpt *opt)
{
    if (opt->json) {
        return json_object_ref(opt->json);
    }
    return keyval_to_json_object(opt->kv);
}

bool vl_keyval_check(const Keyval *kv, const char *const *allowed,
                     Error **errp)
{
    for (guint i = 0; i < kv->items->len; i++) {
        const KeyvalItem *item = g_ptr_array_index(kv->items, i);

        if (!g_strv_contains((const char *const *)allowed, item->key)) {
            error_setg(errp, "Invalid parameter '%s'", item->key);
            return false;
        }
    }
    return true;
}

bool vl_parse_on_off(const char *key, const char *value, bool *out,
                     Error **errp)
{
    return qemu_parse_bool(key, value, out, errp);
}

bool vl_parse_uint(const char *key, const char *value, uint64_t *out,
                   Error **errp)
{
    if (!qemu_strtou64(value, out)) {
        error_setg(errp, "Parameter '%s' expects a number", key);
        return false;
    }
    return true;
}

int vl_parse_choice(const char *key, const char *value,
                    const char *const *choices, Error **errp)
{
    for (int i = 0; choices[i]; i++) {
        if (g_str_equal(value, choices[i])) {
            return i;
        }
    }
    error_setg(errp, "Parameter '%s' does not accept value '%s'", key, value);
    return -1;
}

void vl_fail(Error *err)
{
    error_report_err(err);
    exit(1);
}

void vl_request_help(VlConfig *cfg, VlHelpFn fn, const char *about)
{
    if (!cfg->help_fn) {
        cfg->help_fn = fn;
        cfg->help_arg = g_strdup(about);
    }
}
