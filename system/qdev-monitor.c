/*
 * Devices from user input: -device and device_add (cold- and hot-plug),
 * device_del, and the device help and property listings.
 */
#include "qemu/osdep.h"
#include "hw/boards.h"
#include "hw/core/qdev-properties.h"
#include "monitor/qdev.h"
#include "qom/object_interfaces.h"

/* Options that address the device rather than set its properties. */
static const char *const device_meta_keys[] = {"driver", "id", "bus", NULL};

static DeviceClass *qdev_get_device_class(const char *driver, Error **errp)
{
    ObjectClass *oc = object_class_by_name(driver);

    if (!oc || !object_class_dynamic_cast(oc, TYPE_DEVICE)) {
        error_setg(errp, "'%s' is not a valid device model name", driver);
        return NULL;
    }
    if (object_class_is_abstract(oc)) {
        error_setg(errp, "Parameter 'driver' expects a non-abstract device "
                   "type");
        return NULL;
    }
    if (!DEVICE_CLASS(oc)->user_creatable) {
        error_setg(errp, "Parameter 'driver' expects a pluggable device type");
        return NULL;
    }
    return DEVICE_CLASS(oc);
}

static bool bus_is_full(BusState *bus)
{
    int max = BUS_GET_CLASS(bus)->max_dev;

    return max && bus->num_children >= max;
}

typedef struct BusSearch {
    const char *type;
    BusState *found;
} BusSearch;

static bool bus_search_list(BusState *bus, BusSearch *s);

static bool bus_search_device(DeviceState *dev, BusSearch *s)
{
    BusState *child;

    QLIST_FOREACH(child, &dev->child_bus, sibling) {
        if (bus_search_list(child, s)) {
            return true;
        }
    }
    return false;
}

/* Depth-first: the first bus of the type that still has room. */
static bool bus_search_list(BusState *bus, BusSearch *s)
{
    BusChild *kid;

    if (object_dynamic_cast(OBJECT(bus), s->type) && !bus_is_full(bus)) {
        s->found = bus;
        return true;
    }
    QTAILQ_FOREACH(kid, &bus->children, sibling) {
        if (bus_search_device(kid->child, s)) {
            return true;
        }
    }
    return false;
}

static BusState *qbus_find_named(const char *path, Error **errp)
{
    Object *obj;
    BusState *bus;

    bus = qbus_find_by_name(path);
    if (!bus && path[0] == '/') {
        obj = object_resolve_path_type(path, TYPE_BUS, NULL);
        bus = obj ? BUS(obj) : NULL;
    }
    if (!bus) {
        error_setg(errp, "Bus '%s' not found", path);
        return NULL;
    }
    if (bus_is_full(bus)) {
        error_setg(errp, "Bus '%s' is full", path);
        return NULL;
    }
    return bus;
}

BusState *qdev_find_bus_for(const char *bus_path, const char *bus_type,
                            Error **errp)
{
    BusSearch s = {.type = bus_type};
    BusState *bus;

    if (bus_path) {
        bus = qbus_find_named(bus_path, errp);
        if (bus && bus_type && !object_dynamic_cast(OBJECT(bus), bus_type)) {
            error_setg(errp, "Bus '%s' is not a %s bus", bus_path, bus_type);
            return NULL;
        }
        return bus;
    }
    if (!bus_search_list(sysbus_get_default(), &s)) {
        error_setg(errp, "No '%s' bus found", bus_type);
        return NULL;
    }
    return s.found;
}

static const char *opts_get_str(JsonObject *opts, const char *key,
                                Error **errp)
{
    JsonNode *node = json_object_get_member(opts, key);

    if (!node) {
        return NULL;
    }
    if (json_node_get_value_type(node) != G_TYPE_STRING) {
        error_setg(errp, "Invalid parameter type for '%s', expected: string",
                   key);
        return NULL;
    }
    return json_node_get_string(node);
}

/* The bus a new device goes on; *bus stays NULL for bus-less devices. */
static bool device_pick_bus(DeviceClass *dc, const char *driver,
                            const char *path, BusState **bus, Error **errp)
{
    *bus = NULL;
    if (path) {
        *bus = qdev_find_bus_for(path, NULL, errp);
        if (!*bus) {
            return false;
        }
        if (!dc->bus_type ||
            !object_dynamic_cast(OBJECT(*bus), dc->bus_type)) {
            error_setg(errp, "Device '%s' can't go on %s bus", driver,
                       object_get_typename(OBJECT(*bus)));
            return false;
        }
        return true;
    }
    if (!dc->bus_type) {
        return true;
    }
    *bus = qdev_find_bus_for(NULL, dc->bus_type, NULL);
    if (!*bus) {
        error_setg(errp, "No '%s' bus found for device '%s'", dc->bus_type,
                   driver);
        return false;
    }
    return true;
}

static bool device_set_id(DeviceState *dev, JsonObject *opts, Error **errp)
{
    ERRP_GUARD();
    const char *id = opts_get_str(opts, "id", errp);

    if (*errp) {
        return false;
    }
    if (id && !id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        error_append_hint(errp, "Identifiers consist of letters, digits, "
                          "'-', '.', '_', starting with a letter.\n");
        return false;
    }
    qdev_set_id(dev, g_strdup(id), errp);
    return !*errp;
}

static bool device_set_props(DeviceState *dev, JsonObject *opts,
                             bool from_json, Error **errp)
{
    g_autoptr(GList) members = json_object_get_members(opts);

    for (GList *m = members; m; m = m->next) {
        const char *name = m->data;
        JsonNode *value = json_object_get_member(opts, name);
        bool ok;

        if (g_strv_contains(device_meta_keys, name)) {
            continue;
        }
        if (from_json) {
            ok = object_property_set(OBJECT(dev), name, value, errp);
        } else {
            ok = object_property_parse(OBJECT(dev), name,
                                       json_node_get_string(value), errp);
        }
        if (!ok) {
            return false;
        }
    }
    return true;
}

static DeviceState *device_create(const char *driver, BusState *bus,
                                  JsonObject *opts, bool from_json,
                                  Error **errp)
{
    DeviceState *dev = qdev_new(driver);

    /* Realize checks whether a hot-plug is allowed. */
    if (!device_set_id(dev, opts, errp)) {
        object_unref(OBJECT(dev));
        return NULL;
    }
    if (!device_set_props(dev, opts, from_json, errp) ||
        !qdev_realize(dev, bus, errp)) {
        object_unparent(OBJECT(dev));
        object_unref(OBJECT(dev));
        return NULL;
    }
    object_unref(OBJECT(dev)); /* the peripheral container holds it */
    return dev;
}

DeviceState *qdev_device_add_from_json(JsonObject *opts, bool from_json,
                                       Error **errp)
{
    ERRP_GUARD();
    const char *driver = opts_get_str(opts, "driver", errp);
    const char *bus_path;
    DeviceClass *dc;
    BusState *bus;

    if (!driver) {
        if (!*errp) {
            error_setg(errp, "Parameter 'driver' is missing");
        }
        return NULL;
    }
    dc = qdev_get_device_class(driver, errp);
    if (!dc) {
        return NULL;
    }
    bus_path = opts_get_str(opts, "bus", errp);
    if (*errp || !device_pick_bus(dc, driver, bus_path, &bus, errp)) {
        return NULL;
    }
    return device_create(driver, bus, opts, from_json, errp);
}

static DeviceState *find_device_state(const char *id, Error **errp)
{
    Object *obj;

    Object *peripheral = object_resolve_path("/machine/peripheral", NULL);

    if (id[0] == '/') {
        obj = object_resolve_path(id, NULL);
    } else {
        obj = peripheral ? object_resolve_path_component(peripheral, id)
                         : NULL;
    }
    if (!obj) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
                  id);
        return NULL;
    }
    if (!object_dynamic_cast(obj, TYPE_DEVICE)) {
        error_setg(errp, "%s is not a hotpluggable device", id);
        return NULL;
    }
    return DEVICE(obj);
}

bool qmp_device_del(const char *id, Error **errp)
{
    DeviceState *dev = find_device_state(id, errp);

    if (!dev) {
        return false;
    }
    if (dev->pending_deletion_event) {
        error_setg(errp, "Device %s is already in the process of unplug", id);
        return false;
    }
    return qdev_unplug(dev, errp);
}

/* "-device help" groups devices by category, as QEMU does. */
static const char *const category_names[DEVICE_CATEGORY_MAX + 1] = {
    [DEVICE_CATEGORY_BRIDGE] = "Controller/Bridge/Hub",
    [DEVICE_CATEGORY_USB] = "USB",
    [DEVICE_CATEGORY_STORAGE] = "Storage",
    [DEVICE_CATEGORY_NETWORK] = "Network",
    [DEVICE_CATEGORY_INPUT] = "Input",
    [DEVICE_CATEGORY_DISPLAY] = "Display",
    [DEVICE_CATEGORY_SOUND] = "Sound",
    [DEVICE_CATEGORY_MISC] = "Misc",
    [DEVICE_CATEGORY_CPU] = "CPU",
    [DEVICE_CATEGORY_WATCHDOG] = "Watchdog",
    [DEVICE_CATEGORY_MAX] = "Uncategorized",
};

static bool device_in_category(DeviceClass *dc, int cat)
{
    if (cat == DEVICE_CATEGORY_MAX) {
        return dc->categories == 0;
    }
    return dc->categories & (1u << cat);
}

static void print_devinfo(DeviceClass *dc)
{
    printf("name \"%s\"", object_class_get_name(OBJECT_CLASS(dc)));
    if (dc->bus_type) {
        printf(", bus %s", dc->bus_type);
    }
    if (dc->desc) {
        printf(", desc \"%s\"", dc->desc);
    }
    printf("\n");
}

void qdev_print_device_list(void)
{
    g_autoptr(GSList) list = object_class_get_list_sorted(TYPE_DEVICE, false);

    for (int cat = 0; cat <= DEVICE_CATEGORY_MAX; cat++) {
        bool header = false;

        for (GSList *l = list; l; l = l->next) {
            DeviceClass *dc = DEVICE_CLASS(l->data);

            if (!dc->user_creatable || !device_in_category(dc, cat)) {
                continue;
            }
            if (!header) {
                printf("%s%s devices:\n", cat ? "\n" : "",
                       category_names[cat]);
                header = true;
            }
            print_devinfo(dc);
        }
    }
}

/* Object and qdev plumbing that users do not set. */
static bool property_is_internal(const ObjectProperty *prop)
{
    static const char *const hidden[] = {"type", "realized", "hotpluggable",
                                         "hotplugged", "parent_bus", NULL};

    return g_strv_contains(hidden, prop->name) ||
           g_str_has_prefix(prop->name, "legacy-") ||
           g_str_has_prefix(prop->type, "child<");
}

static gint property_cmp(gconstpointer a, gconstpointer b)
{
    const ObjectProperty *pa = *(ObjectProperty *const *)a;
    const ObjectProperty *pb = *(ObjectProperty *const *)b;

    return strcmp(pa->name, pb->name);
}

/*
 * Sorted properties of obj, or of klass when obj is NULL; user_only
 * leaves out the internal ones (as device help and listings do).
 */
static GPtrArray *collect_properties(Object *obj, ObjectClass *klass,
                                     bool user_only)
{
    GPtrArray *props = g_ptr_array_new();
    ObjectPropertyIterator iter;
    ObjectProperty *prop;

    if (obj) {
        object_property_iter_init(&iter, obj);
    } else {
        object_class_property_iter_init(&iter, klass);
    }
    while ((prop = object_property_iter_next(&iter))) {
        if (!user_only || !property_is_internal(prop)) {
            g_ptr_array_add(props, prop);
        }
    }
    g_ptr_array_sort(props, property_cmp);
    return props;
}

bool qdev_print_device_help(const char *driver, Error **errp)
{
    DeviceClass *dc = qdev_get_device_class(driver, errp);
    g_autoptr(GPtrArray) props = NULL;
    Object *obj;

    if (!dc) {
        return false;
    }
    obj = object_new(driver);
    props = collect_properties(obj, NULL, true);
    if (props->len == 0) {
        printf("There are no options for %s.\n", driver);
    } else {
        printf("%s options:\n", driver);
    }
    for (guint i = 0; i < props->len; i++) {
        g_autofree char *line = qdev_property_help_line(props->pdata[i]);

        printf("%s\n", line);
    }
    object_unref(obj);
    return true;
}

static JsonNode *property_info(const ObjectProperty *prop)
{
    JsonObject *info = json_object_new();
    JsonNode *node = json_node_new(JSON_NODE_OBJECT);

    json_object_set_string_member(info, "name", prop->name);
    json_object_set_string_member(info, "type", prop->type);
    if (prop->description) {
        json_object_set_string_member(info, "description",
                                      prop->description);
    }
    if (prop->defval) {
        json_object_set_member(info, "default-value",
                               json_node_copy(prop->defval));
    }
    json_node_take_object(node, info);
    return node;
}

/* Is klass an interface type itself (not a class implementing one)? */
static bool qdev_class_is_interface(ObjectClass *klass)
{
    for (ObjectClass *k = klass; k; k = object_class_get_parent(k)) {
        if (!strcmp(object_class_get_name(k), TYPE_INTERFACE)) {
            return true;
        }
    }
    return false;
}

static ObjectClass *list_properties_class(const char *typename,
                                          bool devices_only, Error **errp)
{
    ObjectClass *klass = object_class_by_name(typename);

    if (!klass) {
        if (devices_only) {
            error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                      "Device '%s' not found", typename);
        } else {
            error_setg(errp, "Class '%s' not found", typename);
        }
        return NULL;
    }
    if (devices_only && !object_class_dynamic_cast(klass, TYPE_DEVICE)) {
        error_setg(errp, "Parameter 'typename' expects device");
        return NULL;
    }
    if (devices_only && object_class_is_abstract(klass)) {
        error_setg(errp, "Parameter 'typename' expects non-abstract device");
        return NULL;
    }
    if (qdev_class_is_interface(klass)) {
        error_setg(errp, "Parameter 'typename' expects a non-interface type");
        return NULL;
    }
    return klass;
}

/* Abstract types have no instance: their class properties are listed. */
JsonArray *qdev_list_properties_json(const char *typename, bool devices_only,
                                     Error **errp)
{
    ObjectClass *klass = list_properties_class(typename, devices_only, errp);
    g_autoptr(GPtrArray) props = NULL;
    Object *obj = NULL;
    JsonArray *result;

    if (!klass) {
        return NULL;
    }
    if (!object_class_is_abstract(klass)) {
        obj = object_new(typename);
    }
    props = collect_properties(obj, klass, devices_only);
    result = json_array_sized_new(props->len);
    for (guint i = 0; i < props->len; i++) {
        json_array_add_element(result, property_info(props->pdata[i]));
    }
    if (obj) {
        object_unref(obj);
    }
    return result;
}
