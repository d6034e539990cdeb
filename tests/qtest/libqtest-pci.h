/*
 * PCI configuration space through ECAM for qtests, and a small
 * firmware-style enumerator (bus numbers, BARs, bridge windows).
 */
#ifndef LIBQTEST_PCI_H
#define LIBQTEST_PCI_H

#include "libqtest.h"

/* ECAM windows of the machines (bus 0 at the base, 1 MiB per bus). */
#define QPCI_ECAM_VIRT 0x4010000000ULL /* 256 MiB: buses 0..255 */
#define QPCI_ECAM_Q35 0xb0000000ULL

#define QPCI_DEVFN(slot, fn) (((slot) << 3) | (fn))
#define QPCI_SLOT(devfn) ((devfn) >> 3)
#define QPCI_FUNC(devfn) ((devfn)&7)

typedef struct QPCIECAM QPCIECAM;

/* A function found by qpci_enumerate. */
typedef struct QPCIFunction {
    int bus;
    int devfn;
    uint16_t vendor_id;
    uint16_t device_id;
    uint32_t class_code;  /* base class << 16 | subclass << 8 | prog-if */
    uint8_t header_type;  /* 0 endpoint, 1 bridge (multi-function bit off) */
    uint64_t bar[6];      /* assigned memory address, 0: none */
    uint64_t bar_size[6]; /* 0: not implemented or I/O */
    int secondary_bus;    /* bridges only */
    int subordinate_bus;
} QPCIFunction;

QPCIECAM *qpci_ecam_new(QTestState *s, uint64_t ecam_base, int nbuses);
void qpci_ecam_free(QPCIECAM *ecam);

uint8_t qpci_config_readb(QPCIECAM *ecam, int bus, int devfn, int offset);
uint16_t qpci_config_readw(QPCIECAM *ecam, int bus, int devfn, int offset);
uint32_t qpci_config_readl(QPCIECAM *ecam, int bus, int devfn, int offset);
void qpci_config_writeb(QPCIECAM *ecam, int bus, int devfn, int offset,
                        uint8_t value);
void qpci_config_writew(QPCIECAM *ecam, int bus, int devfn, int offset,
                        uint16_t value);
void qpci_config_writel(QPCIECAM *ecam, int bus, int devfn, int offset,
                        uint32_t value);

/*
 * Scans every bus for vendor:device (first match in bus, devfn order).
 * Functions behind bridges are only visible once bus numbers are
 * assigned (qpci_enumerate).
 */
bool qpci_find_device(QPCIECAM *ecam, uint16_t vendor, uint16_t device,
                      int *bus, int *devfn);

/*
 * Enumerates like firmware: root buses are bus 0 and every other bus that
 * answers before numbering (expander buses such as pxb-pcie); bridges get
 * primary/secondary/subordinate numbers depth first; memory BARs are
 * sized and placed in [mmio_base, mmio_base + mmio_size) with natural
 * alignment; bridge memory windows cover what is behind them (in 1 MiB
 * units; the prefetchable window is used when they lie above 4 GiB); I/O
 * BARs and windows are left unassigned. Memory decoding and bus mastering
 * are enabled. Returns QPCIFunction* in discovery order (free with
 * g_ptr_array_unref). Can be run again, e.g. after a reset.
 */
GPtrArray *qpci_enumerate(QPCIECAM *ecam, uint64_t mmio_base,
                          uint64_t mmio_size);
/* The first function with vendor:device in an enumeration, or NULL. */
QPCIFunction *qpci_function_find(GPtrArray *functions, uint16_t vendor,
                                 uint16_t device);

/* Offset of a standard capability, or 0. */
uint8_t qpci_find_cap(QPCIECAM *ecam, int bus, int devfn, uint8_t cap_id);
/* Offset of an extended capability (chain from 0x100), or 0. */
uint16_t qpci_find_ext_cap(QPCIECAM *ecam, int bus, int devfn, uint16_t cap_id);
/*
 * Extended capability IDs (guint16) in chain order. The walk stops at a
 * pointer that is out of range or seen before; *looped (may be NULL) tells
 * whether that happened.
 */
GArray *qpci_ext_cap_list(QPCIECAM *ecam, int bus, int devfn, bool *looped);

#endif
