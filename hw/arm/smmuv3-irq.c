/*
 * SMMUv3 global errors and wired interrupts.
 *
 * GERROR bits toggle when an error becomes active; software acknowledges
 * by writing GERRORN with the same value, so an error is active while the
 * two registers differ in its bit.
 *
 * The EVTQ and GERROR lines are levels: EVTQ is high while interrupts are
 * enabled and the event queue holds unread records, GERROR while enabled
 * and an error is active. So a test (or a level-triggered GIC input) sees
 * them until the guest has consumed or acknowledged. CMD_SYNC completion
 * is a pulse. PRI is not implemented: its line stays low. MSIs are not
 * implemented either (IDR0.MSI = 0).
 */
#include "qemu/osdep.h"
#include "smmuv3-internal.h"

void smmuv3_irq_update(SMMUv3State *s)
{
    unsigned log2size = smmu_q_log2size(&s->eventq, SMMU_EVENTQS);
    bool evtq = FIELD_EX32(s->irq_ctrl, IRQ_CTRL, EVENTQ_IRQEN) &&
                !smmu_q_empty(s->eventq.prod, s->eventq.cons, log2size);
    bool gerror = FIELD_EX32(s->irq_ctrl, IRQ_CTRL, GERROR_IRQEN) &&
                  smmuv3_gerror_active(s, GERROR_MASK);

    qemu_set_irq(s->irq[SMMUV3_IRQ_EVTQ], evtq);
    qemu_set_irq(s->irq[SMMUV3_IRQ_GERROR], gerror);
}

void smmuv3_irq_pulse_cmd_sync(SMMUv3State *s)
{
    qemu_irq_pulse(s->irq[SMMUV3_IRQ_CMD_SYNC]);
}

bool smmuv3_gerror_active(SMMUv3State *s, uint32_t mask)
{
    return (s->gerror ^ s->gerrorn) & mask;
}

void smmuv3_gerror_raise(SMMUv3State *s, uint32_t mask)
{
    /* An already active error stays active: no second toggle. */
    s->gerror ^= mask & ~(s->gerror ^ s->gerrorn);
    smmuv3_irq_update(s);
}

void smmuv3_gerrorn_write(SMMUv3State *s, uint32_t val)
{
    bool cmdq_was_stopped = smmuv3_gerror_active(s, R_GERROR_CMDQ_ERR_MASK);

    s->gerrorn = val & GERROR_MASK;
    smmuv3_irq_update(s);
    /* Acknowledging a command error restarts the queue at CMDQ_CONS. */
    if (cmdq_was_stopped && !smmuv3_gerror_active(s, R_GERROR_CMDQ_ERR_MASK)) {
        smmuv3_cmdq_consume(s);
    }
}
