/*
 * Containers: plain objects that only group children ("/machine/peripheral",
 * "/objects").
 */
#include "qemu/osdep.h"
#include "qom/object.h"

Object *container_get(Object *root, const char *path)
{
    char **parts = g_strsplit(path, "/", 0);
    Object *obj = root;

    for (char **part = parts; *part; part++) {
        Object *child;

        if (!**part) {
            continue;
        }
        child = object_resolve_path_component(obj, *part);
        if (!child) {
            child = object_new(TYPE_CONTAINER);
            object_property_add_child(obj, *part, child);
            object_unref(child);
        }
        obj = child;
    }
    g_strfreev(parts);
    return obj;
}

static const TypeInfo container_info = {
    .name = TYPE_CONTAINER,
    .parent = TYPE_OBJECT,
};

static void container_register_types(void)
{
    type_register_static(&container_info);
}

type_init(container_register_types)
