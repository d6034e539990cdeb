/*
 * MSI: capability layout and masks, per-vector masking with pending
 * bits, and message delivery as a DMA write.
 */
#include "qemu/osdep.h"
#include "hw/pci/msi.h"

#define MSI_MAX_VECTORS 32
#define MSI_ADDRESS_LO_MASK 0xfffffffcU

static uint16_t msi_flags(const PCIDevice *dev)
{
    return pci_get_word(dev->config + dev->msi_cap + PCI_MSI_FLAGS);
}

static bool msi_64bit(uint16_t flags)
{
    return flags & PCI_MSI_FLAGS_64BIT;
}

static bool msi_maskbit(uint16_t flags)
{
    return flags & PCI_MSI_FLAGS_MASKBIT;
}

static uint8_t msi_data_off(uint16_t flags)
{
    return msi_64bit(flags) ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32;
}

static uint8_t msi_mask_off(uint16_t flags)
{
    return msi_64bit(flags) ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32;
}

static uint8_t msi_pending_off(uint16_t flags)
{
    return msi_64bit(flags) ? PCI_MSI_PENDING_64 : PCI_MSI_PENDING_32;
}

uint8_t msi_cap_sizeof(uint16_t flags)
{
    if (msi_maskbit(flags)) {
        return msi_pending_off(flags) + 4;
    }
    return msi_data_off(flags) + 2;
}

void msi_send_message(PCIDevice *dev, MSIMessage msg)
{
    MemTxAttrs attrs = {.requester_id = pci_requester_id(dev)};

    address_space_stl_le(&dev->bus_master_as, msg.address, msg.data, attrs,
                         NULL);
}

bool msi_init(PCIDevice *dev, uint8_t offset, unsigned int nr_vectors,
              bool msi64bit, bool per_vector_mask, Error **errp)
{
    uint16_t flags;
    uint8_t *wmask;
    int pos;

    g_assert(nr_vectors && nr_vectors <= MSI_MAX_VECTORS &&
             !(nr_vectors & (nr_vectors - 1)));
    flags = (__builtin_ctz(nr_vectors) << 1) |
            (msi64bit ? PCI_MSI_FLAGS_64BIT : 0) |
            (per_vector_mask ? PCI_MSI_FLAGS_MASKBIT : 0);
    pos = pci_add_capability(dev, PCI_CAP_ID_MSI, offset,
                             msi_cap_sizeof(flags), errp);
    if (pos < 0) {
        return false;
    }
    dev->msi_cap = pos;
    dev->cap_present |= QEMU_PCI_CAP_MSI;
    pci_set_word(dev->config + pos + PCI_MSI_FLAGS, flags);
    wmask = dev->wmask + pos;
    pci_set_word(wmask + PCI_MSI_FLAGS,
                 PCI_MSI_FLAGS_QSIZE | PCI_MSI_FLAGS_ENABLE);
    pci_set_long(wmask + PCI_MSI_ADDRESS_LO, MSI_ADDRESS_LO_MASK);
    if (msi64bit) {
        pci_set_long(wmask + PCI_MSI_ADDRESS_HI, UINT32_MAX);
    }
    pci_set_word(wmask + msi_data_off(flags), UINT16_MAX);
    if (per_vector_mask) {
        pci_set_long(wmask + msi_mask_off(flags),
                     nr_vectors == MSI_MAX_VECTORS
                         ? UINT32_MAX
                         : (1U << nr_vectors) - 1);
    }
    /* Only the capability's identity is compared, not its programming. */
    memset(dev->cmask + pos + PCI_MSI_FLAGS, 0,
           msi_cap_sizeof(flags) - PCI_MSI_FLAGS);
    return true;
}

void msi_uninit(PCIDevice *dev)
{
    if (!dev->msi_cap) {
        return;
    }
    pci_del_capability(dev, PCI_CAP_ID_MSI, msi_cap_sizeof(msi_flags(dev)));
    dev->msi_cap = 0;
    dev->cap_present &= ~QEMU_PCI_CAP_MSI;
}

void msi_reset(PCIDevice *dev)
{
    uint16_t flags = msi_flags(dev);
    uint8_t *cap = dev->config + dev->msi_cap;

    pci_set_word(cap + PCI_MSI_FLAGS,
                 flags & ~(PCI_MSI_FLAGS_QSIZE | PCI_MSI_FLAGS_ENABLE));
    pci_set_long(cap + PCI_MSI_ADDRESS_LO, 0);
    if (msi_64bit(flags)) {
        pci_set_long(cap + PCI_MSI_ADDRESS_HI, 0);
    }
    pci_set_word(cap + msi_data_off(flags), 0);
    if (msi_maskbit(flags)) {
        pci_set_long(cap + msi_mask_off(flags), 0);
        pci_set_long(cap + msi_pending_off(flags), 0);
    }
}

bool msi_enabled(const PCIDevice *dev)
{
    return dev->msi_cap && (msi_flags(dev) & PCI_MSI_FLAGS_ENABLE);
}

unsigned int msi_nr_vectors_allocated(const PCIDevice *dev)
{
    return 1u << ((msi_flags(dev) & PCI_MSI_FLAGS_QSIZE) >> 4);
}

bool msi_is_masked(const PCIDevice *dev, unsigned int vector)
{
    uint16_t flags = msi_flags(dev);

    if (!msi_maskbit(flags)) {
        return false;
    }
    return pci_get_long(dev->config + dev->msi_cap + msi_mask_off(flags)) &
           (1U << vector);
}

MSIMessage msi_get_message(PCIDevice *dev, unsigned int vector)
{
    uint16_t flags = msi_flags(dev);
    uint8_t *cap = dev->config + dev->msi_cap;
    unsigned int nr = msi_nr_vectors_allocated(dev);
    MSIMessage msg;

    msg.address = pci_get_long(cap + PCI_MSI_ADDRESS_LO);
    if (msi_64bit(flags)) {
        msg.address |= (uint64_t)pci_get_long(cap + PCI_MSI_ADDRESS_HI) << 32;
    }
    /* The low bits of the data select the vector. */
    msg.data = (pci_get_word(cap + msi_data_off(flags)) & ~(nr - 1)) | vector;
    return msg;
}

void msi_notify(PCIDevice *dev, unsigned int vector)
{
    uint16_t flags;

    if (!msi_enabled(dev) || vector >= msi_nr_vectors_allocated(dev)) {
        return;
    }
    flags = msi_flags(dev);
    if (msi_is_masked(dev, vector)) {
        pci_long_test_and_set_mask(dev->config + dev->msi_cap +
                                       msi_pending_off(flags),
                                   1U << vector);
        return;
    }
    msi_send_message(dev, msi_get_message(dev, vector));
}

void msi_write_config(PCIDevice *dev, uint32_t addr, uint32_t val, int len)
{
    uint16_t flags = msi_flags(dev);
    unsigned int qmask = (flags & PCI_MSI_FLAGS_QMASK) >> 1;
    unsigned int qsize = (flags & PCI_MSI_FLAGS_QSIZE) >> 4;
    uint8_t *pending;

    /* Software may not enable more vectors than the device has. */
    if (qsize > qmask) {
        flags = (flags & ~PCI_MSI_FLAGS_QSIZE) | (qmask << 4);
        pci_set_word(dev->config + dev->msi_cap + PCI_MSI_FLAGS, flags);
    }
    if (!msi_enabled(dev) || !msi_maskbit(flags)) {
        return;
    }
    pending = dev->config + dev->msi_cap + msi_pending_off(flags);
    for (unsigned int v = 0; v < msi_nr_vectors_allocated(dev); v++) {
        if ((pci_get_long(pending) & (1U << v)) && !msi_is_masked(dev, v)) {
            pci_long_test_and_clear_mask(pending, 1U << v);
            msi_send_message(dev, msi_get_message(dev, v));
        }
    }
}
