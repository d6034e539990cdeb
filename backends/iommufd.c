/*
 * The "iommufd" user-creatable object and the iommufd operations on it.
 *
 * fd ownership: without fd= the object opens /dev/iommu when its first
 * user connects and closes it when the last one leaves. An fd passed
 * with fd= (a number inherited from the parent, or a getfd name taken
 * from the monitor) belongs to the object from then on: it is kept open
 * across user counts and closed when the object is finalized, which is
 * what management tools such as libvirt expect of fds they hand over.
 */
#include "qemu/osdep.h"
#include "backends/iommufd.h"
#include "backends/host-ops.h"
#include "hw/core/qdev.h"
#include "monitor/qmp.h"
#include "qom/object_interfaces.h"

#define IOMMUFD_DEV "/dev/iommu"

/* Closes an fd= we took over, if any. */
static void iommufd_drop_passed_fd(IOMMUFDBackend *be)
{
    if (!be->owned && be->fd >= 0) {
        host_ops()->close(be->fd);
    }
    be->fd = -1;
    be->owned = true;
    g_clear_pointer(&be->fd_param, g_free);
}

static bool iommufd_set_fd(Object *obj, const char *str, Error **errp)
{
    IOMMUFDBackend *be = IOMMUFD_BACKEND(obj);
    int fd;

    if (be->users) {
        error_setg(errp,
                   "Cannot change 'fd' of iommufd '%s' while it is in "
                   "use",
                   object_get_canonical_path_component(obj));
        return false;
    }
    fd = monitor_fd_param(monitor_cur(), str, errp);
    if (fd < 0) {
        return false;
    }
    iommufd_drop_passed_fd(be);
    be->fd = fd;
    be->owned = false;
    be->fd_param = g_strdup(str);
    return true;
}

static bool iommufd_complete(Object *obj, Error **errp)
{
    IOMMUFDBackend *be = IOMMUFD_BACKEND(obj);

    if (!be->owned) {
        if (fcntl(be->fd, F_GETFD) < 0) {
            error_setg_errno(errp, errno, "iommufd fd=%s is not usable",
                             be->fd_param);
            return false;
        }
        return true;
    }
    if (!host_ops()->path_exists(IOMMUFD_DEV)) {
        error_setg(errp, "iommufd: %s does not exist", IOMMUFD_DEV);
        error_append_hint(errp,
                          "The host kernel needs CONFIG_IOMMUFD (try "
                          "'modprobe iommufd'), or select a host model with "
                          "-host-model NAME.\n");
        return false;
    }
    return true;
}

static bool iommufd_can_be_deleted(Object *obj)
{
    return IOMMUFD_BACKEND(obj)->users == 0;
}

static void iommufd_instance_init(Object *obj)
{
    IOMMUFDBackend *be = IOMMUFD_BACKEND(obj);

    be->fd = -1;
    be->owned = true;
}

/* Like memory backends, the object follows the machine's compat table. */
static void iommufd_post_init(Object *obj)
{
    object_apply_compat_props(obj);
}

static void iommufd_finalize(Object *obj)
{
    IOMMUFDBackend *be = IOMMUFD_BACKEND(obj);

    if (be->owned && be->fd >= 0) {
        host_ops()->close(be->fd);
        be->fd = -1;
    }
    iommufd_drop_passed_fd(be);
}

bool iommufd_backend_connect(IOMMUFDBackend *be, Error **errp)
{
    if (be->owned && be->users == 0) {
        int fd = host_ops()->open(IOMMUFD_DEV, O_RDWR | O_CLOEXEC);

        if (fd < 0) {
            error_setg_errno(errp, errno, "Could not open %s", IOMMUFD_DEV);
            return false;
        }
        be->fd = fd;
    }
    be->users++;
    return true;
}

void iommufd_backend_disconnect(IOMMUFDBackend *be)
{
    g_assert(be->users > 0);
    if (--be->users == 0 && be->owned) {
        host_ops()->close(be->fd);
        be->fd = -1;
    }
}

bool iommufd_backend_alloc_ioas(IOMMUFDBackend *be, uint32_t *ioas_id,
                                Error **errp)
{
    struct iommu_ioas_alloc cmd = {.size = sizeof(cmd)};

    if (!host_ioctl(be->fd, IOMMU_IOAS_ALLOC, &cmd, errp)) {
        return false;
    }
    *ioas_id = cmd.out_ioas_id;
    return true;
}

void iommufd_backend_free_id(IOMMUFDBackend *be, uint32_t id)
{
    struct iommu_destroy cmd = {.size = sizeof(cmd), .id = id};
    Error *err = NULL;

    if (!host_ioctl(be->fd, IOMMU_DESTROY, &cmd, &err)) {
        error_prepend(&err, "iommufd object %u: ", id);
        warn_report_err(err);
    }
}

bool iommufd_backend_map_dma(IOMMUFDBackend *be, uint32_t ioas_id,
                             uint64_t iova, uint64_t size, void *vaddr,
                             bool readonly, Error **errp)
{
    struct iommu_ioas_map cmd = {
        .size = sizeof(cmd),
        .flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
                 (readonly ? 0 : IOMMU_IOAS_MAP_WRITEABLE),
        .ioas_id = ioas_id,
        .user_va = (uintptr_t)vaddr,
        .length = size,
        .iova = iova,
    };

    if (!host_ioctl(be->fd, IOMMU_IOAS_MAP, &cmd, errp)) {
        error_append_hint(errp,
                          "While mapping IOVA 0x%" PRIx64 " size 0x%" PRIx64
                          " into IOAS %u.\n",
                          iova, size, ioas_id);
        return false;
    }
    return true;
}

bool iommufd_backend_unmap_dma(IOMMUFDBackend *be, uint32_t ioas_id,
                               uint64_t iova, uint64_t size, Error **errp)
{
    struct iommu_ioas_unmap cmd = {
        .size = sizeof(cmd),
        .ioas_id = ioas_id,
        .iova = iova,
        .length = size,
    };

    return host_ioctl(be->fd, IOMMU_IOAS_UNMAP, &cmd, errp);
}

bool iommufd_backend_get_hw_info(IOMMUFDBackend *be, struct iommu_hw_info *info,
                                 Error **errp)
{
    info->size = sizeof(*info);
    /* Older kernels reject the flag, so only send it when it matters. */
    info->flags = info->in_data_type != IOMMU_HW_INFO_TYPE_DEFAULT
                      ? IOMMU_HW_INFO_FLAG_INPUT_TYPE
                      : 0;
    return host_ioctl(be->fd, IOMMU_GET_HW_INFO, info, errp);
}

bool iommufd_backend_get_device_info(IOMMUFDBackend *be, uint32_t devid,
                                     uint32_t *type, void *data, uint32_t len,
                                     uint64_t *caps, uint8_t *max_pasid_log2,
                                     Error **errp)
{
    struct iommu_hw_info info = {
        .dev_id = devid,
        .data_len = len,
        .data_uptr = (uintptr_t)data,
        .in_data_type = *type,
    };

    if (!iommufd_backend_get_hw_info(be, &info, errp)) {
        return false;
    }
    *type = info.out_data_type;
    if (caps) {
        *caps = info.out_capabilities;
    }
    if (max_pasid_log2) {
        *max_pasid_log2 = info.out_max_pasid_log2;
    }
    return true;
}

bool iommufd_backend_alloc_hwpt(IOMMUFDBackend *be, uint32_t dev_id,
                                uint32_t pt_id, uint32_t flags,
                                uint32_t data_type, uint32_t data_len,
                                void *data_ptr, uint32_t *out_hwpt,
                                Error **errp)
{
    struct iommu_hwpt_alloc cmd = {
        .size = sizeof(cmd),
        .flags = flags,
        .dev_id = dev_id,
        .pt_id = pt_id,
        .data_type = data_type,
        .data_len = data_len,
        .data_uptr = (uintptr_t)data_ptr,
    };

    if (!host_ioctl(be->fd, IOMMU_HWPT_ALLOC, &cmd, errp)) {
        return false;
    }
    *out_hwpt = cmd.out_hwpt_id;
    return true;
}

bool iommufd_backend_alloc_viommu(IOMMUFDBackend *be, uint32_t dev_id,
                                  uint32_t viommu_type, uint32_t hwpt_id,
                                  uint32_t *out_viommu_id, Error **errp)
{
    struct iommu_viommu_alloc cmd = {
        .size = sizeof(cmd),
        .type = viommu_type,
        .dev_id = dev_id,
        .hwpt_id = hwpt_id,
    };

    if (!host_ioctl(be->fd, IOMMU_VIOMMU_ALLOC, &cmd, errp)) {
        return false;
    }
    *out_viommu_id = cmd.out_viommu_id;
    return true;
}

bool iommufd_backend_alloc_vdev(IOMMUFDBackend *be, uint32_t dev_id,
                                uint32_t viommu_id, uint64_t virt_id,
                                uint32_t *out_vdev_id, Error **errp)
{
    struct iommu_vdevice_alloc cmd = {
        .size = sizeof(cmd),
        .viommu_id = viommu_id,
        .dev_id = dev_id,
        .virt_id = virt_id,
    };

    if (!host_ioctl(be->fd, IOMMU_VDEVICE_ALLOC, &cmd, errp)) {
        return false;
    }
    *out_vdev_id = cmd.out_vdevice_id;
    return true;
}

bool iommufd_backend_alloc_veventq(IOMMUFDBackend *be, uint32_t viommu_id,
                                   uint32_t type, uint32_t depth,
                                   uint32_t *out_veventq_id,
                                   int *out_veventq_fd, Error **errp)
{
    struct iommu_veventq_alloc cmd = {
        .size = sizeof(cmd),
        .viommu_id = viommu_id,
        .type = type,
        .veventq_depth = depth,
    };

    if (!host_ioctl(be->fd, IOMMU_VEVENTQ_ALLOC, &cmd, errp)) {
        return false;
    }
    *out_veventq_id = cmd.out_veventq_id;
    *out_veventq_fd = cmd.out_veventq_fd;
    return true;
}

bool iommufd_backend_invalidate_cache(IOMMUFDBackend *be, uint32_t id,
                                      uint32_t data_type, uint32_t entry_len,
                                      uint32_t *entry_num, void *data,
                                      Error **errp)
{
    struct iommu_hwpt_invalidate cmd = {
        .size = sizeof(cmd),
        .hwpt_id = id,
        .data_uptr = (uintptr_t)data,
        .data_type = data_type,
        .entry_len = entry_len,
        .entry_num = *entry_num,
    };
    bool ok = host_ioctl(be->fd, IOMMU_HWPT_INVALIDATE, &cmd, errp);

    /* The kernel reports how many entries it handled, failure or not. */
    *entry_num = cmd.entry_num;
    return ok;
}

/* A few rounds, in case ranges change between the two calls. */
#define IOVA_RANGES_TRIES 4

bool iommufd_backend_get_iova_ranges(IOMMUFDBackend *be, uint32_t ioas_id,
                                     GArray **ranges, Error **errp)
{
    g_autoptr(GArray) r =
        g_array_new(false, true, sizeof(struct iommu_iova_range));

    for (unsigned i = 0; i < IOVA_RANGES_TRIES; i++) {
        struct iommu_ioas_iova_ranges cmd = {
            .size = sizeof(cmd),
            .ioas_id = ioas_id,
            .num_iovas = r->len,
            .allowed_iovas = (uintptr_t)r->data,
        };

        if (host_ops()->ioctl(be->fd, IOMMU_IOAS_IOVA_RANGES, &cmd) == 0) {
            g_array_set_size(r, cmd.num_iovas);
            *ranges = g_steal_pointer(&r);
            return true;
        }
        if (errno != EMSGSIZE || cmd.num_iovas <= r->len) {
            error_setg_errno(errp, errno, "%s failed",
                             host_ioctl_name(IOMMU_IOAS_IOVA_RANGES));
            return false;
        }
        g_array_set_size(r, cmd.num_iovas);
    }
    error_setg(errp, "%s failed: the range count keeps changing",
               host_ioctl_name(IOMMU_IOAS_IOVA_RANGES));
    return false;
}

static void iommufd_class_init(ObjectClass *oc, const void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);

    ucc->complete = iommufd_complete;
    ucc->can_be_deleted = iommufd_can_be_deleted;
    object_class_property_add_str(oc, "fd", NULL, iommufd_set_fd);
    object_class_property_set_description(
        oc, "fd",
        "File descriptor of an open /dev/iommu (a number, or a "
        "name passed with the QMP getfd command)");
}

static const InterfaceInfo iommufd_interfaces[] = {
    {TYPE_USER_CREATABLE},
    {NULL},
};

static const TypeInfo iommufd_types[] = {
    {
        .name = TYPE_IOMMUFD_BACKEND,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(IOMMUFDBackend),
        .instance_init = iommufd_instance_init,
        .instance_post_init = iommufd_post_init,
        .instance_finalize = iommufd_finalize,
        .class_init = iommufd_class_init,
        .interfaces = iommufd_interfaces,
    },
};

DEFINE_TYPES(iommufd_types)
