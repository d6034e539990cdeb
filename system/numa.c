/*
 * -numa: guest NUMA nodes. "node" entries fill MachineState.numa (memory
 * from a memory backend, CPU index ranges); "dist" and "cpu" entries are
 * checked and recorded. The syntax is checked while parsing; ids and
 * backends are resolved once -object has created the backends.
 */
#include "qemu/osdep.h"
#include "system/hostmem.h"
#include "system/vl-internal.h"

#define NUMA_DISTANCE_MIN 10

static const char *const numa_types[] = {"node", "dist", "cpu", NULL};

static const char *const numa_node_keys[] = {
    "type", "nodeid", "memdev", "mem", "cpus", "initiator", NULL,
};
static const char *const numa_dist_keys[] = {
    "type", "src", "dst", "val", NULL,
};
static const char *const numa_cpu_keys[] = {
    "type", "node-id", "socket-id", "die-id", "cluster-id", "core-id",
    "thread-id", NULL,
};

bool vl_opt_numa(VlConfig *cfg, const char *arg, Error **errp)
{
    static const char *const *const keys[] = {
        numa_node_keys, numa_dist_keys, numa_cpu_keys,
    };
    bool help;
    g_autoptr(Keyval) kv = keyval_parse(arg, "type", false, &help, errp);
    const char *type;
    VlOpt *opt;
    int idx;

    if (!kv) {
        return false;
    }
    type = keyval_get(kv, "type");
    if (help || !type) {
        error_setg(errp, "Parameter 'type' is missing");
        return false;
    }
    idx = vl_parse_choice("type", type, numa_types, errp);
    if (idx < 0 || !vl_keyval_check(kv, keys[idx], errp)) {
        return false;
    }
    opt = vl_opt_new("-numa", arg);
    opt->kv = g_steal_pointer(&kv);
    g_ptr_array_add(cfg->numa, opt);
    return true;
}

static bool numa_get_uint(const Keyval *kv, const char *key, uint64_t max,
                          uint64_t *out, Error **errp)
{
    const char *value = keyval_get(kv, key);

    if (!value) {
        error_setg(errp, "Parameter '%s' is missing", key);
        return false;
    }
    if (!vl_parse_uint(key, value, out, errp)) {
        return false;
    }
    if (*out >= max) {
        error_setg(errp, "Parameter '%s' must be less than %" PRIu64, key,
                   max);
        return false;
    }
    return true;
}

/* "cpus=A" or "cpus=A-B", repeatable; machine_numa_validate bounds them. */
static bool numa_add_cpus(NodeInfo *node, const char *range, Error **errp)
{
    g_auto(GStrv) ends = g_strsplit(range, "-", 2);
    uint64_t first, last;

    /* "" splits into no fields at all */
    if (!ends[0] || !qemu_strtou64(ends[0], &first) ||
        !qemu_strtou64(ends[1] ? ends[1] : ends[0], &last) || last < first ||
        last >= UINT32_MAX) {
        error_setg(errp, "Invalid cpus range '%s'", range);
        return false;
    }
    for (uint64_t cpu = first; cpu <= last; cpu++) {
        unsigned idx = cpu;

        g_array_append_val(node->cpus, idx);
    }
    return true;
}

static bool numa_set_memdev(NodeInfo *node, const char *id, Error **errp)
{
    Object *backend = object_resolve_path_component(
        object_get_objects_root(), id);
    Error *err = NULL;
    uint64_t size;

    if (!backend || !object_dynamic_cast(backend, TYPE_MEMORY_BACKEND)) {
        error_setg(errp, "memdev=%s: no memory backend with this id", id);
        return false;
    }
    size = object_property_get_uint(backend, "size", &err);
    if (err) {
        error_propagate(errp, err);
        return false;
    }
    node->memdev_id = g_strdup(id);
    node->memdev = backend;
    node->node_mem = size;
    return true;
}

static bool numa_node_fill(NodeInfo *node, const Keyval *kv, Error **errp)
{
    ERRP_GUARD();
    const char *memdev = keyval_get(kv, "memdev");
    uint64_t initiator;

    if (keyval_get(kv, "mem")) {
        error_setg(errp, "Parameter -numa node,mem is not supported by this "
                   "machine type");
        error_append_hint(errp, "Use -numa node,memdev instead\n");
        return false;
    }
    if (memdev && !numa_set_memdev(node, memdev, errp)) {
        return false;
    }
    for (guint i = 0; i < kv->items->len; i++) {
        const KeyvalItem *item = g_ptr_array_index(kv->items, i);

        if (g_str_equal(item->key, "cpus") &&
            !numa_add_cpus(node, item->value, errp)) {
            return false;
        }
    }
    node->initiator = MAX_NODES;
    if (keyval_get(kv, "initiator")) {
        if (!numa_get_uint(kv, "initiator", MAX_NODES, &initiator, errp)) {
            return false;
        }
        node->initiator = initiator;
    }
    return true;
}

static bool numa_add_node(NumaState *numa, const Keyval *kv, Error **errp)
{
    uint64_t nodeid = numa->num_nodes;
    NodeInfo *node;

    if (keyval_get(kv, "nodeid") &&
        !numa_get_uint(kv, "nodeid", MAX_NODES, &nodeid, errp)) {
        return false;
    }
    if (numa->num_nodes >= MAX_NODES) {
        error_setg(errp, "Max number of NUMA nodes reached: %d", MAX_NODES);
        return false;
    }
    node = &numa->nodes[nodeid];
    if (node->present) {
        error_setg(errp, "Duplicate NUMA nodeid: %" PRIu64, nodeid);
        return false;
    }
    node->cpus = g_array_new(false, false, sizeof(unsigned));
    if (!numa_node_fill(node, kv, errp)) {
        g_array_free(node->cpus, true);
        g_free(node->memdev_id);
        *node = (NodeInfo){0};
        return false;
    }
    node->present = true;
    numa->num_nodes++;
    return true;
}

static bool numa_check_node(const NumaState *numa, const Keyval *kv,
                            const char *key, Error **errp)
{
    uint64_t id;

    if (!numa_get_uint(kv, key, MAX_NODES, &id, errp)) {
        return false;
    }
    if (!numa->nodes[id].present) {
        error_setg(errp, "NUMA node %" PRIu64 " is missing; declare it "
                   "first with -numa node", id);
        return false;
    }
    return true;
}

static bool numa_check_dist(const NumaState *numa, const Keyval *kv,
                            Error **errp)
{
    uint64_t src, dst, val;

    if (!numa_check_node(numa, kv, "src", errp) ||
        !numa_check_node(numa, kv, "dst", errp) ||
        !numa_get_uint(kv, "val", 256, &val, errp)) {
        return false;
    }
    qemu_strtou64(keyval_get(kv, "src"), &src);
    qemu_strtou64(keyval_get(kv, "dst"), &dst);
    if (src == dst && val != NUMA_DISTANCE_MIN) {
        error_setg(errp, "Local distance of node %" PRIu64 " should be %d",
                   src, NUMA_DISTANCE_MIN);
        return false;
    }
    if (val < NUMA_DISTANCE_MIN) {
        error_setg(errp, "NUMA distance (%" PRIu64 ") is invalid, it "
                   "shouldn't be less than %d", val, NUMA_DISTANCE_MIN);
        return false;
    }
    return true;
}

static bool numa_apply_one(NumaState *numa, const Keyval *kv, Error **errp)
{
    const char *type = keyval_get(kv, "type");

    if (g_str_equal(type, "node")) {
        return numa_add_node(numa, kv, errp);
    }
    if (g_str_equal(type, "dist")) {
        return numa_check_dist(numa, kv, errp);
    }
    return numa_check_node(numa, kv, "node-id", errp);
}

bool vl_numa_apply(VlConfig *cfg, MachineState *ms, Error **errp)
{
    for (guint i = 0; i < cfg->numa->len; i++) {
        const VlOpt *opt = g_ptr_array_index(cfg->numa, i);

        loc_set_cmdline(opt->name, opt->arg);
        if (!numa_apply_one(&ms->numa, opt->kv, errp)) {
            return false;
        }
        loc_clear();
    }
    return true;
}
