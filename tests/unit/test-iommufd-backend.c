/*
 * The "iommufd" object on the host model: completion, user counting,
 * fd passing (numbers, getfd names, the model's memfd convention),
 * object-del while in use, and every operation's result and error text.
 */
#include "qemu/osdep.h"
#include "backends/host-model.h"
#include "backends/iommufd.h"
#include "chardev/char.h"
#include "hw/core/qdev.h"
#include "monitor/qmp.h"
#include "qemu/keyval.h"
#include "qom/object_interfaces.h"
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/vfio.h>

#define GPU_CDEV "/dev/vfio/devices/vfio0" /* grace-hopper 0009:01:00.0 */

static void use_host(const char *name)
{
    g_assert_true(host_ops_select(name, &error_abort));
}

static unsigned count_fds(void)
{
    g_autoptr(GDir) dir = g_dir_open("/proc/self/fd", 0, NULL);
    unsigned n = 0;

    g_assert_nonnull(dir);
    while (g_dir_read_name(dir)) {
        n++;
    }
    return n;
}

static bool fd_is_open(int fd)
{
    return fcntl(fd, F_GETFD) >= 0;
}

/* -object iommufd,id=ID[,fd=FD] */
static IOMMUFDBackend *new_iommufd(const char *id, const char *fd, Error **errp)
{
    g_autoptr(JsonObject) props = json_object_new();
    Object *obj;

    if (fd) {
        json_object_set_string_member(props, "fd", fd);
    }
    obj = user_creatable_add_type(TYPE_IOMMUFD_BACKEND, id, props, false, errp);
    return obj ? IOMMUFD_BACKEND(obj) : NULL;
}

static void del_iommufd(const char *id)
{
    g_assert_true(user_creatable_del(id, &error_abort));
}

/* An fd the model adopts as an open of /dev/iommu. */
static int model_iommufd_memfd(void)
{
    int fd = memfd_create("host-model:/dev/iommu", MFD_CLOEXEC);

    g_assert_cmpint(fd, >=, 0);
    return fd;
}

static void test_users(void)
{
    unsigned fds;
    IOMMUFDBackend *be;

    use_host("grace-hopper");
    fds = count_fds();
    be = new_iommufd("iommufd0", NULL, &error_abort);
    g_assert_true(object_resolve_path("/objects/iommufd0", NULL) == OBJECT(be));
    g_assert_true(be->owned);
    g_assert_cmpint(be->fd, ==, -1);
    g_assert_cmpuint(host_model_live_objects(), ==, 0);

    g_assert_true(iommufd_backend_connect(be, &error_abort));
    g_assert_cmpint(be->fd, >=, 0);
    g_assert_cmpuint(count_fds(), ==, fds + 1);
    g_assert_cmpuint(host_model_live_objects(), ==, 1);
    g_assert_true(iommufd_backend_connect(be, &error_abort));
    g_assert_cmpuint(be->users, ==, 2);
    g_assert_cmpuint(count_fds(), ==, fds + 1);

    iommufd_backend_disconnect(be);
    g_assert_cmpint(be->fd, >=, 0);
    iommufd_backend_disconnect(be);
    g_assert_cmpint(be->fd, ==, -1);
    g_assert_cmpuint(count_fds(), ==, fds);
    g_assert_cmpuint(host_model_live_objects(), ==, 0);

    /* reopened by the next first user */
    g_assert_true(iommufd_backend_connect(be, &error_abort));
    g_assert_cmpint(be->fd, >=, 0);
    iommufd_backend_disconnect(be);
    del_iommufd("iommufd0");
    g_assert_cmpuint(count_fds(), ==, fds);
}

static void test_del_in_use(void)
{
    IOMMUFDBackend *be;
    Error *err = NULL;

    use_host("grace-hopper");
    be = new_iommufd("busy", NULL, &error_abort);
    g_assert_true(iommufd_backend_connect(be, &error_abort));
    g_assert_false(user_creatable_del("busy", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "object 'busy' is in use, can not be deleted");
    error_free(err);
    g_assert_true(object_resolve_path("/objects/busy", NULL) == OBJECT(be));

    iommufd_backend_disconnect(be);
    del_iommufd("busy");
    g_assert_null(object_resolve_path("/objects/busy", NULL));
    g_assert_cmpuint(host_model_live_objects(), ==, 0);
}

/* The model's table with the file system or open() changed. */
static HostOps broken_ops;

static bool no_path(const char *path)
{
    return false;
}

static int open_denied(const char *path, int flags)
{
    errno = EACCES;
    return -1;
}

static void test_no_dev_iommu(void)
{
    Error *err = NULL;

    use_host("grace-hopper");
    broken_ops = host_ops_model;
    broken_ops.path_exists = no_path;
    host_ops_set(&broken_ops);

    g_assert_null(new_iommufd("nodev", NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "iommufd: /dev/iommu does not exist");
    g_assert_nonnull(strstr(error_get_hint(err), "CONFIG_IOMMUFD"));
    g_assert_nonnull(strstr(error_get_hint(err), "-host-model"));
    error_free(err);
    g_assert_null(object_resolve_path("/objects/nodev", NULL));
    host_ops_set(&host_ops_model);
}

static void test_open_fails(void)
{
    IOMMUFDBackend *be;
    Error *err = NULL;

    use_host("grace-hopper");
    be = new_iommufd("noperm", NULL, &error_abort);
    broken_ops = host_ops_model;
    broken_ops.open = open_denied;
    host_ops_set(&broken_ops);

    g_assert_false(iommufd_backend_connect(be, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Could not open /dev/iommu: Permission denied");
    error_free(err);
    g_assert_cmpuint(be->users, ==, 0);
    host_ops_set(&host_ops_model);
    del_iommufd("noperm");
}

static void test_fd_number(void)
{
    g_autofree char *num = NULL;
    IOMMUFDBackend *be;
    uint32_t ioas;
    unsigned fds;
    int fd;

    use_host("grace-hopper");
    fds = count_fds();
    fd = model_iommufd_memfd();
    num = g_strdup_printf("%d", fd);
    be = new_iommufd("passed", num, &error_abort);
    g_assert_false(be->owned);
    g_assert_cmpstr(be->fd_param, ==, num);

    /* users never close a passed fd; the model adopts it on first use */
    for (int round = 0; round < 2; round++) {
        g_assert_true(iommufd_backend_connect(be, &error_abort));
        g_assert_cmpint(be->fd, ==, fd);
        g_assert_true(iommufd_backend_alloc_ioas(be, &ioas, &error_abort));
        iommufd_backend_free_id(be, ioas);
        iommufd_backend_disconnect(be);
        g_assert_true(fd_is_open(fd));
    }

    /* ... the object owns it and closes it when it goes */
    del_iommufd("passed");
    g_assert_false(fd_is_open(fd));
    g_assert_cmpuint(count_fds(), ==, fds);
    g_assert_cmpuint(host_model_live_objects(), ==, 0);
}

static void test_fd_bad(void)
{
    Error *err = NULL;

    use_host("grace-hopper");
    g_assert_null(new_iommufd("badname", "nosuchname", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "File descriptor named 'nosuchname' has not been found");
    error_free(err);
    err = NULL;

    g_assert_null(new_iommufd("badnum", "4x", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Invalid file descriptor number '4x'");
    error_free(err);
    err = NULL;

    g_assert_null(new_iommufd("closed", "999", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "iommufd fd=999 is not usable: Bad file descriptor");
    error_free(err);
}

/* getfd over a QMP monitor, as a management tool passes an fd by name */

static char *read_reply(int fd)
{
    GString *s = g_string_new(NULL);
    char c;

    while (read(fd, &c, 1) == 1) {
        g_string_append_c(s, c);
        if (g_str_has_suffix(s->str, "\r\n")) {
            break;
        }
    }
    return g_string_free(s, FALSE);
}

static void pump(int sock, const char *text)
{
    if (*text) {
        g_assert_cmpint(write(sock, text, strlen(text)), ==,
                        (ssize_t)strlen(text));
    }
    for (int i = 0; i < 100; i++) {
        g_main_context_iteration(NULL, FALSE);
    }
}

static void send_fd(int sock, const char *text, int fd)
{
    char control[CMSG_SPACE(sizeof(int))] = {0};
    struct iovec iov = {.iov_base = (void *)text, .iov_len = strlen(text)};
    struct msghdr msg = {
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = control,
        .msg_controllen = sizeof(control),
    };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    g_assert_cmpint(sendmsg(sock, &msg, 0), ==, (ssize_t)iov.iov_len);
}

static void test_fd_getfd_name(void)
{
    g_autofree char *params = NULL;
    g_autofree char *reply = NULL;
    g_autoptr(Keyval) kv = NULL;
    IOMMUFDBackend *be;
    Monitor *mon;
    Chardev *chr;
    uint32_t ioas;
    int sv[2], fd;

    use_host("grace-hopper");
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    params = g_strdup_printf("socket,id=wpjmon,fd=%d", sv[0]);
    kv = keyval_parse(params, "backend", true, NULL, &error_abort);
    chr = qemu_chr_new_from_opts(kv, &error_abort);
    mon = monitor_new_qmp(chr, false, &error_abort);
    g_free(read_reply(sv[1]));
    pump(sv[1], "{\"execute\": \"qmp_capabilities\"}");
    g_free(read_reply(sv[1]));

    fd = model_iommufd_memfd();
    send_fd(sv[1],
            "{\"execute\": \"getfd\", "
            "\"arguments\": {\"fdname\": \"iommu\"}}",
            fd);
    close(fd);
    pump(sv[1], "");
    reply = read_reply(sv[1]);
    g_assert_cmpstr(reply, ==, "{\"return\": {}}\r\n");

    be = new_iommufd("named", "iommu", &error_abort);
    g_assert_false(be->owned);
    g_assert_cmpstr(be->fd_param, ==, "iommu");
    fd = be->fd;
    g_assert_true(iommufd_backend_connect(be, &error_abort));
    g_assert_true(iommufd_backend_alloc_ioas(be, &ioas, &error_abort));
    iommufd_backend_disconnect(be);
    del_iommufd("named");
    g_assert_false(fd_is_open(fd));
    g_assert_cmpuint(host_model_live_objects(), ==, 0);

    monitor_destroy(mon);
    object_unparent(OBJECT(chr));
    close(sv[1]);
}

/* Machine compat properties reach the object, as for memory backends. */
static void test_compat_props(void)
{
    g_autoptr(GPtrArray) compat = g_ptr_array_new();
    g_autofree char *num = NULL;
    GlobalProperty prop = {.driver = TYPE_IOMMUFD_BACKEND, .property = "fd"};
    IOMMUFDBackend *be;
    int fd;

    use_host("grace-hopper");
    fd = model_iommufd_memfd();
    num = g_strdup_printf("%d", fd);
    prop.value = num;
    g_ptr_array_add(compat, &prop);
    object_set_machine_compat_props(compat);
    be = new_iommufd("compat", NULL, &error_abort);
    object_set_machine_compat_props(NULL);
    g_assert_false(be->owned);
    g_assert_cmpint(be->fd, ==, fd);
    del_iommufd("compat");
    g_assert_false(fd_is_open(fd));
}

/* A device of the model bound to be's iommufd; returns its dev id. */
static uint32_t bind_device(IOMMUFDBackend *be, const char *cdev, int *devfd)
{
    struct vfio_device_bind_iommufd bind = {
        .argsz = sizeof(bind),
        .iommufd = be->fd,
    };

    *devfd = host_ops()->open(cdev, O_RDWR | O_CLOEXEC);
    g_assert_cmpint(*devfd, >=, 0);
    g_assert_cmpint(host_ops()->ioctl(*devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind),
                    ==, 0);
    return bind.out_devid;
}

static void attach_device(int devfd, uint32_t pt_id)
{
    struct vfio_device_attach_iommufd_pt at = {
        .argsz = sizeof(at),
        .pt_id = pt_id,
    };

    g_assert_cmpint(
        host_ops()->ioctl(devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at), ==, 0);
    g_assert_cmpuint(at.pt_id, ==, pt_id);
}

/* The SMMUv3 nested flow of kernel-uapi.md §4.3 through the backend. */
static void test_operations(void)
{
    const HostModelIommu *mmu;
    struct iommu_hw_info_arm_smmuv3 smmu;
    struct iommu_viommu_arm_smmuv3_invalidate cmd = {.cmd = {0x10, 0}};
    struct iommu_hwpt_arm_smmuv3 ste = {.ste = {0x1, 0}};
    g_autoptr(GArray) ranges = NULL;
    g_autofree uint8_t *ram = g_malloc0(64 * KiB);
    IOMMUFDBackend *be;
    uint32_t dev, ioas, s2, viommu, vdev, veventq, nested, type, n;
    uint64_t caps;
    uint8_t pasid;
    int devfd, qfd;

    use_host("grace-hopper");
    mmu = g_ptr_array_index(host_model_get_desc()->iommus, 0);
    be = new_iommufd("ops", NULL, &error_abort);
    g_assert_true(iommufd_backend_connect(be, &error_abort));
    dev = bind_device(be, GPU_CDEV, &devfd);

    g_assert_true(iommufd_backend_alloc_ioas(be, &ioas, &error_abort));
    type = IOMMU_HW_INFO_TYPE_DEFAULT;
    g_assert_true(iommufd_backend_get_device_info(
        be, dev, &type, &smmu, sizeof(smmu), &caps, &pasid, &error_abort));
    g_assert_cmpuint(type, ==, IOMMU_HW_INFO_TYPE_ARM_SMMUV3);
    g_assert_cmpmem(smmu.idr, sizeof(smmu.idr), mmu->idr, sizeof(mmu->idr));
    g_assert_cmpuint(smmu.iidr, ==, mmu->iidr);
    g_assert_cmpuint(caps & IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED, ==, 0);
    g_assert_cmpuint(pasid, ==, 20);

    g_assert_true(iommufd_backend_alloc_hwpt(
        be, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, IOMMU_HWPT_DATA_NONE, 0,
        NULL, &s2, &error_abort));
    attach_device(devfd, s2);
    g_assert_true(iommufd_backend_map_dma(be, ioas, 0x40000000, 64 * KiB, ram,
                                          false, &error_abort));
    g_assert_true(iommufd_backend_map_dma(be, ioas, 0x50000000, 4 * KiB, ram,
                                          true, &error_abort));
    g_assert_true(
        iommufd_backend_unmap_dma(be, ioas, 0x50000000, 4 * KiB, &error_abort));

    /* grace-hopper: the aperture minus the SMMU's MSI window */
    g_assert_true(
        iommufd_backend_get_iova_ranges(be, ioas, &ranges, &error_abort));
    g_assert_cmpuint(ranges->len, ==, mmu->iova_ranges->len);
    for (unsigned i = 0; i < ranges->len; i++) {
        HostIovaRange *want =
            &g_array_index(mmu->iova_ranges, HostIovaRange, i);
        struct iommu_iova_range *got =
            &g_array_index(ranges, struct iommu_iova_range, i);

        g_assert_cmphex(got->start, ==, want->start);
        g_assert_cmphex(got->last, ==, want->last);
    }

    g_assert_true(iommufd_backend_alloc_viommu(
        be, dev, IOMMU_VIOMMU_TYPE_ARM_SMMUV3, s2, &viommu, &error_abort));
    g_assert_true(iommufd_backend_alloc_vdev(be, dev, viommu, 0x100, &vdev,
                                             &error_abort));
    g_assert_true(
        iommufd_backend_alloc_veventq(be, viommu, IOMMU_VEVENTQ_TYPE_ARM_SMMUV3,
                                      64, &veventq, &qfd, &error_abort));
    g_assert_true(fd_is_open(qfd));
    g_assert_true(iommufd_backend_alloc_hwpt(
        be, dev, viommu, 0, IOMMU_HWPT_DATA_ARM_SMMUV3, sizeof(ste), &ste,
        &nested, &error_abort));
    attach_device(devfd, nested);

    n = 1;
    g_assert_true(iommufd_backend_invalidate_cache(
        be, viommu, IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3, sizeof(cmd), &n,
        &cmd, &error_abort));
    g_assert_cmpuint(n, ==, 1);

    attach_device(devfd, s2);
    iommufd_backend_free_id(be, nested);
    iommufd_backend_free_id(be, veventq);
    iommufd_backend_free_id(be, vdev);
    iommufd_backend_free_id(be, viommu);
    close(qfd);
    host_ops()->close(devfd);
    iommufd_backend_free_id(be, s2);
    iommufd_backend_free_id(be, ioas);
    /* the iommufd file alone is left */
    g_assert_cmpuint(host_model_live_objects(), ==, 1);
    iommufd_backend_disconnect(be);
    del_iommufd("ops");
    g_assert_cmpuint(host_model_live_objects(), ==, 0);
}

static GPtrArray *reports;

static void collect_report(const char *line, void *opaque)
{
    g_ptr_array_add(reports, g_strdup(line));
}

/* Each operation failed on purpose: its name and the errno in words. */
static void test_error_texts(void)
{
    struct iommu_viommu_arm_smmuv3_invalidate cmd = {.cmd = {0x10, 0}};
    struct iommu_hwpt_arm_smmuv3 ste = {.ste = {0x1, 0}};
    g_autoptr(GArray) ranges = NULL;
    uint8_t ram[4096];
    IOMMUFDBackend *be;
    uint32_t dev, ioas, s2, viommu, id, type, n;
    Error *err = NULL;
    int devfd, qfd;

#define EXPECT_FAIL(req, call, text)                                           \
    do {                                                                       \
        host_model_fail_ioctl(req, 1, EOPNOTSUPP);                             \
        g_assert_false(call);                                                  \
        g_assert_cmpstr(error_get_pretty(err), ==, text);                      \
        error_free(err);                                                       \
        err = NULL;                                                            \
    } while (0)

    use_host("grace-hopper");
    be = new_iommufd("errs", NULL, &error_abort);
    g_assert_true(iommufd_backend_connect(be, &error_abort));
    dev = bind_device(be, GPU_CDEV, &devfd);
    g_assert_true(iommufd_backend_alloc_ioas(be, &ioas, &error_abort));
    g_assert_true(iommufd_backend_alloc_hwpt(
        be, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, IOMMU_HWPT_DATA_NONE, 0,
        NULL, &s2, &error_abort));
    attach_device(devfd, s2);
    g_assert_true(iommufd_backend_alloc_viommu(
        be, dev, IOMMU_VIOMMU_TYPE_ARM_SMMUV3, s2, &viommu, &error_abort));

    EXPECT_FAIL(IOMMU_IOAS_ALLOC, iommufd_backend_alloc_ioas(be, &id, &err),
                "IOMMU_IOAS_ALLOC failed: Operation not supported");
    EXPECT_FAIL(IOMMU_IOAS_MAP,
                iommufd_backend_map_dma(be, ioas, 0x40000000, sizeof(ram), ram,
                                        false, &err),
                "IOMMU_IOAS_MAP failed: Operation not supported");
    EXPECT_FAIL(
        IOMMU_IOAS_UNMAP,
        iommufd_backend_unmap_dma(be, ioas, 0x40000000, sizeof(ram), &err),
        "IOMMU_IOAS_UNMAP failed: Operation not supported");
    type = IOMMU_HW_INFO_TYPE_DEFAULT;
    EXPECT_FAIL(IOMMU_GET_HW_INFO,
                iommufd_backend_get_device_info(be, dev, &type, NULL, 0, NULL,
                                                NULL, &err),
                "IOMMU_GET_HW_INFO failed: Operation not supported");
    EXPECT_FAIL(IOMMU_HWPT_ALLOC,
                iommufd_backend_alloc_hwpt(be, dev, viommu, 0,
                                           IOMMU_HWPT_DATA_ARM_SMMUV3,
                                           sizeof(ste), &ste, &id, &err),
                "IOMMU_HWPT_ALLOC failed: Operation not supported");
    EXPECT_FAIL(IOMMU_VIOMMU_ALLOC,
                iommufd_backend_alloc_viommu(
                    be, dev, IOMMU_VIOMMU_TYPE_ARM_SMMUV3, s2, &id, &err),
                "IOMMU_VIOMMU_ALLOC failed: Operation not supported");
    EXPECT_FAIL(IOMMU_VDEVICE_ALLOC,
                iommufd_backend_alloc_vdev(be, dev, viommu, 1, &id, &err),
                "IOMMU_VDEVICE_ALLOC failed: Operation not supported");
    EXPECT_FAIL(IOMMU_VEVENTQ_ALLOC,
                iommufd_backend_alloc_veventq(be, viommu,
                                              IOMMU_VEVENTQ_TYPE_ARM_SMMUV3, 8,
                                              &id, &qfd, &err),
                "IOMMU_VEVENTQ_ALLOC failed: Operation not supported");
    n = 1;
    EXPECT_FAIL(IOMMU_HWPT_INVALIDATE,
                iommufd_backend_invalidate_cache(
                    be, viommu, IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
                    sizeof(cmd), &n, &cmd, &err),
                "IOMMU_HWPT_INVALIDATE failed: Operation not supported");
    EXPECT_FAIL(IOMMU_IOAS_IOVA_RANGES,
                iommufd_backend_get_iova_ranges(be, ioas, &ranges, &err),
                "IOMMU_IOAS_IOVA_RANGES failed: Operation not supported");
    g_assert_null(ranges);

    /* the kernel's own refusals read the same way */
    g_assert_false(
        iommufd_backend_alloc_vdev(be, dev, viommu, 1ull << 40, &id, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "IOMMU_VDEVICE_ALLOC failed: Invalid argument");
    error_free(err);
    err = NULL;
    n = 1;
    cmd.cmd[0] = 0x01; /* PREFETCH_CONFIG is not forwarded */
    g_assert_false(iommufd_backend_invalidate_cache(
        be, viommu, IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3, sizeof(cmd), &n,
        &cmd, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "IOMMU_HWPT_INVALIDATE failed: Input/output error");
    g_assert_cmpuint(n, ==, 0);
    error_free(err);
    err = NULL;

    /* DESTROY failures are only warned about: an in-use HWPT stays */
    reports = g_ptr_array_new_with_free_func(g_free);
    error_set_report_sink(collect_report, NULL);
    iommufd_backend_free_id(be, s2);
    error_set_report_sink(NULL, NULL);
    g_assert_cmpuint(reports->len, ==, 1);
    g_assert_nonnull(strstr(g_ptr_array_index(reports, 0), "warning: "));
    g_assert_true(
        g_str_has_suffix(g_ptr_array_index(reports, 0),
                         "IOMMU_DESTROY failed: Device or resource busy"));
    g_clear_pointer(&reports, g_ptr_array_unref);

    iommufd_backend_free_id(be, viommu);
    host_ops()->close(devfd);
    iommufd_backend_free_id(be, s2);
    iommufd_backend_free_id(be, ioas);
    iommufd_backend_disconnect(be);
    del_iommufd("errs");
    g_assert_cmpuint(host_model_live_objects(), ==, 0);
#undef EXPECT_FAIL
}

/* A VT-d host that cannot nest refuses a nesting parent. */
static void test_no_nesting(void)
{
    IOMMUFDBackend *be;
    uint32_t dev, ioas, id;
    Error *err = NULL;
    int devfd;

    use_host("vtd-skylake-nonest");
    be = new_iommufd("nonest", NULL, &error_abort);
    g_assert_true(iommufd_backend_connect(be, &error_abort));
    dev = bind_device(be, "/dev/vfio/devices/vfio0", &devfd);
    g_assert_true(iommufd_backend_alloc_ioas(be, &ioas, &error_abort));
    g_assert_false(
        iommufd_backend_alloc_hwpt(be, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT,
                                   IOMMU_HWPT_DATA_NONE, 0, NULL, &id, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "IOMMU_HWPT_ALLOC failed: Operation not supported");
    error_free(err);
    host_ops()->close(devfd);
    iommufd_backend_free_id(be, ioas);
    iommufd_backend_disconnect(be);
    del_iommufd("nonest");
    g_assert_cmpuint(host_model_live_objects(), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qmp_init_commands();
    g_test_add_func("/iommufd/users", test_users);
    g_test_add_func("/iommufd/del-in-use", test_del_in_use);
    g_test_add_func("/iommufd/no-dev-iommu", test_no_dev_iommu);
    g_test_add_func("/iommufd/open-fails", test_open_fails);
    g_test_add_func("/iommufd/fd-number", test_fd_number);
    g_test_add_func("/iommufd/fd-bad", test_fd_bad);
    g_test_add_func("/iommufd/fd-getfd-name", test_fd_getfd_name);
    g_test_add_func("/iommufd/compat-props", test_compat_props);
    g_test_add_func("/iommufd/operations", test_operations);
    g_test_add_func("/iommufd/error-texts", test_error_texts);
    g_test_add_func("/iommufd/no-nesting", test_no_nesting);
    return g_test_run();
}
