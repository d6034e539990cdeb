/*
 * e2e-vfio-probe --ioctls: raw iommufd and VFIO requests on an attached
 * device, good and bad, each printed with its outcome (the output fields
 * that matter, or the errno). The kernel's answers and a host model's
 * must be the same: object ids, size rules, errno values. Every request
 * here is one Linux 6.12 knows, and each probe leaves the state as it
 * found it.
 */
#include "qemu/osdep.h"
#include "backends/host-ops.h"
#include "vfio-probe.h"
#include <sys/mman.h>

#define PROBE_BUF_SIZE (64 * KiB)
#define PROBE_IOVA 0x100000ULL
#define BAD_ID 0xfff0

typedef struct Probe {
    int ifd; /* the iommufd */
    int dfd; /* the VFIO device */
    uint32_t devid;
    uint32_t ioas; /* the IOAS the device is attached to */
    void *buf;     /* page-aligned user memory to map */
} Probe;

/*
 * Prints "ioctl NAME: ok DETAIL" or "ioctl NAME: errno N (TEXT)" for the
 * outcome rc of a request made just before (errno is still its own).
 */
static bool report(const char *name, int rc, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static bool report(const char *name, int rc, const char *fmt, ...)
{
    int err = errno;
    va_list ap;

    printf("ioctl %s: ", name);
    if (rc < 0) {
        printf("errno %d (%s)\n", err, strerror(err));
        return false;
    }
    printf("ok");
    if (fmt) {
        printf(" ");
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
    }
    printf("\n");
    return true;
}

static int ioc(int fd, unsigned long request, void *arg)
{
    return host_ops()->ioctl(fd, request, arg);
}

static void probe_hw_info(Probe *p)
{
    struct {
        struct iommu_hw_info info;
        uint64_t tail;
    } big = {.info = {.size = sizeof(big), .dev_id = p->devid}, .tail = 1};
    struct iommu_hw_info info = {.size = sizeof(info), .dev_id = p->devid};
    int rc;

    rc = ioc(p->ifd, IOMMU_GET_HW_INFO, &info);
    report("hw-info-no-data", rc,
           "type %u data_len %u caps 0x%" PRIx64 " max_pasid_log2 %u",
           info.out_data_type, info.data_len, (uint64_t)info.out_capabilities,
           info.out_max_pasid_log2);
    info = (struct iommu_hw_info){.size = 16, .dev_id = p->devid};
    report("hw-info-size-16", ioc(p->ifd, IOMMU_GET_HW_INFO, &info), NULL);
    report("hw-info-nonzero-tail", ioc(p->ifd, IOMMU_GET_HW_INFO, &big), NULL);
    info = (struct iommu_hw_info){.size = sizeof(info), .dev_id = BAD_ID};
    report("hw-info-unknown-dev", ioc(p->ifd, IOMMU_GET_HW_INFO, &info), NULL);
    info = (struct iommu_hw_info){.size = sizeof(info), .dev_id = p->ioas};
    report("hw-info-ioas-as-dev", ioc(p->ifd, IOMMU_GET_HW_INFO, &info), NULL);
    info = (struct iommu_hw_info){
        .size = sizeof(info), .dev_id = p->devid, .flags = 0x80};
    report("hw-info-unknown-flag", ioc(p->ifd, IOMMU_GET_HW_INFO, &info), NULL);
}

static int map(Probe *p, uint32_t flags, uint64_t iova, uint64_t len,
               uint64_t *out_iova)
{
    struct iommu_ioas_map m = {
        .size = sizeof(m),
        .flags = flags | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE,
        .ioas_id = p->ioas,
        .user_va = (uintptr_t)p->buf,
        .length = len,
        .iova = iova,
    };
    int rc = ioc(p->ifd, IOMMU_IOAS_MAP, &m);

    if (out_iova) {
        *out_iova = m.iova;
    }
    return rc;
}

static int unmap(Probe *p, uint64_t iova, uint64_t len, uint64_t *out_len)
{
    struct iommu_ioas_unmap u = {
        .size = sizeof(u), .ioas_id = p->ioas, .iova = iova, .length = len};
    int rc = ioc(p->ifd, IOMMU_IOAS_UNMAP, &u);

    *out_len = u.length;
    return rc;
}

/* A fixed mapping that may be refused; undone if not. */
static void map_and_unmap(Probe *p, const char *name, uint64_t iova,
                          uint64_t len)
{
    uint64_t unmapped;

    if (report(name, map(p, IOMMU_IOAS_MAP_FIXED_IOVA, iova, len, NULL),
               NULL)) {
        unmap(p, iova, len, &unmapped);
    }
}

static void probe_map_unmap(Probe *p)
{
    const uint32_t fixed = IOMMU_IOAS_MAP_FIXED_IOVA;
    uint64_t iova = 0, len = 0;
    int rc;

    map_and_unmap(p, "map-unaligned-iova", PROBE_IOVA + 0x10, 4096);
    map_and_unmap(p, "map-unaligned-length", PROBE_IOVA, 4096 + 0x10);
    map_and_unmap(p, "map-zero-length", PROBE_IOVA, 0);
    map_and_unmap(p, "map-msi-window", 0xfee00000, 4096);
    map_and_unmap(p, "map-above-aperture", 1ULL << 48, 4096);
    report("map-fixed", map(p, fixed, PROBE_IOVA, 2 * 4096, NULL), NULL);
    report("map-overlap", map(p, fixed, PROBE_IOVA + 4096, 4096, NULL), NULL);
    rc = unmap(p, PROBE_IOVA, 4096, &len);
    report("unmap-part", rc, "length 0x%" PRIx64, len);
    report("unmap-nothing", unmap(p, PROBE_IOVA + 0x100000, 4096, &len), NULL);
    rc = unmap(p, PROBE_IOVA, 2 * 4096, &len);
    report("unmap-fixed", rc, "length 0x%" PRIx64, len);
    rc = map(p, 0, 0, 4096, &iova);
    if (report("map-any-iova", rc, "iova 0x%" PRIx64, iova)) {
        rc = unmap(p, iova, 4096, &len);
        report("unmap-any-iova", rc, "length 0x%" PRIx64, len);
    }
}

/* An IOAS without an IOMMU domain takes mappings of any alignment. */
static void probe_empty_ioas(Probe *p, uint32_t ioas)
{
    struct iommu_ioas_iova_ranges r = {.size = sizeof(r), .ioas_id = ioas};
    struct iommu_ioas_map m = {
        .size = sizeof(m),
        .flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE,
        .ioas_id = ioas,
        .user_va = (uintptr_t)p->buf + 0x800,
        .length = 0x800,
        .iova = PROBE_IOVA + 0x800,
    };
    int rc;

    rc = ioc(p->ifd, IOMMU_IOAS_IOVA_RANGES, &r);
    report("empty-ioas-ranges", rc, NULL);
    printf("ioctl empty-ioas-ranges: num_iovas %u alignment 0x%" PRIx64 "\n",
           r.num_iovas, (uint64_t)r.out_iova_alignment);
    report("empty-ioas-map-unaligned", ioc(p->ifd, IOMMU_IOAS_MAP, &m), NULL);
}

static void probe_objects(Probe *p)
{
    struct iommu_ioas_iova_ranges r = {.size = sizeof(r), .ioas_id = p->ioas};
    struct iommu_ioas_alloc a = {.size = sizeof(a)};
    struct iommu_hwpt_alloc h = {
        .size = sizeof(h), .dev_id = p->devid, .pt_id = p->ioas};
    struct iommu_destroy d = {.size = sizeof(d)};
    int rc;

    rc = ioc(p->ifd, IOMMU_IOAS_IOVA_RANGES, &r);
    report("iova-ranges-count", rc, NULL);
    printf("ioctl iova-ranges-count: num_iovas %u\n", r.num_iovas);
    rc = ioc(p->ifd, IOMMU_IOAS_ALLOC, &a);
    if (report("ioas-alloc", rc, "id %u", a.out_ioas_id)) {
        probe_empty_ioas(p, a.out_ioas_id);
        d.id = a.out_ioas_id;
        report("destroy-ioas", ioc(p->ifd, IOMMU_DESTROY, &d), NULL);
    }
    h.flags = IOMMU_HWPT_ALLOC_NEST_PARENT;
    report("hwpt-nest-parent", ioc(p->ifd, IOMMU_HWPT_ALLOC, &h), NULL);
    h.flags = IOMMU_HWPT_ALLOC_DIRTY_TRACKING;
    report("hwpt-dirty-tracking", ioc(p->ifd, IOMMU_HWPT_ALLOC, &h), NULL);
    h.flags = 0;
    h.pt_id = BAD_ID;
    report("hwpt-unknown-ioas", ioc(p->ifd, IOMMU_HWPT_ALLOC, &h), NULL);
    h.pt_id = p->ioas;
    rc = ioc(p->ifd, IOMMU_HWPT_ALLOC, &h);
    if (report("hwpt-paging", rc, "id %u", h.out_hwpt_id)) {
        d.id = h.out_hwpt_id;
        report("destroy-hwpt", ioc(p->ifd, IOMMU_DESTROY, &d), NULL);
    }
    d.id = p->ioas;
    report("destroy-ioas-in-use", ioc(p->ifd, IOMMU_DESTROY, &d), NULL);
    d.id = p->devid;
    report("destroy-device", ioc(p->ifd, IOMMU_DESTROY, &d), NULL);
    d.id = BAD_ID;
    report("destroy-unknown", ioc(p->ifd, IOMMU_DESTROY, &d), NULL);
    report("iommufd-unknown-request", ioc(p->ifd, _IO(IOMMUFD_TYPE, 0x7f), &d),
           NULL);
}

static void probe_device(Probe *p)
{
    struct vfio_device_bind_iommufd b = {.argsz = sizeof(b), .iommufd = p->ifd};
    struct vfio_device_attach_iommufd_pt at = {.argsz = sizeof(at),
                                               .pt_id = BAD_ID};
    struct vfio_device_info info = {.argsz = 8};
    struct vfio_region_info ri = {.argsz = 8};
    struct vfio_irq_info irq = {.argsz = sizeof(irq), .index = 5};
    struct vfio_irq_set set = {.argsz = sizeof(set), .flags = 0xffff};
    struct vfio_device_feature ft = {.argsz = sizeof(ft),
                                     .flags = VFIO_DEVICE_FEATURE_PROBE |
                                              VFIO_DEVICE_FEATURE_GET |
                                              VFIO_DEVICE_FEATURE_MIGRATION};

    report("bind-again", ioc(p->dfd, VFIO_DEVICE_BIND_IOMMUFD, &b), NULL);
    report("attach-unknown-pt", ioc(p->dfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at),
           NULL);
    report("device-info-argsz-8", ioc(p->dfd, VFIO_DEVICE_GET_INFO, &info),
           NULL);
    report("region-info-argsz-8", ioc(p->dfd, VFIO_DEVICE_GET_REGION_INFO, &ri),
           NULL);
    ri = (struct vfio_region_info){.argsz = sizeof(ri), .index = 9};
    report("region-info-index-9", ioc(p->dfd, VFIO_DEVICE_GET_REGION_INFO, &ri),
           NULL);
    report("irq-info-index-5", ioc(p->dfd, VFIO_DEVICE_GET_IRQ_INFO, &irq),
           NULL);
    report("set-irqs-bad-flags", ioc(p->dfd, VFIO_DEVICE_SET_IRQS, &set), NULL);
    report("feature-migration-probe", ioc(p->dfd, VFIO_DEVICE_FEATURE, &ft),
           NULL);
    report("device-reset", ioc(p->dfd, VFIO_DEVICE_RESET, NULL), NULL);
    report("device-unknown-request", ioc(p->dfd, _IO(VFIO_TYPE, 0x7f), NULL),
           NULL);
}

/* Region accesses at the region's file offset (index << 40). */
static void probe_regions(Probe *p)
{
    const HostOps *ops = host_ops();
    uint8_t buf[8];
    off_t cfg = (off_t)VFIO_PCI_CONFIG_REGION_INDEX << 40;
    off_t rom = (off_t)VFIO_PCI_ROM_REGION_INDEX << 40;
    ssize_t n;

    n = ops->pread(p->dfd, buf, 8, cfg + 4092);
    report("config-read-across-end", n, "%zd bytes", n);
    n = ops->pread(p->dfd, buf, 4, cfg + 4096);
    report("config-read-past-end", n, "%zd bytes", n);
    n = ops->pread(p->dfd, buf, 4, 0);
    report("bar0-read-absent", n, "%zd bytes", n);
    n = ops->pread(p->dfd, buf, 4, (off_t)VFIO_PCI_VGA_REGION_INDEX << 40);
    report("vga-read-absent", n, "%zd bytes", n);
    n = ops->pwrite(p->dfd, buf, 4, rom);
    report("rom-write", n, "%zd bytes", n);
}

void vfio_probe_ioctls(VFIODevice *vdev, int iommufd)
{
    Probe p = {
        .ifd = iommufd,
        .dfd = vdev->fd,
        .devid = vdev->devid,
        .ioas = vfio_device_hiod(vdev)->ioas_id,
    };

    p.buf = mmap(NULL, PROBE_BUF_SIZE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    g_assert(p.buf != MAP_FAILED);
    memset(p.buf, 0x5a, PROBE_BUF_SIZE);
    probe_hw_info(&p);
    probe_map_unmap(&p);
    probe_objects(&p);
    probe_device(&p);
    probe_regions(&p);
    munmap(p.buf, PROBE_BUF_SIZE);
}
