/*
 * Mutated command lines: the libvirt shapes of docs/libvirt.md and a
 * Grace-like topology (expander buses, root ports, accelerated SMMUs,
 * assigned devices, memory-less NUMA nodes), with options dropped,
 * duplicated, swapped or inserted and values corrupted (empty, huge,
 * negative, non-ASCII, ",,", "=", trailing commas, broken JSON). Each run
 * must either start (status 0: the qtest connection on stdin ends at
 * once, so the emulator quits) or fail with status 1 and one error line
 * "qemu-system-ARCH: ..." (plus a documented hint line) — never a signal,
 * a sanitizer report or a hang. Set CMDLINE_FUZZ_SEED to replay another
 * seed.
 */
#include "libqtest.h"

#include <string.h>
#include <unistd.h>

#define FUZZ_RUNS 100
#define FUZZ_DEFAULT_SEED 0xc0ffee11u

typedef struct Opt {
    char *name;
    char *arg; /* NULL: the option takes none */
} Opt;

/* Base command lines; arguments never start with '-'. */
#define LIBVIRT_COMMON                                                         \
    "-name guest=guest,debug-threads=on -S -msg timestamp=on "                 \
    "-overcommit mem-lock=off -smp 1,sockets=1,cores=1,threads=1 "             \
    "-uuid c7a5fdbd-cdaf-9455-926a-d65c16db1809 "                              \
    "-display none -no-user-config -nodefaults "                               \
    "-rtc base=utc -no-shutdown -boot strict=on "                              \
    "-audiodev '{\"id\":\"audio1\",\"driver\":\"none\"}' "                     \
    "-sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,"             \
    "resourcecontrol=deny -accel tcg -m size=1048576k "

static const char *const arm_lines[] = {
    /* libvirt's common options */
    LIBVIRT_COMMON
    "-machine virt,usb=off,gic-version=2,dump-guest-core=off,"
    "memory-backend=mach-virt.ram,acpi=off -cpu cortex-a15 "
    "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"mach-virt.ram\","
    "\"size\":1073741824}'",
    /* test case D: one SMMUv3 per expander bus */
    LIBVIRT_COMMON
    "-machine virt,usb=off,gic-version=2,memory-backend=mach-virt.ram "
    "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"mach-virt.ram\","
    "\"size\":1073741824}' "
    "-device '{\"driver\":\"pxb-pcie\",\"bus_nr\":252,\"id\":\"pci.1\","
    "\"bus\":\"pcie.0\",\"addr\":\"0x1\"}' "
    "-device '{\"driver\":\"pxb-pcie\",\"bus_nr\":248,\"id\":\"pci.2\","
    "\"bus\":\"pcie.0\",\"addr\":\"0x2\"}' "
    "-device '{\"driver\":\"pcie-root-port\",\"port\":0,\"chassis\":21,"
    "\"id\":\"pci.3\",\"bus\":\"pci.1\",\"addr\":\"0x0\"}' "
    "-device '{\"driver\":\"pcie-root-port\",\"port\":168,\"chassis\":22,"
    "\"id\":\"pci.4\",\"bus\":\"pci.2\",\"addr\":\"0x0\"}' "
    "-device '{\"driver\":\"arm-smmuv3\",\"primary-bus\":\"pci.1\","
    "\"id\":\"iommu0\"}' "
    "-device '{\"driver\":\"arm-smmuv3\",\"primary-bus\":\"pci.2\","
    "\"id\":\"iommu1\"}' "
    "-device '{\"driver\":\"iommu-testdev\",\"id\":\"td0\",\"bus\":\"pci.3\"}'",
    /* test case H: three root ports, two assigned devices */
    "-M virt -host-model grace-hopper -object iommufd,id=iommufd0 "
    "-device '{\"driver\":\"pcie-root-port\",\"port\":8,\"chassis\":1,"
    "\"id\":\"pci.1\",\"bus\":\"pcie.0\",\"multifunction\":true,"
    "\"addr\":\"0x1\"}' "
    "-device '{\"driver\":\"pcie-root-port\",\"port\":9,\"chassis\":2,"
    "\"id\":\"pci.2\",\"bus\":\"pcie.0\",\"addr\":\"0x1.0x1\"}' "
    "-device '{\"driver\":\"pcie-root-port\",\"port\":10,\"chassis\":3,"
    "\"id\":\"pci.3\",\"bus\":\"pcie.0\",\"addr\":\"0x1.0x2\"}' "
    "-device '{\"driver\":\"vfio-pci\",\"id\":\"hostdev0\","
    "\"iommufd\":\"iommufd0\",\"host\":\"0009:01:00.0\",\"bus\":\"pci.1\"}' "
    "-device '{\"driver\":\"vfio-pci\",\"id\":\"hostdev1\","
    "\"iommufd\":\"iommufd0\",\"host\":\"0000:01:00.0\",\"bus\":\"pci.2\"}'",
    /* Grace-like: GPU behind an accelerated SMMU, memory-less nodes */
    "-M virt,gic-version=3 -m 1G -smp 2 -host-model grace-hopper "
    "-object memory-backend-ram,id=m0,size=1G "
    "-numa node,nodeid=0,memdev=m0,cpus=0-1 -numa node,nodeid=1 "
    "-numa node,nodeid=2 -numa dist,src=0,dst=1,val=20 "
    "-object iommufd,id=iommufd0 "
    "-device pxb-pcie,id=pxb1,bus_nr=0x10,bus=pcie.0,numa_node=0 "
    "-device pcie-root-port,id=rp1,chassis=2,bus=pxb1 "
    "-device arm-smmuv3,primary-bus=pxb1,accel=on,ssidsize=20,id=smmu1 "
    "-device vfio-pci,id=dev0,bus=rp1,iommufd=iommufd0,host=0009:01:00.0 "
    "-object acpi-generic-initiator,id=gi0,pci-dev=dev0,node=1 "
    "-object acpi-generic-initiator,id=gi1,pci-dev=dev0,node=2 "
    "-global pcie-root-port.x-width=16",
};

static const char *const x86_lines[] = {
    LIBVIRT_COMMON
    "-machine q35,usb=off,dump-guest-core=off,memory-backend=pc.ram,"
    "acpi=off -cpu qemu64 "
    "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"pc.ram\","
    "\"size\":1073741824}'",
    /* test case G, host= in place of libvirt's passed fds */
    LIBVIRT_COMMON
    "-host-model vtd-sapphire-rapids "
    "-machine q35,usb=off,dump-guest-core=off,memory-backend=pc.ram,"
    "acpi=off -accel kvm "
    "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"pc.ram\","
    "\"size\":1073741824}' "
    "-device '{\"driver\":\"pcie-root-port\",\"port\":16,\"chassis\":1,"
    "\"id\":\"pci.1\",\"bus\":\"pcie.0\",\"multifunction\":true,"
    "\"addr\":\"0x2\"}' "
    "-device '{\"driver\":\"pcie-root-port\",\"port\":17,\"chassis\":2,"
    "\"id\":\"pci.2\",\"bus\":\"pcie.0\",\"addr\":\"0x2.0x1\"}' "
    "-object '{\"qom-type\":\"iommufd\",\"id\":\"iommufd0\"}' "
    "-device '{\"driver\":\"vfio-pci\",\"id\":\"hostdev0\","
    "\"iommufd\":\"iommufd0\",\"host\":\"0000:6a:01.0\",\"bus\":\"pci.1\"}'",
    /* expander buses with root ports and test devices */
    "-M q35 -m 512 -smp 4,sockets=2,dies=1,cores=2,threads=1 "
    "-host-model vtd-skylake-nonest -object iommufd,id=iommufd0 "
    "-device pxb-pcie,id=pxb1,bus_nr=0x40,bus=pcie.0 "
    "-device pcie-root-port,id=rp1,chassis=1,bus=pxb1,slot=1 "
    "-device pcie-root-port,id=rp2,chassis=2,bus=pcie.0 "
    "-device iommu-testdev,id=td0,bus=rp1 "
    "-device vfio-pci,id=dev0,bus=rp2,iommufd=iommufd0,host=0000:3b:00.0 "
    "-device x-compat-test-dev,level=8",
};

/* Values that tend to break parsers and range checks. */
static const char *const bad_values[] = {
    "",
    "0",
    "-1",
    "-0",
    "1",
    "65536",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "99999999999999999999999999",
    "0x",
    "0xffffffffffffffff",
    "0x1g",
    "010",
    "08",
    "1e3",
    "1.5",
    "1k",
    "16E",
    "17E",
    "0.5G",
    "on",
    "off",
    "auto",
    "true",
    "é",
    "日本",
    "\xff\xfe",
    ",",
    ",,",
    "=",
    "a=b",
    ",id=x",
    "x,",
    " ",
    "{",
    "{}",
    "[]",
    "null",
    "..",
    "/",
    "pcie.0",
    "iommufd0",
    "0009:01:00.0",
    "ffff:ff:1f.7",
    "9999:99:99.9",
};

/* Options a mutation may add, with a corruptible argument. */
static const char *const extra_opts[][2] = {
    {"-smp", "4,sockets=2,cores=2"},
    {"-m", "2G,slots=2,maxmem=4G"},
    {"-numa", "node,nodeid=3"},
    {"-numa", "node,nodeid=4,cpus=0,cpus=1-1,initiator=0"},
    {"-numa", "dist,src=0,dst=0,val=10"},
    {"-numa", "cpu,node-id=0,socket-id=0"},
    {"-global", "pcie-root-port.chassis=7"},
    {"-global", "driver=vfio-pci,property=ats,value=on"},
    {"-object", "memory-backend-ram,id=extra,size=1M"},
    {"-object", "memory-backend-ram,id=hn,size=1M,host-nodes=0-1,"
                "policy=bind,prealloc=on,merge=off"},
    {"-object", "iommufd,id=extra"},
    {"-object", "{\"qom-type\":\"iommufd\",\"id\":\"j\"}"},
    {"-device", "pcie-root-port,id=xrp,chassis=9"},
    {"-device", "{\"driver\":\"iommu-testdev\",\"id\":\"xtd\"}"},
    {"-device", "x-compat-test-dev,level=1"},
    {"-machine", "iommu=smmuv3"},
    {"-machine", "highmem=off"},
    {"-M", "virt-11.0"},
    {"-M", "pc-q35-11.0"},
    {"-accel", "kvm"},
    {"-cpu", "max"},
    {"-boot", "order=cd,menu=on"},
    {"-rtc", "base=2006-06-17T16:01:21,clock=vm"},
    /* failing ioctls, at the host the line was written for or another */
    {"-host-model", "grace-hopper,fail=IOMMU_HWPT_ALLOC"},
    {"-host-model", "grace-hopper,fail=any:1"},
    {"-host-model", "grace-hopper,fail=any:7:EBUSY"},
    {"-host-model", "grace-hopper,fail=any:15:EFAULT"},
    {"-host-model", "grace-hopper,fail=IOMMU_VIOMMU_ALLOC"},
    {"-host-model", "grace-hopper,fail=IOMMU_IOAS_MAP:2:ENOSPC"},
    {"-host-model", "grace-hopper,fail=VFIO_DEVICE_GET_REGION_INFO:4"},
    {"-host-model", "vtd-sapphire-rapids,fail=any:3:EIO"},
    {"-host-model", "vtd-sapphire-rapids,fail=any:11"},
    {"-host-model", "vtd-sapphire-rapids,fail=VFIO_DEVICE_BIND_IOMMUFD"},
    {"-host-model", "vtd-skylake-nonest,fail=IOMMU_GET_HW_INFO:2:EINVAL"},
    {"-host-model", "arm-smmuv3-basic"},
    {"-watchdog-action", "pause"},
    {"-uuid", "00000000-0000-0000-0000-000000000000"},
    {"-add-fd", "fd=2,set=1"},
    {"-name", "x,process=y"},
    {"-msg", "timestamp=off"},
    {"-audio", "none"},
    {"-net", "none"},
};

/* Hint lines that may follow an error (or warning) line. */
static const char *const hints[] = {
    "Use -machine help to list supported machines",
    "Use -host-model help to list bundled hosts",
    "Identifiers consist of letters, digits, ",
    "Use -numa node,memdev instead",
    "The host kernel needs CONFIG_IOMMUFD",
    "While mapping IOVA ",
};

typedef struct Fuzzer {
    GRand *rand;
    unsigned started, failed;
} Fuzzer;

/* 0..n-1; 0 for an empty range (an argument may have been emptied). */
static uint32_t rnd(Fuzzer *f, uint32_t n)
{
    return n > 1 ? g_rand_int_range(f->rand, 0, n) : 0;
}

static void opt_free(Opt *o)
{
    g_free(o->name);
    g_free(o->arg);
    g_free(o);
}

static Opt *opt_new(const char *name, const char *arg)
{
    Opt *o = g_new(Opt, 1);

    o->name = g_strdup(name);
    o->arg = g_strdup(arg);
    return o;
}

static GPtrArray *parse_line(const char *line)
{
    GPtrArray *opts = g_ptr_array_new_with_free_func((GDestroyNotify)opt_free);
    g_auto(GStrv) argv = NULL;

    g_assert_true(g_shell_parse_argv(line, NULL, &argv, NULL));
    for (int i = 0; argv[i]; i++) {
        const char *arg =
            argv[i + 1] && argv[i + 1][0] != '-' ? argv[i + 1] : NULL;

        g_assert_true(argv[i][0] == '-');
        g_ptr_array_add(opts, opt_new(argv[i], arg));
        i += arg != NULL;
    }
    return opts;
}

/* Changes one key=value item (or the bare first item) of a QemuOpts arg. */
static char *corrupt_keyval(Fuzzer *f, const char *arg)
{
    g_auto(GStrv) items = g_strsplit(arg, ",", -1);
    guint n = g_strv_length(items);
    guint i = rnd(f, n);
    const char *val = bad_values[rnd(f, G_N_ELEMENTS(bad_values))];
    char *eq;
    char *item;

    if (!n) {
        return g_strdup(val);
    }
    eq = strchr(items[i], '=');

    switch (rnd(f, 5)) {
    case 0: /* drop "=value" */
        if (eq) {
            *eq = 0;
        }
        break;
    case 1: /* trailing or doubled comma */
        return g_strconcat(arg, rnd(f, 2) ? "," : ",,", NULL);
    case 2: /* drop the item */
        g_free(items[i]);
        items[i] = g_strdup("");
        break;
    default:
        item =
            eq ? g_strdup_printf("%.*s=%s", (int)(eq - items[i]), items[i], val)
               : g_strdup(val);
        g_free(items[i]);
        items[i] = item;
    }
    return g_strjoinv(",", items);
}

/* Breaks JSON text, or gives a member a value of another type. */
static char *corrupt_json(Fuzzer *f, const char *arg)
{
    static const char *const values[] = {
        "null",      "true",        "-1",  "1e400", "18446744073709551616",
        "\"\"",      "\"x\"",       "[]",  "{}",    "[1,2]",
        "{\"a\":1}", "\"\\u0000\"", "0.5",
    };
    static const char junk[] = "{}[]:,\"'\\ x0";
    GString *s = g_string_new(arg);
    size_t pos = rnd(f, s->len + 1);
    char *colon;

    switch (rnd(f, 5)) {
    case 0:
        g_string_truncate(s, pos);
        break;
    case 1:
        g_string_insert_c(s, pos, junk[rnd(f, sizeof(junk) - 1)]);
        break;
    case 2:
        if (pos < s->len) {
            g_string_erase(s, pos, 1);
        }
        break;
    case 3: /* an extra member */
        g_string_insert(s, 1, "\"zz\":7,");
        break;
    default:
        /* the value after some ':' replaced up to the next ',' or '}' */
        colon = strchr(s->str + MIN(pos, s->len), ':');
        if (!colon) {
            colon = strchr(s->str, ':');
        }
        if (colon) {
            size_t start = colon - s->str + 1;
            size_t end = start + strcspn(s->str + start, ",}");

            g_string_erase(s, start, end - start);
            g_string_insert(s, start, values[rnd(f, G_N_ELEMENTS(values))]);
        }
    }
    return g_string_free(s, false);
}

static void mutate(Fuzzer *f, GPtrArray *opts)
{
    guint i = rnd(f, opts->len);
    Opt *o = opts->pdata[i];

    switch (rnd(f, 9)) {
    case 0:
        g_ptr_array_remove_index(opts, i);
        break;
    case 1:
        g_ptr_array_insert(opts, rnd(f, opts->len + 1),
                           opt_new(o->name, o->arg));
        break;
    case 2: {
        guint j = rnd(f, opts->len);

        opts->pdata[i] = opts->pdata[j];
        opts->pdata[j] = o;
        break;
    }
    case 3: { /* a new option */
        const char *const *e = extra_opts[rnd(f, G_N_ELEMENTS(extra_opts))];

        g_ptr_array_insert(opts, rnd(f, opts->len + 1), opt_new(e[0], e[1]));
        break;
    }
    case 4: /* the argument goes missing (the next option becomes it) */
        g_clear_pointer(&o->arg, g_free);
        break;
    case 5: /* the whole argument replaced */
        if (o->arg) {
            g_free(o->arg);
            o->arg = g_strdup(bad_values[rnd(f, G_N_ELEMENTS(bad_values))]);
        }
        break;
    default: { /* a value corrupted */
        char *arg;

        if (!o->arg) {
            break;
        }
        arg = o->arg[0] == '{' ? corrupt_json(f, o->arg)
                               : corrupt_keyval(f, o->arg);
        g_free(o->arg);
        o->arg = arg;
    }
    }
}

static char *format_line(GPtrArray *opts)
{
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < opts->len; i++) {
        Opt *o = opts->pdata[i];
        g_autofree char *q = NULL;

        g_string_append_printf(s, "%s ", o->name);
        if (o->arg) {
            q = g_shell_quote(o->arg);
            g_string_append_printf(s, "%s ", q);
        }
    }
    /* the qtest connection on stdin (/dev/null) ends a started emulator */
    g_string_append(s, "-qtest stdio -accel qtest");
    return g_string_free(s, false);
}

/* With -msg timestamp=on lines start with an ISO 8601 time stamp. */
static const char *skip_timestamp(const char *line)
{
    const char *sp = strchr(line, ' ');

    if (sp && sp - line >= 20 && sp[-1] == 'Z' && g_ascii_isdigit(line[0]) &&
        line[4] == '-' && line[10] == 'T') {
        return sp + 1;
    }
    return line;
}

static bool is_hint(const char *line)
{
    for (size_t i = 0; i < G_N_ELEMENTS(hints); i++) {
        if (g_str_has_prefix(line, hints[i])) {
            return true;
        }
    }
    return false;
}

/*
 * Kinds of report line: warnings (after the context, if any) and the
 * documented "invalid accelerator" notes, which do not stop start-up.
 */
static bool is_nonfatal(const char *msg)
{
    return g_str_has_prefix(msg, "warning: ") || strstr(msg, ": warning: ") ||
           strstr(msg, ": invalid accelerator ");
}

/*
 * Status 0 with only non-fatal reports, or status 1 with exactly one
 * error line; a documented hint line may follow any report.
 */
static void check_outcome(Fuzzer *f, const char *args, int status,
                          const char *err)
{
    g_autofree char *prefix =
        g_strdup_printf("qemu-system-%s: ", qtest_get_arch());
    g_auto(GStrv) lines = g_strsplit(err, "\n", -1);
    unsigned errors = 0;
    bool after_report = false;

    for (int i = 0; lines[i]; i++) {
        const char *line = skip_timestamp(lines[i]);

        if (!*lines[i] && !lines[i + 1]) {
            break;
        }
        if (g_str_has_prefix(line, prefix)) {
            errors += !is_nonfatal(line + strlen(prefix));
            after_report = true;
        } else if (after_report && is_hint(line)) {
            after_report = false;
        } else {
            g_error("unexpected stderr line '%s'\nfrom: %s\nstderr:\n%s",
                    lines[i], args, err);
        }
    }
    if (!((status == 0 && errors == 0) || (status == 1 && errors == 1))) {
        g_error("exit status %d with %u error lines\nfrom: %s\nstderr:\n%s",
                status, errors, args, err);
    }
    if (status == 0) {
        f->started++;
    } else {
        f->failed++;
    }
}

static void fuzz_line(Fuzzer *f, const char *base)
{
    g_autoptr(GPtrArray) opts = parse_line(base);
    g_autofree char *args = NULL;
    g_autofree char *err = NULL;
    int status;

    for (unsigned n = 1 + rnd(f, 3); n; n--) {
        if (opts->len) {
            mutate(f, opts);
        }
    }
    args = format_line(opts);
    qtest_run_cmdline(args, &status, NULL, &err);
    check_outcome(f, args, status, err);
}

/* -readconfig: a valid file, then lines dropped, doubled or broken. */
static const char *const config_lines[] = {
    "# a comment",
    "[machine]",
    "  type = \"%s\"",
    "[memory]",
    "  size = \"512M\"",
    "[smp-opts]",
    "  cpus = \"2\"",
    "[object \"mem0\"]",
    "  qom-type = \"memory-backend-ram\"",
    "  size = \"1M\"",
    "[device \"rp1\"]",
    "  driver = \"pcie-root-port\"",
    "  chassis = \"1\"",
    "[device \"td\"]",
    "  driver = \"iommu-testdev\"",
    "  bus = \"rp1\"",
    "[global]",
    "  driver = \"pcie-root-port\"",
    "  property = \"x-width\"",
    "  value = \"16\"",
    "[name]",
    "  guest = \"g,1\"",
    "[msg]",
    "  timestamp = \"off\"",
};

static const char *const config_junk[] = {
    "[",
    "]",
    "[device]",
    "[device \"\"]",
    "[device \"x\" extra]",
    "[nope]",
    "[machine",
    "key",
    "key =",
    "key = value",
    "key = \"unterminated",
    "= \"v\"",
    "  chassis = \"\"",
    "  chassis = \"4294967296\"",
    "  driver = \"vfio-pci\"",
    "  bus = \"pcie.0\"",
    "\"\"",
    "\t\t",
    "#",
    "[chardev \"c\"]",
    "  backend = \"socket\"",
    "[mon]",
    "  mode = \"readline\"",
    "[accel]",
    "  accel = \"kvm\"",
};

static void fuzz_readconfig(Fuzzer *f, const char *path)
{
    const char *machine =
        g_str_equal(qtest_get_arch(), "aarch64") ? "virt" : "q35";
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *args = NULL;
    g_autofree char *err = NULL;
    GString *text = g_string_new(NULL);
    int status;

    for (size_t i = 0; i < G_N_ELEMENTS(config_lines); i++) {
        g_ptr_array_add(lines, g_strdup_printf(config_lines[i], machine));
    }
    for (unsigned n = 1 + rnd(f, 2); n; n--) {
        guint i = rnd(f, lines->len);
        char *line;

        switch (rnd(f, 5)) {
        case 0:
            if (lines->len) {
                g_ptr_array_remove_index(lines, i);
            }
            break;
        case 1:
            if (lines->len) {
                g_ptr_array_insert(lines, rnd(f, lines->len),
                                   g_strdup(lines->pdata[i]));
            }
            break;
        case 2: /* a value replaced */
            if (lines->len && strchr(lines->pdata[i], '=')) {
                line = g_strdup_printf(
                    "%.*s= \"%s\"",
                    (int)(strchr(lines->pdata[i], '=') -
                          (char *)lines->pdata[i]),
                    (char *)lines->pdata[i],
                    bad_values[rnd(f, G_N_ELEMENTS(bad_values))]);
                g_free(lines->pdata[i]);
                lines->pdata[i] = line;
            }
            break;
        case 3: /* truncated */
            if (lines->len) {
                line = lines->pdata[i];
                line[rnd(f, strlen(line) + 1)] = 0;
            }
            break;
        default:
            g_ptr_array_insert(
                lines, rnd(f, lines->len + 1),
                g_strdup(config_junk[rnd(f, G_N_ELEMENTS(config_junk))]));
        }
    }
    for (guint i = 0; i < lines->len; i++) {
        g_string_append_printf(text, "%s\n", (char *)lines->pdata[i]);
    }
    g_assert_true(g_file_set_contents(path, text->str, text->len, NULL));
    args = g_strdup_printf("-readconfig %s -qtest stdio -accel qtest", path);
    qtest_run_cmdline(args, &status, NULL, &err);
    check_outcome(f, text->str, status, err);
    g_string_free(text, true);
}

static void test_readconfig(void)
{
    const char *env = g_getenv("CMDLINE_FUZZ_SEED");
    guint32 seed =
        env ? (guint32)g_ascii_strtoull(env, NULL, 0) : FUZZ_DEFAULT_SEED;
    Fuzzer f = {.rand = g_rand_new_with_seed(seed)};
    g_autofree char *path = g_strdup_printf("%s/cmdline-fuzz-%d.cfg",
                                            g_get_tmp_dir(), (int)getpid());

    for (int i = 0; i < FUZZ_RUNS / 2; i++) {
        fuzz_readconfig(&f, path);
    }
    g_test_message("%u started, %u refused", f.started, f.failed);
    unlink(path);
    g_rand_free(f.rand);
}

/* Lines that once crashed or leaked: each fails with one error line. */
static void test_known_cases(void)
{
    static const char *const lines[] = {
        "-numa node,cpus=",
        "-m 1G -object memory-backend-ram,id=m0,size=1G "
        "-numa node,nodeid=0,memdev=m0,cpus=0-1,,",
        "-object memory-backend-ram,id=m,size=1M,host-nodes=",
        "-smp 0xffffffffffffffff",
        "-audiodev '{\"id\":\"a\",\"driver\":true}'",
    };
    Fuzzer f = {0};

    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
        g_autofree char *args =
            g_strdup_printf("%s -qtest stdio -accel qtest", lines[i]);
        g_autofree char *err = NULL;
        int status;

        qtest_run_cmdline(args, &status, NULL, &err);
        check_outcome(&f, args, status, err);
        g_assert_cmpint(status, ==, 1);
    }
}

/* The unmutated lines start. */
static void test_base_lines(void)
{
    bool arm = g_str_equal(qtest_get_arch(), "aarch64");
    const char *const *lines = arm ? arm_lines : x86_lines;
    size_t n = arm ? G_N_ELEMENTS(arm_lines) : G_N_ELEMENTS(x86_lines);

    for (size_t i = 0; i < n; i++) {
        g_autoptr(GPtrArray) opts = parse_line(lines[i]);
        g_autofree char *args = format_line(opts);
        g_autofree char *err = NULL;
        int status;

        qtest_run_cmdline(args, &status, NULL, &err);
        if (status) {
            g_error("base line %zu does not start:\n%s\n%s", i, args, err);
        }
    }
}

static void test_fuzz(void)
{
    const char *env = g_getenv("CMDLINE_FUZZ_SEED");
    guint32 seed =
        env ? (guint32)g_ascii_strtoull(env, NULL, 0) : FUZZ_DEFAULT_SEED;
    bool arm = g_str_equal(qtest_get_arch(), "aarch64");
    const char *const *lines = arm ? arm_lines : x86_lines;
    size_t n = arm ? G_N_ELEMENTS(arm_lines) : G_N_ELEMENTS(x86_lines);
    Fuzzer f = {.rand = g_rand_new_with_seed(seed)};

    g_test_message("seed 0x%x (CMDLINE_FUZZ_SEED)", seed);
    for (int i = 0; i < FUZZ_RUNS; i++) {
        fuzz_line(&f, lines[rnd(&f, n)]);
    }
    g_test_message("%u started, %u refused", f.started, f.failed);
    g_rand_free(f.rand);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/cmdline-fuzz/base-lines", test_base_lines);
    qtest_add_func("/cmdline-fuzz/mutated", test_fuzz);
    qtest_add_func("/cmdline-fuzz/readconfig", test_readconfig);
    qtest_add_func("/cmdline-fuzz/known-cases", test_known_cases);
    return g_test_run();
}
