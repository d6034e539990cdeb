/*
 * Static properties whose values name things outside the device: links to
 * other objects, UUIDs, guest PCI addresses ("SLOT.FN") and host PCI
 * addresses ("DDDD:BB:DD.F").
 */
#include "qemu/osdep.h"
#include "hw/core/qdev-properties.h"

static void *prop_field(Object *obj, ObjectProperty *op)
{
    return object_field_prop_ptr(obj, op->opaque);
}

static JsonNode *str_node(const char *value)
{
    return json_node_init_string(json_node_alloc(), value);
}

static bool bad_value(Object *obj, ObjectProperty *op, const char *value,
                      Error **errp)
{
    error_setg(errp, "Property '%s.%s' doesn't take value '%s'",
               object_get_typename(obj), op->name, value);
    return false;
}

/* Parses 1+ hex digits with an optional 0x prefix; *end gets the rest. */
static bool parse_hex(const char *s, const char **end, unsigned long max,
                      unsigned int *out)
{
    unsigned long v = 0;
    const char *p = s;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && g_ascii_isxdigit(p[2])) {
        p += 2;
    }
    if (!g_ascii_isxdigit(*p)) {
        return false;
    }
    for (; g_ascii_isxdigit(*p); p++) {
        v = v * 16 + g_ascii_xdigit_value(*p);
        if (v > max) {
            return false;
        }
    }
    *out = v;
    *end = p;
    return true;
}

/* Links: set by path, stored as a referenced Object*. */

static JsonNode *get_link(Object *obj, ObjectProperty *op, Error **errp)
{
    Object *target = *(Object **)prop_field(obj, op);
    g_autofree char *path = target ? object_get_canonical_path(target) : NULL;

    return str_node(path ? path : "");
}

static Object *resolve_link(ObjectProperty *op, const char *path,
                            const char *type, Error **errp)
{
    bool ambiguous = false;
    Object *target = object_resolve_path_type(path, type, &ambiguous);

    if (ambiguous) {
        error_setg(errp, "Path '%s' does not uniquely identify an object",
                   path);
        return NULL;
    }
    if (target) {
        return target;
    }
    if (object_resolve_path(path, &ambiguous) || ambiguous) {
        error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                   op->name, type);
    } else {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
                  path);
    }
    return NULL;
}

static bool set_link(Object *obj, ObjectProperty *op, JsonNode *value,
                     Error **errp)
{
    const Property *prop = op->opaque;
    Object **field = prop_field(obj, op);
    const char *path = object_node_get_str(value, op->name, errp);
    Object *target = NULL;

    if (!path) {
        return false;
    }
    if (*path) {
        target = resolve_link(op, path, prop->link_type, errp);
        if (!target) {
            return false;
        }
        object_ref(target);
    }
    object_unref(*field);
    *field = target;
    return true;
}

static void release_link(Object *obj, ObjectProperty *op)
{
    Object **field = prop_field(obj, op);

    object_unref(*field);
    *field = NULL;
}

const PropertyInfo qdev_prop_link = {
    .type = "link",
    .get = get_link,
    .set = set_link,
    .release = release_link,
};

/* UUIDs: "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", or "auto" for a random one */

static JsonNode *get_uuid(Object *obj, ObjectProperty *op, Error **errp)
{
    const uint8_t *u = ((QemuUUID *)prop_field(obj, op))->data;
    g_autofree char *s =
        g_strdup_printf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                        "%02x%02x%02x%02x%02x%02x",
                        u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8],
                        u[9], u[10], u[11], u[12], u[13], u[14], u[15]);

    return str_node(s);
}

static void uuid_from_string(const char *s, QemuUUID *uuid)
{
    int n = 0;

    for (const char *p = s; *p; p++) {
        if (*p == '-') {
            continue;
        }
        uuid->data[n / 2] = (uuid->data[n / 2] << 4) | g_ascii_xdigit_value(*p);
        n++;
    }
}

static bool set_uuid(Object *obj, ObjectProperty *op, JsonNode *value,
                     Error **errp)
{
    QemuUUID *uuid = prop_field(obj, op);
    const char *s = object_node_get_str(value, op->name, errp);
    g_autofree char *random = NULL;

    if (!s) {
        return false;
    }
    if (g_str_equal(s, "auto")) {
        s = random = g_uuid_string_random();
    } else if (!g_uuid_string_is_valid(s)) {
        return bad_value(obj, op, s, errp);
    }
    uuid_from_string(s, uuid);
    return true;
}

static JsonNode *default_uuid(const Property *prop)
{
    return prop->defval_str ? str_node(prop->defval_str) : NULL;
}

const PropertyInfo qdev_prop_uuid = {
    .type = "str",
    .description = "UUID (aka GUID) or \"auto\" for random value (default)",
    .default_node = default_uuid,
    .get = get_uuid,
    .set = set_uuid,
};

/*
 * Guest PCI address: an int32 devfn (-1: the bus picks the slot). The
 * string form "SLOT[.FN]" takes hexadecimal numbers, "0x" optional, as
 * libvirt's "addr":"0x1.0x2" and QEMU's "addr=06.0" both rely on.
 */

static JsonNode *get_pci_devfn(Object *obj, ObjectProperty *op, Error **errp)
{
    return json_node_init_int(json_node_alloc(),
                              *(int32_t *)prop_field(obj, op));
}

static bool parse_devfn(const char *s, int32_t *devfn)
{
    unsigned int slot, fn = 0;
    const char *p;

    if (!parse_hex(s, &p, 0x1f, &slot)) {
        return false;
    }
    if (*p == '.' && !parse_hex(p + 1, &p, 7, &fn)) {
        return false;
    }
    if (*p) {
        return false;
    }
    *devfn = slot << 3 | fn;
    return true;
}

static bool set_pci_devfn(Object *obj, ObjectProperty *op, JsonNode *value,
                          Error **errp)
{
    int32_t *field = prop_field(obj, op);
    int64_t devfn;

    if (JSON_NODE_HOLDS_VALUE(value) &&
        json_node_get_value_type(value) == G_TYPE_STRING) {
        const char *s = json_node_get_string(value);

        return parse_devfn(s, field) || bad_value(obj, op, s, errp);
    }
    if (!object_node_get_int(value, op->name, &devfn, errp)) {
        return false;
    }
    if (devfn < -1 || devfn > 255) {
        error_setg(errp, "Parameter '%s' expects a value between -1 and 255",
                   op->name);
        return false;
    }
    *field = devfn;
    return true;
}

/* The string form goes to the setter as a JSON string. */
static JsonNode *parse_pci_devfn(const ObjectProperty *op, const char *str,
                                 Error **errp)
{
    return str_node(str);
}

static JsonNode *default_pci_devfn(const Property *prop)
{
    return json_node_init_int(json_node_alloc(), prop->defval.i);
}

const PropertyInfo qdev_prop_pci_devfn = {
    .type = "pci-devfn",
    .description = "Slot and optional function number, example: 06.0 or 06",
    .default_node = default_pci_devfn,
    .get = get_pci_devfn,
    .set = set_pci_devfn,
    .parse = parse_pci_devfn,
};

/* Host PCI address "[DDDD:]BB:DD.F", all fields hexadecimal. */

static JsonNode *get_pci_host_devaddr(Object *obj, ObjectProperty *op,
                                      Error **errp)
{
    PCIHostDeviceAddress *addr = prop_field(obj, op);
    g_autofree char *s = g_strdup_printf("%04x:%02x:%02x.%x", addr->domain,
                                         addr->bus, addr->slot, addr->function);

    return str_node(s);
}

static bool parse_host_devaddr(const char *s, PCIHostDeviceAddress *addr)
{
    unsigned int first, second;
    const char *p;

    if (!parse_hex(s, &p, 0xffff, &first) || *p != ':' ||
        !parse_hex(p + 1, &p, 0xff, &second)) {
        return false;
    }
    if (*p == ':') {
        addr->domain = first;
        addr->bus = second;
        if (!parse_hex(p + 1, &p, 0x1f, &addr->slot)) {
            return false;
        }
    } else {
        if (first > 0xff || second > 0x1f) {
            return false;
        }
        addr->domain = 0;
        addr->bus = first;
        addr->slot = second;
    }
    return *p == '.' && parse_hex(p + 1, &p, 7, &addr->function) && !*p;
}

static bool set_pci_host_devaddr(Object *obj, ObjectProperty *op,
                                 JsonNode *value, Error **errp)
{
    PCIHostDeviceAddress parsed;
    const char *s = object_node_get_str(value, op->name, errp);

    if (!s) {
        return false;
    }
    if (!parse_host_devaddr(s, &parsed)) {
        return bad_value(obj, op, s, errp);
    }
    *(PCIHostDeviceAddress *)prop_field(obj, op) = parsed;
    return true;
}

const PropertyInfo qdev_prop_pci_host_devaddr = {
    .type = "str",
    .description = "Address (bus/device/function) of the host device, "
                   "example: 04:10.0",
    .get = get_pci_host_devaddr,
    .set = set_pci_host_devaddr,
};
