#!/bin/sh
# Host side of scenarios/30-capture-and-compare.sh: every case the guest
# recorded in this run (out/*/case-*/, written by e2e_case) runs again
# here with the build's programs and -host-model capture.json (@HOST@),
# and must print the same stdout (or qtest/QMP transcript) and stderr and
# end with the same exit status. One difference is legitimate and
# normalized first: the wall-clock "timestamp" of QMP events.
# Runs in RESULT/out/30-capture-and-compare; leaves model.* beside each
# case's real.* and the differences in compare.txt.
set -u
# shellcheck source=SCRIPTDIR/../lib.sh
. "$E2E_SOURCE_DIR/tests/e2e/lib.sh"

capture=$PWD/capture.json
[ -s "$capture" ] || { echo "no capture.json from the guest"; exit 1; }

# The build's executable NAME (as the initramfs builder finds it).
find_prog() {
    if [ -f "$E2E_BUILD_DIR/$1" ] && [ -x "$E2E_BUILD_DIR/$1" ]; then
        echo "$E2E_BUILD_DIR/$1"
    else
        find "$E2E_BUILD_DIR" -maxdepth 3 -type f -name "$1" -perm -u+x |
            sort | head -n 1
    fi
}

normalize() {
    sed 's/\("seconds": \)[0-9]*, \("microseconds": \)[0-9]*/\1S, \2U/g' "$1"
}

: >compare.txt
cases=0
differ=
for dir in ../*/case-*; do
    [ -d "$dir" ] || continue
    cases=$((cases + 1))
    name=${dir#../}
    prog=$(find_prog "$(cat "$dir/program")")
    if [ -z "$prog" ]; then
        differ="$differ $name"
        echo "$name: $(cat "$dir/program") is not in $E2E_BUILD_DIR" \
            >>compare.txt
        continue
    fi
    e2e_replay "$dir" "$capture" timeout 60 "$prog"
    ok=1
    for f in out out.err; do
        normalize "$dir/real.$f" >"$dir/real.$f.norm"
        normalize "$dir/model.$f" >"$dir/model.$f.norm"
        if ! cmp -s "$dir/real.$f.norm" "$dir/model.$f.norm"; then
            ok=
            {
                echo "$name: $f differs (- kernel, + model;" \
                     "$(cmp "$dir/real.$f.norm" "$dir/model.$f.norm" |
                        sed 's/.*differ: //')):"
                diff -u "$dir/real.$f.norm" "$dir/model.$f.norm" |
                    sed '1,2d' | grep '^[-+]' | cut -c1-200 | head -n 20
            } >>compare.txt
        fi
        rm -f "$dir/real.$f.norm" "$dir/model.$f.norm"
    done
    if ! cmp -s "$dir/real.rc" "$dir/model.rc"; then
        ok=
        echo "$name: exit status $(cat "$dir/real.rc") on the kernel," \
             "$(cat "$dir/model.rc") on the model" >>compare.txt
    fi
    [ -n "$ok" ] || differ="$differ $name"
done

if [ $cases -eq 0 ]; then
    echo "no recorded cases: run 30 with the scenarios that record them" \
         "(20-iommufd-bind, 21-config-vs-sysfs, 40-vfio-errors)"
    exit 77
fi
if [ -n "$differ" ]; then
    echo "the model differs from the kernel in:$differ"
    cat compare.txt
    exit 1
fi
echo "$cases cases: the model answered exactly as the kernel"
