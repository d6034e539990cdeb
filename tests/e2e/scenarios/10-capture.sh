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

# "config" is an array of strings "OFF: b0 b1 ... b15", 16 bytes each
# from offset 000; join the bytes, checking the offsets on the way.
got=$(tr -d '\n' <"$capture" |
      sed -n 's/.*"config" *: *\[\([^]]*\)\].*/\1/p' |
      grep -o '"[0-9a-f]*:[0-9a-f ]*"' |
      awk '{
          gsub(/"/, "")
          split($0, part, ":")
          if (part[1] != sprintf("%03x", (NR - 1) * 16)) {
              print "offset " part[1] " at line " NR
              exit 1
          }
          gsub(/ /, "", part[2])
          printf "%s", part[2]
      }') || e2e_fail "bad \"config\" array: $got"
[ -n "$got" ] || e2e_fail "no \"config\" array in the JSON"
want=$(e2e_hex "/sys/bus/pci/devices/$E2E_DEV/config")
[ "$got" = "$want" ] ||
    e2e_fail "config differs from sysfs (${#got} vs ${#want} hex digits)"
echo "capture of $E2E_DEV matches sysfs ($((${#want} / 2)) bytes of config)"
