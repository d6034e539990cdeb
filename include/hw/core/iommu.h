/*
 * What a vIOMMU tells the devices behind it (PCIIOMMUOps.get_viommu_flags).
 */
#ifndef HW_CORE_IOMMU_H
#define HW_CORE_IOMMU_H

#include "qemu/bitops.h"

/* VFIO must allocate its stage-2 HWPT with IOMMU_HWPT_ALLOC_NEST_PARENT. */
#define VIOMMU_FLAG_WANT_NESTING_PARENT BIT_ULL(0)
/* The vIOMMU handles PASIDs: vfio-pci may synthesize a PASID capability. */
#define VIOMMU_FLAG_PASID_SUPPORTED BIT_ULL(1)
/* Dirty tracking wanted on the nesting parent. */
#define VIOMMU_FLAG_WANT_NESTING_DIRTY_TRACKING BIT_ULL(2)

#endif
