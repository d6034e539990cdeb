/*
 * The model's VFIO config region shows extended capabilities the way the
 * kernel's vfio-pci does: hidden IDs (PASID, Secondary PCIe, ...) are
 * unlinked from the chain, or at 0x100 turned into an ID-0 header that
 * keeps the next pointer; their bytes stay readable, and sysfs "config"
 * keeps the raw chain.
 */
#include "qemu/osdep.h"
#include "backends/host-model.h"
#include <linux/vfio.h>

#define EXT_HDR(id, ver, next)                                                 \
    ((uint32_t)(id) | (uint32_t)(ver) << 16 | (uint32_t)(next) << 20)

static const HostOps *ops;

typedef struct Dev {
    int iommufd;
    int fd;
    uint8_t cfg[4096]; /* the config region */
    uint8_t raw[4096]; /* sysfs config */
} Dev;

static uint32_t ld32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void st32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = v >> (8 * i);
    }
}

/* Binds cdev, reads the config region and the sysfs config of addr. */
static void dev_read(Dev *d, const char *cdev, const char *addr)
{
    struct vfio_device_bind_iommufd b = {.argsz = sizeof(b)};
    struct vfio_region_info ri = {.argsz = sizeof(ri),
                                  .index = VFIO_PCI_CONFIG_REGION_INDEX};
    g_autofree char *path =
        g_strdup_printf("/sys/bus/pci/devices/%s/config", addr);
    g_autofree char *raw = NULL;
    size_t len = 0;

    d->iommufd = ops->open("/dev/iommu", O_RDWR);
    d->fd = ops->open(cdev, O_RDWR);
    g_assert_cmpint(d->iommufd, >=, 0);
    g_assert_cmpint(d->fd, >=, 0);
    b.iommufd = d->iommufd;
    g_assert_cmpint(ops->ioctl(d->fd, VFIO_DEVICE_BIND_IOMMUFD, &b), ==, 0);
    g_assert_cmpint(ops->ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, &ri), ==, 0);
    g_assert_cmpint(ops->pread(d->fd, d->cfg, sizeof(d->cfg), ri.offset), ==,
                    sizeof(d->cfg));
    raw = ops->read_file(path, &len);
    g_assert_cmpuint(len, ==, sizeof(d->raw));
    memcpy(d->raw, raw, len);
}

static void dev_close(Dev *d)
{
    ops->close(d->fd);
    ops->close(d->iommufd);
    g_assert_cmpuint(host_model_live_objects(), ==, 0);
}

/* cfg equals raw except the dwords listed (offset, expected value). */
static void assert_view(const Dev *d, const uint32_t changed[][2], int n)
{
    for (unsigned off = 0; off < sizeof(d->cfg); off += 4) {
        uint32_t want = ld32(d->raw + off);

        for (int i = 0; i < n; i++) {
            if (changed[i][0] == off) {
                want = changed[i][1];
            }
        }
        g_assert_cmphex(ld32(d->cfg + off), ==, want);
    }
}

static void use_desc(HostModelDesc *desc)
{
    host_model_set_desc(desc);
    host_ops_set(&host_ops_model);
    ops = host_ops();
}

/* The grace-hopper GPU: PASID (0x170) is last, after ATS (0x160). */
static void test_pasid_last(void)
{
    uint32_t changed[1][2];
    Dev d;

    use_desc(host_model_desc_load("grace-hopper", &error_abort));
    dev_read(&d, "/dev/vfio/devices/vfio0", "0009:01:00.0");
    g_assert_cmphex(ld32(d.raw + 0x160), ==, EXT_HDR(0x0f, 1, 0x170));
    g_assert_cmphex(ld32(d.raw + 0x170) & 0xffff, ==, 0x001b);
    /* unlinked; its bytes, header included, still read as they are */
    changed[0][0] = 0x160;
    changed[0][1] = EXT_HDR(0x0f, 1, 0);
    assert_view(&d, changed, 1);
    dev_close(&d);
}

/* The grace-hopper NIC: Secondary PCIe (0x1c0) between ARI and ACS. */
static void test_hidden_in_the_middle(void)
{
    uint32_t changed[1][2];
    Dev d;

    use_desc(host_model_desc_load("grace-hopper", &error_abort));
    dev_read(&d, "/dev/vfio/devices/vfio1", "0000:01:00.0");
    g_assert_cmphex(ld32(d.raw + 0x180) >> 20, ==, 0x1c0);
    g_assert_cmphex(ld32(d.raw + 0x1c0) & 0xffff, ==, 0x0019);
    g_assert_cmphex(ld32(d.raw + 0x1c0) >> 20, ==, 0x230);
    changed[0][0] = 0x180;
    changed[0][1] = (ld32(d.raw + 0x180) & 0xfffff) | 0x230 << 20;
    assert_view(&d, changed, 1);
    dev_close(&d);
}

/* Hidden capabilities first: 0x100 keeps a placeholder header. */
static void test_hidden_at_0x100(void)
{
    HostModelDesc *desc = host_model_desc_load("grace-hopper", &error_abort);
    HostModelDevice *nic = g_ptr_array_index(desc->devices, 1);
    uint32_t changed[2][2];
    Dev d;

    /* AER (0x100) -> Secondary PCIe, DSN (0x150) -> L1 PM Substates */
    st32(nic->config + 0x100, (ld32(nic->config + 0x100) & ~0xffffu) | 0x19);
    st32(nic->config + 0x150, (ld32(nic->config + 0x150) & ~0xffffu) | 0x1e);
    use_desc(desc);
    dev_read(&d, "/dev/vfio/devices/vfio1", "0000:01:00.0");
    g_assert_cmphex(ld32(d.raw + 0x100) >> 20, ==, 0x150);
    g_assert_cmphex(ld32(d.raw + 0x150) >> 20, ==, 0x180);
    /* ID 0, version 0, next past both hidden ones */
    changed[0][0] = 0x100;
    changed[0][1] = EXT_HDR(0, 0, 0x180);
    changed[1][0] = 0x180;
    changed[1][1] = (ld32(d.raw + 0x180) & 0xfffff) | 0x230 << 20;
    assert_view(&d, changed, 2);
    dev_close(&d);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/host-model/vfio-config/pasid-last", test_pasid_last);
    g_test_add_func("/host-model/vfio-config/hidden-in-the-middle",
                    test_hidden_in_the_middle);
    g_test_add_func("/host-model/vfio-config/hidden-at-0x100",
                    test_hidden_at_0x100);
    return g_test_run();
}
