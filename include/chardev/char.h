/*
 * Character devices: the byte streams QMP monitors and qtest talk over.
 * Backends: "socket" (unix path, client or server; or an inherited fd) and
 * "stdio". Chardevs are QOM objects under /chardevs/<id>.
 */
#ifndef CHARDEV_CHAR_H
#define CHARDEV_CHAR_H

#include "qom/object.h"
#include "qemu/keyval.h"

#define TYPE_CHARDEV "chardev"
#define TYPE_CHARDEV_SOCKET "chardev-socket"
#define TYPE_CHARDEV_STDIO "chardev-stdio"

typedef struct Chardev Chardev;

typedef enum QEMUChrEvent {
    CHR_EVENT_OPENED, /* a peer connected */
    CHR_EVENT_CLOSED, /* the peer went away */
} QEMUChrEvent;

typedef int IOCanReadHandler(void *opaque);
typedef void IOReadHandler(void *opaque, const uint8_t *buf, int size);
typedef void IOEventHandler(void *opaque, QEMUChrEvent event);

/* A frontend's (monitor's, qtest's) attachment to a chardev. */
typedef struct CharBackend {
    Chardev *chr;
    IOEventHandler *chr_event;
    IOCanReadHandler *chr_can_read;
    IOReadHandler *chr_read;
    void *opaque;
} CharBackend;

/* Fails if the chardev already has a frontend. */
bool qemu_chr_fe_init(CharBackend *b, Chardev *s, Error **errp);
void qemu_chr_fe_deinit(CharBackend *b, bool del);
/* Installs handlers; if already connected, CHR_EVENT_OPENED is delivered. */
void qemu_chr_fe_set_handlers(CharBackend *b, IOCanReadHandler *can_read,
                              IOReadHandler *read, IOEventHandler *event,
                              void *opaque);
/* Blocking write of all bytes; returns len or -1 when disconnected. */
int qemu_chr_fe_write_all(CharBackend *b, const uint8_t *buf, int len);
/* Takes up to num fds received with the last read (SCM_RIGHTS); the
 * caller owns them. Returns the count. */
int qemu_chr_fe_get_msgfds(CharBackend *b, int *fds, int num);
void qemu_chr_fe_disconnect(CharBackend *b);
bool qemu_chr_fe_backend_connected(CharBackend *b);

Chardev *qemu_chr_find(const char *id);
/* -chardev BACKEND,id=ID,... (BACKEND is the implied first key). */
Chardev *qemu_chr_new_from_opts(Keyval *opts, Error **errp);
/*
 * Legacy spec used by -qmp/-qtest/-serial:
 *   "unix:PATH[,server=on|off][,wait=on|off]", "stdio", "fd:N".
 * "-qtest unix:PATH" is a client connection to a listening test.
 */
Chardev *qemu_chr_new(const char *id, const char *spec, Error **errp);
/* Waits for a client on server sockets created with wait=on. */
bool qemu_chr_wait_connected(Chardev *chr, Error **errp);
const char *qemu_chr_get_id(Chardev *chr);

#endif
