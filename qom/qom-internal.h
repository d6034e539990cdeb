/*
 * Helpers shared by the qom/ sources; not part of the public API.
 */
#ifndef QOM_INTERNAL_H
#define QOM_INTERNAL_H

#include "qom/object.h"

/* Reports a programming error and aborts. */
void qom_abort(const char *fmt, ...) QEMU_PRINTF(1, 2) QEMU_NORETURN;

/* Property records (allocated with an insertion sequence number). */
ObjectProperty *qom_property_new(const char *name, const char *type,
                                 ObjectPropertyGet get, ObjectPropertySet set,
                                 ObjectPropertyRelease release, void *opaque);
void qom_property_free(gpointer prop);
uint64_t qom_property_seq(const ObjectProperty *prop);
/* Runs the init hook of every class property on a new instance. */
void qom_class_properties_init(Object *obj);
/* Releases and frees every property of an object being finalized. */
void qom_properties_del_all(Object *obj);

/* Child properties. */
bool qom_property_is_child(const ObjectProperty *prop);
/* "Property '<owner>.<name>' does not accept value ..." */
void qom_enum_value_error(Error **errp, const char *owner, const char *name,
                          const char *value, const char *const *values);

#endif
