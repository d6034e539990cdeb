/*
 * Internals of the model host, shared by backends/host-model*.c.
 *
 * Shape follows the kernel: an iommufd file owns a context (ModelCtx)
 * holding numbered objects; a VFIO cdev file refers to one host device
 * (ModelDev, the "hardware") and, once bound, to a DEVICE object in a
 * context. Handlers return 0 or a negative errno.
 */
#ifndef BACKENDS_HOST_MODEL_INT_H
#define BACKENDS_HOST_MODEL_INT_H

#include "backends/host-model.h"
#include "hw/pci/pci_regs.h"
#include "qemu/registerfields.h"
#include <sys/stat.h>

/* Region i lives at file offset i << 40 (vfio-pci's layout). */
#define HM_REGION_SHIFT 40
#define HM_PAGE_SIZE 4096ULL

/* SMMUv3 and VT-d register fields the model consults. */
FIELD(HM_SMMU_IDR0, S2P, 0, 1)
FIELD(HM_SMMU_IDR0, S1P, 1, 1)
FIELD(HM_SMMU_IDR0, HTTU, 6, 2)
#define HM_SMMU_IDR0_HTTU_ACCESS_DIRTY 2
FIELD(HM_SMMU_IDR1, SSIDSIZE, 6, 5)
FIELD(HM_SMMU_IDR5, OAS, 0, 3)
FIELD(HM_VTD_CAP, MGAW, 16, 6)   /* address width - 1 */
FIELD(HM_VTD_CAP, FS5LP, 60, 1)
FIELD(HM_VTD_ECAP, NEST, 26, 1)
FIELD(HM_VTD_ECAP, PSS, 35, 5)   /* PASID width - 1 */
FIELD(HM_VTD_ECAP, PASID, 40, 1)
FIELD(HM_VTD_ECAP, SLADS, 45, 1)

typedef struct ModelCtx ModelCtx;
typedef struct ModelObj ModelObj;

/* An extended capability header as the VFIO config region shows it. */
typedef struct ModelCfgHeader {
    uint16_t off;
    uint32_t val;
} ModelCfgHeader;

/* One host device: its "hardware" state, shared by every open cdev. */
typedef struct ModelDev {
    const HostModelDevice *desc;
    GArray *vfio_headers;          /* ModelCfgHeader: differ from config */
    uint8_t *config;               /* current config space */
    uint8_t *wmask;                /* bits software may write */
    uint8_t *w1cmask;              /* bits cleared by writing 1 */
    int bar_fd;                    /* memfd backing BARs at region offsets */
    struct ModelFile *bound;       /* the cdev file bound to an iommufd */
} ModelDev;

typedef enum ModelFileKind {
    MODEL_FILE_IOMMUFD,
    MODEL_FILE_VFIO,
} ModelFileKind;

/* An open file description: /dev/iommu or a VFIO cdev. */
typedef struct ModelFile {
    ModelFileKind kind;
    unsigned fds;                  /* fd table entries referring to it */
    dev_t st_dev;
    ino_t st_ino;
    ModelCtx *ctx;                 /* iommufd: own ctx; vfio: bound ctx */
    ModelDev *dev;                 /* vfio */
    ModelObj *idev;                /* vfio, once bound */
} ModelFile;

struct ModelCtx {
    unsigned refs;                 /* the iommufd file + bound devices */
    GHashTable *objs;              /* id -> ModelObj */
};

typedef enum ModelObjKind {
    MODEL_OBJ_IOAS,
    MODEL_OBJ_HWPT_PAGING,
    MODEL_OBJ_HWPT_NESTED,
    MODEL_OBJ_DEVICE,
    MODEL_OBJ_VIOMMU,
    MODEL_OBJ_VDEVICE,
    MODEL_OBJ_VEVENTQ,
} ModelObjKind;

typedef struct ModelMapping {
    uint64_t iova;
    uint64_t length;
    uint32_t flags;                /* IOMMU_IOAS_MAP_* */
} ModelMapping;

typedef struct ModelAttach {
    uint32_t pasid;
    ModelObj *hwpt;
} ModelAttach;

struct ModelObj {
    ModelObjKind kind;
    uint32_t id;
    unsigned users;                /* references from objects/attachments */
    ModelCtx *ctx;
    /* HWPT: IOAS, nest parent or vIOMMU; vIOMMU: S2 HWPT;
     * vDEVICE / vEVENTQ: vIOMMU */
    ModelObj *parent;
    const HostModelIommu *iommu;   /* HWPT, vIOMMU, DEVICE */
    GArray *maps;                  /* IOAS: ModelMapping */
    uint32_t flags;                /* HWPT: IOMMU_HWPT_ALLOC_* */
    bool auto_domain;
    bool dirty_enabled;
    ModelDev *dev;                 /* DEVICE */
    ModelObj *hwpt;                /* DEVICE: RID attachment */
    GArray *pasids;                /* DEVICE: ModelAttach */
    ModelObj *idev;                /* vDEVICE */
    uint64_t virt_id;              /* vDEVICE */
    uint8_t data[24];              /* nested HWPT: its vendor data */
    uint32_t data_len;
    uint32_t type;                 /* vEVENTQ */
    uint32_t depth;                /* vEVENTQ */
    uint32_t seq;                  /* vEVENTQ */
    bool lost;                     /* vEVENTQ */
    int wfd;                       /* vEVENTQ: write end of the pipe */
    int rfd;                       /* vEVENTQ: the model's read end */
};

/* host-model.c (callers hold the model lock) */
void model_live_inc(void);
void model_live_dec(void);
ModelFile *model_file_lookup(int fd);
const HostModelDesc *model_desc(void);
/* By PCI address or by cdev name ("vfioN"); NULL if absent. */
ModelDev *model_dev_find(const char *address, const char *cdev);

/* host-model-iommufd.c */
ModelCtx *model_ctx_new(void);
/* The last reference tears the context down, leaves first. */
void model_ctx_unref(ModelCtx *ctx);
int model_iommufd_ioctl(ModelCtx *ctx, unsigned long request, void *arg);
ModelObj *model_obj_new(ModelCtx *ctx, ModelObjKind kind, ModelObj *parent);
/* NULL unless id names an object of that kind (any kind if kind < 0). */
ModelObj *model_obj_get(ModelCtx *ctx, uint32_t id, int kind);
void model_obj_free(ModelObj *o);
/* The IOAS under a HWPT, through nest parents and vIOMMUs. */
ModelObj *model_hwpt_ioas(ModelObj *hwpt);
/*
 * Whether a paging HWPT (an IOMMU domain, 4 KiB pages) can join the IOAS:
 * all its mappings must be page aligned, else the kernel says EADDRINUSE.
 */
bool model_ioas_maps_page_aligned(ModelObj *ioas);
/*
 * Copies a caller's nested struct (HWPT data, invalidation entry) with
 * the kernel's rules: ulen < min → EINVAL, a non-zero tail beyond
 * dst_size → E2BIG, a NULL pointer → EFAULT.
 */
int model_copy_user_struct(void *dst, size_t dst_size, size_t min,
                           uint64_t uptr, size_t ulen);
ModelObj *model_idev_bind(ModelCtx *ctx, ModelDev *dev);
void model_idev_unbind(ModelObj *idev);
int model_idev_attach(ModelObj *idev, uint32_t *pt_id, bool has_pasid,
                      uint32_t pasid);
int model_idev_detach(ModelObj *idev, bool has_pasid, uint32_t pasid);

/* host-model-viommu.c: command handlers (cmd = the kernel-side copy) */
int model_cmd_get_hw_info(ModelCtx *ctx, void *cmd);
int model_cmd_hwpt_alloc(ModelCtx *ctx, void *cmd);
int model_cmd_hwpt_invalidate(ModelCtx *ctx, void *cmd);
int model_cmd_viommu_alloc(ModelCtx *ctx, void *cmd);
int model_cmd_vdevice_alloc(ModelCtx *ctx, void *cmd);
int model_cmd_veventq_alloc(ModelCtx *ctx, void *cmd);
int model_cmd_hw_queue_alloc(ModelCtx *ctx, void *cmd);
int model_inject_vevent(ModelCtx *ctx, uint32_t viommu_id, uint32_t type,
                        const void *data, size_t len);

/* host-model-vfio.c */
ModelDev *model_dev_new(const HostModelDevice *desc);
void model_dev_free(ModelDev *dev);
void model_dev_reset_config(ModelDev *dev);
int model_vfio_ioctl(ModelFile *f, unsigned long request, void *arg);
void model_vfio_release(ModelFile *f);
ssize_t model_vfio_rw(ModelFile *f, void *buf, size_t len, off_t off,
                      bool write);
void *model_vfio_mmap(ModelFile *f, void *addr, size_t len, int prot,
                      int flags, off_t off);

/* host-model-pci.c */
bool model_pci_check_chains(const uint8_t *cfg, size_t size, char **why);
unsigned model_pci_find_cap(const uint8_t *cfg, uint8_t id);
unsigned model_pci_find_ext_cap(const uint8_t *cfg, size_t size, uint16_t id);
void model_pci_build_masks(const HostModelDevice *d, uint8_t *wmask,
                           uint8_t *w1cmask);
/* The extended headers the VFIO config region rewrites (hidden caps). */
GArray *model_pci_vfio_headers(const uint8_t *cfg, size_t size);
uint32_t model_pci_ld(const uint8_t *cfg, unsigned off, unsigned size);
void model_pci_st(uint8_t *cfg, unsigned off, unsigned size, uint32_t val);

/* host-model-sysfs.c */
char *model_read_file(const char *path, size_t *len);
char *model_read_link(const char *path);
GPtrArray *model_list_dir(const char *path);
bool model_path_exists(const char *path);

#endif
