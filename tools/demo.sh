#!/usr/bin/env bash
# Builds cord and runs the demo bot: against the built-in fake Discord unless DISCORD_TOKEN is set.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/configure.sh build
ninja -C build -j2 samples/cord-demo
exec ./build/samples/cord-demo "$@"
