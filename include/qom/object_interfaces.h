/*
 * user-creatable: the interface of objects made by -object and object-add
 * (iommufd, memory-backend-ram, monitor-qmp, acpi-generic-initiator ...).
 */
#ifndef QOM_OBJECT_INTERFACES_H
#define QOM_OBJECT_INTERFACES_H

#include "qom/object.h"

#define TYPE_USER_CREATABLE "user-creatable"

typedef struct UserCreatableClass {
    InterfaceClass parent_class;
    /* Runs after all properties are set; may refuse the object. */
    bool (*complete)(Object *obj, Error **errp);
    /* object-del refuses while this returns false (e.g. still in use). */
    bool (*can_be_deleted)(Object *obj);
} UserCreatableClass;

#define USER_CREATABLE_CLASS(klass)                                            \
    OBJECT_CLASS_CHECK(UserCreatableClass, klass, TYPE_USER_CREATABLE)
#define USER_CREATABLE_GET_CLASS(obj)                                          \
    OBJECT_GET_CLASS(UserCreatableClass, obj, TYPE_USER_CREATABLE)

bool user_creatable_complete(Object *obj, Error **errp);
bool user_creatable_can_be_deleted(Object *obj);

/*
 * Creates an object of type under /objects/<id>, sets props and completes
 * it. props holds typed JSON values (strict) when from_json is true, else
 * string values (key=value form) parsed per property type. Any failure
 * leaves nothing behind. The returned object belongs to the tree: the
 * caller gets no reference of its own.
 */
Object *user_creatable_add_type(const char *type, const char *id,
                                JsonObject *props, bool from_json,
                                Error **errp);
/* object-del: removes /objects/<id>. */
bool user_creatable_del(const char *id, Error **errp);
/* Validates an id: letters, digits, '-', '.', '_', starting with a letter. */
bool id_wellformed(const char *id);

/*
 * Prints "-object help" (list of user-creatable types) or
 * "-object TYPE,help" (its properties). Returns true if it printed.
 */
void user_creatable_print_types(void);
bool user_creatable_print_type_properites(const char *type, Error **errp);

#endif
