/*
 * The object model: types, interfaces, properties, the tree and
 * user-creatable objects.
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "qom/object_interfaces.h"

/* Records init/finalize order across the hierarchy. */
static GString *trace;

static void trace_add(const char *what)
{
    if (!trace) {
        trace = g_string_new(NULL);
    }
    g_string_append_printf(trace, "%s%s", trace->len ? "," : "", what);
}

static char *trace_take(void)
{
    char *s = g_strdup(trace ? trace->str : "");

    if (trace) {
        g_string_truncate(trace, 0);
    }
    return s;
}

#define assert_trace(expected)                                                 \
    do {                                                                       \
        g_autofree char *t_ = trace_take();                                    \
        g_assert_cmpstr(t_, ==, (expected));                                   \
    } while (0)

/* --- A small hierarchy: animal (abstract) <- dog <- puppy, dog <- cat --- */

#define TYPE_TEST_ANIMAL "test-animal"
#define TYPE_TEST_DOG "test-dog"
#define TYPE_TEST_PUPPY "test-puppy"
#define TYPE_TEST_SPEAKER "test-speaker"
#define TYPE_TEST_WALKER "test-walker"
#define TYPE_TEST_PLAIN "test-plain"

typedef struct TestAnimalClass {
    ObjectClass parent_class;
    int legs;
    int base_inits;
    const char *kind;
} TestAnimalClass;

typedef struct TestAnimal {
    Object parent_obj;
    int init_seen;
    Object *friend; /* class link "friend" */
    Object *buddy;  /* instance link "buddy" */
} TestAnimal;

typedef struct TestSpeakerClass {
    InterfaceClass parent_class;
    const char *(*speak)(Object *obj);
} TestSpeakerClass;

#define TEST_ANIMAL_CLASS(k)                                                   \
    OBJECT_CLASS_CHECK(TestAnimalClass, k, TYPE_TEST_ANIMAL)
#define TEST_SPEAKER_CLASS(k)                                                  \
    OBJECT_CLASS_CHECK(TestSpeakerClass, k, TYPE_TEST_SPEAKER)
#define TEST_SPEAKER_GET_CLASS(o)                                              \
    OBJECT_GET_CLASS(TestSpeakerClass, o, TYPE_TEST_SPEAKER)

static void animal_base_init(ObjectClass *oc, const void *data)
{
    TEST_ANIMAL_CLASS(oc)->base_inits++;
}

static void animal_class_init(ObjectClass *oc, const void *data)
{
    TEST_ANIMAL_CLASS(oc)->kind = "animal";
}

static void animal_init(Object *obj)
{
    trace_add("animal.init");
}

static void animal_post_init(Object *obj)
{
    trace_add("animal.post");
}

static void animal_finalize(Object *obj)
{
    trace_add("animal.fin");
}

static const char *dog_speak(Object *obj)
{
    return "woof";
}

static const char *puppy_speak(Object *obj)
{
    return "yip";
}

static void dog_class_init(ObjectClass *oc, const void *data)
{
    TestAnimalClass *ac = TEST_ANIMAL_CLASS(oc);

    g_assert_cmpstr(ac->kind, ==, "animal"); /* copied from the parent */
    ac->legs = 4;
    ac->kind = data;
    TEST_SPEAKER_CLASS(oc)->speak = dog_speak;
}

static void dog_init(Object *obj)
{
    trace_add("dog.init");
}

static void dog_post_init(Object *obj)
{
    trace_add("dog.post");
}

static void dog_finalize(Object *obj)
{
    trace_add("dog.fin");
}

static void puppy_class_init(ObjectClass *oc, const void *data)
{
    TestAnimalClass *ac = TEST_ANIMAL_CLASS(oc);

    g_assert_cmpint(ac->legs, ==, 4);
    g_assert_true(TEST_SPEAKER_CLASS(oc)->speak == dog_speak);
    TEST_SPEAKER_CLASS(oc)->speak = puppy_speak;
}

static void puppy_init(Object *obj)
{
    trace_add("puppy.init");
}

static void puppy_finalize(Object *obj)
{
    trace_add("puppy.fin");
}

static const TypeInfo hierarchy_types[] = {
    {
        .name = TYPE_TEST_ANIMAL,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(TestAnimal),
        .class_size = sizeof(TestAnimalClass),
        .abstract = true,
        .class_base_init = animal_base_init,
        .class_init = animal_class_init,
        .instance_init = animal_init,
        .instance_post_init = animal_post_init,
        .instance_finalize = animal_finalize,
    },
    {
        .name = TYPE_TEST_DOG,
        .parent = TYPE_TEST_ANIMAL,
        .class_init = dog_class_init,
        .class_data = "dog",
        .instance_init = dog_init,
        .instance_post_init = dog_post_init,
        .instance_finalize = dog_finalize,
        .interfaces = (const InterfaceInfo[]){{TYPE_TEST_SPEAKER}, {NULL}},
    },
    {
        .name = TYPE_TEST_PUPPY,
        .parent = TYPE_TEST_DOG,
        .class_init = puppy_class_init,
        .instance_init = puppy_init,
        .instance_finalize = puppy_finalize,
        .interfaces = (const InterfaceInfo[]){{TYPE_TEST_SPEAKER},
                                              {TYPE_TEST_WALKER},
                                              {NULL}},
    },
    {
        .name = TYPE_TEST_SPEAKER,
        .parent = TYPE_INTERFACE,
        .class_size = sizeof(TestSpeakerClass),
    },
    {
        .name = TYPE_TEST_WALKER,
        .parent = TYPE_INTERFACE,
    },
    {
        .name = TYPE_TEST_PLAIN,
        .parent = TYPE_OBJECT,
    },
};

DEFINE_TYPES(hierarchy_types)

static void test_class_init_order(void)
{
    ObjectClass *dog = object_class_by_name(TYPE_TEST_DOG);
    ObjectClass *puppy = object_class_by_name(TYPE_TEST_PUPPY);
    TestAnimalClass *ac;

    g_assert_nonnull(dog);
    g_assert_nonnull(puppy);
    g_assert_null(object_class_by_name("no-such-type"));
    ac = TEST_ANIMAL_CLASS(puppy);
    g_assert_cmpint(ac->legs, ==, 4);
    g_assert_cmpstr(ac->kind, ==, "dog");
    /* base_init of the animal ran once for each descendant class. */
    g_assert_cmpint(ac->base_inits, ==, 2);
    g_assert_cmpint(TEST_ANIMAL_CLASS(dog)->base_inits, ==, 1);
    g_assert_cmpstr(object_class_get_name(puppy), ==, TYPE_TEST_PUPPY);
    g_assert_true(object_class_get_parent(puppy) == dog);
    g_assert_null(object_class_get_parent(object_class_by_name(TYPE_OBJECT)));
    g_assert_true(
        object_class_is_abstract(object_class_by_name(TYPE_TEST_ANIMAL)));
    g_assert_true(
        object_class_is_abstract(object_class_by_name(TYPE_TEST_SPEAKER)));
    g_assert_false(object_class_is_abstract(dog));
}

static void test_instance_order(void)
{
    Object *obj;

    g_free(trace_take());
    obj = object_new(TYPE_TEST_PUPPY);
    assert_trace("animal.init,dog.init,puppy.init,animal.post,dog.post");
    g_assert_cmpstr(object_get_typename(obj), ==, TYPE_TEST_PUPPY);
    g_assert_cmpuint(obj->ref, ==, 1);
    g_assert_true(object_ref(obj) == obj);
    object_unref(obj);
    assert_trace("");
    object_unref(obj);
    assert_trace("puppy.fin,dog.fin,animal.fin");
    object_unref(NULL);
    g_assert_null(object_ref(NULL));
}

static void test_casts(void)
{
    Object *dog = object_new(TYPE_TEST_DOG);
    Object *puppy = object_new(TYPE_TEST_PUPPY);
    Object *plain = object_new(TYPE_TEST_PLAIN);

    g_assert_true(object_dynamic_cast(puppy, TYPE_TEST_DOG) == puppy);
    g_assert_true(object_dynamic_cast(puppy, TYPE_TEST_ANIMAL) == puppy);
    g_assert_true(object_dynamic_cast(puppy, TYPE_OBJECT) == puppy);
    g_assert_true(object_dynamic_cast(puppy, TYPE_TEST_SPEAKER) == puppy);
    g_assert_true(object_dynamic_cast(puppy, TYPE_TEST_WALKER) == puppy);
    g_assert_null(object_dynamic_cast(dog, TYPE_TEST_PUPPY));
    g_assert_null(object_dynamic_cast(dog, TYPE_TEST_WALKER));
    g_assert_null(object_dynamic_cast(plain, TYPE_TEST_SPEAKER));
    g_assert_null(object_dynamic_cast(dog, "no-such-type"));
    g_assert_null(object_dynamic_cast(NULL, TYPE_OBJECT));
    g_assert_true(OBJECT_CHECK(Object, dog, TYPE_TEST_ANIMAL) == dog);
    g_assert_null(OBJECT_CHECK(Object, NULL, TYPE_TEST_ANIMAL));

    g_assert_cmpstr(TEST_SPEAKER_GET_CLASS(dog)->speak(dog), ==, "woof");
    g_assert_cmpstr(TEST_SPEAKER_GET_CLASS(puppy)->speak(puppy), ==, "yip");

    object_unref(dog);
    object_unref(puppy);
    object_unref(plain);
}

static void test_interface_classes(void)
{
    ObjectClass *dog = object_class_by_name(TYPE_TEST_DOG);
    ObjectClass *puppy = object_class_by_name(TYPE_TEST_PUPPY);
    ObjectClass *dog_iface = object_class_dynamic_cast(dog, TYPE_TEST_SPEAKER);
    ObjectClass *puppy_iface =
        object_class_dynamic_cast(puppy, TYPE_TEST_SPEAKER);
    InterfaceClass *ic = (InterfaceClass *)puppy_iface;

    g_assert_nonnull(dog_iface);
    g_assert_nonnull(puppy_iface);
    /* Each implementing class has its own copy. */
    g_assert_true(dog_iface != puppy_iface);
    g_assert_true(ic->concrete_class == puppy);
    g_assert_true(((InterfaceClass *)dog_iface)->concrete_class == dog);
    g_assert_nonnull(ic->interface_type);
    g_assert_true(object_class_dynamic_cast(puppy_iface, TYPE_INTERFACE) ==
                  puppy_iface);
    g_assert_true(object_class_dynamic_cast(puppy_iface, TYPE_TEST_SPEAKER) ==
                  puppy_iface);
    g_assert_cmpuint(g_slist_length(dog->interfaces), ==, 1);
    g_assert_cmpuint(g_slist_length(puppy->interfaces), ==, 2);
    /* Two interfaces: a cast to the bare "interface" is ambiguous. */
    g_assert_null(object_class_dynamic_cast(puppy, TYPE_INTERFACE));
    g_assert_true(INTERFACE_CLASS(dog_iface) == (InterfaceClass *)dog_iface);
    g_assert_true(object_class_dynamic_cast(dog, TYPE_TEST_ANIMAL) == dog);
    g_assert_null(object_class_dynamic_cast(NULL, TYPE_OBJECT));
}

static void test_class_list(void)
{
    GSList *list = object_class_get_list_sorted(TYPE_TEST_SPEAKER, false);
    GSList *all = object_class_get_list(TYPE_TEST_ANIMAL, true);

    g_assert_cmpuint(g_slist_length(list), ==, 2);
    g_assert_cmpstr(object_class_get_name(list->data), ==, TYPE_TEST_DOG);
    g_assert_cmpstr(object_class_get_name(list->next->data), ==,
                    TYPE_TEST_PUPPY);
    g_assert_cmpuint(g_slist_length(all), ==, 3);
    g_slist_free(list);
    g_slist_free(all);

    list = object_class_get_list(NULL, false);
    for (GSList *l = list; l; l = l->next) {
        g_assert_false(object_class_is_abstract(l->data));
    }
    g_assert_nonnull(g_slist_find(list, object_class_by_name(TYPE_TEST_DOG)));
    g_assert_null(g_slist_find(list, object_class_by_name(TYPE_TEST_ANIMAL)));
    g_slist_free(list);
}

static void test_new_abstract_aborts(void)
{
    if (g_test_subprocess()) {
        object_new(TYPE_TEST_ANIMAL);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*abstract type 'test-animal'*");
}

static void test_new_unknown_aborts(void)
{
    if (g_test_subprocess()) {
        object_new("no-such-type");
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*unknown type 'no-such-type'*");
}

static void test_bad_cast_aborts(void)
{
    if (g_test_subprocess()) {
        Object *plain = object_new(TYPE_TEST_PLAIN);

        OBJECT_CHECK(Object, plain, TYPE_TEST_DOG);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*'test-plain' is not a 'test-dog'*");
}

/* --- Properties --- */

#define TYPE_TEST_PROPS "test-props"

typedef struct TestProps {
    Object parent_obj;
    bool flag;
    char *name;
    int mode;
    int64_t ints[16]; /* backing store for the numeric class properties */
    uint8_t u8;
    uint64_t u64;
} TestProps;

static const char *const mode_values[] = {"auto", "on", "off", NULL};

/* Numeric class properties of each type name, stored by index. */
static const char *const numeric_types[] = {
    "uint8", "uint16", "uint32", "uint64", "int8", "int16",
    "int32", "int64",  "int",    "size",   "str",  "OnOffThing",
};

static TestProps *test_props(Object *obj)
{
    return OBJECT_CHECK(TestProps, obj, TYPE_TEST_PROPS);
}

static bool flag_get(Object *obj, Error **errp)
{
    return test_props(obj)->flag;
}

static bool flag_set(Object *obj, bool value, Error **errp)
{
    test_props(obj)->flag = value;
    return true;
}

static char *name_get(Object *obj, Error **errp)
{
    return g_strdup(test_props(obj)->name);
}

static bool name_set(Object *obj, const char *value, Error **errp)
{
    if (!strcmp(value, "bad")) {
        error_setg(errp, "name 'bad' is refused");
        return false;
    }
    g_free(test_props(obj)->name);
    test_props(obj)->name = g_strdup(value);
    return true;
}

static int mode_get(Object *obj, Error **errp)
{
    return test_props(obj)->mode;
}

static bool mode_set(Object *obj, int value, Error **errp)
{
    test_props(obj)->mode = value;
    return true;
}

static bool node_is_string(JsonNode *node)
{
    return JSON_NODE_HOLDS_VALUE(node) &&
           json_node_get_value_type(node) == G_TYPE_STRING;
}

/* Stores any JSON scalar (int or string) for the typed-parse tests. */
static JsonNode *slot_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    size_t i = GPOINTER_TO_SIZE(prop->opaque);

    return json_node_init_int(json_node_alloc(), test_props(obj)->ints[i]);
}

static bool slot_set(Object *obj, ObjectProperty *prop, JsonNode *value,
                     Error **errp)
{
    size_t i = GPOINTER_TO_SIZE(prop->opaque);

    if (node_is_string(value)) {
        test_props(obj)->ints[i] = (int64_t)strlen(json_node_get_string(value));
        return true;
    }
    return object_node_get_int(value, prop->name, &test_props(obj)->ints[i],
                               errp);
}

static void props_class_init(ObjectClass *oc, const void *data)
{
    ObjectProperty *prop;

    object_class_property_add_bool(oc, "flag", flag_get, flag_set);
    object_class_property_set_description(oc, "flag", "A flag");
    object_class_property_add_str(oc, "name", name_get, name_set);
    object_class_property_add_str(oc, "ro-name", name_get, NULL);
    object_class_property_add_str(oc, "wo-name", NULL, name_set);
    prop = object_class_property_add_enum(oc, "mode", "OnOffAuto", mode_values,
                                          mode_get, mode_set);
    object_property_set_default(
        prop, json_node_init_string(json_node_alloc(), "off"));
    for (size_t i = 0; i < ARRAY_SIZE(numeric_types); i++) {
        g_autofree char *name = g_strdup_printf("p-%s", numeric_types[i]);

        prop = object_class_property_add(oc, name, numeric_types[i], slot_get,
                                         slot_set, NULL, GSIZE_TO_POINTER(i));
        if (!strcmp(numeric_types[i], "OnOffThing")) {
            prop->enum_values = mode_values;
        }
    }
}

static void props_init(Object *obj)
{
    TestProps *tp = test_props(obj);

    tp->u8 = 200;
    tp->u64 = UINT64_MAX;
    object_property_add_uint8_ptr(obj, "u8", &tp->u8);
    object_property_add_uint64_ptr(obj, "u64", &tp->u64);
}

static void props_finalize(Object *obj)
{
    g_free(test_props(obj)->name);
}

static const TypeInfo props_type = {
    .name = TYPE_TEST_PROPS,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(TestProps),
    .class_init = props_class_init,
    .instance_init = props_init,
    .instance_finalize = props_finalize,
};

static void register_props_type(void)
{
    type_register_static(&props_type);
}

type_init(register_props_type)

    /* Expects failure and returns the message. */
    static char *take_error(Error **errp)
{
    char *msg;

    g_assert_nonnull(*errp);
    msg = g_strdup(error_get_pretty(*errp));
    error_free(*errp);
    *errp = NULL;
    return msg;
}

#define assert_error(errp, expected)                                           \
    do {                                                                       \
        g_autofree char *m_ = take_error(errp);                                \
        g_assert_cmpstr(m_, ==, (expected));                                   \
    } while (0)

static void test_prop_basic(void)
{
    Object *obj = object_new(TYPE_TEST_PROPS);
    TestProps *tp = test_props(obj);
    Error *err = NULL;
    g_autofree char *s = NULL;
    JsonNode *node;

    /* The default was applied through the setter at creation. */
    g_assert_cmpint(tp->mode, ==, 2);
    g_assert_true(object_property_set_bool(obj, "flag", true, &error_abort));
    g_assert_true(tp->flag);
    g_assert_true(object_property_get_bool(obj, "flag", &error_abort));
    g_assert_true(object_property_set_str(obj, "name", "n1", &error_abort));
    s = object_property_get_str(obj, "name", &error_abort);
    g_assert_cmpstr(s, ==, "n1");
    g_assert_true(object_property_set_str(obj, "mode", "on", &error_abort));
    g_assert_cmpint(tp->mode, ==, 1);
    g_free(s);
    s = object_property_get_str(obj, "mode", &error_abort);
    g_assert_cmpstr(s, ==, "on");

    g_assert_cmpuint(object_property_get_uint(obj, "u8", &error_abort), ==,
                     200);
    g_assert_cmpuint(object_property_get_uint(obj, "u64", &error_abort), ==,
                     UINT64_MAX);

    node = object_property_get(obj, "u8", &error_abort);
    g_assert_cmpint(json_node_get_int(node), ==, 200);
    json_node_unref(node);

    g_assert_cmpstr(object_property_find(obj, "flag")->description, ==,
                    "A flag");
    g_assert_cmpstr(object_property_find(obj, "mode")->type, ==, "OnOffAuto");
    g_assert_true(object_property_find(obj, "mode")->enum_values ==
                  mode_values);
    g_assert_null(object_property_find(obj, "nope"));

    /* Failing setter: value unchanged, error passed through. */
    g_assert_false(object_property_set_str(obj, "name", "bad", &err));
    assert_error(&err, "name 'bad' is refused");
    g_free(s);
    s = object_property_get_str(obj, "name", &error_abort);
    g_assert_cmpstr(s, ==, "n1");
    object_unref(obj);
}

static void test_prop_errors(void)
{
    Object *obj = object_new(TYPE_TEST_PROPS);
    Error *err = NULL;
    JsonNode *num = json_node_init_int(json_node_alloc(), 1);

    g_assert_false(object_property_set_bool(obj, "nope", true, &err));
    assert_error(&err, "Property 'test-props.nope' not found");
    g_assert_null(object_property_get(obj, "nope", &err));
    assert_error(&err, "Property 'test-props.nope' not found");
    g_assert_null(object_property_find_err(obj, "nope", &err));
    assert_error(&err, "Property 'test-props.nope' not found");

    g_assert_false(object_property_set_str(obj, "ro-name", "x", &err));
    assert_error(&err, "Property 'test-props.ro-name' is not writable");
    g_assert_false(object_property_parse(obj, "u8", "1", &err));
    assert_error(&err, "Property 'test-props.u8' is not writable");
    g_assert_null(object_property_get(obj, "wo-name", &err));
    assert_error(&err, "Property 'test-props.wo-name' is not readable");

    g_assert_false(object_property_set(obj, "flag", num, &err));
    assert_error(&err, "Invalid parameter type for 'flag', expected: boolean");
    g_assert_false(object_property_set(obj, "name", num, &err));
    assert_error(&err, "Invalid parameter type for 'name', expected: string");
    g_assert_false(object_property_set(obj, "mode", num, &err));
    assert_error(&err, "Invalid parameter type for 'mode', expected: string");
    g_assert_false(object_property_set_bool(obj, "p-uint8", true, &err));
    assert_error(&err,
                 "Invalid parameter type for 'p-uint8', expected: integer");
    g_assert_false(object_property_set(obj, "flag", NULL, &err));
    assert_error(&err, "Invalid parameter type for 'flag', expected: boolean");

    g_assert_false(object_property_set_str(obj, "mode", "maybe", &err));
    assert_error(&err, "Property 'test-props.mode' does not accept value "
                       "'maybe' (valid values: auto, on, off)");

    /* Typed getters check the JSON type too. */
    g_assert_cmpint(object_property_get_int(obj, "flag", &err), ==, 0);
    assert_error(&err, "Invalid parameter type for 'flag', expected: integer");

    json_node_unref(num);
    object_unref(obj);
}

typedef struct ParseCase {
    const char *prop;
    const char *text;
    const char *error; /* NULL: expect success with value */
    int64_t value;
} ParseCase;

static void test_prop_parse(void)
{
    static const ParseCase cases[] = {
        {"p-uint8", "255", NULL, 255},
        {"p-uint8", "0xff", NULL, 255},
        {"p-uint8", "256",
         "Property 'test-props.p-uint8' doesn't take value '256' "
         "(minimum: 0, maximum: 255)"},
        {"p-uint8", "-1",
         "Property 'test-props.p-uint8' doesn't take value '-1' "
         "(minimum: 0, maximum: 255)"},
        {"p-uint8", "abc",
         "Property 'test-props.p-uint8' expects an integer, not 'abc'"},
        {"p-uint8", "",
         "Property 'test-props.p-uint8' expects an integer, not ''"},
        {"p-uint16", "65535", NULL, 65535},
        {"p-uint16", "65536",
         "Property 'test-props.p-uint16' doesn't take value '65536' "
         "(minimum: 0, maximum: 65535)"},
        {"p-uint32", "0xffffffff", NULL, 0xffffffff},
        {"p-uint32", "4294967296",
         "Property 'test-props.p-uint32' doesn't take value '4294967296' "
         "(minimum: 0, maximum: 4294967295)"},
        /* uint64 above INT64_MAX: the bit pattern travels in the int64. */
        {"p-uint64", "18446744073709551615", NULL, -1},
        {"p-uint64", "0x8000000000000000", NULL, INT64_MIN},
        {"p-uint64", "18446744073709551616",
         "Property 'test-props.p-uint64' expects an integer, not "
         "'18446744073709551616'"},
        {"p-uint64", "-5",
         "Property 'test-props.p-uint64' doesn't take value '-5' "
         "(minimum: 0, maximum: 18446744073709551615)"},
        {"p-int8", "-128", NULL, -128},
        {"p-int8", "-129",
         "Property 'test-props.p-int8' doesn't take value '-129' "
         "(minimum: -128, maximum: 127)"},
        {"p-int8", "128",
         "Property 'test-props.p-int8' doesn't take value '128' "
         "(minimum: -128, maximum: 127)"},
        {"p-int16", "-32768", NULL, -32768},
        {"p-int32", "-1", NULL, -1},
        {"p-int32", "2147483648",
         "Property 'test-props.p-int32' doesn't take value '2147483648' "
         "(minimum: -2147483648, maximum: 2147483647)"},
        {"p-int64", "-9223372036854775808", NULL, INT64_MIN},
        {"p-int64", "9223372036854775808",
         "Property 'test-props.p-int64' doesn't take value "
         "'9223372036854775808' (minimum: -9223372036854775808, "
         "maximum: 9223372036854775807)"},
        {"p-int", "010", NULL, 8},
        {"p-size", "1.5G", NULL, 1610612736},
        {"p-size", "4096", NULL, 4096},
        {"p-size", "1x",
         "Property 'test-props.p-size' expects a size (a number with an "
         "optional B, K, M, G, T, P or E suffix), not '1x'"},
        /* Strings and unknown types pass the text (the slot stores len). */
        {"p-str", "hello", NULL, 5},
        {"p-OnOffThing", "auto", NULL, 4},
        {"p-OnOffThing", "sometimes",
         "Property 'test-props.p-OnOffThing' does not accept value "
         "'sometimes' (valid values: auto, on, off)"},
        {"flag", "yes", NULL, -1},
        {"flag", "maybe", "Parameter 'test-props.flag' expects 'on' or 'off'"},
        {"mode", "auto", NULL, -1},
        {"mode", "AUTO",
         "Property 'test-props.mode' does not accept value 'AUTO' "
         "(valid values: auto, on, off)"},
    };
    Object *obj = object_new(TYPE_TEST_PROPS);

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const ParseCase *c = &cases[i];
        Error *err = NULL;
        bool ok = object_property_parse(obj, c->prop, c->text, &err);

        if (c->error) {
            g_assert_false(ok);
            assert_error(&err, c->error);
            continue;
        }
        if (!ok) {
            g_error("%s=%s: %s", c->prop, c->text, error_get_pretty(err));
        }
        if (c->value != -1 || !strcmp(c->prop, "p-uint64")) {
            g_assert_cmpint(object_property_get_int(obj, c->prop, &error_abort),
                            ==, c->value);
        }
    }
    g_assert_true(test_props(obj)->flag);
    g_assert_cmpint(test_props(obj)->mode, ==, 0);
    g_assert_true(object_property_parse(obj, "flag", "n", &error_abort));
    g_assert_false(test_props(obj)->flag);
    object_unref(obj);
}

static JsonNode *custom_parse(const ObjectProperty *prop, const char *str,
                              Error **errp)
{
    return json_node_init_int(json_node_alloc(), 42);
}

static void test_prop_string_to_node(void)
{
    ObjectProperty prop = {.name = (char *)"x", .type = (char *)"link<foo>"};
    Error *err = NULL;
    JsonNode *node;

    node = object_property_string_to_node("owner", &prop, "/machine/x",
                                          &error_abort);
    g_assert_cmpstr(json_node_get_string(node), ==, "/machine/x");
    json_node_unref(node);

    prop.type = (char *)"uint8";
    g_assert_null(object_property_string_to_node("owner", &prop, "300", &err));
    assert_error(&err, "Property 'owner.x' doesn't take value '300' "
                       "(minimum: 0, maximum: 255)");

    prop.parse = custom_parse;
    node = object_property_string_to_node("owner", &prop, "06.0", &error_abort);
    g_assert_cmpint(json_node_get_int(node), ==, 42);
    json_node_unref(node);
}

static void test_prop_iteration(void)
{
    Object *obj = object_new(TYPE_TEST_PROPS);
    ObjectPropertyIterator iter;
    ObjectProperty *prop;
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);

    object_property_iter_init(&iter, obj);
    while ((prop = object_property_iter_next(&iter))) {
        g_assert_true(g_hash_table_add(seen, prop->name));
    }
    /* 17 class properties, the base "type" and 2 instance ones. */
    g_assert_cmpuint(g_hash_table_size(seen), ==, 20);
    g_assert_true(g_hash_table_contains(seen, "type"));
    g_assert_true(g_hash_table_contains(seen, "u8"));
    g_assert_true(g_hash_table_contains(seen, "p-size"));
    g_hash_table_remove_all(seen);

    object_class_property_iter_init(&iter, object_get_class(obj));
    while ((prop = object_property_iter_next(&iter))) {
        g_hash_table_add(seen, prop->name);
    }
    g_assert_cmpuint(g_hash_table_size(seen), ==, 18);
    g_assert_false(g_hash_table_contains(seen, "u8"));
    g_hash_table_unref(seen);
    object_unref(obj);
}

static int released;

static void count_release(Object *obj, ObjectProperty *prop)
{
    released++;
}

static void test_prop_add_del(void)
{
    Object *obj = object_new(TYPE_TEST_PLAIN);
    ObjectProperty *a;
    ObjectProperty *b;

    released = 0;
    a = object_property_add(obj, "slot[*]", "int", NULL, NULL, count_release,
                            NULL);
    b = object_property_add(obj, "slot[*]", "int", NULL, NULL, count_release,
                            NULL);
    g_assert_cmpstr(a->name, ==, "slot[0]");
    g_assert_cmpstr(b->name, ==, "slot[1]");
    object_property_set_description(obj, "slot[1]", "second");
    g_assert_cmpstr(b->description, ==, "second");
    object_property_del(obj, "slot[0]");
    g_assert_cmpint(released, ==, 1);
    g_assert_null(object_property_find(obj, "slot[0]"));
    object_property_del(obj, "not-there");
    a = object_property_add(obj, "slot[*]", "int", NULL, NULL, count_release,
                            NULL);
    g_assert_cmpstr(a->name, ==, "slot[0]");
    object_unref(obj);
    g_assert_cmpint(released, ==, 3);
}

static void test_prop_duplicate_aborts(void)
{
    if (g_test_subprocess()) {
        Object *obj = object_new(TYPE_TEST_PROPS);

        object_property_add_bool(obj, "flag", flag_get, NULL);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*duplicate property 'flag'*");
}

static bool inst_get(Object *obj, Error **errp)
{
    return true;
}

static void test_prop_instance_kinds(void)
{
    Object *obj = object_new(TYPE_TEST_PLAIN);
    uint16_t v16 = 65535;
    uint32_t v32 = 7;
    g_autofree char *s = NULL;
    Error *err = NULL;

    object_property_add_bool(obj, "b", inst_get, NULL);
    object_property_add_str(obj, "s", NULL, NULL);
    object_property_add_uint16_ptr(obj, "v16", &v16);
    object_property_add_uint32_ptr(obj, "v32", &v32);
    g_assert_true(object_property_get_bool(obj, "b", &error_abort));
    g_assert_cmpint(object_property_get_int(obj, "v16", &error_abort), ==,
                    65535);
    g_assert_cmpstr(object_property_find(obj, "v32")->type, ==, "uint32");
    g_assert_false(object_property_set_int(obj, "v32", 1, &err));
    assert_error(&err, "Property 'test-plain.v32' is not writable");
    s = object_property_print(obj, "v32", &error_abort);
    g_assert_cmpstr(s, ==, "7");
    object_unref(obj);
}

static void test_prop_print(void)
{
    Object *obj = object_new(TYPE_TEST_PROPS);
    char *s;

    s = object_property_print(obj, "flag", &error_abort);
    g_assert_cmpstr(s, ==, "false");
    g_free(s);
    s = object_property_print(obj, "mode", &error_abort);
    g_assert_cmpstr(s, ==, "off");
    g_free(s);
    s = object_property_print(obj, "u64", &error_abort);
    g_assert_cmpstr(s, ==, "18446744073709551615");
    g_free(s);
    object_property_set_str(obj, "name", "n", &error_abort);
    s = object_property_print(obj, "name", &error_abort);
    g_assert_cmpstr(s, ==, "n");
    g_free(s);
    object_unref(obj);
}

static void test_property_help(void)
{
    JsonNode *minus1 = json_node_init_int(json_node_alloc(), -1);
    JsonNode *zero = json_node_init_int(json_node_alloc(), 0);
    JsonNode *str = json_node_init_string(json_node_alloc(), "auto");
    char *s;

    s = object_property_help("addr", "int32", minus1,
                             "Slot and optional function number");
    g_assert_cmpstr(s, ==,
                    "  addr=<int32>           - Slot and optional function "
                    "number (default: -1)");
    g_free(s);
    s = object_property_help("acpi-index", "uint32", zero, NULL);
    g_assert_cmpstr(s, ==, "  acpi-index=<uint32>    -  (default: 0)");
    g_free(s);
    s = object_property_help("ats", "OnOffAuto", str, "ATS");
    g_assert_cmpstr(s, ==,
                    "  ats=<OnOffAuto>        - ATS (default: \"auto\")");
    g_free(s);
    s = object_property_help("x", "str", NULL, NULL);
    g_assert_cmpstr(s, ==, "  x=<str>");
    g_free(s);
    s = object_property_help("a-very-long-property-name", "bool", NULL, "d");
    g_assert_cmpstr(s, ==, "  a-very-long-property-name=<bool> - d");
    g_free(s);
    json_node_unref(minus1);
    json_node_unref(zero);
    json_node_unref(str);
}

/* --- Tree: children, paths and links --- */

static int finalized;

static void counted_finalize(Object *obj)
{
    finalized++;
}

#define TYPE_TEST_NODE "test-node"

static const TypeInfo node_type = {
    .name = TYPE_TEST_NODE,
    .parent = TYPE_OBJECT,
    .instance_finalize = counted_finalize,
};

static void register_node_type(void)
{
    type_register_static(&node_type);
}

type_init(register_node_type)

    /* Adds a new child of type to parent; the tree holds the only ref. */
    static Object *add_child(Object *parent, const char *name, const char *type)
{
    Object *obj = object_new(type);

    object_property_add_child(parent, name, obj);
    object_unref(obj);
    return obj;
}

static void test_tree_paths(void)
{
    Object *root = object_get_root();
    Object *base = container_get(root, "/test-tree/a/b");
    Object *a = object_resolve_path("/test-tree/a", NULL);
    Object *leaf;
    bool ambiguous = true;
    char *path;

    g_assert_nonnull(a);
    g_assert_cmpstr(object_get_typename(base), ==, TYPE_CONTAINER);
    g_assert_true(container_get(root, "test-tree/a/b") == base);
    g_assert_true(container_get(a, "b") == base);
    leaf = add_child(base, "leaf", TYPE_TEST_NODE);

    path = object_get_canonical_path(leaf);
    g_assert_cmpstr(path, ==, "/test-tree/a/b/leaf");
    g_free(path);
    path = object_get_canonical_path(root);
    g_assert_cmpstr(path, ==, "/");
    g_free(path);
    g_assert_cmpstr(object_get_canonical_path_component(leaf), ==, "leaf");
    g_assert_null(object_get_canonical_path_component(root));
    g_assert_true(leaf->parent == base);

    g_assert_true(object_resolve_path("/test-tree/a/b/leaf", &ambiguous) ==
                  leaf);
    g_assert_false(ambiguous);
    g_assert_true(object_resolve_path("//test-tree//a/b/leaf/", NULL) == leaf);
    g_assert_true(object_resolve_path("/", NULL) == root);
    g_assert_null(object_resolve_path("/test-tree/nope", NULL));
    g_assert_null(object_resolve_path("", NULL));
    g_assert_true(object_resolve_path("leaf", &ambiguous) == leaf);
    g_assert_false(ambiguous);
    g_assert_true(object_resolve_path("b/leaf", NULL) == leaf);
    g_assert_true(object_resolve_path_type("leaf", TYPE_TEST_NODE, NULL) ==
                  leaf);
    g_assert_null(object_resolve_path_type("leaf", TYPE_CONTAINER, NULL));
    g_assert_null(
        object_resolve_path_type("/test-tree/a/b/leaf", TYPE_TEST_DOG, NULL));
    g_assert_true(object_resolve_path_component(base, "leaf") == leaf);
    g_assert_null(object_resolve_path_component(base, "none"));

    /* An object outside the tree has no path. */
    {
        Object *loose = object_new(TYPE_TEST_NODE);

        g_assert_null(object_get_canonical_path(loose));
        g_assert_null(object_get_canonical_path_component(loose));
        object_unref(loose);
    }

    g_assert_true(object_get_container("test-tree") ==
                  object_resolve_path("/test-tree", NULL));
    g_assert_true(object_get_objects_root() ==
                  object_resolve_path("/objects", NULL));
    object_unparent(object_resolve_path("/test-tree", NULL));
}

static void test_tree_ambiguous(void)
{
    Object *t = container_get(object_get_root(), "/test-amb");
    Object *x = container_get(t, "x");
    Object *y = container_get(t, "y");
    Object *d1 = add_child(x, "dup", TYPE_TEST_NODE);
    Object *d2 = add_child(y, "dup", TYPE_TEST_DOG);
    bool ambiguous = false;

    g_assert_null(object_resolve_path("dup", &ambiguous));
    g_assert_true(ambiguous);
    /* The type filter makes it unique. */
    g_assert_true(object_resolve_path_type("dup", TYPE_TEST_NODE, &ambiguous) ==
                  d1);
    g_assert_false(ambiguous);
    g_assert_true(object_resolve_path_type("dup", TYPE_TEST_DOG, NULL) == d2);
    g_assert_true(object_resolve_path("x/dup", &ambiguous) == d1);
    g_assert_false(ambiguous);
    g_assert_true(object_resolve_path("/test-amb/y/dup", &ambiguous) == d2);
    object_unparent(t);
}

typedef struct Visit {
    GString *names;
    int stop_after;
} Visit;

static int visit_child(Object *child, void *opaque)
{
    Visit *v = opaque;

    g_string_append_printf(v->names, "%s ",
                           object_get_canonical_path_component(child));
    return --v->stop_after == 0 ? 7 : 0;
}

static void test_tree_foreach(void)
{
    Object *t = container_get(object_get_root(), "/test-walk");
    Visit v = {.names = g_string_new(NULL), .stop_after = -1};
    Object *m;

    add_child(t, "zeta", TYPE_TEST_NODE);
    add_child(t, "alpha", TYPE_TEST_NODE);
    m = add_child(t, "mid", TYPE_TEST_NODE);
    add_child(m, "inner", TYPE_TEST_NODE);
    object_property_add_bool(t, "not-a-child", inst_get, NULL);

    g_assert_cmpint(object_child_foreach(t, visit_child, &v), ==, 0);
    g_assert_cmpstr(v.names->str, ==, "zeta alpha mid ");
    g_string_truncate(v.names, 0);
    g_assert_cmpint(object_child_foreach_recursive(t, visit_child, &v), ==, 0);
    g_assert_cmpstr(v.names->str, ==, "zeta alpha mid inner ");
    g_string_truncate(v.names, 0);
    v.stop_after = 2;
    g_assert_cmpint(object_child_foreach(t, visit_child, &v), ==, 7);
    g_assert_cmpstr(v.names->str, ==, "zeta alpha ");
    g_string_free(v.names, TRUE);
    object_unparent(t);
}

static void test_tree_refcount(void)
{
    Object *t = container_get(object_get_root(), "/test-ref");
    Object *child;
    Object *grandchild;
    char *type;

    finalized = 0;
    child = add_child(t, "c", TYPE_TEST_NODE);
    grandchild = add_child(child, "g", TYPE_TEST_NODE);
    g_assert_cmpuint(child->ref, ==, 1);
    type = object_property_get_str(t, "c", &error_abort);
    g_assert_cmpstr(type, ==, "/test-ref/c");
    g_free(type);
    g_assert_cmpstr(object_property_find(t, "c")->type, ==, "child<test-node>");

    /* An extra reference keeps the unparented object alive. */
    object_ref(grandchild);
    object_unparent(child);
    g_assert_cmpint(finalized, ==, 1);
    g_assert_null(grandchild->parent);
    g_assert_null(object_property_find(t, "c"));
    object_unref(grandchild);
    g_assert_cmpint(finalized, ==, 2);

    /* Unparenting something with no parent does nothing. */
    child = object_new(TYPE_TEST_NODE);
    object_unparent(child);
    object_unref(child);
    g_assert_cmpint(finalized, ==, 3);
    object_unparent(t);
}

static void test_double_parent_aborts(void)
{
    if (g_test_subprocess()) {
        Object *t = container_get(object_get_root(), "/test-dp");
        Object *c = add_child(t, "c", TYPE_TEST_NODE);

        object_property_add_child(t, "again", c);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*already has a parent*");
}

static bool refuse_puppies(const Object *obj, const char *name, Object *val,
                           Error **errp)
{
    if (val && object_dynamic_cast(val, TYPE_TEST_PUPPY)) {
        error_setg(errp, "'%s' may not link a puppy", name);
        return false;
    }
    return true;
}

static void test_links(void)
{
    Object *t = container_get(object_get_root(), "/test-link");
    Object *owner = add_child(t, "owner", TYPE_TEST_DOG);
    Object *rex = add_child(t, "rex", TYPE_TEST_DOG);
    Object *pup = add_child(t, "pup", TYPE_TEST_PUPPY);
    Object *node = add_child(t, "node", TYPE_TEST_NODE);
    TestAnimal *ta = (TestAnimal *)owner;
    Object *target = NULL;
    Error *err = NULL;
    char *s;

    object_property_add_link(owner, "buddy", TYPE_TEST_DOG, &ta->buddy,
                             refuse_puppies, OBJ_PROP_LINK_STRONG);
    object_property_add_link(owner, "ro", TYPE_TEST_DOG, &target, NULL, 0);
    g_assert_cmpstr(object_property_find(owner, "buddy")->type, ==,
                    "link<test-dog>");

    s = object_property_get_str(owner, "buddy", &error_abort);
    g_assert_cmpstr(s, ==, "");
    g_free(s);

    g_assert_true(object_property_set_str(owner, "buddy", "/test-link/rex",
                                          &error_abort));
    g_assert_true(ta->buddy == rex);
    g_assert_cmpuint(rex->ref, ==, 2);
    s = object_property_get_str(owner, "buddy", &error_abort);
    g_assert_cmpstr(s, ==, "/test-link/rex");
    g_free(s);
    g_assert_true(object_property_get_link(owner, "buddy", &error_abort) ==
                  rex);
    g_assert_true(object_resolve_path("/test-link/owner/buddy", NULL) == rex);

    /* Partial path, then the check refusing a puppy. */
    g_assert_true(object_property_parse(owner, "buddy", "owner", &error_abort));
    g_assert_true(ta->buddy == owner);
    g_assert_cmpuint(rex->ref, ==, 1);
    g_assert_false(object_property_set_str(owner, "buddy", "pup", &err));
    assert_error(&err, "'buddy' may not link a puppy");
    g_assert_true(ta->buddy == owner);

    g_assert_false(object_property_set_str(owner, "buddy", "node", &err));
    assert_error(&err, "Path 'node' is a 'test-node', not a 'test-dog'");
    g_assert_false(object_property_set_str(owner, "buddy", "/nowhere", &err));
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_DEVICE_NOT_FOUND);
    assert_error(&err, "Device '/nowhere' not found");
    g_assert_false(object_property_set_bool(owner, "buddy", true, &err));
    assert_error(&err, "Invalid parameter type for 'buddy', expected: string");
    g_assert_false(object_property_set_str(owner, "ro", "rex", &err));
    assert_error(&err, "Property 'test-dog.ro' is not writable");

    /* Direct set: type checked, the check still applies. */
    g_assert_false(object_property_set_link(owner, "buddy", node, &err));
    assert_error(&err, "Invalid parameter type for 'buddy', expected: "
                       "test-dog");
    g_assert_false(object_property_set_link(owner, "buddy", pup, &err));
    assert_error(&err, "'buddy' may not link a puppy");
    g_assert_true(object_property_set_link(owner, "buddy", rex, &error_abort));
    g_assert_true(ta->buddy == rex);

    /* A strong link keeps its target alive after it leaves the tree. */
    finalized = 0;
    g_assert_cmpuint(rex->ref, ==, 2);
    object_unparent(rex);
    g_assert_cmpuint(rex->ref, ==, 1);
    s = object_property_get_str(owner, "buddy", &error_abort);
    g_assert_cmpstr(s, ==, "");
    g_free(s);
    g_assert_true(object_property_set_str(owner, "buddy", "", &error_abort));
    g_assert_null(ta->buddy);
    g_assert_null(object_property_get_link(owner, "buddy", &error_abort));

    object_unparent(t);
}

static void test_link_ambiguous(void)
{
    Object *t = container_get(object_get_root(), "/test-link2");
    Object *owner = add_child(t, "owner", TYPE_TEST_DOG);
    TestAnimal *ta = (TestAnimal *)owner;
    Error *err = NULL;

    add_child(container_get(t, "p"), "twin", TYPE_TEST_DOG);
    add_child(container_get(t, "q"), "twin", TYPE_TEST_DOG);
    add_child(container_get(t, "q"), "cat", TYPE_TEST_NODE);
    add_child(container_get(t, "r"), "cat", TYPE_TEST_NODE);
    object_property_add_link(owner, "buddy", TYPE_TEST_DOG, &ta->buddy,
                             object_property_allow_set_link, 0);
    g_assert_false(object_property_set_str(owner, "buddy", "twin", &err));
    assert_error(&err, "Path 'twin' does not uniquely identify an object");
    g_assert_false(object_property_set_str(owner, "buddy", "cat", &err));
    assert_error(&err,
                 "Path 'cat' does not identify an object of type 'test-dog'");
    g_assert_true(
        object_property_set_str(owner, "buddy", "p/twin", &error_abort));
    /* A weak link holds no reference. */
    g_assert_cmpuint(ta->buddy->ref, ==, 1);
    object_unparent(t);
}

#define TYPE_TEST_LINKER "test-linker"

typedef struct TestLinker {
    Object parent_obj;
    Object *target;
} TestLinker;

static void linker_class_init(ObjectClass *oc, const void *data)
{
    object_class_property_add_link(
        oc, "target", TYPE_TEST_NODE, offsetof(TestLinker, target),
        object_property_allow_set_link, OBJ_PROP_LINK_STRONG);
}

static const TypeInfo linker_type = {
    .name = TYPE_TEST_LINKER,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(TestLinker),
    .class_init = linker_class_init,
};

static void register_linker_type(void)
{
    type_register_static(&linker_type);
}

type_init(register_linker_type)

    static void test_class_link(void)
{
    Object *t = container_get(object_get_root(), "/test-clink");
    Object *n = add_child(t, "n", TYPE_TEST_NODE);
    Object *a = object_new(TYPE_TEST_LINKER);
    Object *b = object_new(TYPE_TEST_LINKER);
    Object *loose = object_new(TYPE_TEST_NODE);

    g_assert_true(
        object_property_set_str(a, "target", "/test-clink/n", &error_abort));
    g_assert_true(object_property_set_link(b, "target", n, &error_abort));
    g_assert_true(((TestLinker *)a)->target == n);
    g_assert_cmpuint(n->ref, ==, 3);
    /* Targets outside the tree can be linked directly. */
    g_assert_true(object_property_set_link(a, "target", loose, &error_abort));
    g_assert_cmpuint(n->ref, ==, 2);
    object_unref(loose);

    finalized = 0;
    object_unref(a); /* drops its reference on loose */
    g_assert_cmpint(finalized, ==, 1);
    object_unref(b);
    g_assert_cmpuint(n->ref, ==, 1);
    object_unparent(t);
    g_assert_cmpint(finalized, ==, 2);
}

static void test_finalize_releases_children(void)
{
    Object *parent = object_new(TYPE_TEST_NODE);
    Object *kid = object_new(TYPE_TEST_NODE);

    finalized = 0;
    object_property_add_child(parent, "kid", kid);
    add_child(kid, "grandkid", TYPE_TEST_NODE);
    object_unref(kid);
    object_unref(parent);
    g_assert_cmpint(finalized, ==, 3);
}

typedef struct Holder {
    int before;
    TestAnimal embedded;
    int after;
} Holder;

static void test_embedded_object(void)
{
    Holder *h = g_new(Holder, 1);
    Object *t = container_get(object_get_root(), "/test-embed");

    h->before = 1;
    h->after = 2;
    g_free(trace_take());
    object_initialize(&h->embedded, sizeof(h->embedded), TYPE_TEST_DOG);
    assert_trace("animal.init,dog.init,animal.post,dog.post");
    g_assert_cmpstr(object_get_typename(OBJECT(&h->embedded)), ==,
                    TYPE_TEST_DOG);
    object_property_add_child(t, "e", OBJECT(&h->embedded));
    object_unref(OBJECT(&h->embedded));
    object_unparent(t);
    /* Finalized in place; the memory still belongs to the holder. */
    assert_trace("dog.fin,animal.fin");
    g_assert_cmpint(h->before, ==, 1);
    g_assert_cmpint(h->after, ==, 2);
    g_free(h);
}

static void test_embedded_too_small_aborts(void)
{
    if (g_test_subprocess()) {
        Object small;

        object_initialize(&small, sizeof(small), TYPE_TEST_DOG);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*'test-dog' needs*");
}

/* --- user-creatable --- */

#define TYPE_TEST_UC "test-uc"
#define TYPE_TEST_UC_ABSTRACT "test-uc-abstract"

typedef struct TestUc {
    Object parent_obj;
    bool refuse;
    bool in_use;
    int64_t size;
    char *label;
} TestUc;

static TestUc *test_uc(Object *obj)
{
    return OBJECT_CHECK(TestUc, obj, TYPE_TEST_UC);
}

static bool uc_complete(Object *obj, Error **errp)
{
    if (test_uc(obj)->refuse) {
        error_setg(errp, "refused in complete");
        return false;
    }
    return true;
}

static bool uc_can_be_deleted(Object *obj)
{
    return !test_uc(obj)->in_use;
}

static bool uc_refuse_get(Object *obj, Error **errp)
{
    return test_uc(obj)->refuse;
}

static bool uc_refuse_set(Object *obj, bool value, Error **errp)
{
    test_uc(obj)->refuse = value;
    return true;
}

static JsonNode *uc_size_get(Object *obj, ObjectProperty *prop, Error **errp)
{
    return json_node_init_int(json_node_alloc(), test_uc(obj)->size);
}

static bool uc_size_set(Object *obj, ObjectProperty *prop, JsonNode *value,
                        Error **errp)
{
    return object_node_get_int(value, prop->name, &test_uc(obj)->size, errp);
}

static bool uc_label_set(Object *obj, const char *value, Error **errp)
{
    g_free(test_uc(obj)->label);
    test_uc(obj)->label = g_strdup(value);
    return true;
}

static void uc_class_init(ObjectClass *oc, const void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);
    ObjectProperty *prop;

    ucc->complete = uc_complete;
    ucc->can_be_deleted = uc_can_be_deleted;
    object_class_property_add_bool(oc, "refuse", uc_refuse_get, uc_refuse_set);
    object_class_property_set_description(oc, "refuse", "Fail in complete()");
    prop = object_class_property_add(oc, "size", "size", uc_size_get,
                                     uc_size_set, NULL, NULL);
    object_property_set_default(prop,
                                json_node_init_int(json_node_alloc(), 4096));
    object_class_property_add_str(oc, "label", NULL, uc_label_set);
    object_class_property_add_bool(oc, "ro", uc_refuse_get, NULL);
}

static void uc_finalize(Object *obj)
{
    g_free(test_uc(obj)->label);
    finalized++;
}

static const TypeInfo uc_types[] = {
    {
        .name = TYPE_TEST_UC,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(TestUc),
        .class_init = uc_class_init,
        .instance_finalize = uc_finalize,
        .interfaces = (const InterfaceInfo[]){{TYPE_USER_CREATABLE}, {NULL}},
    },
    {
        .name = TYPE_TEST_UC_ABSTRACT,
        .parent = TYPE_OBJECT,
        .abstract = true,
        .interfaces = (const InterfaceInfo[]){{TYPE_USER_CREATABLE}, {NULL}},
    },
};

DEFINE_TYPES(uc_types)

static JsonObject *json_props(const char *text)
{
    JsonParser *parser = json_parser_new();
    JsonObject *obj;

    g_assert_true(json_parser_load_from_data(parser, text, -1, NULL));
    obj = json_node_dup_object(json_parser_get_root(parser));
    g_object_unref(parser);
    return obj;
}

static void test_uc_add_del(void)
{
    JsonObject *props = json_props("{\"qom-type\": \"test-uc\", "
                                   "\"id\": \"u1\", \"size\": 65536, "
                                   "\"label\": \"hello\"}");
    Object *obj;
    Error *err = NULL;
    char *path;

    finalized = 0;
    obj =
        user_creatable_add_type(TYPE_TEST_UC, "u1", props, true, &error_abort);
    json_object_unref(props);
    g_assert_nonnull(obj);
    g_assert_cmpint(test_uc(obj)->size, ==, 65536);
    g_assert_cmpstr(test_uc(obj)->label, ==, "hello");
    g_assert_cmpuint(obj->ref, ==, 1);
    path = object_get_canonical_path(obj);
    g_assert_cmpstr(path, ==, "/objects/u1");
    g_free(path);

    /* Duplicate id. */
    g_assert_null(
        user_creatable_add_type(TYPE_TEST_UC, "u1", NULL, true, &err));
    assert_error(&err, "object 'u1' already exists");

    /* Deletion refused while in use. */
    test_uc(obj)->in_use = true;
    g_assert_false(user_creatable_del("u1", &err));
    assert_error(&err, "object 'u1' is in use, can not be deleted");
    test_uc(obj)->in_use = false;
    g_assert_true(user_creatable_del("u1", &error_abort));
    g_assert_cmpint(finalized, ==, 1);
    g_assert_null(object_resolve_path("/objects/u1", NULL));
    g_assert_false(user_creatable_del("u1", &err));
    assert_error(&err, "object 'u1' not found");
}

static void test_uc_string_props(void)
{
    JsonObject *props = json_props("{\"size\": \"1.5K\", "
                                   "\"label\": \"x\"}");
    Object *obj =
        user_creatable_add_type(TYPE_TEST_UC, "u2", props, false, &error_abort);

    g_assert_cmpint(test_uc(obj)->size, ==, 1536);
    json_object_unref(props);
    g_assert_true(user_creatable_del("u2", &error_abort));

    /* Default applied when the property is not given. */
    obj =
        user_creatable_add_type(TYPE_TEST_UC, "u3", NULL, false, &error_abort);
    g_assert_cmpint(test_uc(obj)->size, ==, 4096);
    g_assert_true(user_creatable_del("u3", &error_abort));
}

typedef struct UcErrorCase {
    const char *type;
    const char *id;
    const char *props;
    bool from_json;
    const char *error;
} UcErrorCase;

static void test_uc_errors(void)
{
    static const UcErrorCase cases[] = {
        {"nope", "e1", "{}", true, "invalid object type: nope"},
        {NULL, "e1", "{}", true, "Parameter 'qom-type' is missing"},
        {TYPE_TEST_DOG, "e1", "{}", true,
         "object type 'test-dog' isn't supported by object-add"},
        {TYPE_TEST_UC_ABSTRACT, "e1", "{}", true,
         "object type 'test-uc-abstract' is abstract"},
        {TYPE_TEST_UC, NULL, "{}", true, "Parameter 'id' is missing"},
        {TYPE_TEST_UC, "1abc", "{}", true,
         "Parameter 'id' expects an identifier"},
        {TYPE_TEST_UC, "a/b", "{}", true,
         "Parameter 'id' expects an identifier"},
        {TYPE_TEST_UC, "e1", "{\"bogus\": 1}", true,
         "Property 'test-uc.bogus' not found"},
        {TYPE_TEST_UC, "e1", "{\"size\": \"4096\"}", true,
         "Invalid parameter type for 'size', expected: integer"},
        {TYPE_TEST_UC, "e1", "{\"size\": \"4Q\"}", false,
         "Property 'test-uc.size' expects a size (a number with an optional "
         "B, K, M, G, T, P or E suffix), not '4Q'"},
        {TYPE_TEST_UC, "e1", "{\"size\": 1}", false,
         "Invalid parameter type for 'size', expected: string"},
        {TYPE_TEST_UC, "e1", "{\"ro\": true}", true,
         "Property 'test-uc.ro' is not writable"},
        {TYPE_TEST_UC, "e1", "{\"refuse\": true}", true, "refused in complete"},
        {TYPE_TEST_UC, "e1", "{\"refuse\": \"on\"}", false,
         "refused in complete"},
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const UcErrorCase *c = &cases[i];
        JsonObject *props = json_props(c->props);
        Error *err = NULL;
        Object *obj;

        finalized = 0;
        obj =
            user_creatable_add_type(c->type, c->id, props, c->from_json, &err);
        json_object_unref(props);
        g_assert_null(obj);
        assert_error(&err, c->error);
        /* Nothing is left behind. */
        g_assert_null(
            object_resolve_path_component(object_get_objects_root(), "e1"));
        if (!g_strcmp0(c->type, TYPE_TEST_UC) && c->id &&
            id_wellformed(c->id)) {
            g_assert_cmpint(finalized, ==, 1);
        }
    }
}

static void test_id_wellformed(void)
{
    g_assert_true(id_wellformed("iommufd0"));
    g_assert_true(id_wellformed("a-b.c_d"));
    g_assert_false(id_wellformed(""));
    g_assert_false(id_wellformed("0a"));
    g_assert_false(id_wellformed("_a"));
    g_assert_false(id_wellformed("a b"));
    g_assert_false(id_wellformed("a,b"));
}

static void test_uc_help(void)
{
    if (g_test_subprocess()) {
        user_creatable_print_types();
        g_assert_true(
            user_creatable_print_type_properites(TYPE_TEST_UC, &error_abort));
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    /* Other types of the library may be listed around ours. */
    g_test_trap_assert_stdout("List of user creatable objects:\n"
                              "*  test-uc\n"
                              "*test-uc options:\n"
                              "  label=<str>\n"
                              "  refuse=<bool>          - Fail in complete()\n"
                              "  size=<size>            -  (default: 4096)\n");
}

static void test_uc_help_errors(void)
{
    Error *err = NULL;

    g_assert_false(user_creatable_print_type_properites("nope", &err));
    assert_error(&err, "invalid object type: nope");
    g_assert_false(user_creatable_print_type_properites(TYPE_TEST_DOG, &err));
    assert_error(&err, "object type 'test-dog' isn't supported by object-add");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qom/type/class-init-order", test_class_init_order);
    g_test_add_func("/qom/type/instance-order", test_instance_order);
    g_test_add_func("/qom/type/casts", test_casts);
    g_test_add_func("/qom/type/interface-classes", test_interface_classes);
    g_test_add_func("/qom/type/class-list", test_class_list);
    g_test_add_func("/qom/type/new-abstract", test_new_abstract_aborts);
    g_test_add_func("/qom/type/new-unknown", test_new_unknown_aborts);
    g_test_add_func("/qom/type/bad-cast", test_bad_cast_aborts);
    g_test_add_func("/qom/prop/basic", test_prop_basic);
    g_test_add_func("/qom/prop/errors", test_prop_errors);
    g_test_add_func("/qom/prop/parse", test_prop_parse);
    g_test_add_func("/qom/prop/string-to-node", test_prop_string_to_node);
    g_test_add_func("/qom/prop/iteration", test_prop_iteration);
    g_test_add_func("/qom/prop/add-del", test_prop_add_del);
    g_test_add_func("/qom/prop/duplicate", test_prop_duplicate_aborts);
    g_test_add_func("/qom/prop/instance-kinds", test_prop_instance_kinds);
    g_test_add_func("/qom/prop/print", test_prop_print);
    g_test_add_func("/qom/prop/help", test_property_help);
    g_test_add_func("/qom/tree/paths", test_tree_paths);
    g_test_add_func("/qom/tree/ambiguous", test_tree_ambiguous);
    g_test_add_func("/qom/tree/foreach", test_tree_foreach);
    g_test_add_func("/qom/tree/refcount", test_tree_refcount);
    g_test_add_func("/qom/tree/double-parent", test_double_parent_aborts);
    g_test_add_func("/qom/tree/finalize-children",
                    test_finalize_releases_children);
    g_test_add_func("/qom/tree/embedded", test_embedded_object);
    g_test_add_func("/qom/tree/embedded-small", test_embedded_too_small_aborts);
    g_test_add_func("/qom/link/instance", test_links);
    g_test_add_func("/qom/link/ambiguous", test_link_ambiguous);
    g_test_add_func("/qom/link/class", test_class_link);
    g_test_add_func("/qom/uc/add-del", test_uc_add_del);
    g_test_add_func("/qom/uc/string-props", test_uc_string_props);
    g_test_add_func("/qom/uc/errors", test_uc_errors);
    g_test_add_func("/qom/uc/id", test_id_wellformed);
    g_test_add_func("/qom/uc/help", test_uc_help);
    g_test_add_func("/qom/uc/help-errors", test_uc_help_errors);
    return g_test_run();
}
