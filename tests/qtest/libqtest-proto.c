/*
 * libqtest: qtest protocol requests (guest memory, I/O ports, the virtual
 * clock, GPIO lines).
 */
#include "libqtest-internal.h"

#include <errno.h>
#include <string.h>

#define QTEST_MSG_MAX 200
/* Transfer chunks, well below the server's 1 MiB line limit. */
#define QTEST_HEX_CHUNK (64 * 1024)
#define QTEST_B64_CHUNK (256 * 1024)
#define QTEST_MEMSET_CHUNK (256 * 1024 * 1024)
static char *qtest_read_line(QTestState *s, gint64 deadline)
{
    for (;;) {
        GString *buf = s->qtest_buf;
        char *nl = memchr(buf->str, '\n', buf->len);

        if (nl) {
            char *line = g_strndup(buf->str, nl - buf->str);

            g_string_erase(buf, 0, nl - buf->str + 1);
            return line;
        }
        qtest_recv_some(s, s->qtest_fd, "qtest", buf, deadline);
    }
}

static void qtest_record_irq(QTestState *s, const char *line)
{
    g_auto(GStrv) words = g_strsplit(line, " ", -1);
    gboolean level;
    guint64 num;

    if (g_strv_length(words) != 3 ||
        (strcmp(words[1], "raise") && strcmp(words[1], "lower")) ||
        !g_ascii_string_to_unsigned(words[2], 10, 0, INT_MAX, &num, NULL)) {
        qtest_fail(s, "malformed IRQ notification '%s'", line);
    }
    level = strcmp(words[1], "raise") == 0;
    if (num >= s->irq_levels->len) {
        g_array_set_size(s->irq_levels, num + 1);
        g_array_set_size(s->irq_raises, num + 1);
    }
    g_array_index(s->irq_levels, gboolean, num) = level;
    g_array_index(s->irq_raises, guint, num) += level;
}

/* The reply line of the last request, recording IRQ lines before it. */
static char *qtest_reply(QTestState *s)
{
    gint64 deadline = qtest_deadline();

    for (;;) {
        char *line = qtest_read_line(s, deadline);

        if (!g_str_has_prefix(line, "IRQ ")) {
            return line;
        }
        qtest_record_irq(s, line);
        g_free(line);
    }
}

static char *qtest_vraw_cmd(QTestState *s, const char *fmt, va_list ap)
{
    g_autofree char *line = g_strdup_vprintf(fmt, ap);
    g_autofree char *wire = g_strconcat(line, "\n", NULL);

    qtest_send_all(s, s->qtest_fd, "qtest", wire, strlen(wire), NULL, 0);
    return qtest_reply(s);
}

char *qtest_raw_cmd(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    char *reply;

    va_start(ap, fmt);
    reply = qtest_vraw_cmd(s, fmt, ap);
    va_end(ap);
    return reply;
}

/* Sends a request; fails the test unless the reply's first word is OK. */
G_GNUC_PRINTF(2, 3)
static char *qtest_okf(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    char *reply;

    va_start(ap, fmt);
    reply = qtest_vraw_cmd(s, fmt, ap);
    va_end(ap);
    if (strcmp(reply, "OK") != 0 && !g_str_has_prefix(reply, "OK ")) {
        g_autofree char *req = NULL;

        va_start(ap, fmt);
        req = g_strdup_vprintf(fmt, ap);
        va_end(ap);
        if (strlen(req) > QTEST_MSG_MAX) {
            req[QTEST_MSG_MAX] = '\0';
        }
        qtest_fail(s, "qtest request '%s' failed: %s", req, reply);
    }
    return reply;
}

static uint64_t qtest_reply_value(QTestState *s, const char *reply)
{
    const char *word = reply + strlen("OK ");
    char *end;
    uint64_t val;

    errno = 0;
    val = g_ascii_strtoull(word, &end, 0);
    if (strlen(reply) <= 3 || *end || errno || *word == '-') {
        qtest_fail(s, "unexpected qtest reply '%s'", reply);
    }
    return val;
}

static int64_t qtest_reply_ns(QTestState *s, const char *reply)
{
    const char *word = reply + strlen("OK ");
    char *end;
    int64_t val;

    errno = 0;
    val = g_ascii_strtoll(word, &end, 10);
    if (strlen(reply) <= 3 || *end || errno) {
        qtest_fail(s, "unexpected qtest reply '%s'", reply);
    }
    return val;
}

#define QTEST_VALUEF(s, ...)                                                   \
    ({                                                                         \
        g_autofree char *_reply = qtest_okf(s, __VA_ARGS__);                   \
        qtest_reply_value(s, _reply);                                          \
    })

#define QTEST_OKF(s, ...) g_free(qtest_okf(s, __VA_ARGS__))

uint8_t qtest_readb(QTestState *s, uint64_t addr)
{
    return QTEST_VALUEF(s, "readb 0x%" PRIx64, addr);
}

uint16_t qtest_readw(QTestState *s, uint64_t addr)
{
    return QTEST_VALUEF(s, "readw 0x%" PRIx64, addr);
}

uint32_t qtest_readl(QTestState *s, uint64_t addr)
{
    return QTEST_VALUEF(s, "readl 0x%" PRIx64, addr);
}

uint64_t qtest_readq(QTestState *s, uint64_t addr)
{
    return QTEST_VALUEF(s, "readq 0x%" PRIx64, addr);
}

void qtest_writeb(QTestState *s, uint64_t addr, uint8_t value)
{
    QTEST_OKF(s, "writeb 0x%" PRIx64 " 0x%x", addr, value);
}

void qtest_writew(QTestState *s, uint64_t addr, uint16_t value)
{
    QTEST_OKF(s, "writew 0x%" PRIx64 " 0x%x", addr, value);
}

void qtest_writel(QTestState *s, uint64_t addr, uint32_t value)
{
    QTEST_OKF(s, "writel 0x%" PRIx64 " 0x%x", addr, value);
}

void qtest_writeq(QTestState *s, uint64_t addr, uint64_t value)
{
    QTEST_OKF(s, "writeq 0x%" PRIx64 " 0x%" PRIx64, addr, value);
}

void qtest_memread(QTestState *s, uint64_t addr, void *data, size_t size)
{
    uint8_t *p = data;

    while (size) {
        size_t n = MIN(size, QTEST_HEX_CHUNK);
        g_autofree char *reply =
            qtest_okf(s, "read 0x%" PRIx64 " 0x%zx", addr, n);
        const char *hex = reply + strlen("OK 0x");

        if (!g_str_has_prefix(reply, "OK 0x") || strlen(hex) != 2 * n) {
            qtest_fail(s, "unexpected reply to read: %.64s", reply);
        }
        for (size_t i = 0; i < n; i++) {
            int hi = g_ascii_xdigit_value(hex[2 * i]);
            int lo = g_ascii_xdigit_value(hex[2 * i + 1]);

            if (hi < 0 || lo < 0) {
                qtest_fail(s, "bad hex in reply to read");
            }
            p[i] = hi << 4 | lo;
        }
        p += n;
        addr += n;
        size -= n;
    }
}

void qtest_memwrite(QTestState *s, uint64_t addr, const void *data, size_t size)
{
    const uint8_t *p = data;

    while (size) {
        size_t n = MIN(size, QTEST_HEX_CHUNK);
        GString *hex = g_string_sized_new(2 * n + 1);

        for (size_t i = 0; i < n; i++) {
            g_string_append_printf(hex, "%02x", p[i]);
        }
        QTEST_OKF(s, "write 0x%" PRIx64 " 0x%zx 0x%s", addr, n, hex->str);
        g_string_free(hex, true);
        p += n;
        addr += n;
        size -= n;
    }
}

void qtest_bufread(QTestState *s, uint64_t addr, void *data, size_t size)
{
    uint8_t *p = data;

    while (size) {
        size_t n = MIN(size, QTEST_B64_CHUNK);
        g_autofree char *reply =
            qtest_okf(s, "b64read 0x%" PRIx64 " 0x%zx", addr, n);
        g_autofree guchar *dec = NULL;
        gsize len = 0;

        if (strlen(reply) > 3) {
            dec = g_base64_decode(reply + 3, &len);
        }
        if (len != n) {
            qtest_fail(s, "b64read returned %zu bytes, not %zu", (size_t)len,
                       n);
        }
        memcpy(p, dec, n);
        p += n;
        addr += n;
        size -= n;
    }
}

void qtest_bufwrite(QTestState *s, uint64_t addr, const void *data, size_t size)
{
    const uint8_t *p = data;

    while (size) {
        size_t n = MIN(size, QTEST_B64_CHUNK);
        g_autofree char *enc = g_base64_encode(p, n);

        QTEST_OKF(s, "b64write 0x%" PRIx64 " 0x%zx %s", addr, n, enc);
        p += n;
        addr += n;
        size -= n;
    }
}

void qtest_memset(QTestState *s, uint64_t addr, uint8_t pattern, size_t size)
{
    while (size) {
        size_t n = MIN(size, (size_t)QTEST_MEMSET_CHUNK);

        QTEST_OKF(s, "memset 0x%" PRIx64 " 0x%zx 0x%02x", addr, n, pattern);
        addr += n;
        size -= n;
    }
}

uint8_t qtest_inb(QTestState *s, uint16_t addr)
{
    return QTEST_VALUEF(s, "inb 0x%x", addr);
}

uint16_t qtest_inw(QTestState *s, uint16_t addr)
{
    return QTEST_VALUEF(s, "inw 0x%x", addr);
}

uint32_t qtest_inl(QTestState *s, uint16_t addr)
{
    return QTEST_VALUEF(s, "inl 0x%x", addr);
}

void qtest_outb(QTestState *s, uint16_t addr, uint8_t value)
{
    QTEST_OKF(s, "outb 0x%x 0x%x", addr, value);
}

void qtest_outw(QTestState *s, uint16_t addr, uint16_t value)
{
    QTEST_OKF(s, "outw 0x%x 0x%x", addr, value);
}

void qtest_outl(QTestState *s, uint16_t addr, uint32_t value)
{
    QTEST_OKF(s, "outl 0x%x 0x%x", addr, value);
}

int64_t qtest_clock_step_next(QTestState *s)
{
    g_autofree char *reply = qtest_okf(s, "clock_step");

    return qtest_reply_ns(s, reply);
}

int64_t qtest_clock_step(QTestState *s, int64_t step)
{
    g_autofree char *reply = qtest_okf(s, "clock_step %" PRIi64, step);

    return qtest_reply_ns(s, reply);
}

int64_t qtest_clock_set(QTestState *s, int64_t val)
{
    g_autofree char *reply = qtest_okf(s, "clock_set %" PRIi64, val);

    return qtest_reply_ns(s, reply);
}

void qtest_irq_intercept_in(QTestState *s, const char *qom_path)
{
    QTEST_OKF(s, "irq_intercept_in %s", qom_path);
}

void qtest_irq_intercept_out(QTestState *s, const char *qom_path)
{
    QTEST_OKF(s, "irq_intercept_out %s", qom_path);
}

void qtest_irq_intercept_out_named(QTestState *s, const char *qom_path,
                                   const char *name)
{
    QTEST_OKF(s, "irq_intercept_out %s %s", qom_path, name);
}

void qtest_set_irq_in(QTestState *s, const char *qom_path, const char *name,
                      int num, int level)
{
    QTEST_OKF(s, "set_irq_in %s %s %d %d", qom_path,
              name ? name : "unnamed-gpio-in", num, level);
}

guint qtest_get_irq_raises(QTestState *s, int num)
{
    return num >= 0 && (guint)num < s->irq_raises->len
               ? g_array_index(s->irq_raises, guint, num)
               : 0;
}

bool qtest_get_irq(QTestState *s, int num)
{
    /* A round trip collects notifications sent before its reply. */
    QTEST_OKF(s, "endianness");
    return num >= 0 && (guint)num < s->irq_levels->len &&
           g_array_index(s->irq_levels, gboolean, num);
}
