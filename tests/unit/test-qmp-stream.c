/*
 * QMP input framing: values split across reads, several per read,
 * strings hiding brackets, normalisation, and recovery from bad input.
 */
#include "qemu/osdep.h"
#include "monitor/qmp-stream.h"

/* Emitted items: values as-is, errors prefixed with "E:". */
typedef struct Collector {
    GPtrArray *items;
} Collector;

static void collect(void *opaque, const char *json, const char *error)
{
    Collector *c = opaque;

    g_assert_true((json == NULL) != (error == NULL));
    if (error) {
        g_assert_true(g_str_has_prefix(error, "JSON parse error, "));
        g_ptr_array_add(c->items, g_strdup_printf("E:%s", error + 18));
    } else {
        g_autoptr(JsonParser) p = json_parser_new();

        /* whatever is handed out must be valid for json-glib */
        g_assert_true(json_parser_load_from_data(p, json, -1, NULL));
        g_ptr_array_add(c->items, g_strdup(json));
    }
}

static GPtrArray *run_chunks(const char *const *chunks, size_t nchunks)
{
    Collector c = {g_ptr_array_new_with_free_func(g_free)};
    QmpStream *s = qmp_stream_new(collect, &c);

    for (size_t i = 0; i < nchunks; i++) {
        qmp_stream_feed(s, (const uint8_t *)chunks[i], strlen(chunks[i]));
    }
    qmp_stream_free(s);
    return c.items;
}

static GPtrArray *run(const char *input)
{
    return run_chunks(&input, 1);
}

/* Compares items against expected; "E:" entries match by prefix. */
static void assert_items(GPtrArray *items, const char *const *expected)
{
    size_t n = g_strv_length((char **)expected);

    for (size_t i = 0; i < MIN(n, items->len); i++) {
        const char *got = items->pdata[i];

        if (g_str_has_prefix(expected[i], "E:")) {
            if (!g_str_has_prefix(got, expected[i])) {
                g_error("item %zu: got '%s', want prefix '%s'", i, got,
                        expected[i]);
            }
        } else {
            g_assert_cmpstr(got, ==, expected[i]);
        }
    }
    if (items->len != n) {
        for (size_t i = 0; i < items->len; i++) {
            g_test_message("item %zu: %s", i, (char *)items->pdata[i]);
        }
    }
    g_assert_cmpuint(items->len, ==, n);
    g_ptr_array_unref(items);
}

static void test_byte_by_byte(void)
{
    const char *cmd = "{\"execute\": \"qom-get\", \"arguments\": "
                      "{\"path\": \"/machine\", \"property\": \"type\"}, "
                      "\"id\": [1, {\"x\": null}]}";
    Collector c = {g_ptr_array_new_with_free_func(g_free)};
    QmpStream *s = qmp_stream_new(collect, &c);

    for (size_t i = 0; cmd[i]; i++) {
        g_assert_cmpuint(c.items->len, ==, 0);
        qmp_stream_feed(s, (const uint8_t *)&cmd[i], 1);
    }
    qmp_stream_free(s);
    assert_items(c.items, (const char *const[]){cmd, NULL});
}

static void test_split_chunks(void)
{
    const char *const chunks[] = {"  {\"exec", "ute\": \"qu", "it\"", "}\r\n"};

    assert_items(run_chunks(chunks, ARRAY_SIZE(chunks)),
                 (const char *const[]){"{\"execute\": \"quit\"}", NULL});
}

static void test_several_values(void)
{
    assert_items(run("{\"a\":1}{\"b\":2}\n[3] \"s\" 42 true\n-1.5e3 "),
                 (const char *const[]){"{\"a\":1}", "{\"b\":2}", "[3]", "\"s\"",
                                       "42", "true", "-1.5e3", NULL});
}

static void test_strings_with_brackets(void)
{
    const char *v = "{\"a\": \"}{][\\\"\\\\\", \"b\": \"\\u00e9\\/\"}";

    assert_items(run(v), (const char *const[]){v, NULL});
}

static void test_single_quotes(void)
{
    assert_items(run("{'a': 'it\\'s \"q\"', \"b\": \"'\"}"),
                 (const char *const[]){
                     "{\"a\": \"it's \\\"q\\\"\", \"b\": \"'\"}", NULL});
}

static void test_big_integer(void)
{
    assert_items(run("[99999999999999999999, -9223372036854775808]"),
                 (const char *const[]){
                     "[99999999999999999999.0, -9223372036854775808]", NULL});
}

static void test_garbage(void)
{
    assert_items(
        run("@@@ {\"execute\": \"x\"}"),
        (const char *const[]){"E:stray '@'", "{\"execute\": \"x\"}", NULL});
    assert_items(run("}{\"execute\": \"x\"}"),
                 (const char *const[]){"E:unexpected '}', expecting value",
                                       "{\"execute\": \"x\"}", NULL});
    assert_items(run("]]] {}"), (const char *const[]){"E:unexpected ']'",
                                                      "E:", "E:", "{}", NULL});
}

static void test_syntax_errors(void)
{
    assert_items(run("{\"a\" 1}{\"b\":2}"),
                 (const char *const[]){"E:unexpected '1', expecting ':'",
                                       "{\"b\":2}", NULL});
    assert_items(run("{\"a\":1,}[1,]{\"b\":2}"),
                 (const char *const[]){"E:unexpected '}', expecting string",
                                       "E:unexpected ']', expecting value",
                                       "{\"b\":2}", NULL});
    assert_items(run("{]\n{\"b\":2}"),
                 (const char *const[]){"E:unexpected ']'", "{\"b\":2}", NULL});
    assert_items(run("{1: 2}\n{\"b\":2}"),
                 (const char *const[]){"E:unexpected '1'", "{\"b\":2}", NULL});
    /* the rest of a broken value is skipped up to its end */
    assert_items(
        run("{\"a\": tru, \"b\": {\"c\": [1]}} {\"b\":2}"),
        (const char *const[]){"E:invalid keyword 'tru'", "{\"b\":2}", NULL});
    assert_items(
        run("[01] [1.] [-] {\"b\":2}"),
        (const char *const[]){"E:invalid number '01'", "E:invalid number '1.'",
                              "E:invalid number '-'", "{\"b\":2}", NULL});
}

static void test_unfinished_then_new(void)
{
    const char *const chunks[] = {"{\"execute\": \"a\"",
                                  "{\"execute\": \"b\"}"};

    assert_items(run_chunks(chunks, ARRAY_SIZE(chunks)),
                 (const char *const[]){"E:unexpected '{'",
                                       "{\"execute\": \"b\"}", NULL});
}

static void test_bad_strings(void)
{
    assert_items(run("{\"a\": \"x\xff{\"b\":1}"),
                 (const char *const[]){"E:invalid UTF-8", "{\"b\":1}", NULL});
    assert_items(
        run("{'execute': 'x', 'id':'\n{\"b\":1}"),
        (const char *const[]){"E:control character", "{\"b\":1}", NULL});
    assert_items(run("{\"a\": \"\\q}{\"}\n{\"b\":1}"),
                 (const char *const[]){"E:invalid escape", "{\"b\":1}", NULL});
    assert_items(run("[\"\\u00g0\"] [\"\\u0000\"] {\"b\":1}"),
                 (const char *const[]){"E:invalid escape",
                                       "E:\\u0000 is not supported",
                                       "{\"b\":1}", NULL});
}

static void test_reset_bytes(void)
{
    assert_items(run("{\x01{\"b\":1}"),
                 (const char *const[]){"E:stray byte 0x01", "{\"b\":1}", NULL});
    assert_items(run("{\"a\": [\xff{\"b\":1}"),
                 (const char *const[]){"E:stray byte 0xff", "{\"b\":1}", NULL});
}

static void test_nesting_limit(void)
{
    g_autofree char *deep = g_strnfill(QMP_STREAM_MAX_DEPTH + 1, '[');
    g_autofree char *ok = g_strnfill(QMP_STREAM_MAX_DEPTH, '[');
    g_autofree char *ok_end = g_strnfill(QMP_STREAM_MAX_DEPTH, ']');
    g_autofree char *ok_value = g_strconcat(ok, ok_end, NULL);
    const char *const chunks[] = {deep, "\n{\"b\":1}", ok, ok_end};

    assert_items(run_chunks(chunks, ARRAY_SIZE(chunks)),
                 (const char *const[]){"E:nesting too deep", "{\"b\":1}",
                                       ok_value, NULL});
}

static void test_reset(void)
{
    Collector c = {g_ptr_array_new_with_free_func(g_free)};
    QmpStream *s = qmp_stream_new(collect, &c);

    qmp_stream_feed(s, (const uint8_t *)"{\"a\": [", 7);
    qmp_stream_reset(s);
    qmp_stream_feed(s, (const uint8_t *)"{\"b\":1}", 7);
    qmp_stream_free(s);
    assert_items(c.items, (const char *const[]){"{\"b\":1}", NULL});
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp-stream/byte-by-byte", test_byte_by_byte);
    g_test_add_func("/qmp-stream/split-chunks", test_split_chunks);
    g_test_add_func("/qmp-stream/several-values", test_several_values);
    g_test_add_func("/qmp-stream/strings-with-brackets",
                    test_strings_with_brackets);
    g_test_add_func("/qmp-stream/single-quotes", test_single_quotes);
    g_test_add_func("/qmp-stream/big-integer", test_big_integer);
    g_test_add_func("/qmp-stream/garbage", test_garbage);
    g_test_add_func("/qmp-stream/syntax-errors", test_syntax_errors);
    g_test_add_func("/qmp-stream/unfinished-then-new",
                    test_unfinished_then_new);
    g_test_add_func("/qmp-stream/bad-strings", test_bad_strings);
    g_test_add_func("/qmp-stream/reset-bytes", test_reset_bytes);
    g_test_add_func("/qmp-stream/nesting-limit", test_nesting_limit);
    g_test_add_func("/qmp-stream/reset", test_reset);
    return g_test_run();
}
