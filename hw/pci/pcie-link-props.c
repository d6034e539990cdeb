/*
 * The x-speed and x-width device properties: names as QEMU spells them
 * ("2_5" .. "64", "1" .. "32"), fields holding the register encodings.
 */
#include "qemu/osdep.h"
#include "hw/pci/pcie.h"

/* Register encodings, in the order of the names in the PropertyInfo. */
static const int link_speeds[] = {
    PCIE_LINK_SPEED_2_5, PCIE_LINK_SPEED_5,  PCIE_LINK_SPEED_8,
    PCIE_LINK_SPEED_16,  PCIE_LINK_SPEED_32, PCIE_LINK_SPEED_64,
};

static const int link_widths[] = {
    PCIE_LINK_WIDTH_1,  PCIE_LINK_WIDTH_2,  PCIE_LINK_WIDTH_4,
    PCIE_LINK_WIDTH_8,  PCIE_LINK_WIDTH_12, PCIE_LINK_WIDTH_16,
    PCIE_LINK_WIDTH_32,
};

static const char *const link_speed_names[] = {"2_5", "5",  "8", "16",
                                               "32",  "64", NULL};
static const char *const link_width_names[] = {"1",  "2",  "4", "8",
                                               "12", "16", "32", NULL};

G_STATIC_ASSERT(G_N_ELEMENTS(link_speeds) + 1 ==
                G_N_ELEMENTS(link_speed_names));
G_STATIC_ASSERT(G_N_ELEMENTS(link_widths) + 1 ==
                G_N_ELEMENTS(link_width_names));

static const int *link_values(const Property *prop)
{
    return prop->info == &qdev_prop_pcie_link_speed ? link_speeds
                                                    : link_widths;
}

static const char *link_name(const Property *prop, int value)
{
    const char *const *names = prop->info->enum_table;
    const int *values = link_values(prop);

    for (int i = 0; names[i]; i++) {
        if (values[i] == value) {
            return names[i];
        }
    }
    return "";
}

static JsonNode *link_get(Object *obj, ObjectProperty *op, Error **errp)
{
    const Property *prop = op->opaque;
    int value = *(int *)object_field_prop_ptr(obj, prop);

    return json_node_init_string(json_node_alloc(), link_name(prop, value));
}

static bool link_set(Object *obj, ObjectProperty *op, JsonNode *value,
                     Error **errp)
{
    const Property *prop = op->opaque;
    int index;

    if (!object_node_get_enum(obj, value, op->name, prop->info->enum_table,
                              &index, errp)) {
        return false;
    }
    *(int *)object_field_prop_ptr(obj, prop) = link_values(prop)[index];
    return true;
}

static JsonNode *link_default(const Property *prop)
{
    return json_node_init_string(json_node_alloc(),
                                 link_name(prop, prop->defval.i));
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
