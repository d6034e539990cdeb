#!/bin/sh
# The guest is set up as the emulator expects a VFIO cdev host to be: the
# device is bound to vfio-pci, has a cdev and an IOMMU group of its own,
# sits behind Intel VT-d, and exposes the ATS extended capability it was
# created with (ats=on).
# shellcheck source=SCRIPTDIR/../lib.sh
. "$E2E_LIB"

sysdev=/sys/bus/pci/devices/$E2E_DEV
if [ -z "$E2E_DEV" ] || [ ! -d "$sysdev" ]; then
    e2e_fail "no device: '$E2E_DEV'"
fi

driver=$(basename "$(readlink "$sysdev/driver")")
[ "$driver" = vfio-pci ] || e2e_fail "$E2E_DEV is bound to '$driver'"

[ -e "$sysdev/vfio-dev/vfio0" ] || e2e_fail "$sysdev/vfio-dev/vfio0 missing"
[ -c /dev/vfio/devices/vfio0 ] || e2e_fail "/dev/vfio/devices/vfio0 missing"
[ -c /dev/iommu ] || e2e_fail "/dev/iommu is not a char device"

[ -L "$sysdev/iommu_group" ] || e2e_fail "$E2E_DEV has no IOMMU group"
group=$(readlink -f "$sysdev/iommu_group")
members=$(ls "$group/devices")
[ "$members" = "$E2E_DEV" ] ||
    e2e_fail "IOMMU group ${group##*/} holds: $members"

iommu=$(basename "$(readlink "$sysdev/iommu")")
case $iommu in
dmar*) [ -d "/sys/class/iommu/$iommu/intel-iommu" ] ||
           e2e_fail "$iommu is not an Intel IOMMU" ;;
*) e2e_fail "$E2E_DEV is behind '$iommu', not a VT-d unit" ;;
esac

# Walk the PCIe extended capability chain: a dword header at 0x100 holds
# ID [15:0], version [19:16] and the next offset [31:20].
config=$sysdev/config
size=$(wc -c <"$config")
[ "$size" -eq 4096 ] || e2e_fail "config space is $size bytes, not 4096"
offset=256
found=
caps=
steps=0
while [ "$offset" -ne 0 ] && [ "$steps" -lt 1024 ]; do
    header=$(od -An -tx4 -j "$offset" -N 4 "$config" | tr -d ' ')
    case $header in
    00000000 | ffffffff) break ;;
    esac
    id=$((0x$header & 0xffff))
    caps="$caps $(printf '0x%04x@0x%03x' "$id" "$offset")"
    [ "$id" -eq 15 ] && found=$offset
    offset=$(((0x$header >> 20) & 0xffc))
    steps=$((steps + 1))
done
echo "extended capabilities:$caps"
[ -n "$found" ] || e2e_fail "no ATS extended capability (0x000f):$caps"
echo "$E2E_DEV: vfio-pci, $iommu, group ${group##*/}, ATS at $found"
