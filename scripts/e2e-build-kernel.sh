#!/bin/sh
# Builds (or reuses) the x86_64 guest kernel for tests/e2e: Debian's
# linux-source-6.12 with 'make tinyconfig' plus tests/e2e/kernel.config.
#
# Prints the path of the bzImage on stdout and one status line on stderr.
# The image, the extracted source and the object tree live in the cache
# directory ${E2E_CACHE:-/var/cache/qemu-iommu-e2e}; the image is keyed by
# the source package version, the config fragment and this script, and the
# object tree is kept so a rebuild after a config change is incremental.
# Environment: E2E_CACHE, E2E_KERNEL_TARBALL, E2E_JOBS (default 2).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
self=$here/e2e-build-kernel.sh
fragment=$(dirname "$here")/tests/e2e/kernel.config
cache=${E2E_CACHE:-/var/cache/qemu-iommu-e2e}
pkg=linux-source-6.12
tarball=${E2E_KERNEL_TARBALL:-/usr/src/$pkg.tar.xz}
jobs=${E2E_JOBS:-2}

die() {
    echo "e2e-build-kernel: $*" >&2
    exit 1
}

[ -r "$tarball" ] || die "$tarball not found (install $pkg)"
[ -r "$fragment" ] || die "$fragment not found"
for tool in make gcc bc bison flex xz flock sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found"
done

# The package version names the source; a tarball given by hand, or not
# installed by dpkg, is named by its size and mtime.
version=
if [ -z "${E2E_KERNEL_TARBALL:-}" ]; then
    version=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)
fi
[ -n "$version" ] || version=$(stat -c 'file-%s-%Y' "$tarball")
version=$(printf '%s' "$version" | tr -c 'A-Za-z0-9.+-' '_')
key=$({ echo "$version"; cat "$fragment" "$self"; } | sha256sum | cut -c1-16)
image=$cache/bzImage-$key

mkdir -p "$cache" || die "cannot create $cache (set E2E_CACHE)"
exec 9>"$cache/lock"
flock 9

if [ -f "$image" ]; then
    echo "e2e-build-kernel: cached $image" >&2
    echo "$image"
    exit 0
fi

start=$(date +%s)
srcdir=$cache/src-$version
objdir=$cache/obj-$version
log=$cache/build-$key.log
: >"$log"

if [ ! -f "$srcdir/.extracted" ]; then
    # A new source version makes older trees useless: drop them.
    rm -rf "$cache"/src-* "$cache"/obj-*
    mkdir -p "$srcdir"
    echo "e2e-build-kernel: extracting $tarball" >&2
    tar -xJf "$tarball" -C "$srcdir" --strip-components=1 ||
        die "cannot extract $tarball"
    touch "$srcdir/.extracted"
fi
mkdir -p "$objdir"

kmake() {
    if ! make -C "$srcdir" O="$objdir" ARCH=x86_64 "$@" >>"$log" 2>&1; then
        tail -n 40 "$log" >&2
        die "'make $*' failed (full log: $log)"
    fi
}

kmake tinyconfig
cat "$fragment" >>"$objdir/.config"
kmake olddefconfig

missing=
for opt in $(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=y$/\1/p' "$fragment"); do
    grep -qx "$opt=y" "$objdir/.config" || missing="$missing $opt"
done
[ -z "$missing" ] ||
    die "not =y after olddefconfig (unmet dependencies?):$missing"

echo "e2e-build-kernel: building bzImage (log: $log)" >&2
kmake -j"$jobs" bzImage
cp "$objdir/arch/x86/boot/bzImage" "$image.tmp"
mv "$image.tmp" "$image"
# Older images are cheap to rebuild from the kept object tree.
for old in "$cache"/bzImage-* "$cache"/build-*.log; do
    case $old in
    "$image" | "$log") ;;
    *) rm -f "$old" ;;
    esac
done
echo "e2e-build-kernel: built $image in $(($(date +%s) - start)) s" >&2
echo "$image"
