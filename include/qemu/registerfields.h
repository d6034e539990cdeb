/*
 * Register and descriptor field helpers: declare each layout once.
 *
 *   REG32(CR0, 0x20)              -> A_CR0 (byte offset), R_CR0 (word index)
 *   FIELD(CR0, CMDQEN, 3, 1)      -> R_CR0_CMDQEN_SHIFT/_LENGTH/_MASK
 *   FIELD_EX32(val, CR0, CMDQEN)  -> extract
 *   FIELD_DP32(val, CR0, CMDQEN, 1) -> deposit; an oversized constant is
 *                                   a build-time warning (bitfield overflow)
 *
 * In-memory descriptors (STE, CD, commands, events) use the same macros on
 * 64-bit words: FIELD(STE0, CONFIG, 1, 3) then FIELD_EX64(ste[0], STE0, CONFIG).
 */
#ifndef QEMU_REGISTERFIELDS_H
#define QEMU_REGISTERFIELDS_H

#include "qemu/osdep.h"
#include "qemu/bitops.h"

#define REG8(reg, addr)                                                        \
    enum { A_##reg = (addr) };                                                 \
    enum { R_##reg = (addr) };
#define REG16(reg, addr)                                                       \
    enum { A_##reg = (addr) };                                                 \
    enum { R_##reg = (addr) / 2 };
#define REG32(reg, addr)                                                       \
    enum { A_##reg = (addr) };                                                 \
    enum { R_##reg = (addr) / 4 };
#define REG64(reg, addr)                                                       \
    enum { A_##reg = (addr) };                                                 \
    enum { R_##reg = (addr) / 8 };

#define FIELD(reg, field, shift, length)                                       \
    enum { R_##reg##_##field##_SHIFT = (shift) };                              \
    enum { R_##reg##_##field##_LENGTH = (length) };                            \
    static const uint64_t R_##reg##_##field##_MASK QEMU_UNUSED =               \
        MAKE_64BIT_MASK(shift, length);

#define FIELD_EX8(storage, reg, field)                                         \
    extract8((storage), R_##reg##_##field##_SHIFT, R_##reg##_##field##_LENGTH)
#define FIELD_EX16(storage, reg, field)                                        \
    extract16((storage), R_##reg##_##field##_SHIFT, R_##reg##_##field##_LENGTH)
#define FIELD_EX32(storage, reg, field)                                        \
    extract32((storage), R_##reg##_##field##_SHIFT, R_##reg##_##field##_LENGTH)
#define FIELD_EX64(storage, reg, field)                                        \
    extract64((storage), R_##reg##_##field##_SHIFT, R_##reg##_##field##_LENGTH)

#define ARRAY_FIELD_EX32(regs, reg, field) FIELD_EX32((regs)[R_##reg], reg, field)
#define ARRAY_FIELD_EX64(regs, reg, field) FIELD_EX64((regs)[R_##reg], reg, field)

/* The anonymous bitfield makes an out-of-range constant warn at build time. */
#define FIELD_DP8(storage, reg, field, val)                                    \
    ({                                                                         \
        struct {                                                               \
            unsigned int v : R_##reg##_##field##_LENGTH;                       \
        } _v = {.v = (val)};                                                   \
        deposit32((storage), R_##reg##_##field##_SHIFT,                        \
                  R_##reg##_##field##_LENGTH, _v.v) & 0xff;                    \
    })
#define FIELD_DP16(storage, reg, field, val)                                   \
    ({                                                                         \
        struct {                                                               \
            unsigned int v : R_##reg##_##field##_LENGTH;                       \
        } _v = {.v = (val)};                                                   \
        deposit32((storage), R_##reg##_##field##_SHIFT,                        \
                  R_##reg##_##field##_LENGTH, _v.v) & 0xffff;                  \
    })
#define FIELD_DP32(storage, reg, field, val)                                   \
    ({                                                                         \
        struct {                                                               \
            unsigned int v : R_##reg##_##field##_LENGTH;                       \
        } _v = {.v = (val)};                                                   \
        deposit32((storage), R_##reg##_##field##_SHIFT,                        \
                  R_##reg##_##field##_LENGTH, _v.v);                           \
    })
#define FIELD_DP64(storage, reg, field, val)                                   \
    ({                                                                         \
        struct {                                                               \
            uint64_t v : R_##reg##_##field##_LENGTH;                           \
        } _v = {.v = (val)};                                                   \
        deposit64((storage), R_##reg##_##field##_SHIFT,                        \
                  R_##reg##_##field##_LENGTH, _v.v);                           \
    })

#define ARRAY_FIELD_DP32(regs, reg, field, val)                                \
    ((regs)[R_##reg] = FIELD_DP32((regs)[R_##reg], reg, field, val))
#define ARRAY_FIELD_DP64(regs, reg, field, val)                                \
    ((regs)[R_##reg] = FIELD_DP64((regs)[R_##reg], reg, field, val))

#endif
