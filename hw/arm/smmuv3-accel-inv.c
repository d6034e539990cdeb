/*
 * arm-smmuv3 accelerated mode: guest commands that concern the host.
 *
 * CFGI_STE (and its range / all forms) re-install the affected devices'
 * STEs at once. The invalidations the host caches need (CD, TLB and ATC
 * ones) are collected and sent at the next CMD_SYNC in a single
 * IOMMU_HWPT_INVALIDATE on the vIOMMU, so one sync costs one ioctl. A
 * batch the host does not fully handle fails the CMD_SYNC with
 * CERROR_ILL; the log names the command the host stopped at.
 */
#include "qemu/osdep.h"
#include <endian.h>
#include "smmuv3-accel.h"

void smmuv3_accel_batch_drop(SMMUv3AccelState *a)
{
    g_array_set_size(a->batch, 0);
    g_ptr_array_set_size(a->batch_names, 0);
}

static void accel_batch_add(SMMUv3AccelState *a, const SMMUv3Cmd *cmd)
{
    struct iommu_viommu_arm_smmuv3_invalidate e = {
        .cmd = {htole64(cmd->raw[0]), htole64(cmd->raw[1])},
    };

    g_array_append_val(a->batch, e);
    g_ptr_array_add(a->batch_names, (gpointer)cmd->name);
}

/* SID-based commands reach the host only for a device with a vDEVICE. */
static bool accel_has_vsid(SMMUv3AccelState *a, uint32_t sid)
{
    SMMUv3AccelDevice *d;

    QTAILQ_FOREACH(d, &a->devices, next)
    {
        if (d->has_vdev && d->vsid == sid) {
            return true;
        }
    }
    return false;
}

/* Re-installs the devices whose SID is in [first, last]. */
static bool accel_cfgi_ste(SMMUv3AccelState *a, uint32_t first, uint32_t last,
                           Error **errp)
{
    SMMUv3AccelDevice *d;
    bool ok = true;

    QTAILQ_FOREACH(d, &a->devices, next)
    {
        uint32_t sid = smmuv3_accel_sid(d);
        Error *err = NULL;

        if (sid < first || sid > last ||
            smmuv3_accel_install_ste(d, ok ? errp : &err)) {
            continue;
        }
        error_free(err);
        ok = false;
    }
    return ok;
}

bool smmuv3_accel_cmd(SMMUv3State *s, const SMMUv3Cmd *cmd, Error **errp)
{
    SMMUv3AccelState *a = smmuv3_accel(s);
    uint32_t span;

    if (!a->has_viommu) {
        return true;
    }
    switch (cmd->op) {
    case CMD_CFGI_STE:
        return accel_cfgi_ste(a, cmd->sid, cmd->sid, errp);
    case CMD_CFGI_STE_RANGE:
        if (cmd->ste_range == CMD_STE_RANGE_ALL) {
            return accel_cfgi_ste(a, 0, UINT32_MAX, errp);
        }
        span = MAKE_64BIT_MASK(0, cmd->ste_range + 1);
        return accel_cfgi_ste(a, cmd->sid & ~span, cmd->sid | span, errp);
    case CMD_CFGI_ALL:
        return accel_cfgi_ste(a, 0, UINT32_MAX, errp);
    case CMD_CFGI_CD:
    case CMD_CFGI_CD_ALL:
        if (accel_has_vsid(a, cmd->sid)) {
            accel_batch_add(a, cmd);
        }
        return true;
    case CMD_ATC_INV:
        if (FIELD_EX32(s->idr[0], IDR0, ATS) && accel_has_vsid(a, cmd->sid)) {
            accel_batch_add(a, cmd);
        }
        return true;
    case CMD_TLBI_NH_ALL:
    case CMD_TLBI_NH_ASID:
    case CMD_TLBI_NH_VA:
    case CMD_TLBI_NH_VAA:
    case CMD_TLBI_NSNH_ALL:
        accel_batch_add(a, cmd);
        return true;
    default:
        return true;
    }
}

bool smmuv3_accel_sync(SMMUv3State *s, Error **errp)
{
    SMMUv3AccelState *a = smmuv3_accel(s);
    uint32_t n = a->batch->len, done = n;
    Error *err = NULL;
    bool ok;

    if (!n) {
        return true;
    }
    if (!a->has_viommu) {
        smmuv3_accel_batch_drop(a);
        return true;
    }
    ok = iommufd_backend_invalidate_cache(
        a->iommufd, a->viommu_id, IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
        sizeof(struct iommu_viommu_arm_smmuv3_invalidate), &done,
        a->batch->data, &err);
    if (!ok || done < n) {
        g_autofree char *name = smmuv3_accel_name(s);

        if (done < n) {
            error_setg(errp,
                       "%s: the host handled %u of %u batched invalidations, "
                       "failing at %s: %s",
                       name, done, n,
                       (const char *)g_ptr_array_index(a->batch_names, done),
                       err ? error_get_pretty(err) : "no error given");
        } else {
            error_setg(errp, "%s: %u batched invalidations: %s", name, n,
                       error_get_pretty(err));
        }
        error_free(err);
        ok = false;
    }
    smmuv3_accel_batch_drop(a);
    return ok;
}
