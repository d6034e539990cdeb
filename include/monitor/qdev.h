/*
 * Creating and removing devices from user input: -device (both syntaxes),
 * device_add and device_del, and the "-device help" family of output.
 */
#ifndef MONITOR_QDEV_H
#define MONITOR_QDEV_H

#include "hw/core/qdev.h"

/*
 * Creates, configures and realizes a device from its options:
 * "driver" (required), "id", "bus", then properties. from_json selects
 * strict typing (JSON -device, device_add); otherwise values are strings
 * parsed per property type. Cold-plug before machine creation is done,
 * hot-plug afterwards. The device lands at /machine/peripheral/<id> or
 * /machine/peripheral-anon/device[N]. The returned device is owned by
 * that container (the caller holds no reference); NULL on failure, with
 * nothing left behind.
 */
DeviceState *qdev_device_add_from_json(JsonObject *opts, bool from_json,
                                       Error **errp);
/* device_del by id or QOM path. */
bool qmp_device_del(const char *id, Error **errp);

/* "-device help": grouped list. "-device NAME,help": its properties. */
void qdev_print_device_list(void);
bool qdev_print_device_help(const char *driver, Error **errp);
/* JSON list of {"name","type","description","default-value"} for a type
 * (device-list-properties / qom-list-properties). */
JsonArray *qdev_list_properties_json(const char *typename, bool devices_only,
                                     Error **errp);

/* Resolves "-device ...,bus=NAME" / default bus for a bus type. */
BusState *qdev_find_bus_for(const char *bus_path, const char *bus_type,
                            Error **errp);

#endif
