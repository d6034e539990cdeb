/*
 * QMP input framing: an incremental JSON lexer plus a grammar check,
 * cutting the stream into complete top-level values.
 *
 * The text handed out is normalised so json-glib reads it the way QMP
 * means it: single-quoted strings (a QMP extension) are rewritten as
 * double-quoted ones, and integers that do not fit int64 become doubles
 * instead of wrapping around.
 */
#include "qemu/osdep.h"
#include "qmp-stream.h"

#include <math.h>

typedef enum LexState {
    LEX_START,   /* between tokens */
    LEX_STRING,  /* inside a string, quote in s->quote */
    LEX_ESCAPE,  /* after a backslash in a string */
    LEX_UNICODE, /* reading the hex digits of \uXXXX */
    LEX_LITERAL, /* a number or keyword, starting at s->tok_start */
    LEX_RECOVER, /* skipping the rest of a broken value */
} LexState;

/* What an open container accepts next. */
typedef enum Expect {
    EXPECT_KEY_OR_END,
    EXPECT_KEY,
    EXPECT_COLON,
    EXPECT_MEMBER,
    EXPECT_MEMBER_NEXT,
    EXPECT_ELEMENT_OR_END,
    EXPECT_ELEMENT,
    EXPECT_ELEMENT_NEXT,
} Expect;

static const char *const expect_desc[] = {
    [EXPECT_KEY_OR_END] = "string key or '}'",
    [EXPECT_KEY] = "string key",
    [EXPECT_COLON] = "':'",
    [EXPECT_MEMBER] = "value",
    [EXPECT_MEMBER_NEXT] = "',' or '}'",
    [EXPECT_ELEMENT_OR_END] = "value or ']'",
    [EXPECT_ELEMENT] = "value",
    [EXPECT_ELEMENT_NEXT] = "',' or ']'",
};

typedef enum Token {
    TOK_OPEN_OBJECT,
    TOK_CLOSE_OBJECT,
    TOK_OPEN_ARRAY,
    TOK_CLOSE_ARRAY,
    TOK_COLON,
    TOK_COMMA,
    TOK_STRING,
    TOK_SCALAR,
} Token;

struct QmpStream {
    QmpStreamEmit *emit;
    void *opaque;
    GString *buf;      /* normalised text of the value in progress */
    GByteArray *stack; /* one Expect per open container */
    LexState lex;
    char quote;
    int hex_left;
    unsigned hex_value;
    size_t tok_start;
    /* recovery */
    unsigned skip_depth;
    bool skip_in_string;
    bool skip_escape;
};

QmpStream *qmp_stream_new(QmpStreamEmit *emit, void *opaque)
{
    QmpStream *s = g_new0(QmpStream, 1);

    s->emit = emit;
    s->opaque = opaque;
    s->buf = g_string_new(NULL);
    s->stack = g_byte_array_new();
    return s;
}

void qmp_stream_free(QmpStream *s)
{
    if (s) {
        g_string_free(s->buf, TRUE);
        g_byte_array_unref(s->stack);
        g_free(s);
    }
}

void qmp_stream_reset(QmpStream *s)
{
    g_string_truncate(s->buf, 0);
    g_byte_array_set_size(s->stack, 0);
    s->lex = LEX_START;
}

/* Bytes that force the splitter back to a clean state. */
static bool is_reset_byte(uint8_t c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c >= 0xfe;
}

static bool is_literal_char(uint8_t c)
{
    return g_ascii_isalnum(c) || c == '-' || c == '+' || c == '.';
}

static void G_GNUC_PRINTF(2, 3)
    stream_emit_error(QmpStream *s, const char *fmt, ...)
{
    g_autofree char *detail = NULL;
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    detail = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    msg = g_strdup_printf("JSON parse error, %s", detail);
    s->emit(s->opaque, NULL, msg);
}

/* Drops the value and skips what is left of it (see qmp-stream.h). */
static void stream_fail(QmpStream *s, bool in_string)
{
    s->skip_depth = s->stack->len;
    s->skip_in_string = in_string;
    s->skip_escape = false;
    qmp_stream_reset(s);
    s->lex = LEX_RECOVER;
}

/* The innermost container's Expect, or NULL at top level. */
static uint8_t *stream_top(QmpStream *s)
{
    return s->stack->len ? &s->stack->data[s->stack->len - 1] : NULL;
}

static bool expects_value(const uint8_t *e)
{
    return !e || *e == EXPECT_MEMBER || *e == EXPECT_ELEMENT_OR_END ||
           *e == EXPECT_ELEMENT;
}

static void value_done(QmpStream *s)
{
    uint8_t *e = stream_top(s);

    if (e) {
        *e = *e == EXPECT_MEMBER ? EXPECT_MEMBER_NEXT : EXPECT_ELEMENT_NEXT;
        return;
    }
    s->emit(s->opaque, s->buf->str, NULL);
    g_string_truncate(s->buf, 0);
}

static void stream_push(QmpStream *s, Expect e)
{
    uint8_t v = e;

    g_byte_array_append(s->stack, &v, 1);
}

static void stream_pop(QmpStream *s)
{
    g_byte_array_set_size(s->stack, s->stack->len - 1);
    value_done(s);
}

/* Feeds one token to the grammar; false after reporting an error. */
static bool stream_token(QmpStream *s, Token tok, const char *what)
{
    uint8_t *e = stream_top(s);

    switch (tok) {
    case TOK_STRING:
        if (e && (*e == EXPECT_KEY_OR_END || *e == EXPECT_KEY)) {
            *e = EXPECT_COLON;
            return true;
        }
        /* fall through */
    case TOK_SCALAR:
        if (expects_value(e)) {
            value_done(s);
            return true;
        }
        break;
    case TOK_OPEN_OBJECT:
    case TOK_OPEN_ARRAY:
        if (expects_value(e)) {
            stream_push(s, tok == TOK_OPEN_OBJECT ? EXPECT_KEY_OR_END
                                                  : EXPECT_ELEMENT_OR_END);
            return true;
        }
        break;
    case TOK_CLOSE_OBJECT:
        if (e && (*e == EXPECT_KEY_OR_END || *e == EXPECT_MEMBER_NEXT)) {
            stream_pop(s);
            return true;
        }
        break;
    case TOK_CLOSE_ARRAY:
        if (e && (*e == EXPECT_ELEMENT_OR_END || *e == EXPECT_ELEMENT_NEXT)) {
            stream_pop(s);
            return true;
        }
        break;
    case TOK_COLON:
        if (e && *e == EXPECT_COLON) {
            *e = EXPECT_MEMBER;
            return true;
        }
        break;
    case TOK_COMMA:
        if (e && *e == EXPECT_MEMBER_NEXT) {
            *e = EXPECT_KEY;
            return true;
        }
        if (e && *e == EXPECT_ELEMENT_NEXT) {
            *e = EXPECT_ELEMENT;
            return true;
        }
        break;
    }
    stream_emit_error(s, "unexpected %s, expecting %s", what,
                      e ? expect_desc[*e] : "value");
    return false;
}

static bool valid_number(const char *p)
{
    if (*p == '-') {
        p++;
    }
    if (*p == '0') {
        p++;
    } else if (g_ascii_isdigit(*p)) {
        while (g_ascii_isdigit(*p)) {
            p++;
        }
    } else {
        return false;
    }
    if (*p == '.') {
        if (!g_ascii_isdigit(*++p)) {
            return false;
        }
        while (g_ascii_isdigit(*p)) {
            p++;
        }
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') {
            p++;
        }
        if (!g_ascii_isdigit(*p)) {
            return false;
        }
        while (g_ascii_isdigit(*p)) {
            p++;
        }
    }
    return *p == '\0';
}

/* Checks a finished literal; the text is the tail of s->buf. */
static bool finish_literal(QmpStream *s)
{
    const char *text = s->buf->str + s->tok_start;
    g_autofree char *what = g_strdup_printf("'%.32s'", text);

    if (!strcmp(text, "true") || !strcmp(text, "false") ||
        !strcmp(text, "null")) {
        return stream_token(s, TOK_SCALAR, what);
    }
    if (!valid_number(text)) {
        stream_emit_error(s, "invalid %s %s",
                          g_ascii_isalpha(*text) ? "keyword" : "number", what);
        return false;
    }
    if (!strpbrk(text, ".eE")) {
        errno = 0;
        g_ascii_strtoll(text, NULL, 10);
        if (errno == ERANGE) {
            g_string_append(s->buf, ".0");
        }
    }
    /* json-glib would make it infinity, which no JSON reply can carry */
    if (isinf(g_ascii_strtod(s->buf->str + s->tok_start, NULL))) {
        stream_emit_error(s, "number %s out of range", what);
        return false;
    }
    return stream_token(s, TOK_SCALAR, what);
}

/* Each lex_* handler returns false when c must be looked at again. */
static bool lex_literal(QmpStream *s, uint8_t c)
{
    if (is_literal_char(c)) {
        g_string_append_c(s->buf, c);
        return true;
    }
    s->lex = LEX_START;
    if (!finish_literal(s)) {
        stream_fail(s, false);
    }
    return false;
}

static void lex_string_error(QmpStream *s, uint8_t c, const char *detail)
{
    stream_emit_error(s, "%s", detail);
    /* a raw newline ends the line the broken string was on */
    if (is_reset_byte(c) || c == '\n' || c == '\r') {
        qmp_stream_reset(s);
    } else {
        stream_fail(s, true);
    }
}

static void lex_string(QmpStream *s, uint8_t c)
{
    if (c == s->quote) {
        g_string_append_c(s->buf, '"');
        s->lex = LEX_START;
        if (!stream_token(s, TOK_STRING, "string")) {
            stream_fail(s, false);
        }
    } else if (c == '\\') {
        s->lex = LEX_ESCAPE;
    } else if (c < 0x20) {
        lex_string_error(s, c, "control character in string");
    } else if (c == 0xc0 || c == 0xc1 || c >= 0xf5) {
        lex_string_error(s, c, "invalid UTF-8 byte in string");
    } else if (c == '"') {
        g_string_append(s->buf, "\\\""); /* inside '...' */
    } else {
        g_string_append_c(s->buf, c);
    }
}

static void lex_escape(QmpStream *s, uint8_t c)
{
    s->lex = LEX_STRING;
    switch (c) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        g_string_append_c(s->buf, '\\');
        g_string_append_c(s->buf, c);
        break;
    case '\'':
        g_string_append_c(s->buf, '\'');
        break;
    case 'u':
        g_string_append(s->buf, "\\u");
        s->lex = LEX_UNICODE;
        s->hex_left = 4;
        s->hex_value = 0;
        break;
    default:
        lex_string_error(s, c, "invalid escape sequence in string");
    }
}

static void lex_unicode(QmpStream *s, uint8_t c)
{
    if (!g_ascii_isxdigit(c)) {
        lex_string_error(s, c, "invalid escape sequence in string");
        return;
    }
    g_string_append_c(s->buf, c);
    s->hex_value = s->hex_value << 4 | g_ascii_xdigit_value(c);
    if (--s->hex_left) {
        return;
    }
    s->lex = LEX_STRING;
    if (!s->hex_value) {
        lex_string_error(s, c, "\\u0000 is not supported");
    }
}

static const struct {
    char c;
    Token tok;
} structural[] = {
    {'{', TOK_OPEN_OBJECT}, {'}', TOK_CLOSE_OBJECT}, {'[', TOK_OPEN_ARRAY},
    {']', TOK_CLOSE_ARRAY}, {':', TOK_COLON},        {',', TOK_COMMA},
};

static void lex_structural(QmpStream *s, uint8_t c, Token tok)
{
    char what[] = {'\'', c, '\'', '\0'};

    bool open = tok == TOK_OPEN_OBJECT || tok == TOK_OPEN_ARRAY;

    if (open && s->stack->len >= QMP_STREAM_MAX_DEPTH) {
        stream_emit_error(s, "nesting too deep");
        stream_fail(s, false);
        s->skip_depth++;
        return;
    }
    g_string_append_c(s->buf, c);
    if (stream_token(s, tok, what)) {
        return;
    }
    if (open) {
        /* Likely a new command after an unfinished one: start over. */
        qmp_stream_reset(s);
        lex_structural(s, c, tok);
        return;
    }
    if (tok == TOK_CLOSE_OBJECT || tok == TOK_CLOSE_ARRAY) {
        /* the bracket still closes one level of the broken value */
        if (s->stack->len <= 1) {
            qmp_stream_reset(s);
            return;
        }
        g_byte_array_set_size(s->stack, s->stack->len - 1);
    }
    stream_fail(s, false);
}

static void lex_start(QmpStream *s, uint8_t c)
{
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        if (s->stack->len) {
            g_string_append_c(s->buf, c);
        }
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(structural); i++) {
        if (structural[i].c == c) {
            lex_structural(s, c, structural[i].tok);
            return;
        }
    }
    if (c == '"' || c == '\'') {
        g_string_append_c(s->buf, '"');
        s->quote = c;
        s->lex = LEX_STRING;
    } else if (is_literal_char(c)) {
        s->tok_start = s->buf->len;
        g_string_append_c(s->buf, c);
        s->lex = LEX_LITERAL;
    } else {
        if (g_ascii_isgraph(c)) {
            stream_emit_error(s, "stray '%c'", c);
        } else {
            stream_emit_error(s, "stray byte 0x%02x", c);
        }
        if (is_reset_byte(c)) {
            qmp_stream_reset(s);
        } else {
            stream_fail(s, false);
        }
    }
}

/* Returns false when recovery ends at c and c starts a new value. */
static bool lex_recover(QmpStream *s, uint8_t c)
{
    if (is_reset_byte(c) || c == '\n') {
        s->lex = LEX_START;
        return true;
    }
    if (s->skip_in_string) {
        if (s->skip_escape) {
            s->skip_escape = false;
        } else if (c == '\\') {
            s->skip_escape = true;
        } else if (c == s->quote) {
            s->skip_in_string = false;
        }
        return true;
    }
    switch (c) {
    case '"':
    case '\'':
        s->skip_in_string = true;
        s->quote = c;
        break;
    case '{':
    case '[':
        if (!s->skip_depth) {
            s->lex = LEX_START;
            return false;
        }
        s->skip_depth++;
        break;
    case '}':
    case ']':
        if (s->skip_depth && !--s->skip_depth) {
            s->lex = LEX_START;
        }
        break;
    case ' ':
    case '\t':
    case '\r':
        if (!s->skip_depth) {
            s->lex = LEX_START;
        }
        break;
    }
    return true;
}

static void stream_byte(QmpStream *s, uint8_t c)
{
    bool consumed = false;

    while (!consumed) {
        consumed = true;
        switch (s->lex) {
        case LEX_START:
            lex_start(s, c);
            break;
        case LEX_STRING:
            lex_string(s, c);
            break;
        case LEX_ESCAPE:
            lex_escape(s, c);
            break;
        case LEX_UNICODE:
            lex_unicode(s, c);
            break;
        case LEX_LITERAL:
            consumed = lex_literal(s, c);
            break;
        case LEX_RECOVER:
            consumed = lex_recover(s, c);
            break;
        }
    }
}

void qmp_stream_feed(QmpStream *s, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        stream_byte(s, buf[i]);
        if (s->buf->len > QMP_STREAM_MAX_SIZE) {
            stream_emit_error(s, "input too large");
            stream_fail(s, s->lex == LEX_STRING || s->lex == LEX_ESCAPE ||
                               s->lex == LEX_UNICODE);
        }
    }
}
