/*
 * The model's view of the host file system: the device nodes and the
 * sysfs entries that locate a host PCI device, synthesised from the
 * description:
 *
 *   /dev/iommu, /dev/vfio/devices/vfioN
 *   /sys/bus/pci/devices/ADDR/{config,vendor,device,class}
 *   /sys/bus/pci/devices/ADDR/{iommu,iommu_group,driver}  (symlinks)
 *   /sys/bus/pci/devices/ADDR/vfio-dev/vfioN   (only when bound to vfio-pci)
 *   /sys/kernel/iommu_groups/N/devices/ADDR
 */
#include "qemu/osdep.h"
#include "host-model-int.h"

#define PCI_DEVICES "/sys/bus/pci/devices"
#define IOMMU_GROUPS "/sys/kernel/iommu_groups"

/* "/sys/bus/pci/devices/ADDR/rest" → the device and "rest" ("" if none). */
static ModelDev *split_dev(const char *path, const char **rest)
{
    g_autofree char *addr = NULL;
    const char *p;

    if (!g_str_has_prefix(path, PCI_DEVICES "/")) {
        return NULL;
    }
    p = path + strlen(PCI_DEVICES "/");
    addr = g_strndup(p, strcspn(p, "/"));
    p += strlen(addr);
    *rest = *p == '/' ? p + 1 : p;
    return model_dev_find(addr, NULL);
}

static gint cmp_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static GPtrArray *strv_array(void)
{
    return g_ptr_array_new_with_free_func(g_free);
}

static GPtrArray *group_members(const char *path)
{
    unsigned group;
    char tail[16];
    const HostModelDesc *desc = model_desc();
    GPtrArray *out;

    if (sscanf(path, IOMMU_GROUPS "/%u/%15s", &group, tail) != 2 ||
        strcmp(tail, "devices")) {
        return NULL;
    }
    out = strv_array();
    for (unsigned i = 0; i < desc->devices->len; i++) {
        HostModelDevice *d = g_ptr_array_index(desc->devices, i);
        if (d->group == (int)group) {
            g_ptr_array_add(out, g_strdup(d->address));
        }
    }
    if (!out->len) {
        g_ptr_array_unref(out);
        return NULL;
    }
    return out;
}

GPtrArray *model_list_dir(const char *path)
{
    const HostModelDesc *desc = model_desc();
    const char *rest;
    ModelDev *dev = split_dev(path, &rest);
    GPtrArray *out = NULL;

    if (!strcmp(path, PCI_DEVICES)) {
        out = strv_array();
        for (unsigned i = 0; i < desc->devices->len; i++) {
            HostModelDevice *d = g_ptr_array_index(desc->devices, i);
            g_ptr_array_add(out, g_strdup(d->address));
        }
    } else if (dev && !*rest) {
        static const char *const files[] = {
            "class", "config", "device", "iommu", "iommu_group", "vendor",
        };
        out = strv_array();
        for (unsigned i = 0; i < ARRAY_SIZE(files); i++) {
            g_ptr_array_add(out, g_strdup(files[i]));
        }
        if (dev->desc->cdev) {
            g_ptr_array_add(out, g_strdup("driver"));
            g_ptr_array_add(out, g_strdup("vfio-dev"));
        }
        g_ptr_array_sort(out, cmp_names);
    } else if (dev && dev->desc->cdev && !strcmp(rest, "vfio-dev")) {
        out = strv_array();
        g_ptr_array_add(out, g_strdup(dev->desc->cdev));
    } else {
        out = group_members(path);
    }
    if (!out) {
        errno = ENOENT;
    }
    return out;
}

char *model_read_file(const char *path, size_t *len)
{
    const char *rest;
    ModelDev *dev = split_dev(path, &rest);
    const uint8_t *cfg = dev ? dev->config : NULL;
    char *out = NULL;

    if (!dev) {
        errno = ENOENT;
        return NULL;
    }
    if (!strcmp(rest, "config")) {
        out = g_malloc(dev->desc->config_size + 1);
        memcpy(out, cfg, dev->desc->config_size);
        out[dev->desc->config_size] = 0;
        *len = dev->desc->config_size;
        return out;
    }
    if (!strcmp(rest, "vendor") || !strcmp(rest, "device")) {
        out = g_strdup_printf("0x%04x\n",
                              model_pci_ld(cfg, *rest == 'v' ? 0 : 2, 2));
    } else if (!strcmp(rest, "class")) {
        out = g_strdup_printf("0x%06x\n", model_pci_ld(cfg, 9, 3));
    }
    if (!out) {
        errno = *rest ? ENOENT : EISDIR;
        return NULL;
    }
    *len = strlen(out);
    return out;
}

char *model_read_link(const char *path)
{
    const char *rest;
    ModelDev *dev = split_dev(path, &rest);

    if (dev && !strcmp(rest, "iommu_group")) {
        return g_strdup_printf("../../../../kernel/iommu_groups/%d",
                               dev->desc->group);
    }
    if (dev && !strcmp(rest, "iommu")) {
        return g_strdup_printf("../../../../virtual/iommu/%s",
                               dev->desc->iommu->id);
    }
    if (dev && dev->desc->cdev && !strcmp(rest, "driver")) {
        return g_strdup("../../../../bus/pci/drivers/vfio-pci");
    }
    errno = model_path_exists(path) ? EINVAL : ENOENT;
    return NULL;
}

bool model_path_exists(const char *path)
{
    g_autoptr(GPtrArray) list = NULL;
    g_autofree char *dir = NULL;
    g_autofree char *base = NULL;

    if (!strcmp(path, "/dev/iommu") || !strcmp(path, PCI_DEVICES)) {
        return true;
    }
    if (g_str_has_prefix(path, "/dev/vfio/devices/")) {
        return model_dev_find(NULL, path + strlen("/dev/vfio/devices/"));
    }
    list = model_list_dir(path);
    if (list) {
        return true;
    }
    dir = g_path_get_dirname(path);
    base = g_path_get_basename(path);
    g_clear_pointer(&list, g_ptr_array_unref);
    list = model_list_dir(dir);
    return list && g_ptr_array_find_with_equal_func(list, base, g_str_equal,
                                                    NULL);
}
