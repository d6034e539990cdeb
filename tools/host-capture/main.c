/*
 * qemu-host-capture: writes a host description of the given host PCI
 * devices to stdout, for -host-model FILE.
 *
 *   qemu-host-capture [--host-model SPEC] [--name NAME] DDDD:BB:DD.F...
 *
 * The devices must be bound to vfio-pci (VFIO cdevs). --host-model runs
 * the capture against a model host instead of the kernel (for testing).
 */
#include "qemu/osdep.h"
#include "capture.h"
#include "backends/host-ops.h"

const char *const qemu_target_name = "host-capture";

int main(int argc, char **argv)
{
    g_autofree char *spec = NULL;
    g_autofree char *name = NULL;
    g_autofree char *text = NULL;
    g_autoptr(GOptionContext) ctx = NULL;
    g_autoptr(GError) gerr = NULL;
    Error *err = NULL;
    GOptionEntry entries[] = {
        {"host-model", 0, 0, G_OPTION_ARG_STRING, &spec,
         "Capture from a model host (NAME, FILE or linux)", "SPEC"},
        {"name", 0, 0, G_OPTION_ARG_STRING, &name,
         "Name of the host description (default: captured)", "NAME"},
        {NULL},
    };

    error_set_progname(argv[0]);
    ctx = g_option_context_new("DDDD:BB:DD.F... - capture a host "
                               "description");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse(ctx, &argc, &argv, &gerr)) {
        error_report("%s", gerr->message);
        return 1;
    }
    if (argc < 2) {
        error_report("expected at least one PCI address (try --help)");
        return 1;
    }
    if (!host_ops_select(spec ? spec : "linux", &err)) {
        error_report_err(err);
        return 1;
    }
    text = host_capture((const char *const *)argv + 1,
                        name ? name : "captured", &err);
    if (!text) {
        error_report_err(err);
        return 1;
    }
    fputs(text, stdout);
    return 0;
}
