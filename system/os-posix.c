/*
 * Process-level set-up: termination signals become a clean shutdown
 * request, -run-with exit-with-parent asks the kernel for SIGTERM when
 * the parent dies, and -pidfile / -run-with chroot=,user= are applied.
 */
#include "qemu/osdep.h"
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <glib-unix.h>
#include "system/runstate.h"
#include "system/vl-internal.h"

static int signal_pipe[2] = {-1, -1};
static volatile sig_atomic_t signal_number;
static volatile sig_atomic_t signal_pid;

static void termsig_handler(int sig, siginfo_t *info, void *ctx)
{
    char byte = 0;

    signal_number = sig;
    signal_pid = info ? info->si_pid : 0;
    if (write(signal_pipe[1], &byte, 1) < 0) {
        /* the pipe is full: a wake-up is already pending */
    }
}

static gboolean termsig_dispatch(gint fd, GIOCondition cond, gpointer opaque)
{
    char buf[16];

    while (read(fd, buf, sizeof(buf)) > 0) {
        /* drain */
    }
    error_report("terminating on signal %d from pid %d",
                 (int)signal_number, (int)signal_pid);
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
    return G_SOURCE_CONTINUE;
}

static void setup_signals(void)
{
    static const int termsigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction act = {0};

    if (!g_unix_open_pipe(signal_pipe, FD_CLOEXEC, NULL) ||
        !g_unix_set_fd_nonblocking(signal_pipe[0], true, NULL) ||
        !g_unix_set_fd_nonblocking(signal_pipe[1], true, NULL)) {
        error_report("cannot create the signal pipe: %s", strerror(errno));
        exit(1);
    }
    g_unix_fd_add(signal_pipe[0], G_IO_IN, termsig_dispatch, NULL);
    act.sa_sigaction = termsig_handler;
    act.sa_flags = SA_SIGINFO;
    for (size_t i = 0; i < ARRAY_SIZE(termsigs); i++) {
        sigaction(termsigs[i], &act, NULL);
    }
    /* Peers closing their sockets must not kill the process. */
    signal(SIGPIPE, SIG_IGN);
}

static void write_pidfile(const char *path)
{
    g_autofree char *text = g_strdup_printf("%d\n", (int)getpid());
    GError *gerr = NULL;

    if (!g_file_set_contents(path, text, -1, &gerr)) {
        error_report("cannot create PID file: %s", gerr->message);
        g_error_free(gerr);
        exit(1);
    }
}

void vl_os_early_setup(VlConfig *cfg)
{
    setup_signals();
    if (cfg->run_with.exit_with_parent &&
        prctl(PR_SET_PDEATHSIG, SIGTERM) < 0) {
        error_report("-run-with exit-with-parent=on: %s", strerror(errno));
        exit(1);
    }
    if (cfg->pidfile) {
        write_pidfile(cfg->pidfile);
    }
}

static void change_root(const char *dir)
{
    if (chroot(dir) < 0) {
        error_report("cannot chroot to %s: %s", dir, strerror(errno));
        exit(1);
    }
    if (chdir("/") < 0) {
        error_report("not able to chdir to /: %s", strerror(errno));
        exit(1);
    }
}

static void change_user(uid_t uid, gid_t gid, const char *name)
{
    if (setgid(gid) < 0 || initgroups(name, gid) < 0 || setuid(uid) < 0) {
        error_report("Failed to change to user %s: %s", name,
                     strerror(errno));
        exit(1);
    }
}

/* The user is looked up before chroot hides /etc/passwd. */
void vl_os_late_setup(VlConfig *cfg)
{
    const char *user = cfg->run_with.user;
    struct passwd *pw = NULL;
    uid_t uid = 0;
    gid_t gid = 0;

    if (user) {
        pw = getpwnam(user);
        if (!pw) {
            error_report("User \"%s\" doesn't exist", user);
            exit(1);
        }
        uid = pw->pw_uid;
        gid = pw->pw_gid;
    }
    if (cfg->run_with.chroot_dir) {
        change_root(cfg->run_with.chroot_dir);
    }
    if (user) {
        change_user(uid, gid, user);
    }
}
