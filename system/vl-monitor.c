/*
 * Character devices, QMP monitors (-chardev, -mon, -qmp, -monitor), the
 * qtest connection and -add-fd. Monitors are only QMP: HMP (readline)
 * monitors are refused while parsing.
 */
#include "qemu/osdep.h"
#include "chardev/char.h"
#include "monitor/qmp.h"
#include "system/qtest.h"
#include "system/vl-internal.h"

bool vl_opt_chardev(VlConfig *cfg, const char *arg, Error **errp)
{
    bool help;
    VlOpt *opt = vl_opt_new("-chardev", arg);

    opt->kv = keyval_parse(arg, "backend", false, &help, errp);
    if (!opt->kv) {
        vl_opt_free(opt);
        return false;
    }
    if (help || g_strcmp0(keyval_get(opt->kv, "backend"), "help") == 0) {
        vl_request_help(cfg, vl_help_chardev, NULL);
        vl_opt_free(opt);
        return true;
    }
    if (!keyval_get(opt->kv, "id")) {
        vl_opt_free(opt);
        error_setg(errp, "Parameter 'id' is missing");
        return false;
    }
    g_ptr_array_add(cfg->chardevs, opt);
    return true;
}

static VlMonitor *vl_monitor_new(const char *opt, const char *arg)
{
    VlMonitor *mon = g_new0(VlMonitor, 1);

    mon->opt = opt;
    mon->arg = g_strdup(arg);
    mon->mode = VL_MONITOR_CONTROL;
    return mon;
}

static bool vl_mon_parse(VlMonitor *mon, Keyval *kv, Error **errp)
{
    static const char *const keys[] = {"chardev", "mode", "pretty", "id",
                                       NULL};
    static const char *const modes[] = {"readline", "control", NULL};
    const char *mode = keyval_get(kv, "mode");
    const char *pretty = keyval_get(kv, "pretty");

    if (!vl_keyval_check(kv, keys, errp)) {
        return false;
    }
    if (!keyval_get(kv, "chardev")) {
        error_setg(errp, "Parameter 'chardev' is missing");
        return false;
    }
    if (mode && vl_parse_choice("mode", mode, modes, errp) < 0) {
        return false;
    }
    if (!mode || g_str_equal(mode, "readline")) {
        error_setg(errp, "HMP monitors are not supported; use mode=control");
        return false;
    }
    if (pretty && !vl_parse_on_off("pretty", pretty, &mon->pretty, errp)) {
        return false;
    }
    mon->chardev_id = keyval_take(kv, "chardev");
    return true;
}

bool vl_opt_mon(VlConfig *cfg, const char *arg, Error **errp)
{
    bool help;
    g_autoptr(Keyval) kv = keyval_parse(arg, "chardev", false, &help, errp);
    VlMonitor *mon;

    if (!kv) {
        return false;
    }
    if (help) {
        error_setg(errp, "Invalid parameter 'help'");
        return false;
    }
    mon = vl_monitor_new("-mon", arg);
    if (!vl_mon_parse(mon, kv, errp)) {
        g_free(mon->arg);
        g_free(mon);
        return false;
    }
    g_ptr_array_add(cfg->monitors, mon);
    return true;
}

bool vl_opt_qmp(VlConfig *cfg, const char *opt, const char *arg, bool pretty,
                Error **errp)
{
    VlMonitor *mon = vl_monitor_new(opt, arg);

    mon->spec = g_strdup(arg);
    mon->pretty = pretty;
    g_ptr_array_add(cfg->monitors, mon);
    return true;
}

bool vl_opt_monitor(VlConfig *cfg, const char *arg, Error **errp)
{
    if (g_str_equal(arg, "none")) {
        return true;
    }
    error_setg(errp, "HMP monitors are not supported; use -qmp");
    return false;
}

void vl_create_chardevs(VlConfig *cfg)
{
    for (guint i = 0; i < cfg->chardevs->len; i++) {
        const VlOpt *opt = g_ptr_array_index(cfg->chardevs, i);
        Error *err = NULL;

        loc_set_cmdline(opt->name, opt->arg);
        if (!qemu_chr_new_from_opts(opt->kv, &err)) {
            vl_fail(err);
        }
        loc_clear();
    }
}

static Chardev *vl_monitor_chardev(VlConfig *cfg, const VlMonitor *mon,
                                   Error **errp)
{
    Chardev *chr;
    g_autofree char *id = NULL;

    if (mon->chardev_id) {
        chr = qemu_chr_find(mon->chardev_id);
        if (!chr) {
            error_setg(errp, "chardev \"%s\" not found", mon->chardev_id);
        }
        return chr;
    }
    id = g_strdup_printf("compat_monitor%d", cfg->qmp_count++);
    return qemu_chr_new(id, mon->spec, errp);
}

void vl_create_monitors(VlConfig *cfg)
{
    for (guint i = 0; i < cfg->monitors->len; i++) {
        const VlMonitor *mon = g_ptr_array_index(cfg->monitors, i);
        Error *err = NULL;
        Chardev *chr;

        loc_set_cmdline(mon->opt, mon->arg);
        chr = vl_monitor_chardev(cfg, mon, &err);
        if (!chr || !monitor_new_qmp(chr, mon->pretty, &err)) {
            vl_fail(err);
        }
        loc_clear();
    }
}

/*
 * The test is waiting for our connection, so it is made as early as
 * possible; only "chardev:ID" has to wait for the chardevs.
 */
void vl_start_qtest(VlConfig *cfg, bool chardevs_exist)
{
    Error *err = NULL;

    if (!cfg->qtest_chrdev ||
        g_str_has_prefix(cfg->qtest_chrdev, "chardev:") != chardevs_exist) {
        return;
    }
    loc_set_cmdline("-qtest", cfg->qtest_chrdev);
    if (!qtest_server_init(cfg->qtest_chrdev, cfg->qtest_log, &err)) {
        vl_fail(err);
    }
    loc_clear();
}

static bool add_fd_get(const Keyval *kv, const char *key, int64_t *out,
                       Error **errp)
{
    const char *value = keyval_get(kv, key);

    if (!value || !qemu_strtoi64(value, out) || *out < 0 ||
        *out > INT_MAX) {
        error_setg(errp, "%s option is required and must be non-negative",
                   key);
        return false;
    }
    return true;
}

/* The fd must be open now: it was inherited from whoever started us. */
bool vl_opt_add_fd(VlConfig *cfg, const char *arg, Error **errp)
{
    static const char *const keys[] = {"fd", "set", "opaque", NULL};
    bool help;
    VlOpt *opt = vl_opt_new("-add-fd", arg);
    int64_t fd, set;

    opt->kv = keyval_parse(arg, NULL, false, &help, errp);
    if (!opt->kv || !vl_keyval_check(opt->kv, keys, errp) ||
        !add_fd_get(opt->kv, "fd", &fd, errp) ||
        !add_fd_get(opt->kv, "set", &set, errp)) {
        vl_opt_free(opt);
        return false;
    }
    if (fd <= STDERR_FILENO) {
        error_setg(errp, "fd cannot be a standard I/O stream");
    } else if (fcntl(fd, F_GETFD) < 0) {
        error_setg(errp, "fd is not valid or already in use");
    } else {
        g_ptr_array_add(cfg->add_fds, opt);
        return true;
    }
    vl_opt_free(opt);
    return false;
}

/* As QEMU does, the fd set gets a close-on-exec duplicate. */
static bool vl_add_one_fd(const VlOpt *opt, Error **errp)
{
    int64_t fd, set;
    int dupfd;

    qemu_strtoi64(keyval_get(opt->kv, "fd"), &fd);
    qemu_strtoi64(keyval_get(opt->kv, "set"), &set);
    dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (dupfd < 0) {
        error_setg_errno(errp, errno, "Error duplicating fd");
        return false;
    }
    if (!monitor_fdset_add_fd(dupfd, set, keyval_get(opt->kv, "opaque"),
                              errp)) {
        close(dupfd);
        return false;
    }
    return true;
}

void vl_add_fds(VlConfig *cfg)
{
    for (guint i = 0; i < cfg->add_fds->len; i++) {
        const VlOpt *opt = g_ptr_array_index(cfg->add_fds, i);
        Error *err = NULL;

        loc_set_cmdline(opt->name, opt->arg);
        if (!vl_add_one_fd(opt, &err)) {
            vl_fail(err);
        }
        loc_clear();
    }
}
