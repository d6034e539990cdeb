/*
 * The connected byte stream of a chardev: reading it from the GLib
 * main loop into the frontend (with SCM_RIGHTS fds), blocking writes,
 * and the open/close events.
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"

#include <poll.h>
#include <sys/socket.h>

#define CHR_READ_MAX 4096
#define CHR_MAX_MSGFDS 16

typedef struct ChardevSource {
    GSource source;
    Chardev *chr;
    gpointer tag;
    GIOCondition events; /* what the fd is polled for now */
} ChardevSource;

static void chr_send_event(Chardev *chr, QEMUChrEvent event)
{
    CharBackend *be = chr->be;

    if (be && be->chr_event) {
        be->chr_event(be->opaque, event);
    }
}

/* How many bytes the frontend takes now; 0 holds input back. */
static int chr_can_read(Chardev *chr)
{
    CharBackend *be = chr->be;

    if (!be || !be->chr_read) {
        return 0;
    }
    return be->chr_can_read ? be->chr_can_read(be->opaque) : CHR_READ_MAX;
}

static void qemu_chr_close_msgfds(Chardev *chr)
{
    for (int i = 0; i < chr->n_msgfds; i++) {
        close(chr->msgfds[i]);
    }
    g_free(chr->msgfds);
    chr->msgfds = NULL;
    chr->n_msgfds = 0;
}

static void chr_collect_msgfds(Chardev *chr, struct msghdr *msg)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
        int n;

        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
            continue;
        }
        n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        chr->msgfds = g_renew(int, chr->msgfds, chr->n_msgfds + n);
        memcpy(chr->msgfds + chr->n_msgfds, CMSG_DATA(c), n * sizeof(int));
        chr->n_msgfds += n;
    }
}

static ssize_t chr_recv(Chardev *chr, uint8_t *buf, size_t len)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int) * CHR_MAX_MSGFDS)];
    } control;
    struct iovec iov = {.iov_base = buf, .iov_len = len};
    struct msghdr msg = {
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = control.buf,
        .msg_controllen = sizeof(control.buf),
    };
    ssize_t n;

    if (!chr->is_socket) {
        return read(chr->rfd, buf, len);
    }
    n = recvmsg(chr->rfd, &msg, MSG_CMSG_CLOEXEC);
    if (n >= 0) {
        chr_collect_msgfds(chr, &msg);
    }
    return n;
}

static void chr_read_ready(Chardev *chr, GIOCondition cond)
{
    uint8_t buf[CHR_READ_MAX];
    int avail = chr_can_read(chr);
    ssize_t n;

    if (avail <= 0) {
        if (cond & (G_IO_HUP | G_IO_ERR)) {
            qemu_chr_detach_stream(chr);
        }
        return;
    }
    /* fds the frontend did not take with the previous read are dropped */
    qemu_chr_close_msgfds(chr);
    n = chr_recv(chr, buf, MIN((size_t)avail, sizeof(buf)));
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
        return;
    }
    if (n <= 0) {
        qemu_chr_detach_stream(chr);
        return;
    }
    chr->be->chr_read(chr->be->opaque, buf, n);
}

/* Input is polled only while the frontend can take it. */
static gboolean chr_source_prepare(GSource *source, gint *timeout)
{
    ChardevSource *cs = (ChardevSource *)source;
    GIOCondition want = G_IO_HUP | G_IO_ERR;

    if (chr_can_read(cs->chr) > 0) {
        want |= G_IO_IN;
    }
    /* Changing the poll set wakes the main context: only do it on change,
     * or the loop never sleeps. */
    if (want != cs->events) {
        g_source_modify_unix_fd(source, cs->tag, want);
        cs->events = want;
    }
    *timeout = -1;
    return FALSE;
}

static gboolean chr_source_check(GSource *source)
{
    ChardevSource *cs = (ChardevSource *)source;

    return g_source_query_unix_fd(source, cs->tag) != 0;
}

static gboolean chr_source_dispatch(GSource *source, GSourceFunc cb,
                                    gpointer data)
{
    ChardevSource *cs = (ChardevSource *)source;

    chr_read_ready(cs->chr, g_source_query_unix_fd(source, cs->tag));
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs chr_source_funcs = {
    .prepare = chr_source_prepare,
    .check = chr_source_check,
    .dispatch = chr_source_dispatch,
};

bool qemu_chr_is_connected(Chardev *chr)
{
    return chr->rfd >= 0;
}

void qemu_chr_attach_stream(Chardev *chr, int rfd, int wfd, bool is_socket,
                            bool owns_fds)
{
    ChardevSource *cs;

    chr->rfd = rfd;
    chr->wfd = wfd;
    chr->is_socket = is_socket;
    chr->owns_fds = owns_fds;

    chr->source = g_source_new(&chr_source_funcs, sizeof(ChardevSource));
    cs = (ChardevSource *)chr->source;
    cs->chr = chr;
    cs->events = G_IO_IN;
    cs->tag = g_source_add_unix_fd(chr->source, rfd, cs->events);
    g_source_attach(chr->source, NULL);

    chr_send_event(chr, CHR_EVENT_OPENED);
}

void qemu_chr_release_stream(Chardev *chr)
{
    if (chr->source) {
        g_source_destroy(chr->source);
        g_source_unref(chr->source);
        chr->source = NULL;
    }
    qemu_chr_close_msgfds(chr);
    if (chr->owns_fds && chr->rfd >= 0) {
        close(chr->rfd);
        if (chr->wfd != chr->rfd) {
            close(chr->wfd);
        }
    }
    chr->rfd = -1;
    chr->wfd = -1;
}

void qemu_chr_detach_stream(Chardev *chr)
{
    ChardevClass *cc = CHARDEV_GET_CLASS(chr);

    if (!qemu_chr_is_connected(chr)) {
        return;
    }
    qemu_chr_release_stream(chr);
    if (cc->hangup) {
        cc->hangup(chr);
    }
    chr_send_event(chr, CHR_EVENT_CLOSED);
}

/* Waits until fd is writable (or broken: the next write reports it). */
static void chr_wait_writable(int fd)
{
    struct pollfd pfd = {.fd = fd, .events = POLLOUT};

    while (poll(&pfd, 1, -1) < 0 && errno == EINTR) {
    }
}

int qemu_chr_write_stream(Chardev *chr, const uint8_t *buf, int len)
{
    int done = 0;

    if (!qemu_chr_is_connected(chr)) {
        return -1;
    }
    while (done < len) {
        ssize_t n;

        if (chr->is_socket) {
            n = send(chr->wfd, buf + done, len - done, MSG_NOSIGNAL);
        } else {
            n = write(chr->wfd, buf + done, len - done);
        }
        if (n >= 0) {
            done += n;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            chr_wait_writable(chr->wfd);
        } else if (errno != EINTR) {
            /* the hang-up itself is noticed by the read side */
            return -1;
        }
    }
    return len;
}
