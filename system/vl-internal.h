/*
 * Start-up internals shared by the command-line files of system/: the
 * parsed command line (VlConfig) and the per-concern steps that act on it.
 *
 * Parsing records every option (validating what can be validated without
 * creating anything); the start-up sequence in vl.c then acts on the
 * record in QEMU's order.
 */
#ifndef SYSTEM_VL_INTERNAL_H
#define SYSTEM_VL_INTERNAL_H

#include "qemu/osdep.h"
#include "qemu/error.h"
#include "qemu/keyval.h"
#include "hw/boards.h"

/* One option occurrence kept for later action, with its error context. */
typedef struct VlOpt {
    const char *name; /* "-device" */
    char *arg;        /* the argument as given (may be NULL) */
    Keyval *kv;       /* key=value form, or NULL */
    JsonObject *json; /* JSON form, or NULL */
} VlOpt;

/* Prints help for an option; arg is what followed "help" context. */
typedef bool (*VlHelpFn)(const char *arg, Error **errp);

typedef enum VlMonitorMode {
    VL_MONITOR_CONTROL, /* QMP */
    VL_MONITOR_READLINE /* HMP: refused when acted on */
} VlMonitorMode;

/* -mon / -qmp / -monitor: a monitor on a chardev id or a legacy spec. */
typedef struct VlMonitor {
    const char *opt;
    char *arg;
    char *chardev_id; /* -mon chardev=ID */
    char *spec;       /* -qmp/-monitor SPEC (creates its own chardev) */
    VlMonitorMode mode;
    bool pretty;
} VlMonitor;

typedef struct VlMemory {
    bool given;
    uint64_t size;
    uint64_t maxmem;
    uint64_t slots;
} VlMemory;

typedef struct VlSmp {
    bool given;
    char *arg; /* the last -smp, for messages */
    /* 0 means "not given" for each field */
    uint64_t cpus, maxcpus, sockets, dies, clusters, cores, threads;
} VlSmp;

typedef struct VlRunWith {
    bool exit_with_parent;
    char *chroot_dir;
    char *user;
} VlRunWith;

typedef struct VlConfig {
    GPtrArray *machine;  /* VlOpt*: -machine/-M, in order */
    GPtrArray *accels;   /* VlOpt*: -accel, -enable-kvm, machine accel= */
    GPtrArray *chardevs; /* VlOpt* */
    GPtrArray *monitors; /* VlMonitor* */
    GPtrArray *objects;  /* VlOpt* */
    GPtrArray *devices;  /* VlOpt* */
    GPtrArray *globals;  /* GlobalProperty* (kept for the process life) */
    GPtrArray *numa;     /* VlOpt* */
    GPtrArray *add_fds;  /* VlOpt* */
    VlMemory memory;
    VlSmp smp;
    VlRunWith run_with;
    char *cpu_model;
    char *bios;
    char *boot_order;
    char *pidfile;
    const char *qtest_chrdev;
    const char *qtest_log;
    char *host_model;    /* -host-model, NULL: the default host */
    bool start_paused;
    bool no_shutdown;
    bool nodefaults;
    int qmp_count;       /* numbering of -qmp chardevs */
    VlHelpFn help_fn;    /* first help request, run after parsing */
    char *help_arg;      /* what help was asked about, or NULL */
    const char *help_opt; /* the option that asked, for messages */
    char *help_opt_arg;
} VlConfig;

/* cmdline-options.c: argv -> VlConfig (exits on errors, -h, -version). */
void vl_parse_cmdline(VlConfig *cfg, int argc, char **argv);
/* Records one option as if given on the command line (-readconfig). */
bool vl_handle_option(VlConfig *cfg, const char *name, const char *arg,
                      Error **errp);
VlOpt *vl_opt_new(const char *name, const char *arg);
void vl_opt_free(VlOpt *opt);

/* vl-parse.c: helpers for the two option syntaxes. */
/* key=value (implied key) or JSON when arg starts with '{'. */
VlOpt *vl_opt_parse(const char *name, const char *arg, const char *implied,
                    bool *help, Error **errp);
/* Options as a JsonObject; values are strings unless from JSON. */
JsonObject *vl_opt_to_json(const VlOpt *opt);
bool vl_opt_is_json(const VlOpt *opt);
/* Rejects members not in allowed (NULL-terminated). */
bool vl_keyval_check(const Keyval *kv, const char *const *allowed,
                     Error **errp);
bool vl_parse_on_off(const char *key, const char *value, bool *out,
                     Error **errp);
bool vl_parse_uint(const char *key, const char *value, uint64_t *out,
                   Error **errp);
/* Value must be one of choices (NULL-terminated); returns its index. */
int vl_parse_choice(const char *key, const char *value,
                    const char *const *choices, Error **errp);

/* vl-help.c */
void vl_print_usage(void);
void vl_print_version(void);
bool vl_help_machine(const char *arg, Error **errp);
bool vl_help_device(const char *arg, Error **errp);
bool vl_help_object(const char *arg, Error **errp);
bool vl_help_accel(const char *arg, Error **errp);
bool vl_help_cpu(const char *arg, Error **errp);
bool vl_help_display(const char *arg, Error **errp);
bool vl_help_audio(const char *arg, Error **errp);
bool vl_help_chardev(const char *arg, Error **errp);

/* vl-cpu.c: CPU model names this target accepts with -cpu. */
const char *const *vl_cpu_models(void);
bool vl_cpu_model_valid(const char *name);

/* vl-accel.c */
bool vl_opt_accel(VlConfig *cfg, const char *opt, const char *arg,
                  Error **errp);
bool vl_add_accel_name(VlConfig *cfg, const char *opt, const char *arg,
                       const char *name, Error **errp);
bool vl_select_accel(VlConfig *cfg, Error **errp);

/* vl-smp.c */
bool vl_opt_smp(VlConfig *cfg, const char *arg, Error **errp);
bool vl_smp_apply(const VlSmp *smp, MachineState *ms, Error **errp);

/* numa.c */
bool vl_opt_numa(VlConfig *cfg, const char *arg, Error **errp);
bool vl_numa_apply(VlConfig *cfg, MachineState *ms, Error **errp);

/* vl-memory.c */
bool vl_opt_memory(VlConfig *cfg, const char *arg, Error **errp);
void vl_memory_apply(const VlConfig *cfg, MachineState *ms);

/* vl-machine.c: -machine and the machine object. */
bool vl_opt_machine(VlConfig *cfg, const char *name, const char *arg,
                    Error **errp);
MachineClass *vl_select_machine(VlConfig *cfg, Error **errp);
MachineState *vl_create_machine(VlConfig *cfg, MachineClass *mc);

/* vl-misc-opts.c: options that are validated and recorded. */
bool vl_opt_name(const char *arg, Error **errp);
bool vl_opt_uuid(const char *arg, Error **errp);
bool vl_opt_rtc(const char *arg, Error **errp);
bool vl_opt_boot(VlConfig *cfg, const char *arg, Error **errp);
bool vl_opt_msg(const char *arg, Error **errp);
bool vl_opt_overcommit(const char *arg, Error **errp);
bool vl_opt_sandbox(const char *arg, Error **errp);
bool vl_opt_watchdog_action(const char *arg, Error **errp);
bool vl_opt_display(VlConfig *cfg, const char *arg, Error **errp);
bool vl_opt_audiodev(VlConfig *cfg, const char *arg, Error **errp);
bool vl_opt_audio(VlConfig *cfg, const char *arg, Error **errp);
bool vl_opt_run_with(VlConfig *cfg, const char *arg, Error **errp);
bool vl_opt_global(VlConfig *cfg, const char *arg, Error **errp);
bool vl_opt_none_only(const char *arg, Error **errp);

/* vl-monitor.c: chardevs, monitors, qtest, -add-fd. */
bool vl_opt_chardev(VlConfig *cfg, const char *arg, Error **errp);
bool vl_opt_mon(VlConfig *cfg, const char *arg, Error **errp);
bool vl_opt_qmp(VlConfig *cfg, const char *opt, const char *arg, bool pretty,
                Error **errp);
bool vl_opt_monitor(VlConfig *cfg, const char *arg, Error **errp);
bool vl_opt_add_fd(VlConfig *cfg, const char *arg, Error **errp);
void vl_create_chardevs(VlConfig *cfg);
void vl_create_monitors(VlConfig *cfg);
void vl_add_fds(VlConfig *cfg);
void vl_start_qtest(VlConfig *cfg, bool chardevs_exist);

/* vl-objects.c: -object and -device. */
bool vl_opt_object(VlConfig *cfg, const char *arg, Error **errp);
bool vl_opt_device(VlConfig *cfg, const char *arg, Error **errp);
/* monitors_only selects monitor-qmp/monitor-hmp, else the others. */
void vl_create_objects(VlConfig *cfg, bool monitors_only);
void vl_create_devices(VlConfig *cfg);

/* readconfig.c */
bool vl_opt_readconfig(VlConfig *cfg, const char *path, Error **errp);

/* os-posix.c: process-level set-up. */
void vl_os_early_setup(VlConfig *cfg);
void vl_os_late_setup(VlConfig *cfg);

/* Values recorded for the rest of the program (see system/vl.h). */
void vl_set_vm_name(const char *name);
void vl_set_vm_uuid(const char *uuid);

/* Records a help request; only the first one is acted on. */
void vl_request_help(VlConfig *cfg, VlHelpFn fn, const char *about);

/* Reports err (with the option context set) and exits with status 1. */
void vl_fail(Error *err) QEMU_NORETURN;

#endif
