/*
 * The frontend side of a chardev: attach, handlers, writes, fds.
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"

bool qemu_chr_fe_init(CharBackend *b, Chardev *s, Error **errp)
{
    if (s->be) {
        error_setg(errp, "Chardev '%s' is busy", s->label);
        return false;
    }
    memset(b, 0, sizeof(*b));
    b->chr = s;
    s->be = b;
    return true;
}

void qemu_chr_fe_deinit(CharBackend *b, bool del)
{
    Chardev *chr = b->chr;

    if (!chr) {
        return;
    }
    if (chr->be == b) {
        chr->be = NULL;
    }
    memset(b, 0, sizeof(*b));
    if (del) {
        object_unparent(OBJECT(chr));
    }
}

void qemu_chr_fe_set_handlers(CharBackend *b, IOCanReadHandler *can_read,
                              IOReadHandler *read, IOEventHandler *event,
                              void *opaque)
{
    b->chr_can_read = can_read;
    b->chr_read = read;
    b->chr_event = event;
    b->opaque = opaque;
    if (b->chr && event && qemu_chr_is_connected(b->chr)) {
        event(opaque, CHR_EVENT_OPENED);
    }
}

int qemu_chr_fe_write_all(CharBackend *b, const uint8_t *buf, int len)
{
    return b->chr ? qemu_chr_write_stream(b->chr, buf, len) : -1;
}

int qemu_chr_fe_get_msgfds(CharBackend *b, int *fds, int num)
{
    Chardev *chr = b->chr;
    int n;

    if (!chr || num <= 0) {
        return 0;
    }
    n = MIN(num, chr->n_msgfds);
    if (n == 0) {
        return 0;
    }
    memcpy(fds, chr->msgfds, n * sizeof(int));
    chr->n_msgfds -= n;
    memmove(chr->msgfds, chr->msgfds + n, chr->n_msgfds * sizeof(int));
    return n;
}

void qemu_chr_fe_disconnect(CharBackend *b)
{
    if (b->chr) {
        qemu_chr_detach_stream(b->chr);
    }
}

bool qemu_chr_fe_backend_connected(CharBackend *b)
{
    return b->chr != NULL;
}
