/*
 * The object tree: child and link properties, paths and their resolution.
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "qom-internal.h"

typedef struct LinkProperty {
    Object **targetp; /* instance links */
    ptrdiff_t offset; /* class links: field offset in the instance */
    bool is_class;
    char *target_type;
    LinkCheck check;
    ObjectPropertyLinkFlags flags;
} LinkProperty;

/* Children */

static JsonNode *child_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    g_autofree char *path = object_get_canonical_path(prop->opaque);

    return json_node_init_string(json_node_alloc(), path ? path : "");
}

static void child_release(Object *obj, ObjectProperty *prop)
{
    Object *child = prop->opaque;

    if (child->klass->unparent) {
        child->klass->unparent(child);
    }
    child->parent = NULL;
    object_unref(child);
}

bool qom_property_is_child(const ObjectProperty *prop)
{
    return prop->release == child_release;
}

ObjectProperty *object_property_add_child(Object *obj, const char *name,
                                          Object *child)
{
    g_autofree char *type = NULL;
    ObjectProperty *prop;

    if (child->parent) {
        qom_abort("cannot add '%s' as child '%s': it already has a parent",
                  object_get_typename(child), name);
    }
    type = g_strdup_printf("child<%s>", object_get_typename(child));
    prop = object_property_add(obj, name, type, child_get, NULL, child_release,
                               child);
    object_ref(child);
    child->parent = obj;
    return prop;
}

void object_unparent(Object *obj)
{
    const char *name = object_get_canonical_path_component(obj);

    if (name) {
        object_property_del(obj->parent, name);
    }
}

/* Links */

static Object **link_targetp(Object *obj, LinkProperty *lp)
{
    return lp->is_class ? (Object **)((char *)obj + lp->offset) : lp->targetp;
}

static JsonNode *link_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    Object *target = *link_targetp(obj, prop->opaque);
    g_autofree char *path = target ? object_get_canonical_path(target) : NULL;

    return json_node_init_string(json_node_alloc(), path ? path : "");
}

static bool link_assign(Object *obj, ObjectProperty *prop, Object *target,
                        Error **errp)
{
    LinkProperty *lp = prop->opaque;
    Object **targetp = link_targetp(obj, lp);
    Object *old = *targetp;

    if (lp->check && !lp->check(obj, prop->name, target, errp)) {
        return false;
    }
    *targetp = target;
    if (lp->flags & OBJ_PROP_LINK_STRONG) {
        object_ref(target);
        object_unref(old);
    }
    return true;
}

static Object *resolve_link_path(const char *path, const char *type,
                                 Error **errp)
{
    bool ambiguous = false;
    Object *target = object_resolve_path_type(path, type, &ambiguous);

    if (target) {
        return target;
    }
    if (ambiguous) {
        error_setg(errp, "Path '%s' does not uniquely identify an object",
                   path);
        return NULL;
    }
    target = object_resolve_path(path, &ambiguous);
    if (target) {
        error_setg(errp, "Path '%s' is a '%s', not a '%s'", path,
                   object_get_typename(target), type);
    } else if (ambiguous) {
        error_setg(errp, "Path '%s' does not identify an object of type '%s'",
                   path, type);
    } else {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
                  path);
    }
    return NULL;
}

static bool link_set(Object *obj, ObjectProperty *prop, JsonNode *value,
                     Error **errp)
{
    LinkProperty *lp = prop->opaque;
    const char *path = object_node_get_str(value, prop->name, errp);
    Object *target = NULL;

    if (!path) {
        return false;
    }
    if (*path) {
        target = resolve_link_path(path, lp->target_type, errp);
        if (!target) {
            return false;
        }
    }
    return link_assign(obj, prop, target, errp);
}

static void link_release(Object *obj, ObjectProperty *prop)
{
    LinkProperty *lp = prop->opaque;
    Object **targetp = link_targetp(obj, lp);

    if (lp->flags & OBJ_PROP_LINK_STRONG) {
        object_unref(*targetp);
        *targetp = NULL;
    }
    if (!lp->is_class) {
        g_free(lp->target_type);
        g_free(lp);
    }
}

static LinkProperty *link_property_new(const char *type, LinkCheck check,
                                       ObjectPropertyLinkFlags flags)
{
    LinkProperty *lp = g_new0(LinkProperty, 1);

    lp->target_type = g_strdup(type);
    lp->check = check;
    lp->flags = flags;
    return lp;
}

ObjectProperty *object_property_add_link(Object *obj, const char *name,
                                         const char *type, Object **targetp,
                                         LinkCheck check,
                                         ObjectPropertyLinkFlags flags)
{
    LinkProperty *lp = link_property_new(type, check, flags);
    g_autofree char *full_type = g_strdup_printf("link<%s>", type);

    lp->targetp = targetp;
    /* Without a check the link is read-only, as in QEMU. */
    return object_property_add(obj, name, full_type, link_get,
                               check ? link_set : NULL, link_release, lp);
}

ObjectProperty *
object_class_property_add_link(ObjectClass *klass, const char *name,
                               const char *type, ptrdiff_t offset,
                               LinkCheck check, ObjectPropertyLinkFlags flags)
{
    LinkProperty *lp = link_property_new(type, check, flags);
    g_autofree char *full_type = g_strdup_printf("link<%s>", type);

    lp->offset = offset;
    lp->is_class = true;
    return object_class_property_add(klass, name, full_type, link_get,
                                     check ? link_set : NULL, link_release, lp);
}

bool object_property_allow_set_link(const Object *obj, const char *name,
                                    Object *val, Error **errp)
{
    return true;
}

bool object_property_set_link(Object *obj, const char *name, Object *value,
                              Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);
    g_autofree char *path = NULL;

    if (!prop) {
        return false;
    }
    if (prop->set == link_set) {
        /* Direct, so targets outside the tree can be linked as well. */
        LinkProperty *lp = prop->opaque;

        if (value && !object_dynamic_cast(value, lp->target_type)) {
            error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                       name, lp->target_type);
            return false;
        }
        return link_assign(obj, prop, value, errp);
    }
    path = value ? object_get_canonical_path(value) : g_strdup("");
    if (!path) {
        error_setg(errp,
                   "Cannot link '%s' to an object of type '%s' that is "
                   "not in the object tree",
                   name, object_get_typename(value));
        return false;
    }
    return object_property_set_str(obj, name, path, errp);
}

Object *object_property_get_link(Object *obj, const char *name, Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);
    g_autofree char *path = NULL;
    Object *target;

    if (!prop) {
        return NULL;
    }
    if (prop->get == link_get) {
        return *link_targetp(obj, prop->opaque);
    }
    path = object_property_get_str(obj, name, errp);
    if (!path || !*path) {
        return NULL;
    }
    target = object_resolve_path(path, NULL);
    if (!target) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
                  path);
    }
    return target;
}

/* Walking children */

static gint seq_cmp(gconstpointer a, gconstpointer b)
{
    uint64_t sa = qom_property_seq(*(ObjectProperty *const *)a);
    uint64_t sb = qom_property_seq(*(ObjectProperty *const *)b);

    return sa < sb ? -1 : sa > sb;
}

/* Children in insertion order, each with a reference held. */
static GPtrArray *children_snapshot(Object *obj)
{
    GPtrArray *props = g_ptr_array_new();
    GPtrArray *kids = g_ptr_array_new_with_free_func(object_unref);
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init(&iter, obj->properties);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        if (qom_property_is_child(value)) {
            g_ptr_array_add(props, value);
        }
    }
    g_ptr_array_sort(props, seq_cmp);
    for (guint i = 0; i < props->len; i++) {
        ObjectProperty *prop = g_ptr_array_index(props, i);

        g_ptr_array_add(kids, object_ref(prop->opaque));
    }
    g_ptr_array_unref(props);
    return kids;
}

static int child_foreach(Object *obj, int (*fn)(Object *child, void *opaque),
                         void *opaque, bool recurse)
{
    GPtrArray *kids = children_snapshot(obj);
    int ret = 0;

    for (guint i = 0; i < kids->len && !ret; i++) {
        Object *child = g_ptr_array_index(kids, i);

        /* fn may have removed a later sibling already. */
        if (child->parent != obj) {
            continue;
        }
        ret = fn(child, opaque);
        if (!ret && recurse) {
            ret = child_foreach(child, fn, opaque, true);
        }
    }
    g_ptr_array_unref(kids);
    return ret;
}

int object_child_foreach(Object *obj, int (*fn)(Object *child, void *opaque),
                         void *opaque)
{
    return child_foreach(obj, fn, opaque, false);
}

int object_child_foreach_recursive(Object *obj,
                                   int (*fn)(Object *child, void *opaque),
                                   void *opaque)
{
    return child_foreach(obj, fn, opaque, true);
}

/* Paths */

Object *object_get_root(void)
{
    static Object *root;

    if (!root) {
        root = object_new(TYPE_CONTAINER);
    }
    return root;
}

Object *object_get_container(const char *name)
{
    return container_get(object_get_root(), name);
}

Object *object_get_objects_root(void)
{
    return object_get_container("objects");
}

const char *object_get_canonical_path_component(const Object *obj)
{
    GHashTableIter iter;
    gpointer value;

    if (!obj->parent) {
        return NULL;
    }
    g_hash_table_iter_init(&iter, obj->parent->properties);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        ObjectProperty *prop = value;

        if (qom_property_is_child(prop) && prop->opaque == obj) {
            return prop->name;
        }
    }
    return NULL;
}

char *object_get_canonical_path(const Object *obj)
{
    Object *root = object_get_root();
    GString *path;

    if (obj == root) {
        return g_strdup("/");
    }
    path = g_string_new(NULL);
    for (; obj != root; obj = obj->parent) {
        const char *name = object_get_canonical_path_component(obj);

        if (!name) {
            /* Not attached to the root. */
            g_string_free(path, TRUE);
            return NULL;
        }
        g_string_prepend(path, name);
        g_string_prepend_c(path, '/');
    }
    return g_string_free(path, FALSE);
}

Object *object_resolve_path_component(Object *parent, const char *part)
{
    ObjectProperty *prop = object_property_find(parent, part);

    if (!prop) {
        return NULL;
    }
    if (qom_property_is_child(prop)) {
        return prop->opaque;
    }
    if (prop->get == link_get) {
        return *link_targetp(parent, prop->opaque);
    }
    return NULL;
}

static Object *resolve_abs(Object *obj, char **parts, const char *typename)
{
    for (; obj && *parts; parts++) {
        if (**parts) {
            obj = object_resolve_path_component(obj, *parts);
        }
    }
    return object_dynamic_cast(obj, typename);
}

/*
 * Matches parts below obj or any of its descendants. Descends through
 * child properties only, so link cycles cannot loop.
 */
static Object *resolve_partial(Object *obj, char **parts, const char *typename,
                               bool *ambiguous)
{
    Object *found = resolve_abs(obj, parts, typename);
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init(&iter, obj->properties);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        Object *hit;

        if (!qom_property_is_child(value)) {
            continue;
        }
        hit = resolve_partial(((ObjectProperty *)value)->opaque, parts,
                              typename, ambiguous);
        if (*ambiguous) {
            return NULL;
        }
        if (hit && found && hit != found) {
            *ambiguous = true;
            return NULL;
        }
        if (hit) {
            found = hit;
        }
    }
    return found;
}

Object *object_resolve_path_type(const char *path, const char *typename,
                                 bool *ambiguous)
{
    bool dummy;
    char **parts;
    Object *obj;

    if (!ambiguous) {
        ambiguous = &dummy;
    }
    *ambiguous = false;
    if (!*path) {
        return NULL;
    }
    parts = g_strsplit(path, "/", 0);
    if (path[0] == '/') {
        obj = resolve_abs(object_get_root(), parts, typename);
    } else {
        obj = resolve_partial(object_get_root(), parts, typename, ambiguous);
    }
    g_strfreev(parts);
    return obj;
}

Object *object_resolve_path(const char *path, bool *ambiguous)
{
    return object_resolve_path_type(path, TYPE_OBJECT, ambiguous);
}
