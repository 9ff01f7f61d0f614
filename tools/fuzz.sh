#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, ASan and UBSan over the whole library, and runs each
# for SECONDS (default 60) from a seed corpus of Discord's documented payloads. Announces each
# target ("fuzz: NAME for N s"), ends it with its coverage and executions per second, and stops
# at the first that fails (a crash or a broken invariant).
#   bash tools/fuzz.sh [SECONDS]
# CORD_FUZZ_BUILD names the build directory (default build-fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
dir=${CORD_FUZZ_BUILD:-build-fuzz}
targets=(json path inflate envelope rest_response multipart ws_frame endpoint_request)
if [[ ! -f "$dir/build.ninja" ]]; then
  CXX=clang++ meson setup "$dir" --wrap-mode=nodownload -Dfuzz=true -Dtests=false -Dsamples=false \
    -Dbuildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false \
    -Dcpp_args=-fsanitize=fuzzer-no-link
fi
build=()
for target in "${targets[@]}"; do
  build+=("fuzz/${target}_fuzz")
done
ninja -C "$dir" -j2 "${build[@]}"
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
for target in "${targets[@]}"; do
  mkdir -p "$corpus/$target"
done
docs=test/data/discord

cp "$docs"/*.json "$corpus/json/"
printf '\x00123456789012345678' > "$corpus/path/id"
printf '\x01%%F0%%9F%%94%%A5' > "$corpus/path/emoji"
printf '\x02abc.DEF_ghi-jkl' > "$corpus/path/token"

# Gateway payloads as Discord documents them (HELLO, READY, dispatches, heartbeats...).
cp "$docs"/*.json "$corpus/envelope/"

# REST responses: "STATUS [MS-LATER [ROUTE [OVERLAP]]]", header lines, an empty line, the body;
# several separated by a line "=====". Discord's error bodies come with a 400, the other
# documented objects with a 200 and the rate-limit headers of a fresh bucket.
via=$'Via: 1.1 google\nContent-Type: application/json'
limits=$'X-RateLimit-Limit: 5\nX-RateLimit-Remaining: 4\nX-RateLimit-Reset-After: 5.000\nX-RateLimit-Bucket: 80c17d2f203122d936070c88c8d10f33'
for f in "$docs"/*.json; do
  name=$(basename "$f" .json)
  case $name in
    error_*) printf '400\n%s\n\n%s' "$via" "$(cat "$f")" > "$corpus/rest_response/$name" ;;
    *) printf '200\n%s\n%s\n\n%s' "$via" "$limits" "$(cat "$f")" > "$corpus/rest_response/$name" ;;
  esac
done
# A route 429 after a 200 of another route sharing its bucket (reference/rate-limits.md).
printf '200 0 0\n%s\n%s\n\n{}\n=====\n429 20 1 1\n%s\n%s\nX-RateLimit-Scope: user\nRetry-After: 2\n\n%s' \
  "$via" "$limits" "$via" "${limits/Remaining: 4/Remaining: 0}" \
  '{"message": "You are being rate limited.", "retry_after": 1.5, "global": false}' \
  > "$corpus/rest_response/route-429"
printf '429\n%s\nX-RateLimit-Global: true\nX-RateLimit-Scope: global\nRetry-After: 1\n\n%s' "$via" \
  '{"message": "You are being rate limited.", "retry_after": 0.5, "global": true}' > "$corpus/rest_response/global-429"
printf '429\n%s\nX-RateLimit-Scope: shared\nRetry-After: 3\n\n%s' "$via" \
  '{"message": "You are being rate limited.", "retry_after": 2.8, "global": false}' > "$corpus/rest_response/shared-429"
printf '429\nContent-Type: text/html\n\n<html><body>Error 1015: You are being rate limited</body></html>' \
  > "$corpus/rest_response/cloudflare-429"
printf '401\n%s\n\n{"message": "401: Unauthorized", "code": 0}' "$via" > "$corpus/rest_response/unauthorized"

# Uploads, in the target's FuzzedDataProvider layout: payload_json, then file name, content
# type, description and bytes of one file (each string ends at a backslash and another
# character), then the file count, boundary seed and two flags read from the end.
for f in "$docs"/*.json; do
  { sed 's/\\/\\\\/g' "$f"; printf '\\|photo.png\\|image/png\\|A photo\\|\x89PNG\r\n\x1a\n'; printf '\x01\x2a\x00\x00\x00\x01\x01'; } \
    > "$corpus/multipart/$(basename "$f" .json)"
done

# Server frames (after a first byte that seeds the read sizes): a HELLO in one text frame; a
# message in two fragments with a ping between them; a close with a code and a reason.
printf '\x07\x81\x09{"op":10}' > "$corpus/ws_frame/text"
printf '\x03\x01\x03{"o\x89\x02hi\x80\x06p":11}\x8a\x00' > "$corpus/ws_frame/fragments"
printf '\x05\x88\x06\x0f\xa4oops' > "$corpus/ws_frame/close"

# Requests to the interactions endpoint (flag byte: 1 sign, 2 timestamp now, 4 no Content-Length;
# then header lines, an empty line, the body): Discord's interactions and webhook events signed,
# and the same spoiled as Discord's endpoint check spoils them.
sig=$(printf 'a%.0s' {1..128})
printf '\x03X-Signature-Ed25519: x\nX-Signature-Timestamp: 1\n\n{"type":1,"id":"1","application_id":"2","token":"t","version":1}' \
  > "$corpus/endpoint_request/ping"
printf '\x03\n\n{"type":2,"id":"1","token":"t","data":{"name":"ping","type":1},"user":{"id":"9"}}' > "$corpus/endpoint_request/command"
printf '\x03\n\n{"type":3,"data":{"custom_id":"b","component_type":2}}' > "$corpus/endpoint_request/component"
printf '\x07\n\n{"type":4,"data":{"name":"q","options":[{"name":"x","value":"a","focused":true}]}}' \
  > "$corpus/endpoint_request/autocomplete"
printf '\x03\n\n{"version":1,"application_id":"1","type":1,"event":{"type":"ENTITLEMENT_CREATE","timestamp":"2026-01-01T00:00:00Z","data":{}}}' \
  > "$corpus/endpoint_request/webhook-event"
printf '\x03\n\n{"version":1,"application_id":"1","type":0}' > "$corpus/endpoint_request/webhook-ping"
printf '\x02X-Signature-Ed25519: %s\n\n{"type":2}' "$sig" > "$corpus/endpoint_request/bad-signature"
printf '\x01X-Signature-Timestamp: 1000\n\n{"type":2}' > "$corpus/endpoint_request/stale"
printf '\x00X-Signature-Timestamp: 1800000000\n\n{"type":2}' > "$corpus/endpoint_request/missing-signature"

# Inputs that once failed a target stay in its corpus (fuzz/regressions/<target>-*).
for f in fuzz/regressions/*; do
  [[ -f "$f" ]] && cp "$f" "$corpus/$(basename "$f" | cut -d- -f1)/"
done
for target in "${targets[@]}"; do
  echo "fuzz: ${target}_fuzz for ${seconds} s"
  dict=()
  [[ -f "fuzz/$target.dict" ]] && dict=(-dict="fuzz/$target.dict")
  log="$corpus/$target.log"
  if ! UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$dir/fuzz/${target}_fuzz" -max_total_time="$seconds" \
      -print_final_stats=1 "${dict[@]}" -artifact_prefix="$dir/${target}-" "$corpus/$target" > "$log" 2>&1; then
    tail -40 "$log"
    exit 1
  fi
  grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1
  grep -E '^stat::average_exec_per_sec' "$log"
done
