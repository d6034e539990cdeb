/*
 * The system bus: root of the device tree, home of memory-mapped devices
 * with their MMIO regions and IRQ outputs.
 */
#include "qemu/osdep.h"
#include "hw/core/sysbus.h"
#include "hw/boards.h"
#include "core-internal.h"

static BusState *main_system_bus;

BusState *sysbus_get_default(void)
{
    if (!main_system_bus) {
        main_system_bus = qbus_new(TYPE_SYSTEM_BUS, NULL, "main-system-bus");
        qbus_realize(main_system_bus, &error_abort);
        if (qdev_get_machine()) {
            sysbus_attach_to_machine();
        }
    }
    return main_system_bus;
}

void sysbus_attach_to_machine(void)
{
    Object *unattached;

    if (!main_system_bus || OBJECT(main_system_bus)->parent) {
        return;
    }
    unattached = container_get(object_get_root(), "/machine/unattached");
    object_property_add_child(unattached, "sysbus", OBJECT(main_system_bus));
}

void sysbus_init_mmio(SysBusDevice *dev, MemoryRegion *memory)
{
    g_assert(dev->num_mmio < QDEV_MAX_MMIO);
    dev->mmio[dev->num_mmio].addr = (hwaddr)-1;
    dev->mmio[dev->num_mmio].memory = memory;
    dev->num_mmio++;
}

void sysbus_init_irq(SysBusDevice *dev, qemu_irq *p)
{
    g_assert(dev->num_irq < QDEV_MAX_IRQ);
    qdev_init_gpio_out_named(DEVICE(dev), p, SYSBUS_DEVICE_GPIO_IRQ, 1);
    dev->num_irq++;
}

void sysbus_connect_irq(SysBusDevice *dev, int n, qemu_irq irq)
{
    qdev_connect_gpio_out_named(DEVICE(dev), SYSBUS_DEVICE_GPIO_IRQ, n, irq);
}

void sysbus_mmio_unmap(SysBusDevice *dev, int n)
{
    g_assert(n >= 0 && n < dev->num_mmio);
    if (dev->mmio[n].addr == (hwaddr)-1) {
        return;
    }
    memory_region_del_subregion(get_system_memory(), dev->mmio[n].memory);
    dev->mmio[n].addr = (hwaddr)-1;
}

void sysbus_mmio_map(SysBusDevice *dev, int n, hwaddr addr)
{
    g_assert(n >= 0 && n < dev->num_mmio);
    if (dev->mmio[n].addr == addr) {
        return;
    }
    sysbus_mmio_unmap(dev, n);
    dev->mmio[n].addr = addr;
    memory_region_add_subregion(get_system_memory(), addr, dev->mmio[n].memory);
}

MemoryRegion *sysbus_mmio_get_region(SysBusDevice *dev, int n)
{
    g_assert(n >= 0 && n < dev->num_mmio);
    return dev->mmio[n].memory;
}

hwaddr sysbus_mmio_get_addr(SysBusDevice *dev, int n)
{
    g_assert(n >= 0 && n < dev->num_mmio);
    return dev->mmio[n].addr;
}

bool sysbus_realize(SysBusDevice *dev, Error **errp)
{
    return qdev_realize(DEVICE(dev), sysbus_get_default(), errp);
}

bool sysbus_realize_and_unref(SysBusDevice *dev, Error **errp)
{
    return qdev_realize_and_unref(DEVICE(dev), sysbus_get_default(), errp);
}

static void sysbus_device_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->bus_type = TYPE_SYSTEM_BUS;
    /* Placed by boards unless a device type opts in to -device. */
    dc->user_creatable = false;
}

static const TypeInfo sysbus_types[] = {
    {
        .name = TYPE_SYSTEM_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(BusState),
    },
    {
        .name = TYPE_SYS_BUS_DEVICE,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(SysBusDevice),
        .class_size = sizeof(SysBusDeviceClass),
        .class_init = sysbus_device_class_init,
        .abstract = true,
    },
};

DEFINE_TYPES(sysbus_types)
