/*
 * SMMUv3 internals: the register map, the in-memory formats (STE, CD,
 * commands, event records), each declared once with its fields right
 * below it, and the interfaces between the smmuv3-*.c files.
 */
#ifndef HW_ARM_SMMUV3_INTERNAL_H
#define HW_ARM_SMMUV3_INTERNAL_H

#include "qemu/registerfields.h"
#include "hw/arm/smmuv3.h"

typedef struct HostIOMMUDevice HostIOMMUDevice;

/* ---- Registers, page 0 ---- */

REG32(IDR0, 0x0)
    FIELD(IDR0, S2P, 0, 1)
    FIELD(IDR0, S1P, 1, 1)
    FIELD(IDR0, TTF, 2, 2)
    FIELD(IDR0, COHACC, 4, 1)
    FIELD(IDR0, BTM, 5, 1)
    FIELD(IDR0, HTTU, 6, 2)
    FIELD(IDR0, HYP, 9, 1)
    FIELD(IDR0, ATS, 10, 1)
    FIELD(IDR0, ASID16, 12, 1)
    FIELD(IDR0, MSI, 13, 1)
    FIELD(IDR0, PRI, 16, 1)
    FIELD(IDR0, VMID16, 18, 1)
    FIELD(IDR0, CD2L, 19, 1)
    FIELD(IDR0, TTENDIAN, 21, 2)
    FIELD(IDR0, STALL_MODEL, 24, 2)
    FIELD(IDR0, TERM_MODEL, 26, 1)
    FIELD(IDR0, ST_LEVEL, 27, 2)
#define IDR0_TTF_AA64 2
#define IDR0_TTENDIAN_LE 2
#define IDR0_STALL_MODEL_TERMINATE 1
#define IDR0_ST_LEVEL_2LVL 1

REG32(IDR1, 0x4)
    FIELD(IDR1, SIDSIZE, 0, 6)
    FIELD(IDR1, SSIDSIZE, 6, 5)
    FIELD(IDR1, PRIQS, 11, 5)
    FIELD(IDR1, EVENTQS, 16, 5)
    FIELD(IDR1, CMDQS, 21, 5)
#define SMMU_SIDSIZE 16
#define SMMU_CMDQS 19
#define SMMU_EVENTQS 19

REG32(IDR2, 0x8)
REG32(IDR3, 0xc)
    FIELD(IDR3, HAD, 2, 1)
    FIELD(IDR3, XNX, 4, 1)
    FIELD(IDR3, RIL, 10, 1)
    FIELD(IDR3, BBML, 11, 2)
#define IDR3_BBML2 2

REG32(IDR4, 0x10)
REG32(IDR5, 0x14)
    FIELD(IDR5, OAS, 0, 3)
    FIELD(IDR5, GRAN4K, 4, 1)
    FIELD(IDR5, GRAN16K, 5, 1)
    FIELD(IDR5, GRAN64K, 6, 1)
    FIELD(IDR5, VAX, 10, 2)
#define IDR5_OAS_44 4
#define IDR5_OAS_48 5

/* Address bits of an OAS (or STE/CD IPS/PS) encoding; all are 3 bits. */
static inline unsigned smmuv3_oas_bits(unsigned enc)
{
    static const uint8_t bits[8] = {32, 36, 40, 42, 44, 48, 52, 56};

    return bits[enc & 7];
}

REG32(IIDR, 0x18)
    FIELD(IIDR, IMPLEMENTER, 0, 12)
    FIELD(IIDR, REVISION, 12, 4)
    FIELD(IIDR, VARIANT, 16, 4)
    FIELD(IIDR, PRODUCTID, 20, 12)
#define IIDR_IMPLEMENTER_ARM 0x43b
#define IIDR_PRODUCTID 0x54b

REG32(AIDR, 0x1c)
    FIELD(AIDR, MINOR, 0, 4)
    FIELD(AIDR, MAJOR, 4, 4)
#define AIDR_SMMUV3_1 1

REG32(CR0, 0x20)
    FIELD(CR0, SMMUEN, 0, 1)
    FIELD(CR0, PRIQEN, 1, 1)
    FIELD(CR0, EVENTQEN, 2, 1)
    FIELD(CR0, CMDQEN, 3, 1)
    FIELD(CR0, ATSCHK, 4, 1)
/* PRI and VMW are not implemented: their enables are RES0. */
#define CR0_WRITABLE                                                           \
    (R_CR0_SMMUEN_MASK | R_CR0_EVENTQEN_MASK | R_CR0_CMDQEN_MASK |          \
     R_CR0_ATSCHK_MASK)

REG32(CR0ACK, 0x24)
REG32(CR1, 0x28)
    FIELD(CR1, QUEUE_IC, 0, 2)
    FIELD(CR1, QUEUE_OC, 2, 2)
    FIELD(CR1, QUEUE_SH, 4, 2)
    FIELD(CR1, TABLE_IC, 6, 2)
    FIELD(CR1, TABLE_OC, 8, 2)
    FIELD(CR1, TABLE_SH, 10, 2)
#define CR1_WRITABLE MAKE_64BIT_MASK(0, 12)

REG32(CR2, 0x2c)
    FIELD(CR2, E2H, 0, 1)
    FIELD(CR2, RECINVSID, 1, 1)
    FIELD(CR2, PTM, 2, 1)
/* E2H needs IDR0.HYP, which is 0. */
#define CR2_WRITABLE (R_CR2_RECINVSID_MASK | R_CR2_PTM_MASK)

REG32(STATUSR, 0x40)

REG32(GBPA, 0x44)
    FIELD(GBPA, MEMATTR, 0, 4)
    FIELD(GBPA, MTCFG, 4, 1)
    FIELD(GBPA, ALLOCCFG, 8, 4)
    FIELD(GBPA, SHCFG, 12, 2)
    FIELD(GBPA, PRIVCFG, 16, 2)
    FIELD(GBPA, INSTCFG, 18, 2)
    FIELD(GBPA, ABORT, 20, 1)
    FIELD(GBPA, UPDATE, 31, 1)
#define GBPA_SHCFG_INCOMING 1
#define GBPA_RESET_VAL (GBPA_SHCFG_INCOMING << R_GBPA_SHCFG_SHIFT)
#define GBPA_WRITABLE                                                          \
    (R_GBPA_MEMATTR_MASK | R_GBPA_MTCFG_MASK | R_GBPA_ALLOCCFG_MASK |       \
     R_GBPA_SHCFG_MASK | R_GBPA_PRIVCFG_MASK | R_GBPA_INSTCFG_MASK |        \
     R_GBPA_ABORT_MASK)

REG32(AGBPA, 0x48)

REG32(IRQ_CTRL, 0x50)
    FIELD(IRQ_CTRL, GERROR_IRQEN, 0, 1)
    FIELD(IRQ_CTRL, PRIQ_IRQEN, 1, 1)
    FIELD(IRQ_CTRL, EVENTQ_IRQEN, 2, 1)
#define IRQ_CTRL_WRITABLE                                                      \
    (R_IRQ_CTRL_GERROR_IRQEN_MASK | R_IRQ_CTRL_EVENTQ_IRQEN_MASK)

REG32(IRQ_CTRLACK, 0x54)

REG32(GERROR, 0x60)
    FIELD(GERROR, CMDQ_ERR, 0, 1)
    FIELD(GERROR, EVTQ_ABT_ERR, 2, 1)
    FIELD(GERROR, PRIQ_ABT_ERR, 3, 1)
    FIELD(GERROR, MSI_CMDQ_ABT_ERR, 4, 1)
    FIELD(GERROR, MSI_EVTQ_ABT_ERR, 5, 1)
    FIELD(GERROR, MSI_PRIQ_ABT_ERR, 6, 1)
    FIELD(GERROR, MSI_GERROR_ABT_ERR, 7, 1)
    FIELD(GERROR, SFM_ERR, 8, 1)
#define GERROR_MASK MAKE_64BIT_MASK(0, 9)

REG32(GERRORN, 0x64)

REG64(GERROR_IRQ_CFG0, 0x68)
REG32(GERROR_IRQ_CFG1, 0x70)
REG32(GERROR_IRQ_CFG2, 0x74)
/* Shared by the three *_IRQ_CFG* sets. */
#define IRQ_CFG0_ADDR_MASK MAKE_64BIT_MASK(2, 50)
#define IRQ_CFG2_MASK MAKE_64BIT_MASK(0, 6)

REG64(STRTAB_BASE, 0x80)
    FIELD(STRTAB_BASE, ADDR, 6, 46)
    FIELD(STRTAB_BASE, RA, 62, 1)
#define STRTAB_BASE_WRITABLE                                                   \
    (R_STRTAB_BASE_ADDR_MASK | R_STRTAB_BASE_RA_MASK)

REG32(STRTAB_BASE_CFG, 0x88)
    FIELD(STRTAB_BASE_CFG, LOG2SIZE, 0, 6)
    FIELD(STRTAB_BASE_CFG, SPLIT, 6, 5)
    FIELD(STRTAB_BASE_CFG, FMT, 16, 2)
#define STRTAB_BASE_CFG_FMT_LINEAR 0
#define STRTAB_BASE_CFG_FMT_2LVL 1
#define STRTAB_BASE_CFG_WRITABLE                                               \
    (R_STRTAB_BASE_CFG_LOG2SIZE_MASK | R_STRTAB_BASE_CFG_SPLIT_MASK |       \
     R_STRTAB_BASE_CFG_FMT_MASK)

/* CMDQ_BASE, EVENTQ_BASE (and PRIQ_BASE) share one layout. */
REG64(CMDQ_BASE, 0x90)
    FIELD(Q_BASE, LOG2SIZE, 0, 5)
    FIELD(Q_BASE, ADDR, 5, 47)
    FIELD(Q_BASE, RA, 62, 1)
#define Q_BASE_WRITABLE                                                        \
    (R_Q_BASE_LOG2SIZE_MASK | R_Q_BASE_ADDR_MASK | R_Q_BASE_RA_MASK)

REG32(CMDQ_PROD, 0x98)
REG32(CMDQ_CONS, 0x9c)
    FIELD(CMDQ_CONS, ERR, 24, 7)
/* Queue positions: index and wrap bit in the low 20 bits at most. */
#define Q_POS_MASK MAKE_64BIT_MASK(0, 20)

REG64(EVENTQ_BASE, 0xa0)
REG32(EVENTQ_PROD, 0xa8)
    FIELD(EVENTQ_PROD, OVFLG, 31, 1)
REG32(EVENTQ_CONS, 0xac)
    FIELD(EVENTQ_CONS, OVACKFLG, 31, 1)
REG64(EVENTQ_IRQ_CFG0, 0xb0)
REG32(EVENTQ_IRQ_CFG1, 0xb8)
REG32(EVENTQ_IRQ_CFG2, 0xbc)

/* PRI is not implemented (IDR0.PRI = 0): the PRIQ block reads as zero. */
REG64(PRIQ_BASE, 0xc0)
REG32(PRIQ_PROD, 0xc8)
REG32(PRIQ_CONS, 0xcc)
REG64(PRIQ_IRQ_CFG0, 0xd0)
REG32(PRIQ_IRQ_CFG2, 0xdc)

/* CoreSight identification block: PIDR4-7, PIDR0-3, CIDR0-3. */
REG32(PIDR4, 0xfd0)
REG32(CIDR3, 0xffc)

/* Page 1 holds the queue pointers the consumer/producer side moves. */
#define SMMU_PAGE1 0x10000

/* ---- Queue positions ---- */

/* Effective log2 size: the *_BASE value capped by the IDR1 limit. */
static inline unsigned smmu_q_log2size(const SMMUQueue *q, unsigned max)
{
    return MIN(FIELD_EX64(q->base, Q_BASE, LOG2SIZE), max);
}

static inline uint32_t smmu_q_idx(uint32_t pos, unsigned log2size)
{
    return pos & ((1u << log2size) - 1);
}

static inline uint32_t smmu_q_wrap(uint32_t pos, unsigned log2size)
{
    return extract32(pos, log2size, 1);
}

static inline bool smmu_q_empty(uint32_t prod, uint32_t cons,
                                unsigned log2size)
{
    return smmu_q_idx(prod, log2size) == smmu_q_idx(cons, log2size) &&
           smmu_q_wrap(prod, log2size) == smmu_q_wrap(cons, log2size);
}

static inline bool smmu_q_full(uint32_t prod, uint32_t cons,
                               unsigned log2size)
{
    return smmu_q_idx(prod, log2size) == smmu_q_idx(cons, log2size) &&
           smmu_q_wrap(prod, log2size) != smmu_q_wrap(cons, log2size);
}

/* The next position: index + 1 carrying into the wrap bit. */
static inline uint32_t smmu_q_inc(uint32_t pos, unsigned log2size)
{
    return deposit32(pos, 0, log2size + 1, pos + 1);
}

/*
 * Entry address. A base not aligned to the queue size is used as given
 * (the architecture leaves it CONSTRAINED UNPREDICTABLE; QEMU and its
 * tests use unaligned queues).
 */
static inline uint64_t smmu_q_entry_addr(const SMMUQueue *q, uint32_t pos,
                                         unsigned log2size,
                                         unsigned entry_size)
{
    return (q->base & R_Q_BASE_ADDR_MASK) +
           (uint64_t)smmu_q_idx(pos, log2size) * entry_size;
}

/* ---- DMA of little-endian dwords (tables, queues) ---- */

static inline bool smmuv3_dma_read(uint64_t addr, uint64_t *dw, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        MemTxResult res;

        dw[i] = address_space_ldq_le(&address_space_memory, addr + 8 * i,
                                     MEMTXATTRS_UNSPECIFIED, &res);
        if (res != MEMTX_OK) {
            return false;
        }
    }
    return true;
}

static inline bool smmuv3_dma_write(uint64_t addr, const uint64_t *dw,
                                    unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        MemTxResult res;

        address_space_stq_le(&address_space_memory, addr + 8 * i, dw[i],
                             MEMTXATTRS_UNSPECIFIED, &res);
        if (res != MEMTX_OK) {
            return false;
        }
    }
    return true;
}

/* ---- Stream table ---- */

#define STE_SIZE 64
#define STE_DWORDS 8

/* Level-1 stream table descriptor (two-level format). */
FIELD(L1STD, SPAN, 0, 5)
FIELD(L1STD, L2PTR, 6, 46)
#define L1STD_SIZE 8

FIELD(STE0, V, 0, 1)
FIELD(STE0, CONFIG, 1, 3)
FIELD(STE0, S1FMT, 4, 2)
FIELD(STE0, S1CTXPTR, 6, 46)
FIELD(STE0, S1CDMAX, 59, 5)
/* STE.Config: bit 2 set means "not abort"; bits 1:0 = S2, S1 enables. */
#define STE_CONFIG_ABORT 0
#define STE_CONFIG_BYPASS 4
#define STE_CONFIG_S1_TRANS 5
#define STE_CONFIG_S2_TRANS 6
#define STE_CONFIG_NESTED 7
#define STE_S1FMT_LINEAR 0
#define STE_S1FMT_4K_L2 1
#define STE_S1FMT_64K_L2 2

FIELD(STE1, S1DSS, 0, 2)
FIELD(STE1, S1CIR, 2, 2)
FIELD(STE1, S1COR, 4, 2)
FIELD(STE1, S1CSH, 6, 2)
FIELD(STE1, S1STALLD, 27, 1)
FIELD(STE1, EATS, 28, 2)
FIELD(STE1, STRW, 30, 2)
FIELD(STE1, SHCFG, 44, 2)
#define STE_S1DSS_TERMINATE 0
#define STE_S1DSS_BYPASS 1
#define STE_S1DSS_SSID0 2
#define STE_STRW_NSEL1 0

FIELD(STE2, S2VMID, 0, 16)
FIELD(STE2, S2T0SZ, 32, 6)
FIELD(STE2, S2SL0, 38, 2)
FIELD(STE2, S2IR0, 40, 2)
FIELD(STE2, S2OR0, 42, 2)
FIELD(STE2, S2SH0, 44, 2)
FIELD(STE2, S2TG, 46, 2)
FIELD(STE2, S2PS, 48, 3)
FIELD(STE2, S2AA64, 51, 1)
FIELD(STE2, S2ENDI, 52, 1)
FIELD(STE2, S2AFFD, 53, 1)
FIELD(STE2, S2PTW, 54, 1)
FIELD(STE2, S2S, 57, 1)
FIELD(STE2, S2R, 58, 1)

FIELD(STE3, S2TTB, 4, 48)

/* ---- Context descriptors ---- */

#define CD_SIZE 64

/* Level-1 CD table descriptor. */
FIELD(L1CD, V, 0, 1)
FIELD(L1CD, L2PTR, 12, 40)
#define L1CD_SIZE 8
/* CDs per level-2 table: 4 KiB and 64 KiB leaf tables. */
#define CD_L2_SPLIT_4K 6
#define CD_L2_SPLIT_64K 10

FIELD(CD0, T0SZ, 0, 6)
FIELD(CD0, TG0, 6, 2)
FIELD(CD0, EPD0, 14, 1)
FIELD(CD0, ENDI, 15, 1)
FIELD(CD0, T1SZ, 16, 6)
FIELD(CD0, TG1, 22, 2)
FIELD(CD0, EPD1, 30, 1)
FIELD(CD0, V, 31, 1)
FIELD(CD0, IPS, 32, 3)
FIELD(CD0, AFFD, 35, 1)
FIELD(CD0, TBI, 38, 2)
FIELD(CD0, AA64, 41, 1)
FIELD(CD0, HD, 42, 1)
FIELD(CD0, HA, 43, 1)
FIELD(CD0, S, 44, 1)
FIELD(CD0, R, 45, 1)
FIELD(CD0, A, 46, 1)
FIELD(CD0, ASET, 47, 1)
FIELD(CD0, ASID, 48, 16)
/* TG0 and TG1 encode granules differently (as TCR_EL1 does). */
#define CD_TG0_4K 0
#define CD_TG0_64K 1
#define CD_TG0_16K 2
#define CD_TG1_16K 1
#define CD_TG1_4K 2
#define CD_TG1_64K 3

FIELD(CD1, NSCFG0, 0, 1)
FIELD(CD1, HAD0, 1, 1)
FIELD(CD1, TTB0, 4, 48)

FIELD(CD2, NSCFG1, 0, 1)
FIELD(CD2, HAD1, 1, 1)
FIELD(CD2, TTB1, 4, 48)

/* ---- Commands (16 bytes) ---- */

#define CMD_SIZE 16

/* Fields of dword 0, by command family. */
FIELD(CMD0, OPCODE, 0, 8)
FIELD(CMD0, SSV, 11, 1)
FIELD(CMD0, SSID, 12, 20)
FIELD(CMD0, SID, 32, 32)
FIELD(CMD0, TLBI_NUM, 12, 5)
FIELD(CMD0, TLBI_SCALE, 20, 5)
FIELD(CMD0, TLBI_VMID, 32, 16)
FIELD(CMD0, TLBI_ASID, 48, 16)
FIELD(CMD0, ATC_GLOBAL, 9, 1)
FIELD(CMD0, SYNC_CS, 12, 2)
FIELD(CMD0, SYNC_MSIDATA, 32, 32)
#define CMD_SYNC_CS_NONE 0
#define CMD_SYNC_CS_IRQ 1
#define CMD_SYNC_CS_SEV 2

/* Fields of dword 1. */
FIELD(CMD1, LEAF, 0, 1)
FIELD(CMD1, STE_RANGE, 0, 5)
FIELD(CMD1, TLBI_TTL, 8, 2)
FIELD(CMD1, TLBI_TG, 10, 2)
FIELD(CMD1, ADDR, 12, 52)
FIELD(CMD1, IPA, 12, 40)
FIELD(CMD1, ATC_SIZE, 0, 6)
FIELD(CMD1, SYNC_MSIADDR, 2, 50)
/* CFGI_STE_RANGE with range 31 covers every StreamID ("CFGI_ALL"). */
#define CMD_STE_RANGE_ALL 31

typedef enum SMMUv3CmdOp {
    CMD_PREFETCH_CONFIG = 0x01,
    CMD_PREFETCH_ADDR = 0x02,
    CMD_CFGI_STE = 0x03,
    CMD_CFGI_STE_RANGE = 0x04,
    CMD_CFGI_CD = 0x05,
    CMD_CFGI_CD_ALL = 0x06,
    CMD_CFGI_ALL = 0x07,
    CMD_TLBI_NH_ALL = 0x10,
    CMD_TLBI_NH_ASID = 0x11,
    CMD_TLBI_NH_VA = 0x12,
    CMD_TLBI_NH_VAA = 0x13,
    CMD_TLBI_EL3_ALL = 0x18,
    CMD_TLBI_EL3_VA = 0x1a,
    CMD_TLBI_EL2_ALL = 0x20,
    CMD_TLBI_EL2_ASID = 0x21,
    CMD_TLBI_EL2_VA = 0x22,
    CMD_TLBI_EL2_VAA = 0x23,
    CMD_TLBI_S12_VMALL = 0x28,
    CMD_TLBI_S2_IPA = 0x2a,
    CMD_TLBI_NSNH_ALL = 0x30,
    CMD_ATC_INV = 0x40,
    CMD_PRI_RESP = 0x41,
    CMD_RESUME = 0x44,
    CMD_STALL_TERM = 0x45,
    CMD_SYNC = 0x46,
} SMMUv3CmdOp;

/* CMDQ_CONS.ERR codes. */
typedef enum SMMUv3CmdError {
    CERROR_NONE = 0,
    CERROR_ILL = 1,
    CERROR_ABT = 2,
    CERROR_ATC_INV_SYNC = 3,
} SMMUv3CmdError;

/* A command decoded once from its two dwords. */
typedef struct SMMUv3Cmd {
    SMMUv3CmdOp op;
    const char *name;
    uint64_t raw[2];
    uint32_t sid;
    bool ssv;
    uint32_t ssid;
    bool leaf;
    uint8_t ste_range;     /* CFGI_STE_RANGE: log2 of the SID span */
    int asid;              /* TLBI */
    int vmid;              /* TLBI */
    uint64_t addr;         /* TLBI VA/IPA, ATC_INV address */
    uint8_t num;           /* TLBI range: NUM, SCALE, TG, TTL */
    uint8_t scale;
    uint8_t tg;
    uint8_t ttl;
    uint8_t atc_size;
    bool atc_global;
    uint8_t sync_cs;
} SMMUv3Cmd;

/* ---- Event records (32 bytes) ---- */

#define EVT_SIZE 32
#define EVT_DWORDS 4

FIELD(EVT0, ID, 0, 8)
FIELD(EVT0, SSV, 11, 1)
FIELD(EVT0, SSID, 12, 20)
FIELD(EVT0, SID, 32, 32)
FIELD(EVT1, STAG, 0, 16)
FIELD(EVT1, STALL, 31, 1)
FIELD(EVT1, PNU, 33, 1)
FIELD(EVT1, IND, 34, 1)
FIELD(EVT1, RNW, 35, 1)
FIELD(EVT1, S2, 39, 1)
FIELD(EVT1, CLASS, 40, 2)
FIELD(EVT2, ADDR, 0, 64)
FIELD(EVT3, ADDR2, 3, 49)   /* IPA or fetch address, bits 51:3 */

typedef enum SMMUv3EventId {
    EVT_F_UUT = 0x01,
    EVT_C_BAD_STREAMID = 0x02,
    EVT_F_STE_FETCH = 0x03,
    EVT_C_BAD_STE = 0x04,
    EVT_F_BAD_ATS_TREQ = 0x05,
    EVT_F_STREAM_DISABLED = 0x06,
    EVT_F_TRANS_FORBIDDEN = 0x07,
    EVT_C_BAD_SUBSTREAMID = 0x08,
    EVT_F_CD_FETCH = 0x09,
    EVT_C_BAD_CD = 0x0a,
    EVT_F_WALK_EABT = 0x0b,
    EVT_F_TRANSLATION = 0x10,
    EVT_F_ADDR_SIZE = 0x11,
    EVT_F_ACCESS = 0x12,
    EVT_F_PERMISSION = 0x13,
} SMMUv3EventId;

/* An event before encoding; fields an event type lacks stay zero. */
typedef struct SMMUv3Event {
    SMMUv3EventId id;
    uint32_t sid;
    bool ssv;
    uint32_t ssid;
    bool rnw;
    bool s2;
    SMMUFaultClass class;
    uint64_t addr;         /* input address */
    uint64_t addr2;        /* IPA (stage-2 faults) or fetch address */
} SMMUv3Event;

/* ---- Decoded configuration of one stream ---- */

typedef enum SMMUv3CfgMode {
    SMMUV3_CFG_ABORT,      /* terminate silently */
    SMMUV3_CFG_BYPASS,
    SMMUV3_CFG_TRANSLATE,
} SMMUv3CfgMode;

typedef struct SMMUv3Config {
    SMMUv3CfgMode mode;
    bool s1_record;        /* CD.R: record stage-1 faults */
    bool s2_record;        /* STE.S2R: record stage-2 faults */
    SMMUTransCfg tc;
} SMMUv3Config;

/* Largest number of decoded configurations kept before starting over. */
#define SMMUV3_CONFIG_CACHE_MAX 256

/* ---- Accelerated mode hooks ---- */

/*
 * What accel=on adds, supplied by the accelerated backend through
 * smmuv3_accel_register(). Every hook is optional and runs after the
 * emulated behaviour it extends. Without a registered backend, accel=on
 * devices behave as emulated ones (after the accel validation rules).
 */
struct SMMUv3AccelOps {
    /* Last realize step: after validation, the bus registration, MMIO,
     * IRQs and the ID registers. */
    bool (*realize)(SMMUv3State *s, Error **errp);
    /* After the emulated reset (queues, CR0, GBPA). */
    void (*reset)(SMMUv3State *s);
    /* After a CR0 write took effect and the command queue ran. */
    void (*cr0_write)(SMMUv3State *s, uint32_t old_cr0);
    /* After GBPA changed through an UPDATE write. */
    void (*gbpa_update)(SMMUv3State *s);
    /* After the emulation executed a valid command (CFGI_*, TLBI_*,
     * ATC_INV, ...); a failure turns it into CERROR_ILL. */
    bool (*cmd)(SMMUv3State *s, const SMMUv3Cmd *cmd, Error **errp);
    /* Batch boundary: at each CMD_SYNC (a failure is CERROR_ILL on the
     * sync) and when the queue drains (a failure is logged). */
    bool (*sync)(SMMUv3State *s, Error **errp);
    /* VIOMMU_FLAG_* added to the emulated ones. */
    uint64_t (*get_viommu_flags)(SMMUv3State *s);
    /* NULL result: the emulated per-device address space. */
    AddressSpace *(*get_address_space)(SMMUv3State *s, PCIBus *bus,
                                       int devfn);
    bool (*check_device)(SMMUv3State *s, PCIBus *bus, PCIDevice *dev,
                         Error **errp);
    bool (*set_iommu_device)(SMMUv3State *s, PCIBus *bus, int devfn,
                             HostIOMMUDevice *hiod, Error **errp);
    void (*unset_iommu_device)(SMMUv3State *s, PCIBus *bus, int devfn);
};

void smmuv3_accel_register(const SMMUv3AccelOps *ops);

/* ---- Between the smmuv3-*.c files ---- */

/* smmuv3.c */
/* ID registers from the properties; accel re-runs it after resolving
 * 'auto' values (the property fields then hold the resolved values). */
void smmuv3_init_id_regs(SMMUv3State *s);

/* smmuv3-regs.c */
extern const MemoryRegionOps smmuv3_mmio_ops;

/* smmuv3-irq.c */
/* Re-evaluates the EVTQ and GERROR lines (levels). */
void smmuv3_irq_update(SMMUv3State *s);
void smmuv3_irq_pulse_cmd_sync(SMMUv3State *s);
/* Activates a GERROR bit (toggles it unless already active). */
void smmuv3_gerror_raise(SMMUv3State *s, uint32_t mask);
void smmuv3_gerrorn_write(SMMUv3State *s, uint32_t val);
bool smmuv3_gerror_active(SMMUv3State *s, uint32_t mask);

/* smmuv3-evtq.c */
void smmuv3_record_event(SMMUv3State *s, const SMMUv3Event *evt);
/* Writes a raw record (e.g. from the host vEVENTQ) to the guest queue. */
void smmuv3_evtq_inject(SMMUv3State *s, const uint64_t rec[EVT_DWORDS]);

/* smmuv3-cmdq.c */
void smmuv3_cmdq_consume(SMMUv3State *s);

/* smmuv3-config.c */
/*
 * The configuration of a stream (cached). False when the transaction
 * must be terminated because of the tables: *evt is the event to record,
 * or has id 0 when none is due. iova/is_write describe the transaction
 * (for stage-2 faults while fetching its CD).
 */
bool smmuv3_get_config(SMMUv3State *s, uint32_t sid, uint64_t iova,
                       bool is_write, SMMUv3Config *cfg, SMMUv3Event *evt);
/*
 * The raw STE of a StreamID, as the decoder finds it (accelerated mode
 * hands it to the host). False when it cannot be located or read: *evt
 * is then the event the lookup would record (id 0: none).
 */
bool smmuv3_read_ste(SMMUv3State *s, uint32_t sid, uint64_t ste[STE_DWORDS],
                     SMMUv3Event *evt);
void smmuv3_config_inv_range(SMMUv3State *s, uint32_t first, uint32_t last);
void smmuv3_config_inv_all(SMMUv3State *s);

/* smmuv3-translate.c */
extern const IOMMUMemoryRegionOps smmuv3_iommu_ops;
/* The fault part of evt: event ID, S2, CLASS, IPA or fetch address. */
void smmuv3_fault_to_event(const SMMUFault *fault, SMMUv3Event *evt);

#endif
