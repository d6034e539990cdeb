/*
 * QMP monitors: one per chardev, greeting on connect, requests in,
 * replies and events out.
 */
#include "qemu/osdep.h"
#include "monitor-internal.h"
#include "qmp-json.h"

static GList *monitors;
/* The monitor whose request is being run (NULL outside dispatch). */
static Monitor *cur_mon;

GList *monitor_list(void)
{
    return monitors;
}

Monitor *monitor_cur(void)
{
    return cur_mon;
}

void monitor_send(Monitor *mon, JsonObject *msg)
{
    g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), msg);
    g_autoptr(GString) text = g_string_new(NULL);

    qmp_json_append(text, node, mon->pretty);
    g_string_append_c(text, '\n');
    /* QMP ends every line with CR LF */
    g_string_replace(text, "\n", "\r\n", 0);
    qemu_chr_fe_write_all(&mon->chr, (const uint8_t *)text->str, text->len);
}

static void monitor_send_greeting(Monitor *mon)
{
    JsonObject *greeting = json_object_new();
    JsonObject *qmp = json_object_new();
    JsonArray *caps = json_array_new();

    json_array_add_string_element(caps, "oob");
    json_object_set_object_member(qmp, "version", qmp_version_object());
    json_object_set_array_member(qmp, "capabilities", caps);
    json_object_set_object_member(greeting, "QMP", qmp);
    monitor_send(mon, greeting);
    json_object_unref(greeting);
}

static void monitor_send_parse_error(Monitor *mon, const char *desc)
{
    JsonObject *rsp = json_object_new();
    JsonObject *err = json_object_new();

    json_object_set_string_member(err, "class",
                                  error_class_name(ERROR_CLASS_GENERIC_ERROR));
    json_object_set_string_member(err, "desc", desc);
    json_object_set_object_member(rsp, "error", err);
    monitor_send(mon, rsp);
    json_object_unref(rsp);
}

static void monitor_handle_value(void *opaque, const char *json,
                                 const char *error)
{
    Monitor *mon = opaque;
    g_autoptr(JsonParser) parser = NULL;
    g_autoptr(GError) gerr = NULL;
    Monitor *prev = cur_mon;
    JsonObject *rsp;

    if (error) {
        monitor_send_parse_error(mon, error);
        return;
    }
    parser = json_parser_new();
    if (!json_parser_load_from_data(parser, json, -1, &gerr)) {
        g_autofree char *desc =
            g_strdup_printf("JSON parse error, %s", gerr->message);

        monitor_send_parse_error(mon, desc);
        return;
    }
    cur_mon = mon;
    rsp = qmp_dispatch(mon, json_parser_get_root(parser));
    cur_mon = prev;
    monitor_send(mon, rsp);
    json_object_unref(rsp);
}

static void monitor_read(void *opaque, const uint8_t *buf, int size)
{
    Monitor *mon = opaque;

    qmp_stream_feed(mon->stream, buf, size);
}

/* Each connection starts over with the greeting and negotiation. */
static void monitor_event(void *opaque, QEMUChrEvent event)
{
    Monitor *mon = opaque;

    mon->negotiated = false;
    mon->oob = false;
    qmp_stream_reset(mon->stream);
    if (event == CHR_EVENT_OPENED) {
        monitor_send_greeting(mon);
    }
}

Monitor *monitor_new_qmp(Chardev *chr, bool pretty, Error **errp)
{
    Monitor *mon = g_new0(Monitor, 1);

    qmp_init_commands();
    if (!qemu_chr_fe_init(&mon->chr, chr, errp)) {
        g_free(mon);
        return NULL;
    }
    mon->pretty = pretty;
    mon->stream = qmp_stream_new(monitor_handle_value, mon);
    monitor_fds_init(mon);
    monitors = g_list_append(monitors, mon);
    qemu_chr_fe_set_handlers(&mon->chr, NULL, monitor_read, monitor_event, mon);
    return mon;
}

void monitor_destroy(Monitor *mon)
{
    g_assert(mon != cur_mon);
    monitors = g_list_remove(monitors, mon);
    /* The client is told by a hang-up rather than left talking to no one. */
    qemu_chr_fe_set_handlers(&mon->chr, NULL, NULL, NULL, NULL);
    qemu_chr_fe_disconnect(&mon->chr);
    qemu_chr_fe_deinit(&mon->chr, false);
    monitor_fds_cleanup(mon);
    qmp_stream_free(mon->stream);
    g_free(mon);
}

void qapi_event_send(const char *name, JsonObject *data)
{
    JsonObject *event = json_object_new();
    JsonObject *stamp = json_object_new();
    gint64 now = g_get_real_time();

    json_object_set_int_member(stamp, "seconds", now / G_USEC_PER_SEC);
    json_object_set_int_member(stamp, "microseconds", now % G_USEC_PER_SEC);
    json_object_set_object_member(event, "timestamp", stamp);
    json_object_set_string_member(event, "event", name);
    if (data) {
        json_object_set_object_member(event, "data", data);
    }
    for (GList *l = monitors; l; l = l->next) {
        Monitor *mon = l->data;

        if (mon->negotiated) {
            monitor_send(mon, event);
        }
    }
    json_object_unref(event);
}
