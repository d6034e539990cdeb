/*
 * Field-backed machine class properties (see hw/board-props.h).
 */
#include "qemu/osdep.h"
#include "hw/board-props.h"

typedef struct BoardProp {
    size_t offset;
    const char *const *choices; /* for enum-like properties */
} BoardProp;

static void *board_field(Object *obj, ObjectProperty *prop)
{
    const BoardProp *bp = prop->opaque;

    return (char *)obj + bp->offset;
}

static ObjectProperty *board_prop_add(ObjectClass *oc, const char *name,
                                      const char *type, ObjectPropertyGet get,
                                      ObjectPropertySet set, size_t offset,
                                      const char *const *choices,
                                      JsonNode *defval, const char *desc)
{
    /* Classes live as long as the process, and so does this. */
    BoardProp *bp = g_new0(BoardProp, 1);
    ObjectProperty *prop;

    bp->offset = offset;
    bp->choices = choices;
    prop = object_class_property_add(oc, name, type, get, set, NULL, bp);
    prop->enum_values = choices;
    object_class_property_set_description(oc, name, desc);
    object_property_set_default(prop, defval);
    return prop;
}

static JsonNode *get_bool(Object *obj, ObjectProperty *prop, Error **errp)
{
    return json_node_init_boolean(json_node_alloc(),
                                  *(bool *)board_field(obj, prop));
}

static bool set_bool(Object *obj, ObjectProperty *prop, JsonNode *value,
                     Error **errp)
{
    return object_node_get_bool(value, prop->name, board_field(obj, prop),
                                errp);
}

void board_prop_add_bool(ObjectClass *oc, const char *name, size_t offset,
                         bool defval, const char *desc)
{
    board_prop_add(oc, name, "bool", get_bool, set_bool, offset, NULL,
                   json_node_init_boolean(json_node_alloc(), defval), desc);
}

static JsonNode *get_choice(Object *obj, ObjectProperty *prop, Error **errp)
{
    const BoardProp *bp = prop->opaque;

    return json_node_init_string(json_node_alloc(),
                                 bp->choices[*(int *)board_field(obj, prop)]);
}

static bool set_choice(Object *obj, ObjectProperty *prop, JsonNode *value,
                       Error **errp)
{
    const BoardProp *bp = prop->opaque;
    int index;

    if (!object_node_get_enum(obj, value, prop->name, bp->choices, &index,
                              errp)) {
        return false;
    }
    *(int *)board_field(obj, prop) = index;
    return true;
}

void board_prop_add_on_off_auto(ObjectClass *oc, const char *name,
                                size_t offset, OnOffAuto defval,
                                const char *desc)
{
    G_STATIC_ASSERT(sizeof(OnOffAuto) == sizeof(int));

    board_prop_add(oc, name, "OnOffAuto", get_choice, set_choice, offset,
                   OnOffAuto_lookup,
                   json_node_init_string(json_node_alloc(),
                                         OnOffAuto_lookup[defval]),
                   desc);
}

void board_prop_add_choice(ObjectClass *oc, const char *name, size_t offset,
                           const char *const *choices, int defval,
                           const char *desc)
{
    board_prop_add(oc, name, "str", get_choice, set_choice, offset, choices,
                   json_node_init_string(json_node_alloc(), choices[defval]),
                   desc);
}

static JsonNode *get_size(Object *obj, ObjectProperty *prop, Error **errp)
{
    return json_node_init_int(json_node_alloc(),
                              *(int64_t *)board_field(obj, prop));
}

/* uint64 values above INT64_MAX travel as the same bit pattern. */
static bool set_size(Object *obj, ObjectProperty *prop, JsonNode *value,
                     Error **errp)
{
    int64_t v;

    if (!object_node_get_int(value, prop->name, &v, errp)) {
        return false;
    }
    *(uint64_t *)board_field(obj, prop) = (uint64_t)v;
    return true;
}

void board_prop_add_size(ObjectClass *oc, const char *name, size_t offset,
                         uint64_t defval, const char *desc)
{
    board_prop_add(oc, name, "size", get_size, set_size, offset, NULL,
                   json_node_init_int(json_node_alloc(), (int64_t)defval),
                   desc);
}
