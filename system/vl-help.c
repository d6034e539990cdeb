/*
 * Help output: -h, -version and the "help" forms of the options.
 */
#include "qemu/osdep.h"
#include "config-host.h"
#include "chardev/char.h"
#include "monitor/qdev.h"
#include "qom/object_interfaces.h"
#include "system/vl-internal.h"

void vl_print_version(void)
{
    /* Tools parse the first line, so it keeps QEMU's format. */
    printf("QEMU emulator version " QEMU_VERSION "\n"
           "A QEMU-compatible emulator of the device-assignment plane "
           "(vIOMMU, VFIO, iommufd).\n");
}

static const char usage_text[] =
    "usage: %s [options]\n"
    "\n"
    "Device models of the device-assignment plane driven over qtest and\n"
    "QMP; no guest CPU is executed.\n"
    "\n"
    "Machine:\n"
    "  -machine|-M [type=]NAME[,prop=value...]  machine type and properties\n"
    "                        (-machine help lists the types)\n"
    "  -accel qtest          the accelerator (the only one available)\n"
    "  -m [size=]SIZE[,slots=N,maxmem=SIZE]  RAM size (default unit MiB)\n"
    "  -smp [cpus=]N[,maxcpus=,sockets=,dies=,clusters=,cores=,threads=]\n"
    "  -numa node,nodeid=N,memdev=ID,cpus=A[-B]  (also dist, cpu)\n"
    "  -cpu MODEL            CPU model (recorded; -cpu help)\n"
    "  -bios FILE            firmware image (recorded)\n"
    "  -boot [order=]DEVS[,once=,menu=,strict=on|off,...]\n"
    "\n"
    "Devices and objects:\n"
    "  -device DRIVER[,prop=value...] | -device JSON  (-device help)\n"
    "  -object TYPE,id=ID[,prop=value...] | -object JSON  (-object help)\n"
    "  -global DRIVER.PROP=VALUE | -global driver=D,property=P,value=V\n"
    "\n"
    "Monitors and test control:\n"
    "  -chardev BACKEND,id=ID[,...]  character device (socket, stdio)\n"
    "  -mon chardev=ID,mode=control[,pretty=on]  QMP monitor on a chardev\n"
    "  -qmp SPEC | -qmp-pretty SPEC  QMP monitor, e.g. "
    "unix:PATH,server=on,wait=off\n"
    "  -qtest SPEC           connect the qtest protocol, e.g. unix:PATH\n"
    "  -qtest-log FILE       log qtest traffic\n"
    "  -add-fd fd=N,set=M[,opaque=TEXT]  put an inherited fd in an fd set\n"
    "\n"
    "Host:\n"
    "  -host-model NAME|FILE[,fail=IOCTL[:NTH[:ERRNO]]]\n"
    "                        answer iommufd/VFIO requests from a host model\n"
    "                        (bundled NAME or JSON FILE; 'help' lists them);\n"
    "                        default: the kernel if /dev/iommu exists, else\n"
    "                        the bundled grace-hopper model\n"
    "\n"
    "Process:\n"
    "  -name [guest=]NAME[,debug-threads=on|off]\n"
    "  -uuid UUID            -S  start stopped (prelaunch)\n"
    "  -no-shutdown          -nodefaults  -no-user-config\n"
    "  -display none         -nographic   -audiodev none,id=ID  -audio none\n"
    "  -msg timestamp=on|off -overcommit mem-lock=on|off|on-fault\n"
    "  -sandbox on|off[,...] (validated only; no seccomp filter)\n"
    "  -rtc base=utc|localtime|DATE[,clock=,driftfix=]\n"
    "  -run-with exit-with-parent=on|off[,chroot=DIR][,user=USER]\n"
    "  -watchdog-action ACTION  -pidfile FILE  -readconfig FILE\n"
    "  -net none  -nic none  -serial none  -parallel none  -vga none\n"
    "  -version  -h|-help\n";

void vl_print_usage(void)
{
    printf(usage_text, error_get_progname());
}

bool vl_help_machine(const char *arg, Error **errp)
{
    if (arg) {
        return machine_print_properties(arg, errp);
    }
    machine_print_help();
    return true;
}

bool vl_help_device(const char *arg, Error **errp)
{
    if (arg) {
        return qdev_print_device_help(arg, errp);
    }
    qdev_print_device_list();
    return true;
}

bool vl_help_object(const char *arg, Error **errp)
{
    if (arg) {
        return user_creatable_print_type_properites(arg, errp);
    }
    user_creatable_print_types();
    return true;
}

bool vl_help_accel(const char *arg, Error **errp)
{
    printf("Accelerators supported in QEMU binary:\nqtest\n");
    return true;
}

bool vl_help_cpu(const char *arg, Error **errp)
{
    const char *const *models = vl_cpu_models();

    printf("Available CPUs:\n");
    for (int i = 0; models[i]; i++) {
        printf("  %s\n", models[i]);
    }
    return true;
}

bool vl_help_display(const char *arg, Error **errp)
{
    printf("Available display backend types:\nnone\n");
    return true;
}

bool vl_help_audio(const char *arg, Error **errp)
{
    printf("Available audio drivers:\nnone\n");
    return true;
}

bool vl_help_chardev(const char *arg, Error **errp)
{
    g_autoptr(GSList) list = object_class_get_list_sorted(TYPE_CHARDEV,
                                                          false);
    size_t prefix = strlen(TYPE_CHARDEV "-");

    printf("Available chardev backend types:\n");
    for (GSList *l = list; l; l = l->next) {
        const char *name = object_class_get_name(l->data);

        if (g_str_has_prefix(name, TYPE_CHARDEV "-")) {
            printf("  %s\n", name + prefix);
        }
    }
    return true;
}
