/*
 * The VFIO device core on the host model: finding the device, the
 * bind/attach flow (nesting parent, dirty tracking, plain), guest RAM
 * mapping and IOAS sharing, device info, regions, reset, and the
 * HostIOMMUDevice answers for SMMUv3 and VT-d hosts. Every test ends
 * with no model objects and no fds left.
 */
#include "qemu/osdep.h"
#include "backends/host-model.h"
#include "hw/core/iommu.h"
#include "hw/vfio/vfio-device.h"
#include "qom/object_interfaces.h"
#include <sys/mman.h>

/* Guest memory of the tests: RAM, a ROM, MMIO and a high RAM alias. */
#define RAM_BASE 0x40000000ULL
#define RAM_SIZE (1 * MiB)
#define ROM_BASE 0x1000000ULL
#define ROM_SIZE (64 * KiB)
#define MMIO_BASE 0x9000000ULL
#define HIGH_BASE 0x100000000ULL
#define HIGH_OFF (512 * KiB)

#define PCI_EXT_CAP_ID_PASID 0x1b
#define PASID_CTRL 0x06

typedef struct Guest {
    MemoryRegion root, ram, rom, mmio, high;
    AddressSpace as;
} Guest;

static uint64_t mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void mmio_write(void *opaque, hwaddr addr, uint64_t v, unsigned size)
{
}

static const MemoryRegionOps mmio_ops = {
    .read = mmio_read,
    .write = mmio_write,
};

static void guest_init(Guest *g, const char *name)
{
    memory_region_init(&g->root, NULL, name, UINT64_MAX);
    g_assert_true(
        memory_region_init_ram(&g->ram, NULL, "ram", RAM_SIZE, &error_abort));
    g_assert_true(
        memory_region_init_ram(&g->rom, NULL, "rom", ROM_SIZE, &error_abort));
    memory_region_set_readonly(&g->rom, true);
    memory_region_init_io(&g->mmio, NULL, &mmio_ops, NULL, "mmio", 4096);
    memory_region_init_alias(&g->high, NULL, "high", &g->ram, HIGH_OFF,
                             RAM_SIZE - HIGH_OFF);
    memory_region_add_subregion(&g->root, RAM_BASE, &g->ram);
    memory_region_add_subregion(&g->root, ROM_BASE, &g->rom);
    memory_region_add_subregion(&g->root, MMIO_BASE, &g->mmio);
    memory_region_add_subregion(&g->root, HIGH_BASE, &g->high);
    address_space_init(&g->as, &g->root, name);
}

static void guest_destroy(Guest *g)
{
    address_space_destroy(&g->as);
    memory_region_destroy(&g->high);
    memory_region_destroy(&g->mmio);
    memory_region_destroy(&g->rom);
    memory_region_destroy(&g->ram);
    memory_region_destroy(&g->root);
}

static unsigned count_fds(void)
{
    g_autoptr(GDir) dir = g_dir_open("/proc/self/fd", 0, NULL);
    unsigned n = 0;

    while (g_dir_read_name(dir)) {
        n++;
    }
    return n;
}

/* Per test: a host, a guest, an iommufd object; checked at the end. */
typedef struct Fixture {
    Guest guest;
    IOMMUFDBackend *be;
    unsigned fds;
} Fixture;

static void fixture_start(Fixture *f, const char *host)
{
    g_autoptr(JsonObject) props = json_object_new();

    g_assert_true(host_ops_select(host, &error_abort));
    f->fds = count_fds();
    guest_init(&f->guest, "wpj-guest");
    f->be = IOMMUFD_BACKEND(user_creatable_add_type(
        TYPE_IOMMUFD_BACKEND, "iommufd0", props, false, &error_abort));
}

static void fixture_end(Fixture *f)
{
    g_assert_cmpuint(f->be->users, ==, 0);
    g_assert_true(user_creatable_del("iommufd0", &error_abort));
    guest_destroy(&f->guest);
    g_assert_cmpuint(host_model_live_objects(), ==, 0);
    g_assert_cmpuint(count_fds(), ==, f->fds);
}

static const HostModelDevice *desc_device(const char *address)
{
    const HostModelDesc *d = host_model_get_desc();

    for (unsigned i = 0; i < d->devices->len; i++) {
        const HostModelDevice *dev = g_ptr_array_index(d->devices, i);
        if (!strcmp(dev->address, address)) {
            return dev;
        }
    }
    g_assert_not_reached();
}

/* A device by host address, attached with the given vIOMMU flags. */
static void attach_host(Fixture *f, VFIODevice *vdev, const char *host,
                        uint64_t viommu_flags)
{
    vfio_device_init(vdev);
    vdev->host = (char *)host;
    g_assert_true(vfio_device_get_name(vdev, &error_abort));
    g_assert_true(vfio_device_attach(vdev, f->be, &f->guest.as, viommu_flags,
                                     &error_abort));
}

static void detach(VFIODevice *vdev)
{
    vfio_device_detach(vdev);
    vfio_device_finalize(vdev);
}

static void expect_error(Error *err, const char *text)
{
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, text);
    error_free(err);
}

/* Identification */

static void check_name(const char *host, const char *sysfsdev, const char *name,
                       const char *cdev)
{
    VFIODevice vdev;

    vfio_device_init(&vdev);
    vdev.host = (char *)host;
    vdev.sysfsdev = (char *)sysfsdev;
    g_assert_true(vfio_device_get_name(&vdev, &error_abort));
    g_assert_cmpstr(vdev.name, ==, name);
    g_assert_cmpstr(vdev.cdev_path, ==, cdev);
    vfio_device_finalize(&vdev);
}

static void check_name_error(const char *host, const char *sysfsdev,
                             const char *text)
{
    VFIODevice vdev;
    Error *err = NULL;

    vfio_device_init(&vdev);
    vdev.host = (char *)host;
    vdev.sysfsdev = (char *)sysfsdev;
    g_assert_false(vfio_device_get_name(&vdev, &err));
    expect_error(err, text);
    vfio_device_finalize(&vdev);
}

static void test_identify(void)
{
    g_autoptr(HostModelDesc) desc = NULL;
    HostModelDevice *nic;

    g_assert_true(host_ops_select("grace-hopper", &error_abort));
    check_name("0009:01:00.0", NULL, "0009:01:00.0", "/dev/vfio/devices/vfio0");
    check_name("01:00.0", NULL, "0000:01:00.0", "/dev/vfio/devices/vfio1");
    check_name(NULL, "/sys/bus/pci/devices/0000:01:00.0", "0000:01:00.0",
               "/dev/vfio/devices/vfio1");
    /* sysfsdev wins over host */
    check_name("0009:01:00.0", "/sys/bus/pci/devices/0000:01:00.0",
               "0000:01:00.0", "/dev/vfio/devices/vfio1");

    check_name_error(NULL, NULL,
                     "No host device given: use "
                     "host=DDDD:BB:DD.F, sysfsdev=PATH or fd=N");
    check_name_error("0000:05:00.0", NULL,
                     "Host PCI device 0000:05:00.0 not found");
    check_name_error("gpu", NULL,
                     "Invalid PCI address 'gpu' (expected DDDD:BB:DD.F)");
    check_name_error(NULL, "/sys/bus/pci/devices/0000:05:00.0",
                     "sysfsdev=/sys/bus/pci/devices/0000:05:00.0: no such "
                     "host device");

    /* the NIC left to its native driver: no VFIO cdev */
    desc = host_model_desc_load("grace-hopper", &error_abort);
    for (unsigned i = 0; i < desc->devices->len; i++) {
        nic = g_ptr_array_index(desc->devices, i);
        if (!strcmp(nic->address, "0000:01:00.0")) {
            g_clear_pointer(&nic->cdev, g_free);
        }
    }
    host_model_set_desc(g_steal_pointer(&desc));
    host_ops_set(&host_ops_model);
    check_name_error("0000:01:00.0", NULL,
                     "0000:01:00.0 is not bound to vfio-pci or the kernel "
                     "lacks VFIO_DEVICE_CDEV");
    check_name_error(NULL, "/sys/bus/pci/devices/0000:01:00.0",
                     "0000:01:00.0 is not bound to vfio-pci or the kernel "
                     "lacks VFIO_DEVICE_CDEV");
    g_assert_cmpuint(host_model_live_objects(), ==, 0);
}

/* fd=: a cdev fd passed in (the model's memfd convention). */
static void test_identify_fd(void)
{
    g_autofree char *num = NULL;
    VFIODevice vdev;
    Fixture f;
    Error *err = NULL;
    int fd;

    fixture_start(&f, "grace-hopper");
    fd = memfd_create("host-model:/dev/vfio/devices/vfio0", MFD_CLOEXEC);
    num = g_strdup_printf("%d", fd);

    vfio_device_init(&vdev);
    g_assert_false(vfio_device_set_fd(&vdev, "nosuch", &err));
    expect_error(err, "File descriptor named 'nosuch' has not been found");
    g_assert_true(vfio_device_set_fd(&vdev, num, &error_abort));
    vdev.owner_id = "gpu0";
    g_assert_true(vfio_device_get_name(&vdev, &error_abort));
    g_assert_cmpstr(vdev.name, ==, "gpu0");
    g_assert_null(vdev.cdev_path);
    g_assert_true(
        vfio_device_attach(&vdev, f.be, &f.guest.as, 0, &error_abort));
    g_assert_cmpint(vdev.fd, ==, fd);
    g_assert_cmpuint(vdev.info->num_regions, ==, VFIO_PCI_NUM_REGIONS);
    /* the device owns the passed fd: closed on detach */
    detach(&vdev);
    g_assert_cmpint(fcntl(fd, F_GETFD), <, 0);

    /* with host= too, the name comes from host= and no cdev is looked up */
    fd = memfd_create("host-model:/dev/vfio/devices/vfio1", MFD_CLOEXEC);
    g_free(num);
    num = g_strdup_printf("%d", fd);
    vfio_device_init(&vdev);
    vdev.host = (char *)"0000:01:00.0";
    g_assert_true(vfio_device_set_fd(&vdev, num, &error_abort));
    g_assert_true(vfio_device_get_name(&vdev, &error_abort));
    g_assert_cmpstr(vdev.name, ==, "0000:01:00.0");
    g_assert_null(vdev.cdev_path);
    /* never attached: finalize closes it */
    vfio_device_finalize(&vdev);
    g_assert_cmpint(fcntl(fd, F_GETFD), <, 0);
    fixture_end(&f);
}

static void test_no_iommufd(void)
{
    VFIODevice vdev;
    Fixture f;
    Error *err = NULL;

    fixture_start(&f, "grace-hopper");
    vfio_device_init(&vdev);
    vdev.host = (char *)"0009:01:00.0";
    g_assert_true(vfio_device_get_name(&vdev, &error_abort));
    g_assert_false(vfio_device_attach(&vdev, NULL, &f.guest.as, 0, &err));
    expect_error(err, "vfio-pci: iommufd is required: the legacy VFIO "
                      "container/group backend is not supported; use "
                      "-object iommufd,id=ID and iommufd=ID");
    vfio_device_finalize(&vdev);
    fixture_end(&f);
}

/* Attach flows */

/* Whether [iova, iova + size) is mapped in the IOAS: MAP there clashes. */
static bool is_mapped(IOMMUFDBackend *be, uint32_t ioas, uint64_t iova,
                      uint64_t size)
{
    g_autofree uint8_t *buf = g_malloc0(size);
    Error *err = NULL;

    if (iommufd_backend_map_dma(be, ioas, iova, size, buf, false, &err)) {
        g_assert_true(
            iommufd_backend_unmap_dma(be, ioas, iova, size, &error_abort));
        return false;
    }
    expect_error(err, "IOMMU_IOAS_MAP failed: File exists");
    return true;
}

static void test_attach_nesting(void)
{
    VFIODevice vdev;
    HostIOMMUDevice *hiod;
    Fixture f;
    uint32_t viommu;

    fixture_start(&f, "grace-hopper");
    attach_host(&f, &vdev, "0009:01:00.0", VIOMMU_FLAG_WANT_NESTING_PARENT);
    g_assert_true(vdev.attached);
    g_assert_nonnull(vdev.hwpt);
    hiod = vfio_device_hiod(&vdev);
    g_assert_true(
        object_dynamic_cast(OBJECT(hiod), TYPE_HOST_IOMMU_DEVICE_IOMMUFD));
    g_assert_true(hiod->iommufd == f.be);
    g_assert_cmpuint(hiod->devid, ==, vdev.devid);
    g_assert_cmpuint(hiod->hwpt_id, ==, vdev.pt_id);
    g_assert_cmpuint(hiod->default_pt_id, ==, vdev.pt_id);
    g_assert_cmpuint(hiod->ioas_id, !=, vdev.pt_id);

    /* the stage 2 is a nesting parent: a vIOMMU can sit on it */
    g_assert_true(iommufd_backend_alloc_viommu(
        f.be, vdev.devid, IOMMU_VIOMMU_TYPE_ARM_SMMUV3, hiod->default_pt_id,
        &viommu, &error_abort));
    iommufd_backend_free_id(f.be, viommu);

    /* guest RAM, the ROM and the alias are mapped at their GPAs */
    g_assert_true(is_mapped(f.be, hiod->ioas_id, RAM_BASE, RAM_SIZE));
    g_assert_true(is_mapped(f.be, hiod->ioas_id, ROM_BASE, ROM_SIZE));
    g_assert_true(
        is_mapped(f.be, hiod->ioas_id, HIGH_BASE, RAM_SIZE - HIGH_OFF));
    g_assert_false(is_mapped(f.be, hiod->ioas_id, MMIO_BASE, 4096));

    detach(&vdev);
    g_assert_null(vdev.hiod);
    fixture_end(&f);
}

static void test_attach_plain(void)
{
    VFIODevice a, b;
    Fixture f;
    Error *err = NULL;

    fixture_start(&f, "vtd-skylake-nonest");
    /* no nesting, no dirty tracking: straight to the IOAS */
    attach_host(&f, &a, "0000:3b:00.0", 0);
    g_assert_null(a.hwpt);
    g_assert_cmpuint(a.hiod->default_pt_id, ==, a.hiod->ioas_id);
    g_assert_cmpuint(a.pt_id, !=, a.hiod->ioas_id);
    /* the second device shares the IOAS (and the kernel's domain) */
    attach_host(&f, &b, "0000:00:03.0", 0);
    g_assert_true(a.ioas == b.ioas);
    g_assert_cmpuint(b.pt_id, ==, a.pt_id);
    g_assert_true(is_mapped(f.be, a.hiod->ioas_id, RAM_BASE, RAM_SIZE));
    detach(&a);
    g_assert_true(is_mapped(f.be, b.hiod->ioas_id, RAM_BASE, RAM_SIZE));
    detach(&b);

    /* this host cannot nest */
    vfio_device_init(&a);
    a.host = (char *)"0000:3b:00.0";
    g_assert_true(vfio_device_get_name(&a, &error_abort));
    g_assert_false(vfio_device_attach(&a, f.be, &f.guest.as,
                                      VIOMMU_FLAG_WANT_NESTING_PARENT, &err));
    expect_error(err, "IOMMU_HWPT_ALLOC failed: Operation not supported");
    g_assert_cmpint(a.fd, ==, -1);
    g_assert_null(a.iommufd);
    vfio_device_finalize(&a);
    fixture_end(&f);
}

static int set_dirty_tracking(IOMMUFDBackend *be, uint32_t hwpt)
{
    struct iommu_hwpt_set_dirty_tracking cmd = {
        .size = sizeof(cmd),
        .flags = IOMMU_HWPT_DIRTY_TRACKING_ENABLE,
        .hwpt_id = hwpt,
    };

    return host_ops()->ioctl(be->fd, IOMMU_HWPT_SET_DIRTY_TRACKING, &cmd);
}

/*
 * Sapphire Rapids: dirty tracking where the host has it; with nesting
 * only when the vIOMMU asks; erratum 772415 keeps read-only RAM out of
 * a nesting parent's IOAS, which is then not shared with plain devices.
 */
static void test_attach_vtd_errata(void)
{
    VFIODevice dsa, gpu;
    Fixture f;

    fixture_start(&f, "vtd-sapphire-rapids");
    attach_host(&f, &gpu, "0000:17:00.0", 0);
    g_assert_nonnull(gpu.hwpt);
    g_assert_cmpint(set_dirty_tracking(f.be, gpu.pt_id), ==, 0);
    g_assert_true(is_mapped(f.be, gpu.hiod->ioas_id, ROM_BASE, ROM_SIZE));

    attach_host(&f, &dsa, "0000:6a:01.0", VIOMMU_FLAG_WANT_NESTING_PARENT);
    g_assert_true(dsa.ioas != gpu.ioas);
    g_assert_cmpuint(host_iommu_device_get_quirks(dsa.hiod), ==,
                     HOST_IOMMU_QUIRK_NESTING_PARENT_BYPASS_RO);
    g_assert_cmpint(set_dirty_tracking(f.be, dsa.pt_id), <, 0);
    g_assert_true(is_mapped(f.be, dsa.hiod->ioas_id, RAM_BASE, RAM_SIZE));
    /* not mapped; and mapping it read-only is what the erratum forbids */
    {
        g_autofree uint8_t *buf = g_malloc0(ROM_SIZE);
        Error *err = NULL;

        g_assert_false(iommufd_backend_map_dma(
            f.be, dsa.hiod->ioas_id, ROM_BASE, ROM_SIZE, buf, true, &err));
        expect_error(err, "IOMMU_IOAS_MAP failed: Invalid argument");
        g_assert_false(is_mapped(f.be, dsa.hiod->ioas_id, ROM_BASE, ROM_SIZE));
    }
    detach(&dsa);

    attach_host(&f, &dsa, "0000:6a:01.0",
                VIOMMU_FLAG_WANT_NESTING_PARENT |
                    VIOMMU_FLAG_WANT_NESTING_DIRTY_TRACKING);
    g_assert_cmpint(set_dirty_tracking(f.be, dsa.pt_id), ==, 0);
    detach(&dsa);
    detach(&gpu);
    fixture_end(&f);
}

/* Two SMMU instances: one IOAS, a stage-2 HWPT for each. */
static void test_shared_ioas(void)
{
    VFIODevice gpu, nic, other;
    Guest g2;
    Fixture f;

    fixture_start(&f, "grace-hopper");
    guest_init(&g2, "wpj-other");
    attach_host(&f, &gpu, "0009:01:00.0", VIOMMU_FLAG_WANT_NESTING_PARENT);
    attach_host(&f, &nic, "0000:01:00.0", VIOMMU_FLAG_WANT_NESTING_PARENT);
    g_assert_true(gpu.ioas == nic.ioas);
    g_assert_true(gpu.hwpt != nic.hwpt);
    g_assert_cmpuint(gpu.pt_id, !=, nic.pt_id);
    detach(&nic);

    /* another address space: another IOAS */
    vfio_device_init(&other);
    other.host = (char *)"0000:01:00.0";
    g_assert_true(vfio_device_get_name(&other, &error_abort));
    g_assert_true(vfio_device_attach(&other, f.be, &g2.as, 0, &error_abort));
    g_assert_true(other.ioas != gpu.ioas);
    detach(&other);
    detach(&gpu);
    guest_destroy(&g2);
    fixture_end(&f);
}

static IOMMUTLBEntry iommu_translate(IOMMUMemoryRegion *iommu, hwaddr addr,
                                     IOMMUAccessFlags flag, MemTxAttrs attrs)
{
    g_assert_not_reached();
}

static const IOMMUMemoryRegionOps iommu_ops = {
    .translate = iommu_translate,
};

/* An address space behind an emulated IOMMU cannot be mapped. */
static void test_iommu_as(void)
{
    IOMMUMemoryRegion iommu;
    MemoryRegion root;
    AddressSpace as;
    VFIODevice vdev;
    Fixture f;
    Error *err = NULL;

    fixture_start(&f, "grace-hopper");
    memory_region_init(&root, NULL, "dma-root", UINT64_MAX);
    memory_region_init_iommu(&iommu, NULL, &iommu_ops, NULL, "viommu",
                             UINT64_MAX);
    memory_region_add_subregion(&root, 0, &iommu.parent_obj);
    address_space_init(&as, &root, "dma");

    vfio_device_init(&vdev);
    vdev.host = (char *)"0009:01:00.0";
    g_assert_true(vfio_device_get_name(&vdev, &error_abort));
    g_assert_false(vfio_device_attach(&vdev, f.be, &as, 0, &err));
    expect_error(err, "Cannot map address space 'dma' for VFIO: it is "
                      "translated by the IOMMU region 'viommu'");
    vfio_device_finalize(&vdev);

    address_space_destroy(&as);
    memory_region_destroy(&iommu.parent_obj);
    memory_region_destroy(&root);
    fixture_end(&f);
}

/* Device info, regions, IRQs, reset */

static void test_device_info(void)
{
    const HostModelDevice *d;
    VFIODevice gpu, dsa;
    struct vfio_irq_info irq;
    Fixture f;
    uint32_t flags;

    fixture_start(&f, "vtd-sapphire-rapids");
    attach_host(&f, &gpu, "0000:17:00.0", 0);
    d = desc_device("0000:17:00.0");
    g_assert_cmphex(gpu.info->flags & ~VFIO_DEVICE_FLAGS_CAPS, ==,
                    VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET);
    g_assert_cmpuint(gpu.info->num_regions, ==, VFIO_PCI_NUM_REGIONS);
    g_assert_cmpuint(gpu.info->num_irqs, ==, VFIO_PCI_NUM_IRQS);
    /* AtomicOps completion enabled for 32, 64 and 128 bits */
    g_assert_true(vfio_device_get_atomic_comp(&gpu, &flags));
    g_assert_cmphex(flags, ==, d->atomic_comp);
    g_assert_cmphex(flags, ==,
                    VFIO_PCI_ATOMIC_COMP32 | VFIO_PCI_ATOMIC_COMP64 |
                        VFIO_PCI_ATOMIC_COMP128);
    g_assert_null(vfio_device_find_info_cap(&gpu, 1, 8));

    for (uint32_t i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
        g_assert_true(vfio_device_get_irq_info(&gpu, i, &irq, &error_abort));
        g_assert_cmpuint(irq.count, ==, d->irqs[i].count);
        g_assert_cmphex(irq.flags, ==, d->irqs[i].flags);
    }

    /* no capability: no flags */
    attach_host(&f, &dsa, "0000:6a:01.0", 0);
    g_assert_false(vfio_device_get_atomic_comp(&dsa, &flags));
    detach(&dsa);
    detach(&gpu);
    fixture_end(&f);
}

/* A capability chain that loops or runs off the buffer ends the search. */
static void test_cap_chain(void)
{
    uint32_t buf[16] = {0};
    struct vfio_info_cap_header *h1 = (void *)&buf[6];
    struct vfio_info_cap_header *h2 = (void *)&buf[10];

    *h1 = (struct vfio_info_cap_header){.id = 3, .version = 1, .next = 40};
    *h2 = (struct vfio_info_cap_header){.id = 5, .version = 1, .next = 0};
    g_assert_true(vfio_info_find_cap(buf, sizeof(buf), 24, 5, 16) ==
                  (const void *)h2);
    g_assert_true(vfio_info_find_cap(buf, sizeof(buf), 24, 3, 8) ==
                  (const void *)h1);
    g_assert_null(vfio_info_find_cap(buf, sizeof(buf), 24, 7, 8));
    /* larger than what is left of the buffer */
    g_assert_null(vfio_info_find_cap(buf, sizeof(buf), 24, 5, 64));
    /* a loop back */
    h2->next = 24;
    g_assert_null(vfio_info_find_cap(buf, sizeof(buf), 24, 7, 8));
    /* misaligned or out of bounds */
    g_assert_null(vfio_info_find_cap(buf, sizeof(buf), 26, 5, 8));
    g_assert_null(vfio_info_find_cap(buf, sizeof(buf), 60, 5, 8));
}

static void test_regions(void)
{
    const struct vfio_region_info *ri;
    const HostModelDevice *d;
    g_autofree uint8_t *cfg = NULL;
    VFIODevice gpu;
    VFIORegion bar0;
    Fixture f;
    Error *err = NULL;
    uint64_t v;
    uint16_t cmd;
    uint8_t b;

    fixture_start(&f, "vtd-sapphire-rapids");
    attach_host(&f, &gpu, "0000:17:00.0", 0);
    d = desc_device("0000:17:00.0");

    /* config space reads back the description's bytes, except that the
     * kernel unlinks the hidden PASID capability (0x2d0) from PRI (0x2c0) */
    ri = vfio_device_get_region_info(&gpu, VFIO_PCI_CONFIG_REGION_INDEX,
                                     &error_abort);
    g_assert_cmpuint(ri->size, ==, d->config_size);
    g_assert_true(vfio_device_get_region_info(
                      &gpu, VFIO_PCI_CONFIG_REGION_INDEX, &error_abort) == ri);
    cfg = g_malloc(d->config_size);
    g_assert_cmpint(vfio_region_read(&gpu, VFIO_PCI_CONFIG_REGION_INDEX, 0, cfg,
                                     d->config_size, &error_abort),
                    ==, d->config_size);
    g_assert_cmpmem(cfg, 0x2c2, d->config, 0x2c2);
    g_assert_cmphex(cfg[0x2c2] | cfg[0x2c3] << 8, ==, d->config[0x2c2] & 0xf);
    g_assert_cmpmem(cfg + 0x2c4, d->config_size - 0x2c4, d->config + 0x2c4,
                    d->config_size - 0x2c4);

    /* writes go to the host; reset restores the device */
    cmd = 0x0006;
    g_assert_cmpint(vfio_region_write(&gpu, VFIO_PCI_CONFIG_REGION_INDEX, 4,
                                      &cmd, 2, &error_abort),
                    ==, 2);
    cmd = 0;
    vfio_region_read(&gpu, VFIO_PCI_CONFIG_REGION_INDEX, 4, &cmd, 2,
                     &error_abort);
    g_assert_cmphex(cmd, ==, 0x0006 | (d->config[4] | d->config[5] << 8));
    g_assert_true(vfio_device_reset(&gpu, &error_abort));
    vfio_region_read(&gpu, VFIO_PCI_CONFIG_REGION_INDEX, 4, &cmd, 2,
                     &error_abort);
    g_assert_cmphex(cmd, ==, d->config[4] | d->config[5] << 8);

    /* bad accesses (a PCIe device: 4 KiB of config space) */
    g_assert_cmpuint(d->config_size, ==, 4096);
    g_assert_cmpint(vfio_region_read(&gpu, VFIO_PCI_CONFIG_REGION_INDEX,
                                     d->config_size - 2, &v, 4, &err),
                    ==, -1);
    expect_error(err, "0000:17:00.0: 4 bytes at 0xffe are outside region 7 "
                      "(size 0x1000)");
    err = NULL;
    g_assert_cmpint(
        vfio_region_write(&gpu, VFIO_PCI_ROM_REGION_INDEX, 0, &b, 1, &err), ==,
        -1);
    expect_error(err, "0000:17:00.0: region 6 is not writable");
    err = NULL;
    g_assert_null(vfio_device_get_region_info(&gpu, 20, &err));
    expect_error(err, "0000:17:00.0 has no region 20 (it has 9)");
    err = NULL;

    /* BAR0 as guest MMIO */
    g_assert_true(
        vfio_region_setup(NULL, &gpu, &bar0, 0, "bar0", &error_abort));
    g_assert_cmpuint(bar0.size, ==, d->regions[0].size);
    g_assert_cmpuint(memory_region_size(&bar0.mem), ==, d->regions[0].size);
    g_assert_cmpint(memory_region_dispatch_write(&bar0.mem, 0x100,
                                                 0x1122334455667788ULL, 8,
                                                 MEMTXATTRS_UNSPECIFIED),
                    ==, MEMTX_OK);
    g_assert_cmpint(memory_region_dispatch_read(&bar0.mem, 0x104, &v, 2,
                                                MEMTXATTRS_UNSPECIFIED),
                    ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x3344);
    g_assert_cmpint(vfio_region_read(&gpu, 0, 0x100, &v, 8, &error_abort), ==,
                    8);
    g_assert_cmphex(v, ==, 0x1122334455667788ULL);
    vfio_region_finalize(&bar0);
    /* a region the device does not implement is empty */
    g_assert_true(
        vfio_region_setup(NULL, &gpu, &bar0, 1, "bar1", &error_abort));
    g_assert_cmpuint(bar0.size, ==, 0);
    vfio_region_finalize(&bar0);

    detach(&gpu);
    fixture_end(&f);
}

static void test_no_reset(void)
{
    g_autoptr(HostModelDesc) desc = NULL;
    VFIODevice vdev;
    Fixture f;
    Error *err = NULL;

    desc = host_model_desc_load("arm-smmuv3-basic", &error_abort);
    ((HostModelDevice *)g_ptr_array_index(desc->devices, 0))->reset = false;
    fixture_start(&f, "grace-hopper");
    host_model_set_desc(g_steal_pointer(&desc));
    host_ops_set(&host_ops_model);
    attach_host(&f, &vdev, "0000:01:00.0", 0);
    g_assert_false(vdev.info->flags & VFIO_DEVICE_FLAGS_RESET);
    g_assert_false(vfio_device_reset(&vdev, &err));
    expect_error(err, "0000:01:00.0 does not support VFIO_DEVICE_RESET");
    detach(&vdev);
    fixture_end(&f);
}

/* HostIOMMUDevice */

static void check_cap_error(HostIOMMUDevice *hiod, int cap, const char *text)
{
    Error *err = NULL;

    g_assert_cmpint(host_iommu_device_get_cap(hiod, cap, &err), <, 0);
    expect_error(err, text);
}

/* Offset of an extended capability in a config space, 0 if absent. */
static unsigned find_ext_cap(const uint8_t *cfg, size_t size, uint16_t id)
{
    unsigned off = 0x100;

    for (unsigned n = 0; off && off + 4 <= size && n < 64; n++) {
        uint32_t hdr = cfg[off] | cfg[off + 1] << 8 | cfg[off + 2] << 16 |
                       (uint32_t)cfg[off + 3] << 24;
        if ((hdr & 0xffff) == id) {
            return off;
        }
        off = hdr >> 20;
    }
    return 0;
}

static void test_hiod_smmuv3(void)
{
    const HostModelDevice *d;
    unsigned pasid;
    const HostModelIommu *mmu;
    HostIOMMUDevice *hiod;
    VFIODevice gpu, nic;
    Fixture f;
    uint8_t width;
    bool exec, priv;

    fixture_start(&f, "grace-hopper");
    mmu = g_ptr_array_index(host_model_get_desc()->iommus, 0);
    attach_host(&f, &gpu, "0009:01:00.0", VIOMMU_FLAG_WANT_NESTING_PARENT);
    hiod = vfio_device_hiod(&gpu);
    g_assert_cmpstr(hiod->name, ==, "0009:01:00.0");
    g_assert_cmpint(host_iommu_device_get_cap(
                        hiod, HOST_IOMMU_DEVICE_CAP_IOMMU_TYPE, &error_abort),
                    ==, IOMMU_HW_INFO_TYPE_ARM_SMMUV3);
    /* OAS 48 bits: the highest usable IOVA is 2^48 - 1 */
    g_assert_cmpint(host_iommu_device_get_cap(
                        hiod, HOST_IOMMU_DEVICE_CAP_AW_BITS, &error_abort),
                    ==, 48);
    check_cap_error(hiod, 7, "0009:01:00.0: unsupported capability 7");
    g_assert_cmpuint(hiod->caps.vendor_len, ==,
                     sizeof(struct iommu_hw_info_arm_smmuv3));
    g_assert_cmpmem(hiod->caps.vendor.smmuv3.idr,
                    sizeof(hiod->caps.vendor.smmuv3.idr), mmu->idr,
                    sizeof(mmu->idr));
    g_assert_cmphex(hiod->caps.vendor.smmuv3.aidr, ==, mmu->aidr);
    g_assert_true(host_iommu_device_ats_supported(hiod));
    g_assert_true(host_iommu_device_get_pasid_info(hiod, &width, &exec, &priv));
    g_assert_cmpuint(width, ==, 20);
    /* as the device's PASID Control register says */
    d = desc_device("0009:01:00.0");
    pasid = find_ext_cap(d->config, d->config_size, PCI_EXT_CAP_ID_PASID);
    g_assert_cmpuint(exec, ==, !!(d->config[pasid + PASID_CTRL] & 0x2));
    g_assert_cmpuint(priv, ==, !!(d->config[pasid + PASID_CTRL] & 0x4));
    g_assert_cmpuint(host_iommu_device_get_quirks(hiod), ==, 0);

    /* the NIC: no PASID */
    attach_host(&f, &nic, "0000:01:00.0", VIOMMU_FLAG_WANT_NESTING_PARENT);
    g_assert_false(
        host_iommu_device_get_pasid_info(nic.hiod, &width, &exec, &priv));
    detach(&nic);
    detach(&gpu);
    fixture_end(&f);

    /* a basic SMMU: 44-bit OAS, no ATS */
    fixture_start(&f, "arm-smmuv3-basic");
    attach_host(&f, &nic, "0000:01:00.0", VIOMMU_FLAG_WANT_NESTING_PARENT);
    g_assert_cmpint(host_iommu_device_get_cap(
                        nic.hiod, HOST_IOMMU_DEVICE_CAP_AW_BITS, &error_abort),
                    ==, 44);
    g_assert_false(host_iommu_device_ats_supported(nic.hiod));
    g_assert_true(nic.hiod->caps.hw_caps & IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED);
    detach(&nic);
    fixture_end(&f);
}

/* PASID Execute/Privileged come from the PASID Control register. */
static void test_hiod_pasid_bits(void)
{
    g_autoptr(HostModelDesc) desc = NULL;
    HostModelDevice *gpu_desc = NULL;
    VFIODevice gpu;
    Fixture f;
    unsigned pasid;
    uint8_t width;
    bool exec, priv;

    desc = host_model_desc_load("grace-hopper", &error_abort);
    for (unsigned i = 0; i < desc->devices->len; i++) {
        HostModelDevice *d = g_ptr_array_index(desc->devices, i);
        if (!strcmp(d->address, "0009:01:00.0")) {
            gpu_desc = d;
        }
    }
    pasid = find_ext_cap(gpu_desc->config, gpu_desc->config_size,
                         PCI_EXT_CAP_ID_PASID);
    g_assert_cmpuint(pasid, !=, 0);
    gpu_desc->config[pasid + PASID_CTRL] |= 0x2;
    gpu_desc->config[pasid + PASID_CTRL] &= ~0x4;

    fixture_start(&f, "grace-hopper");
    host_model_set_desc(g_steal_pointer(&desc));
    host_ops_set(&host_ops_model);
    attach_host(&f, &gpu, "0009:01:00.0", 0);
    g_assert_true(
        host_iommu_device_get_pasid_info(gpu.hiod, &width, &exec, &priv));
    g_assert_cmpuint(width, ==, 20);
    g_assert_true(exec);
    g_assert_false(priv);
    detach(&gpu);
    fixture_end(&f);
}

static void test_hiod_vtd(void)
{
    const HostModelIommu *mmu;
    VFIODevice dsa, nic;
    Fixture f;
    uint8_t width;
    bool exec, priv;

    fixture_start(&f, "vtd-sapphire-rapids");
    mmu = g_ptr_array_index(host_model_get_desc()->iommus, 0);
    attach_host(&f, &dsa, "0000:6a:01.0", VIOMMU_FLAG_WANT_NESTING_PARENT);
    g_assert_cmpint(host_iommu_device_get_cap(dsa.hiod,
                                              HOST_IOMMU_DEVICE_CAP_IOMMU_TYPE,
                                              &error_abort),
                    ==, IOMMU_HW_INFO_TYPE_INTEL_VTD);
    /* CAP.MGAW says 57 bits */
    g_assert_cmpint(host_iommu_device_get_cap(
                        dsa.hiod, HOST_IOMMU_DEVICE_CAP_AW_BITS, &error_abort),
                    ==, 57);
    g_assert_cmpuint(dsa.hiod->caps.vendor_len, ==,
                     sizeof(struct iommu_hw_info_vtd));
    g_assert_cmphex(dsa.hiod->caps.vendor.vtd.cap_reg, ==, mmu->cap);
    g_assert_cmphex(dsa.hiod->caps.vendor.vtd.ecap_reg, ==, mmu->ecap);
    g_assert_cmphex(dsa.hiod->caps.vendor.vtd.flags, ==,
                    IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17);
    g_assert_cmpuint(host_iommu_device_get_quirks(dsa.hiod), ==,
                     HOST_IOMMU_QUIRK_NESTING_PARENT_BYPASS_RO);
    g_assert_true(host_iommu_device_ats_supported(dsa.hiod));
    /* max_pasid_log2 is 0 on this host: no PASID */
    g_assert_false(
        host_iommu_device_get_pasid_info(dsa.hiod, &width, &exec, &priv));
    detach(&dsa);
    fixture_end(&f);

    fixture_start(&f, "vtd-skylake-nonest");
    attach_host(&f, &nic, "0000:3b:00.0", 0);
    g_assert_cmpint(host_iommu_device_get_cap(
                        nic.hiod, HOST_IOMMU_DEVICE_CAP_AW_BITS, &error_abort),
                    ==, 48);
    g_assert_false(host_iommu_device_ats_supported(nic.hiod));
    g_assert_cmpuint(host_iommu_device_get_quirks(nic.hiod), ==, 0);
    detach(&nic);
    fixture_end(&f);
}

/* attach_hwpt/detach_hwpt as the accel SMMU uses them. */
static void test_hiod_attach_hwpt(void)
{
    struct iommu_hwpt_arm_smmuv3 abort_ste = {.ste = {0x1, 0}};
    VFIODevice gpu, nic;
    Fixture f;
    uint32_t viommu, nested;
    Error *err = NULL;

    fixture_start(&f, "grace-hopper");
    attach_host(&f, &gpu, "0009:01:00.0", VIOMMU_FLAG_WANT_NESTING_PARENT);
    g_assert_true(iommufd_backend_alloc_viommu(
        f.be, gpu.devid, IOMMU_VIOMMU_TYPE_ARM_SMMUV3, gpu.hiod->default_pt_id,
        &viommu, &error_abort));
    g_assert_true(iommufd_backend_alloc_hwpt(
        f.be, gpu.devid, viommu, 0, IOMMU_HWPT_DATA_ARM_SMMUV3,
        sizeof(abort_ste), &abort_ste, &nested, &error_abort));
    g_assert_true(
        host_iommu_device_attach_hwpt(gpu.hiod, nested, &error_abort));
    g_assert_cmpuint(gpu.hiod->hwpt_id, ==, nested);
    g_assert_cmpuint(gpu.pt_id, ==, nested);
    g_assert_true(host_iommu_device_detach_hwpt(gpu.hiod, &error_abort));
    g_assert_cmpuint(gpu.hiod->hwpt_id, ==, gpu.hiod->default_pt_id);

    /* a HWPT of another SMMU instance is refused */
    attach_host(&f, &nic, "0000:01:00.0", VIOMMU_FLAG_WANT_NESTING_PARENT);
    g_assert_false(host_iommu_device_attach_hwpt(nic.hiod, nested, &err));
    expect_error(err, "VFIO_DEVICE_ATTACH_IOMMUFD_PT failed: Invalid argument");
    g_assert_cmpuint(nic.hiod->hwpt_id, ==, nic.hiod->default_pt_id);
    detach(&nic);

    iommufd_backend_free_id(f.be, nested);
    iommufd_backend_free_id(f.be, viommu);
    detach(&gpu);
    fixture_end(&f);

    /* plain attach: detach_hwpt goes back to the IOAS */
    fixture_start(&f, "vtd-skylake-nonest");
    attach_host(&f, &nic, "0000:3b:00.0", 0);
    g_assert_true(host_iommu_device_detach_hwpt(nic.hiod, &error_abort));
    g_assert_cmpuint(nic.hiod->hwpt_id, !=, nic.hiod->ioas_id);
    detach(&nic);
    fixture_end(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    memory_init();
    g_test_add_func("/vfio/identify/host-sysfsdev", test_identify);
    g_test_add_func("/vfio/identify/fd", test_identify_fd);
    g_test_add_func("/vfio/attach/no-iommufd", test_no_iommufd);
    g_test_add_func("/vfio/attach/nesting", test_attach_nesting);
    g_test_add_func("/vfio/attach/plain", test_attach_plain);
    g_test_add_func("/vfio/attach/vtd-errata", test_attach_vtd_errata);
    g_test_add_func("/vfio/attach/shared-ioas", test_shared_ioas);
    g_test_add_func("/vfio/attach/iommu-as", test_iommu_as);
    g_test_add_func("/vfio/info/device", test_device_info);
    g_test_add_func("/vfio/info/cap-chain", test_cap_chain);
    g_test_add_func("/vfio/info/regions", test_regions);
    g_test_add_func("/vfio/info/no-reset", test_no_reset);
    g_test_add_func("/vfio/hiod/smmuv3", test_hiod_smmuv3);
    g_test_add_func("/vfio/hiod/pasid-bits", test_hiod_pasid_bits);
    g_test_add_func("/vfio/hiod/vtd", test_hiod_vtd);
    g_test_add_func("/vfio/hiod/attach-hwpt", test_hiod_attach_hwpt);
    return g_test_run();
}
