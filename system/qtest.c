/*
 * The qtest protocol server and accelerator flag: the connection, line
 * framing, the protocol log and request dispatch (the requests are in
 * qtest-requests.c).
 */
#include "qemu/osdep.h"
#include "system/qtest-internal.h"
#include "chardev/char.h"
#include "qemu/keyval.h"
#include "system/runstate.h"

/* b64write of 768 KiB fits; longer lines are refused, not buffered. */
#define QTEST_MAX_LINE (1 * MiB)

typedef struct QTestServer {
    CharBackend chr;
    bool has_chr;
    QTestSendFn *send;
    void *send_opaque;
    FILE *log;
    gint64 start_us;
    GString *inbuf;
    bool discarding; /* dropping the rest of an overlong line */
} QTestServer;

static QTestServer *qtest_srv;
static bool qtest_accel;

bool qtest_enabled(void)
{
    return qtest_accel;
}

void qtest_set_accel(bool on)
{
    qtest_accel = on;
}

static double qtest_elapsed(QTestServer *s)
{
    return (g_get_monotonic_time() - s->start_us) / (double)G_USEC_PER_SEC;
}

static void qtest_log(QTestServer *s, char kind, const char *text)
{
    if (s->log) {
        fprintf(s->log, "[%c +%.6f] %s\n", kind, qtest_elapsed(s), text);
        fflush(s->log);
    }
}

/* line has no newline; one is added on the wire. */
static void qtest_send(QTestServer *s, const char *line)
{
    g_autofree char *wire = g_strconcat(line, "\n", NULL);

    qtest_log(s, 'S', line);
    if (s->send) {
        s->send(s->send_opaque, wire);
    } else if (s->has_chr) {
        qemu_chr_fe_write_all(&s->chr, (const uint8_t *)wire, strlen(wire));
    }
}

static char *qtest_dispatch(char **words)
{
    const QTestRequest *req;
    int nargs;

    if (!words[0]) {
        return g_strdup("ERR empty request");
    }
    req = qtest_find_request(words[0]);
    if (!req) {
        return g_strdup_printf("FAIL Unknown command '%s'", words[0]);
    }
    nargs = g_strv_length(words) - 1;
    if (nargs < req->min_args) {
        return g_strdup_printf("ERR missing argument for '%s'", req->name);
    }
    if (nargs > req->max_args) {
        return g_strdup_printf("ERR too many arguments for '%s'", req->name);
    }
    return req->handler(req, words + 1);
}

static void qtest_process_line(QTestServer *s, const char *line, size_t len)
{
    g_auto(GStrv) words = NULL;
    g_autofree char *text = NULL;
    g_autofree char *reply = NULL;

    if (len && line[len - 1] == '\r') {
        len--;
    }
    text = g_strndup(line, len);
    qtest_log(s, 'R', text);
    if (strlen(text) != len) {
        qtest_send(s, "ERR invalid character in request");
        return;
    }
    words = g_strsplit(text, " ", -1);
    reply = qtest_dispatch(words);
    qtest_send(s, reply);
}

static void qtest_feed(QTestServer *s, const char *buf, size_t len)
{
    while (len) {
        const char *nl = memchr(buf, '\n', len);
        size_t chunk = nl ? (size_t)(nl - buf) : len;

        if (!s->discarding) {
            if (s->inbuf->len + chunk > QTEST_MAX_LINE) {
                g_string_truncate(s->inbuf, 0);
                s->discarding = true;
                qtest_send(s, "ERR line too long");
            } else {
                g_string_append_len(s->inbuf, buf, chunk);
            }
        }
        if (!nl) {
            return;
        }
        if (!s->discarding) {
            qtest_process_line(s, s->inbuf->str, s->inbuf->len);
        }
        g_string_truncate(s->inbuf, 0);
        s->discarding = false;
        buf = nl + 1;
        len -= chunk + 1;
    }
}

void qtest_send_line(const char *line)
{
    qtest_send(qtest_srv, line);
}

void qtest_log_info(const char *text)
{
    qtest_log(qtest_srv, 'I', text);
}

static QTestServer *qtest_server_get(void)
{
    if (!qtest_srv) {
        qtest_srv = g_new0(QTestServer, 1);
        qtest_srv->inbuf = g_string_new(NULL);
        qtest_srv->start_us = g_get_monotonic_time();
    }
    return qtest_srv;
}

void qtest_server_set_send_handler(QTestSendFn *send, void *opaque)
{
    QTestServer *s = qtest_server_get();

    s->send = send;
    s->send_opaque = opaque;
}

void qtest_server_inproc_recv(const char *buf, size_t len)
{
    qtest_feed(qtest_server_get(), buf, len);
}

/* Chardev frontend */

static int qtest_can_read(void *opaque)
{
    return 64 * KiB;
}

static void qtest_read(void *opaque, const uint8_t *buf, int size)
{
    qtest_feed(opaque, (const char *)buf, size);
}

static void qtest_event(void *opaque, QEMUChrEvent event)
{
    QTestServer *s = opaque;

    switch (event) {
    case CHR_EVENT_OPENED:
        s->start_us = g_get_monotonic_time();
        g_string_truncate(s->inbuf, 0);
        s->discarding = false;
        qtest_gpio_reset_levels();
        qtest_log(s, 'I', "OPENED");
        break;
    case CHR_EVENT_CLOSED:
        qtest_log(s, 'I', "CLOSED");
        /* The test is gone: nobody is left to drive the machine. */
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
        break;
    }
}

static FILE *qtest_open_log(const char *logfile, Error **errp)
{
    const char *fdstr;
    FILE *fp;

    /* Share the open file (and its offset) rather than truncating it. */
    if (g_str_has_prefix(logfile, "/dev/fd/")) {
        uint64_t fd;
        int dupfd;

        fdstr = logfile + strlen("/dev/fd/");
        if (!qemu_strtou64(fdstr, &fd) || fd > INT_MAX ||
            (dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
            error_setg(errp, "Cannot open qtest log '%s'", logfile);
            return NULL;
        }
        fp = fdopen(dupfd, "w");
        if (!fp) {
            close(dupfd);
        }
    } else {
        fp = fopen(logfile, "we");
    }
    if (!fp) {
        error_setg_errno(errp, errno, "Cannot open qtest log '%s'", logfile);
        return NULL;
    }
    setvbuf(fp, NULL, _IOLBF, 0);
    return fp;
}

static Chardev *qtest_open_chardev(const char *spec, bool *created,
                                   Error **errp)
{
    const char *id;
    Chardev *chr;

    if (g_str_has_prefix(spec, "chardev:")) {
        id = spec + strlen("chardev:");
        chr = qemu_chr_find(id);
        if (!chr) {
            error_setg(errp, "chardev '%s' not found", id);
        }
        *created = false;
        return chr;
    }
    *created = true;
    return qemu_chr_new("qtest", spec, errp);
}

bool qtest_server_init(const char *spec, const char *logfile, Error **errp)
{
    QTestServer *s;
    FILE *log = NULL;
    Chardev *chr;
    bool created;

    if (qtest_srv && (qtest_srv->has_chr || qtest_srv->send)) {
        error_setg(errp, "the qtest server is already running");
        return false;
    }
    if (logfile && !(log = qtest_open_log(logfile, errp))) {
        return false;
    }
    chr = qtest_open_chardev(spec, &created, errp);
    if (!chr) {
        goto fail;
    }
    s = qtest_server_get();
    if (!qemu_chr_fe_init(&s->chr, chr, errp)) {
        if (created) {
            object_unparent(OBJECT(chr));
        }
        goto fail;
    }
    s->has_chr = true;
    s->log = log;
    qemu_chr_fe_set_handlers(&s->chr, qtest_can_read, qtest_read, qtest_event,
                             s);
    return true;

fail:
    if (log) {
        fclose(log);
    }
    return false;
}
