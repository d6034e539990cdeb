/*
 * The qtest server in process: line framing, request parsing, replies,
 * the virtual clock with pending timers, and GPIO interception.
 */
#include "qemu/osdep.h"
#include "hw/core/qdev.h"
#include "qemu/timer.h"
#include "system/memory.h"
#include "system/qtest.h"

#define RAM_BASE 0x10000000ULL
#define PORT_BASE 0x100

static GString *sent;
static MemoryRegion ram;
static MemoryRegion ports;
static uint64_t port_last_write;

static void capture(void *opaque, const char *str)
{
    g_string_append(sent, str);
}

static void feed(const char *text)
{
    qtest_server_set_send_handler(capture, NULL);
    qtest_server_inproc_recv(text, strlen(text));
}

/* Everything the server sent in answer to one request line. */
static char *request(const char *line)
{
    g_autofree char *wire = g_strconcat(line, "\n", NULL);

    g_string_truncate(sent, 0);
    feed(wire);
    return g_strdup(sent->str);
}

#define assert_request(line, expected)                                         \
    do {                                                                       \
        g_autofree char *_out = request(line);                                 \
        g_assert_cmpstr(_out, ==, expected);                                   \
    } while (0)

static uint64_t port_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0xa5a5a5a5u >> (8 * (4 - size));
}

static void port_write(void *opaque, hwaddr addr, uint64_t data, unsigned size)
{
    port_last_write = data;
}

static const MemoryRegionOps port_ops = {
    .read = port_read,
    .write = port_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
};

/* A device whose input 0 drives output 0, plus a named output list. */
#define TYPE_GPIO_TEST "gpio-test-device"
typedef struct GPIOTestDevice {
    DeviceState parent_obj;
    qemu_irq out[2];
    qemu_irq named[1];
    int in_level;
} GPIOTestDevice;

static void gpio_test_in(void *opaque, int n, int level)
{
    GPIOTestDevice *d = opaque;

    d->in_level = level;
    qemu_set_irq(d->out[0], level);
}

static void gpio_test_init(Object *obj)
{
    GPIOTestDevice *d = (GPIOTestDevice *)obj;

    qdev_init_gpio_in(DEVICE(obj), gpio_test_in, 1);
    qdev_init_gpio_out(DEVICE(obj), d->out, 2);
    qdev_init_gpio_out_named(DEVICE(obj), d->named, "alarm", 1);
}

static const TypeInfo gpio_test_type = {
    .name = TYPE_GPIO_TEST,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(GPIOTestDevice),
    .instance_init = gpio_test_init,
};

static void register_types(void)
{
    type_register_static(&gpio_test_type);
}

type_init(register_types)

    static GPIOTestDevice *gpio_dev(const char *name)
{
    Object *obj = object_resolve_path_component(object_get_root(), name);

    if (!obj) {
        obj = object_new(TYPE_GPIO_TEST);
        object_property_add_child(object_get_root(), name, obj);
        object_unref(obj);
    }
    return (GPIOTestDevice *)obj;
}

static void test_framing(void)
{
    g_string_truncate(sent, 0);
    feed("endi");
    g_assert_cmpstr(sent->str, ==, "");
    feed("anness\nendian");
    g_assert_cmpstr(sent->str, ==, "OK little\n");
    feed("ness\nendianness\r\n");
    g_assert_cmpstr(sent->str, ==, "OK little\nOK little\nOK little\n");

    g_string_truncate(sent, 0);
    qtest_server_inproc_recv("endianness\0x\n", 13);
    g_assert_cmpstr(sent->str, ==, "ERR invalid character in request\n");
    assert_request("", "ERR empty request\n");
}

static void test_long_line(void)
{
    g_autofree char *chunk = g_strnfill(64 * 1024, 'a');

    g_string_truncate(sent, 0);
    for (int i = 0; i < 16; i++) {
        feed(chunk);
    }
    g_assert_cmpstr(sent->str, ==, "");
    /* Crossing the limit answers once; the rest of the line is dropped. */
    feed("a");
    g_assert_cmpstr(sent->str, ==, "ERR line too long\n");
    feed(chunk);
    feed("\nendianness\n");
    g_assert_cmpstr(sent->str, ==, "ERR line too long\nOK little\n");
}

static void test_memory(void)
{
    assert_request("writeq 0x10000000 0x1122334455667788", "OK\n");
    assert_request("readq 0x10000000", "OK 0x1122334455667788\n");
    assert_request("readb 0x10000000", "OK 0x0000000000000088\n");
    assert_request("readw 268435462", "OK 0x0000000000001122\n");
    assert_request("read 0x10000000 3", "OK 0x887766\n");
    assert_request("write 0x10000010 4 0xa1b2c", "OK\n");
    assert_request("read 0x10000010 4", "OK 0xa1b20000\n");
    assert_request("b64write 0x10000020 2 //8=", "OK\n");
    assert_request("b64read 0x10000020 2", "OK //8=\n");
    assert_request("memset 0x10000020 4 0x1ff", "OK\n");
    assert_request("read 0x10000020 4", "OK 0xffffffff\n");
    assert_request("memset 0x10000020 0x40000001 0", "ERR size 1073741825 "
                                                     "too large\n");
    assert_request("read 0x10000000 0x1000001", "ERR size 16777217 too "
                                                "large\n");
}

static void test_ports(void)
{
    assert_request("outw 0x100 0xbeef", "OK\n");
    g_assert_cmphex(port_last_write, ==, 0xbeef);
    assert_request("inb 0x100", "OK 0x00a5\n");
    assert_request("inl 0x100", "OK 0xa5a5a5a5\n");
    assert_request("outb 0x10000 1", "ERR invalid port '0x10000'\n");
}

static void fire(void *opaque)
{
    (*(int *)opaque)++;
}

static void test_clock(void)
{
    int fired = 0;
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    QEMUTimer *t = timer_new_ns(QEMU_CLOCK_VIRTUAL, fire, &fired);
    g_autofree char *expected = NULL;
    g_autofree char *line = NULL;

    assert_request("clock_step",
                   "FAIL cannot advance clock to the next deadline because "
                   "there is no pending deadline\n");
    timer_mod(t, now + 1000);
    expected = g_strdup_printf("OK %" PRIi64 "\n", now + 1000);
    assert_request("clock_step", expected);
    g_assert_cmpint(fired, ==, 1);

    timer_mod(t, now + 5000);
    g_free(expected);
    expected = g_strdup_printf("OK %" PRIi64 "\n", now + 1500);
    assert_request("clock_step 500", expected);
    g_assert_cmpint(fired, ==, 1);
    g_free(expected);
    expected = g_strdup_printf("OK %" PRIi64 "\n", now + 6000);
    g_free(line);
    line = g_strdup_printf("clock_set %" PRIi64, now + 6000);
    assert_request(line, expected);
    g_assert_cmpint(fired, ==, 2);
    assert_request("clock_step -1", "ERR invalid step '-1'\n");
    timer_free(t);

    qtest_set_accel(false);
    assert_request("clock_step 1", "FAIL Unknown command 'clock_step'\n");
    assert_request("clock_set 1", "FAIL Unknown command 'clock_set'\n");
    qtest_set_accel(true);
}

static void test_irq_out(void)
{
    GPIOTestDevice *d = gpio_dev("gpio-a");

    gpio_dev("gpio-b");
    assert_request("irq_intercept_out /gpio-a", "OK\n");
    /* Only changes are reported. */
    g_string_truncate(sent, 0);
    qemu_set_irq(d->out[1], 1);
    qemu_set_irq(d->out[1], 1);
    g_assert_cmpstr(sent->str, ==, "IRQ raise 1\n");
    qemu_set_irq(d->out[1], 0);
    /* Both lists are intercepted: the unnamed one and "alarm". */
    qemu_set_irq(d->named[0], 5);
    qemu_set_irq(d->named[0], 0);
    g_assert_cmpstr(sent->str, ==,
                    "IRQ raise 1\nIRQ lower 1\nIRQ raise 0\nIRQ lower 0\n");

    /* Notifications precede the reply of the request causing them. */
    assert_request("set_irq_in /gpio-a unnamed-gpio-in 0 1",
                   "IRQ raise 0\nOK\n");
    g_assert_cmpint(d->in_level, ==, 1);
    assert_request("set_irq_in gpio-a unnamed-gpio-in 0 1", "OK\n");
    assert_request("set_irq_in /gpio-a unnamed-gpio-in 0 0",
                   "IRQ lower 0\nOK\n");
    assert_request("set_irq_in /gpio-a unnamed-gpio-in 1 0",
                   "ERR no GPIO input 'unnamed-gpio-in' 1\n");
    assert_request("set_irq_in /gpio-a alarm 0 0",
                   "ERR no GPIO input 'alarm' 0\n");

    assert_request("irq_intercept_out /gpio-a", "OK\n");
    assert_request("irq_intercept_in /gpio-a", "OK\n");
    assert_request("irq_intercept_out /gpio-b",
                   "FAIL IRQ intercept already enabled\n");
}

static void test_irq_errors(void)
{
    gpio_dev("gpio-c");
    assert_request("irq_intercept_out /nowhere", "FAIL Unknown device\n");
    /* An object that is not a device. */
    assert_request("irq_intercept_in /", "FAIL Unknown device\n");
    assert_request("irq_intercept_in /gpio-c alarm",
                   "FAIL Interception of named in-GPIOs not yet "
                   "supported\n");
    assert_request("irq_intercept_out /gpio-c nosuchlist",
                   "FAIL No intercepts installed\n");
    assert_request("irq_intercept_out /gpio-c alarm", "OK\n");
}

static void test_irq_in(void)
{
    GPIOTestDevice *d = gpio_dev("gpio-d");

    assert_request("irq_intercept_in /gpio-d", "OK\n");
    /* The device still sees its input, and the test sees it too. */
    assert_request("set_irq_in /gpio-d unnamed-gpio-in 0 1",
                   "IRQ raise 0\nOK\n");
    g_assert_cmpint(d->in_level, ==, 1);
}

static void test_malformed(void)
{
    assert_request("nonsense", "FAIL Unknown command 'nonsense'\n");
    assert_request("readl", "ERR missing argument for 'readl'\n");
    assert_request("readl 1 2", "ERR too many arguments for 'readl'\n");
    assert_request("readl -x", "ERR invalid number '-x'\n");
    assert_request("clock_set soon", "ERR invalid number 'soon'\n");
    assert_request("write 0x10000000 4 0x", "ERR invalid argument size\n");
    assert_request("b64write 0x10000000 4 ab", "ERR invalid argument size\n");
    assert_request("b64write 0x10000000 4 ab~d", "ERR invalid base64 data\n");
    assert_request("set_irq_in /gpio-x unnamed-gpio-in 0 1",
                   "FAIL Unknown device\n");
    assert_request("module_load a b", "FAIL\n");
    assert_request("endianness now", "ERR too many arguments for "
                                     "'endianness'\n");
}

/* Interception state is per process: those tests get their own. */
static void run_in_subprocess(gconstpointer path)
{
    if (g_test_subprocess()) {
        ((GTestFunc)path)();
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}

static void test_log_open_error(void)
{
    Error *err = NULL;

    g_assert_false(qtest_server_init("stdio", "/nonexistent/dir/log", &err));
    g_assert_nonnull(strstr(error_get_pretty(err),
                            "Cannot open qtest log '/nonexistent/dir/log'"));
    error_free(err);
}

int main(int argc, char **argv)
{
    Error *err = NULL;

    g_test_init(&argc, &argv, NULL);
    memory_init();
    g_assert_true(
        memory_region_init_ram(&ram, NULL, "test.ram", 64 * KiB, &err));
    memory_region_add_subregion(get_system_memory(), RAM_BASE, &ram);
    memory_region_init_io(&ports, NULL, &port_ops, NULL, "test.ports", 4);
    memory_region_add_subregion(get_system_io(), PORT_BASE, &ports);

    sent = g_string_new(NULL);
    qtest_set_accel(true);

    /* First: it needs a server not yet started. */
    g_test_add_func("/qtest-server/log-open-error", test_log_open_error);

    g_test_add_func("/qtest-server/framing", test_framing);
    g_test_add_func("/qtest-server/long-line", test_long_line);
    g_test_add_func("/qtest-server/memory", test_memory);
    g_test_add_func("/qtest-server/ports", test_ports);
    g_test_add_func("/qtest-server/clock", test_clock);
    g_test_add_func("/qtest-server/malformed", test_malformed);
    g_test_add_data_func("/qtest-server/irq-out", test_irq_out,
                         run_in_subprocess);
    g_test_add_data_func("/qtest-server/irq-errors", test_irq_errors,
                         run_in_subprocess);
    g_test_add_data_func("/qtest-server/irq-in", test_irq_in,
                         run_in_subprocess);
    return g_test_run();
}
