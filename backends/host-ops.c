/*
 * The active host table, -host-model selection, and the helpers above the
 * table that locate a host device through sysfs.
 */
#include "qemu/osdep.h"
#include "backends/host-ops.h"
#include "backends/host-model.h"
#include <linux/iommufd.h>
#include <linux/vfio.h>

static const HostOps *active_ops;
static char *active_desc;

void host_ops_set(const HostOps *ops)
{
    const HostModelDesc *d;

    active_ops = ops;
    g_free(active_desc);
    if (ops != &host_ops_model) {
        active_desc = g_strdup(ops->name);
        return;
    }
    d = host_model_get_desc();
    active_desc = d->bundled ?
                  g_strdup_printf("model: %s (bundled)", d->name) :
                  g_strdup_printf("model: %s (%s)", d->name, d->origin);
}

static void select_default(void)
{
    if (access("/dev/iommu", F_OK) == 0) {
        host_ops_set(&host_ops_linux);
        return;
    }
    host_model_set_desc(host_model_desc_load(HOST_MODEL_DEFAULT,
                                             &error_abort));
    host_ops_set(&host_ops_model);
}

const HostOps *host_ops(void)
{
    if (!active_ops) {
        select_default();
    }
    return active_ops;
}

const char *host_ops_describe(void)
{
    host_ops();
    return active_desc;
}

bool host_ops_select(const char *spec, Error **errp)
{
    g_auto(GStrv) parts = NULL;
    HostModelDesc *desc;

    if (!spec) {
        select_default();
        return true;
    }
    parts = g_strsplit(spec, ",", -1);
    if (!parts[0] || !*parts[0]) {
        error_setg(errp, "expected linux, a host NAME or a FILE");
        return false;
    }
    for (unsigned i = 1; parts[i]; i++) {
        if (!g_str_has_prefix(parts[i], "fail=")) {
            error_setg(errp, "Invalid parameter '%.*s'",
                       (int)strcspn(parts[i], "="), parts[i]);
            return false;
        }
        if (!strcmp(parts[0], "linux")) {
            error_setg(errp, "fail= needs a host model, not linux");
            return false;
        }
    }
    if (!strcmp(parts[0], "linux")) {
        host_ops_set(&host_ops_linux);
        return true;
    }
    desc = host_model_desc_load(parts[0], errp);
    if (!desc) {
        return false;
    }
    host_model_set_desc(desc);
    for (unsigned i = 1; parts[i]; i++) {
        if (!host_model_parse_fail(parts[i] + strlen("fail="), errp)) {
            host_model_fail_clear();
            return false;
        }
    }
    host_ops_set(&host_ops_model);
    return true;
}

/* "DDDD:BB:DD.F" or "BB:DD.F" → canonical lower-case DDDD:BB:DD.F */
static char *canon_pci_address(const char *addr, Error **errp)
{
    unsigned dom = 0, bus, dev, fn;
    char tail;
    int n = sscanf(addr, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &tail);

    if (n != 4) {
        dom = 0;
        n = sscanf(addr, "%x:%x.%x%c", &bus, &dev, &fn, &tail) == 3 ? 4 : 0;
    }
    if (n != 4 || dom > 0xffff || bus > 0xff || dev > 0x1f || fn > 7) {
        error_setg(errp, "Invalid PCI address '%s' (expected DDDD:BB:DD.F)",
                   addr);
        return NULL;
    }
    return g_strdup_printf("%04x:%02x:%02x.%x", dom, bus, dev, fn);
}

static char *device_dir(const char *pci_addr, Error **errp)
{
    g_autofree char *addr = canon_pci_address(pci_addr, errp);
    char *dir;

    if (!addr) {
        return NULL;
    }
    dir = g_strdup_printf("/sys/bus/pci/devices/%s", addr);
    if (!host_ops()->path_exists(dir)) {
        error_setg(errp, "Host PCI device %s not found", addr);
        g_free(dir);
        return NULL;
    }
    return dir;
}

bool host_find_vfio_cdev(const char *pci_addr, char **cdev_path,
                         Error **errp)
{
    g_autofree char *dir = device_dir(pci_addr, errp);
    g_autofree char *vdir = NULL;
    g_autoptr(GPtrArray) entries = NULL;
    unsigned n;

    if (!dir) {
        return false;
    }
    vdir = g_strconcat(dir, "/vfio-dev", NULL);
    entries = host_ops()->list_dir(vdir);
    for (unsigned i = 0; entries && i < entries->len; i++) {
        const char *e = g_ptr_array_index(entries, i);
        if (sscanf(e, "vfio%u", &n) == 1) {
            *cdev_path = g_strconcat("/dev/vfio/devices/", e, NULL);
            return true;
        }
    }
    error_setg(errp, "%s is not bound to vfio-pci or the kernel lacks "
               "VFIO_DEVICE_CDEV", dir + strlen("/sys/bus/pci/devices/"));
    return false;
}

bool host_get_iommu_group(const char *pci_addr, int *group, Error **errp)
{
    g_autofree char *dir = device_dir(pci_addr, errp);
    g_autofree char *path = NULL;
    g_autofree char *link = NULL;
    g_autofree char *base = NULL;
    guint64 v;

    if (!dir) {
        return false;
    }
    path = g_strconcat(dir, "/iommu_group", NULL);
    link = host_ops()->read_link(path);
    base = link ? g_path_get_basename(link) : NULL;
    if (!base || !g_ascii_string_to_unsigned(base, 10, 0, INT_MAX, &v,
                                             NULL)) {
        error_setg(errp, "Host PCI device %s has no IOMMU group",
                   dir + strlen("/sys/bus/pci/devices/"));
        return false;
    }
    *group = v;
    return true;
}

#define IOCTL_NAME(x) {x, #x}

static const struct {
    unsigned long request;
    const char *name;
} ioctl_names[] = {
    IOCTL_NAME(IOMMU_DESTROY),
    IOCTL_NAME(IOMMU_IOAS_ALLOC),
    IOCTL_NAME(IOMMU_IOAS_ALLOW_IOVAS),
    IOCTL_NAME(IOMMU_IOAS_COPY),
    IOCTL_NAME(IOMMU_IOAS_IOVA_RANGES),
    IOCTL_NAME(IOMMU_IOAS_MAP),
    IOCTL_NAME(IOMMU_IOAS_UNMAP),
    IOCTL_NAME(IOMMU_OPTION),
    IOCTL_NAME(IOMMU_VFIO_IOAS),
    IOCTL_NAME(IOMMU_HWPT_ALLOC),
    IOCTL_NAME(IOMMU_GET_HW_INFO),
    IOCTL_NAME(IOMMU_HWPT_SET_DIRTY_TRACKING),
    IOCTL_NAME(IOMMU_HWPT_GET_DIRTY_BITMAP),
    IOCTL_NAME(IOMMU_HWPT_INVALIDATE),
    IOCTL_NAME(IOMMU_FAULT_QUEUE_ALLOC),
    IOCTL_NAME(IOMMU_IOAS_MAP_FILE),
    IOCTL_NAME(IOMMU_VIOMMU_ALLOC),
    IOCTL_NAME(IOMMU_VDEVICE_ALLOC),
    IOCTL_NAME(IOMMU_IOAS_CHANGE_PROCESS),
    IOCTL_NAME(IOMMU_VEVENTQ_ALLOC),
    IOCTL_NAME(IOMMU_HW_QUEUE_ALLOC),
    IOCTL_NAME(VFIO_GET_API_VERSION),
    IOCTL_NAME(VFIO_CHECK_EXTENSION),
    IOCTL_NAME(VFIO_SET_IOMMU),
    IOCTL_NAME(VFIO_GROUP_GET_STATUS),
    IOCTL_NAME(VFIO_GROUP_SET_CONTAINER),
    IOCTL_NAME(VFIO_GROUP_UNSET_CONTAINER),
    IOCTL_NAME(VFIO_GROUP_GET_DEVICE_FD),
    IOCTL_NAME(VFIO_DEVICE_GET_INFO),
    IOCTL_NAME(VFIO_DEVICE_GET_REGION_INFO),
    IOCTL_NAME(VFIO_DEVICE_GET_IRQ_INFO),
    IOCTL_NAME(VFIO_DEVICE_SET_IRQS),
    IOCTL_NAME(VFIO_DEVICE_RESET),
    IOCTL_NAME(VFIO_DEVICE_GET_PCI_HOT_RESET_INFO),
    IOCTL_NAME(VFIO_DEVICE_PCI_HOT_RESET),
    IOCTL_NAME(VFIO_DEVICE_QUERY_GFX_PLANE),
    IOCTL_NAME(VFIO_DEVICE_GET_GFX_DMABUF),
    IOCTL_NAME(VFIO_DEVICE_IOEVENTFD),
    IOCTL_NAME(VFIO_DEVICE_FEATURE),
    IOCTL_NAME(VFIO_DEVICE_BIND_IOMMUFD),
    IOCTL_NAME(VFIO_DEVICE_ATTACH_IOMMUFD_PT),
    IOCTL_NAME(VFIO_DEVICE_DETACH_IOMMUFD_PT),
    IOCTL_NAME(VFIO_MIG_GET_PRECOPY_INFO),
    /* container-fd aliases of numbers 12..17: found by name only */
    IOCTL_NAME(VFIO_IOMMU_GET_INFO),
    IOCTL_NAME(VFIO_IOMMU_MAP_DMA),
    IOCTL_NAME(VFIO_IOMMU_UNMAP_DMA),
    IOCTL_NAME(VFIO_IOMMU_ENABLE),
    IOCTL_NAME(VFIO_IOMMU_DISABLE),
    IOCTL_NAME(VFIO_IOMMU_DIRTY_PAGES),
};

const char *host_ioctl_name(unsigned long request)
{
    for (unsigned i = 0; i < ARRAY_SIZE(ioctl_names); i++) {
        if (ioctl_names[i].request == request) {
            return ioctl_names[i].name;
        }
    }
    return "unknown ioctl";
}

bool host_ioctl(int fd, unsigned long request, void *arg, Error **errp)
{
    int err;

    if (host_ops()->ioctl(fd, request, arg) >= 0) {
        return true;
    }
    err = errno;
    error_setg_errno(errp, err, "%s failed", host_ioctl_name(request));
    errno = err;
    return false;
}

bool host_ioctl_from_name(const char *name, unsigned long *request)
{
    for (unsigned i = 0; i < ARRAY_SIZE(ioctl_names); i++) {
        if (!strcmp(ioctl_names[i].name, name)) {
            *request = ioctl_names[i].request;
            return true;
        }
    }
    return false;
}
