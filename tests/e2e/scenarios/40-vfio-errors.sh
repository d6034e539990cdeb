#!/bin/sh
# What goes wrong on a real host is refused cleanly: one line
# "qemu-system-x86_64: <the option>: <why>" on stderr and exit status 1,
# and the device is left free for the next user. (Arm's accelerated
# SMMUv3 needs an Arm host: not here.) The recorded cases are replayed on
# the host model by 30.
# e2e-needs: e2e-vfio-probe
# shellcheck source=SCRIPTDIR/../lib.sh
. "$E2E_LIB"

e2e_need_bin e2e-vfio-probe
qemu="qemu-system-x86_64"
absent=0000:05:00.0
[ ! -e "/sys/bus/pci/devices/$absent" ] || e2e_fail "$absent exists"

# refused NAME DEVICE WHY ARG...: the emulator, started with ARG... and
# then -device DEVICE, exits with status 1 printing exactly one line,
# "qemu-system-x86_64: -device DEVICE: WHY".
refused() {
    _name=$1
    _dev=$2
    _want="$qemu: -device $2: $3"
    shift 3
    e2e_case "$_name" run - $qemu -host-model @HOST@ -M q35 -accel qtest \
        -display none "$@" -device "$_dev"
    _rc=$?
    _got=$(cat "$E2E_OUT/case-$_name/real.out.err")
    [ $_rc -eq 1 ] || e2e_fail "$_name: exit status $_rc ($_got)"
    [ "$_got" = "$_want" ] ||
        e2e_fail "$_name: stderr '$_got', expected '$_want'"
}

why="vfio-pci: iommufd is required: the legacy VFIO container/group"
why="$why backend is not supported; use -object iommufd,id=ID and iommufd=ID"
refused no-iommufd "vfio-pci,host=$E2E_DEV,id=dev0" "$why"
refused no-such-host "vfio-pci,host=$absent,iommufd=i0" \
    "Host PCI device $absent not found" -object iommufd,id=i0
path=/sys/bus/pci/devices/$absent
refused no-such-sysfsdev "vfio-pci,sysfsdev=$path,iommufd=i0" \
    "sysfsdev=$path: no such host device" -object iommufd,id=i0
# A cdev device is exclusive: the second bind is refused (EINVAL).
bind="VFIO_DEVICE_BIND_IOMMUFD failed: Invalid argument"
refused bound-twice "vfio-pci,host=$E2E_DEV,iommufd=i0,id=b" "$bind" \
    -object iommufd,id=i0 -device "vfio-pci,host=$E2E_DEV,iommufd=i0,id=a"
refused bound-twice-two-iommufds "vfio-pci,host=$E2E_DEV,iommufd=i1,id=b" \
    "$bind" -object iommufd,id=i0 -object iommufd,id=i1 \
    -device "vfio-pci,host=$E2E_DEV,iommufd=i0,id=a"

# A stage 2 for nesting needs ECAP.NEST, which this VT-d lacks: the VFIO
# core's attach fails and takes everything back.
e2e_case probe-nesting run - e2e-vfio-probe --host-model @HOST@ --nesting \
    "$E2E_DEV"
rc=$?
got=$(cat "$E2E_OUT/case-probe-nesting/real.out.err")
if [ $rc -ne 1 ] || [ "$got" != \
    "e2e-vfio-probe: IOMMU_HWPT_ALLOC failed: Operation not supported" ]; then
    e2e_fail "nesting parent: exit status $rc, '$got'"
fi

# Not replayed (a captured host has no such device): a device that is
# not bound to vfio-pci, here the root port above ours.
port=$(basename "$(readlink -f "/sys/bus/pci/devices/$E2E_DEV/..")")
[ ! -e "/sys/bus/pci/devices/$port/vfio-dev" ] ||
    e2e_fail "$port is bound to vfio-pci"
dev=vfio-pci,host=$port,iommufd=i0
got=$("$E2E_BIN/$qemu" -M q35 -accel qtest -display none \
      -object iommufd,id=i0 -device "$dev" 2>&1 </dev/null)
rc=$?
why="$port is not bound to vfio-pci or the kernel lacks VFIO_DEVICE_CDEV"
if [ $rc -ne 1 ] || [ "$got" != "$qemu: -device $dev: $why" ]; then
    e2e_fail "$port (not vfio-pci): exit status $rc, '$got'"
fi

# After all that the device is free and whole.
e2e_case probe-after run - e2e-vfio-probe --host-model @HOST@ "$E2E_DEV" ||
    e2e_fail "afterwards: $(cat "$E2E_OUT/case-probe-after/real.out.err")"
echo "every failure refused with one line; $E2E_DEV still usable"
