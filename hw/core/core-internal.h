/*
 * Helpers shared by the hw/core files (not for device models).
 */
#ifndef HW_CORE_CORE_INTERNAL_H
#define HW_CORE_CORE_INTERNAL_H

#include "hw/core/qdev.h"
#include "hw/boards.h"

/* Bus membership: the bus and the device each hold a reference. */
bool qdev_set_parent_bus(DeviceState *dev, BusState *bus, Error **errp);
void qdev_unset_parent_bus(DeviceState *dev);

/* Realize-state transitions behind the "realized" property. */
bool qdev_do_realize(DeviceState *dev, Error **errp);
void qdev_do_unrealize(DeviceState *dev);

/* Resets dev's subtree (children first), realized or not. */
void qdev_reset_subtree(DeviceState *dev);

/* Puts the main system bus at /machine/unattached/sysbus (once). */
void sysbus_attach_to_machine(void);

/* Frees every GPIO list of a device being finalized. */
void qdev_free_gpios(DeviceState *dev);

/* Undoes the -numa RAM container (backends become free again). */
void machine_release_numa_ram(MachineState *ms);

#endif
