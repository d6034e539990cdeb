/*
 * Shared by the files of the VFIO device core (hw/vfio).
 */
#ifndef HW_VFIO_VFIO_INTERNAL_H
#define HW_VFIO_VFIO_INTERNAL_H

#include "hw/vfio/vfio-device.h"

/* Issues a VFIO ioctl on the device; a failure names it and the errno. */
bool vfio_device_ioctl(VFIODevice *vdev, unsigned long request, void *arg,
                       Error **errp);

/*
 * An info ioctl whose argsz grows with its capability chain: the first
 * insz bytes of in are the request (argsz is set here); the call is
 * repeated with the size the kernel asks for. Returns a g_malloc'ed
 * buffer whose argsz is the buffer's size, or NULL with errp set.
 */
void *vfio_device_get_info_buf(VFIODevice *vdev, unsigned long request,
                               const void *in, size_t insz, Error **errp);

/* VFIO_DEVICE_GET_INFO into vdev->info; sets up the region cache. */
bool vfio_device_read_info(VFIODevice *vdev, Error **errp);
/* Drops vdev->info and the region cache. */
void vfio_device_free_regions(VFIODevice *vdev);

#endif
