/*
 * Machine compat properties through the real command line, on the
 * test-only device x-compat-test-dev (property "level": 3 by default,
 * hw_compat_11_1 sets 2, hw_compat_11_0 sets 1). Precedence must be
 * default < machine compat < -global < explicit property.
 */
#include "libqtest.h"

#define DEV_PATH "/machine/peripheral/ct"

typedef struct CompatCase {
    const char *path;
    const char *version; /* machine version suffix, "" for the alias */
    const char *extra;   /* more options */
    const char *device;  /* -device argument */
    int64_t level;
} CompatCase;

static const CompatCase compat_cases[] = {
    {"default", "", "", "x-compat-test-dev,id=ct", 3},
    {"latest-versioned", "-11.2", "", "x-compat-test-dev,id=ct", 3},
    {"compat-11.1", "-11.1", "", "x-compat-test-dev,id=ct", 2},
    {"compat-11.0", "-11.0", "", "x-compat-test-dev,id=ct", 1},
    {"global", "-11.0", "-global x-compat-test-dev.level=5",
     "x-compat-test-dev,id=ct", 5},
    {"global-keyval", "-11.0",
     "-global driver=x-compat-test-dev,property=level,value=6",
     "x-compat-test-dev,id=ct", 6},
    {"explicit", "-11.0", "-global x-compat-test-dev.level=5",
     "x-compat-test-dev,id=ct,level=9", 9},
    {"explicit-json", "-11.0", "-global x-compat-test-dev.level=5",
     "'{\"driver\":\"x-compat-test-dev\",\"id\":\"ct\",\"level\":8}'", 8},
};

static const char *machine_family(void)
{
    return g_str_equal(qtest_get_arch(), "aarch64") ? "virt" : "pc-q35";
}

/* The unversioned alias ("virt", "q35") is the newest machine. */
static char *machine_name(const char *version)
{
    if (!*version) {
        return g_strdup(g_str_equal(machine_family(), "virt") ? "virt"
                                                                : "q35");
    }
    return g_strconcat(machine_family(), version, NULL);
}

static void test_compat(const void *opaque)
{
    const CompatCase *c = opaque;
    g_autofree char *machine = machine_name(c->version);
    QTestState *qts = qtest_initf("-M %s %s -device %s", machine, c->extra,
                                  c->device);

    g_assert_cmpint(qtest_qom_get_int(qts, DEV_PATH, "level"), ==, c->level);
    qtest_quit(qts);
}

/* The machine object itself: explicit values and board defaults. */
static void test_machine_object(void)
{
    g_autofree char *machine = machine_name("-11.0");
    QTestState *qts = qtest_initf("-M %s,acpi=off", machine);
    g_autofree char *acpi = qtest_qom_get_str(qts, "/machine", "acpi");

    g_assert_cmpstr(acpi, ==, "off");
    g_assert_true(qtest_qom_get_bool(qts, "/machine", "dump-guest-core"));
    g_assert_false(qtest_qom_get_bool(qts, "/machine", "usb"));
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(compat_cases); i++) {
        g_autofree char *path = g_strdup_printf("/compat/%s",
                                                compat_cases[i].path);

        g_test_add_data_func(path, &compat_cases[i], test_compat);
    }
    g_test_add_func("/compat/machine-object", test_machine_object);
    return g_test_run();
}
