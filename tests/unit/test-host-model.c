/*
 * The model host answers iommufd and VFIO ioctls with the kernel's
 * semantics. Everything goes through host_ops(), as production code does.
 */
#include "qemu/osdep.h"
#include "backends/host-model.h"
#include <sys/mman.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

/* uAPI layouts (kernel-uapi.md): sizes and the offsets that matter. */
#define LAYOUT(type, size) _Static_assert(sizeof(type) == size, #type)
#define AT(type, field, off)                                                   \
    _Static_assert(offsetof(type, field) == off, #type "." #field)
LAYOUT(struct iommu_destroy, 8);
LAYOUT(struct iommu_ioas_alloc, 12);
LAYOUT(struct iommu_iova_range, 16);
LAYOUT(struct iommu_ioas_iova_ranges, 32);
AT(struct iommu_ioas_iova_ranges, out_iova_alignment, 24);
LAYOUT(struct iommu_ioas_allow_iovas, 24);
LAYOUT(struct iommu_ioas_map, 40);
AT(struct iommu_ioas_map, iova, 32);
LAYOUT(struct iommu_ioas_map_file, 40);
AT(struct iommu_ioas_map_file, fd, 12);
LAYOUT(struct iommu_ioas_unmap, 24);
LAYOUT(struct iommu_hw_info, 40);
AT(struct iommu_hw_info, data_uptr, 16);
AT(struct iommu_hw_info, out_data_type, 24);
AT(struct iommu_hw_info, out_max_pasid_log2, 28);
AT(struct iommu_hw_info, out_capabilities, 32);
LAYOUT(struct iommu_hw_info_vtd, 24);
LAYOUT(struct iommu_hw_info_arm_smmuv3, 40);
AT(struct iommu_hw_info_arm_smmuv3, iidr, 32);
LAYOUT(struct iommu_hw_info_tegra241_cmdqv, 8);
LAYOUT(struct iommu_hwpt_alloc, 48);
AT(struct iommu_hwpt_alloc, data_type, 24);
AT(struct iommu_hwpt_alloc, data_uptr, 32);
AT(struct iommu_hwpt_alloc, fault_id, 40);
LAYOUT(struct iommu_hwpt_vtd_s1, 24);
LAYOUT(struct iommu_hwpt_arm_smmuv3, 16);
LAYOUT(struct iommu_viommu_alloc, 40);
AT(struct iommu_viommu_alloc, data_uptr, 32);
LAYOUT(struct iommu_vdevice_alloc, 24);
AT(struct iommu_vdevice_alloc, virt_id, 16);
LAYOUT(struct iommu_hwpt_invalidate, 32);
AT(struct iommu_hwpt_invalidate, entry_num, 24);
LAYOUT(struct iommu_hwpt_vtd_s1_invalidate, 24);
LAYOUT(struct iommu_viommu_arm_smmuv3_invalidate, 16);
LAYOUT(struct iommu_veventq_alloc, 32);
AT(struct iommu_veventq_alloc, out_veventq_fd, 24);
LAYOUT(struct iommufd_vevent_header, 8);
LAYOUT(struct iommu_hw_queue_alloc, 40);
LAYOUT(struct iommu_hwpt_get_dirty_bitmap, 48);
LAYOUT(struct vfio_device_info, 24);
AT(struct vfio_device_info, cap_offset, 16);
LAYOUT(struct vfio_info_cap_header, 8);
LAYOUT(struct vfio_device_info_cap_pci_atomic_comp, 16);
LAYOUT(struct vfio_region_info, 32);
AT(struct vfio_region_info, offset, 24);
LAYOUT(struct vfio_irq_info, 16);
LAYOUT(struct vfio_irq_set, 20);
LAYOUT(struct vfio_device_feature, 8);
LAYOUT(struct vfio_device_bind_iommufd, 24);
AT(struct vfio_device_bind_iommufd, token_uuid_ptr, 16);
LAYOUT(struct vfio_device_attach_iommufd_pt, 16);
LAYOUT(struct vfio_device_detach_iommufd_pt, 12);
_Static_assert(IOMMU_HWPT_ALLOC == 0x3b89, "ioctl encoding");
_Static_assert(IOMMU_HW_QUEUE_ALLOC == 0x3b94, "ioctl encoding");
_Static_assert(VFIO_DEVICE_GET_INFO == 0x3b6b, "ioctl encoding");
_Static_assert(VFIO_MIG_GET_PRECOPY_INFO == 0x3b79, "ioctl encoding");
_Static_assert(IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED == 1 << 3, "ATS bit");

#define GPU "/dev/vfio/devices/vfio0"       /* grace-hopper 0009:01:00.0 */
#define NIC "/dev/vfio/devices/vfio1"       /* grace-hopper, on smmu1 */

static const HostOps *ops;

static void use_host(const char *name)
{
    host_model_set_desc(host_model_desc_load(name, &error_abort));
    host_ops_set(&host_ops_model);
    ops = host_ops();
}

static void check_clean(void)
{
    g_assert_cmpuint(host_model_live_objects(), ==, 0);
    host_model_reset();
}

/* ioctl → 0 or errno */
static int ioc(int fd, unsigned long req, void *arg)
{
    return ops->ioctl(fd, req, arg) < 0 ? errno : 0;
}

static int open_fd(const char *path)
{
    int fd = ops->open(path, O_RDWR | O_CLOEXEC);

    g_assert_cmpint(fd, >=, 0);
    return fd;
}

static uint32_t bind(int devfd, int iommufd)
{
    struct vfio_device_bind_iommufd b = {.argsz = sizeof(b),
                                         .iommufd = iommufd};

    g_assert_cmpint(ioc(devfd, VFIO_DEVICE_BIND_IOMMUFD, &b), ==, 0);
    g_assert_cmpuint(b.out_devid, !=, 0);
    return b.out_devid;
}

static uint32_t ioas_alloc(int iommufd)
{
    struct iommu_ioas_alloc a = {.size = sizeof(a)};

    g_assert_cmpint(ioc(iommufd, IOMMU_IOAS_ALLOC, &a), ==, 0);
    return a.out_ioas_id;
}

static int attach(int devfd, uint32_t *pt_id)
{
    struct vfio_device_attach_iommufd_pt a = {.argsz = sizeof(a),
                                              .pt_id = *pt_id};
    int rc = ioc(devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a);

    *pt_id = a.pt_id;
    return rc;
}

static int destroy(int iommufd, uint32_t id)
{
    struct iommu_destroy d = {.size = sizeof(d), .id = id};

    return ioc(iommufd, IOMMU_DESTROY, &d);
}

static int hwpt_alloc(int iommufd, uint32_t dev, uint32_t pt, uint32_t flags,
                      uint32_t type, void *data, uint32_t len, uint32_t *out)
{
    struct iommu_hwpt_alloc h = {
        .size = sizeof(h), .flags = flags, .dev_id = dev, .pt_id = pt,
        .data_type = type, .data_len = len, .data_uptr = (uintptr_t)data,
    };
    int rc = ioc(iommufd, IOMMU_HWPT_ALLOC, &h);

    *out = h.out_hwpt_id;
    return rc;
}

static int map(int iommufd, uint32_t ioas, uint32_t flags, uint64_t len,
               uint64_t *iova)
{
    static uint8_t buf[4096];
    struct iommu_ioas_map m = {
        .size = sizeof(m), .flags = flags, .ioas_id = ioas,
        .user_va = (uintptr_t)buf, .length = len, .iova = *iova,
    };
    int rc = ioc(iommufd, IOMMU_IOAS_MAP, &m);

    *iova = m.iova;
    return rc;
}

static void test_size_rules(void)
{
    int fd;
    struct {
        struct iommu_ioas_alloc a;
        uint32_t tail;
    } big = {{.size = sizeof(big)}};
    struct iommu_ioas_alloc a = {.size = 8};

    use_host("grace-hopper");
    fd = open_fd("/dev/iommu");
    g_assert_cmpint(ioc(fd, IOMMU_IOAS_ALLOC, &a), ==, EINVAL);
    g_assert_cmpint(ioc(fd, IOMMU_IOAS_ALLOC, &big), ==, 0);
    g_assert_cmpuint(big.a.out_ioas_id, !=, 0);
    big.tail = 1;
    g_assert_cmpint(ioc(fd, IOMMU_IOAS_ALLOC, &big), ==, E2BIG);
    a.size = sizeof(a);
    a.flags = 1;
    g_assert_cmpint(ioc(fd, IOMMU_IOAS_ALLOC, &a), ==, EOPNOTSUPP);
    g_assert_cmpint(ioc(fd, IOMMU_IOAS_ALLOC, NULL), ==, EFAULT);
    g_assert_cmpint(ioc(fd, IOMMU_IOAS_COPY, &a), ==, ENOTTY);
    g_assert_cmpint(ioc(fd, 0x3bff, &a), ==, ENOTTY);
    g_assert_cmpint(destroy(fd, 999), ==, ENOENT);
    g_assert_cmpint(destroy(fd, big.a.out_ioas_id), ==, 0);
    g_assert_cmpint(ioc(-1, IOMMU_IOAS_ALLOC, &a), ==, EBADF);
    g_assert_cmpint(ops->close(fd), ==, 0);
    check_clean();
}

static void test_hw_info_smmu(void)
{
    int ifd, dfd;
    uint32_t dev;
    struct iommu_hw_info_arm_smmuv3 s;
    uint8_t big[64];
    struct iommu_hw_info h = {.size = sizeof(h)};
    const HostModelIommu *mmu;

    use_host("grace-hopper");
    mmu = g_ptr_array_index(host_model_get_desc()->iommus, 0);
    ifd = open_fd("/dev/iommu");
    dfd = open_fd(GPU);
    dev = bind(dfd, ifd);

    /* short buffer: partial copy, full length reported */
    memset(&s, 0xee, sizeof(s));
    h.dev_id = dev;
    h.data_len = 8;
    h.data_uptr = (uintptr_t)&s;
    g_assert_cmpint(ioc(ifd, IOMMU_GET_HW_INFO, &h), ==, 0);
    g_assert_cmpuint(h.data_len, ==, sizeof(s));
    g_assert_cmpuint(h.out_data_type, ==, IOMMU_HW_INFO_TYPE_ARM_SMMUV3);
    g_assert_cmphex(s.idr[0], ==, 0xeeeeeeee);
    g_assert_cmpuint(h.out_max_pasid_log2, ==, 20);
    g_assert_cmphex(h.out_capabilities, ==,
                    IOMMU_HW_CAP_PCI_PASID_EXEC | IOMMU_HW_CAP_PCI_PASID_PRIV);

    /* large buffer: copy then zero-fill */
    memset(big, 0xee, sizeof(big));
    h.data_len = sizeof(big);
    h.data_uptr = (uintptr_t)big;
    g_assert_cmpint(ioc(ifd, IOMMU_GET_HW_INFO, &h), ==, 0);
    memcpy(&s, big, sizeof(s));
    g_assert_cmphex(s.idr[0], ==, mmu->idr[0]);
    g_assert_cmphex(s.idr[5], ==, mmu->idr[5]);
    g_assert_cmphex(s.aidr, ==, mmu->aidr);
    for (size_t i = sizeof(s); i < sizeof(big); i++) {
        g_assert_cmpuint(big[i], ==, 0);
    }

    /* explicit input type */
    h.flags = IOMMU_HW_INFO_FLAG_INPUT_TYPE;
    h.in_data_type = IOMMU_HW_INFO_TYPE_INTEL_VTD;
    g_assert_cmpint(ioc(ifd, IOMMU_GET_HW_INFO, &h), ==, EOPNOTSUPP);
    h.in_data_type = IOMMU_HW_INFO_TYPE_DEFAULT;
    g_assert_cmpint(ioc(ifd, IOMMU_GET_HW_INFO, &h), ==, 0);
    g_assert_cmpuint(h.out_data_type, ==, IOMMU_HW_INFO_TYPE_ARM_SMMUV3);
    h.flags = 2;
    g_assert_cmpint(ioc(ifd, IOMMU_GET_HW_INFO, &h), ==, EOPNOTSUPP);
    h.flags = 0;
    h.__reserved[1] = 1;
    g_assert_cmpint(ioc(ifd, IOMMU_GET_HW_INFO, &h), ==, EOPNOTSUPP);
    h.__reserved[1] = 0;
    h.dev_id = 77;
    g_assert_cmpint(ioc(ifd, IOMMU_GET_HW_INFO, &h), ==, ENOENT);

    /* a 32-byte caller (older uAPI) never sees out_capabilities */
    h.dev_id = dev;
    h.size = 32;
    h.out_capabilities = 0x5a;
    g_assert_cmpint(ioc(ifd, IOMMU_GET_HW_INFO, &h), ==, 0);
    g_assert_cmphex(h.out_capabilities, ==, 0x5a);

    ops->close(dfd);
    ops->close(ifd);
    check_clean();
}

static uint64_t caps_of(const char *host, const char *cdev, uint8_t *pasid,
                        uint32_t *type)
{
    struct iommu_hw_info_vtd v;
    struct iommu_hw_info h = {.size = sizeof(h), .data_len = sizeof(v),
                              .data_uptr = (uintptr_t)&v};
    int ifd, dfd;

    use_host(host);
    ifd = open_fd("/dev/iommu");
    dfd = open_fd(cdev);
    h.dev_id = bind(dfd, ifd);
    g_assert_cmpint(ioc(ifd, IOMMU_GET_HW_INFO, &h), ==, 0);
    *pasid = h.out_max_pasid_log2;
    *type = h.out_data_type;
    if (h.out_data_type == IOMMU_HW_INFO_TYPE_INTEL_VTD) {
        const HostModelIommu *mmu =
            g_ptr_array_index(host_model_get_desc()->iommus, 0);
        g_assert_cmphex(v.cap_reg, ==, mmu->cap);
        g_assert_cmphex(v.ecap_reg, ==, mmu->ecap);
        g_assert_cmphex(v.flags, ==, mmu->vtd_flags);
    }
    ops->close(ifd);
    ops->close(dfd);
    check_clean();
    return h.out_capabilities;
}

static void test_hw_info_caps(void)
{
    uint8_t pasid;
    uint32_t type;

    /* ATS capability present but unusable behind an SMMU without ATS */
    g_assert_cmphex(caps_of("arm-smmuv3-basic", "/dev/vfio/devices/vfio0",
                            &pasid, &type),
                    ==, IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED);
    g_assert_cmpuint(pasid, ==, 0);
    /* DSA: PASID Control has Priv enabled, but max_pasid_log2 is 0 */
    g_assert_cmphex(caps_of("vtd-sapphire-rapids", "/dev/vfio/devices/vfio0",
                            &pasid, &type),
                    ==, IOMMU_HW_CAP_DIRTY_TRACKING);
    g_assert_cmpuint(pasid, ==, 0);
    g_assert_cmpuint(type, ==, IOMMU_HW_INFO_TYPE_INTEL_VTD);
    g_assert_cmphex(caps_of("vtd-skylake-nonest", "/dev/vfio/devices/vfio0",
                            &pasid, &type),
                    ==, IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED);
}

static void test_bind_attach(void)
{
    int ifd, dfd, dfd2, pfd[2];
    uint32_t ioas, hwpt, dev;
    struct vfio_device_info info = {.argsz = sizeof(info)};
    struct vfio_device_bind_iommufd b = {.argsz = sizeof(b)};
    struct vfio_device_attach_iommufd_pt at = {.argsz = 8};
    struct vfio_device_detach_iommufd_pt dt = {.argsz = sizeof(dt)};
    uint8_t byte;

    use_host("grace-hopper");
    ifd = open_fd("/dev/iommu");
    dfd = open_fd(GPU);
    g_assert_cmpint(ops->open("/dev/vfio/devices/vfio9", O_RDWR), ==, -1);
    g_assert_cmpint(errno, ==, ENOENT);

    /* no device access before bind */
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_GET_INFO, &info), ==, EINVAL);
    g_assert_cmpint(ops->pread(dfd, &byte, 1, 7ull << 40), ==, -1);
    g_assert_cmpint(errno, ==, EINVAL);

    g_assert_cmpint(pipe(pfd), ==, 0);
    b.iommufd = pfd[0];
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_BIND_IOMMUFD, &b), ==, EBADFD);
    b.iommufd = 1000;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_BIND_IOMMUFD, &b), ==, EBADF);
    b.iommufd = ifd;
    b.flags = 2;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_BIND_IOMMUFD, &b), ==, EINVAL);
    b.flags = 0;
    b.argsz = 12;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_BIND_IOMMUFD, &b), ==, EINVAL);
    b.argsz = 16; /* pre-token kernels' size */
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_BIND_IOMMUFD, &b), ==, 0);
    dev = b.out_devid;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_BIND_IOMMUFD, &b), ==, EINVAL);
    dfd2 = open_fd(GPU);
    g_assert_cmpint(ioc(dfd2, VFIO_DEVICE_BIND_IOMMUFD, &b), ==, EINVAL);
    ops->close(dfd2);
    close(pfd[0]);
    close(pfd[1]);

    /* the device object belongs to the cdev */
    g_assert_cmpint(destroy(ifd, dev), ==, EBUSY);

    ioas = ioas_alloc(ifd);
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at), ==, EINVAL);
    at.argsz = 12;
    at.flags = 4;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at), ==, EINVAL);
    hwpt = 999;
    g_assert_cmpint(attach(dfd, &hwpt), ==, ENOENT);
    hwpt = dev;
    g_assert_cmpint(attach(dfd, &hwpt), ==, EINVAL);
    hwpt = ioas;
    g_assert_cmpint(attach(dfd, &hwpt), ==, 0);
    g_assert_cmpuint(hwpt, !=, ioas); /* an auto-created HWPT */
    g_assert_cmpint(destroy(ifd, hwpt), ==, EBUSY);
    g_assert_cmpint(destroy(ifd, ioas), ==, EBUSY);
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &dt), ==, 0);
    g_assert_cmpint(destroy(ifd, hwpt), ==, ENOENT); /* freed with detach */
    g_assert_cmpint(destroy(ifd, ioas), ==, 0);

    /* PASID attachments: within the device's 20-bit PASID space */
    ioas = ioas_alloc(ifd);
    at.argsz = sizeof(at);
    at.flags = VFIO_DEVICE_ATTACH_PASID;
    at.pt_id = ioas;
    at.pasid = 1u << 20;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at), ==, EINVAL);
    at.pasid = 5;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at), ==, 0);
    g_assert_cmpint(destroy(ifd, at.pt_id), ==, EBUSY);
    dt.flags = VFIO_DEVICE_DETACH_PASID;
    dt.pasid = 5;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &dt), ==, 0);
    g_assert_cmpint(destroy(ifd, ioas), ==, 0);

    /* closing the iommufd first keeps the context until unbind */
    ioas = ioas_alloc(ifd);
    hwpt = ioas;
    g_assert_cmpint(attach(dfd, &hwpt), ==, 0);
    ops->close(ifd);
    g_assert_cmpuint(host_model_live_objects(), >, 0);
    ops->close(dfd);
    check_clean();
}

static void test_ioas_map(void)
{
    int ifd, dfd;
    uint32_t ioas, hwpt;
    uint64_t iova = 0x100000, a2 = 0;
    struct iommu_ioas_unmap u = {.size = sizeof(u)};
    struct iommu_iova_range r[4];
    struct iommu_ioas_iova_ranges ir = {.size = sizeof(ir)};

    use_host("grace-hopper");
    ifd = open_fd("/dev/iommu");
    ioas = ioas_alloc(ifd);
    g_assert_cmpint(map(ifd, ioas, IOMMU_IOAS_MAP_FIXED_IOVA |
                        IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE,
                        0x4000, &iova), ==, 0);
    iova = 0x102000;
    g_assert_cmpint(map(ifd, ioas, IOMMU_IOAS_MAP_FIXED_IOVA, 0x1000, &iova),
                    ==, EEXIST);
    iova = 0x100800; /* no IOMMU domain yet: any alignment, so it overlaps */
    g_assert_cmpint(map(ifd, ioas, IOMMU_IOAS_MAP_FIXED_IOVA, 0x1000, &iova),
                    ==, EEXIST);
    g_assert_cmpint(map(ifd, ioas, 1u << 5, 0x1000, &iova), ==, EOPNOTSUPP);
    g_assert_cmpint(map(ifd, ioas, 0, 0, &iova), ==, EINVAL);
    g_assert_cmpint(map(ifd, 999, 0, 0x1000, &iova), ==, ENOENT);
    g_assert_cmpint(map(ifd, ioas, IOMMU_IOAS_MAP_WRITEABLE, 0x2000, &a2),
                    ==, 0);
    g_assert_cmphex(a2, ==, 0x1000); /* lowest free IOVA; never 0 */

    u.ioas_id = ioas;
    u.iova = 0x200000;
    u.length = 0x1000;
    g_assert_cmpint(ioc(ifd, IOMMU_IOAS_UNMAP, &u), ==, ENOENT);
    u.iova = 0x101000; /* inside a mapping: cannot split */
    g_assert_cmpint(ioc(ifd, IOMMU_IOAS_UNMAP, &u), ==, ENOENT);
    u.iova = 0x100000;
    u.length = 0x4000;
    g_assert_cmpint(ioc(ifd, IOMMU_IOAS_UNMAP, &u), ==, 0);
    g_assert_cmphex(u.length, ==, 0x4000);

    /* ranges: everything until a device is attached */
    ir.ioas_id = ioas;
    g_assert_cmpint(ioc(ifd, IOMMU_IOAS_IOVA_RANGES, &ir), ==, EMSGSIZE);
    g_assert_cmpuint(ir.num_iovas, ==, 1);
    g_assert_cmpuint(ir.out_iova_alignment, ==, 1);
    dfd = open_fd(GPU);
    bind(dfd, ifd);
    /* a domain needs page-aligned mappings */
    iova = 0x300800;
    g_assert_cmpint(map(ifd, ioas, IOMMU_IOAS_MAP_FIXED_IOVA, 0x800, &iova),
                    ==, 0);
    hwpt = ioas;
    g_assert_cmpint(attach(dfd, &hwpt), ==, EADDRINUSE);
    u.iova = 0x300800;
    u.length = 0x800;
    g_assert_cmpint(ioc(ifd, IOMMU_IOAS_UNMAP, &u), ==, 0);
    hwpt = ioas;
    g_assert_cmpint(attach(dfd, &hwpt), ==, 0);
    iova = 0x300800;
    g_assert_cmpint(map(ifd, ioas, IOMMU_IOAS_MAP_FIXED_IOVA, 0x1000, &iova),
                    ==, EINVAL);
    iova = 0x300000;
    g_assert_cmpint(map(ifd, ioas, IOMMU_IOAS_MAP_FIXED_IOVA, 0x800, &iova),
                    ==, EINVAL);
    ir.num_iovas = 4;
    ir.allowed_iovas = (uintptr_t)r;
    g_assert_cmpint(ioc(ifd, IOMMU_IOAS_IOVA_RANGES, &ir), ==, 0);
    g_assert_cmpuint(ir.num_iovas, ==, 2);
    g_assert_cmphex(r[0].last, ==, 0x7ffffff);
    g_assert_cmphex(r[1].start, ==, 0x8100000);
    g_assert_cmphex(r[1].last, ==, (1ull << 48) - 1);
    g_assert_cmpuint(ir.out_iova_alignment, ==, 4096);
    iova = 0x8000000; /* the MSI window is reserved */
    g_assert_cmpint(map(ifd, ioas, IOMMU_IOAS_MAP_FIXED_IOVA, 0x1000, &iova),
                    ==, EINVAL);

    u.iova = 0;
    u.length = UINT64_MAX;
    g_assert_cmpint(ioc(ifd, IOMMU_IOAS_UNMAP, &u), ==, 0);
    g_assert_cmphex(u.length, ==, 0x2000);
    u.length = UINT64_MAX;
    g_assert_cmpint(ioc(ifd, IOMMU_IOAS_UNMAP, &u), ==, 0); /* empty: ok */
    g_assert_cmphex(u.length, ==, 0);
    ops->close(dfd);
    ops->close(ifd);
    check_clean();
}

typedef struct Nested {
    int ifd, dfd;
    uint32_t dev, ioas, s2, viommu, vdev;
} Nested;

/* The SMMUv3 accel flow of kernel-uapi.md §4.3, up to the vDEVICE. */
static int nested_setup(Nested *n, const char *cdev)
{
    struct iommu_viommu_alloc v = {.size = sizeof(v),
                                   .type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3};
    struct iommu_vdevice_alloc vd = {.size = sizeof(vd), .virt_id = 0x100};
    uint32_t pt;
    int rc;

    n->ifd = ops->open("/dev/iommu", O_RDWR);
    n->dfd = ops->open(cdev, O_RDWR);
    if (n->ifd < 0 || n->dfd < 0) {
        return errno;
    }
    {
        struct vfio_device_bind_iommufd b = {.argsz = sizeof(b),
                                             .iommufd = n->ifd};
        if ((rc = ioc(n->dfd, VFIO_DEVICE_BIND_IOMMUFD, &b))) {
            return rc;
        }
        n->dev = b.out_devid;
    }
    {
        struct iommu_ioas_alloc a = {.size = sizeof(a)};
        if ((rc = ioc(n->ifd, IOMMU_IOAS_ALLOC, &a))) {
            return rc;
        }
        n->ioas = a.out_ioas_id;
    }
    rc = hwpt_alloc(n->ifd, n->dev, n->ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, 0,
                    NULL, 0, &n->s2);
    pt = n->s2;
    if (rc || (rc = attach(n->dfd, &pt))) {
        return rc;
    }
    v.dev_id = n->dev;
    v.hwpt_id = n->s2;
    if ((rc = ioc(n->ifd, IOMMU_VIOMMU_ALLOC, &v))) {
        return rc;
    }
    n->viommu = v.out_viommu_id;
    vd.viommu_id = n->viommu;
    vd.dev_id = n->dev;
    rc = ioc(n->ifd, IOMMU_VDEVICE_ALLOC, &vd);
    n->vdev = vd.out_vdevice_id;
    return rc;
}

static void nested_close(Nested *n)
{
    if (n->dfd >= 0) {
        ops->close(n->dfd);
    }
    if (n->ifd >= 0) {
        ops->close(n->ifd);
    }
}

static int invalidate(int fd, uint32_t id, uint32_t type, void *entries,
                      uint32_t len, uint32_t *num)
{
    struct iommu_hwpt_invalidate inv = {
        .size = sizeof(inv), .hwpt_id = id, .data_uptr = (uintptr_t)entries,
        .data_type = type, .entry_len = len, .entry_num = *num,
    };
    int rc = ioc(fd, IOMMU_HWPT_INVALIDATE, &inv);

    *num = inv.entry_num;
    return rc;
}

static void test_nested_smmu(void)
{
    Nested n;
    struct iommu_hwpt_arm_smmuv3 ste = {{htole64(0x9), 0}};
    struct iommu_viommu_arm_smmuv3_invalidate cmds[3] = {
        {{htole64(0x10), 0}},                         /* TLBI_NH_ALL */
        {{htole64(0x05 | (0x100ull << 32)), 0}},       /* CFGI_CD vSID */
        {{htole64(0x46), 0}},                         /* CMD_SYNC: no */
    };
    struct iommu_vdevice_alloc vd = {.size = sizeof(vd), .virt_id = 0x100};
    struct iommu_veventq_alloc q = {.size = sizeof(q),
                                    .type = IOMMU_VEVENTQ_TYPE_ARM_SMMUV3,
                                    .veventq_depth = 2};
    uint64_t evt[4] = {0x10 | (0x100ull << 32), 1, 2, 3};
    uint8_t rec[64];
    struct iommufd_vevent_header hdr;
    uint32_t s1, pt, num;

    use_host("grace-hopper");
    g_assert_cmpint(nested_setup(&n, GPU), ==, 0);

    vd.viommu_id = n.viommu;
    vd.dev_id = n.dev;
    g_assert_cmpint(ioc(n.ifd, IOMMU_VDEVICE_ALLOC, &vd), ==, EEXIST);

    /* STE checks */
    g_assert_cmpint(hwpt_alloc(n.ifd, n.dev, n.viommu, 0,
                               IOMMU_HWPT_DATA_ARM_SMMUV3, &ste, sizeof(ste),
                               &s1), ==, 0);
    ste.ste[1] = htole64(1ull << 44);                 /* SHCFG: not allowed */
    g_assert_cmpint(hwpt_alloc(n.ifd, n.dev, n.viommu, 0,
                               IOMMU_HWPT_DATA_ARM_SMMUV3, &ste, sizeof(ste),
                               &pt), ==, EIO);
    ste.ste[1] = 0;
    ste.ste[0] = htole64(1 | (6 << 1));               /* stage-2 config */
    g_assert_cmpint(hwpt_alloc(n.ifd, n.dev, n.viommu, 0,
                               IOMMU_HWPT_DATA_ARM_SMMUV3, &ste, sizeof(ste),
                               &pt), ==, EIO);
    ste.ste[0] = htole64(1 | (5 << 1) | (1ull << 52)); /* CD ptr bit 52 */
    g_assert_cmpint(hwpt_alloc(n.ifd, n.dev, n.viommu, 0,
                               IOMMU_HWPT_DATA_ARM_SMMUV3, &ste, sizeof(ste),
                               &pt), ==, EIO);
    ste.ste[0] = htole64(1 | (5 << 1) | 0x1000);
    g_assert_cmpint(hwpt_alloc(n.ifd, n.dev, n.viommu, 0,
                               IOMMU_HWPT_DATA_VTD_S1, &ste, sizeof(ste),
                               &pt), ==, EOPNOTSUPP);
    g_assert_cmpint(hwpt_alloc(n.ifd, n.dev, n.viommu, 0,
                               IOMMU_HWPT_DATA_ARM_SMMUV3, &ste, 8, &pt),
                    ==, EINVAL);
    g_assert_cmpint(hwpt_alloc(n.ifd, n.dev, n.viommu, 0,
                               IOMMU_HWPT_DATA_ARM_SMMUV3, NULL, sizeof(ste),
                               &pt), ==, EFAULT);
    g_assert_cmpint(hwpt_alloc(n.ifd, n.dev, n.s2, 0,
                               IOMMU_HWPT_DATA_ARM_SMMUV3, &ste, sizeof(ste),
                               &pt), ==, EOPNOTSUPP);
    pt = s1;
    g_assert_cmpint(attach(n.dfd, &pt), ==, 0);       /* replace S2 */

    /* invalidation through the vIOMMU */
    num = 0;
    g_assert_cmpint(invalidate(n.ifd, n.viommu, 1, NULL, 16, &num), ==, 0);
    num = 3;
    g_assert_cmpint(invalidate(n.ifd, n.viommu, 1, cmds, 16, &num), ==, EIO);
    g_assert_cmpuint(num, ==, 2);
    cmds[0].cmd[0] = htole64(0x40 | (0x200ull << 32)); /* ATC_INV, no vdev */
    num = 1;
    g_assert_cmpint(invalidate(n.ifd, n.viommu, 1, cmds, 16, &num), ==, EIO);
    g_assert_cmpuint(num, ==, 0);
    num = 1;
    g_assert_cmpint(invalidate(n.ifd, n.viommu, 0, cmds, 16, &num), ==,
                    EINVAL);
    num = 1;
    g_assert_cmpint(invalidate(n.ifd, s1, 1, cmds, 16, &num), ==,
                    EOPNOTSUPP);
    num = 1;
    g_assert_cmpint(invalidate(n.ifd, n.s2, 1, cmds, 16, &num), ==, EINVAL);

    /* vEVENTQ */
    q.viommu_id = n.viommu;
    g_assert_cmpint(ioc(n.ifd, IOMMU_VEVENTQ_ALLOC, &q), ==, 0);
    g_assert_cmpint(ioc(n.ifd, IOMMU_VEVENTQ_ALLOC, &q), ==, EEXIST);
    for (int i = 0; i < 3; i++) { /* depth 2: the third is lost */
        g_assert_cmpint(host_model_inject_vevent(n.ifd, n.viommu, 1, evt,
                                                 sizeof(evt)), ==, 0);
    }
    g_assert_cmpint(ops->read(q.out_veventq_fd, rec, 40), ==, 40);
    memcpy(&hdr, rec, sizeof(hdr));
    g_assert_cmpuint(hdr.sequence, ==, 0);
    g_assert_cmpuint(hdr.flags, ==, 0);
    g_assert_cmpint(memcmp(rec + 8, evt, 32), ==, 0);
    g_assert_cmpint(ops->read(q.out_veventq_fd, rec, 40), ==, 40);
    g_assert_cmpint(host_model_inject_vevent(n.ifd, n.viommu, 1, evt,
                                             sizeof(evt)), ==, 0);
    g_assert_cmpint(ops->read(q.out_veventq_fd, rec, 40), ==, 40);
    memcpy(&hdr, rec, sizeof(hdr));
    g_assert_cmpuint(hdr.sequence, ==, 3);
    g_assert_cmpuint(hdr.flags, ==, IOMMU_VEVENTQ_FLAG_LOST_EVENTS);
    g_assert_cmpint(ops->read(q.out_veventq_fd, rec, 40), ==, -1);
    g_assert_cmpint(errno, ==, EAGAIN);
    ops->close(q.out_veventq_fd);

    /* destroy ordering: leaves first */
    g_assert_cmpint(destroy(n.ifd, n.viommu), ==, EBUSY);
    g_assert_cmpint(destroy(n.ifd, n.s2), ==, EBUSY);
    g_assert_cmpint(destroy(n.ifd, s1), ==, EBUSY);   /* attached */
    g_assert_cmpint(destroy(n.ifd, q.out_veventq_id), ==, 0);
    g_assert_cmpint(destroy(n.ifd, n.vdev), ==, 0);
    pt = n.s2;
    g_assert_cmpint(attach(n.dfd, &pt), ==, 0);
    g_assert_cmpint(destroy(n.ifd, s1), ==, 0);
    g_assert_cmpint(destroy(n.ifd, n.viommu), ==, 0);
    g_assert_cmpint(destroy(n.ifd, n.s2), ==, EBUSY);  /* still attached */

    /* a vIOMMU on another SMMU instance's device is refused */
    {
        int d2 = open_fd(NIC);
        struct iommu_viommu_alloc v = {.size = sizeof(v),
                                       .type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3,
                                       .hwpt_id = n.s2};
        v.dev_id = bind(d2, n.ifd);
        g_assert_cmpint(ioc(n.ifd, IOMMU_VIOMMU_ALLOC, &v), ==, EINVAL);
        pt = n.s2;
        g_assert_cmpint(attach(d2, &pt), ==, EINVAL);
        ops->close(d2);
    }
    nested_close(&n);
    check_clean();
}

static void test_nested_vtd(void)
{
    int ifd, dfd;
    uint32_t dev, ioas, s2, s1, pt, num;
    uint64_t iova = 0x1000;
    struct iommu_hwpt_vtd_s1 s1d = {.pgtbl_addr = 0x10000, .addr_width = 48};
    struct iommu_hwpt_vtd_s1_invalidate inv[2] = {
        {.addr = 0, .npages = UINT64_MAX},
        {.addr = 0x1234, .npages = 1},
    };
    struct iommu_viommu_alloc v = {.size = sizeof(v),
                                   .type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3};

    use_host("vtd-sapphire-rapids");
    ifd = open_fd("/dev/iommu");
    dfd = open_fd("/dev/vfio/devices/vfio0");
    dev = bind(dfd, ifd);
    ioas = ioas_alloc(ifd);
    g_assert_cmpint(hwpt_alloc(ifd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT,
                               0, NULL, 0, &s2), ==, 0);
    /* erratum 772415: no read-only mappings under a nest parent */
    g_assert_cmpint(map(ifd, ioas, IOMMU_IOAS_MAP_FIXED_IOVA |
                        IOMMU_IOAS_MAP_READABLE, 0x1000, &iova), ==, EINVAL);
    g_assert_cmpint(hwpt_alloc(ifd, dev, s2, 0, IOMMU_HWPT_DATA_VTD_S1, &s1d,
                               sizeof(s1d), &s1), ==, 0);
    s1d.addr_width = 39;
    g_assert_cmpint(hwpt_alloc(ifd, dev, s2, 0, IOMMU_HWPT_DATA_VTD_S1, &s1d,
                               sizeof(s1d), &pt), ==, EINVAL);
    s1d.addr_width = 57; /* FS5LP is set on this host */
    g_assert_cmpint(hwpt_alloc(ifd, dev, s2, 0, IOMMU_HWPT_DATA_VTD_S1, &s1d,
                               sizeof(s1d), &pt), ==, 0);
    g_assert_cmpint(destroy(ifd, pt), ==, 0);
    g_assert_cmpint(hwpt_alloc(ifd, dev, s2, IOMMU_HWPT_ALLOC_NEST_PARENT,
                               IOMMU_HWPT_DATA_VTD_S1, &s1d, sizeof(s1d),
                               &pt), ==, EOPNOTSUPP);
    g_assert_cmpint(hwpt_alloc(ifd, dev, ioas, 0, 0, NULL, 0, &pt), ==, 0);
    g_assert_cmpint(hwpt_alloc(ifd, dev, pt, 0, IOMMU_HWPT_DATA_VTD_S1, &s1d,
                               sizeof(s1d), &num), ==, EINVAL);
    g_assert_cmpint(destroy(ifd, pt), ==, 0);
    g_assert_cmpint(hwpt_alloc(ifd, dev, ioas, 0, IOMMU_HWPT_DATA_NONE, &s1d,
                               8, &pt), ==, EINVAL);
    pt = s1;
    g_assert_cmpint(attach(dfd, &pt), ==, 0);
    num = 2;
    g_assert_cmpint(invalidate(ifd, s1, IOMMU_HWPT_INVALIDATE_DATA_VTD_S1,
                               inv, sizeof(inv[0]), &num), ==, EINVAL);
    g_assert_cmpuint(num, ==, 1);
    v.dev_id = dev;
    v.hwpt_id = s2;
    g_assert_cmpint(ioc(ifd, IOMMU_VIOMMU_ALLOC, &v), ==, EOPNOTSUPP);
    ops->close(ifd);
    ops->close(dfd);
    check_clean();

    /* a host that cannot nest refuses the nest parent */
    use_host("vtd-skylake-nonest");
    ifd = open_fd("/dev/iommu");
    dfd = open_fd("/dev/vfio/devices/vfio0");
    dev = bind(dfd, ifd);
    ioas = ioas_alloc(ifd);
    g_assert_cmpint(hwpt_alloc(ifd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT,
                               0, NULL, 0, &s2), ==, EOPNOTSUPP);
    g_assert_cmpint(hwpt_alloc(ifd, dev, ioas,
                               IOMMU_HWPT_ALLOC_DIRTY_TRACKING, 0, NULL, 0,
                               &s2), ==, EOPNOTSUPP);
    ops->close(ifd);
    ops->close(dfd);
    check_clean();
}

static void test_device_info(void)
{
    int ifd, dfd;
    uint8_t buf[sizeof(struct vfio_device_info) + 16];
    struct vfio_device_info *info = (void *)buf;
    struct vfio_device_info_cap_pci_atomic_comp cap;
    struct vfio_region_info ri = {.argsz = sizeof(ri)};
    struct vfio_irq_info ii = {.argsz = sizeof(ii)};
    struct vfio_device_feature ft = {.argsz = sizeof(ft)};
    const HostModelDevice *d;
    uint8_t cfg[4096];
    uint32_t v32;

    use_host("vtd-sapphire-rapids");
    d = g_ptr_array_index(host_model_get_desc()->devices, 1);
    ifd = open_fd("/dev/iommu");
    dfd = open_fd("/dev/vfio/devices/vfio1");
    bind(dfd, ifd);

    memset(buf, 0, sizeof(buf));
    info->argsz = sizeof(*info);
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_GET_INFO, info), ==, 0);
    g_assert_cmphex(info->flags, ==, VFIO_DEVICE_FLAGS_PCI |
                    VFIO_DEVICE_FLAGS_RESET | VFIO_DEVICE_FLAGS_CAPS);
    g_assert_cmpuint(info->cap_offset, ==, 0);
    g_assert_cmpuint(info->argsz, ==, sizeof(buf));
    g_assert_cmpuint(info->num_regions, ==, VFIO_PCI_NUM_REGIONS);
    g_assert_cmpuint(info->num_irqs, ==, VFIO_PCI_NUM_IRQS);
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_GET_INFO, info), ==, 0);
    g_assert_cmpuint(info->cap_offset, ==, sizeof(*info));
    memcpy(&cap, buf + info->cap_offset, sizeof(cap));
    g_assert_cmpuint(cap.header.id, ==, VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP);
    g_assert_cmpuint(cap.header.version, ==, 1);
    g_assert_cmpuint(cap.header.next, ==, 0);
    g_assert_cmphex(cap.flags, ==, VFIO_PCI_ATOMIC_COMP32 |
                    VFIO_PCI_ATOMIC_COMP64 | VFIO_PCI_ATOMIC_COMP128);
    info->argsz = 12;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_GET_INFO, info), ==, EINVAL);

    /* config region */
    ri.index = VFIO_PCI_CONFIG_REGION_INDEX;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_GET_REGION_INFO, &ri), ==, 0);
    g_assert_cmpuint(ri.size, ==, 4096);
    g_assert_cmphex(ri.flags, ==, VFIO_REGION_INFO_FLAG_READ |
                    VFIO_REGION_INFO_FLAG_WRITE);
    g_assert_cmpint(ops->pread(dfd, cfg, sizeof(cfg), ri.offset), ==, 4096);
    /* as vfio-pci shows it: PASID (0x2d0, last) unlinked from PRI (0x2c0) */
    g_assert_cmpmem(cfg, 0x2c2, d->config, 0x2c2);
    g_assert_cmphex(cfg[0x2c2] | cfg[0x2c3] << 8, ==, d->config[0x2c2] & 0xf);
    g_assert_cmpmem(cfg + 0x2c4, 4096 - 0x2c4, d->config + 0x2c4,
                    4096 - 0x2c4);
    /* vfio-pci refuses a config access reaching past the end: EFAULT */
    g_assert_cmpint(ops->pread(dfd, cfg, 16, ri.offset + 4090), ==, -1);
    g_assert_cmpint(errno, ==, EFAULT);
    g_assert_cmpint(ops->pread(dfd, cfg, 1, ri.offset + 4096), ==, -1);
    g_assert_cmpint(errno, ==, EFAULT);

    /* BAR0 sizing: 256 MiB prefetchable 64-bit */
    v32 = 0xffffffff;
    g_assert_cmpint(ops->pwrite(dfd, &v32, 4, ri.offset + 0x10), ==, 4);
    g_assert_cmpint(ops->pread(dfd, &v32, 4, ri.offset + 0x10), ==, 4);
    g_assert_cmphex(v32, ==, 0xf000000c);
    v32 = 0x12345678; /* vendor ID is read-only */
    g_assert_cmpint(ops->pwrite(dfd, &v32, 4, ri.offset), ==, 4);
    g_assert_cmpint(ops->pread(dfd, &v32, 4, ri.offset), ==, 4);
    g_assert_cmphex(v32, ==, 0x740f1002);
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_RESET, NULL), ==, 0);
    g_assert_cmpint(ops->pread(dfd, &v32, 4, ri.offset + 0x10), ==, 4);
    g_assert_cmphex(v32, ==, 0x0000000c);

    /* BAR regions, ROM, bad index */
    ri.index = 0;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_GET_REGION_INFO, &ri), ==, 0);
    g_assert_cmpuint(ri.size, ==, 256 << 20);
    g_assert_true(ri.flags & VFIO_REGION_INFO_FLAG_MMAP);
    {
        uint32_t *bar = ops->mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                                  MAP_SHARED, dfd, ri.offset);
        g_assert_true(bar != MAP_FAILED);
        bar[1] = 0xcafe;
        g_assert_cmpint(ops->pread(dfd, &v32, 4, ri.offset + 4), ==, 4);
        g_assert_cmphex(v32, ==, 0xcafe);
        ops->munmap(bar, 4096);
    }
    ri.index = VFIO_PCI_ROM_REGION_INDEX;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_GET_REGION_INFO, &ri), ==, 0);
    g_assert_cmphex(ri.flags, ==, VFIO_REGION_INFO_FLAG_READ);
    g_assert_cmpint(ops->pwrite(dfd, &v32, 4, ri.offset), ==, -1);
    g_assert_true(ops->mmap(NULL, 4096, PROT_READ, MAP_SHARED, dfd,
                            ri.offset) == MAP_FAILED);
    ri.index = VFIO_PCI_NUM_REGIONS;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_GET_REGION_INFO, &ri), ==, EINVAL);

    /* IRQs and features */
    ii.index = VFIO_PCI_MSIX_IRQ_INDEX;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_GET_IRQ_INFO, &ii), ==, 0);
    g_assert_cmpuint(ii.count, ==, 16);
    ii.index = VFIO_PCI_INTX_IRQ_INDEX;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_GET_IRQ_INFO, &ii), ==, 0);
    g_assert_cmpuint(ii.count, ==, 1);
    g_assert_true(ii.flags & VFIO_IRQ_INFO_MASKABLE);
    ii.index = 5;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_GET_IRQ_INFO, &ii), ==, EINVAL);
    {
        struct {
            struct vfio_irq_set s;
            int32_t fd[1];
        } set = {{.argsz = sizeof(set), .index = VFIO_PCI_MSIX_IRQ_INDEX,
                  .count = 1, .flags = VFIO_IRQ_SET_DATA_EVENTFD |
                                       VFIO_IRQ_SET_ACTION_TRIGGER}, {-1}};
        g_assert_cmpint(ioc(dfd, VFIO_DEVICE_SET_IRQS, &set), ==, 0);
        set.s.start = 16;
        g_assert_cmpint(ioc(dfd, VFIO_DEVICE_SET_IRQS, &set), ==, EINVAL);
    }
    ft.flags = VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_GET |
               VFIO_DEVICE_FEATURE_MIGRATION;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_FEATURE, &ft), ==, ENOTTY);
    ft.flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET;
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_FEATURE, &ft), ==, EINVAL);
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_PCI_HOT_RESET, &ft), ==, ENOTTY);
    ops->close(dfd);
    ops->close(ifd);
    check_clean();

    /* no atomics: no capability chain at all */
    use_host("vtd-sapphire-rapids");
    ifd = open_fd("/dev/iommu");
    dfd = open_fd("/dev/vfio/devices/vfio0");
    bind(dfd, ifd);
    info->argsz = sizeof(*info);
    g_assert_cmpint(ioc(dfd, VFIO_DEVICE_GET_INFO, info), ==, 0);
    g_assert_cmphex(info->flags & VFIO_DEVICE_FLAGS_CAPS, ==, 0);
    g_assert_cmpuint(info->argsz, ==, sizeof(*info));
    ops->close(dfd);
    ops->close(ifd);
    check_clean();
}

static void test_fault_injection(void)
{
    Error *err = NULL;
    int ifd;
    struct iommu_ioas_alloc a = {.size = sizeof(a)};

    use_host("grace-hopper");
    ifd = open_fd("/dev/iommu");
    host_model_fail_ioctl(IOMMU_IOAS_ALLOC, 2, ENOMEM);
    g_assert_cmpint(ioc(ifd, IOMMU_IOAS_ALLOC, &a), ==, 0);
    g_assert_cmpint(ioc(ifd, IOMMU_IOAS_ALLOC, &a), ==, ENOMEM);
    g_assert_cmpint(ioc(ifd, IOMMU_IOAS_ALLOC, &a), ==, 0);
    g_assert_cmpuint(host_model_live_objects(), ==, 3); /* file + 2 IOAS */

    host_model_fail_nth(2, EIO);
    g_assert_cmpint(ioc(ifd, IOMMU_IOAS_ALLOC, &a), ==, 0);
    g_assert_cmpint(destroy(ifd, a.out_ioas_id), ==, EIO);
    g_assert_cmpint(destroy(ifd, a.out_ioas_id), ==, 0);

    g_assert_true(host_model_parse_fail("IOMMU_IOAS_ALLOC:1:EPERM",
                                        &error_abort));
    g_assert_cmpint(ioc(ifd, IOMMU_IOAS_ALLOC, &a), ==, EPERM);
    g_assert_true(host_model_parse_fail("any", &error_abort));
    g_assert_cmpint(ioc(ifd, IOMMU_IOAS_ALLOC, &a), ==, ENOMEM);
    g_assert_true(host_model_parse_fail("IOMMU_IOAS_ALLOC:1:12",
                                        &error_abort));
    host_model_fail_clear();
    g_assert_cmpint(ioc(ifd, IOMMU_IOAS_ALLOC, &a), ==, 0);

    g_assert_false(host_model_parse_fail("IOMMU_NOPE", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "unknown ioctl"));
    error_free(err);
    err = NULL;
    g_assert_false(host_model_parse_fail("IOMMU_DESTROY:0", &err));
    error_free(err);
    err = NULL;
    g_assert_false(host_model_parse_fail("IOMMU_DESTROY:1:EWHAT", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "unknown errno"));
    error_free(err);
    ops->close(ifd);
    check_clean();
}

/*
 * iommufd_fail_nth style: fail the 1st, 2nd, ... model ioctl of the nested
 * setup until it runs clean; every failure must unwind to zero objects.
 */
static void test_fail_nth_sweep(void)
{
    unsigned n;

    use_host("grace-hopper");
    for (n = 1;; n++) {
        Nested nest = {-1, -1};
        int rc;

        host_model_fail_nth(n, ENOMEM);
        rc = nested_setup(&nest, GPU);
        host_model_fail_clear();
        nested_close(&nest);
        g_assert_cmpuint(host_model_live_objects(), ==, 0);
        if (rc == 0) {
            break;
        }
        g_assert_cmpint(rc, ==, ENOMEM);
    }
    g_assert_cmpuint(n, ==, 7); /* 6 ioctls, the 7th run is clean */
    check_clean();
}

static void test_fd_passing(void)
{
    int fd = memfd_create("host-model:/dev/iommu", MFD_CLOEXEC);
    int dfd = memfd_create("host-model:/dev/vfio/devices/vfio0", 0);
    int other = memfd_create("something-else", MFD_CLOEXEC);
    int fd2;
    struct iommu_ioas_alloc a = {.size = sizeof(a)};

    use_host("grace-hopper");
    g_assert_cmpint(ioc(fd, IOMMU_IOAS_ALLOC, &a), ==, 0); /* adopted */
    bind(dfd, fd);
    fd2 = ops->dup(fd);
    g_assert_cmpint(destroy(fd2, a.out_ioas_id), ==, 0); /* same context */
    g_assert_cmpint(ioc(other, IOMMU_IOAS_ALLOC, &a), ==, ENOTTY);
    ops->close(fd);
    g_assert_cmpint(ioc(fd2, IOMMU_IOAS_ALLOC, &a), ==, 0);
    ops->close(fd2);
    ops->close(dfd);
    close(other);
    check_clean();
}

static void test_sysfs(void)
{
    g_autofree char *path = NULL;
    g_autofree char *cls = NULL;
    g_autoptr(GPtrArray) devs = NULL;
    Error *err = NULL;
    int group;
    size_t len;

    use_host("grace-hopper");
    g_assert_true(host_find_vfio_cdev("0009:01:00.0", &path, &error_abort));
    g_assert_cmpstr(path, ==, "/dev/vfio/devices/vfio0");
    g_assert_true(ops->path_exists(path));
    g_assert_true(host_get_iommu_group("0009:01:00.0", &group,
                                       &error_abort));
    g_assert_cmpint(group, ==, 1);
    cls = ops->read_file("/sys/bus/pci/devices/0009:01:00.0/class", &len);
    g_assert_cmpstr(cls, ==, "0x030200\n");
    devs = ops->list_dir("/sys/bus/pci/devices");
    g_assert_cmpuint(devs->len, ==, 2);
    g_assert_null(ops->read_file("/sys/bus/pci/devices/0009:01:00.0/nope",
                                 &len));
    g_assert_cmpint(errno, ==, ENOENT);

    g_assert_false(host_find_vfio_cdev("0000:05:00.0", &path, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Host PCI device 0000:05:00.0 not found");
    error_free(err);
    err = NULL;
    g_assert_false(host_find_vfio_cdev("zz", &path, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "Invalid PCI address"));
    error_free(err);
    check_clean();
}

/* A device described without "cdev" is not bound to vfio-pci. */
static void test_not_bound(void)
{
    const HostModelBundled *b = host_model_bundled;
    g_autoptr(JsonParser) p = json_parser_new();
    g_autofree char *text = NULL;
    g_autofree char *path = NULL;
    JsonObject *dev;
    Error *err = NULL;

    while (strcmp(b->name, "grace-hopper")) {
        b++;
    }
    g_assert_true(json_parser_load_from_data(p, b->json, -1, NULL));
    dev = json_array_get_object_element(
        json_object_get_array_member(
            json_node_get_object(json_parser_get_root(p)), "devices"), 0);
    json_object_remove_member(dev, "cdev");
    text = json_to_string(json_parser_get_root(p), false);
    host_model_set_desc(host_model_desc_parse(text, "x.json", &error_abort));
    host_ops_set(&host_ops_model);
    g_assert_false(host_find_vfio_cdev("0009:01:00.0", &path, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "0009:01:00.0 is not bound to vfio-pci or the kernel "
                    "lacks VFIO_DEVICE_CDEV");
    error_free(err);
    g_assert_cmpstr(host_ops_describe(), ==, "model: grace-hopper (x.json)");
    check_clean();
}

static void test_select(void)
{
    Error *err = NULL;

    g_assert_true(host_ops_select("linux", &error_abort));
    g_assert_cmpstr(host_ops_describe(), ==, "linux");
    g_assert_true(host_ops() == &host_ops_linux);
    g_assert_true(host_ops_select("vtd-skylake-nonest,fail=IOMMU_IOAS_ALLOC",
                                  &error_abort));
    g_assert_cmpstr(host_ops_describe(), ==,
                    "model: vtd-skylake-nonest (bundled)");
    ops = host_ops();
    {
        int fd = open_fd("/dev/iommu");
        struct iommu_ioas_alloc a = {.size = sizeof(a)};
        g_assert_cmpint(ioc(fd, IOMMU_IOAS_ALLOC, &a), ==, ENOMEM);
        ops->close(fd);
    }
    g_assert_false(host_ops_select("nope", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "Unknown host model"));
    error_free(err);
    err = NULL;
    g_assert_false(host_ops_select("grace-hopper,x=1", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Invalid parameter 'x'");
    error_free(err);
    err = NULL;
    g_assert_false(host_ops_select("linux,fail=IOMMU_DESTROY", &err));
    error_free(err);
    err = NULL;
    g_assert_false(host_ops_select("grace-hopper,fail=BOGUS", &err));
    error_free(err);
    g_assert_cmpstr(host_ioctl_name(IOMMU_HWPT_ALLOC), ==, "IOMMU_HWPT_ALLOC");
    g_assert_cmpstr(host_ioctl_name(VFIO_DEVICE_BIND_IOMMUFD), ==,
                    "VFIO_DEVICE_BIND_IOMMUFD");
    g_assert_cmpstr(host_ioctl_name(0x1234), ==, "unknown ioctl");
    check_clean();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/host-model/size-rules", test_size_rules);
    g_test_add_func("/host-model/hw-info/smmuv3", test_hw_info_smmu);
    g_test_add_func("/host-model/hw-info/caps", test_hw_info_caps);
    g_test_add_func("/host-model/bind-attach", test_bind_attach);
    g_test_add_func("/host-model/ioas-map", test_ioas_map);
    g_test_add_func("/host-model/nested/smmuv3", test_nested_smmu);
    g_test_add_func("/host-model/nested/vtd", test_nested_vtd);
    g_test_add_func("/host-model/device-info", test_device_info);
    g_test_add_func("/host-model/fault-injection", test_fault_injection);
    g_test_add_func("/host-model/fail-nth-sweep", test_fail_nth_sweep);
    g_test_add_func("/host-model/fd-passing", test_fd_passing);
    g_test_add_func("/host-model/sysfs", test_sysfs);
    g_test_add_func("/host-model/not-bound", test_not_bound);
    g_test_add_func("/host-model/select", test_select);
    return g_test_run();
}
