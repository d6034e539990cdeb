#!/bin/sh
# The emulators in the payload run in the guest: every shared library they
# need made it into the initramfs.
# shellcheck source=SCRIPTDIR/../lib.sh
. "$E2E_LIB"

found=
for exe in "$E2E_BIN"/qemu-system-*; do
    [ -x "$exe" ] || continue
    name=${exe##*/}
    found="$found $name"
    out=$("$exe" -version 2>&1)
    rc=$?
    echo "$out"
    first=$(echo "$out" | head -n 1)
    [ $rc -eq 0 ] || e2e_fail "$name -version: exit status $rc: $first"
    case $first in
    "QEMU emulator version "*) ;;
    *) e2e_fail "$name -version printed: $first" ;;
    esac
done
[ -n "$found" ] || e2e_skip "no qemu-system-* in the payload"
