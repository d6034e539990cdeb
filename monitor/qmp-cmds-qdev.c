/*
 * Device commands: device-list-properties, device_add, device_del.
 */
#include "qemu/osdep.h"
#include "monitor-internal.h"
#include "monitor/qdev.h"
#include "qmp-json.h"

static bool device_list_properties(Monitor *mon, JsonObject *args,
                                   JsonNode **ret, Error **errp)
{
    static const char *const allowed[] = {"typename", NULL};
    const char *typename = qmp_arg_str(args, "typename", true, errp);
    JsonArray *props;

    if (!typename || !qmp_args_check(args, allowed, errp)) {
        return false;
    }
    props = qdev_list_properties_json(typename, true, errp);
    if (!props) {
        return false;
    }
    *ret = qmp_node_take_array(props);
    return true;
}

/* The arguments are the device's options, as in -device '{...}'. */
static bool device_add(Monitor *mon, JsonObject *args, JsonNode **ret,
                       Error **errp)
{
    return qdev_device_add_from_json(args, true, errp) != NULL;
}

static bool device_del(Monitor *mon, JsonObject *args, JsonNode **ret,
                       Error **errp)
{
    static const char *const allowed[] = {"id", NULL};
    const char *id = qmp_arg_str(args, "id", true, errp);

    return id && qmp_args_check(args, allowed, errp) &&
           qmp_device_del(id, errp);
}

void qmp_register_qdev_commands(void)
{
    qmp_register_command("device-list-properties", device_list_properties,
                         QCO_ALLOW_PRECONFIG);
    qmp_register_command("device_add", device_add, QCO_NO_OPTIONS);
    qmp_register_command("device_del", device_del, QCO_NO_OPTIONS);
}
