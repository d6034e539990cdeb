/*
 * Buses: the TYPE_BUS base class, naming, device membership, realize,
 * lookup by name, tree walks and reset.
 */
#include "qemu/osdep.h"
#include "hw/core/qdev.h"
#include "core-internal.h"

static void qbus_init_internal(BusState *bus, DeviceState *parent,
                               const char *name)
{
    BusClass *bc = BUS_GET_CLASS(bus);

    bus->parent = parent;
    if (name) {
        bus->name = g_strdup(name);
    } else if (parent && parent->id) {
        bus->name = g_strdup_printf("%s.%d", parent->id, parent->num_child_bus);
    } else {
        g_autofree char *type = g_strdup_printf(
            "%s.%d", object_get_typename(OBJECT(bus)), bc->automatic_ids++);
        bus->name = g_ascii_strdown(type, -1);
    }
    if (parent) {
        QLIST_INSERT_HEAD(&parent->child_bus, bus, sibling);
        parent->num_child_bus++;
        object_property_add_child(OBJECT(parent), bus->name, OBJECT(bus));
        /* The parent's child property now owns the bus. */
        object_unref(bus);
    }
}

BusState *qbus_new(const char *typename, DeviceState *parent, const char *name)
{
    BusState *bus = BUS(object_new(typename));

    qbus_init_internal(bus, parent, name);
    return bus;
}

void qbus_init(void *bus, size_t size, const char *typename,
               DeviceState *parent, const char *name)
{
    object_initialize(bus, size, typename);
    qbus_init_internal(BUS(bus), parent, name);
}

bool qbus_realize(BusState *bus, Error **errp)
{
    BusClass *bc = BUS_GET_CLASS(bus);
    ERRP_GUARD();

    if (bus->realized) {
        return true;
    }
    if (bc->realize) {
        bc->realize(bus, errp);
        if (*errp) {
            return false;
        }
    }
    bus->realized = true;
    return true;
}

void qbus_unrealize(BusState *bus)
{
    BusClass *bc = BUS_GET_CLASS(bus);
    BusChild *kid;

    QTAILQ_FOREACH(kid, &bus->children, sibling)
    {
        qdev_unrealize(kid->child);
    }
    if (bus->realized && bc->unrealize) {
        bc->unrealize(bus);
    }
    bus->realized = false;
}

void qbus_set_hotplug_handler(BusState *bus, Object *handler)
{
    bus->hotplug_handler = handler ? HOTPLUG_HANDLER(handler) : NULL;
}

bool qbus_is_hotpluggable(BusState *bus)
{
    return bus->hotplug_handler != NULL;
}

bool qdev_set_parent_bus(DeviceState *dev, BusState *bus, Error **errp)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);
    BusClass *bc = BUS_GET_CLASS(bus);
    BusChild *kid;

    if (!dc->bus_type || !object_dynamic_cast(OBJECT(bus), dc->bus_type)) {
        error_setg(errp, "Device '%s' can't go on %s bus",
                   object_get_typename(OBJECT(dev)),
                   object_get_typename(OBJECT(bus)));
        return false;
    }
    if (bc->max_dev && bus->num_children >= bc->max_dev) {
        error_setg(errp, "Bus '%s' is full", bus->name);
        return false;
    }
    if (bc->check_address && !bc->check_address(bus, dev, errp)) {
        return false;
    }
    kid = g_new0(BusChild, 1);
    kid->child = DEVICE(object_ref(dev));
    kid->index = bus->max_index++;
    QTAILQ_INSERT_TAIL(&bus->children, kid, sibling);
    bus->num_children++;
    dev->parent_bus = BUS(object_ref(bus));
    return true;
}

void qdev_unset_parent_bus(DeviceState *dev)
{
    BusState *bus = dev->parent_bus;
    BusChild *kid;

    QTAILQ_FOREACH(kid, &bus->children, sibling)
    {
        if (kid->child == dev) {
            break;
        }
    }
    g_assert(kid);
    QTAILQ_REMOVE(&bus->children, kid, sibling);
    g_free(kid);
    bus->num_children--;
    dev->parent_bus = NULL;
    object_unref(bus);
    object_unref(dev);
}

BusState *qdev_get_child_bus(DeviceState *dev, const char *name)
{
    BusState *bus;

    QLIST_FOREACH(bus, &dev->child_bus, sibling)
    {
        if (g_str_equal(bus->name, name)) {
            return bus;
        }
    }
    return NULL;
}

static BusState *qbus_find_below(BusState *bus, const char *name)
{
    BusChild *kid;
    BusState *child, *found;

    if (g_str_equal(bus->name, name)) {
        return bus;
    }
    QTAILQ_FOREACH(kid, &bus->children, sibling)
    {
        QLIST_FOREACH(child, &kid->child->child_bus, sibling)
        {
            found = qbus_find_below(child, name);
            if (found) {
                return found;
            }
        }
    }
    return NULL;
}

BusState *qbus_find_by_name(const char *name)
{
    return qbus_find_below(sysbus_get_default(), name);
}

int qbus_walk_children(BusState *bus,
                       int (*pre_devfn)(DeviceState *dev, void *opaque),
                       void *opaque)
{
    BusChild *kid;
    BusState *child;
    int ret;

    QTAILQ_FOREACH(kid, &bus->children, sibling)
    {
        ret = pre_devfn(kid->child, opaque);
        if (ret) {
            return ret;
        }
        QLIST_FOREACH(child, &kid->child->child_bus, sibling)
        {
            ret = qbus_walk_children(child, pre_devfn, opaque);
            if (ret) {
                return ret;
            }
        }
    }
    return 0;
}

static void qbus_reset_tree(BusState *bus)
{
    BusClass *bc = BUS_GET_CLASS(bus);
    BusChild *kid;

    QTAILQ_FOREACH(kid, &bus->children, sibling)
    {
        if (kid->child->realized) {
            qdev_reset_subtree(kid->child);
        }
    }
    if (bc->reset) {
        bc->reset(bus);
    }
}

void qdev_reset_subtree(DeviceState *dev)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);
    BusState *bus;

    QLIST_FOREACH(bus, &dev->child_bus, sibling)
    {
        qbus_reset_tree(bus);
    }
    if (dc->reset) {
        dc->reset(dev);
    }
}

void qdev_reset_all(void)
{
    qbus_reset_tree(sysbus_get_default());
}

void device_cold_reset(DeviceState *dev)
{
    qdev_reset_subtree(dev);
}

/* Runs when the bus leaves the tree: its devices go with it. */
static void bus_unparent(Object *obj)
{
    BusState *bus = BUS(obj);
    BusChild *kid;

    while ((kid = QTAILQ_FIRST(&bus->children))) {
        DeviceState *dev = kid->child;

        if (OBJECT(dev)->parent) {
            object_unparent(OBJECT(dev));
        } else {
            qdev_unrealize(dev);
            qdev_unset_parent_bus(dev);
        }
    }
    if (bus->parent) {
        QLIST_REMOVE(bus, sibling);
        bus->parent->num_child_bus--;
        bus->parent = NULL;
    }
}

static void bus_instance_init(Object *obj)
{
    QTAILQ_INIT(&BUS(obj)->children);
}

static void bus_finalize(Object *obj)
{
    g_free(BUS(obj)->name);
}

static void bus_class_init(ObjectClass *oc, const void *data)
{
    oc->unparent = bus_unparent;
}

static const TypeInfo bus_type_info = {
    .name = TYPE_BUS,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(BusState),
    .class_size = sizeof(BusClass),
    .instance_init = bus_instance_init,
    .instance_finalize = bus_finalize,
    .class_init = bus_class_init,
    .abstract = true,
};

static void bus_register_types(void)
{
    type_register_static(&bus_type_info);
}

type_init(bus_register_types)
