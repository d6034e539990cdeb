/*
 * Bit extraction and deposit helpers.
 */
#ifndef QEMU_BITOPS_H
#define QEMU_BITOPS_H

#include "qemu/osdep.h"

#define BIT(n) (1U << (n))
#define BIT_ULL(n) (1ULL << (n))
#define MAKE_64BIT_MASK(shift, length)                                         \
    (((~0ULL) >> (64 - (length))) << (shift))

static inline uint8_t extract8(uint8_t value, int start, int length)
{
    return (value >> start) & (~0U >> (32 - length));
}

static inline uint16_t extract16(uint16_t value, int start, int length)
{
    return (value >> start) & (~0U >> (32 - length));
}

static inline uint32_t extract32(uint32_t value, int start, int length)
{
    return (value >> start) & (~0U >> (32 - length));
}

static inline uint64_t extract64(uint64_t value, int start, int length)
{
    return (value >> start) & (~0ULL >> (64 - length));
}

static inline uint32_t deposit32(uint32_t value, int start, int length,
                                 uint32_t fieldval)
{
    uint32_t mask = (~0U >> (32 - length)) << start;
    return (value & ~mask) | ((fieldval << start) & mask);
}

static inline uint64_t deposit64(uint64_t value, int start, int length,
                                 uint64_t fieldval)
{
    uint64_t mask = (~0ULL >> (64 - length)) << start;
    return (value & ~mask) | ((fieldval << start) & mask);
}

static inline int64_t sextract64(uint64_t value, int start, int length)
{
    return ((int64_t)(value << (64 - length - start))) >> (64 - length);
}

#endif
