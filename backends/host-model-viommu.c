/*
 * Model iommufd, the hardware-facing half: IOMMU_GET_HW_INFO, HWPT
 * allocation (paging, VT-d nested, SMMUv3 nested with STE checks),
 * cache invalidation, vIOMMU, vDEVICE, vEVENTQ and event injection.
 * Where kernel-uapi.md is silent, the errno follows the kernel drivers'
 * documented behaviour; choices of the model are marked as such.
 */
#include "qemu/osdep.h"
#include "host-model-int.h"
#include <endian.h>
#include <sys/ioctl.h>
#include <linux/iommufd.h>

/* SMMUv3 STE words a nested HWPT may set (kernel-uapi.md §3.3). */
#define STE0_V 0x1ull
#define STE0_CFG(w) (((w) >> 1) & 7)
#define STE0_ALLOWED                                                           \
    (STE0_V | 0xeull | 0x30ull | (((1ull << 46) - 1) << 6) | (0x1full << 59))
#define STE1_EATS(w) (((w) >> 28) & 3)
#define STE1_ALLOWED                                                           \
    (0x3ull | 0xcull | 0x30ull | 0xc0ull | (1ull << 27) | (3ull << 28))
#define STE_CFG_ABORT 0
#define STE_CFG_BYPASS 4
#define STE_CFG_S1 5

/* SMMUv3 command opcodes accepted through a vIOMMU. */
#define CMD_CFGI_CD 0x05
#define CMD_CFGI_CD_ALL 0x06
#define CMD_ATC_INV 0x40
static const uint8_t smmu_inv_opcodes[] = {
    0x10, 0x11, 0x12, 0x13, 0x30, CMD_ATC_INV, CMD_CFGI_CD, CMD_CFGI_CD_ALL,
};

static ModelObj *get_idev(ModelCtx *ctx, uint32_t dev_id)
{
    return model_obj_get(ctx, dev_id, MODEL_OBJ_DEVICE);
}

/* IOMMU_GET_HW_INFO */

static size_t hw_info_data(const HostModelIommu *mmu, void *buf,
                           uint32_t *type)
{
    if (mmu->kind == HOST_IOMMU_ARM_SMMUV3) {
        struct iommu_hw_info_arm_smmuv3 *s = buf;

        memset(s, 0, sizeof(*s));
        memcpy(s->idr, mmu->idr, sizeof(s->idr));
        s->iidr = mmu->iidr;
        s->aidr = mmu->aidr;
        *type = IOMMU_HW_INFO_TYPE_ARM_SMMUV3;
        return sizeof(*s);
    } else {
        struct iommu_hw_info_vtd *v = buf;

        memset(v, 0, sizeof(*v));
        v->flags = mmu->vtd_flags;
        v->cap_reg = mmu->cap;
        v->ecap_reg = mmu->ecap;
        *type = IOMMU_HW_INFO_TYPE_INTEL_VTD;
        return sizeof(*v);
    }
}

static uint64_t hw_caps(ModelObj *idev)
{
    const HostModelDevice *d = idev->dev->desc;
    const uint8_t *cfg = idev->dev->config;
    unsigned pasid = model_pci_find_ext_cap(cfg, d->config_size,
                                            PCI_EXT_CAP_ID_PASID);
    uint64_t caps = 0;

    if (idev->iommu->dirty_tracking) {
        caps |= IOMMU_HW_CAP_DIRTY_TRACKING;
    }
    if (d->max_pasid_log2 && pasid) {
        uint16_t ctrl = model_pci_ld(cfg, pasid + PCI_PASID_CTRL, 2);
        caps |= ctrl & PCI_PASID_CTRL_EXEC ? IOMMU_HW_CAP_PCI_PASID_EXEC : 0;
        caps |= ctrl & PCI_PASID_CTRL_PRIV ? IOMMU_HW_CAP_PCI_PASID_PRIV : 0;
    }
    if (!d->ats_supported) {
        caps |= IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED;
    }
    return caps;
}

int model_cmd_get_hw_info(ModelCtx *ctx, void *cmd)
{
    struct iommu_hw_info *c = cmd;
    ModelObj *idev;
    uint64_t data[8];
    uint32_t type;
    size_t len;
    uint8_t *user;

    if (c->flags & ~IOMMU_HW_INFO_FLAG_INPUT_TYPE || c->__reserved[0] ||
        c->__reserved[1] || c->__reserved[2]) {
        return -EOPNOTSUPP;
    }
    idev = get_idev(ctx, c->dev_id);
    if (!idev) {
        return -ENOENT;
    }
    len = hw_info_data(idev->iommu, data, &type);
    if ((c->flags & IOMMU_HW_INFO_FLAG_INPUT_TYPE) &&
        c->in_data_type != IOMMU_HW_INFO_TYPE_DEFAULT &&
        c->in_data_type != type) {
        return -EOPNOTSUPP;
    }
    user = (uint8_t *)(uintptr_t)c->data_uptr;
    if (c->data_len && !user) {
        return -EFAULT;
    }
    if (c->data_len) {
        memcpy(user, data, MIN(c->data_len, len));
        if (c->data_len > len) {
            memset(user + len, 0, c->data_len - len);
        }
    }
    c->data_len = len;
    c->out_data_type = type;
    c->out_max_pasid_log2 = idev->dev->desc->max_pasid_log2;
    c->out_capabilities = hw_caps(idev);
    return 0;
}

/* IOMMU_HWPT_ALLOC */

static int alloc_paging(struct iommu_hwpt_alloc *c, ModelObj *idev,
                        ModelObj *ioas)
{
    const uint32_t valid = IOMMU_HWPT_ALLOC_NEST_PARENT |
                           IOMMU_HWPT_ALLOC_DIRTY_TRACKING |
                           IOMMU_HWPT_FAULT_ID_VALID | IOMMU_HWPT_ALLOC_PASID;
    ModelObj *h;

    if (c->flags & ~valid || c->data_type != IOMMU_HWPT_DATA_NONE) {
        return -EOPNOTSUPP;
    }
    if ((c->flags & IOMMU_HWPT_ALLOC_NEST_PARENT) && !idev->iommu->nesting) {
        return -EOPNOTSUPP;
    }
    if ((c->flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING) &&
        !idev->iommu->dirty_tracking) {
        return -EOPNOTSUPP;
    }
    if (!model_ioas_maps_page_aligned(ioas)) {
        return -EADDRINUSE;
    }
    h = model_obj_new(idev->ctx, MODEL_OBJ_HWPT_PAGING, ioas);
    h->iommu = idev->iommu;
    h->flags = c->flags;
    c->out_hwpt_id = h->id;
    return 0;
}

/* The intel driver's checks on a stage-1 table (model's reading). */
static int check_vtd_s1(const HostModelIommu *mmu,
                        const struct iommu_hwpt_vtd_s1 *s1)
{
    const uint64_t valid = IOMMU_VTD_S1_SRE | IOMMU_VTD_S1_EAFE |
                           IOMMU_VTD_S1_WPE;

    if (s1->flags & ~valid || s1->__reserved) {
        return -EOPNOTSUPP;
    }
    if (s1->pgtbl_addr % HM_PAGE_SIZE) {
        return -EINVAL;
    }
    if (s1->addr_width != 48 &&
        !(s1->addr_width == 57 && FIELD_EX64(mmu->cap, HM_VTD_CAP, FS5LP))) {
        return -EINVAL;
    }
    return 0;
}

static int check_ste(const struct iommu_hwpt_arm_smmuv3 *s)
{
    uint64_t w0 = le64toh(s->ste[0]);
    uint64_t w1 = le64toh(s->ste[1]);
    unsigned cfg = STE0_CFG(w0);

    if (w0 & ~STE0_ALLOWED || w1 & ~STE1_ALLOWED) {
        return -EIO;
    }
    if ((w0 & STE0_V) && cfg != STE_CFG_ABORT && cfg != STE_CFG_BYPASS &&
        cfg != STE_CFG_S1) {
        return -EIO;
    }
    /* EATS may only be "abort" or "translate" in a guest STE. */
    if (STE1_EATS(w1) > 1) {
        return -EIO;
    }
    return 0;
}

static int alloc_nested(struct iommu_hwpt_alloc *c, ModelObj *idev,
                        ModelObj *parent)
{
    const uint32_t valid = IOMMU_HWPT_FAULT_ID_VALID | IOMMU_HWPT_ALLOC_PASID;
    bool smmu = parent->kind == MODEL_OBJ_VIOMMU;
    union {
        struct iommu_hwpt_vtd_s1 vtd;
        struct iommu_hwpt_arm_smmuv3 ste;
    } data;
    size_t size = smmu ? sizeof(data.ste) : sizeof(data.vtd);
    uint32_t want = smmu ? IOMMU_HWPT_DATA_ARM_SMMUV3 : IOMMU_HWPT_DATA_VTD_S1;
    ModelObj *h;
    int rc;

    if (c->flags & ~valid || c->data_type != want) {
        return -EOPNOTSUPP;
    }
    if (!smmu && !(parent->flags & IOMMU_HWPT_ALLOC_NEST_PARENT)) {
        return -EINVAL;
    }
    if (!smmu && idev->iommu->kind != HOST_IOMMU_INTEL_VTD) {
        return -EOPNOTSUPP; /* SMMUv3 nests only through a vIOMMU */
    }
    if (parent->iommu != idev->iommu) {
        return -EINVAL;
    }
    rc = model_copy_user_struct(&data, size, size, c->data_uptr, c->data_len);
    if (rc == 0) {
        rc = smmu ? check_ste(&data.ste) : check_vtd_s1(idev->iommu,
                                                        &data.vtd);
    }
    if (rc < 0) {
        return rc;
    }
    h = model_obj_new(idev->ctx, MODEL_OBJ_HWPT_NESTED, parent);
    h->flags = c->flags;
    G_STATIC_ASSERT(sizeof(data) <= sizeof(h->data));
    memcpy(h->data, &data, size);
    h->data_len = size;
    c->out_hwpt_id = h->id;
    return 0;
}

int model_cmd_hwpt_alloc(ModelCtx *ctx, void *cmd)
{
    struct iommu_hwpt_alloc *c = cmd;
    ModelObj *idev, *pt;

    if (c->__reserved || c->__reserved2) {
        return -EOPNOTSUPP;
    }
    if ((c->data_type == IOMMU_HWPT_DATA_NONE) != (c->data_len == 0)) {
        return -EINVAL;
    }
    idev = get_idev(ctx, c->dev_id);
    if (!idev) {
        return -ENOENT;
    }
    pt = model_obj_get(ctx, c->pt_id, -1);
    if (!pt) {
        return -EINVAL; /* the kernel's answer for an unknown pt_id */
    }
    /* The model has no fault queues, so no fault_id can be valid. */
    if (c->flags & IOMMU_HWPT_FAULT_ID_VALID) {
        return -ENOENT;
    }
    switch (pt->kind) {
    case MODEL_OBJ_IOAS:
        return alloc_paging(c, idev, pt);
    case MODEL_OBJ_HWPT_PAGING:
    case MODEL_OBJ_VIOMMU:
        return alloc_nested(c, idev, pt);
    default:
        return -EINVAL;
    }
}

/* IOMMU_HWPT_INVALIDATE */

static int inv_vtd(const void *entry)
{
    const struct iommu_hwpt_vtd_s1_invalidate *e = entry;

    if (e->flags & ~IOMMU_VTD_INV_FLAGS_LEAF || e->__reserved) {
        return -EOPNOTSUPP;
    }
    /* npages = U64_MAX means "everything" and only with addr 0 */
    if (e->addr % HM_PAGE_SIZE || (e->npages == UINT64_MAX && e->addr)) {
        return -EINVAL;
    }
    return 0;
}

static ModelObj *find_vdevice(ModelObj *viommu, uint64_t virt_id)
{
    GHashTableIter it;
    gpointer key, value;

    g_hash_table_iter_init(&it, viommu->ctx->objs);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        ModelObj *o = value;
        if (o->kind == MODEL_OBJ_VDEVICE && o->parent == viommu &&
            o->virt_id == virt_id) {
            return o;
        }
    }
    return NULL;
}

static int inv_smmu(ModelObj *viommu, const void *entry)
{
    const struct iommu_viommu_arm_smmuv3_invalidate *e = entry;
    uint64_t w0 = le64toh(e->cmd[0]);
    uint8_t op = w0 & 0xff;

    if (!memchr(smmu_inv_opcodes, op, sizeof(smmu_inv_opcodes))) {
        return -EIO;
    }
    /* SID-based commands carry a virtual SID that must name a vDEVICE. */
    if ((op == CMD_CFGI_CD || op == CMD_CFGI_CD_ALL || op == CMD_ATC_INV) &&
        !find_vdevice(viommu, w0 >> 32)) {
        return -EIO;
    }
    return 0;
}

int model_cmd_hwpt_invalidate(ModelCtx *ctx, void *cmd)
{
    struct iommu_hwpt_invalidate *c = cmd;
    ModelObj *o;
    bool smmu;
    uint64_t entry[4];
    size_t size;
    uint32_t done = 0;
    int rc = 0;

    if (c->__reserved) {
        return -EOPNOTSUPP;
    }
    if (c->entry_num && (!c->data_uptr || !c->entry_len)) {
        return -EINVAL;
    }
    o = model_obj_get(ctx, c->hwpt_id, -1);
    if (!o) {
        return -ENOENT;
    }
    smmu = o->kind == MODEL_OBJ_VIOMMU;
    if (!smmu && o->kind != MODEL_OBJ_HWPT_NESTED) {
        rc = -EINVAL;
    } else if (!smmu && o->iommu->kind != HOST_IOMMU_INTEL_VTD) {
        rc = -EOPNOTSUPP; /* SMMUv3 invalidates through its vIOMMU */
    } else if (c->data_type != (smmu ? IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3
                                     : IOMMU_HWPT_INVALIDATE_DATA_VTD_S1)) {
        rc = -EINVAL;
    }
    size = smmu ? sizeof(struct iommu_viommu_arm_smmuv3_invalidate)
                : sizeof(struct iommu_hwpt_vtd_s1_invalidate);
    for (; rc == 0 && done < c->entry_num; done++) {
        uint64_t uptr = c->data_uptr + (uint64_t)done * c->entry_len;

        rc = model_copy_user_struct(entry, size, size, uptr, c->entry_len);
        if (rc == 0) {
            rc = smmu ? inv_smmu(o, entry) : inv_vtd(entry);
        }
        if (rc < 0) {
            break;
        }
    }
    c->entry_num = done;
    return rc;
}

/* vIOMMU, vDEVICE, vEVENTQ */

int model_cmd_viommu_alloc(ModelCtx *ctx, void *cmd)
{
    struct iommu_viommu_alloc *c = cmd;
    ModelObj *idev, *hwpt, *v;

    if (c->flags || c->__reserved || c->type == IOMMU_VIOMMU_TYPE_DEFAULT) {
        return -EOPNOTSUPP;
    }
    idev = get_idev(ctx, c->dev_id);
    hwpt = model_obj_get(ctx, c->hwpt_id, MODEL_OBJ_HWPT_PAGING);
    if (!idev || !hwpt) {
        return -ENOENT;
    }
    if (!(hwpt->flags & IOMMU_HWPT_ALLOC_NEST_PARENT)) {
        return -EINVAL;
    }
    /* Only SMMUv3 vIOMMUs without vendor data are modelled (no CMDQV). */
    if (c->type != IOMMU_VIOMMU_TYPE_ARM_SMMUV3 ||
        idev->iommu->kind != HOST_IOMMU_ARM_SMMUV3 || c->data_len) {
        return -EOPNOTSUPP;
    }
    if (hwpt->iommu != idev->iommu) {
        return -EINVAL;
    }
    v = model_obj_new(ctx, MODEL_OBJ_VIOMMU, hwpt);
    c->out_viommu_id = v->id;
    return 0;
}

int model_cmd_vdevice_alloc(ModelCtx *ctx, void *cmd)
{
    struct iommu_vdevice_alloc *c = cmd;
    ModelObj *viommu = model_obj_get(ctx, c->viommu_id, MODEL_OBJ_VIOMMU);
    ModelObj *idev = get_idev(ctx, c->dev_id);
    GHashTableIter it;
    gpointer key, value;
    ModelObj *v;

    if (!viommu || !idev) {
        return -ENOENT;
    }
    if (idev->iommu != viommu->iommu || c->virt_id > UINT32_MAX) {
        return -EINVAL;
    }
    g_hash_table_iter_init(&it, ctx->objs);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        ModelObj *o = value;
        if (o->kind == MODEL_OBJ_VDEVICE && o->parent == viommu &&
            (o->virt_id == c->virt_id || o->idev == idev)) {
            return -EEXIST;
        }
    }
    v = model_obj_new(ctx, MODEL_OBJ_VDEVICE, viommu);
    v->idev = idev;
    v->virt_id = c->virt_id;
    c->out_vdevice_id = v->id;
    return 0;
}

static ModelObj *find_veventq(ModelObj *viommu, uint32_t type)
{
    GHashTableIter it;
    gpointer key, value;

    g_hash_table_iter_init(&it, viommu->ctx->objs);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        ModelObj *o = value;
        if (o->kind == MODEL_OBJ_VEVENTQ && o->parent == viommu &&
            o->type == type) {
            return o;
        }
    }
    return NULL;
}

/*
 * The caller's fd is the read end of a pipe. The model keeps its own
 * read end too, to measure the backlog and so that injecting never hits
 * a reader-less pipe. Reads return the records back to back.
 */
int model_cmd_veventq_alloc(ModelCtx *ctx, void *cmd)
{
    struct iommu_veventq_alloc *c = cmd;
    ModelObj *viommu, *q;
    int p[2];

    if (c->flags || c->__reserved ||
        c->type == IOMMU_VEVENTQ_TYPE_DEFAULT) {
        return -EOPNOTSUPP;
    }
    viommu = model_obj_get(ctx, c->viommu_id, MODEL_OBJ_VIOMMU);
    if (!viommu) {
        return -ENOENT;
    }
    if (c->type != IOMMU_VEVENTQ_TYPE_ARM_SMMUV3) {
        return -EOPNOTSUPP;
    }
    if (!c->veventq_depth) {
        return -EINVAL;
    }
    if (find_veventq(viommu, c->type)) {
        return -EEXIST;
    }
    if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0) {
        return -errno;
    }
    q = model_obj_new(ctx, MODEL_OBJ_VEVENTQ, viommu);
    q->type = c->type;
    q->depth = c->veventq_depth;
    q->wfd = p[1];
    q->rfd = p[0];
    c->out_veventq_fd = fcntl(p[0], F_DUPFD_CLOEXEC, 0);
    if ((int)c->out_veventq_fd < 0) {
        int err = errno;
        model_obj_free(q);
        return -err;
    }
    c->out_veventq_id = q->id;
    return 0;
}

int model_cmd_hw_queue_alloc(ModelCtx *ctx, void *cmd)
{
    struct iommu_hw_queue_alloc *c = cmd;

    if (!model_obj_get(ctx, c->viommu_id, MODEL_OBJ_VIOMMU)) {
        return -ENOENT;
    }
    return -EOPNOTSUPP; /* no Tegra241 CMDQV in the model */
}

int model_inject_vevent(ModelCtx *ctx, uint32_t viommu_id, uint32_t type,
                        const void *data, size_t len)
{
    ModelObj *viommu = model_obj_get(ctx, viommu_id, MODEL_OBJ_VIOMMU);
    ModelObj *q = viommu ? find_veventq(viommu, type) : NULL;
    struct iommufd_vevent_header hdr;
    uint8_t rec[PIPE_BUF];
    int pending = 0;

    if (!q) {
        return -ENOENT;
    }
    if (!len || len > sizeof(rec) - sizeof(hdr)) {
        return -EINVAL;
    }
    if (ioctl(q->rfd, FIONREAD, &pending) < 0) {
        return -errno;
    }
    if (pending / (sizeof(hdr) + len) >= q->depth) {
        q->lost = true; /* full: dropped, flagged on the next record */
    } else {
        hdr.flags = q->lost ? IOMMU_VEVENTQ_FLAG_LOST_EVENTS : 0;
        hdr.sequence = q->seq;
        memcpy(rec, &hdr, sizeof(hdr));
        memcpy(rec + sizeof(hdr), data, len);
        if (write(q->wfd, rec, sizeof(hdr) + len) < 0) {
            return -errno;
        }
        q->lost = false;
    }
    q->seq = (q->seq + 1) & INT_MAX;
    return 0;
}
