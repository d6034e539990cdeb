/*
 * The hot-plug handler interface: whoever owns a bus (or the machine)
 * decides how devices are plugged into it and removed from it.
 */
#include "qemu/osdep.h"
#include "hw/core/qdev.h"

bool hotplug_handler_pre_plug(HotplugHandler *h, DeviceState *dev, Error **errp)
{
    HotplugHandlerClass *hc = HOTPLUG_HANDLER_GET_CLASS(h);

    return hc->pre_plug ? hc->pre_plug(h, dev, errp) : true;
}

bool hotplug_handler_plug(HotplugHandler *h, DeviceState *dev, Error **errp)
{
    HotplugHandlerClass *hc = HOTPLUG_HANDLER_GET_CLASS(h);

    return hc->plug ? hc->plug(h, dev, errp) : true;
}

bool hotplug_handler_unplug_request(HotplugHandler *h, DeviceState *dev,
                                    Error **errp)
{
    HotplugHandlerClass *hc = HOTPLUG_HANDLER_GET_CLASS(h);

    return hc->unplug_request ? hc->unplug_request(h, dev, errp) : true;
}

void hotplug_handler_unplug(HotplugHandler *h, DeviceState *dev)
{
    HotplugHandlerClass *hc = HOTPLUG_HANDLER_GET_CLASS(h);

    if (hc->unplug) {
        hc->unplug(h, dev);
    }
}

static const TypeInfo hotplug_handler_info = {
    .name = TYPE_HOTPLUG_HANDLER,
    .parent = TYPE_INTERFACE,
    .class_size = sizeof(HotplugHandlerClass),
};

static void hotplug_register_types(void)
{
    type_register_static(&hotplug_handler_info);
}

type_init(hotplug_register_types)
