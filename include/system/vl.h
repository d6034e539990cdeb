/*
 * Start-up: command line to running machine, in QEMU's order (see
 * ARCHITECTURE.md "Start-up sequence"), and the values it records for
 * the rest of the program.
 */
#ifndef SYSTEM_VL_H
#define SYSTEM_VL_H

#include "qemu/osdep.h"

/*
 * Parses argv, builds the machine and its devices and sets the run
 * state. Help and -version print and exit(0); any failure prints one
 * "qemu-system-ARCH: [-option arg: ]message" line and exits(1).
 */
void qemu_init(int argc, char **argv);

/* -name guest=NAME, or NULL when not given (query-name). */
const char *qemu_get_vm_name(void);
/* -uuid, or the all-zero UUID when not given (query-uuid). */
const char *qemu_get_vm_uuid(void);

#endif
