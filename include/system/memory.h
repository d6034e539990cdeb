/*
 * Guest-physical memory: regions (RAM, MMIO, containers, aliases, IOMMU)
 * composed into address spaces, and access dispatch with the access-size
 * rules of each MMIO region.
 *
 * MemoryRegion is a plain struct embedded in its owner (usually a device);
 * the owner outlives it. Regions are not QOM objects.
 */
#ifndef SYSTEM_MEMORY_H
#define SYSTEM_MEMORY_H

#include "qemu/osdep.h"
#include "qemu/error.h"

typedef struct MemoryRegion MemoryRegion;
typedef struct IOMMUMemoryRegion IOMMUMemoryRegion;
typedef struct AddressSpace AddressSpace;
typedef struct Object Object;

typedef uint32_t MemTxResult;
#define MEMTX_OK 0
#define MEMTX_ERROR (1U << 0)        /* device returned an error */
#define MEMTX_DECODE_ERROR (1U << 1) /* nothing at that address */
#define MEMTX_ACCESS_ERROR (1U << 2) /* access refused (e.g. permissions) */

typedef struct MemTxAttrs {
    unsigned int secure : 1;
    unsigned int space : 2;
    unsigned int unspecified : 1;
    unsigned int requester_id : 16;
    unsigned int pasid : 20;
} MemTxAttrs;
#define MEMTXATTRS_UNSPECIFIED ((MemTxAttrs){.unspecified = 1})

enum device_endian {
    DEVICE_NATIVE_ENDIAN,
    DEVICE_BIG_ENDIAN,
    DEVICE_LITTLE_ENDIAN,
};

typedef struct MemoryRegionOps {
    uint64_t (*read)(void *opaque, hwaddr addr, unsigned size);
    void (*write)(void *opaque, hwaddr addr, uint64_t data, unsigned size);
    MemTxResult (*read_with_attrs)(void *opaque, hwaddr addr, uint64_t *data,
                                   unsigned size, MemTxAttrs attrs);
    MemTxResult (*write_with_attrs)(void *opaque, hwaddr addr, uint64_t data,
                                    unsigned size, MemTxAttrs attrs);
    enum device_endian endianness;
    /* What the guest may do; other accesses fail with MEMTX_DECODE_ERROR
     * (reads return all-ones) and are logged as guest errors. */
    struct {
        unsigned min_access_size; /* 0 means 1 */
        unsigned max_access_size; /* 0 means 4 */
        bool unaligned;
        bool (*accepts)(void *opaque, hwaddr addr, unsigned size,
                        bool is_write, MemTxAttrs attrs);
    } valid;
    /* What the callbacks implement; larger/smaller valid accesses are
     * split or combined to fit. */
    struct {
        unsigned min_access_size; /* 0 means 1 */
        unsigned max_access_size; /* 0 means 4 */
        bool unaligned;
    } impl;
} MemoryRegionOps;

typedef enum {
    IOMMU_NONE = 0,
    IOMMU_RO = 1,
    IOMMU_WO = 2,
    IOMMU_RW = 3,
} IOMMUAccessFlags;

typedef struct IOMMUTLBEntry {
    AddressSpace *target_as;
    hwaddr iova;
    hwaddr translated_addr;
    hwaddr addr_mask; /* 0xfff for a 4 KiB page */
    IOMMUAccessFlags perm; /* IOMMU_NONE: the translation faulted */
} IOMMUTLBEntry;

typedef struct IOMMUMemoryRegionOps {
    /* Translates addr for an access of kind flag. A fault returns perm
     * IOMMU_NONE (the vIOMMU records its own architected event). */
    IOMMUTLBEntry (*translate)(IOMMUMemoryRegion *iommu, hwaddr addr,
                               IOMMUAccessFlags flag, MemTxAttrs attrs);
} IOMMUMemoryRegionOps;

typedef enum MemoryRegionType {
    MR_CONTAINER,
    MR_RAM,
    MR_IO,
    MR_ALIAS,
    MR_IOMMU,
} MemoryRegionType;

struct MemoryRegion {
    MemoryRegionType type;
    char *name;
    Object *owner;
    uint64_t size; /* UINT64_MAX with size_is_full means 2^64 */
    bool size_is_full;
    bool enabled;
    bool readonly;
    /* MR_RAM */
    uint8_t *ram_ptr;
    /* MR_IO */
    const MemoryRegionOps *ops;
    void *opaque;
    /* MR_ALIAS */
    MemoryRegion *alias;
    hwaddr alias_offset;
    /* placement inside the container */
    MemoryRegion *container;
    hwaddr addr;
    int priority;
    bool may_overlap;
    /* subregions, highest priority first; equal priority: last added first */
    QTAILQ_HEAD(, MemoryRegion) subregions;
    QTAILQ_ENTRY(MemoryRegion) subregions_link;
};

struct IOMMUMemoryRegion {
    MemoryRegion parent_obj;
    const IOMMUMemoryRegionOps *iommu_ops;
    void *opaque;
};

struct AddressSpace {
    char *name;
    MemoryRegion *root;
    QTAILQ_ENTRY(AddressSpace) address_spaces_link;
};

void memory_region_init(MemoryRegion *mr, Object *owner, const char *name,
                        uint64_t size);
void memory_region_init_io(MemoryRegion *mr, Object *owner,
                           const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size);
bool memory_region_init_ram(MemoryRegion *mr, Object *owner, const char *name,
                            uint64_t size, Error **errp);
void memory_region_init_alias(MemoryRegion *mr, Object *owner,
                              const char *name, MemoryRegion *orig,
                              hwaddr offset, uint64_t size);
void memory_region_init_iommu(IOMMUMemoryRegion *iommu, Object *owner,
                              const IOMMUMemoryRegionOps *ops, void *opaque,
                              const char *name, uint64_t size);
/* Frees what init allocated (RAM, name); the region must be unmapped. */
void memory_region_destroy(MemoryRegion *mr);

void memory_region_add_subregion(MemoryRegion *mr, hwaddr offset,
                                 MemoryRegion *subregion);
void memory_region_add_subregion_overlap(MemoryRegion *mr, hwaddr offset,
                                         MemoryRegion *subregion,
                                         int priority);
void memory_region_del_subregion(MemoryRegion *mr, MemoryRegion *subregion);
void memory_region_set_enabled(MemoryRegion *mr, bool enabled);
void memory_region_set_address(MemoryRegion *mr, hwaddr addr);
void memory_region_set_readonly(MemoryRegion *mr, bool readonly);
uint64_t memory_region_size(MemoryRegion *mr);
bool memory_region_is_mapped(MemoryRegion *mr);
void *memory_region_get_ram_ptr(MemoryRegion *mr);
const char *memory_region_name(const MemoryRegion *mr);

/* Dispatch directly on a region (as if it were mapped at 0). */
MemTxResult memory_region_dispatch_read(MemoryRegion *mr, hwaddr addr,
                                        uint64_t *data, unsigned size,
                                        MemTxAttrs attrs);
MemTxResult memory_region_dispatch_write(MemoryRegion *mr, hwaddr addr,
                                         uint64_t data, unsigned size,
                                         MemTxAttrs attrs);

void address_space_init(AddressSpace *as, MemoryRegion *root,
                        const char *name);
void address_space_destroy(AddressSpace *as);

/*
 * Byte-buffer accesses. RAM is copied; MMIO is split into the largest
 * accesses the region accepts; IOMMU regions translate each page (a fault
 * returns MEMTX_ACCESS_ERROR... or MEMTX_DECODE_ERROR when nothing is
 * mapped after translation). Unbacked bytes read as 0xff.
 */
MemTxResult address_space_rw(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                             void *buf, hwaddr len, bool is_write);
MemTxResult address_space_read(AddressSpace *as, hwaddr addr,
                               MemTxAttrs attrs, void *buf, hwaddr len);
MemTxResult address_space_write(AddressSpace *as, hwaddr addr,
                                MemTxAttrs attrs, const void *buf,
                                hwaddr len);
MemTxResult address_space_set(AddressSpace *as, hwaddr addr, uint8_t c,
                              hwaddr len, MemTxAttrs attrs);

/* Sized little-endian accessors (result optional). */
uint32_t address_space_ldl_le(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                              MemTxResult *result);
uint64_t address_space_ldq_le(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                              MemTxResult *result);
void address_space_stl_le(AddressSpace *as, hwaddr addr, uint32_t val,
                          MemTxAttrs attrs, MemTxResult *result);
void address_space_stq_le(AddressSpace *as, hwaddr addr, uint64_t val,
                          MemTxAttrs attrs, MemTxResult *result);

/* DMA helpers used by device models (same semantics as above). */
static inline MemTxResult dma_memory_read(AddressSpace *as, hwaddr addr,
                                          void *buf, hwaddr len,
                                          MemTxAttrs attrs)
{
    return address_space_read(as, addr, attrs, buf, len);
}
static inline MemTxResult dma_memory_write(AddressSpace *as, hwaddr addr,
                                           const void *buf, hwaddr len,
                                           MemTxAttrs attrs)
{
    return address_space_write(as, addr, attrs, buf, len);
}

/*
 * Translation of one address through IOMMU regions down to a leaf; *plen
 * shrinks to the bytes that translate alike. NULL: nothing mapped there
 * or the IOMMU refused the access.
 */
MemoryRegion *address_space_translate(AddressSpace *as, hwaddr addr,
                                      hwaddr *xlat, hwaddr *plen,
                                      bool is_write, MemTxAttrs attrs);

MemoryRegion *get_system_memory(void);
MemoryRegion *get_system_io(void);
extern AddressSpace address_space_memory;
extern AddressSpace address_space_io;
/* Creates system memory/io and their address spaces (idempotent). */
void memory_init(void);

/* Lists regions for debugging/tests: "name [start-end] type". */
void memory_region_dump_tree(MemoryRegion *mr, GString *out);
/* Every address space: "address-space: NAME" followed by its tree. */
void address_space_dump_all(GString *out);

#endif
