#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, ASan and UBSan over the whole library, and runs each
# for SECONDS (default 60) from a seed corpus of Discord's documented payloads. Fails on a crash.
#   bash tools/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
dir=build-fuzz
if [[ ! -f "$dir/build.ninja" ]]; then
  CXX=clang++ meson setup "$dir" --wrap-mode=nodownload -Dfuzz=true -Dtests=false -Dsamples=false \
    -Dbuildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false \
    -Dcpp_args=-fsanitize=fuzzer-no-link
fi
ninja -C "$dir" -j2 fuzz/json_fuzz fuzz/path_fuzz fuzz/inflate_fuzz
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
mkdir -p "$corpus/json" "$corpus/path" "$corpus/inflate"
cp test/data/discord/*.json "$corpus/json/"
printf '\x00123456789012345678' > "$corpus/path/id"
printf '\x01%%F0%%9F%%94%%A5' > "$corpus/path/emoji"
printf '\x02abc.DEF_ghi-jkl' > "$corpus/path/token"
# Inputs that once crashed a target stay in its corpus (fuzz/regressions/<target>-*).
for f in fuzz/regressions/*; do
  [[ -f "$f" ]] && cp "$f" "$corpus/$(basename "$f" | cut -d- -f1)/"
done
for target in json path inflate; do
  echo "fuzz: ${target}_fuzz for ${seconds} s"
  UBSAN_OPTIONS=halt_on_error=1 "$dir/fuzz/${target}_fuzz" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$dir/${target}-" "$corpus/$target" 2>&1 | tail -4
done
