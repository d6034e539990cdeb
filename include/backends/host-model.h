/*
 * The "model" host: a userspace stand-in for the kernel's iommufd and
 * VFIO cdev interfaces, loaded from a host description (JSON, documented
 * in docs/host-model.md). It answers the same ioctls with the same struct
 * sizes, size rules, output fields and errno values.
 *
 * Model fds are real fds (memfds named "host-model:<path>"), so close,
 * dup, poll and SCM_RIGHTS work. An fd handed in from outside (libvirt
 * style fd=N) is recognised by its /proc/self/fd link
 * "/memfd:host-model:<path> (deleted)": in model mode a management tool
 * or test passes a device or iommufd by creating such a memfd.
 */
#ifndef BACKENDS_HOST_MODEL_H
#define BACKENDS_HOST_MODEL_H

#include "backends/host-ops.h"

typedef enum HostIommuKind {
    HOST_IOMMU_ARM_SMMUV3,
    HOST_IOMMU_INTEL_VTD,
} HostIommuKind;

typedef struct HostIovaRange {
    uint64_t start;
    uint64_t last; /* inclusive */
} HostIovaRange;

typedef struct HostModelIommu {
    char *id;
    HostIommuKind kind;
    uint32_t idr[6], iidr, aidr;   /* arm-smmuv3 */
    uint64_t cap, ecap;            /* intel-vtd */
    uint32_t vtd_flags;            /* intel-vtd IOMMU_HW_INFO_VTD_* */
    bool nesting;
    bool dirty_tracking;
    GArray *iova_ranges;           /* HostIovaRange, usable apertures */
} HostModelIommu;

typedef struct HostModelRegion {
    uint64_t size;                 /* 0: region not implemented */
    uint32_t flags;                /* VFIO_REGION_INFO_FLAG_* */
} HostModelRegion;

typedef struct HostModelIrq {
    uint32_t count;
    uint32_t flags;                /* VFIO_IRQ_INFO_* */
} HostModelIrq;

typedef struct HostModelDevice {
    char *address;                 /* DDDD:BB:DD.F */
    HostModelIommu *iommu;
    int group;
    char *cdev;                    /* "vfioN"; NULL: not bound to vfio-pci */
    uint8_t *config;
    size_t config_size;            /* 256 or 4096 */
    bool ats_supported;
    uint8_t max_pasid_log2;
    uint32_t atomic_comp;          /* VFIO_PCI_ATOMIC_COMP* */
    bool reset;
    HostModelRegion regions[9];    /* VFIO_PCI_NUM_REGIONS; [7] = config */
    HostModelIrq irqs[5];          /* VFIO_PCI_NUM_IRQS */
} HostModelDevice;

typedef struct HostModelDesc {
    char *name;
    char *description;
    char *provenance;
    char *origin;                  /* file name used in error messages */
    bool bundled;
    GPtrArray *iommus;             /* HostModelIommu */
    GPtrArray *devices;            /* HostModelDevice */
} HostModelDesc;

/* Bundled descriptions (generated from hosts/ by scripts/embed-hosts.py). */
typedef struct HostModelBundled {
    const char *name;
    const char *json;
} HostModelBundled;
extern const HostModelBundled host_model_bundled[]; /* NULL-terminated */

#define HOST_MODEL_DEFAULT "grace-hopper"

/* Parses and validates; errors name the origin and the field. */
HostModelDesc *host_model_desc_parse(const char *json, const char *origin,
                                     Error **errp);
/* A bundled NAME, or a FILE (contains '/' or ends in ".json"). */
HostModelDesc *host_model_desc_load(const char *name_or_file, Error **errp);
void host_model_desc_free(HostModelDesc *desc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HostModelDesc, host_model_desc_free)

extern const HostOps host_ops_model;

/* Makes desc (ownership taken) the model's host, after host_model_reset(). */
void host_model_set_desc(HostModelDesc *desc);
const HostModelDesc *host_model_get_desc(void);
/* Closes every model fd, frees every object, clears fault injection. */
void host_model_reset(void);
/* Open model files plus live iommufd objects: 0 once all is torn down. */
unsigned host_model_live_objects(void);

/* -host-model help: one line per bundled host, "NAME  description". */
void host_model_print_list(void);

/*
 * Fault injection. The nth (1 = next) model ioctl with this request number
 * fails with err and has no effect; later calls are unaffected.
 */
void host_model_fail_ioctl(unsigned long request, unsigned nth, int err);
/* The n-th model ioctl of any kind fails with err (fail_nth sweeps). */
void host_model_fail_nth(unsigned n, int err);
void host_model_fail_clear(void);
/* "IOCTL_NAME[:NTH[:ERRNO_NAME]]", IOCTL_NAME may be "any". */
bool host_model_parse_fail(const char *spec, Error **errp);

/*
 * Queues one event record (without header) on the vEVENTQ of the given
 * type on a vIOMMU, as the host IOMMU driver would. Returns 0 or -errno.
 */
int host_model_inject_vevent(int iommufd, uint32_t viommu_id, uint32_t type,
                             const void *data, size_t len);

/* Read-only introspection for tests. */

/* Model ioctls with this request number (any outcome, fault-injected
 * ones included) since start-up or the last host_model_reset(). */
uint64_t host_model_ioctl_count(unsigned long request);
/*
 * The vendor data (SMMUv3 STE words, VT-d stage-1 struct) a nested HWPT
 * of the iommufd behind fd was allocated with: up to len bytes copied,
 * *out_len its full size. 0, -EBADF (not a model iommufd) or -ENOENT
 * (no such nested HWPT).
 */
int host_model_hwpt_data(int iommufd, uint32_t hwpt_id, void *buf,
                         size_t len, size_t *out_len);

#endif
