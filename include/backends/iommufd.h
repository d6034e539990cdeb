/*
 * The "iommufd" user-creatable object: one /dev/iommu file (opened by us,
 * or passed in with fd=N / a getfd name) shared by the devices that use
 * it, and the iommufd operations they need. Every failure names the
 * operation and the errno in words, e.g.
 *   "IOMMU_HWPT_ALLOC failed: Operation not supported".
 * All calls go through the host boundary (include/backends/host-ops.h).
 */
#ifndef BACKENDS_IOMMUFD_H
#define BACKENDS_IOMMUFD_H

#include "qom/object.h"
#include <linux/iommufd.h>

#define TYPE_IOMMUFD_BACKEND "iommufd"

typedef struct IOMMUFDBackend {
    Object parent_obj;
    char *fd_param;  /* the fd= property as given (number or getfd name) */
    int fd;          /* -1 while no user holds it open */
    bool owned;      /* we opened /dev/iommu (and close it at 0 users) */
    uint32_t users;
} IOMMUFDBackend;

#define IOMMUFD_BACKEND(obj)                                                   \
    OBJECT_CHECK(IOMMUFDBackend, (obj), TYPE_IOMMUFD_BACKEND)

/* Users: the first opens /dev/iommu (unless an fd was passed). */
bool iommufd_backend_connect(IOMMUFDBackend *be, Error **errp);
void iommufd_backend_disconnect(IOMMUFDBackend *be);

bool iommufd_backend_alloc_ioas(IOMMUFDBackend *be, uint32_t *ioas_id,
                                Error **errp);
/* Destroys any object by id (IOMMU_DESTROY); failures are only warned. */
void iommufd_backend_free_id(IOMMUFDBackend *be, uint32_t id);
bool iommufd_backend_map_dma(IOMMUFDBackend *be, uint32_t ioas_id,
                             uint64_t iova, uint64_t size, void *vaddr,
                             bool readonly, Error **errp);
bool iommufd_backend_unmap_dma(IOMMUFDBackend *be, uint32_t ioas_id,
                               uint64_t iova, uint64_t size, Error **errp);
/* IOMMU_GET_HW_INFO: *type in/out (IOMMU_HW_INFO_TYPE_DEFAULT asks for
 * the native type); data filled up to len. */
bool iommufd_backend_get_device_info(IOMMUFDBackend *be, uint32_t devid,
                                     uint32_t *type, void *data, uint32_t len,
                                     uint64_t *caps, uint8_t *max_pasid_log2,
                                     Error **errp);
/*
 * The raw IOMMU_GET_HW_INFO: the caller fills dev_id, data_len, data_uptr
 * and in_data_type (flags get IOMMU_HW_INFO_FLAG_INPUT_TYPE when that is
 * not DEFAULT); size is set here. On return data_len is the kernel's
 * length of the vendor data.
 */
bool iommufd_backend_get_hw_info(IOMMUFDBackend *be, struct iommu_hw_info *info,
                                 Error **errp);
bool iommufd_backend_alloc_hwpt(IOMMUFDBackend *be, uint32_t dev_id,
                                uint32_t pt_id, uint32_t flags,
                                uint32_t data_type, uint32_t data_len,
                                void *data_ptr, uint32_t *out_hwpt,
                                Error **errp);
bool iommufd_backend_alloc_viommu(IOMMUFDBackend *be, uint32_t dev_id,
                                  uint32_t viommu_type, uint32_t hwpt_id,
                                  uint32_t *out_viommu_id, Error **errp);
bool iommufd_backend_alloc_vdev(IOMMUFDBackend *be, uint32_t dev_id,
                                uint32_t viommu_id, uint64_t virt_id,
                                uint32_t *out_vdev_id, Error **errp);
bool iommufd_backend_alloc_veventq(IOMMUFDBackend *be, uint32_t viommu_id,
                                   uint32_t type, uint32_t depth,
                                   uint32_t *out_veventq_id,
                                   int *out_veventq_fd, Error **errp);
/* IOMMU_HWPT_INVALIDATE on a HWPT or vIOMMU; *entry_num in/out. */
bool iommufd_backend_invalidate_cache(IOMMUFDBackend *be, uint32_t id,
                                      uint32_t data_type, uint32_t entry_len,
                                      uint32_t *entry_num, void *data,
                                      Error **errp);
/* IOAS IOVA ranges, for the address-width capability. */
bool iommufd_backend_get_iova_ranges(IOMMUFDBackend *be, uint32_t ioas_id,
                                     GArray **ranges /* iommu_iova_range */,
                                     Error **errp);

#endif
