/*
 * Unstable QMP commands that let tests look into (and poke) the model
 * host from outside the process, the way the kernel's selftests use
 * debugfs. They refuse to work on the linux host.
 *
 *   x-debug-host-model-stats {"ioctls": [NAME, ...]}
 *       -> {"live-objects": N, "ioctls": {NAME: calls, ...}}
 *   x-debug-host-model-hwpt {"iommufd": ID, "hwpt-id": N}
 *       -> {"data": ["0x%016x", ...]}   a nested HWPT's vendor data
 *   x-debug-host-model-inject-vevent {"iommufd": ID, "viommu-id": N,
 *                                     "event": ["0x...", x4]}
 *       queues an SMMUv3 event record on that vIOMMU's vEVENTQ
 */
#include "qemu/osdep.h"
#include "backends/host-model.h"
#include "backends/iommufd.h"
#include "monitor-internal.h"
#include "qmp-json.h"
#include <linux/iommufd.h>

static bool model_check(Error **errp)
{
    if (host_ops() != &host_ops_model) {
        error_setg(errp,
                   "the host is '%s': only a host model can be "
                   "inspected",
                   host_ops_describe());
        return false;
    }
    return true;
}

/* The fd of an iommufd object that is in use. */
static int model_iommufd_fd(JsonObject *args, Error **errp)
{
    const char *id = qmp_arg_str(args, "iommufd", true, errp);
    Object *obj;

    if (!id) {
        return -1;
    }
    obj = object_resolve_path_component(object_get_objects_root(), id);
    if (!obj || !object_dynamic_cast(obj, TYPE_IOMMUFD_BACKEND)) {
        error_setg(errp, "'%s' is not an iommufd object", id);
        return -1;
    }
    if (IOMMUFD_BACKEND(obj)->fd < 0) {
        error_setg(errp, "iommufd '%s' is not in use", id);
        return -1;
    }
    return IOMMUFD_BACKEND(obj)->fd;
}

static bool model_arg_u32(JsonObject *args, const char *name, uint32_t *out,
                          Error **errp)
{
    int64_t v;

    if (!qmp_arg_int(args, name, true, &v, errp)) {
        return false;
    }
    if (v < 0 || v > UINT32_MAX) {
        error_setg(errp, "Parameter '%s' expects a 32-bit unsigned value",
                   name);
        return false;
    }
    *out = v;
    return true;
}

/* A JSON array of strings, each passed to fn. */
static bool model_arg_strings(JsonObject *args, const char *name,
                              bool (*fn)(const char *s, void *opaque,
                                         Error **errp),
                              void *opaque, Error **errp)
{
    JsonNode *node = json_object_get_member(args, name);
    JsonArray *arr;

    if (!node) {
        return true;
    }
    if (!JSON_NODE_HOLDS_ARRAY(node)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: array",
                   name);
        return false;
    }
    arr = json_node_get_array(node);
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonNode *e = json_array_get_element(arr, i);

        if (!JSON_NODE_HOLDS_VALUE(e) ||
            json_node_get_value_type(e) != G_TYPE_STRING) {
            error_setg(errp, "Parameter '%s' expects strings", name);
            return false;
        }
        if (!fn(json_node_get_string(e), opaque, errp)) {
            return false;
        }
    }
    return true;
}

static bool stats_add(const char *name, void *opaque, Error **errp)
{
    unsigned long request;

    if (!host_ioctl_from_name(name, &request)) {
        error_setg(errp, "unknown ioctl '%s'", name);
        return false;
    }
    json_object_set_int_member(opaque, name, host_model_ioctl_count(request));
    return true;
}

static bool debug_stats(Monitor *mon, JsonObject *args, JsonNode **ret,
                        Error **errp)
{
    static const char *const allowed[] = {"ioctls", NULL};
    JsonObject *counts, *o;

    if (!qmp_args_check(args, allowed, errp) || !model_check(errp)) {
        return false;
    }
    counts = json_object_new();
    if (!model_arg_strings(args, "ioctls", stats_add, counts, errp)) {
        json_object_unref(counts);
        return false;
    }
    o = json_object_new();
    json_object_set_int_member(o, "live-objects", host_model_live_objects());
    json_object_set_object_member(o, "ioctls", counts);
    *ret = qmp_node_take_object(o);
    return true;
}

static bool debug_hwpt(Monitor *mon, JsonObject *args, JsonNode **ret,
                       Error **errp)
{
    static const char *const allowed[] = {"iommufd", "hwpt-id", NULL};
    uint64_t data[4] = {0};
    size_t len = 0;
    uint32_t id;
    int fd, rc;
    JsonArray *words;
    JsonObject *o;

    if (!qmp_args_check(args, allowed, errp) || !model_check(errp) ||
        (fd = model_iommufd_fd(args, errp)) < 0 ||
        !model_arg_u32(args, "hwpt-id", &id, errp)) {
        return false;
    }
    rc = host_model_hwpt_data(fd, id, data, sizeof(data), &len);
    if (rc < 0) {
        error_setg(errp, "HWPT %u: %s", id,
                   rc == -ENOENT ? "no such nested HWPT" : g_strerror(-rc));
        return false;
    }
    words = json_array_new();
    for (size_t i = 0; i < MIN(len, sizeof(data)) / 8; i++) {
        g_autofree char *w =
            g_strdup_printf("0x%016" PRIx64, GUINT64_FROM_LE(data[i]));

        json_array_add_string_element(words, w);
    }
    o = json_object_new();
    json_object_set_array_member(o, "data", words);
    *ret = qmp_node_take_object(o);
    return true;
}

typedef struct EventWords {
    uint64_t w[4];
    unsigned n;
} EventWords;

static bool event_add(const char *s, void *opaque, Error **errp)
{
    EventWords *ev = opaque;
    char *end = NULL;
    guint64 v;

    errno = 0;
    v = g_ascii_strtoull(s, &end, 0);
    if (ev->n == ARRAY_SIZE(ev->w) || !*s || *s == '-' || *end || errno) {
        error_setg(errp, "'event' must be 4 numbers (strings such as "
                         "\"0x10\")");
        return false;
    }
    ev->w[ev->n++] = GUINT64_TO_LE(v);
    return true;
}

static bool debug_inject_vevent(Monitor *mon, JsonObject *args, JsonNode **ret,
                                Error **errp)
{
    static const char *const allowed[] = {"iommufd", "viommu-id", "event",
                                          NULL};
    EventWords ev = {{0}, 0};
    uint32_t viommu;
    int fd, rc;

    if (!qmp_args_check(args, allowed, errp) || !model_check(errp) ||
        (fd = model_iommufd_fd(args, errp)) < 0 ||
        !model_arg_u32(args, "viommu-id", &viommu, errp) ||
        !model_arg_strings(args, "event", event_add, &ev, errp)) {
        return false;
    }
    if (ev.n != ARRAY_SIZE(ev.w)) {
        error_setg(errp, "'event' must be 4 numbers (strings such as "
                         "\"0x10\")");
        return false;
    }
    rc = host_model_inject_vevent(fd, viommu, IOMMU_VEVENTQ_TYPE_ARM_SMMUV3,
                                  ev.w, sizeof(ev.w));
    if (rc < 0) {
        error_setg(errp, "vIOMMU %u: cannot queue the event: %s", viommu,
                   rc == -ENOENT ? "it has no SMMUv3 vEVENTQ"
                                 : g_strerror(-rc));
        return false;
    }
    return true;
}

static void qmp_register_host_model_commands(void)
{
    qmp_register_command("x-debug-host-model-stats", debug_stats,
                         QCO_NO_OPTIONS);
    qmp_register_command("x-debug-host-model-hwpt", debug_hwpt, QCO_NO_OPTIONS);
    qmp_register_command("x-debug-host-model-inject-vevent",
                         debug_inject_vevent, QCO_NO_OPTIONS);
}

type_init(qmp_register_host_model_commands)
