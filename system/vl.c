/*
 * The start-up sequence. Every option is parsed (and checked as far as
 * possible) first; then, in QEMU's order: accelerator and machine type,
 * the qtest connection, the machine object with compat properties then
 * -global then -machine properties, chardevs, monitors, objects, board
 * init, cold-plugged -devices, machine-init-done, reset, run.
 */
#include "qemu/osdep.h"
#include "backends/host-ops.h"
#include "monitor/qmp.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "system/vl.h"
#include "system/vl-internal.h"

#define NULL_UUID "00000000-0000-0000-0000-000000000000"

static char *vm_name;
static char *vm_uuid;

const char *qemu_get_vm_name(void)
{
    return vm_name;
}

const char *qemu_get_vm_uuid(void)
{
    return vm_uuid ? vm_uuid : NULL_UUID;
}

void vl_set_vm_name(const char *name)
{
    g_free(vm_name);
    vm_name = g_strdup(name);
}

void vl_set_vm_uuid(const char *uuid)
{
    g_free(vm_uuid);
    vm_uuid = g_ascii_strdown(uuid, -1);
}

static VlConfig *vl_config_new(void)
{
    VlConfig *cfg = g_new0(VlConfig, 1);

    cfg->machine = g_ptr_array_new();
    cfg->accels = g_ptr_array_new();
    cfg->chardevs = g_ptr_array_new();
    cfg->monitors = g_ptr_array_new();
    cfg->objects = g_ptr_array_new();
    cfg->devices = g_ptr_array_new();
    cfg->globals = g_ptr_array_new();
    cfg->numa = g_ptr_array_new();
    cfg->add_fds = g_ptr_array_new();
    return cfg;
}

static void vl_opt_destroy(gpointer data)
{
    vl_opt_free(data);
}

static void vl_monitor_free(gpointer data)
{
    VlMonitor *mon = data;

    g_free(mon->arg);
    g_free(mon->chardev_id);
    g_free(mon->spec);
    g_free(mon);
}

/* The -global entries stay: qdev keeps using them. */
static void vl_config_free(VlConfig *cfg)
{
    GPtrArray *opt_lists[] = {cfg->machine, cfg->accels, cfg->chardevs,
                              cfg->objects, cfg->devices, cfg->numa,
                              cfg->add_fds};

    for (size_t i = 0; i < ARRAY_SIZE(opt_lists); i++) {
        g_ptr_array_set_free_func(opt_lists[i], vl_opt_destroy);
        g_ptr_array_free(opt_lists[i], true);
    }
    g_ptr_array_set_free_func(cfg->monitors, vl_monitor_free);
    g_ptr_array_free(cfg->monitors, true);
    g_ptr_array_free(cfg->globals, true);
    g_free(cfg->smp.arg);
    g_free(cfg->run_with.chroot_dir);
    g_free(cfg->run_with.user);
    g_free(cfg->cpu_model);
    g_free(cfg->bios);
    g_free(cfg->boot_order);
    g_free(cfg->pidfile);
    g_free(cfg->host_model);
    g_free(cfg->help_arg);
    g_free(cfg->help_opt_arg);
    g_free(cfg);
}

static void vl_run_help(VlConfig *cfg)
{
    Error *err = NULL;

    if (!cfg->help_fn) {
        return;
    }
    loc_set_cmdline(cfg->help_opt, cfg->help_opt_arg);
    if (!cfg->help_fn(cfg->help_arg, &err)) {
        vl_fail(err);
    }
    exit(0);
}

static MachineClass *vl_choose(VlConfig *cfg)
{
    Error *err = NULL;
    MachineClass *mc;

    if (!host_ops_select(cfg->host_model, &err)) {
        loc_set_cmdline("-host-model", cfg->host_model);
        vl_fail(err);
    }

    if (!vl_select_accel(cfg, &err)) {
        vl_fail(err);
    }
    mc = vl_select_machine(cfg, &err);
    if (!mc) {
        vl_fail(err);
    }
    return mc;
}

static void vl_register_globals(VlConfig *cfg)
{
    for (guint i = 0; i < cfg->globals->len; i++) {
        qdev_prop_register_global(g_ptr_array_index(cfg->globals, i));
    }
}

static void vl_init_board(VlConfig *cfg, MachineState *ms)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    Error *err = NULL;

    vl_memory_apply(cfg, ms);
    if (!vl_numa_apply(cfg, ms, &err)) {
        vl_fail(err);
    }
    mc->init(ms);
}

static void vl_finish_machine(void)
{
    Error *err = NULL;

    qdev_machine_creation_done();
    if (!qdev_run_machine_init_done(&err)) {
        vl_fail(err);
    }
    qdev_prop_check_globals();
}

void qemu_init(int argc, char **argv)
{
    VlConfig *cfg = vl_config_new();
    MachineState *ms;
    MachineClass *mc;

    qmp_init_commands();
    vl_parse_cmdline(cfg, argc, argv);
    vl_run_help(cfg);
    mc = vl_choose(cfg);
    vl_os_early_setup(cfg);
    runstate_set_no_shutdown(cfg->no_shutdown);
    vl_add_fds(cfg);
    vl_start_qtest(cfg, false);
    memory_init();
    vl_register_globals(cfg);
    ms = vl_create_machine(cfg, mc);
    machine_set_current(ms);
    vl_create_chardevs(cfg);
    vl_start_qtest(cfg, true);
    vl_create_monitors(cfg);
    vl_create_objects(cfg, true);
    vl_create_objects(cfg, false);
    vl_init_board(cfg, ms);
    vl_create_devices(cfg);
    vl_finish_machine();
    qemu_system_reset(SHUTDOWN_CAUSE_NONE);
    vl_os_late_setup(cfg);
    if (!cfg->start_paused) {
        vm_start();
    }
    vl_config_free(cfg);
}
