/*
 * Common includes and small helpers every source file starts with.
 */
#ifndef QEMU_OSDEP_H
#define QEMU_OSDEP_H

#define _GNU_SOURCE 1

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/types.h>
#include <sys/queue.h>
#include "qemu/queue.h"

#include <glib.h>
#include <json-glib/json-glib.h>

typedef uint64_t hwaddr;
#define HWADDR_MAX UINT64_MAX
#define HWADDR_PRIx PRIx64

#define QEMU_NORETURN __attribute__((noreturn))
#define QEMU_PRINTF(fmt_idx, arg_idx)                                          \
    __attribute__((format(printf, fmt_idx, arg_idx)))
#define QEMU_UNUSED __attribute__((unused))

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define container_of(ptr, type, member)                                        \
    ((type *)((char *)(ptr) - offsetof(type, member)))

#define QEMU_ALIGN_DOWN(n, m) ((n) / (m) * (m))
#define QEMU_ALIGN_UP(n, m) QEMU_ALIGN_DOWN((n) + (m) - 1, (m))
#define QEMU_IS_ALIGNED(n, m) (((n) % (m)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define TiB (1ULL << 40)

/* Name of this binary's target, e.g. "aarch64"; defined per executable. */
extern const char *const qemu_target_name;

#endif
