/*
 * Entry point of qemu-system-ARCH (built once per target).
 */
#include "qemu/osdep.h"
#include "system/runstate.h"
#include "system/vl.h"

const char *const qemu_target_name = QEMU_TARGET_NAME;

int main(int argc, char **argv)
{
    qemu_init(argc, argv);
    qemu_cleanup_and_exit(qemu_main_loop());
}
