/*
 * Little-endian values of 1 to 8 bytes in byte buffers: config space,
 * region accesses and qtest data are little-endian whatever the host is.
 */
#ifndef QEMU_BSWAP_H
#define QEMU_BSWAP_H

#include "qemu/osdep.h"

static inline uint64_t ldn_le_p(const void *ptr, unsigned size)
{
    const uint8_t *p = ptr;
    uint64_t val = 0;

    for (unsigned i = 0; i < size; i++) {
        val |= (uint64_t)p[i] << (8 * i);
    }
    return val;
}

static inline void stn_le_p(void *ptr, unsigned size, uint64_t val)
{
    uint8_t *p = ptr;

    for (unsigned i = 0; i < size; i++) {
        p[i] = val >> (8 * i);
    }
}

#endif
