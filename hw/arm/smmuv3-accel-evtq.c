/*
 * arm-smmuv3 accelerated mode: the host vEVENTQ. Faults the host SMMU
 * raises for stage 1 (with the virtual StreamID) are read from its fd in
 * the main loop and written to the guest's event queue as they are.
 * Lost events and torn records are only warned about: the guest queue
 * has its own overflow signalling for what it cannot take.
 */
#include "qemu/osdep.h"
#include <endian.h>
#include <glib-unix.h>
#include "backends/host-ops.h"
#include "smmuv3-accel.h"

#define VEVENT_HDR_SIZE sizeof(struct iommufd_vevent_header)
#define VEVENT_SIZE (VEVENT_HDR_SIZE + sizeof(struct iommu_vevent_arm_smmuv3))
/* Records taken per read. */
#define VEVENT_BURST 32

static void accel_vevent_inject(SMMUv3AccelState *a, const uint8_t *rec)
{
    struct iommufd_vevent_header hdr;
    struct iommu_vevent_arm_smmuv3 ev;
    uint64_t dw[EVT_DWORDS];

    memcpy(&hdr, rec, sizeof(hdr));
    memcpy(&ev, rec + VEVENT_HDR_SIZE, sizeof(ev));
    if (hdr.flags & IOMMU_VEVENTQ_FLAG_LOST_EVENTS) {
        g_autofree char *name = smmuv3_accel_name(a->smmu);

        warn_report("%s: the host vEVENTQ lost events before sequence %u", name,
                    hdr.sequence);
    }
    for (int i = 0; i < EVT_DWORDS; i++) {
        dw[i] = le64toh(ev.evt[i]);
    }
    smmuv3_evtq_inject(a->smmu, dw);
}

/* Reads until the fd is drained; EAGAIN/EINTR deliver nothing. */
static gboolean accel_veventq_readable(gint fd, GIOCondition cond,
                                       gpointer opaque)
{
    SMMUv3AccelState *a = opaque;
    uint8_t buf[VEVENT_SIZE * VEVENT_BURST];
    ssize_t n;

    for (;;) {
        size_t off;

        n = host_ops()->read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            if (n < 0 && errno != EAGAIN) {
                g_autofree char *name = smmuv3_accel_name(a->smmu);

                warn_report("%s: reading the host vEVENTQ failed: %s", name,
                            g_strerror(errno));
            }
            break;
        }
        for (off = 0; off + VEVENT_SIZE <= (size_t)n; off += VEVENT_SIZE) {
            accel_vevent_inject(a, buf + off);
        }
        if (off < (size_t)n) {
            g_autofree char *name = smmuv3_accel_name(a->smmu);

            warn_report("%s: short read from the host vEVENTQ: %zu "
                        "trailing bytes dropped",
                        name, (size_t)n - off);
        }
        if ((size_t)n < sizeof(buf)) {
            break;
        }
    }
    return G_SOURCE_CONTINUE;
}

bool smmuv3_accel_veventq_alloc(SMMUv3AccelState *a, Error **errp)
{
    SMMUv3State *s = a->smmu;
    uint32_t depth = 1u << smmu_q_log2size(&s->eventq, SMMU_EVENTQS);
    int fd;

    if (!iommufd_backend_alloc_veventq(a->iommufd, a->viommu_id,
                                       IOMMU_VEVENTQ_TYPE_ARM_SMMUV3, depth,
                                       &a->veventq_id, &fd, errp)) {
        return false;
    }
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
        error_setg_errno(errp, errno,
                         "cannot make the vEVENTQ fd "
                         "non-blocking");
        host_ops()->close(fd);
        iommufd_backend_free_id(a->iommufd, a->veventq_id);
        return false;
    }
    a->veventq_fd = fd;
    a->veventq_watch = g_unix_fd_add(fd, G_IO_IN, accel_veventq_readable, a);
    a->has_veventq = true;
    return true;
}

void smmuv3_accel_veventq_free(SMMUv3AccelState *a)
{
    if (!a->has_veventq) {
        return;
    }
    g_source_remove(a->veventq_watch);
    host_ops()->close(a->veventq_fd);
    a->veventq_fd = -1;
    iommufd_backend_free_id(a->iommufd, a->veventq_id);
    a->has_veventq = false;
}
