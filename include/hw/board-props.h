/*
 * Board (machine) class properties backed by a field of the machine's
 * state struct: -machine virt,ras=on,gic-version=3,... Each gets a
 * description and a default shown by "-machine TYPE,help".
 */
#ifndef HW_BOARD_PROPS_H
#define HW_BOARD_PROPS_H

#include "qom/object.h"
#include "hw/core/qdev-properties.h"

void board_prop_add_bool(ObjectClass *oc, const char *name, size_t offset,
                         bool defval, const char *desc);
/* Field type OnOffAuto. */
void board_prop_add_on_off_auto(ObjectClass *oc, const char *name,
                                size_t offset, OnOffAuto defval,
                                const char *desc);
/* Field type uint64_t; takes k/M/G... suffixes. */
void board_prop_add_size(ObjectClass *oc, const char *name, size_t offset,
                         uint64_t defval, const char *desc);
/*
 * A string restricted to choices (NULL-terminated, kept by the caller);
 * the int field holds the index of the chosen string.
 */
void board_prop_add_choice(ObjectClass *oc, const char *name, size_t offset,
                           const char *const *choices, int defval,
                           const char *desc);

#endif
