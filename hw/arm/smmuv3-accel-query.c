/*
 * arm-smmuv3: where each host-resolvable ID register field's value comes
 * from, for x-query-arm-smmuv3 (monitor/qmp-cmds-smmuv3.c). The value is
 * read back from the ID registers the guest sees.
 */
#include "qemu/osdep.h"
#include "smmuv3-accel.h"

const char *const SMMUv3FeatureSource_lookup[] = {
    [SMMUV3_SRC_CONFIGURED] = "configured",
    [SMMUV3_SRC_HOST] = "host",
    [SMMUV3_SRC_EMULATED_DEFAULT] = "emulated-default",
    [SMMUV3_SRC_UNRESOLVED] = "unresolved",
};

/* The field's ID register value in idr[]. */
static uint32_t query_field(SMMUv3Feature f, const uint32_t *idr)
{
    switch (f) {
    case SMMUV3_FEAT_ATS:
        return FIELD_EX32(idr[0], IDR0, ATS);
    case SMMUV3_FEAT_RIL:
        return FIELD_EX32(idr[3], IDR3, RIL);
    case SMMUV3_FEAT_SSIDSIZE:
        return FIELD_EX32(idr[1], IDR1, SSIDSIZE);
    default:
        return FIELD_EX32(idr[5], IDR5, OAS);
    }
}

static char *query_value(SMMUv3Feature f, uint32_t field)
{
    switch (f) {
    case SMMUV3_FEAT_ATS:
    case SMMUV3_FEAT_RIL:
        return g_strdup(field ? "on" : "off");
    case SMMUV3_FEAT_SSIDSIZE:
        return g_strdup_printf("%u", field);
    default:
        return g_strdup_printf("%u", smmuv3_oas_bits(field));
    }
}

void smmuv3_feature_info(SMMUv3State *s, SMMUv3Feature f,
                         SMMUv3FeatureInfo *info)
{
    static const char *const names[] = {"ats", "ril", "ssidsize", "oas"};
    SMMUv3AccelState *a = s->accel ? smmuv3_accel(s) : NULL;
    bool req_auto, still_auto;

    memset(info, 0, sizeof(*info));
    info->name = names[f];
    switch (f) {
    case SMMUV3_FEAT_ATS:
        info->requested = OnOffAuto_lookup[a ? a->req_ats : s->ats];
        still_auto = s->ats == ON_OFF_AUTO_AUTO;
        break;
    case SMMUV3_FEAT_RIL:
        info->requested = OnOffAuto_lookup[a ? a->req_ril : s->ril];
        still_auto = s->ril == ON_OFF_AUTO_AUTO;
        break;
    case SMMUV3_FEAT_SSIDSIZE:
        info->requested =
            SsidSizeMode_lookup[a ? a->req_ssidsize : s->ssidsize];
        still_auto = s->ssidsize == SSID_SIZE_MODE_AUTO;
        break;
    default:
        info->requested = OasMode_lookup[a ? a->req_oas : s->oas];
        still_auto = s->oas == OAS_MODE_AUTO;
        break;
    }
    req_auto = !strcmp(info->requested, "auto");
    info->value = query_value(f, query_field(f, s->idr));
    if (!req_auto) {
        info->source = SMMUV3_SRC_CONFIGURED;
    } else if (!a) {
        info->source = SMMUV3_SRC_EMULATED_DEFAULT;
    } else if (still_auto) {
        info->source = SMMUV3_SRC_UNRESOLVED;
    } else {
        info->source = SMMUV3_SRC_HOST;
        info->host_device = a->host_device;
    }
    if (a && a->host_known) {
        info->has_host_value = true;
        info->host_value = query_field(f, a->host_idr);
    }
}
