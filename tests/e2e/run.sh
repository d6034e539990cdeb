#!/bin/sh
# End-to-end tests against a real Linux kernel with iommufd and the VFIO
# cdev: boots the kernel of scripts/e2e-build-kernel.sh under Debian's
# qemu-system-x86_64 (TCG, emulated VT-d, a virtio-net device with ATS
# that the guest binds to vfio-pci), runs the scenarios inside and prints
# TAP. See docs/devel/e2e.md.
#
# Usage: tests/e2e/run.sh [--build-dir DIR] [--result-dir DIR]
#                         [--timeout SECS] [scenario...]
# Without scenario names, runs every tests/e2e/scenarios/*.sh.
# Environment: E2E_HOST_QEMU (default /usr/bin/qemu-system-x86_64),
# E2E_SCENARIO_TIMEOUT (per scenario, in the guest; default 120), and
# those of the two build scripts (E2E_CACHE, E2E_JOBS, ...).
set -u

src=$(cd "$(dirname "$0")/../.." && pwd)
e2e=$src/tests/e2e
builddir=$src/build
resultdir=
timeout=300
host_qemu=${E2E_HOST_QEMU:-/usr/bin/qemu-system-x86_64}
scenario_timeout=${E2E_SCENARIO_TIMEOUT:-120}

bail() {
    echo "Bail out! $*"
    exit 1
}

while [ $# -gt 0 ]; do
    case $1 in
    --build-dir) builddir=${2:?}; shift 2 ;;
    --result-dir) resultdir=${2:?}; shift 2 ;;
    --timeout) timeout=${2:?}; shift 2 ;;
    -h | --help) sed -n '2,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) bail "unknown option $1" ;;
    *) break ;;
    esac
done
[ -d "$builddir" ] ||
    bail "no build directory $builddir (run ./configure or pass --build-dir)"
builddir=$(cd "$builddir" && pwd)
resultdir=${resultdir:-$builddir/e2e-results}

# Anything missing turns the whole suite into a skip that says what.
missing=
if [ "$(id -u)" != 0 ]; then
    missing="$missing root-privileges"
fi
need_pkg() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $1"
}
if command -v dpkg-query >/dev/null 2>&1; then
    for pkg in linux-source-6.12 busybox-static qemu-system-x86 bc bison \
               flex libelf-dev libssl-dev cpio build-essential; do
        need_pkg "$pkg"
    done
else
    missing="$missing dpkg-query (a Debian host)"
fi
[ -x "$host_qemu" ] || missing="$missing $host_qemu"
for tool in timeout awk base64 sha256sum flock gzip; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
    echo "1..0 # SKIP missing:$missing"
    exit 0
fi

if [ $# -eq 0 ]; then
    for script in "$e2e"/scenarios/*.sh; do
        name=${script##*/}
        set -- "$@" "${name%.sh}"
    done
fi
scenarios=
for name in "$@"; do
    name=${name%.sh}
    [ -f "$e2e/scenarios/$name.sh" ] || bail "no scenario '$name'"
    scenarios="$scenarios $name"
done
scenarios=${scenarios# }

mkdir -p "$resultdir" || bail "cannot create $resultdir"
resultdir=$(cd "$resultdir" && pwd)
rm -rf "$resultdir/out"
rm -f "$resultdir"/console.log "$resultdir"/qemu.stderr \
      "$resultdir"/results "$resultdir"/initrd.gz

# Build output goes to stderr (the TAP stream is stdout); the last line of
# each step's log, its one-line status, is repeated as a TAP comment.
report_log() {
    cat "$1" >&2
    tail -n 1 "$1" | sed 's/^/# /'
    rm -f "$1"
}
kernel=$("$src/scripts/e2e-build-kernel.sh" 2>"$resultdir/step.log")
rc=$?
report_log "$resultdir/step.log"
[ $rc -eq 0 ] || bail "kernel build failed (see stderr)"
"$src/scripts/e2e-build-initramfs.sh" "$builddir" "$resultdir/initrd.gz" \
    2>"$resultdir/step.log"
rc=$?
report_log "$resultdir/step.log"
[ $rc -eq 0 ] || bail "initramfs build failed (see stderr)"

# The machine of ../shared/reference/e2e-real-kernel.md.
vtd=intel-iommu,intremap=on,caching-mode=on,device-iotlb=on
vtd=$vtd,x-scalable-mode=on
nic=virtio-net-pci,bus=rp1,disable-legacy=on,ats=on,iommu_platform=on
nic=$nic,netdev=n0
append="console=ttyS0 panic=-1 intel_iommu=on,sm_on quiet"
append="$append e2e_timeout=$scenario_timeout"
append="$append e2e_scenarios=$(echo "$scenarios" | tr ' ' ,)"
start=$(date +%s)
timeout -k 10 "$timeout" "$host_qemu" \
    -accel tcg -machine q35,kernel-irqchip=split -m 512 \
    -nographic -no-reboot \
    -device "$vtd" \
    -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1 \
    -device "$nic" -netdev user,id=n0 \
    -kernel "$kernel" -initrd "$resultdir/initrd.gz" -append "$append" \
    </dev/null >"$resultdir/console.log" 2>"$resultdir/qemu.stderr"
qemu_rc=$?
echo "# guest ran in $(($(date +%s) - start)) s (qemu exit status $qemu_rc)"

# Markers -> $resultdir/results, shipped files -> $resultdir/out/NAME.
awk -v out="$resultdir/out" -v results="$resultdir/results" \
    -f "$e2e/parse-console.awk" "$resultdir/console.log"
touch "$resultdir/results"

# Decode the shipped files; a damaged one fails its scenario.
bad_files=
while read -r kind file size sum; do
    [ "$kind" = FILE ] || continue
    path=$resultdir/out/$file
    if base64 -d "$path.b64" >"$path" 2>/dev/null &&
       [ "$(wc -c <"$path")" -eq "$size" ] &&
       [ "$(sha256sum "$path" | cut -d' ' -f1)" = "$sum" ]; then
        rm -f "$path.b64"
    else
        bad_files="$bad_files $file"
    fi
done <"$resultdir/results"

# Prints console lines as TAP comments, without terminal escapes: those
# of scenario $1, or the tail of the log when $1 is empty.
show_console() {
    if [ -n "$1" ]; then
        sed -n "/@@E2E-BEGIN $1@@/,/@@E2E-RESULT $1 /p" \
            "$resultdir/console.log" |
            sed '/@@E2E-FILE /,/@@E2E-END@@/d' | tail -n 60
    else
        tail -n 40 "$resultdir/console.log"
    fi | sed 's/\r//g; s/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' |
        awk '{ print "#   " $0 }'
}

count=$(echo "$scenarios" | wc -w)
echo "1..$((count + 1))"
failed=0
setup=$(sed -n 's/^SETUP //p' "$resultdir/results" | head -n 1)
done_seen=$(grep -c '^DONE$' "$resultdir/results")
case $setup in
OK\ *) echo "ok 1 - setup: ${setup#OK }" ;;
FAIL\ *) echo "not ok 1 - setup: ${setup#FAIL }"; failed=1 ;;
*)
    if [ $qemu_rc -eq 124 ]; then
        echo "not ok 1 - setup: no report; timed out after $timeout s"
    else
        echo "not ok 1 - setup: no report; qemu exit status $qemu_rc"
    fi
    failed=1
    ;;
esac

n=1
for name in $scenarios; do
    n=$((n + 1))
    line=$(sed -n "s/^RESULT $name //p" "$resultdir/results" | head -n 1)
    status=${line%% *}
    reason=${line#"$status"}
    reason=${reason# }
    case " $bad_files " in
    *" $name/"*)
        status=FAIL
        reason="a shipped file arrived damaged:$bad_files"
        ;;
    esac
    if [ -z "$line" ]; then
        status=FAIL
        if [ "$done_seen" = 0 ]; then
            reason="no result: the guest stopped (timeout or panic)"
        else
            reason="no result reported"
        fi
    fi
    check=
    if [ "$status" = PASS ] && [ -x "$e2e/host/$name.sh" ]; then
        mkdir -p "$resultdir/out/$name"
        check=$(cd "$resultdir/out/$name" &&
                E2E_SOURCE_DIR=$src E2E_BUILD_DIR=$builddir \
                "$e2e/host/$name.sh" 2>&1)
        case $? in
        0) ;;
        77) status=SKIP; reason="host side: $(echo "$check" | head -n 1)" ;;
        *) status=FAIL; reason="host side: $(echo "$check" | head -n 1)" ;;
        esac
    fi
    case $status in
    PASS) echo "ok $n - $name" ;;
    SKIP) echo "ok $n - $name # SKIP $reason" ;;
    *)
        echo "not ok $n - $name: $reason"
        failed=1
        grep -q "@@E2E-BEGIN $name@@" "$resultdir/console.log" &&
            show_console "$name"
        [ -z "$check" ] || echo "$check" | sed 's/^/#   host: /'
        ;;
    esac
done
if [ "$done_seen" = 0 ]; then
    echo "# the guest did not finish; console tail:"
    show_console ""
    sed 's/^/#   qemu: /' "$resultdir/qemu.stderr"
fi
echo "# console log and shipped files: $resultdir"
exit $failed
