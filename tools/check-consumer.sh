#!/usr/bin/env bash
# Builds samples/consumer as a user would: a separate Meson project whose subprojects/cord.wrap
# points at this checkout (a git wrap of the local repository, at HEAD).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$repo/samples/consumer/." "$work/"
sed -i "s|^url = .*|url = $repo|; s|^revision = .*|revision = HEAD|; /^depth/d" "$work/subprojects/cord.wrap"
cd "$work"
meson setup build --wrap-mode=default >/dev/null
ninja -C build -j2 >/dev/null
./build/consumer_bot
