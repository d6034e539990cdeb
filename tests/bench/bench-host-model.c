/*
 * Round trips through the host boundary (host_ops()) to the in-process
 * host model, bundled grace-hopper host, GPU 0009:01:00.0: the iommufd
 * and VFIO requests the emulator makes at start-up, on guest RAM changes,
 * on guest STE/CD installs and on every guest CMD_SYNC.
 * Usage: bench-host-model [seconds-per-case]
 */
#include "qemu/osdep.h"
#include "backends/host-model.h"
#include "bench-common.h"
#include <sys/mman.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

#define GPU "0009:01:00.0"
#define MAP_IOVA 0x40000000ULL   /* virt's RAM base */
#define FILL_IOVA 0x100000000ULL /* other mappings present */
#define FILL_MAPPINGS 1024
#define BUF_SIZE (2 * MiB)
#define BATCH_MAX 64

/* STE words 0-1 for a stage-1 translating nested HWPT (CFG = 0b101). */
#define STE0_S1 (1ULL | (5ULL << 1) | 0x1000ULL)
#define CMD_TLBI_NH_VA 0x12ULL

typedef struct Host {
    const HostOps *ops;
    int ifd, dfd;
    uint32_t dev, ioas, s2, viommu, vdev;
    uint8_t *buf; /* user memory the mappings name */
    off_t config_off;
    uint64_t len;   /* per case: mapping or read length */
    uint32_t batch; /* per case: invalidation entries per call */
    struct iommu_viommu_arm_smmuv3_invalidate cmds[BATCH_MAX];
} Host;

static void bench_ioctl(Host *h, int fd, unsigned long req, void *arg)
{
    if (h->ops->ioctl(fd, req, arg) < 0) {
        g_error("%s: %s", host_ioctl_name(req), g_strerror(errno));
    }
}

static void ioas_map(Host *h, uint64_t iova, uint64_t len)
{
    struct iommu_ioas_map m = {
        .size = sizeof(m),
        .flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
                 IOMMU_IOAS_MAP_WRITEABLE,
        .ioas_id = h->ioas,
        .user_va = (uintptr_t)h->buf,
        .length = len,
        .iova = iova,
    };

    bench_ioctl(h, h->ifd, IOMMU_IOAS_MAP, &m);
}

static void ioas_unmap(Host *h, uint64_t iova, uint64_t len)
{
    struct iommu_ioas_unmap u = {
        .size = sizeof(u),
        .ioas_id = h->ioas,
        .iova = iova,
        .length = len,
    };

    bench_ioctl(h, h->ifd, IOMMU_IOAS_UNMAP, &u);
    if (u.length != len) {
        g_error("IOMMU_IOAS_UNMAP unmapped 0x%llx bytes, not 0x%" PRIx64,
                (unsigned long long)u.length, len);
    }
}

static uint32_t hwpt_alloc(Host *h, uint32_t pt, uint32_t flags, uint32_t type,
                           void *data, uint32_t len)
{
    struct iommu_hwpt_alloc a = {
        .size = sizeof(a),
        .flags = flags,
        .dev_id = h->dev,
        .pt_id = pt,
        .data_type = type,
        .data_len = len,
        .data_uptr = (uintptr_t)data,
    };

    bench_ioctl(h, h->ifd, IOMMU_HWPT_ALLOC, &a);
    return a.out_hwpt_id;
}

static void obj_destroy(Host *h, uint32_t id)
{
    struct iommu_destroy d = {.size = sizeof(d), .id = id};

    bench_ioctl(h, h->ifd, IOMMU_DESTROY, &d);
}

/*
 * What iommufd-backed vfio-pci and arm-smmuv3,accel=on set up: bind, an
 * IOAS with a nest-parent HWPT attached, a vIOMMU and a vDEVICE.
 */
static void host_setup(Host *h)
{
    g_autofree char *cdev = NULL;
    struct vfio_device_bind_iommufd bind = {.argsz = sizeof(bind)};
    struct iommu_ioas_alloc ioas = {.size = sizeof(ioas)};
    struct vfio_device_attach_iommufd_pt at = {.argsz = sizeof(at)};
    struct iommu_viommu_alloc v = {.size = sizeof(v),
                                   .type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3};
    struct iommu_vdevice_alloc vd = {.size = sizeof(vd), .virt_id = 0x100};
    struct vfio_region_info ri = {.argsz = sizeof(ri),
                                  .index = VFIO_PCI_CONFIG_REGION_INDEX};

    host_model_set_desc(host_model_desc_load("grace-hopper", &error_abort));
    host_ops_set(&host_ops_model);
    h->ops = host_ops();
    host_find_vfio_cdev(GPU, &cdev, &error_abort);
    h->ifd = h->ops->open("/dev/iommu", O_RDWR | O_CLOEXEC);
    h->dfd = h->ops->open(cdev, O_RDWR | O_CLOEXEC);
    g_assert_cmpint(h->ifd, >=, 0);
    g_assert_cmpint(h->dfd, >=, 0);
    bind.iommufd = h->ifd;
    bench_ioctl(h, h->dfd, VFIO_DEVICE_BIND_IOMMUFD, &bind);
    h->dev = bind.out_devid;
    bench_ioctl(h, h->ifd, IOMMU_IOAS_ALLOC, &ioas);
    h->ioas = ioas.out_ioas_id;
    h->s2 = hwpt_alloc(h, h->ioas, IOMMU_HWPT_ALLOC_NEST_PARENT,
                       IOMMU_HWPT_DATA_NONE, NULL, 0);
    at.pt_id = h->s2;
    bench_ioctl(h, h->dfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at);
    v.dev_id = h->dev;
    v.hwpt_id = h->s2;
    bench_ioctl(h, h->ifd, IOMMU_VIOMMU_ALLOC, &v);
    h->viommu = v.out_viommu_id;
    vd.viommu_id = h->viommu;
    vd.dev_id = h->dev;
    bench_ioctl(h, h->ifd, IOMMU_VDEVICE_ALLOC, &vd);
    h->vdev = vd.out_vdevice_id;
    bench_ioctl(h, h->dfd, VFIO_DEVICE_GET_REGION_INFO, &ri);
    h->config_off = ri.offset;

    h->buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    g_assert_true(h->buf != MAP_FAILED);
    for (unsigned i = 0; i < BATCH_MAX; i++) {
        h->cmds[i].cmd[0] = htole64(CMD_TLBI_NH_VA | (1ULL << 48));
        h->cmds[i].cmd[1] = htole64(MAP_IOVA + i * 4 * KiB);
    }
}

static void host_teardown(Host *h)
{
    struct vfio_device_detach_iommufd_pt dt = {.argsz = sizeof(dt)};

    obj_destroy(h, h->vdev);
    obj_destroy(h, h->viommu);
    bench_ioctl(h, h->dfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &dt);
    obj_destroy(h, h->s2);
    obj_destroy(h, h->ioas);
    h->ops->close(h->dfd);
    h->ops->close(h->ifd);
    munmap(h->buf, BUF_SIZE);
    if (host_model_live_objects()) {
        g_error("%u host model objects left", host_model_live_objects());
    }
    host_model_reset();
}

static void op_hw_info(void *opaque, uint64_t i)
{
    Host *h = opaque;
    struct iommu_hw_info_arm_smmuv3 data;
    struct iommu_hw_info info = {
        .size = sizeof(info),
        .dev_id = h->dev,
        .data_len = sizeof(data),
        .data_uptr = (uintptr_t)&data,
    };

    bench_ioctl(h, h->ifd, IOMMU_GET_HW_INFO, &info);
}

static void op_map_unmap(void *opaque, uint64_t i)
{
    Host *h = opaque;

    ioas_map(h, MAP_IOVA, h->len);
    ioas_unmap(h, MAP_IOVA, h->len);
}

/* A guest STE install: nested HWPT for the STE, then its removal. */
static void op_nested_hwpt(void *opaque, uint64_t i)
{
    Host *h = opaque;
    struct iommu_hwpt_arm_smmuv3 ste = {{htole64(STE0_S1), 0}};

    obj_destroy(h, hwpt_alloc(h, h->viommu, 0, IOMMU_HWPT_DATA_ARM_SMMUV3, &ste,
                              sizeof(ste)));
}

/* Forwarding the guest's TLBI commands up to one CMD_SYNC. */
static void op_invalidate(void *opaque, uint64_t i)
{
    Host *h = opaque;
    struct iommu_hwpt_invalidate inv = {
        .size = sizeof(inv),
        .hwpt_id = h->viommu,
        .data_uptr = (uintptr_t)h->cmds,
        .data_type = IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
        .entry_len = sizeof(h->cmds[0]),
        .entry_num = h->batch,
    };

    bench_ioctl(h, h->ifd, IOMMU_HWPT_INVALIDATE, &inv);
    if (inv.entry_num != h->batch) {
        g_error("IOMMU_HWPT_INVALIDATE handled %u of %u entries", inv.entry_num,
                h->batch);
    }
}

static void op_config_read(void *opaque, uint64_t i)
{
    Host *h = opaque;

    if (h->ops->pread(h->dfd, h->buf, h->len, h->config_off) !=
        (ssize_t)h->len) {
        g_error("config region read of %" PRIu64 " bytes failed: %s", h->len,
                g_strerror(errno));
    }
}

int main(int argc, char **argv)
{
    double seconds = bench_seconds(argc, argv, NULL);
    Host h = {0};

    host_setup(&h);
    bench_run(&(BenchCase){"IOMMU_GET_HW_INFO", op_hw_info, &h}, seconds);
    h.len = 4 * KiB;
    bench_run(&(BenchCase){"IOAS_MAP+UNMAP 4K", op_map_unmap, &h}, seconds);
    h.len = 2 * MiB;
    bench_run(&(BenchCase){"IOAS_MAP+UNMAP 2M", op_map_unmap, &h}, seconds);
    for (uint64_t k = 0; k < FILL_MAPPINGS; k++) {
        ioas_map(&h, FILL_IOVA + k * 4 * KiB, 4 * KiB);
    }
    h.len = 4 * KiB;
    bench_run(&(BenchCase){"IOAS_MAP+UNMAP 4K, 1024 mappings present",
                           op_map_unmap, &h},
              seconds);
    ioas_unmap(&h, FILL_IOVA, FILL_MAPPINGS * 4 * KiB);
    bench_run(
        &(BenchCase){"HWPT_ALLOC nested (vSTE) + DESTROY", op_nested_hwpt, &h},
        seconds);
    h.batch = 1;
    bench_run(&(BenchCase){"HWPT_INVALIDATE 1 entry", op_invalidate, &h,
                           .items = 1, .item = "cmds"},
              seconds);
    h.batch = 64;
    bench_run(&(BenchCase){"HWPT_INVALIDATE 64 entries", op_invalidate, &h,
                           .items = 64, .item = "cmds"},
              seconds);
    h.len = 4;
    bench_run(&(BenchCase){"VFIO config region pread 4B", op_config_read, &h},
              seconds);
    h.len = 4 * KiB;
    bench_run(&(BenchCase){"VFIO config region pread 4K", op_config_read, &h,
                           .bytes = 4 * KiB},
              seconds);
    host_teardown(&h);
    return 0;
}
