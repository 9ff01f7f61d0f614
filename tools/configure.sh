#!/usr/bin/env bash
# Configures build directory $1 (default: build) with the house options. Extra arguments go to meson.
set -euo pipefail
dir=${1:-build}
shift || true
cd "$(dirname "$0")/.."
if [[ ! -f "$dir/build.ninja" ]]; then
  meson setup "$dir" --wrap-mode=nodownload "$@"
fi
