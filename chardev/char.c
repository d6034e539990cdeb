/*
 * Chardev core: the abstract QOM type, the /chardevs registry and
 * creation from -chardev options or a legacy spec string.
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"
#include "qom/object_interfaces.h"

static Object *chardev_container(void)
{
    return container_get(object_get_root(), "/chardevs");
}

Chardev *qemu_chr_find(const char *id)
{
    Object *obj = object_resolve_path_component(chardev_container(), id);

    return obj ? (Chardev *)object_dynamic_cast(obj, TYPE_CHARDEV) : NULL;
}

const char *qemu_chr_get_id(Chardev *chr)
{
    return chr->label;
}

bool qemu_chr_wait_connected(Chardev *chr, Error **errp)
{
    ChardevClass *cc = CHARDEV_GET_CLASS(chr);

    if (qemu_chr_is_connected(chr) || !cc->wait_connected) {
        return true;
    }
    return cc->wait_connected(chr, errp);
}

const char *qemu_chr_opt_str(JsonObject *opts, const char *key)
{
    return json_object_has_member(opts, key)
               ? json_object_get_string_member(opts, key)
               : NULL;
}

bool qemu_chr_opt_bool(JsonObject *opts, const char *key, bool *out,
                       Error **errp)
{
    const char *value = qemu_chr_opt_str(opts, key);

    return !value || qemu_parse_bool(key, value, out, errp);
}

static ChardevClass *chardev_class_by_backend(const char *backend)
{
    GSList *list = object_class_get_list(TYPE_CHARDEV, false);
    ChardevClass *found = NULL;

    for (GSList *l = list; l && !found; l = l->next) {
        ChardevClass *cc = CHARDEV_CLASS(l->data);

        if (cc->backend && !strcmp(cc->backend, backend)) {
            found = cc;
        }
    }
    g_slist_free(list);
    return found;
}

static bool chardev_check_options(ChardevClass *cc, JsonObject *opts,
                                  Error **errp)
{
    g_autoptr(GList) keys = json_object_get_members(opts);

    for (GList *l = keys; l; l = l->next) {
        if (!cc->options || !g_strv_contains(cc->options, l->data)) {
            error_setg(errp, "Invalid parameter '%s'", (char *)l->data);
            return false;
        }
    }
    return true;
}

/* opts: the backend's options as strings (without "backend" and "id"). */
static Chardev *chardev_create(const char *backend, const char *id,
                               JsonObject *opts, Error **errp)
{
    ChardevClass *cc = chardev_class_by_backend(backend);
    Chardev *chr;

    if (!cc) {
        error_setg(errp, "'%s' is not a valid char driver name", backend);
        return NULL;
    }
    if (!id) {
        error_setg(errp, "chardev: \"%s\" requires an id", backend);
        return NULL;
    }
    if (!id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        return NULL;
    }
    if (qemu_chr_find(id)) {
        error_setg(errp, "Chardev '%s' already exists", id);
        return NULL;
    }
    if (!chardev_check_options(cc, opts, errp)) {
        return NULL;
    }

    chr = CHARDEV(object_new_with_class(OBJECT_CLASS(cc)));
    chr->label = g_strdup(id);
    if (!cc->open(chr, opts, errp)) {
        object_unref(chr);
        return NULL;
    }
    object_property_add_child(chardev_container(), id, OBJECT(chr));
    object_unref(chr);
    return chr;
}

Chardev *qemu_chr_new_from_opts(Keyval *opts, Error **errp)
{
    JsonObject *o = keyval_to_json_object(opts);
    g_autofree char *backend = NULL;
    g_autofree char *id = NULL;
    Chardev *chr = NULL;

    if (json_object_has_member(o, "backend")) {
        backend = g_strdup(json_object_get_string_member(o, "backend"));
        json_object_remove_member(o, "backend");
    }
    if (json_object_has_member(o, "id")) {
        id = g_strdup(json_object_get_string_member(o, "id"));
        json_object_remove_member(o, "id");
    }
    if (!backend) {
        error_setg(errp, "chardev: backend is missing");
    } else {
        chr = chardev_create(backend, id, o, errp);
    }
    json_object_unref(o);
    return chr;
}

/*
 * "unix:PATH,..." and "fd:N,..." become socket options with the path or
 * fd as the first key; the old bare "server" and "nowait" flags parse as
 * server=on and nowait=on.
 */
static JsonObject *legacy_socket_opts(const char *key, const char *rest,
                                      Error **errp)
{
    g_autofree char *params = g_strdup_printf("%s=%s", key, rest);
    g_autoptr(Keyval) kv = NULL;
    bool help = false;

    kv = keyval_parse(params, NULL, true, &help, errp);
    if (!kv) {
        return NULL;
    }
    if (help) {
        error_setg(errp, "Invalid parameter 'help'");
        return NULL;
    }
    return keyval_to_json_object(kv);
}

Chardev *qemu_chr_new(const char *id, const char *spec, Error **errp)
{
    JsonObject *opts;
    const char *backend = "socket";
    Chardev *chr;

    if (!strcmp(spec, "stdio")) {
        backend = "stdio";
        opts = json_object_new();
    } else if (g_str_has_prefix(spec, "unix:")) {
        opts = legacy_socket_opts("path", spec + strlen("unix:"), errp);
    } else if (g_str_has_prefix(spec, "fd:")) {
        opts = legacy_socket_opts("fd", spec + strlen("fd:"), errp);
    } else {
        error_setg(errp, "'%s' is not a valid char device specification", spec);
        return NULL;
    }
    if (!opts) {
        return NULL;
    }
    chr = chardev_create(backend, id, opts, errp);
    json_object_unref(opts);
    return chr;
}

static bool chardev_get_connected(Object *obj, Error **errp)
{
    return qemu_chr_is_connected(CHARDEV(obj));
}

static void chardev_init(Object *obj)
{
    Chardev *chr = CHARDEV(obj);

    chr->rfd = -1;
    chr->wfd = -1;
}

static void chardev_finalize(Object *obj)
{
    Chardev *chr = CHARDEV(obj);

    if (chr->be) {
        chr->be->chr = NULL;
    }
    qemu_chr_release_stream(chr);
    g_free(chr->label);
}

static void chardev_class_init(ObjectClass *oc, const void *data)
{
    object_class_property_add_bool(oc, "connected", chardev_get_connected,
                                   NULL);
    object_class_property_set_description(
        oc, "connected", "Whether a peer is connected to the chardev");
}

static const TypeInfo chardev_types[] = {
    {
        .name = TYPE_CHARDEV,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(Chardev),
        .instance_init = chardev_init,
        .instance_finalize = chardev_finalize,
        .abstract = true,
        .class_size = sizeof(ChardevClass),
        .class_init = chardev_class_init,
    },
};

DEFINE_TYPES(chardev_types)
