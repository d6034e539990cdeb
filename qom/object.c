/*
 * Types, classes, instances and casts.
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "qom-internal.h"

struct TypeImpl {
    char *name;
    char *parent_name;
    struct TypeImpl *parent; /* resolved on first use */
    size_t class_size;
    size_t instance_size;
    void (*instance_init)(Object *obj);
    void (*instance_post_init)(Object *obj);
    void (*instance_finalize)(Object *obj);
    bool abstract;
    void (*class_base_init)(ObjectClass *klass, const void *data);
    void (*class_init)(ObjectClass *klass, const void *data);
    const void *class_data;
    const InterfaceInfo *interfaces;
    ObjectClass *klass; /* NULL until the class is initialized */
};
typedef struct TypeImpl TypeImpl;

/* name -> TypeImpl*; filled from constructors, so created on demand. */
static GHashTable *type_table;

void qom_abort(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vreport(fmt, ap);
    va_end(ap);
    abort();
}

static TypeImpl *type_lookup(const char *name)
{
    return type_table && name ? g_hash_table_lookup(type_table, name) : NULL;
}

static TypeImpl *type_new(const TypeInfo *info)
{
    TypeImpl *ti = g_new0(TypeImpl, 1);

    ti->name = g_strdup(info->name);
    ti->parent_name = g_strdup(info->parent);
    ti->class_size = info->class_size;
    ti->instance_size = info->instance_size;
    ti->instance_init = info->instance_init;
    ti->instance_post_init = info->instance_post_init;
    ti->instance_finalize = info->instance_finalize;
    ti->abstract = info->abstract;
    ti->class_base_init = info->class_base_init;
    ti->class_init = info->class_init;
    ti->class_data = info->class_data;
    ti->interfaces = info->interfaces;
    return ti;
}

Type type_register_static(const TypeInfo *info)
{
    TypeImpl *ti;

    if (!info->name) {
        qom_abort("type registered without a name");
    }
    if (!type_table) {
        type_table = g_hash_table_new(g_str_hash, g_str_equal);
    }
    if (type_lookup(info->name)) {
        qom_abort("type '%s' is registered twice", info->name);
    }
    ti = type_new(info);
    g_hash_table_insert(type_table, ti->name, ti);
    return ti;
}

void type_register_static_array(const TypeInfo *infos, int nr_infos)
{
    for (int i = 0; i < nr_infos; i++) {
        type_register_static(&infos[i]);
    }
}

static TypeImpl *type_get_parent(TypeImpl *ti)
{
    if (!ti->parent && ti->parent_name) {
        ti->parent = type_lookup(ti->parent_name);
        if (!ti->parent) {
            qom_abort("type '%s' has unknown parent type '%s'", ti->name,
                      ti->parent_name);
        }
    }
    return ti->parent;
}

static bool type_is_ancestor(TypeImpl *ti, TypeImpl *ancestor)
{
    for (; ti; ti = type_get_parent(ti)) {
        if (ti == ancestor) {
            return true;
        }
    }
    return false;
}

static bool type_is_interface(TypeImpl *ti)
{
    return type_is_ancestor(ti, type_lookup(TYPE_INTERFACE));
}

static size_t type_class_size(TypeImpl *ti)
{
    if (ti->class_size) {
        return ti->class_size;
    }
    return type_get_parent(ti) ? type_class_size(ti->parent)
                               : sizeof(ObjectClass);
}

static size_t type_instance_size(TypeImpl *ti)
{
    if (ti->instance_size) {
        return ti->instance_size;
    }
    return type_get_parent(ti) ? type_instance_size(ti->parent) : 0;
}

static void type_initialize(TypeImpl *ti);

/*
 * Gives ti's class its own copy of an interface class. The copy is a
 * class of a private, unnamed type derived from parent (the interface
 * itself, or the copy an ancestor class holds, whose methods it inherits).
 */
static void type_add_interface(TypeImpl *ti, TypeImpl *iface, TypeImpl *parent)
{
    TypeImpl *copy = g_new0(TypeImpl, 1);
    InterfaceClass *ic;

    copy->name = g_strdup_printf("%s::%s", ti->name, iface->name);
    copy->parent_name = g_strdup(parent->name);
    copy->parent = parent;
    copy->abstract = true;
    type_initialize(copy);
    ic = (InterfaceClass *)copy->klass;
    ic->concrete_class = ti->klass;
    ic->interface_type = iface;
    ti->klass->interfaces = g_slist_append(ti->klass->interfaces, ic);
}

static bool class_has_interface(ObjectClass *klass, TypeImpl *iface)
{
    for (GSList *l = klass->interfaces; l; l = l->next) {
        InterfaceClass *ic = l->data;

        if (type_is_ancestor(ic->interface_type, iface)) {
            return true;
        }
    }
    return false;
}

static void type_initialize_interfaces(TypeImpl *ti, TypeImpl *parent)
{
    for (GSList *l = parent->klass->interfaces; l; l = l->next) {
        InterfaceClass *ic = l->data;

        type_add_interface(ti, ic->interface_type, OBJECT_CLASS(ic)->type);
    }
    for (const InterfaceInfo *ii = ti->interfaces; ii && ii->type; ii++) {
        TypeImpl *iface = type_lookup(ii->type);

        if (!iface || !type_is_interface(iface)) {
            qom_abort("type '%s' implements '%s', which is not an interface",
                      ti->name, ii->type);
        }
        if (!class_has_interface(ti->klass, iface)) {
            type_add_interface(ti, iface, iface);
        }
    }
}

static void type_initialize(TypeImpl *ti)
{
    TypeImpl *parent = type_get_parent(ti);
    size_t class_size;

    if (ti->klass) {
        return;
    }
    class_size = type_class_size(ti);
    if (parent) {
        type_initialize(parent);
        if (class_size < type_class_size(parent) ||
            type_instance_size(ti) < type_instance_size(parent)) {
            qom_abort("type '%s' is smaller than its parent '%s'", ti->name,
                      parent->name);
        }
    }
    if (type_is_interface(ti)) {
        ti->abstract = true;
    }
    ti->klass = g_malloc0(class_size);
    if (parent) {
        memcpy(ti->klass, parent->klass, type_class_size(parent));
    }
    ti->klass->type = ti;
    ti->klass->interfaces = NULL;
    ti->klass->properties =
        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, qom_property_free);
    if (parent) {
        type_initialize_interfaces(ti, parent);
    }
    for (TypeImpl *p = parent; p; p = type_get_parent(p)) {
        if (p->class_base_init) {
            p->class_base_init(ti->klass, ti->class_data);
        }
    }
    if (ti->class_init) {
        ti->class_init(ti->klass, ti->class_data);
    }
}

/* Classes */

ObjectClass *object_class_by_name(const char *typename)
{
    TypeImpl *ti = type_lookup(typename);

    if (!ti) {
        return NULL;
    }
    type_initialize(ti);
    return ti->klass;
}

ObjectClass *object_class_get_parent(ObjectClass *klass)
{
    TypeImpl *parent = type_get_parent(klass->type);

    if (!parent) {
        return NULL;
    }
    type_initialize(parent);
    return parent->klass;
}

const char *object_class_get_name(ObjectClass *klass)
{
    return klass->type->name;
}

bool object_class_is_abstract(ObjectClass *klass)
{
    return klass->type->abstract;
}

ObjectClass *object_class_dynamic_cast(ObjectClass *klass, const char *typename)
{
    TypeImpl *target;
    ObjectClass *found = NULL;

    if (!klass) {
        return NULL;
    }
    if (!strcmp(klass->type->name, typename)) {
        return klass;
    }
    target = type_lookup(typename);
    if (!target) {
        return NULL;
    }
    if (klass->interfaces && type_is_interface(target)) {
        for (GSList *l = klass->interfaces; l; l = l->next) {
            ObjectClass *ic = l->data;

            if (type_is_ancestor(ic->type, target)) {
                if (found) {
                    return NULL; /* ambiguous */
                }
                found = ic;
            }
        }
        return found;
    }
    return type_is_ancestor(klass->type, target) ? klass : NULL;
}

ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass,
                                              const char *typename,
                                              const char *file, int line)
{
    ObjectClass *ret;

    if (!klass) {
        return NULL;
    }
    ret = object_class_dynamic_cast(klass, typename);
    if (!ret) {
        qom_abort("%s:%d: class '%s' is not a '%s'", file, line,
                  klass->type->name, typename);
    }
    return ret;
}

static gint class_name_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(object_class_get_name((ObjectClass *)a),
                  object_class_get_name((ObjectClass *)b));
}

GSList *object_class_get_list(const char *implements_type,
                              bool include_abstract)
{
    GSList *list = NULL;
    GList *types;

    if (!type_table) {
        return NULL;
    }
    /* Initializing a class may not touch the table while it is walked. */
    types = g_hash_table_get_values(type_table);
    for (GList *l = types; l; l = l->next) {
        TypeImpl *ti = l->data;

        type_initialize(ti);
        if (!include_abstract && ti->abstract) {
            continue;
        }
        if (implements_type &&
            !object_class_dynamic_cast(ti->klass, implements_type)) {
            continue;
        }
        list = g_slist_prepend(list, ti->klass);
    }
    g_list_free(types);
    return list;
}

GSList *object_class_get_list_sorted(const char *implements_type,
                                     bool include_abstract)
{
    return g_slist_sort(
        object_class_get_list(implements_type, include_abstract),
        class_name_cmp);
}

/* Instances */

static void object_init_type(Object *obj, TypeImpl *ti)
{
    if (type_get_parent(ti)) {
        object_init_type(obj, ti->parent);
    }
    if (ti->instance_init) {
        ti->instance_init(obj);
    }
}

static void object_post_init_type(Object *obj, TypeImpl *ti)
{
    if (type_get_parent(ti)) {
        object_post_init_type(obj, ti->parent);
    }
    if (ti->instance_post_init) {
        ti->instance_post_init(obj);
    }
}

static TypeImpl *type_for_new(const char *typename)
{
    TypeImpl *ti = type_lookup(typename);

    if (!ti) {
        qom_abort("cannot create an object of unknown type '%s'",
                  typename ? typename : "(null)");
    }
    type_initialize(ti);
    if (ti->abstract) {
        qom_abort("cannot create an object of abstract type '%s'", ti->name);
    }
    return ti;
}

static void object_init_with_type(Object *obj, TypeImpl *ti)
{
    obj->klass = ti->klass;
    obj->ref = 1;
    obj->properties =
        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, qom_property_free);
    qom_class_properties_init(obj);
    object_init_type(obj, ti);
    object_post_init_type(obj, ti);
}

static Object *object_new_with_type(TypeImpl *ti)
{
    Object *obj = g_malloc0(type_instance_size(ti));

    obj->free = g_free;
    object_init_with_type(obj, ti);
    return obj;
}

Object *object_new(const char *typename)
{
    return object_new_with_type(type_for_new(typename));
}

Object *object_new_with_class(ObjectClass *klass)
{
    return object_new_with_type(type_for_new(object_class_get_name(klass)));
}

void object_initialize(void *data, size_t size, const char *typename)
{
    TypeImpl *ti = type_for_new(typename);

    if (size < type_instance_size(ti)) {
        qom_abort("object of type '%s' needs %zu bytes, got %zu", ti->name,
                  type_instance_size(ti), size);
    }
    memset(data, 0, size);
    object_init_with_type(data, ti);
}

static void object_finalize(Object *obj)
{
    qom_properties_del_all(obj);
    for (TypeImpl *ti = obj->klass->type; ti; ti = type_get_parent(ti)) {
        if (ti->instance_finalize) {
            ti->instance_finalize(obj);
        }
    }
    if (obj->parent) {
        qom_abort("object of type '%s' finalized while still in the tree",
                  object_get_typename(obj));
    }
    if (obj->free) {
        obj->free(obj);
    }
}

Object *object_ref(void *p)
{
    Object *obj = p;

    if (obj) {
        __atomic_fetch_add(&obj->ref, 1, __ATOMIC_SEQ_CST);
    }
    return obj;
}

void object_unref(void *p)
{
    Object *obj = p;

    if (!obj) {
        return;
    }
    if (!obj->ref) {
        qom_abort("object of type '%s' unreferenced too often",
                  object_get_typename(obj));
    }
    if (__atomic_sub_fetch(&obj->ref, 1, __ATOMIC_SEQ_CST) == 0) {
        object_finalize(obj);
    }
}

ObjectClass *object_get_class(Object *obj)
{
    return obj->klass;
}

const char *object_get_typename(const Object *obj)
{
    return obj->klass->type->name;
}

Object *object_dynamic_cast(Object *obj, const char *typename)
{
    if (obj && object_class_dynamic_cast(obj->klass, typename)) {
        return obj;
    }
    return NULL;
}

Object *object_dynamic_cast_assert(Object *obj, const char *typename,
                                   const char *file, int line)
{
    if (obj && !object_dynamic_cast(obj, typename)) {
        qom_abort("%s:%d: object of type '%s' is not a '%s'", file, line,
                  object_get_typename(obj), typename);
    }
    return obj;
}

static char *object_get_type_prop(Object *obj, Error **errp)
{
    return g_strdup(object_get_typename(obj));
}

static void object_class_init(ObjectClass *klass, const void *data)
{
    /* Every object reports its type name, as qom-get PATH type does. */
    object_class_property_add_str(klass, "type", object_get_type_prop, NULL);
}

static const TypeInfo base_types[] = {
    {
        .name = TYPE_OBJECT,
        .instance_size = sizeof(Object),
        .class_size = sizeof(ObjectClass),
        .class_init = object_class_init,
        .abstract = true,
    },
    {
        .name = TYPE_INTERFACE,
        .class_size = sizeof(InterfaceClass),
        .abstract = true,
    },
};

DEFINE_TYPES(base_types)
