#!/usr/bin/env python3
"""Prints one line "N passed, N failed" over meson test logs (meson-logs/testlog.json).

  count-tests.py [--add PASSED FAILED] LOG...

A log that is missing counts as one failed test: its build or its test run did not get that far.
--add adds results counted elsewhere (e.g. fuzz targets).
"""
import json
import sys

OK = ('OK', 'EXPECTEDFAIL', 'SKIP')


def main(argv):
    passed = failed = 0
    args = argv[1:]
    while args and args[0] == '--add':
        passed += int(args[1])
        failed += int(args[2])
        args = args[3:]
    for path in args:
        try:
            lines = open(path).read().splitlines()
        except FileNotFoundError:
            failed += 1
            continue
        for line in lines:
            if line.strip():
                if json.loads(line)['result'] in OK:
                    passed += 1
                else:
                    failed += 1
    print(f"{passed} passed, {failed} failed")


if __name__ == '__main__':
    main(sys.argv)
