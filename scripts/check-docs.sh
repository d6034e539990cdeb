#!/bin/sh
# Keeps the user documentation in step with the emulators (TAP output):
#  - every command-line option an emulator accepts appears in
#    docs/cmdline.md as `-OPTION...` (in backquotes);
#  - every QMP command its query-commands lists has a heading in
#    docs/qmp.md that names it as `COMMAND`.
# Candidate options are the entries of the option table in
# system/cmdline-options.c plus the options -help mentions; each is
# confirmed by running the emulator, so only what it really accepts counts.
#
# usage: check-docs.sh SOURCE_DIR EMULATOR...
set -u

if [ $# -lt 2 ]; then
    echo "usage: $0 SOURCE_DIR EMULATOR..." >&2
    exit 2
fi
srcdir=$1
shift
cmdline_doc=$srcdir/docs/cmdline.md
qmp_doc=$srcdir/docs/qmp.md
table=$srcdir/system/cmdline-options.c
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
tests=0
failed=0

# $1: 0 for success; $2: description; $3: diagnostics file (optional)
report() {
    tests=$((tests + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $tests - $2"
    else
        failed=$((failed + 1))
        echo "not ok $tests - $2"
    fi
    if [ $# -gt 2 ]; then
        sed 's/^/# /' "$3"
    fi
}

table_options() {
    grep -oE '\{"-[A-Za-z0-9-]+", *(true|false)' "$table" |
        sed -E 's/^\{"(-[A-Za-z0-9-]+)".*/\1/'
}

# Options named in -help output: a dash word after a space, '|' or '('.
help_options() {
    (cd "$work" && timeout 20 "$1" -help 2>/dev/null) |
        grep -oE '(^|[ |(])-[A-Za-z][A-Za-z0-9-]*' | sed -E 's/^[ |(]//'
}

# An option is accepted unless the emulator calls it invalid. The probe
# gives a dummy argument and no accelerator, so nothing is started.
accepted() {
    (cd "$work" && timeout 20 "$1" "$2" x </dev/null >/dev/null 2>"$work/err")
    ! grep -qF -- "$2: invalid option" "$work/err"
}

qmp_commands() {
    printf '%s\n' '{"execute": "qmp_capabilities"}' \
        '{"execute": "query-commands"}' '{"execute": "quit"}' |
        (cd "$work" && timeout 20 "$1" -accel qtest -display none \
            -qmp stdio 2>/dev/null) |
        grep -F '"return": [' |
        grep -oE '"name": *"[^"]*"' | sed -E 's/.*"([^"]*)"$/\1/'
}

check_options() {
    bin=$1
    name=$(basename "$bin")
    { table_options; help_options "$bin"; } | sort -u >"$work/candidates"
    : >"$work/missing"
    n=0
    while read -r opt; do
        accepted "$bin" "$opt" || continue
        n=$((n + 1))
        grep -qsE -- "\`$opt([^A-Za-z0-9_-]|$)" "$cmdline_doc" ||
            echo "$opt" >>"$work/missing"
    done <"$work/candidates"
    if [ "$n" -eq 0 ]; then
        echo "no option found: $table unreadable or emulator broken" \
            >"$work/diag"
        report 1 "$name: command-line options documented" "$work/diag"
    elif [ -s "$work/missing" ]; then
        { echo "not in $cmdline_doc:"; cat "$work/missing"; } >"$work/diag"
        report 1 "$name: command-line options documented" "$work/diag"
    else
        report 0 "$name: all $n command-line options in docs/cmdline.md"
    fi
}

check_qmp() {
    bin=$1
    name=$(basename "$bin")
    qmp_commands "$bin" >"$work/commands"
    : >"$work/missing"
    while read -r cmd; do
        grep -qsE "^#+ .*\`$cmd\`" "$qmp_doc" || echo "$cmd" >>"$work/missing"
    done <"$work/commands"
    n=$(wc -l <"$work/commands")
    if [ "$n" -eq 0 ]; then
        echo "query-commands gave no names (did the emulator start?)" \
            >"$work/diag"
        report 1 "$name: QMP commands documented" "$work/diag"
    elif [ -s "$work/missing" ]; then
        { echo "no heading in $qmp_doc for:"; cat "$work/missing"; } \
            >"$work/diag"
        report 1 "$name: QMP commands documented" "$work/diag"
    else
        report 0 "$name: all $n QMP commands in docs/qmp.md"
    fi
}

echo "1..$(($# * 2))"
for bin in "$@"; do
    case $bin in
    /*) ;;
    *) bin=$(pwd)/$bin ;; # the probes run in $work
    esac
    if [ ! -x "$bin" ]; then
        echo "Bail out! $bin is not an executable"
        exit 1
    fi
    check_options "$bin"
    check_qmp "$bin"
done
[ "$failed" -eq 0 ]
