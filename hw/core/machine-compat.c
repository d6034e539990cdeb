/*
 * Generic compat tables: hw_compat_X_Y[] restores the behaviour of QEMU
 * X.Y and earlier on machine types <= X.Y. Entries for a type missing from
 * a binary (arm-smmuv3 in x86_64) simply never match.
 */
#include "qemu/osdep.h"
#include "hw/boards.h"

GlobalProperty hw_compat_11_1[] = {
    {"x-compat-test-dev", "level", "2"}, /* test-only (compat-test) */
};
const size_t hw_compat_11_1_len = G_N_ELEMENTS(hw_compat_11_1);

GlobalProperty hw_compat_11_0[] = {
    /* 11.1 made these "auto" (resolved from the host SMMU when accel). */
    {"arm-smmuv3", "ats", "off"},
    {"arm-smmuv3", "ril", "on"},
    {"arm-smmuv3", "ssidsize", "0"},
    {"arm-smmuv3", "oas", "44"},
    /* ATS as on the physical device, and never a boot failure (11.1 ats). */
    {"vfio-pci", "ats", "on"},
    {"vfio-pci", "x-ats-strict", "off"},
    {"x-compat-test-dev", "level", "1"}, /* test-only (compat-test) */
};
const size_t hw_compat_11_0_len = G_N_ELEMENTS(hw_compat_11_0);
