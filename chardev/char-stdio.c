/*
 * "stdio" chardev: reads the process's stdin, writes its stdout.
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"

typedef struct StdioChardev {
    Chardev parent_obj;
    bool claimed; /* this chardev owns the process's stdio */
} StdioChardev;

#define STDIO_CHARDEV(obj) OBJECT_CHECK(StdioChardev, (obj), TYPE_CHARDEV_STDIO)

/* stdin can feed only one reader. */
static bool stdio_in_use;

static bool stdio_open(Chardev *chr, JsonObject *opts, Error **errp)
{
    if (stdio_in_use) {
        error_setg(errp, "cannot use stdio by multiple character devices");
        return false;
    }
    stdio_in_use = true;
    STDIO_CHARDEV(chr)->claimed = true;
    qemu_chr_attach_stream(chr, STDIN_FILENO, STDOUT_FILENO, false, false);
    return true;
}

static void stdio_finalize(Object *obj)
{
    if (STDIO_CHARDEV(obj)->claimed) {
        stdio_in_use = false;
    }
}

static void stdio_class_init(ObjectClass *oc, const void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->backend = "stdio";
    cc->open = stdio_open;
}

static const TypeInfo stdio_types[] = {
    {
        .name = TYPE_CHARDEV_STDIO,
        .parent = TYPE_CHARDEV,
        .instance_size = sizeof(StdioChardev),
        .instance_finalize = stdio_finalize,
        .class_init = stdio_class_init,
    },
};

DEFINE_TYPES(stdio_types)
