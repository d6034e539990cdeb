/*
 * "-machine help" and "-machine TYPE,help" output.
 */
#include "qemu/osdep.h"
#include "hw/boards.h"
#include "hw/core/qdev-properties.h"

void machine_print_help(void)
{
    g_autoptr(GSList) list = machine_class_list_sorted();

    printf("Supported machines are:\n");
    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;
        const char *desc = mc->desc ? mc->desc : "";

        if (mc->alias) {
            printf("%-20s %s (alias of %s)\n", mc->alias, desc, mc->name);
        }
        printf("%-20s %s%s%s\n", mc->name, desc,
               mc->is_default ? " (default)" : "",
               mc->deprecation_reason ? " (deprecated)" : "");
    }
}

static gint help_line_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool machine_print_properties(const char *name, Error **errp)
{
    MachineClass *mc = find_machine_class(name);
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    ObjectPropertyIterator iter;
    ObjectProperty *prop;

    if (!mc) {
        error_setg(errp, "unsupported machine type: \"%s\"", name);
        error_append_hint(errp,
                          "Use -machine help to list supported machines\n");
        return false;
    }
    object_class_property_iter_init(&iter, OBJECT_CLASS(mc));
    while ((prop = object_property_iter_next(&iter))) {
        if (prop->set) {
            g_ptr_array_add(lines, qdev_property_help_line(prop));
        }
    }
    g_ptr_array_sort(lines, help_line_cmp);
    printf("%s options:\n", object_class_get_name(OBJECT_CLASS(mc)));
    for (guint i = 0; i < lines->len; i++) {
        printf("%s\n", (char *)g_ptr_array_index(lines, i));
    }
    return true;
}
