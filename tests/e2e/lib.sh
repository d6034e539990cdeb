# Helpers for e2e scenarios (POSIX sh, busybox-compatible). A scenario
# starts with '. "$E2E_LIB"' and may use:
#   E2E_DEV        PCI address of the device bound to vfio-pci
#   E2E_VFIO_CDEV  its VFIO cdev (/dev/vfio/devices/vfioN)
#   E2E_BIN        directory holding the emulators and tools
#   E2E_OUT        files written here are shipped back to the host
# It exits 0 (pass), through e2e_skip (77) or through e2e_fail.

# Records why the scenario skips and stops it.
e2e_skip() {
    echo "SKIP: $*"
    [ -z "${E2E_REASON_FILE:-}" ] || echo "$*" >"$E2E_REASON_FILE"
    exit 77
}

# Records why the scenario fails and stops it.
e2e_fail() {
    echo "FAIL: $*"
    [ -z "${E2E_REASON_FILE:-}" ] || echo "$*" >"$E2E_REASON_FILE"
    exit 1
}

# Skips the scenario unless executable NAME is in E2E_BIN. The
# initramfs builder copies the executables a scenario names on a line
# '# e2e-needs: NAME...' from the build directory.
e2e_need_bin() {
    [ -x "$E2E_BIN/$1" ] || e2e_skip "$1 is not in the payload"
}

# Prints a file as one line of lowercase hex.
e2e_hex() {
    od -An -v -tx1 "$1" | tr -d ' \n'
}

# e2e_qtest CMDS TRANSCRIPT PROGRAM [ARG...]
# Runs 'PROGRAM ARG... -qtest stdio' and sends it the lines of CMDS one
# at a time (blank lines and '#' comments are skipped), waiting after each
# for its reply: a line starting with OK or FAIL. TRANSCRIPT gets '> cmd'
# for each command and '< line' for everything the program prints on
# stdout (so asynchronous lines such as 'IRQ raise 4' are kept);
# TRANSCRIPT.err gets its stderr. Then closes the program's stdin, on
# which it must exit (the emulator does: end of the qtest connection
# requests shutdown), and waits for it. Returns 1 if a command went
# unanswered, else the program's exit status.
e2e_qtest() {
    _cmds=$1
    _log=$2
    shift 2
    _dir=$(mktemp -d /tmp/qtest.XXXXXX) || return 1
    mkfifo "$_dir/in" "$_dir/out" || return 1
    : >"$_log"
    "$@" -qtest stdio <"$_dir/in" >"$_dir/out" 2>"$_log.err" &
    _pid=$!
    # A program that died must give EPIPE on write, not kill the shell.
    trap '' PIPE
    exec 3>"$_dir/in" 4<"$_dir/out"
    _answered=1
    while IFS= read -r _cmd; do
        case $_cmd in
        '' | '#'*) continue ;;
        esac
        echo "> $_cmd" >>"$_log"
        printf '%s\n' "$_cmd" >&3 2>/dev/null || { _answered=; break; }
        _answered=
        while IFS= read -r _line <&4; do
            echo "< $_line" >>"$_log"
            case $_line in
            OK* | FAIL*) _answered=1; break ;;
            esac
        done
        [ -n "$_answered" ] || break
    done <"$_cmds"
    exec 3>&-
    while IFS= read -r _line <&4; do
        echo "< $_line" >>"$_log"
    done
    exec 4<&-
    wait "$_pid"
    _rc=$?
    trap - PIPE
    rm -rf "$_dir"
    [ -n "$_answered" ] || return 1
    return $_rc
}
