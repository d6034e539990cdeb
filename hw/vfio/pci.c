/*
 * The vfio-pci and vfio-pci-nohotplug devices: properties, and realize /
 * unrealize / reset in QEMU's order. Realize attaches the host device to
 * the DMA address space its vIOMMU gives (system memory without one),
 * reads its config space and BARs, hands the HostIOMMUDevice to the
 * vIOMMU and only then builds the capabilities, because the vIOMMU's
 * answer (PASID support) and the host's (ATS, PASID width) shape them.
 */
#include "qemu/osdep.h"
#include "backends/iommufd.h"
#include "hw/vfio/pci-internal.h"

#define VFIO_HOST_ADDR_UNSET (~0U)

/* "vfio-pci ID (HOST)" / "vfio-pci (HOST)" for messages. */
static char *vfio_pci_describe(VFIOPCIDevice *vdev)
{
    const char *type = object_get_typename(OBJECT(vdev));
    const char *id = DEVICE(vdev)->id;
    const char *name = vdev->vbasedev.name;

    if (id && !g_strcmp0(id, name)) {
        return g_strdup_printf("%s %s", type, id);
    }
    if (id) {
        return g_strdup_printf("%s %s (%s)", type, id, name);
    }
    return g_strdup_printf("%s (%s)", type, name);
}

/* Options this emulator cannot honour are refused, not ignored. */
static bool vfio_pci_check_props(VFIOPCIDevice *vdev, Error **errp)
{
    if (vdev->display == ON_OFF_AUTO_ON) {
        error_setg(errp, "vfio-pci: display=on is not supported: this "
                         "emulator has no guest display");
        return false;
    }
    if ((vdev->xres || vdev->yres) && vdev->display != ON_OFF_AUTO_ON) {
        error_setg(errp, "xres and yres properties require display=on");
        return false;
    }
    if (vdev->ramfb && vdev->display != ON_OFF_AUTO_ON) {
        error_setg(errp, "ramfb=on requires display=on");
        return false;
    }
    if (vdev->ramfb_migrate == ON_OFF_AUTO_ON && !vdev->ramfb) {
        error_setg(errp, "x-ramfb-migrate=on but ramfb=off. "
                         "Please set ramfb=on.");
        return false;
    }
    if (vdev->enable_migration == ON_OFF_AUTO_ON) {
        error_setg(errp, "vfio-pci: enable-migration=on is not supported: "
                         "this emulator does not migrate");
        return false;
    }
    if (vdev->bootindex < -1) {
        error_setg(errp, "Invalid bootindex %d: it must be -1 or more",
                   vdev->bootindex);
        return false;
    }
    return vfio_pasid_offset_check(vdev->vpasid_cap_offset, errp);
}

static bool vfio_pci_identify(VFIOPCIDevice *vdev, Error **errp)
{
    VFIODevice *vb = &vdev->vbasedev;
    PCIHostDeviceAddress *h = &vdev->host;

    if (h->domain != VFIO_HOST_ADDR_UNSET) {
        g_free(vdev->host_str);
        vdev->host_str = g_strdup_printf("%04x:%02x:%02x.%x", h->domain, h->bus,
                                         h->slot, h->function);
    }
    vb->host = vdev->host_str;
    vb->sysfsdev = vdev->sysfsdev;
    vb->owner_id = DEVICE(vdev)->id;
    if (!vfio_device_get_name(vb, errp)) {
        return false;
    }
    g_free(vdev->who);
    vdev->who = vfio_pci_describe(vdev);
    return true;
}

static bool vfio_pci_realize(PCIDevice *pdev, Error **errp)
{
    VFIOPCIDevice *vdev = VFIO_PCI(pdev);
    VFIODevice *vb = &vdev->vbasedev;
    g_autofree char *ats_warning = NULL;

    if (!vfio_pci_check_props(vdev, errp) || !vfio_pci_identify(vdev, errp)) {
        return false;
    }
    if (!vfio_device_attach(vb, vdev->iommufd,
                            pci_device_iommu_address_space(pdev),
                            pci_device_get_viommu_flags(pdev), errp)) {
        return false;
    }
    if (!vfio_pci_config_setup(vdev, errp)) {
        goto detach;
    }
    if (!pci_device_set_iommu_device(pdev, vfio_device_hiod(vb), errp)) {
        error_prepend(errp, "Failed to set vIOMMU: ");
        goto detach;
    }
    vdev->iommu_set = true;
    if (!vfio_pci_add_capabilities(vdev, &ats_warning, errp)) {
        goto unset;
    }
    vfio_pci_disable_decoding(vdev);
    if (ats_warning) {
        warn_report("%s", ats_warning);
    }
    return true;

unset:
    vfio_pci_remove_capabilities(vdev);
    pci_device_unset_iommu_device(pdev);
    vdev->iommu_set = false;
detach:
    vfio_device_detach(vb);
    return false;
}

static void vfio_pci_exit(PCIDevice *pdev)
{
    VFIOPCIDevice *vdev = VFIO_PCI(pdev);

    vfio_pci_remove_capabilities(vdev);
    if (vdev->iommu_set) {
        pci_device_unset_iommu_device(pdev);
        vdev->iommu_set = false;
    }
    vfio_device_detach(&vdev->vbasedev);
}

static void vfio_pci_reset(DeviceState *dev)
{
    VFIOPCIDevice *vdev = VFIO_PCI(dev);
    PCIDevice *pdev = &vdev->pdev;
    VFIODevice *vb = &vdev->vbasedev;
    Error *err = NULL;

    if (!vb->attached) {
        return;
    }
    vfio_pci_disable_decoding(vdev);
    if ((vb->info->flags & VFIO_DEVICE_FLAGS_RESET) &&
        !vfio_device_reset(vb, &err)) {
        warn_report_err(err);
    }
    /* The device may come out of reset decoding: the guest has not asked. */
    vfio_pci_disable_decoding(vdev);
    pci_device_reset(pdev);
    if (pdev->pasid_cap && pdev->pasid_cap != vdev->ext.pasid) {
        pci_set_word(pdev->config + pdev->pasid_cap + PCI_PASID_CTRL, 0);
    }
}

static bool vfio_pci_set_fd(Object *obj, const char *str, Error **errp)
{
    VFIOPCIDevice *vdev = VFIO_PCI(obj);

    if (DEVICE(obj)->realized) {
        error_setg(errp,
                   "Attempt to set property 'fd' on device '%s' "
                   "(type '%s') after it was realized",
                   DEVICE(obj)->id ? DEVICE(obj)->id : "<anonymous>",
                   object_get_typename(obj));
        return false;
    }
    return vfio_device_set_fd(&vdev->vbasedev, str, errp);
}

static void vfio_pci_instance_init(Object *obj)
{
    VFIOPCIDevice *vdev = VFIO_PCI(obj);

    vfio_device_init(&vdev->vbasedev);
    vdev->host.domain = VFIO_HOST_ADDR_UNSET;
}

static void vfio_pci_instance_finalize(Object *obj)
{
    VFIOPCIDevice *vdev = VFIO_PCI(obj);

    for (int i = 0; i < PCI_ROM_SLOT; i++) {
        vfio_region_finalize(&vdev->bars[i]);
    }
    vfio_region_finalize(&vdev->rom);
    vfio_device_finalize(&vdev->vbasedev);
    g_free(vdev->phys_config);
    g_free(vdev->emulated_config_bits);
    g_free(vdev->host_str);
    g_free(vdev->who);
}

#define ATS_DESC                                                               \
    "Show the device's ATS capability to the guest: off never; auto "          \
    "unless the host kernel reports ATS unusable for the device "              \
    "(IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED); on always, and realize fails if "   \
    "the host reports it unusable (see x-ats-strict). on for a device "        \
    "without ATS only warns"
#define ATS_STRICT_DESC                                                        \
    "With ats=on: fail realize when the host kernel reports ATS unusable "     \
    "(true), or keep the ATS capability visible and warn (false; machine "     \
    "types up to 11.0 default to ats=on,x-ats-strict=off so their guest "      \
    "ABI is kept and a host kernel update cannot stop them from booting)"

static const Property vfio_pci_props[] = {
    DEFINE_PROP_PCI_HOST_DEVADDR("host", VFIOPCIDevice, host,
                                 "Host PCI address of the device to assign "
                                 "(DDDD:BB:DD.F)"),
    DEFINE_PROP_STRING("sysfsdev", VFIOPCIDevice, sysfsdev,
                       "Host sysfs path of the device to assign "
                       "(/sys/bus/pci/devices/DDDD:BB:DD.F)"),
    DEFINE_PROP_LINK("iommufd", VFIOPCIDevice, iommufd, TYPE_IOMMUFD_BACKEND,
                     IOMMUFDBackend *,
                     "The iommufd object the device is bound to (required)"),
    DEFINE_PROP_ON_OFF_AUTO("ats", VFIOPCIDevice, ats, ON_OFF_AUTO_AUTO,
                            ATS_DESC),
    DEFINE_PROP_BOOL("x-ats-strict", VFIOPCIDevice, ats_strict, true,
                     ATS_STRICT_DESC),
    DEFINE_PROP_UINT16("x-vpasid-cap-offset", VFIOPCIDevice, vpasid_cap_offset,
                       0,
                       "Where a synthesized PASID capability goes in "
                       "extended config space (dword aligned, 0x100..0xff8; "
                       "0: 0xff8)"),
    DEFINE_PROP_UINT32("x-pci-vendor-id", VFIOPCIDevice, vendor_id, PCI_ANY_ID,
                       "Vendor ID shown to the guest "
                       "(0xffffffff: the device's own)"),
    DEFINE_PROP_UINT32("x-pci-device-id", VFIOPCIDevice, device_id, PCI_ANY_ID,
                       "Device ID shown to the guest "
                       "(0xffffffff: the device's own)"),
    DEFINE_PROP_UINT32("x-pci-sub-vendor-id", VFIOPCIDevice, sub_vendor_id,
                       PCI_ANY_ID,
                       "Subsystem vendor ID shown to the guest "
                       "(0xffffffff: the device's own)"),
    DEFINE_PROP_UINT32("x-pci-sub-device-id", VFIOPCIDevice, sub_device_id,
                       PCI_ANY_ID,
                       "Subsystem ID shown to the guest "
                       "(0xffffffff: the device's own)"),
    DEFINE_PROP_UINT32("x-pci-class-code", VFIOPCIDevice, class_code,
                       PCI_ANY_ID,
                       "Class code (24 bits) shown to the guest "
                       "(0xffffffff: the device's own)"),
    DEFINE_PROP_ON_OFF_AUTO("display", VFIOPCIDevice, display, ON_OFF_AUTO_OFF,
                            "Use the device's display (on is refused: no "
                            "guest display here)"),
    DEFINE_PROP_UINT32("xres", VFIOPCIDevice, xres, 0,
                       "Display width (needs display=on)"),
    DEFINE_PROP_UINT32("yres", VFIOPCIDevice, yres, 0,
                       "Display height (needs display=on)"),
    DEFINE_PROP_ON_OFF_AUTO("enable-migration", VFIOPCIDevice, enable_migration,
                            ON_OFF_AUTO_AUTO,
                            "Migrate the device's state (on is refused: "
                            "this emulator does not migrate)"),
    DEFINE_PROP_BOOL("x-no-mmap", VFIOPCIDevice, no_mmap, false,
                     "Do not mmap BARs (BARs are always accessed with "
                     "pread/pwrite here)"),
    DEFINE_PROP_BIT("x-req", VFIOPCIDevice, features, VFIO_FEATURE_REQ, true,
                    "Handle the host's device request (unplug) notifier"),
    DEFINE_PROP_BIT("x-igd-opregion", VFIOPCIDevice, features,
                    VFIO_FEATURE_IGD_OPREGION, true,
                    "Expose the Intel graphics OpRegion (Intel IGD only)"),
    DEFINE_PROP_BOOL("skip-vsc-check", VFIOPCIDevice, skip_vsc_check, true,
                     "Leave vendor-specific capability contents out of the "
                     "migration config check"),
    DEFINE_PROP_INT32("bootindex", VFIOPCIDevice, bootindex, -1,
                      "Boot order among bootable devices (lower first; "
                      "-1: not a boot device)"),
    DEFINE_PROP_END_OF_LIST(),
};

static const Property vfio_pci_nohotplug_props[] = {
    DEFINE_PROP_BOOL("ramfb", VFIOPCIDevice, ramfb, false,
                     "Boot display through a ramfb device (needs "
                     "display=on)"),
    DEFINE_PROP_BOOL("use-legacy-x86-rom", VFIOPCIDevice, use_legacy_x86_rom,
                     false,
                     "Use the legacy x86 option ROM for the ramfb "
                     "display"),
    DEFINE_PROP_ON_OFF_AUTO("x-ramfb-migrate", VFIOPCIDevice, ramfb_migrate,
                            ON_OFF_AUTO_AUTO,
                            "Migrate the ramfb state (on needs ramfb=on)"),
    DEFINE_PROP_END_OF_LIST(),
};

static void vfio_pci_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    dc->desc = "VFIO-based PCI device assignment";
    dc->categories |= 1u << DEVICE_CATEGORY_MISC;
    dc->reset = vfio_pci_reset;
    device_class_set_props(dc, vfio_pci_props);
    object_class_property_add_str(oc, "fd", NULL, vfio_pci_set_fd);
    object_class_property_set_description(oc, "fd",
                                          "Host device file descriptor: a "
                                          "number or a monitor fd name "
                                          "(instead of host/sysfsdev)");
    pc->realize = vfio_pci_realize;
    pc->exit = vfio_pci_exit;
    pc->config_read = vfio_pci_read_config;
    pc->config_write = vfio_pci_write_config;
}

static void vfio_pci_nohotplug_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->hotpluggable = false;
    device_class_set_props(dc, vfio_pci_nohotplug_props);
}

static const InterfaceInfo vfio_pci_interfaces[] = {
    {INTERFACE_PCIE_DEVICE},
    {INTERFACE_CONVENTIONAL_PCI_DEVICE},
    {NULL},
};

static const TypeInfo vfio_pci_types[] = {
    {
        .name = TYPE_VFIO_PCI,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(VFIOPCIDevice),
        .instance_init = vfio_pci_instance_init,
        .instance_finalize = vfio_pci_instance_finalize,
        .class_init = vfio_pci_class_init,
        .interfaces = vfio_pci_interfaces,
    },
    {
        .name = TYPE_VFIO_PCI_NOHOTPLUG,
        .parent = TYPE_VFIO_PCI,
        .instance_size = sizeof(VFIOPCIDevice),
        .class_init = vfio_pci_nohotplug_class_init,
    },
};

DEFINE_TYPES(vfio_pci_types)
