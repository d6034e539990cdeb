/*
 * Arm SMMUv3 ("arm-smmuv3"): the emulated SMMUv3 of the virt machine, as
 * the machine-wide instance (-machine virt,iommu=smmuv3) or user-created
 * ones (-device arm-smmuv3,primary-bus=ID), one per PCIe root complex.
 * Register model and behaviour: docs/arm-smmuv3.md.
 */
#ifndef HW_ARM_SMMUV3_H
#define HW_ARM_SMMUV3_H

#include "hw/arm/smmu-common.h"
#include "hw/core/qdev-properties.h"

#define TYPE_ARM_SMMUV3 "arm-smmuv3"

/* Two 64 KiB register pages. */
#define SMMUV3_MMIO_SIZE 0x20000

/* Wired interrupt outputs, in this order (sysbus IRQs 0..3). */
typedef enum SMMUv3IRQ {
    SMMUV3_IRQ_EVTQ,
    SMMUV3_IRQ_PRIQ,
    SMMUV3_IRQ_CMD_SYNC,
    SMMUV3_IRQ_GERROR,
    SMMUV3_NUM_IRQ,
} SMMUv3IRQ;

/* A circular queue: its *_BASE register and the PROD/CONS registers. */
typedef struct SMMUQueue {
    uint64_t base;
    uint32_t prod;
    uint32_t cons;
} SMMUQueue;

typedef struct SMMUv3AccelOps SMMUv3AccelOps;

typedef struct SMMUv3State {
    SMMUState smmu_state;

    uint32_t idr[6];
    uint32_t iidr;
    uint32_t aidr;
    uint32_t cr[3];
    uint32_t cr0ack;
    uint32_t gbpa;
    uint32_t irq_ctrl;
    uint32_t gerror;
    uint32_t gerrorn;
    uint64_t gerror_irq_cfg0;
    uint32_t gerror_irq_cfg1;
    uint32_t gerror_irq_cfg2;
    uint64_t strtab_base;
    uint32_t strtab_base_cfg;
    uint64_t eventq_irq_cfg0;
    uint32_t eventq_irq_cfg1;
    uint32_t eventq_irq_cfg2;
    SMMUQueue cmdq;
    SMMUQueue eventq;
    qemu_irq irq[SMMUV3_NUM_IRQ];
    GHashTable *configs; /* StreamID -> decoded STE/CD (SMMUv3Config) */

    /* properties */
    char *stage;
    uint8_t identifier;
    bool accel;
    uint64_t msi_gpa;
    OnOffAuto ril;
    OnOffAuto ats;
    OasMode oas;
    SsidSizeMode ssidsize;
    OnOffAuto cmdqv;

    /* accelerated mode (accel=on): hooks and their private state */
    const SMMUv3AccelOps *accel_ops;
    void *accel_state;
} SMMUv3State;

#define ARM_SMMUV3(obj) OBJECT_CHECK(SMMUv3State, (obj), TYPE_ARM_SMMUV3)

#endif
