/*
 * One access to an MMIO region: the region's validity rules, then the
 * access cut or widened to what its callbacks implement.
 *
 * Values are little-endian (both targets are); a DEVICE_BIG_ENDIAN
 * region sees its bytes in big-endian order. When the callbacks only
 * implement accesses wider than the guest's, the enclosing aligned word
 * is accessed: reads extract the guest's bytes, writes pass the guest's
 * bytes shifted into place with the other bytes zero (no read-modify-
 * write).
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "system/memory-internal.h"

static unsigned access_size_or(unsigned size, unsigned dflt)
{
    return MIN(size ? size : dflt, 8);
}

static bool io_access_valid(MemoryRegion *mr, hwaddr addr, unsigned size,
                            bool is_write, MemTxAttrs attrs)
{
    const MemoryRegionOps *ops = mr->ops;
    const char *reason = NULL;
    char size_reason[48];
    unsigned min, max;

    if (!ops || !(is_write ? ops->write || ops->write_with_attrs
                           : ops->read || ops->read_with_attrs)) {
        reason = "rejected";
        goto out;
    }
    min = access_size_or(ops->valid.min_access_size, 1);
    max = access_size_or(ops->valid.max_access_size, 4);
    if (size < min || size > max) {
        snprintf(size_reason, sizeof(size_reason),
                 "invalid size (min:%u max:%u)", min, max);
        reason = size_reason;
    } else if (!ops->valid.unaligned && (addr & (size - 1))) {
        reason = "unaligned";
    } else if (memory_region_empty(mr) || addr > memory_region_last(mr) ||
               size - 1 > memory_region_last(mr) - addr) {
        reason = "outside the region";
    } else if (ops->valid.accepts &&
               !ops->valid.accepts(mr->opaque, addr, size, is_write, attrs)) {
        reason = "rejected";
    }
out:
    if (!reason) {
        return true;
    }
    qemu_log_mask(LOG_GUEST_ERROR,
                  "Invalid %s at addr 0x%" PRIX64 ", size %u, region '%s', "
                  "reason: %s\n",
                  is_write ? "write" : "read", addr, size,
                  memory_region_name(mr), reason);
    return false;
}

static uint64_t chunk_load(const uint8_t *p, unsigned size, bool big)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)p[big ? size - 1 - i : i] << (i * 8);
    }
    return v;
}

static void chunk_store(uint8_t *p, uint64_t v, unsigned size, bool big)
{
    for (unsigned i = 0; i < size; i++) {
        p[big ? size - 1 - i : i] = v >> (i * 8);
    }
}

static MemTxResult io_call(MemoryRegion *mr, hwaddr addr, uint64_t *val,
                           unsigned size, bool is_write, MemTxAttrs attrs)
{
    const MemoryRegionOps *ops = mr->ops;

    if (is_write) {
        if (ops->write) {
            ops->write(mr->opaque, addr, *val, size);
            return MEMTX_OK;
        }
        return ops->write_with_attrs(mr->opaque, addr, *val, size, attrs);
    }
    if (ops->read) {
        *val = ops->read(mr->opaque, addr, size);
        return MEMTX_OK;
    }
    return ops->read_with_attrs(mr->opaque, addr, val, size, attrs);
}

/* Index in the guest's access of byte pos of the chunked span, or -1. */
static int guest_byte(unsigned pos, unsigned lead, unsigned size)
{
    return pos >= lead && pos - lead < size ? (int)(pos - lead) : -1;
}

/*
 * Covers the guest's bytes [addr, addr + size) with callback-sized
 * chunks; the span starts lead bytes before addr when widening. Bytes
 * outside the guest's access are zero on writes and dropped on reads.
 */
static MemTxResult io_access_adjusted(MemoryRegion *mr, hwaddr addr,
                                      uint64_t *data, unsigned size,
                                      bool is_write, MemTxAttrs attrs)
{
    const MemoryRegionOps *ops = mr->ops;
    unsigned min = access_size_or(ops->impl.min_access_size, 1);
    unsigned max = access_size_or(ops->impl.max_access_size, 4);
    unsigned chunk = MAX(MIN(size, max), min);
    unsigned lead = chunk > size ? addr % chunk : 0;
    bool big = ops->endianness == DEVICE_BIG_ENDIAN;
    MemTxResult res = MEMTX_OK;
    uint8_t bytes[8];

    memory_st_le(bytes, is_write ? *data : 0, size);
    for (unsigned pos = 0; pos < lead + size; pos += chunk) {
        uint8_t cbytes[8] = {0};
        uint64_t val = 0;

        if (is_write) {
            for (unsigned j = 0; j < chunk; j++) {
                int k = guest_byte(pos + j, lead, size);

                if (k >= 0) {
                    cbytes[j] = bytes[k];
                }
            }
            val = chunk_load(cbytes, chunk, big);
        }
        res |= io_call(mr, addr - lead + pos, &val, chunk, is_write, attrs);
        if (!is_write) {
            chunk_store(cbytes, val, chunk, big);
            for (unsigned j = 0; j < chunk; j++) {
                int k = guest_byte(pos + j, lead, size);

                if (k >= 0) {
                    bytes[k] = cbytes[j];
                }
            }
        }
    }
    if (!is_write) {
        *data = memory_ld_le(bytes, size);
    }
    return res;
}

MemTxResult memory_region_io_access(MemoryRegion *mr, hwaddr addr,
                                    uint64_t *data, unsigned size,
                                    bool is_write, MemTxAttrs attrs)
{
    if (!io_access_valid(mr, addr, size, is_write, attrs)) {
        if (!is_write) {
            *data = memory_all_ones(size);
        }
        return MEMTX_DECODE_ERROR;
    }
    return io_access_adjusted(mr, addr, data, size, is_write, attrs);
}

static MemTxResult dispatch(MemoryRegion *mr, hwaddr addr, uint64_t *data,
                            unsigned size, bool is_write, MemTxAttrs attrs)
{
    MemoryLookup found;
    uint8_t buf[8];
    MemTxResult res;

    if (size != 1 && size != 2 && size != 4 && size != 8) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "Invalid %s at addr 0x%" PRIX64 ", size %u, "
                      "region '%s', reason: invalid size\n",
                      is_write ? "write" : "read", addr, size,
                      memory_region_name(mr));
        if (!is_write) {
            *data = memory_all_ones(size);
        }
        return MEMTX_DECODE_ERROR;
    }
    if (mr->type == MR_IO) {
        return memory_region_io_access(mr, addr, data, size, is_write, attrs);
    }
    /* A single MMIO leaf gets the access whole, validity rules and all. */
    if (memory_region_lookup(mr, addr, size, &found) &&
        found.mr->type == MR_IO && found.len == size) {
        return memory_region_io_access(found.mr, found.offset, data, size,
                                       is_write, attrs);
    }
    memory_st_le(buf, is_write ? *data : 0, size);
    res = memory_tree_rw(mr, addr, attrs, buf, size, is_write);
    if (!is_write) {
        *data = memory_ld_le(buf, size);
    }
    return res;
}

MemTxResult memory_region_dispatch_read(MemoryRegion *mr, hwaddr addr,
                                        uint64_t *data, unsigned size,
                                        MemTxAttrs attrs)
{
    return dispatch(mr, addr, data, size, false, attrs);
}

MemTxResult memory_region_dispatch_write(MemoryRegion *mr, hwaddr addr,
                                         uint64_t data, unsigned size,
                                         MemTxAttrs attrs)
{
    return dispatch(mr, addr, &data, size, true, attrs);
}
