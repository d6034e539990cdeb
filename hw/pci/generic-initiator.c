/*
 * acpi-generic-initiator: associates a PCI device with a NUMA node (the
 * ACPI SRAT Generic Initiator affinity). The references are checked once
 * the machine is complete: the device must exist and be a PCI device,
 * and the node must be one of the -numa nodes.
 */
#include "qemu/osdep.h"
#include "hw/boards.h"
#include "hw/pci/pci.h"
#include "qom/object_interfaces.h"

#define TYPE_ACPI_GENERIC_INITIATOR "acpi-generic-initiator"

typedef struct AcpiGenericInitiator {
    Object parent_obj;
    char *pci_dev;
    uint32_t node;
    bool node_set;
    bool waiting; /* a machine-init-done check is registered */
} AcpiGenericInitiator;

#define ACPI_GENERIC_INITIATOR(obj)                                            \
    OBJECT_CHECK(AcpiGenericInitiator, (obj), TYPE_ACPI_GENERIC_INITIATOR)

static char *gi_get_pci_dev(Object *obj, Error **errp)
{
    return g_strdup(ACPI_GENERIC_INITIATOR(obj)->pci_dev);
}

static bool gi_set_pci_dev(Object *obj, const char *value, Error **errp)
{
    AcpiGenericInitiator *gi = ACPI_GENERIC_INITIATOR(obj);

    g_free(gi->pci_dev);
    gi->pci_dev = g_strdup(value);
    return true;
}

static JsonNode *gi_get_node(Object *obj, ObjectProperty *prop, Error **errp)
{
    return json_node_init_int(json_node_alloc(),
                              ACPI_GENERIC_INITIATOR(obj)->node);
}

static bool gi_set_node(Object *obj, ObjectProperty *prop, JsonNode *value,
                        Error **errp)
{
    AcpiGenericInitiator *gi = ACPI_GENERIC_INITIATOR(obj);
    int64_t node;

    if (!object_node_get_int(value, prop->name, &node, errp)) {
        return false;
    }
    if (node < 0 || node >= MAX_NODES) {
        error_setg(errp, "%s: Invalid NUMA node specified",
                   TYPE_ACPI_GENERIC_INITIATOR);
        return false;
    }
    gi->node = node;
    gi->node_set = true;
    return true;
}

static Object *gi_find_device(const char *name)
{
    Object *peripheral;

    if (name[0] == '/') {
        return object_resolve_path(name, NULL);
    }
    peripheral = object_resolve_path("/machine/peripheral", NULL);
    return peripheral ? object_resolve_path_component(peripheral, name)
                      : NULL;
}

static bool gi_validate(void *opaque, Error **errp)
{
    AcpiGenericInitiator *gi = opaque;
    const char *id = object_get_canonical_path_component(OBJECT(gi));
    MachineState *ms = qdev_get_machine();
    Object *dev = gi_find_device(gi->pci_dev);

    if (!dev || !object_dynamic_cast(dev, TYPE_DEVICE)) {
        error_setg(errp, "%s '%s': device '%s' not found",
                   TYPE_ACPI_GENERIC_INITIATOR, id, gi->pci_dev);
        return false;
    }
    if (!object_dynamic_cast(dev, TYPE_PCI_DEVICE)) {
        error_setg(errp, "%s '%s': device '%s' is not a PCI device",
                   TYPE_ACPI_GENERIC_INITIATOR, id, gi->pci_dev);
        return false;
    }
    if (!ms || gi->node >= (uint32_t)ms->numa.num_nodes ||
        !ms->numa.nodes[gi->node].present) {
        error_setg(errp, "%s '%s': NUMA node %u does not exist",
                   TYPE_ACPI_GENERIC_INITIATOR, id, gi->node);
        return false;
    }
    return true;
}

static bool gi_complete(Object *obj, Error **errp)
{
    AcpiGenericInitiator *gi = ACPI_GENERIC_INITIATOR(obj);

    if (!gi->pci_dev) {
        error_setg(errp, "%s: parameter 'pci-dev' is missing",
                   TYPE_ACPI_GENERIC_INITIATOR);
        return false;
    }
    if (!gi->node_set) {
        error_setg(errp, "%s: parameter 'node' is missing",
                   TYPE_ACPI_GENERIC_INITIATOR);
        return false;
    }
    if (qdev_machine_creation_done_p()) {
        return gi_validate(gi, errp);
    }
    qdev_add_machine_init_done(gi_validate, gi);
    gi->waiting = true;
    return true;
}

static void gi_finalize(Object *obj)
{
    AcpiGenericInitiator *gi = ACPI_GENERIC_INITIATOR(obj);

    if (gi->waiting) {
        qdev_remove_machine_init_done(gi_validate, gi);
    }
    g_free(gi->pci_dev);
}

static void gi_class_init(ObjectClass *oc, const void *data)
{
    object_class_property_add_str(oc, "pci-dev", gi_get_pci_dev,
                                  gi_set_pci_dev);
    object_class_property_set_description(oc, "pci-dev",
                                          "PCI device id (or QOM path)");
    object_class_property_add(oc, "node", "uint32", gi_get_node, gi_set_node,
                              NULL, NULL);
    object_class_property_set_description(oc, "node",
                                          "NUMA node of the device");
    USER_CREATABLE_CLASS(oc)->complete = gi_complete;
}

static const InterfaceInfo gi_interfaces[] = {
    {TYPE_USER_CREATABLE},
    {NULL},
};

static const TypeInfo gi_info = {
    .name = TYPE_ACPI_GENERIC_INITIATOR,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(AcpiGenericInitiator),
    .instance_finalize = gi_finalize,
    .class_init = gi_class_init,
    .interfaces = gi_interfaces,
};

static void gi_register_types(void)
{
    type_register_static(&gi_info);
}

type_init(gi_register_types)
