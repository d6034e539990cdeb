/*
 * Devices and buses: realize/unrealize, bus membership, GPIO lines,
 * hot-plug handlers, reset.
 *
 * A device is created with qdev_new(), gets its properties set (static
 * properties apply machine compat props, then -global, at instance
 * post-init; explicit values are set afterwards by the caller, so the
 * precedence is default < compat < -global < explicit), then
 * qdev_realize(dev, bus) plugs it into the bus and runs the class realize.
 */
#ifndef HW_QDEV_H
#define HW_QDEV_H

#include "qom/object.h"
#include "hw/irq.h"

typedef struct DeviceState DeviceState;
typedef struct DeviceClass DeviceClass;
typedef struct BusState BusState;
typedef struct BusClass BusClass;
typedef struct Property Property;
typedef struct HotplugHandler HotplugHandler;

#define TYPE_DEVICE "device"
#define TYPE_BUS "bus"
#define TYPE_HOTPLUG_HANDLER "hotplug-handler"

/* Categories group "-device help" output, as QEMU's do. */
typedef enum DeviceCategory {
    DEVICE_CATEGORY_BRIDGE,
    DEVICE_CATEGORY_USB,
    DEVICE_CATEGORY_STORAGE,
    DEVICE_CATEGORY_NETWORK,
    DEVICE_CATEGORY_INPUT,
    DEVICE_CATEGORY_DISPLAY,
    DEVICE_CATEGORY_SOUND,
    DEVICE_CATEGORY_MISC,
    DEVICE_CATEGORY_CPU,
    DEVICE_CATEGORY_WATCHDOG,
    DEVICE_CATEGORY_MAX
} DeviceCategory;

typedef bool (*DeviceRealize)(DeviceState *dev, Error **errp);
typedef void (*DeviceUnrealize)(DeviceState *dev);
typedef void (*DeviceReset)(DeviceState *dev);

struct DeviceClass {
    ObjectClass parent_class;
    uint32_t categories; /* bit mask of 1 << DeviceCategory */
    const char *desc;
    const Property *props; /* static properties, terminated by {NULL} */
    bool user_creatable; /* may be used with -device / device_add */
    bool hotpluggable;   /* may be added/removed while the machine runs */
    const char *bus_type; /* NULL: no bus (sysbus devices get the main one) */
    DeviceRealize realize;
    DeviceUnrealize unrealize;
    DeviceReset reset; /* machine reset, children first then parent */
};

/* A named list of GPIO lines; unnamed lines have name NULL. */
typedef struct NamedGPIOList {
    char *name;
    qemu_irq *in;  /* inputs: allocated handlers */
    int num_in;
    qemu_irq **out; /* outputs: pointers to the device's qemu_irq fields */
    int num_out;
    struct GPIOIntercept *intercept; /* qtest interception state */
    QLIST_ENTRY(NamedGPIOList) node;
} NamedGPIOList;

struct DeviceState {
    Object parent_obj;
    char *id;           /* -device id=, NULL when anonymous */
    bool realized;
    bool hotplugged;    /* added after machine creation was done */
    bool pending_deletion_event;
    BusState *parent_bus;
    QLIST_HEAD(, NamedGPIOList) gpios;
    QLIST_HEAD(, BusState) child_bus;
    int num_child_bus;
    int instance_id_alias;
    char *canonical_path; /* saved at realize, for DEVICE_DELETED */
    Error *global_error;  /* a compat/-global value failed: realize fails */
};

typedef struct BusChild {
    DeviceState *child;
    int index;
    QTAILQ_ENTRY(BusChild) sibling;
} BusChild;

struct BusClass {
    ObjectClass parent_class;
    /* Path component for this device on the bus (e.g. "01.0"). */
    char *(*get_dev_path)(DeviceState *dev);
    /* Checks the device may be plugged here (e.g. PCI addr free). */
    bool (*check_address)(BusState *bus, DeviceState *dev, Error **errp);
    void (*realize)(BusState *bus, Error **errp);
    void (*unrealize)(BusState *bus);
    void (*reset)(BusState *bus);
    int max_dev; /* 0: unlimited */
    int automatic_ids; /* next N of "<type>.N" names of unnamed buses */
};

struct BusState {
    Object obj;
    DeviceState *parent; /* the device providing this bus (may be NULL) */
    char *name;
    HotplugHandler *hotplug_handler;
    int max_index;
    bool realized;
    int num_children;
    QTAILQ_HEAD(, BusChild) children;
    QLIST_ENTRY(BusState) sibling;
};

#define DEVICE(obj) OBJECT_CHECK(DeviceState, (obj), TYPE_DEVICE)
#define DEVICE_CLASS(klass) OBJECT_CLASS_CHECK(DeviceClass, (klass), TYPE_DEVICE)
#define DEVICE_GET_CLASS(obj) OBJECT_GET_CLASS(DeviceClass, (obj), TYPE_DEVICE)
#define BUS(obj) OBJECT_CHECK(BusState, (obj), TYPE_BUS)
#define BUS_CLASS(klass) OBJECT_CLASS_CHECK(BusClass, (klass), TYPE_BUS)
#define BUS_GET_CLASS(obj) OBJECT_GET_CLASS(BusClass, (obj), TYPE_BUS)

/* Hot-plug handler interface (implemented by buses' owners / machines). */
typedef struct HotplugHandlerClass {
    InterfaceClass parent;
    bool (*pre_plug)(HotplugHandler *h, DeviceState *dev, Error **errp);
    bool (*plug)(HotplugHandler *h, DeviceState *dev, Error **errp);
    /* Starts an unplug; async handlers finish it later. */
    bool (*unplug_request)(HotplugHandler *h, DeviceState *dev, Error **errp);
    /* Final removal (after which the device is unrealized). */
    void (*unplug)(HotplugHandler *h, DeviceState *dev);
} HotplugHandlerClass;
#define HOTPLUG_HANDLER(obj)                                                   \
    ((HotplugHandler *)object_dynamic_cast_assert(                            \
        OBJECT(obj), TYPE_HOTPLUG_HANDLER, __FILE__, __LINE__))
#define HOTPLUG_HANDLER_CLASS(klass)                                           \
    OBJECT_CLASS_CHECK(HotplugHandlerClass, (klass), TYPE_HOTPLUG_HANDLER)
#define HOTPLUG_HANDLER_GET_CLASS(obj)                                         \
    OBJECT_GET_CLASS(HotplugHandlerClass, (obj), TYPE_HOTPLUG_HANDLER)

bool hotplug_handler_pre_plug(HotplugHandler *h, DeviceState *dev,
                              Error **errp);
bool hotplug_handler_plug(HotplugHandler *h, DeviceState *dev, Error **errp);
bool hotplug_handler_unplug_request(HotplugHandler *h, DeviceState *dev,
                                    Error **errp);
void hotplug_handler_unplug(HotplugHandler *h, DeviceState *dev);

/* Device lifecycle */
DeviceState *qdev_new(const char *typename);
DeviceState *qdev_try_new(const char *typename); /* NULL if no such type */
/* Plugs into bus (may be NULL for bus-less devices) and realizes. */
bool qdev_realize(DeviceState *dev, BusState *bus, Error **errp);
bool qdev_realize_and_unref(DeviceState *dev, BusState *bus, Error **errp);
/* Unrealizes (child buses' devices first); the device stays on its bus
 * until it is unparented. */
void qdev_unrealize(DeviceState *dev);
/*
 * Hot-unplug entry (device_del): checks the bus and device are
 * hotpluggable, then asks the hotplug handler's unplug_request; without
 * one the removal completes at once.
 */
bool qdev_unplug(DeviceState *dev, Error **errp);
/*
 * Completes a removal: runs the hotplug handler's unplug hook, then
 * unparents the device, which unrealizes it, takes it off its bus and
 * emits DEVICE_DELETED {"device": id (if any), "path": QOM path}.
 * Asynchronous handlers call this when the guest has let go.
 */
void qdev_remove_and_emit_deleted(DeviceState *dev);
HotplugHandler *qdev_get_hotplug_handler(DeviceState *dev);
HotplugHandler *qdev_get_bus_hotplug_handler(DeviceState *dev);
bool qdev_hotplug_allowed(DeviceState *dev, BusState *bus, Error **errp);
void qdev_set_id(DeviceState *dev, char *id, Error **errp);
const char *qdev_fw_name(DeviceState *dev);
char *qdev_get_dev_path(DeviceState *dev);
/* True once machine creation is done: later -device/device_add hotplug. */
bool qdev_machine_creation_done_p(void);
void qdev_machine_creation_done(void);

/* Machine-init-done notifiers: run after all cold-plugged devices. A
 * notifier failing with errp makes start-up fail with that message. */
typedef bool (*MachineInitDoneFn)(void *opaque, Error **errp);
void qdev_add_machine_init_done(MachineInitDoneFn fn, void *opaque);
void qdev_remove_machine_init_done(MachineInitDoneFn fn, void *opaque);
bool qdev_run_machine_init_done(Error **errp);

/* Buses */
BusState *qbus_new(const char *typename, DeviceState *parent,
                   const char *name);
void qbus_init(void *bus, size_t size, const char *typename,
               DeviceState *parent, const char *name);
bool qbus_realize(BusState *bus, Error **errp);
void qbus_unrealize(BusState *bus);
void qbus_set_hotplug_handler(BusState *bus, Object *handler);
bool qbus_is_hotpluggable(BusState *bus);
/* Finds a bus by name anywhere below the main system bus root. */
BusState *qbus_find_by_name(const char *name);
BusState *qdev_get_child_bus(DeviceState *dev, const char *name);
int qbus_walk_children(BusState *bus,
                       int (*pre_devfn)(DeviceState *dev, void *opaque),
                       void *opaque);
/* The root of the device tree (the system bus). */
BusState *sysbus_get_default(void);

/* GPIO */
void qdev_init_gpio_in(DeviceState *dev, qemu_irq_handler handler, int n);
void qdev_init_gpio_out(DeviceState *dev, qemu_irq *pins, int n);
void qdev_init_gpio_in_named(DeviceState *dev, qemu_irq_handler handler,
                             const char *name, int n);
void qdev_init_gpio_out_named(DeviceState *dev, qemu_irq *pins,
                              const char *name, int n);
qemu_irq qdev_get_gpio_in(DeviceState *dev, int n);
qemu_irq qdev_get_gpio_in_named(DeviceState *dev, const char *name, int n);
void qdev_connect_gpio_out(DeviceState *dev, int n, qemu_irq pin);
void qdev_connect_gpio_out_named(DeviceState *dev, const char *name, int n,
                                 qemu_irq pin);
NamedGPIOList *qdev_get_named_gpio_list(DeviceState *dev, const char *name);
/* Replaces every output line of the list by the given handler targets;
 * returns the number of lines intercepted. Used by qtest. */
int qdev_intercept_gpio_out(DeviceState *dev, const char *name,
                            qemu_irq_handler handler, void *opaque);
int qdev_intercept_gpio_in(DeviceState *dev, const char *name,
                           qemu_irq_handler handler, void *opaque);

/* Reset: runs every realized device's reset, children before parents. */
void qdev_reset_all(void);
void device_cold_reset(DeviceState *dev);

/* Global properties: compat tables and -global. */
typedef struct GlobalProperty {
    const char *driver;
    const char *property;
    const char *value;
    bool used;
    bool optional; /* don't fail if the property doesn't exist */
} GlobalProperty;

/* Machine compat props (set by the machine) then -global (set by vl). */
void object_set_machine_compat_props(GPtrArray *compat_props);
void qdev_prop_register_global(GlobalProperty *prop);
/* Applies the list to obj in order where obj is-a prop->driver. */
bool object_apply_global_props(Object *obj, const GPtrArray *props,
                               Error **errp);
/* Compat props for any object; -global too for devices. */
void object_apply_compat_props(Object *obj);
void qdev_prop_set_globals(DeviceState *dev);
/* -global values never used by any device: reported as warnings. */
void qdev_prop_check_globals(void);

#endif
