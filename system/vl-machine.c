/*
 * -machine: choosing the machine type and creating the machine object at
 * /machine. The compat properties of the chosen version are registered
 * before anything is created, then the -machine properties are set on
 * the machine in command-line order.
 */
#include "qemu/osdep.h"
#include "system/vl-internal.h"

static const char *const kernel_irqchip_values[] = {"on", "off", "split",
                                                     NULL};

/* The legacy accel=A:B form adds to the -accel list. */
static bool machine_take_accel(VlConfig *cfg, Keyval *kv, const char *name,
                               const char *arg, Error **errp)
{
    g_autofree char *list = keyval_take(kv, "accel");
    g_auto(GStrv) names = NULL;

    if (!list) {
        return true;
    }
    names = g_strsplit(list, ":", -1);
    for (int i = 0; names[i]; i++) {
        if (!vl_add_accel_name(cfg, name, arg, names[i], errp)) {
            return false;
        }
    }
    return true;
}

bool vl_opt_machine(VlConfig *cfg, const char *name, const char *arg,
                    Error **errp)
{
    VlOpt *opt = vl_opt_new(name, arg);
    const char *type;
    bool help;

    opt->kv = keyval_parse(arg, "type", false, &help, errp);
    if (!opt->kv || !machine_take_accel(cfg, opt->kv, name, arg, errp)) {
        vl_opt_free(opt);
        return false;
    }
    type = keyval_get(opt->kv, "type");
    if (help || g_strcmp0(type, "help") == 0 || g_strcmp0(type, "?") == 0) {
        vl_request_help(cfg, vl_help_machine, help ? type : NULL);
        vl_opt_free(opt);
        return true;
    }
    g_ptr_array_add(cfg->machine, opt);
    return true;
}

/* The last -machine naming a type wins; NULL if none did. */
static const VlOpt *machine_type_opt(const VlConfig *cfg)
{
    for (guint i = cfg->machine->len; i > 0; i--) {
        const VlOpt *opt = g_ptr_array_index(cfg->machine, i - 1);

        if (keyval_get(opt->kv, "type")) {
            return opt;
        }
    }
    return NULL;
}

MachineClass *vl_select_machine(VlConfig *cfg, Error **errp)
{
    ERRP_GUARD();
    const VlOpt *opt = machine_type_opt(cfg);
    MachineClass *mc;

    if (!opt) {
        mc = find_default_machine_class();
        if (!mc) {
            error_setg(errp, "No machine specified, and there is no default");
            error_append_hint(errp,
                              "Use -machine help to list supported machines\n");
        }
        return mc;
    }
    mc = find_machine_class(keyval_get(opt->kv, "type"));
    if (!mc) {
        loc_set_cmdline(opt->name, opt->arg);
        error_setg(errp, "unsupported machine type");
        error_append_hint(errp,
                          "Use -machine help to list supported machines\n");
    }
    return mc;
}

/* kernel-irqchip is a KVM setting; under qtest it is checked, not used. */
static bool machine_set_one(Object *machine, const char *key,
                            const char *value, Error **errp)
{
    g_autofree char *name = g_strdelimit(g_strdup(key), "_", '-');

    if (g_str_equal(name, "type")) {
        return true;
    }
    if (g_str_equal(name, "kernel-irqchip")) {
        return vl_parse_choice(name, value, kernel_irqchip_values, errp) >= 0;
    }
    return object_property_parse(machine, name, value, errp);
}

static bool machine_set_props(Object *machine, const VlOpt *opt, Error **errp)
{
    for (guint i = 0; i < opt->kv->items->len; i++) {
        const KeyvalItem *item = g_ptr_array_index(opt->kv->items, i);

        if (!machine_set_one(machine, item->key, item->value, errp)) {
            return false;
        }
    }
    return true;
}

static void machine_record_options(VlConfig *cfg, MachineState *ms,
                                   MachineClass *mc)
{
    const char *cpu = cfg->cpu_model ? cfg->cpu_model : mc->default_cpu_type;

    g_free(ms->accel);
    ms->accel = g_strdup("qtest");
    g_free(ms->cpu_type);
    ms->cpu_type = g_strdup(cpu);
    g_free(ms->firmware);
    ms->firmware = g_strdup(cfg->bios);
    if (cfg->boot_order) {
        g_free(ms->boot_order);
        ms->boot_order = g_strdup(cfg->boot_order);
    }
}

MachineState *vl_create_machine(VlConfig *cfg, MachineClass *mc)
{
    Error *err = NULL;
    Object *obj;

    object_set_machine_compat_props(mc->compat_props);
    obj = object_new_with_class(OBJECT_CLASS(mc));
    object_property_add_child(object_get_root(), "machine", obj);
    object_unref(obj);
    for (guint i = 0; i < cfg->machine->len; i++) {
        const VlOpt *opt = g_ptr_array_index(cfg->machine, i);

        loc_set_cmdline(opt->name, opt->arg);
        if (!machine_set_props(obj, opt, &err)) {
            vl_fail(err);
        }
        loc_clear();
    }
    machine_record_options(cfg, MACHINE(obj), mc);
    if (cfg->smp.given) {
        loc_set_cmdline("-smp", cfg->smp.arg);
    }
    if (!vl_smp_apply(&cfg->smp, MACHINE(obj), &err)) {
        vl_fail(err);
    }
    loc_clear();
    return MACHINE(obj);
}
