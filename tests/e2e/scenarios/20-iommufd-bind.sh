#!/bin/sh
# The emulator takes the real device through /dev/iommu and its VFIO cdev:
# the VFIO core binds it, attaches it to an IOAS and builds the
# HostIOMMUDevice from IOMMU_GET_HW_INFO, which must carry this VT-d
# unit's CAP and ECAP as sysfs shows them; VFIO's region and IRQ info
# match the device; vfio-pci realizes it at start-up and on hot-plug
# (QMP), and with fds passed in the way libvirt passes them.
# The cases recorded here are replayed on the captured host model by
# 30-capture-and-compare.
# e2e-needs: e2e-vfio-probe
# shellcheck source=SCRIPTDIR/../lib.sh
. "$E2E_LIB"

e2e_need_bin e2e-vfio-probe
qemu="qemu-system-x86_64"
sys=/sys/bus/pci/devices/$E2E_DEV
iommu=$(basename "$(readlink "$sys/iommu")")
vtd=/sys/class/iommu/$iommu/intel-iommu
[ -r "$vtd/cap" ] || e2e_fail "$E2E_DEV: no VT-d unit in sysfs ($iommu)"

# Hex number without 0x and leading zeros, for comparing with sysfs.
bare_hex() {
    echo "$1" | sed 's/^0x//; s/^0*\(.\)/\1/'
}

# field PREFIX KEY: the word after KEY in the probe's line "PREFIX ...".
field() {
    sed -n "s/^$1\( .*\)* $2 \([^ ]*\).*/\2/p" "$probe" | head -n 1
}

# 1. The VFIO core's view, and the raw requests.
e2e_case probe run - e2e-vfio-probe --host-model @HOST@ --ioctls \
    "$E2E_DEV" ||
    e2e_fail "e2e-vfio-probe: $(cat "$E2E_OUT/case-probe/real.out.err")"
probe=$E2E_OUT/case-probe/real.out
grep -q "^hiod type 1 intel-vtd$" "$probe" ||
    e2e_fail "HostIOMMUDevice type: $(grep '^hiod type' "$probe")"
cap=$(field "hiod vtd" cap)
ecap=$(field "hiod vtd" ecap)
[ "$(bare_hex "$cap")" = "$(cat "$vtd/cap")" ] ||
    e2e_fail "VT-d CAP $cap, sysfs $(cat "$vtd/cap")"
[ "$(bare_hex "$ecap")" = "$(cat "$vtd/ecap")" ] ||
    e2e_fail "VT-d ECAP $ecap, sysfs $(cat "$vtd/ecap")"
grep -q "^hiod vendor-len 24$" "$probe" ||
    e2e_fail "vendor data length: $(grep '^hiod vendor-len' "$probe")"
# CAP.MGAW (bits 21:16) + 1 is the width of the IOVA ranges.
cap_lo=$(echo "$cap" | sed 's/.*\(........\)$/\1/')
mgaw=$(((0x$cap_lo >> 16) & 0x3f))
aw=$(field hiod aw-bits)
[ "$aw" = $((mgaw + 1)) ] || e2e_fail "address width $aw, CAP.MGAW $mgaw"
# Linux 6.12 has no IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED: ATS may be used.
grep -q "^hiod ats-supported 1 " "$probe" ||
    e2e_fail "ATS: $(grep '^hiod ats' "$probe")"
flags=$(field "hiod vtd" flags)
quirks=$(field "hiod ats-supported" quirks)
[ $((flags & 1)) = $((quirks & 1)) ] ||
    e2e_fail "erratum 772415 flag $flags but quirks $quirks"
# ECAP.NEST (bit 26) decides whether a nesting parent can be allocated.
ecap_lo=$(echo "$ecap" | sed 's/.*\(........\)$/\1/')
if [ $(((0x$ecap_lo >> 26) & 1)) = 0 ]; then
    grep -q "^ioctl hwpt-nest-parent: errno 95 " "$probe" ||
        e2e_fail "nest parent without ECAP.NEST: $(grep nest-parent "$probe")"
else
    grep -q "^ioctl hwpt-nest-parent: ok" "$probe" ||
        e2e_fail "nest parent with ECAP.NEST: $(grep nest-parent "$probe")"
fi

# Regions 0-6 are the BARs and the ROM, sized as sysfs's resource lines;
# region 7 is the config space.
i=0
while read -r start end _; do
    [ $i -le 6 ] || break
    size=0
    [ $((end)) -eq 0 ] || size=$((end - start + 1))
    got=$(sed -n "s/^region $i size \(0x[0-9a-f]*\) .*/\1/p" "$probe")
    [ "$((got))" -eq "$size" ] ||
        e2e_fail "region $i: size ${got:-?}, sysfs resource $size"
    i=$((i + 1))
done <"$sys/resource"
grep -q "^region 7 size 0x$(printf %x "$(wc -c <"$sys/config")") " \
    "$probe" || e2e_fail "config region: $(grep '^region 7' "$probe")"

# MSI-X (IRQ index 2) has as many vectors as the capability's table.
off=$(od -An -tu1 -j 52 -N 1 "$sys/config" | tr -d ' ')
vectors=0
while [ "$off" -ne 0 ]; do
    id=$(od -An -tu1 -j "$off" -N 1 "$sys/config" | tr -d ' ')
    if [ "$id" -eq 17 ]; then
        ctrl=$(od -An -tu2 -j $((off + 2)) -N 2 "$sys/config" | tr -d ' ')
        vectors=$(((ctrl & 0x7ff) + 1))
    fi
    off=$(od -An -tu1 -j $((off + 1)) -N 1 "$sys/config" | tr -d ' ')
done
grep -q "^irq 2 count $vectors " "$probe" ||
    e2e_fail "MSI-X vectors: $(grep '^irq 2' "$probe"), table $vectors"

# 2. vfio-pci at start-up: bind, attach and GET_HW_INFO in realize; the
# guest-visible device on pcie.0, as QMP's query-pci and vfio-pci's
# x-query-vfio-pci report it.
dev=pcie.0,addr=0x3
get='"qom-get", "arguments": {"path": "/machine/peripheral/dev0", "property"'
cat >bind.qmp <<EOF
{"execute": "qmp_capabilities"}
{"execute": "query-pci"}
{"execute": $get: "realized"}}
{"execute": $get: "host"}}
{"execute": "x-query-vfio-pci"}
{"execute": "quit"}
EOF
e2e_case bind qmp bind.qmp $qemu -host-model @HOST@ -M q35 -accel qtest \
    -display none -object iommufd,id=i0 \
    -device "vfio-pci,host=$E2E_DEV,iommufd=i0,id=dev0,bus=$dev" ||
    e2e_fail "QMP session: $(cat "$E2E_OUT/case-bind/real.out.err")"
qmp=$E2E_OUT/case-bind/real.out
# The ids and the class (without the programming interface) are decimal.
class=$(($(cat "$sys/class") >> 8))
ids=$(printf '"id": {"device": %d, "vendor": %d' "$(cat "$sys/device")" \
      "$(cat "$sys/vendor")")
grep -q "\"slot\": 3, [^{]*{\"desc\": [^}]*\"class\": $class}, $ids" "$qmp" ||
    e2e_fail "query-pci does not show the device as sysfs does"
grep -q '^< {"return": true}$' "$qmp" || e2e_fail "dev0 is not realized"
grep -q "^< {\"return\": \"$E2E_DEV\"}$" "$qmp" || e2e_fail "dev0's host"
# vfio-pci's own account: the host IOMMU behind it, and ATS kept (auto).
grep -q '"host-iommu": {"type": "intel-vtd", "ats-supported": true,' \
    "$qmp" || e2e_fail "x-query-vfio-pci: no intel-vtd host IOMMU for dev0"
grep -q '"ats": {"policy": "auto", [^}]*"visible": true,' "$qmp" ||
    e2e_fail "x-query-vfio-pci: ATS not visible with ats=auto"

# 3. Hot-plug on a root port: device_add realizes, device_del gives the
# device back (DEVICE_DELETED), and it can be added again; then the
# iommufd object has no user and can go.
add="\"device_add\", \"arguments\": {\"driver\": \"vfio-pci\", \"id\": \"dev0\""
add="$add, \"host\": \"$E2E_DEV\", \"iommufd\": \"i0\", \"bus\": \"rp1\"}"
cat >hotplug.qmp <<EOF
{"execute": "qmp_capabilities"}
{"execute": $add}
{"execute": "device_del", "arguments": {"id": "dev0"}}
{"execute": $add}
{"execute": "object-del", "arguments": {"id": "i0"}}
{"execute": "device_del", "arguments": {"id": "dev0"}}
{"execute": "object-del", "arguments": {"id": "i0"}}
{"execute": "quit"}
EOF
e2e_case hotplug qmp hotplug.qmp $qemu -host-model @HOST@ -M q35 \
    -accel qtest -display none -object iommufd,id=i0 \
    -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1 ||
    e2e_fail "QMP session: $(cat "$E2E_OUT/case-hotplug/real.out.err")"
qmp=$E2E_OUT/case-hotplug/real.out
[ "$(grep -c '^< {"return": {}}$' "$qmp")" -eq 7 ] ||
    e2e_fail "hot-plug: not every step succeeded (see case-hotplug)"
[ "$(grep -c '"event": "DEVICE_DELETED"' "$qmp")" -eq 2 ] ||
    e2e_fail "hot-plug: expected two DEVICE_DELETED events"
in_use="\"desc\": \"object 'i0' is in use, can not be deleted\""
grep -q "^< {\"error\": {\"class\": \"GenericError\", $in_use}}$" "$qmp" ||
    e2e_fail "object-del of a used iommufd was not refused"

# 4. libvirt's way: /dev/iommu and the cdev opened by the caller, passed
# as fd numbers. Not replayed: a model takes fds of its own kind.
cat >fds.qtest <<EOF
readl 0xb0018000
EOF
exec 5<>/dev/iommu 6<>"$E2E_VFIO_CDEV"
e2e_qtest fds.qtest "$E2E_OUT/fds.txt" "$E2E_BIN/$qemu" -M q35 -display none \
    -accel qtest -object iommufd,id=i0,fd=5 \
    -device "vfio-pci,iommufd=i0,id=dev0,fd=6,bus=$dev"
rc=$?
exec 5<&- 6<&-
[ $rc -eq 0 ] || e2e_fail "fd passing: $(cat "$E2E_OUT/fds.txt.err")"
ids=$(printf '0x00000000%04x%04x' "$(($(cat "$sys/device")))" \
      "$(($(cat "$sys/vendor")))")
grep -q "^< OK $ids$" "$E2E_OUT/fds.txt" ||
    e2e_fail "fd passing: the guest reads $(grep '^< OK' "$E2E_OUT/fds.txt")"
echo "HostIOMMUDevice: intel-vtd cap $cap ecap $ecap aw $aw; vfio-pci" \
     "realized at start-up, on hot-plug and with passed fds"
