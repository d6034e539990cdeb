/*
 * Chardev internals shared by the core and the backends.
 *
 * The core owns the connected stream (read/write fds, the main-loop
 * source that reads it, fds received with SCM_RIGHTS) and delivers
 * events to the frontend; a backend decides how a stream gets
 * connected (connect, accept, stdin/stdout) and what a hang-up means.
 */
#ifndef CHARDEV_INTERNAL_H
#define CHARDEV_INTERNAL_H

#include "chardev/char.h"

#define CHARDEV(obj) OBJECT_CHECK(Chardev, (obj), TYPE_CHARDEV)
#define CHARDEV_CLASS(klass)                                                   \
    OBJECT_CLASS_CHECK(ChardevClass, (klass), TYPE_CHARDEV)
#define CHARDEV_GET_CLASS(obj)                                                 \
    OBJECT_GET_CLASS(ChardevClass, (obj), TYPE_CHARDEV)

typedef struct ChardevClass {
    ObjectClass parent_class;
    /* -chardev backend name ("socket", "stdio"). */
    const char *backend;
    /* Option keys the backend accepts besides "id"; NULL-terminated. */
    const char *const *options;
    /* opts holds only accepted keys, with string values. */
    bool (*open)(Chardev *chr, JsonObject *opts, Error **errp);
    /* Runs after the stream went away (EOF, error or disconnect). */
    void (*hangup)(Chardev *chr);
    /* Blocks until a peer is connected (server sockets). */
    bool (*wait_connected)(Chardev *chr, Error **errp);
} ChardevClass;

struct Chardev {
    Object parent_obj;
    char *label;
    CharBackend *be;
    /* The connected stream; -1 when disconnected. */
    int rfd;
    int wfd;
    bool is_socket;  /* rfd == wfd is a socket: recvmsg/send */
    bool owns_fds;   /* close rfd/wfd when the stream goes away */
    GSource *source; /* reads rfd into the frontend */
    /* fds received with the last read, not yet taken by the frontend */
    int *msgfds;
    int n_msgfds;
};

/* Connects the stream and tells the frontend (CHR_EVENT_OPENED). */
void qemu_chr_attach_stream(Chardev *chr, int rfd, int wfd, bool is_socket,
                            bool owns_fds);
/* Drops the stream, runs the backend's hangup, sends CHR_EVENT_CLOSED. */
void qemu_chr_detach_stream(Chardev *chr);
bool qemu_chr_is_connected(Chardev *chr);
int qemu_chr_write_stream(Chardev *chr, const uint8_t *buf, int len);
/* Teardown without events (finalize). */
void qemu_chr_release_stream(Chardev *chr);

/* Boolean option with the on/off spellings; *out untouched if absent. */
bool qemu_chr_opt_bool(JsonObject *opts, const char *key, bool *out,
                       Error **errp);
const char *qemu_chr_opt_str(JsonObject *opts, const char *key);

#endif
