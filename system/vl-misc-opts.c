/*
 * Options that configure host-side behaviour of QEMU we do not need
 * (seccomp, RTC, boot order, memory locking ...). They are parsed and
 * validated like QEMU's so that management tools' command lines start,
 * and recorded where something in this emulator can use them. -sandbox
 * is validated only: no seccomp filter is installed.
 */
#include "qemu/osdep.h"
#include "system/vl-internal.h"

static const char *const on_off[] = {"on", "off", NULL};
static const char *const allow_deny[] = {"allow", "deny", NULL};

/* Checks "key" against "choices" when present. */
static bool check_choice(const Keyval *kv, const char *key,
                         const char *const *choices, Error **errp)
{
    const char *value = keyval_get(kv, key);

    return !value || vl_parse_choice(key, value, choices, errp) >= 0;
}

static Keyval *parse_checked(const char *arg, const char *implied,
                             const char *const *keys, Error **errp)
{
    bool help;
    g_autoptr(Keyval) kv = keyval_parse(arg, implied, false, &help, errp);

    if (!kv) {
        return NULL;
    }
    if (help) {
        error_setg(errp, "Invalid parameter 'help'");
        return NULL;
    }
    if (!vl_keyval_check(kv, keys, errp)) {
        return NULL;
    }
    return g_steal_pointer(&kv);
}

bool vl_opt_name(const char *arg, Error **errp)
{
    static const char *const keys[] = {"guest", "debug-threads", "process",
                                       NULL};
    g_autoptr(Keyval) kv = parse_checked(arg, "guest", keys, errp);

    if (!kv || !check_choice(kv, "debug-threads", on_off, errp)) {
        return false;
    }
    vl_set_vm_name(keyval_get(kv, "guest"));
    return true;
}

static bool uuid_wellformed(const char *s)
{
    static const int dashes[] = {8, 13, 18, 23};

    if (strlen(s) != 36) {
        return false;
    }
    for (int i = 0; i < 36; i++) {
        bool dash_pos = i == dashes[0] || i == dashes[1] ||
                        i == dashes[2] || i == dashes[3];

        if (dash_pos ? s[i] != '-' : !g_ascii_isxdigit(s[i])) {
            return false;
        }
    }
    return true;
}

bool vl_opt_uuid(const char *arg, Error **errp)
{
    if (!uuid_wellformed(arg)) {
        error_setg(errp, "Fail to parse UUID string. Wrong format.");
        return false;
    }
    vl_set_vm_uuid(arg);
    return true;
}

static bool rtc_base_valid(const char *base)
{
    int y, mo, d, h, mi, s, n = 0;

    if (g_str_equal(base, "utc") || g_str_equal(base, "localtime")) {
        return true;
    }
    if (sscanf(base, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s,
               &n) == 6 && base[n] == '\0') {
        return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 &&
               mi < 60 && s < 60;
    }
    n = 0;
    return sscanf(base, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 &&
           base[n] == '\0' && mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

bool vl_opt_rtc(const char *arg, Error **errp)
{
    static const char *const keys[] = {"base", "clock", "driftfix", NULL};
    static const char *const clocks[] = {"host", "rt", "vm", NULL};
    static const char *const driftfix[] = {"none", "slew", NULL};
    g_autoptr(Keyval) kv = parse_checked(arg, "base", keys, errp);
    const char *base;

    if (!kv) {
        return false;
    }
    base = keyval_get(kv, "base");
    if (base && !rtc_base_valid(base)) {
        error_setg(errp, "invalid datetime format (valid formats: "
                   "'2006-06-17T16:01:21' or '2006-06-17')");
        return false;
    }
    return check_choice(kv, "clock", clocks, errp) &&
           check_choice(kv, "driftfix", driftfix, errp);
}

/* Boot devices are the letters a..p, each at most once. */
static bool boot_devices_valid(const char *devices, Error **errp)
{
    bool seen[16] = {false};

    for (const char *p = devices; *p; p++) {
        if (*p < 'a' || *p > 'p') {
            error_setg(errp, "Invalid boot device '%c'", *p);
            return false;
        }
        if (seen[*p - 'a']) {
            error_setg(errp, "Boot device '%c' was given twice", *p);
            return false;
        }
        seen[*p - 'a'] = true;
    }
    return true;
}

static bool boot_check_numbers(const Keyval *kv, Error **errp)
{
    static const char *const numeric[] = {"splash-time", "reboot-timeout",
                                          NULL};
    int64_t v;

    for (int i = 0; numeric[i]; i++) {
        const char *value = keyval_get(kv, numeric[i]);

        if (value && !qemu_strtoi64(value, &v)) {
            error_setg(errp, "Parameter '%s' expects a number", numeric[i]);
            return false;
        }
    }
    return true;
}

bool vl_opt_boot(VlConfig *cfg, const char *arg, Error **errp)
{
    static const char *const keys[] = {"order", "once", "menu", "splash",
                                       "splash-time", "reboot-timeout",
                                       "strict", NULL};
    g_autoptr(Keyval) kv = parse_checked(arg, "order", keys, errp);
    const char *order, *once;

    if (!kv) {
        return false;
    }
    order = keyval_get(kv, "order");
    once = keyval_get(kv, "once");
    if ((order && !boot_devices_valid(order, errp)) ||
        (once && !boot_devices_valid(once, errp)) ||
        !check_choice(kv, "menu", on_off, errp) ||
        !check_choice(kv, "strict", on_off, errp) ||
        !boot_check_numbers(kv, errp)) {
        return false;
    }
    if (order) {
        g_free(cfg->boot_order);
        cfg->boot_order = g_strdup(order);
    }
    return true;
}

bool vl_opt_msg(const char *arg, Error **errp)
{
    static const char *const keys[] = {"timestamp", "guest-name", NULL};
    g_autoptr(Keyval) kv = parse_checked(arg, NULL, keys, errp);
    const char *ts;
    bool on;

    if (!kv || !check_choice(kv, "guest-name", on_off, errp)) {
        return false;
    }
    ts = keyval_get(kv, "timestamp");
    if (ts) {
        if (!vl_parse_on_off("timestamp", ts, &on, errp)) {
            return false;
        }
        error_set_timestamps(on);
    }
    return true;
}

bool vl_opt_overcommit(const char *arg, Error **errp)
{
    static const char *const keys[] = {"mem-lock", "cpu-pm", NULL};
    static const char *const mem_lock[] = {"on", "off", "on-fault", NULL};
    g_autoptr(Keyval) kv = parse_checked(arg, NULL, keys, errp);

    return kv && check_choice(kv, "mem-lock", mem_lock, errp) &&
           check_choice(kv, "cpu-pm", on_off, errp);
}

bool vl_opt_sandbox(const char *arg, Error **errp)
{
    static const char *const keys[] = {"enable", "obsolete",
                                       "elevateprivileges", "spawn",
                                       "resourcecontrol", NULL};
    static const char *const elevate[] = {"allow", "deny", "children", NULL};
    g_autoptr(Keyval) kv = parse_checked(arg, "enable", keys, errp);

    return kv && check_choice(kv, "enable", on_off, errp) &&
           check_choice(kv, "obsolete", allow_deny, errp) &&
           check_choice(kv, "elevateprivileges", elevate, errp) &&
           check_choice(kv, "spawn", allow_deny, errp) &&
           check_choice(kv, "resourcecontrol", allow_deny, errp);
}

bool vl_opt_watchdog_action(const char *arg, Error **errp)
{
    static const char *const actions[] = {"reset", "shutdown", "poweroff",
                                          "pause", "debug", "none",
                                          "inject-nmi", NULL};

    if (g_str_equal(arg, "help") || g_str_equal(arg, "?")) {
        error_setg(errp, "Invalid parameter 'help'");
        return false;
    }
    return vl_parse_choice("action", arg, actions, errp) >= 0;
}

bool vl_opt_display(VlConfig *cfg, const char *arg, Error **errp)
{
    static const char *const keys[] = {"type", NULL};
    static const char *const known[] = {"gtk", "sdl", "vnc", "curses",
                                        "egl-headless", "spice-app", "dbus",
                                        "cocoa", NULL};
    bool help;
    g_autoptr(Keyval) kv = keyval_parse(arg, "type", false, &help, errp);
    const char *type;

    if (!kv) {
        return false;
    }
    type = keyval_get(kv, "type");
    if (help || g_strcmp0(type, "help") == 0) {
        vl_request_help(cfg, vl_help_display, NULL);
        return true;
    }
    if (type && g_strv_contains(known, type)) {
        error_setg(errp, "Display '%s' is not available", type);
        return false;
    }
    if (!type || !g_str_equal(type, "none")) {
        error_setg(errp, "Parameter 'type' does not accept value '%s'",
                   type ? type : "");
        return false;
    }
    return vl_keyval_check(kv, keys, errp);
}

bool vl_opt_run_with(VlConfig *cfg, const char *arg, Error **errp)
{
    static const char *const keys[] = {"exit-with-parent", "chroot", "user",
                                       NULL};
    g_autoptr(Keyval) kv = parse_checked(arg, NULL, keys, errp);
    const char *ewp;

    if (!kv) {
        return false;
    }
    ewp = keyval_get(kv, "exit-with-parent");
    if (ewp && !vl_parse_on_off("exit-with-parent", ewp,
                                &cfg->run_with.exit_with_parent, errp)) {
        return false;
    }
    if (keyval_get(kv, "chroot")) {
        g_free(cfg->run_with.chroot_dir);
        cfg->run_with.chroot_dir = keyval_take(kv, "chroot");
    }
    if (keyval_get(kv, "user")) {
        g_free(cfg->run_with.user);
        cfg->run_with.user = keyval_take(kv, "user");
    }
    return true;
}

bool vl_opt_none_only(const char *arg, Error **errp)
{
    if (!g_str_equal(arg, "none")) {
        error_setg(errp, "only 'none' is supported by this emulator");
        return false;
    }
    return true;
}
