/*
 * qtest requests: parsing and execution of each request line.
 *
 * One request per line, words separated by single spaces, numbers in
 * base 0. Replies are one line: "OK[ value]", "FAIL <text>" or "ERR <text>".
 *
 *   outb|outw|outl PORT VAL          OK
 *   inb|inw|inl PORT                 OK 0x%04x
 *   writeb|w|l|q ADDR VAL            OK (little-endian store)
 *   readb|w|l|q ADDR                 OK 0x%016x
 *   read ADDR SIZE                   OK 0x<hex>
 *   write ADDR SIZE 0x<hex>          OK (short data is zero-filled)
 *   b64read ADDR SIZE                OK <base64>
 *   b64write ADDR SIZE <base64>      OK (a length mismatch is only logged)
 *   memset ADDR SIZE BYTE            OK
 *   endianness                       OK little
 *   clock_step [NS], clock_set NS    OK <ns> | FAIL ... (-accel qtest only)
 *   irq_intercept_in|out PATH [NAME] OK | FAIL ...
 *   set_irq_in PATH NAME NUM LEVEL   OK
 *   module_load PREFIX NAME          FAIL (no modules)
 *
 * Deliberate deviation from QEMU, which asserts on malformed requests:
 * a missing or extra word, an unparsable number, a zero SIZE for read or
 * b64read, bad hex/base64 data, an oversized transfer or a GPIO line that
 * does not exist is answered with "ERR <message>" and the server goes on.
 *
 * IRQ interception: "irq_intercept_out PATH" without NAME intercepts every
 * output GPIO list of the device (QEMU only the unnamed one; sysbus IRQs
 * live in the named list "sysbus-irq", so this also covers them);
 * "irq_intercept_in PATH" intercepts every input list. In both cases a
 * line is reported by its index within its own list.
 */
#include "qemu/osdep.h"
#include "system/qtest-internal.h"
#include "hw/core/qdev.h"
#include "qemu/bswap.h"
#include "qemu/keyval.h"
#include "qemu/timer.h"
#include "system/memory.h"

/* Largest read/write/b64 transfer, bounding the reply and allocation. */
#define QTEST_MAX_XFER (16 * MiB)
/* memset needs no buffer, but an unbounded length could stall the loop. */
#define QTEST_MAX_MEMSET (1 * GiB)

/* GPIO interception: one device for the life of the process, as in QEMU. */
static DeviceState *irq_dev;
static uint8_t *irq_levels;
static size_t n_irq_levels;

void qtest_gpio_reset_levels(void)
{
    if (n_irq_levels) {
        memset(irq_levels, 0, n_irq_levels);
    }
}

/* Parsing helpers: on failure they set *reply to an ERR line. */

static bool parse_u64(const char *word, uint64_t *out, char **reply)
{
    if (!qemu_strtou64(word, out)) {
        *reply = g_strdup_printf("ERR invalid number '%s'", word);
        return false;
    }
    return true;
}

static bool parse_i64(const char *word, int64_t *out, char **reply)
{
    if (!qemu_strtoi64(word, out)) {
        *reply = g_strdup_printf("ERR invalid number '%s'", word);
        return false;
    }
    return true;
}

static bool parse_range(char **args, uint64_t max, uint64_t *addr,
                        uint64_t *len, char **reply)
{
    if (!parse_u64(args[0], addr, reply) || !parse_u64(args[1], len, reply)) {
        return false;
    }
    if (*len > max) {
        *reply = g_strdup_printf("ERR size %" PRIu64 " too large", *len);
        return false;
    }
    if (*len && *addr + *len - 1 < *addr) {
        *reply = g_strdup("ERR address range wraps around");
        return false;
    }
    return true;
}

/* Port and memory accesses */

static char *req_out(const QTestRequest *req, char **args)
{
    uint64_t port, val;
    uint8_t buf[4];
    char *reply = NULL;

    if (!parse_u64(args[0], &port, &reply) ||
        !parse_u64(args[1], &val, &reply)) {
        return reply;
    }
    if (port > 0xffff) {
        return g_strdup_printf("ERR invalid port '%s'", args[0]);
    }
    stn_le_p(buf, req->size, val);
    address_space_write(&address_space_io, port, MEMTXATTRS_UNSPECIFIED, buf,
                        req->size);
    return g_strdup("OK");
}

static char *req_in(const QTestRequest *req, char **args)
{
    uint64_t port;
    uint8_t buf[4];
    char *reply = NULL;

    if (!parse_u64(args[0], &port, &reply)) {
        return reply;
    }
    if (port > 0xffff) {
        return g_strdup_printf("ERR invalid port '%s'", args[0]);
    }
    address_space_read(&address_space_io, port, MEMTXATTRS_UNSPECIFIED, buf,
                       req->size);
    return g_strdup_printf("OK 0x%04" PRIx64, ldn_le_p(buf, req->size));
}

static char *req_write_sized(const QTestRequest *req, char **args)
{
    uint64_t addr, val;
    uint8_t buf[8];
    char *reply = NULL;

    if (!parse_u64(args[0], &addr, &reply) ||
        !parse_u64(args[1], &val, &reply)) {
        return reply;
    }
    stn_le_p(buf, req->size, val);
    address_space_write(&address_space_memory, addr, MEMTXATTRS_UNSPECIFIED,
                        buf, req->size);
    return g_strdup("OK");
}

static char *req_read_sized(const QTestRequest *req, char **args)
{
    uint64_t addr;
    uint8_t buf[8];
    char *reply = NULL;

    if (!parse_u64(args[0], &addr, &reply)) {
        return reply;
    }
    address_space_read(&address_space_memory, addr, MEMTXATTRS_UNSPECIFIED, buf,
                       req->size);
    return g_strdup_printf("OK 0x%016" PRIx64, ldn_le_p(buf, req->size));
}

static char *req_read(const QTestRequest *req, char **args)
{
    uint64_t addr, len;
    char *reply = NULL;
    g_autofree uint8_t *data = NULL;
    GString *out;

    if (!parse_range(args, QTEST_MAX_XFER, &addr, &len, &reply)) {
        return reply;
    }
    if (!len) {
        return g_strdup("ERR invalid argument size");
    }
    data = g_malloc(len);
    address_space_read(&address_space_memory, addr, MEMTXATTRS_UNSPECIFIED,
                       data, len);
    out = g_string_sized_new(2 * len + 8);
    g_string_append(out, "OK 0x");
    for (uint64_t i = 0; i < len; i++) {
        g_string_append_printf(out, "%02x", data[i]);
    }
    return g_string_free(out, false);
}

static char *req_write(const QTestRequest *req, char **args)
{
    uint64_t addr, len;
    const char *hex = args[2];
    size_t hex_len = strlen(hex);
    char *reply = NULL;
    g_autofree uint8_t *data = NULL;

    if (!parse_range(args, QTEST_MAX_XFER, &addr, &len, &reply)) {
        return reply;
    }
    if (hex_len < 3) {
        return g_strdup("ERR invalid argument size");
    }
    if (hex[0] != '0' || (hex[1] != 'x' && hex[1] != 'X')) {
        return g_strdup("ERR invalid hex data");
    }
    for (size_t i = 2; i < hex_len; i++) {
        if (!g_ascii_isxdigit(hex[i])) {
            return g_strdup("ERR invalid hex data");
        }
    }
    data = g_malloc0(len);
    /* Digits beyond SIZE bytes and an odd last digit are ignored. */
    for (uint64_t i = 0; i < len && 2 + 2 * i + 1 < hex_len; i++) {
        data[i] = g_ascii_xdigit_value(hex[2 + 2 * i]) << 4 |
                  g_ascii_xdigit_value(hex[2 + 2 * i + 1]);
    }
    address_space_write(&address_space_memory, addr, MEMTXATTRS_UNSPECIFIED,
                        data, len);
    return g_strdup("OK");
}

static char *req_b64read(const QTestRequest *req, char **args)
{
    uint64_t addr, len;
    char *reply = NULL;
    g_autofree uint8_t *data = NULL;
    g_autofree char *enc = NULL;

    if (!parse_range(args, QTEST_MAX_XFER, &addr, &len, &reply)) {
        return reply;
    }
    if (!len) {
        return g_strdup("ERR invalid argument size");
    }
    data = g_malloc(len);
    address_space_read(&address_space_memory, addr, MEMTXATTRS_UNSPECIFIED,
                       data, len);
    enc = g_base64_encode(data, len);
    return g_strdup_printf("OK %s", enc);
}

static bool is_base64(const char *text)
{
    for (const char *p = text; *p; p++) {
        if (!g_ascii_isalnum(*p) && *p != '+' && *p != '/' && *p != '=') {
            return false;
        }
    }
    return true;
}

static char *req_b64write(const QTestRequest *req, char **args)
{
    uint64_t addr, len;
    char *reply = NULL;
    g_autofree uint8_t *data = NULL;
    gsize data_len;

    if (!parse_range(args, QTEST_MAX_XFER, &addr, &len, &reply)) {
        return reply;
    }
    if (strlen(args[2]) < 3) {
        return g_strdup("ERR invalid argument size");
    }
    if (!is_base64(args[2])) {
        return g_strdup("ERR invalid base64 data");
    }
    data = g_base64_decode(args[2], &data_len);
    if (data_len != len) {
        g_autofree char *msg = g_strdup_printf(
            "b64write: data length mismatch (told %" PRIu64 ", found %zu)", len,
            (size_t)data_len);
        qtest_log_info(msg);
        len = MIN(len, data_len);
    }
    address_space_write(&address_space_memory, addr, MEMTXATTRS_UNSPECIFIED,
                        data, len);
    return g_strdup("OK");
}

static char *req_memset(const QTestRequest *req, char **args)
{
    uint64_t addr, len, pattern;
    char *reply = NULL;

    if (!parse_range(args, QTEST_MAX_MEMSET, &addr, &len, &reply) ||
        !parse_u64(args[2], &pattern, &reply)) {
        return reply;
    }
    if (len) {
        address_space_set(&address_space_memory, addr, pattern, len,
                          MEMTXATTRS_UNSPECIFIED);
    }
    return g_strdup("OK");
}

static char *req_endianness(const QTestRequest *req, char **args)
{
    return g_strdup("OK little");
}

/* Virtual clock (qtest accelerator only) */

static char *req_clock_step(const QTestRequest *req, char **args)
{
    int64_t old_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    int64_t target, new_ns;
    char *reply = NULL;

    if (args[0]) {
        int64_t step;

        if (!parse_i64(args[0], &step, &reply)) {
            return reply;
        }
        if (step < 0 || step > INT64_MAX - old_ns) {
            return g_strdup_printf("ERR invalid step '%s'", args[0]);
        }
        target = old_ns + step;
    } else {
        target = qemu_clock_deadline_virtual();
        if (target < 0) {
            return g_strdup("FAIL cannot advance clock to the next deadline "
                            "because there is no pending deadline");
        }
        target = MAX(target, old_ns);
    }
    qemu_clock_advance_virtual(target);
    new_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    if (new_ns <= old_ns) {
        return g_strdup("FAIL could not advance time");
    }
    return g_strdup_printf("OK %" PRIi64, new_ns);
}

static char *req_clock_set(const QTestRequest *req, char **args)
{
    int64_t ns, now;
    char *reply = NULL;

    if (!parse_i64(args[0], &ns, &reply)) {
        return reply;
    }
    if (ns > qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL)) {
        qemu_clock_advance_virtual(ns);
    }
    now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    return g_strdup_printf("%s %" PRIi64, now == ns ? "OK" : "FAIL", now);
}

/* GPIO lines */

static void qtest_irq_handler(void *opaque, int n, int level)
{
    bool high = level != 0;
    g_autofree char *line = NULL;

    if (n < 0) {
        return;
    }
    if ((size_t)n >= n_irq_levels) {
        size_t grown = MAX((size_t)n + 1, 2 * n_irq_levels);

        irq_levels = g_realloc(irq_levels, grown);
        memset(irq_levels + n_irq_levels, 0, grown - n_irq_levels);
        n_irq_levels = grown;
    }
    if (irq_levels[n] == high) {
        return;
    }
    irq_levels[n] = high;
    line = g_strdup_printf("IRQ %s %d", high ? "raise" : "lower", n);
    qtest_send_line(line);
}

static DeviceState *resolve_device(const char *path)
{
    Object *obj = object_resolve_path(path, NULL);

    return obj ? (DeviceState *)object_dynamic_cast(obj, TYPE_DEVICE) : NULL;
}

static char *irq_intercept(bool out, char **args)
{
    DeviceState *dev = resolve_device(args[0]);
    const char *name = args[1];
    NamedGPIOList *ngl;
    int lines = 0;

    if (!dev) {
        return g_strdup("FAIL Unknown device");
    }
    if (name && !out) {
        return g_strdup(
            "FAIL Interception of named in-GPIOs not yet supported");
    }
    if (irq_dev) {
        return g_strdup(irq_dev == dev ? "OK"
                                       : "FAIL IRQ intercept already enabled");
    }
    if (name) {
        lines = qdev_intercept_gpio_out(dev, name, qtest_irq_handler, NULL);
    } else {
        QLIST_FOREACH(ngl, &dev->gpios, node) {
            lines += out ? qdev_intercept_gpio_out(dev, ngl->name,
                                                   qtest_irq_handler, NULL)
                         : qdev_intercept_gpio_in(dev, ngl->name,
                                                  qtest_irq_handler, NULL);
        }
    }
    if (!lines) {
        return g_strdup("FAIL No intercepts installed");
    }
    irq_dev = dev;
    return g_strdup("OK");
}

static char *req_irq_intercept_in(const QTestRequest *req, char **args)
{
    return irq_intercept(false, args);
}

static char *req_irq_intercept_out(const QTestRequest *req, char **args)
{
    return irq_intercept(true, args);
}

static NamedGPIOList *find_gpio_list(DeviceState *dev, const char *name)
{
    NamedGPIOList *ngl;

    QLIST_FOREACH(ngl, &dev->gpios, node) {
        if (g_strcmp0(ngl->name, name) == 0) {
            return ngl;
        }
    }
    return NULL;
}

static char *req_set_irq_in(const QTestRequest *req, char **args)
{
    DeviceState *dev = resolve_device(args[0]);
    const char *name = args[1];
    NamedGPIOList *ngl;
    int64_t num, level;
    char *reply = NULL;

    if (!dev) {
        return g_strdup("FAIL Unknown device");
    }
    if (!parse_i64(args[2], &num, &reply) ||
        !parse_i64(args[3], &level, &reply)) {
        return reply;
    }
    if (level < INT_MIN || level > INT_MAX) {
        return g_strdup_printf("ERR invalid level '%s'", args[3]);
    }
    ngl = find_gpio_list(dev, strcmp(name, "unnamed-gpio-in") ? name : NULL);
    if (!ngl || num < 0 || num >= ngl->num_in) {
        return g_strdup_printf("ERR no GPIO input '%s' %s", name, args[2]);
    }
    qemu_set_irq(ngl->in[num], level);
    return g_strdup("OK");
}

static char *req_module_load(const QTestRequest *req, char **args)
{
    return g_strdup("FAIL");
}

static const QTestRequest qtest_requests[] = {
    {"outb", req_out, 2, 2, 1},
    {"outw", req_out, 2, 2, 2},
    {"outl", req_out, 2, 2, 4},
    {"inb", req_in, 1, 1, 1},
    {"inw", req_in, 1, 1, 2},
    {"inl", req_in, 1, 1, 4},
    {"writeb", req_write_sized, 2, 2, 1},
    {"writew", req_write_sized, 2, 2, 2},
    {"writel", req_write_sized, 2, 2, 4},
    {"writeq", req_write_sized, 2, 2, 8},
    {"readb", req_read_sized, 1, 1, 1},
    {"readw", req_read_sized, 1, 1, 2},
    {"readl", req_read_sized, 1, 1, 4},
    {"readq", req_read_sized, 1, 1, 8},
    {"read", req_read, 2, 2},
    {"write", req_write, 3, 3},
    {"b64read", req_b64read, 2, 2},
    {"b64write", req_b64write, 3, 3},
    {"memset", req_memset, 3, 3},
    {"endianness", req_endianness, 0, 0},
    {"clock_step", req_clock_step, 0, 1, .needs_accel = true},
    {"clock_set", req_clock_set, 1, 1, .needs_accel = true},
    {"irq_intercept_in", req_irq_intercept_in, 1, 2},
    {"irq_intercept_out", req_irq_intercept_out, 1, 2},
    {"set_irq_in", req_set_irq_in, 4, 4},
    {"module_load", req_module_load, 2, 2},
};

const QTestRequest *qtest_find_request(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(qtest_requests); i++) {
        const QTestRequest *req = &qtest_requests[i];

        if (strcmp(req->name, name) == 0) {
            return req->needs_accel && !qtest_enabled() ? NULL : req;
        }
    }
    return NULL;
}
