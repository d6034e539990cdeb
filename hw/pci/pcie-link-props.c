/*
 * The x-speed and x-width device properties: names as QEMU spells them
 * ("2_5" .. "64", "1" .. "32"), fields holding the register encodings.
 */
#include "qemu/osdep.h"
#include "hw/pci/pcie.h"

typedef struct LinkName {
    const char *name;
    int value;
} LinkName;

static const LinkName link_speeds[] = {
    {"2_5", PCIE_LINK_SPEED_2_5}, {"5", PCIE_LINK_SPEED_5},
    {"8", PCIE_LINK_SPEED_8},     {"16", PCIE_LINK_SPEED_16},
    {"32", PCIE_LINK_SPEED_32},   {"64", PCIE_LINK_SPEED_64},
    {NULL, 0},
};

static const LinkName link_widths[] = {
    {"1", PCIE_LINK_WIDTH_1},   {"2", PCIE_LINK_WIDTH_2},
    {"4", PCIE_LINK_WIDTH_4},   {"8", PCIE_LINK_WIDTH_8},
    {"12", PCIE_LINK_WIDTH_12}, {"16", PCIE_LINK_WIDTH_16},
    {"32", PCIE_LINK_WIDTH_32}, {NULL, 0},
};

static const char *const link_speed_names[] = {"2_5", "5",  "8", "16",
                                               "32",  "64", NULL};
static const char *const link_width_names[] = {"1",  "2",  "4", "8",
                                               "12", "16", "32", NULL};

static const LinkName *link_table(const Property *prop)
{
    return prop->info == &qdev_prop_pcie_link_speed ? link_speeds
                                                    : link_widths;
}

static const char *link_name(const LinkName *table, int value)
{
    for (const LinkName *l = table; l->name; l++) {
        if (l->value == value) {
            return l->name;
        }
    }
    return "";
}

static JsonNode *link_get(Object *obj, ObjectProperty *op, Error **errp)
{
    const Property *prop = op->opaque;
    int value = *(int *)object_field_prop_ptr(obj, prop);

    return json_node_init_string(json_node_alloc(),
                                 link_name(link_table(prop), value));
}

static bool link_set(Object *obj, ObjectProperty *op, JsonNode *value,
                     Error **errp)
{
    const Property *prop = op->opaque;
    const char *s = object_node_get_str(value, op->name, errp);
    g_autofree char *valid = NULL;

    if (!s) {
        return false;
    }
    for (const LinkName *l = link_table(prop); l->name; l++) {
        if (g_str_equal(l->name, s)) {
            *(int *)object_field_prop_ptr(obj, prop) = l->value;
            return true;
        }
    }
    valid = g_strjoinv(", ", (char **)prop->info->enum_table);
    error_setg(errp, "Property '%s.%s' does not accept value '%s' "
               "(valid values: %s)", object_get_typename(obj), op->name, s,
               valid);
    return false;
}

static JsonNode *link_default(const Property *prop)
{
    return json_node_init_string(json_node_alloc(),
                                 link_name(link_table(prop), prop->defval.i));
}

const PropertyInfo qdev_prop_pcie_link_speed = {
    .type = "PCIELinkSpeed",
    .description = "2_5/5/8/16/32/64",
    .enum_table = link_speed_names,
    .default_node = link_default,
    .get = link_get,
    .set = link_set,
};

const PropertyInfo qdev_prop_pcie_link_width = {
    .type = "PCIELinkWidth",
    .description = "1/2/4/8/12/16/32",
    .enum_table = link_width_names,
    .default_node = link_default,
    .get = link_get,
    .set = link_set,
};
