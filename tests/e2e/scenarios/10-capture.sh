#!/bin/sh
# qemu-host-capture describes the real host as the model expects it: the
# JSON names the Intel VT-d IOMMU and the device, and carries the device's
# config space exactly as sysfs shows it.
# e2e-needs: qemu-host-capture
# shellcheck source=SCRIPTDIR/../lib.sh
. "$E2E_LIB"

e2e_need_bin qemu-host-capture
capture=$E2E_OUT/capture.json
"$E2E_BIN/qemu-host-capture" "$E2E_DEV" >"$capture" ||
    e2e_fail "qemu-host-capture $E2E_DEV failed (exit status $?)"

grep -q '"intel-vtd"' "$capture" || e2e_fail "no \"intel-vtd\" in the JSON"
grep -q "\"$E2E_DEV\"" "$capture" || e2e_fail "no \"$E2E_DEV\" in the JSON"

got=$(grep -o '"config" *: *"[0-9A-Fa-f]*"' "$capture" | head -n 1 |
      sed 's/.*"\([0-9A-Fa-f]*\)"$/\1/' | tr A-F a-f)
[ -n "$got" ] || e2e_fail "no \"config\" hex string in the JSON"
want=$(e2e_hex "/sys/bus/pci/devices/$E2E_DEV/config")
[ "$got" = "$want" ] ||
    e2e_fail "config differs from sysfs (${#got} vs ${#want} hex digits)"
echo "capture of $E2E_DEV matches sysfs (${#want} hex digits of config)"
