/*
 * Static device properties: typed JSON values, the string form, ranges,
 * enums, links, PCI addresses, UUIDs, defaults, refusal after realize and
 * the precedence default < compat < -global < explicit.
 */
#include "qemu/osdep.h"
#include "hw/core/qdev-properties.h"
#include "hw/boards.h"

#define TYPE_TEST_PROPS "test-props-dev"
#define TYPE_TEST_GLOBALS "test-globals-dev"
#define TYPE_TEST_BAD_GLOBAL "test-bad-global-dev"
#define TYPE_TEST_TARGET "test-link-target"

typedef struct TestProps {
    DeviceState parent_obj;
    bool flag;
    uint32_t bits;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    int32_t i32;
    uint64_t u64;
    int64_t i64;
    uint64_t size;
    char *str;
    OnOffAuto ats;
    OasMode oas;
    SsidSizeMode ssidsize;
    Object *target;
    QemuUUID uuid;
    int32_t addr;
    PCIHostDeviceAddress host;
} TestProps;

static const Property test_props[] = {
    DEFINE_PROP_BOOL("flag", TestProps, flag, true, "A flag"),
    DEFINE_PROP_BIT("bit3", TestProps, bits, 3, false, "Bit 3"),
    DEFINE_PROP_UINT8("u8", TestProps, u8, 0, "An 8-bit value"),
    DEFINE_PROP_UINT16("u16", TestProps, u16, 1, "A 16-bit value"),
    DEFINE_PROP_UINT32("u32", TestProps, u32, 7, "A 32-bit value"),
    DEFINE_PROP_INT32("i32", TestProps, i32, -3, "A signed value"),
    DEFINE_PROP_UINT64("u64", TestProps, u64, 0, "A 64-bit value"),
    DEFINE_PROP_INT64("i64", TestProps, i64, 0, "A signed 64-bit value"),
    DEFINE_PROP_SIZE("size", TestProps, size, 4096, "A size"),
    DEFINE_PROP_STRING("str", TestProps, str, "A string"),
    DEFINE_PROP_ON_OFF_AUTO("ats", TestProps, ats, ON_OFF_AUTO_AUTO,
                            "A tri-state"),
    DEFINE_PROP_OAS_MODE("oas", TestProps, oas, OAS_MODE_AUTO, "An OAS"),
    DEFINE_PROP_SSIDSIZE_MODE("ssidsize", TestProps, ssidsize,
                              SSID_SIZE_MODE_AUTO, "An SSID size"),
    DEFINE_PROP_LINK("target", TestProps, target, TYPE_TEST_TARGET, Object *,
                     "A link"),
    DEFINE_PROP_UUID("uuid", TestProps, uuid, "A UUID"),
    DEFINE_PROP_PCI_DEVFN("addr", TestProps, addr, -1, "A PCI address"),
    DEFINE_PROP_PCI_HOST_DEVADDR("host", TestProps, host, "A host address"),
    DEFINE_PROP_END_OF_LIST(),
};

static void test_props_class_init(ObjectClass *oc, const void *data)
{
    device_class_set_props(DEVICE_CLASS(oc), test_props);
}

static const TypeInfo test_types[] = {
    {
        .name = TYPE_TEST_PROPS,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(TestProps),
        .class_init = test_props_class_init,
    },
    {.name = TYPE_TEST_GLOBALS, .parent = TYPE_TEST_PROPS},
    {.name = TYPE_TEST_BAD_GLOBAL, .parent = TYPE_TEST_PROPS},
    {.name = TYPE_TEST_TARGET, .parent = TYPE_OBJECT},
};

DEFINE_TYPES(test_types)

static TestProps *new_dev(const char *type)
{
    return (TestProps *)qdev_new(type);
}

/* Drops the tree's reference (if any) and the test's own. */
static void free_dev(TestProps *d)
{
    if (OBJECT(d)->parent) {
        object_unparent(OBJECT(d));
    }
    object_unref(d);
}

static JsonNode *json(const char *text)
{
    return json_from_string(text, NULL);
}

/* Sets name to a JSON value; returns the error text or NULL. */
static char *set_json(TestProps *d, const char *name, const char *text)
{
    g_autoptr(JsonNode) v = json(text);
    Error *err = NULL;
    char *msg;

    if (object_property_set(OBJECT(d), name, v, &err)) {
        return NULL;
    }
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    return msg;
}

static char *parse(TestProps *d, const char *name, const char *text)
{
    Error *err = NULL;
    char *msg;

    if (object_property_parse(OBJECT(d), name, text, &err)) {
        return NULL;
    }
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    return msg;
}

static char *get_json(TestProps *d, const char *name)
{
    g_autoptr(JsonNode) v = object_property_get(OBJECT(d), name, &error_abort);

    return json_to_string(v, false);
}

#define assert_get(d, name, expected)                                          \
    do {                                                                       \
        g_autofree char *got_ = get_json(d, name);                             \
        g_assert_cmpstr(got_, ==, (expected));                                 \
    } while (0)

#define assert_ok(expr) g_assert_null(expr)

#define assert_error(expr, expected)                                           \
    do {                                                                       \
        g_autofree char *msg_ = (expr);                                        \
        g_assert_cmpstr(msg_, ==, (expected));                                 \
    } while (0)

static void test_defaults(void)
{
    TestProps *d = new_dev(TYPE_TEST_PROPS);

    g_assert_true(d->flag);
    g_assert_cmpuint(d->bits, ==, 0);
    g_assert_cmpuint(d->u16, ==, 1);
    g_assert_cmpuint(d->u32, ==, 7);
    g_assert_cmpint(d->i32, ==, -3);
    g_assert_cmpuint(d->size, ==, 4096);
    g_assert_null(d->str);
    g_assert_cmpint(d->ats, ==, ON_OFF_AUTO_AUTO);
    g_assert_cmpint(d->addr, ==, -1);
    assert_get(d, "ats", "\"auto\"");
    assert_get(d, "oas", "\"auto\"");
    assert_get(d, "ssidsize", "\"auto\"");
    assert_get(d, "str", "\"\"");
    assert_get(d, "target", "\"\"");
    assert_get(d, "addr", "-1");
    free_dev(d);
}

static void test_json_types(void)
{
    TestProps *d = new_dev(TYPE_TEST_PROPS);

    assert_ok(set_json(d, "flag", "false"));
    g_assert_false(d->flag);
    assert_ok(set_json(d, "bit3", "true"));
    g_assert_cmpuint(d->bits, ==, 8);
    assert_ok(set_json(d, "u8", "255"));
    g_assert_cmpuint(d->u8, ==, 255);
    assert_ok(set_json(d, "i32", "-2147483648"));
    g_assert_cmpint(d->i32, ==, INT32_MIN);
    assert_ok(set_json(d, "str", "\"hello\""));
    g_assert_cmpstr(d->str, ==, "hello");
    assert_ok(set_json(d, "ats", "\"on\""));
    g_assert_cmpint(d->ats, ==, ON_OFF_AUTO_ON);
    assert_ok(set_json(d, "oas", "\"48\""));
    g_assert_cmpint(d->oas, ==, OAS_MODE_48);
    assert_ok(set_json(d, "ssidsize", "\"20\""));
    g_assert_cmpint(d->ssidsize, ==, SSID_SIZE_MODE_20);

    assert_error(set_json(d, "flag", "1"),
                 "Invalid parameter type for 'flag', expected: boolean");
    assert_error(set_json(d, "u8", "\"1\""),
                 "Invalid parameter type for 'u8', expected: integer");
    assert_error(set_json(d, "u32", "1.5"),
                 "Invalid parameter type for 'u32', expected: integer");
    assert_error(set_json(d, "str", "3"),
                 "Invalid parameter type for 'str', expected: string");
    /* Legacy typed forms of the SMMU enums are refused. */
    assert_error(set_json(d, "ats", "true"),
                 "Invalid parameter type for 'ats', expected: string");
    assert_error(set_json(d, "ssidsize", "20"),
                 "Invalid parameter type for 'ssidsize', expected: string");
    /* Failed sets leave the value alone. */
    g_assert_cmpint(d->ats, ==, ON_OFF_AUTO_ON);
    g_assert_cmpint(d->ssidsize, ==, SSID_SIZE_MODE_20);
    free_dev(d);
}

static void test_ranges(void)
{
    TestProps *d = new_dev(TYPE_TEST_PROPS);

    assert_error(set_json(d, "u8", "256"),
                 "Property 'test-props-dev.u8' doesn't take value 256 "
                 "(minimum: 0, maximum: 255)");
    assert_error(set_json(d, "u16", "-1"),
                 "Property 'test-props-dev.u16' doesn't take value -1 "
                 "(minimum: 0, maximum: 65535)");
    assert_error(set_json(d, "u32", "4294967296"),
                 "Property 'test-props-dev.u32' doesn't take value "
                 "4294967296 (minimum: 0, maximum: 4294967295)");
    assert_error(set_json(d, "i32", "2147483648"),
                 "Property 'test-props-dev.i32' doesn't take value "
                 "2147483648 (minimum: -2147483648, maximum: 2147483647)");
    g_assert_cmpuint(d->u8, ==, 0);
    g_assert_cmpuint(d->u32, ==, 7);
    assert_ok(set_json(d, "u32", "4294967295"));
    g_assert_cmpuint(d->u32, ==, UINT32_MAX);
    free_dev(d);
}

static void test_string_form(void)
{
    TestProps *d = new_dev(TYPE_TEST_PROPS);
    g_autofree char *msg = NULL;

    assert_ok(parse(d, "flag", "off"));
    g_assert_false(d->flag);
    assert_ok(parse(d, "u8", "0x10"));
    g_assert_cmpuint(d->u8, ==, 16);
    assert_ok(parse(d, "size", "2M"));
    g_assert_cmpuint(d->size, ==, 2 * MiB);
    assert_ok(parse(d, "u64", "18446744073709551615"));
    g_assert_cmpuint(d->u64, ==, UINT64_MAX);
    assert_ok(parse(d, "i64", "-5"));
    g_assert_cmpint(d->i64, ==, -5);
    assert_ok(parse(d, "str", "a b"));
    g_assert_cmpstr(d->str, ==, "a b");
    assert_ok(parse(d, "ats", "off"));
    g_assert_cmpint(d->ats, ==, ON_OFF_AUTO_OFF);
    assert_ok(parse(d, "oas", "44"));
    g_assert_cmpint(d->oas, ==, OAS_MODE_44);
    assert_ok(parse(d, "ssidsize", "0"));
    g_assert_cmpint(d->ssidsize, ==, SSID_SIZE_MODE_0);

    msg = parse(d, "u8", "300");
    g_assert_nonnull(msg);
    g_assert_nonnull(strstr(msg, "test-props-dev.u8"));
    g_assert_cmpuint(d->u8, ==, 16);
    free_dev(d);
}

static void test_enum_errors(void)
{
    TestProps *d = new_dev(TYPE_TEST_PROPS);
    g_autofree char *cmdline = NULL;

    assert_error(set_json(d, "ats", "\"maybe\""),
                 "Property 'test-props-dev.ats' does not accept value "
                 "'maybe' (valid values: auto, on, off)");
    assert_error(set_json(d, "oas", "\"64\""),
                 "Property 'test-props-dev.oas' does not accept value '64' "
                 "(valid values: auto, 32, 36, 40, 42, 44, 48, 52, 56)");
    cmdline = parse(d, "ssidsize", "21");
    g_assert_nonnull(cmdline);
    g_assert_nonnull(strstr(cmdline, "'21'"));
    g_assert_nonnull(strstr(cmdline, "auto, 0, 1, 2"));
    g_assert_nonnull(strstr(cmdline, "19, 20)"));
    g_assert_cmpint(d->ssidsize, ==, SSID_SIZE_MODE_AUTO);
    free_dev(d);
}

static void test_after_realize(void)
{
    TestProps *d = new_dev(TYPE_TEST_PROPS);
    TestProps *named = new_dev(TYPE_TEST_PROPS);
    g_autofree char *msg = NULL;

    g_assert_true(qdev_realize(DEVICE(d), NULL, &error_abort));
    assert_error(set_json(d, "u8", "1"),
                 "Attempt to set property 'u8' on anonymous device "
                 "(type 'test-props-dev') after it was realized");
    msg = parse(d, "ats", "on");
    g_assert_nonnull(msg);
    g_assert_cmpint(d->ats, ==, ON_OFF_AUTO_AUTO);

    qdev_set_id(DEVICE(named), g_strdup("dev0"), &error_abort);
    g_assert_true(qdev_realize(DEVICE(named), NULL, &error_abort));
    assert_error(set_json(named, "flag", "false"),
                 "Attempt to set property 'flag' on device 'dev0' "
                 "(type 'test-props-dev') after it was realized");
    g_assert_true(named->flag);
    /* Reading stays possible. */
    assert_get(named, "flag", "true");
    free_dev(d);
    free_dev(named);
}

static void test_link(void)
{
    TestProps *d = new_dev(TYPE_TEST_PROPS);
    Object *target = object_new(TYPE_TEST_TARGET);
    Object *other = object_new(TYPE_TEST_TARGET);
    Object *objects = object_get_objects_root();
    Error *err = NULL;
    g_autoptr(JsonNode) missing = json("\"nope\"");

    object_property_add_child(objects, "tgt", target);
    object_property_add_child(objects, "tgt2", other);
    object_unref(other);

    assert_ok(parse(d, "target", "tgt"));
    g_assert_true(d->target == target);
    assert_get(d, "target", "\"/objects/tgt\"");
    /* The link keeps the target alive after it leaves the tree. */
    object_unparent(target);
    g_assert_cmpuint(target->ref, ==, 2);

    assert_error(set_json(d, "target", "\"/objects\""),
                 "Invalid parameter type for 'target', expected: "
                 "test-link-target");
    g_assert_false(object_property_set(OBJECT(d), "target", missing, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Device 'nope' not found");
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_DEVICE_NOT_FOUND);
    error_free(err);
    assert_error(set_json(d, "target", "true"),
                 "Invalid parameter type for 'target', expected: string");
    g_assert_true(d->target == target);

    assert_ok(set_json(d, "target", "\"/objects/tgt2\""));
    g_assert_true(d->target == other);
    g_assert_cmpuint(target->ref, ==, 1);
    object_unref(target);
    assert_ok(set_json(d, "target", "\"\""));
    g_assert_null(d->target);

    assert_ok(set_json(d, "target", "\"tgt2\""));
    free_dev(d);
    g_assert_cmpuint(other->ref, ==, 1);
    object_unparent(other);
}

static void test_pci_devfn(void)
{
    TestProps *d = new_dev(TYPE_TEST_PROPS);
    static const struct {
        const char *text;
        int devfn;
    } good[] = {
        {"0x1", 0x08},  {"1", 0x08},    {"0x1.0x2", 0x0a}, {"1f.7", 0xff},
        {"0X1F", 0xf8}, {"0x00", 0x00}, {"10", 0x80},      {"0x3.7", 0x1f},
    };
    static const char *const bad[] = {
        "0x20", "1.8", "", "x", "0x", "1.", ".1", "1.2.3", "-1", "1 ", "g",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
        assert_ok(parse(d, "addr", good[i].text));
        g_assert_cmpint(d->addr, ==, good[i].devfn);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *want = g_strdup_printf(
            "Property 'test-props-dev.addr' doesn't take value '%s'", bad[i]);

        assert_error(parse(d, "addr", bad[i]), want);
        g_assert_cmpint(d->addr, ==, 0x1f);
    }
    /* libvirt's JSON form sends a string; an integer devfn works too. */
    assert_ok(set_json(d, "addr", "\"0x2.0x1\""));
    g_assert_cmpint(d->addr, ==, 0x11);
    assert_ok(set_json(d, "addr", "9"));
    g_assert_cmpint(d->addr, ==, 9);
    assert_ok(set_json(d, "addr", "-1"));
    g_assert_cmpint(d->addr, ==, -1);
    assert_error(set_json(d, "addr", "256"),
                 "Parameter 'addr' expects a value between -1 and 255");
    assert_error(set_json(d, "addr", "true"),
                 "Invalid parameter type for 'addr', expected: integer");
    free_dev(d);
}

static void test_pci_host_devaddr(void)
{
    TestProps *d = new_dev(TYPE_TEST_PROPS);
    static const char *const bad[] = {
        "10000:00:00.0", "00:20.0",       "00:1f.8", "100:00.0", "0000:00:00",
        "00.0",          "0000:00:00.0x", "",        "zz:00.0",
    };

    assert_ok(parse(d, "host", "0009:01:00.0"));
    g_assert_cmpuint(d->host.domain, ==, 9);
    g_assert_cmpuint(d->host.bus, ==, 1);
    assert_get(d, "host", "\"0009:01:00.0\"");
    assert_ok(parse(d, "host", "ff:1f.7"));
    g_assert_cmpuint(d->host.domain, ==, 0);
    g_assert_cmpuint(d->host.bus, ==, 0xff);
    g_assert_cmpuint(d->host.slot, ==, 0x1f);
    g_assert_cmpuint(d->host.function, ==, 7);
    assert_get(d, "host", "\"0000:ff:1f.7\"");
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *want = g_strdup_printf(
            "Property 'test-props-dev.host' doesn't take value '%s'", bad[i]);

        assert_error(parse(d, "host", bad[i]), want);
    }
    assert_get(d, "host", "\"0000:ff:1f.7\"");
    free_dev(d);
}

static void test_uuid(void)
{
    TestProps *d = new_dev(TYPE_TEST_PROPS);
    TestProps *d2 = new_dev(TYPE_TEST_PROPS);
    g_autofree char *first = get_json(d, "uuid");

    /* "auto" by default: a random UUID per instance. */
    g_assert_cmpstr(first, !=, "\"00000000-0000-0000-0000-000000000000\"");
    g_assert_false(memcmp(&d->uuid, &d2->uuid, sizeof(QemuUUID)) == 0);
    assert_ok(parse(d, "uuid", "8d1a4d6e-0b5f-4c3a-9e7d-1234567890ab"));
    g_assert_cmpuint(d->uuid.data[0], ==, 0x8d);
    g_assert_cmpuint(d->uuid.data[15], ==, 0xab);
    assert_get(d, "uuid", "\"8d1a4d6e-0b5f-4c3a-9e7d-1234567890ab\"");
    assert_error(parse(d, "uuid", "8d1a4d6e"),
                 "Property 'test-props-dev.uuid' doesn't take value "
                 "'8d1a4d6e'");
    assert_get(d, "uuid", "\"8d1a4d6e-0b5f-4c3a-9e7d-1234567890ab\"");
    free_dev(d);
    free_dev(d2);
}

static void test_precedence(void)
{
    static GlobalProperty compat[] = {
        {TYPE_TEST_GLOBALS, "u8", "11"},
        {TYPE_TEST_GLOBALS, "u16", "12"},
        {TYPE_TEST_GLOBALS, "ats", "off"},
        {TYPE_TEST_GLOBALS, "no-such-prop", "1", .optional = true},
    };
    static GlobalProperty user[] = {
        {TYPE_TEST_GLOBALS, "u16", "22"},
        {TYPE_TEST_GLOBALS, "ats", "on"},
        {TYPE_DEVICE, "i32", "5"},
    };
    g_autoptr(GPtrArray) table = g_ptr_array_new();
    TestProps *base, *d;

    compat_props_add(table, compat, G_N_ELEMENTS(compat));
    object_set_machine_compat_props(table);
    for (size_t i = 0; i < G_N_ELEMENTS(user); i++) {
        qdev_prop_register_global(&user[i]);
    }

    d = new_dev(TYPE_TEST_GLOBALS);
    g_assert_cmpuint(d->u8, ==, 11);  /* compat over default */
    g_assert_cmpuint(d->u16, ==, 22); /* -global over compat */
    g_assert_cmpint(d->ats, ==, ON_OFF_AUTO_ON);
    g_assert_cmpint(d->i32, ==, 5);  /* -global of a parent type */
    g_assert_cmpuint(d->u32, ==, 7); /* untouched default */
    assert_ok(set_json(d, "u16", "33"));
    g_assert_cmpuint(d->u16, ==, 33); /* explicit over -global */
    assert_ok(parse(d, "u8", "44"));
    g_assert_cmpuint(d->u8, ==, 44); /* explicit over compat */
    g_assert_true(compat[0].used && user[0].used && user[2].used);
    g_assert_false(compat[3].used);
    free_dev(d);

    /* Entries match by type: the base type only sees its own. */
    base = new_dev(TYPE_TEST_PROPS);
    g_assert_cmpuint(base->u8, ==, 0);
    g_assert_cmpuint(base->u16, ==, 1);
    g_assert_cmpint(base->i32, ==, 5);
    free_dev(base);
    object_set_machine_compat_props(NULL);
}

static void test_bad_global(void)
{
    static GlobalProperty bad[] = {
        {TYPE_TEST_BAD_GLOBAL, "u8", "300"},
    };
    static GlobalProperty missing[] = {
        {TYPE_TEST_BAD_GLOBAL, "nonexistent", "1"},
    };
    g_autoptr(GPtrArray) table = g_ptr_array_new();
    TestProps *d;
    Error *err = NULL;

    qdev_prop_register_global(&bad[0]);
    d = new_dev(TYPE_TEST_BAD_GLOBAL);
    g_assert_false(qdev_realize(DEVICE(d), NULL, &err));
    g_assert_nonnull(strstr(error_get_pretty(err),
                            "can't apply global test-bad-global-dev.u8=300: "));
    g_assert_false(DEVICE(d)->realized);
    error_free(err);
    err = NULL;
    free_dev(d);

    /* A compat entry naming a missing property fails unless optional. */
    bad[0].value = "3";
    g_ptr_array_add(table, &missing[0]);
    object_set_machine_compat_props(table);
    d = new_dev(TYPE_TEST_BAD_GLOBAL);
    g_assert_false(qdev_realize(DEVICE(d), NULL, &err));
    g_assert_nonnull(
        strstr(error_get_pretty(err), "test-bad-global-dev.nonexistent"));
    error_free(err);
    free_dev(d);
    object_set_machine_compat_props(NULL);
}

static void test_help_and_setters(void)
{
    TestProps *d = new_dev(TYPE_TEST_PROPS);
    ObjectProperty *prop = object_property_find(OBJECT(d), "ats");
    g_autofree char *line = qdev_property_help_line(prop);
    g_autofree char *u32_line = NULL;

    g_assert_true(g_str_has_prefix(line, "  ats=<OnOffAuto>"));
    g_assert_nonnull(strstr(line, " - A tri-state (on/off/auto)"));
    g_assert_true(g_str_has_suffix(line, "(default: \"auto\")"));
    u32_line = qdev_property_help_line(object_property_find(OBJECT(d), "u32"));
    g_assert_nonnull(strstr(u32_line, "u32=<uint32>"));
    g_assert_true(g_str_has_suffix(u32_line, "(default: 7)"));
    g_assert_cmpstr(object_property_find(OBJECT(d), "target")->type, ==,
                    "link<" TYPE_TEST_TARGET ">");
    g_assert_cmpstr(object_property_find(OBJECT(d), "addr")->type, ==,
                    "pci-devfn");

    qdev_prop_set_enum(DEVICE(d), "oas", OAS_MODE_52);
    g_assert_cmpint(d->oas, ==, OAS_MODE_52);
    qdev_prop_set_uint8(DEVICE(d), "u8", 200);
    qdev_prop_set_uint32(DEVICE(d), "u32", 0xdeadbeef);
    qdev_prop_set_int32(DEVICE(d), "i32", -7);
    qdev_prop_set_uint64(DEVICE(d), "u64", UINT64_MAX - 1);
    qdev_prop_set_bit(DEVICE(d), "bit3", true);
    qdev_prop_set_string(DEVICE(d), "str", "board");
    g_assert_cmpuint(d->u8, ==, 200);
    g_assert_cmpuint(d->u32, ==, 0xdeadbeef);
    g_assert_cmpint(d->i32, ==, -7);
    g_assert_cmpuint(d->u64, ==, UINT64_MAX - 1);
    g_assert_cmpuint(d->bits, ==, 8);
    g_assert_cmpstr(d->str, ==, "board");
    free_dev(d);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qdev-props/defaults", test_defaults);
    g_test_add_func("/qdev-props/json-types", test_json_types);
    g_test_add_func("/qdev-props/ranges", test_ranges);
    g_test_add_func("/qdev-props/string-form", test_string_form);
    g_test_add_func("/qdev-props/enum-errors", test_enum_errors);
    g_test_add_func("/qdev-props/after-realize", test_after_realize);
    g_test_add_func("/qdev-props/link", test_link);
    g_test_add_func("/qdev-props/pci-devfn", test_pci_devfn);
    g_test_add_func("/qdev-props/pci-host-devaddr", test_pci_host_devaddr);
    g_test_add_func("/qdev-props/uuid", test_uuid);
    g_test_add_func("/qdev-props/precedence", test_precedence);
    g_test_add_func("/qdev-props/bad-global", test_bad_global);
    g_test_add_func("/qdev-props/help-and-setters", test_help_and_setters);
    return g_test_run();
}
