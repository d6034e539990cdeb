/*
 * -smp: CPU count and topology. Missing values are derived the way QEMU
 * does for current machine types (cores are preferred over sockets), then
 * the topology must multiply out to maxcpus and cover cpus.
 */
#include "qemu/osdep.h"
#include "system/vl-internal.h"

typedef struct SmpKey {
    const char *name;
    size_t offset;
} SmpKey;

static const SmpKey smp_keys[] = {
    {"cpus", offsetof(VlSmp, cpus)},
    {"maxcpus", offsetof(VlSmp, maxcpus)},
    {"sockets", offsetof(VlSmp, sockets)},
    {"dies", offsetof(VlSmp, dies)},
    {"clusters", offsetof(VlSmp, clusters)},
    {"cores", offsetof(VlSmp, cores)},
    {"threads", offsetof(VlSmp, threads)},
};

static uint64_t *smp_field(VlSmp *smp, const char *key)
{
    for (size_t i = 0; i < ARRAY_SIZE(smp_keys); i++) {
        if (g_str_equal(smp_keys[i].name, key)) {
            return (uint64_t *)((char *)smp + smp_keys[i].offset);
        }
    }
    return NULL;
}

static bool smp_set(VlSmp *smp, const char *key, const char *value,
                    Error **errp)
{
    uint64_t *field = smp_field(smp, key);
    uint64_t v;

    if (!field) {
        error_setg(errp, "Invalid parameter '%s'", key);
        return false;
    }
    if (!vl_parse_uint(key, value, &v, errp)) {
        return false;
    }
    if (v == 0) {
        error_setg(errp, "Invalid CPU topology: CPU topology parameters "
                   "must be greater than zero");
        return false;
    }
    if (v > UINT32_MAX) {
        error_setg(errp, "Invalid CPU topology: %s=%" PRIu64 " is too large",
                   key, v);
        return false;
    }
    *field = v;
    return true;
}

/* Options merge over repeated -smp, as QEMU's do. */
bool vl_opt_smp(VlConfig *cfg, const char *arg, Error **errp)
{
    bool help;
    g_autoptr(Keyval) kv = keyval_parse(arg, "cpus", false, &help, errp);

    if (!kv) {
        return false;
    }
    if (help) {
        error_setg(errp, "Invalid parameter 'help'");
        return false;
    }
    for (guint i = 0; i < kv->items->len; i++) {
        const KeyvalItem *item = g_ptr_array_index(kv->items, i);

        if (!smp_set(&cfg->smp, item->key, item->value, errp)) {
            return false;
        }
    }
    cfg->smp.given = true;
    g_free(cfg->smp.arg);
    cfg->smp.arg = g_strdup(arg);
    return true;
}

static bool smp_check_support(const VlSmp *s, Error **errp)
{
    bool x86 = g_str_equal(qemu_target_name, "x86_64");

    if (!x86 && s->dies > 1) {
        error_setg(errp, "dies not supported by this machine's CPU topology");
        return false;
    }
    if (x86 && s->clusters > 1) {
        error_setg(errp, "clusters not supported by this machine's CPU "
                   "topology");
        return false;
    }
    return true;
}

static uint64_t at_least_one(uint64_t v)
{
    return v ? v : 1;
}

/* Products of the topology saturate instead of wrapping around. */
static uint64_t smp_mul(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                        uint64_t e)
{
    uint64_t factors[] = {b, c, d, e};
    uint64_t r = a;

    for (size_t i = 0; i < ARRAY_SIZE(factors); i++) {
        if (__builtin_mul_overflow(r, factors[i], &r)) {
            return UINT64_MAX;
        }
    }
    return r;
}

/* Fills the zero (absent) fields of s. */
static void smp_derive(VlSmp *s)
{
    uint64_t fixed;

    s->dies = at_least_one(s->dies);
    s->clusters = at_least_one(s->clusters);
    if (!s->cpus && !s->maxcpus) {
        s->sockets = at_least_one(s->sockets);
        s->cores = at_least_one(s->cores);
        s->threads = at_least_one(s->threads);
    } else {
        s->maxcpus = s->maxcpus ? s->maxcpus : s->cpus;
        if (!s->cores) {
            s->sockets = at_least_one(s->sockets);
            s->threads = at_least_one(s->threads);
            fixed = smp_mul(s->sockets, s->dies, s->clusters, s->threads, 1);
            s->cores = at_least_one(s->maxcpus / fixed);
        } else if (!s->sockets) {
            s->threads = at_least_one(s->threads);
            fixed = smp_mul(s->dies, s->clusters, s->cores, s->threads, 1);
            s->sockets = at_least_one(s->maxcpus / fixed);
        } else if (!s->threads) {
            fixed = smp_mul(s->sockets, s->dies, s->clusters, s->cores, 1);
            s->threads = at_least_one(s->maxcpus / fixed);
        }
    }
}

static char *smp_product_text(const VlSmp *s)
{
    return g_strdup_printf("sockets (%" PRIu64 ") * dies (%" PRIu64
                           ") * clusters (%" PRIu64 ") * cores (%" PRIu64
                           ") * threads (%" PRIu64 ")",
                           s->sockets, s->dies, s->clusters, s->cores,
                           s->threads);
}

static bool smp_check_totals(VlSmp *s, Error **errp)
{
    uint64_t total = smp_mul(s->sockets, s->dies, s->clusters, s->cores,
                             s->threads);
    g_autofree char *product = smp_product_text(s);

    s->maxcpus = s->maxcpus ? s->maxcpus : total;
    s->cpus = s->cpus ? s->cpus : s->maxcpus;
    if (total != s->maxcpus) {
        error_setg(errp, "Invalid CPU topology: product of the hierarchy "
                   "must match maxcpus: %s != maxcpus (%" PRIu64 ")",
                   product, s->maxcpus);
        return false;
    }
    if (s->maxcpus < s->cpus) {
        error_setg(errp, "Invalid CPU topology: maxcpus must be equal to or "
                   "greater than smp: %s == maxcpus (%" PRIu64
                   ") < smp_cpus (%" PRIu64 ")",
                   product, s->maxcpus, s->cpus);
        return false;
    }
    return true;
}

static bool smp_check_machine(const VlSmp *s, MachineClass *mc, Error **errp)
{
    int min = mc->min_cpus ? mc->min_cpus : 1;

    if (s->cpus < (uint64_t)min) {
        error_setg(errp, "Invalid SMP CPUs %" PRIu64 ". The min CPUs "
                   "supported by machine '%s' is %d", s->cpus, mc->name, min);
        return false;
    }
    if (mc->max_cpus && s->maxcpus > (uint64_t)mc->max_cpus) {
        error_setg(errp, "Invalid SMP CPUs %" PRIu64 ". The max CPUs "
                   "supported by machine '%s' is %d", s->maxcpus, mc->name,
                   mc->max_cpus);
        return false;
    }
    return true;
}

bool vl_smp_apply(const VlSmp *smp, MachineState *ms, Error **errp)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    VlSmp s = *smp;

    if (!s.given) {
        s.cpus = mc->default_cpus ? mc->default_cpus : 1;
    }
    if (!smp_check_support(&s, errp)) {
        return false;
    }
    smp_derive(&s);
    if (!smp_check_totals(&s, errp) || !smp_check_machine(&s, mc, errp)) {
        return false;
    }
    ms->smp = (SMPConfiguration){
        .cpus = s.cpus, .maxcpus = s.maxcpus, .sockets = s.sockets,
        .dies = s.dies, .clusters = s.clusters, .cores = s.cores,
        .threads = s.threads,
    };
    return true;
}
