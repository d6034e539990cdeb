/*
 * A strict JSON reader producing json-glib nodes.
 *
 * json-glib's own parser silently wraps integers that do not fit in
 * int64 and keeps the last of duplicate keys; option values must not be
 * changed behind the user's back, so this reader refuses both. As in
 * QEMU, single-quoted strings are accepted as well.
 */
#include "qemu/osdep.h"
#include "qemu/keyval.h"

#include <math.h>

/* Deeper documents are refused rather than risking the stack. */
#define JSON_MAX_DEPTH 256

typedef struct JsonScan {
    const char *text;
    const char *p;
    Error **errp;
} JsonScan;

static JsonNode *read_value(JsonScan *r, int depth);

static bool fail(JsonScan *r, const char *fmt, ...) QEMU_PRINTF(2, 3);
static bool fail(JsonScan *r, const char *fmt, ...)
{
    va_list ap;
    char *detail;

    va_start(ap, fmt);
    detail = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_setg(r->errp, "JSON parse error at offset %td: %s", r->p - r->text,
               detail);
    g_free(detail);
    return false;
}

static void skip_space(JsonScan *r)
{
    while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r') {
        r->p++;
    }
}

static bool describe_unexpected(JsonScan *r, const char *expected)
{
    if (!*r->p) {
        return fail(r, "expected %s, found end of input", expected);
    }
    return fail(r, "expected %s, found '%c'", expected, *r->p);
}

static int hex_digit(char c)
{
    return g_ascii_isxdigit(c) ? g_ascii_xdigit_value(c) : -1;
}

/* Reads the 4 hex digits after "\u". */
static bool read_hex4(JsonScan *r, gunichar *out)
{
    *out = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(r->p[i]);

        if (d < 0) {
            return fail(r, "invalid \\u escape");
        }
        *out = *out * 16 + d;
    }
    r->p += 4;
    return true;
}

static bool read_unicode_escape(JsonScan *r, GString *out)
{
    gunichar c;
    gunichar low;

    if (!read_hex4(r, &c)) {
        return false;
    }
    if (c >= 0xd800 && c < 0xdc00) {
        if (r->p[0] != '\\' || r->p[1] != 'u') {
            return fail(r, "unpaired surrogate in \\u escape");
        }
        r->p += 2;
        if (!read_hex4(r, &low)) {
            return false;
        }
        if (low < 0xdc00 || low > 0xdfff) {
            return fail(r, "unpaired surrogate in \\u escape");
        }
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
    } else if (c >= 0xdc00 && c <= 0xdfff) {
        return fail(r, "unpaired surrogate in \\u escape");
    }
    if (c == 0) {
        return fail(r, "strings may not contain NUL (\\u0000)");
    }
    g_string_append_unichar(out, c);
    return true;
}

static bool read_escape(JsonScan *r, GString *out)
{
    static const char plain[] = "\"\\/'bfnrt";
    static const char meaning[] = "\"\\/'\b\f\n\r\t";
    const char *hit;

    if (*r->p == 'u') {
        r->p++;
        return read_unicode_escape(r, out);
    }
    hit = *r->p ? strchr(plain, *r->p) : NULL;
    if (!hit) {
        return fail(r, "invalid escape sequence");
    }
    g_string_append_c(out, meaning[hit - plain]);
    r->p++;
    return true;
}

/* Reads a string whose opening quote r->p points at. */
static char *read_string(JsonScan *r)
{
    char quote = *r->p++;
    GString *out = g_string_new(NULL);

    for (;;) {
        unsigned char c = *r->p;

        if (c == quote) {
            r->p++;
            break;
        }
        if (!c) {
            fail(r, "unterminated string");
            goto fail;
        }
        if (c < 0x20) {
            fail(r, "control character in string");
            goto fail;
        }
        r->p++;
        if (c != '\\') {
            g_string_append_c(out, c);
        } else if (!read_escape(r, out)) {
            goto fail;
        }
    }
    if (!g_utf8_validate(out->str, out->len, NULL)) {
        fail(r, "string is not valid UTF-8");
        goto fail;
    }
    return g_string_free(out, FALSE);

fail:
    g_string_free(out, TRUE);
    return NULL;
}

static size_t count_digits(const char *p)
{
    return strspn(p, "0123456789");
}

static JsonNode *read_number(JsonScan *r)
{
    const char *start = r->p;
    const char *p = start;
    bool is_int = true;
    g_autofree char *tok = NULL;
    JsonNode *node;

    if (*p == '-') {
        p++;
    }
    if (*p == '0' && g_ascii_isdigit(p[1])) {
        r->p = p;
        fail(r, "numbers may not have leading zeros");
        return NULL;
    }
    if (!count_digits(p)) {
        r->p = p;
        describe_unexpected(r, "a digit");
        return NULL;
    }
    p += count_digits(p);
    if (*p == '.') {
        is_int = false;
        if (!count_digits(++p)) {
            r->p = p;
            describe_unexpected(r, "a digit after '.'");
            return NULL;
        }
        p += count_digits(p);
    }
    if (*p == 'e' || *p == 'E') {
        is_int = false;
        p++;
        if (*p == '+' || *p == '-') {
            p++;
        }
        if (!count_digits(p)) {
            r->p = p;
            describe_unexpected(r, "a digit in the exponent");
            return NULL;
        }
        p += count_digits(p);
    }
    tok = g_strndup(start, p - start);
    node = json_node_alloc();
    if (is_int) {
        int64_t v;

        if (!qemu_strtoi64(tok, &v)) {
            fail(r, "integer %s does not fit in 64 bits", tok);
            json_node_free(node);
            return NULL;
        }
        json_node_init_int(node, v);
    } else {
        double d = g_ascii_strtod(tok, NULL);

        if (!isfinite(d)) {
            fail(r, "number %s is out of range", tok);
            json_node_free(node);
            return NULL;
        }
        json_node_init_double(node, d);
    }
    r->p = p;
    return node;
}

static bool read_literal(JsonScan *r, const char *word)
{
    size_t len = strlen(word);

    if (strncmp(r->p, word, len) || g_ascii_isalnum(r->p[len])) {
        return false;
    }
    r->p += len;
    return true;
}

static JsonNode *read_object(JsonScan *r, int depth)
{
    JsonObject *obj = json_object_new();
    JsonNode *node = json_node_init_object(json_node_alloc(), obj);

    json_object_unref(obj);
    r->p++;
    skip_space(r);
    if (*r->p == '}') {
        r->p++;
        return node;
    }
    for (;;) {
        g_autofree char *key = NULL;
        JsonNode *member;

        skip_space(r);
        if (*r->p != '"' && *r->p != '\'') {
            describe_unexpected(r, "a member name in quotes");
            goto fail;
        }
        key = read_string(r);
        if (!key) {
            goto fail;
        }
        if (json_object_has_member(obj, key)) {
            fail(r, "duplicate member '%s'", key);
            goto fail;
        }
        skip_space(r);
        if (*r->p != ':') {
            describe_unexpected(r, "':'");
            goto fail;
        }
        r->p++;
        member = read_value(r, depth + 1);
        if (!member) {
            goto fail;
        }
        json_object_set_member(obj, key, member);
        skip_space(r);
        if (*r->p == '}') {
            r->p++;
            return node;
        }
        if (*r->p != ',') {
            describe_unexpected(r, "',' or '}'");
            goto fail;
        }
        r->p++;
    }

fail:
    json_node_unref(node);
    return NULL;
}

static JsonNode *read_array(JsonScan *r, int depth)
{
    JsonArray *arr = json_array_new();
    JsonNode *node = json_node_init_array(json_node_alloc(), arr);

    json_array_unref(arr);
    r->p++;
    skip_space(r);
    if (*r->p == ']') {
        r->p++;
        return node;
    }
    for (;;) {
        JsonNode *elem = read_value(r, depth + 1);

        if (!elem) {
            json_node_unref(node);
            return NULL;
        }
        json_array_add_element(arr, elem);
        skip_space(r);
        if (*r->p == ']') {
            r->p++;
            return node;
        }
        if (*r->p != ',') {
            describe_unexpected(r, "',' or ']'");
            json_node_unref(node);
            return NULL;
        }
        r->p++;
    }
}

static JsonNode *read_value(JsonScan *r, int depth)
{
    JsonNode *node;
    char *s;

    skip_space(r);
    if (depth > JSON_MAX_DEPTH) {
        fail(r, "nesting deeper than %d levels", JSON_MAX_DEPTH);
        return NULL;
    }
    switch (*r->p) {
    case '{':
        return read_object(r, depth);
    case '[':
        return read_array(r, depth);
    case '"':
    case '\'':
        s = read_string(r);
        if (!s) {
            return NULL;
        }
        node = json_node_init_string(json_node_alloc(), s);
        g_free(s);
        return node;
    default:
        break;
    }
    if (*r->p == '-' || g_ascii_isdigit(*r->p)) {
        return read_number(r);
    }
    if (read_literal(r, "true")) {
        return json_node_init_boolean(json_node_alloc(), TRUE);
    }
    if (read_literal(r, "false")) {
        return json_node_init_boolean(json_node_alloc(), FALSE);
    }
    if (read_literal(r, "null")) {
        return json_node_init_null(json_node_alloc());
    }
    describe_unexpected(r, "a JSON value");
    return NULL;
}

JsonNode *qemu_json_parse(const char *text, Error **errp)
{
    JsonScan r = {.text = text, .p = text, .errp = errp};
    JsonNode *node = read_value(&r, 0);

    if (!node) {
        return NULL;
    }
    skip_space(&r);
    if (*r.p) {
        fail(&r, "unexpected '%c' after the end of the value", *r.p);
        json_node_unref(node);
        return NULL;
    }
    return node;
}

static const char *describe_kind(JsonNode *node)
{
    if (JSON_NODE_HOLDS_ARRAY(node)) {
        return "an array";
    }
    if (JSON_NODE_HOLDS_NULL(node)) {
        return "null";
    }
    switch (json_node_get_value_type(node)) {
    case G_TYPE_STRING:
        return "a string";
    case G_TYPE_BOOLEAN:
        return "a boolean";
    default:
        return "a number";
    }
}

JsonObject *qemu_parse_json_object(const char *text, Error **errp)
{
    JsonNode *node = qemu_json_parse(text, errp);
    JsonObject *obj;

    if (!node) {
        return NULL;
    }
    if (!JSON_NODE_HOLDS_OBJECT(node)) {
        error_setg(errp, "JSON value must be an object, not %s",
                   describe_kind(node));
        json_node_unref(node);
        return NULL;
    }
    obj = json_node_dup_object(node);
    json_node_unref(node);
    return obj;
}
