/*
 * The qtest protocol end to end: request and reply formats, guest memory
 * and I/O port access, the virtual clock, GPIO interception errors, and
 * the server surviving malformed requests.
 */
#include "libqtest.h"

#include <string.h>
#include <unistd.h>

typedef struct Machine {
    const char *args;
    uint64_t ram; /* an address in RAM */
    /* Devices with output GPIO lines, for the interception test. */
    const char *irq_args;
} Machine;

static Machine machine;

static QTestState *start(void)
{
    return qtest_init(machine.args);
}

/* Asserts the reply to one request line. */
G_GNUC_PRINTF(3, 4)
static void assert_reply(QTestState *qts, const char *expected, const char *fmt,
                         ...)
{
    va_list ap;
    g_autofree char *line = NULL;
    g_autofree char *reply = NULL;

    va_start(ap, fmt);
    line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    reply = qtest_raw_cmd(qts, "%s", line);
    g_assert_cmpstr(reply, ==, expected);
}

static void test_endianness(void)
{
    QTestState *qts = start();

    assert_reply(qts, "OK little", "endianness");
    qtest_quit(qts);
}

static void test_sized_access(void)
{
    QTestState *qts = start();
    uint64_t a = machine.ram;

    qtest_writeb(qts, a, 0x5a);
    g_assert_cmphex(qtest_readb(qts, a), ==, 0x5a);
    qtest_writew(qts, a, 0xbeef);
    g_assert_cmphex(qtest_readw(qts, a), ==, 0xbeef);
    qtest_writel(qts, a, 0x11223344);
    g_assert_cmphex(qtest_readl(qts, a), ==, 0x11223344);
    qtest_writeq(qts, a, 0x0102030405060708ULL);
    g_assert_cmphex(qtest_readq(qts, a), ==, 0x0102030405060708ULL);

    /* Little-endian in memory. */
    g_assert_cmphex(qtest_readb(qts, a), ==, 0x08);
    g_assert_cmphex(qtest_readw(qts, a + 6), ==, 0x0102);
    g_assert_cmphex(qtest_readl(qts, a + 2), ==, 0x03040506);

    /* Exact reply formats: always 16 hex digits; plain OK for writes. */
    assert_reply(qts, "OK 0x0000000000000008", "readb 0x%" PRIx64, a);
    assert_reply(qts, "OK 0x0000000000000708", "readw 0x%" PRIx64, a);
    assert_reply(qts, "OK 0x0102030405060708", "readq %" PRIu64, a);
    assert_reply(qts, "OK", "writel 0x%" PRIx64 " 0xcafe", a);
    assert_reply(qts, "OK 0x000000000000cafe", "readl 0x%" PRIx64, a);
    /* Values wider than the access are truncated to it. */
    assert_reply(qts, "OK", "writeb 0x%" PRIx64 " 0x1ff", a);
    assert_reply(qts, "OK 0x000000000000caff", "readl 0x%" PRIx64, a);
    qtest_quit(qts);
}

static void test_io_ports(void)
{
    QTestState *qts = start();
    static const char *const reads[] = {"inb", "inw", "inl"};

    assert_reply(qts, "OK", "outb 0x%x 0x%x", 0x5ff0, 0x12);
    assert_reply(qts, "OK", "outw 0x%x 0x%x", 0x5ff0, 0x1234);
    assert_reply(qts, "OK", "outl 0x%x 0x%x", 0x5ff0, 0x12345678);
    for (size_t i = 0; i < G_N_ELEMENTS(reads); i++) {
        g_autofree char *reply = qtest_raw_cmd(qts, "%s 0x5ff0", reads[i]);

        /* "OK 0x%04x": at least four hex digits. */
        g_assert_true(
            g_regex_match_simple("^OK 0x[0-9a-f]{4,8}$", reply, 0, 0));
    }
    assert_reply(qts, "ERR invalid port '0x10000'", "inb 0x10000");
    qtest_quit(qts);
}

static void test_read_write(void)
{
    QTestState *qts = start();
    uint64_t a = machine.ram + 0x1000;

    assert_reply(qts, "OK", "write 0x%" PRIx64 " 4 0xdeadbeef", a);
    assert_reply(qts, "OK 0xdeadbeef", "read 0x%" PRIx64 " 4", a);
    g_assert_cmphex(qtest_readl(qts, a), ==, 0xefbeadde);

    /* Short data is zero-filled up to SIZE; extra digits are ignored. */
    assert_reply(qts, "OK", "write 0x%" PRIx64 " 4 0x11", a);
    assert_reply(qts, "OK 0x11000000", "read 0x%" PRIx64 " 4", a);
    assert_reply(qts, "OK", "write 0x%" PRIx64 " 1 0xaabbcc", a);
    assert_reply(qts, "OK 0xaa000000", "read 0x%" PRIx64 " 4", a);

    /* Fewer than 3 characters of data. */
    assert_reply(qts, "ERR invalid argument size", "write 0x%" PRIx64 " 4 0x",
                 a);
    assert_reply(qts, "ERR invalid argument size", "write 0x%" PRIx64 " 4 1",
                 a);
    assert_reply(qts, "OK 0xaa000000", "read 0x%" PRIx64 " 4", a);
    qtest_quit(qts);
}

static void test_base64_and_memset(void)
{
    QTestState *qts = start();
    uint64_t a = machine.ram + 0x2000;
    g_autofree uint8_t *in = g_malloc(100 * 1024);
    g_autofree uint8_t *out = g_malloc(100 * 1024);
    uint8_t small[8];

    for (size_t i = 0; i < 100 * 1024; i++) {
        in[i] = g_test_rand_int_range(0, 256);
    }
    /* Larger than one hex chunk of the client: several requests. */
    qtest_memwrite(qts, a, in, 100 * 1024);
    qtest_bufread(qts, a, out, 100 * 1024);
    g_assert_cmpmem(in, 100 * 1024, out, 100 * 1024);

    qtest_memset(qts, a, 0x06, 4);
    assert_reply(qts, "OK BgYGBg==", "b64read 0x%" PRIx64 " 4", a);
    assert_reply(qts, "OK", "b64write 0x%" PRIx64 " 3 AQID", a);
    assert_reply(qts, "OK AQIDBg==", "b64read 0x%" PRIx64 " 4", a);
    /* A length mismatch writes what was given, up to SIZE. */
    assert_reply(qts, "OK", "b64write 0x%" PRIx64 " 8 AQID", a);
    assert_reply(qts, "OK 0x01020306", "read 0x%" PRIx64 " 4", a);

    assert_reply(qts, "OK", "memset 0x%" PRIx64 " 0 0x55", a);
    assert_reply(qts, "OK", "memset 0x%" PRIx64 " 8 0x55", a);
    qtest_memread(qts, a, small, sizeof(small));
    for (size_t i = 0; i < sizeof(small); i++) {
        g_assert_cmphex(small[i], ==, 0x55);
    }
    qtest_bufwrite(qts, a, in, 64);
    qtest_memread(qts, a, out, 64);
    g_assert_cmpmem(in, 64, out, 64);
    qtest_quit(qts);
}

static void test_clock(void)
{
    QTestState *qts = start();
    g_autofree char *expected = NULL;
    int64_t t0, t1;

    assert_reply(qts,
                 "FAIL cannot advance clock to the next deadline because "
                 "there is no pending deadline",
                 "clock_step");
    t0 = qtest_clock_step(qts, 100);
    g_assert_cmpint(t0, >=, 100);
    assert_reply(qts, "FAIL could not advance time", "clock_step 0");

    t1 = qtest_clock_set(qts, t0 + 500);
    g_assert_cmpint(t1, ==, t0 + 500);
    /* The clock never goes back: the reply names where it is. */
    expected = g_strdup_printf("FAIL %" PRIi64, t1);
    assert_reply(qts, expected, "clock_set %" PRIi64, t0);
    g_free(expected);
    expected = g_strdup_printf("OK %" PRIi64, t1);
    assert_reply(qts, expected, "clock_set %" PRIi64, t1);
    g_assert_cmpint(qtest_clock_step(qts, 0x10), ==, t1 + 0x10);
    qtest_quit(qts);
}

static void test_unknown_and_malformed(void)
{
    QTestState *qts = start();
    uint64_t a = machine.ram;

    assert_reply(qts, "FAIL Unknown command 'frobnicate'", "frobnicate 1 2");
    assert_reply(qts, "FAIL Unknown command 'READB'", "READB 0x0");
    assert_reply(qts, "ERR empty request", "%s", "");
    assert_reply(qts, "ERR missing argument for 'readb'", "readb");
    assert_reply(qts, "ERR too many arguments for 'readb'", "readb 0 0");
    assert_reply(qts, "ERR invalid number 'zz'", "readb zz");
    assert_reply(qts, "ERR invalid number '0x1g'", "writeb 0x%" PRIx64 " 0x1g",
                 a);
    assert_reply(qts, "ERR invalid number ''", "writeb  0x0");
    assert_reply(qts, "ERR invalid argument size", "read 0x%" PRIx64 " 0", a);
    assert_reply(qts, "ERR invalid argument size", "b64read 0x%" PRIx64 " 0",
                 a);
    assert_reply(qts, "ERR invalid hex data", "write 0x%" PRIx64 " 2 0xzz", a);
    assert_reply(qts, "ERR invalid hex data", "write 0x%" PRIx64 " 2 1234", a);
    assert_reply(qts, "ERR invalid base64 data",
                 "b64write 0x%" PRIx64 " 3 A*ID", a);
    assert_reply(qts, "ERR size 4294967296 too large",
                 "read 0x%" PRIx64 " 0x100000000", a);
    assert_reply(qts, "ERR address range wraps around",
                 "read 0xffffffffffffffff 2");
    assert_reply(qts, "ERR missing argument for 'set_irq_in'",
                 "set_irq_in /machine x 0");
    assert_reply(qts, "FAIL", "module_load accel tcg");

    /* Still serving, and memory is intact. */
    qtest_writel(qts, a, 0x600dcafe);
    assert_reply(qts, "OK little", "endianness");
    g_assert_cmphex(qtest_readl(qts, a), ==, 0x600dcafe);
    qtest_quit(qts);
}

static void test_long_line(void)
{
    QTestState *qts = start();
    g_autofree char *junk = g_strnfill(1024 * 1024 + 100, 'x');

    /* One reply for the whole overlong line, then normal service. */
    assert_reply(qts, "ERR line too long", "writeb %s", junk);
    assert_reply(qts, "OK little", "endianness");
    qtest_quit(qts);
}

/* Collects the QOM paths below path (depth-limited), children only. */
static void collect_paths(QTestState *qts, const char *path, int depth,
                          GPtrArray *out)
{
    g_autofree char *quoted = qtest_json_quote(path);
    g_autoptr(JsonNode) list = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'qom-list', 'arguments': {'path': %s}}", quoted);
    JsonArray *props = json_node_get_array(list);

    for (guint i = 0; i < json_array_get_length(props); i++) {
        JsonObject *prop = json_array_get_object_element(props, i);
        const char *type = json_object_get_string_member(prop, "type");
        g_autofree char *child = NULL;

        if (!g_str_has_prefix(type, "child<")) {
            continue;
        }
        child = g_strdup_printf("%s/%s", strcmp(path, "/") ? path : "",
                                json_object_get_string_member(prop, "name"));
        g_ptr_array_add(out, g_strdup(child));
        if (depth > 1) {
            collect_paths(qts, child, depth - 1, out);
        }
    }
}

static void test_irq_intercept(void)
{
    QTestState *qts = qtest_initf("%s %s", machine.args,
                                  machine.irq_args ? machine.irq_args : "");
    g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
    const char *intercepted = NULL, *other = NULL;

    assert_reply(qts, "FAIL Unknown device",
                 "irq_intercept_in /machine/no-such-device");
    assert_reply(qts, "FAIL Unknown device",
                 "irq_intercept_out /machine/no-such-device");
    assert_reply(qts, "FAIL Unknown device", "set_irq_in /nope x 0 1");

    collect_paths(qts, "/machine", 4, paths);
    for (guint i = 0; i < paths->len; i++) {
        const char *p = paths->pdata[i];
        g_autofree char *reply = qtest_raw_cmd(qts, "irq_intercept_out %s", p);

        if (strcmp(reply, "FAIL Unknown device") == 0) {
            continue; /* not a device */
        }
        if (strcmp(reply, "OK") == 0) {
            intercepted = p;
            break;
        }
        g_assert_cmpstr(reply, ==, "FAIL No intercepts installed");
        other = p;
    }
    if (!intercepted) {
        g_test_skip("no device with output GPIO lines on this machine");
        qtest_quit(qts);
        return;
    }
    assert_reply(qts, "FAIL Interception of named in-GPIOs not yet supported",
                 "irq_intercept_in %s some-name", intercepted);
    /* Again on the same device: fine; on another one: refused. */
    assert_reply(qts, "OK", "irq_intercept_out %s", intercepted);
    assert_reply(qts, "OK", "irq_intercept_in %s", intercepted);
    for (guint i = 0; !other && i < paths->len; i++) {
        const char *p = paths->pdata[i];
        g_autofree char *reply = qtest_raw_cmd(qts, "irq_intercept_out %s", p);

        if (p != intercepted && strcmp(reply, "FAIL Unknown device") != 0) {
            other = p;
            g_assert_cmpstr(reply, ==, "FAIL IRQ intercept already enabled");
        }
    }
    if (other) {
        assert_reply(qts, "FAIL IRQ intercept already enabled",
                     "irq_intercept_out %s", other);
    }
    g_assert_false(qtest_get_irq(qts, 0));
    qtest_quit(qts);
}

/* Events read while waiting for replies are kept, in order. */
static void test_event_queue(void)
{
    QTestState *qts = start();
    JsonObject *ev;

    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    qtest_qmp_eventwait(qts, "RESUME");
    ev = qtest_qmp_event_ref(qts, "STOP");
    g_assert_nonnull(ev);
    json_object_unref(ev);
    g_assert_null(qtest_qmp_event_ref(qts, "STOP"));
    qtest_quit(qts);
}

static void test_fd_passing(void)
{
    QTestState *qts = start();
    JsonObject *rsp;
    int fds[2];

    g_assert_cmpint(pipe(fds), ==, 0);
    rsp = qtest_qmp_fds(qts, &fds[0], 1,
                        "{'execute': 'getfd', 'arguments': {'fdname': 'p0'}}");
    g_assert_true(json_object_has_member(rsp, "return"));
    json_object_unref(rsp);
    close(fds[0]);
    close(fds[1]);
    qtest_qmp_assert_success(
        qts, "{'execute': 'closefd', 'arguments': {'fdname': 'p0'}}");
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'closefd', 'arguments': {'fdname': "
                       "'p0'}}"),
        "GenericError", NULL);
    qtest_quit(qts);
}

/* The emulator may go first: qtest_quit then only collects its status. */
static void test_qmp_quit(void)
{
    QTestState *qts = start();

    qtest_qmp_assert_success(qts, "{'execute': 'quit'}");
    qtest_quit(qts);
}

static void test_bad_command_line(void)
{
    g_autofree char *err = NULL;
    g_autofree char *args =
        g_strdup_printf("%s -no-such-option-xyz", machine.args);
    int status;

    qtest_init_expect_failure(args, &status, &err);
    g_assert_cmpint(status, ==, 1);
    g_assert_nonnull(strstr(err, "-no-such-option-xyz"));
}

static void test_machine_list(void)
{
    g_assert_true(qtest_has_machine(
        strcmp(qtest_get_arch(), "aarch64") == 0 ? "virt" : "q35"));
    g_assert_false(qtest_has_machine("no-such-machine"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    if (strcmp(qtest_get_arch(), "aarch64") == 0) {
        /* Two SMMUs: each has four interrupt outputs. */
        machine = (Machine){"-machine virt", 0x40000000,
                            "-machine iommu=smmuv3 "
                            "-device pxb-pcie,id=pxb1,bus_nr=2,bus=pcie.0 "
                            "-device arm-smmuv3,primary-bus=pxb1"};
    } else {
        machine = (Machine){"-machine q35", 0x100000};
    }
    g_test_add_func("/qtest/protocol/endianness", test_endianness);
    g_test_add_func("/qtest/protocol/sized-access", test_sized_access);
    g_test_add_func("/qtest/protocol/io-ports", test_io_ports);
    g_test_add_func("/qtest/protocol/read-write", test_read_write);
    g_test_add_func("/qtest/protocol/base64-memset", test_base64_and_memset);
    g_test_add_func("/qtest/protocol/clock", test_clock);
    g_test_add_func("/qtest/protocol/malformed", test_unknown_and_malformed);
    g_test_add_func("/qtest/protocol/long-line", test_long_line);
    g_test_add_func("/qtest/protocol/irq-intercept", test_irq_intercept);
    g_test_add_func("/qtest/libqtest/event-queue", test_event_queue);
    g_test_add_func("/qtest/libqtest/fd-passing", test_fd_passing);
    g_test_add_func("/qtest/libqtest/qmp-quit", test_qmp_quit);
    g_test_add_func("/qtest/launch/bad-command-line", test_bad_command_line);
    g_test_add_func("/qtest/launch/machine-list", test_machine_list);
    return g_test_run();
}
