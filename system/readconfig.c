/*
 * -readconfig FILE: QEMU's ini-like configuration file. Each section
 * stands for one option ("[device "ID"]" is "-device id=ID,..."), each
 * line inside it for one key = "value" pair; '#' starts a comment.
 * Sections are recorded exactly as if given on the command line.
 */
#include "qemu/osdep.h"
#include "system/vl-internal.h"

typedef struct ConfigGroup {
    const char *group;
    const char *option;
} ConfigGroup;

static const ConfigGroup config_groups[] = {
    {"machine", "machine"},   {"accel", "accel"},     {"device", "device"},
    {"object", "object"},     {"chardev", "chardev"}, {"mon", "mon"},
    {"global", "global"},     {"numa", "numa"},       {"name", "name"},
    {"smp-opts", "smp"},      {"memory", "m"},        {"boot-opts", "boot"},
    {"rtc", "rtc"},           {"msg", "msg"},         {"sandbox", "sandbox"},
    {"overcommit", "overcommit"}, {"audiodev", "audiodev"},
};

typedef struct ConfigSection {
    const char *option; /* NULL before the first section */
    GString *arg;
    int line;
} ConfigSection;

static const char *config_option(const char *group)
{
    for (size_t i = 0; i < ARRAY_SIZE(config_groups); i++) {
        if (g_str_equal(config_groups[i].group, group)) {
            return config_groups[i].option;
        }
    }
    return NULL;
}

static void config_append(GString *arg, const char *key, const char *value)
{
    if (arg->len) {
        g_string_append_c(arg, ',');
    }
    g_string_append_printf(arg, "%s=", key);
    for (const char *p = value; *p; p++) {
        g_string_append_c(arg, *p);
        if (*p == ',') {
            g_string_append_c(arg, ','); /* keyval's escaped comma */
        }
    }
}

static bool config_flush(VlConfig *cfg, ConfigSection *sec, Error **errp)
{
    bool ok = true;

    if (sec->option) {
        ok = vl_handle_option(cfg, sec->option, sec->arg->str, errp);
        if (!ok) {
            error_prepend(errp, "line %d: ", sec->line);
        }
    }
    g_string_truncate(sec->arg, 0);
    sec->option = NULL;
    return ok;
}

static bool config_section(VlConfig *cfg, ConfigSection *sec,
                           const char *line, int lno, Error **errp)
{
    char group[64], id[128];
    int n = 0;

    if (!config_flush(cfg, sec, errp)) {
        return false;
    }
    if (sscanf(line, "[%63[^] \"] \"%127[^\"]\"]%n", group, id, &n) == 2 &&
        line[n] == '\0') {
        config_append(sec->arg, "id", id);
    } else if (n = 0, sscanf(line, "[%63[^] \"]]%n", group, &n) != 1 ||
               line[n] != '\0') {
        error_setg(errp, "line %d: parse error", lno);
        return false;
    }
    sec->option = config_option(group);
    sec->line = lno;
    if (!sec->option) {
        error_setg(errp, "line %d: There is no option group '%s'", lno,
                   group);
        return false;
    }
    return true;
}

static bool config_line(VlConfig *cfg, ConfigSection *sec, const char *line,
                        int lno, Error **errp)
{
    char key[64], value[1024];
    int n = 0;

    if (line[0] == '\0' || line[0] == '#') {
        return true;
    }
    if (line[0] == '[') {
        return config_section(cfg, sec, line, lno, errp);
    }
    if (sscanf(line, "%63s = \"%1023[^\"]\"%n", key, value, &n) != 2) {
        n = 0;
        if (sscanf(line, "%63s = \"\"%n", key, &n) != 1 || !n) {
            error_setg(errp, "line %d: parse error", lno);
            return false;
        }
        value[0] = '\0';
    }
    if (line[n] != '\0') {
        error_setg(errp, "line %d: parse error", lno);
        return false;
    }
    if (!sec->option) {
        error_setg(errp, "line %d: no group defined", lno);
        return false;
    }
    config_append(sec->arg, key, value);
    return true;
}

bool vl_opt_readconfig(VlConfig *cfg, const char *path, Error **errp)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    GError *gerr = NULL;
    ConfigSection sec = {.arg = g_string_new(NULL)};
    bool ok = true;

    if (!g_file_get_contents(path, &text, NULL, &gerr)) {
        error_setg(errp, "Cannot read config file: %s", gerr->message);
        g_error_free(gerr);
        g_string_free(sec.arg, true);
        return false;
    }
    lines = g_strsplit(text, "\n", -1);
    for (int i = 0; ok && lines[i]; i++) {
        ok = config_line(cfg, &sec, g_strstrip(lines[i]), i + 1, errp);
    }
    ok = ok && config_flush(cfg, &sec, errp);
    g_string_free(sec.arg, true);
    return ok;
}
