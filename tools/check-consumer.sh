#!/usr/bin/env bash
# samples/consumer built as a user builds it, in a directory of its own:
#   1. production, cord as a subproject through its wrap (a git wrap of this checkout at HEAD):
#      cord's fake Discord is not among the targets; the bot builds and runs;
#   2. the same build with tests=true (and cord:testing=enabled): cord-testing comes from the
#      subproject and the bot's test passes against it;
#   3. installed: BUILD_DIR (default: build, already built) is installed with
#      `meson install --destdir`; the consumer finds cord.pc and cord-testing.pc there, no
#      subproject, builds and passes its test; and pkg-config, given cord.pc without the
#      packages it requires, fails naming one of them.
#   bash tools/check-consumer.sh [BUILD_DIR]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$repo/samples/consumer" "$work/src"
sed -i "s|^url = .*|url = $repo|; s|^revision = .*|revision = HEAD|; /^depth/d" "$work/src/subprojects/cord.wrap"
cd "$work/src"
fail() { echo "check-consumer: FAIL: $*" >&2; exit 1; }

echo "== 1. subproject, production build"
meson setup "$work/prod" --wrap-mode=default >/dev/null
if meson introspect "$work/prod" --targets | grep -q '"cord-fake-discord"\|"cord-testing"'; then
  fail "a production build of a subproject builds cord's fake Discord"
fi
ninja -C "$work/prod" -j2 >/dev/null
"$work/prod/consumer_bot"

echo "== 2. subproject, with the bot's test"
meson configure "$work/prod" -Dtests=true -Dcord:testing=enabled >/dev/null
ninja -C "$work/prod" -j2 >/dev/null
meson test -C "$work/prod" --no-rebuild --print-errorlogs
# Nothing private leaks: the bot's files see cord's public include directory, none of lib/.
python3 - "$work/prod/compile_commands.json" <<'PY' || fail "cord's private include directories reach the bot"
import json, re, sys
bad = [(c["file"], d) for c in json.load(open(sys.argv[1])) if "subprojects" not in c["file"]
       for d in re.findall(r"-I\s*(\S+)", c["command"]) if re.search(r"subprojects/cord/lib\b", d)]
for f, d in bad:
    print(f"{f}: -I{d}", file=sys.stderr)
sys.exit(1 if bad else 0)
PY

echo "== 3. installed (meson install --destdir), found through pkg-config"
meson install -C "$build" --destdir "$work/root" --quiet --no-rebuild
pcdir=$(dirname "$(find "$work/root" -name cord.pc | head -1)")
[[ -f $pcdir/cord-testing.pc ]] || fail "no cord-testing.pc installed beside $pcdir/cord.pc"
# The .pc files name /usr/local; the sysroot prefixes their -I and -L with the staging root.
PKG_CONFIG_PATH=$pcdir PKG_CONFIG_SYSROOT_DIR=$work/root \
  meson setup "$work/installed" -Dtests=true --wrap-mode=nofallback >/dev/null
ninja -C "$work/installed" -j2 >/dev/null
meson test -C "$work/installed" --no-rebuild --print-errorlogs
mkdir "$work/lonely" && cp "$pcdir/cord.pc" "$work/lonely/"
if out=$(PKG_CONFIG_LIBDIR=$work/lonely pkg-config --cflags cord 2>&1); then
  fail "pkg-config accepted cord.pc without the packages it requires"
fi
grep -qi 'openssl\|zlib\|libzstd' <<<"$out" || fail "pkg-config's refusal names no requirement: $out"
echo "pkg-config without cord's requirements: $out"
echo "check-consumer: all passed"
