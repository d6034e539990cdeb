/*
 * Host memory backends: user-creatable objects (-object memory-backend-ram)
 * that provide guest RAM. A backend backs one user at a time (the machine's
 * RAM or one NUMA node): "mapped" records that it is taken.
 */
#ifndef SYSTEM_HOSTMEM_H
#define SYSTEM_HOSTMEM_H

#include "qom/object.h"
#include "system/memory.h"

#define TYPE_MEMORY_BACKEND "memory-backend"
#define TYPE_MEMORY_BACKEND_RAM "memory-backend-ram"

/* The region once the backend is complete, else NULL. */
MemoryRegion *host_memory_backend_get_memory(Object *backend);
bool host_memory_backend_is_mapped(Object *backend);
void host_memory_backend_set_mapped(Object *backend, bool mapped);

#endif
