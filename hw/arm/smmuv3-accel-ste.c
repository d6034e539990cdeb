/*
 * arm-smmuv3 accelerated mode: what a guest STE selects on the host
 * (CFGI_STE and friends, SMMUEN changes). Abort and bypass use the
 * shared HWPTs; stage-1 translate gets a nested HWPT of its own built
 * from the STE's stage-1 fields; the host walks the guest's CD and page
 * tables through the nesting parent.
 */
#include "qemu/osdep.h"
#include <endian.h>
#include "qemu/log.h"
#include "smmuv3-accel.h"

/*
 * The STE fields a nested HWPT carries. S1ContextPtr is taken as bits
 * 51:6 (the architecture's width): the kernel refuses any other bit with
 * EIO, so a guest setting reserved bits 55:52 still gets its table.
 */
#define ACCEL_STE0_MASK                                                        \
    (R_STE0_V_MASK | R_STE0_CONFIG_MASK | R_STE0_S1FMT_MASK |                  \
     R_STE0_S1CTXPTR_MASK | R_STE0_S1CDMAX_MASK)
#define ACCEL_STE1_MASK                                                        \
    (R_STE1_S1DSS_MASK | R_STE1_S1CIR_MASK | R_STE1_S1COR_MASK |               \
     R_STE1_S1CSH_MASK | R_STE1_S1STALLD_MASK | R_STE1_EATS_MASK)

/* The vDEVICE, created on first use and again if the SID changed. */
static bool accel_vdev_ensure(SMMUv3AccelDevice *d, uint32_t sid, Error **errp)
{
    SMMUv3AccelState *a = d->accel;

    if (d->has_vdev && d->vsid == sid) {
        return true;
    }
    if (d->has_vdev) {
        iommufd_backend_free_id(a->iommufd, d->vdev_id);
        d->has_vdev = false;
    }
    if (!iommufd_backend_alloc_vdev(a->iommufd, d->hiod->devid, a->viommu_id,
                                    sid, &d->vdev_id, errp)) {
        return false;
    }
    d->has_vdev = true;
    d->vsid = sid;
    return true;
}

/* A new nested HWPT replaces the previous one (freed once unused). */
static bool accel_attach_nested(SMMUv3AccelDevice *d, const uint64_t *ste,
                                Error **errp)
{
    SMMUv3AccelState *a = d->accel;
    struct iommu_hwpt_arm_smmuv3 data = {
        .ste = {htole64(ste[0] & ACCEL_STE0_MASK),
                htole64(ste[1] & ACCEL_STE1_MASK)},
    };
    uint32_t id;

    if (!iommufd_backend_alloc_hwpt(a->iommufd, d->hiod->devid, a->viommu_id, 0,
                                    IOMMU_HWPT_DATA_ARM_SMMUV3, sizeof(data),
                                    &data, &id, errp)) {
        return false;
    }
    if (!smmuv3_accel_attach(d, id, SMMUV3_ATTACH_NESTED, errp)) {
        iommufd_backend_free_id(a->iommufd, id);
        return false;
    }
    smmuv3_accel_free_s1_hwpt(d);
    d->has_s1_hwpt = true;
    d->s1_hwpt_id = id;
    return true;
}

bool smmuv3_accel_install_ste(SMMUv3AccelDevice *d, Error **errp)
{
    SMMUv3State *s = d->accel->smmu;
    uint32_t sid = smmuv3_accel_sid(d);
    uint64_t ste[STE_DWORDS];
    SMMUv3Event evt;
    unsigned config;

    if (!accel_vdev_ensure(d, sid, errp)) {
        return false;
    }
    if (!FIELD_EX32(s->cr[0], CR0, SMMUEN)) {
        return smmuv3_accel_attach_gbpa(d, errp);
    }
    /* An STE that cannot be read terminates DMA, as it would in hardware. */
    if (!smmuv3_read_ste(s, sid, ste, &evt) || !FIELD_EX64(ste[0], STE0, V)) {
        return smmuv3_accel_attach_shared(d, true, errp);
    }
    config = FIELD_EX64(ste[0], STE0, CONFIG);
    if (config < STE_CONFIG_BYPASS) {
        return smmuv3_accel_attach_shared(d, true, errp);
    }
    if (config == STE_CONFIG_BYPASS) {
        return smmuv3_accel_attach_shared(d, false, errp);
    }
    if (config == STE_CONFIG_S1_TRANS) {
        return accel_attach_nested(d, ste, errp);
    }
    error_setg(errp,
               "Invalid STE config for sid 0x%x (Config %u: only "
               "abort, bypass and stage 1 are accelerated)",
               sid, config);
    return false;
}

void smmuv3_accel_install_all(SMMUv3AccelState *a)
{
    SMMUv3AccelDevice *d;

    QTAILQ_FOREACH(d, &a->devices, next)
    {
        Error *err = NULL;

        if (!smmuv3_accel_install_ste(d, &err)) {
            g_autofree char *name = smmuv3_accel_name(a->smmu);

            qemu_log_mask(LOG_GUEST_ERROR, "%s: %s: %s\n", name, d->hiod->name,
                          error_get_pretty(err));
            error_free(err);
        }
    }
}
