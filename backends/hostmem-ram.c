/*
 * Host memory backends: the abstract "memory-backend" with the options
 * every backend shares, and "memory-backend-ram" (anonymous RAM).
 * NUMA placement (host-nodes, policy) and the madvise-style options
 * (merge, dump, prealloc ...) are checked and recorded; the RAM itself is
 * plain process memory.
 */
#include "qemu/osdep.h"
#include "qom/object_interfaces.h"
#include "qemu/keyval.h"
#include "system/hostmem.h"
#include "hw/boards.h"

#define MAX_HOST_NODES 128

typedef enum HostMemPolicy {
    HOST_MEM_POLICY_DEFAULT,
    HOST_MEM_POLICY_PREFERRED,
    HOST_MEM_POLICY_BIND,
    HOST_MEM_POLICY_INTERLEAVE,
} HostMemPolicy;

static const char *const HostMemPolicy_lookup[] = {
    "default", "preferred", "bind", "interleave", NULL,
};

typedef struct HostMemoryBackend {
    Object parent_obj;
    uint64_t size;
    bool share;
    bool prealloc;
    bool reserve;
    bool merge;
    bool dump;
    bool use_canonical_path;
    uint32_t prealloc_threads;
    bool host_nodes[MAX_HOST_NODES];
    HostMemPolicy policy;
    bool completed; /* the region exists: layout options are frozen */
    bool mapped;
    MemoryRegion mr;
} HostMemoryBackend;

static HostMemoryBackend *MEMORY_BACKEND(Object *obj)
{
    return OBJECT_CHECK(HostMemoryBackend, obj, TYPE_MEMORY_BACKEND);
}

MemoryRegion *host_memory_backend_get_memory(Object *backend)
{
    HostMemoryBackend *b = MEMORY_BACKEND(backend);

    return b->completed ? &b->mr : NULL;
}

bool host_memory_backend_is_mapped(Object *backend)
{
    return MEMORY_BACKEND(backend)->mapped;
}

void host_memory_backend_set_mapped(Object *backend, bool mapped)
{
    MEMORY_BACKEND(backend)->mapped = mapped;
}

static bool backend_frozen(Object *obj, ObjectProperty *prop, Error **errp)
{
    if (MEMORY_BACKEND(obj)->completed) {
        error_setg(errp, "cannot change property '%s' of %s", prop->name,
                   object_get_typename(obj));
        return true;
    }
    return false;
}

/* Field-backed bool options: opaque is the field's offset. */

static bool *backend_bool_field(Object *obj, ObjectProperty *prop)
{
    return (bool *)((char *)obj + GPOINTER_TO_SIZE(prop->opaque));
}

static JsonNode *backend_get_bool(Object *obj, ObjectProperty *prop,
                                  Error **errp)
{
    return json_node_init_boolean(json_node_alloc(),
                                  *backend_bool_field(obj, prop));
}

static bool backend_set_bool(Object *obj, ObjectProperty *prop, JsonNode *value,
                             Error **errp)
{
    return object_node_get_bool(value, prop->name,
                                backend_bool_field(obj, prop), errp);
}

/* Options that shape the allocation cannot change once it exists. */
static bool backend_set_layout_bool(Object *obj, ObjectProperty *prop,
                                    JsonNode *value, Error **errp)
{
    return !backend_frozen(obj, prop, errp) &&
           backend_set_bool(obj, prop, value, errp);
}

static void backend_add_bool(ObjectClass *oc, const char *name, size_t offset,
                             bool layout, bool defval, const char *desc)
{
    ObjectProperty *prop = object_class_property_add(
        oc, name, "bool", backend_get_bool,
        layout ? backend_set_layout_bool : backend_set_bool, NULL,
        GSIZE_TO_POINTER(offset));

    object_class_property_set_description(oc, name, desc);
    object_property_set_default(
        prop, json_node_init_boolean(json_node_alloc(), defval));
}

static JsonNode *backend_get_size(Object *obj, ObjectProperty *prop,
                                  Error **errp)
{
    return json_node_init_int(json_node_alloc(),
                              (int64_t)MEMORY_BACKEND(obj)->size);
}

static bool backend_set_size(Object *obj, ObjectProperty *prop, JsonNode *value,
                             Error **errp)
{
    int64_t size;

    if (backend_frozen(obj, prop, errp) ||
        !object_node_get_int(value, prop->name, &size, errp)) {
        return false;
    }
    if (!size) {
        error_setg(errp, "property '%s' of %s doesn't take value '0'",
                   prop->name, object_get_typename(obj));
        return false;
    }
    MEMORY_BACKEND(obj)->size = (uint64_t)size;
    return true;
}

static JsonNode *backend_get_threads(Object *obj, ObjectProperty *prop,
                                     Error **errp)
{
    return json_node_init_int(json_node_alloc(),
                              MEMORY_BACKEND(obj)->prealloc_threads);
}

static bool backend_set_threads(Object *obj, ObjectProperty *prop,
                                JsonNode *value, Error **errp)
{
    int64_t n;

    if (!object_node_get_int(value, prop->name, &n, errp)) {
        return false;
    }
    if (n <= 0 || n > UINT32_MAX) {
        error_setg(errp, "property '%s' of %s doesn't take value '%" PRId64 "'",
                   prop->name, object_get_typename(obj), n);
        return false;
    }
    MEMORY_BACKEND(obj)->prealloc_threads = n;
    return true;
}

/* host-nodes: a JSON list of node numbers; the string form is N or N-M. */

static JsonNode *backend_get_host_nodes(Object *obj, ObjectProperty *prop,
                                        Error **errp)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);
    JsonArray *list = json_array_new();

    for (int i = 0; i < MAX_HOST_NODES; i++) {
        if (b->host_nodes[i]) {
            json_array_add_int_element(list, i);
        }
    }
    return json_node_init_array(json_node_alloc(), list);
}

static bool backend_node_number(JsonNode *node, const char *name, int64_t *out,
                                Error **errp)
{
    if (!object_node_get_int(node, name, out, errp)) {
        return false;
    }
    if (*out < 0 || *out >= MAX_HOST_NODES) {
        error_setg(errp, "Invalid host-nodes value: %" PRId64, *out);
        return false;
    }
    return true;
}

static bool backend_set_host_nodes(Object *obj, ObjectProperty *prop,
                                   JsonNode *value, Error **errp)
{
    bool nodes[MAX_HOST_NODES] = {false};
    JsonArray *list;
    int64_t n;

    if (backend_frozen(obj, prop, errp)) {
        return false;
    }
    if (!JSON_NODE_HOLDS_ARRAY(value)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: array",
                   prop->name);
        return false;
    }
    list = json_node_get_array(value);
    for (guint i = 0; i < json_array_get_length(list); i++) {
        if (!backend_node_number(json_array_get_element(list, i), prop->name,
                                 &n, errp)) {
            return false;
        }
        nodes[n] = true;
    }
    memcpy(MEMORY_BACKEND(obj)->host_nodes, nodes, sizeof(nodes));
    return true;
}

static JsonNode *backend_parse_host_nodes(const ObjectProperty *prop,
                                          const char *str, Error **errp)
{
    g_auto(GStrv) ends = g_strsplit(str, "-", 2);
    uint64_t first, last;
    JsonArray *list;

    /* "" splits into no fields at all */
    if (!ends[0] || !qemu_strtou64(ends[0], &first) ||
        !qemu_strtou64(ends[1] ? ends[1] : ends[0], &last) || last < first ||
        last >= MAX_HOST_NODES) {
        error_setg(errp, "Invalid host-nodes value: %s", str);
        return NULL;
    }
    list = json_array_new();
    for (uint64_t i = first; i <= last; i++) {
        json_array_add_int_element(list, i);
    }
    return json_node_init_array(json_node_alloc(), list);
}

static int backend_get_policy(Object *obj, Error **errp)
{
    return MEMORY_BACKEND(obj)->policy;
}

static bool backend_set_policy(Object *obj, int value, Error **errp)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);

    if (b->completed) {
        error_setg(errp, "cannot change property 'policy' of %s",
                   object_get_typename(obj));
        return false;
    }
    b->policy = value;
    return true;
}

static bool backend_check_policy(HostMemoryBackend *b, Error **errp)
{
    bool any_node = memchr(b->host_nodes, true, sizeof(b->host_nodes));

    if (b->policy == HOST_MEM_POLICY_DEFAULT && any_node) {
        error_setg(errp, "host-nodes must be empty for policy default, or "
                         "you should explicitly specify a policy other than "
                         "default");
        return false;
    }
    if (b->policy != HOST_MEM_POLICY_DEFAULT && !any_node) {
        error_setg(errp, "host-nodes must be set for policy %s",
                   HostMemPolicy_lookup[b->policy]);
        return false;
    }
    return true;
}

static bool ram_backend_complete(Object *obj, Error **errp)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);
    g_autofree char *name = NULL;

    if (!b->size) {
        error_setg(errp, "can't create backend with size 0");
        return false;
    }
    if (!backend_check_policy(b, errp)) {
        return false;
    }
    name = b->use_canonical_path
               ? object_get_canonical_path(obj)
               : g_strdup(object_get_canonical_path_component(obj));
    if (!memory_region_init_ram(&b->mr, obj, name, b->size, errp)) {
        return false;
    }
    b->completed = true;
    return true;
}

static bool backend_can_be_deleted(Object *obj)
{
    return !MEMORY_BACKEND(obj)->mapped;
}

/* merge and dump follow the machine's mem-merge and dump-guest-core. */
static void backend_instance_init(Object *obj)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);
    MachineState *ms = qdev_get_machine();

    if (ms) {
        b->merge = ms->mem_merge;
        b->dump = ms->dump_guest_core;
    }
}

/* Backends follow the machine's compat table, as devices do. */
static void backend_post_init(Object *obj)
{
    object_apply_compat_props(obj);
}

static void backend_finalize(Object *obj)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);

    if (b->completed) {
        memory_region_destroy(&b->mr);
    }
}

#define HMB_FIELD(f) offsetof(HostMemoryBackend, f)

static void backend_class_init(ObjectClass *oc, const void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);
    ObjectProperty *prop;

    ucc->can_be_deleted = backend_can_be_deleted;

    object_class_property_add(oc, "size", "size", backend_get_size,
                              backend_set_size, NULL, NULL);
    object_class_property_set_description(oc, "size",
                                          "Size of the memory region (bytes)");
    backend_add_bool(oc, "merge", HMB_FIELD(merge), false, true,
                     "Mark memory as mergeable");
    backend_add_bool(oc, "dump", HMB_FIELD(dump), false, true,
                     "Set to 'off' to exclude from core dump");
    backend_add_bool(oc, "prealloc", HMB_FIELD(prealloc), false, false,
                     "Preallocate memory");
    backend_add_bool(oc, "share", HMB_FIELD(share), true, false,
                     "Mark the memory as private to QEMU or shared");
    backend_add_bool(oc, "reserve", HMB_FIELD(reserve), true, true,
                     "Reserve swap space (or huge pages) if applicable");
    backend_add_bool(oc, "x-use-canonical-path-for-ramblock-id",
                     HMB_FIELD(use_canonical_path), true, false,
                     "Use the canonical path as the RAM block id");

    prop = object_class_property_add(oc, "prealloc-threads", "uint32",
                                     backend_get_threads, backend_set_threads,
                                     NULL, NULL);
    object_class_property_set_description(
        oc, "prealloc-threads", "Number of CPU threads to use for prealloc");
    object_property_set_default(prop, json_node_init_int(json_node_alloc(), 1));

    prop = object_class_property_add(oc, "host-nodes", "int",
                                     backend_get_host_nodes,
                                     backend_set_host_nodes, NULL, NULL);
    prop->parse = backend_parse_host_nodes;
    object_class_property_set_description(oc, "host-nodes",
                                          "Binds memory to the list of NUMA "
                                          "host nodes");

    prop = object_class_property_add_enum(
        oc, "policy", "HostMemPolicy", HostMemPolicy_lookup, backend_get_policy,
        backend_set_policy);
    object_class_property_set_description(oc, "policy", "Set the NUMA policy");
    object_property_set_default(
        prop, json_node_init_string(json_node_alloc(), "default"));
}

static void ram_backend_class_init(ObjectClass *oc, const void *data)
{
    USER_CREATABLE_CLASS(oc)->complete = ram_backend_complete;
}

static const InterfaceInfo backend_interfaces[] = {
    {TYPE_USER_CREATABLE},
    {NULL},
};

static const TypeInfo hostmem_types[] = {
    {
        .name = TYPE_MEMORY_BACKEND,
        .parent = TYPE_OBJECT,
        .abstract = true,
        .instance_size = sizeof(HostMemoryBackend),
        .instance_init = backend_instance_init,
        .instance_post_init = backend_post_init,
        .instance_finalize = backend_finalize,
        .class_init = backend_class_init,
        .interfaces = backend_interfaces,
    },
    {
        .name = TYPE_MEMORY_BACKEND_RAM,
        .parent = TYPE_MEMORY_BACKEND,
        .class_init = ram_backend_class_init,
    },
};

DEFINE_TYPES(hostmem_types)
