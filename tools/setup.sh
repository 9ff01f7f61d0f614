#!/usr/bin/env bash
# Installs what building and testing cord needs on Debian 12 (run as root; does nothing when all
# is present). clang: the tests build a bot with the other compiler than libcord's.
set -euo pipefail
packages=(meson ninja-build g++ pkg-config ccache python3
          libboost1.81-dev libsimdjson-dev libfmt-dev catch2 libssl-dev zlib1g-dev libzstd-dev
          openssl curl clang)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "cord: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
