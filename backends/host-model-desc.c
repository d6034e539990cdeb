/*
 * Host descriptions: JSON → HostModelDesc, with validation. Every error
 * names the origin and the offending field, e.g.
 * "hosts/foo.json: devices[1].config: expected 256 or 4096 bytes, got 300".
 * The schema is documented in docs/host-model.md.
 */
#include "qemu/osdep.h"
#include "host-model-int.h"
#include <linux/iommufd.h>
#include <linux/vfio.h>

typedef struct Desc {
    const char *origin;
    Error **errp;
} Desc;

static bool QEMU_PRINTF(3, 4) fail(Desc *d, const char *path,
                                   const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (path && *path) {
        error_setg(d->errp, "%s: %s: %s", d->origin, path, msg);
    } else {
        error_setg(d->errp, "%s: %s", d->origin, msg);
    }
    return false;
}

static char *field_path(const char *path, const char *name)
{
    return *path ? g_strdup_printf("%s.%s", path, name) : g_strdup(name);
}

static bool check_fields(Desc *d, JsonObject *o, const char *path,
                         const char *const *known)
{
    g_autoptr(GList) names = json_object_get_members(o);

    for (GList *l = names; l; l = l->next) {
        if (!g_strv_contains(known, l->data) && strcmp(l->data, "comment")) {
            g_autofree char *p = field_path(path, l->data);
            return fail(d, p, "unknown field");
        }
    }
    return true;
}

/* NULL without error if optional and absent; NULL + error if required. */
static JsonNode *member(Desc *d, JsonObject *o, const char *path,
                        const char *name, bool required)
{
    JsonNode *n = json_object_get_member(o, name);

    if (!n && required) {
        g_autofree char *p = field_path(path, name);
        fail(d, p, "missing required field");
    }
    return n;
}

static bool get_string(Desc *d, JsonObject *o, const char *path,
                       const char *name, bool required, char **out)
{
    JsonNode *n = member(d, o, path, name, required);

    if (!n) {
        return !required;
    }
    if (!JSON_NODE_HOLDS_VALUE(n) ||
        json_node_get_value_type(n) != G_TYPE_STRING) {
        g_autofree char *p = field_path(path, name);
        return fail(d, p, "expected a string");
    }
    *out = g_strdup(json_node_get_string(n));
    return true;
}

static bool get_bool(Desc *d, JsonObject *o, const char *path,
                     const char *name, bool required, bool *out)
{
    JsonNode *n = member(d, o, path, name, required);

    if (!n) {
        return !required;
    }
    if (!JSON_NODE_HOLDS_VALUE(n) ||
        json_node_get_value_type(n) != G_TYPE_BOOLEAN) {
        g_autofree char *p = field_path(path, name);
        return fail(d, p, "expected true or false");
    }
    *out = json_node_get_boolean(n);
    return true;
}

/* A number: a JSON integer >= 0, or a string "0x..." for wide values. */
static bool node_u64(Desc *d, JsonNode *n, const char *p, uint64_t max,
                     uint64_t *out)
{
    if (JSON_NODE_HOLDS_VALUE(n) &&
        json_node_get_value_type(n) == G_TYPE_INT64) {
        gint64 v = json_node_get_int(n);
        if (v < 0) {
            return fail(d, p, "expected a non-negative number");
        }
        *out = v;
    } else if (JSON_NODE_HOLDS_VALUE(n) &&
               json_node_get_value_type(n) == G_TYPE_STRING) {
        const char *s = json_node_get_string(n);
        char *end;

        if (!g_str_has_prefix(s, "0x") || !g_ascii_isxdigit(s[2])) {
            return fail(d, p, "expected a hex string \"0x...\", got \"%s\"",
                        s);
        }
        errno = 0;
        *out = g_ascii_strtoull(s + 2, &end, 16);
        if (*end || errno) {
            return fail(d, p, "bad hex number \"%s\"", s);
        }
    } else {
        return fail(d, p, "expected a number");
    }
    if (*out > max) {
        return fail(d, p, "value 0x%" PRIx64 " exceeds 0x%" PRIx64, *out,
                    max);
    }
    return true;
}

static bool get_u64(Desc *d, JsonObject *o, const char *path,
                    const char *name, bool required, uint64_t max,
                    uint64_t *out)
{
    JsonNode *n = member(d, o, path, name, required);
    g_autofree char *p = NULL;

    if (!n) {
        return !required;
    }
    p = field_path(path, name);
    return node_u64(d, n, p, max, out);
}

static JsonArray *get_array(Desc *d, JsonObject *o, const char *path,
                            const char *name, bool required, bool *ok)
{
    JsonNode *n = member(d, o, path, name, required);

    *ok = n || !required;
    if (n && !JSON_NODE_HOLDS_ARRAY(n)) {
        g_autofree char *p = field_path(path, name);
        *ok = fail(d, p, "expected an array");
        return NULL;
    }
    return n ? json_node_get_array(n) : NULL;
}

static JsonObject *get_object(Desc *d, JsonObject *o, const char *path,
                              const char *name, bool required, bool *ok)
{
    JsonNode *n = member(d, o, path, name, required);

    *ok = n || !required;
    if (n && !JSON_NODE_HOLDS_OBJECT(n)) {
        g_autofree char *p = field_path(path, name);
        *ok = fail(d, p, "expected an object");
        return NULL;
    }
    return n ? json_node_get_object(n) : NULL;
}

static JsonObject *element_object(Desc *d, JsonArray *a, unsigned i,
                                  const char *p)
{
    JsonNode *n = json_array_get_element(a, i);

    if (!JSON_NODE_HOLDS_OBJECT(n)) {
        fail(d, p, "expected an object");
        return NULL;
    }
    return json_node_get_object(n);
}

/* A list of flag names → bit mask. */
static bool get_flags(Desc *d, JsonObject *o, const char *path,
                      const char *name, const char *const *names,
                      const uint32_t *bits, uint32_t *out)
{
    g_autofree char *p = field_path(path, name);
    bool ok;
    JsonArray *a = get_array(d, o, path, name, false, &ok);

    *out = 0;
    for (unsigned i = 0; a && i < json_array_get_length(a); i++) {
        JsonNode *n = json_array_get_element(a, i);
        const char *s;
        unsigned k;

        if (!JSON_NODE_HOLDS_VALUE(n) ||
            json_node_get_value_type(n) != G_TYPE_STRING) {
            return fail(d, p, "expected an array of strings");
        }
        s = json_node_get_string(n);
        for (k = 0; names[k] && strcmp(names[k], s); k++) {
        }
        if (!names[k]) {
            return fail(d, p, "unknown flag \"%s\"", s);
        }
        *out |= bits[k];
    }
    return ok;
}

/* IOMMUs */

static const unsigned smmu_oas_bits[8] = {32, 36, 40, 42, 44, 48, 52, 56};

/*
 * The IOVA windows the kernel reserves for MSIs: the 1 MiB software MSI
 * window an SMMU gets, and the x86 interrupt address range.
 */
#define SMMU_SW_MSI_BASE 0x8000000ULL
#define X86_INTERRUPT_BASE 0xfee00000ULL
#define MSI_WINDOW_SIZE (1 * MiB)

/* The kernel's usable aperture minus the software MSI window. */
static void derive_ranges(HostModelIommu *mmu)
{
    HostIovaRange r[2];
    unsigned bits;
    uint64_t msi_start;

    if (mmu->kind == HOST_IOMMU_ARM_SMMUV3) {
        bits = smmu_oas_bits[FIELD_EX32(mmu->idr[5], HM_SMMU_IDR5, OAS)];
        msi_start = SMMU_SW_MSI_BASE;
    } else {
        bits = FIELD_EX64(mmu->cap, HM_VTD_CAP, MGAW) + 1;
        msi_start = X86_INTERRUPT_BASE;
    }
    r[0] = (HostIovaRange){0, msi_start - 1};
    r[1] = (HostIovaRange){msi_start + MSI_WINDOW_SIZE,
                           bits >= 64 ? UINT64_MAX : (1ull << bits) - 1};
    g_array_append_vals(mmu->iova_ranges, r, 2);
}

static bool parse_ranges(Desc *d, JsonObject *o, const char *path,
                         HostModelIommu *mmu)
{
    bool ok;
    JsonArray *a = get_array(d, o, path, "iova-ranges", false, &ok);
    uint64_t prev_last = 0;

    if (!ok) {
        return false;
    }
    if (!a) {
        derive_ranges(mmu);
        return true;
    }
    for (unsigned i = 0; i < json_array_get_length(a); i++) {
        g_autofree char *p = g_strdup_printf("%s.iova-ranges[%u]", path, i);
        static const char *const known[] = {"start", "last", NULL};
        JsonObject *ro = element_object(d, a, i, p);
        HostIovaRange r;

        if (!ro || !check_fields(d, ro, p, known) ||
            !get_u64(d, ro, p, "start", true, UINT64_MAX, &r.start) ||
            !get_u64(d, ro, p, "last", true, UINT64_MAX, &r.last)) {
            return false;
        }
        if (r.last < r.start || (i && r.start <= prev_last)) {
            return fail(d, p, "ranges must be ordered and non-overlapping");
        }
        prev_last = r.last;
        g_array_append_val(mmu->iova_ranges, r);
    }
    return true;
}

static bool parse_smmuv3(Desc *d, JsonObject *o, const char *path,
                         HostModelIommu *mmu)
{
    static const char *const known[] = {"idr", "iidr", "aidr", NULL};
    g_autofree char *p = field_path(path, "arm-smmuv3");
    g_autofree char *pi = field_path(p, "idr");
    bool ok;
    JsonObject *so = get_object(d, o, path, "arm-smmuv3", true, &ok);
    JsonArray *idr;
    uint64_t v;

    if (!so || !check_fields(d, so, p, known)) {
        return false;
    }
    idr = get_array(d, so, p, "idr", true, &ok);
    if (!idr) {
        return false;
    }
    if (json_array_get_length(idr) != 6) {
        return fail(d, pi, "expected 6 registers (IDR0..IDR5), got %u",
                    json_array_get_length(idr));
    }
    for (unsigned i = 0; i < 6; i++) {
        g_autofree char *pe = g_strdup_printf("%s[%u]", pi, i);
        if (!node_u64(d, json_array_get_element(idr, i), pe, UINT32_MAX,
                      &v)) {
            return false;
        }
        mmu->idr[i] = v;
    }
    if (!get_u64(d, so, p, "iidr", true, UINT32_MAX, &v)) {
        return false;
    }
    mmu->iidr = v;
    if (!get_u64(d, so, p, "aidr", true, UINT32_MAX, &v)) {
        return false;
    }
    mmu->aidr = v;
    return true;
}

static bool parse_vtd(Desc *d, JsonObject *o, const char *path,
                      HostModelIommu *mmu)
{
    static const char *const known[] = {"cap", "ecap", "flags", NULL};
    g_autofree char *p = field_path(path, "intel-vtd");
    bool ok;
    JsonObject *vo = get_object(d, o, path, "intel-vtd", true, &ok);
    uint64_t flags = 0;

    if (!vo || !check_fields(d, vo, p, known) ||
        !get_u64(d, vo, p, "cap", true, UINT64_MAX, &mmu->cap) ||
        !get_u64(d, vo, p, "ecap", true, UINT64_MAX, &mmu->ecap) ||
        !get_u64(d, vo, p, "flags", false,
                 IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17, &flags)) {
        return false;
    }
    mmu->vtd_flags = flags;
    return true;
}

static bool parse_iommu_caps(Desc *d, JsonObject *o, const char *path,
                             HostModelIommu *mmu)
{
    bool is_smmu = mmu->kind == HOST_IOMMU_ARM_SMMUV3;
    bool can_nest = is_smmu ? FIELD_EX32(mmu->idr[0], HM_SMMU_IDR0, S1P) &&
                                  FIELD_EX32(mmu->idr[0], HM_SMMU_IDR0, S2P)
                            : FIELD_EX64(mmu->ecap, HM_VTD_ECAP, NEST);
    bool can_dirty = is_smmu ? FIELD_EX32(mmu->idr[0], HM_SMMU_IDR0, HTTU) ==
                                   HM_SMMU_IDR0_HTTU_ACCESS_DIRTY
                             : FIELD_EX64(mmu->ecap, HM_VTD_ECAP, SLADS);
    g_autofree char *pn = field_path(path, "nesting");
    g_autofree char *pd = field_path(path, "dirty-tracking");

    mmu->nesting = can_nest;
    if (!get_bool(d, o, path, "nesting", false, &mmu->nesting) ||
        !get_bool(d, o, path, "dirty-tracking", false,
                  &mmu->dirty_tracking)) {
        return false;
    }
    if (mmu->nesting && !can_nest) {
        return fail(d, pn, "true, but %s", is_smmu ?
                    "IDR0.S1P and IDR0.S2P are not both set" :
                    "ECAP.NEST is clear");
    }
    if (mmu->dirty_tracking && !can_dirty) {
        return fail(d, pd, "true, but %s", is_smmu ?
                    "IDR0.HTTU is not access+dirty" : "ECAP.SLADS is clear");
    }
    return true;
}

static HostModelIommu *parse_iommu(Desc *d, JsonObject *o, const char *path)
{
    static const char *const known[] = {"id", "type", "arm-smmuv3",
                                        "intel-vtd", "nesting",
                                        "dirty-tracking", "iova-ranges",
                                        NULL};
    HostModelIommu *mmu = g_new0(HostModelIommu, 1);
    g_autofree char *type = NULL;
    g_autofree char *pt = field_path(path, "type");
    bool ok = false;

    mmu->iova_ranges = g_array_new(false, false, sizeof(HostIovaRange));
    if (!check_fields(d, o, path, known) ||
        !get_string(d, o, path, "id", true, &mmu->id) ||
        !get_string(d, o, path, "type", true, &type)) {
        goto out;
    }
    if (!strcmp(type, "arm-smmuv3")) {
        mmu->kind = HOST_IOMMU_ARM_SMMUV3;
        ok = !json_object_has_member(o, "intel-vtd") &&
             parse_smmuv3(d, o, path, mmu);
    } else if (!strcmp(type, "intel-vtd")) {
        mmu->kind = HOST_IOMMU_INTEL_VTD;
        ok = !json_object_has_member(o, "arm-smmuv3") &&
             parse_vtd(d, o, path, mmu);
    } else {
        fail(d, pt, "expected \"arm-smmuv3\" or \"intel-vtd\", got \"%s\"",
             type);
        goto out;
    }
    if (!ok) {
        if (!*d->errp) {
            fail(d, pt, "\"%s\" takes only its own register block", type);
        }
        goto out;
    }
    ok = parse_iommu_caps(d, o, path, mmu) && parse_ranges(d, o, path, mmu);
out:
    if (!ok) {
        g_array_unref(mmu->iova_ranges);
        g_free(mmu->id);
        g_free(mmu);
        return NULL;
    }
    return mmu;
}

static void iommu_free(gpointer p)
{
    HostModelIommu *mmu = p;

    g_array_unref(mmu->iova_ranges);
    g_free(mmu->id);
    g_free(mmu);
}

/* Devices */

static bool parse_address(Desc *d, const char *p, const char *s, char **out)
{
    unsigned dom, bus, dev, fn;
    char tail;

    if (sscanf(s, "%4x:%2x:%2x.%1x%c", &dom, &bus, &dev, &fn, &tail) != 4 ||
        strlen(s) != 12 || dev > 0x1f || fn > 7) {
        return fail(d, p, "expected a PCI address DDDD:BB:DD.F, got \"%s\"",
                    s);
    }
    *out = g_strdup_printf("%04x:%02x:%02x.%x", dom, bus, dev, fn);
    return true;
}

static bool append_hex(Desc *d, const char *p, const char *s, GByteArray *b,
                       int *nibble)
{
    for (; *s; s++) {
        int v = g_ascii_xdigit_value(*s);

        if (g_ascii_isspace(*s)) {
            continue;
        }
        if (v < 0) {
            return fail(d, p, "bad hex digit '%c'", *s);
        }
        if (*nibble < 0) {
            *nibble = v;
        } else {
            uint8_t byte = *nibble << 4 | v;
            g_byte_array_append(b, &byte, 1);
            *nibble = -1;
        }
    }
    return true;
}

/* An optional "OFF:" line prefix must match the bytes read so far. */
static bool skip_offset(Desc *d, const char *p, const char **line,
                        unsigned have, int nibble)
{
    const char *colon = strchr(*line, ':');
    char *end;
    unsigned long off;

    if (!colon) {
        return true;
    }
    off = strtoul(*line, &end, 16);
    if (end != colon || nibble >= 0 || off != have) {
        return fail(d, p, "line offset \"%.*s\" does not match byte 0x%x",
                    (int)(colon - *line), *line, have);
    }
    *line = colon + 1;
    return true;
}

/*
 * A hex string, or an array of hex strings each optionally prefixed by
 * its byte offset ("100: 01 00 02 15 ..."); whitespace is ignored.
 */
static bool parse_config_bytes(Desc *d, JsonObject *o, const char *path,
                               HostModelDevice *dev)
{
    g_autofree char *p = field_path(path, "config");
    JsonNode *n = member(d, o, path, "config", true);
    g_autoptr(GByteArray) b = g_byte_array_new();
    int nibble = -1;

    if (!n) {
        return false;
    }
    if (JSON_NODE_HOLDS_VALUE(n) &&
        json_node_get_value_type(n) == G_TYPE_STRING) {
        if (!append_hex(d, p, json_node_get_string(n), b, &nibble)) {
            return false;
        }
    } else if (JSON_NODE_HOLDS_ARRAY(n)) {
        JsonArray *a = json_node_get_array(n);
        for (unsigned i = 0; i < json_array_get_length(a); i++) {
            JsonNode *e = json_array_get_element(a, i);
            const char *line;

            if (!JSON_NODE_HOLDS_VALUE(e) ||
                json_node_get_value_type(e) != G_TYPE_STRING) {
                return fail(d, p, "expected hex strings");
            }
            line = json_node_get_string(e);
            if (!skip_offset(d, p, &line, b->len, nibble) ||
                !append_hex(d, p, line, b, &nibble)) {
                return false;
            }
        }
    } else {
        return fail(d, p, "expected a hex string or an array of them");
    }
    if (nibble >= 0) {
        return fail(d, p, "odd number of hex digits");
    }
    if (b->len != 256 && b->len != 4096) {
        return fail(d, p, "expected 256 or 4096 bytes, got %u", b->len);
    }
    dev->config_size = b->len;
    dev->config = g_byte_array_steal(b, NULL);
    return true;
}

static bool check_config(Desc *d, const char *path, HostModelDevice *dev)
{
    g_autofree char *p = field_path(path, "config");
    g_autofree char *why = NULL;
    uint16_t vendor = model_pci_ld(dev->config, PCI_VENDOR_ID, 2);
    uint8_t type = dev->config[PCI_HEADER_TYPE] & PCI_HEADER_TYPE_MASK;

    if (vendor == 0 || vendor == UINT16_MAX) {
        return fail(d, p, "invalid vendor ID 0x%04x", vendor);
    }
    if (type != PCI_HEADER_TYPE_NORMAL) {
        return fail(d, p, "header type %u is not an endpoint (type 0)", type);
    }
    if (!model_pci_check_chains(dev->config, dev->config_size, &why)) {
        return fail(d, p, "%s", why);
    }
    return true;
}

static bool parse_pasid(Desc *d, JsonObject *o, const char *path,
                        HostModelDevice *dev)
{
    g_autofree char *p = field_path(path, "max-pasid-log2");
    const HostModelIommu *mmu = dev->iommu;
    unsigned cap = model_pci_find_ext_cap(dev->config, dev->config_size,
                                          PCI_EXT_CAP_ID_PASID);
    uint16_t ctrl = cap ? model_pci_ld(dev->config, cap + PCI_PASID_CTRL, 2)
                        : 0;
    uint16_t pcap = cap ? model_pci_ld(dev->config, cap + PCI_PASID_CAP, 2)
                        : 0;
    unsigned width =
        (pcap & PCI_PASID_CAP_WIDTH_MASK) >> PCI_PASID_CAP_WIDTH_SHIFT;
    unsigned iommu_width;
    bool exec = false, priv = false;
    bool want_exec, want_priv;
    uint64_t v = 0;

    if (!get_u64(d, o, path, "max-pasid-log2", false, 20, &v)) {
        return false;
    }
    dev->max_pasid_log2 = v;
    if (mmu->kind == HOST_IOMMU_ARM_SMMUV3) {
        iommu_width = FIELD_EX32(mmu->idr[1], HM_SMMU_IDR1, SSIDSIZE);
    } else {
        iommu_width = FIELD_EX64(mmu->ecap, HM_VTD_ECAP, PASID) ?
                      FIELD_EX64(mmu->ecap, HM_VTD_ECAP, PSS) + 1 : 0;
    }
    if (v && !cap) {
        return fail(d, p, "%u, but the device has no PASID capability",
                    (unsigned)v);
    }
    if (v > width || v > iommu_width) {
        return fail(d, p, "%u exceeds the %s PASID width %u", (unsigned)v,
                    v > width ? "device's" : "IOMMU's",
                    v > width ? width : iommu_width);
    }
    /* The kernel derives these from the PASID Control register. */
    want_exec = v && (ctrl & PCI_PASID_CTRL_EXEC);
    want_priv = v && (ctrl & PCI_PASID_CTRL_PRIV);
    exec = want_exec;
    priv = want_priv;
    if (!get_bool(d, o, path, "pasid-exec", false, &exec) ||
        !get_bool(d, o, path, "pasid-priv", false, &priv)) {
        return false;
    }
    if (exec != want_exec || priv != want_priv) {
        g_autofree char *pe = field_path(path, exec != want_exec ?
                                         "pasid-exec" : "pasid-priv");
        return fail(d, pe, "disagrees with the PASID Control register "
                    "(or max-pasid-log2 is 0)");
    }
    return true;
}

static bool parse_atomics(Desc *d, JsonObject *o, const char *path,
                          HostModelDevice *dev)
{
    static const char *const known[] = {"comp32", "comp64", "comp128", NULL};
    static const uint32_t devcap2_bit[] = {PCI_EXP_DEVCAP2_ATOMIC_COMP32,
                                           PCI_EXP_DEVCAP2_ATOMIC_COMP64,
                                           PCI_EXP_DEVCAP2_ATOMIC_COMP128};
    g_autofree char *p = field_path(path, "atomic-completer");
    unsigned exp = model_pci_find_cap(dev->config, PCI_CAP_ID_EXP);
    bool ok;
    JsonObject *ao = get_object(d, o, path, "atomic-completer", false, &ok);
    uint32_t devcap2 = 0;

    if (!ao) {
        return ok;
    }
    if (!check_fields(d, ao, p, known)) {
        return false;
    }
    if (exp && (dev->config[exp + PCI_EXP_FLAGS] & PCI_EXP_FLAGS_VERS) >= 2) {
        devcap2 = model_pci_ld(dev->config, exp + PCI_EXP_DEVCAP2, 4);
    }
    for (unsigned i = 0; known[i]; i++) {
        bool on = false;

        if (!get_bool(d, ao, p, known[i], false, &on)) {
            return false;
        }
        if (on && !(devcap2 & devcap2_bit[i])) {
            g_autofree char *pe = field_path(p, known[i]);
            return fail(d, pe, "set, but DEVCAP2 lacks that AtomicOp "
                        "completer bit");
        }
        dev->atomic_comp |= on ? 1u << i : 0;
    }
    return true;
}

static bool check_bar(Desc *d, const char *p, HostModelDevice *dev,
                      unsigned i)
{
    uint64_t size = dev->regions[i].size;
    uint32_t bar = model_pci_ld(dev->config, PCI_BASE_ADDRESS_0 + 4 * i, 4);
    bool io = bar & PCI_BASE_ADDRESS_SPACE_IO;
    bool mem64 = !io && (bar & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
                            PCI_BASE_ADDRESS_MEM_TYPE_64;

    if (size & (size - 1) || size < (io ? 4 : 16)) {
        return fail(d, p, "size 0x%" PRIx64 " is not a power of two >= %u",
                    size, io ? 4 : 16);
    }
    if (!mem64 && size > 0x80000000ull) {
        return fail(d, p, "size 0x%" PRIx64 " does not fit a 32-bit BAR",
                    size);
    }
    if (mem64 && (i == 5 || dev->regions[i + 1].size)) {
        return fail(d, p, "BAR%u is 64-bit, so BAR%u must be unused", i,
                    i + 1);
    }
    return true;
}

static bool parse_regions(Desc *d, JsonObject *o, const char *path,
                          HostModelDevice *dev)
{
    static const char *const known[] = {"index", "size", "flags", NULL};
    static const char *const names[] = {"read", "write", "mmap", NULL};
    static const uint32_t bits[] = {VFIO_REGION_INFO_FLAG_READ,
                                    VFIO_REGION_INFO_FLAG_WRITE,
                                    VFIO_REGION_INFO_FLAG_MMAP};
    bool ok;
    JsonArray *a = get_array(d, o, path, "regions", false, &ok);
    bool seen[VFIO_PCI_NUM_REGIONS] = {false};

    for (unsigned i = 0; a && i < json_array_get_length(a); i++) {
        g_autofree char *p = g_strdup_printf("%s.regions[%u]", path, i);
        JsonObject *ro = element_object(d, a, i, p);
        uint64_t idx, size;
        uint32_t flags;

        if (!ro || !check_fields(d, ro, p, known) ||
            !get_u64(d, ro, p, "index", true, VFIO_PCI_VGA_REGION_INDEX,
                     &idx) ||
            !get_u64(d, ro, p, "size", true, UINT64_MAX, &size) ||
            !get_flags(d, ro, p, "flags", names, bits, &flags)) {
            return false;
        }
        if (idx == VFIO_PCI_CONFIG_REGION_INDEX) {
            return fail(d, p, "the config region (7) comes from \"config\"");
        }
        if (seen[idx]) {
            return fail(d, p, "duplicate region index %u", (unsigned)idx);
        }
        if ((flags & VFIO_REGION_INFO_FLAG_MMAP) && size % HM_PAGE_SIZE) {
            return fail(d, p, "mmap needs a size that is a multiple of 4 KiB");
        }
        seen[idx] = true;
        dev->regions[idx] = (HostModelRegion){size, flags};
    }
    for (unsigned i = 0; i < 6 && ok; i++) {
        if (dev->regions[i].size) {
            g_autofree char *p = g_strdup_printf("%s.regions (BAR%u)", path,
                                                 i);
            ok = check_bar(d, p, dev, i);
        }
    }
    dev->regions[VFIO_PCI_CONFIG_REGION_INDEX] = (HostModelRegion){
        dev->config_size,
        VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE};
    return ok;
}

/* vfio-pci's answers for a device whose description lists no IRQs. */
static void derive_irqs(HostModelDevice *dev)
{
    const uint8_t *cfg = dev->config;
    unsigned msi = model_pci_find_cap(cfg, PCI_CAP_ID_MSI);
    unsigned msix = model_pci_find_cap(cfg, PCI_CAP_ID_MSIX);
    bool exp = model_pci_find_cap(cfg, PCI_CAP_ID_EXP);
    uint16_t msi_flags = msi ? model_pci_ld(cfg, msi + PCI_MSI_FLAGS, 2) : 0;
    uint16_t msix_flags =
        msix ? model_pci_ld(cfg, msix + PCI_MSIX_FLAGS, 2) : 0;
    uint32_t fixed = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;

    dev->irqs[VFIO_PCI_INTX_IRQ_INDEX] = (HostModelIrq){
        cfg[PCI_INTERRUPT_PIN] ? 1 : 0,
        VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
            VFIO_IRQ_INFO_AUTOMASKED};
    dev->irqs[VFIO_PCI_MSI_IRQ_INDEX] = (HostModelIrq){
        msi ? 1u << ((msi_flags & PCI_MSI_FLAGS_QMASK) >> 1) : 0, fixed};
    dev->irqs[VFIO_PCI_MSIX_IRQ_INDEX] = (HostModelIrq){
        msix ? (msix_flags & PCI_MSIX_FLAGS_QSIZE) + 1 : 0,
        VFIO_IRQ_INFO_EVENTFD};
    dev->irqs[VFIO_PCI_ERR_IRQ_INDEX] = (HostModelIrq){exp ? 1 : 0, fixed};
    dev->irqs[VFIO_PCI_REQ_IRQ_INDEX] = (HostModelIrq){1, fixed};
}

static bool parse_irqs(Desc *d, JsonObject *o, const char *path,
                       HostModelDevice *dev)
{
    static const char *const known[] = {"index", "count", "flags", NULL};
    static const char *const names[] = {"eventfd", "maskable", "automasked",
                                        "noresize", NULL};
    static const uint32_t bits[] = {VFIO_IRQ_INFO_EVENTFD,
                                    VFIO_IRQ_INFO_MASKABLE,
                                    VFIO_IRQ_INFO_AUTOMASKED,
                                    VFIO_IRQ_INFO_NORESIZE};
    bool ok;
    JsonArray *a = get_array(d, o, path, "irqs", false, &ok);
    bool seen[VFIO_PCI_NUM_IRQS] = {false};

    derive_irqs(dev);
    for (unsigned i = 0; a && i < json_array_get_length(a); i++) {
        g_autofree char *p = g_strdup_printf("%s.irqs[%u]", path, i);
        JsonObject *io = element_object(d, a, i, p);
        uint64_t idx, count;
        uint32_t flags;

        if (!io || !check_fields(d, io, p, known) ||
            !get_u64(d, io, p, "index", true, VFIO_PCI_NUM_IRQS - 1, &idx) ||
            !get_u64(d, io, p, "count", true, 2048, &count) ||
            !get_flags(d, io, p, "flags", names, bits, &flags)) {
            return false;
        }
        if (seen[idx]) {
            return fail(d, p, "duplicate IRQ index %u", (unsigned)idx);
        }
        seen[idx] = true;
        dev->irqs[idx] = (HostModelIrq){count, flags};
    }
    return ok;
}

static HostModelIommu *find_iommu(HostModelDesc *desc, const char *id)
{
    for (unsigned i = 0; i < desc->iommus->len; i++) {
        HostModelIommu *mmu = g_ptr_array_index(desc->iommus, i);
        if (!strcmp(mmu->id, id)) {
            return mmu;
        }
    }
    return NULL;
}

static bool parse_device_ids(Desc *d, JsonObject *o, const char *path,
                             HostModelDesc *desc, HostModelDevice *dev)
{
    g_autofree char *addr = NULL;
    g_autofree char *iommu = NULL;
    g_autofree char *pa = field_path(path, "address");
    g_autofree char *pi = field_path(path, "iommu");
    g_autofree char *pc = field_path(path, "cdev");
    g_autofree char *canon = NULL;
    uint64_t group;
    unsigned n;

    if (!get_string(d, o, path, "address", true, &addr) ||
        !parse_address(d, pa, addr, &dev->address) ||
        !get_string(d, o, path, "iommu", true, &iommu) ||
        !get_u64(d, o, path, "iommu-group", true, INT_MAX, &group) ||
        !get_string(d, o, path, "cdev", false, &dev->cdev)) {
        return false;
    }
    dev->group = group;
    dev->iommu = find_iommu(desc, iommu);
    if (!dev->iommu) {
        return fail(d, pi, "unknown IOMMU \"%s\"", iommu);
    }
    if (dev->cdev && sscanf(dev->cdev, "vfio%u", &n) == 1) {
        canon = g_strdup_printf("vfio%u", n);
    }
    if (dev->cdev && (!canon || strcmp(dev->cdev, canon))) {
        return fail(d, pc, "expected \"vfioN\", got \"%s\"", dev->cdev);
    }
    return true;
}

static HostModelDevice *parse_device(Desc *d, JsonObject *o,
                                     const char *path, HostModelDesc *desc)
{
    static const char *const known[] = {
        "address", "iommu", "iommu-group", "cdev", "config", "ats-supported",
        "max-pasid-log2", "pasid-exec", "pasid-priv", "atomic-completer",
        "regions", "irqs", "reset", NULL};
    HostModelDevice *dev = g_new0(HostModelDevice, 1);

    dev->reset = true;
    if (check_fields(d, o, path, known) &&
        parse_device_ids(d, o, path, desc, dev) &&
        parse_config_bytes(d, o, path, dev) &&
        check_config(d, path, dev) &&
        get_bool(d, o, path, "ats-supported", true, &dev->ats_supported) &&
        parse_pasid(d, o, path, dev) && parse_atomics(d, o, path, dev) &&
        parse_regions(d, o, path, dev) && parse_irqs(d, o, path, dev) &&
        get_bool(d, o, path, "reset", false, &dev->reset)) {
        return dev;
    }
    g_free(dev->address);
    g_free(dev->cdev);
    g_free(dev->config);
    g_free(dev);
    return NULL;
}

static void device_free(gpointer p)
{
    HostModelDevice *dev = p;

    g_free(dev->address);
    g_free(dev->cdev);
    g_free(dev->config);
    g_free(dev);
}

/* Duplicate IDs, addresses and cdev names. */
static bool check_unique(Desc *d, HostModelDesc *desc)
{
    for (unsigned i = 0; i < desc->iommus->len; i++) {
        HostModelIommu *a = g_ptr_array_index(desc->iommus, i);
        for (unsigned j = 0; j < i; j++) {
            HostModelIommu *b = g_ptr_array_index(desc->iommus, j);
            if (!strcmp(a->id, b->id)) {
                g_autofree char *p = g_strdup_printf("iommus[%u].id", i);
                return fail(d, p, "duplicate IOMMU id \"%s\"", a->id);
            }
        }
    }
    for (unsigned i = 0; i < desc->devices->len; i++) {
        HostModelDevice *a = g_ptr_array_index(desc->devices, i);
        for (unsigned j = 0; j < i; j++) {
            HostModelDevice *b = g_ptr_array_index(desc->devices, j);
            if (!strcmp(a->address, b->address)) {
                g_autofree char *p = g_strdup_printf("devices[%u].address",
                                                     i);
                return fail(d, p, "duplicate address %s", a->address);
            }
            if (a->cdev && b->cdev && !strcmp(a->cdev, b->cdev)) {
                g_autofree char *p = g_strdup_printf("devices[%u].cdev", i);
                return fail(d, p, "duplicate cdev %s", a->cdev);
            }
        }
    }
    return true;
}

static bool parse_list(Desc *d, JsonObject *root, const char *name,
                       HostModelDesc *desc)
{
    bool ok;
    JsonArray *a = get_array(d, root, "", name, true, &ok);
    bool iommus = !strcmp(name, "iommus");

    for (unsigned i = 0; a && i < json_array_get_length(a); i++) {
        g_autofree char *p = g_strdup_printf("%s[%u]", name, i);
        JsonObject *o = element_object(d, a, i, p);
        gpointer item;

        if (!o) {
            return false;
        }
        item = iommus ? (gpointer)parse_iommu(d, o, p)
                      : (gpointer)parse_device(d, o, p, desc);
        if (!item) {
            return false;
        }
        g_ptr_array_add(iommus ? desc->iommus : desc->devices, item);
    }
    return ok;
}

HostModelDesc *host_model_desc_parse(const char *json, const char *origin,
                                     Error **errp)
{
    static const char *const known[] = {"name", "description", "provenance",
                                        "iommus", "devices", NULL};
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) gerr = NULL;
    g_autoptr(HostModelDesc) desc = g_new0(HostModelDesc, 1);
    Error *local_err = NULL;
    Desc d = {origin, &local_err};
    JsonNode *root;
    JsonObject *o;

    desc->origin = g_strdup(origin);
    desc->iommus = g_ptr_array_new_with_free_func(iommu_free);
    desc->devices = g_ptr_array_new_with_free_func(device_free);
    if (!json_parser_load_from_data(parser, json, -1, &gerr)) {
        error_setg(errp, "%s: invalid JSON: %s", origin, gerr->message);
        return NULL;
    }
    root = json_parser_get_root(parser);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        error_setg(errp, "%s: expected a JSON object", origin);
        return NULL;
    }
    o = json_node_get_object(root);
    if (!check_fields(&d, o, "", known) ||
        !get_string(&d, o, "", "name", true, &desc->name) ||
        !get_string(&d, o, "", "description", true, &desc->description) ||
        !get_string(&d, o, "", "provenance", true, &desc->provenance) ||
        !parse_list(&d, o, "iommus", desc) ||
        !parse_list(&d, o, "devices", desc) || !check_unique(&d, desc)) {
        error_propagate(errp, local_err);
        return NULL;
    }
    return g_steal_pointer(&desc);
}

void host_model_desc_free(HostModelDesc *desc)
{
    if (!desc) {
        return;
    }
    g_free(desc->name);
    g_free(desc->description);
    g_free(desc->provenance);
    g_free(desc->origin);
    g_ptr_array_unref(desc->devices);
    g_ptr_array_unref(desc->iommus);
    g_free(desc);
}

HostModelDesc *host_model_desc_load(const char *name_or_file, Error **errp)
{
    ERRP_GUARD();
    g_autofree char *text = NULL;
    g_autofree char *origin = NULL;
    g_autoptr(GError) gerr = NULL;
    HostModelDesc *desc;

    if (strchr(name_or_file, '/') || g_str_has_suffix(name_or_file, ".json")) {
        if (!g_file_get_contents(name_or_file, &text, NULL, &gerr)) {
            error_setg(errp, "Could not read host description '%s': %s",
                       name_or_file, gerr->message);
            return NULL;
        }
        return host_model_desc_parse(text, name_or_file, errp);
    }
    for (const HostModelBundled *b = host_model_bundled; b->name; b++) {
        if (!strcmp(b->name, name_or_file)) {
            origin = g_strdup_printf("hosts/%s.json", b->name);
            desc = host_model_desc_parse(b->json, origin, errp);
            if (desc) {
                desc->bundled = true;
            }
            return desc;
        }
    }
    error_setg(errp, "Unknown host model '%s'", name_or_file);
    error_append_hint(errp, "Use -host-model help to list bundled hosts\n");
    return NULL;
}
