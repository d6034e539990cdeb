/*
 * Host capture. For each device: its config space (sysfs, or the VFIO
 * config region when sysfs gives a short read), its cdev and IOMMU group;
 * then open the cdev, bind to /dev/iommu, attach a fresh IOAS, and ask
 * IOMMU_GET_HW_INFO (vendor data and capabilities), the IOVA ranges, a
 * nest-parent probe, VFIO device info (AtomicOps capability), region
 * info and IRQ info. Everything goes through host_ops().
 */
#include "qemu/osdep.h"
#include "capture.h"
#include "backends/host-ops.h"
#include <sys/utsname.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

typedef struct Capture {
    const HostOps *ops;
    int ifd;
    JsonArray *iommus;
    GHashTable *iommu_ids;        /* captured IOMMU ids */
} Capture;

typedef struct DevState {
    const char *addr;
    int dfd;
    uint32_t dev_id;
    uint32_t ioas;
    struct iommu_hw_info info;
    uint64_t data[32];            /* vendor hw-info data */
} DevState;

static bool do_ioctl(Capture *c, int fd, unsigned long req, void *arg,
                     const char *addr, Error **errp)
{
    if (c->ops->ioctl(fd, req, arg) < 0) {
        error_setg_errno(errp, errno, "%s: %s failed", addr,
                         host_ioctl_name(req));
        return false;
    }
    return true;
}

/*
 * Region and IRQ indexes the device lacks answer EINVAL (Linux's vfio-pci
 * does so for the VGA region of a non-VGA device and for the ERR IRQ of a
 * conventional one): that means "absent", not a failure. Sets *present.
 */
static bool do_optional_ioctl(Capture *c, int fd, unsigned long req,
                              void *arg, const char *addr, bool *present,
                              Error **errp)
{
    *present = true;
    if (c->ops->ioctl(fd, req, arg) == 0) {
        return true;
    }
    if (errno == EINVAL) {
        *present = false;
        return true;
    }
    error_setg_errno(errp, errno, "%s: %s failed", addr, host_ioctl_name(req));
    return false;
}

static void set_hex(JsonObject *o, const char *name, uint64_t v)
{
    g_autofree char *s = g_strdup_printf("0x%" PRIx64, v);

    json_object_set_string_member(o, name, s);
}

static JsonArray *flag_names(uint32_t flags, const char *const *names)
{
    JsonArray *a = json_array_new();

    for (unsigned i = 0; names[i]; i++) {
        if (flags & (1u << i)) {
            json_array_add_string_element(a, names[i]);
        }
    }
    return a;
}

static JsonArray *config_lines(const uint8_t *cfg, size_t len)
{
    JsonArray *a = json_array_new();

    for (size_t off = 0; off < len; off += 16) {
        GString *s = g_string_new(NULL);
        g_string_append_printf(s, "%03zx:", off);
        for (size_t i = off; i < off + 16 && i < len; i++) {
            g_string_append_printf(s, " %02x", cfg[i]);
        }
        json_array_add_string_element(a, s->str);
        g_string_free(s, true);
    }
    return a;
}

/* sysfs first (the physical bytes); the VFIO config region otherwise. */
static uint8_t *read_config(Capture *c, DevState *d, size_t *len,
                            Error **errp)
{
    g_autofree char *path = g_strdup_printf("/sys/bus/pci/devices/%s/config",
                                            d->addr);
    char *cfg = c->ops->read_file(path, len);
    struct vfio_region_info ri = {.argsz = sizeof(ri),
                                  .index = VFIO_PCI_CONFIG_REGION_INDEX};
    uint8_t *buf;

    if (cfg && (*len == 256 || *len == 4096)) {
        return (uint8_t *)cfg;
    }
    g_free(cfg);
    if (!do_ioctl(c, d->dfd, VFIO_DEVICE_GET_REGION_INFO, &ri, d->addr,
                  errp)) {
        return NULL;
    }
    if (ri.size != 256 && ri.size != 4096) {
        error_setg(errp, "%s: config space of %" PRIu64 " bytes", d->addr,
                   (uint64_t)ri.size);
        return NULL;
    }
    buf = g_malloc(ri.size);
    if (c->ops->pread(d->dfd, buf, ri.size, ri.offset) != (ssize_t)ri.size) {
        error_setg_errno(errp, errno, "%s: reading config space", d->addr);
        g_free(buf);
        return NULL;
    }
    *len = ri.size;
    return buf;
}

static bool open_bind_attach(Capture *c, DevState *d, const char *cdev,
                             Error **errp)
{
    struct vfio_device_bind_iommufd b = {.argsz = sizeof(b),
                                         .iommufd = c->ifd};
    struct iommu_ioas_alloc a = {.size = sizeof(a)};
    struct vfio_device_attach_iommufd_pt at = {.argsz = sizeof(at)};

    d->dfd = c->ops->open(cdev, O_RDWR | O_CLOEXEC);
    if (d->dfd < 0) {
        error_setg_errno(errp, errno, "%s: could not open %s", d->addr,
                         cdev);
        return false;
    }
    if (!do_ioctl(c, d->dfd, VFIO_DEVICE_BIND_IOMMUFD, &b, d->addr, errp) ||
        !do_ioctl(c, c->ifd, IOMMU_IOAS_ALLOC, &a, d->addr, errp)) {
        return false;
    }
    d->dev_id = b.out_devid;
    d->ioas = a.out_ioas_id;
    at.pt_id = d->ioas;
    return do_ioctl(c, d->dfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at, d->addr,
                    errp);
}

static bool get_hw_info(Capture *c, DevState *d, Error **errp)
{
    d->info = (struct iommu_hw_info){
        .size = sizeof(d->info), .dev_id = d->dev_id,
        .data_len = sizeof(d->data), .data_uptr = (uintptr_t)d->data,
    };
    if (!do_ioctl(c, c->ifd, IOMMU_GET_HW_INFO, &d->info, d->addr, errp)) {
        return false;
    }
    if (d->info.out_data_type != IOMMU_HW_INFO_TYPE_INTEL_VTD &&
        d->info.out_data_type != IOMMU_HW_INFO_TYPE_ARM_SMMUV3) {
        error_setg(errp, "%s: unsupported IOMMU hardware info type %u",
                   d->addr, d->info.out_data_type);
        return false;
    }
    return true;
}

static bool probe_nesting(Capture *c, DevState *d)
{
    struct iommu_hwpt_alloc h = {.size = sizeof(h), .dev_id = d->dev_id,
                                 .pt_id = d->ioas,
                                 .flags = IOMMU_HWPT_ALLOC_NEST_PARENT};
    struct iommu_destroy del = {.size = sizeof(del)};

    if (c->ops->ioctl(c->ifd, IOMMU_HWPT_ALLOC, &h) < 0) {
        return false;
    }
    del.id = h.out_hwpt_id;
    c->ops->ioctl(c->ifd, IOMMU_DESTROY, &del);
    return true;
}

static JsonArray *iova_ranges(Capture *c, DevState *d, Error **errp)
{
    struct iommu_iova_range r[16];
    struct iommu_ioas_iova_ranges ir = {.size = sizeof(ir),
                                        .ioas_id = d->ioas,
                                        .num_iovas = ARRAY_SIZE(r),
                                        .allowed_iovas = (uintptr_t)r};
    JsonArray *a;

    if (!do_ioctl(c, c->ifd, IOMMU_IOAS_IOVA_RANGES, &ir, d->addr, errp)) {
        return NULL;
    }
    a = json_array_new();
    for (unsigned i = 0; i < ir.num_iovas; i++) {
        JsonObject *o = json_object_new();
        set_hex(o, "start", r[i].start);
        set_hex(o, "last", r[i].last);
        json_array_add_object_element(a, o);
    }
    return a;
}

/* The IOMMU's id: the sysfs "iommu" link's target, else a fresh name. */
static char *iommu_id(Capture *c, const char *addr)
{
    g_autofree char *path = g_strdup_printf("/sys/bus/pci/devices/%s/iommu",
                                            addr);
    g_autofree char *link = c->ops->read_link(path);

    if (link) {
        return g_path_get_basename(link);
    }
    return g_strdup_printf("iommu%u", g_hash_table_size(c->iommu_ids));
}

static bool add_iommu(Capture *c, DevState *d, const char *id, Error **errp)
{
    JsonObject *o = json_object_new();
    JsonObject *regs = json_object_new();
    JsonArray *ranges = iova_ranges(c, d, errp);

    if (!ranges) {
        json_object_unref(o);
        json_object_unref(regs);
        return false;
    }
    json_object_set_string_member(o, "id", id);
    if (d->info.out_data_type == IOMMU_HW_INFO_TYPE_ARM_SMMUV3) {
        struct iommu_hw_info_arm_smmuv3 *s = (void *)d->data;
        JsonArray *idr = json_array_new();

        for (unsigned i = 0; i < 6; i++) {
            g_autofree char *v = g_strdup_printf("0x%08x", s->idr[i]);
            json_array_add_string_element(idr, v);
        }
        json_object_set_string_member(o, "type", "arm-smmuv3");
        json_object_set_array_member(regs, "idr", idr);
        set_hex(regs, "iidr", s->iidr);
        set_hex(regs, "aidr", s->aidr);
        json_object_set_object_member(o, "arm-smmuv3", regs);
    } else {
        struct iommu_hw_info_vtd *v = (void *)d->data;

        json_object_set_string_member(o, "type", "intel-vtd");
        set_hex(regs, "cap", v->cap_reg);
        set_hex(regs, "ecap", v->ecap_reg);
        json_object_set_int_member(regs, "flags", v->flags);
        json_object_set_object_member(o, "intel-vtd", regs);
    }
    json_object_set_boolean_member(o, "nesting", probe_nesting(c, d));
    json_object_set_boolean_member(
        o, "dirty-tracking",
        d->info.out_capabilities & IOMMU_HW_CAP_DIRTY_TRACKING);
    json_object_set_array_member(o, "iova-ranges", ranges);
    json_array_add_object_element(c->iommus, o);
    g_hash_table_add(c->iommu_ids, g_strdup(id));
    return true;
}

/* VFIO_DEVICE_GET_INFO twice when the capability chain needs room. */
static bool device_info(Capture *c, DevState *d, JsonObject *dev,
                        uint32_t *num_regions, uint32_t *num_irqs,
                        Error **errp)
{
    g_autofree struct vfio_device_info *info = g_malloc0(sizeof(*info));
    uint32_t off;

    info->argsz = sizeof(*info);
    if (!do_ioctl(c, d->dfd, VFIO_DEVICE_GET_INFO, info, d->addr, errp)) {
        return false;
    }
    if (info->argsz > sizeof(*info)) {
        uint32_t argsz = info->argsz;
        info = g_realloc(info, argsz);
        memset(info, 0, argsz);
        info->argsz = argsz;
        if (!do_ioctl(c, d->dfd, VFIO_DEVICE_GET_INFO, info, d->addr,
                      errp)) {
            return false;
        }
    }
    *num_regions = info->num_regions;
    *num_irqs = info->num_irqs;
    json_object_set_boolean_member(dev, "reset",
                                   info->flags & VFIO_DEVICE_FLAGS_RESET);
    for (off = info->cap_offset; off && off + 8 <= info->argsz;) {
        struct vfio_info_cap_header *h = (void *)((uint8_t *)info + off);
        if (h->id == VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP &&
            off + sizeof(struct vfio_device_info_cap_pci_atomic_comp) <=
                info->argsz) {
            uint32_t f = ((struct vfio_device_info_cap_pci_atomic_comp *)h)
                             ->flags;
            JsonObject *a = json_object_new();
            json_object_set_boolean_member(a, "comp32",
                                           f & VFIO_PCI_ATOMIC_COMP32);
            json_object_set_boolean_member(a, "comp64",
                                           f & VFIO_PCI_ATOMIC_COMP64);
            json_object_set_boolean_member(a, "comp128",
                                           f & VFIO_PCI_ATOMIC_COMP128);
            json_object_set_object_member(dev, "atomic-completer", a);
        }
        off = h->next > off ? h->next : 0;
    }
    return true;
}

static bool regions_irqs(Capture *c, DevState *d, JsonObject *dev,
                         uint32_t num_regions, uint32_t num_irqs,
                         Error **errp)
{
    static const char *const rflags[] = {"read", "write", "mmap", NULL};
    static const char *const iflags[] = {"eventfd", "maskable",
                                         "automasked", "noresize", NULL};
    JsonArray *regions = json_array_new();
    JsonArray *irqs = json_array_new();
    bool ok = true;

    json_object_set_array_member(dev, "regions", regions);
    json_object_set_array_member(dev, "irqs", irqs);
    for (uint32_t i = 0; ok && i < MIN(num_regions, VFIO_PCI_NUM_REGIONS);
         i++) {
        struct vfio_region_info ri = {.argsz = sizeof(ri), .index = i};
        JsonObject *o;
        bool present;

        ok = do_optional_ioctl(c, d->dfd, VFIO_DEVICE_GET_REGION_INFO, &ri,
                               d->addr, &present, errp);
        if (!ok || !present || !ri.size ||
            i == VFIO_PCI_CONFIG_REGION_INDEX) {
            continue;
        }
        o = json_object_new();
        json_object_set_int_member(o, "index", i);
        set_hex(o, "size", ri.size);
        json_object_set_array_member(o, "flags", flag_names(ri.flags,
                                                            rflags));
        json_array_add_object_element(regions, o);
    }
    for (uint32_t i = 0; ok && i < MIN(num_irqs, VFIO_PCI_NUM_IRQS); i++) {
        struct vfio_irq_info ii = {.argsz = sizeof(ii), .index = i};
        JsonObject *o;
        bool present;

        ok = do_optional_ioctl(c, d->dfd, VFIO_DEVICE_GET_IRQ_INFO, &ii,
                               d->addr, &present, errp);
        if (!ok || !present) {
            continue;
        }
        o = json_object_new();
        json_object_set_int_member(o, "index", i);
        json_object_set_int_member(o, "count", ii.count);
        json_object_set_array_member(o, "flags", flag_names(ii.flags,
                                                            iflags));
        json_array_add_object_element(irqs, o);
    }
    return ok;
}

static JsonObject *capture_device(Capture *c, DevState *d, Error **errp)
{
    g_autofree char *cdev = NULL;
    g_autofree char *id = NULL;
    g_autofree uint8_t *cfg = NULL;
    JsonObject *dev;
    uint32_t nregions, nirqs;
    size_t len;
    int group;

    if (!host_find_vfio_cdev(d->addr, &cdev, errp) ||
        !host_get_iommu_group(d->addr, &group, errp) ||
        !open_bind_attach(c, d, cdev, errp) ||
        !(cfg = read_config(c, d, &len, errp)) || !get_hw_info(c, d, errp)) {
        return NULL;
    }
    id = iommu_id(c, d->addr);
    if (!g_hash_table_contains(c->iommu_ids, id) &&
        !add_iommu(c, d, id, errp)) {
        return NULL;
    }
    dev = json_object_new();
    json_object_set_string_member(dev, "address", d->addr);
    json_object_set_string_member(dev, "iommu", id);
    json_object_set_int_member(dev, "iommu-group", group);
    json_object_set_string_member(dev, "cdev", strrchr(cdev, '/') + 1);
    json_object_set_array_member(dev, "config", config_lines(cfg, len));
    json_object_set_boolean_member(
        dev, "ats-supported",
        !(d->info.out_capabilities & IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED));
    json_object_set_int_member(dev, "max-pasid-log2",
                               d->info.out_max_pasid_log2);
    if (!device_info(c, d, dev, &nregions, &nirqs, errp) ||
        !regions_irqs(c, d, dev, nregions, nirqs, errp)) {
        json_object_unref(dev);
        return NULL;
    }
    return dev;
}

static void release_device(Capture *c, DevState *d)
{
    struct iommu_destroy del = {.size = sizeof(del), .id = d->ioas};

    if (d->dfd >= 0) {
        c->ops->close(d->dfd); /* unbinds and detaches */
    }
    if (d->ioas) {
        c->ops->ioctl(c->ifd, IOMMU_DESTROY, &del);
    }
}

static char *provenance(void)
{
    struct utsname u;

    if (strcmp(host_ops()->name, "linux") || uname(&u) < 0) {
        return g_strdup_printf("Captured by qemu-host-capture through the "
                               "%s host.", host_ops_describe());
    }
    return g_strdup_printf("Captured by qemu-host-capture from Linux %s "
                           "(%s) on %s.", u.release, u.machine, u.nodename);
}

static char *to_text(const char *name, JsonArray *iommus, JsonArray *devs)
{
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autofree char *prov = provenance();
    JsonObject *top = json_object_new();
    JsonNode *root = json_node_new(JSON_NODE_OBJECT);
    g_autofree char *text = NULL;

    json_object_set_string_member(top, "name", name);
    json_object_set_string_member(top, "description",
                                  "Host captured by qemu-host-capture");
    json_object_set_string_member(top, "provenance", prov);
    json_object_set_array_member(top, "iommus", iommus);
    json_object_set_array_member(top, "devices", devs);
    json_node_take_object(root, top);
    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, true);
    json_generator_set_indent(gen, 2);
    text = json_generator_to_data(gen, NULL);
    json_node_unref(root);
    return g_strconcat(text, "\n", NULL);
}

char *host_capture(const char *const *pci_addrs, const char *name,
                   Error **errp)
{
    Capture c = {.ops = host_ops()};
    g_autoptr(GHashTable) ids = g_hash_table_new_full(g_str_hash,
                                                      g_str_equal, g_free,
                                                      NULL);
    JsonArray *devs = json_array_new();
    bool ok = true;

    c.iommus = json_array_new();
    c.iommu_ids = ids;
    c.ifd = c.ops->open("/dev/iommu", O_RDWR | O_CLOEXEC);
    if (c.ifd < 0) {
        error_setg_errno(errp, errno, "Could not open /dev/iommu");
        ok = false;
    }
    for (unsigned i = 0; ok && pci_addrs[i]; i++) {
        DevState d = {.addr = pci_addrs[i], .dfd = -1};
        JsonObject *dev = capture_device(&c, &d, errp);

        release_device(&c, &d);
        ok = dev != NULL;
        if (ok) {
            json_array_add_object_element(devs, dev);
        }
    }
    if (c.ifd >= 0) {
        c.ops->close(c.ifd);
    }
    if (!ok) {
        json_array_unref(c.iommus);
        json_array_unref(devs);
        return NULL;
    }
    return to_text(name, c.iommus, devs);
}
