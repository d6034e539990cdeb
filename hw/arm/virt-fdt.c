/*
 * The virt board's device tree for the hardware modelled here: CPUs and
 * memory (with NUMA node ids), the PCIe host bridge, and the SMMUv3s
 * (the one translating pcie.0 appears in the host's iommu-map).
 * -machine dumpdtb=FILE writes it once the machine is complete and
 * exits, as QEMU does.
 */
#include "qemu/osdep.h"
#include <libfdt.h>
#include "hw/arm/virt.h"
#include "hw/pci/pci.h"

#define FDT_INITIAL_SIZE (64 * KiB)
#define FDT_MAX_SIZE (16 * MiB)
/* PCI address space codes of the ranges property (phys.hi bits 25:24). */
#define FDT_PCI_RANGE_IOPORT 0x01000000
#define FDT_PCI_RANGE_MMIO 0x02000000
#define FDT_PCI_RANGE_MMIO_64BIT 0x03000000
#define FDT_PCI_MAX_RID 0x10000
#define FDT_PCIE_ECAM_BUS_SIZE MiB

typedef struct VirtFdt {
    void *fdt;
    int err;          /* first libfdt error, 0 if none */
    uint32_t phandle; /* last phandle handed out */
} VirtFdt;

static void fdt_note(VirtFdt *f, int ret)
{
    if (ret < 0 && !f->err) {
        f->err = ret;
    }
}

static int fdt_node(VirtFdt *f, int parent, const char *name)
{
    int off = f->err ? -1 : fdt_add_subnode(f->fdt, parent, name);

    fdt_note(f, off);
    return off;
}

static void fdt_cells(VirtFdt *f, int node, const char *prop,
                      const uint32_t *cells, int n)
{
    g_autofree fdt32_t *be = g_new(fdt32_t, n);

    if (f->err) {
        return;
    }
    for (int i = 0; i < n; i++) {
        be[i] = cpu_to_fdt32(cells[i]);
    }
    fdt_note(f, fdt_setprop(f->fdt, node, prop, be, n * sizeof(*be)));
}

static void fdt_cell(VirtFdt *f, int node, const char *prop, uint32_t v)
{
    fdt_cells(f, node, prop, &v, 1);
}

static void fdt_str(VirtFdt *f, int node, const char *prop, const char *s)
{
    if (!f->err) {
        fdt_note(f, fdt_setprop_string(f->fdt, node, prop, s));
    }
}

static void fdt_flag(VirtFdt *f, int node, const char *prop)
{
    if (!f->err) {
        fdt_note(f, fdt_setprop_empty(f->fdt, node, prop));
    }
}

/* A 64-bit address and size as two cells each. */
static void fdt_reg(VirtFdt *f, int node, uint64_t addr, uint64_t size)
{
    uint32_t cells[] = {addr >> 32, (uint32_t)addr, size >> 32,
                        (uint32_t)size};

    fdt_cells(f, node, "reg", cells, ARRAY_SIZE(cells));
}

/* NUMA node of a CPU, or -1 if the -numa options did not place it. */
static int virt_cpu_node(MachineState *ms, unsigned int cpu)
{
    for (int n = 0; n < ms->numa.num_nodes; n++) {
        GArray *cpus = ms->numa.nodes[n].cpus;

        for (guint i = 0; cpus && i < cpus->len; i++) {
            if (g_array_index(cpus, unsigned, i) == cpu) {
                return n;
            }
        }
    }
    return -1;
}

static const char *virt_cpu_compatible(const char *cpu_type)
{
    if (!cpu_type || g_str_equal(cpu_type, "max") ||
        g_str_equal(cpu_type, "host")) {
        return "arm,armv8";
    }
    return NULL;
}

static void virt_fdt_cpus(VirtFdt *f, VirtMachineState *vms)
{
    MachineState *ms = MACHINE(vms);
    /* Affinity level 0 holds 8 CPUs per cluster with GICv2, else 16. */
    unsigned int clustersz = vms->gic_version == VIRT_GIC_VERSION_2 ? 8 : 16;
    const char *fixed = virt_cpu_compatible(ms->cpu_type);
    g_autofree char *compat = fixed ? g_strdup(fixed)
                                    : g_strdup_printf("arm,%s", ms->cpu_type);
    int cpus = fdt_node(f, 0, "cpus");

    fdt_cell(f, cpus, "#address-cells", 1);
    fdt_cell(f, cpus, "#size-cells", 0);
    for (int i = ms->smp.cpus - 1; i >= 0; i--) {
        uint32_t mpidr = (i / clustersz) << 8 | (i % clustersz);
        g_autofree char *name = g_strdup_printf("cpu@%x", mpidr);
        int node = fdt_node(f, cpus, name);
        int numa = virt_cpu_node(ms, i);

        fdt_str(f, node, "device_type", "cpu");
        fdt_str(f, node, "compatible", compat);
        fdt_cell(f, node, "reg", mpidr);
        if (ms->smp.cpus > 1) {
            fdt_str(f, node, "enable-method", "psci");
        }
        if (numa >= 0) {
            fdt_cell(f, node, "numa-node-id", numa);
        }
    }
}

static void virt_fdt_memory_node(VirtFdt *f, uint64_t base, uint64_t size,
                                 int numa)
{
    g_autofree char *name = g_strdup_printf("memory@%" PRIx64, base);
    int node = fdt_node(f, 0, name);

    fdt_str(f, node, "device_type", "memory");
    fdt_reg(f, node, base, size);
    if (numa >= 0) {
        fdt_cell(f, node, "numa-node-id", numa);
    }
}

static void virt_fdt_memory(VirtFdt *f, MachineState *ms)
{
    uint64_t base = VIRT_RAM_BASE;

    if (!ms->numa.num_nodes) {
        virt_fdt_memory_node(f, base, ms->ram_size, -1);
        return;
    }
    for (int n = 0; n < ms->numa.num_nodes; n++) {
        uint64_t size = ms->numa.nodes[n].node_mem;

        if (size) {
            virt_fdt_memory_node(f, base, size, n);
            base += size;
        }
    }
}

typedef struct VirtFdtSmmu {
    VirtFdt *f;
    PCIBus *pcie0;
    uint32_t pcie0_phandle; /* the SMMU translating pcie.0, 0 if none */
} VirtFdtSmmu;

/* One SMMUv3 node; the one on pcie.0 is the PCIe host's iommu-map. */
static void virt_fdt_smmuv3(hwaddr base, PCIBus *bus, void *opaque)
{
    VirtFdtSmmu *s = opaque;
    VirtFdt *f = s->f;
    g_autofree char *name = g_strdup_printf("smmuv3@%" PRIx64,
                                            (uint64_t)base);
    int node = fdt_node(f, 0, name);
    uint32_t phandle = ++f->phandle;

    fdt_str(f, node, "compatible", "arm,smmu-v3");
    fdt_reg(f, node, base, VIRT_SMMU_SIZE);
    fdt_flag(f, node, "dma-coherent");
    fdt_cell(f, node, "#iommu-cells", 1);
    fdt_cell(f, node, "phandle", phandle);
    if (bus == s->pcie0 && !s->pcie0_phandle) {
        s->pcie0_phandle = phandle;
    }
}

/* (PCI address, CPU address, size) triples for I/O, MMIO and MMIO64. */
static void virt_fdt_pcie_ranges(VirtFdt *f, int node,
                                 const VirtPCIELayout *l)
{
    uint32_t ranges[] = {
        FDT_PCI_RANGE_IOPORT, 0, 0,
        l->pio_base >> 32, (uint32_t)l->pio_base,
        l->pio_size >> 32, (uint32_t)l->pio_size,
        FDT_PCI_RANGE_MMIO, l->mmio_base >> 32, (uint32_t)l->mmio_base,
        l->mmio_base >> 32, (uint32_t)l->mmio_base,
        l->mmio_size >> 32, (uint32_t)l->mmio_size,
        FDT_PCI_RANGE_MMIO_64BIT,
        l->high_mmio_base >> 32, (uint32_t)l->high_mmio_base,
        l->high_mmio_base >> 32, (uint32_t)l->high_mmio_base,
        l->high_mmio_size >> 32, (uint32_t)l->high_mmio_size,
    };
    /* Each range is 7 cells; the 64-bit one only exists with highmem. */
    int ncells = l->high_mmio_size ? 21 : 14;

    fdt_cells(f, node, "ranges", ranges, ncells);
}

static void virt_fdt_pcie(VirtFdt *f, VirtMachineState *vms,
                          uint32_t iommu_phandle)
{
    VirtPCIELayout l;
    g_autofree char *name = NULL;
    int node;

    virt_pcie_layout(vms, &l);
    name = g_strdup_printf("pcie@%" PRIx64, l.mmio_base);
    node = fdt_node(f, 0, name);
    fdt_str(f, node, "compatible", "pci-host-ecam-generic");
    fdt_str(f, node, "device_type", "pci");
    fdt_cell(f, node, "#address-cells", 3);
    fdt_cell(f, node, "#size-cells", 2);
    fdt_cell(f, node, "#interrupt-cells", 1);
    fdt_cell(f, node, "linux,pci-domain", 0);
    fdt_cells(f, node, "bus-range",
              (uint32_t[]){0, l.ecam_size / FDT_PCIE_ECAM_BUS_SIZE - 1}, 2);
    fdt_flag(f, node, "dma-coherent");
    fdt_reg(f, node, l.ecam_base, l.ecam_size);
    virt_fdt_pcie_ranges(f, node, &l);
    if (iommu_phandle) {
        fdt_cells(f, node, "iommu-map",
                  (uint32_t[]){0, iommu_phandle, 0, FDT_PCI_MAX_RID}, 4);
    }
}

void *virt_fdt_build(VirtMachineState *vms, int *size, Error **errp)
{
    MachineState *ms = MACHINE(vms);
    VirtFdt f = {0};
    VirtFdtSmmu smmu;
    int chosen, buf_size = FDT_INITIAL_SIZE;

    for (;;) {
        f = (VirtFdt){.fdt = g_malloc0(buf_size)};
        fdt_note(&f, fdt_create_empty_tree(f.fdt, buf_size));
        fdt_str(&f, 0, "compatible", "linux,dummy-virt");
        fdt_str(&f, 0, "model", "linux,dummy-virt");
        fdt_cell(&f, 0, "#address-cells", 2);
        fdt_cell(&f, 0, "#size-cells", 2);
        chosen = fdt_node(&f, 0, "chosen");
        if (ms->kernel_cmdline) {
            fdt_str(&f, chosen, "bootargs", ms->kernel_cmdline);
        }
        virt_fdt_memory(&f, ms);
        virt_fdt_cpus(&f, vms);
        smmu = (VirtFdtSmmu){.f = &f, .pcie0 = vms->pci_bus};
        virt_smmu_foreach(virt_fdt_smmuv3, &smmu);
        virt_fdt_pcie(&f, vms, smmu.pcie0_phandle);
        if (f.err != -FDT_ERR_NOSPACE || buf_size >= FDT_MAX_SIZE) {
            break;
        }
        g_free(f.fdt);
        buf_size *= 2;
    }
    if (!f.err) {
        fdt_note(&f, fdt_pack(f.fdt));
    }
    if (f.err) {
        error_setg(errp, "building the device tree failed: %s",
                   fdt_strerror(f.err));
        g_free(f.fdt);
        return NULL;
    }
    *size = fdt_totalsize(f.fdt);
    return f.fdt;
}

static bool virt_fdt_dump(void *opaque, Error **errp)
{
    VirtMachineState *vms = opaque;
    const char *path = MACHINE(vms)->dumpdtb;
    g_autofree void *fdt = NULL;
    GError *gerr = NULL;
    int size;

    fdt = virt_fdt_build(vms, &size, errp);
    if (!fdt) {
        return false;
    }
    if (!g_file_set_contents(path, fdt, size, &gerr)) {
        error_setg(errp, "Failed dumping dtb to %s: %s", path,
                   gerr->message);
        g_error_free(gerr);
        return false;
    }
    info_report("dtb dumped to %s. Exiting.", path);
    exit(0);
}

void virt_fdt_setup(VirtMachineState *vms)
{
    const char *path = MACHINE(vms)->dumpdtb;

    if (path && path[0]) {
        qdev_add_machine_init_done(virt_fdt_dump, vms);
    }
}
