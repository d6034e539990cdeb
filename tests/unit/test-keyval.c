/*
 * key=value option syntax, number parsing and the strict JSON reader.
 */
#include "qemu/osdep.h"
#include "qemu/keyval.h"

static void assert_item(const Keyval *kv, guint i, const char *key,
                        const char *value)
{
    KeyvalItem *item;

    g_assert_cmpuint(i, <, kv->items->len);
    item = g_ptr_array_index(kv->items, i);
    g_assert_cmpstr(item->key, ==, key);
    g_assert_cmpstr(item->value, ==, value);
}

/* Parses expecting failure; returns the message (caller frees). */
static char *parse_error(const char *params, const char *implied,
                         bool bare_flags)
{
    Error *err = NULL;
    bool help = false;
    Keyval *kv = keyval_parse(params, implied, bare_flags, &help, &err);
    char *msg;

    g_assert_null(kv);
    g_assert_nonnull(err);
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    return msg;
}

static void test_basic(void)
{
    bool help = true;
    g_autoptr(Keyval) kv =
        keyval_parse("a=1,b=two,c=", NULL, false, &help, &error_abort);

    g_assert_false(help);
    g_assert_cmpuint(kv->items->len, ==, 3);
    assert_item(kv, 0, "a", "1");
    assert_item(kv, 1, "b", "two");
    assert_item(kv, 2, "c", "");
}

static void test_empty_and_trailing(void)
{
    g_autoptr(Keyval) empty =
        keyval_parse("", "driver", false, NULL, &error_abort);
    g_autoptr(Keyval) trailing =
        keyval_parse("a=1,", NULL, false, NULL, &error_abort);

    g_assert_cmpuint(empty->items->len, ==, 0);
    g_assert_cmpuint(trailing->items->len, ==, 1);
    assert_item(trailing, 0, "a", "1");
}

static void test_escaping(void)
{
    g_autoptr(Keyval) kv = keyval_parse("path=/a,,b,,,,c,x=1,y=,,", NULL, false,
                                        NULL, &error_abort);

    g_assert_cmpuint(kv->items->len, ==, 3);
    assert_item(kv, 0, "path", "/a,b,,c");
    assert_item(kv, 1, "x", "1");
    assert_item(kv, 2, "y", ",");
}

static void test_implied_key(void)
{
    g_autoptr(Keyval) kv = keyval_parse("vfio-pci,host=0000:01:00.0", "driver",
                                        false, NULL, &error_abort);
    g_autoptr(Keyval) explicit =
        keyval_parse("driver=x,id=d", "driver", false, NULL, &error_abort);
    g_autoptr(Keyval) escaped =
        keyval_parse("a,,b,k=v", "file", false, NULL, &error_abort);

    assert_item(kv, 0, "driver", "vfio-pci");
    assert_item(kv, 1, "host", "0000:01:00.0");
    assert_item(explicit, 0, "driver", "x");
    assert_item(explicit, 1, "id", "d");
    assert_item(escaped, 0, "file", "a,b");
    assert_item(escaped, 1, "k", "v");
}

static void test_help(void)
{
    bool help = false;
    Keyval *kv;

    kv = keyval_parse("help", "driver", false, &help, &error_abort);
    g_assert_true(help);
    g_assert_cmpuint(kv->items->len, ==, 0);
    keyval_free(kv);

    kv = keyval_parse("?", "driver", false, &help, &error_abort);
    g_assert_true(help);
    keyval_free(kv);

    kv = keyval_parse("arm-smmuv3,help", "driver", false, &help, &error_abort);
    g_assert_true(help);
    g_assert_cmpuint(kv->items->len, ==, 1);
    assert_item(kv, 0, "driver", "arm-smmuv3");
    keyval_free(kv);

    /* "help=x" is an ordinary key. */
    kv = keyval_parse("help=x", NULL, false, &help, &error_abort);
    g_assert_false(help);
    assert_item(kv, 0, "help", "x");
    keyval_free(kv);

    /* Without a help pointer "help" is a plain value. */
    kv = keyval_parse("help", "driver", false, NULL, &error_abort);
    assert_item(kv, 0, "driver", "help");
    keyval_free(kv);
}

static void test_bare_flags(void)
{
    g_autoptr(Keyval) kv = keyval_parse("virt,highmem,gic-version=3", "type",
                                        true, NULL, &error_abort);
    g_autofree char *msg = parse_error("virt,highmem", "type", false);

    g_assert_cmpuint(kv->items->len, ==, 3);
    assert_item(kv, 0, "type", "virt");
    assert_item(kv, 1, "highmem", "on");
    assert_item(kv, 2, "gic-version", "3");
    g_assert_cmpstr(msg, ==, "Expected '=' after parameter 'highmem'");
}

static void test_errors(void)
{
    char *msg;

    msg = parse_error("=x", NULL, false);
    g_assert_cmpstr(msg, ==, "Missing parameter name in '=x'");
    g_free(msg);

    msg = parse_error(",,,", NULL, false);
    g_assert_cmpstr(msg, ==, "Missing parameter name in ',,,'");
    g_free(msg);

    msg = parse_error(",,,", "driver", false);
    g_assert_cmpstr(msg, ==, "Missing parameter name in ',,,'");
    g_free(msg);

    msg = parse_error("a=1,,,=2", NULL, false);
    g_assert_cmpstr(msg, ==, "Missing parameter name in '=2'");
    g_free(msg);

    msg = parse_error("a=1,,,b", NULL, false);
    g_assert_cmpstr(msg, ==, "Expected '=' after parameter 'b'");
    g_free(msg);
}

static void test_duplicates_and_edit(void)
{
    g_autoptr(Keyval) kv =
        keyval_parse("a=1,b=2,a=3", NULL, false, NULL, &error_abort);
    g_autofree char *taken = NULL;
    JsonObject *obj;

    g_assert_cmpstr(keyval_get(kv, "a"), ==, "3");
    g_assert_null(keyval_get(kv, "zz"));

    obj = keyval_to_json_object(kv);
    g_assert_cmpstr(json_object_get_string_member(obj, "a"), ==, "3");
    g_assert_cmpstr(json_object_get_string_member(obj, "b"), ==, "2");
    json_object_unref(obj);

    keyval_set(kv, "b", "20");
    keyval_set(kv, "c", "30");
    assert_item(kv, 1, "b", "20");
    assert_item(kv, 3, "c", "30");

    taken = keyval_take(kv, "a");
    g_assert_cmpstr(taken, ==, "3");
    g_assert_null(keyval_get(kv, "a"));
    g_assert_cmpuint(kv->items->len, ==, 2);
    g_assert_null(keyval_take(kv, "a"));
}

static void test_parse_bool(void)
{
    static const char *const yes[] = {"on", "yes", "true", "y"};
    static const char *const no[] = {"off", "no", "false", "n"};
    Error *err = NULL;
    bool v;

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        v = false;
        g_assert_true(qemu_parse_bool("x", yes[i], &v, &error_abort));
        g_assert_true(v);
        g_assert_true(qemu_parse_bool("x", no[i], &v, &error_abort));
        g_assert_false(v);
    }
    g_assert_false(qemu_parse_bool("accel", "On", &v, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'accel' expects 'on' or 'off'");
    error_free(err);
}

static void test_strtou64(void)
{
    uint64_t v;

    g_assert_true(qemu_strtou64("0", &v));
    g_assert_cmpuint(v, ==, 0);
    g_assert_true(qemu_strtou64("0x1F", &v));
    g_assert_cmpuint(v, ==, 31);
    g_assert_true(qemu_strtou64("010", &v));
    g_assert_cmpuint(v, ==, 8);
    g_assert_true(qemu_strtou64("18446744073709551615", &v));
    g_assert_cmpuint(v, ==, UINT64_MAX);
    g_assert_false(qemu_strtou64("18446744073709551616", &v));
    g_assert_false(qemu_strtou64("-1", &v));
    g_assert_false(qemu_strtou64("", &v));
    g_assert_false(qemu_strtou64(" 1", &v));
    g_assert_false(qemu_strtou64("1 ", &v));
    g_assert_false(qemu_strtou64("12abc", &v));
    g_assert_false(qemu_strtou64("09", &v));
    g_assert_false(qemu_strtou64("0x", &v));
}

static void test_strtoi64(void)
{
    int64_t v;

    g_assert_true(qemu_strtoi64("-1", &v));
    g_assert_cmpint(v, ==, -1);
    g_assert_true(qemu_strtoi64("-0x10", &v));
    g_assert_cmpint(v, ==, -16);
    g_assert_true(qemu_strtoi64("9223372036854775807", &v));
    g_assert_cmpint(v, ==, INT64_MAX);
    g_assert_true(qemu_strtoi64("-9223372036854775808", &v));
    g_assert_cmpint(v, ==, INT64_MIN);
    g_assert_false(qemu_strtoi64("9223372036854775808", &v));
    g_assert_false(qemu_strtoi64("+1", &v));
    g_assert_false(qemu_strtoi64("-", &v));
    g_assert_false(qemu_strtoi64("1.0", &v));
}

typedef struct SizeCase {
    const char *text;
    unsigned shift;
    bool ok;
    uint64_t value;
} SizeCase;

static void test_strtosz(void)
{
    static const SizeCase cases[] = {
        {"0", 0, true, 0},
        {"4096", 0, true, 4096},
        {"1B", 0, true, 1},
        {"1b", 0, true, 1},
        {"1k", 0, true, KiB},
        {"1K", 0, true, KiB},
        {"64K", 0, true, 64 * KiB},
        {"2M", 0, true, 2 * MiB},
        {"1G", 0, true, GiB},
        {"1T", 0, true, TiB},
        {"1P", 0, true, 1ULL << 50},
        {"1E", 0, true, 1ULL << 60},
        {"15E", 0, true, 15ULL << 60},
        {"1.5G", 0, true, GiB + GiB / 2},
        {"0.5K", 0, true, 512},
        {".5K", 0, true, 512},
        {"1.K", 0, true, KiB},
        {"0.1K", 0, true, 102},  /* 102.4 rounds down */
        {"0.0005K", 0, true, 1}, /* 0.512 rounds up */
        {"1.0000000000000000000001K", 0, true, KiB},
        {"0x10", 0, true, 16},
        {"0x10", 20, true, 16 * MiB},
        {"1024", 20, true, GiB},
        {"1.5", 20, true, MiB + MiB / 2},
        {"1G", 20, true, GiB},
        {"18446744073709551615", 0, true, UINT64_MAX},
        {"16E", 0, false, 0},
        {"18446744073709551616", 0, false, 0},
        {"17179869184G", 0, false, 0},
        {"0x1p", 0, false, 0},
        {"0x1.5G", 0, false, 0},
        {"0xffffffffffffffff", 20, false, 0},
        {"1.5", 0, false, 0},
        {"1.5B", 0, false, 0},
        {"-1", 0, false, 0},
        {"-1K", 0, false, 0},
        {"", 0, false, 0},
        {".", 0, false, 0},
        {"K", 0, false, 0},
        {"abc", 0, false, 0},
        {"1x", 0, false, 0},
        {"1KB", 0, false, 0},
        {"1 K", 0, false, 0},
        {" 1", 0, false, 0},
        {"1..5K", 0, false, 0},
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        uint64_t v = 0xdead;
        bool ok = qemu_strtosz(cases[i].text, cases[i].shift, &v);

        if (ok != cases[i].ok) {
            g_error("qemu_strtosz(\"%s\", %u) returned %d", cases[i].text,
                    cases[i].shift, ok);
        }
        if (ok) {
            g_assert_cmpuint(v, ==, cases[i].value);
        } else {
            g_assert_cmpuint(v, ==, 0xdead);
        }
    }
}

static char *json_error(const char *text)
{
    Error *err = NULL;
    JsonObject *obj = qemu_parse_json_object(text, &err);
    char *msg;

    g_assert_null(obj);
    g_assert_nonnull(err);
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    return msg;
}

static void assert_json_error(const char *text, const char *pattern)
{
    g_autofree char *msg = json_error(text);

    if (!g_pattern_match_simple(pattern, msg)) {
        g_error("'%s': message '%s' does not match '%s'", text, msg, pattern);
    }
}

static void test_json_object(void)
{
    JsonObject *obj = qemu_parse_json_object(
        " {\"driver\": \"vfio-pci\", \"id\": \"hostdev0\", "
        "\"bus\":\"pci.1\", \"addr\": \"0x0\", \"x\": 9223372036854775807, "
        "\"y\": -9223372036854775808, \"f\": 1.5e3, \"b\": true, "
        "\"n\": null, \"a\": [1, {\"k\": []}], 'q': 'single',"
        "\"u\": \"\\u00e9\\ud83d\\ude00\\n\\\"\"} ",
        &error_abort);
    GList *members = json_object_get_members(obj);

    g_assert_cmpstr(members->data, ==, "driver");
    g_assert_cmpstr(members->next->data, ==, "id");
    g_list_free(members);
    g_assert_cmpstr(json_object_get_string_member(obj, "driver"), ==,
                    "vfio-pci");
    g_assert_cmpint(json_object_get_int_member(obj, "x"), ==, INT64_MAX);
    g_assert_cmpint(json_object_get_int_member(obj, "y"), ==, INT64_MIN);
    g_assert_cmpint(json_node_get_value_type(json_object_get_member(obj, "x")),
                    ==, G_TYPE_INT64);
    g_assert_cmpfloat(json_object_get_double_member(obj, "f"), ==, 1500.0);
    g_assert_true(json_object_get_boolean_member(obj, "b"));
    g_assert_true(json_object_get_null_member(obj, "n"));
    g_assert_cmpuint(
        json_array_get_length(json_object_get_array_member(obj, "a")), ==, 2);
    g_assert_cmpstr(json_object_get_string_member(obj, "q"), ==, "single");
    g_assert_cmpstr(json_object_get_string_member(obj, "u"), ==,
                    "\xc3\xa9\xf0\x9f\x98\x80\n\"");
    json_object_unref(obj);

    obj = qemu_parse_json_object("{}", &error_abort);
    g_assert_cmpuint(json_object_get_size(obj), ==, 0);
    json_object_unref(obj);
}

static void test_json_errors(void)
{
    g_autofree char *deep = NULL;

    assert_json_error("", "JSON parse error at offset 0: expected a JSON "
                          "value, found end of input");
    assert_json_error("{} x", "JSON parse error at offset 3: unexpected 'x' "
                              "after the end of the value");
    assert_json_error("{\"a\":1} {}", "*unexpected '{' after the end*");
    assert_json_error("[1]", "JSON value must be an object, not an array");
    assert_json_error("\"s\"", "JSON value must be an object, not a string");
    assert_json_error("42", "JSON value must be an object, not a number");
    assert_json_error("{\"a\":9223372036854775808}",
                      "*integer 9223372036854775808 does not fit in 64 "
                      "bits");
    assert_json_error("{\"a\":-9223372036854775809}", "*does not fit*");
    assert_json_error("{\"a\":1,\"a\":2}", "*duplicate member 'a'");
    assert_json_error("{\"a\":1,}", "*expected a member name in quotes, "
                                    "found '}'");
    assert_json_error("{a:1}", "*expected a member name in quotes*");
    assert_json_error("{\"a\" 1}", "*expected ':', found '1'");
    assert_json_error("{\"a\":1 \"b\":2}", "*expected ',' or '}', found '\"'");
    assert_json_error("{\"a\":tru}", "*expected a JSON value, found 't'");
    assert_json_error("{\"a\":truex}", "*expected a JSON value*");
    assert_json_error("{\"a\":01}", "*leading zeros*");
    assert_json_error("{\"a\":+1}", "*expected a JSON value, found '+'");
    assert_json_error("{\"a\":1.}", "*expected a digit after '.'*");
    assert_json_error("{\"a\":1e}", "*expected a digit in the exponent*");
    assert_json_error("{\"a\":-}", "*expected a digit*");
    assert_json_error("{\"a\":1e999}", "*out of range*");
    assert_json_error("{\"a\":NaN}", "*expected a JSON value, found 'N'");
    assert_json_error("{\"a\":\"x", "*unterminated string");
    assert_json_error("{\"a\":\"\\x\"}", "*invalid escape sequence");
    assert_json_error("{\"a\":\"\\u12\"}", "*invalid \\u escape");
    assert_json_error("{\"a\":\"\\u0000\"}", "*may not contain NUL*");
    assert_json_error("{\"a\":\"\\ud800\"}", "*unpaired surrogate*");
    assert_json_error("{\"a\":\"\\udc00\"}", "*unpaired surrogate*");
    assert_json_error("{\"a\":\"\xff\"}", "*not valid UTF-8");
    assert_json_error("{\"a\":\"tab\there\"}", "*control character*");
    assert_json_error("{\"a\":[1 2]}", "*expected ',' or ']', found '2'");
    assert_json_error("{\"a\":[1,", "*expected a JSON value, found end*");

    deep = g_strnfill(100000, '[');
    assert_json_error(deep, "*nesting deeper than*");
}

static void test_json_any(void)
{
    JsonNode *node = qemu_json_parse(" [1, \"a\"] ", &error_abort);

    g_assert_true(JSON_NODE_HOLDS_ARRAY(node));
    json_node_unref(node);
    node = qemu_json_parse("-0.25", &error_abort);
    g_assert_cmpfloat(json_node_get_double(node), ==, -0.25);
    json_node_unref(node);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/keyval/basic", test_basic);
    g_test_add_func("/keyval/empty-trailing", test_empty_and_trailing);
    g_test_add_func("/keyval/escaping", test_escaping);
    g_test_add_func("/keyval/implied-key", test_implied_key);
    g_test_add_func("/keyval/help", test_help);
    g_test_add_func("/keyval/bare-flags", test_bare_flags);
    g_test_add_func("/keyval/errors", test_errors);
    g_test_add_func("/keyval/duplicates-edit", test_duplicates_and_edit);
    g_test_add_func("/keyval/parse-bool", test_parse_bool);
    g_test_add_func("/numbers/strtou64", test_strtou64);
    g_test_add_func("/numbers/strtoi64", test_strtoi64);
    g_test_add_func("/numbers/strtosz", test_strtosz);
    g_test_add_func("/json/object", test_json_object);
    g_test_add_func("/json/errors", test_json_errors);
    g_test_add_func("/json/any", test_json_any);
    return g_test_run();
}
