/*
 * Static (field-backed) device properties with typed values, defaults and
 * descriptions. Declared per class as an array:
 *
 *   static const Property smmuv3_props[] = {
 *       DEFINE_PROP_BOOL("accel", SMMUv3State, accel, false,
 *                        "Use the host SMMUv3 through iommufd"),
 *       DEFINE_PROP_ON_OFF_AUTO("ats", SMMUv3State, ats, ON_OFF_AUTO_AUTO,
 *                               "Address Translation Services (IDR0.ATS)"),
 *       DEFINE_PROP_END_OF_LIST(),
 *   };
 *   device_class_set_props(dc, smmuv3_props);
 *
 * Each becomes a class property whose setter refuses writes after realize
 * ("Attempt to set property '<name>' on device '<id>' (type '<type>')
 * after it was realized"), validates the value (range, enum list, type) and
 * names the problem in its error.
 */
#ifndef HW_QDEV_PROPERTIES_H
#define HW_QDEV_PROPERTIES_H

#include "hw/core/qdev.h"

typedef struct PropertyInfo PropertyInfo;

struct Property {
    const char *name;
    const PropertyInfo *info;
    ptrdiff_t offset;
    const char *description;
    uint8_t bitnr;      /* for DEFINE_PROP_BIT */
    bool set_default;
    union {
        int64_t i;
        uint64_t u;
    } defval;
    const char *defval_str; /* string default, e.g. for "str" */
    const char *link_type;  /* for link properties */
    int arrayoffset;
};

struct PropertyInfo {
    const char *type;        /* "bool", "uint8", "OnOffAuto", "str", ... */
    const char *description; /* type description for help, optional */
    const char *const *enum_table; /* enums: NULL-terminated value names */
    /* Default value as JSON for help and qom-list-properties. */
    JsonNode *(*default_node)(const Property *prop);
    ObjectPropertyGet get;
    ObjectPropertySet set;
    ObjectPropertyRelease release;
    /* Creates the class property (defaults to the generic field-backed one). */
    void (*set_default_value)(ObjectProperty *op, const Property *prop);
    /* String form converter for types the generic QOM one doesn't know. */
    JsonNode *(*parse)(const ObjectProperty *op, const char *str,
                       Error **errp);
};

/* OnOffAuto, QEMU's tri-state for features */
typedef enum OnOffAuto {
    ON_OFF_AUTO_AUTO,
    ON_OFF_AUTO_ON,
    ON_OFF_AUTO_OFF,
    ON_OFF_AUTO__MAX,
} OnOffAuto;
extern const char *const OnOffAuto_lookup[]; /* "auto", "on", "off" */

/*
 * OasMode: "auto", "32", "36", "40", "42", "44", "48", "52", "56".
 * Enum value - 1 is the architectural IDR5.OAS encoding (32 -> 0 ... 56 -> 7).
 */
typedef enum OasMode {
    OAS_MODE_AUTO,
    OAS_MODE_32,
    OAS_MODE_36,
    OAS_MODE_40,
    OAS_MODE_42,
    OAS_MODE_44,
    OAS_MODE_48,
    OAS_MODE_52,
    OAS_MODE_56,
    OAS_MODE__MAX,
} OasMode;
extern const char *const OasMode_lookup[];

/*
 * SsidSizeMode: "auto", "0", "1", ... "20". Enum value - 1 is the SSID
 * width in bits (IDR1.SSIDSIZE).
 */
typedef enum SsidSizeMode {
    SSID_SIZE_MODE_AUTO,
    SSID_SIZE_MODE_0,
    SSID_SIZE_MODE_20 = SSID_SIZE_MODE_0 + 20,
    SSID_SIZE_MODE__MAX,
} SsidSizeMode;
extern const char *const SsidSizeMode_lookup[];

/* Field types of the uuid and host PCI address properties. */
typedef struct QemuUUID {
    uint8_t data[16];
} QemuUUID;

typedef struct PCIHostDeviceAddress {
    unsigned int domain;
    unsigned int bus;
    unsigned int slot;
    unsigned int function;
} PCIHostDeviceAddress;

extern const PropertyInfo qdev_prop_bit;
extern const PropertyInfo qdev_prop_bool;
extern const PropertyInfo qdev_prop_uint8;
extern const PropertyInfo qdev_prop_uint16;
extern const PropertyInfo qdev_prop_uint32;
extern const PropertyInfo qdev_prop_int32;
extern const PropertyInfo qdev_prop_uint64;
extern const PropertyInfo qdev_prop_int64;
extern const PropertyInfo qdev_prop_size;
extern const PropertyInfo qdev_prop_string;
extern const PropertyInfo qdev_prop_on_off_auto;
extern const PropertyInfo qdev_prop_oas_mode;
extern const PropertyInfo qdev_prop_ssidsize_mode;
extern const PropertyInfo qdev_prop_link;
extern const PropertyInfo qdev_prop_uuid;
/* PCI devfn "SLOT[.FN]" with 0x/decimal numbers; -1 means auto. */
extern const PropertyInfo qdev_prop_pci_devfn;
/* Host PCI address "[DDDD:]BB:DD.F". */
extern const PropertyInfo qdev_prop_pci_host_devaddr;

#define DEFINE_PROP(_name, _state, _field, _prop, _type, _desc, ...)           \
    {                                                                          \
        .name = (_name), .info = &(_prop),                                     \
        .offset = offsetof(_state, _field) +                                   \
                  0 * sizeof(((_state *)0)->_field == (_type)0),               \
        .description = (_desc), __VA_ARGS__                                    \
    }

#define DEFINE_PROP_SIGNED(_name, _state, _field, _defval, _prop, _type, _d)   \
    DEFINE_PROP(_name, _state, _field, _prop, _type, _d, .set_default = true,  \
                .defval.i = (_type)(_defval))
#define DEFINE_PROP_UNSIGNED(_name, _state, _field, _defval, _prop, _type, _d) \
    DEFINE_PROP(_name, _state, _field, _prop, _type, _d, .set_default = true,  \
                .defval.u = (_type)(_defval))

#define DEFINE_PROP_BIT(_name, _state, _field, _bit, _defval, _d)              \
    {                                                                          \
        .name = (_name), .info = &qdev_prop_bit,                               \
        .offset = offsetof(_state, _field), .bitnr = (_bit),                   \
        .set_default = true, .defval.u = (bool)(_defval), .description = (_d), \
    }
#define DEFINE_PROP_BOOL(_name, _state, _field, _defval, _d)                   \
    DEFINE_PROP(_name, _state, _field, qdev_prop_bool, bool, _d,               \
                .set_default = true, .defval.u = (bool)(_defval))
#define DEFINE_PROP_UINT8(_n, _s, _f, _d, _desc)                               \
    DEFINE_PROP_UNSIGNED(_n, _s, _f, _d, qdev_prop_uint8, uint8_t, _desc)
#define DEFINE_PROP_UINT16(_n, _s, _f, _d, _desc)                              \
    DEFINE_PROP_UNSIGNED(_n, _s, _f, _d, qdev_prop_uint16, uint16_t, _desc)
#define DEFINE_PROP_UINT32(_n, _s, _f, _d, _desc)                              \
    DEFINE_PROP_UNSIGNED(_n, _s, _f, _d, qdev_prop_uint32, uint32_t, _desc)
#define DEFINE_PROP_INT32(_n, _s, _f, _d, _desc)                               \
    DEFINE_PROP_SIGNED(_n, _s, _f, _d, qdev_prop_int32, int32_t, _desc)
#define DEFINE_PROP_UINT64(_n, _s, _f, _d, _desc)                              \
    DEFINE_PROP_UNSIGNED(_n, _s, _f, _d, qdev_prop_uint64, uint64_t, _desc)
#define DEFINE_PROP_INT64(_n, _s, _f, _d, _desc)                               \
    DEFINE_PROP_SIGNED(_n, _s, _f, _d, qdev_prop_int64, int64_t, _desc)
#define DEFINE_PROP_SIZE(_n, _s, _f, _d, _desc)                                \
    DEFINE_PROP_UNSIGNED(_n, _s, _f, _d, qdev_prop_size, uint64_t, _desc)
#define DEFINE_PROP_STRING(_n, _s, _f, _desc)                                  \
    DEFINE_PROP(_n, _s, _f, qdev_prop_string, char *, _desc)
#define DEFINE_PROP_ON_OFF_AUTO(_n, _s, _f, _d, _desc)                         \
    DEFINE_PROP_SIGNED(_n, _s, _f, _d, qdev_prop_on_off_auto, OnOffAuto, _desc)
#define DEFINE_PROP_OAS_MODE(_n, _s, _f, _d, _desc)                            \
    DEFINE_PROP_SIGNED(_n, _s, _f, _d, qdev_prop_oas_mode, OasMode, _desc)
#define DEFINE_PROP_SSIDSIZE_MODE(_n, _s, _f, _d, _desc)                       \
    DEFINE_PROP_SIGNED(_n, _s, _f, _d, qdev_prop_ssidsize_mode, SsidSizeMode,  \
                       _desc)
/* Link to an object of _ltype; the field is an Object subtype pointer. */
#define DEFINE_PROP_LINK(_n, _s, _f, _ltype, _ptr_type, _desc)                 \
    DEFINE_PROP(_n, _s, _f, qdev_prop_link, _ptr_type, _desc,                  \
                .link_type = (_ltype))
#define DEFINE_PROP_PCI_DEVFN(_n, _s, _f, _d, _desc)                           \
    DEFINE_PROP_SIGNED(_n, _s, _f, _d, qdev_prop_pci_devfn, int32_t, _desc)
/* Struct-typed fields (checked through a pointer comparison). */
#define DEFINE_PROP_STRUCT(_name, _state, _field, _prop, _type, _desc, ...)    \
    {                                                                          \
        .name = (_name), .info = &(_prop),                                     \
        .offset = offsetof(_state, _field) +                                   \
                  0 * sizeof(&((_state *)0)->_field == (_type *)0),            \
        .description = (_desc), __VA_ARGS__                                    \
    }
/* "auto" (the default here) picks a random UUID. */
#define DEFINE_PROP_UUID(_n, _s, _f, _desc)                                    \
    DEFINE_PROP_STRUCT(_n, _s, _f, qdev_prop_uuid, QemuUUID, _desc,            \
                       .defval_str = "auto")
#define DEFINE_PROP_UUID_NODEFAULT(_n, _s, _f, _desc)                          \
    DEFINE_PROP_STRUCT(_n, _s, _f, qdev_prop_uuid, QemuUUID, _desc)
#define DEFINE_PROP_PCI_HOST_DEVADDR(_n, _s, _f, _desc)                        \
    DEFINE_PROP_STRUCT(_n, _s, _f, qdev_prop_pci_host_devaddr,                 \
                       PCIHostDeviceAddress, _desc)
#define DEFINE_PROP_END_OF_LIST() {}

/* The field a static property stores its value in. */
void *object_field_prop_ptr(Object *obj, const Property *prop);

void device_class_set_props(DeviceClass *dc, const Property *props);

/* Setters for board code (abort on error). */
void qdev_prop_set_bit(DeviceState *dev, const char *name, bool value);
void qdev_prop_set_uint8(DeviceState *dev, const char *name, uint8_t value);
void qdev_prop_set_uint16(DeviceState *dev, const char *name, uint16_t value);
void qdev_prop_set_uint32(DeviceState *dev, const char *name, uint32_t value);
void qdev_prop_set_int32(DeviceState *dev, const char *name, int32_t value);
void qdev_prop_set_uint64(DeviceState *dev, const char *name, uint64_t value);
void qdev_prop_set_string(DeviceState *dev, const char *name,
                          const char *value);
void qdev_prop_set_enum(DeviceState *dev, const char *name, int value);

/* The help text "-device NAME,help" prints for one property. */
char *qdev_property_help_line(ObjectProperty *prop);

#endif
