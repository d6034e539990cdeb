/*
 * ECAM configuration access and firmware-style PCI enumeration for qtests.
 */
#include "libqtest-pci.h"

#include <string.h>

/* Configuration space layout (PCI Local Bus / PCIe base spec). */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_COMMAND_IO 0x1
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CLASS_PROG 0x09
#define PCI_HEADER_TYPE 0x0e
#define PCI_HEADER_TYPE_MULTI 0x80
#define PCI_BASE_ADDRESS_0 0x10
#define PCI_BASE_ADDRESS_IO 0x1
#define PCI_BASE_ADDRESS_MEM_TYPE_64 0x4
#define PCI_BASE_ADDRESS_MEM_TYPE_MASK 0x6
#define PCI_CAPABILITY_LIST 0x34
#define PCI_PRIMARY_BUS 0x18
#define PCI_SECONDARY_BUS 0x19
#define PCI_SUBORDINATE_BUS 0x1a
#define PCI_IO_BASE 0x1c
#define PCI_IO_LIMIT 0x1d
#define PCI_MEMORY_BASE 0x20
#define PCI_MEMORY_LIMIT 0x22
#define PCI_PREF_MEMORY_BASE 0x24
#define PCI_PREF_MEMORY_LIMIT 0x26
#define PCI_PREF_BASE_UPPER32 0x28
#define PCI_PREF_LIMIT_UPPER32 0x2c
#define PCI_IO_BASE_UPPER16 0x30
#define PCI_IO_LIMIT_UPPER16 0x32
#define PCI_CONFIG_SIZE 0x1000
#define PCI_EXT_CAP_START 0x100

#define BRIDGE_WINDOW_ALIGN (1ULL << 20)
#define FOUR_GIB (1ULL << 32)

struct QPCIECAM {
    QTestState *qts;
    uint64_t base;
    int nbuses;
};

QPCIECAM *qpci_ecam_new(QTestState *s, uint64_t ecam_base, int nbuses)
{
    QPCIECAM *ecam = g_new0(QPCIECAM, 1);

    g_assert(nbuses > 0 && nbuses <= 256);
    ecam->qts = s;
    ecam->base = ecam_base;
    ecam->nbuses = nbuses;
    return ecam;
}

void qpci_ecam_free(QPCIECAM *ecam)
{
    g_free(ecam);
}

static uint64_t ecam_addr(QPCIECAM *ecam, int bus, int devfn, int offset,
                          int size)
{
    g_assert(bus >= 0 && bus < ecam->nbuses);
    g_assert(devfn >= 0 && devfn < 256);
    g_assert(offset >= 0 && offset + size <= PCI_CONFIG_SIZE);
    return ecam->base + ((uint64_t)bus << 20) + ((uint64_t)devfn << 12) +
           offset;
}

uint8_t qpci_config_readb(QPCIECAM *ecam, int bus, int devfn, int offset)
{
    return qtest_readb(ecam->qts, ecam_addr(ecam, bus, devfn, offset, 1));
}

uint16_t qpci_config_readw(QPCIECAM *ecam, int bus, int devfn, int offset)
{
    return qtest_readw(ecam->qts, ecam_addr(ecam, bus, devfn, offset, 2));
}

uint32_t qpci_config_readl(QPCIECAM *ecam, int bus, int devfn, int offset)
{
    return qtest_readl(ecam->qts, ecam_addr(ecam, bus, devfn, offset, 4));
}

void qpci_config_writeb(QPCIECAM *ecam, int bus, int devfn, int offset,
                        uint8_t value)
{
    qtest_writeb(ecam->qts, ecam_addr(ecam, bus, devfn, offset, 1), value);
}

void qpci_config_writew(QPCIECAM *ecam, int bus, int devfn, int offset,
                        uint16_t value)
{
    qtest_writew(ecam->qts, ecam_addr(ecam, bus, devfn, offset, 2), value);
}

void qpci_config_writel(QPCIECAM *ecam, int bus, int devfn, int offset,
                        uint32_t value)
{
    qtest_writel(ecam->qts, ecam_addr(ecam, bus, devfn, offset, 4), value);
}

static bool function_present(QPCIECAM *ecam, int bus, int devfn)
{
    return qpci_config_readw(ecam, bus, devfn, PCI_VENDOR_ID) != 0xffff;
}

/* Calls fn for every function on the bus; stops when fn returns true. */
static bool foreach_function(QPCIECAM *ecam, int bus,
                             bool (*fn)(QPCIECAM *ecam, int bus, int devfn,
                                        void *opaque),
                             void *opaque)
{
    for (int slot = 0; slot < 32; slot++) {
        uint8_t header;
        int nfuncs;

        if (!function_present(ecam, bus, QPCI_DEVFN(slot, 0))) {
            continue;
        }
        header = qpci_config_readb(ecam, bus, QPCI_DEVFN(slot, 0),
                                   PCI_HEADER_TYPE);
        nfuncs = header & PCI_HEADER_TYPE_MULTI ? 8 : 1;
        for (int fn_nr = 0; fn_nr < nfuncs; fn_nr++) {
            int devfn = QPCI_DEVFN(slot, fn_nr);

            if ((fn_nr == 0 || function_present(ecam, bus, devfn)) &&
                fn(ecam, bus, devfn, opaque)) {
                return true;
            }
        }
    }
    return false;
}

typedef struct FindDevice {
    uint32_t id; /* device << 16 | vendor */
    int *bus;
    int *devfn;
} FindDevice;

static bool match_device(QPCIECAM *ecam, int bus, int devfn, void *opaque)
{
    FindDevice *find = opaque;

    if (qpci_config_readl(ecam, bus, devfn, PCI_VENDOR_ID) != find->id) {
        return false;
    }
    *find->bus = bus;
    *find->devfn = devfn;
    return true;
}

bool qpci_find_device(QPCIECAM *ecam, uint16_t vendor, uint16_t device,
                      int *bus, int *devfn)
{
    FindDevice find = {(uint32_t)device << 16 | vendor, bus, devfn};

    for (int b = 0; b < ecam->nbuses; b++) {
        if (foreach_function(ecam, b, match_device, &find)) {
            return true;
        }
    }
    return false;
}

/* Enumeration */

typedef struct QPCIEnum {
    QPCIECAM *ecam;
    uint64_t next; /* allocation cursor in the MMIO window */
    uint64_t end;
    int next_bus;
    int bus_limit; /* last bus number the current root may hand out */
    GPtrArray *found;
} QPCIEnum;

static uint64_t align_up(uint64_t value, uint64_t align)
{
    return (value + align - 1) & ~(align - 1);
}

static bool is_bridge(QPCIECAM *ecam, int bus, int devfn)
{
    return (qpci_config_readb(ecam, bus, devfn, PCI_HEADER_TYPE) &
            ~PCI_HEADER_TYPE_MULTI) == 1;
}

/* Sizes a memory BAR; returns its size (0: absent or I/O). */
static uint64_t bar_probe(QPCIECAM *ecam, int bus, int devfn, int off,
                          bool last, bool *is64)
{
    uint32_t probe;
    uint64_t mask;

    qpci_config_writel(ecam, bus, devfn, off, 0xffffffff);
    probe = qpci_config_readl(ecam, bus, devfn, off);
    *is64 = !last && (probe & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
                         PCI_BASE_ADDRESS_MEM_TYPE_64;
    if (!probe || (probe & PCI_BASE_ADDRESS_IO)) {
        qpci_config_writel(ecam, bus, devfn, off, 0);
        *is64 = false;
        return 0;
    }
    mask = probe & ~0xfULL;
    if (*is64) {
        qpci_config_writel(ecam, bus, devfn, off + 4, 0xffffffff);
        mask |= (uint64_t)qpci_config_readl(ecam, bus, devfn, off + 4) << 32;
    } else {
        mask |= 0xffffffff00000000ULL;
    }
    return ~mask + 1;
}

static void assign_bars(QPCIEnum *en, QPCIFunction *f, int nbars)
{
    QPCIECAM *ecam = en->ecam;

    for (int i = 0; i < nbars; i++) {
        int off = PCI_BASE_ADDRESS_0 + 4 * i;
        bool is64;
        uint64_t size =
            bar_probe(ecam, f->bus, f->devfn, off, i == nbars - 1, &is64);
        uint64_t addr;

        if (size) {
            addr = align_up(en->next, size);
            g_assert_cmphex(addr + size, <=, en->end);
            qpci_config_writel(ecam, f->bus, f->devfn, off, (uint32_t)addr);
            if (is64) {
                qpci_config_writel(ecam, f->bus, f->devfn, off + 4, addr >> 32);
            }
            f->bar[i] = addr;
            f->bar_size[i] = size;
            en->next = addr + size;
        }
        if (is64) {
            i++;
        }
    }
}

static void set_bridge_windows(QPCIECAM *ecam, QPCIFunction *f, uint64_t start,
                               uint64_t end)
{
    int bus = f->bus, devfn = f->devfn;
    bool used = end > start;
    bool low = end <= FOUR_GIB;

    /* A base above its limit disables a window. */
    qpci_config_writeb(ecam, bus, devfn, PCI_IO_BASE, 0xf0);
    qpci_config_writeb(ecam, bus, devfn, PCI_IO_LIMIT, 0x00);
    qpci_config_writew(ecam, bus, devfn, PCI_IO_BASE_UPPER16, 0);
    qpci_config_writew(ecam, bus, devfn, PCI_IO_LIMIT_UPPER16, 0);
    if (used && low) {
        qpci_config_writew(ecam, bus, devfn, PCI_MEMORY_BASE,
                           (start >> 16) & 0xfff0);
        qpci_config_writew(ecam, bus, devfn, PCI_MEMORY_LIMIT,
                           ((end - 1) >> 16) & 0xfff0);
    } else {
        qpci_config_writew(ecam, bus, devfn, PCI_MEMORY_BASE, 0xfff0);
        qpci_config_writew(ecam, bus, devfn, PCI_MEMORY_LIMIT, 0);
    }
    if (used && !low) {
        qpci_config_writew(ecam, bus, devfn, PCI_PREF_MEMORY_BASE,
                           (start >> 16) & 0xfff0);
        qpci_config_writew(ecam, bus, devfn, PCI_PREF_MEMORY_LIMIT,
                           ((end - 1) >> 16) & 0xfff0);
        qpci_config_writel(ecam, bus, devfn, PCI_PREF_BASE_UPPER32,
                           start >> 32);
        qpci_config_writel(ecam, bus, devfn, PCI_PREF_LIMIT_UPPER32,
                           (end - 1) >> 32);
    } else {
        qpci_config_writew(ecam, bus, devfn, PCI_PREF_MEMORY_BASE, 0xfff0);
        qpci_config_writew(ecam, bus, devfn, PCI_PREF_MEMORY_LIMIT, 0);
        qpci_config_writel(ecam, bus, devfn, PCI_PREF_BASE_UPPER32, 0);
        qpci_config_writel(ecam, bus, devfn, PCI_PREF_LIMIT_UPPER32, 0);
    }
}

static void enumerate_bus(QPCIEnum *en, int bus);

static void enumerate_bridge(QPCIEnum *en, QPCIFunction *f)
{
    QPCIECAM *ecam = en->ecam;
    uint64_t start;

    g_assert_cmpint(en->next_bus, <=, en->bus_limit);
    f->secondary_bus = en->next_bus++;
    qpci_config_writeb(ecam, f->bus, f->devfn, PCI_PRIMARY_BUS, f->bus);
    qpci_config_writeb(ecam, f->bus, f->devfn, PCI_SECONDARY_BUS,
                       f->secondary_bus);
    /* Forward every number still free until the subtree is known. */
    qpci_config_writeb(ecam, f->bus, f->devfn, PCI_SUBORDINATE_BUS,
                       en->bus_limit);

    en->next = align_up(en->next, BRIDGE_WINDOW_ALIGN);
    start = en->next;
    enumerate_bus(en, f->secondary_bus);
    en->next = align_up(en->next, BRIDGE_WINDOW_ALIGN);
    g_assert_cmphex(en->next, <=, en->end);

    f->subordinate_bus = en->next_bus - 1;
    qpci_config_writeb(ecam, f->bus, f->devfn, PCI_SUBORDINATE_BUS,
                       f->subordinate_bus);
    set_bridge_windows(ecam, f, start, en->next);
}

static bool enumerate_function(QPCIECAM *ecam, int bus, int devfn, void *opaque)
{
    QPCIEnum *en = opaque;
    QPCIFunction *f = g_new0(QPCIFunction, 1);
    uint16_t cmd = qpci_config_readw(ecam, bus, devfn, PCI_COMMAND);

    f->bus = bus;
    f->devfn = devfn;
    f->vendor_id = qpci_config_readw(ecam, bus, devfn, PCI_VENDOR_ID);
    f->device_id = qpci_config_readw(ecam, bus, devfn, PCI_DEVICE_ID);
    f->class_code =
        qpci_config_readl(ecam, bus, devfn, PCI_CLASS_PROG - 1) >> 8;
    f->header_type = qpci_config_readb(ecam, bus, devfn, PCI_HEADER_TYPE) &
                     ~PCI_HEADER_TYPE_MULTI;
    g_ptr_array_add(en->found, f);

    qpci_config_writew(ecam, bus, devfn, PCI_COMMAND,
                       cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
    if (f->header_type == 0) {
        assign_bars(en, f, 6);
    } else if (f->header_type == 1) {
        assign_bars(en, f, 2);
        enumerate_bridge(en, f);
    }
    qpci_config_writew(ecam, bus, devfn, PCI_COMMAND,
                       (cmd & ~PCI_COMMAND_IO) | PCI_COMMAND_MEMORY |
                           PCI_COMMAND_MASTER);
    return false;
}

static void enumerate_bus(QPCIEnum *en, int bus)
{
    foreach_function(en->ecam, bus, enumerate_function, en);
}

typedef struct BusScan {
    bool answers[256];
    bool covered[256]; /* behind a bridge numbered earlier */
    GArray *bridges;   /* bus << 8 | devfn, in scan order */
} BusScan;

static bool scan_function(QPCIECAM *ecam, int bus, int devfn, void *opaque)
{
    BusScan *scan = opaque;
    int sec, sub;

    scan->answers[bus] = true;
    if (!is_bridge(ecam, bus, devfn)) {
        return false;
    }
    g_array_append_val(scan->bridges, (int){bus << 8 | devfn});
    sec = qpci_config_readb(ecam, bus, devfn, PCI_SECONDARY_BUS);
    sub = qpci_config_readb(ecam, bus, devfn, PCI_SUBORDINATE_BUS);
    for (int b = sec; sec && b <= sub; b++) {
        scan->covered[b] = true;
    }
    return false;
}

/*
 * Finds the root buses (bus 0 and the buses that answer without being
 * behind a bridge) and clears the numbers left by an earlier enumeration,
 * deepest bridges first: they sit on higher bus numbers.
 */
static GArray *find_roots(QPCIECAM *ecam)
{
    g_autofree BusScan *scan = g_new0(BusScan, 1);
    GArray *roots = g_array_new(false, false, sizeof(int));

    scan->bridges = g_array_new(false, false, sizeof(int));
    for (int bus = 0; bus < ecam->nbuses; bus++) {
        foreach_function(ecam, bus, scan_function, scan);
    }
    for (int bus = 0; bus < ecam->nbuses; bus++) {
        if (bus == 0 || (scan->answers[bus] && !scan->covered[bus])) {
            g_array_append_val(roots, bus);
        }
    }
    for (int i = scan->bridges->len - 1; i >= 0; i--) {
        int id = g_array_index(scan->bridges, int, i);

        qpci_config_writeb(ecam, id >> 8, id & 0xff, PCI_SUBORDINATE_BUS, 0);
        qpci_config_writeb(ecam, id >> 8, id & 0xff, PCI_SECONDARY_BUS, 0);
        qpci_config_writeb(ecam, id >> 8, id & 0xff, PCI_PRIMARY_BUS, 0);
    }
    g_array_free(scan->bridges, true);
    return roots;
}

GPtrArray *qpci_enumerate(QPCIECAM *ecam, uint64_t mmio_base,
                          uint64_t mmio_size)
{
    QPCIEnum en = {
        .ecam = ecam,
        .next = mmio_base,
        .end = mmio_base + mmio_size,
        .found = g_ptr_array_new_with_free_func(g_free),
    };
    g_autoptr(GArray) roots = find_roots(ecam);

    for (guint i = 0; i < roots->len; i++) {
        int root = g_array_index(roots, int, i);

        en.next_bus = root + 1;
        en.bus_limit = i + 1 < roots->len ? g_array_index(roots, int, i + 1) - 1
                                          : ecam->nbuses - 1;
        enumerate_bus(&en, root);
    }
    return en.found;
}

QPCIFunction *qpci_function_find(GPtrArray *functions, uint16_t vendor,
                                 uint16_t device)
{
    for (guint i = 0; i < functions->len; i++) {
        QPCIFunction *f = functions->pdata[i];

        if (f->vendor_id == vendor && f->device_id == device) {
            return f;
        }
    }
    return NULL;
}

/* Capabilities */

uint8_t qpci_find_cap(QPCIECAM *ecam, int bus, int devfn, uint8_t cap_id)
{
    uint8_t ptr;

    if (!(qpci_config_readw(ecam, bus, devfn, PCI_STATUS) &
          PCI_STATUS_CAP_LIST)) {
        return 0;
    }
    ptr = qpci_config_readb(ecam, bus, devfn, PCI_CAPABILITY_LIST) & 0xfc;
    /* At most 48 capabilities fit in 0x40..0xff: more means a loop. */
    for (int i = 0; ptr && i < 48; i++) {
        if (qpci_config_readb(ecam, bus, devfn, ptr) == cap_id) {
            return ptr;
        }
        ptr = qpci_config_readb(ecam, bus, devfn, ptr + 1) & 0xfc;
    }
    return 0;
}

/* Walks the extended chain; stops early when fn returns true. */
static uint16_t ext_cap_walk(QPCIECAM *ecam, int bus, int devfn,
                             bool (*fn)(uint16_t id, void *opaque),
                             void *opaque, bool *looped)
{
    bool seen[PCI_CONFIG_SIZE / 4] = {false};
    uint16_t off = PCI_EXT_CAP_START;

    if (looped) {
        *looped = false;
    }
    while (off) {
        uint32_t hdr;

        if (off < PCI_EXT_CAP_START || seen[off / 4]) {
            if (looped) {
                *looped = true;
            }
            return 0;
        }
        seen[off / 4] = true;
        hdr = qpci_config_readl(ecam, bus, devfn, off);
        if (hdr == 0 || hdr == 0xffffffff) {
            return 0;
        }
        if (fn(hdr & 0xffff, opaque)) {
            return off;
        }
        off = (hdr >> 20) & 0xffc;
    }
    return 0;
}

static bool ext_cap_is(uint16_t id, void *opaque)
{
    return id == *(uint16_t *)opaque;
}

uint16_t qpci_find_ext_cap(QPCIECAM *ecam, int bus, int devfn, uint16_t cap_id)
{
    return ext_cap_walk(ecam, bus, devfn, ext_cap_is, &cap_id, NULL);
}

static bool ext_cap_append(uint16_t id, void *opaque)
{
    g_array_append_val((GArray *)opaque, id);
    return false;
}

GArray *qpci_ext_cap_list(QPCIECAM *ecam, int bus, int devfn, bool *looped)
{
    GArray *ids = g_array_new(false, false, sizeof(guint16));

    ext_cap_walk(ecam, bus, devfn, ext_cap_append, ids, looped);
    return ids;
}
