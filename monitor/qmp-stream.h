/*
 * Splits a QMP byte stream into complete top-level JSON values.
 *
 * Bytes may arrive in any chunking. The splitter lexes strings, escapes,
 * numbers and keywords and checks the grammar as it goes, so a bad value
 * is reported at its first wrong byte instead of swallowing the commands
 * that follow. After an error it skips the rest of the broken value: up
 * to the point where its brackets balance, a newline, or (at top level)
 * whitespace or the start of a new object or array. A control character
 * other than whitespace, or a 0xFE/0xFF byte, resets it at once, which
 * a client can use to resynchronise.
 */
#ifndef MONITOR_QMP_STREAM_H
#define MONITOR_QMP_STREAM_H

#include "qemu/osdep.h"

/* Nesting and size ceilings of one value. */
#define QMP_STREAM_MAX_DEPTH 1024
#define QMP_STREAM_MAX_SIZE (64 * MiB)

typedef struct QmpStream QmpStream;

/*
 * Called with either a complete value (json, NUL-terminated text) or an
 * error message ("JSON parse error, ..."); the other argument is NULL.
 * The callback must not free the stream.
 */
typedef void QmpStreamEmit(void *opaque, const char *json, const char *error);

QmpStream *qmp_stream_new(QmpStreamEmit *emit, void *opaque);
void qmp_stream_free(QmpStream *s);
void qmp_stream_feed(QmpStream *s, const uint8_t *buf, size_t len);
/* Drops any partial value (e.g. when the client goes away). */
void qmp_stream_reset(QmpStream *s);

#endif
