/*
 * x-compat-test-dev: a test-only device with one property whose default
 * changed in 11.1 and 11.2 (hw_compat_11_0 / hw_compat_11_1 restore the
 * old values), so tests can check through the real command line that
 * default < machine compat < -global < explicit value.
 */
#include "qemu/osdep.h"
#include "hw/core/qdev-properties.h"

#define TYPE_COMPAT_TEST_DEV "x-compat-test-dev"

typedef struct CompatTestDevState {
    DeviceState parent_obj;
    uint32_t level;
} CompatTestDevState;

static const Property compat_test_dev_props[] = {
    DEFINE_PROP_UINT32("level", CompatTestDevState, level, 3,
                       "Test value: 3 by default, 2 on 11.1 machines, "
                       "1 on 11.0 and older"),
    DEFINE_PROP_END_OF_LIST(),
};

static void compat_test_dev_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "Test device for machine compat properties";
    dc->user_creatable = true;
    dc->hotpluggable = false;
    dc->categories = 1u << DEVICE_CATEGORY_MISC;
    device_class_set_props(dc, compat_test_dev_props);
}

static const TypeInfo compat_test_dev_info = {
    .name = TYPE_COMPAT_TEST_DEV,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(CompatTestDevState),
    .class_init = compat_test_dev_class_init,
};

static void compat_test_dev_register_types(void)
{
    type_register_static(&compat_test_dev_info);
}

type_init(compat_test_dev_register_types)
