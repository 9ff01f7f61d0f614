#!/usr/bin/env bash
# "Any compiler for the bot" (a meson test): test/compile/mixed_compiler_bot.cpp is compiled by
# BOT_CXX, another compiler than the one that built libcord in BUILD_ROOT, with the defines
# cord's pkg-config file gives a user; linked by LINK_CXX (with LINK_FLAGs, e.g. the sanitizer
# libcord was built with) against that build's libcord and cord-testing; and run: it starts its
# own fake Discord on 127.0.0.1 and exits 0 when co_spawn, when_all and a handler worked.
#   bash tools/check-mixed-compilers.sh BOT_CXX LINK_CXX SOURCE_ROOT BUILD_ROOT [LINK_FLAG...]
set -euo pipefail
bot_cxx=$1 link_cxx=$2 src=$3 build=$4
shift 4
# The uninstalled .pc files meson writes for this build: what a user's pkg-config would give.
export PKG_CONFIG_PATH="$build/meson-uninstalled"
read -r -a defines <<<"$(pkg-config --cflags-only-other cord-testing)"
read -r -a libs <<<"$(pkg-config --libs --static cord-testing)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "bot compiled by $("$bot_cxx" --version | head -1); libcord from $build; linked by $link_cxx $*"
"$bot_cxx" -std=c++20 -O1 "${defines[@]}" -I"$src/include" -I"$build/include" \
  -c "$src/test/compile/mixed_compiler_bot.cpp" -o "$tmp/bot.o"
"$link_cxx" "$@" "$tmp/bot.o" "${libs[@]}" -o "$tmp/bot"
timeout 120 "$tmp/bot"
