/*
 * -d log categories.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"

typedef struct LogItem {
    int mask;
    const char *name;
    const char *help;
} LogItem;

static const LogItem log_items[] = {
    {LOG_GUEST_ERROR, "guest_errors",
     "invalid guest actions, e.g. accesses nothing decodes"},
    {LOG_UNIMP, "unimp", "guest use of unimplemented features"},
};

int qemu_loglevel;

void qemu_set_log_mask(int mask)
{
    qemu_loglevel = mask;
}

void qemu_log(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
}

static int log_item_mask(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(log_items); i++) {
        if (!strcmp(name, log_items[i].name)) {
            return log_items[i].mask;
        }
    }
    return 0;
}

int qemu_str_to_log_mask(const char *str)
{
    g_auto(GStrv) items = g_strsplit(str, ",", -1);
    int mask = 0;

    for (char **p = items; *p; p++) {
        int bit = log_item_mask(*p);

        if (!bit) {
            return 0;
        }
        mask |= bit;
    }
    return mask;
}

void qemu_print_log_usage(FILE *f)
{
    fprintf(f, "Log items (comma separated):\n");
    for (size_t i = 0; i < ARRAY_SIZE(log_items); i++) {
        fprintf(f, "%-15s %s\n", log_items[i].name, log_items[i].help);
    }
}
