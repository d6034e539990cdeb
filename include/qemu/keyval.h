/*
 * The "key=value,key2=value2" option syntax of the command line.
 *
 *  - ",," inside a value stands for a literal ",";
 *  - the first item may omit "key=" when the option has an implied key
 *    (e.g. -device vfio-pci,... implies "driver", -machine virt,... "type");
 *  - a bare "help" or "?" item asks for help (reported via *help);
 *  - a bare "flag" with no '=' means flag=on for options that allow it
 *    (only when allow_bare_flags is true; otherwise it is an error).
 * Order is preserved; later duplicates are kept (the consumer decides).
 */
#ifndef QEMU_KEYVAL_H
#define QEMU_KEYVAL_H

#include "qemu/osdep.h"
#include "qemu/error.h"

typedef struct KeyvalItem {
    char *key;
    char *value;
} KeyvalItem;

typedef struct Keyval {
    GPtrArray *items; /* KeyvalItem* in command-line order */
} Keyval;

Keyval *keyval_parse(const char *params, const char *implied_key,
                     bool allow_bare_flags, bool *help, Error **errp);
void keyval_free(Keyval *kv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Keyval, keyval_free)
/* Last value for key, or NULL. */
const char *keyval_get(const Keyval *kv, const char *key);
/* Removes every item with key; returns the last value (caller frees). */
char *keyval_take(Keyval *kv, const char *key);
void keyval_set(Keyval *kv, const char *key, const char *value);
/* Converts to a JsonObject of string members (later keys win). */
JsonObject *keyval_to_json_object(const Keyval *kv);

/* Parses "on|off|yes|no|true|false"; error names the option. */
bool qemu_parse_bool(const char *name, const char *value, bool *out,
                     Error **errp);
/* Integers with base 0 (0x.., 0.., decimal); full-string match. */
bool qemu_strtou64(const char *s, uint64_t *out);
bool qemu_strtoi64(const char *s, int64_t *out);
/* Sizes with optional suffix k/K M G T P E (binary); bare number uses
 * default_suffix_shift (0 for bytes, 20 for -m's MiB). */
bool qemu_strtosz(const char *s, unsigned default_suffix_shift,
                  uint64_t *out);

/* Parses a whole JSON document that must be an object (the -device '{..}'
 * form). Errors name the option. */
JsonObject *qemu_parse_json_object(const char *text, Error **errp);
/*
 * Parses one whole JSON document of any type, strictly: integers must fit
 * in int64, duplicate member names and trailing text are errors
 * ("JSON parse error at offset N: ..."). Single-quoted strings are
 * accepted, as QEMU does.
 */
JsonNode *qemu_json_parse(const char *text, Error **errp);

#endif
