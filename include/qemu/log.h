/*
 * Diagnostic log categories selected with -d (e.g. -d guest_errors).
 * A message is printed to stderr only when its category is enabled.
 */
#ifndef QEMU_LOG_H
#define QEMU_LOG_H

#include "qemu/osdep.h"

#define LOG_UNIMP (1 << 10)       /* "unimp": unimplemented functionality */
#define LOG_GUEST_ERROR (1 << 11) /* "guest_errors": illegal guest actions */

extern int qemu_loglevel;

static inline bool qemu_loglevel_mask(int mask)
{
    return (qemu_loglevel & mask) != 0;
}

void qemu_set_log_mask(int mask);
void qemu_log(const char *fmt, ...) QEMU_PRINTF(1, 2);

#define qemu_log_mask(mask, ...)                                               \
    do {                                                                       \
        if (qemu_loglevel_mask(mask)) {                                        \
            qemu_log(__VA_ARGS__);                                             \
        }                                                                      \
    } while (0)

/* Parses a -d list such as "guest_errors,unimp"; 0 if an item is unknown. */
int qemu_str_to_log_mask(const char *str);
/* Lists the -d items (for "-d help" and after a parse failure). */
void qemu_print_log_usage(FILE *f);

#endif
