#!/bin/sh
# The NVIDIA Grace GPU scenario: a Grace-Hopper GPU assigned with
# vfio-pci behind an accelerated arm-smmuv3 whose ats/ril/ssidsize/oas
# are all left "auto", with the GPU's NUMA nodes and generic initiators,
# on a host model. Prints the report of scripts/plane-report.py: per
# vSMMU the resolved values and where they came from, per device its
# guest-visible extended capabilities and why ATS is shown or hidden,
# then a one-line verdict. See docs/grace.md.
#
# usage: grace-scenario.sh [--host-model NAME] [--machine TYPE]
#                          [--device HOST_ADDR] [BUILD_DIR]
#   --host-model  bundled host (default grace-hopper; arm-smmuv3-basic
#                 shows the values following another host), a host
#                 description file, or linux (real hardware, with --device)
#   --machine     machine type (default virt; virt-11.0 shows compat)
#   --device      host address to assign (default: the host's GPU, else
#                 its first vfio-bound device behind an arm-smmuv3)
#   BUILD_DIR     where qemu-system-aarch64 is (default build)
# Exit status: 0 verdict OK, 1 the emulator failed to start, 2 usage,
# 3 the report found a mismatch.
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
host=grace-hopper
machine=virt
device=
build=

usage() {
    sed -n '/^# usage:/,/^# 3 /s/^# \{0,1\}//p' "$0" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
    --host-model) [ $# -ge 2 ] || usage; host=$2; shift 2 ;;
    --machine) [ $# -ge 2 ] || usage; machine=$2; shift 2 ;;
    --device) [ $# -ge 2 ] || usage; device=$2; shift 2 ;;
    -h | --help) usage ;;
    -*) echo "grace-scenario.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$build" ] || usage; build=$1; shift ;;
    esac
done
build=${build:-build}
qemu=$build/qemu-system-aarch64
if [ ! -x "$qemu" ]; then
    echo "grace-scenario.sh: $qemu not found: build first" >&2
    exit 1
fi
report="python3 $srcdir/scripts/plane-report.py --srcdir $srcdir"
if [ -z "$device" ]; then
    device=$($report --pick-device "$host")
fi

# Node 0: the CPUs and RAM. Node 1: memory-less, the GPU's own memory
# node on Grace-Hopper. Nodes 2-9: one per generic initiator, for the
# GPU's partitions (MIG instances). Node IDs must leave no gap.
set -- -host-model "$host" \
    -machine "$machine,gic-version=3,ras=on,highmem-mmio-size=4T" \
    -accel qtest -display none \
    -smp 4 -m 4G \
    -object memory-backend-ram,id=mem0,size=4G \
    -numa node,memdev=mem0,cpus=0-3,nodeid=0 \
    -numa node,nodeid=1
for node in 2 3 4 5 6 7 8 9; do
    set -- "$@" -numa node,nodeid=$node
done
gpu=id=dev0,iommufd=iommufd0,ats=auto
set -- "$@" \
    -object iommufd,id=iommufd0 \
    -device pxb-pcie,id=pcie.1,bus_nr=1,bus=pcie.0 \
    -device arm-smmuv3,primary-bus=pcie.1,id=smmuv3.1,accel=on \
    -device pcie-root-port,id=pcie.port1,bus=pcie.1,chassis=1,io-reserve=0 \
    -device "vfio-pci-nohotplug,host=$device,bus=pcie.port1,rombar=0,$gpu"
for gi in 0 1 2 3 4 5 6 7; do
    set -- "$@" -object \
        "acpi-generic-initiator,id=gi$gi,pci-dev=dev0,node=$((gi + 2))"
done

exec $report \
    --title "NVIDIA Grace GPU scenario (host model $host, machine $machine)" \
    -- "$qemu" "$@"
