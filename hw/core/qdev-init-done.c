/*
 * Machine creation phases: "creation done" (later devices are hot-plugged)
 * and the machine-init-done notifiers that run once all cold-plugged
 * devices exist.
 */
#include "qemu/osdep.h"
#include "hw/core/qdev.h"

typedef struct InitDoneNotifier {
    MachineInitDoneFn fn;
    void *opaque;
} InitDoneNotifier;

static bool creation_done;
static GList *init_done_notifiers; /* InitDoneNotifier*, in order added */

bool qdev_machine_creation_done_p(void)
{
    return creation_done;
}

void qdev_machine_creation_done(void)
{
    creation_done = true;
}

void qdev_add_machine_init_done(MachineInitDoneFn fn, void *opaque)
{
    InitDoneNotifier *n = g_new(InitDoneNotifier, 1);

    n->fn = fn;
    n->opaque = opaque;
    init_done_notifiers = g_list_append(init_done_notifiers, n);
}

void qdev_remove_machine_init_done(MachineInitDoneFn fn, void *opaque)
{
    for (GList *l = init_done_notifiers; l; l = l->next) {
        InitDoneNotifier *n = l->data;

        if (n->fn == fn && n->opaque == opaque) {
            init_done_notifiers = g_list_delete_link(init_done_notifiers, l);
            g_free(n);
            return;
        }
    }
}

bool qdev_run_machine_init_done(Error **errp)
{
    /* A notifier may remove itself: walk a snapshot of the list. */
    g_autoptr(GList) snapshot = g_list_copy(init_done_notifiers);

    for (GList *l = snapshot; l; l = l->next) {
        InitDoneNotifier *n = l->data;

        if (!g_list_find(init_done_notifiers, n)) {
            continue;
        }
        if (!n->fn(n->opaque, errp)) {
            return false;
        }
    }
    return true;
}
