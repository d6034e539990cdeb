/*
 * Throughput of address-space accesses: MMIO dispatch, RAM copies, and
 * both again through one IOMMU translation. Prints operations per second.
 * Usage: bench-memory [seconds-per-case]
 */
#include "qemu/osdep.h"
#include "system/memory.h"

#define ATTRS MEMTXATTRS_UNSPECIFIED
#define RAM_SIZE (1 * MiB)
#define COPY_SIZE (4 * KiB)

static uint64_t bench_reg;

static uint64_t reg_read(void *opaque, hwaddr addr, unsigned size)
{
    return bench_reg;
}

static void reg_write(void *opaque, hwaddr addr, uint64_t data, unsigned size)
{
    bench_reg = data;
}

static const MemoryRegionOps reg_ops = {
    .read = reg_read,
    .write = reg_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
};

/* Identity-maps every 4 KiB page read/write into the target space. */
static IOMMUTLBEntry identity_translate(IOMMUMemoryRegion *iommu, hwaddr addr,
                                        IOMMUAccessFlags flag, MemTxAttrs attrs)
{
    return (IOMMUTLBEntry){
        .target_as = iommu->opaque,
        .iova = addr & ~0xfffULL,
        .translated_addr = addr & ~0xfffULL,
        .addr_mask = 0xfff,
        .perm = IOMMU_RW,
    };
}

static const IOMMUMemoryRegionOps identity_ops = {
    .translate = identity_translate,
};

typedef void BenchFn(AddressSpace *as, uint8_t *buf, uint64_t i);

static void mmio_op(AddressSpace *as, uint8_t *buf, uint64_t i)
{
    address_space_stl_le(as, 0x100000 + (i & 0xfc), i, ATTRS, NULL);
}

static void ram_op(AddressSpace *as, uint8_t *buf, uint64_t i)
{
    hwaddr addr = (i * COPY_SIZE) % RAM_SIZE;

    address_space_write(as, addr, ATTRS, buf, COPY_SIZE);
}

static void run(const char *name, BenchFn *fn, AddressSpace *as, double seconds,
                uint64_t bytes_per_op)
{
    uint8_t buf[COPY_SIZE] = {0};
    g_autoptr(GTimer) timer = g_timer_new();
    uint64_t ops = 0;
    double elapsed;

    do {
        for (int n = 0; n < 1024; n++) {
            fn(as, buf, ops++);
        }
        elapsed = g_timer_elapsed(timer, NULL);
    } while (elapsed < seconds);
    printf("%-24s %12.0f ops/s", name, ops / elapsed);
    if (bytes_per_op) {
        printf("  %8.1f MiB/s", ops * bytes_per_op / elapsed / MiB);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? g_ascii_strtod(argv[1], NULL) : 1.0;
    MemoryRegion root, ram, reg;
    IOMMUMemoryRegion iommu;
    AddressSpace as, iommu_as;

    if (seconds <= 0) {
        fprintf(stderr, "usage: %s [seconds-per-case]\n", argv[0]);
        return 1;
    }
    memory_region_init(&root, NULL, "bench", UINT64_MAX);
    memory_region_init_ram(&ram, NULL, "bench-ram", RAM_SIZE, &error_abort);
    memory_region_init_io(&reg, NULL, &reg_ops, NULL, "bench-reg", 0x1000);
    memory_region_add_subregion(&root, 0, &ram);
    memory_region_add_subregion(&root, 0x100000, &reg);
    address_space_init(&as, &root, "bench");
    memory_region_init_iommu(&iommu, NULL, &identity_ops, &as, "bench-iommu",
                             UINT64_MAX);
    address_space_init(&iommu_as, &iommu.parent_obj, "bench-iommu");

    run("mmio write 4B", mmio_op, &as, seconds, 0);
    run("ram write 4KiB", ram_op, &as, seconds, COPY_SIZE);
    run("iommu mmio write 4B", mmio_op, &iommu_as, seconds, 0);
    run("iommu ram write 4KiB", ram_op, &iommu_as, seconds, COPY_SIZE);

    address_space_destroy(&iommu_as);
    address_space_destroy(&as);
    memory_region_destroy(&iommu.parent_obj);
    memory_region_destroy(&reg);
    memory_region_destroy(&ram);
    memory_region_destroy(&root);
    return 0;
}
