#!/bin/sh
# /init of the e2e guest. Mounts the pseudo file systems, binds the
# emulated virtio-net device to vfio-pci, runs the scenarios named on the
# kernel command line (e2e_scenarios=a,b,...) and reports over the console
# with markers that tests/e2e/run.sh parses:
#   @@E2E-SETUP OK|FAIL detail@@
#   @@E2E-BEGIN name@@ ... @@E2E-RESULT name PASS|FAIL|SKIP reason@@
#   @@E2E-FILE name/path size sha256@@ <base64 lines> @@E2E-END@@
#   @@E2E-DONE@@
# then powers off.

PATH=/bin:/opt/qemu/bin
export PATH

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
exec </dev/console >/dev/console 2>&1
# Keep kernel messages from splitting marker lines.
dmesg -n 1

# Vendor/device of the emulated virtio-net (modern, non-transitional).
VIRTIO_VENDOR=0x1af4
VIRTIO_DEVICE=0x1041

arg() {
    for word in $(cat /proc/cmdline); do
        case $word in
        "$1"=*) echo "${word#*=}" ;;
        esac
    done
}

find_device() {
    for dev in /sys/bus/pci/devices/*; do
        if [ "$(cat "$dev/vendor")" = "$1" ] &&
           [ "$(cat "$dev/device")" = "$2" ]; then
            basename "$dev"
            return 0
        fi
    done
    return 1
}

# Binds E2E_DEV to vfio-pci and sets E2E_VFIO_CDEV; on failure sets
# setup_error.
bind_vfio() {
    sysdev=/sys/bus/pci/devices/$E2E_DEV
    if ! echo vfio-pci >"$sysdev/driver_override"; then
        setup_error="$E2E_DEV: cannot set driver_override"
        return 1
    fi
    if [ -e "$sysdev/driver" ] &&
       ! echo "$E2E_DEV" >"$sysdev/driver/unbind"; then
        setup_error="$E2E_DEV: cannot unbind the current driver"
        return 1
    fi
    echo "$E2E_DEV" >/sys/bus/pci/drivers_probe
    driver=$(basename "$(readlink "$sysdev/driver")")
    if [ "$driver" != vfio-pci ]; then
        setup_error="$E2E_DEV: bound to '$driver', not vfio-pci"
        return 1
    fi
    for cdev in "$sysdev"/vfio-dev/vfio*; do
        [ -e "$cdev" ] || break
        E2E_VFIO_CDEV=/dev/vfio/devices/${cdev##*/}
        [ -c "$E2E_VFIO_CDEV" ] && return 0
        setup_error="$E2E_DEV: $E2E_VFIO_CDEV is not a char device"
        return 1
    done
    setup_error="$E2E_DEV: $sysdev/vfio-dev has no vfio device"
    return 1
}

setup() {
    if [ ! -c /dev/iommu ]; then
        setup_error="/dev/iommu is missing"
        return 1
    fi
    if ! E2E_DEV=$(find_device $VIRTIO_VENDOR $VIRTIO_DEVICE); then
        setup_error="no PCI device $VIRTIO_VENDOR:$VIRTIO_DEVICE"
        return 1
    fi
    bind_vfio
}

# Prints FILE in base64 between markers, named NAME on the host.
ship() {
    size=$(wc -c <"$1")
    sum=$(sha256sum "$1")
    echo "@@E2E-FILE $2 $size ${sum%% *}@@"
    base64 "$1"
    echo "@@E2E-END@@"
}

run_scenario() {
    name=$1
    script=/e2e/scenarios/$name.sh
    echo "@@E2E-BEGIN $name@@"
    reason_file=/tmp/e2e-reason
    mkdir -p "/out/$name" "/tmp/e2e-$name"
    rm -f "$reason_file"
    if [ -n "$setup_error" ]; then
        status=FAIL
        reason="guest setup failed: $setup_error"
    elif [ ! -f "$script" ]; then
        status=FAIL
        reason="no such scenario in the initramfs"
    else
        (cd "/tmp/e2e-$name" &&
         E2E_OUT=/out/$name E2E_REASON_FILE=$reason_file \
             timeout "$timeout" sh "$script" </dev/null)
        rc=$?
        # The marker is one line.
        reason=
        if [ -f "$reason_file" ]; then
            reason=$(tr -s '\n' ' ' <"$reason_file")
            reason=${reason% }
        fi
        case $rc in
        0) status=PASS ;;
        77) status=SKIP ;;
        143) status=FAIL; reason="timed out after $timeout s" ;;
        *) status=FAIL; reason=${reason:-exit status $rc} ;;
        esac
    fi
    (cd /out && find "$name" -type f | sort) | while read -r file; do
        ship "/out/$file" "$file"
    done
    echo "@@E2E-RESULT $name $status${reason:+ $reason}@@"
}

E2E_LIB=/e2e/lib.sh
E2E_BIN=/opt/qemu/bin
E2E_DEV=
E2E_VFIO_CDEV=
export E2E_LIB E2E_BIN E2E_DEV E2E_VFIO_CDEV HOME=/tmp

setup_error=
if setup; then
    echo "@@E2E-SETUP OK $E2E_DEV bound to vfio-pci ($E2E_VFIO_CDEV)@@"
else
    echo "@@E2E-SETUP FAIL $setup_error@@"
fi

timeout=$(arg e2e_timeout)
timeout=${timeout:-120}
for name in $(arg e2e_scenarios | tr , ' '); do
    run_scenario "$name"
done

dmesg >/tmp/dmesg.txt
ship /tmp/dmesg.txt _guest/dmesg.txt
echo "@@E2E-DONE@@"
poweroff -f
# Only reached if ACPI power-off failed; -no-reboot turns this into an exit.
reboot -f
