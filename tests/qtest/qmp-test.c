/*
 * QMP server: greeting, negotiation, request errors and recovery, id
 * echo, and the built-in commands (QOM, fd passing, objects, devices,
 * machines, run state).
 */
#include "libqtest.h"

#include <inttypes.h>
#include <string.h>
#include <unistd.h>

static void assert_ok(JsonObject *rsp)
{
    g_assert_true(json_object_has_member(rsp, "return"));
    json_object_unref(rsp);
}

static JsonObject *error_of(JsonObject *rsp)
{
    g_assert_true(json_object_has_member(rsp, "error"));
    return json_object_get_object_member(rsp, "error");
}

/* The server still answers after whatever was sent before. */
static void assert_recovered(QTestState *qts)
{
    qtest_qmp_expect_error(qtest_qmp(qts, "{'execute': 'no-such-cmd'}"),
                           "CommandNotFound",
                           "The command no-such-cmd has not been found");
}

static void raw_expect_error(QTestState *qts, const char *text,
                             const char *desc_prefix)
{
    JsonObject *rsp;
    const char *desc;

    qtest_qmp_send_raw(qts, "%s", text);
    rsp = qtest_qmp_receive(qts);
    g_assert_cmpstr(json_object_get_string_member(error_of(rsp), "class"), ==,
                    "GenericError");
    desc = qtest_qmp_error_desc(rsp);
    if (!g_str_has_prefix(desc, desc_prefix)) {
        g_error("'%s' replied '%s', want '%s...'", text, desc, desc_prefix);
    }
    g_assert_false(json_object_has_member(rsp, "id"));
    json_object_unref(rsp);
    assert_recovered(qts);
}

static void test_greeting_and_negotiation(void)
{
    QTestState *qts = qtest_init_without_qmp_handshake("");
    JsonObject *qmp =
        json_object_get_object_member(qtest_qmp_get_greeting(qts), "QMP");
    JsonObject *version = json_object_get_object_member(qmp, "version");
    JsonObject *qemu = json_object_get_object_member(version, "qemu");
    JsonArray *caps = json_object_get_array_member(qmp, "capabilities");
    JsonNode *ret;

    g_assert_cmpint(json_object_get_int_member(qemu, "major"), >=, 11);
    g_assert_true(json_object_has_member(qemu, "minor"));
    g_assert_true(json_object_has_member(qemu, "micro"));
    g_assert_cmpstr(json_object_get_string_member(version, "package"), ==, "");
    g_assert_cmpuint(json_array_get_length(caps), ==, 1);
    g_assert_cmpstr(json_array_get_string_element(caps, 0), ==, "oob");

    /* Nothing but qmp_capabilities before negotiation. */
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'query-status'}"), "CommandNotFound",
        "Expecting capabilities negotiation with 'qmp_capabilities'");
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'no-such-cmd'}"), "CommandNotFound",
        "Expecting capabilities negotiation with 'qmp_capabilities'");
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'qmp_capabilities', "
                       "'arguments': {'enable': ['no-such-cap']}}"),
        "GenericError",
        "Parameter 'enable[0]' does not accept value 'no-such-cap'");
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'qmp_capabilities', "
                       "'arguments': {'enable': 'oob'}}"),
        "GenericError", "Invalid parameter type for 'enable', expected: array");

    ret = qtest_qmp_assert_success_ref(qts, "{'execute': 'qmp_capabilities'}");
    g_assert_true(JSON_NODE_HOLDS_OBJECT(ret));
    g_assert_cmpuint(json_object_get_size(json_node_get_object(ret)), ==, 0);
    json_node_unref(ret);

    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'qmp_capabilities'}"), "CommandNotFound",
        "Capabilities negotiation is already complete, command ignored");

    /* query-version agrees with the greeting */
    ret = qtest_qmp_assert_success_ref(qts, "{'execute': 'query-version'}");
    g_assert_true(json_node_equal(ret, json_object_get_member(qmp, "version")));
    json_node_unref(ret);
    qtest_quit(qts);
}

static void test_id_echo(void)
{
    static const char *const ids[] = {
        "'libvirt-1'", "42",   "-7",       "1.5",
        "true",        "null", "[1, 'a']", "{'a': {'b': []}}",
    };
    QTestState *qts = qtest_init("");

    for (size_t i = 0; i < G_N_ELEMENTS(ids); i++) {
        g_autoptr(JsonObject) want = NULL;
        JsonObject *rsp;

        rsp = qtest_qmp(qts, "{'execute': 'query-status', 'id': %s}", ids[i]);
        want = json_object_ref(rsp);
        g_assert_true(json_object_has_member(rsp, "return"));
        g_assert_true(json_object_has_member(rsp, "id"));

        /* errors echo the same id */
        json_object_unref(rsp);
        rsp = qtest_qmp(qts, "{'execute': 'no-such-cmd', 'id': %s}", ids[i]);
        g_assert_true(json_node_equal(json_object_get_member(rsp, "id"),
                                      json_object_get_member(want, "id")));
        json_object_unref(rsp);
        rsp = qtest_qmp(qts, "{'id': %s, 'execute': 'qom-get'}", ids[i]);
        g_assert_true(json_node_equal(json_object_get_member(rsp, "id"),
                                      json_object_get_member(want, "id")));
        qtest_qmp_expect_error(rsp, "GenericError",
                               "Parameter 'path' is missing");
    }
    qtest_quit(qts);
}

static void test_request_errors(void)
{
    QTestState *qts = qtest_init("");

    raw_expect_error(qts, "{]\n", "JSON parse error");
    raw_expect_error(qts, "}\n", "JSON parse error");
    raw_expect_error(qts, "@@@\n", "JSON parse error, stray '@'");
    raw_expect_error(qts, "{\"execute\": tru}", "JSON parse error, invalid");
    raw_expect_error(qts, "{\xff", "JSON parse error");
    raw_expect_error(qts, "{\x01", "JSON parse error");
    raw_expect_error(qts, "{'bad \xff", "JSON parse error");
    raw_expect_error(qts, "{'execute': 'nonexistent', 'id':'\n",
                     "JSON parse error");
    raw_expect_error(qts, "[\"\\u0000\"]", "JSON parse error");
    /* an unfinished command is dropped when a new one starts */
    raw_expect_error(qts,
                     "{\"execute\": \"query-status\" "
                     "{\"execute\": \"no-such-cmd\"}",
                     "JSON parse error, unexpected '{'");
    qtest_qmp_expect_error(qtest_qmp_receive(qts), "CommandNotFound",
                           "The command no-such-cmd has not been found");

    raw_expect_error(qts, "[1, 2]\n", "QMP input must be a JSON object");
    raw_expect_error(qts, "42 ", "QMP input must be a JSON object");
    raw_expect_error(qts, "{}", "QMP input lacks member 'execute'");
    raw_expect_error(qts, "{\"execute\": 1}",
                     "QMP input member 'execute' must be a string");
    raw_expect_error(qts, "{\"execute\": \"quit\", \"arguments\": []}",
                     "QMP input member 'arguments' must be an object");
    raw_expect_error(qts, "{\"execute\": \"quit\", \"foo\": 1}",
                     "QMP input member 'foo' is unexpected");

    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': {'path': 1, "
                       "'property': 'x'}}"),
        "GenericError", "Invalid parameter type for 'path', expected: string");
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'qom-list', 'arguments': {'path': '/', "
                       "'bogus': true}}"),
        "GenericError", "Parameter 'bogus' is unexpected");
    qtest_qmp_expect_error(qtest_qmp(qts, "{'execute': 'qom-list'}"),
                           "GenericError", "Parameter 'path' is missing");

    /* split across writes, several in one write */
    qtest_qmp_send_raw(qts, "{\"execute\": \"query-");
    qtest_qmp_send_raw(qts, "status\", \"id\": 1}{\"execute\": \"query-"
                            "target\", \"id\": 2}\r\n");
    for (int64_t id = 1; id <= 2; id++) {
        JsonObject *rsp = qtest_qmp_receive(qts);

        g_assert_true(json_object_has_member(rsp, "return"));
        g_assert_cmpint(json_object_get_int_member(rsp, "id"), ==, id);
        json_object_unref(rsp);
    }
    qtest_quit(qts);
}

static bool list_has(JsonArray *list, const char *key, const char *value)
{
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *e = json_array_get_object_element(list, i);

        if (!g_strcmp0(json_object_get_string_member(e, key), value)) {
            return true;
        }
    }
    return false;
}

static JsonObject *list_find(JsonArray *list, const char *key,
                             const char *value)
{
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *e = json_array_get_object_element(list, i);

        if (!g_strcmp0(json_object_get_string_member(e, key), value)) {
            return e;
        }
    }
    return NULL;
}

static void test_qom(void)
{
    QTestState *qts = qtest_init("");
    JsonNode *ret;
    JsonArray *list;
    JsonObject *e;

    ret = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'qom-list', 'arguments': {'path': '/'}}");
    list = json_node_get_array(ret);
    e = list_find(list, "name", "machine");
    g_assert_nonnull(e);
    g_assert_true(
        g_str_has_prefix(json_object_get_string_member(e, "type"), "child<"));
    g_assert_true(list_has(list, "name", "chardevs"));
    g_assert_true(list_has(list, "name", "objects"));
    json_node_unref(ret);

    /* every child listed under /machine resolves */
    ret = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'qom-list', 'arguments': {'path': '/machine'}}");
    list = json_node_get_array(ret);
    g_assert_cmpuint(json_array_get_length(list), >, 0);
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *prop = json_array_get_object_element(list, i);
        const char *type = json_object_get_string_member(prop, "type");
        g_autofree char *path = NULL;

        if (!g_str_has_prefix(type, "child<")) {
            continue;
        }
        path = g_strdup_printf("/machine/%s",
                               json_object_get_string_member(prop, "name"));
        qtest_qmp_assert_success(qts,
                                 "{'execute': 'qom-list', "
                                 "'arguments': {'path': '%s'}}",
                                 path);
    }
    json_node_unref(ret);

    /* libqtest's monitor chardev is connected: to us */
    g_assert_true(qtest_qom_get_bool(qts, "/chardevs/char0", "connected"));

    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'qom-list', "
                       "'arguments': {'path': '/no/such/path'}}"),
        "DeviceNotFound", "Device '/no/such/path' not found");
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'qom-get', "
                       "'arguments': {'path': '/nowhere', 'property': 'x'}}"),
        "DeviceNotFound", "Device '/nowhere' not found");
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'qom-set', 'arguments': "
                       "{'path': '/chardevs/char0', 'property': 'x'}}"),
        "GenericError", "Parameter 'value' is missing");
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'qom-set', 'arguments': "
                       "{'path': '/chardevs/char0', 'property': 'connected',"
                       " 'value': false}}"),
        "GenericError", NULL);

    ret = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'qom-list-types', "
             "'arguments': {'implements': 'chardev', 'abstract': true}}");
    list = json_node_get_array(ret);
    e = list_find(list, "name", "chardev");
    g_assert_nonnull(e);
    g_assert_true(json_object_get_boolean_member(e, "abstract"));
    e = list_find(list, "name", "chardev-socket");
    g_assert_nonnull(e);
    g_assert_false(json_object_has_member(e, "abstract"));
    g_assert_cmpstr(json_object_get_string_member(e, "parent"), ==, "chardev");
    json_node_unref(ret);

    ret = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'qom-list-types', "
             "'arguments': {'implements': 'chardev'}}");
    g_assert_false(list_has(json_node_get_array(ret), "name", "chardev"));
    json_node_unref(ret);

    /* abstract types list their class properties */
    ret = qtest_qmp_assert_success_ref(qts,
                                       "{'execute': 'qom-list-properties', "
                                       "'arguments': {'typename': 'chardev'}}");
    g_assert_true(list_has(json_node_get_array(ret), "name", "connected"));
    json_node_unref(ret);
    ret = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'qom-list-properties', "
             "'arguments': {'typename': 'chardev-socket'}}");
    g_assert_true(list_has(json_node_get_array(ret), "name", "connected"));
    json_node_unref(ret);
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'qom-list-properties', "
                       "'arguments': {'typename': 'no-such-type'}}"),
        "GenericError", "Class 'no-such-type' not found");
    qtest_quit(qts);
}

static int make_pipe_fd(int *other)
{
    int fds[2];

    g_assert_cmpint(pipe(fds), ==, 0);
    *other = fds[1];
    return fds[0];
}

static void test_getfd(void)
{
    QTestState *qts = qtest_init("");
    int wfd, rfd = make_pipe_fd(&wfd);

    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'getfd', 'arguments': {'fdname': 'x'}}"),
        "GenericError", "No file descriptor supplied via SCM_RIGHTS");
    qtest_qmp_expect_error(
        qtest_qmp_fds(qts, &rfd, 1,
                      "{'execute': 'getfd', "
                      "'arguments': {'fdname': '1x'}}"),
        "GenericError",
        "Parameter 'fdname' expects a name not starting with a digit");

    assert_ok(qtest_qmp_fds(qts, &rfd, 1,
                            "{'execute': 'getfd', "
                            "'arguments': {'fdname': 'f'}}"));
    /* the same name again replaces (and closes) the first fd */
    qtest_qmp_assert_success(qts, "{'execute': 'query-status'}");
    assert_ok(qtest_qmp_fds(qts, &wfd, 1,
                            "{'execute': 'getfd', "
                            "'arguments': {'fdname': 'f'}}"));
    qtest_qmp_assert_success(
        qts, "{'execute': 'closefd', 'arguments': {'fdname': 'f'}}");
    qtest_qmp_expect_error(qtest_qmp(qts, "{'execute': 'closefd', "
                                          "'arguments': {'fdname': 'f'}}"),
                           "GenericError",
                           "File descriptor named 'f' not found");

    /* an fd sent with a command that does not take it is not kept */
    assert_ok(qtest_qmp_fds(qts, &rfd, 1, "{'execute': 'query-status'}"));
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'getfd', 'arguments': {'fdname': 'g'}}"),
        "GenericError", "No file descriptor supplied via SCM_RIGHTS");
    close(rfd);
    close(wfd);
    qtest_quit(qts);
}

static void test_fdsets(void)
{
    QTestState *qts = qtest_init("");
    int wfd, rfd = make_pipe_fd(&wfd);
    JsonObject *rsp, *ret;
    JsonNode *sets;
    JsonArray *list;
    int64_t fd0;

    rsp = qtest_qmp_fds(qts, &rfd, 1,
                        "{'execute': 'add-fd', "
                        "'arguments': {'opaque': 'rd'}}");
    ret = json_object_get_object_member(rsp, "return");
    g_assert_cmpint(json_object_get_int_member(ret, "fdset-id"), ==, 0);
    fd0 = json_object_get_int_member(ret, "fd");
    json_object_unref(rsp);
    rsp = qtest_qmp_fds(qts, &wfd, 1,
                        "{'execute': 'add-fd', "
                        "'arguments': {'fdset-id': 5}}");
    ret = json_object_get_object_member(rsp, "return");
    g_assert_cmpint(json_object_get_int_member(ret, "fdset-id"), ==, 5);
    json_object_unref(rsp);
    qtest_qmp_expect_error(qtest_qmp(qts, "{'execute': 'add-fd'}"),
                           "GenericError",
                           "No file descriptor supplied via SCM_RIGHTS");
    qtest_qmp_expect_error(qtest_qmp_fds(qts, &wfd, 1,
                                         "{'execute': 'add-fd', "
                                         "'arguments': {'fdset-id': -1}}"),
                           "GenericError",
                           "Parameter 'fdset-id' expects a non-negative value");

    sets = qtest_qmp_assert_success_ref(qts, "{'execute': 'query-fdsets'}");
    list = json_node_get_array(sets);
    g_assert_cmpuint(json_array_get_length(list), ==, 2);
    ret = json_array_get_object_element(list, 0);
    g_assert_cmpint(json_object_get_int_member(ret, "fdset-id"), ==, 0);
    ret = json_array_get_object_element(
        json_object_get_array_member(ret, "fds"), 0);
    g_assert_cmpint(json_object_get_int_member(ret, "fd"), ==, fd0);
    g_assert_cmpstr(json_object_get_string_member(ret, "opaque"), ==, "rd");
    json_node_unref(sets);

    qtest_qmp_assert_success(qts,
                             "{'execute': 'remove-fd', 'arguments': "
                             "{'fdset-id': 0, 'fd': %" PRId64 "}}",
                             fd0);
    qtest_qmp_expect_error(qtest_qmp(qts, "{'execute': 'remove-fd', "
                                          "'arguments': {'fdset-id': 0}}"),
                           "GenericError",
                           "File descriptor named 'fdset-id:0' not found");
    qtest_qmp_assert_success(
        qts, "{'execute': 'remove-fd', 'arguments': {'fdset-id': 5}}");
    sets = qtest_qmp_assert_success_ref(qts, "{'execute': 'query-fdsets'}");
    g_assert_cmpuint(json_array_get_length(json_node_get_array(sets)), ==, 0);
    json_node_unref(sets);
    close(rfd);
    close(wfd);
    qtest_quit(qts);
}

static void test_object_add_del(void)
{
    QTestState *qts = qtest_init("");

    qtest_qmp_assert_success(
        qts, "{'execute': 'object-add', 'arguments': {'qom-type': "
             "'memory-backend-ram', 'id': 'mem0', 'size': 1048576}}");
    g_assert_cmpint(qtest_qom_get_int(qts, "/objects/mem0", "size"), ==,
                    1048576);
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'object-add', 'arguments': {'qom-type': "
                       "'memory-backend-ram', 'id': 'mem0', "
                       "'size': 1048576}}"),
        "GenericError", "object 'mem0' already exists");
    qtest_qmp_assert_success(
        qts, "{'execute': 'object-del', 'arguments': {'id': 'mem0'}}");
    qtest_qmp_expect_error(qtest_qmp(qts,
                                     "{'execute': 'qom-list', "
                                     "'arguments': {'path': '/objects/mem0'}}"),
                           "DeviceNotFound", NULL);
    qtest_qmp_expect_error(qtest_qmp(qts, "{'execute': 'object-del', "
                                          "'arguments': {'id': 'mem0'}}"),
                           "GenericError", NULL);

    /* strict typing: a size is a JSON number */
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'object-add', 'arguments': {'qom-type': "
                       "'memory-backend-ram', 'id': 'mem1', "
                       "'size': '1048576'}}"),
        "GenericError", NULL);
    qtest_qmp_expect_error(qtest_qmp(qts, "{'execute': 'object-add', "
                                          "'arguments': {'id': 'mem1'}}"),
                           "GenericError", "Parameter 'qom-type' is missing");

    /* the monitor running the command cannot delete itself */
    qtest_qmp_expect_error(qtest_qmp(qts, "{'execute': 'object-del', "
                                          "'arguments': {'id': 'qmp0'}}"),
                           "GenericError", NULL);
    qtest_qmp_assert_success(qts, "{'execute': 'query-status'}");
    qtest_quit(qts);
}

static void check_device_properties(QTestState *qts, const char *type)
{
    static const char *const hidden[] = {"realized", "hotpluggable",
                                         "hotplugged", "parent_bus"};
    JsonNode *ret =
        qtest_qmp_assert_success_ref(qts,
                                     "{'execute': 'device-list-properties', "
                                     "'arguments': {'typename': '%s'}}",
                                     type);
    JsonArray *list = json_node_get_array(ret);

    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *prop = json_array_get_object_element(list, i);

        g_assert_true(json_object_has_member(prop, "name"));
        g_assert_true(json_object_has_member(prop, "type"));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(hidden); i++) {
        g_assert_false(list_has(list, "name", hidden[i]));
    }
    /* libvirt needs this one to offer pluggable SMMUs */
    if (!strcmp(type, "arm-smmuv3")) {
        g_assert_true(list_has(list, "name", "smmu_per_bus"));
    }
    json_node_unref(ret);
}

static void test_device_list_properties(void)
{
    QTestState *qts = qtest_init("");
    JsonNode *types = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'qom-list-types', "
             "'arguments': {'implements': 'device'}}");
    JsonArray *list = json_node_get_array(types);

    g_assert_cmpuint(json_array_get_length(list), >, 0);
    for (guint i = 0; i < json_array_get_length(list); i++) {
        check_device_properties(
            qts, json_object_get_string_member(
                     json_array_get_object_element(list, i), "name"));
    }
    json_node_unref(types);

    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'device-list-properties', "
                       "'arguments': {'typename': 'no-such-device'}}"),
        "DeviceNotFound", "Device 'no-such-device' not found");
    qtest_qmp_expect_error(qtest_qmp(qts,
                                     "{'execute': 'device-list-properties', "
                                     "'arguments': {'typename': 'device'}}"),
                           "GenericError", NULL);
    qtest_qmp_expect_error(
        qtest_qmp(qts, "{'execute': 'device-list-properties', "
                       "'arguments': {'typename': 'chardev-socket'}}"),
        "GenericError", NULL);
    qtest_quit(qts);
}

static void test_query_machines(void)
{
    const bool arm = !strcmp(qtest_get_arch(), "aarch64");
    const char *family = arm ? "virt-" : "pc-q35-";
    const char *alias = arm ? "virt" : "q35";
    QTestState *qts = qtest_init("");
    JsonNode *ret =
        qtest_qmp_assert_success_ref(qts, "{'execute': 'query-machines'}");
    JsonArray *list = json_node_get_array(ret);
    static const char *const versions[] = {"11.2", "11.1", "11.0"};

    for (size_t i = 0; i < G_N_ELEMENTS(versions); i++) {
        g_autofree char *name = g_strconcat(family, versions[i], NULL);
        JsonObject *m = list_find(list, "name", name);

        g_assert_nonnull(m);
        g_assert_true(json_object_has_member(m, "cpu-max"));
        g_assert_true(json_object_has_member(m, "deprecated"));
        g_assert_true(json_object_has_member(m, "hotpluggable-cpus"));
        g_assert_true(json_object_has_member(m, "numa-mem-supported"));
        g_assert_true(json_object_has_member(m, "acpi"));
        if (i == 0) {
            g_assert_cmpstr(json_object_get_string_member(m, "alias"), ==,
                            alias);
        } else {
            g_assert_false(json_object_has_member(m, "alias"));
        }
        /* "is-default" appears only when true */
        g_assert_true(!json_object_has_member(m, "is-default") ||
                      json_object_get_boolean_member(m, "is-default"));
    }
    if (arm) {
        g_assert_true(json_object_get_boolean_member(
            list_find(list, "name", "virt-11.2"), "is-default"));
    }
    json_node_unref(ret);

    ret = qtest_qmp_assert_success_ref(qts,
                                       "{'execute': 'query-machines', "
                                       "'arguments': {'compat-props': true}}");
    list = json_node_get_array(ret);
    for (guint i = 0; i < json_array_get_length(list); i++) {
        g_assert_true(json_object_has_member(
            json_array_get_object_element(list, i), "compat-props"));
    }
    json_node_unref(ret);
    qtest_quit(qts);
}

static void test_misc_queries(void)
{
    QTestState *qts = qtest_init("");
    JsonNode *ret;
    JsonArray *list;
    JsonObject *o;

    ret = qtest_qmp_assert_success_ref(qts, "{'execute': 'query-target'}");
    g_assert_cmpstr(
        json_object_get_string_member(json_node_get_object(ret), "arch"), ==,
        qtest_get_arch());
    json_node_unref(ret);

    ret = qtest_qmp_assert_success_ref(qts, "{'execute': 'query-kvm'}");
    o = json_node_get_object(ret);
    g_assert_false(json_object_get_boolean_member(o, "enabled"));
    g_assert_false(json_object_get_boolean_member(o, "present"));
    json_node_unref(ret);

    ret = qtest_qmp_assert_success_ref(qts, "{'execute': 'query-commands'}");
    list = json_node_get_array(ret);
    for (guint i = 1; i < json_array_get_length(list); i++) {
        g_assert_cmpstr(json_object_get_string_member(
                            json_array_get_object_element(list, i - 1), "name"),
                        <,
                        json_object_get_string_member(
                            json_array_get_object_element(list, i), "name"));
    }
    g_assert_true(list_has(list, "name", "qmp_capabilities"));
    g_assert_true(list_has(list, "name", "device_add"));
    json_node_unref(ret);

    ret = qtest_qmp_assert_success_ref(qts, "{'execute': 'query-qmp-schema'}");
    list = json_node_get_array(ret);
    o = list_find(list, "name", "qom-get");
    g_assert_nonnull(o);
    g_assert_cmpstr(json_object_get_string_member(o, "meta-type"), ==,
                    "command");
    json_node_unref(ret);
    qtest_quit(qts);
}

static void assert_status(QTestState *qts, const char *status, bool running)
{
    JsonNode *ret =
        qtest_qmp_assert_success_ref(qts, "{'execute': 'query-status'}");
    JsonObject *o = json_node_get_object(ret);

    g_assert_cmpstr(json_object_get_string_member(o, "status"), ==, status);
    g_assert_cmpint(json_object_get_boolean_member(o, "running"), ==, running);
    json_node_unref(ret);
}

static void test_run_state(void)
{
    QTestState *qts = qtest_init("-S");
    JsonObject *ev, *data;

    assert_status(qts, "prelaunch", false);
    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    assert_status(qts, "prelaunch", false);
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    qtest_qmp_eventwait(qts, "RESUME");
    assert_status(qts, "running", true);
    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    ev = qtest_qmp_eventwait_ref(qts, "STOP");
    g_assert_true(json_object_has_member(ev, "timestamp"));
    g_assert_true(json_object_has_member(
        json_object_get_object_member(ev, "timestamp"), "microseconds"));
    json_object_unref(ev);
    assert_status(qts, "paused", false);
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    qtest_qmp_eventwait(qts, "RESUME");

    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    ev = qtest_qmp_eventwait_ref(qts, "RESET");
    data = json_object_get_object_member(ev, "data");
    g_assert_false(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "host-qmp-system-reset");
    json_object_unref(ev);

    qtest_qmp_assert_success(qts, "{'execute': 'quit'}");
    ev = qtest_qmp_eventwait_ref(qts, "SHUTDOWN");
    g_assert_cmpstr(json_object_get_string_member(
                        json_object_get_object_member(ev, "data"), "reason"),
                    ==, "host-qmp-quit");
    json_object_unref(ev);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp/greeting-and-negotiation",
                    test_greeting_and_negotiation);
    g_test_add_func("/qmp/id-echo", test_id_echo);
    g_test_add_func("/qmp/request-errors", test_request_errors);
    g_test_add_func("/qmp/qom", test_qom);
    g_test_add_func("/qmp/getfd", test_getfd);
    g_test_add_func("/qmp/fdsets", test_fdsets);
    g_test_add_func("/qmp/object-add-del", test_object_add_del);
    g_test_add_func("/qmp/device-list-properties", test_device_list_properties);
    g_test_add_func("/qmp/query-machines", test_query_machines);
    g_test_add_func("/qmp/misc-queries", test_misc_queries);
    g_test_add_func("/qmp/run-state", test_run_state);
    return g_test_run();
}
