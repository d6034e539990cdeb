/*
 * Versioned machine types: compat tables chained through the options
 * functions, lookup by name and alias, "-machine help" output, machine
 * properties, and the machine's RAM (memory backends, -numa checks).
 */
#include "qemu/osdep.h"
#include "hw/boards.h"
#include "hw/core/qdev-properties.h"
#include "qom/object_interfaces.h"
#include "system/hostmem.h"

#define TYPE_FAKE_MACHINE "fake-machine"
#define TYPE_FAKE_DEV "fake-compat-dev"

/* A device whose properties the fake compat tables change. */
typedef struct FakeDev {
    DeviceState parent_obj;
    uint32_t level;
    OnOffAuto mode;
    bool legacy;
} FakeDev;

static const Property fake_dev_props[] = {
    DEFINE_PROP_UINT32("level", FakeDev, level, 3, "Newest level"),
    DEFINE_PROP_ON_OFF_AUTO("mode", FakeDev, mode, ON_OFF_AUTO_AUTO, "Mode"),
    DEFINE_PROP_BOOL("legacy", FakeDev, legacy, false, "Legacy behaviour"),
    DEFINE_PROP_END_OF_LIST(),
};

static void fake_dev_class_init(ObjectClass *oc, const void *data)
{
    device_class_set_props(DEVICE_CLASS(oc), fake_dev_props);
}

/* "fake-10.0 and older": level 2, mode off. */
static GlobalProperty fake_compat_10_0[] = {
    {TYPE_FAKE_DEV, "level", "2"},
    {TYPE_FAKE_DEV, "mode", "off"},
};

/* "fake-9.2 and older": level 1, legacy on. */
static GlobalProperty fake_compat_9_2[] = {
    {TYPE_FAKE_DEV, "level", "1"},
    {TYPE_FAKE_DEV, "legacy", "on"},
};

static void fake_machine_class_init(ObjectClass *oc, const void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->family = "fake";
    mc->default_ram_size = 2 * MiB;
    mc->default_ram_id = "fake.ram";
}

static void fake_11_0_options(MachineClass *mc)
{
    mc->desc = "Fake machine 11.0";
}

static void fake_10_0_options(MachineClass *mc)
{
    fake_11_0_options(mc);
    mc->desc = "Fake machine 10.0";
    compat_props_add(mc->compat_props, fake_compat_10_0,
                     G_N_ELEMENTS(fake_compat_10_0));
}

static void fake_9_2_options(MachineClass *mc)
{
    fake_10_0_options(mc);
    mc->desc = "Fake machine 9.2";
    compat_props_add(mc->compat_props, fake_compat_9_2,
                     G_N_ELEMENTS(fake_compat_9_2));
}

static const TypeInfo fake_types[] = {
    {
        .name = TYPE_FAKE_MACHINE,
        .parent = TYPE_MACHINE,
        .abstract = true,
        .class_init = fake_machine_class_init,
    },
    {
        .name = TYPE_FAKE_DEV,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(FakeDev),
        .class_init = fake_dev_class_init,
    },
};

static void fake_register(void)
{
    type_register_static_array(fake_types, G_N_ELEMENTS(fake_types));
    machine_type_register_version(TYPE_FAKE_MACHINE, "fake-9.2", NULL, false,
                                  fake_9_2_options);
    machine_type_register_version(TYPE_FAKE_MACHINE, "fake-11.0", "fake", true,
                                  fake_11_0_options);
    machine_type_register_version(TYPE_FAKE_MACHINE, "fake-10.0", NULL, false,
                                  fake_10_0_options);
}

type_init(fake_register)

    static FakeDev *dev_under(const char *machine)
{
    MachineClass *mc = find_machine_class(machine);

    g_assert_nonnull(mc);
    object_set_machine_compat_props(mc->compat_props);
    return (FakeDev *)qdev_new(TYPE_FAKE_DEV);
}

static void test_lookup(void)
{
    MachineClass *newest = find_machine_class("fake-11.0");

    g_assert_nonnull(newest);
    g_assert_true(find_machine_class("fake") == newest);
    g_assert_true(find_default_machine_class() == newest);
    g_assert_cmpstr(object_class_get_name(OBJECT_CLASS(newest)), ==,
                    "fake-11.0-machine");
    g_assert_cmpstr(
        object_class_get_name(object_class_get_parent(OBJECT_CLASS(newest))),
        ==, TYPE_FAKE_MACHINE);
    g_assert_cmpstr(find_machine_class("fake-9.2")->desc, ==,
                    "Fake machine 9.2");
    g_assert_null(find_machine_class("fake-8.0"));
    g_assert_null(find_machine_class("fake-machine"));
    g_assert_null(find_machine_class(NULL));
}

static void test_chaining(void)
{
    MachineClass *m11 = find_machine_class("fake-11.0");
    MachineClass *m10 = find_machine_class("fake-10.0");
    MachineClass *m92 = find_machine_class("fake-9.2");

    /* Newest first, then each older version adds its own table. */
    g_assert_cmpuint(m11->compat_props->len, ==, 0);
    g_assert_cmpuint(m10->compat_props->len, ==, 2);
    g_assert_cmpuint(m92->compat_props->len, ==, 4);
    g_assert_true(g_ptr_array_index(m92->compat_props, 0) ==
                  &fake_compat_10_0[0]);
    g_assert_true(g_ptr_array_index(m92->compat_props, 3) ==
                  &fake_compat_9_2[1]);
    /* The family's own class keeps no list of a version's entries. */
    g_assert_cmpuint(MACHINE_CLASS(object_class_by_name(TYPE_FAKE_MACHINE))
                         ->compat_props->len,
                     ==, 0);
}

static void test_apply(void)
{
    FakeDev *d;

    d = dev_under("fake");
    g_assert_cmpuint(d->level, ==, 3);
    g_assert_cmpint(d->mode, ==, ON_OFF_AUTO_AUTO);
    g_assert_false(d->legacy);
    object_unref(d);

    d = dev_under("fake-10.0");
    g_assert_cmpuint(d->level, ==, 2);
    g_assert_cmpint(d->mode, ==, ON_OFF_AUTO_OFF);
    g_assert_false(d->legacy);
    object_unref(d);

    /* The older table comes later, so its value wins. */
    d = dev_under("fake-9.2");
    g_assert_cmpuint(d->level, ==, 1);
    g_assert_cmpint(d->mode, ==, ON_OFF_AUTO_OFF);
    g_assert_true(d->legacy);
    object_unref(d);
    object_set_machine_compat_props(NULL);
}

static const char *compat_value(GlobalProperty *table, size_t len,
                                const char *driver, const char *property)
{
    for (size_t i = 0; i < len; i++) {
        if (g_str_equal(table[i].driver, driver) &&
            g_str_equal(table[i].property, property)) {
            return table[i].value;
        }
    }
    return NULL;
}

/* 11.1 made the SMMU features "auto"; <= 11.0 keeps the old values. */
static void test_hw_compat_tables(void)
{
    static const char *const smmu[][2] = {
        {"ats", "off"},
        {"ril", "on"},
        {"ssidsize", "0"},
        {"oas", "44"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(smmu); i++) {
        g_assert_cmpstr(compat_value(hw_compat_11_0, hw_compat_11_0_len,
                                     "arm-smmuv3", smmu[i][0]),
                        ==, smmu[i][1]);
        g_assert_null(compat_value(hw_compat_11_1, hw_compat_11_1_len,
                                   "arm-smmuv3", smmu[i][0]));
    }
}

static void test_sorted(void)
{
    g_autoptr(GSList) list = machine_class_list_sorted();
    const char *expected[] = {"fake-11.0", "fake-10.0", "fake-9.2"};
    GSList *l = list;

    for (size_t i = 0; i < G_N_ELEMENTS(expected); i++, l = l->next) {
        g_assert_nonnull(l);
        g_assert_cmpstr(((MachineClass *)l->data)->name, ==, expected[i]);
    }
    g_assert_null(l);
}

static void test_help(void)
{
    if (g_test_subprocess()) {
        machine_print_help();
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout(
        "Supported machines are:\n"
        "fake                 Fake machine 11.0 (alias of fake-11.0)\n"
        "fake-11.0            Fake machine 11.0 (default)\n"
        "fake-10.0            Fake machine 10.0\n"
        "fake-9.2             Fake machine 9.2\n");
}

static void test_help_properties(void)
{
    if (g_test_subprocess()) {
        Error *err = NULL;

        g_assert_true(machine_print_properties("fake-10.0", &error_abort));
        g_assert_false(machine_print_properties("nope", &err));
        printf("error: %s\n", error_get_pretty(err));
        error_free(err);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("fake-10.0-machine options:\n*"
                              "  dump-guest-core=<bool>*(default: true)\n*"
                              "  memory-backend=<str>*\n*"
                              "  usb=<bool>*(default: false)\n*"
                              "error: unsupported machine type: \"nope\"\n");
}

static MachineState *new_machine(const char *name)
{
    Object *obj = object_new_with_class(OBJECT_CLASS(find_machine_class(name)));

    object_property_add_child(object_get_root(), "machine", obj);
    object_unref(obj);
    return MACHINE(obj);
}

static void test_machine_props(void)
{
    MachineState *ms = new_machine("fake");
    Object *obj = OBJECT(ms);
    Error *err = NULL;

    g_assert_true(qdev_get_machine() == ms);
    g_assert_true(current_machine_get() == ms);
    g_assert_true(ms->dump_guest_core && ms->mem_merge);
    g_assert_false(ms->usb);
    g_assert_cmpuint(ms->ram_size, ==, 2 * MiB);
    g_assert_true(object_property_parse(obj, "usb", "on", &error_abort));
    g_assert_true(
        object_property_parse(obj, "dump-guest-core", "off", &error_abort));
    g_assert_true(
        object_property_parse(obj, "memory-backend", "mem0", &error_abort));
    g_assert_true(ms->usb);
    g_assert_false(ms->dump_guest_core);
    g_assert_cmpstr(ms->ram_memdev_id, ==, "mem0");
    g_assert_false(object_property_parse(obj, "usb", "maybe", &err));
    error_free(err);
    object_unparent(obj);
    g_assert_null(qdev_get_machine());
}

static Object *add_backend(const char *id, const char *size)
{
    g_autoptr(JsonObject) props = json_object_new();

    json_object_set_string_member(props, "size", size);
    return user_creatable_add_type(TYPE_MEMORY_BACKEND_RAM, id, props, false,
                                   &error_abort);
}

static char *error_text(bool ok, Error *err)
{
    char *msg;

    g_assert_false(ok);
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    return msg;
}

static char *ram_error(MachineState *ms)
{
    Error *err = NULL;
    bool ok = machine_create_ram(ms, &err);

    return error_text(ok, err);
}

static char *numa_error(MachineState *ms)
{
    Error *err = NULL;
    bool ok = machine_numa_validate(ms, &err);

    return error_text(ok, err);
}

static void test_ram_default(void)
{
    MachineState *ms = new_machine("fake");
    Object *backend;

    g_assert_true(machine_create_ram(ms, &error_abort));
    backend = object_resolve_path("/objects/fake.ram", NULL);
    g_assert_nonnull(backend);
    g_assert_true(ms->ram == host_memory_backend_get_memory(backend));
    g_assert_cmpstr(memory_region_name(ms->ram), ==, "fake.ram");
    g_assert_cmpuint(memory_region_size(ms->ram), ==, 2 * MiB);
    g_assert_true(host_memory_backend_is_mapped(backend));
    g_assert_false(user_creatable_del("fake.ram", NULL));
    object_unparent(OBJECT(ms));
    host_memory_backend_set_mapped(backend, false);
    g_assert_true(user_creatable_del("fake.ram", &error_abort));
}

static void test_ram_backend(void)
{
    MachineState *ms = new_machine("fake");
    Object *mem = add_backend("mem0", "2M");
    g_autofree char *msg = NULL;

    ms->ram_memdev_id = g_strdup("mem0");
    g_assert_true(machine_create_ram(ms, &error_abort));
    g_assert_true(ms->ram == host_memory_backend_get_memory(mem));
    g_assert_null(object_resolve_path("/objects/fake.ram", NULL));
    /* A second user of the same backend is refused. */
    ms->ram = NULL;
    msg = ram_error(ms);
    g_assert_cmpstr(msg, ==,
                    "memory backend mem0 can't be used multiple times.");
    host_memory_backend_set_mapped(mem, false);
    g_clear_pointer(&msg, g_free);

    ms->ram_size = 4 * MiB;
    msg = ram_error(ms);
    g_assert_cmpstr(msg, ==,
                    "Machine memory size does not match the size "
                    "of the memory backend");
    g_clear_pointer(&msg, g_free);

    g_free(ms->ram_memdev_id);
    ms->ram_memdev_id = g_strdup("nope");
    msg = ram_error(ms);
    g_assert_cmpstr(msg, ==, "Memory backend 'nope' not found");
    object_unparent(OBJECT(ms));
    user_creatable_del("mem0", &error_abort);
}

static void test_ram_reserved_id(void)
{
    MachineState *ms = new_machine("fake");
    g_autofree char *msg = NULL;

    add_backend("fake.ram", "2M");
    msg = ram_error(ms);
    g_assert_true(g_str_has_prefix(msg, "object name 'fake.ram' is reserved "
                                        "for the default RAM backend"));
    object_unparent(OBJECT(ms));
    user_creatable_del("fake.ram", &error_abort);
}

static void numa_node(MachineState *ms, int id, Object *memdev,
                      const char *memdev_id, unsigned cpu)
{
    NodeInfo *node = &ms->numa.nodes[id];

    node->present = true;
    node->memdev = memdev;
    node->memdev_id = g_strdup(memdev_id);
    node->node_mem =
        memdev ? object_property_get_uint(memdev, "size", NULL) : 0;
    node->cpus = g_array_new(false, false, sizeof(unsigned));
    g_array_append_val(node->cpus, cpu);
    ms->numa.num_nodes++;
}

static void test_numa(void)
{
    MachineState *ms = new_machine("fake");
    Object *m0 = add_backend("node0", "1M");
    Object *m1 = add_backend("node1", "1M");
    g_autofree char *msg = NULL;

    ms->smp.maxcpus = 2;
    numa_node(ms, 0, m0, "node0", 0);
    numa_node(ms, 1, m1, "node1", 1);
    g_assert_true(machine_create_ram(ms, &error_abort));
    g_assert_cmpstr(memory_region_name(ms->ram), ==, "ram");
    g_assert_cmpuint(memory_region_size(ms->ram), ==, 2 * MiB);
    g_assert_true(host_memory_backend_is_mapped(m0));
    g_assert_true(host_memory_backend_is_mapped(m1));

    ms->ram_size = 3 * MiB;
    msg = numa_error(ms);
    g_assert_cmpstr(msg, ==,
                    "total memory for NUMA nodes (0x200000) should "
                    "equal RAM size (0x300000)");
    g_clear_pointer(&msg, g_free);
    ms->ram_size = 2 * MiB;

    ms->smp.maxcpus = 1;
    msg = numa_error(ms);
    g_assert_cmpstr(msg, ==,
                    "CPU index (1) should be smaller than maxcpus (1)");
    g_clear_pointer(&msg, g_free);
    ms->smp.maxcpus = 2;

    ms->numa.nodes[1].present = false;
    msg = numa_error(ms);
    g_assert_cmpstr(msg, ==, "numa: Node ID missing: 1");
    g_clear_pointer(&msg, g_free);
    ms->numa.nodes[1].present = true;

    /* A memory-less node beside a memdev node (GPU / initiator nodes). */
    {
        char *memdev_id = ms->numa.nodes[1].memdev_id;
        Object *memdev = ms->numa.nodes[1].memdev;
        uint64_t node_mem = ms->numa.nodes[1].node_mem;

        ms->numa.nodes[1].memdev_id = NULL;
        ms->numa.nodes[1].memdev = NULL;
        ms->numa.nodes[1].node_mem = 0;
        msg = numa_error(ms);
        g_assert_cmpstr(msg, ==,
                        "total memory for NUMA nodes (0x100000) should "
                        "equal RAM size (0x200000)");
        g_clear_pointer(&msg, g_free);
        ms->ram_size = node_mem;
        g_assert_true(machine_numa_validate(ms, &error_abort));
        ms->numa.nodes[1].memdev_id = memdev_id;
        ms->numa.nodes[1].memdev = memdev;
        ms->numa.nodes[1].node_mem = node_mem;
    }

    /* Finalizing the machine gives the backends back. */
    object_unparent(OBJECT(ms));
    g_assert_false(host_memory_backend_is_mapped(m0));
    g_assert_false(host_memory_backend_is_mapped(m1));
    user_creatable_del("node0", &error_abort);
    user_creatable_del("node1", &error_abort);
}

/* Creating backend "m" from props fails: returns the message. */
static char *add_error(JsonObject *props)
{
    Error *err = NULL;
    Object *obj = user_creatable_add_type(TYPE_MEMORY_BACKEND_RAM, "m", props,
                                          false, &err);

    return error_text(obj != NULL, err);
}

static void test_backend_options(void)
{
    g_autoptr(JsonObject) props = json_object_new();
    Error *err = NULL;
    g_autofree char *msg = NULL;
    Object *mem;

    json_object_set_string_member(props, "size", "0");
    msg = add_error(props);
    g_assert_cmpstr(msg, ==,
                    "property 'size' of memory-backend-ram doesn't "
                    "take value '0'");
    g_clear_pointer(&msg, g_free);

    json_object_remove_member(props, "size");
    msg = add_error(props);
    g_assert_cmpstr(msg, ==, "can't create backend with size 0");
    g_clear_pointer(&msg, g_free);
    g_assert_null(object_resolve_path("/objects/m", NULL));

    json_object_set_string_member(props, "size", "1M");
    json_object_set_string_member(props, "policy", "bind");
    msg = add_error(props);
    g_assert_cmpstr(msg, ==, "host-nodes must be set for policy bind");
    g_clear_pointer(&msg, g_free);

    json_object_set_string_member(props, "host-nodes", "0-1");
    json_object_set_string_member(props, "merge", "off");
    mem = user_creatable_add_type(TYPE_MEMORY_BACKEND_RAM, "m", props, false,
                                  &error_abort);
    g_assert_cmpuint(object_property_get_uint(mem, "size", NULL), ==, MiB);
    g_assert_false(object_property_get_bool(mem, "merge", NULL));
    g_assert_true(object_property_get_bool(mem, "dump", NULL));
    {
        g_autoptr(JsonNode) nodes =
            object_property_get(mem, "host-nodes", &error_abort);
        g_autofree char *text = json_to_string(nodes, false);

        g_assert_cmpstr(text, ==, "[0,1]");
    }
    g_assert_false(object_property_set_uint(mem, "size", 2 * MiB, &err));
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    g_assert_cmpstr(msg, ==,
                    "cannot change property 'size' of "
                    "memory-backend-ram");
    g_assert_cmpstr(memory_region_name(host_memory_backend_get_memory(mem)), ==,
                    "m");
    user_creatable_del("m", &error_abort);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/machine/lookup", test_lookup);
    g_test_add_func("/machine/compat/chaining", test_chaining);
    g_test_add_func("/machine/compat/apply", test_apply);
    g_test_add_func("/machine/compat/hw-tables", test_hw_compat_tables);
    g_test_add_func("/machine/sorted", test_sorted);
    g_test_add_func("/machine/help", test_help);
    g_test_add_func("/machine/help-properties", test_help_properties);
    g_test_add_func("/machine/properties", test_machine_props);
    g_test_add_func("/machine/ram/default", test_ram_default);
    g_test_add_func("/machine/ram/backend", test_ram_backend);
    g_test_add_func("/machine/ram/reserved-id", test_ram_reserved_id);
    g_test_add_func("/machine/ram/numa", test_numa);
    g_test_add_func("/machine/backend-options", test_backend_options);
    return g_test_run();
}
