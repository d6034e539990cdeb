/*
 * A hostile QMP client: seeded bursts of byte garbage and broken JSON,
 * oversized and deeply nested values, and well-formed requests for every
 * registered command with random arguments (qom-set on the real tree,
 * device_add and object-add of every type with random properties, fds
 * of every kind passed with getfd and add-fd and then named in fd=).
 * After each burst the server must still answer query-status, every
 * request with an id must get exactly one reply carrying that id, every
 * reply must be a well-formed return or error, and at the end the
 * emulator must exit cleanly (libqtest checks its stderr for sanitizer
 * reports). Set QMP_FUZZ_SEED to replay another seed.
 */
#include "libqtest-internal.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FUZZ_BURSTS 100
#define FUZZ_BURST_OPS 25
#define FUZZ_DEFAULT_SEED 0x0f0cacc1u
#define FUZZ_MAX_OBJECTS 150
#define MIB (1024 * 1024)

typedef struct QomProp {
    char *path;
    char *name;
    char *type;
} QomProp;

typedef struct Fuzzer {
    QTestState *qts;
    GRand *rand;
    unsigned next_id;
    GPtrArray *commands;     /* char *, every command but quit */
    GPtrArray *paths;        /* char *, QOM paths found by walking */
    GPtrArray *props;        /* QomProp * */
    GPtrArray *device_types; /* char * */
    GPtrArray *object_types; /* char * */
    GHashTable *type_props;  /* type name -> GPtrArray of char * */
    GHashTable *pending;     /* ids (as text) sent, not yet answered */
    unsigned foreign;        /* replies allowed with an unforeseen id */
    GHashTable *tally;       /* command -> guint[2]: returns, errors */
    GPtrArray *added;        /* char *, ids of devices and objects added */
} Fuzzer;

/* Argument names the commands know, so requests get past the first check. */
static const char *const arg_names[] = {
    "path",   "property", "value",  "typename",     "implements", "abstract",
    "driver", "id",       "bus",    "qom-type",     "fdname",     "fdset-id",
    "fd",     "opaque",   "enable", "compat-props", "addr",       "chassis",
};

static const char *const odd_strings[] = {
    "",
    "/",
    "//",
    "..",
    "/..",
    "/machine/..",
    "../..",
    ".",
    "/machine//peripheral",
    "/objects/",
    "on",
    "off",
    "auto",
    "-1",
    "0x",
    "0xffffffffffffffffff",
    "18446744073709551616",
    "1e400",
    "nan",
    "inf",
    " ",
    "a,b",
    "a=b",
    ",,",
    "é日本語",
    "\xe2\x80\xa8",
    "\t\n\r\x01",
    "help",
    "?",
    "pcie.0",
    "qmp0",
    "char0",
    "machine",
    "/machine/unattached/device[0]",
    "/chardevs/char0",
    "/objects/qmp0",
    "iommufd0",
};

static uint32_t rnd(Fuzzer *f, uint32_t n)
{
    return g_rand_int_range(f->rand, 0, n);
}

static uint64_t rnd64(Fuzzer *f)
{
    return (uint64_t)g_rand_int(f->rand) << 32 | g_rand_int(f->rand);
}

static const char *pick(Fuzzer *f, GPtrArray *a)
{
    return a->len ? a->pdata[rnd(f, a->len)] : "";
}

static QomProp *pick_prop(Fuzzer *f)
{
    return f->props->len ? f->props->pdata[rnd(f, f->props->len)] : NULL;
}

static void qom_prop_free(QomProp *p)
{
    g_free(p->path);
    g_free(p->name);
    g_free(p->type);
    g_free(p);
}

/* Raw bytes to the QMP socket, NULs included. */
static void send_bytes(Fuzzer *f, const void *buf, size_t len)
{
    qtest_send_all(f->qts, f->qts->qmp_fd, "QMP", buf, len, NULL, 0);
}

static char *node_text(JsonNode *node)
{
    return json_to_string(node, false);
}

/* A reply is {"return": ...} or {"error": {"class": S, "desc": S}}. */
static void check_reply_shape(JsonObject *rsp)
{
    JsonNode *err = json_object_get_member(rsp, "error");
    g_autoptr(JsonNode) whole = json_node_init_object(json_node_alloc(), rsp);
    g_autofree char *text = node_text(whole);
    JsonObject *eo;

    if (json_object_has_member(rsp, "return")) {
        g_assert_null(err);
        return;
    }
    if (!err || !JSON_NODE_HOLDS_OBJECT(err)) {
        g_error("reply is neither a return nor an error: %.300s", text);
    }
    eo = json_node_get_object(err);
    if (!json_object_has_member(eo, "class") ||
        !json_object_has_member(eo, "desc") ||
        json_node_get_value_type(json_object_get_member(eo, "class")) !=
            G_TYPE_STRING ||
        json_node_get_value_type(json_object_get_member(eo, "desc")) !=
            G_TYPE_STRING ||
        !*json_object_get_string_member(eo, "desc")) {
        g_error("malformed error reply: %.300s", text);
    }
}

static char *reply_id_text(JsonObject *rsp)
{
    JsonNode *id = json_object_get_member(rsp, "id");

    return id ? node_text(id) : NULL;
}

/* The running state is one of the documented ones, and consistent. */
static void check_status(JsonObject *rsp)
{
    JsonObject *ret;
    const char *status;

    g_assert_true(json_object_has_member(rsp, "return"));
    ret = json_object_get_object_member(rsp, "return");
    status = json_object_get_string_member(ret, "status");
    g_assert_true(g_str_equal(status, "prelaunch") ||
                  g_str_equal(status, "running") ||
                  g_str_equal(status, "paused"));
    g_assert_cmpint(json_object_get_boolean_member(ret, "running"), ==,
                    g_str_equal(status, "running"));
}

/*
 * Resynchronises the server's parser (a control byte ends any broken
 * value), then asks query-status. Replies to what was sent before may
 * come first: each is well formed, and any id it carries was sent and is
 * answered once. A mangled request may still parse with a changed id, so
 * each of those may add one reply whose id the test cannot foresee.
 */
static void fuzz_sync(Fuzzer *f)
{
    g_autofree char *id = g_strdup_printf("\"sync-%u\"", f->next_id++);
    g_autofree char *req = g_strdup_printf(
        "\x01\n{\"execute\": \"query-status\", \"id\": %s}\n", id);

    send_bytes(f, req, strlen(req));
    for (;;) {
        JsonObject *rsp = qtest_qmp_receive(f->qts);
        g_autofree char *rid = reply_id_text(rsp);

        check_reply_shape(rsp);
        if (rid && g_str_equal(rid, id)) {
            check_status(rsp);
            json_object_unref(rsp);
            break;
        }
        if (rid && !g_hash_table_remove(f->pending, rid)) {
            if (!f->foreign) {
                g_error("reply with an id never sent or answered twice: %s",
                        rid);
            }
            f->foreign--;
        }
        json_object_unref(rsp);
    }
    /* what is left was broken on the way and rightly got no reply */
    g_hash_table_remove_all(f->pending);
    f->foreign = 0;
    /* drop queued events */
    while (!g_queue_is_empty(f->qts->qmp_queue)) {
        json_object_unref(g_queue_pop_head(f->qts->qmp_queue));
    }
}

/* Random values */

static char *random_ascii(Fuzzer *f, size_t max)
{
    size_t n = rnd(f, max + 1);
    char *s = g_malloc(n + 1);

    for (size_t i = 0; i < n; i++) {
        s[i] = 0x20 + rnd(f, 0x5f);
    }
    s[n] = 0;
    return s;
}

static char *random_string(Fuzzer *f)
{
    switch (rnd(f, 8)) {
    case 0:
        return random_ascii(f, 16);
    case 1:
        return g_strdup(pick(f, f->paths));
    case 2: {
        QomProp *p = pick_prop(f);

        return g_strdup(p ? p->name : "");
    }
    case 3:
        return g_strdup(rnd(f, 2) ? pick(f, f->device_types)
                                  : pick(f, f->object_types));
    case 4:
        /* a long path */
        return g_strnfill(1 + rnd(f, 8192), "/a"[rnd(f, 2)]);
    case 5:
        return g_strdup_printf("%" PRId64, (int64_t)rnd64(f));
    default:
        return g_strdup(odd_strings[rnd(f, G_N_ELEMENTS(odd_strings))]);
    }
}

static const int64_t odd_ints[] = {
    0,
    1,
    -1,
    2,
    255,
    256,
    4096,
    65535,
    65536,
    0x7fffffff,
    -0x80000000LL,
    0xffffffffLL,
    0x100000000LL,
    INT64_MAX,
    INT64_MIN,
    1LL << 40,
    1LL << 62,
};

static JsonNode *random_value(Fuzzer *f, int depth)
{
    JsonNode *n = json_node_alloc();

    switch (rnd(f, depth > 3 ? 6 : 9)) {
    case 0:
        return json_node_init_null(n);
    case 1:
        return json_node_init_boolean(n, rnd(f, 2));
    case 2:
        return json_node_init_int(n, odd_ints[rnd(f, G_N_ELEMENTS(odd_ints))]);
    case 3:
        return json_node_init_int(n, rnd(f, 2) ? (int64_t)rnd64(f)
                                               : (int64_t)rnd(f, 64) - 8);
    case 4:
        return json_node_init_double(n, rnd(f, 2) ? 1.8446744073709552e19
                                                  : -1e300 + rnd(f, 3));
    case 5: {
        g_autofree char *s = random_string(f);

        return json_node_init_string(n, s);
    }
    case 6: {
        JsonArray *a = json_array_new();

        for (unsigned i = rnd(f, 4); i; i--) {
            json_array_add_element(a, random_value(f, depth + 1));
        }
        json_node_init_array(n, a);
        json_array_unref(a);
        return n;
    }
    default: {
        JsonObject *o = json_object_new();

        for (unsigned i = rnd(f, 4); i; i--) {
            g_autofree char *k = random_string(f);

            json_object_set_member(o, k, random_value(f, depth + 1));
        }
        json_node_init_object(n, o);
        json_object_unref(o);
        return n;
    }
    }
}

/* A value shaped for a property of type type, or any value. */
static JsonNode *value_for_type(Fuzzer *f, const char *type)
{
    JsonNode *n;

    if (rnd(f, 3) == 0 || !type) {
        return random_value(f, 0);
    }
    n = json_node_alloc();
    if (g_str_equal(type, "bool")) {
        return json_node_init_boolean(n, rnd(f, 2));
    }
    if (g_str_has_prefix(type, "int") || g_str_has_prefix(type, "uint") ||
        g_str_equal(type, "size")) {
        return json_node_init_int(
            n, rnd(f, 2) ? odd_ints[rnd(f, G_N_ELEMENTS(odd_ints))]
                         : (int64_t)rnd(f, 300) - 20);
    }
    {
        g_autofree char *s = random_string(f);

        return json_node_init_string(n, s);
    }
}

/* Requests */

static void tally(Fuzzer *f, const char *cmd, bool ok)
{
    guint *t = g_hash_table_lookup(f->tally, cmd);

    if (!t) {
        t = g_new0(guint, 2);
        g_hash_table_insert(f->tally, g_strndup(cmd, 64), t);
    }
    t[!ok]++;
}

/* How often each command succeeded: shows what the run reached. */
static void report_tally(Fuzzer *f)
{
    g_autoptr(GList) keys = g_hash_table_get_keys(f->tally);
    GString *s = g_string_new("returns/errors:");

    keys = g_list_sort(keys, (GCompareFunc)strcmp);
    for (GList *l = keys; l; l = l->next) {
        guint *t = g_hash_table_lookup(f->tally, l->data);

        g_string_append_printf(s, " %s %u/%u", (char *)l->data, t[0], t[1]);
    }
    g_test_message("%s", s->str);
    g_string_free(s, true);
}

/*
 * Sends a well-formed request (with a fresh id) and checks that the next
 * reply carries that id and is well formed. Returns the reply.
 */
static JsonObject *request(Fuzzer *f, const char *cmd, JsonObject *args)
{
    g_autoptr(JsonObject) req = json_object_new();
    JsonNode *id = json_node_alloc();
    g_autofree char *id_text = NULL;
    g_autofree char *rid = NULL;
    JsonObject *rsp;

    switch (rnd(f, 3)) {
    case 0:
        json_node_init_int(id, f->next_id++);
        break;
    case 1: {
        g_autofree char *s = g_strdup_printf("fuzz-%u", f->next_id++);

        json_node_init_string(id, s);
        break;
    }
    default: {
        JsonObject *o = json_object_new();

        json_object_set_int_member(o, "n", f->next_id++);
        json_object_set_member(o, "x", random_value(f, 2));
        json_node_init_object(id, o);
        json_object_unref(o);
    }
    }
    id_text = node_text(id);
    json_object_set_string_member(req, "execute", cmd);
    if (args) {
        json_object_set_object_member(req, "arguments", args);
    }
    json_object_set_member(req, "id", id);
    rsp = qtest_qmp_obj(f->qts, req);
    rid = reply_id_text(rsp);
    if (g_strcmp0(rid, id_text)) {
        g_autoptr(JsonNode) whole =
            json_node_init_object(json_node_alloc(), rsp);
        g_autofree char *text = node_text(whole);

        g_error("%.100s: reply %.300s, sent id %s", cmd, text, id_text);
    }
    check_reply_shape(rsp);
    tally(f, cmd, json_object_has_member(rsp, "return"));
    return rsp;
}

static void request_unref(Fuzzer *f, const char *cmd, JsonObject *args)
{
    json_object_unref(request(f, cmd, args));
}

/* Every command, random members of random types. */
static void op_any_command(Fuzzer *f)
{
    const char *cmd = pick(f, f->commands);
    JsonObject *args = NULL;

    if (rnd(f, 6)) {
        args = json_object_new();
        for (unsigned i = rnd(f, 5); i; i--) {
            const char *k =
                rnd(f, 6) ? arg_names[rnd(f, G_N_ELEMENTS(arg_names))]
                          : odd_strings[rnd(f, G_N_ELEMENTS(odd_strings))];

            json_object_set_member(args, k, random_value(f, 0));
        }
    }
    request_unref(f, cmd, args);
}

static void op_qom_get(Fuzzer *f)
{
    JsonObject *args = json_object_new();

    if (f->props->len && rnd(f, 4)) {
        QomProp *p = pick_prop(f);

        json_object_set_string_member(args, "path", p->path);
        json_object_set_string_member(args, "property", p->name);
    } else {
        g_autofree char *path = random_string(f);
        g_autofree char *prop = random_string(f);

        json_object_set_string_member(args, "path", path);
        json_object_set_string_member(args, "property", prop);
    }
    request_unref(f, "qom-get", args);
}

static void op_qom_set(Fuzzer *f)
{
    QomProp *p = pick_prop(f);
    JsonObject *args;

    if (!p) {
        return;
    }
    args = json_object_new();
    json_object_set_string_member(args, "path", p->path);
    json_object_set_string_member(args, "property", p->name);
    json_object_set_member(args, "value", value_for_type(f, p->type));
    request_unref(f, "qom-set", args);
}

/* Property names of a device or object type (cached). */
static GPtrArray *type_props(Fuzzer *f, const char *type, bool device)
{
    GPtrArray *names = g_hash_table_lookup(f->type_props, type);
    JsonObject *args;
    JsonObject *rsp;

    if (names) {
        return names;
    }
    names = g_ptr_array_new_with_free_func(g_free);
    args = json_object_new();
    json_object_set_string_member(args, "typename", type);
    rsp = request(f, device ? "device-list-properties" : "qom-list-properties",
                  args);
    if (json_object_has_member(rsp, "return")) {
        JsonArray *a = json_object_get_array_member(rsp, "return");

        for (guint i = 0; i < json_array_get_length(a); i++) {
            JsonObject *p = json_array_get_object_element(a, i);

            g_ptr_array_add(
                names, g_strdup_printf(
                           "%s\n%s", json_object_get_string_member(p, "name"),
                           json_object_get_string_member(p, "type")));
        }
    }
    json_object_unref(rsp);
    g_hash_table_insert(f->type_props, g_strdup(type), names);
    return names;
}

/* Random properties of type (with values shaped for their type). */
static void add_random_props(Fuzzer *f, JsonObject *args, const char *type,
                             bool device, unsigned max)
{
    GPtrArray *names = type_props(f, type, device);

    for (unsigned i = rnd(f, max + 1); i; i--) {
        g_auto(GStrv) nt = NULL;

        if (!names->len || !rnd(f, 8)) {
            g_autofree char *k = random_string(f);

            json_object_set_member(args, k, random_value(f, 0));
            continue;
        }
        nt = g_strsplit(pick(f, names), "\n", 2);
        json_object_set_member(args, nt[0], value_for_type(f, nt[1]));
    }
}

/*
 * getfd and add-fd with fds of every kind: pipes, /dev/null, memfds named
 * like host-model devices (which the model adopts) or not.
 */
static void op_fd(Fuzzer *f)
{
    static const char *const memfds[] = {
        "host-model:/dev/iommu",
        "host-model:/dev/vfio/devices/vfio0",
        "host-model:/dev/vfio/devices/vfio1",
        "host-model:/dev/vfio/devices/vfio9",
        "host-model:",
        "host-model:/sys/bus/pci/devices",
        "something-else",
    };
    int p[2] = {-1, -1};
    int fd;
    JsonObject *rsp;

    switch (rnd(f, 4)) {
    case 0:
        g_assert_cmpint(pipe(p), ==, 0);
        fd = p[0];
        break;
    case 1:
        fd = open("/dev/null", O_RDWR);
        break;
    default:
        fd = memfd_create(memfds[rnd(f, G_N_ELEMENTS(memfds))], 0);
    }
    g_assert_cmpint(fd, >=, 0);
    if (rnd(f, 4)) {
        rsp = qtest_qmp_fds(f->qts, &fd, 1,
                            "{'execute': 'getfd', 'arguments': "
                            "{'fdname': 'fd%u'}}",
                            rnd(f, 4));
    } else {
        rsp = qtest_qmp_fds(f->qts, &fd, 1,
                            "{'execute': 'add-fd', 'arguments': "
                            "{'fdset-id': %u}}",
                            rnd(f, 3));
    }
    check_reply_shape(rsp);
    json_object_unref(rsp);
    close(fd);
    if (p[1] >= 0) {
        close(p[1]);
    }
}

/* An fd= value: a getfd name, a number, or junk. */
static const char *fd_value(Fuzzer *f)
{
    static const char *const values[] = {
        "fd0",        "fd1",        "fd2", "fd3", "3",  "4", "5",
        "6",          "7",          "8",   "10",  "0",  "2", "99",
        "2147483647", "2147483648", "-1",  "",    "fd",
    };

    return values[rnd(f, G_N_ELEMENTS(values))];
}

static char *random_id(Fuzzer *f)
{
    return rnd(f, 4) ? g_strdup_printf("fz%u", rnd(f, 40)) : random_string(f);
}

/* Requests a plausible add and remembers the id if it worked. */
static void add_and_record(Fuzzer *f, const char *cmd, JsonObject *args)
{
    g_autofree char *id = g_strdup(json_object_get_string_member(args, "id"));
    JsonObject *rsp = request(f, cmd, args);

    if (json_object_has_member(rsp, "return")) {
        g_ptr_array_add(f->added, g_steal_pointer(&id));
    }
    json_object_unref(rsp);
}

static bool is_arm(void)
{
    return g_str_equal(qtest_get_arch(), "aarch64");
}

/*
 * A device that can be hot-plugged as it is: a free id, a bus that
 * exists, and sometimes one random property on top.
 */
static void plausible_device(Fuzzer *f, JsonObject *args)
{
    static const char *const drivers[] = {
        "pcie-root-port", "iommu-testdev", "vfio-pci",
        "vfio-pci",       "pxb-pcie",      "x-compat-test-dev",
    };
    static const char *const buses[] = {"rp0", "rp1", "pcie.0"};
    const char *driver = drivers[rnd(f, G_N_ELEMENTS(drivers))];
    g_autofree char *id = g_strdup_printf("fz%u", f->next_id);

    json_object_set_string_member(args, "driver", driver);
    json_object_set_string_member(args, "id", id);
    json_object_set_string_member(args, "bus",
                                  buses[rnd(f, G_N_ELEMENTS(buses))]);
    if (g_str_equal(driver, "vfio-pci")) {
        static const char *const hosts[2][2] = {
            {"0000:6a:01.0", "0000:17:00.0"},
            {"0009:01:00.0", "0000:01:00.0"},
        };

        if (rnd(f, 3)) {
            json_object_set_string_member(args, "host",
                                          hosts[is_arm()][rnd(f, 2)]);
        } else {
            json_object_set_string_member(args, "fd", fd_value(f));
        }
        json_object_set_string_member(
            args, "iommufd", rnd(f, 4) ? "iommufd0" : pick(f, f->added));
    } else if (g_str_equal(driver, "pcie-root-port")) {
        json_object_set_int_member(args, "chassis", 10 + f->next_id % 200);
    }
    if (rnd(f, 2)) {
        add_random_props(f, args, driver, true, 1);
    }
}

static void op_device_add(Fuzzer *f)
{
    const char *driver = pick(f, f->device_types);
    JsonObject *args = json_object_new();
    static const char *const buses[] = {"pcie.0", "rp0",  "rp1",
                                        "pxb0",   "nope", ""};

    if (rnd(f, 2)) {
        plausible_device(f, args);
        add_and_record(f, "device_add", args);
        return;
    }
    json_object_set_string_member(args, "driver", driver);
    if (rnd(f, 4)) {
        g_autofree char *id = random_id(f);

        json_object_set_string_member(args, "id", id);
    }
    if (rnd(f, 2)) {
        json_object_set_string_member(args, "bus",
                                      buses[rnd(f, G_N_ELEMENTS(buses))]);
    }
    add_random_props(f, args, driver, true, 5);
    request_unref(f, "device_add", args);
}

/* Devices added before (fzN), or anything. */
static void op_device_del(Fuzzer *f)
{
    JsonObject *args = json_object_new();
    g_autofree char *id = NULL;

    switch (rnd(f, 4)) {
    case 0:
        id = random_string(f);
        break;
    case 1:
        id = random_id(f);
        break;
    default:
        id = g_strdup(pick(f, f->added));
    }
    json_object_set_string_member(args, "id", id);
    request_unref(f, "device_del", args);
}

static void op_object_add(Fuzzer *f)
{
    const char *type = pick(f, f->object_types);
    JsonObject *args = json_object_new();

    if (rnd(f, 2)) {
        g_autofree char *id = g_strdup_printf("fz%u", f->next_id);

        type = rnd(f, 2) ? "iommufd" : "memory-backend-ram";
        json_object_set_string_member(args, "qom-type", type);
        json_object_set_string_member(args, "id", id);
        if (type[0] == 'm') {
            json_object_set_int_member(args, "size", 4096 << rnd(f, 12));
        } else if (rnd(f, 2)) {
            json_object_set_string_member(args, "fd", fd_value(f));
        }
        add_random_props(f, args, type, false, rnd(f, 2));
        add_and_record(f, "object-add", args);
        return;
    }
    json_object_set_string_member(args, "qom-type", type);
    if (rnd(f, 8)) {
        g_autofree char *id = random_id(f);

        json_object_set_string_member(args, "id", id);
    }
    add_random_props(f, args, type, false, 5);
    request_unref(f, "object-add", args);
}

static void op_object_del(Fuzzer *f)
{
    JsonObject *args = json_object_new();
    g_autofree char *id = g_strdup(rnd(f, 2) ? pick(f, f->added) : "");

    if (!*id) {
        g_free(id);
        id = random_id(f);
    }

    json_object_set_string_member(args, "id", id);
    request_unref(f, "object-del", args);
}

/* Envelopes that are wrong in themselves: an error without an id. */
static void op_bad_envelope(Fuzzer *f)
{
    static const char *const bad[] = {
        "{}",
        "[]",
        "1",
        "\"query-status\"",
        "null",
        "{\"execute\": 1}",
        "{\"execute\": null}",
        "{\"execute\": [\"query-status\"]}",
        "{\"execute\": \"query-status\", \"arguments\": []}",
        "{\"execute\": \"query-status\", \"arguments\": 5}",
        "{\"execute\": \"query-status\", \"arguments\": null}",
        "{\"execute\": \"query-status\", \"foo\": 1}",
        "{\"exec-oob\": \"query-status\"}",
        "{\"execute\": \"query-status\", \"exec-oob\": \"stop\"}",
        "{\"execute\": \"\"}",
        "{\"arguments\": {}}",
        "{\"execute\": \"qmp_capabilities\"}",
        "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/machine\"}}",
    };
    const char *text = bad[rnd(f, G_N_ELEMENTS(bad))];
    JsonObject *rsp;

    send_bytes(f, text, strlen(text));
    send_bytes(f, "\n", 1);
    rsp = qtest_qmp_receive(f->qts);
    check_reply_shape(rsp);
    if (!json_object_has_member(rsp, "error") ||
        json_object_has_member(rsp, "id")) {
        g_error("'%s' was not refused without an id", text);
    }
    json_object_unref(rsp);
}

/* Random bytes: control characters, 0xff, NULs, brackets, quotes. */
static void op_garbage(Fuzzer *f)
{
    static const char alphabet[] = "{}[]:,\"'\\ \n0-9.eEtrufalsn\x01\x00\xff"
                                   "\x80\xc3\xe2";
    size_t len = 1 + rnd(f, 512);
    g_autofree char *buf = g_malloc(len);

    for (size_t i = 0; i < len; i++) {
        buf[i] = rnd(f, 2) ? alphabet[rnd(f, sizeof(alphabet) - 1)]
                           : (char)rnd(f, 256);
    }
    send_bytes(f, buf, len);
}

/* A harmless request, then cut, spliced or sprinkled with junk. */
static void op_mutated(Fuzzer *f)
{
    static const char *const templates[] = {
        "{\"execute\": \"query-status\", \"id\": %u}",
        "{'execute': 'qom-get', 'arguments': {'path': '/machine', "
        "'property': 'type'}, 'id': %u}",
        "{\"execute\": \"qom-list\", \"arguments\": {\"path\": "
        "\"/machine/peripheral\"}, \"id\": %u}",
        "{\"execute\": \"query-version\", \"arguments\": {}, \"id\": %u}",
        "{\"execute\": \"qom-list-types\", \"arguments\": {\"abstract\": "
        "true, \"implements\": \"device\"}, \"id\": %u}",
    };
    static const char junk[] = "{}[]:,\"'\\ \n\x01\xff\x80"
                               "Ab0";
    unsigned id = f->next_id++;
    g_autofree char *text =
        g_strdup_printf(templates[rnd(f, G_N_ELEMENTS(templates))], id);
    GString *s = g_string_new(text);

    f->foreign++;
    for (unsigned i = 1 + rnd(f, 3); i; i--) {
        size_t pos = rnd(f, s->len + 1);

        switch (rnd(f, 4)) {
        case 0:
            g_string_truncate(s, pos);
            break;
        case 1:
            if (pos < s->len) {
                g_string_erase(s, pos, 1);
            }
            break;
        default:
            g_string_insert_c(s, pos, junk[rnd(f, sizeof(junk) - 1)]);
        }
    }
    send_bytes(f, s->str, s->len);
    g_string_free(s, true);
}

/* Scalars json-glib or our lexer may treat specially. */
static void op_odd_scalar(Fuzzer *f)
{
    static const char *const scalars[] = {
        "18446744073709551616",
        "-9223372036854775809",
        "99999999999999999999999999999999999999999",
        "1e400",
        "-1e400",
        "1e-400",
        "-0",
        "0.0",
        "1E+2",
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "inf",
        "0x10",
        "01",
        "+1",
        ".5",
        "5.",
        "1e",
        "tru",
        "nul",
        "True",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "\"\\udc00\\ud800\"",
        "\"\\uD83D\\uDE00\"",
        "\"\\u12\"",
        "\"\xc3\x28\"",
        "\"\xed\xa0\x80\"",
        "\"\xe0\x80\x80\"",
        "\"\x80\"",
        "\"\xe2\x82\"",
        "\"\xf4\x90\x80\x80\"",
        "\"\xf0\x9f\x98\x80\"",
        "'single'",
        "'it\\'s'",
        "\"a\\'b\"",
        "\"\\x41\"",
    };
    static const char *const templates[] = {
        "{\"execute\": \"qom-set\", \"arguments\": {\"path\": \"%s\", "
        "\"property\": \"%s\", \"value\": %s}, \"id\": %u}\n",
        "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"%s\", "
        "\"property\": \"%s\", \"x\": %s}, \"id\": %u}\n",
    };
    const char *sc = scalars[rnd(f, G_N_ELEMENTS(scalars))];
    QomProp *p = pick_prop(f);
    g_autofree char *path = qtest_json_quote(p ? p->path : "/machine");
    g_autofree char *name = qtest_json_quote(p ? p->name : "type");
    g_autofree char *text = NULL;
    unsigned id = f->next_id++;
    bool as_id = !rnd(f, 4);

    /* the paths are already quoted: strip the quotes again */
    path[strlen(path) - 1] = 0;
    name[strlen(name) - 1] = 0;
    if (as_id) {
        text = g_strdup_printf("{\"execute\": \"query-status\", \"id\": %s}\n",
                               sc);
    } else {
        text = g_strdup_printf(templates[rnd(f, G_N_ELEMENTS(templates))],
                               path + 1, name + 1, sc, id);
        g_hash_table_add(f->pending, g_strdup_printf("%u", id));
    }
    f->foreign++;
    send_bytes(f, text, strlen(text));
}

/* Raw NULs and control bytes between and inside requests. */
static void op_nul(Fuzzer *f)
{
    static const char req[] = "{\"execute\": \"query-kvm\"}";
    char buf[sizeof(req) + 1];
    size_t pos = rnd(f, sizeof(req));

    memcpy(buf, req, pos);
    buf[pos] = rnd(f, 2) ? 0 : (char)rnd(f, 0x20);
    memcpy(buf + pos + 1, req + pos, sizeof(req) - 1 - pos);
    send_bytes(f, buf, sizeof(req));
}

/* The big ones, once each: deep nesting, 1 MiB strings, near limits. */

static void big_nesting(Fuzzer *f)
{
    const unsigned depth = 10000;
    GString *s = g_string_new(NULL);
    JsonObject *rsp;

    for (unsigned i = 0; i < depth; i++) {
        g_string_append(s, i & 1 ? "{\"a\": " : "[");
    }
    for (unsigned i = depth; i; i--) {
        g_string_append(s, (i - 1) & 1 ? "}" : "]");
    }
    g_string_append_c(s, '\n');
    send_bytes(f, s->str, s->len);
    g_string_free(s, true);
    fuzz_sync(f);

    /* just inside the limit, as an argument value and as the id */
    s = g_string_new(NULL);
    for (unsigned i = 0; i < 1000; i++) {
        g_string_append_c(s, '[');
    }
    g_string_append_c(s, '7');
    for (unsigned i = 0; i < 1000; i++) {
        g_string_append_c(s, ']');
    }
    {
        g_autofree char *req = g_strdup_printf(
            "{\"execute\": \"qom-set\", \"arguments\": {\"path\": "
            "\"/machine\", \"property\": \"gic-version\", \"value\": %s}, "
            "\"id\": %s}\n",
            s->str, s->str);

        send_bytes(f, req, strlen(req));
    }
    rsp = qtest_qmp_receive(f->qts);
    check_reply_shape(rsp);
    g_assert_true(json_object_has_member(rsp, "error"));
    g_assert_true(json_object_has_member(rsp, "id"));
    json_object_unref(rsp);
    g_string_free(s, true);
    fuzz_sync(f);
}

static void big_strings(Fuzzer *f)
{
    g_autofree char *huge = g_strnfill(MIB, 'x');
    JsonObject *args;
    JsonObject *rsp;

    /* as a path, a property name, a command name, a member name, an id */
    args = json_object_new();
    json_object_set_string_member(args, "path", huge);
    json_object_set_string_member(args, "property", "type");
    qtest_qmp_expect_error(request(f, "qom-get", args), "DeviceNotFound", NULL);
    args = json_object_new();
    json_object_set_string_member(args, "path", "/machine");
    json_object_set_string_member(args, "property", huge);
    qtest_qmp_expect_error(request(f, "qom-get", args), "GenericError", NULL);
    qtest_qmp_expect_error(request(f, huge, NULL), "CommandNotFound", NULL);
    args = json_object_new();
    json_object_set_int_member(args, huge, 1);
    qtest_qmp_expect_error(request(f, "query-status", args), "GenericError",
                           NULL);
    args = json_object_new();
    json_object_set_string_member(args, "driver", huge);
    json_object_set_string_member(args, "id", huge);
    qtest_qmp_expect_error(request(f, "device_add", args), "GenericError",
                           NULL);
    args = json_object_new();
    json_object_set_string_member(args, "qom-type", "memory-backend-ram");
    json_object_set_string_member(args, "id", huge);
    json_object_set_int_member(args, "size", 4096);
    json_object_unref(request(f, "object-add", args));
    {
        g_autofree char *req = g_strdup_printf(
            "{\"execute\": \"query-status\", \"id\": \"%s\"}\n", huge);
        g_autofree char *want = g_strdup_printf("\"%s\"", huge);
        g_autofree char *rid = NULL;

        send_bytes(f, req, strlen(req));
        rsp = qtest_qmp_receive(f->qts);
        rid = reply_id_text(rsp);
        g_assert_cmpstr(rid, ==, want);
        check_status(rsp);
        json_object_unref(rsp);
    }
    /* a string left open for 1 MiB, then garbage */
    send_bytes(f, "{\"execute\": \"", 13);
    send_bytes(f, huge, MIB);
    fuzz_sync(f);
}

/* The QOM tree and the type lists the random requests draw from. */

static JsonArray *return_array(JsonObject *rsp)
{
    g_assert_true(json_object_has_member(rsp, "return"));
    return json_object_get_array_member(rsp, "return");
}

static void walk_qom(Fuzzer *f, const char *path)
{
    JsonObject *args = json_object_new();
    JsonObject *rsp;
    JsonArray *a;

    if (f->paths->len >= FUZZ_MAX_OBJECTS) {
        return;
    }
    g_ptr_array_add(f->paths, g_strdup(path));
    json_object_set_string_member(args, "path", path);
    rsp = request(f, "qom-list", args);
    a = return_array(rsp);
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *p = json_array_get_object_element(a, i);
        const char *name = json_object_get_string_member(p, "name");
        const char *type = json_object_get_string_member(p, "type");
        g_autofree char *child = g_strdup_printf(
            "%s%s%s", path, g_str_has_suffix(path, "/") ? "" : "/", name);

        if (g_str_has_prefix(type, "child<")) {
            walk_qom(f, child);
        } else {
            QomProp *qp = g_new(QomProp, 1);

            qp->path = g_strdup(path);
            qp->name = g_strdup(name);
            qp->type = g_strdup(type);
            g_ptr_array_add(f->props, qp);
        }
    }
    json_object_unref(rsp);
}

static void list_types(Fuzzer *f, const char *implements, GPtrArray *out)
{
    JsonObject *args = json_object_new();
    JsonObject *rsp;
    JsonArray *a;

    json_object_set_string_member(args, "implements", implements);
    rsp = request(f, "qom-list-types", args);
    a = return_array(rsp);
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *t = json_array_get_object_element(a, i);

        g_ptr_array_add(out,
                        g_strdup(json_object_get_string_member(t, "name")));
    }
    json_object_unref(rsp);
}

static void discover(Fuzzer *f)
{
    JsonObject *rsp = request(f, "query-commands", NULL);
    JsonArray *a = return_array(rsp);

    for (guint i = 0; i < json_array_get_length(a); i++) {
        const char *name = json_object_get_string_member(
            json_array_get_object_element(a, i), "name");

        if (strcmp(name, "quit")) {
            g_ptr_array_add(f->commands, g_strdup(name));
        }
    }
    json_object_unref(rsp);
    g_assert_cmpuint(f->commands->len, >, 10);
    walk_qom(f, "/");
    list_types(f, "device", f->device_types);
    list_types(f, "user-creatable", f->object_types);
    g_assert_cmpuint(f->device_types->len, >, 0);
}

static void test_fuzz(void)
{
    const char *env = g_getenv("QMP_FUZZ_SEED");
    guint32 seed =
        env ? (guint32)g_ascii_strtoull(env, NULL, 0) : FUZZ_DEFAULT_SEED;
    void (*const ops[])(Fuzzer *) = {
        op_any_command, op_any_command,  op_any_command, op_qom_get,
        op_qom_set,     op_qom_set,      op_qom_set,     op_device_add,
        op_device_add,  op_device_del,   op_object_add,  op_object_add,
        op_object_del,  op_bad_envelope, op_fd,          op_fd,
    };
    void (*const raw_ops[])(Fuzzer *) = {
        op_garbage,    op_mutated,    op_mutated,
        op_odd_scalar, op_odd_scalar, op_nul,
    };
    Fuzzer f = {
        .rand = g_rand_new_with_seed(seed),
        .commands = g_ptr_array_new_with_free_func(g_free),
        .paths = g_ptr_array_new_with_free_func(g_free),
        .props = g_ptr_array_new_with_free_func((GDestroyNotify)qom_prop_free),
        .device_types = g_ptr_array_new_with_free_func(g_free),
        .object_types = g_ptr_array_new_with_free_func(g_free),
        .type_props = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify)g_ptr_array_unref),
        .pending = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
        .tally = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
        .added = g_ptr_array_new_with_free_func(g_free),
    };

    g_test_message("seed 0x%x (QMP_FUZZ_SEED)", seed);
    f.qts = qtest_initf("-M %s -host-model %s -object iommufd,id=iommufd0 "
                        "-device pcie-root-port,id=rp0,chassis=1 "
                        "-device pcie-root-port,id=rp1,chassis=2",
                        is_arm() ? "virt" : "q35",
                        is_arm() ? "grace-hopper" : "vtd-sapphire-rapids");
    discover(&f);
    big_nesting(&f);
    big_strings(&f);
    for (int burst = 0; burst < FUZZ_BURSTS; burst++) {
        bool raw = burst % 3 == 2;

        for (int i = 0; i < FUZZ_BURST_OPS; i++) {
            if (raw) {
                raw_ops[rnd(&f, G_N_ELEMENTS(raw_ops))](&f);
            } else {
                ops[rnd(&f, G_N_ELEMENTS(ops))](&f);
            }
        }
        fuzz_sync(&f);
    }
    report_tally(&f);
    qtest_quit(f.qts);
    g_hash_table_unref(f.tally);
    g_ptr_array_unref(f.added);
    g_ptr_array_unref(f.commands);
    g_ptr_array_unref(f.paths);
    g_ptr_array_unref(f.props);
    g_ptr_array_unref(f.device_types);
    g_ptr_array_unref(f.object_types);
    g_hash_table_unref(f.type_props);
    g_hash_table_unref(f.pending);
    g_rand_free(f.rand);
}

/*
 * Before qmp_capabilities every command but that one is refused, however
 * malformed its arguments; a broken qmp_capabilities is refused too and
 * leaves negotiation possible.
 */
static void test_before_negotiation(void)
{
    static const char *const cmds[] = {
        "query-status", "quit",       "stop",    "system_reset",
        "device_add",   "object-add", "qom-set", "qmp_capabilities",
        "no-such",
    };
    const char *env = g_getenv("QMP_FUZZ_SEED");
    guint32 seed =
        env ? (guint32)g_ascii_strtoull(env, NULL, 0) : FUZZ_DEFAULT_SEED;
    Fuzzer f = {
        .rand = g_rand_new_with_seed(seed),
        .paths = g_ptr_array_new_with_free_func(g_free),
        .props = g_ptr_array_new_with_free_func((GDestroyNotify)qom_prop_free),
        .device_types = g_ptr_array_new_with_free_func(g_free),
        .object_types = g_ptr_array_new_with_free_func(g_free),
        .tally = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
    };
    JsonObject *rsp;

    f.qts = qtest_init_without_qmp_handshake("");
    for (int i = 0; i < 200; i++) {
        const char *cmd = cmds[rnd(&f, G_N_ELEMENTS(cmds))];
        JsonObject *args = NULL;
        const char *cls;

        if (rnd(&f, 2)) {
            args = json_object_new();
            json_object_set_member(args, rnd(&f, 2) ? "enable" : "x",
                                   random_value(&f, 0));
        }
        if (g_str_equal(cmd, "qmp_capabilities") && !args) {
            continue;
        }
        rsp = request(&f, cmd, args);
        g_assert_true(json_object_has_member(rsp, "error"));
        cls = json_object_get_string_member(
            json_object_get_object_member(rsp, "error"), "class");
        g_assert_cmpstr(cls, ==,
                        g_str_equal(cmd, "qmp_capabilities")
                            ? "GenericError"
                            : "CommandNotFound");
        json_object_unref(rsp);
    }
    qtest_qmp_assert_success(f.qts, "{'execute': 'qmp_capabilities'}");
    rsp = qtest_qmp(f.qts, "{'execute': 'query-status'}");
    check_status(rsp);
    json_object_unref(rsp);
    qtest_quit(f.qts);
    g_ptr_array_unref(f.paths);
    g_ptr_array_unref(f.props);
    g_ptr_array_unref(f.device_types);
    g_ptr_array_unref(f.object_types);
    g_hash_table_unref(f.tally);
    g_rand_free(f.rand);
}

/* Inputs that once broke the server, checked every run. */
static void test_known_cases(void)
{
    QTestState *qts = qtest_init("-device pcie-root-port,id=rp0,chassis=1");
    JsonObject *rsp;

    /* a number beyond double: refused, not echoed back as "inf" */
    qtest_qmp_send_raw(qts, "{\"execute\": \"query-status\", "
                            "\"id\": 1e400}\n");
    rsp = qtest_qmp_receive(qts);
    g_assert_false(json_object_has_member(rsp, "id"));
    g_assert_nonnull(strstr(qtest_qmp_error_desc(rsp), "out of range"));
    json_object_unref(rsp);

    /* the emulator's own fds (sockets, pipes, logs) are not up for grabs */
    for (int fd = 0; fd < 24; fd++) {
        rsp = qtest_qmp(qts,
                        "{'execute': 'object-add', 'arguments': "
                        "{'qom-type': 'iommufd', 'id': 'i%d', 'fd': '%d'}}",
                        fd, fd);
        qtest_qmp_expect_error(rsp, "GenericError", NULL);
    }

    /* a device stays realized: removal is device_del's */
    rsp = qtest_qmp(qts, "{'execute': 'qom-set', 'arguments': "
                         "{'path': '/machine/peripheral/rp0', "
                         "'property': 'realized', 'value': false}}");
    qtest_qmp_expect_error(rsp, "GenericError", NULL);
    g_assert_true(
        qtest_qom_get_bool(qts, "/machine/peripheral/rp0", "realized"));
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/qmp/fuzz/before-negotiation", test_before_negotiation);
    qtest_add_func("/qmp/fuzz/known-cases", test_known_cases);
    qtest_add_func("/qmp/fuzz", test_fuzz);
    return g_test_run();
}
