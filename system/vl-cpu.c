/*
 * CPU model names accepted by -cpu. No CPU is emulated; the model is
 * recorded on the machine so that management tools' command lines start
 * and a misspelt model is still reported.
 */
#include "qemu/osdep.h"
#include "system/vl-internal.h"

static const char *const aarch64_models[] = {
    "cortex-a15", "cortex-a35", "cortex-a53", "cortex-a55", "cortex-a57",
    "cortex-a72", "cortex-a76", "cortex-a710", "neoverse-n1", "neoverse-n2",
    "neoverse-v1", "host", "max", NULL,
};

static const char *const x86_64_models[] = {
    "qemu64", "qemu32", "kvm64", "base", "host", "max", "Haswell",
    "Broadwell", "Skylake-Client", "Skylake-Server", "Cascadelake-Server",
    "Icelake-Server", "SapphireRapids", "GraniteRapids", "EPYC",
    "EPYC-Rome", "EPYC-Milan", "EPYC-Genoa", NULL,
};

const char *const *vl_cpu_models(void)
{
    if (g_str_equal(qemu_target_name, "x86_64")) {
        return x86_64_models;
    }
    return aarch64_models;
}

/* Versioned x86 names ("Skylake-Server-v4") name the same model. */
static bool vl_strip_version(const char *name, char **base)
{
    const char *v = strrchr(name, '-');
    uint64_t n;

    if (!v || v[1] != 'v' || !qemu_strtou64(v + 2, &n)) {
        return false;
    }
    *base = g_strndup(name, v - name);
    return true;
}

bool vl_cpu_model_valid(const char *name)
{
    const char *const *models = vl_cpu_models();
    g_autofree char *base = NULL;

    if (g_strv_contains(models, name)) {
        return true;
    }
    return vl_strip_version(name, &base) && g_strv_contains(models, base);
}
