/*
 * The object model: types with single inheritance and interfaces, classes,
 * instances with named, typed properties, and the object tree.
 *
 * Property values travel as json-glib JsonNode (the same values QMP carries).
 *  - object_property_set() is strictly typed (JSON -device, QMP qom-set,
 *    device_add, object-add): a bool property wants a JSON boolean, an
 *    integer property a JSON integer, enums and OnOffAuto a JSON string.
 *  - object_property_parse() takes the string form (key=value command
 *    line, -global, compat tables) and converts it according to the
 *    property's type name ("bool", "uint8".."uint64", "int", "size",
 *    "str", enums, "link<...>") before calling the setter.
 * Getters return a new JsonNode the caller frees with json_node_unref().
 *
 * Tree: "/" is the root; "/machine", "/objects" are containers; a child is
 * a property of type "child<TYPENAME>" holding a reference; a link is a
 * property of type "link<TYPENAME>" whose value is a path string.
 */
#ifndef QOM_OBJECT_H
#define QOM_OBJECT_H

#include "qemu/osdep.h"
#include "qemu/error.h"

typedef struct TypeImpl *Type;
typedef struct ObjectClass ObjectClass;
typedef struct Object Object;
typedef struct ObjectProperty ObjectProperty;
typedef struct InterfaceClass InterfaceClass;

#define TYPE_OBJECT "object"
#define TYPE_INTERFACE "interface"
#define TYPE_CONTAINER "container"

typedef JsonNode *(*ObjectPropertyGet)(Object *obj, ObjectProperty *prop,
                                       Error **errp);
typedef bool (*ObjectPropertySet)(Object *obj, ObjectProperty *prop,
                                  JsonNode *value, Error **errp);
typedef void (*ObjectPropertyRelease)(Object *obj, ObjectProperty *prop);
/* Called once on a newly created instance for a class property. */
typedef void (*ObjectPropertyInit)(Object *obj, ObjectProperty *prop);

struct ObjectProperty {
    char *name;
    char *type;        /* "bool", "uint32", "str", "OnOffAuto", "child<x>"... */
    char *description; /* shown by -device NAME,help and qom-list-properties */
    ObjectPropertyGet get;   /* NULL: write-only */
    ObjectPropertySet set;   /* NULL: read-only */
    ObjectPropertyRelease release;
    ObjectPropertyInit init;
    JsonNode *defval;  /* default value, or NULL if none is declared */
    /*
     * For enum-typed properties: NULL-terminated list of accepted strings
     * (used for string parsing, help output and error messages).
     */
    const char *const *enum_values;
    void *opaque;
    /*
     * Optional string-form converter for types the generic conversion
     * does not know (e.g. PCI "SLOT.FN" addresses); when set,
     * object_property_string_to_node uses it instead.
     */
    JsonNode *(*parse)(const ObjectProperty *prop, const char *str,
                       Error **errp);
};

typedef struct InterfaceInfo {
    const char *type;
} InterfaceInfo;

typedef struct TypeInfo {
    const char *name;
    const char *parent;
    size_t instance_size; /* 0: inherit the parent's */
    size_t class_size;    /* 0: inherit the parent's */
    void (*instance_init)(Object *obj);      /* parent first */
    void (*instance_post_init)(Object *obj); /* parent first, after init */
    void (*instance_finalize)(Object *obj);  /* child first */
    bool abstract;
    void (*class_base_init)(ObjectClass *klass, const void *data);
    void (*class_init)(ObjectClass *klass, const void *data);
    const void *class_data;
    const InterfaceInfo *interfaces; /* terminated by { NULL } */
} TypeInfo;

struct ObjectClass {
    Type type;
    GSList *interfaces;     /* InterfaceClass* implemented by this class */
    GHashTable *properties; /* name -> ObjectProperty* (class properties) */
    void (*unparent)(Object *obj);
};

struct Object {
    ObjectClass *klass;
    GHashTable *properties; /* name -> ObjectProperty* (instance) */
    uint32_t ref;
    Object *parent;
    void (*free)(void *obj); /* frees the memory; NULL when embedded */
};

/*
 * An interface type's class struct starts with InterfaceClass. Each class
 * implementing an interface gets its own copy of the interface class, so
 * its class_init can fill in the interface's methods:
 *   HotplugHandlerClass *hc = HOTPLUG_HANDLER_CLASS(oc);
 */
struct InterfaceClass {
    ObjectClass parent_class;
    ObjectClass *concrete_class;
    Type interface_type;
};

/* Registration (from a constructor: see type_init). */
Type type_register_static(const TypeInfo *info);
void type_register_static_array(const TypeInfo *infos, int nr_infos);
#define type_init(function)                                                    \
    static void __attribute__((constructor)) do_qemu_init_##function(void)     \
    {                                                                          \
        function();                                                            \
    }
#define DEFINE_TYPES(type_array)                                               \
    static void do_define_types_##type_array(void)                             \
    {                                                                          \
        type_register_static_array(type_array, ARRAY_SIZE(type_array));        \
    }                                                                          \
    type_init(do_define_types_##type_array)

/* Instances */
Object *object_new(const char *typename);
Object *object_new_with_class(ObjectClass *klass);
/*
 * Initializes an object embedded in a larger struct (size bytes at data,
 * at least the type's instance size); finalizing it frees nothing.
 */
void object_initialize(void *data, size_t size, const char *typename);
Object *object_ref(void *obj);
void object_unref(void *obj);
/* Removes obj from its parent's children (dropping that reference). */
void object_unparent(Object *obj);

/* Casts: return NULL on mismatch. */
Object *object_dynamic_cast(Object *obj, const char *typename);
/* Aborts with a message on mismatch; NULL passes through. */
Object *object_dynamic_cast_assert(Object *obj, const char *typename,
                                   const char *file, int line);
ObjectClass *object_class_dynamic_cast(ObjectClass *klass,
                                       const char *typename);
ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass,
                                              const char *typename,
                                              const char *file, int line);
ObjectClass *object_get_class(Object *obj);
const char *object_get_typename(const Object *obj);
ObjectClass *object_class_by_name(const char *typename);
ObjectClass *object_class_get_parent(ObjectClass *klass);
const char *object_class_get_name(ObjectClass *klass);
bool object_class_is_abstract(ObjectClass *klass);
/* Classes implementing/deriving from implements_type (NULL: all), sorted
 * by name when sorted is true. Free the list with g_slist_free. */
GSList *object_class_get_list(const char *implements_type,
                              bool include_abstract);
GSList *object_class_get_list_sorted(const char *implements_type,
                                     bool include_abstract);

#define OBJECT(obj) ((Object *)(obj))
#define OBJECT_CLASS(klass) ((ObjectClass *)(klass))
#define OBJECT_CHECK(type, obj, name)                                          \
    ((type *)object_dynamic_cast_assert(OBJECT(obj), (name), __FILE__,         \
                                        __LINE__))
#define OBJECT_CLASS_CHECK(class_type, klass, name)                            \
    ((class_type *)object_class_dynamic_cast_assert(OBJECT_CLASS(klass),       \
                                                    (name), __FILE__,          \
                                                    __LINE__))
#define OBJECT_GET_CLASS(class_type, obj, name)                                \
    OBJECT_CLASS_CHECK(class_type, object_get_class(OBJECT(obj)), name)

/*
 * Declares the usual cast helpers for a type:
 *   OBJECT_DECLARE_TYPE(SMMUv3State, SMMUv3Class, ARM_SMMUV3)
 * gives ARM_SMMUV3(obj), ARM_SMMUV3_CLASS(klass), ARM_SMMUV3_GET_CLASS(obj),
 * using the type name macro TYPE_ARM_SMMUV3.
 */
#define OBJECT_DECLARE_TYPE(InstanceType, ClassType, MODULE_OBJ_NAME)          \
    typedef struct InstanceType InstanceType;                                  \
    typedef struct ClassType ClassType;                                        \
    static inline QEMU_UNUSED InstanceType *MODULE_OBJ_NAME(const void *obj)   \
    {                                                                          \
        return OBJECT_CHECK(InstanceType, obj, TYPE_##MODULE_OBJ_NAME);        \
    }                                                                          \
    static inline QEMU_UNUSED ClassType *MODULE_OBJ_NAME##_CLASS(              \
        const void *klass)                                                     \
    {                                                                          \
        return OBJECT_CLASS_CHECK(ClassType, klass, TYPE_##MODULE_OBJ_NAME);   \
    }                                                                          \
    static inline QEMU_UNUSED ClassType *MODULE_OBJ_NAME##_GET_CLASS(          \
        const void *obj)                                                       \
    {                                                                          \
        return OBJECT_GET_CLASS(ClassType, obj, TYPE_##MODULE_OBJ_NAME);       \
    }
#define OBJECT_DECLARE_SIMPLE_TYPE(InstanceType, MODULE_OBJ_NAME)              \
    typedef struct InstanceType InstanceType;                                  \
    static inline QEMU_UNUSED InstanceType *MODULE_OBJ_NAME(const void *obj)   \
    {                                                                          \
        return OBJECT_CHECK(InstanceType, obj, TYPE_##MODULE_OBJ_NAME);        \
    }

/* Properties: definition */
ObjectProperty *object_property_add(Object *obj, const char *name,
                                    const char *type, ObjectPropertyGet get,
                                    ObjectPropertySet set,
                                    ObjectPropertyRelease release,
                                    void *opaque);
ObjectProperty *object_class_property_add(ObjectClass *klass,
                                          const char *name, const char *type,
                                          ObjectPropertyGet get,
                                          ObjectPropertySet set,
                                          ObjectPropertyRelease release,
                                          void *opaque);
void object_property_del(Object *obj, const char *name);
void object_property_set_description(Object *obj, const char *name,
                                     const char *description);
void object_class_property_set_description(ObjectClass *klass,
                                           const char *name,
                                           const char *description);
/*
 * Takes ownership of defval. Unless prop->init is already set, each new
 * instance then starts with the default, applied through the setter.
 */
void object_property_set_default(ObjectProperty *prop, JsonNode *defval);

/* Lookup: instance properties first, then class properties up the chain. */
ObjectProperty *object_property_find(Object *obj, const char *name);
/* As above; sets "Property '<type>.<name>' not found" when missing. */
ObjectProperty *object_property_find_err(Object *obj, const char *name,
                                         Error **errp);
ObjectProperty *object_class_property_find(ObjectClass *klass,
                                           const char *name);

/* Iteration over all properties (instance, then class chain). */
typedef struct ObjectPropertyIterator {
    ObjectClass *nextclass;
    GHashTableIter iter;
} ObjectPropertyIterator;
void object_property_iter_init(ObjectPropertyIterator *iter, Object *obj);
void object_class_property_iter_init(ObjectPropertyIterator *iter,
                                     ObjectClass *klass);
ObjectProperty *object_property_iter_next(ObjectPropertyIterator *iter);

/*
 * Properties: access. Error texts name "<typename>.<property>". The value
 * given to a setter is borrowed: the caller keeps (and drops) its ref.
 */
bool object_property_set(Object *obj, const char *name, JsonNode *value,
                         Error **errp);
bool object_property_parse(Object *obj, const char *name, const char *string,
                           Error **errp);
JsonNode *object_property_get(Object *obj, const char *name, Error **errp);
/* Renders a value as the string form (as "-device NAME,help" shows it). */
char *object_property_print(Object *obj, const char *name, Error **errp);

bool object_property_set_bool(Object *obj, const char *name, bool value,
                              Error **errp);
bool object_property_set_int(Object *obj, const char *name, int64_t value,
                             Error **errp);
bool object_property_set_uint(Object *obj, const char *name, uint64_t value,
                              Error **errp);
bool object_property_set_str(Object *obj, const char *name, const char *value,
                             Error **errp);
bool object_property_set_link(Object *obj, const char *name, Object *value,
                              Error **errp);
bool object_property_get_bool(Object *obj, const char *name, Error **errp);
int64_t object_property_get_int(Object *obj, const char *name, Error **errp);
uint64_t object_property_get_uint(Object *obj, const char *name,
                                  Error **errp);
char *object_property_get_str(Object *obj, const char *name, Error **errp);
Object *object_property_get_link(Object *obj, const char *name, Error **errp);

/*
 * String -> JsonNode conversion by property type name, as used by
 * object_property_parse. owner is the object's type name; errors name the
 * property as "<owner>.<name>".
 */
JsonNode *object_property_string_to_node(const char *owner,
                                          const ObjectProperty *prop,
                                          const char *string, Error **errp);

/*
 * Reading a JSON value inside a setter. A wrong JSON type fails with
 * "Invalid parameter type for '<name>', expected: boolean|integer|string".
 * Integers are int64; uint64 values above INT64_MAX travel as the same bit
 * pattern (json-glib has no unsigned integers).
 */
bool object_node_get_bool(JsonNode *value, const char *name, bool *out,
                          Error **errp);
bool object_node_get_int(JsonNode *value, const char *name, int64_t *out,
                         Error **errp);
const char *object_node_get_str(JsonNode *value, const char *name,
                                Error **errp);
/*
 * Reads a JSON string that must be one of the NULL-terminated values and
 * stores its index. Any other string fails with "Property
 * '<type of obj>.<name>' does not accept value '...' (valid values: ...)".
 */
bool object_node_get_enum(Object *obj, JsonNode *value, const char *name,
                          const char *const *values, int *out, Error **errp);

/*
 * One line of property help, as "-object TYPE,help" and "-device TYPE,help"
 * print it: "  name=<type>", padded, " - description (default: json)".
 */
char *object_property_help(const char *name, const char *type,
                           JsonNode *defval, const char *description);

/* Common property kinds backed by callbacks or plain fields. */
ObjectProperty *object_property_add_str(Object *obj, const char *name,
                                        char *(*get)(Object *, Error **),
                                        bool (*set)(Object *, const char *,
                                                    Error **));
ObjectProperty *object_class_property_add_str(
    ObjectClass *klass, const char *name, char *(*get)(Object *, Error **),
    bool (*set)(Object *, const char *, Error **));
ObjectProperty *object_property_add_bool(Object *obj, const char *name,
                                         bool (*get)(Object *, Error **),
                                         bool (*set)(Object *, bool,
                                                     Error **));
ObjectProperty *object_class_property_add_bool(
    ObjectClass *klass, const char *name, bool (*get)(Object *, Error **),
    bool (*set)(Object *, bool, Error **));
/* Enum given as string list; get/set exchange the index into values[]. */
ObjectProperty *object_class_property_add_enum(
    ObjectClass *klass, const char *name, const char *typename,
    const char *const *values, int (*get)(Object *, Error **),
    bool (*set)(Object *, int, Error **));
/* Read-only integer fields. */
ObjectProperty *object_property_add_uint8_ptr(Object *obj, const char *name,
                                              const uint8_t *v);
ObjectProperty *object_property_add_uint16_ptr(Object *obj, const char *name,
                                               const uint16_t *v);
ObjectProperty *object_property_add_uint32_ptr(Object *obj, const char *name,
                                               const uint32_t *v);
ObjectProperty *object_property_add_uint64_ptr(Object *obj, const char *name,
                                               const uint64_t *v);

/* Children and links */
ObjectProperty *object_property_add_child(Object *obj, const char *name,
                                          Object *child);
/* Checks a candidate target before a link is set; may refuse with errp. */
typedef bool (*LinkCheck)(const Object *obj, const char *name, Object *val,
                          Error **errp);
/* Strong links hold a reference on the target. */
typedef enum {
    OBJ_PROP_LINK_STRONG = 0x1,
} ObjectPropertyLinkFlags;
ObjectProperty *object_property_add_link(Object *obj, const char *name,
                                         const char *type, Object **targetp,
                                         LinkCheck check,
                                         ObjectPropertyLinkFlags flags);
/* Offset of the Object* field inside the instance struct. */
ObjectProperty *object_class_property_add_link(ObjectClass *klass,
                                               const char *name,
                                               const char *type,
                                               ptrdiff_t offset,
                                               LinkCheck check,
                                               ObjectPropertyLinkFlags flags);
bool object_property_allow_set_link(const Object *obj, const char *name,
                                    Object *val, Error **errp);

/* Iterates direct children (child<> properties) in insertion order;
 * stops and returns the first non-zero value of fn. */
int object_child_foreach(Object *obj, int (*fn)(Object *child, void *opaque),
                         void *opaque);
/* Depth-first over the whole subtree below obj. */
int object_child_foreach_recursive(Object *obj,
                                   int (*fn)(Object *child, void *opaque),
                                   void *opaque);

/* Tree and paths */
Object *object_get_root(void);
Object *object_get_objects_root(void); /* "/objects" */
Object *object_get_container(const char *name); /* child of root */
/* Returns the container at path below root, creating missing ones. */
Object *container_get(Object *root, const char *path);
/* Returns a new string "/machine/peripheral/foo"; "/" for the root. */
char *object_get_canonical_path(const Object *obj);
/* Last path component (the child property name), or NULL if unparented. */
const char *object_get_canonical_path_component(const Object *obj);
/*
 * Absolute path ("/machine/peripheral/x") or partial path ("x": any unique
 * match anywhere in the tree). *ambiguous is set when several match.
 */
Object *object_resolve_path(const char *path, bool *ambiguous);
Object *object_resolve_path_type(const char *path, const char *typename,
                                 bool *ambiguous);
Object *object_resolve_path_component(Object *parent, const char *part);

/* Interfaces */
#define INTERFACE_CLASS(klass)                                                 \
    OBJECT_CLASS_CHECK(InterfaceClass, klass, TYPE_INTERFACE)

#endif
