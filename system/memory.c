/*
 * The memory region tree: creating regions, placing them in containers
 * and resolving an address to the leaf region that serves it.
 */
#include "qemu/osdep.h"
#include <sys/mman.h>
#include "qemu/log.h"
#include "system/memory-internal.h"

/* Deeper nesting than this can only come from an alias cycle. */
#define MEMORY_MAX_DEPTH 32

static void region_setup(MemoryRegion *mr, MemoryRegionType type, Object *owner,
                         const char *name, uint64_t size)
{
    memset(mr, 0, sizeof(*mr));
    mr->type = type;
    mr->owner = owner;
    mr->name = g_strdup(name);
    mr->size = size;
    mr->size_is_full = size == UINT64_MAX;
    mr->enabled = true;
    QTAILQ_INIT(&mr->subregions);
}

void memory_region_init(MemoryRegion *mr, Object *owner, const char *name,
                        uint64_t size)
{
    region_setup(mr, MR_CONTAINER, owner, name, size);
}

void memory_region_init_io(MemoryRegion *mr, Object *owner,
                           const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size)
{
    region_setup(mr, MR_IO, owner, name, size);
    mr->ops = ops;
    mr->opaque = opaque;
}

bool memory_region_init_ram(MemoryRegion *mr, Object *owner, const char *name,
                            uint64_t size, Error **errp)
{
    uint8_t *ram = NULL;

    /*
     * Anonymous mappings are page aligned (the kernel's IOMMU_IOAS_MAP
     * wants host address and IOVA to share their page offset), zeroed,
     * and only backed by memory where the guest touches them.
     */
    if (size) {
        ram = size == UINT64_MAX || size > SIZE_MAX
                  ? MAP_FAILED
                  : mmap(NULL, size, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (ram == MAP_FAILED) {
            error_setg(errp, "cannot set up guest memory '%s': %s",
                       name ? name : "", g_strerror(ENOMEM));
            memset(mr, 0, sizeof(*mr));
            return false;
        }
    }
    region_setup(mr, MR_RAM, owner, name, size);
    mr->ram_ptr = ram;
    return true;
}

void memory_region_init_alias(MemoryRegion *mr, Object *owner, const char *name,
                              MemoryRegion *orig, hwaddr offset, uint64_t size)
{
    region_setup(mr, MR_ALIAS, owner, name, size);
    mr->alias = orig;
    mr->alias_offset = offset;
}

void memory_region_init_iommu(IOMMUMemoryRegion *iommu, Object *owner,
                              const IOMMUMemoryRegionOps *ops, void *opaque,
                              const char *name, uint64_t size)
{
    region_setup(&iommu->parent_obj, MR_IOMMU, owner, name, size);
    iommu->iommu_ops = ops;
    iommu->opaque = opaque;
}

void memory_region_destroy(MemoryRegion *mr)
{
    MemoryRegion *sub, *next;

    if (mr->container) {
        memory_region_del_subregion(mr->container, mr);
    }
    QTAILQ_FOREACH_SAFE(sub, &mr->subregions, subregions_link, next)
    {
        QTAILQ_REMOVE(&mr->subregions, sub, subregions_link);
        sub->container = NULL;
    }
    g_free(mr->name);
    if (mr->ram_ptr) {
        munmap(mr->ram_ptr, mr->size);
    }
    memset(mr, 0, sizeof(*mr));
}

static void insert_subregion(MemoryRegion *mr, hwaddr offset, MemoryRegion *sub)
{
    MemoryRegion *other;

    g_assert(!sub->container);
    for (MemoryRegion *p = mr; p; p = p->container) {
        g_assert(p != sub);
    }
    sub->container = mr;
    sub->addr = offset;
    QTAILQ_FOREACH(other, &mr->subregions, subregions_link)
    {
        if (sub->priority >= other->priority) {
            QTAILQ_INSERT_BEFORE(other, sub, subregions_link);
            return;
        }
    }
    QTAILQ_INSERT_TAIL(&mr->subregions, sub, subregions_link);
}

void memory_region_add_subregion(MemoryRegion *mr, hwaddr offset,
                                 MemoryRegion *subregion)
{
    subregion->may_overlap = false;
    subregion->priority = 0;
    insert_subregion(mr, offset, subregion);
}

void memory_region_add_subregion_overlap(MemoryRegion *mr, hwaddr offset,
                                         MemoryRegion *subregion, int priority)
{
    subregion->may_overlap = true;
    subregion->priority = priority;
    insert_subregion(mr, offset, subregion);
}

void memory_region_del_subregion(MemoryRegion *mr, MemoryRegion *subregion)
{
    g_assert(subregion->container == mr);
    QTAILQ_REMOVE(&mr->subregions, subregion, subregions_link);
    subregion->container = NULL;
}

void memory_region_set_enabled(MemoryRegion *mr, bool enabled)
{
    mr->enabled = enabled;
}

void memory_region_set_address(MemoryRegion *mr, hwaddr addr)
{
    MemoryRegion *container = mr->container;

    if (!container) {
        mr->addr = addr;
        return;
    }
    memory_region_del_subregion(container, mr);
    insert_subregion(container, addr, mr);
}

void memory_region_set_readonly(MemoryRegion *mr, bool readonly)
{
    mr->readonly = readonly;
}

uint64_t memory_region_size(MemoryRegion *mr)
{
    return mr->size;
}

bool memory_region_is_mapped(MemoryRegion *mr)
{
    return mr->container != NULL;
}

void *memory_region_get_ram_ptr(MemoryRegion *mr)
{
    if (mr->type == MR_RAM) {
        return mr->ram_ptr;
    }
    if (mr->type == MR_ALIAS && mr->alias && mr->alias->type == MR_RAM &&
        mr->alias->ram_ptr && mr->alias_offset < mr->alias->size) {
        return mr->alias->ram_ptr + mr->alias_offset;
    }
    return NULL;
}

const char *memory_region_name(const MemoryRegion *mr)
{
    return mr->name ? mr->name : "";
}

static bool lookup(MemoryRegion *mr, hwaddr addr, uint64_t *len,
                   MemoryLookup *out, unsigned depth);

/*
 * Subregions are kept highest priority first, so the first one covering
 * addr wins. One that starts inside the window but after addr would win
 * from its start on, so the window stops there.
 */
static bool lookup_children(MemoryRegion *mr, hwaddr addr, uint64_t *len,
                            MemoryLookup *out, unsigned depth)
{
    MemoryRegion *sub;

    QTAILQ_FOREACH(sub, &mr->subregions, subregions_link)
    {
        uint64_t sub_last;

        if (!sub->enabled || memory_region_empty(sub)) {
            continue;
        }
        if (addr < sub->addr) {
            if (sub->addr - addr < *len) {
                *len = sub->addr - addr;
            }
            continue;
        }
        sub_last =
            sub->addr + MIN(memory_region_last(sub), UINT64_MAX - sub->addr);
        if (addr > sub_last) {
            continue;
        }
        if (lookup(sub, addr - sub->addr, len, out, depth + 1)) {
            return true;
        }
    }
    return false;
}

static bool lookup(MemoryRegion *mr, hwaddr addr, uint64_t *len,
                   MemoryLookup *out, unsigned depth)
{
    if (depth > MEMORY_MAX_DEPTH) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "memory: regions nested too deeply at '%s'\n",
                      memory_region_name(mr));
        return false;
    }
    if (!mr->enabled || memory_region_empty(mr) ||
        addr > memory_region_last(mr)) {
        return false;
    }
    *len = memory_clip_len(*len, memory_region_last(mr), addr);

    if (!QTAILQ_EMPTY(&mr->subregions) &&
        lookup_children(mr, addr, len, out, depth)) {
        out->readonly |= mr->readonly;
        return true;
    }
    switch (mr->type) {
    case MR_CONTAINER:
        return false;
    case MR_ALIAS:
        if (!mr->alias || addr > UINT64_MAX - mr->alias_offset ||
            !lookup(mr->alias, mr->alias_offset + addr, len, out, depth + 1)) {
            return false;
        }
        out->readonly |= mr->readonly;
        return true;
    case MR_RAM:
    case MR_IO:
    case MR_IOMMU:
        out->mr = mr;
        out->offset = addr;
        out->readonly = mr->readonly;
        return true;
    }
    return false;
}

bool memory_region_lookup(MemoryRegion *root, hwaddr addr, uint64_t len,
                          MemoryLookup *out)
{
    *out = (MemoryLookup){.len = len};
    return lookup(root, addr, &out->len, out, 0);
}

static const char *const region_type_names[] = {
    [MR_CONTAINER] = "container", [MR_RAM] = "ram",     [MR_IO] = "i/o",
    [MR_ALIAS] = "alias",         [MR_IOMMU] = "iommu",
};

static void dump_region(MemoryRegion *mr, hwaddr base, unsigned depth,
                        GString *out)
{
    MemoryRegion *sub;

    g_string_append_printf(out, "%*s%s [%016" PRIx64 "-%016" PRIx64 "] %s",
                           depth * 2, "", memory_region_name(mr), base,
                           base + memory_region_last(mr),
                           region_type_names[mr->type]);
    if (mr->type == MR_ALIAS && mr->alias) {
        g_string_append_printf(out, " -> %s @0x%" PRIx64,
                               memory_region_name(mr->alias), mr->alias_offset);
    }
    if (mr->priority) {
        g_string_append_printf(out, " prio %d", mr->priority);
    }
    if (mr->readonly) {
        g_string_append(out, " readonly");
    }
    if (!mr->enabled) {
        g_string_append(out, " disabled");
    }
    g_string_append_c(out, '\n');
    QTAILQ_FOREACH(sub, &mr->subregions, subregions_link)
    {
        dump_region(sub, base + sub->addr, depth + 1, out);
    }
}

void memory_region_dump_tree(MemoryRegion *mr, GString *out)
{
    dump_region(mr, 0, 0, out);
}
