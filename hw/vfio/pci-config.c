/*
 * The config space an assigned device shows the guest: built from the
 * physical one read through the VFIO config region, with the bits this
 * emulator owns (IDs it overrides, header type's multi-function bit,
 * BARs, ROM BAR, interrupt line, capability pointers) kept per bit in
 * emulated_config_bits. Guest reads merge the emulated bits with the
 * device's; writes reach the device unless every bit they touch is
 * emulated, and update the emulated state through the PCI core (which
 * maps BARs and gates bus-master DMA from the command register).
 */
#include "qemu/osdep.h"
#include "hw/vfio/pci-internal.h"
#include "qemu/bswap.h"

#define PCI_CLASS_CODE_OFFSET PCI_CLASS_PROG
#define PCI_CLASS_CODE_BYTES 3
#define PCI_MEM_BAR_MIN 16
#define PCI_IO_BAR_MIN 4
#define PCI_BAR_COUNT PCI_ROM_SLOT
#define PCI_DECODE_BITS                                                        \
    (PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)

void vfio_config_emulate(VFIOConfigSpace *cs, uint32_t off, int len,
                         uint32_t val, uint32_t mask)
{
    for (int i = 0; i < len; i++) {
        uint8_t m = mask >> (8 * i);
        uint8_t v = val >> (8 * i);

        cs->config[off + i] = (cs->config[off + i] & ~m) | (v & m);
        cs->wmask[off + i] &= ~m;
        cs->emulated[off + i] |= m;
    }
}

void vfio_config_own(VFIOConfigSpace *cs, uint32_t off, uint32_t len)
{
    memset(cs->emulated + off, 0xff, len);
}

uint32_t vfio_config_merge(const VFIOConfigSpace *cs, uint32_t off, int len,
                           uint32_t dev)
{
    uint32_t val = 0;

    for (int i = 0; i < len; i++) {
        uint8_t emu = cs->emulated[off + i];
        uint8_t byte = (cs->config[off + i] & emu) | ((dev >> (8 * i)) & ~emu);

        val |= (uint32_t)byte << (8 * i);
    }
    return val;
}

bool vfio_config_all_emulated(const VFIOConfigSpace *cs, uint32_t off, int len)
{
    for (int i = 0; i < len; i++) {
        if (cs->emulated[off + i] != 0xff) {
            return false;
        }
    }
    return true;
}

static VFIODevice *vbase(VFIOPCIDevice *vdev)
{
    return &vdev->vbasedev;
}

/* Reads the physical config space; a 256-byte one makes us conventional. */
static bool vfio_pci_read_phys_config(VFIOPCIDevice *vdev, Error **errp)
{
    PCIDevice *pdev = &vdev->pdev;
    const struct vfio_region_info *ri;

    ri = vfio_device_get_region_info(vbase(vdev), VFIO_PCI_CONFIG_REGION_INDEX,
                                     errp);
    if (!ri) {
        return false;
    }
    if (ri->size < PCI_CONFIG_SPACE_SIZE) {
        error_setg(errp, "%s: the config region is only 0x%" PRIx64 " bytes",
                   vbase(vdev)->name, (uint64_t)ri->size);
        return false;
    }
    if (ri->size < PCIE_CONFIG_SPACE_SIZE) {
        pdev->config_size = PCI_CONFIG_SPACE_SIZE;
        pdev->cap_present &= ~QEMU_PCI_CAP_EXPRESS;
    }
    vdev->phys_config = g_malloc0(pdev->config_size);
    return vfio_region_read(vbase(vdev), VFIO_PCI_CONFIG_REGION_INDEX, 0,
                            vdev->phys_config, pdev->config_size, errp) >= 0;
}

/* An x-pci-* override must fit its register. */
static bool vfio_pci_override(VFIOPCIDevice *vdev, const char *prop,
                              uint32_t val, uint32_t off, int len, Error **errp)
{
    uint32_t mask = len == 4 ? UINT32_MAX : (1u << (8 * len)) - 1;

    if (val == PCI_ANY_ID) {
        return true;
    }
    if (val > mask) {
        error_setg(errp, "%s: %s=0x%x does not fit in %d bytes", vdev->who,
                   prop, val, len);
        return false;
    }
    vfio_config_emulate(&vdev->cs, off, len, val, mask);
    return true;
}

static bool vfio_pci_overrides(VFIOPCIDevice *vdev, Error **errp)
{
    return vfio_pci_override(vdev, "x-pci-vendor-id", vdev->vendor_id,
                             PCI_VENDOR_ID, 2, errp) &&
           vfio_pci_override(vdev, "x-pci-device-id", vdev->device_id,
                             PCI_DEVICE_ID, 2, errp) &&
           vfio_pci_override(vdev, "x-pci-sub-vendor-id", vdev->sub_vendor_id,
                             PCI_SUBSYSTEM_VENDOR_ID, 2, errp) &&
           vfio_pci_override(vdev, "x-pci-sub-device-id", vdev->sub_device_id,
                             PCI_SUBSYSTEM_ID, 2, errp) &&
           vfio_pci_override(vdev, "x-pci-class-code", vdev->class_code,
                             PCI_CLASS_CODE_OFFSET, PCI_CLASS_CODE_BYTES, errp);
}

static bool vfio_pci_bar_size_ok(VFIOPCIDevice *vdev, int nr, uint64_t size,
                                 uint64_t min, Error **errp)
{
    if (size < min || (size & (size - 1))) {
        error_setg(errp,
                   "%s: region %d has size 0x%" PRIx64 ", not a "
                   "power of two of at least %" PRIu64 " bytes",
                   vdev->who, nr, size, min);
        return false;
    }
    return true;
}

/* BARs decode to the device's regions through pread/pwrite. */
static bool vfio_pci_setup_bars(VFIOPCIDevice *vdev, Error **errp)
{
    PCIDevice *pdev = &vdev->pdev;

    for (int i = 0; i < PCI_BAR_COUNT; i++) {
        uint32_t bar =
            pci_get_long(vdev->phys_config + PCI_BASE_ADDRESS_0 + 4 * i);
        bool io = bar & PCI_BASE_ADDRESS_SPACE_IO;
        uint8_t type = io ? PCI_BASE_ADDRESS_SPACE_IO
                          : bar & (PCI_BASE_ADDRESS_MEM_TYPE_MASK |
                                   PCI_BASE_ADDRESS_MEM_PREFETCH);
        bool mem64 = !io && (type & PCI_BASE_ADDRESS_MEM_TYPE_64);
        g_autofree char *name = NULL;
        VFIORegion *r = &vdev->bars[i];

        name = g_strdup_printf("%s BAR %d", vbase(vdev)->name, i);
        if (!vfio_region_setup(OBJECT(vdev), vbase(vdev), r, i, name, errp)) {
            return false;
        }
        if (!r->size) {
            continue;
        }
        if (!vfio_pci_bar_size_ok(vdev, i, r->size,
                                  io ? PCI_IO_BAR_MIN : PCI_MEM_BAR_MIN,
                                  errp)) {
            return false;
        }
        if (mem64 && i == PCI_BAR_COUNT - 1) {
            error_setg(errp, "%s: BAR %d is a 64-bit BAR without a next BAR",
                       vdev->who, i);
            return false;
        }
        pci_register_bar(pdev, i, type, &r->mem);
        if (mem64) {
            i++;
        }
    }
    return true;
}

/* The ROM BAR reads the device's ROM region; rombar=0 hides it. */
static bool vfio_pci_setup_rom(VFIOPCIDevice *vdev, Error **errp)
{
    PCIDevice *pdev = &vdev->pdev;
    g_autofree char *name = NULL;

    /* A romfile replaces the device's ROM; the PCI core loads it. */
    if (pdev->romfile && pdev->romfile[0]) {
        return true;
    }
    name = g_strdup_printf("%s ROM", vbase(vdev)->name);
    if (!vfio_region_setup(OBJECT(vdev), vbase(vdev), &vdev->rom,
                           VFIO_PCI_ROM_REGION_INDEX, name, errp)) {
        return false;
    }
    if (!pdev->rom_bar || !vdev->rom.size) {
        return true;
    }
    if (!vfio_pci_bar_size_ok(vdev, PCI_ROM_SLOT, vdev->rom.size,
                              PCI_MEM_BAR_MIN, errp)) {
        return false;
    }
    pci_register_bar(pdev, PCI_ROM_SLOT, PCI_BASE_ADDRESS_SPACE_MEMORY,
                     &vdev->rom.mem);
    return true;
}

void vfio_pci_disable_decoding(VFIOPCIDevice *vdev)
{
    uint16_t cmd = vfio_pci_read_config(&vdev->pdev, PCI_COMMAND, 2);

    vfio_pci_write_config(&vdev->pdev, PCI_COMMAND, cmd & ~PCI_DECODE_BITS, 2);
}

bool vfio_pci_config_setup(VFIOPCIDevice *vdev, Error **errp)
{
    PCIDevice *pdev = &vdev->pdev;
    VFIOConfigSpace *cs = &vdev->cs;

    if (!vfio_pci_read_phys_config(vdev, errp)) {
        return false;
    }
    vdev->emulated_config_bits = g_malloc0(pdev->config_size);
    *cs = (VFIOConfigSpace){
        .size = pdev->config_size,
        .config = pdev->config,
        .wmask = pdev->wmask,
        .emulated = vdev->emulated_config_bits,
    };
    memcpy(pdev->config, vdev->phys_config, pdev->config_size);

    if (!vfio_pci_overrides(vdev, errp)) {
        return false;
    }
    vfio_config_emulate(cs, PCI_HEADER_TYPE, 1,
                        pdev->multifunction ? PCI_HEADER_TYPE_MULTI_FUNCTION
                                            : 0,
                        PCI_HEADER_TYPE_MULTI_FUNCTION);
    /* The host's addresses mean nothing to the guest. */
    for (int i = 0; i < PCI_BAR_COUNT; i++) {
        vfio_config_emulate(cs, PCI_BASE_ADDRESS_0 + 4 * i, 4, 0, UINT32_MAX);
    }
    vfio_config_emulate(cs, PCI_ROM_ADDRESS, 4, 0, UINT32_MAX);
    pci_set_byte(pdev->config + PCI_INTERRUPT_LINE, 0);
    vfio_config_own(cs, PCI_INTERRUPT_LINE, 1);
    /* The command register stays the device's; only our copy starts off. */
    pci_word_test_and_clear_mask(pdev->config + PCI_COMMAND, PCI_DECODE_BITS);

    return vfio_pci_setup_bars(vdev, errp) && vfio_pci_setup_rom(vdev, errp);
}

uint32_t vfio_pci_read_config(PCIDevice *pdev, uint32_t addr, int len)
{
    VFIOPCIDevice *vdev = VFIO_PCI(pdev);
    uint8_t buf[4] = {0};
    Error *err = NULL;
    uint32_t dev = 0;

    if (!vfio_config_all_emulated(&vdev->cs, addr, len)) {
        if (vfio_region_read(vbase(vdev), VFIO_PCI_CONFIG_REGION_INDEX, addr,
                             buf, len, &err) < 0) {
            error_report_err(err);
            memset(buf, 0xff, sizeof(buf));
        }
        dev = ldn_le_p(buf, len);
    }
    return vfio_config_merge(&vdev->cs, addr, len, dev);
}

void vfio_pci_write_config(PCIDevice *pdev, uint32_t addr, uint32_t val,
                           int len)
{
    VFIOPCIDevice *vdev = VFIO_PCI(pdev);
    uint8_t buf[4];
    Error *err = NULL;

    if (!vfio_config_all_emulated(&vdev->cs, addr, len)) {
        stn_le_p(buf, len, val);
        if (vfio_region_write(vbase(vdev), VFIO_PCI_CONFIG_REGION_INDEX, addr,
                              buf, len, &err) < 0) {
            error_report_err(err);
        }
    }
    pci_default_write_config(pdev, addr, val, len);
}
