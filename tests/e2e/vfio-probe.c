/*
 * e2e-vfio-probe: what the emulator's VFIO core learns about one host
 * device, as text, so that a real kernel's answers and a host model's can
 * be compared line for line (tests/e2e, docs/devel/e2e.md).
 *
 *   e2e-vfio-probe [--host-model SPEC] [--nesting] [--ioctls]
 *                  [--write OFF:SIZE=VAL]... DDDD:BB:DD.F
 *
 * The device is attached with vfio_device_attach() to an empty address
 * space, as vfio-pci would attach it; --nesting asks for a nesting-parent
 * stage 2 like an accelerated vIOMMU does. Printed: the HostIOMMUDevice,
 * the device, region and IRQ info, and the VFIO config region (index 7);
 * each --write then goes to the config region and the region is printed
 * again; --ioctls adds the request sweep of vfio-probe-ioctls.c. Exit
 * status 1 (with the error on stderr) when the attach fails.
 */
#include "qemu/osdep.h"
#include "backends/host-ops.h"
#include "hw/core/iommu.h"
#include "hw/vfio/vfio-device.h"
#include "qom/object_interfaces.h"
#include "vfio-probe.h"

const char *const qemu_target_name = "e2e-vfio-probe";

typedef struct ConfigWrite {
    uint32_t off;
    uint32_t size;
    uint32_t val;
} ConfigWrite;

static const char *hw_info_type_name(int type)
{
    switch (type) {
    case IOMMU_HW_INFO_TYPE_NONE:
        return "none";
    case IOMMU_HW_INFO_TYPE_INTEL_VTD:
        return "intel-vtd";
    case IOMMU_HW_INFO_TYPE_ARM_SMMUV3:
        return "arm-smmuv3";
    default:
        return "other";
    }
}

static void print_hiod(HostIOMMUDevice *hiod)
{
    const HostIOMMUDeviceCaps *c = &hiod->caps;
    uint8_t width = 0;
    bool exec = false, priv = false;
    bool pasid = host_iommu_device_get_pasid_info(hiod, &width, &exec, &priv);
    int type = host_iommu_device_get_cap(hiod, HOST_IOMMU_DEVICE_CAP_IOMMU_TYPE,
                                         &error_abort);

    printf("hiod type %d %s\n", type, hw_info_type_name(type));
    printf("hiod aw-bits %d\n",
           host_iommu_device_get_cap(hiod, HOST_IOMMU_DEVICE_CAP_AW_BITS,
                                     &error_abort));
    printf("hiod hw-caps 0x%" PRIx64 " max-pasid-log2 %u\n", c->hw_caps,
           c->max_pasid_log2);
    printf("hiod pasid %s width %u exec %d priv %d\n", pasid ? "yes" : "no",
           width, exec, priv);
    printf("hiod ats-supported %d quirks 0x%" PRIx64 "\n",
           host_iommu_device_ats_supported(hiod),
           host_iommu_device_get_quirks(hiod));
    printf("hiod vendor-len %u\n", c->vendor_len);
    if (type == IOMMU_HW_INFO_TYPE_INTEL_VTD) {
        printf("hiod vtd flags 0x%x cap 0x%016" PRIx64 " ecap 0x%016" PRIx64
               "\n",
               c->vendor.vtd.flags, (uint64_t)c->vendor.vtd.cap_reg,
               (uint64_t)c->vendor.vtd.ecap_reg);
    } else if (type == IOMMU_HW_INFO_TYPE_ARM_SMMUV3) {
        printf("hiod smmuv3 flags 0x%x iidr 0x%08x aidr 0x%08x idr",
               c->vendor.smmuv3.flags, c->vendor.smmuv3.iidr,
               c->vendor.smmuv3.aidr);
        for (unsigned i = 0; i < ARRAY_SIZE(c->vendor.smmuv3.idr); i++) {
            printf(" 0x%08x", c->vendor.smmuv3.idr[i]);
        }
        printf("\n");
    }
}

/* Regions and IRQs the device lacks are answered with an error. */
static void print_regions_irqs(VFIODevice *vdev)
{
    const struct vfio_device_info *info = vdev->info;
    uint32_t atomic;

    printf("info flags 0x%x regions %u irqs %u\n", info->flags,
           info->num_regions, info->num_irqs);
    if (vfio_device_get_atomic_comp(vdev, &atomic)) {
        printf("info atomic-comp 0x%x\n", atomic);
    } else {
        printf("info atomic-comp none\n");
    }
    for (uint32_t i = 0; i < info->num_regions; i++) {
        Error *err = NULL;
        const struct vfio_region_info *r =
            vfio_device_get_region_info(vdev, i, &err);

        if (r) {
            printf("region %u size 0x%" PRIx64 " offset 0x%" PRIx64
                   " flags 0x%x\n",
                   i, (uint64_t)r->size, (uint64_t)r->offset, r->flags);
        } else {
            printf("region %u error: %s\n", i, error_get_pretty(err));
            error_free(err);
        }
    }
    for (uint32_t i = 0; i < info->num_irqs; i++) {
        Error *err = NULL;
        struct vfio_irq_info irq;

        if (vfio_device_get_irq_info(vdev, i, &irq, &err)) {
            printf("irq %u count %u flags 0x%x\n", i, irq.count, irq.flags);
        } else {
            printf("irq %u error: %s\n", i, error_get_pretty(err));
            error_free(err);
        }
    }
}

/* 16 bytes a line, "OFF: b0 b1 ...", like qemu-host-capture's config. */
static bool print_config(VFIODevice *vdev, const char *label, Error **errp)
{
    const struct vfio_region_info *r =
        vfio_device_get_region_info(vdev, VFIO_PCI_CONFIG_REGION_INDEX, errp);
    g_autofree uint8_t *buf = NULL;

    if (!r) {
        return false;
    }
    buf = g_malloc(r->size);
    if (vfio_region_read(vdev, VFIO_PCI_CONFIG_REGION_INDEX, 0, buf, r->size,
                         errp) < 0) {
        return false;
    }
    printf("%s %" PRIu64 " bytes\n", label, (uint64_t)r->size);
    for (uint64_t off = 0; off < r->size; off += 16) {
        printf("%03" PRIx64 ":", off);
        for (uint64_t i = off; i < off + 16 && i < r->size; i++) {
            printf(" %02x", buf[i]);
        }
        printf("\n");
    }
    return true;
}

static bool config_write(VFIODevice *vdev, const ConfigWrite *w, Error **errp)
{
    uint8_t bytes[4];

    for (uint32_t i = 0; i < w->size; i++) {
        bytes[i] = w->val >> (8 * i);
    }
    printf("write %03x:%u 0x%x\n", w->off, w->size, w->val);
    return vfio_region_write(vdev, VFIO_PCI_CONFIG_REGION_INDEX, w->off, bytes,
                             w->size, errp) >= 0;
}

static bool parse_write(const char *s, ConfigWrite *w, Error **errp)
{
    char *end;

    w->off = strtoul(s, &end, 16);
    if (*end != ':') {
        goto bad;
    }
    w->size = strtoul(end + 1, &end, 10);
    if (*end != '=' || (w->size != 1 && w->size != 2 && w->size != 4)) {
        goto bad;
    }
    w->val = strtoul(end + 1, &end, 16);
    if (!*end && w->off < 4096) {
        return true;
    }
bad:
    error_setg(errp,
               "--write %s: expected OFF:SIZE=VAL (hex offset, "
               "size 1, 2 or 4, hex value)",
               s);
    return false;
}

static bool probe(const char *host, bool nesting, bool ioctls, GArray *writes,
                  Error **errp)
{
    g_autoptr(JsonObject) props = json_object_new();
    MemoryRegion root;
    AddressSpace as;
    VFIODevice vdev;
    Object *be;
    bool ok = false;

    be = user_creatable_add_type(TYPE_IOMMUFD_BACKEND, "iommufd0", props, false,
                                 errp);
    if (!be) {
        return false;
    }
    memory_region_init(&root, NULL, "probe", UINT64_MAX);
    address_space_init(&as, &root, "probe");
    vfio_device_init(&vdev);
    vdev.host = (char *)host;
    if (vfio_device_get_name(&vdev, errp) &&
        vfio_device_attach(&vdev, IOMMUFD_BACKEND(be), &as,
                           nesting ? VIOMMU_FLAG_WANT_NESTING_PARENT : 0,
                           errp)) {
        printf("device %s attached (%s)\n", vdev.name,
               vdev.hwpt ? "to a stage-2 HWPT" : "to the IOAS");
        print_hiod(vfio_device_hiod(&vdev));
        print_regions_irqs(&vdev);
        ok = print_config(&vdev, "config", errp);
        for (guint i = 0; ok && i < writes->len; i++) {
            ok = config_write(&vdev, &g_array_index(writes, ConfigWrite, i),
                              errp);
        }
        if (ok && writes->len) {
            ok = print_config(&vdev, "config after writes", errp);
        }
        if (ok && ioctls) {
            vfio_probe_ioctls(&vdev, IOMMUFD_BACKEND(be)->fd);
        }
        vfio_device_detach(&vdev);
    }
    vfio_device_finalize(&vdev);
    address_space_destroy(&as);
    memory_region_destroy(&root);
    user_creatable_del("iommufd0", &error_abort);
    return ok;
}

int main(int argc, char **argv)
{
    g_autofree char *spec = NULL;
    g_auto(GStrv) write_args = NULL;
    g_autoptr(GArray) writes = g_array_new(false, false, sizeof(ConfigWrite));
    g_autoptr(GOptionContext) ctx = NULL;
    g_autoptr(GError) gerr = NULL;
    gboolean nesting = false;
    gboolean ioctls = false;
    Error *err = NULL;
    GOptionEntry entries[] = {
        {"host-model", 0, 0, G_OPTION_ARG_STRING, &spec,
         "Probe a model host (NAME, FILE or linux; default linux)", "SPEC"},
        {"nesting", 0, 0, G_OPTION_ARG_NONE, &nesting,
         "Attach to a nesting-parent HWPT", NULL},
        {"ioctls", 0, 0, G_OPTION_ARG_NONE, &ioctls,
         "Issue good and bad iommufd/VFIO requests, print the outcomes", NULL},
        {"write", 0, 0, G_OPTION_ARG_STRING_ARRAY, &write_args,
         "Write the config region, then print it again", "OFF:SIZE=VAL"},
        {NULL},
    };

    error_set_progname(argv[0]);
    ctx = g_option_context_new("DDDD:BB:DD.F - the VFIO core's view of a "
                               "host device");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse(ctx, &argc, &argv, &gerr)) {
        error_report("%s", gerr->message);
        return 1;
    }
    if (argc != 2) {
        error_report("expected one PCI address (try --help)");
        return 1;
    }
    for (unsigned i = 0; write_args && write_args[i]; i++) {
        ConfigWrite w;

        if (!parse_write(write_args[i], &w, &err)) {
            error_report_err(err);
            return 1;
        }
        g_array_append_val(writes, w);
    }
    if (!host_ops_select(spec ? spec : "linux", &err) ||
        !probe(argv[1], nesting, ioctls, writes, &err)) {
        fflush(stdout);
        error_report_err(err);
        return 1;
    }
    return 0;
}
