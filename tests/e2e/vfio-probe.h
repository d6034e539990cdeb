/*
 * e2e-vfio-probe's parts (tests/e2e/vfio-probe.c).
 */
#ifndef TESTS_E2E_VFIO_PROBE_H
#define TESTS_E2E_VFIO_PROBE_H

#include "hw/vfio/vfio-device.h"

/* The raw request sweep of --ioctls on an attached device. */
void vfio_probe_ioctls(VFIODevice *vdev, int iommufd);

#endif
