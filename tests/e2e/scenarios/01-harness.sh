#!/bin/sh
# Self-test of the harness: e2e_qtest drives a stand-in for an emulator
# over '-qtest stdio', keeping every line it prints, passing its exit
# status on and noticing when it stops answering; files written to E2E_OUT
# reach the host intact (checked there by tests/e2e/host/01-harness.sh).
# shellcheck source=SCRIPTDIR/../lib.sh
. "$E2E_LIB"

i=0
while [ $i -lt 256 ]; do
    # shellcheck disable=SC2059 # the format is the byte, as an escape
    printf "\\$(printf %03o $i)"
    i=$((i + 1))
done >"$E2E_OUT/bytes.bin"
printf 'harness self-test\nno final newline' >"$E2E_OUT/text.txt"

# Replies like a qtest server; 'die' makes it exit without a reply. At
# the end of its input it exits with the status given by '--exit N'.
fake=$PWD/fake-qtest
cat >"$fake" <<'FAKE'
#!/bin/sh
[ "$1 $3 $4" = "--exit -qtest stdio" ] ||
    { echo "bad args: $*" >&2; exit 2; }
echo "fake-qtest: started" >&2
while IFS= read -r cmd; do
    case $cmd in
    irq_*) echo "IRQ raise 4"; echo "OK" ;;
    read* | write*) echo "OK ${cmd%% *}" ;;
    die) exit 0 ;;
    *) echo "FAIL Unknown command '$cmd'" ;;
    esac
done
echo "IRQ lower 4"
exit "$2"
FAKE
chmod +x "$fake"

cat >cmds <<'CMDS'
# comments and blank lines are not sent
readl 0x1000

irq_intercept_in ioapic
bogus
writel 0x1000 0x2
CMDS
e2e_qtest cmds "$E2E_OUT/qtest.txt" "$fake" --exit 0 ||
    e2e_fail "e2e_qtest failed: $(cat "$E2E_OUT/qtest.txt.err")"

e2e_qtest cmds status.txt "$fake" --exit 3
rc=$?
[ $rc -eq 3 ] || e2e_fail "e2e_qtest returned $rc, not the exit status 3"

printf 'readl 0x0\ndie\nreadl 0x4\n' >cmds-die
if e2e_qtest cmds-die died.txt "$fake" --exit 0; then
    e2e_fail "e2e_qtest did not notice the program stopped answering"
fi
expected=$(printf '> readl 0x0\n< OK readl\n> die')
[ "$(cat died.txt)" = "$expected" ] ||
    e2e_fail "unexpected transcript after 'die': $(cat died.txt)"
echo "harness self-test files written"
