#!/usr/bin/env bash
# Builds cord and runs every test suite; ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/configure.sh build
ninja -C build -j2
status=0
meson test -C build --num-processes 2 --print-errorlogs || status=$?
python3 - build/meson-logs/testlog.json <<'PY'
import json, sys
ok = ('OK', 'EXPECTEDFAIL', 'SKIP')
passed = failed = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r['result'] in ok: passed += 1
    else: failed += 1
print(f"{passed} passed, {failed} failed")
PY
exit $status
