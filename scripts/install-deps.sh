#!/bin/sh
# Installs the Debian 12 packages needed to build, test and run the e2e
# suite. Safe to re-run: only missing packages are installed.
set -e
pkgs="build-essential meson ninja-build pkg-config python3
libglib2.0-dev libjson-glib-dev libfdt-dev device-tree-compiler
linux-source-6.12 busybox-static qemu-system-x86 cpio
bc bison flex libelf-dev libssl-dev"
missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing:$missing (run as root to install)" >&2
    exit 1
fi
echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "install-deps: done"
