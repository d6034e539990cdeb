/*
 * Mutated host descriptions: the bundled hosts with fields deleted or
 * given values of other types, random numbers and hex, config spaces
 * truncated or rewritten (capability chains that loop, point out of
 * range or end at the edge of the space), duplicated entries. Each
 * either loads or fails with "ORIGIN: FIELD: ..." naming the field; what
 * loads is then driven through a short iommufd/VFIO flow so that
 * odd-but-valid descriptions cannot crash the model either. Set
 * HOST_DESC_FUZZ_SEED to replay another seed.
 */
#include "qemu/osdep.h"
#include "backends/host-model.h"
#include <sys/mman.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

#define FUZZ_RUNS 600
#define FUZZ_DEFAULT_SEED 0xdec0de11u
#define ORIGIN "fuzz.json"

typedef struct Fuzzer {
    GRand *rand;
    unsigned loaded, refused;
} Fuzzer;

/* Where a node lives: a member of an object or an element of an array. */
typedef struct Slot {
    JsonNode *parent;
    char *member; /* NULL for an array element */
    guint index;
    char *path;
} Slot;

static uint32_t rnd(Fuzzer *f, uint32_t n)
{
    return n > 1 ? g_rand_int_range(f->rand, 0, n) : 0;
}

static uint64_t rnd64(Fuzzer *f)
{
    return (uint64_t)g_rand_int(f->rand) << 32 | g_rand_int(f->rand);
}

static void slot_free(Slot *s)
{
    g_free(s->member);
    g_free(s->path);
    g_free(s);
}

static JsonNode *slot_node(const Slot *s)
{
    return s->member ? json_object_get_member(json_node_get_object(s->parent),
                                              s->member)
                     : json_array_get_element(json_node_get_array(s->parent),
                                              s->index);
}

static void slot_set(const Slot *s, JsonNode *value)
{
    if (s->member) {
        json_object_set_member(json_node_get_object(s->parent), s->member,
                               value);
    } else {
        JsonArray *a = json_node_get_array(s->parent);
        guint n = json_array_get_length(a);
        g_autoptr(GPtrArray) keep =
            g_ptr_array_new_with_free_func((GDestroyNotify)json_node_unref);

        /* json-glib cannot replace an element: rebuild the tail */
        for (guint i = s->index; i < n; i++) {
            g_ptr_array_add(keep, json_node_ref(json_array_get_element(a, i)));
        }
        for (guint i = n; i > s->index; i--) {
            json_array_remove_element(a, i - 1);
        }
        json_array_add_element(a, value);
        for (guint i = 1; i < keep->len; i++) {
            json_array_add_element(a, json_node_ref(keep->pdata[i]));
        }
    }
}

static void slot_remove(const Slot *s)
{
    if (s->member) {
        json_object_remove_member(json_node_get_object(s->parent), s->member);
    } else {
        json_array_remove_element(json_node_get_array(s->parent), s->index);
    }
}

static void collect(JsonNode *node, const char *path, GPtrArray *slots)
{
    if (JSON_NODE_HOLDS_OBJECT(node)) {
        g_autoptr(GList) names =
            json_object_get_members(json_node_get_object(node));

        for (GList *l = names; l; l = l->next) {
            Slot *s = g_new0(Slot, 1);

            s->parent = node;
            s->member = g_strdup(l->data);
            s->path = *path ? g_strdup_printf("%s.%s", path, (char *)l->data)
                            : g_strdup(l->data);
            g_ptr_array_add(slots, s);
            collect(slot_node(s), s->path, slots);
        }
    } else if (JSON_NODE_HOLDS_ARRAY(node)) {
        JsonArray *a = json_node_get_array(node);

        for (guint i = 0; i < json_array_get_length(a); i++) {
            Slot *s = g_new0(Slot, 1);

            s->parent = node;
            s->index = i;
            s->path = g_strdup_printf("%s[%u]", path, i);
            g_ptr_array_add(slots, s);
            collect(slot_node(s), s->path, slots);
        }
    }
}

static JsonNode *random_node(Fuzzer *f)
{
    static const char *const strings[] = {
        "",
        "0x",
        "0xg",
        "0x10000000000000000",
        "0xffffffffffffffff",
        "-1",
        "vfio",
        "vfio01",
        "vfio4294967296",
        "vfio1",
        "vfio0",
        "0000:01:00.0",
        "0009:01:00.0",
        "ffff:ff:1f.7",
        "0000:01:20.0",
        "arm-smmuv3",
        "intel-vtd",
        "smmu0",
        "smmu1",
        "dmar0",
        "eventfd",
        "mmap",
        "read",
        "00 11 22",
        "zz",
        "é",
    };
    static const int64_t ints[] = {
        0,
        1,
        -1,
        2,
        5,
        6,
        7,
        8,
        9,
        20,
        21,
        255,
        256,
        4096,
        0x7fffffff,
        0xffffffffLL,
        0x100000000LL,
        INT64_MAX,
        INT64_MIN,
    };
    JsonNode *n = json_node_alloc();

    switch (rnd(f, 8)) {
    case 0:
        return json_node_init_null(n);
    case 1:
        return json_node_init_boolean(n, rnd(f, 2));
    case 2:
        return json_node_init_int(n, ints[rnd(f, G_N_ELEMENTS(ints))]);
    case 3: {
        g_autofree char *hex =
            g_strdup_printf("0x%" PRIx64, rnd64(f) >> rnd(f, 64));

        return json_node_init_string(n, hex);
    }
    case 4:
        return json_node_init_string(n, strings[rnd(f, G_N_ELEMENTS(strings))]);
    case 5:
        return json_node_init_double(n, 0.5);
    case 6: {
        JsonArray *a = json_array_new();

        for (unsigned i = rnd(f, 7); i; i--) {
            json_array_add_int_element(a, rnd(f, 300));
        }
        json_node_init_array(n, a);
        json_array_unref(a);
        return n;
    }
    default: {
        JsonObject *o = json_object_new();

        json_object_set_int_member(o, rnd(f, 2) ? "index" : "zz", rnd(f, 10));
        json_node_init_object(n, o);
        json_object_unref(o);
        return n;
    }
    }
}

/* Config space bytes */

static void st(uint8_t *cfg, unsigned off, unsigned size, uint32_t v)
{
    for (unsigned i = 0; i < size; i++) {
        cfg[off + i] = v >> (8 * i);
    }
}

/* Standard capability offsets, in chain order (chains are sound here). */
static unsigned std_caps(const uint8_t *cfg, unsigned *caps)
{
    unsigned n = 0;

    if (!(cfg[6] & 0x10)) {
        return 0;
    }
    for (unsigned off = cfg[0x34] & 0xfc; off && n < 48;
         off = cfg[off + 1] & 0xfc) {
        caps[n++] = off;
    }
    return n;
}

static unsigned ext_caps(const uint8_t *cfg, size_t size, unsigned *caps)
{
    unsigned n = 0, off = 0x100;

    if (size < 4096) {
        return 0;
    }
    while (off && n < 64) {
        uint32_t hdr = cfg[off] | cfg[off + 1] << 8 | cfg[off + 2] << 16 |
                       (uint32_t)cfg[off + 3] << 24;

        if (!hdr) {
            break;
        }
        caps[n++] = off;
        off = (hdr >> 20) & 0xffc;
    }
    return n;
}

static void set_ext_next(uint8_t *cfg, unsigned off, unsigned next)
{
    uint32_t hdr = cfg[off] | cfg[off + 1] << 8 | cfg[off + 2] << 16 |
                   (uint32_t)cfg[off + 3] << 24;

    st(cfg, off, 4, (hdr & 0xfffff) | next << 20);
}

/* Capability ids whose fields the model and vfio-pci look into. */
static const uint8_t std_ids[] = {0x01, 0x05, 0x10, 0x11, 0x09};
static const uint16_t ext_ids[] = {0x0001, 0x000f, 0x001b, 0x0013, 0x000e,
                                   0x0003, 0x000d, 0x0018, 0x0023};

static void mutate_config(Fuzzer *f, uint8_t *cfg, size_t *size)
{
    unsigned caps[64];
    unsigned n;
    unsigned edge;

    switch (rnd(f, 12)) {
    case 0: /* random bytes */
        for (unsigned i = 1 + rnd(f, 8); i; i--) {
            cfg[rnd(f, *size)] = rnd(f, 256);
        }
        break;
    case 1: /* a standard pointer anywhere */
        n = std_caps(cfg, caps);
        cfg[n && rnd(f, 2) ? caps[rnd(f, n)] + 1 : 0x34] = rnd(f, 256);
        break;
    case 2: /* a loop in the standard chain */
        n = std_caps(cfg, caps);
        if (n) {
            cfg[caps[rnd(f, n)] + 1] = caps[rnd(f, n)];
        }
        break;
    case 3: /* a known capability at the very end of the space */
        edge = 0xfc - 4 * rnd(f, 4);
        cfg[6] |= 0x10;
        cfg[0x34] = edge;
        cfg[edge] = std_ids[rnd(f, G_N_ELEMENTS(std_ids))];
        cfg[edge + 1] = 0;
        if (cfg[edge] == 0x10) {
            cfg[edge + 2] = 2; /* PCIe capability version 2 */
        }
        break;
    case 4: /* an extended pointer anywhere */
        n = ext_caps(cfg, *size, caps);
        if (n) {
            set_ext_next(cfg, caps[rnd(f, n)], rnd(f, 0x1000));
        }
        break;
    case 5: /* a loop in the extended chain */
        n = ext_caps(cfg, *size, caps);
        if (n) {
            set_ext_next(cfg, caps[rnd(f, n)], caps[rnd(f, n)]);
        }
        break;
    case 6: /* a known extended capability at the end of the space */
        n = ext_caps(cfg, *size, caps);
        if (*size == 4096) {
            edge = 0xffc - 4 * rnd(f, 6);
            st(cfg, edge, 4, ext_ids[rnd(f, G_N_ELEMENTS(ext_ids))] | 1u << 16);
            if (n) {
                set_ext_next(cfg, caps[n - 1], edge);
            } else {
                st(cfg, 0x100, 4, 0x0001 | 1u << 16 | edge << 20);
            }
        }
        break;
    case 7: /* truncated or odd length */
        *size = rnd(f, 2) ? rnd(f, *size) : 256;
        break;
    case 8: /* header type, vendor */
        if (rnd(f, 2)) {
            cfg[0xe] = rnd(f, 256);
        } else {
            st(cfg, 0, 2, rnd(f, 2) ? 0xffff : 0);
        }
        break;
    case 9: /* BARs */
        st(cfg, 0x10 + 4 * rnd(f, 6), 4, g_rand_int(f->rand));
        break;
    case 10: /* PASID / PCIe control and capability fields */
        n = ext_caps(cfg, *size, caps);
        if (n) {
            unsigned c = caps[rnd(f, n)];

            if (c + 8 <= *size) {
                st(cfg, c + 4, 4, g_rand_int(f->rand));
            }
        }
        break;
    default: /* the extended space emptied or filled with junk */
        if (*size == 4096) {
            memset(cfg + 0x100, rnd(f, 2) ? 0 : 0xff, 0xf00);
        }
    }
}

static char *hex_of(const uint8_t *cfg, size_t size)
{
    GString *s = g_string_sized_new(size * 3);

    for (size_t i = 0; i < size; i++) {
        g_string_append_printf(s, "%02x%s", cfg[i], i % 16 == 15 ? "\n" : " ");
    }
    return g_string_free(s, false);
}

/* Replaces devices[i].config with mutated bytes of the parsed device. */
static void mutate_device_config(Fuzzer *f, JsonNode *root,
                                 const HostModelDesc *base)
{
    JsonArray *devs;
    JsonObject *dev;
    const HostModelDevice *bd;
    g_autofree uint8_t *cfg = NULL;
    g_autofree char *hex = NULL;
    size_t size;
    guint i;

    JsonNode *n =
        JSON_NODE_HOLDS_OBJECT(root)
            ? json_object_get_member(json_node_get_object(root), "devices")
            : NULL;

    if (!n || !JSON_NODE_HOLDS_ARRAY(n)) {
        return;
    }
    devs = json_node_get_array(n);
    if (!json_array_get_length(devs) || !base->devices->len) {
        return;
    }
    i = rnd(f, json_array_get_length(devs));
    if (!JSON_NODE_HOLDS_OBJECT(json_array_get_element(devs, i))) {
        return;
    }
    dev = json_array_get_object_element(devs, i);
    bd = g_ptr_array_index(base->devices, i % base->devices->len);
    size = bd->config_size;
    cfg = g_malloc(4096);
    memcpy(cfg, bd->config, size);
    for (unsigned k = 1 + rnd(f, 2); k; k--) {
        mutate_config(f, cfg, &size);
    }
    hex = hex_of(cfg, size);
    if (rnd(f, 4)) {
        json_object_set_string_member(dev, "config", hex);
    } else {
        /* the line format, with an offset that may be wrong */
        JsonArray *lines = json_array_new();
        g_auto(GStrv) rows = g_strsplit(hex, "\n", -1);

        for (guint r = 0; rows[r] && *rows[r]; r++) {
            unsigned off = r * 16 + (rnd(f, 16) ? 0 : 1 + rnd(f, 16));
            g_autofree char *line = g_strdup_printf("%x: %s", off, rows[r]);

            json_array_add_string_element(lines, line);
        }
        json_object_set_array_member(dev, "config", lines);
    }
}

static void mutate(Fuzzer *f, JsonNode *root, const HostModelDesc *base)
{
    g_autoptr(GPtrArray) slots =
        g_ptr_array_new_with_free_func((GDestroyNotify)slot_free);
    Slot *s;

    collect(root, "", slots);
    if (!slots->len) {
        return;
    }
    s = slots->pdata[rnd(f, slots->len)];
    switch (rnd(f, 8)) {
    case 0:
        slot_remove(s);
        break;
    case 1:
    case 2:
        slot_set(s, random_node(f));
        break;
    case 3: /* a duplicated array element (ids, addresses, cdevs) */
        if (JSON_NODE_HOLDS_ARRAY(s->parent)) {
            json_array_add_element(json_node_get_array(s->parent),
                                   json_node_copy(slot_node(s)));
        }
        break;
    case 4: /* an extra member */
        if (JSON_NODE_HOLDS_OBJECT(slot_node(s))) {
            json_object_set_member(json_node_get_object(slot_node(s)),
                                   rnd(f, 2) ? "zz" : "comment",
                                   random_node(f));
        }
        break;
    default:
        mutate_device_config(f, root, base);
    }
}

/* "ORIGIN: PATH: message" with PATH in the description's schema. */
static void check_error(const char *text, const char *msg)
{
    static const char *const top[] = {"name", "description", "provenance",
                                      "iommus", "devices"};
    const char *p = msg + strlen(ORIGIN ": ");

    if (!g_str_has_prefix(msg, ORIGIN ": ")) {
        g_error("error without the origin: %s", msg);
    }
    if (g_str_has_prefix(p, "expected a JSON object")) {
        return;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(top); i++) {
        if (g_str_has_prefix(p, top[i]) && strstr(p, ": ")) {
            return;
        }
    }
    /* an unknown top-level field is named too */
    if (strstr(p, ": unknown field")) {
        return;
    }
    g_error("error does not name a field: %s\n(description: %.2000s)", msg,
            text);
}

/* The model, driven as the emulator would, for a description that loads. */

static const HostOps *ops;

static int ioc(int fd, unsigned long req, void *arg)
{
    return ops->ioctl(fd, req, arg) < 0 ? errno : 0;
}

static void exercise_regions(Fuzzer *f, int dfd)
{
    uint8_t buf[256];

    for (uint32_t i = 0; i < VFIO_PCI_NUM_REGIONS + 1; i++) {
        struct vfio_region_info ri = {.argsz = sizeof(ri), .index = i};

        if (ioc(dfd, VFIO_DEVICE_GET_REGION_INFO, &ri) || !ri.size) {
            continue;
        }
        ops->pread(dfd, buf, sizeof(buf), ri.offset + rnd64(f) % ri.size);
        ops->pread(dfd, buf, sizeof(buf), ri.offset + ri.size - 1);
        if (ri.flags & VFIO_REGION_INFO_FLAG_WRITE) {
            for (unsigned k = 0; k < 16; k++) {
                uint32_t v = rnd(f, 2) ? 0xffffffff : g_rand_int(f->rand);
                unsigned len = 1 << rnd(f, 3);

                ops->pwrite(dfd, &v, len,
                            ri.offset + (rnd64(f) % ri.size & ~(len - 1)));
            }
        }
        if (ri.flags & VFIO_REGION_INFO_FLAG_MMAP) {
            void *p =
                ops->mmap(NULL, 4096, PROT_READ, MAP_SHARED, dfd, ri.offset);

            if (p != MAP_FAILED) {
                ops->munmap(p, 4096);
            }
        }
    }
    ops->pread(dfd, buf, sizeof(buf),
               (uint64_t)VFIO_PCI_CONFIG_REGION_INDEX << 40);
}

static void exercise_device(Fuzzer *f, const HostModelDevice *d)
{
    g_autofree char *cdev = g_strdup_printf("/dev/vfio/devices/%s", d->cdev);
    g_autofree char *found = NULL;
    g_autofree char *sysfs =
        g_strdup_printf("/sys/bus/pci/devices/%s/config", d->address);
    g_autofree char *cfg_text = NULL;
    struct vfio_device_bind_iommufd b = {.argsz = sizeof(b)};
    struct iommu_ioas_alloc a = {.size = sizeof(a)};
    struct vfio_device_attach_iommufd_pt at = {.argsz = sizeof(at)};
    struct iommu_hwpt_alloc h = {.size = sizeof(h)};
    struct iommu_viommu_alloc v = {.size = sizeof(v),
                                   .type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3};
    struct iommu_ioas_iova_ranges r = {.size = sizeof(r)};
    uint8_t info_buf[256];
    struct vfio_device_info *info = (void *)info_buf;
    uint8_t hw[128];
    struct iommu_hw_info hi = {
        .size = sizeof(hi), .data_len = sizeof(hw), .data_uptr = (uintptr_t)hw};
    size_t len;
    int group;
    int ifd, dfd;

    host_find_vfio_cdev(d->address, &found, NULL);
    host_get_iommu_group(d->address, &group, NULL);
    cfg_text = ops->read_file(sysfs, &len);
    ifd = ops->open("/dev/iommu", O_RDWR);
    dfd = ops->open(cdev, O_RDWR);
    g_assert_cmpint(ifd, >=, 0);
    g_assert_cmpint(dfd, >=, 0);
    b.iommufd = ifd;
    if (ioc(dfd, VFIO_DEVICE_BIND_IOMMUFD, &b)) {
        goto out;
    }
    hi.dev_id = b.out_devid;
    ioc(ifd, IOMMU_GET_HW_INFO, &hi);
    g_assert_cmpint(ioc(ifd, IOMMU_IOAS_ALLOC, &a), ==, 0);
    at.pt_id = a.out_ioas_id;
    ioc(dfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at);
    r.ioas_id = a.out_ioas_id;
    ioc(ifd, IOMMU_IOAS_IOVA_RANGES, &r);
    memset(info_buf, 0, sizeof(info_buf));
    info->argsz = rnd(f, 2) ? sizeof(*info) : sizeof(info_buf);
    ioc(dfd, VFIO_DEVICE_GET_INFO, info);
    for (uint32_t i = 0; i < VFIO_PCI_NUM_IRQS + 1; i++) {
        struct vfio_irq_info ii = {.argsz = sizeof(ii), .index = i};

        ioc(dfd, VFIO_DEVICE_GET_IRQ_INFO, &ii);
    }
    exercise_regions(f, dfd);
    ioc(dfd, VFIO_DEVICE_RESET, NULL);
    h.dev_id = b.out_devid;
    h.pt_id = a.out_ioas_id;
    h.flags = IOMMU_HWPT_ALLOC_NEST_PARENT;
    if (!ioc(ifd, IOMMU_HWPT_ALLOC, &h)) {
        at.pt_id = h.out_hwpt_id;
        ioc(dfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at);
        v.dev_id = b.out_devid;
        v.hwpt_id = h.out_hwpt_id;
        ioc(ifd, IOMMU_VIOMMU_ALLOC, &v);
    }
    at.flags = VFIO_DEVICE_ATTACH_PASID;
    at.pasid = rnd(f, 2) ? 1 : (1u << d->max_pasid_log2) - 1;
    at.pt_id = a.out_ioas_id;
    ioc(dfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at);
out:
    ops->close(dfd);
    ops->close(ifd);
}

static void exercise(Fuzzer *f, HostModelDesc *desc)
{
    host_model_set_desc(desc);
    host_ops_set(&host_ops_model);
    ops = host_ops();
    for (guint i = 0; i < desc->devices->len; i++) {
        const HostModelDevice *d = g_ptr_array_index(desc->devices, i);

        if (d->cdev) {
            exercise_device(f, d);
        }
    }
    g_assert_cmpuint(host_model_live_objects(), ==, 0);
    host_model_reset();
}

static void fuzz_one(Fuzzer *f, const HostModelBundled *b,
                     const HostModelDesc *base)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autofree char *text = NULL;
    Error *err = NULL;
    HostModelDesc *desc;
    JsonNode *root;

    g_assert_true(json_parser_load_from_data(parser, b->json, -1, NULL));
    root = json_parser_get_root(parser);
    for (unsigned n = 1 + rnd(f, 3); n; n--) {
        mutate(f, root, base);
    }
    text = json_to_string(root, false);
    desc = host_model_desc_parse(text, ORIGIN, &err);
    if (!desc) {
        g_assert_nonnull(err);
        check_error(text, error_get_pretty(err));
        error_free(err);
        f->refused++;
        return;
    }
    g_assert_null(err);
    f->loaded++;
    exercise(f, desc);
}

static void test_fuzz(void)
{
    const char *env = g_getenv("HOST_DESC_FUZZ_SEED");
    guint32 seed =
        env ? (guint32)g_ascii_strtoull(env, NULL, 0) : FUZZ_DEFAULT_SEED;
    Fuzzer f = {.rand = g_rand_new_with_seed(seed)};
    g_autoptr(GPtrArray) bases =
        g_ptr_array_new_with_free_func((GDestroyNotify)host_model_desc_free);
    unsigned nbundled = 0;

    g_test_message("seed 0x%x (HOST_DESC_FUZZ_SEED)", seed);
    for (const HostModelBundled *b = host_model_bundled; b->name; b++) {
        g_ptr_array_add(bases,
                        host_model_desc_parse(b->json, b->name, &error_abort));
        nbundled++;
    }
    for (int i = 0; i < FUZZ_RUNS; i++) {
        unsigned k = rnd(&f, nbundled);

        fuzz_one(&f, &host_model_bundled[k], bases->pdata[k]);
    }
    g_test_message("%u loaded, %u refused", f.loaded, f.refused);
    /* some mutations must leave loadable descriptions */
    g_assert_cmpuint(f.loaded, >, FUZZ_RUNS / 20);
    g_rand_free(f.rand);
}

/*
 * Capabilities whose fields would lie beyond the end of config space are
 * refused at load time (the model and vfio-pci read those fields).
 */
static void test_cap_at_edge(void)
{
    static const struct {
        unsigned off;
        uint32_t hdr;
        bool ext;
    } cases[] = {
        {0xf0, 0x00020010, false}, /* PCI Express v2 needs 0x3c bytes */
        {0xf8, 0x00000011, false}, /* MSI-X needs 12 */
        {0xf4, 0x01800005, false}, /* 64-bit MSI with masking needs 0x18 */
        {0xffc, 0x0001001b, true}, /* PASID needs 8 */
        {0xff4, 0x00010013, true}, /* PRI needs 16 */
        {0xff8, 0x00010001, true}, /* AER needs 0x18 */
    };
    g_autoptr(HostModelDesc) base =
        host_model_desc_load("grace-hopper", &error_abort);
    const HostModelDevice *gpu = g_ptr_array_index(base->devices, 0);
    const HostModelBundled *b = host_model_bundled;

    while (strcmp(b->name, "grace-hopper")) {
        b++;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(JsonParser) parser = json_parser_new();
        g_autofree uint8_t *cfg = g_memdup2(gpu->config, 4096);
        g_autofree char *hex = NULL;
        g_autofree char *text = NULL;
        unsigned caps[64];
        unsigned n;
        JsonObject *dev;
        Error *err = NULL;

        g_assert_true(json_parser_load_from_data(parser, b->json, -1, NULL));
        st(cfg, cases[i].off, 4, cases[i].hdr);
        if (cases[i].ext) {
            n = ext_caps(cfg, 4096, caps);
            set_ext_next(cfg, caps[n - 1], cases[i].off);
        } else {
            n = std_caps(cfg, caps);
            cfg[caps[n - 1] + 1] = cases[i].off;
        }
        hex = hex_of(cfg, 4096);
        dev = json_array_get_object_element(
            json_object_get_array_member(
                json_node_get_object(json_parser_get_root(parser)), "devices"),
            0);
        json_object_set_string_member(dev, "config", hex);
        text = json_to_string(json_parser_get_root(parser), false);
        g_assert_null(host_model_desc_parse(text, ORIGIN, &err));
        g_assert_true(g_str_has_prefix(error_get_pretty(err),
                                       ORIGIN ": devices[0].config: "));
        g_assert_nonnull(strstr(error_get_pretty(err),
                                "runs past the end of the configuration "
                                "space"));
        error_free(err);
    }
}

/* The unmutated hosts survive the same flow. */
static void test_bundled_flow(void)
{
    Fuzzer f = {.rand = g_rand_new_with_seed(1)};

    for (const HostModelBundled *b = host_model_bundled; b->name; b++) {
        exercise(&f, host_model_desc_load(b->name, &error_abort));
    }
    g_rand_free(f.rand);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/host-desc-fuzz/bundled-flow", test_bundled_flow);
    g_test_add_func("/host-desc-fuzz/cap-at-edge", test_cap_at_edge);
    g_test_add_func("/host-desc-fuzz/mutated", test_fuzz);
    return g_test_run();
}
