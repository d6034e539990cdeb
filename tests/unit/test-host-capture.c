/*
 * Capture → reload round trip against the model: capturing every device
 * of a bundled host and loading the result gives back the same host.
 */
#include "qemu/osdep.h"
#include "backends/host-model.h"
#include "tools/host-capture/capture.h"

static void assert_same_iommu(const HostModelIommu *a,
                              const HostModelIommu *b)
{
    g_assert_cmpstr(a->id, ==, b->id);
    g_assert_cmpint(a->kind, ==, b->kind);
    if (a->kind == HOST_IOMMU_ARM_SMMUV3) {
        g_assert_cmpmem(a->idr, sizeof(a->idr), b->idr, sizeof(b->idr));
        g_assert_cmphex(a->iidr, ==, b->iidr);
        g_assert_cmphex(a->aidr, ==, b->aidr);
    } else {
        g_assert_cmphex(a->cap, ==, b->cap);
        g_assert_cmphex(a->ecap, ==, b->ecap);
        g_assert_cmphex(a->vtd_flags, ==, b->vtd_flags);
    }
    g_assert_cmpint(a->nesting, ==, b->nesting);
    g_assert_cmpint(a->dirty_tracking, ==, b->dirty_tracking);
    g_assert_cmpmem(a->iova_ranges->data,
                    a->iova_ranges->len * sizeof(HostIovaRange),
                    b->iova_ranges->data,
                    b->iova_ranges->len * sizeof(HostIovaRange));
}

static void assert_same_device(const HostModelDevice *a,
                               const HostModelDevice *b)
{
    g_assert_cmpstr(a->address, ==, b->address);
    g_assert_cmpstr(a->iommu->id, ==, b->iommu->id);
    g_assert_cmpint(a->group, ==, b->group);
    g_assert_cmpstr(a->cdev, ==, b->cdev);
    g_assert_cmpmem(a->config, a->config_size, b->config, b->config_size);
    g_assert_cmpint(a->ats_supported, ==, b->ats_supported);
    g_assert_cmpuint(a->max_pasid_log2, ==, b->max_pasid_log2);
    g_assert_cmphex(a->atomic_comp, ==, b->atomic_comp);
    g_assert_cmpint(a->reset, ==, b->reset);
    g_assert_cmpmem(a->regions, sizeof(a->regions), b->regions,
                    sizeof(b->regions));
    g_assert_cmpmem(a->irqs, sizeof(a->irqs), b->irqs, sizeof(b->irqs));
}

static void test_round_trip(gconstpointer data)
{
    const char *name = data;
    g_autoptr(HostModelDesc) orig = host_model_desc_load(name, &error_abort);
    g_autoptr(HostModelDesc) back = NULL;
    g_autoptr(GPtrArray) addrs = g_ptr_array_new();
    g_autofree char *text = NULL;

    for (unsigned i = 0; i < orig->devices->len; i++) {
        HostModelDevice *d = g_ptr_array_index(orig->devices, i);
        g_ptr_array_add(addrs, d->address);
    }
    g_ptr_array_add(addrs, NULL);
    g_assert_true(host_ops_select(name, &error_abort));
    text = host_capture((const char *const *)addrs->pdata, name,
                        &error_abort);
    g_assert_cmpuint(host_model_live_objects(), ==, 0);
    back = host_model_desc_parse(text, "captured.json", &error_abort);

    g_assert_cmpstr(back->name, ==, name);
    g_assert_nonnull(strstr(back->provenance, "model: "));
    g_assert_cmpuint(back->iommus->len, ==, orig->iommus->len);
    for (unsigned i = 0; i < orig->iommus->len; i++) {
        assert_same_iommu(g_ptr_array_index(orig->iommus, i),
                          g_ptr_array_index(back->iommus, i));
    }
    g_assert_cmpuint(back->devices->len, ==, orig->devices->len);
    for (unsigned i = 0; i < orig->devices->len; i++) {
        assert_same_device(g_ptr_array_index(orig->devices, i),
                           g_ptr_array_index(back->devices, i));
    }
    host_model_reset();
}

static void test_capture_errors(void)
{
    const char *missing[] = {"0000:0f:00.0", NULL};
    const char *bad[] = {"0009:01:00.0", "x", NULL};
    Error *err = NULL;

    g_assert_true(host_ops_select("grace-hopper", &error_abort));
    g_assert_null(host_capture(missing, "t", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Host PCI device 0000:0f:00.0 not found");
    error_free(err);
    err = NULL;
    g_assert_null(host_capture(bad, "t", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "Invalid PCI address"));
    error_free(err);
    err = NULL;
    g_assert_true(host_ops_select("grace-hopper,fail=IOMMU_GET_HW_INFO:1:EIO",
                                  &error_abort));
    g_assert_null(host_capture(missing + 0, "t", &err));
    error_free(err);
    err = NULL;
    g_assert_null(host_capture(bad, "t", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "0009:01:00.0: IOMMU_GET_HW_INFO failed: "
                    "Input/output error");
    error_free(err);
    g_assert_cmpuint(host_model_live_objects(), ==, 0);
    host_model_reset();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (const HostModelBundled *b = host_model_bundled; b->name; b++) {
        g_autofree char *path = g_strdup_printf("/host-capture/round-trip/%s",
                                                b->name);
        g_test_add_data_func(path, b->name, test_round_trip);
    }
    g_test_add_func("/host-capture/errors", test_capture_errors);
    return g_test_run();
}
