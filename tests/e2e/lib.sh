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
# stdout (so asynchronous lines such as 'IRQ raise 4' are kept; a CR
# ending a line is dropped);
# TRANSCRIPT.err gets its stderr. Then closes the program's stdin, on
# which it must exit (the emulator does: end of the qtest connection
# requests shutdown), and waits for it. Returns 1 if a command went
# unanswered, else the program's exit status.
e2e_qtest() {
    _e2e_converse qtest "$@"
}

# e2e_qmp CMDS TRANSCRIPT PROGRAM [ARG...]
# The same over 'PROGRAM ARG... -qmp stdio': the greeting is read first,
# and a reply is a line starting with {"return" or {"error" (events are
# kept in the transcript wherever they come; the CR of QMP's CRLF line
# ends is dropped). The emulator, like QEMU,
# does not exit when a QMP client goes away, so CMDS ends with
# {"execute": "quit"}. Returns 1 if the greeting or a reply is missing.
e2e_qmp() {
    _e2e_converse qmp "$@"
}

# _e2e_converse PROTOCOL CMDS TRANSCRIPT PROGRAM [ARG...]: e2e_qtest and
# e2e_qmp.
_e2e_converse() {
    _proto=$1
    _cmds=$2
    _log=$3
    shift 3
    _cr=$(printf '\r')
    _dir=$(mktemp -d /tmp/qtest.XXXXXX) || return 1
    mkfifo "$_dir/in" "$_dir/out" || return 1
    : >"$_log"
    "$@" -"$_proto" stdio <"$_dir/in" >"$_dir/out" 2>"$_log.err" &
    _pid=$!
    # A program that died must give EPIPE on write, not kill the shell.
    trap '' PIPE
    exec 3>"$_dir/in" 4<"$_dir/out"
    _answered=1
    if [ "$_proto" = qmp ]; then
        if IFS= read -r _line <&4; then
            echo "< ${_line%"$_cr"}" >>"$_log"
        else
            _answered=
        fi
    fi
    while [ -n "$_answered" ] && IFS= read -r _cmd; do
        case $_cmd in
        '' | '#'*) continue ;;
        esac
        echo "> $_cmd" >>"$_log"
        printf '%s\n' "$_cmd" >&3 2>/dev/null || { _answered=; break; }
        _answered=
        while IFS= read -r _line <&4; do
            _line=${_line%"$_cr"}
            echo "< $_line" >>"$_log"
            case $_proto:$_line in
            qtest:OK* | qtest:FAIL* | qmp:'{"return"'* | qmp:'{"error"'*)
                _answered=1
                break
                ;;
            esac
        done
    done <"$_cmds"
    exec 3>&-
    while IFS= read -r _line <&4; do
        echo "< ${_line%"$_cr"}" >>"$_log"
    done
    exec 4<&-
    wait "$_pid"
    _rc=$?
    trap - PIPE
    rm -rf "$_dir"
    [ -n "$_answered" ] || return 1
    return $_rc
}

# e2e_case NAME KIND CMDS PROGRAM [ARG...]
# Runs a case that the host side replays against a host model
# (e2e_replay), to show the model answers as the kernel does. KIND is
# qtest or qmp (PROGRAM is driven by e2e_qtest or e2e_qmp with the lines
# of file CMDS) or run (stdin is /dev/null; CMDS is ignored, pass -).
# PROGRAM is a name in E2E_BIN; an ARG @HOST@ stands for the host: linux
# here, the model's description in the replay. Records in
# E2E_OUT/case-NAME/ the files kind, program, args (one a line) and cmds,
# and the run's real.out (stdout or transcript), real.out.err (stderr)
# and real.rc (exit status, 1 if a command went unanswered), which it
# also returns.
e2e_case() {
    _case=$E2E_OUT/case-$1
    mkdir -p "$_case"
    echo "$2" >"$_case/kind"
    echo "$4" >"$_case/program"
    if [ "$3" = - ]; then : >"$_case/cmds"; else cp "$3" "$_case/cmds"; fi
    _prog=$E2E_BIN/$4
    shift 4
    : >"$_case/args"
    for _arg in "$@"; do
        printf '%s\n' "$_arg" >>"$_case/args"
    done
    _e2e_run_case "$_case" real linux "$_prog" "$@"
}

# e2e_replay CASEDIR HOST COMMAND...
# Runs the case that e2e_case recorded in CASEDIR again, with @HOST@ =
# HOST, as COMMAND (the program's path, possibly after a wrapper such as
# 'timeout 60') followed by the recorded arguments, into
# CASEDIR/model.out, model.out.err and model.rc; returns the exit status.
# For host sides.
e2e_replay() {
    _rdir=$1
    _rhost=$2
    shift 2
    while IFS= read -r _arg; do
        set -- "$@" "$_arg"
    done <"$_rdir/args"
    _e2e_run_case "$_rdir" model "$_rhost" "$@"
}

# _e2e_run_case CASEDIR PREFIX HOST PROGRAM [ARG...]: the run of
# e2e_case and e2e_replay, into CASEDIR/PREFIX.{out,out.err,rc}.
_e2e_run_case() {
    _cdir=$1
    _crc_file=$1/$2.rc
    _cout=$1/$2.out
    _chost=$3
    _cprog=$4
    shift 4
    for _arg in "$@"; do
        shift
        [ "$_arg" = @HOST@ ] && _arg=$_chost
        set -- "$@" "$_arg"
    done
    case $(cat "$_cdir/kind") in
    qtest) _e2e_converse qtest "$_cdir/cmds" "$_cout" "$_cprog" "$@" ;;
    qmp) _e2e_converse qmp "$_cdir/cmds" "$_cout" "$_cprog" "$@" ;;
    *) "$_cprog" "$@" </dev/null >"$_cout" 2>"$_cout.err" ;;
    esac
    _crc=$?
    echo "$_crc" >"$_crc_file"
    return $_crc
}
