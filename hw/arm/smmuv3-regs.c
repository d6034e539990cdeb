/*
 * SMMUv3 register file (MMIO): two 64 KiB pages. Registers are 32-bit;
 * the 64-bit ones also take 64-bit accesses and 32-bit accesses to either
 * half. EVENTQ_PROD/CONS live in page 1 and are aliased in page 0
 * (as QEMU and the Linux PAGE0_REGS_ONLY quirk have them).
 *
 * Registers that must not change while the unit they configure is on
 * (STRTAB_BASE* while SMMUEN, a queue's BASE while it is enabled, and
 * EVENTQ_PROD while EVENTQEN) ignore such writes.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "smmuv3-internal.h"

/* PIDR4-7, PIDR0-3 (Arm, JEP106 0x3b/4), CIDR0-3 (CoreSight). */
static const uint8_t smmuv3_component_ids[] = {
    0x04, 0x00, 0x00, 0x00, 0x84, 0xb4, 0x0b, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

static bool smmuv3_is_reg64(hwaddr off)
{
    switch (off) {
    case A_GERROR_IRQ_CFG0:
    case A_STRTAB_BASE:
    case A_CMDQ_BASE:
    case A_EVENTQ_BASE:
    case A_EVENTQ_IRQ_CFG0:
    case A_PRIQ_BASE:
    case A_PRIQ_IRQ_CFG0:
        return true;
    }
    return false;
}

static uint64_t smmuv3_read64(SMMUv3State *s, hwaddr off)
{
    switch (off) {
    case A_GERROR_IRQ_CFG0:
        return s->gerror_irq_cfg0;
    case A_STRTAB_BASE:
        return s->strtab_base;
    case A_CMDQ_BASE:
        return s->cmdq.base;
    case A_EVENTQ_BASE:
        return s->eventq.base;
    case A_EVENTQ_IRQ_CFG0:
        return s->eventq_irq_cfg0;
    }
    return 0; /* PRIQ */
}

static void smmuv3_ignored_write(const char *reg, const char *why)
{
    qemu_log_mask(LOG_GUEST_ERROR, "smmuv3: write to %s ignored: %s\n", reg,
                  why);
}

static void smmuv3_write64(SMMUv3State *s, hwaddr off, uint64_t val)
{
    switch (off) {
    case A_GERROR_IRQ_CFG0:
        s->gerror_irq_cfg0 = val & IRQ_CFG0_ADDR_MASK;
        break;
    case A_STRTAB_BASE:
        if (FIELD_EX32(s->cr[0], CR0, SMMUEN)) {
            smmuv3_ignored_write("STRTAB_BASE", "SMMUEN is set");
            break;
        }
        s->strtab_base = val & STRTAB_BASE_WRITABLE;
        break;
    case A_CMDQ_BASE:
        if (FIELD_EX32(s->cr[0], CR0, CMDQEN)) {
            smmuv3_ignored_write("CMDQ_BASE", "CMDQEN is set");
            break;
        }
        s->cmdq.base = val & Q_BASE_WRITABLE;
        break;
    case A_EVENTQ_BASE:
        if (FIELD_EX32(s->cr[0], CR0, EVENTQEN)) {
            smmuv3_ignored_write("EVENTQ_BASE", "EVENTQEN is set");
            break;
        }
        s->eventq.base = val & Q_BASE_WRITABLE;
        break;
    case A_EVENTQ_IRQ_CFG0:
        s->eventq_irq_cfg0 = val & IRQ_CFG0_ADDR_MASK;
        break;
    }
}

static uint32_t smmuv3_read32(SMMUv3State *s, hwaddr off)
{
    if (smmuv3_is_reg64(off & ~7ULL)) {
        return extract64(smmuv3_read64(s, off & ~7ULL), (off & 4) * 8, 32);
    }
    if (off >= A_PIDR4 && off <= A_CIDR3) {
        return smmuv3_component_ids[(off - A_PIDR4) / 4];
    }
    switch (off) {
    case A_IDR0 ... A_IDR5:
        return s->idr[(off - A_IDR0) / 4];
    case A_IIDR:
        return s->iidr;
    case A_AIDR:
        return s->aidr;
    case A_CR0:
        return s->cr[0];
    case A_CR0ACK:
        return s->cr0ack;
    case A_CR1:
        return s->cr[1];
    case A_CR2:
        return s->cr[2];
    case A_GBPA:
        return s->gbpa;
    case A_IRQ_CTRL:
    case A_IRQ_CTRLACK:
        return s->irq_ctrl;
    case A_GERROR:
        return s->gerror;
    case A_GERRORN:
        return s->gerrorn;
    case A_GERROR_IRQ_CFG1:
        return s->gerror_irq_cfg1;
    case A_GERROR_IRQ_CFG2:
        return s->gerror_irq_cfg2;
    case A_STRTAB_BASE_CFG:
        return s->strtab_base_cfg;
    case A_CMDQ_PROD:
        return s->cmdq.prod;
    case A_CMDQ_CONS:
        return s->cmdq.cons;
    case A_EVENTQ_PROD:
        return s->eventq.prod;
    case A_EVENTQ_CONS:
        return s->eventq.cons;
    case A_EVENTQ_IRQ_CFG1:
        return s->eventq_irq_cfg1;
    case A_EVENTQ_IRQ_CFG2:
        return s->eventq_irq_cfg2;
    case A_STATUSR:
    case A_AGBPA:
    case A_PRIQ_PROD:
    case A_PRIQ_CONS:
        return 0;
    }
    qemu_log_mask(LOG_GUEST_ERROR,
                  "smmuv3: read of unimplemented register 0x%" HWADDR_PRIx "\n",
                  off);
    return 0;
}

static void smmuv3_write_cr0(SMMUv3State *s, uint32_t val)
{
    uint32_t old = s->cr[0];

    s->cr[0] = val & CR0_WRITABLE;
    s->cr0ack = s->cr[0];
    smmuv3_irq_update(s);
    smmuv3_cmdq_consume(s);
    if (s->accel_ops && s->accel_ops->cr0_write) {
        s->accel_ops->cr0_write(s, old);
    }
}

/* GBPA changes only when the write sets UPDATE; UPDATE then reads 0
 * because the update completes at once. */
static void smmuv3_write_gbpa(SMMUv3State *s, uint32_t val)
{
    if (!FIELD_EX32(val, GBPA, UPDATE)) {
        smmuv3_ignored_write("GBPA", "UPDATE is clear");
        return;
    }
    s->gbpa = val & GBPA_WRITABLE;
    if (s->accel_ops && s->accel_ops->gbpa_update) {
        s->accel_ops->gbpa_update(s);
    }
}

static void smmuv3_write_eventq_prod(SMMUv3State *s, uint32_t val)
{
    if (FIELD_EX32(s->cr[0], CR0, EVENTQEN)) {
        smmuv3_ignored_write("EVENTQ_PROD", "EVENTQEN is set");
        return;
    }
    s->eventq.prod = val & (Q_POS_MASK | R_EVENTQ_PROD_OVFLG_MASK);
    smmuv3_irq_update(s);
}

static void smmuv3_write32(SMMUv3State *s, hwaddr off, uint32_t val)
{
    if (smmuv3_is_reg64(off & ~7ULL)) {
        uint64_t v = smmuv3_read64(s, off & ~7ULL);

        smmuv3_write64(s, off & ~7ULL, deposit64(v, (off & 4) * 8, 32, val));
        return;
    }
    switch (off) {
    case A_CR0:
        smmuv3_write_cr0(s, val);
        break;
    case A_CR1:
        s->cr[1] = val & CR1_WRITABLE;
        break;
    case A_CR2:
        s->cr[2] = val & CR2_WRITABLE;
        break;
    case A_GBPA:
        smmuv3_write_gbpa(s, val);
        break;
    case A_IRQ_CTRL:
        s->irq_ctrl = val & IRQ_CTRL_WRITABLE;
        smmuv3_irq_update(s);
        break;
    case A_GERRORN:
        smmuv3_gerrorn_write(s, val);
        break;
    case A_GERROR_IRQ_CFG1:
        s->gerror_irq_cfg1 = val;
        break;
    case A_GERROR_IRQ_CFG2:
        s->gerror_irq_cfg2 = val & IRQ_CFG2_MASK;
        break;
    case A_STRTAB_BASE_CFG:
        if (FIELD_EX32(s->cr[0], CR0, SMMUEN)) {
            smmuv3_ignored_write("STRTAB_BASE_CFG", "SMMUEN is set");
            break;
        }
        s->strtab_base_cfg = val & STRTAB_BASE_CFG_WRITABLE;
        break;
    case A_CMDQ_PROD:
        s->cmdq.prod = val & Q_POS_MASK;
        smmuv3_cmdq_consume(s);
        break;
    case A_CMDQ_CONS:
        s->cmdq.cons = (s->cmdq.cons & ~Q_POS_MASK) | (val & Q_POS_MASK);
        smmuv3_cmdq_consume(s);
        break;
    case A_EVENTQ_PROD:
        smmuv3_write_eventq_prod(s, val);
        break;
    case A_EVENTQ_CONS:
        s->eventq.cons = val & (Q_POS_MASK | R_EVENTQ_CONS_OVACKFLG_MASK);
        smmuv3_irq_update(s);
        break;
    case A_EVENTQ_IRQ_CFG1:
        s->eventq_irq_cfg1 = val;
        break;
    case A_EVENTQ_IRQ_CFG2:
        s->eventq_irq_cfg2 = val & IRQ_CFG2_MASK;
        break;
    case A_PRIQ_PROD:
    case A_PRIQ_CONS:
    case A_PRIQ_IRQ_CFG2:
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR,
                      "smmuv3: write to read-only or unimplemented register "
                      "0x%" HWADDR_PRIx "\n",
                      off);
    }
}

/* Page 1 holds only the queue pointers; its other offsets are RAZ/WI. */
static bool smmuv3_page1_offset(hwaddr *off)
{
    if (*off < SMMU_PAGE1) {
        return true;
    }
    *off -= SMMU_PAGE1;
    switch (*off) {
    case A_EVENTQ_PROD:
    case A_EVENTQ_CONS:
    case A_PRIQ_PROD:
    case A_PRIQ_CONS:
        return true;
    }
    return false;
}

static bool smmuv3_access_ok(hwaddr off, unsigned size, bool is_write)
{
    if (size == 8 && !smmuv3_is_reg64(off)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "smmuv3: 64-bit %s of 32-bit register 0x%" HWADDR_PRIx
                      "\n",
                      is_write ? "write" : "read", off);
        return false;
    }
    return true;
}

static uint64_t smmuv3_mmio_read(void *opaque, hwaddr off, unsigned size)
{
    SMMUv3State *s = opaque;

    if (!smmuv3_page1_offset(&off) || !smmuv3_access_ok(off, size, false)) {
        return 0;
    }
    return size == 8 ? smmuv3_read64(s, off) : smmuv3_read32(s, off);
}

static void smmuv3_mmio_write(void *opaque, hwaddr off, uint64_t val,
                              unsigned size)
{
    SMMUv3State *s = opaque;

    if (!smmuv3_page1_offset(&off) || !smmuv3_access_ok(off, size, true)) {
        return;
    }
    if (size == 8) {
        smmuv3_write64(s, off, val);
    } else {
        smmuv3_write32(s, off, val);
    }
}

const MemoryRegionOps smmuv3_mmio_ops = {
    .read = smmuv3_mmio_read,
    .write = smmuv3_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 4, .max_access_size = 8},
    .impl = {.min_access_size = 4, .max_access_size = 8},
};
