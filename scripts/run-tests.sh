#!/bin/sh
# Runs the test suites of a build directory and prints a closing line
# 'N passed, N failed, N skipped'. Extra arguments go to 'meson test'
# (e.g. --suite unit, --no-suite e2e).
set -u
builddir=${1:-build}
shift || true
log="$builddir/meson-logs/testlog.json"
rm -f "$log"
meson test -C "$builddir" --print-errorlogs --num-processes 2 "$@"
status=$?
if [ ! -f "$log" ]; then
    echo "run-tests: no test log produced" >&2
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi
summary=$(python3 "$(dirname "$0")/test-summary.py" "$log")
sstatus=$?
echo "$summary"
[ $status -eq 0 ] && [ $sstatus -eq 0 ]
