/*
 * Region tree, MMIO dispatch, address spaces and IOMMU translation.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "system/memory.h"

#define ATTRS MEMTXATTRS_UNSPECIFIED

/* An MMIO device that records its callbacks and serves a 64-bit word. */
typedef struct TestDev {
    unsigned calls;
    hwaddr addr[8];
    unsigned size[8];
    uint64_t data[8];
    uint64_t reg;
    MemTxResult result;
    unsigned last_requester;
} TestDev;

static void record(TestDev *d, hwaddr addr, unsigned size, uint64_t data)
{
    g_assert_cmpuint(d->calls, <, ARRAY_SIZE(d->addr));
    d->addr[d->calls] = addr;
    d->size[d->calls] = size;
    d->data[d->calls] = data;
    d->calls++;
}

static uint64_t dev_read(void *opaque, hwaddr addr, unsigned size)
{
    TestDev *d = opaque;
    uint64_t val = d->reg >> ((addr & 7) * 8);

    record(d, addr, size, 0);
    return size == 8 ? val : val & ((1ULL << (size * 8)) - 1);
}

static void dev_write(void *opaque, hwaddr addr, uint64_t data, unsigned size)
{
    record(opaque, addr, size, data);
}

static MemTxResult dev_read_attrs(void *opaque, hwaddr addr, uint64_t *data,
                                  unsigned size, MemTxAttrs attrs)
{
    TestDev *d = opaque;

    record(d, addr, size, 0);
    d->last_requester = attrs.requester_id;
    *data = 0x5a;
    return d->result;
}

static MemTxResult dev_write_attrs(void *opaque, hwaddr addr, uint64_t data,
                                   unsigned size, MemTxAttrs attrs)
{
    TestDev *d = opaque;

    record(d, addr, size, data);
    d->last_requester = attrs.requester_id;
    return d->result;
}

static bool dev_accepts_reads(void *opaque, hwaddr addr, unsigned size,
                              bool is_write, MemTxAttrs attrs)
{
    return !is_write;
}

static const MemoryRegionOps ops_default = {
    .read = dev_read,
    .write = dev_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
};

static const MemoryRegionOps ops_split = {
    .read = dev_read,
    .write = dev_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 8},
    .impl = {.min_access_size = 4, .max_access_size = 4},
};

static const MemoryRegionOps ops_only4 = {
    .read = dev_read,
    .write = dev_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 4, .max_access_size = 4},
};

static const MemoryRegionOps ops_unaligned4 = {
    .read = dev_read,
    .write = dev_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 4, .max_access_size = 4, .unaligned = true},
};

static const MemoryRegionOps ops_big = {
    .read = dev_read,
    .write = dev_write,
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = {.max_access_size = 8},
    .impl = {.max_access_size = 4},
};

static const MemoryRegionOps ops_attrs = {
    .read_with_attrs = dev_read_attrs,
    .write_with_attrs = dev_write_attrs,
    .endianness = DEVICE_LITTLE_ENDIAN,
};

static const MemoryRegionOps ops_readonly = {
    .read = dev_read,
    .write = dev_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.accepts = dev_accepts_reads},
};

static const MemoryRegionOps ops_no_write = {
    .read = dev_read,
    .endianness = DEVICE_LITTLE_ENDIAN,
};

/* A 64 KiB root container and its address space. */
typedef struct Fixture {
    MemoryRegion root;
    AddressSpace as;
} Fixture;

static void fixture_init(Fixture *f)
{
    memory_region_init(&f->root, NULL, "root", 0x10000);
    address_space_init(&f->as, &f->root, "test");
}

static void fixture_fini(Fixture *f)
{
    address_space_destroy(&f->as);
    memory_region_destroy(&f->root);
}

static void ram_init(MemoryRegion *mr, const char *name, uint64_t size)
{
    g_assert_true(memory_region_init_ram(mr, NULL, name, size, NULL));
}

static void test_ram_adjacent(void)
{
    Fixture f;
    MemoryRegion a, b;
    uint8_t out[16], in[16];
    uint8_t *pa, *pb;

    fixture_init(&f);
    ram_init(&a, "ram-a", 0x1000);
    ram_init(&b, "ram-b", 0x1000);
    memory_region_add_subregion(&f.root, 0, &a);
    memory_region_add_subregion(&f.root, 0x1000, &b);
    for (int i = 0; i < 16; i++) {
        out[i] = 0x10 + i;
    }
    g_assert_cmpuint(address_space_write(&f.as, 0xff8, ATTRS, out, 16), ==,
                     MEMTX_OK);
    pa = memory_region_get_ram_ptr(&a);
    pb = memory_region_get_ram_ptr(&b);
    g_assert_cmpmem(pa + 0xff8, 8, out, 8);
    g_assert_cmpmem(pb, 8, out + 8, 8);
    g_assert_cmpuint(address_space_read(&f.as, 0xff8, ATTRS, in, 16), ==,
                     MEMTX_OK);
    g_assert_cmpmem(in, 16, out, 16);
    g_assert_true(memory_region_is_mapped(&a));

    memory_region_destroy(&a);
    g_assert_false(memory_region_is_mapped(&a));
    memory_region_destroy(&b);
    fixture_fini(&f);
}

static void test_ram_readonly(void)
{
    Fixture f;
    MemoryRegion rom;
    uint8_t *p;
    uint32_t v = 0xdeadbeef;

    fixture_init(&f);
    ram_init(&rom, "rom", 0x1000);
    p = memory_region_get_ram_ptr(&rom);
    p[0] = 0x42;
    memory_region_set_readonly(&rom, true);
    memory_region_add_subregion(&f.root, 0x2000, &rom);
    address_space_write(&f.as, 0x2000, ATTRS, &v, 4);
    g_assert_cmpuint(p[0], ==, 0x42);
    g_assert_cmpuint(address_space_ldl_le(&f.as, 0x2000, ATTRS, NULL), ==,
                     0x42);
    memory_region_set_readonly(&rom, false);
    address_space_write(&f.as, 0x2000, ATTRS, &v, 4);
    g_assert_cmpuint(address_space_ldl_le(&f.as, 0x2000, ATTRS, NULL), ==,
                     0xdeadbeef);
    memory_region_destroy(&rom);
    fixture_fini(&f);
}

static void test_ram_init_failure(void)
{
    MemoryRegion mr;
    Error *err = NULL;

    g_assert_false(memory_region_init_ram(&mr, NULL, "huge", UINT64_MAX, &err));
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(error_get_pretty(err), "'huge'"));
    error_free(err);
    memory_region_destroy(&mr);
}

static void test_mmio_split(void)
{
    Fixture f;
    MemoryRegion io;
    TestDev d = {.reg = 0x8877665544332211ULL};
    uint64_t val = 0x1122334455667788ULL;

    fixture_init(&f);
    memory_region_init_io(&io, NULL, &ops_split, &d, "split", 0x100);
    memory_region_add_subregion(&f.root, 0x3000, &io);

    g_assert_cmpuint(address_space_write(&f.as, 0x3008, ATTRS, &val, 8), ==,
                     MEMTX_OK);
    g_assert_cmpuint(d.calls, ==, 2);
    g_assert_cmpuint(d.addr[0], ==, 8);
    g_assert_cmpuint(d.size[0], ==, 4);
    g_assert_cmphex(d.data[0], ==, 0x55667788);
    g_assert_cmpuint(d.addr[1], ==, 12);
    g_assert_cmphex(d.data[1], ==, 0x11223344);

    /* Reads compose little-endian from the two 4-byte halves. */
    d.calls = 0;
    g_assert_cmphex(address_space_ldq_le(&f.as, 0x3000, ATTRS, NULL), ==,
                    0x8877665544332211ULL);
    g_assert_cmpuint(d.calls, ==, 2);

    /* A narrow access is widened to the aligned word and extracted. */
    d.calls = 0;
    g_assert_cmpuint(memory_region_dispatch_read(&io, 3, &val, 1, ATTRS), ==,
                     MEMTX_OK);
    g_assert_cmphex(val, ==, 0x44);
    g_assert_cmpuint(d.calls, ==, 1);
    g_assert_cmpuint(d.addr[0], ==, 0);
    g_assert_cmpuint(d.size[0], ==, 4);

    /* ...and a narrow write is shifted into place, other bytes zero. */
    d.calls = 0;
    memory_region_dispatch_write(&io, 6, 0xabcd, 2, ATTRS);
    g_assert_cmpuint(d.calls, ==, 1);
    g_assert_cmpuint(d.addr[0], ==, 4);
    g_assert_cmpuint(d.size[0], ==, 4);
    g_assert_cmphex(d.data[0], ==, 0xabcd0000);

    memory_region_destroy(&io);
    fixture_fini(&f);
}

static void test_mmio_refuse_size(void)
{
    Fixture f;
    MemoryRegion io;
    TestDev d = {.reg = 0x12345678};
    uint8_t byte = 0;
    uint64_t val = 0;

    fixture_init(&f);
    memory_region_init_io(&io, NULL, &ops_only4, &d, "only4", 0x100);
    memory_region_add_subregion(&f.root, 0x4000, &io);

    g_assert_cmpuint(address_space_read(&f.as, 0x4000, ATTRS, &byte, 1), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmphex(byte, ==, 0xff);
    g_assert_cmpuint(memory_region_dispatch_read(&io, 0, &val, 2, ATTRS), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmphex(val, ==, 0xffff);
    g_assert_cmpuint(address_space_write(&f.as, 0x4000, ATTRS, &byte, 1), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmpuint(d.calls, ==, 0);

    g_assert_cmphex(address_space_ldl_le(&f.as, 0x4000, ATTRS, NULL), ==,
                    0x12345678);
    g_assert_cmpuint(d.calls, ==, 1);

    /* An 8-byte buffer access becomes two valid 4-byte accesses. */
    g_assert_cmpuint(address_space_read(&f.as, 0x4000, ATTRS, &val, 8), ==,
                     MEMTX_OK);
    g_assert_cmpuint(d.calls, ==, 3);
    g_assert_cmpuint(d.addr[2], ==, 4);

    memory_region_destroy(&io);
    fixture_fini(&f);
}

static void test_mmio_unaligned(void)
{
    Fixture f;
    MemoryRegion strict, relaxed;
    TestDev d1 = {0}, d2 = {0};
    uint64_t val = 0;
    uint32_t buf;
    MemTxResult res;

    fixture_init(&f);
    memory_region_init_io(&strict, NULL, &ops_only4, &d1, "strict", 0x100);
    memory_region_init_io(&relaxed, NULL, &ops_unaligned4, &d2, "relaxed",
                          0x100);
    memory_region_add_subregion(&f.root, 0x5000, &strict);
    memory_region_add_subregion(&f.root, 0x6000, &relaxed);

    g_assert_cmpuint(memory_region_dispatch_read(&strict, 2, &val, 4, ATTRS),
                     ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(val, ==, 0xffffffff);
    /* Through a buffer the access is cut at alignment: 2-byte pieces. */
    buf = 0;
    res = address_space_read(&f.as, 0x5002, ATTRS, &buf, 4);
    g_assert_cmpuint(res, ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(buf, ==, 0xffffffff);
    g_assert_cmpuint(d1.calls, ==, 0);

    g_assert_cmpuint(memory_region_dispatch_read(&relaxed, 2, &val, 4, ATTRS),
                     ==, MEMTX_OK);
    g_assert_cmpuint(d2.calls, ==, 1);
    g_assert_cmpuint(d2.addr[0], ==, 2);
    g_assert_cmpuint(address_space_read(&f.as, 0x6002, ATTRS, &buf, 4), ==,
                     MEMTX_OK);
    g_assert_cmpuint(d2.calls, ==, 2);

    memory_region_destroy(&strict);
    memory_region_destroy(&relaxed);
    fixture_fini(&f);
}

static void test_mmio_big_endian(void)
{
    MemoryRegion io;
    TestDev d = {.reg = 0x11223344};
    uint64_t val;

    memory_region_init_io(&io, NULL, &ops_big, &d, "big", 0x100);
    memory_region_dispatch_write(&io, 0, 0x11223344, 4, ATTRS);
    g_assert_cmphex(d.data[0], ==, 0x44332211);
    memory_region_dispatch_read(&io, 0, &val, 4, ATTRS);
    g_assert_cmphex(val, ==, 0x44332211);

    /* Split in big-endian order: the first word holds the low bytes. */
    d.calls = 0;
    memory_region_dispatch_write(&io, 0, 0x0102030405060708ULL, 8, ATTRS);
    g_assert_cmpuint(d.calls, ==, 2);
    g_assert_cmpuint(d.addr[0], ==, 0);
    g_assert_cmphex(d.data[0], ==, 0x08070605);
    g_assert_cmphex(d.data[1], ==, 0x04030201);
    memory_region_destroy(&io);
}

static void test_mmio_attrs(void)
{
    MemoryRegion io;
    TestDev d = {.result = MEMTX_ERROR};
    MemTxAttrs attrs = {.requester_id = 0x1234};
    uint64_t val = 0;

    memory_region_init_io(&io, NULL, &ops_attrs, &d, "attrs", 0x100);
    g_assert_cmpuint(memory_region_dispatch_read(&io, 4, &val, 4, attrs), ==,
                     MEMTX_ERROR);
    g_assert_cmphex(val, ==, 0x5a);
    g_assert_cmpuint(d.last_requester, ==, 0x1234);
    d.result = MEMTX_OK;
    g_assert_cmpuint(memory_region_dispatch_write(&io, 8, 7, 2, attrs), ==,
                     MEMTX_OK);
    g_assert_cmphex(d.data[1], ==, 7);
    g_assert_cmpuint(d.size[1], ==, 2);
    memory_region_destroy(&io);
}

static void test_mmio_accepts(void)
{
    MemoryRegion io, wo;
    TestDev d = {.reg = 9};
    uint64_t val = 0;

    memory_region_init_io(&io, NULL, &ops_readonly, &d, "ro", 0x100);
    g_assert_cmpuint(memory_region_dispatch_read(&io, 0, &val, 4, ATTRS), ==,
                     MEMTX_OK);
    g_assert_cmpuint(val, ==, 9);
    g_assert_cmpuint(memory_region_dispatch_write(&io, 0, 1, 4, ATTRS), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmpuint(d.calls, ==, 1);

    /* Past the end of the region, or an impossible size. */
    g_assert_cmpuint(memory_region_dispatch_read(&io, 0xfe, &val, 4, ATTRS), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmpuint(memory_region_dispatch_read(&io, 0, &val, 3, ATTRS), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmphex(val, ==, 0xffffff);
    g_assert_cmpuint(d.calls, ==, 1);

    /* A region without a write callback refuses writes. */
    memory_region_init_io(&wo, NULL, &ops_no_write, &d, "no-write", 0x100);
    g_assert_cmpuint(memory_region_dispatch_write(&wo, 0, 1, 4, ATTRS), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmpuint(d.calls, ==, 1);
    memory_region_destroy(&io);
    memory_region_destroy(&wo);
}

static void test_priority(void)
{
    Fixture f;
    MemoryRegion ram, io_hi, io_lo, io_late;
    TestDev dhi = {.reg = 0xaaaaaaaaaaaaaaaaULL}, dlo = {0},
            dlate = {.reg = 0xcc};
    uint8_t buf[16];
    uint8_t *p;

    fixture_init(&f);
    ram_init(&ram, "ram", 0x2000);
    p = memory_region_get_ram_ptr(&ram);
    memset(p, 0x11, 0x2000);
    memory_region_add_subregion(&f.root, 0, &ram);
    memory_region_init_io(&io_hi, NULL, &ops_default, &dhi, "hi", 0x100);
    memory_region_add_subregion_overlap(&f.root, 0x1000, &io_hi, 1);
    memory_region_init_io(&io_lo, NULL, &ops_default, &dlo, "lo", 0x100);
    memory_region_add_subregion_overlap(&f.root, 0x1800, &io_lo, -1);

    g_assert_cmphex(address_space_ldl_le(&f.as, 0x1000, ATTRS, NULL), ==,
                    0xaaaaaaaa);
    g_assert_cmphex(address_space_ldl_le(&f.as, 0x1800, ATTRS, NULL), ==,
                    0x11111111);
    g_assert_cmpuint(dlo.calls, ==, 0);

    /* An access straddling RAM and the higher-priority MMIO region. */
    g_assert_cmpuint(address_space_read(&f.as, 0xff8, ATTRS, buf, 16), ==,
                     MEMTX_OK);
    for (int i = 0; i < 8; i++) {
        g_assert_cmphex(buf[i], ==, 0x11);
        g_assert_cmphex(buf[8 + i], ==, 0xaa);
    }
    g_assert_cmpuint(dhi.calls, ==, 3);

    /* Equal priority: the later-added region wins. */
    memory_region_init_io(&io_late, NULL, &ops_default, &dlate, "late", 0x100);
    memory_region_add_subregion_overlap(&f.root, 0x1000, &io_late, 1);
    g_assert_cmphex(address_space_ldl_le(&f.as, 0x1000, ATTRS, NULL), ==, 0xcc);

    /* Removing a region uncovers what lies below. */
    memory_region_del_subregion(&f.root, &io_late);
    memory_region_del_subregion(&f.root, &io_hi);
    g_assert_cmphex(address_space_ldl_le(&f.as, 0x1000, ATTRS, NULL), ==,
                    0x11111111);

    memory_region_destroy(&io_late);
    memory_region_destroy(&io_hi);
    memory_region_destroy(&io_lo);
    memory_region_destroy(&ram);
    fixture_fini(&f);
}

static void test_alias(void)
{
    Fixture f;
    MemoryRegion ram, alias;
    uint8_t *p;
    uint32_t v = 0x01020304;
    MemTxResult res;

    fixture_init(&f);
    ram_init(&ram, "ram", 0x4000);
    p = memory_region_get_ram_ptr(&ram);
    memory_region_init_alias(&alias, NULL, "alias", &ram, 0x1000, 0x1000);
    memory_region_add_subregion(&f.root, 0x8000, &alias);
    g_assert_true(memory_region_get_ram_ptr(&alias) == p + 0x1000);

    address_space_write(&f.as, 0x8010, ATTRS, &v, 4);
    g_assert_cmpmem(p + 0x1010, 4, &v, 4);

    /* Clipped to the alias size even though the target is larger. */
    g_assert_cmphex(address_space_ldl_le(&f.as, 0x9000, ATTRS, &res), ==,
                    0xffffffff);
    g_assert_cmpuint(res, ==, MEMTX_DECODE_ERROR);

    /* An alias inherits read-only. */
    memory_region_set_readonly(&alias, true);
    v = 0;
    address_space_write(&f.as, 0x8010, ATTRS, &v, 4);
    g_assert_cmphex(address_space_ldl_le(&f.as, 0x8010, ATTRS, NULL), ==,
                    0x01020304);

    memory_region_destroy(&alias);
    memory_region_destroy(&ram);
    fixture_fini(&f);
}

static void test_alias_cycle(void)
{
    Fixture f;
    MemoryRegion loop;
    MemTxResult res;

    fixture_init(&f);
    memory_region_init_alias(&loop, NULL, "loop", &f.root, 0, 0x100);
    memory_region_add_subregion(&f.root, 0, &loop);
    g_assert_cmphex(address_space_ldl_le(&f.as, 0, ATTRS, &res), ==,
                    0xffffffff);
    g_assert_cmpuint(res, ==, MEMTX_DECODE_ERROR);
    memory_region_destroy(&loop);
    fixture_fini(&f);
}

static void test_enable_move(void)
{
    Fixture f;
    MemoryRegion io;
    TestDev d = {.reg = 0x77};
    MemTxResult res;

    fixture_init(&f);
    memory_region_init_io(&io, NULL, &ops_default, &d, "dev", 0x100);
    memory_region_add_subregion(&f.root, 0x1000, &io);
    g_assert_cmphex(address_space_ldl_le(&f.as, 0x1000, ATTRS, NULL), ==, 0x77);

    memory_region_set_enabled(&io, false);
    g_assert_cmphex(address_space_ldl_le(&f.as, 0x1000, ATTRS, &res), ==,
                    0xffffffff);
    g_assert_cmpuint(res, ==, MEMTX_DECODE_ERROR);
    memory_region_set_enabled(&io, true);

    memory_region_set_address(&io, 0x2000);
    g_assert_cmpuint(io.addr, ==, 0x2000);
    g_assert_cmphex(address_space_ldl_le(&f.as, 0x2000, ATTRS, &res), ==, 0x77);
    g_assert_cmpuint(res, ==, MEMTX_OK);
    address_space_ldl_le(&f.as, 0x1000, ATTRS, &res);
    g_assert_cmpuint(res, ==, MEMTX_DECODE_ERROR);

    memory_region_destroy(&io);
    fixture_fini(&f);
}

static void test_unassigned(void)
{
    Fixture f;
    uint8_t buf[32];
    MemTxResult res;

    fixture_init(&f);
    memset(buf, 0, sizeof(buf));
    g_assert_cmpuint(address_space_read(&f.as, 0x100, ATTRS, buf, 32), ==,
                     MEMTX_DECODE_ERROR);
    for (int i = 0; i < 32; i++) {
        g_assert_cmphex(buf[i], ==, 0xff);
    }
    g_assert_cmpuint(address_space_write(&f.as, 0x100, ATTRS, buf, 32), ==,
                     MEMTX_DECODE_ERROR);
    /* Beyond the root container. */
    address_space_ldq_le(&f.as, 0xfffc, ATTRS, &res);
    g_assert_cmpuint(res, ==, MEMTX_DECODE_ERROR);
    fixture_fini(&f);
}

static void test_io_overlay(void)
{
    Fixture f;
    MemoryRegion io, table;
    TestDev d = {.reg = 0x33333333};
    uint8_t *p;

    fixture_init(&f);
    memory_region_init_io(&io, NULL, &ops_default, &d, "bar", 0x1000);
    ram_init(&table, "table", 0x100);
    p = memory_region_get_ram_ptr(&table);
    memset(p, 0x44, 0x100);
    memory_region_add_subregion(&io, 0x800, &table);
    memory_region_add_subregion(&f.root, 0x3000, &io);
    g_assert_cmphex(address_space_ldl_le(&f.as, 0x3800, ATTRS, NULL), ==,
                    0x44444444);
    g_assert_cmphex(address_space_ldl_le(&f.as, 0x3900, ATTRS, NULL), ==,
                    0x33333333);
    g_assert_cmpuint(d.calls, ==, 1);
    memory_region_destroy(&table);
    memory_region_destroy(&io);
    fixture_fini(&f);
}

static void test_full_size(void)
{
    MemoryRegion root, top;
    AddressSpace as;
    uint8_t *p;

    memory_region_init(&root, NULL, "all", UINT64_MAX);
    g_assert_true(root.size_is_full);
    g_assert_cmphex(memory_region_size(&root), ==, UINT64_MAX);
    address_space_init(&as, &root, "full");
    ram_init(&top, "top", 0x1000);
    p = memory_region_get_ram_ptr(&top);
    memory_region_add_subregion(&root, UINT64_MAX - 0xfff, &top);
    address_space_stl_le(&as, UINT64_MAX - 3, 0xcafef00d, ATTRS, NULL);
    g_assert_cmphex(p[0xfff], ==, 0xca);
    g_assert_cmphex(address_space_ldl_le(&as, UINT64_MAX - 3, ATTRS, NULL), ==,
                    0xcafef00d);
    memory_region_destroy(&top);
    address_space_destroy(&as);
    memory_region_destroy(&root);
}

static void test_helpers(void)
{
    Fixture f;
    MemoryRegion ram;
    MemoryRegion *mr;
    hwaddr xlat, len = 0x100;
    MemTxResult res = MEMTX_ERROR;
    uint8_t *p;

    fixture_init(&f);
    ram_init(&ram, "ram", 0x1000);
    p = memory_region_get_ram_ptr(&ram);
    memory_region_add_subregion(&f.root, 0x1000, &ram);

    address_space_stq_le(&f.as, 0x1008, 0x0102030405060708ULL, ATTRS, &res);
    g_assert_cmpuint(res, ==, MEMTX_OK);
    g_assert_cmphex(p[8], ==, 0x08);
    g_assert_cmphex(p[15], ==, 0x01);
    g_assert_cmphex(address_space_ldq_le(&f.as, 0x1008, ATTRS, NULL), ==,
                    0x0102030405060708ULL);
    g_assert_cmphex(address_space_ldl_le(&f.as, 0x100c, ATTRS, NULL), ==,
                    0x01020304);

    g_assert_cmpuint(address_space_set(&f.as, 0x1100, 0x5e, 0x300, ATTRS), ==,
                     MEMTX_OK);
    g_assert_cmphex(p[0x100], ==, 0x5e);
    g_assert_cmphex(p[0x3ff], ==, 0x5e);
    g_assert_cmphex(p[0x400], ==, 0);

    mr = address_space_translate(&f.as, 0x1f80, &xlat, &len, false, ATTRS);
    g_assert_true(mr == &ram);
    g_assert_cmphex(xlat, ==, 0xf80);
    g_assert_cmpuint(len, ==, 0x80);
    len = 4;
    g_assert_null(
        address_space_translate(&f.as, 0x8000, &xlat, &len, false, ATTRS));

    memory_region_destroy(&ram);
    fixture_fini(&f);
}

static void test_dump_tree(void)
{
    Fixture f;
    MemoryRegion ram, alias;
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(GString) all = g_string_new(NULL);

    fixture_init(&f);
    ram_init(&ram, "ram", 0x1000);
    memory_region_init_alias(&alias, NULL, "ram-alias", &ram, 0x800, 0x800);
    memory_region_add_subregion(&f.root, 0x1000, &ram);
    memory_region_add_subregion_overlap(&f.root, 0x4000, &alias, 2);
    memory_region_set_enabled(&alias, false);
    memory_region_dump_tree(&f.root, out);
    g_assert_cmpstr(out->str, ==,
                    "root [0000000000000000-000000000000ffff] container\n"
                    "  ram-alias [0000000000004000-00000000000047ff] alias "
                    "-> ram @0x800 prio 2 disabled\n"
                    "  ram [0000000000001000-0000000000001fff] ram\n");
    address_space_dump_all(all);
    g_assert_nonnull(strstr(all->str, "address-space: test\nroot ["));
    memory_region_destroy(&alias);
    memory_region_destroy(&ram);
    fixture_fini(&f);
}

static void test_system_memory(void)
{
    MemoryRegion *sysmem = get_system_memory();

    memory_init();
    memory_init();
    g_assert_true(sysmem == get_system_memory());
    g_assert_true(sysmem->size_is_full);
    g_assert_cmpuint(memory_region_size(get_system_io()), ==, 0x10000);
    g_assert_true(address_space_memory.root == sysmem);
    g_assert_true(address_space_io.root == get_system_io());
    g_assert_cmpstr(memory_region_name(sysmem), ==, "system");
}

/* An IOMMU whose pages are described by a small table. */
typedef struct TestIOMMU {
    IOMMUMemoryRegion iommu;
    AddressSpace as;      /* the IOMMU's input space */
    AddressSpace *target; /* where translations land */
    unsigned translations;
    hwaddr map_from[4];
    hwaddr map_to[4];
    IOMMUAccessFlags perm[4];
    unsigned entries;
    bool self_loop;
} TestIOMMU;

static IOMMUTLBEntry test_translate(IOMMUMemoryRegion *iommu, hwaddr addr,
                                    IOMMUAccessFlags flag, MemTxAttrs attrs)
{
    TestIOMMU *t = iommu->opaque;
    IOMMUTLBEntry e = {
        .target_as = t->self_loop ? &t->as : t->target,
        .iova = addr & ~0xfffULL,
        .addr_mask = 0xfff,
        .perm = t->self_loop ? IOMMU_RW : IOMMU_NONE,
        .translated_addr = addr & ~0xfffULL,
    };

    t->translations++;
    for (unsigned i = 0; i < t->entries; i++) {
        if (t->map_from[i] == (addr & ~0xfffULL)) {
            e.translated_addr = t->map_to[i];
            e.perm = t->perm[i];
        }
    }
    return e;
}

static const IOMMUMemoryRegionOps test_iommu_ops = {
    .translate = test_translate,
};

static void iommu_init(TestIOMMU *t, AddressSpace *target)
{
    memset(t, 0, sizeof(*t));
    t->target = target;
    memory_region_init_iommu(&t->iommu, NULL, &test_iommu_ops, t, "iommu",
                             UINT64_MAX);
    address_space_init(&t->as, &t->iommu.parent_obj, "iommu-as");
}

static void iommu_fini(TestIOMMU *t)
{
    address_space_destroy(&t->as);
    memory_region_destroy(&t->iommu.parent_obj);
}

static void iommu_map(TestIOMMU *t, hwaddr from, hwaddr to,
                      IOMMUAccessFlags perm)
{
    t->map_from[t->entries] = from;
    t->map_to[t->entries] = to;
    t->perm[t->entries] = perm;
    t->entries++;
}

static void test_iommu_perm(void)
{
    Fixture f;
    MemoryRegion ram;
    TestIOMMU t;
    uint8_t *p;
    uint32_t v = 0x99999999;
    MemTxResult res;

    fixture_init(&f);
    ram_init(&ram, "ram", 0x8000);
    p = memory_region_get_ram_ptr(&ram);
    memory_region_add_subregion(&f.root, 0, &ram);
    iommu_init(&t, &f.as);
    iommu_map(&t, 0x1000, 0x5000, IOMMU_RO);

    memcpy(p + 0x5010, "\x01\x02\x03\x04", 4);
    g_assert_cmphex(address_space_ldl_le(&t.as, 0x1010, ATTRS, &res), ==,
                    0x04030201);
    g_assert_cmpuint(res, ==, MEMTX_OK);
    g_assert_cmpuint(t.translations, ==, 1);

    g_assert_cmpuint(address_space_write(&t.as, 0x1010, ATTRS, &v, 4), ==,
                     MEMTX_ACCESS_ERROR);
    g_assert_cmphex(p[0x5010], ==, 0x01);

    /* Unmapped page: the translation faults (perm NONE). */
    g_assert_cmphex(address_space_ldl_le(&t.as, 0x2000, ATTRS, &res), ==,
                    0xffffffff);
    g_assert_cmpuint(res, ==, MEMTX_ACCESS_ERROR);

    /* Mapped onto nothing in the target space. */
    iommu_map(&t, 0x3000, 0x20000, IOMMU_RW);
    address_space_ldl_le(&t.as, 0x3000, ATTRS, &res);
    g_assert_cmpuint(res, ==, MEMTX_DECODE_ERROR);

    iommu_fini(&t);
    memory_region_destroy(&ram);
    fixture_fini(&f);
}

static void test_iommu_page_cross(void)
{
    Fixture f;
    MemoryRegion ram;
    TestIOMMU t;
    uint8_t *p;
    MemoryRegion *mr;
    hwaddr xlat, len = 0x100;

    fixture_init(&f);
    ram_init(&ram, "ram", 0x10000);
    p = memory_region_get_ram_ptr(&ram);
    memory_region_add_subregion(&f.root, 0, &ram);
    iommu_init(&t, &f.as);
    iommu_map(&t, 0x1000, 0x8000, IOMMU_RW);
    iommu_map(&t, 0x2000, 0x3000, IOMMU_RW);

    address_space_stq_le(&t.as, 0x1ffc, 0x1122334455667788ULL, ATTRS, NULL);
    g_assert_cmpuint(t.translations, ==, 2);
    g_assert_cmphex(p[0x8ffc], ==, 0x88);
    g_assert_cmphex(p[0x8fff], ==, 0x55);
    g_assert_cmphex(p[0x3000], ==, 0x44);
    g_assert_cmphex(p[0x3003], ==, 0x11);
    g_assert_cmphex(p[0x9000], ==, 0);

    mr = address_space_translate(&t.as, 0x1f80, &xlat, &len, true, ATTRS);
    g_assert_true(mr == &ram);
    g_assert_cmphex(xlat, ==, 0x8f80);
    g_assert_cmpuint(len, ==, 0x80);

    iommu_fini(&t);
    memory_region_destroy(&ram);
    fixture_fini(&f);
}

static void test_iommu_loop(void)
{
    TestIOMMU t;
    MemTxResult res;

    iommu_init(&t, NULL);
    t.self_loop = true;
    g_assert_cmphex(address_space_ldl_le(&t.as, 0x1000, ATTRS, &res), ==,
                    0xffffffff);
    g_assert_cmpuint(res, ==, MEMTX_DECODE_ERROR);
    g_assert_cmpuint(t.translations, >, 1);
    g_assert_cmpuint(t.translations, <, 100);
    iommu_fini(&t);
}

static void log_refused_access(void)
{
    MemoryRegion io;
    TestDev d = {0};
    uint64_t val;

    memory_region_init_io(&io, NULL, &ops_only4, &d, "only4", 0x100);
    memory_region_dispatch_read(&io, 1, &val, 1, ATTRS);
    memory_region_destroy(&io);
}

static void test_guest_error_log(void)
{
    if (g_test_subprocess()) {
        log_refused_access();
        qemu_set_log_mask(LOG_GUEST_ERROR);
        log_refused_access();
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    /* Exactly once: nothing is printed while the category is off. */
    g_test_trap_assert_stderr("Invalid read at addr 0x1, size 1, "
                              "region 'only4', reason: invalid size "
                              "(min:4 max:4)\n");
}

static void test_log_mask_parse(void)
{
    g_assert_cmpint(qemu_str_to_log_mask("guest_errors"), ==, LOG_GUEST_ERROR);
    g_assert_cmpint(qemu_str_to_log_mask("unimp,guest_errors"), ==,
                    LOG_GUEST_ERROR | LOG_UNIMP);
    g_assert_cmpint(qemu_str_to_log_mask("guest_errors,bogus"), ==, 0);
    g_assert_cmpint(qemu_str_to_log_mask(""), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/memory/ram/adjacent", test_ram_adjacent);
    g_test_add_func("/memory/ram/readonly", test_ram_readonly);
    g_test_add_func("/memory/ram/init-failure", test_ram_init_failure);
    g_test_add_func("/memory/mmio/split", test_mmio_split);
    g_test_add_func("/memory/mmio/refuse-size", test_mmio_refuse_size);
    g_test_add_func("/memory/mmio/unaligned", test_mmio_unaligned);
    g_test_add_func("/memory/mmio/big-endian", test_mmio_big_endian);
    g_test_add_func("/memory/mmio/attrs", test_mmio_attrs);
    g_test_add_func("/memory/mmio/accepts", test_mmio_accepts);
    g_test_add_func("/memory/tree/priority", test_priority);
    g_test_add_func("/memory/tree/alias", test_alias);
    g_test_add_func("/memory/tree/alias-cycle", test_alias_cycle);
    g_test_add_func("/memory/tree/enable-move", test_enable_move);
    g_test_add_func("/memory/tree/unassigned", test_unassigned);
    g_test_add_func("/memory/tree/io-overlay", test_io_overlay);
    g_test_add_func("/memory/tree/full-size", test_full_size);
    g_test_add_func("/memory/tree/dump", test_dump_tree);
    g_test_add_func("/memory/as/helpers", test_helpers);
    g_test_add_func("/memory/as/system", test_system_memory);
    g_test_add_func("/memory/iommu/perm", test_iommu_perm);
    g_test_add_func("/memory/iommu/page-cross", test_iommu_page_cross);
    g_test_add_func("/memory/iommu/loop", test_iommu_loop);
    g_test_add_func("/memory/log/guest-error", test_guest_error_log);
    g_test_add_func("/memory/log/parse", test_log_mask_parse);
    return g_test_run();
}
