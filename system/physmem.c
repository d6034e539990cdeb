/*
 * Address spaces: byte-buffer accesses through a region tree, following
 * IOMMU regions page by page, plus the system memory and I/O spaces.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "system/memory-internal.h"

/* More IOMMU hops than this for one access means a translation loop. */
#define IOMMU_MAX_HOPS 16

static QTAILQ_HEAD(, AddressSpace)
    address_spaces = QTAILQ_HEAD_INITIALIZER(address_spaces);

static MemoryRegion system_memory;
static MemoryRegion system_io;
static bool memory_initialized;
AddressSpace address_space_memory;
AddressSpace address_space_io;

/*
 * Resolves addr in root down to a RAM or MMIO leaf, translating through
 * IOMMU regions. *len shrinks to the bytes that go the same way (never
 * past a translated page). Returns NULL with *res set when the bytes
 * reach nothing or the IOMMU refuses them.
 */
static MemoryRegion *tree_translate(MemoryRegion *root, hwaddr addr,
                                    uint64_t *len, bool is_write,
                                    MemTxAttrs attrs, hwaddr *xlat,
                                    bool *readonly, MemTxResult *res)
{
    IOMMUAccessFlags flag = is_write ? IOMMU_WO : IOMMU_RO;

    for (unsigned hop = 0;; hop++) {
        MemoryLookup found;
        IOMMUMemoryRegion *iommu;
        IOMMUTLBEntry entry;

        *res = MEMTX_DECODE_ERROR;
        if (!root) {
            return NULL;
        }
        if (!memory_region_lookup(root, addr, *len, &found)) {
            *len = found.len;
            return NULL;
        }
        *len = found.len;
        if (found.mr->type != MR_IOMMU) {
            *xlat = found.offset;
            *readonly = found.readonly;
            *res = MEMTX_OK;
            return found.mr;
        }
        iommu = container_of(found.mr, IOMMUMemoryRegion, parent_obj);
        if (hop == IOMMU_MAX_HOPS) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "memory: IOMMU translation loop at '%s'\n",
                          memory_region_name(found.mr));
            return NULL;
        }
        if (!iommu->iommu_ops || !iommu->iommu_ops->translate) {
            return NULL;
        }
        entry = iommu->iommu_ops->translate(iommu, found.offset, flag, attrs);
        *len = memory_clip_len(*len, entry.addr_mask,
                               found.offset & entry.addr_mask);
        if ((entry.perm & flag) != flag) {
            *res = MEMTX_ACCESS_ERROR;
            return NULL;
        }
        if (!entry.target_as) {
            return NULL;
        }
        root = entry.target_as->root;
        addr = (entry.translated_addr & ~entry.addr_mask) |
               (found.offset & entry.addr_mask);
    }
}

/* The largest power of two the region takes at off, at most len. */
static unsigned io_piece_size(MemoryRegion *mr, hwaddr off, uint64_t len)
{
    const MemoryRegionOps *ops = mr->ops;
    uint64_t max = ops && ops->valid.max_access_size
                       ? MIN(ops->valid.max_access_size, 8)
                       : 4;

    if (!(ops && ops->valid.unaligned) && off && (off & -off) < max) {
        max = off & -off;
    }
    max = MIN(max, len);
    return 1U << (63 - __builtin_clzll(max));
}

static MemTxResult io_rw(MemoryRegion *mr, hwaddr off, MemTxAttrs attrs,
                         uint8_t *buf, uint64_t len, bool is_write)
{
    MemTxResult res = MEMTX_OK;

    while (len) {
        unsigned size = io_piece_size(mr, off, len);
        uint64_t val = is_write ? memory_ld_le(buf, size) : 0;

        res |= memory_region_io_access(mr, off, &val, size, is_write, attrs);
        if (!is_write) {
            memory_st_le(buf, val, size);
        }
        off += size;
        buf += size;
        len -= size;
    }
    return res;
}

MemTxResult memory_tree_rw(MemoryRegion *root, hwaddr addr, MemTxAttrs attrs,
                           uint8_t *buf, uint64_t len, bool is_write)
{
    MemTxResult res = MEMTX_OK;

    while (len) {
        uint64_t piece = len;
        hwaddr xlat = 0;
        bool readonly = false;
        MemTxResult err;
        MemoryRegion *mr = tree_translate(root, addr, &piece, is_write, attrs,
                                          &xlat, &readonly, &err);

        if (!mr) {
            if (!is_write) {
                memset(buf, 0xff, piece);
            }
            if (err == MEMTX_DECODE_ERROR) {
                qemu_log_mask(LOG_GUEST_ERROR,
                              "Invalid %s at addr 0x%" PRIX64 ", size %" PRIu64
                              ", region '(null)', "
                              "reason: rejected\n",
                              is_write ? "write" : "read", addr, piece);
            }
            res |= err;
        } else if (mr->type == MR_RAM) {
            if (!is_write) {
                memcpy(buf, mr->ram_ptr + xlat, piece);
            } else if (!readonly) {
                memcpy(mr->ram_ptr + xlat, buf, piece);
            }
        } else {
            res |= io_rw(mr, xlat, attrs, buf, piece, is_write);
        }
        addr += piece;
        buf += piece;
        len -= piece;
    }
    return res;
}

void address_space_init(AddressSpace *as, MemoryRegion *root, const char *name)
{
    as->name = g_strdup(name);
    as->root = root;
    QTAILQ_INSERT_TAIL(&address_spaces, as, address_spaces_link);
}

void address_space_destroy(AddressSpace *as)
{
    if (QTAILQ_IN_USE(as, address_spaces_link)) {
        QTAILQ_REMOVE(&address_spaces, as, address_spaces_link);
    }
    g_free(as->name);
    as->name = NULL;
    as->root = NULL;
}

MemTxResult address_space_rw(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                             void *buf, hwaddr len, bool is_write)
{
    return memory_tree_rw(as->root, addr, attrs, buf, len, is_write);
}

MemTxResult address_space_read(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                               void *buf, hwaddr len)
{
    return memory_tree_rw(as->root, addr, attrs, buf, len, false);
}

MemTxResult address_space_write(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                                const void *buf, hwaddr len)
{
    /* Writes only read from buf. */
    return memory_tree_rw(as->root, addr, attrs, (uint8_t *)buf, len, true);
}

MemTxResult address_space_set(AddressSpace *as, hwaddr addr, uint8_t c,
                              hwaddr len, MemTxAttrs attrs)
{
    uint8_t fill[256];
    MemTxResult res = MEMTX_OK;

    memset(fill, c, sizeof(fill));
    while (len) {
        hwaddr piece = MIN(len, sizeof(fill));

        res |= address_space_write(as, addr, attrs, fill, piece);
        addr += piece;
        len -= piece;
    }
    return res;
}

static uint64_t load_le(AddressSpace *as, hwaddr addr, unsigned size,
                        MemTxAttrs attrs, MemTxResult *result)
{
    uint8_t buf[8];
    MemTxResult res = address_space_read(as, addr, attrs, buf, size);

    if (result) {
        *result = res;
    }
    return memory_ld_le(buf, size);
}

static void store_le(AddressSpace *as, hwaddr addr, uint64_t val, unsigned size,
                     MemTxAttrs attrs, MemTxResult *result)
{
    uint8_t buf[8];
    MemTxResult res;

    memory_st_le(buf, val, size);
    res = address_space_write(as, addr, attrs, buf, size);
    if (result) {
        *result = res;
    }
}

uint32_t address_space_ldl_le(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                              MemTxResult *result)
{
    return load_le(as, addr, 4, attrs, result);
}

uint64_t address_space_ldq_le(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                              MemTxResult *result)
{
    return load_le(as, addr, 8, attrs, result);
}

void address_space_stl_le(AddressSpace *as, hwaddr addr, uint32_t val,
                          MemTxAttrs attrs, MemTxResult *result)
{
    store_le(as, addr, val, 4, attrs, result);
}

void address_space_stq_le(AddressSpace *as, hwaddr addr, uint64_t val,
                          MemTxAttrs attrs, MemTxResult *result)
{
    store_le(as, addr, val, 8, attrs, result);
}

MemoryRegion *address_space_translate(AddressSpace *as, hwaddr addr,
                                      hwaddr *xlat, hwaddr *plen, bool is_write,
                                      MemTxAttrs attrs)
{
    uint64_t len = plen && *plen ? *plen : 1;
    hwaddr offset = 0;
    bool readonly;
    MemTxResult res;
    MemoryRegion *mr = tree_translate(as->root, addr, &len, is_write, attrs,
                                      &offset, &readonly, &res);

    if (xlat) {
        *xlat = offset;
    }
    if (plen) {
        *plen = len;
    }
    return mr;
}

void memory_init(void)
{
    if (memory_initialized) {
        return;
    }
    memory_initialized = true;
    memory_region_init(&system_memory, NULL, "system", UINT64_MAX);
    memory_region_init(&system_io, NULL, "io", 0x10000);
    address_space_init(&address_space_memory, &system_memory, "memory");
    address_space_init(&address_space_io, &system_io, "I/O");
}

MemoryRegion *get_system_memory(void)
{
    memory_init();
    return &system_memory;
}

MemoryRegion *get_system_io(void)
{
    memory_init();
    return &system_io;
}

void address_space_dump_all(GString *out)
{
    AddressSpace *as;

    QTAILQ_FOREACH(as, &address_spaces, address_spaces_link)
    {
        g_string_append_printf(out, "address-space: %s\n", as->name);
        if (as->root) {
            memory_region_dump_tree(as->root, out);
        }
        g_string_append_c(out, '\n');
    }
}
