/*
 * Private interfaces between the region tree (memory.c), MMIO dispatch
 * (memory-dispatch.c) and address-space accesses (physmem.c).
 */
#ifndef SYSTEM_MEMORY_INTERNAL_H
#define SYSTEM_MEMORY_INTERNAL_H

#include "system/memory.h"

/* What one address of a region tree resolves to. */
typedef struct MemoryLookup {
    MemoryRegion *mr; /* RAM, IO or IOMMU leaf; NULL for a hole */
    hwaddr offset;    /* offset inside mr */
    uint64_t len;     /* bytes from here on that resolve the same way */
    bool readonly;    /* some region on the path is read-only */
} MemoryLookup;

/*
 * Resolves addr inside root, looking at most len (>= 1) bytes ahead.
 * Returns false for a hole; out->len is then the length of the hole.
 */
bool memory_region_lookup(MemoryRegion *root, hwaddr addr, uint64_t len,
                          MemoryLookup *out);

/* Offset of the last byte of mr; only meaningful if the region is not
 * empty. */
static inline uint64_t memory_region_last(const MemoryRegion *mr)
{
    return mr->size_is_full ? UINT64_MAX : mr->size - 1;
}

static inline bool memory_region_empty(const MemoryRegion *mr)
{
    return !mr->size_is_full && mr->size == 0;
}

/* min(len, last - off + 1) without overflowing when the span is 2^64. */
static inline uint64_t memory_clip_len(uint64_t len, uint64_t last,
                                       uint64_t off)
{
    return last - off >= len ? len : last - off + 1;
}

/* One access of size 1/2/4/8 to an MMIO region, with validity checks. */
MemTxResult memory_region_io_access(MemoryRegion *mr, hwaddr addr,
                                    uint64_t *data, unsigned size,
                                    bool is_write, MemTxAttrs attrs);

/* Byte-buffer access to a region tree (root mapped at 0). */
MemTxResult memory_tree_rw(MemoryRegion *root, hwaddr addr, MemTxAttrs attrs,
                           uint8_t *buf, uint64_t len, bool is_write);

static inline uint64_t memory_ld_le(const uint8_t *p, unsigned size)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)p[i] << (i * 8);
    }
    return v;
}

static inline void memory_st_le(uint8_t *p, uint64_t v, unsigned size)
{
    for (unsigned i = 0; i < size; i++) {
        p[i] = v >> (i * 8);
    }
}

static inline uint64_t memory_all_ones(unsigned size)
{
    return size >= 8 ? UINT64_MAX : (1ULL << (size * 8)) - 1;
}

#endif
