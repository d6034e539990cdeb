/*
 * iommu-testdev: a conventional PCI test device (1b36:0005, class
 * "other") whose BAR0 (4 KiB, 32-bit little-endian registers) runs one
 * DMA through the device's address space, i.e. through the vIOMMU above
 * it, and checks where it landed in system memory.
 *
 * Program GVA (input address), GPA (expected physical address), LEN and
 * ATTRS, write DBELL = 1 (RESULT becomes BUSY), then read DMA_TRIGGERING:
 * the device writes LEN bytes of the little-endian pattern 0x12345678 at
 * GVA, reads LEN bytes back from system memory at GPA, compares, stores
 * the outcome in RESULT and disarms.
 */
#ifndef HW_MISC_IOMMU_TESTDEV_H
#define HW_MISC_IOMMU_TESTDEV_H

#include "qemu/registerfields.h"

#define TYPE_IOMMU_TESTDEV "iommu-testdev"
#define IOMMU_TESTDEV_VENDOR_ID 0x1b36
#define IOMMU_TESTDEV_DEVICE_ID 0x0005
#define IOMMU_TESTDEV_BAR0_SIZE 0x1000
#define IOMMU_TESTDEV_PATTERN 0x12345678U

REG32(ITD_DMA_TRIGGERING, 0x00) /* read: run the DMA, returns 0 */
REG32(ITD_GVA_LO, 0x04)
REG32(ITD_GVA_HI, 0x08)
REG32(ITD_LEN, 0x0c)
REG32(ITD_RESULT, 0x10)
REG32(ITD_DBELL, 0x14)
    FIELD(ITD_DBELL, ARM, 0, 1)
REG32(ITD_ATTRS, 0x18)
    FIELD(ITD_ATTRS, SECURE, 0, 1)
    FIELD(ITD_ATTRS, SPACE, 1, 2) /* 0 secure, 1 non-secure, 2 root, 3 realm */
    FIELD(ITD_ATTRS, SPACE_VALID, 3, 1)
REG32(ITD_GPA_LO, 0x1c)
REG32(ITD_GPA_HI, 0x20)

#define ITD_ATTRS_RESET 0x2 /* non-secure space, not valid */
#define ITD_SPACE_SECURE 0

/* RESULT values */
#define ITD_RESULT_OK 0x00000000U
#define ITD_RESULT_LEN_ZERO 0xdead0001U
#define ITD_RESULT_DMA_FAILED 0xdead0002U
#define ITD_RESULT_READBACK_FAILED 0xdead0003U
#define ITD_RESULT_MISMATCH 0xdead0004U
#define ITD_RESULT_NOT_ARMED 0xdead0005U
#define ITD_RESULT_BAD_ATTRS 0xdead0006U
#define ITD_RESULT_BUSY 0xfffffffeU
#define ITD_RESULT_IDLE 0xffffffffU

#endif
