/*
 * x-query-arm-smmuv3 (unstable): every arm-smmuv3 in creation order, with
 * the value of each host-resolvable feature and where it came from, the
 * ID registers the guest reads, and (accelerated mode) the devices and
 * host objects behind it. aarch64 only, so it registers itself.
 */
#include "qemu/osdep.h"
#include "hw/core/sysbus.h"
#include "hw/arm/smmuv3-accel.h"
#include "monitor-internal.h"
#include "qmp-json.h"

static const char *const smmu_attach_names[] = {
    [SMMUV3_ATTACH_STAGE2] = "stage2",
    [SMMUV3_ATTACH_ABORT] = "abort",
    [SMMUV3_ATTACH_BYPASS] = "bypass",
    [SMMUV3_ATTACH_NESTED] = "nested",
};

static void set_str_or_null(JsonObject *o, const char *name, const char *s)
{
    if (s) {
        json_object_set_string_member(o, name, s);
    } else {
        json_object_set_null_member(o, name);
    }
}

static void set_hex(JsonObject *o, const char *name, uint32_t v)
{
    g_autofree char *s = g_strdup_printf("0x%x", v);

    json_object_set_string_member(o, name, s);
}

static JsonNode *smmu_features(SMMUv3State *s)
{
    JsonArray *arr = json_array_new();

    for (int f = 0; f < SMMUV3_FEAT__MAX; f++) {
        JsonObject *o = json_object_new();
        SMMUv3FeatureInfo info;

        smmuv3_feature_info(s, f, &info);
        json_object_set_string_member(o, "name", info.name);
        json_object_set_string_member(o, "requested", info.requested);
        json_object_set_string_member(o, "value", info.value);
        json_object_set_string_member(o, "source",
                                      SMMUv3FeatureSource_lookup[info.source]);
        if (info.host_device) {
            json_object_set_string_member(o, "host-device", info.host_device);
        }
        if (info.has_host_value) {
            json_object_set_int_member(o, "host-value", info.host_value);
        }
        json_array_add_object_element(arr, o);
        g_free(info.value);
    }
    return qmp_node_take_array(arr);
}

static JsonNode *smmu_idr(SMMUv3State *s)
{
    JsonArray *arr = json_array_new();

    for (int i = 0; i < 6; i++) {
        g_autofree char *v = g_strdup_printf("0x%08x", s->idr[i]);

        json_array_add_string_element(arr, v);
    }
    return qmp_node_take_array(arr);
}

static JsonNode *smmu_devices(SMMUv3AccelState *a)
{
    JsonArray *arr = json_array_new();
    SMMUv3AccelDevice *d;

    QTAILQ_FOREACH(d, &a->devices, next)
    {
        JsonObject *o = json_object_new();
        PCIDevice *pdev = d->bus->devices[d->devfn];

        set_str_or_null(o, "id", pdev ? DEVICE(pdev)->id : NULL);
        json_object_set_string_member(o, "host", d->hiod->name);
        set_hex(o, "sid", smmuv3_accel_sid(d));
        json_object_set_boolean_member(o, "vdevice", d->has_vdev);
        json_object_set_string_member(o, "attached",
                                      smmu_attach_names[d->attach]);
        if (d->has_s1_hwpt) {
            json_object_set_int_member(o, "nested-hwpt", d->s1_hwpt_id);
        }
        json_array_add_object_element(arr, o);
    }
    return qmp_node_take_array(arr);
}

/* The host objects, while a vIOMMU exists. */
static JsonNode *smmu_viommu(SMMUv3AccelState *a)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(
        o, "iommufd", object_get_canonical_path_component(OBJECT(a->iommufd)));
    json_object_set_int_member(o, "id", a->viommu_id);
    json_object_set_int_member(o, "abort-hwpt", a->abort_hwpt_id);
    json_object_set_int_member(o, "bypass-hwpt", a->bypass_hwpt_id);
    json_object_set_boolean_member(o, "veventq", a->has_veventq);
    return qmp_node_take_object(o);
}

static JsonNode *smmu_info(SMMUv3State *s)
{
    JsonObject *o = json_object_new();
    SMMUv3AccelState *a = s->accel ? smmuv3_accel(s) : NULL;
    PCIBus *bus = s->smmu_state.primary_bus;
    g_autofree char *path = object_get_canonical_path(OBJECT(s));

    set_str_or_null(o, "id", DEVICE(s)->id);
    json_object_set_string_member(o, "path", path);
    set_str_or_null(o, "primary-bus", bus ? bus->qbus.name : NULL);
    json_object_set_boolean_member(o, "accel", s->accel);
    json_object_set_member(o, "features", smmu_features(s));
    json_object_set_member(o, "idr", smmu_idr(s));
    if (a) {
        json_object_set_member(o, "devices", smmu_devices(a));
        if (a->has_viommu) {
            json_object_set_member(o, "viommu", smmu_viommu(a));
        }
    } else {
        json_object_set_array_member(o, "devices", json_array_new());
    }
    return qmp_node_take_object(o);
}

static bool query_arm_smmuv3(Monitor *mon, JsonObject *args, JsonNode **ret,
                             Error **errp)
{
    static const char *const allowed[] = {NULL};
    JsonArray *arr;
    BusChild *kid;

    if (!qmp_args_check(args, allowed, errp)) {
        return false;
    }
    arr = json_array_new();
    QTAILQ_FOREACH(kid, &sysbus_get_default()->children, sibling)
    {
        Object *smmu = object_dynamic_cast(OBJECT(kid->child), TYPE_ARM_SMMUV3);

        if (smmu && DEVICE(smmu)->realized) {
            json_array_add_element(arr, smmu_info(ARM_SMMUV3(smmu)));
        }
    }
    *ret = qmp_node_take_array(arr);
    return true;
}

static void qmp_register_smmuv3_commands(void)
{
    qmp_register_command("x-query-arm-smmuv3", query_arm_smmuv3,
                         QCO_NO_OPTIONS);
}

type_init(qmp_register_smmuv3_commands)
