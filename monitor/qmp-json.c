/*
 * Serialising JsonNodes the way QMP prints them.
 */
#include "qemu/osdep.h"
#include "qmp-json.h"

static void append_node(GString *out, JsonNode *node, bool pretty, int depth);

static void append_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    while (*s) {
        gunichar c = g_utf8_get_char_validated(s, -1);

        if (c == (gunichar)-1 || c == (gunichar)-2) {
            c = 0xfffd; /* invalid UTF-8: one replacement per byte */
            s++;
        } else {
            s = g_utf8_next_char(s);
        }
        switch (c) {
        case '"':
            g_string_append(out, "\\\"");
            break;
        case '\\':
            g_string_append(out, "\\\\");
            break;
        case '\b':
            g_string_append(out, "\\b");
            break;
        case '\f':
            g_string_append(out, "\\f");
            break;
        case '\n':
            g_string_append(out, "\\n");
            break;
        case '\r':
            g_string_append(out, "\\r");
            break;
        case '\t':
            g_string_append(out, "\\t");
            break;
        default:
            if (c >= 0x20 && c <= 0x7e) {
                g_string_append_c(out, c);
            } else if (c > 0xffff) {
                c -= 0x10000;
                g_string_append_printf(out, "\\u%04X\\u%04X",
                                       0xd800 | (c >> 10),
                                       0xdc00 | (c & 0x3ff));
            } else {
                g_string_append_printf(out, "\\u%04X", c);
            }
        }
    }
    g_string_append_c(out, '"');
}

static void append_value(GString *out, JsonNode *node)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    switch (json_node_get_value_type(node)) {
    case G_TYPE_INT64:
        g_string_append_printf(out, "%" PRId64, json_node_get_int(node));
        break;
    case G_TYPE_DOUBLE:
        g_string_append(out, g_ascii_formatd(buf, sizeof(buf), "%.17g",
                                             json_node_get_double(node)));
        break;
    case G_TYPE_BOOLEAN:
        g_string_append(out, json_node_get_boolean(node) ? "true" : "false");
        break;
    default:
        append_string(out, json_node_get_string(node));
    }
}

/* Before an element: the separator and, when pretty, a new line. */
static void begin_item(GString *out, bool first, bool pretty, int depth)
{
    if (!first) {
        g_string_append_c(out, ',');
    }
    if (pretty) {
        g_string_append_printf(out, "\n%*s", 4 * depth, "");
    } else if (!first) {
        g_string_append_c(out, ' ');
    }
}

static void end_container(GString *out, char close, bool pretty, int depth)
{
    if (pretty) {
        g_string_append_printf(out, "\n%*s", 4 * depth, "");
    }
    g_string_append_c(out, close);
}

static void append_object(GString *out, JsonObject *obj, bool pretty, int depth)
{
    g_autoptr(GList) names = json_object_get_members(obj);

    g_string_append_c(out, '{');
    for (GList *l = names; l; l = l->next) {
        begin_item(out, l == names, pretty, depth + 1);
        append_string(out, l->data);
        g_string_append(out, ": ");
        append_node(out, json_object_get_member(obj, l->data), pretty,
                    depth + 1);
    }
    if (names || pretty) {
        end_container(out, '}', pretty, depth);
    } else {
        g_string_append_c(out, '}');
    }
}

static void append_array(GString *out, JsonArray *arr, bool pretty, int depth)
{
    guint n = json_array_get_length(arr);

    g_string_append_c(out, '[');
    for (guint i = 0; i < n; i++) {
        begin_item(out, i == 0, pretty, depth + 1);
        append_node(out, json_array_get_element(arr, i), pretty, depth + 1);
    }
    if (n || pretty) {
        end_container(out, ']', pretty, depth);
    } else {
        g_string_append_c(out, ']');
    }
}

static void append_node(GString *out, JsonNode *node, bool pretty, int depth)
{
    switch (json_node_get_node_type(node)) {
    case JSON_NODE_OBJECT:
        append_object(out, json_node_get_object(node), pretty, depth);
        break;
    case JSON_NODE_ARRAY:
        append_array(out, json_node_get_array(node), pretty, depth);
        break;
    case JSON_NODE_VALUE:
        append_value(out, node);
        break;
    case JSON_NODE_NULL:
        g_string_append(out, "null");
        break;
    }
}

void qmp_json_append(GString *out, JsonNode *node, bool pretty)
{
    append_node(out, node, pretty, 0);
}

JsonNode *qmp_node_take_object(JsonObject *obj)
{
    JsonNode *node = json_node_init_object(json_node_alloc(), obj);

    json_object_unref(obj);
    return node;
}

JsonNode *qmp_node_take_array(JsonArray *arr)
{
    JsonNode *node = json_node_init_array(json_node_alloc(), arr);

    json_array_unref(arr);
    return node;
}
