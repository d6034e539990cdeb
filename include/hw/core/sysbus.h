/*
 * System-bus devices: memory-mapped devices with IRQ output lines, placed
 * by the board (e.g. the SMMUv3 at 0x09050000 on virt).
 */
#ifndef HW_SYSBUS_H
#define HW_SYSBUS_H

#include "hw/core/qdev.h"
#include "system/memory.h"

#define TYPE_SYSTEM_BUS "System"
#define TYPE_SYS_BUS_DEVICE "sys-bus-device"
#define QDEV_MAX_MMIO 32
#define QDEV_MAX_IRQ 32
#define SYSBUS_DEVICE_GPIO_IRQ "sysbus-irq"

typedef struct SysBusDevice SysBusDevice;
typedef struct SysBusDeviceClass {
    DeviceClass parent_class;
} SysBusDeviceClass;

struct SysBusDevice {
    DeviceState parent_obj;
    int num_mmio;
    struct {
        hwaddr addr; /* (hwaddr)-1 while unmapped */
        MemoryRegion *memory;
    } mmio[QDEV_MAX_MMIO];
    int num_irq;
    qemu_irq irqs[QDEV_MAX_IRQ];
};

#define SYS_BUS_DEVICE(obj)                                                    \
    OBJECT_CHECK(SysBusDevice, (obj), TYPE_SYS_BUS_DEVICE)

void sysbus_init_mmio(SysBusDevice *dev, MemoryRegion *memory);
/* IRQ outputs are the named GPIO list "sysbus-irq". */
void sysbus_init_irq(SysBusDevice *dev, qemu_irq *p);
void sysbus_mmio_map(SysBusDevice *dev, int n, hwaddr addr);
void sysbus_mmio_unmap(SysBusDevice *dev, int n);
MemoryRegion *sysbus_mmio_get_region(SysBusDevice *dev, int n);
hwaddr sysbus_mmio_get_addr(SysBusDevice *dev, int n);
void sysbus_connect_irq(SysBusDevice *dev, int n, qemu_irq irq);
bool sysbus_realize(SysBusDevice *dev, Error **errp);
bool sysbus_realize_and_unref(SysBusDevice *dev, Error **errp);

#endif
