/*
 * Devices: the TYPE_DEVICE base class, realize and unrealize, placement in
 * the QOM tree, hot-unplug and the DEVICE_DELETED event.
 */
#include "qemu/osdep.h"
#include "hw/core/qdev.h"
#include "hw/boards.h"
#include "monitor/qmp.h"
#include "core-internal.h"

DeviceState *qdev_try_new(const char *typename)
{
    ObjectClass *oc = object_class_by_name(typename);

    if (!oc || object_class_is_abstract(oc) ||
        !object_class_dynamic_cast(oc, TYPE_DEVICE)) {
        return NULL;
    }
    return DEVICE(object_new_with_class(oc));
}

DeviceState *qdev_new(const char *typename)
{
    DeviceState *dev = qdev_try_new(typename);

    if (!dev) {
        error_report("unknown device type '%s'", typename);
        abort();
    }
    return dev;
}

bool qdev_realize(DeviceState *dev, BusState *bus, Error **errp)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    g_assert(!dev->realized && !dev->parent_bus);
    if (bus) {
        if (!qdev_set_parent_bus(dev, bus, errp)) {
            return false;
        }
    } else if (dc->bus_type) {
        error_setg(errp, "No '%s' bus found for device '%s'", dc->bus_type,
                   object_get_typename(OBJECT(dev)));
        return false;
    }
    if (!object_property_set_bool(OBJECT(dev), "realized", true, errp)) {
        if (dev->parent_bus) {
            qdev_unset_parent_bus(dev);
        }
        return false;
    }
    return true;
}

bool qdev_realize_and_unref(DeviceState *dev, BusState *bus, Error **errp)
{
    bool ok = qdev_realize(dev, bus, errp);

    object_unref(dev);
    return ok;
}

void qdev_unrealize(DeviceState *dev)
{
    if (dev->realized) {
        qdev_do_unrealize(dev);
    }
}

static HotplugHandler *qdev_get_machine_hotplug_handler(DeviceState *dev)
{
    MachineState *ms = qdev_get_machine();
    MachineClass *mc;

    if (!ms) {
        return NULL;
    }
    mc = MACHINE_GET_CLASS(ms);
    return mc->get_hotplug_handler ? mc->get_hotplug_handler(ms, dev) : NULL;
}

HotplugHandler *qdev_get_bus_hotplug_handler(DeviceState *dev)
{
    return dev->parent_bus ? dev->parent_bus->hotplug_handler : NULL;
}

HotplugHandler *qdev_get_hotplug_handler(DeviceState *dev)
{
    HotplugHandler *h = qdev_get_machine_hotplug_handler(dev);

    return h ? h : qdev_get_bus_hotplug_handler(dev);
}

bool qdev_hotplug_allowed(DeviceState *dev, BusState *bus, Error **errp)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);
    const char *type = object_get_typename(OBJECT(dev));

    if (bus && !qbus_is_hotpluggable(bus)) {
        error_setg(errp, "Bus '%s' does not support hotplugging", bus->name);
        return false;
    }
    if (!dc->hotpluggable) {
        error_setg(errp, "Device '%s' does not support hotplugging", type);
        return false;
    }
    if (!bus && !qdev_get_machine_hotplug_handler(dev)) {
        error_setg(errp, "Device '%s' can not be hotplugged on this machine",
                   type);
        return false;
    }
    return true;
}

/* Board-created devices without a place in the tree go here. */
static void qdev_attach_unattached(DeviceState *dev)
{
    static unsigned int unattached_count;
    Object *unattached =
        container_get(object_get_root(), "/machine/unattached");
    g_autofree char *name = g_strdup_printf("device[%u]", unattached_count++);

    object_property_add_child(unattached, name, OBJECT(dev));
}

static bool qdev_realize_child_buses(DeviceState *dev, Error **errp)
{
    BusState *bus;

    QLIST_FOREACH(bus, &dev->child_bus, sibling)
    {
        if (!qbus_realize(bus, errp)) {
            return false;
        }
    }
    return true;
}

bool qdev_do_realize(DeviceState *dev, Error **errp)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);
    bool hotplug = qdev_machine_creation_done_p();
    HotplugHandler *h;

    if (dev->global_error) {
        error_propagate(errp, error_copy(dev->global_error));
        return false;
    }
    if (hotplug && !qdev_hotplug_allowed(dev, dev->parent_bus, errp)) {
        return false;
    }
    if (!OBJECT(dev)->parent) {
        qdev_attach_unattached(dev);
    }
    g_free(dev->canonical_path);
    dev->canonical_path = object_get_canonical_path(OBJECT(dev));

    dev->hotplugged = hotplug;
    h = qdev_get_hotplug_handler(dev);
    if (h && !hotplug_handler_pre_plug(h, dev, errp)) {
        return false;
    }
    if (dc->realize && !dc->realize(dev, errp)) {
        return false;
    }
    if (!qdev_realize_child_buses(dev, errp)) {
        goto undo;
    }
    if (hotplug) {
        qdev_reset_subtree(dev);
    }
    if (h && !hotplug_handler_plug(h, dev, errp)) {
        goto undo;
    }
    dev->realized = true;
    return true;

undo:
    qdev_do_unrealize(dev);
    dev->pending_deletion_event = false;
    return false;
}

void qdev_do_unrealize(DeviceState *dev)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);
    BusState *bus;

    QLIST_FOREACH(bus, &dev->child_bus, sibling)
    {
        qbus_unrealize(bus);
    }
    if (dc->unrealize) {
        dc->unrealize(dev);
    }
    dev->realized = false;
    dev->pending_deletion_event = true;
}

static void qdev_emit_deleted(DeviceState *dev)
{
    JsonObject *data = json_object_new();

    if (dev->id) {
        json_object_set_string_member(data, "device", dev->id);
    }
    json_object_set_string_member(data, "path", dev->canonical_path);
    qapi_event_send("DEVICE_DELETED", data);
}

/* Runs when the device leaves the QOM tree. */
static void device_unparent(Object *obj)
{
    DeviceState *dev = DEVICE(obj);
    BusState *bus;

    qdev_unrealize(dev);
    while ((bus = QLIST_FIRST(&dev->child_bus))) {
        object_unparent(OBJECT(bus));
    }
    if (dev->parent_bus) {
        qdev_unset_parent_bus(dev);
    }
    if (dev->pending_deletion_event) {
        dev->pending_deletion_event = false;
        qdev_emit_deleted(dev);
    }
}

bool qdev_unplug(DeviceState *dev, Error **errp)
{
    HotplugHandler *h;

    if (dev->parent_bus && !qbus_is_hotpluggable(dev->parent_bus)) {
        error_setg(errp, "Bus '%s' does not support hotplugging",
                   dev->parent_bus->name);
        return false;
    }
    h = qdev_get_hotplug_handler(dev);
    if (!DEVICE_GET_CLASS(dev)->hotpluggable || !h) {
        error_setg(errp, "Device '%s' does not support hotplugging",
                   object_get_typename(OBJECT(dev)));
        return false;
    }
    if (HOTPLUG_HANDLER_GET_CLASS(h)->unplug_request) {
        return hotplug_handler_unplug_request(h, dev, errp);
    }
    qdev_remove_and_emit_deleted(dev);
    return true;
}

void qdev_remove_and_emit_deleted(DeviceState *dev)
{
    HotplugHandler *h = qdev_get_hotplug_handler(dev);

    if (h) {
        hotplug_handler_unplug(h, dev);
    }
    object_unparent(OBJECT(dev));
}

void qdev_set_id(DeviceState *dev, char *id, Error **errp)
{
    static unsigned int anon_count;
    Object *container;
    g_autofree char *name = NULL;

    g_assert(!dev->realized);
    if (id) {
        g_free(dev->id);
        dev->id = id;
    }
    if (dev->id) {
        container = container_get(object_get_root(), "/machine/peripheral");
        if (object_property_find(container, dev->id)) {
            error_setg(errp, "Duplicate device ID '%s'", dev->id);
            return;
        }
        object_property_add_child(container, dev->id, OBJECT(dev));
        return;
    }
    container = container_get(object_get_root(), "/machine/peripheral-anon");
    name = g_strdup_printf("device[%u]", anon_count++);
    object_property_add_child(container, name, OBJECT(dev));
}

const char *qdev_fw_name(DeviceState *dev)
{
    return object_get_typename(OBJECT(dev));
}

char *qdev_get_dev_path(DeviceState *dev)
{
    BusClass *bc;

    if (!dev->parent_bus) {
        return NULL;
    }
    bc = BUS_GET_CLASS(dev->parent_bus);
    return bc->get_dev_path ? bc->get_dev_path(dev) : NULL;
}

static bool device_get_realized(Object *obj, Error **errp)
{
    return DEVICE(obj)->realized;
}

static bool device_set_realized(Object *obj, bool value, Error **errp)
{
    DeviceState *dev = DEVICE(obj);

    if (value && !dev->realized) {
        return qdev_do_realize(dev, errp);
    }
    if (!value && dev->realized) {
        /*
         * Nothing in the tree unrealizes through the property; a client
         * doing it (qom-set) would pull a live device out from under its
         * bus and the guest. Removal is device_del's job.
         */
        error_setg(errp, "Property '%s.realized' cannot be cleared; "
                   "use device_del to remove a device",
                   object_get_typename(obj));
        return false;
    }
    return true;
}

static bool device_get_hotpluggable(Object *obj, Error **errp)
{
    DeviceState *dev = DEVICE(obj);

    return DEVICE_GET_CLASS(dev)->hotpluggable &&
           (!dev->parent_bus || qbus_is_hotpluggable(dev->parent_bus));
}

static JsonNode *device_get_parent_bus(Object *obj, ObjectProperty *prop,
                                       Error **errp)
{
    DeviceState *dev = DEVICE(obj);
    g_autofree char *path = NULL;
    JsonNode *node = json_node_new(JSON_NODE_VALUE);

    if (dev->parent_bus) {
        path = object_get_canonical_path(OBJECT(dev->parent_bus));
    }
    json_node_set_string(node, path ? path : "");
    return node;
}

static void device_post_init(Object *obj)
{
    qdev_prop_set_globals(DEVICE(obj));
}

static void device_finalize(Object *obj)
{
    DeviceState *dev = DEVICE(obj);

    qdev_free_gpios(dev);
    g_free(dev->id);
    g_free(dev->canonical_path);
    if (dev->global_error) {
        error_free(dev->global_error);
    }
}

static void device_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    oc->unparent = device_unparent;
    /* Like QEMU, a device is hotpluggable unless its class says not. */
    dc->hotpluggable = true;
    dc->user_creatable = true;

    object_class_property_add_bool(oc, "realized", device_get_realized,
                                   device_set_realized);
    object_class_property_set_description(oc, "realized",
                                          "Whether the device is realized");
    object_class_property_add_bool(oc, "hotpluggable", device_get_hotpluggable,
                                   NULL);
    object_class_property_set_description(
        oc, "hotpluggable", "Whether the device can be hot-(un)plugged");
    object_class_property_add(oc, "parent_bus", "link<" TYPE_BUS ">",
                              device_get_parent_bus, NULL, NULL, NULL);
    object_class_property_set_description(oc, "parent_bus",
                                          "The bus the device sits on");
}

static const TypeInfo device_type_info = {
    .name = TYPE_DEVICE,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(DeviceState),
    .class_size = sizeof(DeviceClass),
    .instance_post_init = device_post_init,
    .instance_finalize = device_finalize,
    .class_init = device_class_init,
    .abstract = true,
};

static void qdev_register_types(void)
{
    type_register_static(&device_type_info);
}

type_init(qdev_register_types)
