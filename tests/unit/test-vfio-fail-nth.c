/*
 * Every host request of a complete device bring-up, failed on purpose
 * once: the iommufd connect, the cdev open, bind, IOAS alloc, attach,
 * RAM mapping, HostIOMMUDevice, device/region/IRQ info and reset, then
 * what a vIOMMU does with the device (vIOMMU, vDEVICE, vEVENTQ, nested
 * HWPT, replace attach, invalidation) and the teardown. Each failed run
 * must end in one clear error (or, in teardown, a warning) naming the
 * failed request, with no model object and no fd left behind.
 */
#include "qemu/osdep.h"
#include "backends/host-model.h"
#include "hw/core/iommu.h"
#include "hw/vfio/vfio-device.h"
#include "qom/object_interfaces.h"

#define RAM_BASE 0x40000000ULL
#define RAM_SIZE (256 * KiB)
#define FAIL_ERRNO ENOMEM

/* The model's table, counting requests and recording the failed one. */
static struct {
    unsigned ioctls, opens;
    unsigned fail_open;   /* 1-based; 0: none */
    unsigned watch_ioctl; /* record the request of this call */
    unsigned long watched;
    char *failed_open;
} counter;

static int counting_ioctl(int fd, unsigned long request, void *arg)
{
    if (++counter.ioctls == counter.watch_ioctl) {
        counter.watched = request;
    }
    return host_ops_model.ioctl(fd, request, arg);
}

static int counting_open(const char *path, int flags)
{
    if (++counter.opens == counter.fail_open) {
        counter.failed_open = g_strdup(path);
        errno = EACCES;
        return -1;
    }
    return host_ops_model.open(path, flags);
}

static HostOps counting_ops;

static void use_host(const char *name)
{
    g_assert_true(host_ops_select(name, &error_abort));
    counting_ops = host_ops_model;
    counting_ops.ioctl = counting_ioctl;
    counting_ops.open = counting_open;
    host_ops_set(&counting_ops);
    g_clear_pointer(&counter.failed_open, g_free);
    memset(&counter, 0, sizeof(counter));
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

static GPtrArray *warnings;

static void collect_report(const char *line, void *opaque)
{
    g_ptr_array_add(warnings, g_strdup(line));
}

/* What a vIOMMU does with a device; one scenario per host kind. */
typedef bool (*ViommuFlow)(IOMMUFDBackend *be, VFIODevice *vdev, Error **errp);

/* SMMUv3 accel: vIOMMU, vDEVICE, vEVENTQ, nested HWPT, invalidation. */
static bool smmuv3_flow(IOMMUFDBackend *be, VFIODevice *vdev, Error **errp)
{
    struct iommu_hwpt_arm_smmuv3 bypass = {.ste = {0x9, 0}};
    struct iommu_viommu_arm_smmuv3_invalidate tlbi = {.cmd = {0x10, 0}};
    HostIOMMUDevice *hiod = vfio_device_hiod(vdev);
    uint32_t viommu = 0, vdevice = 0, veventq = 0, nested = 0, n = 1;
    int qfd = -1;
    bool ok;

    ok =
        iommufd_backend_alloc_viommu(be, vdev->devid,
                                     IOMMU_VIOMMU_TYPE_ARM_SMMUV3,
                                     hiod->default_pt_id, &viommu, errp) &&
        iommufd_backend_alloc_vdev(be, vdev->devid, viommu, 0x100, &vdevice,
                                   errp) &&
        iommufd_backend_alloc_veventq(be, viommu, IOMMU_VEVENTQ_TYPE_ARM_SMMUV3,
                                      128, &veventq, &qfd, errp) &&
        iommufd_backend_alloc_hwpt(be, vdev->devid, viommu, 0,
                                   IOMMU_HWPT_DATA_ARM_SMMUV3, sizeof(bypass),
                                   &bypass, &nested, errp) &&
        host_iommu_device_attach_hwpt(hiod, nested, errp) &&
        iommufd_backend_invalidate_cache(
            be, viommu, IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3, sizeof(tlbi),
            &n, &tlbi, errp) &&
        host_iommu_device_detach_hwpt(hiod, errp);
    if (nested) {
        iommufd_backend_free_id(be, nested);
    }
    if (qfd >= 0) {
        close(qfd);
    }
    if (veventq) {
        iommufd_backend_free_id(be, veventq);
    }
    if (vdevice) {
        iommufd_backend_free_id(be, vdevice);
    }
    if (viommu) {
        iommufd_backend_free_id(be, viommu);
    }
    return ok;
}

/* VT-d nesting: a stage-1 HWPT on the nesting parent, invalidated. */
static bool vtd_flow(IOMMUFDBackend *be, VFIODevice *vdev, Error **errp)
{
    struct iommu_hwpt_vtd_s1 s1 = {.pgtbl_addr = 0x1000, .addr_width = 48};
    struct iommu_hwpt_vtd_s1_invalidate inv = {.npages = UINT64_MAX};
    HostIOMMUDevice *hiod = vfio_device_hiod(vdev);
    uint32_t nested = 0, n = 1;
    bool ok;

    ok = iommufd_backend_alloc_hwpt(be, vdev->devid, hiod->default_pt_id, 0,
                                    IOMMU_HWPT_DATA_VTD_S1, sizeof(s1), &s1,
                                    &nested, errp) &&
         host_iommu_device_attach_hwpt(hiod, nested, errp) &&
         iommufd_backend_invalidate_cache(be, nested,
                                          IOMMU_HWPT_INVALIDATE_DATA_VTD_S1,
                                          sizeof(inv), &n, &inv, errp) &&
         host_iommu_device_detach_hwpt(hiod, errp);
    if (nested) {
        iommufd_backend_free_id(be, nested);
    }
    return ok;
}

typedef struct Scenario {
    const char *host;
    const char *device;
    ViommuFlow flow;
} Scenario;

/* Device-side requests a device model makes after attach. */
static bool use_device(VFIODevice *vdev, Error **errp)
{
    struct vfio_irq_info irq;
    uint8_t cfg[64];

    return vfio_device_get_region_info(vdev, VFIO_PCI_BAR0_REGION_INDEX,
                                       errp) &&
           vfio_region_read(vdev, VFIO_PCI_CONFIG_REGION_INDEX, 0, cfg,
                            sizeof(cfg), errp) == sizeof(cfg) &&
           vfio_device_get_irq_info(vdev, VFIO_PCI_MSIX_IRQ_INDEX, &irq,
                                    errp) &&
           vfio_device_reset(vdev, errp);
}

/*
 * One complete run: create, attach, use, vIOMMU flow, tear down. Returns
 * the error of a failed step (NULL on success); teardown warnings are
 * collected in warnings.
 */
static Error *run(const Scenario *s)
{
    g_autoptr(JsonObject) props = json_object_new();
    MemoryRegion root, ram;
    AddressSpace as;
    IOMMUFDBackend *be;
    VFIODevice vdev;
    Error *err = NULL;

    memory_region_init(&root, NULL, "fail-nth", UINT64_MAX);
    g_assert_true(
        memory_region_init_ram(&ram, NULL, "ram", RAM_SIZE, &error_abort));
    memory_region_add_subregion(&root, RAM_BASE, &ram);
    address_space_init(&as, &root, "fail-nth");
    be = IOMMUFD_BACKEND(user_creatable_add_type(
        TYPE_IOMMUFD_BACKEND, "iommufd0", props, false, &error_abort));

    vfio_device_init(&vdev);
    vdev.host = (char *)s->device;
    error_set_report_sink(collect_report, NULL);
    if (vfio_device_get_name(&vdev, &err) &&
        vfio_device_attach(&vdev, be, &as, VIOMMU_FLAG_WANT_NESTING_PARENT,
                           &err)) {
        if (use_device(&vdev, &err)) {
            s->flow(be, &vdev, &err);
        }
        vfio_device_detach(&vdev);
    }
    vfio_device_finalize(&vdev);
    error_set_report_sink(NULL, NULL);

    g_assert_cmpuint(be->users, ==, 0);
    g_assert_true(user_creatable_del("iommufd0", &error_abort));
    address_space_destroy(&as);
    memory_region_destroy(&ram);
    memory_region_destroy(&root);
    return err;
}

/*
 * The message a failed run produced: its error, else its first warning.
 * Further warnings may only be the consequence of that failure: objects
 * still in use could not be destroyed (the iommufd close frees them).
 */
static char *failure_text(Error *err)
{
    for (unsigned i = err ? 0 : 1; i < warnings->len; i++) {
        g_assert_nonnull(strstr(g_ptr_array_index(warnings, i),
                                "IOMMU_DESTROY failed: Device or resource "
                                "busy"));
    }
    if (err) {
        return g_strdup(error_get_pretty(err));
    }
    g_assert_cmpuint(warnings->len, >=, 1);
    g_assert_nonnull(strstr(g_ptr_array_index(warnings, 0), "warning: "));
    return g_strdup(g_ptr_array_index(warnings, 0));
}

static void sweep(gconstpointer data)
{
    const Scenario *s = data;
    unsigned ioctls, opens, fds;
    Error *err;

    /* A clean run, to count the requests */
    use_host(s->host);
    warnings = g_ptr_array_new_with_free_func(g_free);
    fds = count_fds();
    err = run(s);
    g_assert_null(err);
    g_assert_cmpuint(warnings->len, ==, 0);
    ioctls = counter.ioctls;
    opens = counter.opens;
    g_assert_cmpuint(ioctls, >, 20);
    g_assert_cmpuint(opens, ==, 2);

    for (unsigned n = 1; n <= ioctls + opens; n++) {
        bool ioctl = n <= ioctls;
        g_autofree char *text = NULL;
        const char *what;

        use_host(s->host);
        g_ptr_array_set_size(warnings, 0);
        if (ioctl) {
            host_model_fail_nth(n, FAIL_ERRNO);
            counter.watch_ioctl = n;
        } else {
            counter.fail_open = n - ioctls;
        }
        err = run(s);
        text = failure_text(err);
        error_free(err);
        if (g_test_verbose()) {
            g_test_message("request %u: %s", n, text);
        }
        what = ioctl ? host_ioctl_name(counter.watched) : counter.failed_open;
        g_assert_nonnull(what);
        g_assert_nonnull(strstr(text, what));
        g_assert_nonnull(
            strstr(text, ioctl ? g_strerror(FAIL_ERRNO) : g_strerror(EACCES)));
        g_assert_cmpuint(host_model_live_objects(), ==, 0);
        g_assert_cmpuint(count_fds(), ==, fds);
    }

    /* past the last request the run is clean again */
    use_host(s->host);
    g_ptr_array_set_size(warnings, 0);
    host_model_fail_nth(ioctls + 1, FAIL_ERRNO);
    err = run(s);
    g_assert_null(err);
    g_assert_cmpuint(warnings->len, ==, 0);
    g_assert_cmpuint(counter.ioctls, ==, ioctls);
    host_model_fail_clear();
    g_clear_pointer(&warnings, g_ptr_array_unref);
    g_clear_pointer(&counter.failed_open, g_free);
}

static const Scenario smmuv3 = {"grace-hopper", "0009:01:00.0", smmuv3_flow};
static const Scenario vtd = {"vtd-sapphire-rapids", "0000:6a:01.0", vtd_flow};

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_data_func("/vfio/fail-nth/smmuv3", &smmuv3, sweep);
    g_test_add_data_func("/vfio/fail-nth/vtd", &vtd, sweep);
    return g_test_run();
}
