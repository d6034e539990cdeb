#!/bin/sh
# Builds the gzip'd cpio initramfs of the e2e guest.
# Usage: scripts/e2e-build-initramfs.sh BUILD_DIR OUTPUT
#
# Contents: busybox-static as /bin/busybox with a link per applet,
# tests/e2e/guest-init.sh as /init, tests/e2e/lib.sh and the scenarios
# under /e2e, and in /opt/qemu/bin the emulators of BUILD_DIR plus every
# executable a scenario names on a '# e2e-needs: NAME...' line, each with
# the shared libraries and dynamic loader it needs at their host paths.
# Executables missing from BUILD_DIR are left out (their scenarios skip).
set -eu

die() {
    echo "e2e-build-initramfs: $*" >&2
    exit 1
}

[ $# -eq 2 ] || die "usage: $0 BUILD_DIR OUTPUT"
builddir=$1
output=$2
e2e=$(cd "$(dirname "$0")/.." && pwd)/tests/e2e
busybox=${E2E_BUSYBOX:-/bin/busybox}

[ -d "$builddir" ] || die "$builddir is not a directory"
[ -x "$busybox" ] || die "$busybox not found (install busybox-static)"
if ldd "$busybox" >/dev/null 2>&1; then
    die "$busybox is dynamically linked (install busybox-static)"
fi
for tool in cpio gzip ldd; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found"
done

start=$(date +%s)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"
for dir in bin dev proc sys tmp out e2e/scenarios opt/qemu/bin; do
    mkdir -p "$root/$dir"
done

cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
cp "$e2e/guest-init.sh" "$root/init"
chmod 755 "$root/init"
cp "$e2e/lib.sh" "$root/e2e/lib.sh"
cp "$e2e"/scenarios/*.sh "$root/e2e/scenarios/"

# Copies FILE to the same path under the initramfs root.
copy_at_host_path() {
    [ -e "$root$1" ] && return 0
    mkdir -p "$root$(dirname "$1")"
    cp -L "$1" "$root$1"
}

# Copies the libraries and the loader that ldd lists for EXE.
copy_libs() {
    libs=$(ldd "$1" 2>/dev/null | sed -n \
           -e 's/.*=> \(\/[^ ]*\) .*/\1/p' \
           -e 's/^[[:space:]]*\(\/[^ ]*\) .*/\1/p')
    for lib in $libs; do
        copy_at_host_path "$lib" || die "cannot copy $lib (needed by $1)"
    done
}

find_exe() {
    if [ -f "$builddir/$1" ] && [ -x "$builddir/$1" ]; then
        echo "$builddir/$1"
    else
        find "$builddir" -maxdepth 3 -type f -name "$1" -perm -u+x |
            sort | head -n 1
    fi
}

names="qemu-system-x86_64 qemu-system-aarch64
$(sed -n 's/^# e2e-needs://p' "$e2e"/scenarios/*.sh)"
payload=
# shellcheck disable=SC2086 # one name per word
for name in $(printf '%s\n' $names | sort -u); do
    exe=$(find_exe "$name")
    [ -n "$exe" ] || continue
    cp "$exe" "$root/opt/qemu/bin/$name"
    # Debug info only costs boot time in the guest; scripts stay as is.
    if command -v strip >/dev/null 2>&1; then
        strip --strip-debug "$root/opt/qemu/bin/$name" 2>/dev/null || :
    fi
    copy_libs "$exe"
    payload="$payload $name"
done

tmp=$output.tmp
(cd "$root" && find . | LC_ALL=C sort |
     cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -6 >"$tmp" ||
    die "cannot write $output"
mv "$tmp" "$output"
size=$(($(wc -c <"$output") / 1024))
echo "e2e-build-initramfs: $output ($size KiB, payload:${payload:- none})" \
     "in $(($(date +%s) - start)) s" >&2
