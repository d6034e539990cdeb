#!/usr/bin/env python3
"""Counts individual test results of a meson test run.

Reads meson-logs/testlog.json of a build directory. TAP tests contribute one
result per 'ok'/'not ok' line (SKIP directives count as skipped); a test
that ran no TAP lines counts once by its overall result, so a crash before
the first result still counts as a failure.
Prints 'N passed, N failed, N skipped' and exits 1 if anything failed.
"""
import json
import re
import sys

TAP_LINE = re.compile(r'^(not ok|ok)\b(.*)$')


def count(logfile):
    passed = failed = skipped = 0
    with open(logfile) as f:
        for line in f:
            entry = json.loads(line)
            result = entry.get('result', '')
            tap_seen = 0
            tap_failed = 0
            for out in (entry.get('stdout') or '').splitlines():
                m = TAP_LINE.match(out.strip())
                if not m:
                    continue
                tap_seen += 1
                rest = m.group(2)
                if '# SKIP' in rest or '# skip' in rest:
                    skipped += 1
                elif m.group(1) == 'ok' or '# TODO' in rest:
                    passed += 1
                else:
                    failed += 1
                    tap_failed += 1
            if tap_seen == 0:
                if result in ('OK', 'EXPECTEDFAIL'):
                    passed += 1
                elif result == 'SKIP':
                    skipped += 1
                else:
                    failed += 1
            elif result not in ('OK', 'SKIP', 'EXPECTEDFAIL') and tap_failed == 0:
                # Ran some cases, then died (crash, timeout, sanitizer).
                failed += 1
    return passed, failed, skipped


def main():
    passed, failed, skipped = count(sys.argv[1])
    print(f'{passed} passed, {failed} failed, {skipped} skipped')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
