/*
 * The command line end to end: the launch lines of libqtest and libvirt
 * start, bad input fails during start-up with exit status 1 and one line
 * naming the problem, and the help forms print what they should.
 */
#include "libqtest.h"

#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Per-target board facts. */
typedef struct Board {
    const char *machine;
    const char *ram_id; /* libvirt's RAM backend id */
    const char *cpu;
    uint64_t ram_base;
} Board;

static Board board;

static char *tmp_path(const char *name)
{
    return g_strdup_printf("%s/wpf-%d-%s", g_get_tmp_dir(), (int)getpid(),
                           name);
}

static void assert_status(QTestState *qts, const char *status)
{
    JsonNode *ret = qtest_qmp_assert_success_ref(qts,
                                                 "{'execute': 'query-status'}");

    g_assert_cmpstr(json_object_get_string_member(json_node_get_object(ret),
                                                  "status"), ==, status);
    json_node_unref(ret);
}

/* The first scenario, with -accel kvm/tcg tried before qtest. */
static void test_start_basic(void)
{
    QTestState *qts = qtest_initf("-M %s -accel kvm -accel tcg",
                                  board.machine);
    g_autofree char *err = NULL;

    assert_status(qts, "running");
    err = qtest_get_stderr(qts);
    g_assert_cmpstr(err, ==, "");
    qtest_quit(qts);
}

static int unix_connect(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), ==,
                    0);
    return fd;
}

/* Reads one QMP message line from fd (QMP ends lines with CR LF). */
static char *read_line(int fd)
{
    GString *line = g_string_new(NULL);
    char c;

    while (read(fd, &c, 1) == 1 && c != '\n') {
        g_string_append_c(line, c);
    }
    return g_strchomp(g_string_free(line, false));
}

static void write_str(int fd, const char *s)
{
    g_assert_cmpint(write(fd, s, strlen(s)), ==, strlen(s));
}

/* A second QMP monitor from -qmp unix:PATH,server=on,wait=off. */
static void test_qmp_option(void)
{
    g_autofree char *path = tmp_path("qmp.sock");
    QTestState *qts = qtest_initf("-M %s -qmp unix:%s,server=on,wait=off",
                                  board.machine, path);
    int fd = unix_connect(path);
    g_autofree char *greeting = read_line(fd);
    g_autofree char *caps = NULL;
    g_autofree char *status = NULL;

    g_assert_nonnull(strstr(greeting, "\"QMP\""));
    write_str(fd, "{\"execute\": \"qmp_capabilities\"}\n");
    caps = read_line(fd);
    g_assert_cmpstr(caps, ==, "{\"return\": {}}");
    write_str(fd, "{\"execute\": \"query-status\", \"id\": \"x1\"}\n");
    status = read_line(fd);
    g_assert_nonnull(strstr(status, "\"running\""));
    g_assert_nonnull(strstr(status, "\"x1\""));
    close(fd);
    qtest_quit(qts);
    unlink(path);
}

/* The options every libvirt command line carries (qtest-and-qmp §3.3). */
#define LIBVIRT_COMMON                                                         \
    "-name guest=guest,debug-threads=on -S "                                   \
    "-m size=1048576k -overcommit mem-lock=off "                               \
    "-smp 1,sockets=1,cores=1,threads=1 "                                      \
    "-uuid c7a5fdbd-edaf-9455-926a-d65c16db1809 -display none "                \
    "-no-user-config -nodefaults -rtc base=utc -no-shutdown "                  \
    "-boot strict=on "                                                         \
    "-sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,"             \
    "resourcecontrol=deny -msg timestamp=on "                                  \
    "-audiodev '{\"id\":\"audio1\",\"driver\":\"none\"}' "

static QTestState *start_libvirt(const char *machine_opts,
                                 const char *monitor_opts)
{
    g_autofree char *path = tmp_path("charmonitor.sock");
    QTestState *qts = qtest_initf(
        "-machine %s,usb=off,dump-guest-core=off,memory-backend=%s,"
        "acpi=off%s -accel tcg -cpu %s "
        "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"%s\","
        "\"size\":1073741824}' " LIBVIRT_COMMON
        "-chardev socket,id=charmonitor,path=%s,server=on,wait=off %s",
        board.machine, board.ram_id, machine_opts, board.cpu, board.ram_id,
        path, monitor_opts);

    unlink(path);
    return qts;
}

static void check_libvirt_vm(QTestState *qts)
{
    g_autofree char *backend = NULL;
    g_autofree char *ram_path = g_strdup_printf("/objects/%s", board.ram_id);

    assert_status(qts, "prelaunch");
    backend = qtest_qom_get_str(qts, "/machine", "memory-backend");
    g_assert_cmpstr(backend, ==, board.ram_id);
    g_assert_false(qtest_qom_get_bool(qts, "/machine", "usb"));
    g_assert_false(qtest_qom_get_bool(qts, "/machine", "dump-guest-core"));
    g_assert_cmpint(qtest_qom_get_int(qts, ram_path, "size"), ==, 1 << 30);
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    assert_status(qts, "running");
}

/* Monitor as a QOM object (libvirt for QEMU 11.1). */
static void test_libvirt_monitor_object(void)
{
    QTestState *qts = start_libvirt(
        "", "-object '{\"qom-type\":\"monitor-qmp\",\"id\":\"monitor\","
            "\"chardev\":\"charmonitor\"}'");

    check_libvirt_vm(qts);
    qtest_quit(qts);
}

/* Monitor with -mon (older libvirt). */
static void test_libvirt_mon(void)
{
    QTestState *qts = start_libvirt(
        "", "-mon chardev=charmonitor,id=monitor,mode=control");

    check_libvirt_vm(qts);
    qtest_quit(qts);
}

/* Test case E: the legacy machine-wide SMMU option (aarch64). */
static void test_libvirt_virt_iommu(void)
{
    QTestState *qts = start_libvirt(
        ",gic-version=2,iommu=smmuv3",
        "-mon chardev=charmonitor,id=monitor,mode=control");
    g_autofree char *gic = qtest_qom_get_str(qts, "/machine", "gic-version");
    g_autofree char *iommu = qtest_qom_get_str(qts, "/machine", "iommu");
    g_autofree char *acpi = qtest_qom_get_str(qts, "/machine", "acpi");

    g_assert_cmpstr(gic, ==, "2");
    g_assert_cmpstr(iommu, ==, "smmuv3");
    g_assert_cmpstr(acpi, ==, "off");
    qtest_quit(qts);
}

/* NUMA nodes backed by memory backends, CPUs given as ranges. */
static void test_numa(void)
{
    QTestState *qts = qtest_initf(
        "-M %s -m 2G -smp 4,maxcpus=4 "
        "-object memory-backend-ram,id=m0,size=1G "
        "-object memory-backend-ram,id=m1,size=1G "
        "-numa node,nodeid=0,cpus=0-1,memdev=m0 "
        "-numa node,nodeid=1,cpus=2,cpus=3,memdev=m1 "
        "-numa dist,src=0,dst=1,val=20",
        board.machine);

    assert_status(qts, "running");
    qtest_quit(qts);
}

/* Writes then reads back a word: all-ones means nothing is mapped. */
static bool is_ram(QTestState *qts, uint64_t addr)
{
    qtest_writel(qts, addr, 0x5aa5c33c);
    return qtest_readl(qts, addr) == 0x5aa5c33c;
}

/* RAM placement: virt from 0x40000000; q35 split below and above 4 GiB. */
static void test_ram_map(void)
{
    bool arm = board.ram_base != 0;
    QTestState *qts = qtest_initf("-M %s -m 3G", board.machine);

    g_assert_true(is_ram(qts, board.ram_base));
    if (arm) {
        g_assert_false(is_ram(qts, board.ram_base - 4));
        g_assert_true(is_ram(qts, board.ram_base + 3 * (1ULL << 30) - 4));
        g_assert_false(is_ram(qts, board.ram_base + 3 * (1ULL << 30)));
    } else {
        /* 3 GiB >= 0xb0000000: 2 GiB low, 1 GiB from 4 GiB. */
        g_assert_true(is_ram(qts, 0x80000000 - 4));
        g_assert_false(is_ram(qts, 0x80000000));
        g_assert_true(is_ram(qts, 0x100000000ULL));
        g_assert_true(is_ram(qts, 0x140000000ULL - 4));
        g_assert_false(is_ram(qts, 0x140000000ULL));
    }
    qtest_quit(qts);
}

/*
 * Memory-less NUMA nodes beside a memdev node, as GPU and generic
 * initiator nodes are; and the empty "none" machine libvirt probes with.
 */
static void test_numa_memless(void)
{
    QTestState *qts = qtest_initf(
        "-M %s -m 1G -object memory-backend-ram,id=m0,size=1G "
        "-numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1 "
        "-numa node,nodeid=2",
        board.machine);

    assert_status(qts, "running");
    g_assert_true(is_ram(qts, board.ram_base));
    qtest_quit(qts);
}

static void test_machine_none(void)
{
    QTestState *qts = qtest_init("-M none -m 16");

    assert_status(qts, "running");
    g_assert_true(is_ram(qts, 0x1000));
    g_assert_false(is_ram(qts, 16 << 20));
    qtest_quit(qts);
}

/* Options read from a -readconfig file, as if given on the line. */
static void test_readconfig(void)
{
    g_autofree char *path = tmp_path("test.cfg");
    g_autofree char *text = g_strdup_printf(
        "# test configuration\n"
        "[machine]\n  type = \"%s\"\n\n"
        "[device \"ct\"]\n  driver = \"x-compat-test-dev\"\n"
        "  level = \"7\"\n",
        board.machine);
    QTestState *qts;

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    qts = qtest_initf("-readconfig %s", path);
    g_assert_cmpint(qtest_qom_get_int(qts, "/machine/peripheral/ct", "level"),
                    ==, 7);
    qtest_quit(qts);
    unlink(path);
}

/* SIGTERM is a clean shutdown with a SHUTDOWN event and status 0. */
static void test_sigterm(void)
{
    g_autofree char *pidfile = tmp_path("pid");
    QTestState *qts = qtest_initf("-M %s -pidfile %s", board.machine,
                                  pidfile);
    g_autofree char *text = NULL;
    g_autofree char *err = NULL;
    JsonObject *ev, *data;

    g_assert_true(g_file_get_contents(pidfile, &text, NULL, NULL));
    g_assert_cmpint(kill(atoi(text), SIGTERM), ==, 0);
    ev = qtest_qmp_eventwait_ref(qts, "SHUTDOWN");
    data = json_object_get_object_member(ev, "data");
    g_assert_false(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "host-signal");
    json_object_unref(ev);
    err = qtest_get_stderr(qts);
    g_assert_nonnull(strstr(err, "terminating on signal 15 from pid"));
    qtest_quit(qts);
    unlink(pidfile);
}

/* Errors for devices created by QMP go to the QMP reply instead. */
static void test_device_add_errors(void)
{
    QTestState *qts = qtest_initf("-M %s", board.machine);

    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'device_add', "
                       "'arguments': {'driver': 'no-such-dev'}}"),
        "GenericError", "'no-such-dev' is not a valid device model name");
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'device_add', "
                       "'arguments': {'driver': 'device'}}"),
        "GenericError",
        "Parameter 'driver' expects a non-abstract device type");
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'device_add', "
                       "'arguments': {'driver': 'x-compat-test-dev'}}"),
        "GenericError",
        "Device 'x-compat-test-dev' does not support hotplugging");
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'device_del', 'arguments': {'id': 'x'}}"),
        "DeviceNotFound", "Device 'x' not found");
    qtest_quit(qts);
}

/* Start-up failures: status 1 and one line naming the bad input. */
typedef struct BadCase {
    const char *path;
    const char *args; /* %s: the board's machine name */
    const char *expect;
} BadCase;

static const BadCase bad_cases[] = {
    {"unknown-option", "-M %s -foo", "-foo: invalid option"},
    {"unknown-driver", "-M %s -device no-such-dev",
     "-device no-such-dev: 'no-such-dev' is not a valid device model name"},
    {"unknown-machine-prop", "-M %s,foo=1", "-machine.foo' not found"},
    {"bad-enum", "-M %s,acpi=maybe", "'maybe'"},
    {"bad-device-prop", "-M %s -device x-compat-test-dev,level=x",
     "level"},
    {"unknown-device-prop", "-M %s -device x-compat-test-dev,foo=1",
     "Property 'x-compat-test-dev.foo' not found"},
    {"malformed-json", "-M %s -device '{\"driver\":'", "-device {"},
    {"json-trailing", "-M %s -device '{\"driver\":\"x\"} x'", "-device {"},
    {"json-type", "-M %s -device '{\"driver\":\"x-compat-test-dev\","
                  "\"level\":\"1\"}'", "level"},
    {"duplicate-id", "-M %s -device x-compat-test-dev,id=a "
                     "-device x-compat-test-dev,id=a",
     "Duplicate device ID 'a'"},
    {"smp", "-M %s -smp 4,sockets=1,cores=1,threads=1",
     "product of the hierarchy must match maxcpus"},
    {"uuid", "-M %s -uuid 1234", "-uuid 1234: "},
    {"display", "-M %s -display gtk", "Display 'gtk' is not available"},
    {"audiodev", "-M %s -audiodev pa,id=a",
     "Audio driver 'pa' not available"},
    {"hmp", "-M %s -mon chardev=x", "HMP monitors are not supported"},
    {"memory-size", "-M %s -m 1G -object memory-backend-ram,id=r,size=2G "
                    "-machine memory-backend=r",
     "Machine memory size does not match the size of the memory backend"},
    {"memory-backend", "-M %s -machine memory-backend=nope",
     "Memory backend 'nope' not found"},
    {"numa-memdev", "-M %s -numa node,memdev=nope", "memdev=nope"},
    {"object-type", "-M %s -object no-such-type,id=o", "no-such-type"},
    {"global", "-M %s -global foo", "-global foo: "},
    {"rtc", "-M %s -rtc base=yesterday", "invalid datetime format"},
    {"boot", "-M %s -boot order=z", "Invalid boot device 'z'"},
    {"net", "-M %s -net user", "-net user: only 'none'"},
    {"cpu", "-M %s -cpu no-such-cpu", "no-such-cpu"},
};

static void test_bad_input(const void *opaque)
{
    const BadCase *c = opaque;
    g_autofree char *args = g_strdup_printf(c->args, board.machine);
    g_autofree char *err = NULL;
    g_auto(GStrv) lines = NULL;
    int status;

    qtest_init_expect_failure(args, &status, &err);
    g_assert_cmpint(status, ==, 1);
    lines = g_strsplit(g_strchomp(err), "\n", -1);
    if (g_strv_length(lines) != 1) {
        g_error("expected one line of stderr, got:\n%s", err);
    }
    g_assert_true(g_str_has_prefix(lines[0], "qemu-system-"));
    if (!strstr(lines[0], c->expect)) {
        g_error("'%s' not found in '%s'", c->expect, lines[0]);
    }
}

/* Failures that need a command line libqtest would not build. */
static void run_expect_error(const char *args, const char *line1)
{
    g_autofree char *err = NULL;
    g_autofree char *out = NULL;
    g_auto(GStrv) lines = NULL;
    int status;

    qtest_run_cmdline(args, &status, &out, &err);
    g_assert_cmpint(status, ==, 1);
    g_assert_cmpstr(out, ==, "");
    lines = g_strsplit(g_strchomp(err), "\n", -1);
    g_assert_nonnull(strstr(lines[0], line1));
}

static void test_missing_argument(void)
{
    run_expect_error("-accel qtest -device", "-device: requires an argument");
}

/* No usable accelerator: exactly one line naming the refused one. */
static void test_accel_refused(void)
{
    g_autofree char *err = NULL;
    g_autofree char *args = g_strdup_printf("-M %s -accel kvm",
                                            board.machine);
    g_autofree char *expect = g_strdup_printf(
        "qemu-system-%s: -accel kvm: this emulator runs device models only; "
        "use -accel qtest\n", qtest_get_arch());
    int status;

    qtest_run_cmdline(args, &status, NULL, &err);
    g_assert_cmpint(status, ==, 1);
    g_assert_cmpstr(err, ==, expect);
}

static void test_no_accel(void)
{
    g_autofree char *args = g_strdup_printf("-M %s", board.machine);

    run_expect_error(args, "use -accel qtest");
}

/* QEMU adds a hint line after this one. */
static void test_unknown_machine(void)
{
    run_expect_error("-accel qtest -M pc", "-M pc: unsupported machine type");
}

static char *run_help(const char *args)
{
    g_autofree char *err = NULL;
    char *out = NULL;
    int status;

    qtest_run_cmdline(args, &status, &out, &err);
    g_assert_cmpint(status, ==, 0);
    g_assert_cmpstr(err, ==, "");
    return out;
}

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part)) {
        g_error("'%s' not found in:\n%s", part, text);
    }
}

static void test_help_machine(void)
{
    g_autofree char *out = run_help("-machine help");
    g_autofree char *props = NULL;
    g_autofree char *args = g_strdup_printf("-machine %s,help",
                                            board.machine);

    g_assert_true(g_str_has_prefix(out, "Supported machines are:\n"));
    assert_contains(out, board.machine);
    assert_contains(out, "(default)");
    props = run_help(args);
    assert_contains(props, "options:\n");
    assert_contains(props, "memory-backend=<str>");
}

static void test_help_device(void)
{
    g_autofree char *list = run_help("-device help");
    g_autofree char *props = run_help("-device x-compat-test-dev,help");
    g_autofree char *props2 = run_help("-device x-compat-test-dev,?");

    assert_contains(list, "Misc devices:\n");
    assert_contains(list, "name \"x-compat-test-dev\", desc \"");
    g_assert_true(g_str_has_prefix(props, "x-compat-test-dev options:\n"));
    assert_contains(props, "  level=<uint32>");
    assert_contains(props, "(default: 3)");
    g_assert_cmpstr(props, ==, props2);
    run_expect_error("-device no-such-dev,help",
                     "-device no-such-dev,help: 'no-such-dev' is not a "
                     "valid device model name");
}

static void test_help_object(void)
{
    g_autofree char *list = run_help("-object help");
    g_autofree char *props = run_help("-object memory-backend-ram,help");

    assert_contains(list, "memory-backend-ram");
    assert_contains(props, "size=<size>");
}

static void test_help_misc(void)
{
    g_autofree char *version = run_help("-version");
    g_autofree char *usage = run_help("-h");
    g_autofree char *accel = run_help("-accel help");
    g_autofree char *cpu = run_help("-cpu help");

    g_assert_true(g_str_has_prefix(version, "QEMU emulator version "));
    g_assert_true(g_str_has_prefix(usage, "usage: "));
    assert_contains(accel, "qtest");
    assert_contains(cpu, "Available CPUs:");
}

static void add_bad_cases(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
        g_autofree char *path = g_strdup_printf("/cmdline/bad/%s",
                                                bad_cases[i].path);

        g_test_add_data_func(path, &bad_cases[i], test_bad_input);
    }
}

int main(int argc, char **argv)
{
    bool arm = g_str_equal(qtest_get_arch(), "aarch64");

    g_test_init(&argc, &argv, NULL);
    board = arm ? (Board){"virt", "mach-virt.ram", "max", 0x40000000}
                : (Board){"q35", "pc.ram", "qemu64", 0};
    g_test_add_func("/cmdline/start/basic", test_start_basic);
    g_test_add_func("/cmdline/start/qmp-option", test_qmp_option);
    g_test_add_func("/cmdline/start/libvirt-monitor-object",
                   test_libvirt_monitor_object);
    g_test_add_func("/cmdline/start/libvirt-mon", test_libvirt_mon);
    if (arm) {
        g_test_add_func("/cmdline/start/libvirt-virt-iommu",
                       test_libvirt_virt_iommu);
    }
    g_test_add_func("/cmdline/start/numa", test_numa);
    g_test_add_func("/cmdline/start/ram-map", test_ram_map);
    g_test_add_func("/cmdline/start/numa-memless", test_numa_memless);
    g_test_add_func("/cmdline/start/machine-none", test_machine_none);
    g_test_add_func("/cmdline/start/readconfig", test_readconfig);
    g_test_add_func("/cmdline/sigterm", test_sigterm);
    g_test_add_func("/cmdline/qmp/device-errors", test_device_add_errors);
    add_bad_cases();
    g_test_add_func("/cmdline/bad/missing-argument", test_missing_argument);
    g_test_add_func("/cmdline/bad/accel-refused", test_accel_refused);
    g_test_add_func("/cmdline/bad/no-accel", test_no_accel);
    g_test_add_func("/cmdline/bad/unknown-machine", test_unknown_machine);
    g_test_add_func("/cmdline/help/machine", test_help_machine);
    g_test_add_func("/cmdline/help/device", test_help_device);
    g_test_add_func("/cmdline/help/object", test_help_object);
    g_test_add_func("/cmdline/help/misc", test_help_misc);
    return g_test_run();
}
