/*
 * qdev core: bus naming and membership, realize/unrealize order, hotplug
 * handlers and unplug, the QOM tree placement, reset order, GPIO lines,
 * system bus devices and machine-init-done notifiers.
 */
#include "qemu/osdep.h"
#include "hw/core/sysbus.h"
#include "hw/core/qdev-properties.h"

#define TYPE_TEST_BUS "Test-Bus"
#define TYPE_TEST_CTRL "test-ctrl"
#define TYPE_TEST_SYNC_CTRL "test-sync-ctrl"
#define TYPE_TEST_LEAF "test-leaf"
#define TYPE_TEST_LEAF_NOHP "test-leaf-nohp"
#define TYPE_TEST_BRIDGE "test-bridge"
#define TYPE_TEST_GPIO "test-gpio"

static GString *trace;

static void trace_add(const char *fmt, ...) QEMU_PRINTF(1, 2);
static void trace_add(const char *fmt, ...)
{
    va_list ap;

    if (!trace) {
        trace = g_string_new(NULL);
    }
    if (trace->len) {
        g_string_append_c(trace, ',');
    }
    va_start(ap, fmt);
    g_string_append_vprintf(trace, fmt, ap);
    va_end(ap);
}

static void trace_clear(void)
{
    if (trace) {
        g_string_truncate(trace, 0);
    }
}

static const char *trace_str(void)
{
    return trace ? trace->str : "";
}

#define assert_trace(expected)                                                 \
    do {                                                                       \
        g_assert_cmpstr(trace_str(), ==, (expected));                          \
        trace_clear();                                                         \
    } while (0)

static const char *dev_name(DeviceState *dev)
{
    return dev->id ? dev->id : object_get_typename(OBJECT(dev));
}

/* A bus type that records resets and address checks. */

static bool test_bus_check_address(BusState *bus, DeviceState *dev,
                                   Error **errp)
{
    if (dev->id && g_str_has_prefix(dev->id, "taken")) {
        error_setg(errp, "address of '%s' is taken", dev->id);
        return false;
    }
    return true;
}

static void test_bus_reset(BusState *bus)
{
    trace_add("bus-reset:%s", bus->name);
}

static void test_bus_class_init(ObjectClass *oc, const void *data)
{
    BusClass *bc = BUS_CLASS(oc);

    bc->check_address = test_bus_check_address;
    bc->reset = test_bus_reset;
}

/* Leaves: record their lifecycle; "fail" makes realize fail. */

typedef struct TestLeaf {
    DeviceState parent_obj;
    bool fail;
} TestLeaf;

static const Property test_leaf_props[] = {
    DEFINE_PROP_BOOL("fail", TestLeaf, fail, false, "Fail realize"),
    DEFINE_PROP_END_OF_LIST(),
};

static bool test_leaf_realize(DeviceState *dev, Error **errp)
{
    if (((TestLeaf *)dev)->fail) {
        trace_add("realize-fail:%s", dev_name(dev));
        error_setg(errp, "leaf refused");
        return false;
    }
    trace_add("realize:%s", dev_name(dev));
    return true;
}

static void test_leaf_unrealize(DeviceState *dev)
{
    trace_add("unrealize:%s", dev_name(dev));
}

static void test_leaf_reset(DeviceState *dev)
{
    trace_add("reset:%s", dev_name(dev));
}

static void test_leaf_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->bus_type = TYPE_TEST_BUS;
    dc->realize = test_leaf_realize;
    dc->unrealize = test_leaf_unrealize;
    dc->reset = test_leaf_reset;
    device_class_set_props(dc, test_leaf_props);
}

static void test_leaf_nohp_class_init(ObjectClass *oc, const void *data)
{
    DEVICE_CLASS(oc)->hotpluggable = false;
}

/* A bridge: a leaf whose secondary bus is embedded in its state. */
typedef struct TestBridge {
    TestLeaf parent_obj;
    BusState sec;
} TestBridge;

static void test_bridge_init(Object *obj)
{
    TestBridge *s = (TestBridge *)obj;

    qbus_init(&s->sec, sizeof(s->sec), TYPE_TEST_BUS, DEVICE(obj), NULL);
}

/* Controllers: system bus devices owning a hot-pluggable bus. */

typedef struct TestCtrl {
    SysBusDevice parent_obj;
    BusState *bus;
} TestCtrl;

static bool test_ctrl_realize(DeviceState *dev, Error **errp)
{
    TestCtrl *s = (TestCtrl *)dev;

    s->bus = qbus_new(TYPE_TEST_BUS, dev, NULL);
    qbus_set_hotplug_handler(s->bus, OBJECT(dev));
    trace_add("realize:%s", dev_name(dev));
    return true;
}

static void test_ctrl_reset(DeviceState *dev)
{
    trace_add("reset:%s", dev_name(dev));
}

static bool test_pre_plug(HotplugHandler *h, DeviceState *dev, Error **errp)
{
    trace_add("pre_plug:%s", dev_name(dev));
    return true;
}

static bool test_plug(HotplugHandler *h, DeviceState *dev, Error **errp)
{
    trace_add("plug:%s%s", dev_name(dev), dev->hotplugged ? "(hot)" : "");
    return true;
}

/* Asynchronous in spirit: the "guest" lets go at once here. */
static bool test_unplug_request(HotplugHandler *h, DeviceState *dev,
                                Error **errp)
{
    trace_add("unplug_request:%s", dev_name(dev));
    qdev_remove_and_emit_deleted(dev);
    return true;
}

static void test_unplug(HotplugHandler *h, DeviceState *dev)
{
    trace_add("unplug:%s", dev_name(dev));
}

static void test_ctrl_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    HotplugHandlerClass *hc = HOTPLUG_HANDLER_CLASS(oc);

    dc->realize = test_ctrl_realize;
    dc->reset = test_ctrl_reset;
    hc->pre_plug = test_pre_plug;
    hc->plug = test_plug;
    hc->unplug_request = test_unplug_request;
    hc->unplug = test_unplug;
}

static void test_sync_ctrl_class_init(ObjectClass *oc, const void *data)
{
    HOTPLUG_HANDLER_CLASS(oc)->unplug_request = NULL;
}

/* GPIO: two named inputs, one unnamed output. */

typedef struct TestGpio {
    DeviceState parent_obj;
    qemu_irq out;
    int last_n;
    int last_level;
} TestGpio;

static void test_gpio_in(void *opaque, int n, int level)
{
    TestGpio *s = opaque;

    s->last_n = n;
    s->last_level = level;
}

static void test_gpio_init(Object *obj)
{
    TestGpio *s = (TestGpio *)obj;

    qdev_init_gpio_in_named(DEVICE(obj), test_gpio_in, "in", 2);
    qdev_init_gpio_out(DEVICE(obj), &s->out, 1);
}

static const InterfaceInfo hotplug_ifaces[] = {
    {TYPE_HOTPLUG_HANDLER},
    {NULL},
};

static const TypeInfo test_types[] = {
    {
        .name = TYPE_TEST_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(BusState),
        .class_init = test_bus_class_init,
    },
    {
        .name = TYPE_TEST_LEAF,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(TestLeaf),
        .class_init = test_leaf_class_init,
    },
    {
        .name = TYPE_TEST_LEAF_NOHP,
        .parent = TYPE_TEST_LEAF,
        .class_init = test_leaf_nohp_class_init,
    },
    {
        .name = TYPE_TEST_BRIDGE,
        .parent = TYPE_TEST_LEAF,
        .instance_size = sizeof(TestBridge),
        .instance_init = test_bridge_init,
    },
    {
        .name = TYPE_TEST_CTRL,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(TestCtrl),
        .class_init = test_ctrl_class_init,
        .interfaces = hotplug_ifaces,
    },
    {
        .name = TYPE_TEST_SYNC_CTRL,
        .parent = TYPE_TEST_CTRL,
        .class_init = test_sync_ctrl_class_init,
    },
    {
        .name = TYPE_TEST_GPIO,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(TestGpio),
        .instance_init = test_gpio_init,
    },
};

DEFINE_TYPES(test_types)

static DeviceState *new_named(const char *type, const char *id)
{
    DeviceState *dev = qdev_new(type);

    if (id) {
        qdev_set_id(dev, g_strdup(id), &error_abort);
    }
    return dev;
}

static TestCtrl *new_ctrl(const char *type, const char *id)
{
    DeviceState *dev = new_named(type, id);

    g_assert_true(sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_abort));
    return (TestCtrl *)dev;
}

static DeviceState *plug_leaf(const char *type, const char *id, BusState *bus)
{
    DeviceState *dev = new_named(type, id);

    g_assert_true(qdev_realize(dev, bus, &error_abort));
    object_unref(dev);
    return dev;
}

static char *realize_error(DeviceState *dev, BusState *bus)
{
    Error *err = NULL;
    char *msg;

    g_assert_false(qdev_realize(dev, bus, &err));
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    return msg;
}

#define assert_realize_error(dev, bus, expected)                               \
    do {                                                                       \
        g_autofree char *msg_ = realize_error(dev, bus);                       \
        g_assert_cmpstr(msg_, ==, (expected));                                 \
    } while (0)

static void test_new(void)
{
    DeviceState *dev = qdev_try_new(TYPE_TEST_LEAF);

    g_assert_nonnull(dev);
    object_unref(dev);
    g_assert_null(qdev_try_new("no-such-device"));
    g_assert_null(qdev_try_new(TYPE_DEVICE));
    g_assert_null(qdev_try_new(TYPE_TEST_BUS));
}

static void test_bus_names(void)
{
    DeviceState *named = new_named(TYPE_TEST_LEAF, "parent");
    DeviceState *anon = qdev_new(TYPE_TEST_LEAF);
    BusState *b0 = qbus_new(TYPE_TEST_BUS, named, NULL);
    BusState *b1 = qbus_new(TYPE_TEST_BUS, named, NULL);
    BusState *explicit = qbus_new(TYPE_TEST_BUS, named, "my-bus");
    BusState *auto0 = qbus_new(TYPE_TEST_BUS, anon, NULL);
    BusState *auto1 = qbus_new(TYPE_TEST_BUS, anon, NULL);
    int first;

    g_assert_cmpstr(b0->name, ==, "parent.0");
    g_assert_cmpstr(b1->name, ==, "parent.1");
    g_assert_cmpstr(explicit->name, ==, "my-bus");
    g_assert_true(g_str_has_prefix(auto0->name, "test-bus."));
    first = atoi(auto0->name + strlen("test-bus."));
    g_assert_cmpint(atoi(auto1->name + strlen("test-bus.")), ==, first + 1);
    g_assert_cmpint(named->num_child_bus, ==, 3);
    g_assert_true(qdev_get_child_bus(named, "parent.1") == b1);
    g_assert_null(qdev_get_child_bus(named, "parent.3"));
    /* Buses are QOM children of their device. */
    g_assert_true(object_resolve_path_component(OBJECT(named), "my-bus") ==
                  OBJECT(explicit));
    object_unparent(OBJECT(named));
    object_unref(named);
    object_unref(anon);
}

static void test_realize_on_bus(void)
{
    TestCtrl *ctrl = new_ctrl(TYPE_TEST_CTRL, "ctrl");
    DeviceState *leaf;
    g_autofree char *path = NULL;
    g_autoptr(JsonNode) bus_path = NULL;

    assert_trace("realize:ctrl");
    g_assert_cmpstr(ctrl->bus->name, ==, "ctrl.0");
    g_assert_true(qbus_find_by_name("ctrl.0") == ctrl->bus);
    g_assert_true(qbus_find_by_name("main-system-bus") == sysbus_get_default());
    g_assert_null(qbus_find_by_name("nope.0"));
    g_assert_true(DEVICE(ctrl)->parent_bus == sysbus_get_default());

    leaf = plug_leaf(TYPE_TEST_LEAF, "leaf", ctrl->bus);
    assert_trace("pre_plug:leaf,realize:leaf,plug:leaf");
    g_assert_true(leaf->realized);
    g_assert_false(leaf->hotplugged);
    g_assert_true(leaf->parent_bus == ctrl->bus);
    g_assert_cmpint(ctrl->bus->num_children, ==, 1);
    g_assert_true(
        object_property_get_bool(OBJECT(leaf), "hotpluggable", &error_abort));
    path = object_get_canonical_path(OBJECT(leaf));
    g_assert_cmpstr(path, ==, "/machine/peripheral/leaf");
    bus_path = object_property_get(OBJECT(leaf), "parent_bus", &error_abort);
    g_assert_true(g_str_has_suffix(json_node_get_string(bus_path), "/ctrl.0"));

    qdev_unrealize(leaf);
    assert_trace("unrealize:leaf");
    g_assert_true(leaf->parent_bus == ctrl->bus);
    object_unparent(OBJECT(leaf));
    g_assert_cmpint(ctrl->bus->num_children, ==, 0);
    assert_trace("");
    object_unparent(OBJECT(ctrl));
}

static void test_realize_errors(void)
{
    TestCtrl *ctrl = new_ctrl(TYPE_TEST_CTRL, "ctrl2");
    DeviceState *leaf = qdev_new(TYPE_TEST_LEAF);
    DeviceState *failing = new_named(TYPE_TEST_LEAF, "failing");
    DeviceState *taken = new_named(TYPE_TEST_LEAF, "taken1");

    assert_trace("realize:ctrl2");
    assert_realize_error(leaf, sysbus_get_default(),
                         "Device 'test-leaf' can't go on System bus");
    assert_realize_error(leaf, NULL,
                         "No 'Test-Bus' bus found for device 'test-leaf'");
    assert_realize_error(taken, ctrl->bus, "address of 'taken1' is taken");

    object_property_set_bool(OBJECT(failing), "fail", true, &error_abort);
    assert_realize_error(failing, ctrl->bus, "leaf refused");
    assert_trace("pre_plug:failing,realize-fail:failing");
    g_assert_false(failing->realized);
    g_assert_null(failing->parent_bus);
    g_assert_cmpint(ctrl->bus->num_children, ==, 0);

    /* A device that failed may be fixed and realized again. */
    object_property_set_bool(OBJECT(failing), "fail", false, &error_abort);
    g_assert_true(qdev_realize(failing, ctrl->bus, &error_abort));
    assert_trace("pre_plug:failing,realize:failing,plug:failing");

    object_unref(leaf);
    object_unparent(OBJECT(taken));
    object_unref(taken);
    object_unparent(OBJECT(ctrl));
    assert_trace("unrealize:failing");
    object_unref(failing);
}

static void test_unattached_and_ids(void)
{
    DeviceState *gpio = qdev_new(TYPE_TEST_GPIO);
    DeviceState *a = qdev_new(TYPE_TEST_LEAF);
    DeviceState *b = new_named(TYPE_TEST_LEAF, "dup");
    DeviceState *c = qdev_new(TYPE_TEST_LEAF);
    g_autofree char *path = NULL;
    g_autofree char *anon_path = NULL;
    Error *err = NULL;

    g_assert_true(qdev_realize_and_unref(gpio, NULL, &error_abort));
    path = object_get_canonical_path(OBJECT(gpio));
    g_assert_true(g_str_has_prefix(path, "/machine/unattached/device["));

    qdev_set_id(c, g_strdup("dup"), &err);
    g_assert_cmpstr(error_get_pretty(err), ==, "Duplicate device ID 'dup'");
    error_free(err);
    g_assert_null(OBJECT(c)->parent);

    qdev_set_id(a, NULL, &error_abort);
    anon_path = object_get_canonical_path(OBJECT(a));
    g_assert_true(
        g_str_has_prefix(anon_path, "/machine/peripheral-anon/device["));
    object_unparent(OBJECT(a));
    object_unref(a);
    object_unparent(OBJECT(b));
    object_unref(b);
    object_unref(c);
    object_unparent(OBJECT(gpio));
}

static void test_bridge_teardown(void)
{
    TestCtrl *ctrl = new_ctrl(TYPE_TEST_CTRL, "ctrl3");
    DeviceState *bridge = plug_leaf(TYPE_TEST_BRIDGE, "br", ctrl->bus);
    BusState *sec = QLIST_FIRST(&bridge->child_bus);
    DeviceState *child;

    g_assert_true(sec == &((TestBridge *)bridge)->sec);
    g_assert_true(sec->realized);
    child = plug_leaf(TYPE_TEST_LEAF, "child", sec);
    g_assert_true(qbus_find_by_name(sec->name) == sec);
    assert_trace("realize:ctrl3,pre_plug:br,realize:br,plug:br,"
                 "realize:child");

    /* Resets run children first, buses after their devices. */
    qdev_reset_all();
    g_assert_nonnull(strstr(trace_str(), "reset:child,bus-reset:test-bus."));
    trace_clear();
    device_cold_reset(bridge);
    g_assert_true(g_str_has_prefix(trace_str(), "reset:child,bus-reset:"));
    g_assert_true(g_str_has_suffix(trace_str(), ",reset:br"));
    trace_clear();

    /* Unparenting the bridge takes its subtree, children first. */
    object_ref(child);
    object_unparent(OBJECT(bridge));
    assert_trace("unrealize:child,unrealize:br");
    g_assert_null(OBJECT(child)->parent);
    g_assert_false(child->realized);
    g_assert_null(child->parent_bus);
    g_assert_cmpuint(OBJECT(child)->ref, ==, 1);
    object_unref(child);
    g_assert_cmpint(ctrl->bus->num_children, ==, 0);
    object_unparent(OBJECT(ctrl));
    assert_trace("");
}

static char *unplug_error(DeviceState *dev)
{
    Error *err = NULL;
    char *msg;

    g_assert_false(qdev_unplug(dev, &err));
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    return msg;
}

static void test_device_unplug(void)
{
    TestCtrl *async = new_ctrl(TYPE_TEST_CTRL, "actrl");
    TestCtrl *sync = new_ctrl(TYPE_TEST_SYNC_CTRL, "sctrl");
    DeviceState *a = plug_leaf(TYPE_TEST_LEAF, "a", async->bus);
    DeviceState *s = plug_leaf(TYPE_TEST_LEAF, "s", sync->bus);
    DeviceState *nohp = plug_leaf(TYPE_TEST_LEAF_NOHP, "nohp", sync->bus);
    BusState *plain = qbus_new(TYPE_TEST_BUS, DEVICE(async), "plain");
    DeviceState *p = plug_leaf(TYPE_TEST_LEAF, "p", plain);
    g_autofree char *msg1 = NULL;
    g_autofree char *msg2 = NULL;
    g_autofree char *msg3 = NULL;

    trace_clear();
    g_assert_true(qdev_unplug(a, &error_abort));
    assert_trace("unplug_request:a,unplug:a,unrealize:a");
    g_assert_null(object_resolve_path("/machine/peripheral/a", NULL));
    g_assert_cmpint(async->bus->num_children, ==, 0);

    g_assert_true(qdev_unplug(s, &error_abort));
    assert_trace("unplug:s,unrealize:s");
    g_assert_null(object_resolve_path("/machine/peripheral/s", NULL));

    msg1 = unplug_error(nohp);
    g_assert_cmpstr(msg1, ==,
                    "Device 'test-leaf-nohp' does not support hotplugging");
    msg2 = unplug_error(p);
    g_assert_cmpstr(msg2, ==, "Bus 'plain' does not support hotplugging");
    msg3 = unplug_error(DEVICE(async));
    g_assert_cmpstr(msg3, ==,
                    "Bus 'main-system-bus' does not support "
                    "hotplugging");
    g_assert_false(
        object_property_get_bool(OBJECT(p), "hotpluggable", &error_abort));
    assert_trace("");
    object_unparent(OBJECT(async));
    object_unparent(OBJECT(sync));
    trace_clear();
}

static int gpio_seen_n = -1, gpio_seen_level = -1;

static void gpio_observer(void *opaque, int n, int level)
{
    g_assert_true(opaque == &gpio_seen_n);
    gpio_seen_n = n;
    gpio_seen_level = level;
}

static void test_gpio(void)
{
    TestGpio *src = (TestGpio *)qdev_new(TYPE_TEST_GPIO);
    TestGpio *dst = (TestGpio *)qdev_new(TYPE_TEST_GPIO);
    NamedGPIOList *in = qdev_get_named_gpio_list(DEVICE(dst), "in");

    g_assert_cmpint(in->num_in, ==, 2);
    g_assert_cmpint(qdev_get_named_gpio_list(DEVICE(src), NULL)->num_out, ==,
                    1);
    qdev_connect_gpio_out(DEVICE(src), 0,
                          qdev_get_gpio_in_named(DEVICE(dst), "in", 1));
    qemu_irq_raise(src->out);
    g_assert_cmpint(dst->last_n, ==, 1);
    g_assert_cmpint(dst->last_level, ==, 1);

    /* Intercepted inputs still reach the device; the test sees them too. */
    g_assert_cmpint(
        qdev_intercept_gpio_in(DEVICE(dst), "in", gpio_observer, &gpio_seen_n),
        ==, 2);
    qemu_irq_lower(src->out);
    g_assert_cmpint(dst->last_level, ==, 0);
    g_assert_cmpint(gpio_seen_n, ==, 1);
    g_assert_cmpint(gpio_seen_level, ==, 0);

    /* Intercepted outputs go to the test instead of their target. */
    g_assert_cmpint(
        qdev_intercept_gpio_out(DEVICE(src), NULL, gpio_observer, &gpio_seen_n),
        ==, 1);
    dst->last_level = -1;
    gpio_seen_n = -1;
    qemu_set_irq(src->out, 5);
    g_assert_cmpint(gpio_seen_n, ==, 0);
    g_assert_cmpint(gpio_seen_level, ==, 5);
    g_assert_cmpint(dst->last_level, ==, -1);
    g_assert_cmpint(qdev_intercept_gpio_out(DEVICE(src), "none", gpio_observer,
                                            &gpio_seen_n),
                    ==, 0);
    object_unref(src);
    object_unref(dst);
}

static uint64_t dummy_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0x1234;
}

static void dummy_write(void *opaque, hwaddr addr, uint64_t data, unsigned size)
{
}

static const MemoryRegionOps dummy_ops = {
    .read = dummy_read,
    .write = dummy_write,
};

static void test_sysbus(void)
{
    TestCtrl *ctrl = new_ctrl(TYPE_TEST_CTRL, "mmio");
    SysBusDevice *sbd = SYS_BUS_DEVICE(ctrl);
    MemoryRegion mr;
    qemu_irq irqs[2] = {NULL, NULL};
    TestGpio *sink = (TestGpio *)qdev_new(TYPE_TEST_GPIO);
    uint32_t val = 0;

    memory_region_init_io(&mr, OBJECT(ctrl), &dummy_ops, NULL, "test-mmio",
                          0x1000);
    sysbus_init_mmio(sbd, &mr);
    g_assert_cmpuint(sysbus_mmio_get_addr(sbd, 0), ==, (hwaddr)-1);
    sysbus_mmio_map(sbd, 0, 0x9000000);
    g_assert_true(sysbus_mmio_get_region(sbd, 0) == &mr);
    g_assert_cmpuint(sysbus_mmio_get_addr(sbd, 0), ==, 0x9000000);
    g_assert_true(memory_region_is_mapped(&mr));
    address_space_read(&address_space_memory, 0x9000000, MEMTXATTRS_UNSPECIFIED,
                       &val, 4);
    g_assert_cmphex(val, ==, 0x1234);
    sysbus_mmio_unmap(sbd, 0);
    g_assert_false(memory_region_is_mapped(&mr));

    sysbus_init_irq(sbd, &irqs[0]);
    sysbus_init_irq(sbd, &irqs[1]);
    g_assert_cmpint(sbd->num_irq, ==, 2);
    sysbus_connect_irq(sbd, 1, qdev_get_gpio_in_named(DEVICE(sink), "in", 0));
    qemu_irq_raise(irqs[1]);
    g_assert_cmpint(sink->last_level, ==, 1);
    g_assert_null(irqs[0]);

    memory_region_destroy(&mr);
    object_unparent(OBJECT(ctrl));
    object_unref(sink);
    trace_clear();
}

static bool init_done_ok(void *opaque, Error **errp)
{
    trace_add("done:%s", (const char *)opaque);
    return true;
}

static bool init_done_fail(void *opaque, Error **errp)
{
    trace_add("fail:%s", (const char *)opaque);
    error_setg(errp, "%s is not happy", (const char *)opaque);
    return false;
}

static void test_init_done(void)
{
    Error *err = NULL;

    qdev_add_machine_init_done(init_done_ok, "one");
    qdev_add_machine_init_done(init_done_ok, "two");
    g_assert_true(qdev_run_machine_init_done(&error_abort));
    assert_trace("done:one,done:two");

    qdev_remove_machine_init_done(init_done_ok, "one");
    qdev_add_machine_init_done(init_done_fail, "smmu");
    qdev_add_machine_init_done(init_done_ok, "three");
    g_assert_false(qdev_run_machine_init_done(&err));
    g_assert_cmpstr(error_get_pretty(err), ==, "smmu is not happy");
    error_free(err);
    assert_trace("done:two,fail:smmu");
    qdev_remove_machine_init_done(init_done_ok, "two");
    qdev_remove_machine_init_done(init_done_fail, "smmu");
    qdev_remove_machine_init_done(init_done_ok, "three");
}

static void capture_report(const char *line, void *opaque)
{
    g_string_append((GString *)opaque, line);
}

static void test_check_globals(void)
{
    static GlobalProperty globals[] = {
        {"no-such-type", "x", "1"},
        {TYPE_TEST_LEAF_NOHP, "fail", "off"},
        {TYPE_TEST_LEAF, "fail", "off"},
    };
    g_autoptr(GString) out = g_string_new(NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(globals); i++) {
        qdev_prop_register_global(&globals[i]);
    }
    error_set_report_sink(capture_report, out);
    qdev_prop_check_globals();
    error_set_report_sink(NULL, NULL);
    g_assert_nonnull(strstr(out->str, "warning: global no-such-type.x has "
                                      "invalid class name"));
    g_assert_nonnull(strstr(out->str, "warning: global "
                                      "test-leaf-nohp.fail=off not used"));
    /* Hot-pluggable types may still use it later: no warning. */
    g_assert_null(strstr(out->str, "test-leaf.fail"));
}

/* After machine creation: devices are hot-plugged. Runs last. */
static void test_hotplug(void)
{
    TestCtrl *ctrl = new_ctrl(TYPE_TEST_CTRL, "hctrl");
    DeviceState *nohp = new_named(TYPE_TEST_LEAF_NOHP, "nohp2");
    BusState *plain = qbus_new(TYPE_TEST_BUS, DEVICE(ctrl), "plain2");
    DeviceState *leaf2 = qdev_new(TYPE_TEST_LEAF);
    DeviceState *hot;

    qdev_machine_creation_done();
    g_assert_true(qdev_machine_creation_done_p());
    trace_clear();

    hot = plug_leaf(TYPE_TEST_LEAF, "hot", ctrl->bus);
    g_assert_true(hot->hotplugged);
    assert_trace("pre_plug:hot,realize:hot,reset:hot,plug:hot(hot)");

    assert_realize_error(nohp, ctrl->bus,
                         "Device 'test-leaf-nohp' does not support "
                         "hotplugging");
    assert_realize_error(leaf2, plain,
                         "Bus 'plain2' does not support hotplugging");
    assert_trace("");
    object_unparent(OBJECT(nohp));
    object_unref(nohp);
    object_unref(leaf2);
    object_unparent(OBJECT(ctrl));
    assert_trace("unrealize:hot");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qdev/new", test_new);
    g_test_add_func("/qdev/bus-names", test_bus_names);
    g_test_add_func("/qdev/realize-on-bus", test_realize_on_bus);
    g_test_add_func("/qdev/realize-errors", test_realize_errors);
    g_test_add_func("/qdev/unattached-and-ids", test_unattached_and_ids);
    g_test_add_func("/qdev/bridge-teardown", test_bridge_teardown);
    g_test_add_func("/qdev/unplug", test_device_unplug);
    g_test_add_func("/qdev/gpio", test_gpio);
    g_test_add_func("/qdev/sysbus", test_sysbus);
    g_test_add_func("/qdev/init-done", test_init_done);
    g_test_add_func("/qdev/check-globals", test_check_globals);
    g_test_add_func("/qdev/hotplug", test_hotplug);
    return g_test_run();
}
