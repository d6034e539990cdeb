/*
 * The option table: every command-line option with whether it takes an
 * argument and the handler that validates and records it. Nothing is
 * created here; vl.c acts on the record once the whole line is parsed.
 */
#include "qemu/osdep.h"
#include "backends/host-model.h"
#include "system/vl-internal.h"

typedef bool (*VlOptFn)(VlConfig *cfg, const char *opt, const char *arg,
                        Error **errp);

typedef struct VlOptDesc {
    const char *name; /* with the leading dash, as shown in messages */
    bool has_arg;
    VlOptFn fn;
} VlOptDesc;

static bool opt_machine(VlConfig *cfg, const char *opt, const char *arg,
                        Error **errp)
{
    return vl_opt_machine(cfg, opt, arg, errp);
}

static bool opt_accel(VlConfig *cfg, const char *opt, const char *arg,
                      Error **errp)
{
    return vl_opt_accel(cfg, opt, arg, errp);
}

static bool opt_enable_kvm(VlConfig *cfg, const char *opt, const char *arg,
                           Error **errp)
{
    return vl_add_accel_name(cfg, opt, NULL, "kvm", errp);
}

static bool opt_object(VlConfig *cfg, const char *opt, const char *arg,
                       Error **errp)
{
    return vl_opt_object(cfg, arg, errp);
}

static bool opt_device(VlConfig *cfg, const char *opt, const char *arg,
                       Error **errp)
{
    return vl_opt_device(cfg, arg, errp);
}

static bool opt_global(VlConfig *cfg, const char *opt, const char *arg,
                       Error **errp)
{
    return vl_opt_global(cfg, arg, errp);
}

static bool opt_memory(VlConfig *cfg, const char *opt, const char *arg,
                       Error **errp)
{
    return vl_opt_memory(cfg, arg, errp);
}

static bool opt_smp(VlConfig *cfg, const char *opt, const char *arg,
                    Error **errp)
{
    return vl_opt_smp(cfg, arg, errp);
}

static bool opt_numa(VlConfig *cfg, const char *opt, const char *arg,
                     Error **errp)
{
    return vl_opt_numa(cfg, arg, errp);
}

/* "-cpu MODEL[,feature...]": the model is recorded, features ignored. */
static bool opt_cpu(VlConfig *cfg, const char *opt, const char *arg,
                    Error **errp)
{
    g_autofree char *model = g_strndup(arg, strcspn(arg, ","));

    if (g_str_equal(model, "help") || g_str_equal(model, "?")) {
        vl_request_help(cfg, vl_help_cpu, NULL);
        return true;
    }
    if (!vl_cpu_model_valid(model)) {
        error_setg(errp, "unable to find CPU model '%s'", model);
        return false;
    }
    g_free(cfg->cpu_model);
    cfg->cpu_model = g_steal_pointer(&model);
    return true;
}

static bool opt_nodefaults(VlConfig *cfg, const char *opt, const char *arg,
                           Error **errp)
{
    cfg->nodefaults = true;
    return true;
}

/* We never read a user configuration file, so there is nothing to skip. */
static bool opt_no_user_config(VlConfig *cfg, const char *opt,
                               const char *arg, Error **errp)
{
    return true;
}

static bool opt_display(VlConfig *cfg, const char *opt, const char *arg,
                        Error **errp)
{
    return vl_opt_display(cfg, arg, errp);
}

/* Without a display or serial port, -nographic is -display none. */
static bool opt_nographic(VlConfig *cfg, const char *opt, const char *arg,
                          Error **errp)
{
    return vl_opt_display(cfg, "none", errp);
}

static bool opt_start_paused(VlConfig *cfg, const char *opt, const char *arg,
                             Error **errp)
{
    cfg->start_paused = true;
    return true;
}

static bool opt_name(VlConfig *cfg, const char *opt, const char *arg,
                     Error **errp)
{
    return vl_opt_name(arg, errp);
}

static bool opt_uuid(VlConfig *cfg, const char *opt, const char *arg,
                     Error **errp)
{
    return vl_opt_uuid(arg, errp);
}

static bool opt_qmp(VlConfig *cfg, const char *opt, const char *arg,
                    Error **errp)
{
    return vl_opt_qmp(cfg, opt, arg, false, errp);
}

static bool opt_qmp_pretty(VlConfig *cfg, const char *opt, const char *arg,
                           Error **errp)
{
    return vl_opt_qmp(cfg, opt, arg, true, errp);
}

static bool opt_chardev(VlConfig *cfg, const char *opt, const char *arg,
                        Error **errp)
{
    return vl_opt_chardev(cfg, arg, errp);
}

static bool opt_mon(VlConfig *cfg, const char *opt, const char *arg,
                    Error **errp)
{
    return vl_opt_mon(cfg, arg, errp);
}

static bool opt_monitor(VlConfig *cfg, const char *opt, const char *arg,
                        Error **errp)
{
    return vl_opt_monitor(cfg, arg, errp);
}

static bool opt_qtest(VlConfig *cfg, const char *opt, const char *arg,
                      Error **errp)
{
    cfg->qtest_chrdev = arg;
    return true;
}

static bool opt_qtest_log(VlConfig *cfg, const char *opt, const char *arg,
                          Error **errp)
{
    cfg->qtest_log = arg;
    return true;
}

static bool opt_msg(VlConfig *cfg, const char *opt, const char *arg,
                    Error **errp)
{
    return vl_opt_msg(arg, errp);
}

static bool opt_overcommit(VlConfig *cfg, const char *opt, const char *arg,
                           Error **errp)
{
    return vl_opt_overcommit(arg, errp);
}

static bool opt_sandbox(VlConfig *cfg, const char *opt, const char *arg,
                        Error **errp)
{
    return vl_opt_sandbox(arg, errp);
}

static bool opt_rtc(VlConfig *cfg, const char *opt, const char *arg,
                    Error **errp)
{
    return vl_opt_rtc(arg, errp);
}

static bool opt_boot(VlConfig *cfg, const char *opt, const char *arg,
                     Error **errp)
{
    return vl_opt_boot(cfg, arg, errp);
}

static bool opt_no_shutdown(VlConfig *cfg, const char *opt, const char *arg,
                            Error **errp)
{
    cfg->no_shutdown = true;
    return true;
}

/* Nothing is loaded from the firmware file yet, so it is only recorded. */
static bool opt_bios(VlConfig *cfg, const char *opt, const char *arg,
                     Error **errp)
{
    g_free(cfg->bios);
    cfg->bios = g_strdup(arg);
    return true;
}

static bool opt_audiodev(VlConfig *cfg, const char *opt, const char *arg,
                         Error **errp)
{
    return vl_opt_audiodev(cfg, arg, errp);
}

static bool opt_audio(VlConfig *cfg, const char *opt, const char *arg,
                      Error **errp)
{
    return vl_opt_audio(cfg, arg, errp);
}

static bool opt_run_with(VlConfig *cfg, const char *opt, const char *arg,
                         Error **errp)
{
    return vl_opt_run_with(cfg, arg, errp);
}

static bool opt_add_fd(VlConfig *cfg, const char *opt, const char *arg,
                       Error **errp)
{
    return vl_opt_add_fd(cfg, arg, errp);
}

static bool opt_watchdog_action(VlConfig *cfg, const char *opt,
                                const char *arg, Error **errp)
{
    return vl_opt_watchdog_action(arg, errp);
}

static bool opt_readconfig(VlConfig *cfg, const char *opt, const char *arg,
                           Error **errp)
{
    return vl_opt_readconfig(cfg, arg, errp);
}

static bool host_model_help(const char *arg, Error **errp)
{
    host_model_print_list();
    return true;
}

/* -host-model NAME|FILE[,fail=...]: which host answers the host ioctls. */
static bool opt_host_model(VlConfig *cfg, const char *opt, const char *arg,
                           Error **errp)
{
    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        vl_request_help(cfg, host_model_help, NULL);
        return true;
    }
    g_free(cfg->host_model);
    cfg->host_model = g_strdup(arg);
    return true;
}

static bool opt_pidfile(VlConfig *cfg, const char *opt, const char *arg,
                        Error **errp)
{
    g_free(cfg->pidfile);
    cfg->pidfile = g_strdup(arg);
    return true;
}

/* Front ends that we do not emulate: only their "none" form is valid. */
static bool opt_none_only(VlConfig *cfg, const char *opt, const char *arg,
                          Error **errp)
{
    return vl_opt_none_only(arg, errp);
}

static bool opt_version(VlConfig *cfg, const char *opt, const char *arg,
                        Error **errp)
{
    vl_print_version();
    exit(0);
}

static bool opt_help(VlConfig *cfg, const char *opt, const char *arg,
                     Error **errp)
{
    vl_print_usage();
    exit(0);
}

static const VlOptDesc vl_options[] = {
    {"-machine", true, opt_machine},
    {"-M", true, opt_machine},
    {"-accel", true, opt_accel},
    {"-enable-kvm", false, opt_enable_kvm},
    {"-object", true, opt_object},
    {"-device", true, opt_device},
    {"-global", true, opt_global},
    {"-m", true, opt_memory},
    {"-smp", true, opt_smp},
    {"-numa", true, opt_numa},
    {"-cpu", true, opt_cpu},
    {"-nodefaults", false, opt_nodefaults},
    {"-no-user-config", false, opt_no_user_config},
    {"-display", true, opt_display},
    {"-nographic", false, opt_nographic},
    {"-S", false, opt_start_paused},
    {"-name", true, opt_name},
    {"-uuid", true, opt_uuid},
    {"-qmp", true, opt_qmp},
    {"-qmp-pretty", true, opt_qmp_pretty},
    {"-chardev", true, opt_chardev},
    {"-mon", true, opt_mon},
    {"-monitor", true, opt_monitor},
    {"-qtest", true, opt_qtest},
    {"-qtest-log", true, opt_qtest_log},
    {"-msg", true, opt_msg},
    {"-overcommit", true, opt_overcommit},
    {"-sandbox", true, opt_sandbox},
    {"-rtc", true, opt_rtc},
    {"-boot", true, opt_boot},
    {"-no-shutdown", false, opt_no_shutdown},
    {"-bios", true, opt_bios},
    {"-audiodev", true, opt_audiodev},
    {"-audio", true, opt_audio},
    {"-run-with", true, opt_run_with},
    {"-add-fd", true, opt_add_fd},
    {"-watchdog-action", true, opt_watchdog_action},
    {"-readconfig", true, opt_readconfig},
    {"-host-model", true, opt_host_model},
    {"-pidfile", true, opt_pidfile},
    {"-net", true, opt_none_only},
    {"-nic", true, opt_none_only},
    {"-serial", true, opt_none_only},
    {"-parallel", true, opt_none_only},
    {"-vga", true, opt_none_only},
    {"-version", false, opt_version},
    {"-h", false, opt_help},
    {"-help", false, opt_help},
};

/* "name" is given without its dash ("device"). */
static const VlOptDesc *vl_find_option(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(vl_options); i++) {
        if (g_str_equal(vl_options[i].name + 1, name)) {
            return &vl_options[i];
        }
    }
    return NULL;
}

static bool vl_run_option(VlConfig *cfg, const VlOptDesc *desc,
                          const char *arg, Error **errp)
{
    bool ok;

    bool had_help = cfg->help_fn != NULL;

    loc_set_cmdline(desc->name, arg);
    ok = desc->fn(cfg, desc->name, arg, errp);
    if (!had_help && cfg->help_fn) {
        cfg->help_opt = desc->name;
        cfg->help_opt_arg = g_strdup(arg);
    }
    if (ok) {
        loc_clear();
    }
    return ok;
}

bool vl_handle_option(VlConfig *cfg, const char *name, const char *arg,
                      Error **errp)
{
    const VlOptDesc *desc = vl_find_option(name);

    if (!desc) {
        error_setg(errp, "-%s: invalid option", name);
        return false;
    }
    if (desc->has_arg && !arg) {
        error_setg(errp, "-%s: requires an argument", name);
        return false;
    }
    return desc->fn(cfg, desc->name, desc->has_arg ? arg : NULL, errp);
}

static void QEMU_NORETURN vl_fail_at(const char *word, const char *msg)
{
    loc_set_cmdline(word, NULL);
    error_report("%s", msg);
    exit(1);
}

void vl_parse_cmdline(VlConfig *cfg, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *word = argv[i];
        const char *name = word + 1;
        const VlOptDesc *desc;
        const char *arg = NULL;
        Error *err = NULL;

        if (word[0] != '-' || word[1] == '\0') {
            error_report("'%s': disk images and other positional arguments "
                         "are not supported", word);
            exit(1);
        }
        if (name[0] == '-') {
            name++; /* --option is the same as -option */
        }
        desc = vl_find_option(name);
        if (!desc) {
            vl_fail_at(word, "invalid option");
        }
        if (desc->has_arg) {
            if (i + 1 >= argc) {
                vl_fail_at(word, "requires an argument");
            }
            arg = argv[++i];
        }
        if (!vl_run_option(cfg, desc, arg, &err)) {
            vl_fail(err);
        }
    }
}
