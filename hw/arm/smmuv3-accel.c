/*
 * arm-smmuv3 accelerated mode: the SMMUv3AccelOps the emulated device
 * calls, the devices allowed behind an accelerated SMMU, their address
 * space, and the host objects' lifecycle.
 *
 * The first vfio-pci device brings up a vIOMMU over its nesting-parent
 * stage-2 HWPT plus two nested HWPTs, "abort" and "bypass", that GBPA
 * selects while the guest has the SMMU disabled; later devices share
 * them. The last device to leave takes them all down again, before VFIO
 * detaches it (the vIOMMU holds the stage-2 HWPT).
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/core/iommu.h"
#include "hw/pci-bridge/pxb-pcie.h"
#include "hw/pci-host/gpex.h"
#include "hw/pci/pci_bridge.h"
#include "hw/vfio/pci.h"
#include "smmuv3-accel.h"

/* STE words of the two HWPTs GBPA chooses between: V=1, Config abort /
 * bypass. */
#define ACCEL_STE0_ABORT                                                       \
    (R_STE0_V_MASK | (STE_CONFIG_ABORT << R_STE0_CONFIG_SHIFT))
#define ACCEL_STE0_BYPASS                                                      \
    (R_STE0_V_MASK | (STE_CONFIG_BYPASS << R_STE0_CONFIG_SHIFT))

char *smmuv3_accel_name(SMMUv3State *s)
{
    const char *id = DEVICE(s)->id;
    g_autofree char *path = NULL;

    if (id) {
        return g_strdup_printf("%s %s", TYPE_ARM_SMMUV3, id);
    }
    path = object_get_canonical_path(OBJECT(s));
    return g_strdup_printf("%s %s", TYPE_ARM_SMMUV3, path);
}

static SMMUv3AccelDevice *accel_find(SMMUv3AccelState *a, PCIBus *bus,
                                     int devfn)
{
    SMMUv3AccelDevice *d;

    QTAILQ_FOREACH(d, &a->devices, next)
    {
        if (d->bus == bus && d->devfn == devfn) {
            return d;
        }
    }
    return NULL;
}

/* ---- Attaching ---- */

bool smmuv3_accel_attach(SMMUv3AccelDevice *d, uint32_t hwpt_id,
                         SMMUv3AccelAttach kind, Error **errp)
{
    if (!host_iommu_device_attach_hwpt(d->hiod, hwpt_id, errp)) {
        return false;
    }
    d->attach = kind;
    return true;
}

void smmuv3_accel_free_s1_hwpt(SMMUv3AccelDevice *d)
{
    if (d->has_s1_hwpt) {
        iommufd_backend_free_id(d->accel->iommufd, d->s1_hwpt_id);
        d->has_s1_hwpt = false;
    }
}

bool smmuv3_accel_attach_shared(SMMUv3AccelDevice *d, bool abort, Error **errp)
{
    SMMUv3AccelState *a = d->accel;

    if (!smmuv3_accel_attach(d, abort ? a->abort_hwpt_id : a->bypass_hwpt_id,
                             abort ? SMMUV3_ATTACH_ABORT : SMMUV3_ATTACH_BYPASS,
                             errp)) {
        return false;
    }
    smmuv3_accel_free_s1_hwpt(d);
    return true;
}

bool smmuv3_accel_attach_gbpa(SMMUv3AccelDevice *d, Error **errp)
{
    return smmuv3_accel_attach_shared(
        d, FIELD_EX32(d->accel->smmu->gbpa, GBPA, ABORT), errp);
}

/* ---- The vIOMMU and its companions ---- */

static bool accel_alloc_gbpa_hwpt(SMMUv3AccelState *a, HostIOMMUDevice *hiod,
                                  uint64_t ste0, uint32_t *id, Error **errp)
{
    struct iommu_hwpt_arm_smmuv3 data = {.ste = {htole64(ste0), 0}};

    return iommufd_backend_alloc_hwpt(a->iommufd, hiod->devid, a->viommu_id, 0,
                                      IOMMU_HWPT_DATA_ARM_SMMUV3, sizeof(data),
                                      &data, id, errp);
}

static void accel_viommu_free(SMMUv3AccelState *a)
{
    smmuv3_accel_batch_drop(a);
    smmuv3_accel_veventq_free(a);
    if (a->bypass_hwpt_id) {
        iommufd_backend_free_id(a->iommufd, a->bypass_hwpt_id);
        a->bypass_hwpt_id = 0;
    }
    if (a->abort_hwpt_id) {
        iommufd_backend_free_id(a->iommufd, a->abort_hwpt_id);
        a->abort_hwpt_id = 0;
    }
    iommufd_backend_free_id(a->iommufd, a->viommu_id);
    a->has_viommu = false;
    object_unref(a->iommufd);
    a->iommufd = NULL;
}

/* The first device: vIOMMU over its stage 2, abort/bypass, vEVENTQ. */
static bool accel_viommu_alloc(SMMUv3AccelState *a, HostIOMMUDevice *hiod,
                               Error **errp)
{
    if (hiod->default_pt_id == hiod->ioas_id) {
        error_setg(errp,
                   "%s is not attached to a nesting-parent stage-2 HWPT, so "
                   "no vIOMMU can be built on it",
                   hiod->name);
        return false;
    }
    if (!iommufd_backend_alloc_viommu(
            hiod->iommufd, hiod->devid, IOMMU_VIOMMU_TYPE_ARM_SMMUV3,
            hiod->default_pt_id, &a->viommu_id, errp)) {
        return false;
    }
    a->iommufd = IOMMUFD_BACKEND(object_ref(hiod->iommufd));
    a->has_viommu = true;
    if (!accel_alloc_gbpa_hwpt(a, hiod, ACCEL_STE0_ABORT, &a->abort_hwpt_id,
                               errp) ||
        !accel_alloc_gbpa_hwpt(a, hiod, ACCEL_STE0_BYPASS, &a->bypass_hwpt_id,
                               errp) ||
        (FIELD_EX32(a->smmu->cr[0], CR0, EVENTQEN) &&
         !smmuv3_accel_veventq_alloc(a, errp))) {
        accel_viommu_free(a);
        return false;
    }
    return true;
}

/* A device joining while the SMMU is enabled follows its STE. */
static bool accel_attach_new(SMMUv3AccelDevice *d, Error **errp)
{
    g_autofree char *name = NULL;
    Error *err = NULL;

    if (!FIELD_EX32(d->accel->smmu->cr[0], CR0, SMMUEN)) {
        return smmuv3_accel_attach_gbpa(d, errp);
    }
    if (smmuv3_accel_install_ste(d, &err)) {
        return true;
    }
    name = smmuv3_accel_name(d->accel->smmu);
    qemu_log_mask(LOG_GUEST_ERROR, "%s: %s; the new device aborts DMA\n", name,
                  error_get_pretty(err));
    error_free(err);
    return smmuv3_accel_attach(d, d->accel->abort_hwpt_id, SMMUV3_ATTACH_ABORT,
                               errp);
}

/* Whether a new device may join the vIOMMU (the caller names the SMMU). */
static bool accel_check_hiod(SMMUv3AccelState *a, HostIOMMUDevice *hiod,
                             Error **errp)
{
    if (!object_dynamic_cast(OBJECT(hiod), TYPE_HOST_IOMMU_DEVICE_IOMMUFD) ||
        !hiod->iommufd) {
        error_setg(errp, "%s is not backed by iommufd", hiod->name);
        return false;
    }
    if (a->has_viommu && hiod->iommufd != a->iommufd) {
        error_setg(errp,
                   "every device behind an accelerated SMMU must use the "
                   "same iommufd object as the first one ('%s')",
                   object_get_canonical_path_component(OBJECT(a->iommufd)));
        return false;
    }
    return smmuv3_accel_host_check(a, hiod, errp);
}

static bool accel_set_iommu_device(SMMUv3State *s, PCIBus *bus, int devfn,
                                   HostIOMMUDevice *hiod, Error **errp)
{
    SMMUv3AccelState *a = smmuv3_accel(s);
    SMMUv3AccelDevice *d;
    g_autofree char *name = smmuv3_accel_name(s);
    bool first;

    if (!hiod) {
        return true;
    }
    d = accel_find(a, bus, devfn);
    if (d) {
        if (d->hiod == hiod) {
            return true;
        }
        error_setg(errp, "%s: Device already has an associated idev (%s)", name,
                   d->hiod->name);
        return false;
    }
    if (!accel_check_hiod(a, hiod, errp)) {
        error_prepend(errp, "%s: ", name);
        return false;
    }
    first = !a->has_viommu;
    if (first && !accel_viommu_alloc(a, hiod, errp)) {
        error_prepend(errp, "%s: ", name);
        return false;
    }
    d = g_new0(SMMUv3AccelDevice, 1);
    d->accel = a;
    d->bus = bus;
    d->devfn = devfn;
    d->hiod = hiod;
    if (!accel_attach_new(d, errp)) {
        error_prepend(errp, "%s: cannot attach %s to the vIOMMU%s: ", name,
                      hiod->name,
                      first ? ""
                            : " (is it behind another host SMMU than "
                              "the first device?)");
        smmuv3_accel_free_s1_hwpt(d);
        if (d->has_vdev) {
            iommufd_backend_free_id(a->iommufd, d->vdev_id);
        }
        g_free(d);
        if (first) {
            accel_viommu_free(a);
        }
        return false;
    }
    QTAILQ_INSERT_TAIL(&a->devices, d, next);
    return true;
}

static void accel_unset_iommu_device(SMMUv3State *s, PCIBus *bus, int devfn)
{
    SMMUv3AccelState *a = smmuv3_accel(s);
    SMMUv3AccelDevice *d = accel_find(a, bus, devfn);
    Error *err = NULL;

    if (!d) {
        return;
    }
    if (d->attach != SMMUV3_ATTACH_STAGE2 &&
        !host_iommu_device_detach_hwpt(d->hiod, &err)) {
        g_autofree char *name = smmuv3_accel_name(s);

        error_prepend(&err, "%s: ", name);
        warn_report_err(err);
    }
    smmuv3_accel_free_s1_hwpt(d);
    if (d->has_vdev) {
        iommufd_backend_free_id(a->iommufd, d->vdev_id);
    }
    QTAILQ_REMOVE(&a->devices, d, next);
    g_free(d);
    if (QTAILQ_EMPTY(&a->devices)) {
        accel_viommu_free(a);
    }
}

/* ---- Which devices, which address space ---- */

static bool accel_check_device(SMMUv3State *s, PCIBus *bus, PCIDevice *dev,
                               Error **errp)
{
    Object *o = OBJECT(dev);

    if (object_dynamic_cast(o, TYPE_PCI_BRIDGE) ||
        object_dynamic_cast(o, TYPE_PXB_PCIE_DEVICE) ||
        object_dynamic_cast(o, TYPE_GPEX_ROOT_DEVICE)) {
        return true;
    }
    if (!object_dynamic_cast(o, TYPE_VFIO_PCI)) {
        error_setg(errp, "Emulated endpoint devices are not allowed when "
                         "using arm-smmuv3,accel=on");
        return false;
    }
    if (!VFIO_PCI(o)->iommufd) {
        error_setg(errp, "vfio-pci endpoint devices without an iommufd "
                         "backend not allowed when using arm-smmuv3,accel=on "
                         "(iommufd is required: use -object iommufd,id=ID "
                         "and iommufd=ID)");
        return false;
    }
    return true;
}

/*
 * Guest RAM as it is, shared by every vfio-pci device behind any
 * accelerated SMMU: VFIO maps it GPA -> HPA into the nesting-parent
 * stage 2 (one IOAS and one stage 2 for all), stage 1 runs on the host.
 */
static AddressSpace *accel_sysmem_as(void)
{
    static MemoryRegion alias;
    static AddressSpace as;

    if (!alias.name) {
        MemoryRegion *sysmem = get_system_memory();

        memory_region_init_alias(&alias, NULL, "smmuv3-accel-sysmem", sysmem, 0,
                                 memory_region_size(sysmem));
        address_space_init(&as, &alias, "smmuv3-accel-as-sysmem");
    }
    return &as;
}

static AddressSpace *accel_get_address_space(SMMUv3State *s, PCIBus *bus,
                                             int devfn)
{
    PCIDevice *dev = bus->devices[devfn];

    if (dev && object_dynamic_cast(OBJECT(dev), TYPE_VFIO_PCI)) {
        return accel_sysmem_as();
    }
    return NULL;
}

static uint64_t accel_get_viommu_flags(SMMUv3State *s)
{
    uint64_t flags = VIOMMU_FLAG_WANT_NESTING_PARENT;

    /* SSIDSIZE holds the explicit or resolved width. */
    if (FIELD_EX32(s->idr[1], IDR1, SSIDSIZE)) {
        flags |= VIOMMU_FLAG_PASID_SUPPORTED;
    }
    return flags;
}

/* ---- Guest register side effects ---- */

static void accel_attach_all_gbpa(SMMUv3AccelState *a)
{
    SMMUv3AccelDevice *d;

    QTAILQ_FOREACH(d, &a->devices, next)
    {
        Error *err = NULL;

        if (!smmuv3_accel_attach_gbpa(d, &err)) {
            g_autofree char *name = smmuv3_accel_name(a->smmu);

            error_prepend(&err, "%s: %s: ", name, d->hiod->name);
            warn_report_err(err);
        }
    }
}

static void accel_reset(SMMUv3State *s)
{
    SMMUv3AccelState *a = smmuv3_accel(s);

    smmuv3_accel_batch_drop(a);
    accel_attach_all_gbpa(a);
}

/* GBPA applies only while the SMMU is disabled. */
static void accel_gbpa_update(SMMUv3State *s)
{
    if (!FIELD_EX32(s->cr[0], CR0, SMMUEN)) {
        accel_attach_all_gbpa(smmuv3_accel(s));
    }
}

static void accel_cr0_write(SMMUv3State *s, uint32_t old_cr0)
{
    SMMUv3AccelState *a = smmuv3_accel(s);
    uint32_t changed = old_cr0 ^ s->cr[0];
    Error *err = NULL;

    if (!a->has_viommu) {
        return;
    }
    if ((changed & R_CR0_EVENTQEN_MASK) &&
        FIELD_EX32(s->cr[0], CR0, EVENTQEN) && !a->has_veventq &&
        !smmuv3_accel_veventq_alloc(a, &err)) {
        g_autofree char *name = smmuv3_accel_name(s);

        error_prepend(&err, "%s: host events will not reach the guest: ", name);
        warn_report_err(err);
    }
    if (changed & R_CR0_SMMUEN_MASK) {
        smmuv3_accel_install_all(a);
    }
}

/* ---- Realize and the start-up check ---- */

/* 'auto' needs a cold-plugged device to resolve from. */
static bool accel_init_done(void *opaque, Error **errp)
{
    SMMUv3State *s = opaque;
    g_autofree char *name = NULL;
    g_autofree char *autos = NULL;

    if (!smmuv3_accel_any_auto(s)) {
        return true;
    }
    name = smmuv3_accel_name(s);
    autos = smmuv3_accel_auto_list(s);
    error_setg(errp,
               "%s: accel=on with 'auto' values (%s) requires at least one "
               "cold-plugged vfio-pci device behind it",
               name, autos);
    return false;
}

static bool accel_realize(SMMUv3State *s, Error **errp)
{
    SMMUv3AccelState *a;

    if (s->cmdqv == ON_OFF_AUTO_ON) {
        error_setg(errp, "cmdqv=on is not supported: the NVIDIA Tegra241 "
                         "CMDQV is not modelled (use cmdqv=off or auto)");
        return false;
    }
    a = g_new0(SMMUv3AccelState, 1);
    a->smmu = s;
    a->req_ats = s->ats;
    a->req_ril = s->ril;
    a->req_ssidsize = s->ssidsize;
    a->req_oas = s->oas;
    a->veventq_fd = -1;
    a->batch = g_array_new(false, false,
                           sizeof(struct iommu_viommu_arm_smmuv3_invalidate));
    a->batch_names = g_ptr_array_new();
    QTAILQ_INIT(&a->devices);
    s->accel_state = a;
    qdev_add_machine_init_done(accel_init_done, s);
    return true;
}

static const SMMUv3AccelOps smmuv3_accel_ops = {
    .realize = accel_realize,
    .reset = accel_reset,
    .cr0_write = accel_cr0_write,
    .gbpa_update = accel_gbpa_update,
    .cmd = smmuv3_accel_cmd,
    .sync = smmuv3_accel_sync,
    .get_viommu_flags = accel_get_viommu_flags,
    .get_address_space = accel_get_address_space,
    .check_device = accel_check_device,
    .set_iommu_device = accel_set_iommu_device,
    .unset_iommu_device = accel_unset_iommu_device,
};

static void smmuv3_accel_init(void)
{
    smmuv3_accel_register(&smmuv3_accel_ops);
}

type_init(smmuv3_accel_init)
