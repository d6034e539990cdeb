/*
 * x-query-vfio-pci (unstable): every realized vfio-pci device with what
 * the host IOMMU reported for it and the decisions of the capability
 * policy, each with its reason: ATS shown or hidden, PASID synthesized
 * or not, AtomicOps completers on the root port above; plus the
 * extended capability chain as the guest reads it and the physical
 * capabilities left out of it. The reasons are recorded by vfio-pci at
 * realize (VFIOPCIPolicyNotes, VFIOExtCapsInfo.fate).
 */
#include "qemu/osdep.h"
#include "hw/pci/pcie.h"
#include "hw/vfio/pci.h"
#include "monitor-internal.h"
#include "qmp-json.h"

static void set_str_or_null(JsonObject *o, const char *name, const char *s)
{
    if (s) {
        json_object_set_string_member(o, name, s);
    } else {
        json_object_set_null_member(o, name);
    }
}

static void set_fmt(JsonObject *o, const char *name, const char *fmt,
                    unsigned int v)
{
    g_autofree char *s = g_strdup_printf(fmt, v);

    json_object_set_string_member(o, name, s);
}

/* A config read as the guest makes it (emulated bits merged). */
static uint32_t guest_config_read(PCIDevice *pdev, uint32_t off, int len)
{
    return PCI_DEVICE_GET_CLASS(pdev)->config_read(pdev, off, len);
}

static const char *host_iommu_type_name(uint32_t type)
{
    switch (type) {
    case IOMMU_HW_INFO_TYPE_ARM_SMMUV3:
        return "arm-smmuv3";
    case IOMMU_HW_INFO_TYPE_INTEL_VTD:
        return "intel-vtd";
    default:
        return "none";
    }
}

static JsonNode *vfio_info_host_iommu(VFIOPCIDevice *vdev)
{
    JsonObject *o = json_object_new();
    HostIOMMUDevice *hiod = vfio_device_hiod(&vdev->vbasedev);
    const HostIOMMUDeviceCaps *caps = hiod ? &hiod->caps : NULL;
    bool pasid = caps && caps->max_pasid_log2;

    json_object_set_string_member(o, "type",
                                  host_iommu_type_name(caps ? caps->type : 0));
    json_object_set_boolean_member(
        o, "ats-supported",
        caps && !(caps->hw_caps & IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED));
    json_object_set_int_member(o, "max-pasid-log2",
                               caps ? caps->max_pasid_log2 : 0);
    json_object_set_boolean_member(
        o, "pasid-exec",
        pasid && (caps->hw_caps & IOMMU_HW_CAP_PCI_PASID_EXEC));
    json_object_set_boolean_member(
        o, "pasid-priv",
        pasid && (caps->hw_caps & IOMMU_HW_CAP_PCI_PASID_PRIV));
    return qmp_node_take_object(o);
}

static JsonNode *vfio_info_ats(VFIOPCIDevice *vdev)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "policy", OnOffAuto_lookup[vdev->ats]);
    json_object_set_boolean_member(o, "strict", vdev->ats_strict);
    json_object_set_boolean_member(o, "physical", vdev->notes.ats_physical);
    json_object_set_boolean_member(o, "visible", vdev->pdev.ats_cap != 0);
    set_str_or_null(o, "reason", vdev->notes.ats);
    return qmp_node_take_object(o);
}

static JsonNode *vfio_info_pasid(VFIOPCIDevice *vdev)
{
    JsonObject *o = json_object_new();
    PCIDevice *pdev = &vdev->pdev;
    uint16_t off = pdev->pasid_cap;
    uint16_t cap = off ? guest_config_read(pdev, off + PCI_PASID_CAP, 2) : 0;

    json_object_set_boolean_member(o, "physical", vdev->notes.pasid_physical);
    json_object_set_boolean_member(
        o, "synthesized",
        off && vdev->ext.fate[VFIO_EXT_CAP_SLOT(off)] ==
                   VFIO_EXT_CAP_SYNTHESIZED);
    if (off) {
        set_fmt(o, "offset", "0x%03x", off);
    } else {
        json_object_set_null_member(o, "offset");
    }
    json_object_set_int_member(o, "width",
                               (cap & PCI_PASID_CAP_WIDTH_MASK) >>
                                   PCI_PASID_CAP_WIDTH_SHIFT);
    json_object_set_boolean_member(o, "exec", cap & PCI_PASID_CAP_EXEC);
    json_object_set_boolean_member(o, "priv", cap & PCI_PASID_CAP_PRIV);
    set_str_or_null(o, "reason", vdev->notes.pasid);
    return qmp_node_take_object(o);
}

/* The root port directly above the device, if that is what is above. */
static PCIDevice *vfio_info_root_port(PCIDevice *pdev)
{
    PCIDevice *rp = pci_get_bus(pdev)->parent_dev;

    if (!rp || !rp->exp_cap ||
        pcie_cap_get_type(rp) != PCI_EXP_TYPE_ROOT_PORT) {
        return NULL;
    }
    return rp;
}

static JsonNode *vfio_info_atomics(VFIOPCIDevice *vdev)
{
    JsonObject *o = json_object_new();
    PCIDevice *rp = vfio_info_root_port(&vdev->pdev);
    uint32_t bits = 0;

    if (rp) {
        g_autofree char *path = object_get_canonical_path(OBJECT(rp));

        json_object_set_string_member(o, "root-port",
                                      DEVICE(rp)->id ? DEVICE(rp)->id : path);
        bits = pci_get_long(rp->config + rp->exp_cap + PCI_EXP_DEVCAP2) &
               PCI_EXP_DEVCAP2_ATOMIC_COMP_ALL;
    } else {
        json_object_set_null_member(o, "root-port");
    }
    set_fmt(o, "completer-bits", "0x%x", bits);
    set_str_or_null(o, "reason", vdev->notes.atomics);
    return qmp_node_take_object(o);
}

static void vfio_info_cap_id(JsonObject *o, uint16_t id)
{
    const char *name = pcie_ext_cap_name(id);

    set_fmt(o, "id", "0x%04x", id);
    json_object_set_string_member(o, "name", name ? name : "unknown");
}

static const char *ext_cap_origin(VFIOExtCapFate fate)
{
    switch (fate) {
    case VFIO_EXT_CAP_VIRTUALIZED:
        return "virtualized";
    case VFIO_EXT_CAP_SYNTHESIZED:
        return "synthesized";
    default:
        return "copied";
    }
}

/*
 * The chain the guest walks from 0x100, as firmware would: null entries
 * (ID 0, left where a first capability was dropped) are stepped over.
 */
static JsonNode *vfio_info_ext_caps(VFIOPCIDevice *vdev)
{
    JsonArray *arr = json_array_new();
    PCIDevice *pdev = &vdev->pdev;
    bool seen[G_N_ELEMENTS(vdev->ext.fate)] = {false};
    uint16_t off = PCI_EXT_CAP_START;

    if (pdev->config_size < PCIE_CONFIG_SPACE_SIZE) {
        return qmp_node_take_array(arr);
    }
    while (off >= PCI_EXT_CAP_START &&
           off + PCI_EXT_CAP_HEADER_SIZE <= PCIE_CONFIG_SPACE_SIZE &&
           !seen[VFIO_EXT_CAP_SLOT(off)]) {
        uint32_t hdr = guest_config_read(pdev, off, 4);
        JsonObject *o;

        if (!hdr) {
            break;
        }
        seen[VFIO_EXT_CAP_SLOT(off)] = true;
        if (PCI_EXT_CAP_ID(hdr) != PCI_EXT_CAP_ID_NULL) {
            o = json_object_new();
            set_fmt(o, "offset", "0x%03x", off);
            vfio_info_cap_id(o, PCI_EXT_CAP_ID(hdr));
            json_object_set_int_member(o, "version", PCI_EXT_CAP_VER(hdr));
            json_object_set_string_member(
                o, "origin",
                ext_cap_origin(vdev->ext.fate[VFIO_EXT_CAP_SLOT(off)]));
            json_array_add_object_element(arr, o);
        }
        off = PCI_EXT_CAP_NEXT(hdr);
    }
    return qmp_node_take_array(arr);
}

/* The physical capabilities the rebuild left out, in offset order. */
static JsonNode *vfio_info_dropped(VFIOPCIDevice *vdev)
{
    JsonArray *arr = json_array_new();

    for (size_t i = 0; i < G_N_ELEMENTS(vdev->ext.fate); i++) {
        const char *reason = vfio_ext_cap_drop_reason(vdev->ext.fate[i]);
        uint16_t off = PCI_EXT_CAP_START + i * 4;
        JsonObject *o;

        if (!reason) {
            continue;
        }
        o = json_object_new();
        set_fmt(o, "offset", "0x%03x", off);
        vfio_info_cap_id(o,
                         PCI_EXT_CAP_ID(pci_get_long(vdev->phys_config + off)));
        json_object_set_string_member(o, "reason", reason);
        json_array_add_object_element(arr, o);
    }
    return qmp_node_take_array(arr);
}

static char *vfio_info_host(VFIOPCIDevice *vdev)
{
    VFIODevice *vb = &vdev->vbasedev;

    return vb->fd_passed ? g_strdup_printf("fd:%d", vb->fd)
                         : g_strdup(vb->name);
}

static JsonNode *vfio_info(VFIOPCIDevice *vdev)
{
    JsonObject *o = json_object_new();
    PCIDevice *pdev = &vdev->pdev;
    g_autofree char *path = object_get_canonical_path(OBJECT(vdev));
    g_autofree char *host = vfio_info_host(vdev);
    g_autofree char *addr = g_strdup_printf("%02x.%x", PCI_SLOT(pdev->devfn),
                                            PCI_FUNC(pdev->devfn));

    set_str_or_null(o, "id", DEVICE(vdev)->id);
    json_object_set_string_member(o, "path", path);
    json_object_set_string_member(o, "host", host);
    json_object_set_string_member(o, "bus", pci_get_bus(pdev)->qbus.name);
    json_object_set_string_member(o, "addr", addr);
    set_str_or_null(o, "iommufd",
                    vdev->iommufd ? object_get_canonical_path_component(
                                        OBJECT(vdev->iommufd))
                                  : NULL);
    json_object_set_member(o, "host-iommu", vfio_info_host_iommu(vdev));
    json_object_set_member(o, "ats", vfio_info_ats(vdev));
    json_object_set_member(o, "pasid", vfio_info_pasid(vdev));
    json_object_set_member(o, "atomics", vfio_info_atomics(vdev));
    json_object_set_member(o, "ext-caps", vfio_info_ext_caps(vdev));
    json_object_set_member(o, "dropped", vfio_info_dropped(vdev));
    return qmp_node_take_object(o);
}

static int collect_vfio_pci(Object *obj, void *opaque)
{
    GPtrArray *found = opaque;

    if (object_dynamic_cast(obj, TYPE_VFIO_PCI) && DEVICE(obj)->realized) {
        g_ptr_array_add(found, object_get_canonical_path(obj));
    }
    return 0;
}

static gint compare_paths(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool query_vfio_pci(Monitor *mon, JsonObject *args, JsonNode **ret,
                           Error **errp)
{
    static const char *const allowed[] = {NULL};
    g_autoptr(GPtrArray) paths = NULL;
    JsonArray *arr;

    if (!qmp_args_check(args, allowed, errp)) {
        return false;
    }
    paths = g_ptr_array_new_with_free_func(g_free);
    object_child_foreach_recursive(object_get_root(), collect_vfio_pci, paths);
    g_ptr_array_sort(paths, compare_paths);
    arr = json_array_new();
    for (guint i = 0; i < paths->len; i++) {
        Object *obj = object_resolve_path(paths->pdata[i], NULL);

        json_array_add_element(arr, vfio_info(VFIO_PCI(obj)));
    }
    *ret = qmp_node_take_array(arr);
    return true;
}

static void qmp_register_vfio_commands(void)
{
    qmp_register_command("x-query-vfio-pci", query_vfio_pci, QCO_NO_OPTIONS);
}

type_init(qmp_register_vfio_commands)
