/*
 * "monitor-qmp": a QMP monitor as a user-creatable object, so that
 * -object monitor-qmp,id=..,chardev=.. and object-add/object-del work.
 */
#include "qemu/osdep.h"
#include "monitor-internal.h"
#include "qom/object_interfaces.h"

#define TYPE_MONITOR_QMP "monitor-qmp"

typedef struct MonitorQmpObject {
    Object parent_obj;
    char *chardev;
    bool pretty;
    Monitor *mon; /* set once complete */
} MonitorQmpObject;

#define MONITOR_QMP_OBJECT(obj)                                                \
    OBJECT_CHECK(MonitorQmpObject, (obj), TYPE_MONITOR_QMP)

static bool check_not_created(MonitorQmpObject *m, const char *prop,
                              Error **errp)
{
    if (m->mon) {
        error_setg(errp,
                   "Property '%s' can't be changed once the monitor "
                   "exists",
                   prop);
        return false;
    }
    return true;
}

static char *get_chardev(Object *obj, Error **errp)
{
    return g_strdup(MONITOR_QMP_OBJECT(obj)->chardev);
}

static bool set_chardev(Object *obj, const char *value, Error **errp)
{
    MonitorQmpObject *m = MONITOR_QMP_OBJECT(obj);

    if (!check_not_created(m, "chardev", errp)) {
        return false;
    }
    g_free(m->chardev);
    m->chardev = g_strdup(value);
    return true;
}

static bool get_pretty(Object *obj, Error **errp)
{
    return MONITOR_QMP_OBJECT(obj)->pretty;
}

static bool set_pretty(Object *obj, bool value, Error **errp)
{
    MonitorQmpObject *m = MONITOR_QMP_OBJECT(obj);

    if (!check_not_created(m, "pretty", errp)) {
        return false;
    }
    m->pretty = value;
    return true;
}

static bool monitor_qmp_complete(Object *obj, Error **errp)
{
    MonitorQmpObject *m = MONITOR_QMP_OBJECT(obj);
    Chardev *chr;

    if (!m->chardev) {
        error_setg(errp, "Parameter 'chardev' is missing");
        return false;
    }
    chr = qemu_chr_find(m->chardev);
    if (!chr) {
        error_setg(errp, "chardev \"%s\" not found", m->chardev);
        return false;
    }
    m->mon = monitor_new_qmp(chr, m->pretty, errp);
    return m->mon != NULL;
}

/* The monitor running object-del cannot remove itself. */
static bool monitor_qmp_can_be_deleted(Object *obj)
{
    MonitorQmpObject *m = MONITOR_QMP_OBJECT(obj);

    return !m->mon || m->mon != monitor_cur();
}

static void monitor_qmp_finalize(Object *obj)
{
    MonitorQmpObject *m = MONITOR_QMP_OBJECT(obj);

    if (m->mon) {
        monitor_destroy(m->mon);
    }
    g_free(m->chardev);
}

static void monitor_qmp_class_init(ObjectClass *oc, const void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);

    ucc->complete = monitor_qmp_complete;
    ucc->can_be_deleted = monitor_qmp_can_be_deleted;
    object_class_property_add_str(oc, "chardev", get_chardev, set_chardev);
    object_class_property_set_description(
        oc, "chardev", "ID of the chardev the QMP monitor talks over");
    object_class_property_add_bool(oc, "pretty", get_pretty, set_pretty);
    object_class_property_set_description(
        oc, "pretty", "Pretty-print the JSON replies and events");
}

static const TypeInfo monitor_qmp_types[] = {
    {
        .name = TYPE_MONITOR_QMP,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(MonitorQmpObject),
        .instance_finalize = monitor_qmp_finalize,
        .class_init = monitor_qmp_class_init,
        .interfaces = (const InterfaceInfo[]){{TYPE_USER_CREATABLE}, {NULL}},
    },
};

DEFINE_TYPES(monitor_qmp_types)
