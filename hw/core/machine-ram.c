/*
 * A machine's guest RAM: the memory backend named by -machine
 * memory-backend, a container over the -numa node backends, or a default
 * backend named after the board's RAM id; and the -numa node checks.
 */
#include "qemu/osdep.h"
#include "hw/boards.h"
#include "qom/object_interfaces.h"
#include "system/hostmem.h"
#include "core-internal.h"

static Object *machine_find_backend(const char *id, Error **errp)
{
    Object *obj = object_resolve_path_component(object_get_objects_root(), id);

    if (!obj || !object_dynamic_cast(obj, TYPE_MEMORY_BACKEND)) {
        error_setg(errp, "Memory backend '%s' not found", id);
        return NULL;
    }
    return obj;
}

/* A backend backs one thing only. */
static MemoryRegion *machine_take_backend(Object *backend, Error **errp)
{
    if (host_memory_backend_is_mapped(backend)) {
        error_setg(errp, "memory backend %s can't be used multiple times.",
                   object_get_canonical_path_component(backend));
        return NULL;
    }
    host_memory_backend_set_mapped(backend, true);
    return host_memory_backend_get_memory(backend);
}

static bool machine_numa_has_memdev(MachineState *ms)
{
    for (int i = 0; i < ms->numa.num_nodes; i++) {
        if (ms->numa.nodes[i].memdev_id) {
            return true;
        }
    }
    return false;
}

bool machine_numa_validate(MachineState *ms, Error **errp)
{
    NumaState *numa = &ms->numa;
    uint64_t total = 0;
    int with_memdev = 0;

    for (int i = 0; i < numa->num_nodes; i++) {
        NodeInfo *node = &numa->nodes[i];

        if (!node->present) {
            error_setg(errp, "numa: Node ID missing: %d", i);
            return false;
        }
        if (node->memdev_id) {
            if (!node->memdev ||
                !object_dynamic_cast(node->memdev, TYPE_MEMORY_BACKEND)) {
                error_setg(errp, "Memory backend '%s' not found",
                           node->memdev_id);
                return false;
            }
            with_memdev++;
        }
        for (guint c = 0; node->cpus && c < node->cpus->len; c++) {
            unsigned cpu = g_array_index(node->cpus, unsigned, c);

            if (cpu >= ms->smp.maxcpus) {
                error_setg(errp,
                           "CPU index (%u) should be smaller than maxcpus "
                           "(%u)",
                           cpu, ms->smp.maxcpus);
                return false;
            }
        }
        total += node->node_mem;
    }
    /*
     * Nodes without memory are allowed beside nodes with a memdev: GPU
     * memory nodes and generic-initiator nodes are memory-less. Without
     * any memdev the RAM goes to the nodes implicitly.
     */
    if (with_memdev && total != ms->ram_size) {
        error_setg(errp,
                   "total memory for NUMA nodes (0x%" PRIx64 ") should "
                   "equal RAM size (0x%" PRIx64 ")",
                   total, ms->ram_size);
        return false;
    }
    return true;
}

void machine_release_numa_ram(MachineState *ms)
{
    MemoryRegion *container = ms->numa_ram;

    if (!container) {
        return;
    }
    for (int i = 0; i < ms->numa.num_nodes; i++) {
        Object *backend = ms->numa.nodes[i].memdev;
        MemoryRegion *mr =
            backend ? host_memory_backend_get_memory(backend) : NULL;

        if (mr && mr->container == container) {
            memory_region_del_subregion(container, mr);
            host_memory_backend_set_mapped(backend, false);
        }
    }
    if (container->container) {
        memory_region_del_subregion(container->container, container);
    }
    if (ms->ram == container) {
        ms->ram = NULL;
    }
    memory_region_destroy(container);
    g_free(container);
    ms->numa_ram = NULL;
}

static bool machine_build_numa_ram(MachineState *ms, Error **errp)
{
    hwaddr offset = 0;

    if (ms->ram_memdev_id) {
        error_setg(errp, "'-machine memory-backend' and '-numa memdev' "
                         "properties are mutually exclusive");
        return false;
    }
    ms->numa_ram = g_new0(MemoryRegion, 1);
    memory_region_init(ms->numa_ram, OBJECT(ms), "ram", ms->ram_size);
    for (int i = 0; i < ms->numa.num_nodes; i++) {
        NodeInfo *node = &ms->numa.nodes[i];
        MemoryRegion *mr;

        if (!node->memdev) {
            continue; /* a memory-less node */
        }
        mr = machine_take_backend(node->memdev, errp);
        if (!mr) {
            machine_release_numa_ram(ms);
            return false;
        }
        memory_region_add_subregion(ms->numa_ram, offset, mr);
        offset += node->node_mem;
    }
    ms->ram = ms->numa_ram;
    return true;
}

static bool machine_create_default_backend(MachineState *ms, const char *id,
                                           Error **errp)
{
    g_autoptr(JsonObject) props = json_object_new();

    if (object_resolve_path_component(object_get_objects_root(), id)) {
        error_setg(errp,
                   "object name '%s' is reserved for the default RAM "
                   "backend, it can't be used for any other purposes. "
                   "Change the object's 'id' to something else",
                   id);
        return false;
    }
    json_object_set_int_member(props, "size", (int64_t)ms->ram_size);
    if (!user_creatable_add_type(TYPE_MEMORY_BACKEND_RAM, id, props, true,
                                 errp)) {
        return false;
    }
    ms->ram_memdev_id = g_strdup(id);
    return true;
}

bool machine_create_ram(MachineState *ms, Error **errp)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    Object *backend;

    if (!machine_numa_validate(ms, errp)) {
        return false;
    }
    if (machine_numa_has_memdev(ms)) {
        return machine_build_numa_ram(ms, errp);
    }
    if (!ms->ram_memdev_id) {
        if (!mc->default_ram_id) {
            return true; /* the board provides its own RAM */
        }
        if (!machine_create_default_backend(ms, mc->default_ram_id, errp)) {
            return false;
        }
    }
    backend = machine_find_backend(ms->ram_memdev_id, errp);
    if (!backend) {
        return false;
    }
    if (object_property_get_uint(backend, "size", NULL) != ms->ram_size) {
        error_setg(errp, "Machine memory size does not match the size of "
                         "the memory backend");
        return false;
    }
    ms->ram = machine_take_backend(backend, errp);
    return ms->ram != NULL;
}
