#!/bin/sh
# Host side of scenarios/01-harness.sh: the files the guest shipped arrived
# byte for byte, and the qtest transcript is the one expected.
# Runs in the scenario's result directory.
set -u

fail() {
    echo "$*"
    exit 1
}

i=0
while [ $i -lt 256 ]; do
    # shellcheck disable=SC2059 # the format is the byte, as an escape
    printf "\\$(printf %03o $i)"
    i=$((i + 1))
done >bytes.expected
cmp bytes.bin bytes.expected || fail "bytes.bin differs"
printf 'harness self-test\nno final newline' | cmp text.txt - ||
    fail "text.txt differs"

cat >qtest.expected <<'QTEST'
> readl 0x1000
< OK readl
> irq_intercept_in ioapic
< IRQ raise 4
< OK
> bogus
< FAIL Unknown command 'bogus'
> writel 0x1000 0x2
< OK writel
< IRQ lower 4
QTEST
cmp qtest.txt qtest.expected || fail "qtest.txt differs"
echo "fake-qtest: started" | cmp qtest.txt.err - || fail "qtest.txt.err differs"
rm -f bytes.expected qtest.expected
