#!/usr/bin/env bash
# Builds cord and runs every test suite; ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/configure.sh build
# A log left by an earlier run must not be counted as this one.
rm -f build/meson-logs/testlog.json
start=$SECONDS
ninja -C build -j2
echo "test.sh: build $((SECONDS - start)) s"
status=0
start=$SECONDS
meson test -C build --num-processes 2 --print-errorlogs || status=$?
echo "test.sh: tests $((SECONDS - start)) s"
python3 tools/count-tests.py build/meson-logs/testlog.json
exit $status
