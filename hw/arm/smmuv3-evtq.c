/*
 * SMMUv3 event queue: 32-byte records written at EVENTQ_PROD.
 *
 * Records are dropped while EVENTQEN is clear. A full queue drops the
 * record and signals overflow by making EVENTQ_PROD.OVFLG differ from
 * EVENTQ_CONS.OVACKFLG (further overflows add nothing until software
 * copies OVFLG back). A record that cannot be written raises
 * GERROR.EVTQ_ABT_ERR.
 */
#include "qemu/osdep.h"
#include "smmuv3-internal.h"

static void smmuv3_evtq_overflow(SMMUQueue *q)
{
    if (FIELD_EX32(q->prod, EVENTQ_PROD, OVFLG) ==
        FIELD_EX32(q->cons, EVENTQ_CONS, OVACKFLG)) {
        q->prod ^= R_EVENTQ_PROD_OVFLG_MASK;
    }
}

void smmuv3_evtq_inject(SMMUv3State *s, const uint64_t rec[EVT_DWORDS])
{
    SMMUQueue *q = &s->eventq;
    unsigned log2size = smmu_q_log2size(q, SMMU_EVENTQS);

    if (!FIELD_EX32(s->cr[0], CR0, EVENTQEN)) {
        return;
    }
    if (smmu_q_full(q->prod, q->cons, log2size)) {
        smmuv3_evtq_overflow(q);
        return;
    }
    if (!smmuv3_dma_write(smmu_q_entry_addr(q, q->prod, log2size, EVT_SIZE),
                          rec, EVT_DWORDS)) {
        smmuv3_gerror_raise(s, R_GERROR_EVTQ_ABT_ERR_MASK);
        return;
    }
    q->prod = smmu_q_inc(q->prod, log2size);
    smmuv3_irq_update(s);
}

static void smmuv3_encode_event(const SMMUv3Event *e, uint64_t rec[EVT_DWORDS])
{
    rec[0] = FIELD_DP64(0, EVT0, ID, e->id);
    rec[0] = FIELD_DP64(rec[0], EVT0, SSV, e->ssv);
    rec[0] = FIELD_DP64(rec[0], EVT0, SSID, e->ssid);
    rec[0] = FIELD_DP64(rec[0], EVT0, SID, e->sid);
    rec[1] = FIELD_DP64(0, EVT1, RNW, e->rnw);
    rec[1] = FIELD_DP64(rec[1], EVT1, S2, e->s2);
    rec[1] = FIELD_DP64(rec[1], EVT1, CLASS, e->class);
    rec[2] = FIELD_DP64(0, EVT2, ADDR, e->addr);
    rec[3] = FIELD_DP64(0, EVT3, ADDR2, e->addr2 >> R_EVT3_ADDR2_SHIFT);
}

void smmuv3_record_event(SMMUv3State *s, const SMMUv3Event *evt)
{
    uint64_t rec[EVT_DWORDS];

    smmuv3_encode_event(evt, rec);
    smmuv3_evtq_inject(s, rec);
}
