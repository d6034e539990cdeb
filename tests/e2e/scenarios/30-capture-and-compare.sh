#!/bin/sh
# The host model agrees with the kernel: this host is captured into a
# host description (qemu-host-capture, as in 10-capture), and on the
# build host tests/e2e/host/30-capture-and-compare.sh replays every case
# the other scenarios of this run recorded (e2e_case) against
# -host-model capture.json and requires the same output.
# e2e-needs: qemu-host-capture
# shellcheck source=SCRIPTDIR/../lib.sh
. "$E2E_LIB"

e2e_need_bin qemu-host-capture
"$E2E_BIN/qemu-host-capture" "$E2E_DEV" >"$E2E_OUT/capture.json" ||
    e2e_fail "qemu-host-capture $E2E_DEV failed (exit status $?)"
grep -q "\"$E2E_DEV\"" "$E2E_OUT/capture.json" ||
    e2e_fail "no \"$E2E_DEV\" in the capture"
echo "captured $E2E_DEV"
