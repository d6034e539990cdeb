/*
 * PCI core unit tests: configuration space masks, BAR sizing and
 * placement, bus mastering, the standard and extended capability lists,
 * the PCI Express capability and MSI/MSI-X delivery.
 */
#include "qemu/osdep.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie.h"

#define TYPE_TEST_PCI "x-test-pci-dev"
#define TEST_VENDOR 0x1234
#define TEST_DEVICE 0x5678
#define BAR0_SIZE 0x1000
#define BAR2_SIZE (1 * MiB)
#define BAR4_SIZE 0x10
#define RAM_BASE 0x80000000ULL
#define RAM_SIZE 0x10000
#define BAR0_ADDR 0x10000000ULL
#define BAR2_ADDR 0x800000000ULL

typedef struct TestPCIDev {
    PCIDevice parent_obj;
    MemoryRegion bar0; /* RAM: reads back what the test put there */
    MemoryRegion bar2;
    MemoryRegion bar4;
    MemoryRegion msix_bar;
    bool with_msix;
} TestPCIDev;

#define TEST_PCI(obj) OBJECT_CHECK(TestPCIDev, (obj), TYPE_TEST_PCI)

static bool test_dev_realize(PCIDevice *d, Error **errp)
{
    TestPCIDev *t = TEST_PCI(d);

    if (!memory_region_init_ram(&t->bar0, OBJECT(d), "bar0", BAR0_SIZE,
                                errp)) {
        return false;
    }
    memory_region_init(&t->bar2, OBJECT(d), "bar2", BAR2_SIZE);
    memory_region_init(&t->bar4, OBJECT(d), "bar4", BAR4_SIZE);
    pci_register_bar(d, 0, PCI_BASE_ADDRESS_SPACE_MEMORY, &t->bar0);
    pci_register_bar(d, 2,
                     PCI_BASE_ADDRESS_MEM_TYPE_64 |
                         PCI_BASE_ADDRESS_MEM_PREFETCH,
                     &t->bar2);
    pci_register_bar(d, 4, PCI_BASE_ADDRESS_SPACE_IO, &t->bar4);
    return true;
}

static void test_dev_exit(PCIDevice *d)
{
    TestPCIDev *t = TEST_PCI(d);

    if (t->with_msix) {
        msix_uninit(d);
    }
    memory_region_destroy(&t->bar0);
    memory_region_destroy(&t->bar2);
    memory_region_destroy(&t->bar4);
}

static void test_dev_class_init(ObjectClass *oc, const void *data)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = test_dev_realize;
    pc->exit = test_dev_exit;
    pc->vendor_id = TEST_VENDOR;
    pc->device_id = TEST_DEVICE;
    pc->class_id = PCI_CLASS_OTHERS;
}

static const InterfaceInfo test_dev_interfaces[] = {
    {INTERFACE_PCIE_DEVICE},
    {NULL},
};

static const TypeInfo test_dev_info = {
    .name = TYPE_TEST_PCI,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(TestPCIDev),
    .class_init = test_dev_class_init,
    .interfaces = test_dev_interfaces,
};

/* A root bus with its spaces and a device on it. */
typedef struct Fixture {
    MemoryRegion mem;
    MemoryRegion io;
    AddressSpace as_mem;
    MemoryRegion ram;
    PCIBus *bus;
    PCIDevice *dev;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    DeviceState *dev;

    memory_init();
    memory_region_init(&f->mem, NULL, "test-pci-mem", UINT64_MAX);
    memory_region_init(&f->io, NULL, "test-pci-io", 64 * KiB);
    address_space_init(&f->as_mem, &f->mem, "test-pci-mem");
    g_assert_true(memory_region_init_ram(&f->ram, NULL, "test-ram", RAM_SIZE,
                                         &error_abort));
    memory_region_add_subregion(get_system_memory(), RAM_BASE, &f->ram);
    f->bus = pci_root_bus_new(NULL, "test.0", &f->mem, &f->io, 0,
                              TYPE_PCIE_BUS);
    dev = qdev_new(TYPE_TEST_PCI);
    qdev_prop_set_int32(dev, "addr", PCI_DEVFN(3, 0));
    g_assert_true(qdev_realize(dev, BUS(f->bus), &error_abort));
    f->dev = PCI_DEVICE(dev);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    object_unparent(OBJECT(f->dev));
    object_unref(f->dev);
    object_unref(f->bus);
    memory_region_del_subregion(get_system_memory(), &f->ram);
    memory_region_destroy(&f->ram);
    address_space_destroy(&f->as_mem);
    memory_region_destroy(&f->mem);
    memory_region_destroy(&f->io);
}

static uint32_t cfg_read(Fixture *f, uint32_t addr, int len)
{
    return pci_host_config_read(f->bus, PCI_BUILD_BDF(0, f->dev->devfn),
                                addr, len);
}

static void cfg_write(Fixture *f, uint32_t addr, uint32_t val, int len)
{
    pci_host_config_write(f->bus, PCI_BUILD_BDF(0, f->dev->devfn), addr, val,
                          len);
}

/* Masks */

static void test_header(Fixture *f, gconstpointer data)
{
    g_assert_cmphex(cfg_read(f, PCI_VENDOR_ID, 2), ==, TEST_VENDOR);
    g_assert_cmphex(cfg_read(f, PCI_DEVICE_ID, 2), ==, TEST_DEVICE);
    g_assert_cmphex(cfg_read(f, PCI_CLASS_DEVICE, 2), ==, PCI_CLASS_OTHERS);
    g_assert_cmphex(cfg_read(f, PCI_HEADER_TYPE, 1), ==,
                    PCI_HEADER_TYPE_NORMAL);
    /* Default subsystem IDs for endpoints that set none. */
    g_assert_cmphex(cfg_read(f, PCI_SUBSYSTEM_VENDOR_ID, 2), ==, 0x1af4);
    g_assert_cmphex(cfg_read(f, PCI_SUBSYSTEM_ID, 2), ==, 0x1100);
    g_assert_cmpint(f->dev->config_size, ==, PCIE_CONFIG_SPACE_SIZE);
    /* Absent functions and out-of-range offsets read all-ones. */
    g_assert_cmphex(pci_host_config_read(f->bus, PCI_BUILD_BDF(0, 0), 0, 4),
                    ==, 0xffffffff);
    g_assert_cmphex(pci_host_config_read(f->bus, PCI_BUILD_BDF(1, 0x18), 0,
                                         2),
                    ==, 0xffff);
    g_assert_cmphex(cfg_read(f, 0xffe, 4), ==, 0xffffffff);
}

static void test_masks(Fixture *f, gconstpointer data)
{
    /* Read-only identification ignores writes. */
    cfg_write(f, PCI_VENDOR_ID, 0xffffffff, 4);
    g_assert_cmphex(cfg_read(f, PCI_VENDOR_ID, 4), ==,
                    TEST_DEVICE << 16 | TEST_VENDOR);
    /* Command: only the implemented bits stick. */
    cfg_write(f, PCI_COMMAND, 0xffff, 2);
    g_assert_cmphex(cfg_read(f, PCI_COMMAND, 2), ==,
                    PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
                        PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
                        PCI_COMMAND_INTX_DISABLE);
    cfg_write(f, PCI_COMMAND, 0, 2);
    /* Status error bits: write 1 clears, write 0 keeps. */
    pci_word_test_and_set_mask(f->dev->config + PCI_STATUS,
                               PCI_STATUS_REC_MASTER_ABORT |
                                   PCI_STATUS_SIG_SYSTEM_ERROR);
    cfg_write(f, PCI_STATUS, 0, 2);
    g_assert_cmphex(cfg_read(f, PCI_STATUS, 2) & PCI_STATUS_W1C_BITS, ==,
                    PCI_STATUS_REC_MASTER_ABORT | PCI_STATUS_SIG_SYSTEM_ERROR);
    cfg_write(f, PCI_STATUS, PCI_STATUS_REC_MASTER_ABORT, 2);
    g_assert_cmphex(cfg_read(f, PCI_STATUS, 2) & PCI_STATUS_W1C_BITS, ==,
                    PCI_STATUS_SIG_SYSTEM_ERROR);
    /* Byte writes touch only their byte. */
    cfg_write(f, PCI_CACHE_LINE_SIZE, 0x10, 1);
    cfg_write(f, PCI_INTERRUPT_LINE, 0x0b, 1);
    g_assert_cmphex(cfg_read(f, PCI_CACHE_LINE_SIZE, 1), ==, 0x10);
    g_assert_cmphex(cfg_read(f, PCI_INTERRUPT_LINE, 1), ==, 0x0b);
    /* The extended space nobody claimed is read-only zero. */
    cfg_write(f, 0x800, 0xdeadbeef, 4);
    g_assert_cmphex(cfg_read(f, 0x800, 4), ==, 0);
    /* Only fixed bits are compared: identity yes, command no. */
    g_assert_cmphex(pci_get_word(f->dev->cmask + PCI_VENDOR_ID), ==, 0xffff);
    g_assert_cmphex(pci_get_word(f->dev->cmask + PCI_COMMAND), ==, 0);
    /* Reset clears what software programmed. */
    pci_device_reset(f->dev);
    g_assert_cmphex(cfg_read(f, PCI_CACHE_LINE_SIZE, 1), ==, 0);
    g_assert_cmphex(cfg_read(f, PCI_STATUS, 2) & PCI_STATUS_W1C_BITS, ==, 0);
}

/* BARs */

static void test_bar_sizing(Fixture *f, gconstpointer data)
{
    cfg_write(f, PCI_BASE_ADDRESS_0, 0xffffffff, 4);
    g_assert_cmphex(cfg_read(f, PCI_BASE_ADDRESS_0, 4), ==,
                    (uint32_t)~(BAR0_SIZE - 1));
    cfg_write(f, PCI_BASE_ADDRESS_0 + 8, 0xffffffff, 4);
    cfg_write(f, PCI_BASE_ADDRESS_0 + 12, 0xffffffff, 4);
    g_assert_cmphex(cfg_read(f, PCI_BASE_ADDRESS_0 + 8, 4), ==,
                    (uint32_t)~(BAR2_SIZE - 1) |
                        PCI_BASE_ADDRESS_MEM_TYPE_64 |
                        PCI_BASE_ADDRESS_MEM_PREFETCH);
    g_assert_cmphex(cfg_read(f, PCI_BASE_ADDRESS_0 + 12, 4), ==, 0xffffffff);
    cfg_write(f, PCI_BASE_ADDRESS_0 + 16, 0xffffffff, 4);
    g_assert_cmphex(cfg_read(f, PCI_BASE_ADDRESS_0 + 16, 4), ==,
                    (uint32_t)~(BAR4_SIZE - 1) | PCI_BASE_ADDRESS_SPACE_IO);
    /* Unimplemented BARs stay zero. */
    cfg_write(f, PCI_BASE_ADDRESS_0 + 4, 0xffffffff, 4);
    g_assert_cmphex(cfg_read(f, PCI_BASE_ADDRESS_0 + 4, 4), ==, 0);
}

static void test_bar_placement(Fixture *f, gconstpointer data)
{
    TestPCIDev *t = TEST_PCI(f->dev);
    uint8_t byte = 0;

    ((uint8_t *)memory_region_get_ram_ptr(&t->bar0))[0x10] = 0xa5;
    cfg_write(f, PCI_BASE_ADDRESS_0, BAR0_ADDR, 4);
    cfg_write(f, PCI_BASE_ADDRESS_0 + 8, (uint32_t)BAR2_ADDR, 4);
    cfg_write(f, PCI_BASE_ADDRESS_0 + 12, BAR2_ADDR >> 32, 4);
    cfg_write(f, PCI_BASE_ADDRESS_0 + 16, 0x1000, 4);
    /* Programmed but not decoding until the command register says so. */
    g_assert_cmphex(pci_get_bar_addr(f->dev, 0), ==, PCI_BAR_UNMAPPED);
    address_space_read(&f->as_mem, BAR0_ADDR + 0x10, MEMTXATTRS_UNSPECIFIED,
                       &byte, 1);
    g_assert_cmphex(byte, ==, 0xff);

    cfg_write(f, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    g_assert_cmphex(pci_get_bar_addr(f->dev, 0), ==, BAR0_ADDR);
    g_assert_cmphex(pci_get_bar_addr(f->dev, 2), ==, BAR2_ADDR);
    g_assert_cmphex(pci_get_bar_addr(f->dev, 4), ==, PCI_BAR_UNMAPPED);
    g_assert_true(t->bar2.container == &f->mem);
    address_space_read(&f->as_mem, BAR0_ADDR + 0x10, MEMTXATTRS_UNSPECIFIED,
                       &byte, 1);
    g_assert_cmphex(byte, ==, 0xa5);

    cfg_write(f, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_IO, 2);
    g_assert_cmphex(pci_get_bar_addr(f->dev, 4), ==, 0x1000);
    g_assert_true(t->bar4.container == &f->io);

    /* Moving a BAR moves the mapping. */
    cfg_write(f, PCI_BASE_ADDRESS_0, BAR0_ADDR + 0x2000, 4);
    g_assert_cmphex(pci_get_bar_addr(f->dev, 0), ==, BAR0_ADDR + 0x2000);
    address_space_read(&f->as_mem, BAR0_ADDR + 0x2010,
                       MEMTXATTRS_UNSPECIFIED, &byte, 1);
    g_assert_cmphex(byte, ==, 0xa5);

    cfg_write(f, PCI_COMMAND, 0, 2);
    g_assert_cmphex(pci_get_bar_addr(f->dev, 0), ==, PCI_BAR_UNMAPPED);
    g_assert_null(t->bar2.container);
    g_assert_null(t->bar4.container);
}

static void test_bus_master(Fixture *f, gconstpointer data)
{
    uint32_t val = 0x11223344, got = 0;
    MemTxResult res;

    res = address_space_write(&f->dev->bus_master_as, RAM_BASE + 0x100,
                              MEMTXATTRS_UNSPECIFIED, &val, 4);
    g_assert_cmphex(res, !=, MEMTX_OK);
    address_space_read(&address_space_memory, RAM_BASE + 0x100,
                       MEMTXATTRS_UNSPECIFIED, &got, 4);
    g_assert_cmphex(got, ==, 0);

    cfg_write(f, PCI_COMMAND, PCI_COMMAND_MASTER, 2);
    res = address_space_write(&f->dev->bus_master_as, RAM_BASE + 0x100,
                              MEMTXATTRS_UNSPECIFIED, &val, 4);
    g_assert_cmphex(res, ==, MEMTX_OK);
    address_space_read(&address_space_memory, RAM_BASE + 0x100,
                       MEMTXATTRS_UNSPECIFIED, &got, 4);
    g_assert_cmphex(got, ==, val);
    g_assert_true(pci_device_iommu_address_space(f->dev) ==
                  &address_space_memory);
}

/* Standard capabilities */

static void test_std_caps(Fixture *f, gconstpointer data)
{
    PCIDevice *d = f->dev;
    Error *err = NULL;
    int a, b;

    g_assert_cmpint(pci_find_capability(d, PCI_CAP_ID_VNDR), ==, 0);
    a = pci_add_capability(d, PCI_CAP_ID_VNDR, 0, 8, &error_abort);
    g_assert_cmpint(a, ==, 0x40);
    b = pci_add_capability(d, PCI_CAP_ID_SSVID, 0, 8, &error_abort);
    g_assert_cmpint(b, ==, 0x48);
    g_assert_true(cfg_read(f, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
    /* New capabilities go to the head of the list. */
    g_assert_cmphex(cfg_read(f, PCI_CAPABILITY_LIST, 1), ==, b);
    g_assert_cmphex(cfg_read(f, b + PCI_CAP_LIST_NEXT, 1), ==, a);
    g_assert_cmphex(cfg_read(f, a + PCI_CAP_LIST_NEXT, 1), ==, 0);
    g_assert_cmpint(pci_find_capability(d, PCI_CAP_ID_VNDR), ==, a);

    /* Overlaps and bad places are refused. */
    g_assert_cmpint(pci_add_capability(d, PCI_CAP_ID_MSI, 0x44, 8, &err), <,
                    0);
    g_assert_nonnull(strstr(error_get_pretty(err), "overlaps existing "
                                                   "capability 9 at offset "
                                                   "40"));
    error_free_or_abort(&err);
    g_assert_cmpint(pci_add_capability(d, PCI_CAP_ID_MSI, 0x30, 8, &err), <,
                    0);
    error_free_or_abort(&err);
    g_assert_cmpint(pci_add_capability(d, PCI_CAP_ID_MSI, 0xfc, 8, &err), <,
                    0);
    error_free_or_abort(&err);

    /* The header is read-only. */
    cfg_write(f, a, 0xffff, 2);
    g_assert_cmphex(cfg_read(f, a, 1), ==, PCI_CAP_ID_VNDR);

    pci_del_capability(d, PCI_CAP_ID_SSVID, 8);
    g_assert_cmphex(cfg_read(f, PCI_CAPABILITY_LIST, 1), ==, a);
    g_assert_cmpint(pci_add_capability(d, PCI_CAP_ID_MSI, 0x48, 8,
                                       &error_abort), ==, 0x48);
    pci_del_capability(d, PCI_CAP_ID_MSI, 8);
    pci_del_capability(d, PCI_CAP_ID_VNDR, 8);
    g_assert_cmphex(cfg_read(f, PCI_CAPABILITY_LIST, 1), ==, 0);
    g_assert_false(cfg_read(f, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
}

/* Extended capabilities */

typedef struct ExtCap {
    uint16_t off;
    uint16_t id;
} ExtCap;

static void collect(PCIDevice *dev, uint16_t off, uint16_t id, uint8_t ver,
                    void *opaque)
{
    g_array_append_val((GArray *)opaque, ((ExtCap){off, id}));
}

/* Asserts the chain is exactly the given (offset, id) pairs. */
static void assert_chain(PCIDevice *d, const ExtCap *want, guint n)
{
    g_autoptr(GArray) got = g_array_new(false, false, sizeof(ExtCap));

    pcie_foreach_capability(d, collect, got);
    g_assert_cmpuint(got->len, ==, n);
    for (guint i = 0; i < n; i++) {
        ExtCap c = g_array_index(got, ExtCap, i);

        g_assert_cmphex(c.off, ==, want[i].off);
        g_assert_cmphex(c.id, ==, want[i].id);
        g_assert_cmphex(pcie_find_capability(d, c.id), ==, c.off);
    }
}

static void expect_refused(bool ok, Error **err, const char *what)
{
    g_assert_false(ok);
    g_assert_nonnull(*err);
    if (!strstr(error_get_pretty(*err), what)) {
        g_error("'%s' not in '%s'", what, error_get_pretty(*err));
    }
    error_free_or_abort(err);
}

static void test_ext_cap_insert(Fixture *f, gconstpointer data)
{
    PCIDevice *d = f->dev;
    Error *err = NULL;

    /* Empty chain: only 0x100 is a valid place. */
    g_assert_cmphex(cfg_read(f, PCI_EXT_CAP_START, 4), ==, 0);
    expect_refused(pcie_insert_capability(d, PCI_EXT_CAP_ID_ATS, 1, 0x200, 8,
                                          &err),
                   &err, "must be at offset 0x100");
    expect_refused(pcie_add_capability(d, PCI_EXT_CAP_ID_ATS, 1, 0x104, 8,
                                       &err),
                   &err, "must be at offset 0x100");
    g_assert_true(pcie_insert_capability(d, PCI_EXT_CAP_ID_ERR, 2, 0x100,
                                         PCI_ERR_SIZEOF, &error_abort));
    g_assert_true(pcie_add_capability(d, PCI_EXT_CAP_ID_ACS, 1, 0x200, 8,
                                      &error_abort));
    /* Linked between the two by address. */
    g_assert_true(pcie_insert_capability(d, PCI_EXT_CAP_ID_ATS, 1, 0x150, 8,
                                         &error_abort));
    /* QEMU's default PASID place: the last 8 bytes. */
    g_assert_true(pcie_insert_capability(d, PCI_EXT_CAP_ID_PASID, 1, 0xff8,
                                         8, &error_abort));
    assert_chain(d,
                 (ExtCap[]){{0x100, PCI_EXT_CAP_ID_ERR},
                            {0x150, PCI_EXT_CAP_ID_ATS},
                            {0x200, PCI_EXT_CAP_ID_ACS},
                            {0xff8, PCI_EXT_CAP_ID_PASID}},
                 4);
    g_assert_cmphex(cfg_read(f, 0x100, 4), ==,
                    PCI_EXT_CAP(PCI_EXT_CAP_ID_ERR, 2, 0x150));
    g_assert_cmphex(cfg_read(f, 0x150, 4), ==,
                    PCI_EXT_CAP(PCI_EXT_CAP_ID_ATS, 1, 0x200));

    /* Refusals keep the chain well formed. */
    expect_refused(pcie_insert_capability(d, 0x20, 1, 0x100, 8, &err), &err,
                   "overlaps");
    expect_refused(pcie_insert_capability(d, 0x20, 1, 0x104, 8, &err), &err,
                   "overlaps");
    expect_refused(pcie_insert_capability(d, 0x20, 1, 0x1fc, 8, &err), &err,
                   "overlap");
    expect_refused(pcie_insert_capability(d, 0x20, 1, 0x302, 8, &err), &err,
                   "dword aligned");
    expect_refused(pcie_insert_capability(d, 0x20, 1, 0x300, 4, &err), &err,
                   "at least 8 bytes");
    expect_refused(pcie_insert_capability(d, 0x20, 1, 0xffc, 8, &err), &err,
                   "end by 0x1000");
    expect_refused(pcie_insert_capability(d, 0x20, 1, 0xfc, 8, &err), &err,
                   "above 0x100");
    expect_refused(pcie_add_capability(d, 0x20, 1, 0x1f8, 16, &err), &err,
                   "overlaps");
    assert_chain(d,
                 (ExtCap[]){{0x100, PCI_EXT_CAP_ID_ERR},
                            {0x150, PCI_EXT_CAP_ID_ATS},
                            {0x200, PCI_EXT_CAP_ID_ACS},
                            {0xff8, PCI_EXT_CAP_ID_PASID}},
                 4);
}

static void test_ext_cap_header_rules(Fixture *f, gconstpointer data)
{
    PCIDevice *d = f->dev;
    Error *err = NULL;

    /* Capabilities placed without byte ownership (e.g. copied from a
     * physical device): only the headers guide the insertion. */
    pci_set_long(d->config + 0x100, PCI_EXT_CAP(PCI_EXT_CAP_ID_ERR, 2, 0x180));
    pci_set_long(d->config + 0x180, PCI_EXT_CAP(PCI_EXT_CAP_ID_ACS, 1, 0));
    expect_refused(pcie_insert_capability(d, 0x20, 1, 0x100, 8, &err), &err,
                   "inside the header");
    expect_refused(pcie_insert_capability(d, 0x20, 1, 0x17c, 8, &err), &err,
                   "would overlap the capability at 0x180");
    g_assert_true(pcie_insert_capability(d, 0x20, 1, 0x178, 8,
                                         &error_abort));
    g_assert_true(pcie_insert_capability(d, 0x21, 1, 0x184, 8,
                                         &error_abort));
    assert_chain(d,
                 (ExtCap[]){{0x100, PCI_EXT_CAP_ID_ERR},
                            {0x178, 0x20},
                            {0x180, PCI_EXT_CAP_ID_ACS},
                            {0x184, 0x21}},
                 4);
}

static void test_ext_cap_remove(Fixture *f, gconstpointer data)
{
    PCIDevice *d = f->dev;

    g_assert_true(pcie_add_capability(d, PCI_EXT_CAP_ID_ERR, 2, 0x100,
                                      PCI_ERR_SIZEOF, &error_abort));
    g_assert_true(pcie_add_capability(d, PCI_EXT_CAP_ID_ATS, 1, 0x150, 8,
                                      &error_abort));
    g_assert_true(pcie_add_capability(d, PCI_EXT_CAP_ID_ACS, 1, 0x200, 8,
                                      &error_abort));
    g_assert_true(pcie_add_capability(d, PCI_EXT_CAP_ID_PRI, 1, 0x300, 16,
                                      &error_abort));

    /* Middle. */
    pcie_remove_capability(d, PCI_EXT_CAP_ID_ATS);
    assert_chain(d,
                 (ExtCap[]){{0x100, PCI_EXT_CAP_ID_ERR},
                            {0x200, PCI_EXT_CAP_ID_ACS},
                            {0x300, PCI_EXT_CAP_ID_PRI}},
                 3);
    g_assert_cmphex(cfg_read(f, 0x150, 4), ==, 0);
    /* Last. */
    pcie_remove_capability(d, PCI_EXT_CAP_ID_PRI);
    assert_chain(d,
                 (ExtCap[]){{0x100, PCI_EXT_CAP_ID_ERR},
                            {0x200, PCI_EXT_CAP_ID_ACS}},
                 2);
    g_assert_cmphex(PCI_EXT_CAP_NEXT(cfg_read(f, 0x200, 4)), ==, 0);
    /* First: 0x100 keeps a null header linking on. */
    pcie_remove_capability(d, PCI_EXT_CAP_ID_ERR);
    assert_chain(d, (ExtCap[]){{0x200, PCI_EXT_CAP_ID_ACS}}, 1);
    g_assert_cmphex(cfg_read(f, 0x100, 4), ==, PCI_EXT_CAP(0, 0, 0x200));
    g_assert_cmphex(pcie_find_capability(d, PCI_EXT_CAP_ID_ERR), ==, 0);
    /* Freed space is usable again. */
    g_assert_true(pcie_insert_capability(d, PCI_EXT_CAP_ID_ATS, 1, 0x140, 8,
                                         &error_abort));
    assert_chain(d,
                 (ExtCap[]){{0x140, PCI_EXT_CAP_ID_ATS},
                            {0x200, PCI_EXT_CAP_ID_ACS}},
                 2);
    pcie_remove_capability(d, PCI_EXT_CAP_ID_ATS);
    /* Only: the chain becomes empty and 0x100 free. */
    pcie_remove_capability(d, PCI_EXT_CAP_ID_ACS);
    assert_chain(d, NULL, 0);
    g_assert_cmphex(cfg_read(f, 0x100, 4), ==, 0);
    g_assert_true(pcie_insert_capability(d, PCI_EXT_CAP_ID_PASID, 1, 0x100,
                                         8, &error_abort));
    pcie_remove_capability(d, PCI_EXT_CAP_ID_PASID);
    g_assert_cmphex(cfg_read(f, 0x100, 4), ==, 0);
    /* Removing what is not there changes nothing. */
    pcie_remove_capability(d, PCI_EXT_CAP_ID_ATS);
    assert_chain(d, NULL, 0);
}

static void test_ext_cap_loop(Fixture *f, gconstpointer data)
{
    PCIDevice *d = f->dev;

    pci_set_long(d->config + 0x100, PCI_EXT_CAP(PCI_EXT_CAP_ID_ERR, 2, 0x200));
    pci_set_long(d->config + 0x200, PCI_EXT_CAP(PCI_EXT_CAP_ID_ACS, 1, 0x100));
    g_assert_cmphex(pcie_find_capability(d, PCI_EXT_CAP_ID_ATS), ==, 0);
    assert_chain(d,
                 (ExtCap[]){{0x100, PCI_EXT_CAP_ID_ERR},
                            {0x200, PCI_EXT_CAP_ID_ACS}},
                 2);
}

/* The PCI Express capability */

static void test_pcie_cap(Fixture *f, gconstpointer data)
{
    PCIDevice *d = f->dev;
    uint8_t pos;
    uint16_t devctl2_wmask;

    g_assert_true(pcie_cap_init(d, 0, PCI_EXP_TYPE_ROOT_PORT, 7,
                                &error_abort));
    pos = d->exp_cap;
    g_assert_cmpint(pos, ==, pci_find_capability(d, PCI_CAP_ID_EXP));
    g_assert_cmpint(pcie_cap_get_version(d), ==, 2);
    g_assert_cmpint(pcie_cap_get_type(d), ==, PCI_EXP_TYPE_ROOT_PORT);
    g_assert_cmphex(cfg_read(f, pos + PCI_EXP_LNKCAP, 4) >> 24, ==, 7);

    /* AtomicOps: completer bits start clear, set and clear on demand. */
    g_assert_cmphex(cfg_read(f, pos + PCI_EXP_DEVCAP2, 4) &
                        PCI_EXP_DEVCAP2_ATOMIC_COMP_ALL,
                    ==, 0);
    g_assert_true(pcie_cap_set_atomic_completer(
        d, PCI_EXP_DEVCAP2_ATOMIC_COMP32 | PCI_EXP_DEVCAP2_ATOMIC_COMP64 |
               PCI_EXP_DEVCAP2_ARI));
    g_assert_cmphex(cfg_read(f, pos + PCI_EXP_DEVCAP2, 4) &
                        (PCI_EXP_DEVCAP2_ATOMIC_COMP_ALL | PCI_EXP_DEVCAP2_ARI),
                    ==,
                    PCI_EXP_DEVCAP2_ATOMIC_COMP32 |
                        PCI_EXP_DEVCAP2_ATOMIC_COMP64);
    /* DEVCAP2 is read-only to software. */
    cfg_write(f, pos + PCI_EXP_DEVCAP2, 0, 4);
    g_assert_cmphex(cfg_read(f, pos + PCI_EXP_DEVCAP2, 4) &
                        PCI_EXP_DEVCAP2_ATOMIC_COMP_ALL,
                    ==,
                    PCI_EXP_DEVCAP2_ATOMIC_COMP32 |
                        PCI_EXP_DEVCAP2_ATOMIC_COMP64);
    g_assert_true(pcie_cap_clear_atomic_completer(d));
    g_assert_cmphex(cfg_read(f, pos + PCI_EXP_DEVCAP2, 4) &
                        PCI_EXP_DEVCAP2_ATOMIC_COMP_ALL,
                    ==, 0);

    /* Requester Enable writable on a root port; Egress Blocking only
     * with routing support. */
    devctl2_wmask = pci_get_word(d->wmask + pos + PCI_EXP_DEVCTL2);
    g_assert_true(devctl2_wmask & PCI_EXP_DEVCTL2_ATOMIC_REQ);
    g_assert_false(devctl2_wmask & PCI_EXP_DEVCTL2_ATOMIC_EGRESS_BLOCK);
    cfg_write(f, pos + PCI_EXP_DEVCTL2, 0xffff, 2);
    g_assert_cmphex(cfg_read(f, pos + PCI_EXP_DEVCTL2, 2) &
                        (PCI_EXP_DEVCTL2_ATOMIC_REQ |
                         PCI_EXP_DEVCTL2_ATOMIC_EGRESS_BLOCK),
                    ==, PCI_EXP_DEVCTL2_ATOMIC_REQ);
    g_assert_true(pcie_cap_set_atomic_routing(d, true));
    g_assert_true(cfg_read(f, pos + PCI_EXP_DEVCAP2, 4) &
                  PCI_EXP_DEVCAP2_ATOMIC_ROUTE);
    cfg_write(f, pos + PCI_EXP_DEVCTL2, 0xffff, 2);
    g_assert_true(cfg_read(f, pos + PCI_EXP_DEVCTL2, 2) &
                  PCI_EXP_DEVCTL2_ATOMIC_EGRESS_BLOCK);
    g_assert_true(pcie_cap_set_atomic_routing(d, false));
    g_assert_false(cfg_read(f, pos + PCI_EXP_DEVCTL2, 2) &
                   PCI_EXP_DEVCTL2_ATOMIC_EGRESS_BLOCK);

    /* Status bits are W1C. */
    pci_word_test_and_set_mask(d->config + pos + PCI_EXP_DEVSTA,
                               PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_URD);
    cfg_write(f, pos + PCI_EXP_DEVSTA, PCI_EXP_DEVSTA_CED, 2);
    g_assert_cmphex(cfg_read(f, pos + PCI_EXP_DEVSTA, 2), ==,
                    PCI_EXP_DEVSTA_URD);

    pcie_cap_exit(d);
    g_assert_cmpint(pci_find_capability(d, PCI_CAP_ID_EXP), ==, 0);

    /* Version 1 has no DEVCAP2: the AtomicOps helpers refuse. */
    g_assert_true(pcie_cap_v1_init(d, 0, PCI_EXP_TYPE_ENDPOINT, 0,
                                   &error_abort));
    g_assert_cmpint(pcie_cap_get_version(d), ==, 1);
    g_assert_false(pcie_cap_set_atomic_completer(
        d, PCI_EXP_DEVCAP2_ATOMIC_COMP32));
}

/* MSI and MSI-X */

static uint32_t ram_read(Fixture *f, uint64_t off)
{
    return address_space_ldl_le(&address_space_memory, RAM_BASE + off,
                                MEMTXATTRS_UNSPECIFIED, NULL);
}

static void test_msi(Fixture *f, gconstpointer data)
{
    PCIDevice *d = f->dev;
    uint8_t pos;

    g_assert_true(msi_init(d, 0, 4, true, true, &error_abort));
    pos = d->msi_cap;
    cfg_write(f, PCI_COMMAND, PCI_COMMAND_MASTER, 2);
    cfg_write(f, pos + PCI_MSI_ADDRESS_LO, (uint32_t)RAM_BASE + 0x200, 4);
    cfg_write(f, pos + PCI_MSI_ADDRESS_HI, 0, 4);
    cfg_write(f, pos + PCI_MSI_DATA_64, 0x40, 2);
    /* Not enabled: nothing is sent. */
    msi_notify(d, 1);
    g_assert_cmphex(ram_read(f, 0x200), ==, 0);
    /* Enable 4 vectors (QSIZE 2). */
    cfg_write(f, pos + PCI_MSI_FLAGS, PCI_MSI_FLAGS_ENABLE | (2 << 4), 2);
    g_assert_cmpint(msi_nr_vectors_allocated(d), ==, 4);
    msi_notify(d, 1);
    g_assert_cmphex(ram_read(f, 0x200), ==, 0x41);
    /* Masked: pending, then delivered on unmask. */
    cfg_write(f, pos + PCI_MSI_MASK_64, 1u << 3, 4);
    msi_notify(d, 3);
    g_assert_cmphex(ram_read(f, 0x200), ==, 0x41);
    g_assert_cmphex(cfg_read(f, pos + PCI_MSI_PENDING_64, 4), ==, 1u << 3);
    cfg_write(f, pos + PCI_MSI_MASK_64, 0, 4);
    g_assert_cmphex(ram_read(f, 0x200), ==, 0x43);
    g_assert_cmphex(cfg_read(f, pos + PCI_MSI_PENDING_64, 4), ==, 0);
    msi_uninit(d);
    g_assert_cmpint(pci_find_capability(d, PCI_CAP_ID_MSI), ==, 0);
}

static void test_msix(Fixture *f, gconstpointer data)
{
    PCIDevice *d = f->dev;
    TestPCIDev *t = TEST_PCI(d);
    uint64_t table, pba;
    uint8_t pos;

    g_assert_true(msix_init_exclusive_bar(d, 2, 1, &error_abort));
    t->with_msix = true;
    pos = d->msix_cap;
    g_assert_cmphex(cfg_read(f, pos + PCI_MSIX_FLAGS, 2), ==, 1);
    g_assert_cmphex(cfg_read(f, pos + PCI_MSIX_TABLE, 4), ==, 1);
    g_assert_cmphex(cfg_read(f, pos + PCI_MSIX_PBA, 4), ==, 0x800 | 1);
    cfg_write(f, PCI_BASE_ADDRESS_0 + 4, 0x20000000, 4);
    cfg_write(f, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
    table = 0x20000000;
    pba = table + 0x800;

    /* Entries start masked. */
    g_assert_cmphex(address_space_ldl_le(&f->as_mem, table + 12,
                                         MEMTXATTRS_UNSPECIFIED, NULL),
                    ==, PCI_MSIX_ENTRY_CTRL_MASKBIT);
    address_space_stl_le(&f->as_mem, table + 16, (uint32_t)RAM_BASE + 0x300,
                         MEMTXATTRS_UNSPECIFIED, NULL);
    address_space_stl_le(&f->as_mem, table + 20, 0, MEMTXATTRS_UNSPECIFIED,
                         NULL);
    address_space_stl_le(&f->as_mem, table + 24, 0xbeef,
                         MEMTXATTRS_UNSPECIFIED, NULL);
    cfg_write(f, pos + PCI_MSIX_FLAGS + 1, PCI_MSIX_FLAGS_ENABLE >> 8, 1);
    g_assert_true(msix_enabled(d));
    msix_notify(d, 1);
    g_assert_cmphex(ram_read(f, 0x300), ==, 0);
    g_assert_cmphex(address_space_ldl_le(&f->as_mem, pba,
                                         MEMTXATTRS_UNSPECIFIED, NULL),
                    ==, 2);
    /* Unmasking the entry delivers the pending message. */
    address_space_stl_le(&f->as_mem, table + 28, 0, MEMTXATTRS_UNSPECIFIED,
                         NULL);
    g_assert_cmphex(ram_read(f, 0x300), ==, 0xbeef);
    g_assert_cmphex(address_space_ldl_le(&f->as_mem, pba,
                                         MEMTXATTRS_UNSPECIFIED, NULL),
                    ==, 0);
    /* Function Mask holds it back too. */
    cfg_write(f, pos + PCI_MSIX_FLAGS + 1,
              (PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL) >> 8, 1);
    address_space_stl_le(&address_space_memory, RAM_BASE + 0x300, 0,
                         MEMTXATTRS_UNSPECIFIED, NULL);
    msix_notify(d, 1);
    g_assert_cmphex(ram_read(f, 0x300), ==, 0);
    cfg_write(f, pos + PCI_MSIX_FLAGS + 1, PCI_MSIX_FLAGS_ENABLE >> 8, 1);
    g_assert_cmphex(ram_read(f, 0x300), ==, 0xbeef);
}

#define ADD(path, fn)                                                          \
    g_test_add("/pci/" path, Fixture, NULL, fixture_setup, fn,                 \
               fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    type_register_static(&test_dev_info);
    ADD("config/header", test_header);
    ADD("config/masks", test_masks);
    ADD("bar/sizing", test_bar_sizing);
    ADD("bar/placement", test_bar_placement);
    ADD("bus-master", test_bus_master);
    ADD("cap/standard", test_std_caps);
    ADD("extcap/insert", test_ext_cap_insert);
    ADD("extcap/header-rules", test_ext_cap_header_rules);
    ADD("extcap/remove", test_ext_cap_remove);
    ADD("extcap/loop", test_ext_cap_loop);
    ADD("pcie-cap", test_pcie_cap);
    ADD("msi", test_msi);
    ADD("msix", test_msix);
    return g_test_run();
}
