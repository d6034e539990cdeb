/*
 * QMP round trips through the real emulator (-accel qtest, QMP on a UNIX
 * socket), requests per second; the CPU it uses while a client is
 * connected but silent; and its memory at idle, peak RSS (VmHWM) and RSS
 * once QMP answers, for a few topologies.
 * Usage: bench-qmp [seconds-per-case] [emulator]
 * The emulator defaults to $QTEST_QEMU_BINARY (an aarch64 binary).
 */
#include "qemu/osdep.h"
#include "bench-common.h"
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#define WAIT_US (60 * G_USEC_PER_SEC) /* start-up, replies, exit */
#define POLL_US (10 * 1000)

typedef struct Vm {
    GPid pid;
    int fd;
    FILE *in;
    char *dir;
    JsonParser *parser;
} Vm;

/* A topology whose memory is measured. */
typedef struct Topology {
    const char *name;
    const char *args;
} Topology;

#define VFIO_PAIR(n, host, iommu)                                              \
    "-device pxb-pcie,id=pcie." #n ",bus_nr=" #n ",bus=pcie.0 " iommu          \
    "-device pcie-root-port,id=port" #n ",bus=pcie." #n ",chassis=" #n " "     \
    "-device vfio-pci,host=" host ",bus=port" #n ",id=dev" #n                  \
    ",iommufd=iommufd0 "
#define ACCEL_SMMU(n)                                                          \
    "-device arm-smmuv3,primary-bus=pcie." #n ",id=smmu" #n ",accel=on,"       \
    "ats=on,ril=off,ssidsize=20,oas=48 "
#define GRACE_HOST                                                             \
    "-M virt -m 4G -host-model grace-hopper "                                  \
    "-object iommufd,id=iommufd0 "

static const Topology topologies[] = {
    {"virt -m 4G", "-M virt -m 4G"},
    {"virt, 2 vfio-pci (grace-hopper model), no vIOMMU",
     GRACE_HOST VFIO_PAIR(1, "0009:01:00.0", "")
         VFIO_PAIR(2, "0000:01:00.0", "")},
    {"Grace-like: 2 x accel SMMUv3 + vfio-pci",
     GRACE_HOST VFIO_PAIR(1, "0009:01:00.0", ACCEL_SMMU(1))
         VFIO_PAIR(2, "0000:01:00.0", ACCEL_SMMU(2))},
};

static char *vm_socket(Vm *vm)
{
    return g_build_filename(vm->dir, "qmp", NULL);
}

static void vm_remove_dir(Vm *vm)
{
    g_autofree char *sock = vm_socket(vm);

    unlink(sock);
    rmdir(vm->dir);
    g_clear_pointer(&vm->dir, g_free);
}

static int vm_connect(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    struct timeval tv = {.tv_sec = WAIT_US / G_USEC_PER_SEC};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpuint(strlen(path), <, sizeof(addr.sun_path));
    strcpy(addr.sun_path, path);
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        close(fd);
        return -1;
    }
    /* Every read is bounded: a hung emulator fails the benchmark. */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return fd;
}

/* The next message, or NULL if the emulator closed the connection. */
static JsonObject *vm_try_receive(Vm *vm)
{
    g_autofree char *line = NULL;
    size_t cap = 0;
    g_autoptr(GError) err = NULL;
    JsonNode *root;

    if (getline(&line, &cap, vm->in) < 0) {
        if (!feof(vm->in)) {
            g_error("QMP connection: %s", g_strerror(errno));
        }
        return NULL;
    }
    if (!json_parser_load_from_data(vm->parser, line, -1, &err)) {
        g_error("QMP: unparsable message '%s': %s", line, err->message);
    }
    root = json_parser_get_root(vm->parser);
    if (!JSON_NODE_HOLDS_OBJECT(root)) {
        g_error("QMP: message '%s' is not an object", line);
    }
    return json_object_ref(json_node_get_object(root));
}

static JsonObject *vm_receive(Vm *vm)
{
    JsonObject *msg = vm_try_receive(vm);

    if (!msg) {
        g_error("QMP connection closed by the emulator");
    }
    return msg;
}

static bool is_event(JsonObject *msg, const char *event, const char *device)
{
    JsonObject *data;

    if (g_strcmp0(
            json_object_get_string_member_with_default(msg, "event", NULL),
            event) ||
        !json_object_has_member(msg, "data")) {
        return false;
    }
    data = json_object_get_object_member(msg, "data");
    return data && !g_strcmp0(json_object_get_string_member_with_default(
                                  data, "device", NULL),
                              device);
}

/*
 * Sends cmd and reads until its reply, which must be a success, and (if
 * event is set) until the event naming device; other events are dropped.
 */
static void vm_qmp(Vm *vm, const char *cmd, const char *event,
                   const char *device)
{
    g_autofree char *line = g_strconcat(cmd, "\n", NULL);
    bool replied = false, seen = !event;

    /* One send: the emulator may act on (and exit after) "quit" at once. */
    if (send(vm->fd, line, strlen(line), MSG_NOSIGNAL) !=
        (ssize_t)strlen(line)) {
        g_error("QMP: cannot send '%s': %s", cmd, g_strerror(errno));
    }
    while (!replied || !seen) {
        JsonObject *msg = vm_receive(vm);

        if (json_object_has_member(msg, "error")) {
            JsonObject *error = json_object_get_object_member(msg, "error");

            g_error("QMP: '%s' failed: %s", cmd,
                    error ? json_object_get_string_member_with_default(
                                error, "desc", "?")
                          : "?");
        }
        replied |= json_object_has_member(msg, "return");
        seen |= event && is_event(msg, event, device);
        json_object_unref(msg);
    }
}

/* Waits (bounded) for the emulator to exit; false if it did not. */
static bool vm_wait_exit(Vm *vm, int *status)
{
    gint64 deadline = g_get_monotonic_time() + WAIT_US;

    while (waitpid(vm->pid, status, WNOHANG) != vm->pid) {
        if (g_get_monotonic_time() > deadline) {
            return false;
        }
        g_usleep(POLL_US);
    }
    return true;
}

static void vm_close(Vm *vm)
{
    if (vm->in) {
        fclose(vm->in);
        close(vm->fd);
        g_object_unref(vm->parser);
    }
    g_spawn_close_pid(vm->pid);
    vm_remove_dir(vm);
}

/* Spawns the emulator and connects to its QMP socket; false if it exits. */
static bool vm_spawn(Vm *vm, const char *binary, const char *args, int *status)
{
    g_autofree char *sock = vm_socket(vm);
    g_autofree char *quoted_binary = g_shell_quote(binary);
    g_autofree char *quoted_sock = g_shell_quote(sock);
    g_autofree char *cmdline = NULL;
    g_auto(GStrv) argv = NULL;
    g_autoptr(GError) err = NULL;
    gint64 deadline = g_get_monotonic_time() + WAIT_US;

    cmdline = g_strdup_printf("%s %s -display none -run-with "
                              "exit-with-parent=on -qmp "
                              "unix:%s,server=on,wait=off -accel qtest",
                              quoted_binary, args, quoted_sock);
    if (!g_shell_parse_argv(cmdline, NULL, &argv, &err) ||
        !g_spawn_async(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                       &vm->pid, &err)) {
        g_error("%s: %s", binary, err->message);
    }
    while ((vm->fd = vm_connect(sock)) < 0) {
        if (waitpid(vm->pid, status, WNOHANG) == vm->pid) {
            return false;
        }
        if (g_get_monotonic_time() > deadline) {
            kill(vm->pid, SIGKILL);
            g_error("%s: no QMP socket after %d s", binary,
                    (int)(WAIT_US / G_USEC_PER_SEC));
        }
        g_usleep(POLL_US);
    }
    vm->in = fdopen(dup(vm->fd), "r");
    g_assert_nonnull(vm->in);
    vm->parser = json_parser_new();
    return true;
}

/*
 * Starts the emulator and negotiates QMP. False if it exits during
 * start-up (its own message is on stderr), with the status in *status.
 */
static bool vm_start(Vm *vm, const char *binary, const char *args, int *status)
{
    g_autoptr(GError) err = NULL;
    JsonObject *greeting;

    memset(vm, 0, sizeof(*vm));
    vm->dir = g_dir_make_tmp("bench-qmp-XXXXXX", &err);
    if (!vm->dir) {
        g_error("%s", err->message);
    }
    if (!vm_spawn(vm, binary, args, status)) {
        vm_close(vm);
        return false;
    }
    /* The socket exists before the devices: failures may come later. */
    greeting = vm_try_receive(vm);
    if (!greeting) {
        if (!vm_wait_exit(vm, status)) {
            kill(vm->pid, SIGKILL);
            g_error("%s: closed QMP without exiting", binary);
        }
        vm_close(vm);
        return false;
    }
    g_assert_true(json_object_has_member(greeting, "QMP"));
    json_object_unref(greeting);
    vm_qmp(vm, "{\"execute\": \"qmp_capabilities\"}", NULL, NULL);
    return true;
}

/* quit, then the emulator must exit with status 0. */
static void vm_quit(Vm *vm)
{
    int status;

    vm_qmp(vm, "{\"execute\": \"quit\"}", NULL, NULL);
    if (!vm_wait_exit(vm, &status)) {
        kill(vm->pid, SIGKILL);
        g_error("the emulator did not exit after quit");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        g_error("the emulator ended with status 0x%x after quit", status);
    }
    vm_close(vm);
}

/* A "Name:   N kB" line of /proc/PID/status, in KiB. */
static uint64_t proc_status_kib(GPid pid, const char *name)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", (int)pid);
    g_autofree char *text = NULL;
    g_autofree char *key = g_strdup_printf("\n%s:", name);
    const char *p;

    if (!g_file_get_contents(path, &text, NULL, NULL) ||
        !(p = strstr(text, key))) {
        g_error("%s: no %s", path, name);
    }
    return g_ascii_strtoull(p + strlen(key), NULL, 10);
}

static void measure_memory(const char *binary, const Topology *t)
{
    Vm vm;
    int status;

    if (!vm_start(&vm, binary, t->args, &status)) {
        printf("%-48s not measured: the emulator exited with status %d "
               "during start-up (message above)\n",
               t->name, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        fflush(stdout);
        return;
    }
    vm_qmp(&vm, "{\"execute\": \"query-status\"}", NULL, NULL);
    printf("%-48s %12.1f MiB peak RSS (VmHWM) %8.1f MiB RSS\n", t->name,
           proc_status_kib(vm.pid, "VmHWM") / 1024.0,
           proc_status_kib(vm.pid, "VmRSS") / 1024.0);
    fflush(stdout);
    vm_quit(&vm);
}

/* CPU time (user + system) the process has used, in seconds. */
static double proc_cpu_seconds(GPid pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
    g_autofree char *text = NULL;
    g_auto(GStrv) fields = NULL;
    const char *after_comm;

    /* Fields after "(comm)": state is field 3, utime 14, stime 15. */
    if (!g_file_get_contents(path, &text, NULL, NULL) ||
        !(after_comm = strrchr(text, ')'))) {
        g_error("cannot read %s", path);
    }
    fields = g_strsplit(after_comm + 2, " ", 14);
    g_assert_cmpuint(g_strv_length(fields), ==, 14);
    return (g_ascii_strtod(fields[11], NULL) +
            g_ascii_strtod(fields[12], NULL)) /
           sysconf(_SC_CLK_TCK);
}

/* What the emulator burns while a QMP client is connected but silent. */
static void measure_idle_cpu(Vm *vm, double seconds)
{
    double cpu = proc_cpu_seconds(vm->pid);

    g_usleep(seconds * G_USEC_PER_SEC);
    printf("%-48s %12.1f %% of a core\n", "idle, QMP client connected",
           (proc_cpu_seconds(vm->pid) - cpu) / seconds * 100);
    fflush(stdout);
}

typedef struct Request {
    Vm *vm;
    const char *cmd;
} Request;

static void op_request(void *opaque, uint64_t i)
{
    Request *r = opaque;

    vm_qmp(r->vm, r->cmd, NULL, NULL);
}

/* Hot-plug into the root port and unplug until DEVICE_DELETED. */
static void op_plug_cycle(void *opaque, uint64_t i)
{
    Vm *vm = opaque;

    vm_qmp(vm,
           "{\"execute\": \"device_add\", \"arguments\": {\"driver\": "
           "\"iommu-testdev\", \"id\": \"bench0\", \"bus\": \"rp1\"}}",
           NULL, NULL);
    vm_qmp(vm,
           "{\"execute\": \"device_del\", \"arguments\": {\"id\": "
           "\"bench0\"}}",
           "DEVICE_DELETED", "bench0");
}

static void run_requests(const char *binary, double seconds)
{
    static const struct {
        const char *name;
        const char *cmd;
    } requests[] = {
        {"query-status", "{\"execute\": \"query-status\"}"},
        {"qom-get /machine type",
         "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"/machine\", "
         "\"property\": \"type\"}}"},
        {"qom-list /machine",
         "{\"execute\": \"qom-list\", \"arguments\": {\"path\": "
         "\"/machine\"}}"},
        {"device-list-properties arm-smmuv3",
         "{\"execute\": \"device-list-properties\", \"arguments\": "
         "{\"typename\": \"arm-smmuv3\"}}"},
    };
    Vm vm;
    int status;

    if (!vm_start(&vm, binary,
                  "-M virt -device pcie-root-port,id=rp1,"
                  "chassis=1",
                  &status)) {
        g_error("%s did not start (status 0x%x)", binary, status);
    }
    for (size_t k = 0; k < G_N_ELEMENTS(requests); k++) {
        Request r = {&vm, requests[k].cmd};

        bench_run(&(BenchCase){requests[k].name, op_request, &r}, seconds);
    }
    bench_run(&(BenchCase){"device_add + device_del (root port rp1)",
                           op_plug_cycle, &vm, .items = 2, .item = "requests"},
              seconds);
    measure_idle_cpu(&vm, seconds);
    vm_quit(&vm);
}

int main(int argc, char **argv)
{
    double seconds = bench_seconds(argc, argv, " [emulator]");
    const char *binary = argc > 2 ? argv[2] : g_getenv("QTEST_QEMU_BINARY");

    if (!binary) {
        fprintf(stderr,
                "%s: name the emulator (argument or "
                "QTEST_QEMU_BINARY)\n",
                argv[0]);
        return 1;
    }
    run_requests(binary, seconds);
    for (size_t k = 0; k < G_N_ELEMENTS(topologies); k++) {
        measure_memory(binary, &topologies[k]);
    }
    return 0;
}
