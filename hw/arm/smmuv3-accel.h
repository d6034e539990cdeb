/*
 * arm-smmuv3 accelerated mode (accel=on), private to hw/arm/smmuv3-accel*.c
 * and the x-query-arm-smmuv3 command. Stage 1 runs on the host SMMUv3
 * through iommufd: the guest's STEs become nested HWPTs on a vIOMMU, its
 * invalidations are forwarded, and host events come back through a
 * vEVENTQ. Behaviour: docs/arm-smmuv3.md, "Accelerated mode".
 */
#ifndef HW_ARM_SMMUV3_ACCEL_H
#define HW_ARM_SMMUV3_ACCEL_H

#include "backends/host-iommu-device.h"
#include "backends/iommufd.h"
#include "smmuv3-internal.h"

/* The ID register fields 'auto' resolves, in x-query-arm-smmuv3 order. */
typedef enum SMMUv3Feature {
    SMMUV3_FEAT_ATS,
    SMMUV3_FEAT_RIL,
    SMMUV3_FEAT_SSIDSIZE,
    SMMUV3_FEAT_OAS,
    SMMUV3_FEAT__MAX,
} SMMUv3Feature;

/* What the guest STE of a device currently selects on the host. */
typedef enum SMMUv3AccelAttach {
    SMMUV3_ATTACH_STAGE2, /* VFIO's default stage 2 (not yet set up) */
    SMMUV3_ATTACH_ABORT,
    SMMUV3_ATTACH_BYPASS,
    SMMUV3_ATTACH_NESTED, /* the device's stage-1 nested HWPT */
} SMMUv3AccelAttach;

typedef struct SMMUv3AccelState SMMUv3AccelState;

/* A vfio-pci device (with its host IOMMU device) behind the SMMU. */
typedef struct SMMUv3AccelDevice {
    SMMUv3AccelState *accel;
    PCIBus *bus;
    int devfn;
    HostIOMMUDevice *hiod; /* borrowed: vfio-pci owns it */
    SMMUv3AccelAttach attach;
    bool has_s1_hwpt;
    uint32_t s1_hwpt_id;
    bool has_vdev;
    uint32_t vdev_id;
    uint32_t vsid; /* the vDEVICE's virt_id */
    QTAILQ_ENTRY(SMMUv3AccelDevice) next;
} SMMUv3AccelDevice;

struct SMMUv3AccelState {
    SMMUv3State *smmu;

    /* The properties as configured, before 'auto' was resolved. */
    OnOffAuto req_ats;
    OnOffAuto req_ril;
    SsidSizeMode req_ssidsize;
    OasMode req_oas;

    /* The host IDRs of the first device that passed its check. */
    bool host_known;
    uint32_t host_idr[6];
    char *host_device; /* the device 'auto' was resolved from */

    /* Host objects, while at least one device is attached. */
    IOMMUFDBackend *iommufd;
    bool has_viommu;
    uint32_t viommu_id;
    uint32_t abort_hwpt_id;
    uint32_t bypass_hwpt_id;
    bool has_veventq;
    uint32_t veventq_id;
    int veventq_fd;
    unsigned veventq_watch;

    /* Forwardable commands since the last CMD_SYNC, and their names. */
    GArray *batch;          /* struct iommu_viommu_arm_smmuv3_invalidate */
    GPtrArray *batch_names; /* const char * (static strings) */

    QTAILQ_HEAD(, SMMUv3AccelDevice) devices;
};

static inline SMMUv3AccelState *smmuv3_accel(SMMUv3State *s)
{
    return s->accel_state;
}

/* StreamID of a device as the guest programmed its bus number now. */
static inline uint32_t smmuv3_accel_sid(const SMMUv3AccelDevice *d)
{
    return PCI_BUILD_BDF(pci_bus_num(d->bus), d->devfn);
}

/* "arm-smmuv3 ID" (or the QOM path without an id) for messages. */
char *smmuv3_accel_name(SMMUv3State *s);

/* smmuv3-accel.c: lifecycle */
/* Replace-attaches a device to a HWPT. */
bool smmuv3_accel_attach(SMMUv3AccelDevice *d, uint32_t hwpt_id,
                         SMMUv3AccelAttach kind, Error **errp);
/* To the shared abort or bypass HWPT (dropping a stage-1 HWPT). */
bool smmuv3_accel_attach_shared(SMMUv3AccelDevice *d, bool abort, Error **errp);
/* To the one GBPA.ABORT selects. */
bool smmuv3_accel_attach_gbpa(SMMUv3AccelDevice *d, Error **errp);
void smmuv3_accel_free_s1_hwpt(SMMUv3AccelDevice *d);

/* smmuv3-accel-check.c: host compatibility and 'auto' resolution */
bool smmuv3_accel_any_auto(SMMUv3State *s);
/* "ats, ril" etc.: the properties still 'auto'. */
char *smmuv3_accel_auto_list(SMMUv3State *s);
/* Host check of a device; the first cold-plugged one resolves 'auto'. */
bool smmuv3_accel_host_check(SMMUv3AccelState *a, HostIOMMUDevice *hiod,
                             Error **errp);

/* smmuv3-accel-ste.c: guest STE -> host HWPT */
bool smmuv3_accel_install_ste(SMMUv3AccelDevice *d, Error **errp);
/* Every device per its STE (SMMU enabled) or GBPA (disabled). */
void smmuv3_accel_install_all(SMMUv3AccelState *a);

/* smmuv3-accel-inv.c: invalidation forwarding */
bool smmuv3_accel_cmd(SMMUv3State *s, const SMMUv3Cmd *cmd, Error **errp);
bool smmuv3_accel_sync(SMMUv3State *s, Error **errp);
void smmuv3_accel_batch_drop(SMMUv3AccelState *a);

/* smmuv3-accel-evtq.c: the host vEVENTQ */
bool smmuv3_accel_veventq_alloc(SMMUv3AccelState *a, Error **errp);
void smmuv3_accel_veventq_free(SMMUv3AccelState *a);

/* smmuv3-accel-query.c: for x-query-arm-smmuv3 */
typedef enum SMMUv3FeatureSource {
    SMMUV3_SRC_CONFIGURED,       /* compat, -global or explicit value */
    SMMUV3_SRC_HOST,             /* 'auto' taken from a host SMMU */
    SMMUV3_SRC_EMULATED_DEFAULT, /* 'auto' without accel */
    SMMUV3_SRC_UNRESOLVED,       /* 'auto' with accel, no device yet */
} SMMUv3FeatureSource;

typedef struct SMMUv3FeatureInfo {
    const char *name;
    const char *requested; /* "auto", "on", "off", "20", "44" ... */
    char *value;           /* what the ID registers show */
    SMMUv3FeatureSource source;
    const char *host_device; /* source host: the device resolved from */
    bool has_host_value;
    uint32_t host_value; /* the host's raw ID register field */
} SMMUv3FeatureInfo;

extern const char *const SMMUv3FeatureSource_lookup[];
void smmuv3_feature_info(SMMUv3State *s, SMMUv3Feature f,
                         SMMUv3FeatureInfo *info);

#endif
