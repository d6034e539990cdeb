/*
 * Host capture: snapshots host PCI devices, as the active HostOps table
 * (the kernel, or a model) sees them, into a host description that the
 * model loads back (docs/host-model.md).
 */
#ifndef TOOLS_HOST_CAPTURE_H
#define TOOLS_HOST_CAPTURE_H

#include "qemu/osdep.h"
#include "qemu/error.h"

/* JSON text of a host description named name, or NULL + error. */
char *host_capture(const char *const *pci_addrs, const char *name,
                   Error **errp);

#endif
