/*
 * arm-smmuv3 accelerated mode: the host compatibility check every device
 * goes through, and the resolution of 'auto' properties from the host
 * SMMU of the first cold-plugged device.
 *
 * The check compares the host's raw ID registers (IOMMU_GET_HW_INFO)
 * with the vSMMU's, field by field; each failure names the field and both
 * values.
 */
#include "qemu/osdep.h"
#include <endian.h>
#include "hw/core/qdev.h"
#include "smmuv3-accel.h"

bool smmuv3_accel_any_auto(SMMUv3State *s)
{
    return s->ats == ON_OFF_AUTO_AUTO || s->ril == ON_OFF_AUTO_AUTO ||
           s->ssidsize == SSID_SIZE_MODE_AUTO || s->oas == OAS_MODE_AUTO;
}

char *smmuv3_accel_auto_list(SMMUv3State *s)
{
    const char *names[SMMUV3_FEAT__MAX + 1] = {NULL};
    unsigned n = 0;

    if (s->ats == ON_OFF_AUTO_AUTO) {
        names[n++] = "ats";
    }
    if (s->ril == ON_OFF_AUTO_AUTO) {
        names[n++] = "ril";
    }
    if (s->ssidsize == SSID_SIZE_MODE_AUTO) {
        names[n++] = "ssidsize";
    }
    if (s->oas == OAS_MODE_AUTO) {
        names[n++] = "oas";
    }
    return g_strjoinv(", ", (char **)names);
}

/* The host's IDRs, with the type the kernel reports checked. */
static bool accel_host_idr(HostIOMMUDevice *hiod, uint32_t idr[6], Error **errp)
{
    struct iommu_hw_info_arm_smmuv3 info = {0};
    uint32_t type = IOMMU_HW_INFO_TYPE_DEFAULT;

    if (!iommufd_backend_get_device_info(hiod->iommufd, hiod->devid, &type,
                                         &info, sizeof(info), NULL, NULL,
                                         errp)) {
        return false;
    }
    if (type != IOMMU_HW_INFO_TYPE_ARM_SMMUV3) {
        error_setg(errp, "Wrong data type (%u) for Host SMMUv3 device info",
                   type);
        return false;
    }
    for (int i = 0; i < 6; i++) {
        idr[i] = le32toh(info.idr[i]);
    }
    return true;
}

/* ---- Field by field ---- */

typedef enum AccelRule {
    ACCEL_EQUAL,   /* host must equal the vSMMU */
    ACCEL_HOST_GE, /* the host must offer at least the vSMMU's value */
    ACCEL_HOST_LE, /* the host must not exceed the vSMMU's value */
    ACCEL_OAS,     /* ACCEL_HOST_GE, reported in address bits */
} AccelRule;

typedef struct AccelField {
    unsigned idr;
    unsigned shift;
    unsigned len;
    AccelRule rule;
    const char *field;
    const char *what; /* "Host SMMUv3 <what> (host F=x, vSMMU F=y)" */
    bool bare;        /* the field is in <what>: "(host=x, vSMMU=y)" */
} AccelField;

/* In the reference's order (arm-smmuv3.md B.11). */
static const AccelField accel_fields[] = {
    {0, R_IDR0_ST_LEVEL_SHIFT, R_IDR0_ST_LEVEL_LENGTH, ACCEL_EQUAL, "STLEVEL",
     "Stream Table format mismatch"},
    {0, R_IDR0_TTENDIAN_SHIFT, R_IDR0_TTENDIAN_LENGTH, ACCEL_HOST_LE,
     "TTENDIAN", "doesn't support Little-endian translation table"},
    {0, R_IDR0_TTF_SHIFT, R_IDR0_TTF_LENGTH, ACCEL_HOST_GE, "TTF",
     "doesn't support AArch64 translation table format"},
    {1, R_IDR1_SIDSIZE_SHIFT, R_IDR1_SIDSIZE_LENGTH, ACCEL_HOST_GE, "SIDSIZE",
     "SIDSIZE not compatible", true},
    {1, R_IDR1_SSIDSIZE_SHIFT, R_IDR1_SSIDSIZE_LENGTH, ACCEL_HOST_GE,
     "SSIDSIZE", "SSIDSIZE not compatible", true},
    {3, R_IDR3_RIL_SHIFT, R_IDR3_RIL_LENGTH, ACCEL_HOST_GE, "RIL",
     "doesn't support Range Invalidation"},
    {5, R_IDR5_OAS_SHIFT, R_IDR5_OAS_LENGTH, ACCEL_OAS, "OAS", NULL},
    {0, R_IDR0_ATS_SHIFT, R_IDR0_ATS_LENGTH, ACCEL_HOST_GE, "ATS",
     "doesn't support ATS"},
    {5, R_IDR5_GRAN4K_SHIFT, R_IDR5_GRAN4K_LENGTH, ACCEL_EQUAL, "GRAN4K",
     "4K translation granule not compatible"},
    {5, R_IDR5_GRAN16K_SHIFT, R_IDR5_GRAN16K_LENGTH, ACCEL_EQUAL, "GRAN16K",
     "16K translation granule not compatible"},
    {5, R_IDR5_GRAN64K_SHIFT, R_IDR5_GRAN64K_LENGTH, ACCEL_EQUAL, "GRAN64K",
     "64K translation granule not compatible"},
};

static bool accel_check_field(const AccelField *f, const uint32_t *host,
                              const uint32_t *vsmmu, Error **errp)
{
    uint32_t h = extract32(host[f->idr], f->shift, f->len);
    uint32_t v = extract32(vsmmu[f->idr], f->shift, f->len);

    switch (f->rule) {
    case ACCEL_EQUAL:
        if (h == v) {
            return true;
        }
        break;
    case ACCEL_HOST_LE:
        if (h <= v) {
            return true;
        }
        break;
    case ACCEL_HOST_GE:
        if (h >= v) {
            return true;
        }
        break;
    case ACCEL_OAS:
        if (h >= v) {
            return true;
        }
        error_setg(errp,
                   "Host SMMUv3 supports only %u-bit IPA, but the vSMMU OAS "
                   "implies %u-bit IPA (host OAS=%u, vSMMU OAS=%u)",
                   smmuv3_oas_bits(h), smmuv3_oas_bits(v), h, v);
        return false;
    }
    if (f->bare) {
        error_setg(errp, "Host SMMUv3 %s (host=%u, vSMMU=%u)", f->what, h, v);
    } else {
        error_setg(errp, "Host SMMUv3 %s (host %s=%u, vSMMU %s=%u)", f->what,
                   f->field, h, f->field, v);
    }
    return false;
}

static bool accel_check_idr(const uint32_t *host, const uint32_t *vsmmu,
                            Error **errp)
{
    for (size_t i = 0; i < ARRAY_SIZE(accel_fields); i++) {
        if (!accel_check_field(&accel_fields[i], host, vsmmu, errp)) {
            return false;
        }
    }
    return true;
}

/* ---- 'auto' ---- */

/*
 * Each 'auto' takes the host's value. OAS: the vSMMU offers 44 or 48
 * bits, so a wider host gives 48 and one narrower than 44 is refused;
 * SSIDSIZE is capped at 20 bits (a PASID's width).
 */
static bool accel_resolve(SMMUv3State *s, const uint32_t *host, Error **errp)
{
    unsigned oas = FIELD_EX32(host[5], IDR5, OAS);

    if (s->oas == OAS_MODE_AUTO) {
        if (oas < IDR5_OAS_44) {
            error_setg(errp,
                       "Host SMMUv3 supports only %u-bit IPA; oas=auto "
                       "needs at least 44 bits (host OAS=%u)",
                       smmuv3_oas_bits(oas), oas);
            return false;
        }
        s->oas = oas >= IDR5_OAS_48 ? OAS_MODE_48 : OAS_MODE_44;
    }
    if (s->ats == ON_OFF_AUTO_AUTO) {
        s->ats =
            FIELD_EX32(host[0], IDR0, ATS) ? ON_OFF_AUTO_ON : ON_OFF_AUTO_OFF;
    }
    if (s->ril == ON_OFF_AUTO_AUTO) {
        s->ril =
            FIELD_EX32(host[3], IDR3, RIL) ? ON_OFF_AUTO_ON : ON_OFF_AUTO_OFF;
    }
    if (s->ssidsize == SSID_SIZE_MODE_AUTO) {
        s->ssidsize =
            SSID_SIZE_MODE_0 + MIN(FIELD_EX32(host[1], IDR1, SSIDSIZE), 20u);
    }
    smmuv3_init_id_regs(s);
    return true;
}

bool smmuv3_accel_host_check(SMMUv3AccelState *a, HostIOMMUDevice *hiod,
                             Error **errp)
{
    SMMUv3State *s = a->smmu;
    OnOffAuto ats = s->ats, ril = s->ril;
    SsidSizeMode ssidsize = s->ssidsize;
    OasMode oas = s->oas;
    bool resolving = smmuv3_accel_any_auto(s);
    uint32_t host[6];

    if (!accel_host_idr(hiod, host, errp)) {
        return false;
    }
    if (resolving && qdev_machine_creation_done_p()) {
        error_setg(errp, "'auto' values can only be resolved from a "
                         "cold-plugged device");
        return false;
    }
    if (resolving && !accel_resolve(s, host, errp)) {
        return false;
    }
    if (!accel_check_idr(host, s->idr, errp)) {
        if (resolving) {
            s->ats = ats;
            s->ril = ril;
            s->ssidsize = ssidsize;
            s->oas = oas;
            smmuv3_init_id_regs(s);
        }
        return false;
    }
    if (resolving) {
        a->host_device = g_strdup(hiod->name);
    }
    if (!a->host_known) {
        a->host_known = true;
        memcpy(a->host_idr, host, sizeof(a->host_idr));
    }
    return true;
}
