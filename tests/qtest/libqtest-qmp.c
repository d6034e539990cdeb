/*
 * libqtest: the QMP side. Messages are framed by scanning for the end of
 * each top-level JSON object, so the emulator's choice of line endings or
 * pretty-printing does not matter. Messages read while waiting for
 * something else are queued in arrival order, never dropped.
 */
#include "libqtest-internal.h"

#include <string.h>

void qtest_qmp_state_init(QTestState *s)
{
    s->qmp_buf = g_string_new(NULL);
    s->qmp_queue = g_queue_new();
}

void qtest_qmp_state_free(QTestState *s)
{
    g_string_free(s->qmp_buf, true);
    g_queue_free_full(s->qmp_queue, (GDestroyNotify)json_object_unref);
    if (s->greeting) {
        json_object_unref(s->greeting);
    }
}

static char *qmp_to_text(JsonObject *obj)
{
    g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), obj);

    return json_to_string(node, false);
}

/*
 * Advances the scanner over new bytes. Returns the length of the first
 * complete top-level object, 0 if more bytes are needed, -1 if the stream
 * is not a sequence of JSON objects.
 */
static ssize_t qmp_scan(QTestState *s)
{
    GString *buf = s->qmp_buf;

    while (s->qmp_scan < buf->len) {
        char c = buf->str[s->qmp_scan++];

        if (s->qmp_in_str) {
            if (s->qmp_escape) {
                s->qmp_escape = false;
            } else if (c == '\\') {
                s->qmp_escape = true;
            } else if (c == '"') {
                s->qmp_in_str = false;
            }
        } else if (c == '"') {
            s->qmp_in_str = true;
        } else if (c == '{' || c == '[') {
            if (s->qmp_depth == 0 && c == '[') {
                return -1;
            }
            s->qmp_depth++;
        } else if (c == '}' || c == ']') {
            if (s->qmp_depth == 0) {
                return -1;
            }
            if (--s->qmp_depth == 0) {
                return s->qmp_scan;
            }
        } else if (s->qmp_depth == 0 && !g_ascii_isspace(c)) {
            return -1;
        }
        if (s->qmp_depth == 0 && s->qmp_in_str) {
            return -1;
        }
    }
    return 0;
}

/* Parses text that must be one JSON object; NULL and *err on failure. */
static JsonObject *qmp_parse(const char *text, char **err)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) gerr = NULL;
    JsonNode *root;

    if (!json_parser_load_from_data(parser, text, -1, &gerr)) {
        *err = g_strdup(gerr->message);
        return NULL;
    }
    root = json_parser_get_root(parser);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        *err = g_strdup("not a JSON object");
        return NULL;
    }
    return json_object_ref(json_node_get_object(root));
}

/* The next message from the wire. */
static JsonObject *qmp_read_message(QTestState *s, gint64 deadline)
{
    g_autofree char *text = NULL;
    g_autofree char *err = NULL;
    JsonObject *obj;
    ssize_t end;

    while ((end = qmp_scan(s)) == 0) {
        qtest_recv_some(s, s->qmp_fd, "QMP", s->qmp_buf, deadline);
    }
    if (end < 0) {
        qtest_fail(s, "malformed QMP output: %.200s", s->qmp_buf->str);
    }
    text = g_strndup(s->qmp_buf->str, end);
    g_string_erase(s->qmp_buf, 0, end);
    s->qmp_scan = 0;
    obj = qmp_parse(text, &err);
    if (!obj) {
        qtest_fail(s, "malformed QMP message (%s): %.200s", err, text);
    }
    return obj;
}

void qtest_qmp_connect(QTestState *s, bool handshake)
{
    s->greeting = qmp_read_message(s, qtest_deadline());
    if (!json_object_has_member(s->greeting, "QMP")) {
        g_autofree char *text = qmp_to_text(s->greeting);

        qtest_fail(s, "unexpected QMP greeting: %s", text);
    }
    if (handshake) {
        qtest_qmp_assert_success(s, "{'execute': 'qmp_capabilities'}");
    }
}

JsonObject *qtest_qmp_get_greeting(QTestState *s)
{
    return s->greeting;
}

/* Turns QEMU-test-style 'single-quoted' strings into JSON strings. */
static char *qmp_unquote_single(const char *in)
{
    GString *out = g_string_sized_new(strlen(in) + 8);
    bool in_dq = false, in_sq = false;

    for (const char *p = in; *p; p++) {
        if (in_dq) {
            g_string_append_c(out, *p);
            if (*p == '\\' && p[1]) {
                g_string_append_c(out, *++p);
            } else if (*p == '"') {
                in_dq = false;
            }
        } else if (in_sq) {
            if (*p == '\\' && p[1] == '\'') {
                g_string_append_c(out, *++p);
            } else if (*p == '\\' && p[1]) {
                g_string_append_c(out, *p);
                g_string_append_c(out, *++p);
            } else if (*p == '\'') {
                g_string_append_c(out, '"');
                in_sq = false;
            } else if (*p == '"') {
                g_string_append(out, "\\\"");
            } else {
                g_string_append_c(out, *p);
            }
        } else if (*p == '\'') {
            g_string_append_c(out, '"');
            in_sq = true;
        } else {
            in_dq = *p == '"';
            g_string_append_c(out, *p);
        }
    }
    return g_string_free(out, false);
}

/* Formats and parses a JSON object written by the test. */
G_GNUC_PRINTF(2, 0)
static JsonObject *qmp_vbuild(QTestState *s, const char *fmt, va_list ap)
{
    g_autofree char *raw = g_strdup_vprintf(fmt, ap);
    g_autofree char *text = qmp_unquote_single(raw);
    g_autofree char *err = NULL;
    JsonObject *obj = qmp_parse(text, &err);

    if (!obj) {
        qtest_fail(s, "invalid JSON from the test (%s): %s", err, raw);
    }
    return obj;
}

static void qmp_send_obj(QTestState *s, JsonObject *cmd, const int *fds,
                         size_t nfds)
{
    g_autofree char *text = qmp_to_text(cmd);
    g_autofree char *wire = g_strconcat(text, "\n", NULL);

    qtest_send_all(s, s->qmp_fd, "QMP", wire, strlen(wire), fds, nfds);
}

static bool qmp_is_event(JsonObject *msg)
{
    return json_object_has_member(msg, "event");
}

JsonObject *qtest_qmp_receive(QTestState *s)
{
    gint64 deadline = qtest_deadline();

    for (GList *l = s->qmp_queue->head; l; l = l->next) {
        JsonObject *msg = l->data;

        if (!qmp_is_event(msg)) {
            g_queue_delete_link(s->qmp_queue, l);
            return msg;
        }
    }
    for (;;) {
        JsonObject *msg = qmp_read_message(s, deadline);

        if (!qmp_is_event(msg)) {
            return msg;
        }
        g_queue_push_tail(s->qmp_queue, msg);
    }
}

JsonObject *qtest_qmp_receive_any(QTestState *s)
{
    if (!g_queue_is_empty(s->qmp_queue)) {
        return g_queue_pop_head(s->qmp_queue);
    }
    return qmp_read_message(s, qtest_deadline());
}

JsonObject *qtest_qmp_obj(QTestState *s, JsonObject *cmd)
{
    qmp_send_obj(s, cmd, NULL, 0);
    return qtest_qmp_receive(s);
}

JsonObject *qtest_vqmp(QTestState *s, const char *fmt, va_list ap)
{
    g_autoptr(JsonObject) cmd = qmp_vbuild(s, fmt, ap);

    return qtest_qmp_obj(s, cmd);
}

JsonObject *qtest_qmp(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    JsonObject *rsp;

    va_start(ap, fmt);
    rsp = qtest_vqmp(s, fmt, ap);
    va_end(ap);
    return rsp;
}

JsonObject *qtest_qmp_fds(QTestState *s, const int *fds, size_t nfds,
                          const char *fmt, ...)
{
    va_list ap;
    g_autoptr(JsonObject) cmd = NULL;

    va_start(ap, fmt);
    cmd = qmp_vbuild(s, fmt, ap);
    va_end(ap);
    qmp_send_obj(s, cmd, fds, nfds);
    return qtest_qmp_receive(s);
}

void qtest_qmp_send(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    g_autoptr(JsonObject) cmd = NULL;

    va_start(ap, fmt);
    cmd = qmp_vbuild(s, fmt, ap);
    va_end(ap);
    qmp_send_obj(s, cmd, NULL, 0);
}

void qtest_qmp_send_raw(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *text = NULL;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qtest_send_all(s, s->qmp_fd, "QMP", text, strlen(text), NULL, 0);
}

/* Takes the "return" of a reply, failing the test on an error reply. */
static JsonNode *qmp_take_return(QTestState *s, JsonObject *rsp)
{
    JsonNode *ret;

    if (!json_object_has_member(rsp, "return")) {
        g_autofree char *text = qmp_to_text(rsp);

        json_object_unref(rsp);
        qtest_fail(s, "QMP command failed: %s", text);
    }
    ret = json_node_copy(json_object_get_member(rsp, "return"));
    json_object_unref(rsp);
    return ret;
}

void qtest_qmp_assert_success(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    JsonObject *rsp;

    va_start(ap, fmt);
    rsp = qtest_vqmp(s, fmt, ap);
    va_end(ap);
    json_node_unref(qmp_take_return(s, rsp));
}

JsonNode *qtest_qmp_assert_success_ref(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    JsonObject *rsp;

    va_start(ap, fmt);
    rsp = qtest_vqmp(s, fmt, ap);
    va_end(ap);
    return qmp_take_return(s, rsp);
}

static JsonObject *qmp_error_member(JsonObject *rsp)
{
    JsonNode *err = json_object_get_member(rsp, "error");

    return err && JSON_NODE_HOLDS_OBJECT(err) ? json_node_get_object(err)
                                              : NULL;
}

const char *qtest_qmp_error_desc(JsonObject *rsp)
{
    JsonObject *err = qmp_error_member(rsp);

    return err ? json_object_get_string_member_with_default(err, "desc", NULL)
               : NULL;
}

void qtest_qmp_expect_error(JsonObject *rsp, const char *cls, const char *desc)
{
    JsonObject *err = qmp_error_member(rsp);

    if (!err) {
        g_autofree char *text = qmp_to_text(rsp);

        g_error("expected a QMP error, got %s", text);
    }
    g_assert_cmpstr(
        json_object_get_string_member_with_default(err, "class", NULL), ==,
        cls);
    if (desc) {
        g_assert_cmpstr(qtest_qmp_error_desc(rsp), ==, desc);
    }
    json_object_unref(rsp);
}

/* Events */

typedef bool QmpEventMatch(JsonObject *event, const void *opaque);

static bool qmp_event_matches(JsonObject *msg, const char *name,
                              QmpEventMatch *match, const void *opaque)
{
    const char *event =
        json_object_get_string_member_with_default(msg, "event", NULL);

    return event && strcmp(event, name) == 0 && (!match || match(msg, opaque));
}

static JsonObject *qmp_take_queued_event(QTestState *s, const char *name,
                                         QmpEventMatch *match,
                                         const void *opaque)
{
    for (GList *l = s->qmp_queue->head; l; l = l->next) {
        JsonObject *msg = l->data;

        if (qmp_event_matches(msg, name, match, opaque)) {
            g_queue_delete_link(s->qmp_queue, l);
            return msg;
        }
    }
    return NULL;
}

static JsonObject *qmp_eventwait_match(QTestState *s, const char *name,
                                       QmpEventMatch *match, const void *opaque)
{
    gint64 deadline = qtest_deadline();
    JsonObject *msg = qmp_take_queued_event(s, name, match, opaque);

    while (!msg) {
        msg = qmp_read_message(s, deadline);
        if (!qmp_event_matches(msg, name, match, opaque)) {
            g_queue_push_tail(s->qmp_queue, msg);
            msg = NULL;
        }
    }
    return msg;
}

JsonObject *qtest_qmp_eventwait_ref(QTestState *s, const char *event)
{
    return qmp_eventwait_match(s, event, NULL, NULL);
}

void qtest_qmp_eventwait(QTestState *s, const char *event)
{
    json_object_unref(qtest_qmp_eventwait_ref(s, event));
}

JsonObject *qtest_qmp_event_ref(QTestState *s, const char *event)
{
    return qmp_take_queued_event(s, event, NULL, NULL);
}

/* Commands built from values (no escaping needed) */

static JsonObject *qmp_command(const char *execute, JsonObject *args)
{
    JsonObject *cmd = json_object_new();

    json_object_set_string_member(cmd, "execute", execute);
    json_object_set_object_member(cmd, "arguments", args);
    return cmd;
}

static JsonNode *qmp_run(QTestState *s, const char *execute, JsonObject *args)
{
    g_autoptr(JsonObject) cmd = qmp_command(execute, args);

    return qmp_take_return(s, qtest_qmp_obj(s, cmd));
}

void qtest_qmp_device_add(QTestState *s, const char *driver, const char *id,
                          const char *fmt, ...)
{
    va_list ap;
    g_autoptr(JsonObject) extra = NULL;
    JsonObject *args = json_object_new();
    g_autoptr(GList) members = NULL;

    va_start(ap, fmt);
    extra = qmp_vbuild(s, fmt, ap);
    va_end(ap);
    json_object_set_string_member(args, "driver", driver);
    if (id) {
        json_object_set_string_member(args, "id", id);
    }
    members = json_object_get_members(extra);
    for (GList *l = members; l; l = l->next) {
        json_object_set_member(args, l->data,
                               json_object_dup_member(extra, l->data));
    }
    json_node_unref(qmp_run(s, "device_add", args));
}

void qtest_qmp_device_del_send(QTestState *s, const char *id)
{
    JsonObject *args = json_object_new();

    json_object_set_string_member(args, "id", id);
    json_node_unref(qmp_run(s, "device_del", args));
}

static bool qmp_event_names_device(JsonObject *event, const void *id)
{
    JsonNode *data = json_object_get_member(event, "data");
    const char *dev;

    if (!data || !JSON_NODE_HOLDS_OBJECT(data)) {
        return false;
    }
    dev = json_object_get_string_member_with_default(json_node_get_object(data),
                                                     "device", NULL);
    return g_strcmp0(dev, id) == 0;
}

void qtest_qmp_device_del(QTestState *s, const char *id)
{
    qtest_qmp_device_del_send(s, id);
    json_object_unref(
        qmp_eventwait_match(s, "DEVICE_DELETED", qmp_event_names_device, id));
}

/* QOM properties */

JsonNode *qtest_qom_get(QTestState *s, const char *path, const char *prop)
{
    JsonObject *args = json_object_new();

    json_object_set_string_member(args, "path", path);
    json_object_set_string_member(args, "property", prop);
    return qmp_run(s, "qom-get", args);
}

static JsonNode *qom_get_typed(QTestState *s, const char *path,
                               const char *prop, GType type)
{
    JsonNode *val = qtest_qom_get(s, path, prop);

    if (!JSON_NODE_HOLDS_VALUE(val) || json_node_get_value_type(val) != type) {
        g_autofree char *text = json_to_string(val, false);

        json_node_unref(val);
        qtest_fail(s, "qom-get %s %s: unexpected value %s", path, prop, text);
    }
    return val;
}

bool qtest_qom_get_bool(QTestState *s, const char *path, const char *prop)
{
    g_autoptr(JsonNode) val = qom_get_typed(s, path, prop, G_TYPE_BOOLEAN);

    return json_node_get_boolean(val);
}

int64_t qtest_qom_get_int(QTestState *s, const char *path, const char *prop)
{
    g_autoptr(JsonNode) val = qom_get_typed(s, path, prop, G_TYPE_INT64);

    return json_node_get_int(val);
}

char *qtest_qom_get_str(QTestState *s, const char *path, const char *prop)
{
    g_autoptr(JsonNode) val = qom_get_typed(s, path, prop, G_TYPE_STRING);

    return json_node_dup_string(val);
}

static void qom_set(QTestState *s, const char *path, const char *prop,
                    JsonNode *value)
{
    JsonObject *args = json_object_new();

    json_object_set_string_member(args, "path", path);
    json_object_set_string_member(args, "property", prop);
    json_object_set_member(args, "value", value);
    json_node_unref(qmp_run(s, "qom-set", args));
}

void qtest_qom_set_bool(QTestState *s, const char *path, const char *prop,
                        bool value)
{
    qom_set(s, path, prop, json_node_init_boolean(json_node_alloc(), value));
}

void qtest_qom_set_int(QTestState *s, const char *path, const char *prop,
                       int64_t value)
{
    qom_set(s, path, prop, json_node_init_int(json_node_alloc(), value));
}

void qtest_qom_set_str(QTestState *s, const char *path, const char *prop,
                       const char *value)
{
    qom_set(s, path, prop, json_node_init_string(json_node_alloc(), value));
}

char *qtest_json_quote(const char *str)
{
    g_autoptr(JsonNode) node = json_node_init_string(json_node_alloc(), str);

    return json_to_string(node, false);
}
