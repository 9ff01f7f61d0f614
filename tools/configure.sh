#!/usr/bin/env bash
# Configures build directory $1 (default: build) with the house options. Extra arguments go to meson.
# -O2 without debug info: on 2 cores, -g costs about half again the compile time of a Beast TU.
set -euo pipefail
dir=${1:-build}
shift || true
cd "$(dirname "$0")/.."
if [[ ! -f "$dir/build.ninja" ]]; then
  meson setup "$dir" --wrap-mode=nodownload -Ddebug=false "$@"
fi
