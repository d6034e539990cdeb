#!/bin/sh
# The config space of the real device, three ways, against sysfs:
# 1. what the guest sees over ECAM (qtest): the bytes vfio-pci passes
#    through equal the physical ones (IDs, class, both capability chains,
#    the capabilities' read-only registers, ATS per ats=auto); the fields
#    it emulates read as documented; guest writes do what the kernel lets
#    them do;
# 2. the VFIO config region as the emulator's VFIO core reads it: equal
#    to sysfs except in fields Linux's vfio-pci virtualizes (listed in
#    virtualized() below), and writes follow vfio-pci's permissions;
# 3. a BAR read by the guest reaches the device's registers.
# The recorded cases are replayed on the host model by 30.
# e2e-needs: e2e-vfio-probe
# shellcheck source=SCRIPTDIR/../lib.sh
. "$E2E_LIB"

e2e_need_bin e2e-vfio-probe
qemu="qemu-system-x86_64"
sys=/sys/bus/pci/devices/$E2E_DEV
phys=$sys/config
[ "$(wc -c <"$phys")" -eq 4096 ] || e2e_fail "sysfs config is not 4096 bytes"
# ECAM: the root port rp1 at 00:01.0; below it, bus 1, the device.
rp=0xb0008000
base=0xb0100000

# rd FILE OFF SIZE: the little-endian value at OFF, in decimal.
rd() {
    od -An -tu"$3" -j "$2" -N "$3" "$1" | tr -d ' '
}

# hex N: N as 0x-prefixed hex.
hex() {
    printf '0x%x' "$1"
}

# std_chain FILE: the standard capabilities, "ID@OFF ...".
std_chain() {
    _off=$(rd "$1" 52 1)
    _n=0
    while [ "$_off" -ne 0 ] && [ $_n -lt 48 ]; do
        printf ' %s@%s' "$(hex "$(rd "$1" "$_off" 1)")" "$(hex "$_off")"
        _off=$(($(rd "$1" $((_off + 1)) 1) & 0xfc))
        _n=$((_n + 1))
    done
}

# ext_chain FILE: the extended capabilities, "ID@OFF ...".
ext_chain() {
    _off=256
    _n=0
    while [ "$_off" -ge 256 ] && [ $_n -lt 960 ]; do
        _hdr=$(rd "$1" "$_off" 4)
        [ "$_hdr" -ne 0 ] || break
        printf ' %s@%s' "$(hex $((_hdr & 0xffff)))" "$(hex "$_off")"
        _off=$(((_hdr >> 20) & 0xffc))
        _n=$((_n + 1))
    done
}

# cap_of CHAIN ID: the offset of capability ID in a chain, or 0.
cap_of() {
    for _c in $1; do
        [ "${_c%@*}" = "$2" ] && { echo $((${_c#*@})); return; }
    done
    echo 0
}

# same FILE OFF LEN WHAT: the bytes equal the physical ones.
same() {
    cmp -s -n "$3" "$1" "$phys" "$2" "$2" ||
        e2e_fail "$4 at $(hex "$2"): guest $(od -An -tx1 -j "$2" -N "$3" \
            "$1"), sysfs $(od -An -tx1 -j "$2" -N "$3" "$phys")"
}

# dump TRANSCRIPT N FILE: the Nth 4096-byte read reply as a binary file.
dump() {
    _hex=$(grep '^< OK 0x' "$1" | awk -v n="$2" 'length($0) > 8000 {
        if (++i == n) print substr($0, 8) }')
    [ ${#_hex} -eq 8192 ] || e2e_fail "no config read #$2 in $1"
    # shellcheck disable=SC2059 # the format is the bytes, as escapes
    printf "$(echo "$_hex" | sed 's/../\\x&/g')" >"$3"
}

std=$(std_chain "$phys")
ext=$(ext_chain "$phys")
echo "sysfs: standard capabilities:$std; extended:$ext"
pm=$(cap_of "$std" 0x1)
exp=$(cap_of "$std" 0x10)
msix=$(cap_of "$std" 0x11)
ats=$(cap_of "$ext" 0xf)
[ "$exp" -ne 0 ] || e2e_fail "the device has no PCI Express capability"
[ "$ats" -ne 0 ] || e2e_fail "the device has no ATS capability"

# The writes both the guest and the VFIO probe make, "OFF:SIZE=VAL":
# the command register, status (RW1C), cache line size, latency timer,
# BAR and ROM sizing, interrupt line and pin, PM control (PME status and
# enable), MSI-X control, Device Control (Initiate FLR, max read request,
# phantom functions, max payload, error reporting), Device Control 2's ARI
# forwarding, Link Control, ATS control. The bits a device may or may not
# implement are left alone: a host description does not record them.
writes="4:2=0406 6:2=ffff c:1=10 d:1=40 10:4=ffffffff 14:4=ffffffff
18:4=ffffffff 1c:4=ffffffff 20:4=ffffffff 24:4=ffffffff 30:4=ffffffff
3c:1=0b 3d:1=00"
[ "$pm" -eq 0 ] || writes="$writes $(printf %x $((pm + 4))):2=8100"
[ "$msix" -eq 0 ] || writes="$writes $(printf %x $((msix + 2))):2=c000"
writes="$writes $(printf %x $((exp + 8))):2=f2ef"
writes="$writes $(printf %x $((exp + 0x28))):2=0020"
writes="$writes $(printf %x $((exp + 0x10))):2=0003"
writes="$writes $(printf %x $((ats + 6))):2=0000"

# 1. The guest's view. The device sits below rp1; the root port's bus
# numbers are what firmware would program.
{
    echo "writel $(hex $((rp + 0x18))) 0x00010100"
    echo "read $base 0x1000"
    for w in $writes; do
        off=0x${w%%:*}
        size=${w#*:}
        size=${size%%=*}
        case $size in
        1) op=writeb ;; 2) op=writew ;; 4) op=writel ;;
        esac
        echo "$op $(hex $((base + off))) 0x${w#*=}"
    done
    echo "read $base 0x1000"
} >config.qtest
e2e_case config qtest config.qtest $qemu -host-model @HOST@ -M q35 \
    -accel qtest -display none -object iommufd,id=i0 \
    -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1 \
    -device "vfio-pci,host=$E2E_DEV,iommufd=i0,id=dev0,bus=rp1" ||
    e2e_fail "qtest: $(cat "$E2E_OUT/case-config/real.out.err")"
trace=$E2E_OUT/case-config/real.out
dump "$trace" 1 guest.bin
dump "$trace" 2 guest-after.bin

same guest.bin 0 4 "vendor/device ID"
same guest.bin 8 4 "revision/class"
same guest.bin 14 1 "header type"
same guest.bin 44 4 "subsystem IDs"
same guest.bin 61 3 "interrupt pin, min grant, max latency"
got=$(std_chain guest.bin)
[ "$got" = "$std" ] || e2e_fail "standard capabilities:$got; sysfs:$std"
got=$(ext_chain guest.bin)
[ "$got" = "$ext" ] || e2e_fail "extended capabilities:$got; sysfs:$ext"
for c in $std; do
    off=$((${c#*@}))
    case ${c%@*} in
    0x1) same guest.bin $((off + 2)) 2 "PM capabilities" ;;
    0x9) same guest.bin $((off + 2)) $(($(rd "$phys" $((off + 2)) 1) - 2)) \
             "vendor-specific capability" ;;
    0x10) same guest.bin $((off + 2)) 6 "PCIe capabilities, DevCap" ;;
    0x11) same guest.bin $((off + 4)) 8 "MSI-X table and PBA" ;;
    esac
done
# ATS as on the device (ats=auto, and 6.12 never calls ATS unusable).
same guest.bin $((ats + 4)) 4 "ATS capability and control"
# Emulated: decoding and bus mastering off, BARs unassigned (their type
# bits kept), the ROM BAR unassigned.
[ $(($(rd guest.bin 4 2) & 7)) -eq 0 ] ||
    e2e_fail "command $(hex "$(rd guest.bin 4 2)"): decoding is on"
# Then the writes: the command register and interrupt line take them; a
# BAR reads its size mask; the interrupt pin, status, the ATS control
# (vfio-pci drops the write) and Initiate FLR (reads 0) do not change.
[ "$(rd guest-after.bin 4 2)" -eq $((0x0406)) ] ||
    e2e_fail "command after writing 0x0406: $(hex "$(rd guest-after.bin 4 2)")"
[ "$(rd guest-after.bin 60 1)" -eq 11 ] || e2e_fail "interrupt line"
same guest-after.bin 61 1 "interrupt pin after a write"
same guest-after.bin 6 2 "status after writing 1s"
same guest-after.bin $((ats + 6)) 2 "ATS control after a write"
[ $(($(rd guest-after.bin $((exp + 8)) 2) & 0x8200)) -eq 0 ] ||
    e2e_fail "Device Control: FLR or phantom functions read back"
i=0
while read -r start end _; do
    [ $i -le 5 ] || break
    bar=$(rd "$phys" $((16 + 4 * i)) 4)
    got=$(rd guest.bin $((16 + 4 * i)) 4)
    sized=$(rd guest-after.bin $((16 + 4 * i)) 4)
    if [ $((end)) -ne 0 ]; then
        size=$((end - start + 1))
        if [ $((bar & 1)) -eq 1 ]; then
            type=$((bar & 3))
        else
            type=$((bar & 15))
        fi
        [ "$got" -eq $type ] ||
            e2e_fail "BAR$i reads $(hex "$got"), not unassigned $(hex $type)"
        want=$(((~(size - 1) | type) & 0xffffffff))
        [ "$sized" -eq $want ] ||
            e2e_fail "BAR$i sizing: $(hex "$sized"), size $size: $(hex $want)"
    fi
    i=$((i + 1))
done <"$sys/resource"

# 2. The VFIO config region, as the VFIO core reads it, and writes to it.
set --
for w in $writes; do
    set -- "$@" --write "$w"
done
e2e_case probe-writes run - e2e-vfio-probe --host-model @HOST@ "$@" \
    "$E2E_DEV" ||
    e2e_fail "e2e-vfio-probe: $(cat "$E2E_OUT/case-probe-writes/real.out.err")"
probe=$E2E_OUT/case-probe-writes/real.out
# region_dump LABEL FILE: the probe's config region dump LABEL, as bytes.
region_dump() {
    _esc=$(sed -n "/^$1 4096 bytes$/,/^ff0:/p" "$probe" |
           sed '1d; s/^...://' | tr -d ' \n' | sed 's/../\\x&/g')
    # shellcheck disable=SC2059 # the format is the bytes, as escapes
    printf "$_esc" >"$2"
}
region_dump config region.bin
region_dump "config after writes" region-after.bin
[ "$(wc -c <region.bin)" -eq 4096 ] || e2e_fail "no config region dump"

# Bytes vfio-pci virtualizes: command (INTx disable), status (capability
# list), the BARs and the ROM BAR, the capability pointer, interrupt line
# and pin, every capability's next pointer, PM control (PME enable and
# status), MSI (flags, address, data), Device Control (max payload, max
# read request, Initiate FLR) and the extended capability headers (hidden
# capabilities become ID 0 or are unlinked).
virtualized() {
    _v=" 5 6 $(seq -s ' ' 16 39) 48 49 50 51 52 60 61 "
    for _c in $std; do
        _o=$((${_c#*@}))
        _v="$_v $((_o + 1)) "
        case ${_c%@*} in
        0x1) _v="$_v $((_o + 4)) $((_o + 5)) " ;;
        0x5) _v="$_v $(seq -s ' ' $((_o + 2)) $((_o + 13))) " ;;
        0x10) _v="$_v $((_o + 8)) $((_o + 9)) " ;;
        esac
    done
    for _c in $ext; do
        _o=$((${_c#*@}))
        _v="$_v $_o $((_o + 1)) $((_o + 2)) $((_o + 3)) "
    done
    echo "$_v"
}
allowed=$(virtualized)
cmp -l region.bin "$phys" | while read -r pos a b; do
    case $allowed in
    *" $((pos - 1)) "*) echo "virtualized byte $(hex $((pos - 1))): $a $b" ;;
    *) e2e_fail "VFIO config region byte $(hex $((pos - 1))) is $a" \
                "(octal), sysfs $b" ;;
    esac
done || exit 1
# vfio-pci's permissions: status, latency timer (PCIe), MSI-X control,
# Link Control, ATS control and PME stay; FLR and phantom functions read
# 0; the BARs read their size masks.
for f in 6:2 13:1 $((msix + 2)):2 $((exp + 0x10)):2 $((ats + 6)):2; do
    [ "${f%:*}" -ne 2 ] || continue  # no MSI-X
    cmp -s -n "${f#*:}" region-after.bin "$phys" "${f%:*}" "${f%:*}" ||
        e2e_fail "VFIO region byte $(hex "${f%:*}") changed by a write"
done
[ $(($(rd region-after.bin $((exp + 8)) 2) & 0x8200)) -eq 0 ] ||
    e2e_fail "VFIO region: FLR or phantom functions read back"
[ "$pm" -eq 0 ] || same region-after.bin $((pm + 4)) 2 "PM control"

# 3. The guest reaches the device's registers: the virtio common config
# (a vendor capability with cfg_type 1 names its BAR and offset) holds
# the device's feature bits. Not replayed: a model's BARs hold no device.
vcap=0
for c in $std; do
    off=$((${c#*@}))
    if [ "${c%@*}" = 0x9 ] && [ "$(rd "$phys" $((off + 3)) 1)" -eq 1 ]; then
        vcap=$off
    fi
done
[ $vcap -ne 0 ] || e2e_fail "no virtio common config capability"
vbar=$(rd "$phys" $((vcap + 4)) 1)
voff=$(rd "$phys" $((vcap + 8)) 4)
mmio=0xc0000000
{
    echo "writel $(hex $((rp + 0x18))) 0x00010100"
    # rp1 forwards 0xc0000000-0xc0ffffff; memory decoding on
    echo "writel $(hex $((rp + 0x20))) 0xc0f0c000"
    echo "writew $(hex $((rp + 4))) 0x0002"
    echo "writel $(hex $((base + 0x10 + 4 * vbar))) $mmio"
    echo "writel $(hex $((base + 0x14 + 4 * vbar))) 0x0"
    echo "writew $(hex $((base + 4))) 0x0002"
    echo "writel $(hex $((mmio + voff))) 0x0"
    echo "readl $(hex $((mmio + voff + 4)))"
} >bar.qtest
e2e_qtest bar.qtest "$E2E_OUT/bar.txt" "$E2E_BIN/$qemu" -M q35 -accel qtest \
    -display none -object iommufd,id=i0 \
    -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1 \
    -device "vfio-pci,host=$E2E_DEV,iommufd=i0,id=dev0,bus=rp1" ||
    e2e_fail "qtest: $(cat "$E2E_OUT/bar.txt.err")"
features=$(sed -n '$s/^< OK //p' "$E2E_OUT/bar.txt")
case $features in
0x0000000000000000 | 0x00000000ffffffff | '')
    e2e_fail "BAR$vbar: the virtio device features read ${features:-nothing}" ;;
esac
echo "guest view and VFIO region match sysfs; virtio features $features"
