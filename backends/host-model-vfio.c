/*
 * Model VFIO cdev: binding to an iommufd, attach/detach, device info with
 * its capability chain, regions (config space emulated with write masks,
 * BARs backed by a per-device memfd at vfio-pci's region offsets), IRQ
 * info, reset and the feature probe. Until a cdev is bound, every access
 * fails with EINVAL, as the kernel does.
 */
#include "qemu/osdep.h"
#include "host-model-int.h"
#include <sys/mman.h>
#include <linux/vfio.h>

#define REGION_OFFSET(i) ((uint64_t)(i) << HM_REGION_SHIFT)
#define REGION_POS_MASK (REGION_OFFSET(1) - 1)

ModelDev *model_dev_new(const HostModelDevice *desc)
{
    g_autofree char *name = g_strdup_printf("host-model:bars:%s",
                                            desc->address);
    ModelDev *dev = g_new0(ModelDev, 1);
    uint64_t end = 0;

    dev->desc = desc;
    dev->config = g_memdup2(desc->config, desc->config_size);
    dev->vfio_headers = model_pci_vfio_headers(desc->config,
                                               desc->config_size);
    dev->wmask = g_malloc0(desc->config_size);
    dev->w1cmask = g_malloc0(desc->config_size);
    model_pci_build_masks(desc, dev->wmask, dev->w1cmask);
    for (unsigned i = 0; i <= VFIO_PCI_ROM_REGION_INDEX; i++) {
        if (desc->regions[i].size) {
            end = REGION_OFFSET(i) + desc->regions[i].size;
        }
    }
    /* Sparse: only the pages a test touches take memory. */
    dev->bar_fd = memfd_create(name, MFD_CLOEXEC);
    if (dev->bar_fd >= 0 && ftruncate(dev->bar_fd, end) < 0) {
        close(dev->bar_fd);
        dev->bar_fd = -1;
    }
    return dev;
}

void model_dev_free(ModelDev *dev)
{
    if (dev->bar_fd >= 0) {
        close(dev->bar_fd);
    }
    g_array_unref(dev->vfio_headers);
    g_free(dev->config);
    g_free(dev->wmask);
    g_free(dev->w1cmask);
    g_free(dev);
}

void model_dev_reset_config(ModelDev *dev)
{
    memcpy(dev->config, dev->desc->config, dev->desc->config_size);
}

/* Reads the first min bytes of a VFIO argument; EINVAL if argsz < min. */
static int get_arg(const void *arg, void *dst, size_t min)
{
    if (!arg) {
        return -EFAULT;
    }
    memcpy(dst, arg, min);
    return *(const uint32_t *)dst < min ? -EINVAL : 0;
}

static int file_bind(ModelFile *f, void *arg)
{
    struct vfio_device_bind_iommufd b = {0};
    ModelFile *ifile;
    int rc = get_arg(arg, &b, offsetof(typeof(b), token_uuid_ptr));

    if (rc < 0) {
        return rc;
    }
    if (b.flags & ~VFIO_DEVICE_BIND_FLAG_TOKEN) {
        return -EINVAL;
    }
    /* A VF token is accepted as is: the model has no SR-IOV PFs. */
    if ((b.flags & VFIO_DEVICE_BIND_FLAG_TOKEN) &&
        (b.argsz < sizeof(b) || !((struct vfio_device_bind_iommufd *)arg)
                                     ->token_uuid_ptr)) {
        return b.argsz < sizeof(b) ? -EINVAL : -EFAULT;
    }
    if (f->idev) {
        return -EINVAL;
    }
    if (f->dev->bound) {
        /* Another open of the cdev holds it: the kernel says EINVAL. */
        return -EINVAL;
    }
    ifile = model_file_lookup(b.iommufd);
    if (!ifile || ifile->kind != MODEL_FILE_IOMMUFD) {
        return fcntl(b.iommufd, F_GETFD) < 0 ? -EBADF : -EBADFD;
    }
    f->ctx = ifile->ctx;
    f->idev = model_idev_bind(f->ctx, f->dev);
    f->dev->bound = f;
    ((struct vfio_device_bind_iommufd *)arg)->out_devid = f->idev->id;
    return 0;
}

void model_vfio_release(ModelFile *f)
{
    if (f->idev) {
        model_idev_unbind(f->idev);
        f->idev = NULL;
        f->dev->bound = NULL;
        model_dev_reset_config(f->dev); /* the kernel resets on last close */
    }
}

static int file_attach(ModelFile *f, void *arg)
{
    struct vfio_device_attach_iommufd_pt a = {0};
    int rc = get_arg(arg, &a, offsetof(typeof(a), pasid));
    bool has_pasid = a.flags & VFIO_DEVICE_ATTACH_PASID;

    if (rc < 0) {
        return rc;
    }
    if (a.flags & ~VFIO_DEVICE_ATTACH_PASID ||
        (has_pasid && a.argsz < sizeof(a))) {
        return -EINVAL;
    }
    if (has_pasid) {
        a.pasid = ((struct vfio_device_attach_iommufd_pt *)arg)->pasid;
    }
    rc = model_idev_attach(f->idev, &a.pt_id, has_pasid, a.pasid);
    if (rc == 0) {
        ((struct vfio_device_attach_iommufd_pt *)arg)->pt_id = a.pt_id;
    }
    return rc;
}

static int file_detach(ModelFile *f, void *arg)
{
    struct vfio_device_detach_iommufd_pt d = {0};
    int rc = get_arg(arg, &d, offsetof(typeof(d), pasid));
    bool has_pasid = d.flags & VFIO_DEVICE_DETACH_PASID;

    if (rc < 0) {
        return rc;
    }
    if (d.flags & ~VFIO_DEVICE_DETACH_PASID ||
        (has_pasid && d.argsz < sizeof(d))) {
        return -EINVAL;
    }
    if (has_pasid) {
        d.pasid = ((struct vfio_device_detach_iommufd_pt *)arg)->pasid;
    }
    return model_idev_detach(f->idev, has_pasid, d.pasid);
}

/*
 * If argsz cannot hold the chain, the call still succeeds: CAPS is set,
 * cap_offset stays 0 and argsz says how much is needed.
 */
static int get_info(ModelFile *f, void *arg)
{
    const HostModelDevice *d = f->dev->desc;
    struct vfio_device_info info = {0};
    struct vfio_device_info_cap_pci_atomic_comp cap = {
        .header = {VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP, 1, 0},
        .flags = d->atomic_comp,
    };
    size_t caps = d->atomic_comp ? sizeof(cap) : 0;
    int rc = get_arg(arg, &info, offsetof(typeof(info), cap_offset));
    size_t out = MIN(info.argsz, sizeof(info));

    if (rc < 0) {
        return rc;
    }
    info.flags = VFIO_DEVICE_FLAGS_PCI | (d->reset ? VFIO_DEVICE_FLAGS_RESET
                                                   : 0);
    info.num_regions = VFIO_PCI_NUM_REGIONS;
    info.num_irqs = VFIO_PCI_NUM_IRQS;
    if (caps) {
        info.flags |= VFIO_DEVICE_FLAGS_CAPS;
        if (info.argsz < sizeof(info) + caps) {
            info.argsz = sizeof(info) + caps;
        } else {
            memcpy((uint8_t *)arg + sizeof(info), &cap, caps);
            info.cap_offset = sizeof(info);
        }
    }
    memcpy(arg, &info, out);
    return 0;
}

/* The BAR holding the MSI-X table, or -1 (vfio-pci's msix_bar). */
static int msix_table_bar(const HostModelDevice *d)
{
    unsigned cap = model_pci_find_cap(d->config, PCI_CAP_ID_MSIX);
    int bir = cap ? model_pci_ld(d->config, cap + 4, 4) & 0x7 : -1;

    return bir <= VFIO_PCI_BAR5_REGION_INDEX ? bir : -1;
}

/*
 * Like vfio-pci, an mmap-able BAR holding the MSI-X table carries the
 * MSIX_MAPPABLE capability (the table may be mapped too); the chain
 * follows the rules of get_info().
 */
static int get_region_info(ModelFile *f, void *arg)
{
    struct vfio_region_info ri = {0};
    struct vfio_info_cap_header cap = {VFIO_REGION_INFO_CAP_MSIX_MAPPABLE,
                                       1, 0};
    int rc = get_arg(arg, &ri, sizeof(ri));

    if (rc < 0) {
        return rc;
    }
    if (ri.index >= VFIO_PCI_NUM_REGIONS) {
        return -EINVAL;
    }
    /* Linux refuses the VGA region of a device that has no VGA. */
    if (ri.index == VFIO_PCI_VGA_REGION_INDEX &&
        !f->dev->desc->regions[ri.index].size) {
        return -EINVAL;
    }
    ri.flags = f->dev->desc->regions[ri.index].flags;
    ri.size = f->dev->desc->regions[ri.index].size;
    ri.offset = REGION_OFFSET(ri.index);
    ri.cap_offset = 0;
    if (ri.flags & VFIO_REGION_INFO_FLAG_MMAP &&
        (int)ri.index == msix_table_bar(f->dev->desc)) {
        ri.flags |= VFIO_REGION_INFO_FLAG_CAPS;
        if (ri.argsz < sizeof(ri) + sizeof(cap)) {
            ri.argsz = sizeof(ri) + sizeof(cap);
        } else {
            memcpy((uint8_t *)arg + sizeof(ri), &cap, sizeof(cap));
            ri.cap_offset = sizeof(ri);
        }
    }
    memcpy(arg, &ri, sizeof(ri));
    return 0;
}

static int get_irq_info(ModelFile *f, void *arg)
{
    struct vfio_irq_info ii = {0};
    int rc = get_arg(arg, &ii, sizeof(ii));

    if (rc < 0) {
        return rc;
    }
    if (ii.index >= VFIO_PCI_NUM_IRQS) {
        return -EINVAL;
    }
    ii.flags = f->dev->desc->irqs[ii.index].flags;
    ii.count = f->dev->desc->irqs[ii.index].count;
    memcpy(arg, &ii, sizeof(ii));
    return 0;
}

/* Validated like vfio-pci; the model keeps no interrupt state. */
static int set_irqs(ModelFile *f, void *arg)
{
    struct vfio_irq_set s = {0};
    int rc = get_arg(arg, &s, sizeof(s));
    uint32_t data = s.flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
    uint32_t action = s.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
    size_t esize;
    uint32_t max;

    if (rc < 0) {
        return rc;
    }
    if (s.flags & ~(VFIO_IRQ_SET_DATA_TYPE_MASK |
                    VFIO_IRQ_SET_ACTION_TYPE_MASK) ||
        __builtin_popcount(data) != 1 || __builtin_popcount(action) != 1 ||
        s.index >= VFIO_PCI_NUM_IRQS) {
        return -EINVAL;
    }
    max = f->dev->desc->irqs[s.index].count;
    esize = data == VFIO_IRQ_SET_DATA_BOOL      ? 1
            : data == VFIO_IRQ_SET_DATA_EVENTFD ? 4 : 0;
    if (s.start >= max || s.count > max - s.start ||
        s.argsz - sizeof(s) < (uint64_t)s.count * esize) {
        return -EINVAL;
    }
    for (uint32_t i = 0; data == VFIO_IRQ_SET_DATA_EVENTFD && i < s.count;
         i++) {
        int32_t fd;
        memcpy(&fd, (uint8_t *)arg + sizeof(s) + 4 * i, 4);
        if (fd != -1 && fcntl(fd, F_GETFD) < 0) {
            return -EBADF;
        }
    }
    return 0;
}

static int device_feature(void *arg)
{
    struct vfio_device_feature ft = {0};
    const uint32_t known = VFIO_DEVICE_FEATURE_MASK |
                           VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET |
                           VFIO_DEVICE_FEATURE_PROBE;
    int rc = get_arg(arg, &ft, sizeof(ft));

    if (rc < 0) {
        return rc;
    }
    if (ft.flags & ~known ||
        (!(ft.flags & VFIO_DEVICE_FEATURE_PROBE) &&
         (ft.flags & VFIO_DEVICE_FEATURE_GET) &&
         (ft.flags & VFIO_DEVICE_FEATURE_SET))) {
        return -EINVAL;
    }
    return -ENOTTY; /* no device feature is modelled */
}

int model_vfio_ioctl(ModelFile *f, unsigned long request, void *arg)
{
    if (request == VFIO_DEVICE_BIND_IOMMUFD) {
        return file_bind(f, arg);
    }
    if (!f->idev) {
        return -EINVAL; /* device access before bind */
    }
    switch (request) {
    case VFIO_DEVICE_ATTACH_IOMMUFD_PT:
        return file_attach(f, arg);
    case VFIO_DEVICE_DETACH_IOMMUFD_PT:
        return file_detach(f, arg);
    case VFIO_DEVICE_GET_INFO:
        return get_info(f, arg);
    case VFIO_DEVICE_GET_REGION_INFO:
        return get_region_info(f, arg);
    case VFIO_DEVICE_GET_IRQ_INFO:
        return get_irq_info(f, arg);
    case VFIO_DEVICE_SET_IRQS:
        return set_irqs(f, arg);
    case VFIO_DEVICE_RESET:
        if (!f->dev->desc->reset) {
            return -EINVAL;
        }
        model_dev_reset_config(f->dev);
        return 0;
    case VFIO_DEVICE_FEATURE:
        return device_feature(arg);
    default:
        return -ENOTTY;
    }
}

/* Config bytes as the VFIO region shows them (sysfs shows them raw). */
static void config_read(ModelDev *dev, uint8_t *buf, size_t pos,
                        size_t count)
{
    memcpy(buf, dev->config + pos, count);
    for (unsigned i = 0; i < dev->vfio_headers->len; i++) {
        const ModelCfgHeader *h =
            &g_array_index(dev->vfio_headers, ModelCfgHeader, i);

        for (unsigned b = 0; b < 4; b++) {
            if (h->off + b >= pos && h->off + b < pos + count) {
                buf[h->off + b - pos] = h->val >> (8 * b);
            }
        }
    }
}

static void config_write(ModelDev *dev, const uint8_t *buf, size_t pos,
                         size_t count)
{
    for (size_t i = 0; i < count; i++) {
        uint8_t w = dev->wmask[pos + i];
        uint8_t c = dev->w1cmask[pos + i] & buf[i];
        uint8_t *b = &dev->config[pos + i];

        *b = ((*b & ~w) | (buf[i] & w)) & ~c;
    }
}

ssize_t model_vfio_rw(ModelFile *f, void *buf, size_t len, off_t off,
                      bool write)
{
    uint64_t index = (uint64_t)off >> HM_REGION_SHIFT;
    uint64_t pos = (uint64_t)off & REGION_POS_MASK;
    const HostModelRegion *r;
    size_t count;
    ssize_t n;

    if (!f->idev || off < 0 || index >= VFIO_PCI_NUM_REGIONS) {
        return -EINVAL;
    }
    r = &f->dev->desc->regions[index];
    /* vfio-pci refuses a config access reaching past the end whole. */
    if (index == VFIO_PCI_CONFIG_REGION_INDEX &&
        (pos >= r->size || len > r->size - pos)) {
        return -EFAULT;
    }
    if (pos >= r->size || !(r->flags & (write ? VFIO_REGION_INFO_FLAG_WRITE
                                              : VFIO_REGION_INFO_FLAG_READ))) {
        return -EINVAL;
    }
    count = MIN(len, r->size - pos);
    if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
        if (write) {
            config_write(f->dev, buf, pos, count);
        } else {
            config_read(f->dev, buf, pos, count);
        }
        return count;
    }
    if (f->dev->bar_fd < 0) {
        return -EIO;
    }
    n = write ? pwrite(f->dev->bar_fd, buf, count, off)
              : pread(f->dev->bar_fd, buf, count, off);
    return n < 0 ? -errno : n;
}

void *model_vfio_mmap(ModelFile *f, void *addr, size_t len, int prot,
                      int flags, off_t off)
{
    uint64_t index = (uint64_t)off >> HM_REGION_SHIFT;
    uint64_t pos = (uint64_t)off & REGION_POS_MASK;
    const HostModelRegion *r;

    if (!f->idev || off < 0 || index >= VFIO_PCI_NUM_REGIONS) {
        errno = EINVAL;
        return MAP_FAILED;
    }
    r = &f->dev->desc->regions[index];
    if (!(r->flags & VFIO_REGION_INFO_FLAG_MMAP) || !len ||
        pos % HM_PAGE_SIZE || pos > r->size || len > r->size - pos ||
        f->dev->bar_fd < 0) {
        errno = EINVAL;
        return MAP_FAILED;
    }
    return mmap(addr, len, prot, flags, f->dev->bar_fd, off);
}
