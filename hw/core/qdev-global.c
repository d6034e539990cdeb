/*
 * Global properties: the machine's compat table and the user's -global
 * values, applied at instance post-init in that order, so that
 * default < compat < -global < explicit property.
 */
#include "qemu/osdep.h"
#include "hw/core/qdev.h"

static GPtrArray *machine_compat_props; /* owned by the machine class */
static GPtrArray *user_global_props;    /* -global */

void object_set_machine_compat_props(GPtrArray *compat_props)
{
    machine_compat_props = compat_props;
}

void qdev_prop_register_global(GlobalProperty *prop)
{
    if (!user_global_props) {
        user_global_props = g_ptr_array_new();
    }
    g_ptr_array_add(user_global_props, prop);
}

bool object_apply_global_props(Object *obj, const GPtrArray *props,
                               Error **errp)
{
    Error *err = NULL;

    if (!props) {
        return true;
    }
    for (guint i = 0; i < props->len; i++) {
        GlobalProperty *p = g_ptr_array_index(props, i);

        if (!object_dynamic_cast(obj, p->driver)) {
            continue;
        }
        if (p->optional && !object_property_find(obj, p->property)) {
            continue;
        }
        p->used = true;
        if (!object_property_parse(obj, p->property, p->value, &err)) {
            error_prepend(&err, "can't apply global %s.%s=%s: ", p->driver,
                          p->property, p->value);
            error_propagate(errp, err);
            return false;
        }
    }
    return true;
}

void object_apply_compat_props(Object *obj)
{
    Error *err = NULL;

    if (!object_apply_global_props(obj, machine_compat_props, &err)) {
        error_report_err(err);
    }
}

void qdev_prop_set_globals(DeviceState *dev)
{
    Object *obj = OBJECT(dev);
    Error *err = NULL;

    /* Post-init cannot fail: keep the error for realize to report. */
    if (!object_apply_global_props(obj, machine_compat_props, &err) ||
        !object_apply_global_props(obj, user_global_props, &err)) {
        dev->global_error = err;
    }
}

void qdev_prop_check_globals(void)
{
    if (!user_global_props) {
        return;
    }
    for (guint i = 0; i < user_global_props->len; i++) {
        GlobalProperty *p = g_ptr_array_index(user_global_props, i);
        ObjectClass *oc;

        if (p->used) {
            continue;
        }
        oc = object_class_by_name(p->driver);
        if (!oc || !object_class_dynamic_cast(oc, TYPE_DEVICE)) {
            warn_report("global %s.%s has invalid class name", p->driver,
                        p->property);
            continue;
        }
        if (!DEVICE_CLASS(oc)->hotpluggable) {
            warn_report("global %s.%s=%s not used", p->driver, p->property,
                        p->value);
        }
    }
}
