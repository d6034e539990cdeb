/*
 * Accelerator selection. Like QEMU, the listed accelerators are tried in
 * order and the first usable one wins. This emulator runs device models
 * only, so qtest is the one usable accelerator; the others are known
 * names that are refused (libqtest puts "-accel kvm -accel tcg" before
 * its final "-accel qtest").
 */
#include "qemu/osdep.h"
#include "system/qtest.h"
#include "system/vl-internal.h"

static const char *const vl_refused_accels[] = {
    "kvm", "tcg", "hvf", "whpx", "xen", "nvmm", "mshv", NULL,
};

static const char *vl_accel_name(const VlOpt *opt)
{
    return keyval_get(opt->kv, "accel");
}

bool vl_add_accel_name(VlConfig *cfg, const char *opt, const char *arg,
                       const char *name, Error **errp)
{
    VlOpt *accel = vl_opt_new(opt, arg);
    bool help;

    accel->kv = keyval_parse(name, "accel", false, &help, errp);
    if (!accel->kv) {
        vl_opt_free(accel);
        return false;
    }
    g_ptr_array_add(cfg->accels, accel);
    return true;
}

bool vl_opt_accel(VlConfig *cfg, const char *opt, const char *arg,
                  Error **errp)
{
    bool help;
    VlOpt *accel = vl_opt_new(opt, arg);

    accel->kv = keyval_parse(arg, "accel", false, &help, errp);
    if (!accel->kv) {
        vl_opt_free(accel);
        return false;
    }
    if (help || g_strcmp0(vl_accel_name(accel), "help") == 0) {
        vl_request_help(cfg, vl_help_accel, NULL);
        vl_opt_free(accel);
        return true;
    }
    if (!vl_accel_name(accel)) {
        vl_opt_free(accel);
        error_setg(errp, "Parameter 'accel' is missing");
        return false;
    }
    g_ptr_array_add(cfg->accels, accel);
    return true;
}

/* qtest has no properties of its own. */
static bool vl_check_qtest_opts(const VlOpt *accel, Error **errp)
{
    static const char *const allowed[] = {"accel", NULL};

    for (guint i = 0; i < accel->kv->items->len; i++) {
        const KeyvalItem *item = g_ptr_array_index(accel->kv->items, i);

        if (!g_strv_contains(allowed, item->key)) {
            error_setg(errp, "Property 'qtest-accel.%s' not found", item->key);
            return false;
        }
    }
    return true;
}

static bool vl_refuse_all(GPtrArray *refused, Error **errp)
{
    const VlOpt *first = g_ptr_array_index(refused, 0);
    g_autoptr(GString) names = g_string_new(NULL);

    loc_set_cmdline(first->name, first->arg);
    if (refused->len == 1) {
        error_setg(errp, "this emulator runs device models only; "
                   "use -accel qtest");
        return false;
    }
    for (guint i = 0; i < refused->len; i++) {
        const VlOpt *accel = g_ptr_array_index(refused, i);

        g_string_append_printf(names, "%s%s", i ? ", " : "",
                               vl_accel_name(accel));
    }
    error_setg(errp, "accelerators %s are not available: this emulator "
               "runs device models only; use -accel qtest", names->str);
    return false;
}

static void vl_report_invalid(GPtrArray *invalid)
{
    for (guint i = 0; i < invalid->len; i++) {
        const VlOpt *accel = g_ptr_array_index(invalid, i);

        loc_set_cmdline(accel->name, accel->arg);
        error_report("invalid accelerator %s", vl_accel_name(accel));
    }
    loc_clear();
}

static bool vl_use_qtest(VlConfig *cfg, const VlOpt *accel,
                         GPtrArray *refused, GPtrArray *invalid,
                         Error **errp)
{
    loc_set_cmdline(accel->name, accel->arg);
    if (!vl_check_qtest_opts(accel, errp)) {
        return false;
    }
    loc_clear();
    qtest_set_accel(true);
    vl_report_invalid(invalid);
    if (refused->len && !cfg->qtest_chrdev) {
        warn_report("accelerator %s is not available in this emulator; "
                    "falling back to qtest",
                    vl_accel_name(g_ptr_array_index(refused, 0)));
    }
    return true;
}

bool vl_select_accel(VlConfig *cfg, Error **errp)
{
    g_autoptr(GPtrArray) refused = g_ptr_array_new();
    g_autoptr(GPtrArray) invalid = g_ptr_array_new();

    for (guint i = 0; i < cfg->accels->len; i++) {
        const VlOpt *accel = g_ptr_array_index(cfg->accels, i);
        const char *name = vl_accel_name(accel);

        if (g_str_equal(name, "qtest")) {
            return vl_use_qtest(cfg, accel, refused, invalid, errp);
        }
        g_ptr_array_add(g_strv_contains(vl_refused_accels, name) ?
                        refused : invalid, (gpointer)accel);
    }
    if (refused->len) {
        return vl_refuse_all(refused, errp);
    }
    if (invalid->len) {
        const VlOpt *accel = g_ptr_array_index(invalid, 0);

        loc_set_cmdline(accel->name, accel->arg);
        error_setg(errp, "invalid accelerator %s", vl_accel_name(accel));
        return false;
    }
    error_setg(errp, "no accelerator given: this emulator cannot run guest "
               "CPUs; use -accel qtest");
    return false;
}
