/*
 * -m: guest RAM size (a bare number means MiB), plus the hotplug limits
 * maxmem and slots, which are checked and recorded. The machine's
 * memory-backend, when given, supplies the RAM and must agree with -m.
 */
#include "qemu/osdep.h"
#include "system/hostmem.h"
#include "system/vl-internal.h"

#define RAM_SIZE_ALIGN (8 * KiB)

static bool memory_parse_size(const char *key, const char *value,
                              unsigned default_shift, uint64_t *out,
                              Error **errp)
{
    if (!qemu_strtosz(value, default_shift, out)) {
        error_setg(errp, "Parameter '%s' expects a non-negative number "
                   "below 2^64", key);
        return false;
    }
    return true;
}

static bool memory_check(const VlMemory *mem, bool has_maxmem, bool has_slots,
                         Error **errp)
{
    if (has_slots && !has_maxmem) {
        error_setg(errp, "invalid -m option value: missing 'maxmem' option");
        return false;
    }
    if (has_maxmem && mem->maxmem < mem->size) {
        error_setg(errp, "invalid value of maxmem: maxmem (0x%" PRIx64
                   ") < initial memory (0x%" PRIx64 ")",
                   mem->maxmem, mem->size);
        return false;
    }
    if (has_maxmem && mem->maxmem > mem->size && !mem->slots) {
        error_setg(errp, "invalid -m option value: maxmem was specified, "
                   "but no hotplug slots were specified");
        return false;
    }
    return true;
}

bool vl_opt_memory(VlConfig *cfg, const char *arg, Error **errp)
{
    static const char *const keys[] = {"size", "maxmem", "slots", NULL};
    bool help;
    g_autoptr(Keyval) kv = keyval_parse(arg, "size", false, &help, errp);
    const char *size, *maxmem, *slots;
    VlMemory mem = {.given = true};

    if (!kv || !vl_keyval_check(kv, keys, errp)) {
        return false;
    }
    size = keyval_get(kv, "size");
    maxmem = keyval_get(kv, "maxmem");
    slots = keyval_get(kv, "slots");
    if (help || !*arg || (size && !*size)) {
        error_setg(errp, "missing 'size' option value");
        return false;
    }
    if ((size && !memory_parse_size("size", size, 20, &mem.size, errp)) ||
        (maxmem && !memory_parse_size("maxmem", maxmem, 0, &mem.maxmem,
                                      errp)) ||
        (slots && !vl_parse_uint("slots", slots, &mem.slots, errp))) {
        return false;
    }
    if (mem.size > UINT64_MAX - RAM_SIZE_ALIGN) {
        error_setg(errp, "Parameter 'size' expects a non-negative number "
                   "below 2^64");
        return false;
    }
    /* As in QEMU, "-m 0" asks for the machine's default size. */
    mem.given = mem.size != 0;
    mem.size = QEMU_ALIGN_UP(mem.size, RAM_SIZE_ALIGN);
    if (!memory_check(&mem, maxmem != NULL, slots != NULL, errp)) {
        return false;
    }
    cfg->memory = mem;
    return true;
}

/*
 * Without -m, a memory-backend gives the RAM size; machine_create_ram
 * reports a missing backend or a size that does not match -m.
 */
static void memory_size_from_backend(MachineState *ms)
{
    Object *backend = object_resolve_path_component(
        object_get_objects_root(), ms->ram_memdev_id);

    if (backend && object_dynamic_cast(backend, TYPE_MEMORY_BACKEND)) {
        ms->ram_size = object_property_get_uint(backend, "size", NULL);
    }
}

void vl_memory_apply(const VlConfig *cfg, MachineState *ms)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);

    ms->ram_size = cfg->memory.given ? cfg->memory.size
                                     : mc->default_ram_size;
    if (!cfg->memory.given && ms->ram_memdev_id) {
        memory_size_from_backend(ms);
    }
}
