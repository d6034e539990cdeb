/* Unit tests are not an emulator binary; messages use this name. */
#include "qemu/osdep.h"

const char *const qemu_target_name = "unit-test";
