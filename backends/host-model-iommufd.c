/*
 * Model iommufd: contexts, the object table, ioctl dispatch with the
 * kernel's size rules, IOAS mappings, dirty tracking, DESTROY, and the
 * device side of binding and attaching (called from the VFIO model).
 * HWPT, vIOMMU and friends are in host-model-viommu.c.
 */
#include "qemu/osdep.h"
#include "host-model-int.h"
#include <linux/iommufd.h>

/* Contexts and objects */

ModelCtx *model_ctx_new(void)
{
    ModelCtx *ctx = g_new0(ModelCtx, 1);

    ctx->refs = 1;
    ctx->objs = g_hash_table_new(g_direct_hash, g_direct_equal);
    return ctx;
}

ModelObj *model_obj_new(ModelCtx *ctx, ModelObjKind kind, ModelObj *parent)
{
    ModelObj *o = g_new0(ModelObj, 1);

    o->kind = kind;
    o->ctx = ctx;
    /* The kernel's object xarray hands out the lowest free id, from 1. */
    o->id = 1;
    while (g_hash_table_contains(ctx->objs, GUINT_TO_POINTER(o->id))) {
        o->id++;
    }
    o->parent = parent;
    o->wfd = o->rfd = -1;
    if (parent) {
        parent->users++;
        o->iommu = parent->iommu;
    }
    g_hash_table_insert(ctx->objs, GUINT_TO_POINTER(o->id), o);
    model_live_inc();
    return o;
}

ModelObj *model_obj_get(ModelCtx *ctx, uint32_t id, int kind)
{
    ModelObj *o = g_hash_table_lookup(ctx->objs, GUINT_TO_POINTER(id));

    return o && (kind < 0 || o->kind == (ModelObjKind)kind) ? o : NULL;
}

void model_obj_free(ModelObj *o)
{
    g_assert(o->users == 0);
    if (o->parent) {
        o->parent->users--;
    }
    if (o->maps) {
        g_array_unref(o->maps);
    }
    if (o->pasids) {
        g_array_unref(o->pasids);
    }
    if (o->wfd >= 0) {
        close(o->wfd);
        close(o->rfd);
    }
    g_hash_table_remove(o->ctx->objs, GUINT_TO_POINTER(o->id));
    g_free(o);
    model_live_dec();
}

/* Destroys leaves first until nothing is left (devices are unbound). */
static void ctx_teardown(ModelCtx *ctx)
{
    bool progress = true;

    while (progress) {
        GHashTableIter it;
        gpointer key, value;

        progress = false;
        g_hash_table_iter_init(&it, ctx->objs);
        while (g_hash_table_iter_next(&it, &key, &value)) {
            ModelObj *o = value;
            if (o->users == 0 && o->kind != MODEL_OBJ_DEVICE) {
                model_obj_free(o);
                progress = true;
                break;
            }
        }
    }
    g_assert(g_hash_table_size(ctx->objs) == 0);
}

void model_ctx_unref(ModelCtx *ctx)
{
    if (--ctx->refs == 0) {
        ctx_teardown(ctx);
        g_hash_table_unref(ctx->objs);
        g_free(ctx);
    }
}

ModelObj *model_hwpt_ioas(ModelObj *hwpt)
{
    ModelObj *o = hwpt;

    while (o && o->kind != MODEL_OBJ_IOAS) {
        o = o->parent;
    }
    return o;
}

int model_copy_user_struct(void *dst, size_t dst_size, size_t min,
                           uint64_t uptr, size_t ulen)
{
    const uint8_t *src = (const uint8_t *)(uintptr_t)uptr;

    if (ulen < min) {
        return -EINVAL;
    }
    if (!src) {
        return -EFAULT;
    }
    for (size_t i = dst_size; i < ulen; i++) {
        if (src[i]) {
            return -E2BIG;
        }
    }
    memset(dst, 0, dst_size);
    memcpy(dst, src, MIN(ulen, dst_size));
    return 0;
}

/* IOVA ranges */

static GArray *ranges_intersect(GArray *a, const GArray *b)
{
    GArray *out = g_array_new(false, false, sizeof(HostIovaRange));

    for (unsigned i = 0; i < a->len; i++) {
        HostIovaRange *x = &g_array_index(a, HostIovaRange, i);
        for (unsigned j = 0; j < b->len; j++) {
            HostIovaRange *y = &g_array_index(b, HostIovaRange, j);
            HostIovaRange r = {MAX(x->start, y->start), MIN(x->last, y->last)};
            if (r.start <= r.last) {
                g_array_append_val(out, r);
            }
        }
    }
    g_array_unref(a);
    return out;
}

static bool dev_uses_ioas(ModelObj *idev, ModelObj *ioas)
{
    if (idev->hwpt && model_hwpt_ioas(idev->hwpt) == ioas) {
        return true;
    }
    for (unsigned i = 0; idev->pasids && i < idev->pasids->len; i++) {
        ModelAttach *a = &g_array_index(idev->pasids, ModelAttach, i);
        if (model_hwpt_ioas(a->hwpt) == ioas) {
            return true;
        }
    }
    return false;
}

/* Usable IOVAs: every attached device's aperture minus reserved windows. */
static GArray *ioas_ranges(ModelObj *ioas)
{
    GArray *r = g_array_new(false, false, sizeof(HostIovaRange));
    HostIovaRange all = {0, UINT64_MAX};
    GHashTableIter it;
    gpointer key, value;

    g_array_append_val(r, all);
    g_hash_table_iter_init(&it, ioas->ctx->objs);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        ModelObj *o = value;
        if (o->kind == MODEL_OBJ_DEVICE && dev_uses_ioas(o, ioas)) {
            r = ranges_intersect(r, o->iommu->iova_ranges);
        }
    }
    return r;
}

static bool in_ranges(const GArray *r, uint64_t start, uint64_t last)
{
    for (unsigned i = 0; i < r->len; i++) {
        const HostIovaRange *x = &g_array_index(r, HostIovaRange, i);
        if (start >= x->start && last <= x->last) {
            return true;
        }
    }
    return false;
}

/* Whether all of an IOAS's mappings lie inside ranges. */
static bool maps_fit(ModelObj *ioas, const GArray *ranges)
{
    for (unsigned i = 0; i < ioas->maps->len; i++) {
        ModelMapping *m = &g_array_index(ioas->maps, ModelMapping, i);
        if (!in_ranges(ranges, m->iova, m->iova + m->length - 1)) {
            return false;
        }
    }
    return true;
}

static ModelMapping *find_overlap(ModelObj *ioas, uint64_t start,
                                  uint64_t last)
{
    for (unsigned i = 0; i < ioas->maps->len; i++) {
        ModelMapping *m = &g_array_index(ioas->maps, ModelMapping, i);
        if (m->iova <= last && start <= m->iova + m->length - 1) {
            return m;
        }
    }
    return NULL;
}

/*
 * The IOAS's IOVA alignment: the page size once an IOMMU domain (a paging
 * HWPT) is in it, else 1 byte, as the kernel's io_pagetable has it.
 */
static uint64_t ioas_alignment(ModelObj *ioas)
{
    GHashTableIter it;
    gpointer key, value;

    g_hash_table_iter_init(&it, ioas->ctx->objs);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        ModelObj *o = value;
        if (o->kind == MODEL_OBJ_HWPT_PAGING && o->parent == ioas) {
            return HM_PAGE_SIZE;
        }
    }
    return 1;
}

bool model_ioas_maps_page_aligned(ModelObj *ioas)
{
    for (unsigned i = 0; i < ioas->maps->len; i++) {
        ModelMapping *m = &g_array_index(ioas->maps, ModelMapping, i);
        if ((m->iova | m->length) % HM_PAGE_SIZE) {
            return false;
        }
    }
    return true;
}

/*
 * Lowest page-aligned free IOVA above 0 (the kernel never hands out IOVA
 * 0); unlike the kernel, no larger alignment is derived from the length.
 */
static int alloc_iova(ModelObj *ioas, const GArray *ranges, uint64_t length,
                      uint64_t *iova)
{
    for (unsigned i = 0; i < ranges->len; i++) {
        const HostIovaRange *r = &g_array_index(ranges, HostIovaRange, i);
        uint64_t c = QEMU_ALIGN_UP(MAX(r->start, HM_PAGE_SIZE), HM_PAGE_SIZE);

        while (c >= r->start && c <= r->last &&
               r->last - c >= length - 1) {
            ModelMapping *m = find_overlap(ioas, c, c + length - 1);
            uint64_t next;

            if (!m) {
                *iova = c;
                return 0;
            }
            next = m->iova + m->length;
            if (next < m->iova || next > UINT64_MAX - HM_PAGE_SIZE) {
                break;
            }
            c = QEMU_ALIGN_UP(next, HM_PAGE_SIZE);
        }
    }
    return -ENOSPC;
}

/* VT-d erratum 772415: no read-only mappings under a nest parent. */
static bool ro_forbidden(ModelObj *ioas)
{
    GHashTableIter it;
    gpointer key, value;

    g_hash_table_iter_init(&it, ioas->ctx->objs);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        ModelObj *o = value;
        if (o->kind == MODEL_OBJ_HWPT_PAGING && o->parent == ioas &&
            (o->flags & IOMMU_HWPT_ALLOC_NEST_PARENT) &&
            o->iommu->kind == HOST_IOMMU_INTEL_VTD &&
            (o->iommu->vtd_flags & IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17)) {
            return true;
        }
    }
    return false;
}

static int ioas_map(ModelCtx *ctx, uint32_t ioas_id, uint32_t flags,
                    uint64_t length, uint64_t *iova)
{
    const uint32_t valid = IOMMU_IOAS_MAP_FIXED_IOVA |
                           IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE;
    ModelObj *ioas;
    g_autoptr(GArray) ranges = NULL;
    ModelMapping m;
    uint64_t align;
    int rc;

    if (flags & ~valid) {
        return -EOPNOTSUPP;
    }
    if (!length) {
        return -EINVAL;
    }
    if (length >= ULONG_MAX || *iova >= ULONG_MAX) {
        return -EOVERFLOW;
    }
    ioas = model_obj_get(ctx, ioas_id, MODEL_OBJ_IOAS);
    if (!ioas) {
        return -ENOENT;
    }
    if (!(flags & IOMMU_IOAS_MAP_WRITEABLE) && ro_forbidden(ioas)) {
        return -EINVAL;
    }
    align = ioas_alignment(ioas);
    if (length % align) {
        return -EINVAL;
    }
    ranges = ioas_ranges(ioas);
    if (flags & IOMMU_IOAS_MAP_FIXED_IOVA) {
        if (*iova % align) {
            return -EINVAL;
        }
        if (*iova + (length - 1) < *iova) {
            return -EOVERFLOW;
        }
        if (!in_ranges(ranges, *iova, *iova + length - 1)) {
            return -EINVAL; /* reserved or outside the aperture */
        }
        if (find_overlap(ioas, *iova, *iova + length - 1)) {
            return -EEXIST;
        }
    } else if ((rc = alloc_iova(ioas, ranges, length, iova)) < 0) {
        return rc;
    }
    m = (ModelMapping){*iova, length, flags};
    g_array_append_val(ioas->maps, m);
    return 0;
}

/* Command handlers */

static int cmd_destroy(ModelCtx *ctx, void *cmd)
{
    struct iommu_destroy *c = cmd;
    ModelObj *o = model_obj_get(ctx, c->id, -1);

    if (!o) {
        return -ENOENT;
    }
    /* Devices belong to their VFIO file; in-use objects stay. */
    if (o->kind == MODEL_OBJ_DEVICE || o->users) {
        return -EBUSY;
    }
    model_obj_free(o);
    return 0;
}

static int cmd_ioas_alloc(ModelCtx *ctx, void *cmd)
{
    struct iommu_ioas_alloc *c = cmd;
    ModelObj *o;

    if (c->flags) {
        return -EOPNOTSUPP;
    }
    o = model_obj_new(ctx, MODEL_OBJ_IOAS, NULL);
    o->maps = g_array_new(false, false, sizeof(ModelMapping));
    c->out_ioas_id = o->id;
    return 0;
}

static int cmd_iova_ranges(ModelCtx *ctx, void *cmd)
{
    struct iommu_ioas_iova_ranges *c = cmd;
    ModelObj *ioas = model_obj_get(ctx, c->ioas_id, MODEL_OBJ_IOAS);
    g_autoptr(GArray) r = NULL;
    struct iommu_iova_range *out;

    if (c->__reserved) {
        return -EOPNOTSUPP;
    }
    if (!ioas) {
        return -ENOENT;
    }
    r = ioas_ranges(ioas);
    out = (struct iommu_iova_range *)(uintptr_t)c->allowed_iovas;
    if (c->num_iovas && !out) {
        return -EFAULT;
    }
    for (unsigned i = 0; i < MIN(r->len, c->num_iovas); i++) {
        HostIovaRange *x = &g_array_index(r, HostIovaRange, i);
        out[i].start = x->start;
        out[i].last = x->last;
    }
    c->out_iova_alignment = ioas_alignment(ioas);
    if (r->len > c->num_iovas) {
        c->num_iovas = r->len;
        return -EMSGSIZE; /* the count is still copied out */
    }
    c->num_iovas = r->len;
    return 0;
}

static int cmd_ioas_map(ModelCtx *ctx, void *cmd)
{
    struct iommu_ioas_map *c = cmd;

    uint64_t iova = c->iova;
    int rc;

    if (c->__reserved) {
        return -EOPNOTSUPP;
    }
    rc = ioas_map(ctx, c->ioas_id, c->flags, c->length, &iova);
    c->iova = iova;
    return rc;
}

static int cmd_ioas_map_file(ModelCtx *ctx, void *cmd)
{
    struct iommu_ioas_map_file *c = cmd;
    uint64_t iova = c->iova;
    struct stat st;
    int rc;

    if (fstat(c->fd, &st) < 0) {
        return -EBADF;
    }
    if (c->start % HM_PAGE_SIZE) {
        return -EINVAL;
    }
    rc = ioas_map(ctx, c->ioas_id, c->flags, c->length, &iova);
    c->iova = iova;
    return rc;
}

static int cmd_ioas_unmap(ModelCtx *ctx, void *cmd)
{
    struct iommu_ioas_unmap *c = cmd;
    ModelObj *ioas = model_obj_get(ctx, c->ioas_id, MODEL_OBJ_IOAS);
    bool all = c->iova == 0 && c->length == UINT64_MAX;
    uint64_t last = c->iova + c->length - 1;
    uint64_t unmapped = 0;

    if (!ioas) {
        return -ENOENT;
    }
    if (!all && !c->length) {
        return -EINVAL;
    }
    if (!all && last < c->iova) {
        return -EOVERFLOW;
    }
    /* A mapping only partly inside the range cannot be split. */
    for (unsigned i = 0; !all && i < ioas->maps->len; i++) {
        ModelMapping *m = &g_array_index(ioas->maps, ModelMapping, i);
        uint64_t mlast = m->iova + m->length - 1;
        if (m->iova <= last && c->iova <= mlast &&
            (m->iova < c->iova || mlast > last)) {
            return -ENOENT;
        }
    }
    for (unsigned i = 0; i < ioas->maps->len;) {
        ModelMapping *m = &g_array_index(ioas->maps, ModelMapping, i);
        if (all || (m->iova >= c->iova && m->iova + m->length - 1 <= last)) {
            unmapped += m->length;
            g_array_remove_index_fast(ioas->maps, i);
            continue;
        }
        i++;
    }
    if (!unmapped && !all) {
        return -ENOENT;
    }
    c->length = unmapped;
    return 0;
}

static int cmd_set_dirty_tracking(ModelCtx *ctx, void *cmd)
{
    struct iommu_hwpt_set_dirty_tracking *c = cmd;
    ModelObj *h;

    if (c->flags & ~IOMMU_HWPT_DIRTY_TRACKING_ENABLE || c->__reserved) {
        return -EOPNOTSUPP;
    }
    h = model_obj_get(ctx, c->hwpt_id, MODEL_OBJ_HWPT_PAGING);
    if (!h) {
        return -ENOENT;
    }
    if (!(h->flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING)) {
        return -EINVAL;
    }
    h->dirty_enabled = c->flags & IOMMU_HWPT_DIRTY_TRACKING_ENABLE;
    return 0;
}

/* The model does no DMA, so nothing is ever dirty: the bitmap is zeroed. */
static int cmd_get_dirty_bitmap(ModelCtx *ctx, void *cmd)
{
    struct iommu_hwpt_get_dirty_bitmap *c = cmd;
    ModelObj *h;
    uint64_t pages;

    if (c->flags & ~IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR || c->__reserved) {
        return -EOPNOTSUPP;
    }
    h = model_obj_get(ctx, c->hwpt_id, MODEL_OBJ_HWPT_PAGING);
    if (!h) {
        return -ENOENT;
    }
    if (!(h->flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING) || !c->length ||
        c->page_size < HM_PAGE_SIZE || (c->page_size & (c->page_size - 1)) ||
        c->iova % c->page_size || c->length % c->page_size) {
        return -EINVAL;
    }
    if (c->iova + (c->length - 1) < c->iova) {
        return -EOVERFLOW;
    }
    if (!c->data) {
        return -EFAULT;
    }
    pages = c->length / c->page_size;
    memset((void *)(uintptr_t)c->data, 0, DIV_ROUND_UP(pages, 8));
    return 0;
}

/* Dispatch */

typedef struct IommufdOp {
    unsigned long request;
    int (*fn)(ModelCtx *ctx, void *cmd);
    uint32_t size;        /* the struct this model knows */
    uint32_t min_size;    /* end of the last field of the first version */
    bool respond_on_error;
} IommufdOp;

static const IommufdOp iommufd_ops[] = {
    {IOMMU_DESTROY, cmd_destroy, sizeof(struct iommu_destroy), 8},
    {IOMMU_IOAS_ALLOC, cmd_ioas_alloc, sizeof(struct iommu_ioas_alloc), 12},
    {IOMMU_IOAS_IOVA_RANGES, cmd_iova_ranges,
     sizeof(struct iommu_ioas_iova_ranges), 32, true},
    {IOMMU_IOAS_MAP, cmd_ioas_map, sizeof(struct iommu_ioas_map), 40},
    {IOMMU_IOAS_MAP_FILE, cmd_ioas_map_file,
     sizeof(struct iommu_ioas_map_file), 40},
    {IOMMU_IOAS_UNMAP, cmd_ioas_unmap, sizeof(struct iommu_ioas_unmap), 24},
    {IOMMU_HWPT_ALLOC, model_cmd_hwpt_alloc, sizeof(struct iommu_hwpt_alloc),
     24},
    {IOMMU_GET_HW_INFO, model_cmd_get_hw_info, sizeof(struct iommu_hw_info),
     32},
    {IOMMU_HWPT_SET_DIRTY_TRACKING, cmd_set_dirty_tracking,
     sizeof(struct iommu_hwpt_set_dirty_tracking), 16},
    {IOMMU_HWPT_GET_DIRTY_BITMAP, cmd_get_dirty_bitmap,
     sizeof(struct iommu_hwpt_get_dirty_bitmap), 48},
    {IOMMU_HWPT_INVALIDATE, model_cmd_hwpt_invalidate,
     sizeof(struct iommu_hwpt_invalidate), 32, true},
    {IOMMU_VIOMMU_ALLOC, model_cmd_viommu_alloc,
     sizeof(struct iommu_viommu_alloc), 24},
    {IOMMU_VDEVICE_ALLOC, model_cmd_vdevice_alloc,
     sizeof(struct iommu_vdevice_alloc), 24},
    {IOMMU_VEVENTQ_ALLOC, model_cmd_veventq_alloc,
     sizeof(struct iommu_veventq_alloc), 28},
    {IOMMU_HW_QUEUE_ALLOC, model_cmd_hw_queue_alloc,
     sizeof(struct iommu_hw_queue_alloc), 40},
};

/*
 * Not modelled (ENOTTY, as from a kernel without them): ALLOW_IOVAS,
 * IOAS_COPY, OPTION, VFIO_IOAS, FAULT_QUEUE_ALLOC, IOAS_CHANGE_PROCESS.
 */
int model_iommufd_ioctl(ModelCtx *ctx, unsigned long request, void *arg)
{
    const IommufdOp *op = NULL;
    uint64_t buf[8] = {0}; /* >= the largest struct, 8-byte aligned */
    uint32_t usize;
    int rc;

    for (unsigned i = 0; i < ARRAY_SIZE(iommufd_ops); i++) {
        if (iommufd_ops[i].request == request) {
            op = &iommufd_ops[i];
        }
    }
    if (!op) {
        return -ENOTTY;
    }
    if (!arg) {
        return -EFAULT;
    }
    memcpy(&usize, arg, sizeof(usize));
    if (usize < op->min_size) {
        return -EINVAL;
    }
    for (uint32_t i = op->size; i < usize; i++) {
        if (((uint8_t *)arg)[i]) {
            return -E2BIG;
        }
    }
    g_assert(op->size <= sizeof(buf));
    memcpy(buf, arg, MIN(usize, op->size));
    rc = op->fn(ctx, buf);
    if (rc == 0 || op->respond_on_error) {
        memcpy(arg, buf, MIN(usize, op->size));
    }
    return rc;
}

/* Device binding and attachment (the VFIO side calls these) */

ModelObj *model_idev_bind(ModelCtx *ctx, ModelDev *dev)
{
    ModelObj *o = model_obj_new(ctx, MODEL_OBJ_DEVICE, NULL);

    o->dev = dev;
    o->iommu = dev->desc->iommu;
    o->pasids = g_array_new(false, false, sizeof(ModelAttach));
    ctx->refs++;
    return o;
}

static void hwpt_put(ModelObj *hwpt)
{
    hwpt->users--;
    if (hwpt->auto_domain && !hwpt->users) {
        model_obj_free(hwpt);
    }
}

static ModelObj **attach_slot(ModelObj *idev, bool has_pasid, uint32_t pasid,
                              bool create)
{
    ModelAttach a = {pasid, NULL};
    ModelAttach *x;

    if (!has_pasid) {
        return &idev->hwpt;
    }
    for (unsigned i = 0; i < idev->pasids->len; i++) {
        x = &g_array_index(idev->pasids, ModelAttach, i);
        if (x->pasid == pasid) {
            return &x->hwpt;
        }
    }
    if (!create) {
        return NULL;
    }
    g_array_append_val(idev->pasids, a);
    x = &g_array_index(idev->pasids, ModelAttach, idev->pasids->len - 1);
    return &x->hwpt;
}

/*
 * The automatic domain of idev's IOMMU in ioas, shared or new; NULL when
 * a new one cannot join (see model_ioas_maps_page_aligned()).
 */
static ModelObj *auto_hwpt(ModelObj *idev, ModelObj *ioas)
{
    GHashTableIter it;
    gpointer key, value;
    ModelObj *h;

    g_hash_table_iter_init(&it, idev->ctx->objs);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        h = value;
        if (h->auto_domain && h->parent == ioas && h->iommu == idev->iommu) {
            return h;
        }
    }
    if (!model_ioas_maps_page_aligned(ioas)) {
        return NULL;
    }
    h = model_obj_new(idev->ctx, MODEL_OBJ_HWPT_PAGING, ioas);
    h->iommu = idev->iommu;
    h->auto_domain = true;
    return h;
}

int model_idev_attach(ModelObj *idev, uint32_t *pt_id, bool has_pasid,
                      uint32_t pasid)
{
    ModelObj *pt = model_obj_get(idev->ctx, *pt_id, -1);
    ModelObj *hwpt, **slot;

    if (!pt) {
        return -ENOENT;
    }
    if (has_pasid && (!idev->dev->desc->max_pasid_log2 ||
                      pasid >> idev->dev->desc->max_pasid_log2)) {
        return -EINVAL;
    }
    if (pt->kind == MODEL_OBJ_IOAS) {
        hwpt = auto_hwpt(idev, pt);
        if (!hwpt) {
            return -EADDRINUSE; /* byte-aligned mappings, no domain yet */
        }
    } else if (pt->kind == MODEL_OBJ_HWPT_PAGING ||
               pt->kind == MODEL_OBJ_HWPT_NESTED) {
        hwpt = pt;
    } else {
        return -EINVAL;
    }
    if (hwpt->iommu != idev->iommu) {
        return -EINVAL; /* a domain of another IOMMU instance */
    }
    /* The device's reserved windows must be free in the IOAS. */
    if (!maps_fit(model_hwpt_ioas(hwpt), idev->iommu->iova_ranges)) {
        if (!hwpt->users && hwpt->auto_domain) {
            model_obj_free(hwpt);
        }
        return -EADDRINUSE;
    }
    slot = attach_slot(idev, has_pasid, pasid, true);
    if (*slot != hwpt) {
        hwpt->users++;
        if (*slot) {
            hwpt_put(*slot); /* replace: the old HWPT is released */
        }
        *slot = hwpt;
    }
    *pt_id = hwpt->id;
    return 0;
}

int model_idev_detach(ModelObj *idev, bool has_pasid, uint32_t pasid)
{
    ModelObj **slot = attach_slot(idev, has_pasid, pasid, false);

    if (slot && *slot) {
        hwpt_put(*slot);
        *slot = NULL;
    }
    return 0;
}

static ModelObj *find_vdevice_of(ModelObj *idev)
{
    GHashTableIter it;
    gpointer key, value;

    g_hash_table_iter_init(&it, idev->ctx->objs);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        ModelObj *o = value;
        if (o->kind == MODEL_OBJ_VDEVICE && o->idev == idev) {
            return o;
        }
    }
    return NULL;
}

/* Unbind: detach everything, drop the device's vDEVICEs, release. */
void model_idev_unbind(ModelObj *idev)
{
    ModelCtx *ctx = idev->ctx;
    ModelObj *vdev;

    model_idev_detach(idev, false, 0);
    for (unsigned i = 0; i < idev->pasids->len; i++) {
        ModelAttach *a = &g_array_index(idev->pasids, ModelAttach, i);
        if (a->hwpt) {
            hwpt_put(a->hwpt);
        }
    }
    g_array_set_size(idev->pasids, 0);
    while ((vdev = find_vdevice_of(idev))) {
        model_obj_free(vdev);
    }
    model_obj_free(idev);
    model_ctx_unref(ctx);
}
